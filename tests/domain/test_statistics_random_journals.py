"""The statistics of random journals: whatever calls a company has and whatever the window, the
answer holds every identity the definitions imply (D19, D20), equals the figures recomputed
from the same window's GET /call-records/info, and the journal statistics (5.6.2) agree."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contract_tests.checks import expected_common, identity_problems
from mock_server.domain.rules.hangups import ended_by
from mock_server.domain.rules.journal import CallJournal
from mock_server.domain.rules.statistics import CallStatistics
from mock_server.domain.storage.call_rows import INSERT_CALL, CallRow
from mock_server.domain.storage.rollups import register_parties
from mock_server.domain.storage.seed import seed_company
from mock_server.domain.storage.store import Store
from mock_server.domain.timeutil import to_epoch_ms
from tests.spec_utils import load_spec

_SCHEMAS = load_spec()["components"]["schemas"]
CALL_TYPES: list[str] = _SCHEMAS["CallType"]["enum"]
CALL_STATUSES: list[str] = _SCHEMAS["CallStatus"]["enum"]
# A few numbers, so that callers repeat; the first two are rolled up on their own.
NUMBERS = ("79100000001", "79100000002", "79000000001", "79000000002", "79000000003")
# Two days from 21:00 UTC, Moscow's midnight: windows cut hours, days and Moscow's days.
T0 = datetime(2026, 2, 1, 21, 0, tzinfo=UTC)
SPAN_MS = 2 * 86_400_000
_company_ids = iter(range(10_000, 1_000_000))


@st.composite
def calls(draw: st.DrawFn) -> tuple[int, str, str, str, str, int, int | None]:
    status = draw(st.sampled_from(CALL_STATUSES))
    duration = draw(st.integers(min_value=0, max_value=600))
    talk = (
        draw(st.integers(min_value=0, max_value=duration))
        if status.startswith("ANSWERED_")
        else None
    )
    return (
        draw(st.integers(min_value=0, max_value=SPAN_MS - 1)),
        draw(st.sampled_from(CALL_TYPES)),
        status,
        draw(st.sampled_from(NUMBERS)),
        draw(st.sampled_from(NUMBERS)),
        duration,
        talk,
    )


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    store = Store()
    CallJournal(store)
    yield store
    store.close()


def _rows(
    company: int, drawn: list[tuple[int, str, str, str, str, int, int | None]]
) -> list[CallRow]:
    start = to_epoch_ms(T0)
    return [
        (
            company,
            start + offset,
            call_type,
            status,
            callee,
            caller,
            None,
            callee,
            None,
            duration,
            talk,
            "",
            f"random-{company}-{index}",
            0,
            ended_by(status, f"random-{company}-{index}"),
        )
        for index, (offset, call_type, status, caller, callee, duration, talk) in enumerate(drawn)
    ]


def _records(
    journal: CallJournal, company: int, start: datetime, end: datetime, number: str | None
) -> list[dict[str, Any]]:
    """The window's records of the company, or of one number (as caller or callee), as
    GET /call-records/info pages them."""
    found: dict[str, dict[str, Any]] = {}
    for query in [{}] if number is None else [{"caller": number}, {"callee": number}]:
        page = 0
        while chunk := journal.records(company, start, end, page=page, size=500, **query):
            found.update((r["uuid"], r) for r in chunk)
            page += 1
    return list(found.values())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    drawn=st.lists(calls(), max_size=60),
    start_ms=st.integers(min_value=-3_600_000, max_value=SPAN_MS),
    length_ms=st.one_of(
        st.integers(min_value=-3_600_000, max_value=0),
        st.integers(min_value=1, max_value=SPAN_MS + 3_600_000),
    ),
    number=st.sampled_from([None, *NUMBERS]),
    one_by_one=st.booleans(),
)
def test_random_journal_statistics(
    store: Store,
    drawn: list[tuple[int, str, str, str, str, int, int | None]],
    start_ms: int,
    length_ms: int,
    number: str | None,
    one_by_one: bool,
) -> None:
    company = next(_company_ids)
    with store.transaction() as conn:
        seed_company(conn, 1, company)
        register_parties(conn, company, NUMBERS[:2])
        rows = _rows(company, drawn)
        if one_by_one:  # as live calls settle, out of order
            for row in reversed(rows):
                conn.execute(INSERT_CALL, row)
        else:
            conn.executemany(INSERT_CALL, rows)
    start = T0 + timedelta(milliseconds=start_ms)
    end = start + timedelta(milliseconds=length_ms)
    stats = CallStatistics(store)
    figures = stats.common(company, start, end, subscriber_number=number)
    assert identity_problems(figures) == []
    records = _records(CallJournal(store), company, start, end, number)
    assert figures == expected_common(records, to_epoch_ms(start), to_epoch_ms(end))
    journal = stats.journal(company, start, end, number=number)
    assert (journal["numberOfCalls"], journal["numberOfSuccessCalls"]) == (
        figures["allCallCount"],
        figures["successCallCount"],
    )
