from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

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
        id (int | None | Unset): Assigned by the server: must be absent on create («в POST он должен
            отсутствовать»). Sent anyway, as the guide's own example does, it is
            accepted and ignored (decision D6).
        company_id (int | None | Unset): Accepted and ignored (decision D8).
        name (None | str | Unset):
        customers (list[CustomerInput] | None | Unset):
        handle_all_customers (bool | None | Unset):  Default: False.
    """

    employee_id: int
    id: int | None | Unset = UNSET
    company_id: int | None | Unset = UNSET
    name: None | str | Unset = UNSET
    customers: list[CustomerInput] | None | Unset = UNSET
    handle_all_customers: bool | None | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        employee_id = self.employee_id

        id: int | None | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        company_id: int | None | Unset
        if isinstance(self.company_id, Unset):
            company_id = UNSET
        else:
            company_id = self.company_id

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        customers: list[dict[str, Any]] | None | Unset
        if isinstance(self.customers, Unset):
            customers = UNSET
        elif isinstance(self.customers, list):
            customers = []
            for customers_type_0_item_data in self.customers:
                customers_type_0_item = customers_type_0_item_data.to_dict()
                customers.append(customers_type_0_item)

        else:
            customers = self.customers

        handle_all_customers: bool | None | Unset
        if isinstance(self.handle_all_customers, Unset):
            handle_all_customers = UNSET
        else:
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

        def _parse_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        id = _parse_id(d.pop("id", UNSET))

        def _parse_company_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        company_id = _parse_company_id(d.pop("companyId", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_customers(data: object) -> list[CustomerInput] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                customers_type_0 = []
                _customers_type_0 = data
                for customers_type_0_item_data in _customers_type_0:
                    customers_type_0_item = CustomerInput.from_dict(customers_type_0_item_data)

                    customers_type_0.append(customers_type_0_item)

                return customers_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[CustomerInput] | None | Unset, data)

        customers = _parse_customers(d.pop("customers", UNSET))

        def _parse_handle_all_customers(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        handle_all_customers = _parse_handle_all_customers(d.pop("handleAllCustomers", UNSET))

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
