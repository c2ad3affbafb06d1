"""Fakes for the client tests: a recording MockTransport handler and a token-checking server."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import httpx
from tele2_ats_client import LOCAL_MOCK_BASE_URL, AuthenticatedClient, RefreshingClient, TokenPair
from tele2_ats_client.client import REFRESH_PATH

BASE_URL = LOCAL_MOCK_BASE_URL
ACCESS = "eyJhbGciOiJIUzUxMiJ9.access.token"
REFRESH = "eyJhbGciOiJIUzUxMiJ9.refresh.token"

EXPIRED: dict[str, Any] = {"details": "The token is expired"}
SUPERSEDED: dict[str, Any] = {"details": "The token has already been updated"}


def spring_error(status: int, message: str, path: str = "/crm/openapi/employees") -> dict[str, Any]:
    return {
        "timestamp": "2026-03-13T07:00:00.000+00:00",
        "status": status,
        "error": "Forbidden" if status == 403 else "Error",
        "message": message,
        "path": path,
    }


def show(response: httpx.Response) -> str:
    """A response for an assertion message."""
    request = response.request
    return f"{request.method} {request.url} -> {response.status_code} {response.text!r}"


class Recorder:
    """A MockTransport handler that records every request and answers with `answer`."""

    def __init__(self, answer: httpx.Response | Callable[[httpx.Request], httpx.Response]) -> None:
        self.answer = answer
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if isinstance(self.answer, httpx.Response):
            return httpx.Response(
                self.answer.status_code, headers=self.answer.headers, content=self.answer.content
            )
        return self.answer(request)

    @property
    def last(self) -> httpx.Request:
        assert self.requests, "no request was sent"
        return self.requests[-1]


def static_client(handler: Callable[[httpx.Request], Any], **kwargs: Any) -> AuthenticatedClient:
    transport = httpx.MockTransport(handler)
    return AuthenticatedClient(
        base_url=BASE_URL, token=ACCESS, httpx_args={"transport": transport}, **kwargs
    )


class FakeTokenServer:
    """Plays the API's token rules for one company.

    Pair N is (`access-N`, `refresh-N`); pair 0 is the client's, its access token already
    expired. A refresh with the current refresh token issues pair N+1 and kills pair N: its tokens
    then answer 403 "The token has already been updated". `answer` serves the other requests
    that carry the current access token.
    """

    def __init__(self, answer: Callable[[httpx.Request], httpx.Response] | None = None) -> None:
        self.generation = 0
        self.expired: set[str] = {"access-0"}
        self.refresh_expired = False
        self.refresh_status: int | None = None  # force this status on refresh
        self.refresh_calls = 0
        self.requests: list[httpx.Request] = []  # copies, as received
        self.answer = answer or (lambda request: httpx.Response(200, json=[]))
        self.on_refresh: Callable[[], None] | None = None  # runs before a refresh is answered
        self._lock = threading.Lock()

    @property
    def pair(self) -> TokenPair:
        return TokenPair(
            access_token=f"access-{self.generation}", refresh_token=f"refresh-{self.generation}"
        )

    def client(
        self, handler: Callable[[httpx.Request], Any] | None = None, **kwargs: Any
    ) -> RefreshingClient:
        """A RefreshingClient holding pair 0, talking to this server (through `handler`)."""
        return RefreshingClient(
            base_url=BASE_URL,
            access_token="access-0",
            refresh_token="refresh-0",
            httpx_args={"transport": httpx.MockTransport(handler or self)},
            **kwargs,
        )

    def __call__(self, request: httpx.Request) -> httpx.Response:
        # A retry re-sends the same Request object with a new header: keep a copy as received.
        copy = httpx.Request(
            request.method, request.url, headers=request.headers, content=request.content
        )
        with self._lock:
            self.requests.append(copy)
        token = request.headers.get("Authorization", "")
        if request.method == "PUT" and request.url.path.endswith(REFRESH_PATH):
            if self.on_refresh is not None:
                hook, self.on_refresh = self.on_refresh, None
                hook()
            return self._refresh(token)
        with self._lock:
            current = self.pair.access_token
        if token == current and token not in self.expired:
            return self.answer(request)
        if token in self.expired:
            return httpx.Response(403, json=EXPIRED)
        if token.startswith("access-"):
            return httpx.Response(403, json=SUPERSEDED)
        return httpx.Response(403, json=spring_error(403, f"Malformed token {token!r}"))

    def _refresh(self, token: str) -> httpx.Response:
        with self._lock:
            if self.refresh_status is not None:
                return httpx.Response(self.refresh_status, json=spring_error(500, "boom"))
            if token == self.pair.refresh_token and not self.refresh_expired:
                self.refresh_calls += 1
                self.generation += 1
                pair = self.pair
                return httpx.Response(
                    200, json={"accessToken": pair.access_token, "refreshToken": pair.refresh_token}
                )
            if token == self.pair.refresh_token:
                return httpx.Response(403, json=EXPIRED)
            return httpx.Response(403, json=SUPERSEDED)

    def sent(self) -> list[tuple[str, str, str]]:
        """(method, path relative to the base URL, Authorization) of every request, in order."""
        prefix = httpx.URL(BASE_URL).path
        return [
            (r.method, r.url.path.removeprefix(prefix), r.headers.get("Authorization", ""))
            for r in self.requests
        ]
