from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.customer import Customer


T = TypeVar("T", bound="Manager")


@_attrs_define
class Manager:
    """A personal manager («Менеджер», guide 5.10.1).

    Attributes:
        id (int): The manager's id.
        employee_id (int): The employee (from GET /employees) who is the manager.
        company_id (int): The company («ID клиента» in the guide's table).
        customers (list[Customer]):
        handle_all_customers (bool): The manager handles calls from every caller; at most one manager of a company has
            it.
        name (str | Unset): The manager's name.
    """

    id: int
    employee_id: int
    company_id: int
    customers: list[Customer]
    handle_all_customers: bool
    name: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        employee_id = self.employee_id

        company_id = self.company_id

        customers = []
        for customers_item_data in self.customers:
            customers_item = customers_item_data.to_dict()
            customers.append(customers_item)

        handle_all_customers = self.handle_all_customers

        name = self.name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "employeeId": employee_id,
                "companyId": company_id,
                "customers": customers,
                "handleAllCustomers": handle_all_customers,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.customer import Customer  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        employee_id = d.pop("employeeId")

        company_id = d.pop("companyId")

        customers = []
        _customers = d.pop("customers")
        for customers_item_data in _customers:
            customers_item = Customer.from_dict(customers_item_data)

            customers.append(customers_item)

        handle_all_customers = d.pop("handleAllCustomers")

        name = d.pop("name", UNSET)

        manager = cls(
            id=id,
            employee_id=employee_id,
            company_id=company_id,
            customers=customers,
            handle_all_customers=handle_all_customers,
            name=name,
        )

        manager.additional_properties = d
        return manager

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
