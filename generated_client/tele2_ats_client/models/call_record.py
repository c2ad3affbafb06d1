from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.call_status import CallStatus
from ..models.call_type import CallType
from ..types import UNSET, Unset

T = TypeVar("T", bound="CallRecord")


@_attrs_define
class CallRecord:
    """A call of the journal (guide 5.7.1).

    Attributes:
        date (datetime.datetime): When the call started, UTC with milliseconds (`2022-07-15T07:27:06.348Z`).
        call_type (CallType): The kind of call (guide 5.7.1, 14 values).
        caller_number (str): The number that called.
        call_duration (int): Duration of the whole call, ringing included, seconds.
        call_status (CallStatus): How the call ended (guide 5.7.1, 16 values). Successful calls are the `ANSWERED_*`
            ones.
        record_file_name (str): The recording's name, `YYYY-MM-DD/<id>` (the call's date, a slash,
            an id), to pass as `filename`; empty when the conversation was not
            recorded, and always for unanswered calls (decision D11).
        destination_number (str | Unset): The number that was dialled.
        caller_name (str | Unset): The caller's name, when the caller is an employee or a known contact.
        callee_number (str | Unset): The number that answered, or at which the call ended.
        callee_name (str | Unset): The callee's name, when known.
        conversation_duration (int | Unset): Duration of the conversation, seconds; present only for answered calls.
        uuid (str | Unset): The call's unique id, the same on every read (decision D49). Not documented by the guide;
            seen in the live service's answers (field notes).
    """

    date: datetime.datetime
    call_type: CallType
    caller_number: str
    call_duration: int
    call_status: CallStatus
    record_file_name: str
    destination_number: str | Unset = UNSET
    caller_name: str | Unset = UNSET
    callee_number: str | Unset = UNSET
    callee_name: str | Unset = UNSET
    conversation_duration: int | Unset = UNSET
    uuid: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        date = self.date.isoformat()

        call_type = self.call_type.value

        caller_number = self.caller_number

        call_duration = self.call_duration

        call_status = self.call_status.value

        record_file_name = self.record_file_name

        destination_number = self.destination_number

        caller_name = self.caller_name

        callee_number = self.callee_number

        callee_name = self.callee_name

        conversation_duration = self.conversation_duration

        uuid = self.uuid

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "date": date,
                "callType": call_type,
                "callerNumber": caller_number,
                "callDuration": call_duration,
                "callStatus": call_status,
                "recordFileName": record_file_name,
            }
        )
        if destination_number is not UNSET:
            field_dict["destinationNumber"] = destination_number
        if caller_name is not UNSET:
            field_dict["callerName"] = caller_name
        if callee_number is not UNSET:
            field_dict["calleeNumber"] = callee_number
        if callee_name is not UNSET:
            field_dict["calleeName"] = callee_name
        if conversation_duration is not UNSET:
            field_dict["conversationDuration"] = conversation_duration
        if uuid is not UNSET:
            field_dict["uuid"] = uuid

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        date = datetime.datetime.fromisoformat(d.pop("date"))

        call_type = CallType(d.pop("callType"))

        caller_number = d.pop("callerNumber")

        call_duration = d.pop("callDuration")

        call_status = CallStatus(d.pop("callStatus"))

        record_file_name = d.pop("recordFileName")

        destination_number = d.pop("destinationNumber", UNSET)

        caller_name = d.pop("callerName", UNSET)

        callee_number = d.pop("calleeNumber", UNSET)

        callee_name = d.pop("calleeName", UNSET)

        conversation_duration = d.pop("conversationDuration", UNSET)

        uuid = d.pop("uuid", UNSET)

        call_record = cls(
            date=date,
            call_type=call_type,
            caller_number=caller_number,
            call_duration=call_duration,
            call_status=call_status,
            record_file_name=record_file_name,
            destination_number=destination_number,
            caller_name=caller_name,
            callee_number=callee_number,
            callee_name=callee_name,
            conversation_duration=conversation_duration,
            uuid=uuid,
        )

        call_record.additional_properties = d
        return call_record

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
