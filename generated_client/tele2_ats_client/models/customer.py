from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Customer")


@_attrs_define
class Customer:
    """A customer of a personal manager (guide 5.10.1, «Customer»). The table's `isVIP` is `isVip` (decision D4).

    Attributes:
        id (int): The customer's id, assigned by the server.
        real_number (str): The customer's phone number.
        is_vip (bool): VIP customer («VIP-клиент»).
        company_name (str | Unset): The customer's company.
        info (str | Unset): Notes about the customer.
        name (str | Unset): The customer's full name («ФИО клиента»).
    """

    id: int
    real_number: str
    is_vip: bool
    company_name: str | Unset = UNSET
    info: str | Unset = UNSET
    name: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        real_number = self.real_number

        is_vip = self.is_vip

        company_name = self.company_name

        info = self.info

        name = self.name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "realNumber": real_number,
                "isVip": is_vip,
            }
        )
        if company_name is not UNSET:
            field_dict["companyName"] = company_name
        if info is not UNSET:
            field_dict["info"] = info
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        real_number = d.pop("realNumber")

        is_vip = d.pop("isVip")

        company_name = d.pop("companyName", UNSET)

        info = d.pop("info", UNSET)

        name = d.pop("name", UNSET)

        customer = cls(
            id=id,
            real_number=real_number,
            is_vip=is_vip,
            company_name=company_name,
            info=info,
            name=name,
        )

        customer.additional_properties = d
        return customer

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
