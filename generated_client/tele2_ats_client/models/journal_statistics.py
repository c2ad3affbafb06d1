from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="JournalStatistics")


@_attrs_define
class JournalStatistics:
    """Call counts of one number over a window (guide 5.6.2).

    Attributes:
        start_timestamp (int): Start of the window, Unix seconds.
        end_timestamp (int): End of the window, Unix seconds.
        number_of_calls (int): Calls in the window, allCallCount of GET /statistics/common over the same window and
            number.
        number_of_success_calls (int): Successful calls in the window, successCallCount of GET /statistics/common over
            the same window and number.
        number (str | Unset): The number counted; absent when the whole company is counted (decision D16).
    """

    start_timestamp: int
    end_timestamp: int
    number_of_calls: int
    number_of_success_calls: int
    number: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        start_timestamp = self.start_timestamp

        end_timestamp = self.end_timestamp

        number_of_calls = self.number_of_calls

        number_of_success_calls = self.number_of_success_calls

        number = self.number

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "startTimestamp": start_timestamp,
                "endTimestamp": end_timestamp,
                "numberOfCalls": number_of_calls,
                "numberOfSuccessCalls": number_of_success_calls,
            }
        )
        if number is not UNSET:
            field_dict["number"] = number

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        start_timestamp = d.pop("startTimestamp")

        end_timestamp = d.pop("endTimestamp")

        number_of_calls = d.pop("numberOfCalls")

        number_of_success_calls = d.pop("numberOfSuccessCalls")

        number = d.pop("number", UNSET)

        journal_statistics = cls(
            start_timestamp=start_timestamp,
            end_timestamp=end_timestamp,
            number_of_calls=number_of_calls,
            number_of_success_calls=number_of_success_calls,
            number=number,
        )

        journal_statistics.additional_properties = d
        return journal_statistics

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
