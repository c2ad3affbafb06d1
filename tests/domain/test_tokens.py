"""Token rules without HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from mock_server.domain.clock import Clock
from mock_server.domain.errors import TokenExpired, TokenRejected, TokenSuperseded
from mock_server.domain.store import Store
from mock_server.domain.tokens import (
    ACCESS_TTL_SECONDS,
    REFRESH_SUBJECT,
    Principal,
    TokenService,
)

ALICE = Principal(391, 5976, "pg_test")


@pytest.fixture
def service() -> Iterator[TokenService]:
    store = Store()
    with store.transaction() as conn:
        conn.execute("INSERT INTO companies (id, name) VALUES (391, 'test')")
    yield TokenService(store, Clock())
    store.close()


def test_issue_and_authenticate(service: TokenService) -> None:
    pair = service.issue(ALICE)
    assert service.authenticate(pair.access_token) == ALICE
    assert service.authenticate(pair.refresh_token, REFRESH_SUBJECT) == ALICE


def test_pairs_issued_in_the_same_second_differ(service: TokenService) -> None:
    first, second = service.issue(ALICE), service.issue(ALICE)
    assert first != second
    with pytest.raises(TokenSuperseded):
        service.authenticate(first.access_token)


def test_expiry_follows_the_mock_clock() -> None:
    store = Store()
    with store.transaction() as conn:
        conn.execute("INSERT INTO companies (id, name) VALUES (391, 'test')")
    clock = Clock()
    service = TokenService(store, clock)
    pair = service.issue(ALICE)
    clock.advance(ACCESS_TTL_SECONDS + 1)
    with pytest.raises(TokenExpired):
        service.authenticate(pair.access_token)
    assert service.refresh(pair.refresh_token).access_token != pair.access_token
    store.close()


@pytest.mark.parametrize(
    ("header", "fragment"),
    [(None, "missing"), ("", "missing"), ("Bearer abc", "Bearer"), ("nope", "JWT")],
)
def test_unusable_headers_are_rejected(
    service: TokenService, header: str | None, fragment: str
) -> None:
    with pytest.raises(TokenRejected, match=fragment) as caught:
        service.authenticate(header)
    assert caught.value.details is None


def test_concurrent_refreshes_with_one_token_give_one_new_pair(service: TokenService) -> None:
    pair = service.issue(ALICE)

    def refresh(_: int) -> str:
        try:
            return service.refresh(pair.refresh_token).access_token
        except TokenSuperseded:
            return "superseded"

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(refresh, range(16)))
    winners = [r for r in results if r != "superseded"]
    assert len(winners) == 1
    assert service.authenticate(winners[0]) == ALICE
