from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

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
            id (int | None | Unset): On PUT, the id of an existing customer of this manager to keep; otherwise ignored.
            company_name (None | str | Unset):
            info (None | str | Unset):
            is_vip (bool | None | Unset):  Default: False.
            name (None | str | Unset):
            client_id (int | None | Unset): Accepted and ignored.
            company_id (int | None | Unset): Accepted and ignored (decision D8).
    """

    real_number: str
    id: int | None | Unset = UNSET
    company_name: None | str | Unset = UNSET
    info: None | str | Unset = UNSET
    is_vip: bool | None | Unset = False
    name: None | str | Unset = UNSET
    client_id: int | None | Unset = UNSET
    company_id: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        real_number = self.real_number

        id: int | None | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        company_name: None | str | Unset
        if isinstance(self.company_name, Unset):
            company_name = UNSET
        else:
            company_name = self.company_name

        info: None | str | Unset
        if isinstance(self.info, Unset):
            info = UNSET
        else:
            info = self.info

        is_vip: bool | None | Unset
        if isinstance(self.is_vip, Unset):
            is_vip = UNSET
        else:
            is_vip = self.is_vip

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        client_id: int | None | Unset
        if isinstance(self.client_id, Unset):
            client_id = UNSET
        else:
            client_id = self.client_id

        company_id: int | None | Unset
        if isinstance(self.company_id, Unset):
            company_id = UNSET
        else:
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

        def _parse_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        id = _parse_id(d.pop("id", UNSET))

        def _parse_company_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        company_name = _parse_company_name(d.pop("companyName", UNSET))

        def _parse_info(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        info = _parse_info(d.pop("info", UNSET))

        def _parse_is_vip(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        is_vip = _parse_is_vip(d.pop("isVip", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_client_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        client_id = _parse_client_id(d.pop("clientId", UNSET))

        def _parse_company_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        company_id = _parse_company_id(d.pop("companyId", UNSET))

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
