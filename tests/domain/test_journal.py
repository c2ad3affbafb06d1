"""The call journal: seeded history, GET /call-records/info pages, recordings, transcripts."""

from __future__ import annotations

import builtins
import io
import itertools
import os
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest

from mock_server.domain.errors import InvalidInput, NotFound
from mock_server.domain.rules.call_records import CALL_STATUSES, CALL_TYPES, COMPANY_PLACED_TYPES
from mock_server.domain.rules.history import MOSCOW, expected_call_count, seed_history
from mock_server.domain.rules.journal import SORT_FIELDS, CallJournal
from mock_server.domain.storage.seed import company_main_number, seed_company
from mock_server.domain.storage.store import Store
from mock_server.domain.timeutil import from_epoch_ms, to_epoch_ms

SEED = 7
COMPANY = 391
OTHER_COMPANY = 392
# A Friday noon, so the history ends inside a working day.
NOW = datetime(2026, 3, 13, 12, 0, 0, tzinfo=UTC)
DAYS = 30
PER_DAY = 40
FIRST = NOW - timedelta(days=DAYS)
RECORD_KEYS = (
    "date",
    "callType",
    "destinationNumber",
    "callerNumber",
    "callerName",
    "calleeNumber",
    "calleeName",
    "callDuration",
    "conversationDuration",
    "callStatus",
    "recordFileName",
    "uuid",
)
FILE_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})/(mo_)?(\d{18})")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def _seeded_store(seed: int = SEED, now: datetime = NOW, per_day: int = PER_DAY) -> Store:
    store = Store()
    CallJournal(store)
    with store.transaction() as conn:
        for company in (COMPANY, OTHER_COMPANY):
            seed_company(conn, seed, company)
            seed_history(conn, seed, company, now, DAYS, per_day)
    return store


def _rows(store: Store, company: int = COMPANY) -> list[dict[str, Any]]:
    return [
        dict(row)
        for row in store.read().execute(
            "SELECT * FROM calls WHERE company_id = ? ORDER BY started_at, id", (company,)
        )
    ]


# Derived from the calls around a call (which earlier call of its caller it follows), not part
# of the call itself.
_LINKS = ("id", "prev_at", "pair_prev_at")


def _without_ids(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [tuple(v for k, v in row.items() if k not in _LINKS) for row in rows]


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    seeded = _seeded_store()
    yield seeded
    seeded.close()


@pytest.fixture(scope="module")
def journal(store: Store) -> CallJournal:
    return CallJournal(store)


@pytest.fixture(scope="module")
def rows(store: Store) -> list[dict[str, Any]]:
    return _rows(store)


@pytest.fixture(scope="module")
def employees(store: Store) -> dict[str, str | None]:
    """Full number -> display name of the company's reachable employees."""
    return {
        str(r["full_number"]): " ".join(p for p in (r["name"], r["surname"]) if p) or None
        for r in store.read().execute(
            "SELECT * FROM employees WHERE company_id = ? AND full_number IS NOT NULL",
            (COMPANY,),
        )
    }


@pytest.fixture(scope="module")
def blacklist(store: Store) -> set[str]:
    return {
        str(r[0])
        for r in store.read().execute(
            "SELECT number FROM blacklist WHERE company_id = ?", (COMPANY,)
        )
    }


def _all_pages(journal: CallJournal, size: int = 2000, **filters: Any) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    page = 0
    while True:
        chunk = journal.records(COMPANY, FIRST, NOW, page=page, size=size, **filters)
        assert len(chunk) <= size
        records += chunk
        if len(chunk) < size:
            return records
        page += 1


# -- seeded history ---------------------------------------------------------------------------


def test_seed_history_deterministic_by_seed(rows: list[dict[str, Any]]) -> None:
    again = _seeded_store()
    other = _seeded_store(seed=SEED + 1)
    try:
        assert _without_ids(_rows(again)) == _without_ids(rows)
        assert _without_ids(_rows(other)) != _without_ids(rows)
    finally:
        again.close()
        other.close()


def test_seed_history_days_independent_of_now(rows: list[dict[str, Any]]) -> None:
    # Started a day later, the PBX has the same calls on the days both histories cover.
    later = _seeded_store(now=NOW + timedelta(days=1))
    try:
        lo = to_epoch_ms(FIRST + timedelta(days=2))
        hi = to_epoch_ms(NOW - timedelta(days=1))

        def inside(rs: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
            return _without_ids([r for r in rs if lo <= r["started_at"] < hi])

        assert inside(_rows(later)) == inside(rows)
        assert inside(rows)
    finally:
        later.close()


def test_seed_history_within_window_and_ended(rows: list[dict[str, Any]]) -> None:
    first_ms, now_ms = to_epoch_ms(FIRST), to_epoch_ms(NOW)
    assert rows
    for row in rows:
        assert first_ms <= row["started_at"]
        assert row["started_at"] + row["call_duration"] * 1000 <= now_ms


def test_seed_history_business_hours_moscow(rows: list[dict[str, Any]]) -> None:
    hours = Counter(from_epoch_ms(r["started_at"]).astimezone(MOSCOW).hour for r in rows)
    assert set(hours) <= set(range(9, 19))
    # A lunch dip between the morning and afternoon peaks.
    assert hours[13] < hours[11]
    assert hours[13] < hours[15]


def test_seed_history_weekends_quiet_weekdays_average(rows: list[dict[str, Any]]) -> None:
    per_day = Counter(from_epoch_ms(r["started_at"]).astimezone(MOSCOW).date() for r in rows)
    first_full = FIRST.astimezone(MOSCOW).date() + timedelta(days=1)
    last_full = NOW.astimezone(MOSCOW).date() - timedelta(days=1)
    days = [first_full + timedelta(days=i) for i in range((last_full - first_full).days + 1)]
    weekdays = [per_day[d] for d in days if d.weekday() < 5]
    weekends = [per_day[d] for d in days if d.weekday() >= 5]
    weekday_mean = sum(weekdays) / len(weekdays)
    assert abs(weekday_mean - PER_DAY) < PER_DAY * 0.15
    assert sum(weekends) / len(weekends) < weekday_mean * 0.3


def test_seed_history_calls_per_day_scales() -> None:
    store = Store()
    try:
        CallJournal(store)
        with store.transaction() as conn:
            seed_company(conn, SEED, COMPANY)
            busy = seed_history(conn, SEED, COMPANY, NOW, 5, 2000)
        # Back from Friday 15:00 MSK: Sunday after 15:00 (quiet), Monday to Thursday, and
        # Friday until 15:00 (63 % of its weighted hours).
        expected = expected_call_count(NOW, 5, 2000)
        assert 2000 * 4.5 < expected < 2000 * 4.7
        assert abs(busy - expected) < expected * 0.05
        with store.transaction() as conn:
            seed_company(conn, SEED, 500)
            assert seed_history(conn, SEED, 500, NOW, 0, 400) == 0
    finally:
        store.close()


def test_seed_history_enums_and_mix(rows: list[dict[str, Any]]) -> None:
    types = Counter(r["call_type"] for r in rows)
    statuses = Counter(r["call_status"] for r in rows)
    assert set(types) <= set(CALL_TYPES)
    assert set(statuses) <= set(CALL_STATUSES)
    assert len(types) >= 10
    incoming = types["SINGLE_CHANNEL"] + types["MULTI_CHANNEL"]
    assert incoming > len(rows) * 0.4
    assert types["OUTGOING"] > types["INTERNAL_QUEUE"] > 0
    answered = sum(n for s, n in statuses.items() if s.startswith("ANSWERED_"))
    assert 0.55 < answered / len(rows) < 0.9
    for status in ("NOT_ANSWERED_COMMON", "CANCELLED_BY_CALLER", "DESTINATION_BUSY"):
        assert statuses[status] > 0


def test_seed_history_record_invariants(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        answered = row["call_status"].startswith("ANSWERED_")
        conversation = row["conversation_duration"]
        assert (conversation is not None) == answered, row
        if conversation is not None:
            assert 0 < conversation <= row["call_duration"], row
        name = row["record_file_name"]
        if name:
            assert answered, row
            match = FILE_NAME.fullmatch(name)
            assert match is not None, name
            assert match[1] == from_epoch_ms(row["started_at"]).date().isoformat()
            assert bool(match[2]) == (row["call_type"] in COMPANY_PLACED_TYPES)
            assert match[3].startswith(str(row["started_at"]))
            assert row["call_type"] != "FAX"
        else:
            assert not row["has_transcript"]
        assert UUID.fullmatch(row["uuid"]), row["uuid"]
    assert len({r["uuid"] for r in rows}) == len(rows)
    names = [r["record_file_name"] for r in rows if r["record_file_name"]]
    assert len(set(names)) == len(names)


def test_seed_history_answered_calls_have_the_party_that_hung_up(
    rows: list[dict[str, Any]],
) -> None:
    answered = [r for r in rows if r["call_status"].startswith("ANSWERED_")]
    assert all(r["ended_by"] is None for r in rows if r not in answered)
    parties = Counter(r["ended_by"] for r in answered)
    assert set(parties) == {"A", "B"}
    # Half of the conversations each, within the spread of a few hundred coin flips.
    assert abs(parties["A"] - parties["B"]) < len(answered) * 0.15, parties


def test_seed_history_most_answered_recorded_most_transcribed(rows: list[dict[str, Any]]) -> None:
    answered = [r for r in rows if r["conversation_duration"] is not None]
    recorded = [r for r in answered if r["record_file_name"]]
    transcribed = [r for r in recorded if r["has_transcript"]]
    assert 0.7 < len(recorded) / len(answered) < 0.97
    assert 0.7 < len(transcribed) / len(recorded) < 0.97


def test_seed_history_blacklisted_callers_denied(
    rows: list[dict[str, Any]], blacklist: set[str]
) -> None:
    denied = [r for r in rows if r["call_status"] == "DENIED_DUE_TO_BLACK_LISTED"]
    assert denied
    assert all(r["caller_number"] in blacklist for r in denied)
    for row in rows:
        if row["caller_number"] in blacklist:
            assert row["call_status"] == "DENIED_DUE_TO_BLACK_LISTED", row
            assert row["call_duration"] == 0
            assert row["record_file_name"] == ""


def test_seed_history_parties_are_employees(
    rows: list[dict[str, Any]], employees: dict[str, str | None]
) -> None:
    main_number = company_main_number(SEED, COMPANY)
    for row in rows:
        caller, callee = row["caller_number"], row["callee_number"]
        # Every call has an employee (with a full number) on one side at least.
        assert caller in employees or callee in employees, row
        if caller in employees:
            assert row["caller_name"] == employees[caller]
        if callee in employees:
            assert row["callee_name"] == employees[callee]
        if row["call_type"] in ("INTERNAL", "HIMSELF"):
            assert caller in employees
            assert callee in employees
        if row["call_type"] in ("MULTI_CHANNEL", "INTERNAL_QUEUE"):
            assert row["destination_number"] == main_number
        if (
            row["call_status"]
            in (
                "ANSWERED_BY_BUSY_FORWARD_CLIENT",
                "ANSWERED_BY_NO_ANSWER_FORWARD_CLIENT",
            )
            and row["call_type"] == "SINGLE_CHANNEL"
        ):
            assert row["callee_number"] != row["destination_number"]


def test_seed_history_repeat_callers(rows: list[dict[str, Any]], employees: dict[str, Any]) -> None:
    outside = Counter(r["caller_number"] for r in rows if r["caller_number"] not in employees)
    repeats = sum(n - 1 for n in outside.values())
    assert repeats > len(outside) * 0.5
    assert outside.most_common(1)[0][1] >= 5


def test_seed_history_known_contacts_named(store: Store, rows: list[dict[str, Any]]) -> None:
    contacts = {
        str(r[0]): r[1]
        for r in store.read().execute(
            "SELECT real_number, name FROM customers WHERE company_id = ?", (COMPANY,)
        )
    }
    from_contacts = [r for r in rows if r["caller_number"] in contacts]
    assert from_contacts
    assert all(r["caller_name"] == contacts[r["caller_number"]] for r in from_contacts)


# -- records() --------------------------------------------------------------------------------


def test_records_shape_matches_call_record(journal: CallJournal) -> None:
    records = _all_pages(journal)
    assert records
    for record in records:
        keys = list(record)
        assert keys == [k for k in RECORD_KEYS if k in record]
        for required in ("date", "callType", "callStatus", "callerNumber", "callDuration"):
            assert required in record
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z", record["date"])
        assert ("conversationDuration" in record) == record["callStatus"].startswith("ANSWERED_")
        assert None not in record.values()
    assert any("callerName" not in r for r in records)


def test_records_window_half_open(journal: CallJournal, rows: list[dict[str, Any]]) -> None:
    row = rows[len(rows) // 2]
    at = from_epoch_ms(row["started_at"])
    starting = journal.records(COMPANY, at, at + timedelta(milliseconds=1), size=2000)
    assert row["uuid"] in {r["uuid"] for r in starting}
    before = journal.records(COMPANY, at - timedelta(hours=1), at, size=2000)
    assert row["uuid"] not in {r["uuid"] for r in before}


def test_records_all_pages_cover_window(journal: CallJournal, rows: list[dict[str, Any]]) -> None:
    records = _all_pages(journal, size=37)
    assert [r["uuid"] for r in records] == [r["uuid"] for r in rows]


def test_records_caller_filter(journal: CallJournal, rows: list[dict[str, Any]]) -> None:
    caller = Counter(r["caller_number"] for r in rows).most_common(1)[0][0]
    records = _all_pages(journal, size=5, caller=caller)
    assert records
    assert all(r["callerNumber"] == caller for r in records)
    assert len(records) == sum(1 for r in rows if r["caller_number"] == caller)


def test_records_callee_filter(journal: CallJournal, rows: list[dict[str, Any]]) -> None:
    callee = Counter(r["callee_number"] for r in rows).most_common(1)[0][0]
    records = _all_pages(journal, callee=callee)
    assert records
    assert all(r["calleeNumber"] == callee for r in records)
    assert len(records) == sum(1 for r in rows if r["callee_number"] == callee)


def test_records_caller_and_callee_one_direction(
    journal: CallJournal, rows: list[dict[str, Any]]
) -> None:
    pairs = Counter((r["caller_number"], r["callee_number"]) for r in rows)
    (caller, callee), count = pairs.most_common(1)[0]
    records = _all_pages(journal, caller=caller, callee=callee)
    assert len(records) == count
    assert all(r["callerNumber"] == caller and r["calleeNumber"] == callee for r in records)
    reverse = _all_pages(journal, caller=callee, callee=caller)
    assert len(reverse) == pairs[(callee, caller)]


def test_records_blank_filter_is_no_filter(journal: CallJournal) -> None:
    assert journal.records(COMPANY, FIRST, NOW, caller="", callee=" ", size=20) == (
        journal.records(COMPANY, FIRST, NOW, size=20)
    )
    # Blank as the spec's pattern and the number rules read it: a byte-order mark too.
    assert journal.records(COMPANY, FIRST, NOW, caller="\ufeff", callee="\x1f", size=20) == (
        journal.records(COMPANY, FIRST, NOW, size=20)
    )


def test_records_is_recorded(journal: CallJournal, rows: list[dict[str, Any]]) -> None:
    records = _all_pages(journal, size=100, is_recorded=True)
    assert len(records) == sum(1 for r in rows if r["record_file_name"])
    assert all(r["recordFileName"] for r in records)


def test_records_other_company_isolated(store: Store, journal: CallJournal) -> None:
    ours = {r["uuid"] for r in _all_pages(journal)}
    theirs = journal.records(OTHER_COMPANY, FIRST, NOW, size=2000)
    assert theirs
    assert ours.isdisjoint(r["uuid"] for r in theirs)
    assert journal.records(999, FIRST, NOW) == []


def _sort_key(value: Any) -> tuple[int, Any]:
    # SQLite puts NULL (an absent field) first in ascending order, last in descending.
    if value is None:
        return (0, 0)
    return (1, value)


@pytest.mark.parametrize("direction", ["ASC", "DESC", "asc", "Desc", None])
@pytest.mark.parametrize("field", list(SORT_FIELDS))
def test_records_sort_every_field(
    journal: CallJournal, rows: list[dict[str, Any]], field: str, direction: str | None
) -> None:
    sort = field if direction is None else f"{field},{direction}"
    descending = (direction or "asc").upper() == "DESC"
    records = _all_pages(journal, size=97, sort=sort)
    assert len(records) == len(rows)
    assert len({r["uuid"] for r in records}) == len(records)  # pages never overlap
    keys = [_sort_key(r.get(field)) for r in records]
    assert keys == sorted(keys, reverse=descending)


def test_records_sort_ties_by_journal_position(
    journal: CallJournal, rows: list[dict[str, Any]]
) -> None:
    position = {r["uuid"]: i for i, r in enumerate(rows)}
    records = _all_pages(journal, size=13, sort="callStatus,ASC")
    for before, after in itertools.pairwise(records):
        if before["callStatus"] == after["callStatus"]:
            assert position[before["uuid"]] < position[after["uuid"]]


def test_records_sort_date_desc_reverses_journal(
    journal: CallJournal, rows: list[dict[str, Any]]
) -> None:
    records = _all_pages(journal, size=50, sort="date,DESC")
    assert [r["uuid"] for r in records] == [r["uuid"] for r in reversed(rows)]


def test_records_sort_several_properties_and_values(
    journal: CallJournal, rows: list[dict[str, Any]]
) -> None:
    # One value with two properties and one direction, then a repeated value (Spring, D23).
    records = _all_pages(journal, size=211, sort=["callType,callStatus,DESC", "date"])
    assert len(records) == len(rows)
    keys = [(r["callType"], r["callStatus"]) for r in records]
    assert keys == sorted(keys, reverse=True)
    for before, after in itertools.pairwise(records):
        if (before["callType"], before["callStatus"]) == (after["callType"], after["callStatus"]):
            assert before["date"] <= after["date"]


@pytest.mark.parametrize("sort", [None, [], "", "DESC", ",", ",,DESC"])
def test_records_sort_without_property_is_date_ascending(
    journal: CallJournal, sort: str | list[str] | None
) -> None:
    assert journal.records(COMPANY, FIRST, NOW, sort=sort, size=30) == journal.records(
        COMPANY, FIRST, NOW, sort="date,ASC", size=30
    )


@pytest.mark.parametrize("sort", ["xyz,DESC", "date,UP", "DESC,date", ["date", "Date"]])
def test_records_unknown_sort_property(journal: CallJournal, sort: str | list[str]) -> None:
    with pytest.raises(InvalidInput) as info:
        journal.records(COMPANY, FIRST, NOW, sort=sort)
    message = info.value.message
    assert message.startswith("Query parameter 'sort': no property ")
    assert all(field in message for field in SORT_FIELDS)


@pytest.mark.parametrize(
    ("page", "size", "served"),
    [
        (-1, 10, (0, 10)),
        (0, 0, (0, 10)),
        (0, -5, (0, 10)),
        (0, 2001, (0, 2000)),
        (1, 5000, (1, 2000)),
    ],
)
def test_records_page_and_size_as_spring(
    journal: CallJournal, page: int, size: int, served: tuple[int, int]
) -> None:
    expected = journal.records(COMPANY, FIRST, NOW, page=served[0], size=served[1])
    assert journal.records(COMPANY, FIRST, NOW, page=page, size=size) == expected


@pytest.mark.parametrize(("page", "size"), [(2**31, 10), (0, -(2**31) - 1), (0, 2**40)])
def test_records_page_and_size_beyond_int32(journal: CallJournal, page: int, size: int) -> None:
    with pytest.raises(InvalidInput) as info:
        journal.records(COMPANY, FIRST, NOW, page=page, size=size)
    assert "32-bit integer" in info.value.message


def test_records_page_beyond_end_empty(journal: CallJournal) -> None:
    assert journal.records(COMPANY, FIRST, NOW, page=10**6, size=2000) == []


@pytest.mark.parametrize("delta", [timedelta(0), timedelta(days=-1)])
def test_records_empty_or_reversed_window_has_no_calls(
    journal: CallJournal, delta: timedelta
) -> None:
    middle = FIRST + timedelta(days=DAYS // 2)
    assert journal.records(COMPANY, middle, middle + delta, size=2000) == []


@pytest.mark.parametrize("form", ["8{rest}", "+7{rest}", " 7{rest} "])
def test_records_number_forms_match_alike(
    journal: CallJournal, rows: list[dict[str, Any]], form: str
) -> None:
    number = Counter(r["caller_number"] for r in rows if r["caller_number"].startswith("79"))
    caller = number.most_common(1)[0][0]
    callee = next(r["callee_number"] for r in rows if str(r["callee_number"]).startswith("79"))
    assert _all_pages(journal, caller=form.format(rest=caller[1:])) == _all_pages(
        journal, caller=caller
    )
    assert _all_pages(journal, callee=form.format(rest=callee[1:])) == _all_pages(
        journal, callee=callee
    )


def test_records_query_uses_indexes(store: Store) -> None:
    # The time order comes from an index, never from sorting the window.
    plan = " ".join(
        str(r[3])
        for r in store.read().execute(
            "EXPLAIN QUERY PLAN SELECT id FROM calls WHERE company_id = 1 AND caller_number = '7' "
            "AND started_at >= 0 AND started_at < 9 ORDER BY started_at DESC, id DESC LIMIT 50"
        )
    )
    assert "calls_by_caller" in plan
    assert "TEMP B-TREE" not in plan


# -- recordings and transcripts ---------------------------------------------------------------


@pytest.fixture
def no_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if Python code opens a file (SQLite's own I/O is not Python's)."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"filesystem touched: {args!r}")

    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(io, "open", refuse)
    monkeypatch.setattr(os, "open", refuse)
    monkeypatch.setattr(os, "stat", refuse)


def _recorded(rows: list[dict[str, Any]], *, transcript: bool, placed: bool) -> dict[str, Any]:
    return next(
        r
        for r in rows
        if r["record_file_name"]
        and bool(r["has_transcript"]) == transcript
        and (r["call_type"] in COMPANY_PLACED_TYPES) == placed
    )


@pytest.mark.parametrize("placed", [False, True])
@pytest.mark.parametrize("encoding", ["plain", "single", "double", "triple"])
def test_find_recording_encodings(
    journal: CallJournal, rows: list[dict[str, Any]], encoding: str, placed: bool
) -> None:
    row = _recorded(rows, transcript=True, placed=placed)
    name = row["record_file_name"]
    sent = {
        "plain": name,
        "single": quote(name, safe=""),
        "double": quote(quote(name, safe=""), safe=""),
        "triple": quote(quote(quote(name, safe=""), safe=""), safe=""),
    }[encoding]
    recording = journal.find_recording(COMPANY, sent)
    assert recording.name == name
    assert recording.duration_seconds == row["conversation_duration"]
    assert recording.size > 0
    assert recording.read(0, 2) == b"ID3"


def test_find_recording_unknown_well_formed(journal: CallJournal) -> None:
    with pytest.raises(NotFound) as info:
        journal.find_recording(COMPANY, "2026-03-13%2F177342115767354776")
    assert "2026-03-13/177342115767354776" in info.value.message


def test_find_recording_other_company(journal: CallJournal, rows: list[dict[str, Any]]) -> None:
    name = _recorded(rows, transcript=True, placed=False)["record_file_name"]
    with pytest.raises(NotFound):
        journal.find_recording(OTHER_COMPANY, name)


def test_find_recording_unanswered_has_none(
    journal: CallJournal, rows: list[dict[str, Any]]
) -> None:
    # An unanswered call's file name would be of this shape; the journal has none.
    row = next(r for r in rows if r["conversation_duration"] is None)
    day = from_epoch_ms(row["started_at"]).date().isoformat()
    with pytest.raises(NotFound):
        journal.find_recording(COMPANY, f"{day}/{row['started_at']}00000")


@pytest.mark.parametrize(
    "filename",
    [
        "../etc/passwd",
        "%2e%2e%2fetc%2fpasswd",
        "%252e%252e%252fetc%252fpasswd",
        "/etc/passwd",
        "%2Fetc%2Fpasswd",
        "2022-07-15/../../etc/passwd",
        "2022-07-15%2F..%2F..%2Fetc%2Fpasswd",
        "2022-07-15%252F..%252F165787002922476116",
        "2022-07-15\\165787002922476116",
        "2022-07-15%5C165787002922476116",
        "2022-07-15/165787002922476116\x00.mp3",
        "2022-07-15%2F165787002922476116%00",
        "2022-07-15/165787002922476116/",
        "/2022-07-15/165787002922476116",
        "2022-07-15//165787002922476116",
        "2022-07-15/ 165787002922476116",
        "2022-07-15/165787002922476116.mp3",
        "2022-07-15/mo_",
        "2022-07-15/abc",
        "22-07-15/165787002922476116",
        "2022-07-15/١٦٥٧٨٧",  # Arabic-Indic digits are not digits here
        "2022-07-15",
        "%",
        "%25252525252F",
        "2022-07-15/" + "1" * 500,
    ],
)
def test_find_recording_rejects_malformed(
    journal: CallJournal, no_files: None, filename: str
) -> None:
    with pytest.raises(InvalidInput) as info:
        journal.find_recording(COMPANY, filename)
    assert info.value.message.startswith("Query parameter 'filename'")
    with pytest.raises(InvalidInput):
        journal.transcript(COMPANY, filename)


@pytest.mark.parametrize(
    "filename", ["", "2022-13-15/165787002922476116", "2022-02-30/165787002922476116"]
)
def test_find_recording_shapely_but_impossible_is_not_found(
    journal: CallJournal, no_files: None, filename: str
) -> None:
    # The spec's pattern admits these (and an unanswered call's empty recordFileName): they
    # name no recording (D11, D28).
    with pytest.raises(NotFound):
        journal.find_recording(COMPANY, filename)
    with pytest.raises(NotFound):
        journal.transcript(COMPANY, filename)


def test_transcript_words(journal: CallJournal, rows: list[dict[str, Any]]) -> None:
    row = _recorded(rows, transcript=True, placed=False)
    words = journal.transcript(COMPANY, quote(quote(row["record_file_name"], safe=""), safe=""))
    assert words
    assert all(list(w) == ["channel", "startTime", "endTime", "word"] for w in words)
    assert {w["channel"] for w in words} <= {"A", "B"}
    assert all(isinstance(w["startTime"], float | int) for w in words)
    assert max(float(str(w["endTime"])) for w in words) <= row["conversation_duration"]
    assert journal.transcript(COMPANY, row["record_file_name"]) == words


def test_transcript_missing_is_not_found(journal: CallJournal, rows: list[dict[str, Any]]) -> None:
    row = _recorded(rows, transcript=False, placed=False)
    # The recording exists, its transcript does not.
    assert journal.find_recording(COMPANY, row["record_file_name"]).size > 0
    with pytest.raises(NotFound) as info:
        journal.transcript(COMPANY, row["record_file_name"])
    assert info.value.message.startswith("No transcript for ")


def test_journal_count_and_settle_hook(store: Store) -> None:
    calls: list[int] = []
    hooked = CallJournal(store, settle=calls.append)
    assert hooked.count(COMPANY) == len(_rows(store))
    hooked.records(COMPANY, FIRST, NOW)
    assert calls == [COMPANY, COMPANY]


def test_calls_table_rejects_inconsistent_rows(store: Store) -> None:
    # The table's checks keep the invariants even for rows written by other modules.
    with pytest.raises(sqlite3.IntegrityError), store.transaction() as conn:
        conn.execute(
            "INSERT INTO calls (company_id, started_at, call_type, call_status, caller_number, "
            "call_duration, conversation_duration, record_file_name, uuid) "
            "VALUES (?, 0, 'SINGLE_CHANNEL', 'NOT_ANSWERED_COMMON', '7', 10, 5, '', 'x')",
            (COMPANY,),
        )


def test_company_main_number_is_the_seeds_and_the_companys() -> None:
    # Its stability across processes and wall dates: tests/robustness/test_determinism.py.
    assert company_main_number(1, 391) != company_main_number(1, 392)
    assert company_main_number(1, 391) != company_main_number(2, 391)
    assert re.fullmatch(r"7495\d{7}", company_main_number(1, 391))
