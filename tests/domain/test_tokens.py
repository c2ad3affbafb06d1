"""Token rules without HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import jwt
import pytest

from mock_server.domain.clock import Clock, TenantClocks
from mock_server.domain.errors import TokenExpired, TokenRejected, TokenSuperseded
from mock_server.domain.rules.tokens import (
    ACCESS_TTL_SECONDS,
    REFRESH_SUBJECT,
    REFRESH_TTL_SECONDS,
    Principal,
    TokenService,
)
from mock_server.domain.storage.store import Store
from tests.pinned import PINNED_NOW

ALICE = Principal(391, 5976, "pg_test")


@pytest.fixture
def clock() -> Clock:
    return Clock.starting_at(PINNED_NOW, frozen=True)


@pytest.fixture
def service(clock: Clock) -> Iterator[TokenService]:
    store = Store()
    with store.transaction() as conn:
        conn.execute("INSERT INTO companies (id, name) VALUES (391, 'test')")
    yield TokenService(store, TenantClocks(clock, lambda company_id: 0.0))
    store.close()


def _exp(token: str) -> int:
    exp: int = jwt.decode(token, options={"verify_signature": False})["exp"]
    return exp


def test_issue_and_authenticate(service: TokenService) -> None:
    pair = service.issue(ALICE)
    assert service.authenticate(pair.access_token) == ALICE
    assert service.authenticate(pair.refresh_token, REFRESH_SUBJECT) == ALICE


def test_exp_is_the_issue_instant_plus_the_lifetime(service: TokenService, clock: Clock) -> None:
    issued_at = int(clock.timestamp())
    first = service.issue(ALICE)
    clock.advance(1)
    second = service.issue(ALICE)  # a busy user: nothing pushes this pair's exp later
    assert _exp(first.access_token) == issued_at + ACCESS_TTL_SECONDS
    assert _exp(first.refresh_token) == issued_at + REFRESH_TTL_SECONDS
    assert _exp(second.access_token) == issued_at + 1 + ACCESS_TTL_SECONDS


def test_pairs_issued_in_the_same_second_are_one_pair(service: TokenService) -> None:
    # As on the real service: no id in the claims, so the same second gives the same bytes,
    # and that pair is the user's current one.
    first, second = service.issue(ALICE), service.issue(ALICE)
    assert first == second
    assert service.authenticate(first.access_token) == ALICE
    assert service.refresh(first.refresh_token) == first  # refreshed in the same second


def test_a_pair_issued_a_second_later_supersedes_the_first(
    service: TokenService, clock: Clock
) -> None:
    first = service.issue(ALICE)
    clock.advance(1)
    second = service.issue(ALICE)
    assert first != second
    with pytest.raises(TokenSuperseded):
        service.authenticate(first.access_token)
    with pytest.raises(TokenSuperseded):
        service.refresh(first.refresh_token)
    assert service.authenticate(second.access_token) == ALICE


def test_expiry_follows_the_mock_clock(service: TokenService, clock: Clock) -> None:
    pair = service.issue(ALICE)
    clock.advance(ACCESS_TTL_SECONDS - 1)
    assert service.authenticate(pair.access_token) == ALICE
    clock.advance(1)  # exp is exclusive: at exp the token is expired
    with pytest.raises(TokenExpired):
        service.authenticate(pair.access_token)
    assert service.refresh(pair.refresh_token).access_token != pair.access_token


def test_expiry_follows_the_company_clock(clock: Clock) -> None:
    store = Store()
    with store.transaction() as conn:
        conn.execute("INSERT INTO companies (id, name) VALUES (391, 'a'), (392, 'b')")
    leads = {391: 0.0, 392: 0.0}
    service = TokenService(store, TenantClocks(clock, leads.__getitem__))
    bob = Principal(392, 1, "bob")
    alice_pair, bob_pair = service.issue(ALICE), service.issue(bob)
    clocks = TenantClocks(clock, leads.__getitem__)
    service = TokenService(store, clocks)
    clocks.remember(392, 2 * 86400.0)  # company 392 lives two days ahead
    assert service.authenticate(alice_pair.access_token) == ALICE
    with pytest.raises(TokenExpired):
        service.authenticate(bob_pair.access_token)
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


def test_concurrent_refreshes_with_one_token_give_one_new_pair(
    service: TokenService, clock: Clock
) -> None:
    pair = service.issue(ALICE)
    clock.advance(1)  # else the refresh gives the very same pair (same second)

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
