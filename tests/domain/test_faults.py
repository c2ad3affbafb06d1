"""Fault rules: validation, matching, `times`, seeded probability and jitter, windows, presets."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from mock_server.domain.errors import Conflict, InvalidInput, NotFound
from mock_server.domain.faults import MAX_RULES, FaultBook, FaultTarget
from mock_server.domain.store import Store, StoreBusy
from mock_server.domain.token_claims import TokenClaims
from mock_server.domain.tokens import ACCESS_TTL_SECONDS, REFRESH_TTL_SECONDS

T0 = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
EMPLOYEES = FaultTarget("GET", "/employees", "getEmployees", 391)


class Clock:
    """The mock clock as the book sees it; company 392 is a minute ahead."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self, company_id: int | None) -> datetime:
        return self.now + timedelta(minutes=1 if company_id == 392 else 0)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store() -> Iterator[Store]:
    store = Store()
    yield store
    store.close()


@pytest.fixture
def book(store: Store, clock: Clock) -> FaultBook:
    return FaultBook(store, clock=clock, seed=lambda: 1)


@contextmanager
def new_book(clock: Clock, seed: int = 1) -> Iterator[FaultBook]:
    store = Store()
    try:
        yield FaultBook(store, clock=clock, seed=lambda: seed)
    finally:
        store.close()


def fires(book: FaultBook, target: FaultTarget = EMPLOYEES, n: int = 1) -> list[bool]:
    return [book.match(target) is not None for _ in range(n)]


def test_times_two_fires_twice_then_lets_requests_through(book: FaultBook) -> None:
    rule = book.add({"operationId": "getEmployees", "status": 503, "times": 2})
    firings = [book.match(EMPLOYEES) for _ in range(3)]
    assert [f is not None and f.status for f in firings] == [503, 503, False]
    assert (rule.fired, rule.remaining) == (2, 0)


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (EMPLOYEES, True),
        (FaultTarget("GET", "/employees/", "getEmployees", 391), True),
        (FaultTarget("GET", "/managers/26", "getManager", 391), False),
        (FaultTarget("POST", "/employees", None, 391), False),
        (FaultTarget("GET", "/employees", "getEmployees", 392), False),
        (FaultTarget("GET", "/employees", "getEmployees", None), False),
    ],
)
def test_rule_matches_by_operation_method_path_and_company(
    book: FaultBook, target: FaultTarget, expected: bool
) -> None:
    book.add({"method": "get", "path": "/employees", "companyId": 391, "drop": True})
    assert fires(book, target) == [expected]


def test_path_pattern_with_a_star(book: FaultBook) -> None:
    book.add({"path": "/call-records/*", "delayMs": 10})
    assert fires(book, FaultTarget("GET", "/call-records/file/stt", "getCallRecordTranscript"))
    assert fires(book, EMPLOYEES) == [False]


def test_rules_are_tried_in_the_order_added(book: FaultBook) -> None:
    book.add({"operationId": "getEmployees", "status": 503, "times": 1})
    book.add({"operationId": "getEmployees", "status": 429, "retryAfter": 0})
    statuses = [f.status for f in (book.match(EMPLOYEES) for _ in range(3)) if f is not None]
    assert statuses == [503, 429, 429]


def test_probability_is_drawn_from_the_rule_seed(clock: Clock) -> None:
    def run() -> list[bool]:
        with new_book(clock) as book:
            book.add({"status": 500, "probability": 0.3, "seed": 42})
            return fires(book, n=400)

    first, again = run(), run()
    assert first == again, "the same seed, the same firings"
    assert 80 <= sum(first) <= 160, sum(first)


def test_default_seed_comes_from_the_pbx_seed(clock: Clock) -> None:
    def run(seed: int) -> list[bool]:
        with new_book(clock, seed) as book:
            book.add({"status": 500, "probability": 0.5})
            return fires(book, n=64)

    assert run(1) == run(1)
    assert run(1) != run(2)


def test_jitter_adds_a_seeded_delay_within_its_bound(book: FaultBook) -> None:
    book.add({"delayMs": 800, "jitterMs": 200, "seed": 3})
    delays = [firing.delay_ms for firing in (book.match(EMPLOYEES) for _ in range(50)) if firing]
    assert len(delays) == 50
    assert all(800 <= d <= 1000 for d in delays), delays
    assert len(set(delays)) > 40, "drawn, not fixed"


def test_window_by_the_mock_clock(book: FaultBook, clock: Clock) -> None:
    book.add({"status": 503, "from": "2026-03-04T15:01:00+03:00", "until": "2026-03-04T12:02:00Z"})
    assert fires(book) == [False], "before `from`"
    clock.now = T0 + timedelta(minutes=1)
    assert fires(book) == [True], "`from` is in the window"
    clock.now = T0 + timedelta(minutes=2)
    assert fires(book) == [False], "`until` is not"


def test_window_of_a_company_rule_is_read_on_its_clock(book: FaultBook, clock: Clock) -> None:
    book.add({"companyId": 392, "status": 503, "until": "2026-03-04T12:00:30Z"})
    target = FaultTarget("GET", "/employees", "getEmployees", 392)
    assert fires(book, target) == [False], "company 392's clock is a minute ahead: past `until`"


def token(kind: str, issued: datetime, company: int = 391, user: int = 5976) -> TokenClaims:
    ttl = ACCESS_TTL_SECONDS if kind == "access" else REFRESH_TTL_SECONDS
    return TokenClaims(company, user, "pg_test", kind, int(issued.timestamp()) + ttl)


def with_token(claims: TokenClaims, operation: str = "getEmployees") -> FaultTarget:
    return FaultTarget("GET", "/employees", operation, claims.company_id, claims)


def test_expire_tokens_hits_tokens_issued_up_to_the_rule(book: FaultBook, clock: Clock) -> None:
    book.add_preset("token-expiry", {"companyId": 391})
    old = token("access", T0)
    assert fires(book, with_token(old)) == [True]
    assert fires(book, with_token(token("access", T0 + timedelta(seconds=1)))) == [False]
    assert fires(book, with_token(token("refresh", T0), "refreshToken")) == [False]
    assert fires(book, with_token(token("access", T0, company=392))) == [False]
    book.note_refresh(391, 5976)
    assert fires(book, with_token(old)) == [False], "the user refreshed: the pair lives again"
    assert fires(book, with_token(token("access", T0, user=7001))) == [True], "not that user"


def test_expire_all_tokens_takes_the_refresh_tokens_too(book: FaultBook) -> None:
    rule = book.add_preset("token-expiry", {"companyId": 391, "refresh": True})
    assert rule.expire_tokens == "all"
    assert fires(book, with_token(token("refresh", T0), "refreshToken")) == [True]


def test_outage_preset_answers_for_its_minutes(book: FaultBook, clock: Clock) -> None:
    rule = book.add_preset("outage", {"minutes": 5})
    assert (rule.status, rule.preset) == (503, "outage")
    assert rule.ends is not None
    assert rule.starts is not None
    assert rule.ends - rule.starts == timedelta(minutes=5)
    assert fires(book) == [True]
    clock.now = T0 + timedelta(minutes=5)
    assert fires(book) == [False], "the outage is over"


@pytest.mark.parametrize(("minutes", "length"), [(5e-324, 1), (1e-9, 1), (0.1, 6_000_000)])
def test_an_outage_of_any_positive_minutes_lasts_at_least_a_microsecond(
    book: FaultBook, minutes: float, length: int
) -> None:
    # 5e-324 minutes was "Field 'until': must be after 'from'": the length rounded to nothing.
    rule = book.add_preset("outage", {"minutes": minutes})
    assert rule.ends is not None
    assert rule.starts is not None
    assert rule.ends - rule.starts == timedelta(microseconds=length)
    assert fires(book) == [True], "it answers at its start"


@pytest.mark.parametrize("until", ["2026-03-04T12:00:00Z", "2026-03-04T11:00:00Z"])
def test_a_window_that_ends_before_it_starts_is_empty(
    book: FaultBook, clock: Clock, until: str
) -> None:
    rule = book.add({"status": 500, "from": "2026-03-04T12:00:00Z", "until": until})
    assert book.rules() == [rule], "kept, as a window that has passed"
    for minutes in (-90, -30, 0, 30, 90):
        clock.now = T0 + timedelta(minutes=minutes)
        assert fires(book) == [False], clock.now
    assert rule.fired == 0


def test_slow_recordings_preset_delays_the_downloads(book: FaultBook) -> None:
    rule = book.add({"preset": "slow-recordings", "delayMs": 5000})
    assert (rule.operation_id, rule.delay_ms, rule.action) == ("getCallRecordFile", 5000, None)
    firing = book.match(FaultTarget("GET", "/call-records/file", "getCallRecordFile"))
    assert firing is not None
    assert firing.delay_ms == 5000
    assert firing.preset == "slow-recordings"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"operationId": "getEmployees"}, "needs an action"),
        ({"status": 503, "drop": True}, "status and drop cannot go together"),
        ({"truncate": True, "expireTokens": "access"}, "truncate and expireTokens"),
        ({"status": 200}, "Field 'status': expected an integer from 400 to 599"),
        ({"status": 503.0}, "Field 'status'"),
        ({"drop": False}, "Field 'drop': expected true"),
        ({"retryAfter": 5, "delayMs": 1}, "Field 'retryAfter': goes with 'status'"),
        ({"jitterMs": 5, "status": 500}, "Field 'jitterMs': goes with 'delayMs'"),
        ({"status": 500, "probability": 0}, "Field 'probability'"),
        ({"status": 500, "probability": float("nan")}, "Field 'probability'"),
        ({"status": 500, "times": 0}, "Field 'times'"),
        ({"status": 500, "method": "FETCH"}, "Field 'method'"),
        ({"status": 500, "path": "employees"}, "Field 'path'"),
        ({"status": 500, "expireTokens": "some"}, "Field 'expireTokens'"),
        ({"status": 500, "colour": "red"}, "Field 'colour': not a field of a fault rule"),
        ({"status": 500, "from": "noon"}, "'from'"),
        ({"preset": "earthquake"}, "Unknown preset 'earthquake'"),
        ({"preset": "outage"}, "Field 'minutes'"),
        ({"preset": "outage", "minutes": 5, "status": 429}, "Field 'status'"),
        ({"preset": "slow-recordings", "minutes": 5}, "Field 'minutes': not a field of preset"),
        ({"preset": "token-expiry", "refresh": "yes"}, "Field 'refresh'"),
    ],
)
def test_rules_are_checked_field_by_field(
    book: FaultBook, spec: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        book.add(spec)
    assert book.rules() == [], "nothing is added"


def test_load_replaces_the_rules_all_or_nothing(book: FaultBook) -> None:
    book.add({"status": 500})
    with pytest.raises(InvalidInput, match="fault rule 2: Field 'status'"):
        book.load([{"status": 503}, {"status": "soon"}])
    assert [r.status for r in book.rules()] == [500], "the rules before stay"
    loaded = book.load([{"status": 503}, {"preset": "outage", "minutes": 1}])
    assert [(r.id, r.status) for r in loaded] == [(1, 503), (2, 503)]


def test_rules_are_found_and_removed_by_id(book: FaultBook) -> None:
    first = book.add({"status": 500})
    second = book.add({"status": 502})
    assert book.get(second.id) is second
    book.remove(first.id)
    assert [r.id for r in book.rules()] == [second.id]
    with pytest.raises(NotFound, match=f"Fault rule {first.id} not found"):
        book.remove(first.id)
    book.clear()
    assert not book.active


def test_the_number_of_rules_is_bounded(book: FaultBook) -> None:
    for _ in range(MAX_RULES):
        book.add({"status": 500, "operationId": "getManagers"})
    with pytest.raises(Conflict, match="DELETE /mock/faults"):
        book.add({"status": 500})


def test_times_is_exact_under_concurrent_requests(book: FaultBook) -> None:
    rule = book.add({"status": 503, "times": 100})
    fired: list[bool] = []
    lock = threading.Lock()

    def send() -> None:
        mine = fires(book, n=50)
        with lock:
            fired.extend(mine)

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(fired) == rule.fired == 100


# -- several processes on one state file (tele2-ats-mock --workers N) ---------------------------


@pytest.fixture
def books(tmp_path: Path, clock: Clock) -> Iterator[tuple[FaultBook, FaultBook]]:
    """Two workers' books: each its own connection to one state file, as two processes."""
    stores = [Store(tmp_path / "state.sqlite3") for _ in range(2)]
    try:
        first, second = (FaultBook(store, clock=clock, seed=lambda: 1) for store in stores)
        yield first, second
    finally:
        for store in stores:
            store.close()


def test_a_rule_added_in_one_worker_fires_in_the_other(books: tuple[FaultBook, ...]) -> None:
    one, two = books
    one.add({"operationId": "getEmployees", "status": 503})
    assert fires(two) == [False], "not seen before it syncs (each request syncs first)"
    two.sync()
    assert two.active
    assert fires(two) == [True]


def test_times_counts_the_firings_of_every_worker(books: tuple[FaultBook, ...]) -> None:
    one, two = books
    rule = one.add({"operationId": "getEmployees", "status": 503, "times": 5})
    two.sync()
    fired = [fires(book)[0] for _ in range(10) for book in books]
    assert sum(fired) == 5, fired
    assert [r.fired for r in one.rules()] == [r.fired for r in two.rules()] == [5]
    assert two.get(rule.id).remaining == 0


def test_the_seeded_draws_are_one_sequence_across_workers(
    books: tuple[FaultBook, ...], clock: Clock
) -> None:
    spec = {"delayMs": 100, "jitterMs": 50, "probability": 0.5, "seed": 7}
    with new_book(clock) as alone:
        alone.add(spec)
        expected = [alone.match(EMPLOYEES) for _ in range(40)]
    one, two = books
    one.add(spec)
    two.sync()
    shared = [book.match(EMPLOYEES) for _ in range(20) for book in (one, two, two, one)][:40]
    assert [f and f.delay_ms for f in shared] == [f and f.delay_ms for f in expected]


def test_a_rule_removed_in_one_worker_stops_firing_in_the_other(
    books: tuple[FaultBook, ...],
) -> None:
    one, two = books
    rule = one.add({"status": 503})
    two.sync()
    one.remove(rule.id)
    assert fires(two) == [False], "gone from the store: its copy no longer fires"
    two.sync()
    assert not two.active


def test_a_load_in_one_worker_replaces_the_rules_of_both(books: tuple[FaultBook, ...]) -> None:
    one, two = books
    one.add({"status": 500})
    two.sync()
    one.load([{"status": 502, "times": 1}])  # ids start at 1 again: a new rule 1
    assert two.match(EMPLOYEES) is None, "the old rule 1 is not the new one"
    two.sync()
    firing = two.match(EMPLOYEES)
    assert firing is not None
    assert firing.status == 502
    assert one.match(EMPLOYEES) is None, "times 1: spent by the other worker"


def test_a_refresh_noted_by_one_worker_lets_the_token_through_in_the_other(
    books: tuple[FaultBook, ...],
) -> None:
    one, two = books
    one.add_preset("token-expiry", {"companyId": 391})
    two.sync()
    old = with_token(token("access", T0))
    assert fires(two, old) == [True]
    one.note_refresh(391, 5976)
    two.sync()
    assert fires(two, old) == [False]


def test_a_worker_adding_a_rule_first_takes_the_others_changes(
    books: tuple[FaultBook, ...],
) -> None:
    one, two = books
    one.add({"status": 500})
    two.add({"status": 502})  # two had not synced: it must not lose one's rule
    assert [r.status for r in two.rules()] == [r.status for r in one.rules()] == [500, 502]
    assert [r.id for r in one.rules()] == [1, 2]


def test_a_firing_that_must_not_wait_refuses_while_another_writer_holds_the_store(
    books: tuple[FaultBook, ...], tmp_path: Path
) -> None:
    one = books[0]
    rule = one.add({"operationId": "getEmployees", "status": 503, "times": 1})
    writer = sqlite3.connect(tmp_path / "state.sqlite3", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # a reset or a seeding, in another process
    try:
        with pytest.raises(StoreBusy):
            one.fire_first(one.candidates(EMPLOYEES), wait=False)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert one.get(rule.id).fired == 0, "nothing counted"
    assert one.fire_first(one.candidates(EMPLOYEES), wait=False) is not None


def test_a_deleted_companys_rules_go_and_the_others_forget_its_users(book: FaultBook) -> None:
    everyone = book.add_preset("token-expiry", {})
    book.add({"companyId": 1000, "operationId": "getEmployees", "delayMs": 5000})
    book.add_preset("outage", {"minutes": 60, "companyId": 1000})
    kept = book.add({"companyId": 1001, "status": 500})
    book.note_refresh(1000, 100001)
    book.note_refresh(1001, 100101)
    book.forget_company(1000)
    assert [rule.id for rule in book.rules()] == [everyone.id, kept.id]
    assert everyone.refreshed == {(1001, 100101)}


def test_a_deleted_companys_rules_are_gone_from_every_worker(
    books: tuple[FaultBook, ...],
) -> None:
    one, two = books
    one.add({"companyId": 391, "status": 503})
    kept = one.add({"companyId": 392, "status": 503})
    two.sync()
    one.forget_company(391)
    two.sync()
    assert [rule.id for rule in two.rules()] == [kept.id]
    assert fires(two) == [False], "the other worker no longer fires the deleted company's rule"
