from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SpringError")


@_attrs_define
class SpringError:
    """The Spring Boot error body the service sends for every error other than the two token `details` bodies (decision
    D13).

        Attributes:
            timestamp (datetime.datetime):
            status (int): The HTTP status, repeated.
            error (str): The HTTP reason phrase (`Bad Request`, `Forbidden`, ...).
            message (str): What was wrong, for a developer to read.
            path (str): The request path.
    """

    timestamp: datetime.datetime
    status: int
    error: str
    message: str
    path: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        timestamp = self.timestamp.isoformat()

        status = self.status

        error = self.error

        message = self.message

        path = self.path

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "timestamp": timestamp,
                "status": status,
                "error": error,
                "message": message,
                "path": path,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        status = d.pop("status")

        error = d.pop("error")

        message = d.pop("message")

        path = d.pop("path")

        spring_error = cls(
            timestamp=timestamp,
            status=status,
            error=error,
            message=message,
            path=path,
        )

        spring_error.additional_properties = d
        return spring_error

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
