"""The exceptions of this client.

    Exception
    ├── ApiError                    an answer that is not the success asked for
    │   ├── BadRequest              400: the Spring body's `message` says what was wrong
    │   ├── Forbidden               403: a Spring body (`Bearer ` prefix, malformed token, ...)
    │   │   ├── TokenExpired        403 {"details": "The token is expired"}
    │   │   └── TokenSuperseded     403 {"details": "The token has already been updated"}
    │   ├── NotFound                404
    │   ├── Refused                 200 with a result code other than SUCCESS: nothing was saved
    │   │   ├── CustomerAlreadyAssigned
    │   │   ├── DuplicateBlackListNumber
    │   │   └── ManagerHandlingAllCustomersAlreadyExists
    │   ├── TokenRefreshFailed      a RefreshingClient could not refresh its pair
    │   └── UnexpectedStatus        a status the spec does not document
    └── (any other documented error status is an ApiError itself: 405, 415, 416)

Every `ApiError` carries `status_code`, `parsed` (the body parsed into its model: `SpringError`,
`TokenExpiredError`, `TokenSupersededError`, a result code, or None), `message`, `content`, the
`request` that was sent and the `response`.

The generated `api.*` functions return documented errors as models and raise only
`UnexpectedStatus` (when `Client.raise_on_unexpected_status` is set) and `TokenRefreshFailed`;
`Tele2Ats` and `AsyncTele2Ats` raise all of them.
"""

from enum import Enum
from typing import Any, ClassVar

import httpx

from .models.blacklist_result_code import BlacklistResultCode
from .models.manager_result_code import ManagerResultCode
from .models.spring_error import SpringError
from .models.token_expired_error import TokenExpiredError
from .models.token_superseded_error import TokenSupersededError

_SHOWN_CONTENT = 200
"""How much of a body without a message goes into an exception's text."""


class ApiError(Exception):
    """An answer of the API that is not the success the caller asked for.

    Attributes:
        status_code: the HTTP status of the answer.
        parsed: the body parsed into its model, or None when it has none the spec documents.
        message: what went wrong: the Spring body's `message`, the token body's `details`, the
            result code, or the start of the body.
        content: the raw body.
        request: the `httpx.Request` that was sent (method, URL, headers).
        response: the `httpx.Response`.
    """

    parsed: object

    def __init__(self, response: httpx.Response, parsed: object = None) -> None:
        self.response = response
        self.request = response.request
        self.status_code = response.status_code
        self.content = response.content
        self.parsed = parsed
        self.message = _message(response, parsed)
        # The path, not the URL: query strings carry phone numbers into logs.
        super().__init__(
            f"{self.request.method} {self.request.url.path} answered HTTP {self.status_code}: {self.message}"
        )


class BadRequest(ApiError):
    """400: the request was malformed; `message` is the Spring body's explanation."""

    parsed: SpringError


class Forbidden(ApiError):
    """403: the token was refused (the API never answers 401)."""

    parsed: SpringError | TokenExpiredError | TokenSupersededError


class TokenExpired(Forbidden):
    """403 `{"details": "The token is expired"}`: refresh the pair (RefreshingClient does)."""

    parsed: TokenExpiredError


class TokenSuperseded(Forbidden):
    """403 `{"details": "The token has already been updated"}`: a newer pair exists."""

    parsed: TokenSupersededError


class NotFound(ApiError):
    """404: no such object (manager, recording, transcript, employee number for click-to-call)."""

    parsed: SpringError


class Refused(ApiError):
    """HTTP 200 whose result code is not SUCCESS: a rule of the PBX refused the change, nothing was saved.

    `code` is the result code (also `parsed`, as its enum).
    """

    code: ClassVar[str]
    parsed: BlacklistResultCode | ManagerResultCode


class CustomerAlreadyAssigned(Refused):
    """The result code `CUSTOMER_ALREADY_ASSIGNED` (ManagerResultCode)."""

    code = "CUSTOMER_ALREADY_ASSIGNED"
    parsed: ManagerResultCode


class DuplicateBlackListNumber(Refused):
    """The result code `DUPLICATE_BLACK_LIST_NUMBER` (BlacklistResultCode)."""

    code = "DUPLICATE_BLACK_LIST_NUMBER"
    parsed: BlacklistResultCode


class ManagerHandlingAllCustomersAlreadyExists(Refused):
    """The result code `MANAGER_HANDLING_ALL_CUSTOMERS_ALREADY_EXISTS` (ManagerResultCode)."""

    code = "MANAGER_HANDLING_ALL_CUSTOMERS_ALREADY_EXISTS"
    parsed: ManagerResultCode


class TokenRefreshFailed(ApiError):
    """Raised by a RefreshingClient when PUT /authorization/refresh/token did not return a new pair.

    Typically 403 with `details` "The token is expired" (the refresh token is older than seven days)
    or "The token has already been updated" (a newer pair was issued, e.g. generated again in the
    web cabinet): a person must then generate a new pair in the web cabinet.

    Attributes:
        details: the server's `details` (or `message`) of the answer, if it had one.
    """

    parsed: SpringError | TokenExpiredError | TokenSupersededError | None

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(response, parse_error_body(response))
        self.details = _details(response)


class UnexpectedStatus(ApiError):
    """An answer with a status code the spec does not document for the operation.

    The generated `api.*` functions raise it when `Client.raise_on_unexpected_status` is True
    (else they return None); `Tele2Ats` and `AsyncTele2Ats` always raise it.
    """

    parsed: None

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(response, None)


REFUSALS: dict[str, type[Refused]] = {
    "CUSTOMER_ALREADY_ASSIGNED": CustomerAlreadyAssigned,
    "DUPLICATE_BLACK_LIST_NUMBER": DuplicateBlackListNumber,
    "MANAGER_HANDLING_ALL_CUSTOMERS_ALREADY_EXISTS": ManagerHandlingAllCustomersAlreadyExists,
}
"""The exception of each result code other than SUCCESS."""

_BY_STATUS: dict[int, type[ApiError]] = {400: BadRequest, 403: Forbidden, 404: NotFound}


def error_for(response: httpx.Response, parsed: object) -> ApiError | None:
    """The exception that an answer parsed by a generated `_parse_response` stands for, or None.

    None for a success; `UnexpectedStatus` for `parsed` None (an undocumented status); the class of
    the token `details`, of the status, or of the refusing result code otherwise.
    """
    if parsed is None:
        return UnexpectedStatus(response)
    if isinstance(parsed, TokenExpiredError):
        return TokenExpired(response, parsed)
    if isinstance(parsed, TokenSupersededError):
        return TokenSuperseded(response, parsed)
    if not response.is_success:
        return _BY_STATUS.get(response.status_code, ApiError)(response, parsed)
    if isinstance(parsed, Enum) and parsed.value in REFUSALS:
        return REFUSALS[parsed.value](response, parsed)
    return None


def parse_error_body(response: httpx.Response) -> SpringError | TokenExpiredError | TokenSupersededError | None:
    """The error model a body matches (a 403 token body, or a Spring body), or None."""
    try:
        body = response.json()
    except ValueError:
        return None
    if not isinstance(body, dict):
        return None
    for model in (TokenExpiredError, TokenSupersededError, SpringError):
        try:
            return model.from_dict(body)
        except (TypeError, ValueError, KeyError, AttributeError):
            continue
    return None


def _details(response: httpx.Response) -> str | None:
    """The `details` or `message` of a JSON body, else the text of a non-JSON one."""
    try:
        body: Any = response.json()
    except ValueError:
        return response.text.strip() or None
    if isinstance(body, dict):
        for key in ("details", "message"):
            if isinstance(body.get(key), str):
                return str(body[key])
    return None


def _message(response: httpx.Response, parsed: object) -> str:
    if isinstance(parsed, SpringError):
        return parsed.message
    if isinstance(parsed, TokenExpiredError | TokenSupersededError):
        return parsed.details.value
    if isinstance(parsed, Enum):
        return str(parsed.value)
    details = _details(response)
    if details:
        return details
    text = response.content[:_SHOWN_CONTENT].decode(errors="replace")
    return text or response.reason_phrase


__all__ = [
    "REFUSALS",
    "ApiError",
    "BadRequest",
    "Forbidden",
    "NotFound",
    "Refused",
    "CustomerAlreadyAssigned",
    "DuplicateBlackListNumber",
    "ManagerHandlingAllCustomersAlreadyExists",
    "TokenExpired",
    "TokenRefreshFailed",
    "TokenSuperseded",
    "UnexpectedStatus",
    "error_for",
    "parse_error_body",
]
