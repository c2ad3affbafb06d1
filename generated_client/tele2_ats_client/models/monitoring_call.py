from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.monitoring_call_type import MonitoringCallType
from ..types import UNSET, Unset

T = TypeVar("T", bound="MonitoringCall")


@_attrs_define
class MonitoringCall:
    """A call in progress (guide 5.2).

    Attributes:
        call_type (MonitoringCallType): `MULTI_CHANNEL`: a call to a multi-channel number; `INTERNAL`: between
            numbers of the PBX; `SINGLE_CHANNEL`: to one subscriber's number;
            `CONFERENCE`: a conference.
        caller_number_full (str): The caller's full number.
        caller_number_short (str | Unset): The caller's short number, if it has one.
        called_number_short (str | Unset): The called party's short number, if it has one; absent until the call reaches
            party B.
        called_number_full (str | Unset): The called party's full number; absent until the call reaches party B.
    """

    call_type: MonitoringCallType
    caller_number_full: str
    caller_number_short: str | Unset = UNSET
    called_number_short: str | Unset = UNSET
    called_number_full: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        call_type = self.call_type.value

        caller_number_full = self.caller_number_full

        caller_number_short = self.caller_number_short

        called_number_short = self.called_number_short

        called_number_full = self.called_number_full

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "callType": call_type,
                "callerNumberFull": caller_number_full,
            }
        )
        if caller_number_short is not UNSET:
            field_dict["callerNumberShort"] = caller_number_short
        if called_number_short is not UNSET:
            field_dict["calledNumberShort"] = called_number_short
        if called_number_full is not UNSET:
            field_dict["calledNumberFull"] = called_number_full

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        call_type = MonitoringCallType(d.pop("callType"))

        caller_number_full = d.pop("callerNumberFull")

        caller_number_short = d.pop("callerNumberShort", UNSET)

        called_number_short = d.pop("calledNumberShort", UNSET)

        called_number_full = d.pop("calledNumberFull", UNSET)

        monitoring_call = cls(
            call_type=call_type,
            caller_number_full=caller_number_full,
            caller_number_short=caller_number_short,
            called_number_short=called_number_short,
            called_number_full=called_number_full,
        )

        monitoring_call.additional_properties = d
        return monitoring_call

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
