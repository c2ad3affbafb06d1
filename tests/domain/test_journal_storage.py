"""What the journal keeps beside its calls, whatever path a call takes into it.

A seeded history is written in bulk (links, records' JSON and roll-ups in one pass each); a
live call, or any other row, through the triggers one at a time and in any order. Both must
give the same links, the same JSON and the same roll-ups, and the JSON must be what the HTTP
layer would write for the record.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mock_server.domain.rules import journal as journal_module
from mock_server.domain.rules.history import seed_history
from mock_server.domain.rules.journal import CallJournal
from mock_server.domain.rules.statistics import CallStatistics
from mock_server.domain.storage import bulk_journal
from mock_server.domain.storage.call_rows import INSERT_CALL
from mock_server.domain.storage.rollups import NO_EARLIER_CALL, is_successful, register_parties
from mock_server.domain.storage.seed import seed_company
from mock_server.domain.storage.store import Store
from mock_server.domain.timeutil import format_epoch_ms, to_epoch_ms

SEED = 5
COMPANY = 391
NOW = datetime(2026, 3, 13, 12, 0, 0, tzinfo=UTC)
DAYS = 12
PER_DAY = 120
FIRST = NOW - timedelta(days=DAYS)
_CALL_COLUMNS = (
    "company_id, started_at, call_type, call_status, destination_number, caller_number, "
    "caller_name, callee_number, callee_name, call_duration, conversation_duration, "
    "record_file_name, uuid, has_transcript, ended_by"
)


def _bulk_store() -> Store:
    store = Store()
    CallJournal(store)
    with store.transaction() as conn:
        seed_company(conn, SEED, COMPANY)
        seed_history(conn, SEED, COMPANY, NOW, DAYS, PER_DAY)
    return store


@pytest.fixture(scope="module")
def bulk() -> Iterator[Store]:
    store = _bulk_store()
    yield store
    store.close()


@pytest.fixture(scope="module")
def one_by_one(bulk: Store) -> Iterator[Store]:
    """The bulk store's calls journalled again, one at a time and shuffled, as live calls are
    (a call that settles late lands between calls journalled before it)."""
    rows = bulk.read().execute(f"SELECT {_CALL_COLUMNS} FROM calls ORDER BY id").fetchall()
    numbers = [
        str(r[0])
        for r in bulk.read().execute(
            "SELECT number FROM journal_parties WHERE company_id = ?", (COMPANY,)
        )
    ]
    shuffled = [tuple(row) for row in rows]
    random.Random(3).shuffle(shuffled)
    store = Store()
    CallJournal(store)
    with store.transaction() as conn:
        seed_company(conn, SEED, COMPANY)
        register_parties(conn, COMPANY, numbers)
        for row in shuffled:
            conn.execute(INSERT_CALL, row)
    yield store
    store.close()


def _links(store: Store) -> dict[str, tuple[int | None, int | None]]:
    return {
        str(uuid): (prev_at, pair_prev_at)
        for uuid, prev_at, pair_prev_at in store.read().execute(
            "SELECT uuid, prev_at, pair_prev_at FROM calls"
        )
    }


def _bodies(store: Store) -> dict[str, bytes]:
    return {
        str(uuid): bytes(body)
        for uuid, body in store.read().execute(
            "SELECT c.uuid, j.body FROM calls AS c JOIN call_json AS j ON j.id = c.id"
        )
    }


def _rollups(store: Store) -> list[tuple[Any, ...]]:
    return [
        tuple(row)
        for row in store.read().execute(
            "SELECT * FROM journal_rollups ORDER BY company_id, party, span, bucket"
        )
    ]


def test_links_json_and_rollups_same_in_bulk_and_one_by_one(bulk: Store, one_by_one: Store) -> None:
    links = _links(bulk)
    assert len(links) > 1000
    assert _links(one_by_one) == links
    assert _bodies(one_by_one) == _bodies(bulk)
    assert _rollups(one_by_one) == _rollups(bulk)


def test_links_point_to_the_callers_previous_successful_call(bulk: Store) -> None:
    rows = (
        bulk.read()
        .execute(
            "SELECT id, started_at, caller_number, callee_number, prev_at, pair_prev_at, "
            "call_type, call_status FROM calls WHERE company_id = ? ORDER BY started_at, id",
            (COMPANY,),
        )
        .fetchall()
    )
    registered = {
        str(r[0])
        for r in bulk.read().execute(
            "SELECT number FROM journal_parties WHERE company_id = ?", (COMPANY,)
        )
    }
    last: dict[str, int] = {}
    last_pair: dict[tuple[str, str], int] = {}
    for _, started, caller, callee, prev_at, pair_prev_at, call_type, status in rows:
        if not is_successful(call_type, status):
            assert (prev_at, pair_prev_at) == (None, None)
            continue
        assert prev_at == last.get(caller, NO_EARLIER_CALL)
        last[caller] = started
        if callee in registered:
            assert pair_prev_at == last_pair.get((caller, callee), NO_EARLIER_CALL)
            last_pair[(caller, callee)] = started
        else:
            assert pair_prev_at is None
    assert any(pair not in (None, NO_EARLIER_CALL) for *_, pair, _, _ in rows)
    assert any(link is None for _, _, _, _, link, *_ in rows)


def _expected_json(row: sqlite3.Row) -> bytes:
    """The record as the HTTP layer's jsonifier writes a dict (orjson, fields in the spec's
    order, absent values left out)."""
    record: dict[str, Any] = {
        "date": format_epoch_ms(row["started_at"]),
        "callType": row["call_type"],
    }
    for key, column in (
        ("destinationNumber", "destination_number"),
        ("callerNumber", "caller_number"),
        ("callerName", "caller_name"),
        ("calleeNumber", "callee_number"),
        ("calleeName", "callee_name"),
        ("callDuration", "call_duration"),
        ("conversationDuration", "conversation_duration"),
    ):
        if row[column] is not None:
            record[key] = row[column]
    record["callStatus"] = row["call_status"]
    record["recordFileName"] = row["record_file_name"]
    record["uuid"] = row["uuid"]
    return orjson.dumps(record)


def test_record_json_is_what_the_jsonifier_writes(bulk: Store) -> None:
    with bulk.transaction() as conn:
        # Names a client may have given (a manager's customer), and instants before 1970.
        for index, (started, name) in enumerate(
            [
                (to_epoch_ms(NOW) - 5, 'кавычки " и \\ обратная черта'),
                (to_epoch_ms(NOW) - 4, "управляющие \x01\x1f\n\t символы"),
                (-1, "до 1970 года"),
                (-86_400_001, None),
            ]
        ):
            conn.execute(
                INSERT_CALL,
                (COMPANY, started, "SINGLE_CHANNEL", "NOT_ANSWERED_COMMON", None, "7900",
                 name, None, None, 3, None, "", f"odd-{index}", 0, None),
            )  # fmt: skip
    rows = (
        bulk.read()
        .execute("SELECT c.*, j.body FROM calls AS c JOIN call_json AS j ON j.id = c.id")
        .fetchall()
    )
    assert len(rows) == bulk.read().execute("SELECT COUNT(*) FROM calls").fetchone()[0]
    for row in rows:
        assert bytes(row["body"]) == _expected_json(row), row["uuid"]


def test_records_json_is_the_page_of_bodies(bulk: Store) -> None:
    journal = CallJournal(bulk)
    page = journal.records_json(COMPANY, FIRST, NOW, size=7, page=3, sort="date,DESC")
    records = journal.records(COMPANY, FIRST, NOW, size=7, page=3, sort="date,DESC")
    assert page == orjson.dumps(records)
    assert len(records) == 7


# -- deep pages ----------------------------------------------------------------------------


def _reference_page(
    store: Store,
    start: datetime,
    end: datetime,
    *,
    page: int,
    size: int,
    descending: bool,
    is_recorded: bool,
) -> list[str]:
    """The page's uuids by a plain OFFSET over the whole window."""
    direction = "DESC" if descending else "ASC"
    recorded = " AND record_file_name != ''" if is_recorded else ""
    return [
        str(r[0])
        for r in store.read().execute(
            "SELECT uuid FROM calls WHERE company_id = ? AND started_at >= ? AND started_at < ?"
            f"{recorded} ORDER BY started_at {direction}, id {direction} LIMIT ? OFFSET ?",
            (COMPANY, to_epoch_ms(start), to_epoch_ms(end), size, page * size),
        )
    ]


@settings(max_examples=60, deadline=None)
@given(
    offset_ms=st.integers(min_value=-86_400_000, max_value=DAYS * 86_400_000),
    length_ms=st.integers(min_value=1, max_value=(DAYS + 1) * 86_400_000),
    fraction=st.floats(min_value=0, max_value=1.05),
    size=st.sampled_from([1, 7, 50, 333]),
    descending=st.booleans(),
    is_recorded=st.booleans(),
)
def test_deep_pages_are_the_plain_offsets(
    bulk: Store,
    offset_ms: int,
    length_ms: int,
    fraction: float,
    size: int,
    descending: bool,
    is_recorded: bool,
) -> None:
    # Deep pages are found from the hourly roll-ups (journal._seek); they must be the pages a
    # plain OFFSET finds, at every depth, in both directions, with and without recordings.
    journal = CallJournal(bulk)
    start = FIRST + timedelta(milliseconds=offset_ms)
    end = start + timedelta(milliseconds=length_ms)
    total = len(_reference_page(bulk, start, end, page=0, size=10**9, descending=False,
                                is_recorded=is_recorded))  # fmt: skip
    page = int(total / size * fraction)
    sort = "date,DESC" if descending else "date,ASC"
    got = journal.records(
        COMPANY, start, end, page=page, size=size, sort=sort, is_recorded=is_recorded
    )
    assert [r["uuid"] for r in got] == _reference_page(
        bulk, start, end, page=page, size=size, descending=descending, is_recorded=is_recorded
    )


def test_deep_pages_seek_from_an_hour(bulk: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    # The seek is taken (a deep page starts at an hour's edge), and the result is the same.
    sought: list[tuple[int, int, int]] = []
    seek = journal_module._seek

    def spy(*args: Any) -> tuple[int, int, int]:
        found = seek(*args)
        sought.append(found)
        return found

    monkeypatch.setattr(journal_module, "_seek", spy)
    journal = CallJournal(bulk)
    got = journal.records(COMPANY, FIRST, NOW, page=30, size=50)
    assert sought
    assert sought[0][2] < 1000
    assert [r["uuid"] for r in got] == _reference_page(
        bulk, FIRST, NOW, page=30, size=50, descending=False, is_recorded=False
    )


# -- a state file from before ----------------------------------------------------------------


# The calls table as a mock without the journal's links, JSON and roll-ups wrote it.
_CALLS_BEFORE = """
CREATE TABLE calls (
    id                    INTEGER PRIMARY KEY,
    company_id            INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    started_at            INTEGER NOT NULL,
    call_type             TEXT NOT NULL,
    call_status           TEXT NOT NULL,
    destination_number    TEXT,
    caller_number         TEXT NOT NULL,
    caller_name           TEXT,
    callee_number         TEXT,
    callee_name           TEXT,
    call_duration         INTEGER NOT NULL CHECK (call_duration >= 0),
    conversation_duration INTEGER,
    record_file_name      TEXT NOT NULL DEFAULT '',
    uuid                  TEXT NOT NULL,
    has_transcript        INTEGER NOT NULL DEFAULT 0,
    ended_by              TEXT
);
CREATE INDEX calls_by_time ON calls(company_id, started_at);
CREATE INDEX calls_by_caller ON calls(company_id, caller_number, started_at);
CREATE INDEX calls_by_callee ON calls(company_id, callee_number, started_at);
CREATE UNIQUE INDEX calls_by_record
    ON calls(company_id, record_file_name) WHERE record_file_name != '';
"""


def test_state_file_from_before_gets_links_json_and_rollups(tmp_path: Path) -> None:
    fresh = Store()
    CallJournal(fresh)
    with fresh.transaction() as conn:
        seed_company(conn, SEED, COMPANY)
        seed_history(conn, SEED, COMPANY, NOW, 4, 60)
    links, bodies, rollups = _links(fresh), _bodies(fresh), _rollups(fresh)
    window = (NOW - timedelta(days=3, hours=5), NOW)
    stats = CallStatistics(fresh).common(COMPANY, *window)
    calls = fresh.read().execute(f"SELECT id, {_CALL_COLUMNS} FROM calls").fetchall()
    fresh.close()

    path = tmp_path / "state.sqlite3"
    before = Store(path)
    before.read().executescript(_CALLS_BEFORE)
    with before.transaction() as conn:
        seed_company(conn, SEED, COMPANY)
        marks = ", ".join("?" * 16)
        conn.executemany(
            f"INSERT INTO calls (id, {_CALL_COLUMNS}) VALUES ({marks})", [tuple(r) for r in calls]
        )
    before.close()

    reopened = Store(path)
    try:
        upgraded = CallStatistics(reopened)
        assert _links(reopened) == links
        assert _bodies(reopened) == bodies
        assert _rollups(reopened) == rollups
        assert upgraded.common(COMPANY, *window) == stats
    finally:
        reopened.close()


# -- seeding in bulk ---------------------------------------------------------------------------


def test_made_ahead_hands_over_in_order_and_raises_what_the_maker_raises() -> None:
    assert list(bulk_journal._made_ahead(iter(range(50)))) == list(range(50))

    def failing() -> Iterator[int]:
        yield 1
        raise LookupError("the maker failed")

    made = bulk_journal._made_ahead(failing())
    assert next(made) == 1
    with pytest.raises(LookupError, match="the maker failed"):
        next(made)


def test_made_ahead_stops_its_thread_when_the_consumer_stops() -> None:
    made_so_far: list[int] = []

    def endless() -> Iterator[int]:
        n = 0
        while True:
            made_so_far.append(n)
            yield n
            n += 1

    made = bulk_journal._made_ahead(endless())
    assert [next(made) for _ in range(3)] == [0, 1, 2]
    made.close()  # joins the thread: it must have stopped
    assert len(made_so_far) <= 6


def test_bulk_roll_ups_read_each_chunk_by_id_not_the_whole_company() -> None:
    # Seeding rolls up each chunk of new calls as it goes; reading a chunk through an index on
    # company_id walked every call seeded so far, and seeding a million calls got quadratic.
    store = Store()
    CallJournal(store)
    statements: list[str] = []
    with store.transaction() as conn:
        seed_company(conn, SEED, COMPANY)
        conn.set_trace_callback(statements.append)
        seed_history(conn, SEED, COMPANY, NOW, 2, PER_DAY)
        conn.set_trace_callback(None)
        roll_ups = [
            s for s in statements if "journal_rollups" in s and "FROM calls" in s and " id >= " in s
        ]
        assert len(roll_ups) >= 2, "the company's hours and its parties' hours"
        for statement in roll_ups:
            plan = " | ".join(
                str(row[3]) for row in conn.execute("EXPLAIN QUERY PLAN " + statement)
            )
            assert "INTEGER PRIMARY KEY (rowid>? AND rowid<?)" in plan, plan
            assert "calls_" not in plan, plan
    store.close()


def test_state_file_of_the_earlier_statistics_gets_todays_links_and_rollups(
    tmp_path: Path,
) -> None:
    # A file written when every call had links and the roll-ups held other figures (before
    # D19's definitions): reopened, its links and roll-ups are today's, computed afresh.
    path = tmp_path / "state.sqlite3"
    fresh = Store(path)
    CallJournal(fresh)
    with fresh.transaction() as conn:
        seed_company(conn, SEED, COMPANY)
        seed_history(conn, SEED, COMPANY, NOW, 4, 60)
    links, rollups = _links(fresh), _rollups(fresh)
    window = (NOW - timedelta(days=3, hours=5), NOW)
    stats = CallStatistics(fresh).common(COMPANY, *window)
    with fresh.transaction() as conn:
        conn.execute("ALTER TABLE journal_rollups RENAME COLUMN success TO answered")
        conn.execute("UPDATE calls SET prev_at = started_at - 1, pair_prev_at = NULL")
    fresh.close()

    reopened = Store(path)
    try:
        upgraded = CallStatistics(reopened)
        assert _links(reopened) == links
        assert _rollups(reopened) == rollups
        assert upgraded.common(COMPANY, *window) == stats
    finally:
        reopened.close()
