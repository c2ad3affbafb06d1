from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.blacklist_source_type import BlacklistSourceType

T = TypeVar("T", bound="BlacklistEntry")


@_attrs_define
class BlacklistEntry:
    """A blacklisted number («Элемент черного списка», guide 5.10.2).

    Attributes:
        id (int): The entry's id.
        number (str): The number, `7XXXXXXXXXX`; a string although the guide's table says integer (decision D5).
        source_type (BlacklistSourceType): `FILE`: added from a file in the PBX's web interface; `MANUAL`: added by hand
            (or through this API).
    """

    id: int
    number: str
    source_type: BlacklistSourceType
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        number = self.number

        source_type = self.source_type.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "number": number,
                "sourceType": source_type,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        number = d.pop("number")

        source_type = BlacklistSourceType(d.pop("sourceType"))

        blacklist_entry = cls(
            id=id,
            number=number,
            source_type=source_type,
        )

        blacklist_entry.additional_properties = d
        return blacklist_entry

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
