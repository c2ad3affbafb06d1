"""Retrying 429 and 503 with backoff, honouring Retry-After, a bounded number of times."""

from __future__ import annotations

import asyncio
import datetime
import http.server
import threading
from collections.abc import Iterator
from typing import ClassVar

import httpx
import pytest
from tele2_ats_client import AuthenticatedClient, RetryPolicy, Tele2Ats, errors
from tele2_ats_client.api.blacklist import add_to_blacklist
from tele2_ats_client.api.employees import get_employees
from tele2_ats_client.models import BlacklistResultCode
from tele2_ats_client.retry import AsyncRetryTransport, RetryTransport, parse_retry_after

from .fakes import ACCESS, BASE_URL, FakeTokenServer, Recorder

NO_JITTER = RetryPolicy(attempts=4, backoff=0.5, max_backoff=30, jitter=False)
URL = BASE_URL + "/employees"


def _answers(*responses: httpx.Response) -> Recorder:
    """A recorder answering `responses` in turn, then the last one again and again."""
    queue: Iterator[httpx.Response] = iter(responses)
    last = responses[-1]

    def answer(request: httpx.Request) -> httpx.Response:
        response = next(queue, last)
        return httpx.Response(response.status_code, headers=response.headers, json=[])

    return Recorder(answer)


def _send(
    recorder: Recorder, policy: RetryPolicy, method: str = "GET", content: bytes = b""
) -> tuple[httpx.Response, list[float]]:
    waits: list[float] = []
    transport = RetryTransport(httpx.MockTransport(recorder), policy, sleep=waits.append)
    with httpx.Client(transport=transport) as client:
        return client.request(method, URL, content=content), waits


def test_retry_after_seconds_honoured() -> None:
    recorder = _answers(httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200))
    response, waits = _send(recorder, NO_JITTER)
    assert response.status_code == 200, response
    assert waits == [7.0], waits
    assert len(recorder.requests) == 2, recorder.requests


def test_retry_after_http_date_honoured() -> None:
    now = datetime.datetime(2026, 3, 13, 7, 0, 0, tzinfo=datetime.UTC)
    assert parse_retry_after("Fri, 13 Mar 2026 07:00:42 GMT", now) == 42.0
    assert parse_retry_after("Fri, 13 Mar 2026 06:00:00 GMT", now) == 0.0, "past: at once"
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_backoff_doubles_without_retry_after_and_attempts_are_bounded() -> None:
    recorder = _answers(httpx.Response(503))
    response, waits = _send(recorder, NO_JITTER)
    assert response.status_code == 503, "the last answer is returned once the attempts are used"
    assert len(recorder.requests) == NO_JITTER.attempts == 4, recorder.requests
    assert waits == [0.5, 1.0, 2.0], waits


def test_backoff_capped_by_max_backoff() -> None:
    policy = RetryPolicy(attempts=6, backoff=1, max_backoff=3, jitter=False)
    _, waits = _send(_answers(httpx.Response(503)), policy)
    assert waits == [1.0, 2.0, 3.0, 3.0, 3.0], waits


def test_jitter_shortens_each_wait_by_at_most_half() -> None:
    policy = RetryPolicy(attempts=30, backoff=2, max_backoff=2)
    _, waits = _send(_answers(httpx.Response(429)), policy)
    assert len(waits) == 29
    assert all(1.0 <= wait <= 2.0 for wait in waits), waits
    assert len(set(waits)) > 1, "randomised"


def test_retry_after_beyond_max_retry_after_is_returned_at_once() -> None:
    policy = RetryPolicy(max_retry_after=60, jitter=False)
    recorder = _answers(httpx.Response(429, headers={"Retry-After": "3600"}), httpx.Response(200))
    response, waits = _send(recorder, policy)
    assert response.status_code == 429, response
    assert response.headers["Retry-After"] == "3600", "the caller sees why"
    assert (waits, len(recorder.requests)) == ([], 1), recorder.requests


@pytest.mark.parametrize("status", [200, 400, 403, 404, 500, 502])
def test_other_statuses_not_retried(status: int) -> None:
    recorder = _answers(httpx.Response(status), httpx.Response(200))
    response, waits = _send(recorder, NO_JITTER)
    assert response.status_code == status, response
    assert (waits, len(recorder.requests)) == ([], 1), recorder.requests


def test_one_attempt_never_retries() -> None:
    recorder = _answers(httpx.Response(503), httpx.Response(200))
    response, waits = _send(recorder, RetryPolicy(attempts=1))
    assert (response.status_code, waits) == (503, []), response


def test_body_sent_again_on_retry() -> None:
    recorder = _answers(httpx.Response(503), httpx.Response(200))
    response, _ = _send(recorder, NO_JITTER, "POST", b"79998887766")
    assert response.status_code == 200, response
    assert [r.content for r in recorder.requests] == [b"79998887766", b"79998887766"]


def test_policy_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="attempts"):
        RetryPolicy(attempts=0)
    with pytest.raises(ValueError, match="negative"):
        RetryPolicy(backoff=-1)


def test_async_transport_waits_with_its_sleep() -> None:
    recorder = _answers(httpx.Response(503, headers={"Retry-After": "2"}), httpx.Response(200))
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    async def scenario() -> httpx.Response:
        transport = AsyncRetryTransport(httpx.MockTransport(recorder), NO_JITTER, sleep=sleep)
        async with httpx.AsyncClient(transport=transport) as client:
            return await client.get(URL)

    assert asyncio.run(scenario()).status_code == 200
    assert (waits, len(recorder.requests)) == ([2.0], 2), recorder.requests


FAST = RetryPolicy(attempts=3, backoff=0, jitter=False)


def _client(recorder: Recorder, retry: RetryPolicy | None) -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url=BASE_URL,
        token=ACCESS,
        retry=retry,
        httpx_args={"transport": httpx.MockTransport(recorder)},
    )


def test_client_retry_opt_in_for_generated_functions() -> None:
    recorder = _answers(httpx.Response(429), httpx.Response(200))
    assert get_employees.sync(client=_client(recorder, FAST)) == []
    assert len(recorder.requests) == 2, recorder.requests


def test_client_without_retry_sends_once() -> None:
    recorder = _answers(httpx.Response(503), httpx.Response(200))
    response = get_employees.sync_detailed(client=_client(recorder, None))
    assert (response.status_code, response.parsed) == (503, None), response
    assert len(recorder.requests) == 1, recorder.requests


def test_client_retry_async_and_body() -> None:
    recorder = Recorder(
        lambda request: (
            httpx.Response(503)
            if len(recorder.requests) < 3  # the request being answered is counted
            else httpx.Response(200, json="SUCCESS")
        )
    )
    client = _client(recorder, FAST)

    async def scenario() -> object:
        async with client:
            return await add_to_blacklist.asyncio(client=client, body="79998887766")

    assert asyncio.run(scenario()) is BlacklistResultCode.SUCCESS
    assert [r.content for r in recorder.requests] == [b"79998887766"] * 3, recorder.requests


def test_facade_raises_once_attempts_are_used() -> None:
    recorder = _answers(httpx.Response(503, headers={"Retry-After": "0"}))
    with pytest.raises(errors.UnexpectedStatus) as caught:
        Tele2Ats(_client(recorder, FAST)).get_employees()
    assert caught.value.status_code == 503, caught.value
    assert len(recorder.requests) == FAST.attempts, recorder.requests


def test_refresh_request_retried_too() -> None:
    server = FakeTokenServer()
    refresh_answers = iter([httpx.Response(429, headers={"Retry-After": "0"})])

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/authorization/refresh/token"):
            busy = next(refresh_answers, None)
            if busy is not None:
                return busy
        return server(request)

    client = server.client(handler, retry=FAST)
    assert get_employees.sync(client=client) == []
    assert server.refresh_calls == 1, server.sent()
    assert client.tokens == server.pair, client.tokens


class _Busy(http.server.BaseHTTPRequestHandler):
    """Answers 503 (Retry-After: 0) to the first `busy` requests, then 200 `[]`; counts them."""

    busy: ClassVar[int] = 1
    seen: ClassVar[list[str]] = []  # each server gets a subclass with its own list

    def do_GET(self) -> None:
        self.seen.append(self.path)
        status = 503 if len(self.seen) <= self.busy else 200
        body = b"[]" if status == 200 else b"busy"
        self.send_response(status)
        self.send_header("Retry-After", "0")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def busy_server() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on loopback that is busy once; (its URL, the paths it received)."""
    seen: list[str] = []
    handler = type("Handler", (_Busy,), {"seen": seen})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_client_retries_over_its_own_http_transport(busy_server: tuple[str, list[str]]) -> None:
    url, seen = busy_server
    client = AuthenticatedClient(base_url=url + "/crm/openapi", token=ACCESS, retry=FAST)
    with client:
        assert get_employees.sync(client=client) == []
    assert seen == ["/crm/openapi/employees"] * 2, seen


def test_client_retries_through_a_proxy_given_in_httpx_args(
    busy_server: tuple[str, list[str]],
) -> None:
    url, seen = busy_server  # plays the proxy: a proxied http:// request names the whole URL
    client = AuthenticatedClient(
        base_url="http://ats.invalid/crm/openapi",
        token=ACCESS,
        retry=FAST,
        httpx_args={"proxy": url, "trust_env": False},
    )

    async def scenario() -> object:
        async with client:
            return await get_employees.asyncio(client=client)

    assert asyncio.run(scenario()) == []
    assert seen == ["http://ats.invalid/crm/openapi/employees"] * 2, seen
