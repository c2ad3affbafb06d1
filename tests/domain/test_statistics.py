"""GET /statistics/common and /statistics/journal against the spec's definitions."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contract_tests.checks import expected_common, identity_problems
from mock_server.domain.errors import InvalidInput
from mock_server.domain.rules import statistics as statistics_module
from mock_server.domain.rules.hangups import ended_by
from mock_server.domain.rules.history import seed_history
from mock_server.domain.rules.journal import CallJournal
from mock_server.domain.rules.statistics import CallStatistics, days_touched
from mock_server.domain.storage.call_rows import INSERT_CALL
from mock_server.domain.storage.rollups import register_parties
from mock_server.domain.storage.seed import seed_company
from mock_server.domain.storage.store import Store
from mock_server.domain.timeutil import Window, parse_instant, to_epoch_ms

SEED = 3
COMPANY = 391
HAND_COMPANY = 900
NOW = datetime(2026, 3, 13, 12, 0, 0, tzinfo=UTC)
DAYS = 30
FIRST = NOW - timedelta(days=DAYS)
# The hand-made journal: a window of two days starting on a UTC hour.
T0 = datetime(2026, 1, 5, 6, 0, 0, tzinfo=UTC)
T_END = T0 + timedelta(days=2)
A, B, C, D = "79000000001", "79000000002", "79000000003", "79000000004"
E1, E2 = "79100000001", "79100000002"
MAIN = "74950000000"
# (minutes after T0, type, status, caller, callee, callDuration, conversationDuration)
HAND_ROWS: tuple[tuple[int, str, str, str, str, int, int | None], ...] = (
    (0, "SINGLE_CHANNEL", "ANSWERED_COMMON", A, E1, 30, 20),
    (10, "SINGLE_CHANNEL", "NOT_ANSWERED_COMMON", A, E1, 40, None),
    (20, "MULTI_CHANNEL", "ANSWERED_BY_BUSY_FORWARD_CLIENT", B, E2, 50, 30),
    (30, "SINGLE_CHANNEL", "ANSWERED_COMMON", A, E2, 25, 5),
    (65, "OUTGOING", "ANSWERED_COMMON", E1, C, 100, 90),
    (70, "CRM_OUTGOING", "DESTINATION_BUSY", E1, C, 2, None),
    (300, "INTERNAL", "ANSWERED_COMMON", E1, E2, 15, 10),
    (330, "HIMSELF", "NOT_ANSWERED_COMMON", E2, E2, 7, None),
    (26 * 60, "INTERNAL_QUEUE", "CANCELLED_BY_CALLER", B, MAIN, 12, None),
    (26 * 60 + 10, "CRM_CALLBACK", "ANSWERED_BY_NO_ANSWER_FORWARD_CLIENT", E2, D, 60, 45),
    # Outside the window: exactly at its end, and just before its start.
    (2 * 24 * 60, "SINGLE_CHANNEL", "ANSWERED_COMMON", A, E1, 500, 400),
    (-1, "SINGLE_CHANNEL", "ANSWERED_COMMON", A, E1, 500, 400),
)


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    store = Store()
    CallJournal(store)
    with store.transaction() as conn:
        seed_company(conn, SEED, COMPANY)
        seed_history(conn, SEED, COMPANY, NOW, DAYS, 60)
        seed_company(conn, SEED, HAND_COMPANY)
        conn.executemany(
            INSERT_CALL,
            [
                (
                    HAND_COMPANY,
                    to_epoch_ms(T0 + timedelta(minutes=minutes)),
                    call_type,
                    status,
                    callee,
                    caller,
                    None,
                    callee,
                    None,
                    duration,
                    conversation,
                    "",
                    f"hand-{index}",
                    0,
                    ended_by(status, f"hand-{index}"),
                )
                for index, (minutes, call_type, status, caller, callee, duration, conversation) in (
                    enumerate(HAND_ROWS)
                )
            ],
        )
    yield store
    store.close()


@pytest.fixture(scope="module")
def stats(store: Store) -> CallStatistics:
    return CallStatistics(store)


@pytest.fixture(scope="module")
def journal(store: Store) -> CallJournal:
    return CallJournal(store)


# -- by hand ----------------------------------------------------------------------------------


def test_common_hand_made_journal(stats: CallStatistics) -> None:
    # T0 is 09:00 Moscow time; the window runs to 09:00 two days later: three Moscow days.
    assert stats.common(HAND_COMPANY, T0, T_END) == {
        "allCallCount": 10,
        "successCallCount": 5,  # answered and external: 0, 2, 3, 4 (A again), 9
        "outgoingCallCount": 3,
        "lostCallCount": 3,  # NOT_ANSWERED from A, DESTINATION_BUSY to C, the queue caller
        "commonCallDuration": 190,  # 20 + 30 + 5 + 90 + 45: conversations of the successful
        "averageCallDuration": 27,  # 190 // (10 - 3)
        "maxCallDuration": 90,
        "callCountPerDay": 8 / 3,  # 8 external calls over 3 days
        "callCountPerHour": 8 / 3 / 24,
        "mnAvgCallDuration": 38,  # 190 // 5
        "mnMaxCallDuration": 90,
        "averageCallCountPerHour": 0,
        "transferCallCount": 2,
        "transferCallDuration": 75,
        "averageTransferCallDuration": 37,
        "hangupACallCount": 1,  # the queue caller who hung up while it rang
        "hangupBCallCount": 1,  # C was busy
        # A (twice: the call before the window does not make its first one a redial), B, E1, E2.
        "uniqueCallCount": 4,
        "redialCount": 1,
        "internalCallCount": 2,
        "internalCallDuration": 10,  # the answered INTERNAL call's conversation
        "averageInternalCallDuration": 5,
    }


def test_common_hand_made_subscriber(stats: CallStatistics) -> None:
    figures = stats.common(HAND_COMPANY, T0, T_END, subscriber_number=E1)
    assert figures["allCallCount"] == 5
    assert figures["successCallCount"] == 2
    assert figures["lostCallCount"] == 2
    assert figures["outgoingCallCount"] == 2
    assert figures["uniqueCallCount"] == 2  # A, and E1 itself
    assert figures["redialCount"] == 0
    assert figures["internalCallCount"] == 1
    assert figures["maxCallDuration"] == 90
    # A HIMSELF call has the number as both caller and callee; it counts once.
    assert stats.common(HAND_COMPANY, T0, T_END, subscriber_number=E2)["allCallCount"] == 5


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        ("2022-07-24T10:15:30+03:00", "2022-07-26T10:15:30+03:00", 3),  # the guide's window
        ("2022-07-24T00:00:00+03:00", "2022-07-25T00:00:00+03:00", 1),  # one whole day
        ("2022-07-24T00:00:00+03:00", "2022-07-25T00:00:00.001+03:00", 2),
        ("2022-07-23T21:00:00Z", "2022-07-24T20:59:59Z", 1),  # a Moscow day, in UTC
        ("2022-07-23T20:59:59Z", "2022-07-23T21:00:01Z", 2),  # across Moscow's midnight
        ("2022-07-24T10:00:00+03:00", "2022-07-24T10:00:00+03:00", 0),
        ("2022-07-25T10:00:00+03:00", "2022-07-24T10:00:00+03:00", 0),
    ],
)
def test_days_touched_are_moscow_calendar_days(start: str, end: str, days: int) -> None:
    assert days_touched(Window.parse(start, end)) == days


def test_common_empty_window_all_zero(stats: CallStatistics) -> None:
    figures = stats.common(HAND_COMPANY, T0 - timedelta(days=10), T0 - timedelta(days=9))
    assert len(figures) == 22
    assert all(value == 0 for value in figures.values()), figures
    assert isinstance(figures["callCountPerDay"], float)


def test_common_keys_match_schema(stats: CallStatistics) -> None:
    figures = stats.common(HAND_COMPANY, T0, T_END)
    assert list(figures) == [
        "allCallCount",
        "successCallCount",
        "outgoingCallCount",
        "lostCallCount",
        "commonCallDuration",
        "averageCallDuration",
        "maxCallDuration",
        "callCountPerDay",
        "callCountPerHour",
        "mnAvgCallDuration",
        "mnMaxCallDuration",
        "averageCallCountPerHour",
        "transferCallCount",
        "transferCallDuration",
        "averageTransferCallDuration",
        "hangupACallCount",
        "hangupBCallCount",
        "uniqueCallCount",
        "redialCount",
        "internalCallCount",
        "internalCallDuration",
        "averageInternalCallDuration",
    ]
    for key, value in figures.items():
        expected = float if key in ("callCountPerDay", "callCountPerHour") else int
        assert type(value) is expected, key


def test_journal_hand_made(stats: CallStatistics) -> None:
    assert stats.journal(HAND_COMPANY, T0, T_END, number=A) == {
        "number": A,
        "startTimestamp": int(T0.timestamp()),
        "endTimestamp": int(T_END.timestamp()),
        "numberOfCalls": 3,
        "numberOfSuccessCalls": 2,
    }
    # The answered INTERNAL call is not a successful one (it is internal): 5, not 6.
    assert stats.journal(HAND_COMPANY, T0, T_END) == {
        "startTimestamp": int(T0.timestamp()),
        "endTimestamp": int(T_END.timestamp()),
        "numberOfCalls": 10,
        "numberOfSuccessCalls": 5,
    }


def test_journal_timestamps_floor_milliseconds(stats: CallStatistics) -> None:
    start = parse_instant("2026-01-05T06:00:00.999Z", "start")
    end = parse_instant("2026-01-06T06:00:00.001Z", "end")
    answer = stats.journal(HAND_COMPANY, start, end)
    assert answer["startTimestamp"] == int(T0.timestamp())
    assert answer["endTimestamp"] == int(T0.timestamp()) + 86_400


@pytest.mark.parametrize("number", ["89000000001", "7900000000", "+79000000001", "abc", ""])
def test_statistics_reject_malformed_number(stats: CallStatistics, number: str) -> None:
    with pytest.raises(InvalidInput) as info:
        stats.common(HAND_COMPANY, T0, T_END, subscriber_number=number)
    assert "'subscriberNumber'" in info.value.message
    with pytest.raises(InvalidInput) as info:
        stats.journal(HAND_COMPANY, T0, T_END, number=number)
    assert "'number'" in info.value.message


@pytest.mark.parametrize(("start", "end"), [(T_END, T0), (T0, T0)])
def test_statistics_of_reversed_or_empty_window_are_zero(
    stats: CallStatistics, start: datetime, end: datetime
) -> None:
    figures = stats.common(HAND_COMPANY, start, end)
    assert all(value == 0 for value in figures.values()), figures
    assert stats.journal(HAND_COMPANY, start, end) == {
        "startTimestamp": int(start.timestamp()),
        "endTimestamp": int(end.timestamp()),
        "numberOfCalls": 0,
        "numberOfSuccessCalls": 0,
    }


def test_hangups_are_lost_calls_the_caller_or_the_employee_ended(
    stats: CallStatistics, journal: CallJournal
) -> None:
    figures = stats.common(COMPANY, FIRST, NOW)
    records = _records(journal, FIRST, NOW)
    external = [r for r in records if r["callType"] not in ("INTERNAL", "HIMSELF")]
    assert figures["hangupACallCount"] == sum(
        r["callStatus"] == "CANCELLED_BY_CALLER" for r in external
    )
    assert figures["hangupBCallCount"] == sum(
        r["callStatus"] == "DESTINATION_BUSY" for r in external
    )
    assert 0 < figures["hangupACallCount"] + figures["hangupBCallCount"] < figures["lostCallCount"]


def test_statistics_settle_hook_called(store: Store) -> None:
    calls: list[int] = []
    hooked = CallStatistics(store, settle=calls.append)
    hooked.common(HAND_COMPANY, T0, T_END)
    hooked.journal(HAND_COMPANY, T0, T_END)
    assert calls == [HAND_COMPANY, HAND_COMPANY]


# -- against the journal ----------------------------------------------------------------------


def _records(
    journal: CallJournal, start: datetime, end: datetime, **filters: Any
) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    page = 0
    while True:
        chunk = journal.records(COMPANY, start, end, page=page, size=500, **filters)
        records += chunk
        if len(chunk) < 500:
            return records
        page += 1


def _subscriber_records(
    journal: CallJournal, start: datetime, end: datetime, number: str | None
) -> list[dict[str, Any]]:
    if number is None:
        return _records(journal, start, end)
    merged = {r["uuid"]: r for r in _records(journal, start, end, caller=number)}
    merged.update({r["uuid"]: r for r in _records(journal, start, end, callee=number)})
    return list(merged.values())


def _expected_common(
    records: list[dict[str, Any]], start: datetime, end: datetime
) -> dict[str, Any]:
    """The spec's definitions (D19, D20) applied to the window's records, as the contract check
    applies them to any server's."""
    return expected_common(records, to_epoch_ms(start), to_epoch_ms(end))


@pytest.fixture(scope="module")
def numbers(store: Store) -> list[str | None]:
    """Subscriber numbers worth asking about: none, employees, frequent and rare outsiders."""
    conn = store.read()
    employees = [
        str(r[0])
        for r in conn.execute(
            "SELECT full_number FROM employees WHERE company_id = ? AND full_number IS NOT NULL "
            "ORDER BY employee_id LIMIT 4",
            (COMPANY,),
        )
    ]
    callers = [
        str(r[0])
        for r in conn.execute(
            "SELECT caller_number, COUNT(*) AS n FROM calls WHERE company_id = ? "
            "GROUP BY caller_number ORDER BY n DESC, caller_number LIMIT 40",
            (COMPANY,),
        )
    ]
    # The whole company half of the time: its windows hold every kind of call.
    named = [*employees, callers[-1], callers[len(callers) // 2], "79999999999"]
    return [*([None] * len(named)), *named]


@pytest.fixture(scope="module")
def shuffled_stats(store: Store) -> Iterator[CallStatistics]:
    """The same company's calls journalled one at a time in a shuffled order, as live calls
    settle (each through the journal's triggers, not the bulk seeding)."""
    columns = (
        "company_id, started_at, call_type, call_status, destination_number, caller_number, "
        "caller_name, callee_number, callee_name, call_duration, conversation_duration, "
        "record_file_name, uuid, has_transcript, ended_by"
    )
    rows = [
        tuple(r)
        for r in store.read().execute(
            f"SELECT {columns} FROM calls WHERE company_id = ? ORDER BY id", (COMPANY,)
        )
    ]
    parties = [
        str(r[0])
        for r in store.read().execute(
            "SELECT number FROM journal_parties WHERE company_id = ?", (COMPANY,)
        )
    ]
    random.Random(11).shuffle(rows)
    other = Store()
    shuffled = CallStatistics(other)
    with other.transaction() as conn:
        seed_company(conn, SEED, COMPANY)
        register_parties(conn, COMPANY, parties)
        conn.executemany(INSERT_CALL, rows)
    yield shuffled
    other.close()


_HOUR_MS = 3_600_000
_DAY_MS = 24 * _HOUR_MS


@settings(max_examples=60, deadline=None)
@given(
    # Anywhere (cutting hours and days), or on an hour's or a day's edge (no partial hour).
    offset_ms=st.one_of(
        st.integers(min_value=-2 * _DAY_MS, max_value=(DAYS + 1) * _DAY_MS),
        st.integers(min_value=-48, max_value=(DAYS + 1) * 24).map(lambda h: h * _HOUR_MS),
    ),
    # Short, day-sized and month-sized windows alike (plain integers would mostly be tiny), and
    # now and then an empty or reversed one (D18).
    length_ms=st.one_of(
        st.integers(min_value=-_DAY_MS, max_value=0),
        st.integers(min_value=1, max_value=_HOUR_MS),
        st.integers(min_value=_HOUR_MS, max_value=3 * _DAY_MS),
        st.integers(min_value=3 * _DAY_MS, max_value=(DAYS + 3) * _DAY_MS),
        st.integers(min_value=1, max_value=(DAYS + 3) * 24).map(lambda h: h * _HOUR_MS),
    ),
    which=st.integers(min_value=0, max_value=100),
)
def test_common_matches_records(
    stats: CallStatistics,
    shuffled_stats: CallStatistics,
    journal: CallJournal,
    numbers: list[str | None],
    offset_ms: int,
    length_ms: int,
    which: int,
) -> None:
    # FIRST is a whole UTC hour, so offsets in whole hours give windows on an hour's edge.
    start = FIRST + timedelta(milliseconds=offset_ms)
    end = start + timedelta(milliseconds=length_ms)
    number = numbers[which % len(numbers)]
    records = _subscriber_records(journal, start, end, number)
    expected = _expected_common(records, start, end)
    for counted in (stats, shuffled_stats):
        figures = counted.common(COMPANY, start, end, subscriber_number=number)
        assert figures == expected
        assert identity_problems(figures) == []
        # The journal statistics (5.6.2) are the same window's allCallCount and
        # successCallCount.
        answer = counted.journal(COMPANY, start, end, number=number)
        assert answer["numberOfCalls"] == figures["allCallCount"]
        assert answer["numberOfSuccessCalls"] == figures["successCallCount"]
        assert ("number" in answer) == (number is not None)


def test_number_rolled_up_equals_counted_from_its_calls(
    stats: CallStatistics, numbers: list[str | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    # An employee's number is rolled up on its own; counted from its calls instead (as any
    # other number is), the figures are the same.
    employees = [n for n in numbers if n is not None][:4]
    windows = [(FIRST, NOW), (FIRST + timedelta(days=2, minutes=17), NOW - timedelta(hours=30))]
    rolled = [stats.common(COMPANY, *w, subscriber_number=n) for n in employees for w in windows]
    journal = [stats.journal(COMPANY, *w, number=n) for n in employees for w in windows]
    monkeypatch.setattr(statistics_module, "is_registered", lambda *_: False)
    assert [stats.common(COMPANY, *w, subscriber_number=n) for n in employees for w in windows] == (
        rolled
    )
    assert [stats.journal(COMPANY, *w, number=n) for n in employees for w in windows] == journal
    assert all(figures["allCallCount"] > 0 for figures in rolled)


def test_common_whole_history_matches_records(stats: CallStatistics, journal: CallJournal) -> None:
    records = _records(journal, FIRST, NOW)
    assert len(records) > 1000
    figures = stats.common(COMPANY, FIRST, NOW)
    assert figures == _expected_common(records, FIRST, NOW)
    assert identity_problems(figures) == []
    # The seeded history exercises every figure (a month's rate per hour is below one call).
    assert all(value > 0 for name, value in figures.items() if name != "averageCallCountPerHour"), (
        figures
    )
