"""Live calls driven by the clock: click-to-call, simulated incoming calls, queues, settling."""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from mock_server.domain.errors import InvalidInput, NotFound
from mock_server.domain.rules.calls import LiveCalls
from mock_server.domain.rules.journal import CallJournal
from mock_server.domain.rules.statistics import CallStatistics
from mock_server.domain.storage.seed import company_main_number, seed_company
from mock_server.domain.storage.store import Store
from mock_server.domain.timeutil import parse_instant

SEED = 5
COMPANY = 391
OTHER_COMPANY = 392
T0 = datetime(2026, 3, 13, 9, 30, 0, tzinfo=UTC)
CLIENT = "79533933557"


@dataclass
class Moment:
    """The test's clock: the settle hook reads it, the test moves it."""

    now: datetime = T0

    def at(self, stamp: str) -> datetime:
        self.now = parse_instant(stamp, "at")
        return self.now

    def step(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now


@dataclass
class Pbx:
    store: Store
    live: LiveCalls
    journal: CallJournal
    stats: CallStatistics
    moment: Moment

    def records(self, company: int = COMPANY, **filters: Any) -> list[dict[str, Any]]:
        return self.journal.records(
            company, T0 - timedelta(days=1), T0 + timedelta(days=1), size=2000, **filters
        )

    def employee(self, index: int = 0, company: int = COMPANY) -> dict[str, Any]:
        rows = self.store.read().execute(
            "SELECT * FROM employees WHERE company_id = ? AND full_number IS NOT NULL "
            "AND short_number IS NOT NULL AND name IS NOT NULL ORDER BY employee_id",
            (company,),
        )
        return dict(rows.fetchall()[index])

    def blacklisted(self) -> str:
        row = self.store.read().execute(
            "SELECT number FROM blacklist WHERE company_id = ? ORDER BY id", (COMPANY,)
        )
        return str(row.fetchone()[0])


@pytest.fixture
def pbx() -> Iterator[Pbx]:
    store = Store()
    moment = Moment()
    live = LiveCalls(store, seed=SEED)

    def settle(company_id: int) -> int:
        return live.settle(company_id, moment.now)

    journal = CallJournal(store, settle=settle)
    stats = CallStatistics(store, settle=settle)
    with store.transaction() as conn:
        seed_company(conn, SEED, COMPANY)
        seed_company(conn, SEED, OTHER_COMPANY)
    yield Pbx(store, live, journal, stats, moment)
    store.close()


def _only(records: list[dict[str, Any]], uuid: str) -> dict[str, Any]:
    found = [r for r in records if r["uuid"] == uuid]
    assert len(found) == 1, found
    return found[0]


# -- click-to-call ----------------------------------------------------------------------------


def test_place_outgoing_lifecycle(pbx: Pbx) -> None:
    employee = pbx.employee()
    call = pbx.live.place_outgoing(COMPANY, employee["full_number"], CLIENT, T0)
    assert call["callType"] == "CRM_OUTGOING"
    assert call["live"] is True

    # First the PBX rings the employee: the caller only.
    assert pbx.live.current(COMPANY, T0) == [
        {
            "callType": "SINGLE_CHANNEL",
            "callerNumberShort": employee["short_number"],
            "callerNumberFull": employee["full_number"],
        }
    ]
    connects = pbx.moment.at(call["connectsAt"])
    assert connects > T0
    before = pbx.live.current(COMPANY, connects - timedelta(milliseconds=1))
    assert "calledNumberFull" not in before[0]
    # Then it connects the employee to the client, who has no short number.
    assert pbx.live.current(COMPANY, connects) == [
        {
            "callType": "SINGLE_CHANNEL",
            "callerNumberShort": employee["short_number"],
            "callerNumberFull": employee["full_number"],
            "calledNumberFull": CLIENT,
        }
    ]
    ends = pbx.moment.at(call["endsAt"])
    pbx.moment.now = ends - timedelta(milliseconds=1)
    assert len(pbx.live.current(COMPANY, pbx.moment.now)) == 1
    assert call["uuid"] not in {r["uuid"] for r in pbx.records()}

    pbx.moment.now = ends
    assert pbx.live.current(COMPANY, ends) == []
    record = _only(pbx.records(), call["uuid"])
    talk = int((ends - parse_instant(call["answersAt"], "x")).total_seconds())
    assert record == {
        "date": "2026-03-13T09:30:00.000Z",
        "callType": "CRM_OUTGOING",
        "destinationNumber": CLIENT,
        "callerNumber": employee["full_number"],
        "callerName": f"{employee['name']} {employee['surname']}",
        "calleeNumber": CLIENT,
        "callDuration": int((ends - T0).total_seconds()),
        "conversationDuration": talk,
        "callStatus": "ANSWERED_COMMON",
        "recordFileName": call["recordFileName"],
        "uuid": call["uuid"],
    }
    assert re.fullmatch(r"2026-03-13/mo_1773394200000\d{5}", record["recordFileName"])
    recording = pbx.journal.find_recording(COMPANY, record["recordFileName"])
    assert recording.duration_seconds == talk
    assert pbx.journal.transcript(COMPANY, record["recordFileName"])


def test_place_outgoing_source_must_be_employee_full_number(pbx: Pbx) -> None:
    employee = pbx.employee()
    for source in (CLIENT, employee["short_number"], "", "79999999999"):
        with pytest.raises(NotFound) as info:
            pbx.live.place_outgoing(COMPANY, source, CLIENT, T0)
        assert "is not the full number of an employee" in info.value.message
    other = pbx.employee(company=OTHER_COMPANY)
    with pytest.raises(NotFound):
        pbx.live.place_outgoing(COMPANY, other["full_number"], CLIENT, T0)
    assert pbx.live.current(COMPANY, T0) == []


@pytest.mark.parametrize("destination", ["", "12", "7953393355712345678", "+7 953", "abc", "++79"])
def test_place_outgoing_bad_destination(pbx: Pbx, destination: str) -> None:
    with pytest.raises(InvalidInput) as info:
        pbx.live.place_outgoing(COMPANY, pbx.employee()["full_number"], destination, T0)
    assert "'destination'" in info.value.message


def test_place_outgoing_plus_destination_normalised(pbx: Pbx) -> None:
    call = pbx.live.place_outgoing(COMPANY, pbx.employee()["full_number"], "+" + CLIENT, T0)
    assert call["destinationNumber"] == CLIENT


def test_place_outgoing_blacklisted_destination_is_called(pbx: Pbx) -> None:
    # The blacklist screens incoming calls; calling such a number out is allowed.
    number = pbx.blacklisted()
    call = pbx.live.place_outgoing(COMPANY, pbx.employee()["full_number"], number, T0)
    pbx.moment.at(call["endsAt"])
    record = _only(pbx.records(), call["uuid"])
    assert record["callStatus"] == "ANSWERED_COMMON"
    assert record["calleeNumber"] == number


def test_place_outgoing_to_employee_is_internal_in_monitoring(pbx: Pbx) -> None:
    caller, callee = pbx.employee(0), pbx.employee(1)
    call = pbx.live.place_outgoing(COMPANY, caller["full_number"], callee["short_number"], T0)
    pbx.moment.at(call["connectsAt"])
    (entry,) = pbx.live.current(COMPANY, pbx.moment.now)
    assert entry["callType"] == "INTERNAL"
    assert entry["calledNumberShort"] == callee["short_number"]
    assert entry["calledNumberFull"] == callee["full_number"]


@pytest.mark.parametrize(
    ("outcome", "status"),
    [
        ("answered", "ANSWERED_COMMON"),
        ("not_answered", "NOT_ANSWERED_COMMON"),
        ("busy", "DESTINATION_BUSY"),
    ],
)
def test_place_outgoing_forced_outcome(pbx: Pbx, outcome: str, status: str) -> None:
    call = pbx.live.place_outgoing(
        COMPANY, pbx.employee()["full_number"], CLIENT, T0, outcome=outcome, duration_seconds=42
    )
    pbx.moment.at(call["endsAt"])
    record = _only(pbx.records(), call["uuid"])
    assert record["callStatus"] == status
    if outcome == "answered":
        assert record["conversationDuration"] == 42
        assert record["recordFileName"]
    else:
        assert "conversationDuration" not in record
        assert record["recordFileName"] == ""


def test_place_outgoing_deterministic(pbx: Pbx) -> None:
    source = pbx.employee()["full_number"]
    first = pbx.live.place_outgoing(COMPANY, source, CLIENT, T0)
    other_store = Store()
    try:
        other = LiveCalls(other_store, seed=SEED)
        with other_store.transaction() as conn:
            seed_company(conn, SEED, COMPANY)
        assert other.place_outgoing(COMPANY, source, CLIENT, T0) == first
    finally:
        other_store.close()
    # The same request in the same millisecond is a second call, with its own uuid.
    second = pbx.live.place_outgoing(COMPANY, source, CLIENT, T0)
    assert second["uuid"] != first["uuid"]
    assert second["recordFileName"] != first["recordFileName"]
    assert len(pbx.live.current(COMPANY, T0)) == 2


# -- incoming calls ---------------------------------------------------------------------------


def test_simulate_incoming_queue_pending_then_journal(pbx: Pbx) -> None:
    first = pbx.live.simulate_incoming(COMPANY, CLIENT, queue="1", now=T0)
    second = pbx.live.simulate_incoming(
        COMPANY, "79001112233", queue="1", now=T0 + timedelta(seconds=1)
    )
    support = pbx.live.simulate_incoming(
        COMPANY, "79001112244", queue="Поддержка", now=T0 + timedelta(seconds=2)
    )
    at = T0 + timedelta(seconds=3)
    assert pbx.live.pending(COMPANY, at) == [
        {"queueName": "1", "calls": [CLIENT, "79001112233"]},
        {"queueName": "Поддержка", "calls": ["79001112244"]},
    ]
    waiting = pbx.live.current(COMPANY, at)
    assert [c["callerNumberFull"] for c in waiting] == [CLIENT, "79001112233", "79001112244"]
    assert all(c["callType"] == "MULTI_CHANNEL" for c in waiting)
    assert all("calledNumberFull" not in c for c in waiting)

    # Once an agent takes the first caller, the caller leaves the queue.
    connects = parse_instant(first["connectsAt"], "x")
    still_waiting = [n for q in pbx.live.pending(COMPANY, connects) for n in q["calls"]]
    assert CLIENT not in still_waiting
    assert ("79001112233" in still_waiting) == (connects < parse_instant(second["connectsAt"], "x"))
    answering = [c for c in pbx.live.current(COMPANY, connects) if c["callerNumberFull"] == CLIENT]
    assert answering[0]["calledNumberFull"] == first["calleeNumber"]

    last_end = max(parse_instant(c["endsAt"], "x") for c in (first, second, support))
    pbx.moment.now = last_end
    assert pbx.live.pending(COMPANY, last_end) == []
    records = pbx.records()
    record = _only(records, first["uuid"])
    assert record["callType"] == "INTERNAL_QUEUE"
    assert record["callStatus"] == "ANSWERED_COMMON"
    assert record["destinationNumber"] == company_main_number(SEED, COMPANY)
    employees = {
        r[0]
        for r in pbx.store.read().execute(
            "SELECT full_number FROM employees WHERE company_id = ?", (COMPANY,)
        )
    }
    assert record["calleeNumber"] in employees
    assert record["recordFileName"]
    assert not record["recordFileName"].split("/")[1].startswith("mo_")


def test_simulate_incoming_queue_abandoned(pbx: Pbx) -> None:
    call = pbx.live.simulate_incoming(
        COMPANY, CLIENT, queue="1", outcome="not_answered", duration_seconds=30, now=T0
    )
    assert call["connectsAt"] is None
    almost = T0 + timedelta(seconds=29.999)
    assert pbx.live.pending(COMPANY, almost) == [{"queueName": "1", "calls": [CLIENT]}]
    assert "calledNumberFull" not in pbx.live.current(COMPANY, almost)[0]
    pbx.moment.step(30)
    assert pbx.live.pending(COMPANY, pbx.moment.now) == []
    record = _only(pbx.records(), call["uuid"])
    assert record["callStatus"] == "NOT_ANSWERED_COMMON"
    assert record["callDuration"] == 30
    assert record["calleeNumber"] == company_main_number(SEED, COMPANY)
    assert record["recordFileName"] == ""


def test_simulate_incoming_queue_with_named_agent(pbx: Pbx) -> None:
    agent = pbx.employee(2)
    call = pbx.live.simulate_incoming(
        COMPANY, CLIENT, queue="Продажи", to=agent["short_number"], now=T0
    )
    assert call["calleeNumber"] == agent["full_number"]
    pbx.moment.at(call["endsAt"])
    record = _only(pbx.records(), call["uuid"])
    assert record["calleeName"] == f"{agent['name']} {agent['surname']}"


@pytest.mark.parametrize(
    ("outcome", "status"),
    [
        (None, "ANSWERED_COMMON"),
        ("answered", "ANSWERED_COMMON"),
        ("not_answered", "NOT_ANSWERED_COMMON"),
        ("busy", "DESTINATION_BUSY"),
    ],
)
def test_simulate_incoming_forced_outcome(pbx: Pbx, outcome: str | None, status: str) -> None:
    employee = pbx.employee(1)
    call = pbx.live.simulate_incoming(
        COMPANY, CLIENT, to=employee["full_number"], outcome=outcome, duration_seconds=90, now=T0
    )
    assert call["callStatus"] == status
    pbx.moment.at(call["endsAt"])
    record = _only(pbx.records(), call["uuid"])
    assert record["callType"] == "SINGLE_CHANNEL"
    assert record["callStatus"] == status
    assert record["destinationNumber"] == employee["full_number"]
    assert record["calleeNumber"] == employee["full_number"]
    if status == "ANSWERED_COMMON":
        assert record["conversationDuration"] == 90
        assert record["callDuration"] > 90
        assert record["recordFileName"].startswith("2026-03-13/")
        assert pbx.journal.transcript(COMPANY, record["recordFileName"])
    else:
        assert "conversationDuration" not in record
        assert record["recordFileName"] == ""
    if status == "NOT_ANSWERED_COMMON":
        assert record["callDuration"] >= 90  # rang 90 s after routing


def test_simulate_incoming_direct_monitoring(pbx: Pbx) -> None:
    employee = pbx.employee(1)
    call = pbx.live.simulate_incoming(COMPANY, CLIENT, to=employee["short_number"], now=T0)
    assert pbx.live.current(COMPANY, T0) == [
        {"callType": "SINGLE_CHANNEL", "callerNumberFull": CLIENT}
    ]
    connects = parse_instant(call["connectsAt"], "x")
    assert pbx.live.current(COMPANY, connects) == [
        {
            "callType": "SINGLE_CHANNEL",
            "callerNumberFull": CLIENT,
            "calledNumberShort": employee["short_number"],
            "calledNumberFull": employee["full_number"],
        }
    ]
    assert pbx.live.pending(COMPANY, T0) == []


def test_simulate_incoming_to_company_number(pbx: Pbx) -> None:
    call = pbx.live.simulate_incoming(COMPANY, CLIENT, now=T0)
    assert call["callType"] == "MULTI_CHANNEL"
    pbx.moment.at(call["endsAt"])
    record = _only(pbx.records(), call["uuid"])
    assert record["destinationNumber"] == company_main_number(SEED, COMPANY)
    assert record["calleeNumber"] == call["calleeNumber"] != record["destinationNumber"]


def test_simulate_incoming_between_employees_internal(pbx: Pbx) -> None:
    caller, callee = pbx.employee(0), pbx.employee(1)
    call = pbx.live.simulate_incoming(
        COMPANY, caller["full_number"], to=callee["full_number"], now=T0
    )
    (entry,) = pbx.live.current(COMPANY, T0)
    assert entry["callType"] == "INTERNAL"
    assert entry["callerNumberShort"] == caller["short_number"]
    pbx.moment.at(call["endsAt"])
    record = _only(pbx.records(), call["uuid"])
    assert record["callType"] == "INTERNAL"
    assert record["callerName"] == f"{caller['name']} {caller['surname']}"


def test_simulate_incoming_blacklisted_denied_at_once(pbx: Pbx) -> None:
    number = pbx.blacklisted()
    call = pbx.live.simulate_incoming(COMPANY, number, queue="1", now=T0)
    assert call["live"] is False
    assert pbx.live.current(COMPANY, T0) == []
    assert pbx.live.pending(COMPANY, T0) == []
    record = _only(pbx.records(), call["uuid"])
    assert record["callStatus"] == "DENIED_DUE_TO_BLACK_LISTED"
    assert record["callDuration"] == 0
    assert record["recordFileName"] == ""
    assert "conversationDuration" not in record


def test_simulate_incoming_unknown_queue(pbx: Pbx) -> None:
    with pytest.raises(NotFound) as info:
        pbx.live.simulate_incoming(COMPANY, CLIENT, queue="nope", now=T0)
    assert info.value.message == "Queue 'nope' not found"
    # Queues belong to their company.
    with pytest.raises(NotFound):
        pbx.live.simulate_incoming(999, CLIENT, queue="1", now=T0)


@pytest.mark.parametrize("to", ["79999999999", "9999", ""])
def test_simulate_incoming_unknown_employee(pbx: Pbx, to: str) -> None:
    with pytest.raises(NotFound):
        pbx.live.simulate_incoming(COMPANY, CLIENT, to=to, now=T0)


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"from_number": "x"}, "'from'"),
        ({"from_number": CLIENT, "outcome": "hung_up"}, "'outcome'"),
        ({"from_number": CLIENT, "duration_seconds": 0}, "'durationSeconds'"),
        ({"from_number": CLIENT, "duration_seconds": 10**6}, "'durationSeconds'"),
    ],
)
def test_simulate_incoming_invalid_input(pbx: Pbx, kwargs: dict[str, Any], named: str) -> None:
    with pytest.raises(InvalidInput) as info:
        pbx.live.simulate_incoming(COMPANY, now=T0, **kwargs)
    assert named in info.value.message


def test_live_calls_isolated_by_company(pbx: Pbx) -> None:
    pbx.live.simulate_incoming(COMPANY, CLIENT, queue="1", now=T0)
    assert pbx.live.current(OTHER_COMPANY, T0) == []
    assert pbx.live.pending(OTHER_COMPANY, T0) == []


# -- settling ---------------------------------------------------------------------------------


def test_settle_counts_and_statistics_see_settled_calls(pbx: Pbx) -> None:
    source = pbx.employee()["full_number"]
    calls = [
        pbx.live.place_outgoing(COMPANY, source, f"7900000000{i}", T0 + timedelta(seconds=i))
        for i in range(5)
    ]
    end = max(parse_instant(c["endsAt"], "x") for c in calls)
    window = (T0, T0 + timedelta(hours=2))
    assert pbx.stats.journal(COMPANY, *window)["numberOfCalls"] == 0
    pbx.moment.now = end
    assert pbx.stats.journal(COMPANY, *window)["numberOfCalls"] == 5
    assert pbx.stats.common(COMPANY, *window)["outgoingCallCount"] == 5
    assert pbx.live.settle(COMPANY, end) == 0


def test_settle_exactly_once_under_concurrent_readers(pbx: Pbx) -> None:
    source = pbx.employee()["full_number"]
    placed = [
        pbx.live.place_outgoing(COMPANY, source, f"790000000{i:02d}", T0 + timedelta(seconds=i))
        for i in range(30)
    ] + [
        pbx.live.simulate_incoming(
            COMPANY, f"790100000{i:02d}", queue="1", now=T0 + timedelta(seconds=i)
        )
        for i in range(20)
    ]
    pbx.moment.now = T0 + timedelta(hours=3)
    barrier = threading.Barrier(8)
    settled: list[int] = []
    errors: list[BaseException] = []

    def reader(index: int) -> None:
        try:
            barrier.wait()
            for _ in range(5):
                if index % 3 == 0:
                    pbx.live.current(COMPANY, pbx.moment.now)
                elif index % 3 == 1:
                    pbx.records()
                else:
                    settled.append(pbx.live.settle(COMPANY, pbx.moment.now))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    # Each call was moved once: the counts the settling readers reported never add up to
    # more than the calls placed (a call moved twice would be counted twice), and nothing is
    # left to move.
    assert len(settled) == 10  # two settling readers, five times each
    assert sum(settled) <= len(placed), settled
    assert pbx.live.settle(COMPANY, pbx.moment.now) == 0
    uuids = Counter(r["uuid"] for r in pbx.records())
    assert {c["uuid"] for c in placed} == set(uuids)
    assert set(uuids.values()) == {1}
    remaining = pbx.store.read().execute("SELECT COUNT(*) FROM live_calls").fetchone()[0]
    assert remaining == 0


def test_settler_uses_clock(pbx: Pbx) -> None:
    class FixedClock:
        def now(self, company_id: int | None = None) -> datetime:
            return T0 + timedelta(hours=1)

    call = pbx.live.place_outgoing(COMPANY, pbx.employee()["full_number"], CLIENT, T0)
    settle = pbx.live.settler(FixedClock())
    assert settle(COMPANY) == 1
    assert settle(COMPANY) == 0
    assert _only(pbx.records(), call["uuid"])
