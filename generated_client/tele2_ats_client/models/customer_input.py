from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CustomerInput")


@_attrs_define
class CustomerInput:
    """A customer as sent in POST/PUT /managers. `clientId` and `companyId` appear in the guide's request example and are
    accepted and ignored.

        Attributes:
            real_number (str): The customer's phone number, not blank (surrounding whitespace is dropped). "Whitespace" is
                the union of ECMAScript's `\\s` and Python's, spelled out in the pattern so that a JavaScript tool, a Python
                validator and the mock agree on which strings are blank (a bare `\\S` differs between them for U+001C..U+001F,
                U+0085 and U+FEFF); unique among the company's customers, so a body naming it twice answers
                `CUSTOMER_ALREADY_ASSIGNED` (decision D30).
            id (int | Unset): On PUT, the id of an existing customer of this manager to keep; otherwise ignored.
            company_name (str | Unset):
            info (str | Unset):
            is_vip (bool | Unset):  Default: False.
            name (str | Unset):
            client_id (int | Unset): Accepted and ignored.
            company_id (int | Unset): Accepted and ignored (decision D8).
    """

    real_number: str
    id: int | Unset = UNSET
    company_name: str | Unset = UNSET
    info: str | Unset = UNSET
    is_vip: bool | Unset = False
    name: str | Unset = UNSET
    client_id: int | Unset = UNSET
    company_id: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        real_number = self.real_number

        id = self.id

        company_name = self.company_name

        info = self.info

        is_vip = self.is_vip

        name = self.name

        client_id = self.client_id

        company_id = self.company_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "realNumber": real_number,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id
        if company_name is not UNSET:
            field_dict["companyName"] = company_name
        if info is not UNSET:
            field_dict["info"] = info
        if is_vip is not UNSET:
            field_dict["isVip"] = is_vip
        if name is not UNSET:
            field_dict["name"] = name
        if client_id is not UNSET:
            field_dict["clientId"] = client_id
        if company_id is not UNSET:
            field_dict["companyId"] = company_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        real_number = d.pop("realNumber")

        id = d.pop("id", UNSET)

        company_name = d.pop("companyName", UNSET)

        info = d.pop("info", UNSET)

        is_vip = d.pop("isVip", UNSET)

        name = d.pop("name", UNSET)

        client_id = d.pop("clientId", UNSET)

        company_id = d.pop("companyId", UNSET)

        customer_input = cls(
            real_number=real_number,
            id=id,
            company_name=company_name,
            info=info,
            is_vip=is_vip,
            name=name,
            client_id=client_id,
            company_id=company_id,
        )

        customer_input.additional_properties = d
        return customer_input

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
