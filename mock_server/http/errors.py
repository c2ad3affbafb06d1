"""The one place where errors become HTTP answers.

The documented API (`/crm/openapi`) answers like the real Spring Boot service: token failures
with `{"details": ...}`, everything else with `{timestamp, status, error, message, path}`.
The mock's own control API (`/mock`) answers RFC 9457 problem+json.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

from connexion.exceptions import ProblemException
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from starlette.exceptions import HTTPException

from mock_server.domain.errors import DomainError, RangeNotSatisfiable, TokenRejected

__all__ = ["ADMIN_PREFIX", "API_PREFIX", "render_error", "spring_body"]

API_PREFIX = "/crm/openapi"
ADMIN_PREFIX = "/mock"
_DEFAULT_MESSAGES = {
    404: "No operation at this path: see {prefix}/ui/ for the operations",
    405: "Method {method} is not allowed on this path; allowed: {allow}",
}


def spring_body(status: int, message: str, path: str) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "timestamp": now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}+00:00",
        "status": status,
        "error": HTTPStatus(status).phrase,
        "message": message,
        "path": path,
    }


def _status_and_message(exc: Exception) -> tuple[int, str, dict[str, str]]:
    headers: dict[str, str] = {}
    if isinstance(exc, DomainError):
        if isinstance(exc, RangeNotSatisfiable):
            headers["Content-Range"] = f"bytes */{exc.size}"
        return exc.status, exc.message, headers
    if isinstance(exc, ProblemException):
        message = exc.detail or exc.title or HTTPStatus(exc.status).phrase
        return exc.status, _first_line(str(message)), dict(exc.headers or {})
    if isinstance(exc, HTTPException):
        return exc.status_code, str(exc.detail or ""), dict(exc.headers or {})
    return 500, "Internal error of the mock", headers


def _first_line(message: str) -> str:
    # jsonschema's messages carry the whole schema after a blank line; the first line says it.
    return message.split("\n\n", 1)[0].strip()


def _prefix(path: str) -> str:
    return ADMIN_PREFIX if path.startswith(ADMIN_PREFIX + "/") else API_PREFIX


def render_error(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    status, message, headers = _status_and_message(exc)
    if not isinstance(exc, DomainError) and status in _DEFAULT_MESSAGES:
        # Routing's own 404/405 wording differs between Starlette and Flask; say it one way.
        message = _DEFAULT_MESSAGES[status].format(
            prefix=_prefix(request.url.path),
            method=request.method,
            allow=headers.get("Allow", headers.get("allow", "")),
        )
    path = request.url.path
    if _prefix(path) == ADMIN_PREFIX:
        body: dict[str, Any] = {
            "type": "about:blank",
            "title": HTTPStatus(status).phrase,
            "status": status,
            "detail": message,
            "instance": path,
        }
        content_type = "application/problem+json"
    elif isinstance(exc, TokenRejected) and exc.details is not None:
        body = {"details": exc.details}
        content_type = "application/json"
    else:
        body = spring_body(status, message or HTTPStatus(status).phrase, path)
        content_type = "application/json"
    return ConnexionResponse(
        status_code=status,
        body=json.dumps(body, ensure_ascii=False).encode(),
        content_type=content_type,
        headers=headers,
    )
