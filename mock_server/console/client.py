"""The console's client of the mock's two APIs, in-process through the very app it is part of.

Every request goes through the whole app (reset gate, validation, error rendering) as a
request from outside would, so the console can never show what the API would not answer. It
reads the documented API as a user of its own (`CONSOLE_USER_ID`, login `console`) in each
company, so opening the console never supersedes the pair a CRM under test is using; it issues
that user a new pair whenever the API refuses the old one (expired by the mock clock,
superseded, or killed by a reset). Its requests carry `CONSOLE_HEADER`, so that a journal of
what clients sent can leave them out, and the control API's `CONTROL_HEADER`, as any client of
it that changes the mock without a JSON body does (mock_server/http/guard.py).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import httpx
from starlette.types import ASGIApp

from mock_server.testing.control import CONTROL_HEADER

__all__ = [
    "API_PREFIX",
    "CONSOLE_HEADER",
    "CONSOLE_LOGIN",
    "CONSOLE_USER_ID",
    "CONTROL_PREFIX",
    "Answer",
    "ApiError",
    "ConsoleClient",
]

CONSOLE_HEADER: Final = "X-Mock-Console"
CONSOLE_USER_ID: Final = 999_999_999
CONSOLE_LOGIN: Final = "console"
API_PREFIX: Final = "/crm/openapi"
CONTROL_PREFIX: Final = "/mock"
# In-process: the host is a name only, never resolved.
_BASE_URL: Final = "http://mock.console"
MSG_NOT_BOUND = "the console is not attached to a mock app yet"


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer of either API."""

    method: str
    path: str
    status: int
    headers: httpx.Headers
    content: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def json(self) -> Any:
        return json.loads(self.content) if self.content else None

    @property
    def message(self) -> str:
        """What the answer says went wrong: problem+json's `detail`, a Spring body's
        `message`, a token refusal's `details`, or the body as text."""
        try:
            body = self.json()
        except ValueError:
            body = None
        if isinstance(body, dict):
            for key in ("detail", "message", "details", "title"):
                if isinstance(body.get(key), str) and body[key]:
                    return str(body[key])
        text = self.content.decode("utf-8", "replace").strip()
        return text[:300] or f"HTTP {self.status}"


class ApiError(Exception):
    """An answer that is not a success, with what the API said."""

    def __init__(self, answer: Answer) -> None:
        super().__init__(f"{answer.method} {answer.path}: {answer.status} {answer.message}")
        self.answer = answer

    @property
    def status(self) -> int:
        return self.answer.status

    @property
    def message(self) -> str:
        return self.answer.message


class ConsoleClient:
    """Requests to the mock app it is bound to (`bind`), answered in-process.

    Example::

        client = ConsoleClient()
        client.bind(app)  # the app the console is mounted in
        clock = (await client.control("GET", "/clock")).json()
        calls = (await client.api(391, "GET", "/monitoring/calls")).json()
    """

    def __init__(self) -> None:
        self._app: ASGIApp | None = None
        self._http: httpx.AsyncClient | None = None
        self._tokens: dict[int, str] = {}
        self._specs: dict[str, dict[str, Any]] = {}

    def bind(self, app: ASGIApp) -> None:
        self._app = app
        self._http = None

    def _client(self) -> httpx.AsyncClient:
        if self._app is None:
            raise RuntimeError(MSG_NOT_BOUND)
        if self._http is None:
            self._http = httpx.AsyncClient(
                transport=httpx.ASGITransport(app=self._app, client=("127.0.0.1", 0)),
                base_url=_BASE_URL,
                headers={
                    CONSOLE_HEADER: "1",
                    CONTROL_HEADER: "1",
                    "User-Agent": "tele2-ats-mock-console",
                },
                trust_env=False,
                timeout=None,
            )
        return self._http

    async def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Answer:
        response = await self._client().request(
            method,
            path,
            params=params,
            json=json_body,
            headers=dict(headers or {}),
        )
        return Answer(method, path, response.status_code, response.headers, response.content)

    async def control(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        params: Mapping[str, str] | None = None,
        check: bool = True,
    ) -> Answer:
        """A request to the control API (`/mock` + `path`); ApiError unless 2xx (`check`)."""
        answer = await self._send(method, CONTROL_PREFIX + path, params=params, json_body=body)
        if check and not answer.ok:
            raise ApiError(answer)
        return answer

    async def api(
        self,
        company_id: int,
        method: str,
        path: str,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        *,
        check: bool = True,
    ) -> Answer:
        """A request to the documented API (`/crm/openapi` + `path`) as the console's user of
        `company_id`; on a 403 it takes a new pair and tries once more."""
        for attempt in (1, 2):
            token = self._tokens.get(company_id)
            if token is None:
                token = await self._issue(company_id)
            answer = await self._send(
                method,
                API_PREFIX + path,
                params=params,
                headers={**(headers or {}), "Authorization": token},
            )
            if answer.status != 403 or attempt == 2:
                break
            self._tokens.pop(company_id, None)
        if check and not answer.ok:
            raise ApiError(answer)
        return answer

    async def _issue(self, company_id: int) -> str:
        pair = (
            await self.control(
                "POST",
                "/tokens",
                {"companyId": company_id, "userId": CONSOLE_USER_ID, "login": CONSOLE_LOGIN},
            )
        ).json()
        token = str(pair["accessToken"])
        self._tokens[company_id] = token
        return token

    async def spec(self, prefix: str) -> dict[str, Any]:
        """The OpenAPI document the mock serves under `prefix` (`API_PREFIX` or
        `CONTROL_PREFIX`): how the console learns the operations and the capabilities of this
        mock. Read once; ApiError while it is not served (a reset), and then asked again."""
        spec = self._specs.get(prefix)
        if spec is None:
            answer = await self._send("GET", prefix + "/openapi.json")
            body = answer.json() if answer.ok else None
            if not isinstance(body, dict):
                raise ApiError(answer)
            spec = self._specs[prefix] = body
        return spec

    async def has_control(self, path: str) -> bool:
        """Whether the control API's own spec (`GET /mock/openapi.json`) has `path`."""
        try:
            spec = await self.spec(CONTROL_PREFIX)
        except ApiError:
            return False  # asked again next time: the spec may be served once a reset ends
        return path in spec.get("paths", {})
