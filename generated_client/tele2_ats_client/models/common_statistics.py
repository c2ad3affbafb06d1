from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CommonStatistics")


@_attrs_define
class CommonStatistics:
    """Call statistics over a window (guide 5.6.1). Each figure quotes the guide's label; the definitions, in the
    operation's description, are those under which the guide's sample is consistent (decisions D19, D20, D52, D53).

        Attributes:
            all_call_count (int): All calls of the window («общее количество вызовов»): successful + lost + internal.
            success_call_count (int): Answered external calls («кол-во отвеченных вызовов»).
            outgoing_call_count (int): External calls the company placed («количество исходящих вызовов»).
            lost_call_count (int): Unanswered external calls («кол-во неотвеченных вызовов»).
            common_call_duration (int): Conversation seconds of the successful calls, in all («общая длительность вызовов, в
                секундах»).
            average_call_duration (int): floor(commonCallDuration / (allCallCount − lostCallCount)), seconds («средняя
                продолжительность вызова», decision D52).
            max_call_duration (int): The longest conversation of a successful call, seconds («максимальная длительность
                вызова»); equals mnMaxCallDuration.
            call_count_per_day (float): External calls per calendar day (Moscow time) the window touches («количество
                вызовов в день», decision D53).
            call_count_per_hour (float): callCountPerDay / 24 («количество вызовов в час»).
            mn_avg_call_duration (int): floor(commonCallDuration / successCallCount), seconds («средняя длительность
                звонка»).
            mn_max_call_duration (int): The longest conversation of a successful call, seconds («максимальная длительность
                звонка»).
            average_call_count_per_hour (int): floor(callCountPerHour) («среднее кол-во вызовов в час»).
            transfer_call_count (int): Successful calls answered by a forward target («кол-во трансферов»).
            transfer_call_duration (int): Their conversation seconds, in all («общая длительность трансферных вызовов»).
            average_transfer_call_duration (int): floor(transferCallDuration / transferCallCount), seconds («средняя
                длительность трансферных вызовов»).
            hangup_a_call_count (int): Lost calls the caller ended while it rang, CANCELLED_BY_CALLER («кол-во отбоев со
                стороны инициатора вызова», decision D20).
            hangup_b_call_count (int): Lost calls the employee turned down, DESTINATION_BUSY («кол-во отбоев со стороны
                сотрудника», decision D20).
            unique_call_count (int): Distinct callers of the successful calls («общее кол-во уникальных вызовов»).
            redial_count (int): successCallCount − uniqueCallCount: successful calls from a caller already counted («общее
                кол-во повторных вызовов»).
            internal_call_count (int): Calls inside the company, INTERNAL or HIMSELF («общее кол-во вызовов внутри
                компании»).
            internal_call_duration (int): Their conversation seconds, in all («общая длительность вызовов внутри компании»).
            average_internal_call_duration (int): floor(internalCallDuration / internalCallCount), seconds («средняя
                длительность вызовов внутри компании»).
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
