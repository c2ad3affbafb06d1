from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PendingQueue")


@_attrs_define
class PendingQueue:
    """A call-centre queue («КЦ») and the callers waiting in it (guide 5.3).

    Attributes:
        queue_name (str): The queue's name («название КЦ»).
        calls (list[str]): The waiting callers' numbers, in arrival order.
    """

    queue_name: str
    calls: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        queue_name = self.queue_name

        calls = self.calls

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "queueName": queue_name,
                "calls": calls,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        queue_name = d.pop("queueName")

        calls = cast(list[str], d.pop("calls"))

        pending_queue = cls(
            queue_name=queue_name,
            calls=calls,
        )

        pending_queue.additional_properties = d
        return pending_queue

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
