"""A mock whose answers a test can break one at a time, to prove a custom check fails.

`Tamper` is an ASGI wrapper around the in-process mock that can rewrite a request's scope
(e.g. hand the server another token than the one sent) and the whole answer (status, headers,
body). `bench(...)` gives a schema whose app is the tampered mock, its auth bound to the real
mock's tokens, and `Bench.failure` runs one request through one check, through Schemathesis's
own `validate_response`, and returns the failure message (the test fails if the check passed).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Final

import pytest
import schemathesis
from schemathesis.core.failures import FailureGroup
from starlette.testclient import TestClient
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contract_tests.checks import bind_environment
from contract_tests.mock.harness import OTHER_COMPANY, Target, mock_environment
from contract_tests.mockctl import MockControl
from contract_tests.settings import profile
from mock_server.http.app import create_app
from mock_server.real.tokens import claims_of
from tests.pinned import PINNED_NOW, pinned_config

__all__ = [
    "API",
    "CONTROL",
    "OTHER_COMPANY",
    "USER",
    "WINDOW",
    "Answer",
    "Bench",
    "Tamper",
    "bench",
    "company_in",
    "control_token",
    "json_answer",
    "on",
    "recorded_name",
    "rewrite_json",
    "rewrite_query",
    "with_token",
]

PROFILE = profile()
APP = create_app(config=pinned_config(seed=5, history_days=3, calls_per_day=40))
CONTROL = MockControl(TestClient(APP))
API: Final = "/crm/openapi"
Answer = tuple[int, list[tuple[bytes, bytes]], bytes]
ResponseTamper = Callable[[Scope, Answer], Answer]
RequestTamper = Callable[[Scope], Scope]


class Tamper:
    """An ASGI wrapper that can rewrite the request's scope and the whole answer."""

    def __init__(
        self,
        app: ASGIApp,
        response: ResponseTamper | None = None,
        request: RequestTamper | None = None,
    ) -> None:
        self.app = app
        self.response = response
        self.request = request

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sent = scope
        if self.request is not None:
            scope = self.request(scope)
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        answer: Answer = (start["status"], list(start.get("headers", [])), b"".join(chunks))
        if self.response is not None:
            # The response tamper sees the request as the client sent it.
            answer = self.response(sent, answer)
        status, headers, body = answer
        headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def json_answer(status: int, body: Any, headers: list[tuple[bytes, bytes]] | None = None) -> Answer:
    kept = [(k, v) for k, v in (headers or []) if k.lower() != b"content-type"]
    return status, [*kept, (b"content-type", b"application/json")], json.dumps(body).encode()


def on(path: str, change: Callable[[Scope, Answer], Answer]) -> ResponseTamper:
    """`change` applied to the answers of `path` (of the documented API) only."""

    def tamper(scope: Scope, answer: Answer) -> Answer:
        return change(scope, answer) if scope["path"] == API + path else answer

    return tamper


def rewrite_json(path: str, edit: Callable[[Any], Any]) -> ResponseTamper:
    """The JSON body of every 200 of `path` passed through `edit`."""

    def change(scope: Scope, answer: Answer) -> Answer:
        status, headers, body = answer
        if status != 200:
            return answer
        return json_answer(status, edit(json.loads(body)), headers)

    return on(path, change)


def rewrite_query(path: str, old: str, new: str) -> RequestTamper:
    """A server that reads `new` where the client sent `old` in the query of `path` (so it
    answers a request the client never made)."""

    def tamper(scope: Scope) -> Scope:
        if scope["path"] != API + path:
            return scope
        query: bytes = scope["query_string"]
        return {**scope, "query_string": query.replace(old.encode(), new.encode())}

    return tamper


def company_in(scope: Scope) -> int | None:
    """The company of the token a request carries."""
    token = dict(scope["headers"]).get(b"authorization", b"").decode()
    details = claims_of(token).get("UserDetailsImpl")
    company = details.get("companyId") if isinstance(details, dict) else None
    return company if isinstance(company, int) else None


def with_token(token: Callable[[], str], *paths: str) -> RequestTamper:
    """A server that reads every request (of `paths`, or all) as if it carried `token`: it
    ignores whose token was sent."""

    def tamper(scope: Scope) -> Scope:
        if paths and scope["path"] not in {API + p for p in paths}:
            return scope
        headers = [(k, v) for k, v in scope["headers"] if k != b"authorization"]
        return {**scope, "headers": [*headers, (b"authorization", token().encode())]}

    return tamper


@dataclass
class Bench:
    """A schema whose app is the mock behind `Tamper`, its auth bound to the real mock."""

    target: Target

    def run(
        self, method: str, path: str, *, authorize: bool = True, **kwargs: Any
    ) -> tuple[schemathesis.Case[Any], schemathesis.Response]:
        operation = self.target.schema[path][method]
        case = operation.Case(**kwargs)
        if authorize:
            self.target.schema.auth.set(
                case, schemathesis.AuthContext(operation=operation, app=self.target.schema.app)
            )
        return case, case.call()

    def failure(self, check: Any, method: str, path: str, **kwargs: Any) -> str:
        """Run one request and only `check`; return its failure message (fail if it passed)."""
        case, response = self.run(method, path, **kwargs)
        with pytest.raises(FailureGroup) as raised:
            case.validate_response(response, checks=[check])
        return "\n".join(str(failure) for failure in raised.value.exceptions)

    def passes(self, check: Any, method: str, path: str, **kwargs: Any) -> None:
        case, response = self.run(method, path, **kwargs)
        case.validate_response(response, checks=[check])


# One pair for every bench: a new pair for the same user would supersede the last one.
USER = CONTROL.token_manager()


def bench(response: ResponseTamper | None = None, request: RequestTamper | None = None) -> Bench:
    target = Target.create(PROFILE, examples=1, app=Tamper(APP, response=response, request=request))
    target.binding.bind(USER)
    bind_environment(target.schema, mock_environment(CONTROL))
    return Bench(target)


WINDOW = {
    "start": (PINNED_NOW - timedelta(days=4)).isoformat(),
    "end": (PINNED_NOW + timedelta(days=1)).isoformat(),
}


def recorded_name() -> str:
    _, response = bench().run(
        "GET", "/call-records/info", query={**WINDOW, "is_recorded": True, "size": 1}
    )
    name: str = response.json()[0]["recordFileName"]
    return name


@functools.cache
def control_token() -> str:
    """An access token of company 391, of a user of its own (the clock of this mock never
    moves, so it stays valid and is never superseded)."""
    return CONTROL.issue(user_id=7099).pair.access_token
