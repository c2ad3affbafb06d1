"""One error hierarchy for the PBX rules; the HTTP layer maps it to the wire in one place.

DomainError                 any refused request
├── InvalidInput            400: a parameter or body is malformed
├── NotFound                404: the named object does not exist in this company
├── Conflict                409: the mock's state forbids it (the clock going back)
├── RangeNotSatisfiable     416: a byte range outside a recording
├── Unavailable             503: the mock is busy resetting; retry after `retry_after` s
└── TokenRejected           403: the token cannot be used
    ├── TokenExpired        403 {"details": "The token is expired"}
    └── TokenSuperseded     403 {"details": "The token has already been updated"}
"""

from __future__ import annotations

__all__ = [
    "TOKEN_EXPIRED_DETAILS",
    "TOKEN_SUPERSEDED_DETAILS",
    "Conflict",
    "DomainError",
    "InvalidInput",
    "NotFound",
    "RangeNotSatisfiable",
    "TokenExpired",
    "TokenRejected",
    "TokenSuperseded",
    "Unavailable",
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
