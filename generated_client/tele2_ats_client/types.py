"""Contains some shared types for properties"""

import datetime
from collections.abc import Mapping, MutableMapping
from enum import Enum
from http import HTTPStatus
from typing import IO, BinaryIO, Final, Generic, Literal, TypeVar

from attrs import define


class Unset:
    """The value of an optional field or parameter that is absent: not sent, or not in the answer.

    There is one instance, `UNSET`; it is falsy and prints as `UNSET`. `if employee.full_number:`
    narrows `str | Unset` to `str` for mypy, as `isinstance(value, Unset)` does.
    """

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Unset = Unset()


class Ok(Enum):
    """The answer of an operation whose documented success has no body (click-to-call, deleting a
    manager): `sync()` and `asyncio()` return `OK` then, and `None` only for an undocumented status:
    `if initiate_call.sync(client=client, source=..., destination=...) is OK: ...`
    """

    OK = "OK"

    def __repr__(self) -> str:
        return "OK"


OK: Final = Ok.OK
"""The only `Ok`."""


def require_offset(value: "datetime.datetime | Unset", name: str) -> None:
    """Refuse a naive datetime: it would be sent without an offset, which the API refuses as no
    `date-time` (`'2026-03-01T00:00:00' is not a 'date-time'`) or, worse, reads in a zone nobody
    chose."""
    if isinstance(value, datetime.datetime) and value.utcoffset() is None:
        raise ValueError(
            f"{name}={value!r} has no UTC offset, and the API needs one (it would be sent as "
            f"{value.isoformat()!r}): pass an aware datetime, e.g. "
            f"{name}=datetime.datetime({value.year}, {value.month}, {value.day}, "
            'tzinfo=zoneinfo.ZoneInfo("Europe/Moscow")), or value.replace(tzinfo=datetime.UTC)'
        )


# The types that `httpx.Client(files=)` can accept, copied from that library.
FileContent = IO[bytes] | bytes | str
FileTypes = (
    # (filename, file (or bytes), content_type)
    tuple[str | None, FileContent, str | None]
    # (filename, file (or bytes), content_type, headers)
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)
RequestFiles = list[tuple[str, FileTypes]]


@define
class File:
    """Contains information for file uploads"""

    payload: BinaryIO
    file_name: str | None = None
    mime_type: str | None = None

    def to_tuple(self) -> FileTypes:
        """Return a tuple representation that httpx will accept for multipart/form-data"""
        return self.file_name, self.payload, self.mime_type


T = TypeVar("T")


@define
class Response(Generic[T]):
    """A response from an endpoint"""

    status_code: HTTPStatus
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T | None


__all__ = ["OK", "UNSET", "File", "FileTypes", "Ok", "RequestFiles", "Response", "Unset"]
