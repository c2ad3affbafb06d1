from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CommonStatistics")


@_attrs_define
class CommonStatistics:
    """Call statistics over a window (guide 5.6.1). Each figure quotes the guide's label; the definitions in the
    operation's description are the project's inference (decision D19).

        Attributes:
            all_call_count (int): All calls («общее количество вызовов»).
            success_call_count (int): Answered calls («кол-во отвеченных вызовов»).
            outgoing_call_count (int): Outgoing calls («количество исходящих вызовов»).
            lost_call_count (int): Unanswered external calls («кол-во неотвеченных вызовов»).
            common_call_duration (int): Total call duration, seconds («общая длительность вызовов»).
            average_call_duration (int): Average call duration, seconds.
            max_call_duration (int): Longest call, seconds.
            call_count_per_day (float): Calls per day of the window.
            call_count_per_hour (float): Calls per hour of the window.
            mn_avg_call_duration (int): Average conversation duration of answered calls, seconds.
            mn_max_call_duration (int): Longest conversation of an answered call, seconds.
            average_call_count_per_hour (int): Calls per busy hour (hours with at least one call).
            transfer_call_count (int): Calls answered by a forward target («кол-во трансферов»).
            transfer_call_duration (int): Total conversation duration of those calls, seconds.
            average_transfer_call_duration (int): Their average conversation duration, seconds.
            hangup_a_call_count (int): Answered calls the caller hung up («отбоев со стороны инициатора вызова», decision
                D20).
            hangup_b_call_count (int): Answered calls the callee, the employee, hung up («отбоев со стороны сотрудника»,
                decision D20).
            unique_call_count (int): Distinct callers («уникальных вызовов»).
            redial_count (int): Repeated calls from a caller already counted («повторных вызовов»).
            internal_call_count (int): Calls inside the company.
            internal_call_duration (int): Their total duration, seconds.
            average_internal_call_duration (int): Their average duration, seconds.
    """

    all_call_count: int
    success_call_count: int
    outgoing_call_count: int
    lost_call_count: int
    common_call_duration: int
    average_call_duration: int
    max_call_duration: int
    call_count_per_day: float
    call_count_per_hour: float
    mn_avg_call_duration: int
    mn_max_call_duration: int
    average_call_count_per_hour: int
    transfer_call_count: int
    transfer_call_duration: int
    average_transfer_call_duration: int
    hangup_a_call_count: int
    hangup_b_call_count: int
    unique_call_count: int
    redial_count: int
    internal_call_count: int
    internal_call_duration: int
    average_internal_call_duration: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        all_call_count = self.all_call_count

        success_call_count = self.success_call_count

        outgoing_call_count = self.outgoing_call_count

        lost_call_count = self.lost_call_count

        common_call_duration = self.common_call_duration

        average_call_duration = self.average_call_duration

        max_call_duration = self.max_call_duration

        call_count_per_day = self.call_count_per_day

        call_count_per_hour = self.call_count_per_hour

        mn_avg_call_duration = self.mn_avg_call_duration

        mn_max_call_duration = self.mn_max_call_duration

        average_call_count_per_hour = self.average_call_count_per_hour

        transfer_call_count = self.transfer_call_count

        transfer_call_duration = self.transfer_call_duration

        average_transfer_call_duration = self.average_transfer_call_duration

        hangup_a_call_count = self.hangup_a_call_count

        hangup_b_call_count = self.hangup_b_call_count

        unique_call_count = self.unique_call_count

        redial_count = self.redial_count

        internal_call_count = self.internal_call_count

        internal_call_duration = self.internal_call_duration

        average_internal_call_duration = self.average_internal_call_duration

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "allCallCount": all_call_count,
                "successCallCount": success_call_count,
                "outgoingCallCount": outgoing_call_count,
                "lostCallCount": lost_call_count,
                "commonCallDuration": common_call_duration,
                "averageCallDuration": average_call_duration,
                "maxCallDuration": max_call_duration,
                "callCountPerDay": call_count_per_day,
                "callCountPerHour": call_count_per_hour,
                "mnAvgCallDuration": mn_avg_call_duration,
                "mnMaxCallDuration": mn_max_call_duration,
                "averageCallCountPerHour": average_call_count_per_hour,
                "transferCallCount": transfer_call_count,
                "transferCallDuration": transfer_call_duration,
                "averageTransferCallDuration": average_transfer_call_duration,
                "hangupACallCount": hangup_a_call_count,
                "hangupBCallCount": hangup_b_call_count,
                "uniqueCallCount": unique_call_count,
                "redialCount": redial_count,
                "internalCallCount": internal_call_count,
                "internalCallDuration": internal_call_duration,
                "averageInternalCallDuration": average_internal_call_duration,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        all_call_count = d.pop("allCallCount")

        success_call_count = d.pop("successCallCount")

        outgoing_call_count = d.pop("outgoingCallCount")

        lost_call_count = d.pop("lostCallCount")

        common_call_duration = d.pop("commonCallDuration")

        average_call_duration = d.pop("averageCallDuration")

        max_call_duration = d.pop("maxCallDuration")

        call_count_per_day = d.pop("callCountPerDay")

        call_count_per_hour = d.pop("callCountPerHour")

        mn_avg_call_duration = d.pop("mnAvgCallDuration")

        mn_max_call_duration = d.pop("mnMaxCallDuration")

        average_call_count_per_hour = d.pop("averageCallCountPerHour")

        transfer_call_count = d.pop("transferCallCount")

        transfer_call_duration = d.pop("transferCallDuration")

        average_transfer_call_duration = d.pop("averageTransferCallDuration")

        hangup_a_call_count = d.pop("hangupACallCount")

        hangup_b_call_count = d.pop("hangupBCallCount")

        unique_call_count = d.pop("uniqueCallCount")

        redial_count = d.pop("redialCount")

        internal_call_count = d.pop("internalCallCount")

        internal_call_duration = d.pop("internalCallDuration")

        average_internal_call_duration = d.pop("averageInternalCallDuration")

        common_statistics = cls(
            all_call_count=all_call_count,
            success_call_count=success_call_count,
            outgoing_call_count=outgoing_call_count,
            lost_call_count=lost_call_count,
            common_call_duration=common_call_duration,
            average_call_duration=average_call_duration,
            max_call_duration=max_call_duration,
            call_count_per_day=call_count_per_day,
            call_count_per_hour=call_count_per_hour,
            mn_avg_call_duration=mn_avg_call_duration,
            mn_max_call_duration=mn_max_call_duration,
            average_call_count_per_hour=average_call_count_per_hour,
            transfer_call_count=transfer_call_count,
            transfer_call_duration=transfer_call_duration,
            average_transfer_call_duration=average_transfer_call_duration,
            hangup_a_call_count=hangup_a_call_count,
            hangup_b_call_count=hangup_b_call_count,
            unique_call_count=unique_call_count,
            redial_count=redial_count,
            internal_call_count=internal_call_count,
            internal_call_duration=internal_call_duration,
            average_internal_call_duration=average_internal_call_duration,
        )

        common_statistics.additional_properties = d
        return common_statistics

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
