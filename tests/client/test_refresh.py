"""RefreshingClient: one refresh for a dead access token, one retry, the new pair reported."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from tele2_ats_client import RefreshingClient, TokenPair, TokenRefreshFailed
from tele2_ats_client.api.authorization import refresh_token
from tele2_ats_client.api.blacklist import add_to_blacklist
from tele2_ats_client.api.employees import get_employees
from tele2_ats_client.models import BlacklistResultCode, SpringError, TokenExpiredError

from .fakes import BASE_URL, EXPIRED, FakeTokenServer, spring_error

PAIR_1 = TokenPair(access_token="access-1", refresh_token="refresh-1")


class Store:
    """The application's `on_tokens_refreshed`: remembers every pair it was given."""

    def __init__(self) -> None:
        self.pairs: list[TokenPair] = []

    def __call__(self, pair: TokenPair) -> None:
        self.pairs.append(pair)


def test_refresh_expired_token_refreshes_retries_and_reports() -> None:
    server, store = FakeTokenServer(), Store()
    client = server.client(on_tokens_refreshed=store)
    response = get_employees.sync_detailed(client=client)
    assert response.status_code == 200, response
    assert response.parsed == [], response
    assert server.sent() == [
        ("GET", "/employees", "access-0"),
        ("PUT", "/authorization/refresh/token", "refresh-0"),
        ("GET", "/employees", "access-1"),
    ], server.sent()
    assert store.pairs == [PAIR_1], store.pairs
    assert client.tokens == PAIR_1, client.tokens
    assert (client.token, client.refresh_token) == ("access-1", "refresh-1"), client
    assert client.token_auth.refresh_count == 1, client.token_auth.refresh_count


def test_refresh_next_request_uses_new_token_without_refresh() -> None:
    server = FakeTokenServer()
    client = server.client()
    first = get_employees.sync(client=client)
    second = get_employees.sync(client=client)
    assert first == second == [], (first, second)
    assert server.sent()[-1] == ("GET", "/employees", "access-1"), server.sent()
    assert server.refresh_calls == 1, server.sent()


def test_refresh_request_is_put_with_raw_refresh_token() -> None:
    server = FakeTokenServer()
    client = server.client().with_headers({"X-Request-Id": "7"})
    get_employees.sync(client=client)
    refresh = server.requests[1]
    assert refresh.method == "PUT", refresh
    assert str(refresh.url) == f"{BASE_URL}/authorization/refresh/token", refresh.url
    assert refresh.headers["Authorization"] == "refresh-0", refresh.headers
    assert refresh.headers["X-Request-Id"] == "7", refresh.headers
    assert refresh.content == b"", refresh.content
    assert "Content-Type" not in refresh.headers, refresh.headers


def test_refresh_text_body_resent_on_retry() -> None:
    server = FakeTokenServer(answer=lambda request: httpx.Response(200, json="SUCCESS"))
    client = server.client()
    result = add_to_blacklist.sync(client=client, body="79998887766")
    assert result is BlacklistResultCode.SUCCESS, result
    first, retry = server.requests[0], server.requests[2]
    for request in (first, retry):
        assert request.content == b"79998887766", request
        assert request.headers["Content-Type"] == "text/plain", request.headers
    assert retry.headers["Authorization"] == "access-1", retry.headers


def test_refresh_superseded_token_refreshes_too() -> None:
    server = FakeTokenServer()
    server.expired.clear()
    client = RefreshingClient(
        base_url=BASE_URL,
        access_token="access-7",  # an older pair's token: "has already been updated"
        refresh_token="refresh-0",
        httpx_args={"transport": httpx.MockTransport(server)},
    )
    result = get_employees.sync(client=client)
    assert result == [], server.sent()
    assert server.refresh_calls == 1, server.sent()


def test_refresh_retries_once_only() -> None:
    server = FakeTokenServer()
    server.expired.add("access-1")  # even the new token is refused
    client = server.client()
    response = get_employees.sync_detailed(client=client)
    assert isinstance(response.parsed, TokenExpiredError), response
    assert [m for m, _, _ in server.sent()] == ["GET", "PUT", "GET"], server.sent()


def test_refresh_not_triggered_by_other_forbidden() -> None:
    body = spring_error(403, "Send the access token raw, with no 'Bearer ' prefix")
    server = FakeTokenServer(answer=lambda request: httpx.Response(403, json=body))
    server.expired.clear()
    client = RefreshingClient(
        base_url=BASE_URL,
        access_token="access-0",
        refresh_token="refresh-0",
        httpx_args={"transport": httpx.MockTransport(server)},
    )
    result = get_employees.sync(client=client)
    assert isinstance(result, SpringError), result
    assert server.refresh_calls == 0, server.sent()
    assert len(server.requests) == 1, server.sent()


def test_refresh_not_triggered_by_success() -> None:
    server = FakeTokenServer()
    server.expired.clear()
    client = server.client()
    assert get_employees.sync(client=client) == [], server.sent()
    assert server.sent() == [("GET", "/employees", "access-0")], server.sent()


def test_refresh_expired_refresh_token_raises() -> None:
    server, store = FakeTokenServer(), Store()
    server.refresh_expired = True
    client = server.client(on_tokens_refreshed=store)
    with pytest.raises(TokenRefreshFailed) as caught:
        get_employees.sync(client=client)
    error = caught.value
    assert error.status_code == 403, error
    assert error.details == "The token is expired", error
    assert "The token is expired" in str(error), error
    assert store.pairs == [], store.pairs
    assert client.tokens == TokenPair(access_token="access-0", refresh_token="refresh-0"), client
    assert [m for m, _, _ in server.sent()] == ["GET", "PUT"], server.sent()


def test_refresh_dead_refresh_token_raises_superseded() -> None:
    server = FakeTokenServer()
    server.generation = 3  # the pair was generated again in the web cabinet
    client = server.client()
    with pytest.raises(TokenRefreshFailed) as caught:
        get_employees.sync(client=client)
    assert caught.value.details == "The token has already been updated", caught.value


def test_refresh_server_error_raises() -> None:
    server = FakeTokenServer()
    server.refresh_status = 500
    with pytest.raises(TokenRefreshFailed) as caught:
        get_employees.sync(client=server.client())
    assert caught.value.status_code == 500, caught.value
    assert caught.value.details == "boom", caught.value


def test_refresh_malformed_pair_raises() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            return httpx.Response(200, json={"accessToken": "only-one"})
        return httpx.Response(403, json=EXPIRED)

    client = RefreshingClient(
        base_url=BASE_URL,
        access_token="a",
        refresh_token="r",
        httpx_args={"transport": httpx.MockTransport(answer)},
    )
    with pytest.raises(TokenRefreshFailed) as caught:
        get_employees.sync(client=client)
    assert caught.value.status_code == 200, caught.value


def test_refresh_callback_error_propagates_after_rotation() -> None:
    server = FakeTokenServer()

    def broken_store(pair: TokenPair) -> None:
        raise OSError(f"disk full, lost {pair.refresh_token}")

    client = server.client(on_tokens_refreshed=broken_store)
    with pytest.raises(OSError, match="disk full, lost refresh-1"):
        get_employees.sync(client=client)
    assert client.tokens == PAIR_1, "the pair is rotated in memory all the same"


def test_refresh_concurrent_threads_single_refresh() -> None:
    server, store = FakeTokenServer(), Store()
    start = threading.Barrier(3, timeout=10)
    rejected = threading.Barrier(3, timeout=10)

    def gated(request: httpx.Request) -> httpx.Response:
        response = server(request)
        if response.status_code == 403:
            rejected.wait()  # every thread has its 403 before any refresh happens
        return response

    client = server.client(gated, on_tokens_refreshed=store)

    def call(_: int) -> Any:
        start.wait()
        return get_employees.sync(client=client)

    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(call, range(3)))
    assert results == [[], [], []], (results, server.sent())
    assert server.refresh_calls == 1, server.sent()
    assert store.pairs == [PAIR_1], store.pairs
    methods = sorted(m for m, _, _ in server.sent())
    assert methods == ["GET"] * 6 + ["PUT"], server.sent()


def test_refresh_own_httpx_client_with_token_auth() -> None:
    server, store = FakeTokenServer(), Store()
    client = server.client(on_tokens_refreshed=store)
    own = httpx.Client(
        base_url=BASE_URL, transport=httpx.MockTransport(server), auth=client.token_auth
    )
    with client.set_httpx_client(own):
        result = get_employees.sync(client=client)
    assert result == [], server.sent()
    assert store.pairs == [PAIR_1], server.sent()


def test_refresh_concurrent_asyncio_gather_single_refresh() -> None:
    server, store = FakeTokenServer(), Store()
    client = server.client(on_tokens_refreshed=store)

    async def scenario() -> list[Any]:
        rejected = asyncio.Barrier(3)

        async def gated(request: httpx.Request) -> httpx.Response:
            response = server(request)
            if response.status_code == 403:
                await rejected.wait()  # every task has its 403 before any refresh happens
            return response

        http = httpx.AsyncClient(
            base_url=BASE_URL, transport=httpx.MockTransport(gated), auth=client.token_auth
        )
        async with client.set_async_httpx_client(http):
            return list(
                await asyncio.gather(*(get_employees.asyncio(client=client) for _ in "abc"))
            )

    results = asyncio.run(asyncio.wait_for(scenario(), timeout=10))
    assert results == [[], [], []], (results, server.sent())
    assert server.refresh_calls == 1, server.sent()
    assert store.pairs == [PAIR_1], store.pairs
    assert client.tokens == PAIR_1, client.tokens


def test_refresh_async_expired_token_refreshes_and_retries() -> None:
    server, store = FakeTokenServer(), Store()
    client = server.client(on_tokens_refreshed=store)

    async def scenario() -> Any:
        async with client:
            return await get_employees.asyncio_detailed(client=client)

    response = asyncio.run(scenario())
    assert response.status_code == 200, response
    assert response.parsed == [], response
    assert [m for m, _, _ in server.sent()] == ["GET", "PUT", "GET"], server.sent()
    assert store.pairs == [PAIR_1], store.pairs


def test_refresh_async_failure_raises() -> None:
    server = FakeTokenServer()
    server.refresh_expired = True
    client = server.client()

    async def scenario() -> Any:
        async with client:
            return await get_employees.asyncio(client=client)

    with pytest.raises(TokenRefreshFailed) as caught:
        asyncio.run(scenario())
    assert caught.value.details == "The token is expired", caught.value


def test_refresh_explicit_operation_rotates_pair() -> None:
    server, store = FakeTokenServer(), Store()
    client = server.client(on_tokens_refreshed=store)
    result = refresh_token.sync(client=client)
    assert result == PAIR_1, result
    assert server.sent() == [("PUT", "/authorization/refresh/token", "refresh-0")], server.sent()
    assert store.pairs == [PAIR_1], store.pairs
    assert client.tokens == PAIR_1, store.pairs
    assert get_employees.sync(client=client) == [], server.sent()
    assert server.sent()[-1] == ("GET", "/employees", "access-1"), server.sent()


def test_refresh_explicit_operation_failure_returned_not_raised() -> None:
    server = FakeTokenServer()
    server.refresh_expired = True
    client = server.client()
    response = refresh_token.sync_detailed(client=client)
    assert isinstance(response.parsed, TokenExpiredError), response
    assert client.token == "access-0", client


def test_refresh_copies_share_the_pair() -> None:
    server = FakeTokenServer()
    client = server.client()
    copy = client.with_headers({"X-Request-Id": "1"}).with_timeout(httpx.Timeout(5.0))
    assert get_employees.sync(client=copy) == [], server.sent()
    assert client.tokens == copy.tokens == PAIR_1, (client.tokens, copy.tokens)
    assert client.token == "access-1", client
    assert get_employees.sync(client=client) == [], server.sent()
    assert server.refresh_calls == 1, server.sent()


def test_refresh_lost_race_with_other_lock_retries_with_winner() -> None:
    """A sync and an async request refreshing at once: the loser retries with the winner's pair."""
    server = FakeTokenServer()
    client = server.client()

    async def refresh_elsewhere() -> None:
        async with client:
            await refresh_token.asyncio(client=client)

    # While the sync refresh (refresh-0) is in flight, an async one wins the race.
    server.on_refresh = lambda: asyncio.run(refresh_elsewhere())
    response = get_employees.sync_detailed(client=client)
    assert response.status_code == 200, show_detailed(response.status_code, server)
    assert server.refresh_calls == 1, server.sent()
    assert server.sent()[-1] == ("GET", "/employees", "access-1"), server.sent()


def show_detailed(status: int, server: FakeTokenServer) -> str:
    return f"{status}: " + "; ".join(show_request(r) for r in server.requests)


def show_request(request: httpx.Request) -> str:
    return f"{request.method} {request.url.path} [{request.headers.get('Authorization')}]"
