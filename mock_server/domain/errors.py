"""One error hierarchy for the PBX rules; the HTTP layer maps it to the wire in one place.

DomainError                 any refused request
├── InvalidInput            400: a parameter or body is malformed
│   └── DocumentRefused     400 (409): a document (a tenant file) with its problems, each where
│                           it is (`Problem`)
├── NotFound                404: the named object does not exist in this company
├── Conflict                409: the mock's state forbids it (the clock going back)
├── RangeNotSatisfiable     416: a byte range outside a recording
├── Unavailable             503: the mock is busy resetting; retry after `retry_after` s
└── TokenRejected           403: the token cannot be used
    ├── TokenExpired        403 {"details": "The token is expired"}
    └── TokenSuperseded     403 {"details": "The token has already been updated"}
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "TOKEN_EXPIRED_DETAILS",
    "TOKEN_SUPERSEDED_DETAILS",
    "Conflict",
    "DocumentRefused",
    "DomainError",
    "InvalidInput",
    "NotFound",
    "Problem",
    "RangeNotSatisfiable",
    "TokenExpired",
    "TokenRejected",
    "TokenSuperseded",
    "Unavailable",
    "pointer_of",
]

TOKEN_EXPIRED_DETAILS = "The token is expired"
TOKEN_SUPERSEDED_DETAILS = "The token has already been updated"


class DomainError(Exception):
    """A request the PBX refuses; `status` is the HTTP status it maps to."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(DomainError):
    status = 400


def pointer_of(key: str | int) -> str:
    """The JSON pointer step (RFC 6901) of a member name or an index: `/name`."""
    return "/" + str(key).replace("~", "~0").replace("/", "~1")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a document: where (a JSON pointer; line and column in the file
    when known, both from 1) and what."""

    pointer: str
    message: str
    line: int | None = None
    column: int | None = None

    def to_json(self) -> dict[str, Any]:
        shown: dict[str, Any] = {"pointer": self.pointer}
        if self.line is not None:
            shown["line"] = self.line
            shown["column"] = self.column
        shown["detail"] = self.message
        return shown

    def __str__(self) -> str:
        where = self.pointer or "/"
        if self.line is not None:
            where += f" (line {self.line}, column {self.column})"
        return f"{where}: {self.message}"


class DocumentRefused(InvalidInput):
    """A document refused with every problem found in it (at most the first `problems`; `total`
    counts them all). `status` is 400 when the document's schema refuses it, 409 when only a
    rule the schema cannot state does (two objects with one id, a reference to nothing)."""

    def __init__(
        self, what: str, problems: Sequence[Problem], total: int, status: int = 400
    ) -> None:
        count = f"{total} problem{'s' if total != 1 else ''}"
        first = "; ".join(str(p) for p in problems[:3])
        more = "; ..." if total > 3 else ""
        super().__init__(f"{what}: {count}: {first}{more}")
        self.problems = tuple(problems)
        self.total = total
        self.status = status


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class Unavailable(DomainError):
    status = 503

    def __init__(self, message: str, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RangeNotSatisfiable(DomainError):
    status = 416

    def __init__(self, message: str, size: int) -> None:
        super().__init__(message)
        self.size = size


class TokenRejected(DomainError):
    """403 with the Spring-style body; `message` tells the developer what is wrong."""

    status = 403
    details: str | None = None


class TokenExpired(TokenRejected):
    details = TOKEN_EXPIRED_DETAILS


class TokenSuperseded(TokenRejected):
    details = TOKEN_SUPERSEDED_DETAILS
