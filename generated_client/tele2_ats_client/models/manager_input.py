from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.customer_input import CustomerInput


T = TypeVar("T", bound="ManagerInput")


@_attrs_define
class ManagerInput:
    """A manager as sent in POST /managers. The server assigns the ids.

    Attributes:
        employee_id (int): An employee of the company (GET /employees); any other answers 404 (decision D25).
        id (int | Unset): Assigned by the server: must be absent on create («в POST он должен
            отсутствовать»). Sent anyway, as the guide's own example does, it is
            accepted and ignored (decision D6).
        company_id (int | Unset): Accepted and ignored (decision D8).
        name (str | Unset):
        customers (list[CustomerInput] | Unset):
        handle_all_customers (bool | Unset):  Default: False.
    """

    employee_id: int
    id: int | Unset = UNSET
    company_id: int | Unset = UNSET
    name: str | Unset = UNSET
    customers: list[CustomerInput] | Unset = UNSET
    handle_all_customers: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        employee_id = self.employee_id

        id = self.id

        company_id = self.company_id

        name = self.name

        customers: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.customers, Unset):
            customers = []
            for customers_item_data in self.customers:
                customers_item = customers_item_data.to_dict()
                customers.append(customers_item)

        handle_all_customers = self.handle_all_customers

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "employeeId": employee_id,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id
        if company_id is not UNSET:
            field_dict["companyId"] = company_id
        if name is not UNSET:
            field_dict["name"] = name
        if customers is not UNSET:
            field_dict["customers"] = customers
        if handle_all_customers is not UNSET:
            field_dict["handleAllCustomers"] = handle_all_customers

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.customer_input import CustomerInput  # noqa: PLC0415

        d = dict(src_dict)
        employee_id = d.pop("employeeId")

        id = d.pop("id", UNSET)

        company_id = d.pop("companyId", UNSET)

        name = d.pop("name", UNSET)

        _customers = d.pop("customers", UNSET)
        customers: list[CustomerInput] | Unset = UNSET
        if _customers is not UNSET:
            customers = []
            for customers_item_data in _customers:
                customers_item = CustomerInput.from_dict(customers_item_data)

                customers.append(customers_item)

        handle_all_customers = d.pop("handleAllCustomers", UNSET)

        manager_input = cls(
            employee_id=employee_id,
            id=id,
            company_id=company_id,
            name=name,
            customers=customers,
            handle_all_customers=handle_all_customers,
        )

        manager_input.additional_properties = d
        return manager_input

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
