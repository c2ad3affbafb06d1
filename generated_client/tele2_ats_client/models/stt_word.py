from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.stt_word_channel import SttWordChannel

T = TypeVar("T", bound="SttWord")


@_attrs_define
class SttWord:
    """One word of a transcript (guide 5.7.3).

    Attributes:
        channel (SttWordChannel): The author of the phrase, `A` the caller, `B` the callee.
        start_time (float): Start, seconds from the start of the recording.
        end_time (float): End, seconds from the start of the recording.
        word (str): The word («Фраза»).
    """

    channel: SttWordChannel
    start_time: float
    end_time: float
    word: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        channel = self.channel.value

        start_time = self.start_time

        end_time = self.end_time

        word = self.word

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "channel": channel,
                "startTime": start_time,
                "endTime": end_time,
                "word": word,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        channel = SttWordChannel(d.pop("channel"))

        start_time = d.pop("startTime")

        end_time = d.pop("endTime")

        word = d.pop("word")

        stt_word = cls(
            channel=channel,
            start_time=start_time,
            end_time=end_time,
            word=word,
        )

        stt_word.additional_properties = d
        return stt_word

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
