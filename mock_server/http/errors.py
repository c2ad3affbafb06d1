"""The one place where errors become HTTP answers.

The documented API (`/crm/openapi`) answers like the real Spring Boot service: token failures
with `{"details": ...}`, everything else with `{timestamp, status, error, message, path}`.
The mock's own control API (`/mock`) answers RFC 9457 problem+json.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

from connexion.exceptions import ProblemException
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from mock_server.domain.errors import (
    DocumentRefused,
    DomainError,
    RangeNotSatisfiable,
    TokenRejected,
    Unavailable,
)
from mock_server.spec_index import HTTP_METHODS, SpecIndex
from mock_server.specs import admin_index, api_index

__all__ = [
    "ADMIN_PREFIX",
    "API_PREFIX",
    "EXPECTED_ERRORS",
    "ErrorRenderer",
    "RefusePathControlCharacters",
    "spring_body",
]

API_PREFIX = "/crm/openapi"
ADMIN_PREFIX = "/mock"
_log = logging.getLogger(__name__)
MSG_CONTROL_CHARACTER = (
    "Request path: a path may not hold control characters (such as a newline), got {path!r}"
)
_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")
MSG_NOT_UTF8 = (
    "Request body: expected UTF-8 JSON, got a byte that is not UTF-8 ({reason} at {position})"
)
_DEFAULT_MESSAGES = {
    404: "No operation at this path: see {prefix}/ui/ for the operations",
    405: "Method {method} is not allowed on this path; allowed: {allow}",
}


# The longest message an answer carries; longer ones (an echoed header, say) are cut.
MAX_MESSAGE_LENGTH = 500


def _bounded(message: str) -> str:
    if len(message) <= MAX_MESSAGE_LENGTH:
        return message
    return message[: MAX_MESSAGE_LENGTH - 3] + "..."


def spring_body(status: int, message: str, path: str, now: datetime) -> dict[str, Any]:
    now = now.astimezone(UTC)
    return {
        "timestamp": now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}+00:00",
        "status": status,
        "error": HTTPStatus(status).phrase,
        "message": message,
        "path": path,
    }


# The errors that are answers, each with its own status; any other exception is a bug (500).
# UnicodeDecodeError: Connexion decodes a JSON body without catching it; a 400, not a 500.
EXPECTED_ERRORS = (DomainError, ProblemException, HTTPException, UnicodeDecodeError)


def _status_and_message(exc: Exception) -> tuple[int, str, dict[str, str]]:
    headers: dict[str, str] = {}
    if isinstance(exc, DomainError):
        if isinstance(exc, RangeNotSatisfiable):
            headers["Content-Range"] = f"bytes */{exc.size}"
        if isinstance(exc, Unavailable):
            headers["Retry-After"] = str(exc.retry_after)
        return exc.status, exc.message, headers
    if isinstance(exc, ProblemException):
        message = exc.detail or exc.title or HTTPStatus(exc.status).phrase
        return exc.status, _first_line(str(message)), dict(exc.headers or {})
    if isinstance(exc, HTTPException):
        return exc.status_code, str(exc.detail or ""), dict(exc.headers or {})
    if isinstance(exc, UnicodeDecodeError):
        # Connexion's JSON body validator decodes the body without catching this.
        return 400, MSG_NOT_UTF8.format(reason=exc.reason, position=exc.start), headers
    return 500, "Internal error of the mock", headers


def _first_line(message: str) -> str:
    # jsonschema's messages carry the whole schema after a blank line; the first line says it.
    return message.split("\n\n", 1)[0].strip()


def _prefix(path: str) -> str:
    return ADMIN_PREFIX if path.startswith(ADMIN_PREFIX + "/") else API_PREFIX


class ErrorRenderer:
    """Turns errors into answers: the real service's shapes under the documented API,
    problem+json under the control API. `now` dates the Spring bodies by the mock clock.

    `render(request, exc)` is Connexion's error handler; `send(...)` answers from a middleware,
    before any routing.
    """

    def __init__(
        self, now: Callable[[], datetime], specs: Mapping[str, SpecIndex] | None = None
    ) -> None:
        self.now = now
        # The specs served under each prefix (default: the mock's own), for `Allow`.
        self._specs = specs

    def _allowed_methods(self, path: str) -> str | None:
        """Every method the spec declares at `path`, for `Allow` (RFC 9110 section 10.2.1).

        Connexion routes each operation separately and Starlette answers 405 with the methods
        of the first route whose path matches: `/managers` (GET, POST, PUT) said `Allow: GET,
        HEAD`.
        """
        prefix = _prefix(path)
        specs = self._specs or {API_PREFIX: api_index(), ADMIN_PREFIX: admin_index()}
        index = specs.get(prefix)
        if index is None or not path.startswith(prefix + "/"):
            return None
        declared = index.methods_at(path[len(prefix) :])
        if declared is None:
            return None
        if "GET" in declared:
            declared += ("HEAD",)  # the framework answers HEAD wherever GET is routed
        return ", ".join(method for method in HTTP_METHODS if method in declared)

    def render(self, request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
        status, message, headers = _status_and_message(exc)
        if not isinstance(exc, EXPECTED_ERRORS):
            # A bug of the mock: answered in the API's own shape, with its cause in the log.
            _log.error("%s %s: %r", request.method, request.url.path, exc, exc_info=exc)
        if status == 405:
            allow = self._allowed_methods(request.url.path)
            if allow is not None:
                headers = {k: v for k, v in headers.items() if k.lower() != "allow"}
                headers["Allow"] = allow
        if not isinstance(exc, DomainError) and status in _DEFAULT_MESSAGES:
            # Routing's own 404/405 wording differs between Starlette and Flask; say it one way.
            message = _DEFAULT_MESSAGES[status].format(
                prefix=_prefix(request.url.path),
                method=request.method,
                allow=headers.get("Allow", headers.get("allow", "")),
            )
        path = request.url.path
        if (
            isinstance(exc, TokenRejected)
            and exc.details is not None
            and _prefix(path) == API_PREFIX
        ):
            body, content_type = _encode({"details": exc.details}), "application/json"
        else:
            extra = None
            if isinstance(exc, DocumentRefused):
                extra = {
                    "problems": exc.total,
                    "errors": [problem.to_json() for problem in exc.problems],
                }
            body, content_type = self.body(
                status, message or HTTPStatus(status).phrase, path, extra
            )
        return ConnexionResponse(
            status_code=status, body=body, content_type=content_type, headers=headers
        )

    def body(
        self, status: int, message: str, path: str, extra: Mapping[str, Any] | None = None
    ) -> tuple[bytes, str]:
        """The error body and media type of `path`'s API: problem+json under /mock (with
        `extra` members: a refused tenant file's `errors`), else Spring."""
        message = _bounded(message)
        if _prefix(path) == ADMIN_PREFIX:
            problem = {
                "type": "about:blank",
                "title": HTTPStatus(status).phrase,
                "status": status,
                "detail": message,
                "instance": path,
                **(extra or {}),
            }
            return _encode(problem), "application/problem+json"
        return _encode(spring_body(status, message, path, self.now())), "application/json"

    async def send_failure(self, send: Send, method: str, path: str, exc: Exception) -> None:
        """Answer a failure a middleware met as `render` answers one: a bug of the mock is a
        500 in the API's own shape, with its cause in the log."""
        _log.error("%s %s: %r", method, path, exc, exc_info=exc)
        status, message, headers = _status_and_message(exc)
        await self.send(send, status, message, path, headers)

    async def send(
        self,
        send: Send,
        status: int,
        message: str,
        path: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Answer with the error from an ASGI middleware."""
        body, content_type = self.body(status, message, path)
        raw = [
            (b"content-type", content_type.encode()),
            (b"content-length", str(len(body)).encode()),
            *((k.lower().encode(), v.encode()) for k, v in (headers or {}).items()),
        ]
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": body})


def _encode(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode()


class RefusePathControlCharacters:
    """400 for a request path holding a control character, before any routing.

    Starlette's router does not route a path parameter holding a newline (404, "no operation
    at this path"), while Flask's does, outside Connexion's operation context (500). Either
    way the request is malformed: it is refused here, in the documented API's error shape.
    """

    def __init__(self, app: ASGIApp, renderer: ErrorRenderer) -> None:
        self.app = app
        self.renderer = renderer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not _CONTROL_CHARACTER.search(path):
            await self.app(scope, receive, send)
            return
        await self.renderer.send(send, 400, MSG_CONTROL_CHARACTER.format(path=path), path)
