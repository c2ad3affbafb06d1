"""Calls in progress, driven by the mock's clock: click-to-call, simulated incoming calls, queues.

There are no background threads. A live call is one row of `live_calls` holding its start and
the lengths of its phases, all fixed when it is placed; every read derives the call's state from
the clock:

    started_at ── route ──> connected to B ── ring ──> answered ── talk ──> ends_at
                 (PBX rings the employee for       (B rings)          (conversation)
                  click-to-call; the caller waits
                  in the queue; routing otherwise)

Before B is reached GET /monitoring/calls shows the caller only; from then on the called
party too; a caller waiting in a queue is listed by GET /monitoring/calls/pending. When the
clock passes `ends_at`, the call "settles": it is moved to the journal (`calls`) in the same
transaction that deletes it from `live_calls`. Settling happens lazily at the start of every read
or write concerning the company (`settle`), under the store's write lock, so each call lands in
the journal exactly once however many requests race for it.

Decisions:
- Click-to-call journals as `CRM_OUTGOING`, answered (`ANSWERED_COMMON`) unless told otherwise,
  recorded (`YYYY-MM-DD/mo_<id>`) and transcribed. A blacklisted destination is called all the
  same: the blacklist screens incoming calls only.
- When a call settles, the party that ended an answered call (`ended_by`) is drawn from its
  uuid, as for seeded calls (`hangups.py`).
- An incoming call from a blacklisted number is journalled at once as
  `DENIED_DUE_TO_BLACK_LISTED` (no ringing, no recording) and is never live.
- An incoming call through a queue journals as `INTERNAL_QUEUE` and shows in monitoring as
  `MULTI_CHANNEL` (the monitoring enum has no queue type: the caller dialled the company's
  multi-channel number); to an employee's number, `SINGLE_CHANNEL` in both; with neither a
  queue nor an employee, `MULTI_CHANNEL` in both, taken by an employee the seed picks; between
  two employees, `INTERNAL` in both.
- A caller who gives up in a queue (`not_answered`) never reaches an agent; the journal's
  callee is then the company's multi-channel number.
"""

from __future__ import annotations

import random
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Protocol, assert_never

from mock_server.domain.errors import InvalidInput, NotFound
from mock_server.domain.rules.call_records import make_uuid, record_file_name
from mock_server.domain.rules.hangups import ended_by
from mock_server.domain.rules.numbers import normalize_number
from mock_server.domain.rules.outcomes import (
    MAX_SIMULATED_SECONDS,
    OUTCOMES,
    CallDirector,
    CallOutcome,
    Direction,
    ForcedOutcome,
)
from mock_server.domain.storage.call_rows import INSERT_CALL, CallRow
from mock_server.domain.storage.journal_tables import install_schema
from mock_server.domain.storage.seed import main_number as company_number
from mock_server.domain.storage.store import Store
from mock_server.domain.timeutil import format_epoch_ms, to_epoch_ms

__all__ = [
    "LIVE_SCHEMA",
    "TRANSFERRED",
    "LiveCalls",
    "NowSource",
    "PlannedCall",
]

DENIED_BLACKLISTED: Final = "DENIED_DUE_TO_BLACK_LISTED"

LIVE_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS live_calls (
    id                 INTEGER PRIMARY KEY,
    company_id         INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    kind               TEXT NOT NULL CHECK (kind IN ('outgoing', 'incoming')),
    started_at         INTEGER NOT NULL,              -- epoch milliseconds
    caller_number      TEXT NOT NULL,
    caller_short       TEXT,
    caller_name        TEXT,
    called_number      TEXT,                          -- party B; NULL if never reached
    called_short       TEXT,
    called_name        TEXT,
    destination_number TEXT NOT NULL,                 -- what was dialled
    queue_name         TEXT,
    route_seconds      INTEGER NOT NULL CHECK (route_seconds >= 0),
    ring_seconds       INTEGER NOT NULL CHECK (ring_seconds >= 0),
    talk_seconds       INTEGER NOT NULL CHECK (talk_seconds >= 0),
    outcome            TEXT NOT NULL CHECK (outcome IN ('answered', 'not_answered', 'busy')),
    call_type          TEXT NOT NULL,                 -- the journal's callType
    monitor_type       TEXT NOT NULL,                 -- GET /monitoring/calls callType
    record_file_name   TEXT NOT NULL DEFAULT '',
    uuid               TEXT NOT NULL UNIQUE,
    ends_at            INTEGER NOT NULL,              -- epoch milliseconds
    -- A tenant file's scenario may say how the call is journalled (NULL: as its outcome
    -- says; who hung up, from the uuid).
    call_status        TEXT,
    ended_by           TEXT CHECK (ended_by IS NULL OR ended_by IN ('A', 'B'))
);
CREATE INDEX IF NOT EXISTS live_calls_by_end ON live_calls(company_id, ends_at);
-- A scenario's transfers: from `at_ms` on, the call is with this employee (the journal's
-- callee is the last one).
CREATE TABLE IF NOT EXISTS live_transfers (
    call_id INTEGER NOT NULL REFERENCES live_calls(id) ON DELETE CASCADE,
    at_ms   INTEGER NOT NULL,
    number  TEXT NOT NULL,
    short   TEXT,
    name    TEXT,
    PRIMARY KEY (call_id, at_ms)
);
CREATE UNIQUE INDEX IF NOT EXISTS live_calls_by_record
    ON live_calls(company_id, record_file_name) WHERE record_file_name != '';
"""

MSG_BAD_PHONE: Final = (
    "{where} '{name}': expected a phone number, 3 to 15 digits with an optional "
    "leading '+', got {value!r}"
)
MSG_NOT_EMPLOYEE_SOURCE: Final = (
    "Source {value!r} is not the full number of an employee of this company (see GET /employees)"
)
MSG_NOT_EMPLOYEE: Final = (
    "{value!r} is not the full or short number of an employee of this company (see GET /employees)"
)
MSG_NO_QUEUE: Final = "Queue {value!r} not found"
MSG_NO_AGENT: Final = "This company has no employee with a number to take the call"
# `outcome`, `durationSeconds` and `from` are fields of the control API's simulate-call body.
MSG_BAD_OUTCOME: Final = "Field 'outcome': expected one of {choices}, got {value!r}"
MSG_BAD_DURATION: Final = (
    "Field 'durationSeconds': expected an integer from 1 to "
    + str(MAX_SIMULATED_SECONDS)
    + ", got {value!r}"
)

# Past every call's end: settling "by then" ends every live call.
_NEVER_MS: Final = 2**62
_PHONE: Final = re.compile(r"\+?[0-9]{3,15}", re.ASCII)
_UUID_ATTEMPTS: Final = 1000
_LIVE_COLUMNS: Final = (
    "company_id, kind, started_at, caller_number, caller_short, caller_name, called_number, "
    "called_short, called_name, destination_number, queue_name, route_seconds, ring_seconds, "
    "talk_seconds, outcome, call_type, monitor_type, record_file_name, uuid, ends_at"
)


# How a scenario's transferred call is journalled unless it says otherwise (`schedule`).
TRANSFERRED: Final = "ANSWERED_BY_NO_ANSWER_FORWARD_CLIENT"


@dataclass(frozen=True, slots=True)
class PlannedCall:
    """A call of a tenant file's scenario (`LiveCalls.schedule`), its instants in epoch
    milliseconds: it comes in at `started_ms`; `answer_ms` None, nobody answers and the caller
    hangs up at `hangup_ms`; transfers are (instant, employee's full or short number).
    `ring`: the seconds the reached employee's phone rings (before the answer, or before the
    caller hangs up; None: 0 for an answered call, the whole call for one that rings at
    `ringing` or `to`); `ringing`: whose phone rings when nobody answers (default `to`)."""

    started_ms: int
    caller: str
    to: str | None
    queue: str | None
    answered_by: str | None
    answer_ms: int | None
    ring: int | None
    ringing: str | None
    transfers: tuple[tuple[int, str], ...]
    hangup_ms: int
    ended_by: str | None
    status: str | None
    uuid: str | None
    record_file_name: str | None


class NowSource(Protocol):
    """Anything that tells a company's now (`TenantClocks`, or a test's fake)."""

    def now(self, company_id: int | None = None) -> datetime: ...


class DueHistories(Protocol):
    """Histories written when first needed (the Pbx: a tenant copied from the template,
    storage/templates.py): settling a company's calls writes its history first."""

    def is_due(self, conn: sqlite3.Connection, company_id: int) -> bool: ...

    def write_due(self, conn: sqlite3.Connection, company_id: int) -> None: ...


@dataclass(frozen=True, slots=True)
class _Party:
    number: str
    short: str | None = None
    name: str | None = None
    employee: bool = False


@dataclass(frozen=True, slots=True)
class _Phases:
    route: int
    ring: int
    talk: int

    @property
    def total(self) -> int:
        return self.route + self.ring + self.talk


def _phone(value: str, name: str, where: str) -> str:
    """A dialled number as the journal stores it: digits only (a leading '+' dropped), a
    Russian number in its `7XXXXXXXXXX` form (spec D22)."""
    if not isinstance(value, str) or not _PHONE.fullmatch(value.strip()):
        raise InvalidInput(MSG_BAD_PHONE.format(where=where, name=name, value=value))
    return normalize_number(value).lstrip("+")


def _outcome(value: str | None) -> CallOutcome:
    if value is None:
        return CallOutcome.ANSWERED
    if value not in OUTCOMES:
        raise InvalidInput(MSG_BAD_OUTCOME.format(choices=", ".join(OUTCOMES), value=value))
    return CallOutcome(value)


def _duration(value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(MSG_BAD_DURATION.format(value=value))
    if not 1 <= value <= MAX_SIMULATED_SECONDS:
        raise InvalidInput(MSG_BAD_DURATION.format(value=value))
    return value


def _display_name(name: str | None, surname: str | None) -> str | None:
    return " ".join(part for part in (name, surname) if part) or None


def _employee(conn: sqlite3.Connection, company_id: int, number: str) -> _Party | None:
    """The employee whose full or short number is `number`."""
    row = conn.execute(
        "SELECT full_number, short_number, name, surname FROM employees "
        "WHERE company_id = ? AND (full_number = ? OR short_number = ?) "
        "ORDER BY full_number = ? DESC LIMIT 1",
        (company_id, number, number, number),
    ).fetchone()
    if row is None or row["full_number"] is None:
        return None
    return _Party(
        row["full_number"], row["short_number"], _display_name(row["name"], row["surname"]), True
    )


def _outside(conn: sqlite3.Connection, company_id: int, number: str) -> _Party:
    """An outside number, named when it is a customer of one of the company's managers."""
    row = conn.execute(
        "SELECT name FROM customers WHERE company_id = ? AND real_number = ?",
        (company_id, number),
    ).fetchone()
    return _Party(number, None, None if row is None else row["name"])


def _ring(forced: ForcedOutcome | None, drawn: int) -> int:
    """The ringing a forced outcome asks for, else `drawn`."""
    if forced is not None and forced.ring_seconds is not None:
        return forced.ring_seconds
    return drawn


def _talk(rng: random.Random) -> int:
    return min(20 + int(rng.lognormvariate(4.3, 0.8)), 1800)


def _phases(
    outcome: CallOutcome,
    route: int,
    duration: int | None,
    forced: ForcedOutcome | None,
    rng: random.Random,
    ring: int = 0,
) -> _Phases:
    """The phases of a call that reaches B after `route` seconds and ends as `outcome`:
    `duration` is the conversation (for `not_answered`, the ringing), else drawn; the ringing
    of an answered call is the forced outcome's, else `ring` (already drawn, e.g. a queue's
    agent) or drawn. The draws come in this order whatever is forced, so that the rest of the
    call's draws stay where they were."""
    match outcome:
        case CallOutcome.ANSWERED:
            rings = _ring(forced, ring or rng.randint(3, 15))
            return _Phases(route, rings, duration or _talk(rng))
        case CallOutcome.NOT_ANSWERED:
            return _Phases(route, duration or _ring(forced, 0) or rng.randint(20, 45), 0)
        case CallOutcome.BUSY:
            return _Phases(route, 1, 0)
        case _:
            assert_never(outcome)


class LiveCalls:
    """Places and simulates calls, answers the monitoring operations, settles finished calls.

    `seed` is the PBX's seed, or a callable giving it (the seed changes on reset).

    Example::

        live = LiveCalls(store, seed=lambda: pbx.seed)
        live.place_outgoing(391, "79026840778", "79533933557", clock.now())
        live.current(391, clock.now())
        # [{'callType': 'SINGLE_CHANNEL', 'callerNumberShort': '0440',
        #   'callerNumberFull': '79026840778'}]
    """

    def __init__(
        self,
        store: Store,
        seed: int | Callable[[], int],
        director: CallDirector | None = None,
        history: DueHistories | None = None,
    ) -> None:
        self._store = store
        self._seed = seed
        self._director = director
        self._history = history
        install_schema(store)
        if LIVE_SCHEMA not in store.extra_schema:
            store.add_schema(LIVE_SCHEMA)

    @property
    def seed(self) -> int:
        return self._seed() if callable(self._seed) else self._seed

    def settler(self, clock: NowSource) -> Callable[[int], int]:
        """The `settle` hook for `CallJournal` and `CallStatistics`: settle by the company's
        now on `clock`."""
        return lambda company_id: self.settle(company_id, clock.now(company_id))

    # -- settling ---------------------------------------------------------------------------

    def settle(self, company_id: int, now: datetime) -> int:
        """Move the company's calls that ended by `now` to the journal; returns how many.

        A read-only probe first, so that reads take the write lock only when a call is due.
        """
        now_ms = to_epoch_ms(now)
        conn = self._store.read()
        if not conn.in_transaction:
            due = conn.execute(
                "SELECT 1 FROM live_calls WHERE company_id = ? AND ends_at <= ? LIMIT 1",
                (company_id, now_ms),
            ).fetchone()
            if due is None and (
                self._history is None or not self._history.is_due(conn, company_id)
            ):
                return 0
        with self._store.transaction() as tx:
            return self._settle_in(tx, company_id, now_ms)

    def finish(self, company_id: int | None = None, clock: NowSource | None = None) -> int:
        """End every live call of the company (of every company: None) now, as planned: each
        lands in the journal with its start, durations and outcome, the clock unmoved. With
        `clock`, a call that has not started yet by its company's now (a scenario's) is left
        to come in when its time comes."""
        with self._store.transaction() as tx:
            if company_id is not None:
                companies = [company_id]
            else:
                companies = [
                    int(row[0])
                    for row in tx.execute("SELECT DISTINCT company_id FROM live_calls").fetchall()
                ]
            return sum(
                self._settle_in(
                    tx,
                    company,
                    _NEVER_MS,
                    None if clock is None else to_epoch_ms(clock.now(company)),
                )
                for company in companies
            )

    def _settle_in(
        self,
        conn: sqlite3.Connection,
        company_id: int,
        now_ms: int,
        started_by: int | None = None,
    ) -> int:
        # Inside the write transaction: another request that settled first has already
        # deleted what it moved, so nothing is moved twice. A history still due goes in
        # first, so that the journal is whole before anything reads it or joins it.
        if self._history is not None:
            self._history.write_due(conn, company_id)
        rows = conn.execute(
            "SELECT * FROM live_calls WHERE company_id = ? AND ends_at <= ? "
            "AND started_at <= ? ORDER BY ends_at, id",
            (company_id, now_ms, _NEVER_MS if started_by is None else started_by),
        ).fetchall()
        if not rows:
            return 0
        conn.executemany(
            INSERT_CALL, [_journal_row(row, _last_transfer(conn, row)) for row in rows]
        )
        conn.executemany("DELETE FROM live_calls WHERE id = ?", [(row["id"],) for row in rows])
        if self._director is not None:
            self._director.settled(conn, company_id, [str(row["uuid"]) for row in rows])
        return len(rows)

    # -- placing calls ----------------------------------------------------------------------

    def place_outgoing(
        self,
        company_id: int,
        source: str,
        destination: str,
        now: datetime,
        *,
        outcome: str | None = None,
        duration_seconds: int | None = None,
        forced: ForcedOutcome | None = None,
    ) -> dict[str, Any]:
        """Click-to-call: ring employee `source`, then connect them to `destination`.

        `outcome` (default `answered`) and `duration_seconds` (the conversation, or for
        `not_answered` how long B rings), or `forced`, let tests force the result; without
        them the company's next queued outcome decides (the director's). Raises InvalidInput
        for a malformed destination, NotFound if `source` is not an employee's full number.
        """
        number = _phone(destination, "destination", "Query parameter")
        result = _outcome(outcome)
        duration = _duration(duration_seconds)
        now_ms = to_epoch_ms(now)
        with self._store.transaction() as conn:
            self._settle_in(conn, company_id, now_ms)
            wanted = normalize_number(source)
            employee = _employee(conn, company_id, wanted)
            if employee is None or employee.number != wanted:
                raise NotFound(MSG_NOT_EMPLOYEE_SOURCE.format(value=source))
            callee = _employee(conn, company_id, number) or _outside(conn, company_id, number)
            if forced is None and outcome is None and duration_seconds is None:
                forced = self._take(conn, company_id, Direction.OUTGOING)
            if forced is not None:
                result, duration = forced.outcome, forced.duration_seconds
            call_uuid = self._new_uuid(conn, company_id, now_ms, Direction.OUTGOING, source, number)
            rng = random.Random(f"{self.seed}:{call_uuid}")
            route = rng.randint(3, 8)  # the employee's phone rings until they pick up
            phases = _phases(result, route, duration, forced, rng)
            call = self._insert(
                conn,
                company_id,
                kind=Direction.OUTGOING,
                started_ms=now_ms,
                caller=employee,
                called=callee,
                destination=number,
                queue=None,
                phases=phases,
                outcome=result,
                call_type="CRM_OUTGOING",
                monitor_type="INTERNAL" if callee.employee else "SINGLE_CHANNEL",
                call_uuid=call_uuid,
                rng=rng,
                recorded=forced is None or forced.recording,
            )
            self._placed(conn, company_id, Direction.OUTGOING, call, now_ms, forced)
            return call

    def simulate_incoming(
        self,
        company_id: int,
        from_number: str,
        *,
        now: datetime,
        to: str | None = None,
        queue: str | None = None,
        duration_seconds: int | None = None,
        outcome: str | None = None,
        forced: ForcedOutcome | None = None,
    ) -> dict[str, Any]:
        """Simulate a call from `from_number` to employee `to` (full or short number), into
        queue `queue`, or to the company's multi-channel number when neither is given.

        With a queue the caller waits (GET /monitoring/calls/pending) until an agent (`to`, or
        an employee the seed picks) answers, or gives up (`not_answered`). `outcome` forces the
        journal status: `answered` ANSWERED_COMMON (default), `not_answered`
        NOT_ANSWERED_COMMON, `busy` DESTINATION_BUSY. `duration_seconds` is the conversation
        (or, for `not_answered`, the ringing or waiting); it is ignored for `busy`.
        `forced` says all of it (and who answers); with none of them the company's next queued
        outcome decides (the director's).
        A caller on the blacklist is journalled at once as DENIED_DUE_TO_BLACK_LISTED.
        """
        number = _phone(from_number, "from", "Field")
        result = _outcome(outcome)
        duration = _duration(duration_seconds)
        now_ms = to_epoch_ms(now)
        with self._store.transaction() as conn:
            self._settle_in(conn, company_id, now_ms)
            target = None
            if to is not None:
                target = _employee(conn, company_id, normalize_number(to))
                if target is None:
                    raise NotFound(MSG_NOT_EMPLOYEE.format(value=to))
            if queue is not None:
                found = conn.execute(
                    "SELECT 1 FROM queues WHERE company_id = ? AND name = ?", (company_id, queue)
                ).fetchone()
                if found is None:
                    raise NotFound(MSG_NO_QUEUE.format(value=queue))
            caller = _employee(conn, company_id, number) or _outside(conn, company_id, number)
            main_number = company_number(conn, self.seed, company_id)
            destination = target.number if target is not None and queue is None else main_number
            call_uuid = self._new_uuid(
                conn, company_id, now_ms, Direction.INCOMING, number, f"{to}|{queue}"
            )
            if queue is not None:
                call_type, monitor_type = "INTERNAL_QUEUE", "MULTI_CHANNEL"
            elif caller.employee and (target is not None):
                call_type = monitor_type = "INTERNAL"
            elif target is not None:
                call_type = monitor_type = "SINGLE_CHANNEL"
            else:
                call_type = monitor_type = "MULTI_CHANNEL"

            blacklisted = conn.execute(
                "SELECT 1 FROM blacklist WHERE company_id = ? AND number = ?",
                (company_id, number),
            ).fetchone()
            if blacklisted is not None and not caller.employee:
                denied_at = _Party(destination, None, target.name if target and not queue else None)
                return self._deny(conn, company_id, now_ms, caller, denied_at, call_type, call_uuid)

            if forced is None and outcome is None and duration_seconds is None:
                forced = self._take(conn, company_id, Direction.INCOMING)
            if forced is not None:
                result, duration = forced.outcome, forced.duration_seconds
            rng = random.Random(f"{self.seed}:{call_uuid}")
            answering = None
            if forced is not None and forced.answered_by is not None:
                answering = _employee(conn, company_id, forced.answered_by)
                if answering is None:
                    raise NotFound(MSG_NOT_EMPLOYEE.format(value=forced.answered_by))
            reached: _Party | None = (
                answering or target or self._pick_agent(conn, company_id, rng, queue)
            )
            if queue is not None and result is CallOutcome.NOT_ANSWERED:
                # The caller gives up waiting: nobody is reached.
                phases = _Phases(duration or rng.randint(20, 60), 0, 0)
                reached = None
            elif queue is not None:
                wait = rng.randint(10, 40)  # in the queue, then the agent's phone rings
                phases = _phases(result, wait, duration, forced, rng, ring=rng.randint(2, 6))
            else:
                # Routing to an employee's number is quick; the multi-channel number answers
                # with a short greeting first.
                route = rng.randint(1, 2) if target else rng.randint(3, 6)
                phases = _phases(result, route, duration, forced, rng)
            call = self._insert(
                conn,
                company_id,
                kind=Direction.INCOMING,
                started_ms=now_ms,
                caller=caller,
                called=reached,
                destination=destination,
                queue=queue,
                phases=phases,
                outcome=result,
                call_type=call_type,
                monitor_type=monitor_type,
                call_uuid=call_uuid,
                rng=rng,
                recorded=forced is None or forced.recording,
            )
            self._placed(conn, company_id, Direction.INCOMING, call, now_ms, forced)
            return call

    def _take(
        self, conn: sqlite3.Connection, company_id: int, direction: Direction
    ) -> ForcedOutcome | None:
        return None if self._director is None else self._director.take(conn, company_id, direction)

    def _placed(
        self,
        conn: sqlite3.Connection,
        company_id: int,
        direction: Direction,
        call: dict[str, Any],
        started_ms: int,
        forced: ForcedOutcome | None,
    ) -> None:
        if self._director is not None:
            self._director.placed(conn, company_id, direction, call["uuid"], started_ms, forced)

    def _pick_agent(
        self,
        conn: sqlite3.Connection,
        company_id: int,
        rng: random.Random,
        queue: str | None = None,
    ) -> _Party:
        """An employee to take a call: one of the queue's members when it has any (a tenant
        file's queue), else any employee with a number."""
        rows = conn.execute(
            "SELECT e.full_number FROM queue_members AS m JOIN employees AS e "
            "ON e.company_id = m.company_id AND e.employee_id = m.employee_id "
            "WHERE m.company_id = ? AND m.queue_name = ? AND e.full_number IS NOT NULL "
            "ORDER BY m.position",
            (company_id, queue),
        ).fetchall()
        if not rows:
            rows = conn.execute(
                "SELECT full_number FROM employees WHERE company_id = ? "
                "AND full_number IS NOT NULL ORDER BY employee_id",
                (company_id,),
            ).fetchall()
        if not rows:
            raise NotFound(MSG_NO_AGENT)
        agent = _employee(conn, company_id, rng.choice(rows)["full_number"])
        assert agent is not None  # chosen among the employees with a full number
        return agent

    def _new_uuid(
        self,
        conn: sqlite3.Connection,
        company_id: int,
        now_ms: int,
        kind: Direction,
        first: str,
        second: str,
    ) -> str:
        # Deterministic for the same request at the same instant; a second identical request
        # in the same millisecond draws again.
        for attempt in range(_UUID_ATTEMPTS):
            key = f"{self.seed}:{company_id}:{now_ms}:{kind}:{first}:{second}:{attempt}"
            candidate = make_uuid(random.Random(key).getrandbits(128))
            if conn.execute("SELECT 1 FROM live_calls WHERE uuid = ?", (candidate,)).fetchone():
                continue
            return candidate
        raise RuntimeError("no free call uuid")  # pragma: no cover - 1000 calls in one ms

    def _deny(
        self,
        conn: sqlite3.Connection,
        company_id: int,
        now_ms: int,
        caller: _Party,
        destination: _Party,
        call_type: str,
        call_uuid: str,
    ) -> dict[str, Any]:
        # Refused before anything rang: the call ends where it was dialled.
        row: CallRow = (
            company_id,
            now_ms,
            call_type,
            DENIED_BLACKLISTED,
            destination.number,
            caller.number,
            caller.name,
            destination.number,
            destination.name,
            0,
            None,
            "",
            call_uuid,
            0,
            None,
        )
        conn.execute(INSERT_CALL, row)
        stamp = format_epoch_ms(now_ms)
        return {
            "uuid": call_uuid,
            "live": False,
            "callType": call_type,
            "callStatus": DENIED_BLACKLISTED,
            "callerNumber": caller.number,
            "destinationNumber": destination.number,
            "calleeNumber": destination.number,
            "startedAt": stamp,
            "connectsAt": None,
            "answersAt": None,
            "endsAt": stamp,
            "recordFileName": "",
        }

    def _insert(
        self,
        conn: sqlite3.Connection,
        company_id: int,
        *,
        kind: Direction,
        started_ms: int,
        caller: _Party,
        called: _Party | None,
        destination: str,
        queue: str | None,
        phases: _Phases,
        outcome: CallOutcome,
        call_type: str,
        monitor_type: str,
        call_uuid: str,
        rng: random.Random,
        recorded: bool = True,
        record_name: str | None = None,
    ) -> dict[str, Any]:
        ends_ms = started_ms + phases.total * 1000
        record = ""
        # Recordings exist only for employees' main numbers, and only of conversations.
        employee_talks = caller.employee or (called is not None and called.employee)
        if recorded and outcome is CallOutcome.ANSWERED and employee_talks:
            record = record_name or self._free_record_name(
                conn, company_id, started_ms, call_type, rng
            )
        conn.execute(
            f"INSERT INTO live_calls ({_LIVE_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                company_id,
                kind,
                started_ms,
                caller.number,
                caller.short,
                caller.name,
                None if called is None else called.number,
                None if called is None else called.short,
                None if called is None else called.name,
                destination,
                queue,
                phases.route,
                phases.ring,
                phases.talk,
                outcome,
                call_type,
                monitor_type,
                record,
                call_uuid,
                ends_ms,
            ),
        )
        connects_ms = started_ms + phases.route * 1000
        return {
            "uuid": call_uuid,
            "live": True,
            "callType": call_type,
            "monitoringCallType": monitor_type,
            "callStatus": outcome.call_status,
            "callerNumber": caller.number,
            "destinationNumber": destination,
            "calleeNumber": destination if called is None else called.number,
            "queueName": queue,
            "startedAt": format_epoch_ms(started_ms),
            "connectsAt": None if called is None else format_epoch_ms(connects_ms),
            "answersAt": (
                format_epoch_ms(connects_ms + phases.ring * 1000)
                if outcome is CallOutcome.ANSWERED
                else None
            ),
            "endsAt": format_epoch_ms(ends_ms),
            "recordFileName": record,
        }

    @staticmethod
    def _free_record_name(
        conn: sqlite3.Connection,
        company_id: int,
        started_ms: int,
        call_type: str,
        rng: random.Random,
    ) -> str:
        suffix = rng.randrange(100_000)
        while True:
            name = record_file_name(started_ms, call_type, suffix)
            # `record_file_name != ''` lets SQLite use the partial unique indexes (it cannot
            # tell that a bound parameter is not ''); without it each lookup scanned every
            # call and every live call of the company.
            taken = conn.execute(
                "SELECT 1 FROM calls WHERE company_id = ? AND record_file_name = ? "
                "AND record_file_name != '' UNION ALL SELECT 1 FROM live_calls "
                "WHERE company_id = ? AND record_file_name = ? AND record_file_name != ''",
                (company_id, name, company_id, name),
            ).fetchone()
            if taken is None:
                return name
            suffix += 1

    # -- a scenario's calls -----------------------------------------------------------------

    def schedule(
        self, conn: sqlite3.Connection, company_id: int, planned: PlannedCall
    ) -> list[tuple[str, str]]:
        """Place a call a tenant file's scenario describes, to come in at `planned.started_ms`
        (before it, no operation shows it) and run as the file says; inside the loading
        transaction. Returns the problems that keep it from being placed, each as (the
        pointer of the scenario call's field, what is wrong); none: it is placed.

        A call into a queue waits there (GET /monitoring/calls/pending) until its agent's
        phone rings; to an employee (`to`), that employee's phone rings; with neither, the
        company's multi-channel number takes it. From each transfer on, the call is with the
        employee it was passed to (GET /monitoring/calls), and the journal's record names the
        last of them as its callee, with `planned.status` (default
        ANSWERED_BY_NO_ANSWER_FORWARD_CLIENT: the call was answered by the party it was passed
        on to, which the statistics count as a transfer). The blacklist does not screen a
        scenario's calls: it plays as written."""
        problems: list[tuple[str, str]] = []

        def employee(number: str | None, where: str) -> _Party | None:
            if number is None:
                return None
            found = _employee(conn, company_id, normalize_number(number))
            if found is None:
                problems.append((where, MSG_NOT_EMPLOYEE.format(value=number)))
            return found

        target = employee(planned.to, "/to")
        agent = employee(planned.answered_by, "/answeredBy")
        ringing = employee(planned.ringing, "/ringing")
        passed = [
            (at_ms, employee(number, f"/transfers/{index}/to"))
            for index, (at_ms, number) in enumerate(planned.transfers)
        ]
        if (
            planned.queue is not None
            and not conn.execute(
                "SELECT 1 FROM queues WHERE company_id = ? AND name = ?",
                (company_id, planned.queue),
            ).fetchone()
        ):
            problems.append(("/queue", MSG_NO_QUEUE.format(value=planned.queue)))
        caller_number = _phone(planned.caller, "from", "Field")
        if (
            planned.uuid is not None
            and conn.execute("SELECT 1 FROM live_calls WHERE uuid = ?", (planned.uuid,)).fetchone()
        ):
            problems.append(("/uuid", f"another live call has the uuid {planned.uuid!r}"))
        if problems:
            return problems
        caller = _employee(conn, company_id, caller_number) or _outside(
            conn, company_id, caller_number
        )
        main = company_number(conn, self.seed, company_id)
        destination = target.number if target is not None else main
        if planned.queue is not None:
            call_type, monitor_type = "INTERNAL_QUEUE", "MULTI_CHANNEL"
        elif target is not None:
            call_type = monitor_type = "INTERNAL" if caller.employee else "SINGLE_CHANNEL"
        else:
            call_type = monitor_type = "MULTI_CHANNEL"
        call_uuid = planned.uuid or self._new_uuid(
            conn,
            company_id,
            planned.started_ms,
            Direction.INCOMING,
            caller_number,
            f"scenario|{planned.to}|{planned.queue}",
        )
        if planned.answer_ms is not None:
            outcome = CallOutcome.ANSWERED
            reached: _Party | None = agent
            ring = planned.ring or 0
            wait = (planned.answer_ms - planned.started_ms) // 1000 - ring
            phases = _Phases(wait, ring, (planned.hangup_ms - planned.answer_ms) // 1000)
        else:
            outcome = CallOutcome.NOT_ANSWERED
            reached = ringing or target
            length = (planned.hangup_ms - planned.started_ms) // 1000
            ring = planned.ring if planned.ring is not None else length if reached else 0
            phases = _Phases(length - ring, ring, 0)
        status = planned.status
        if status is None and planned.transfers:
            status = TRANSFERRED
        rng = random.Random(f"{self.seed}:{call_uuid}")
        call = self._insert(
            conn,
            company_id,
            kind=Direction.INCOMING,
            started_ms=planned.started_ms,
            caller=caller,
            called=reached,
            destination=destination,
            queue=planned.queue,
            phases=phases,
            outcome=outcome,
            call_type=call_type,
            monitor_type=monitor_type,
            call_uuid=call_uuid,
            rng=rng,
            record_name=planned.record_file_name,
        )
        row_id = conn.execute(
            "SELECT id FROM live_calls WHERE uuid = ?", (call["uuid"],)
        ).fetchone()[0]
        conn.execute(
            "UPDATE live_calls SET call_status = ?, ended_by = ? WHERE id = ?",
            (status, planned.ended_by, row_id),
        )
        conn.executemany(
            "INSERT INTO live_transfers (call_id, at_ms, number, short, name) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (row_id, at_ms, party.number, party.short, party.name)
                for at_ms, party in passed
                if party is not None
            ],
        )
        return []

    # -- monitoring -------------------------------------------------------------------------

    def current(self, company_id: int, now: datetime) -> list[dict[str, Any]]:
        """GET /monitoring/calls: the calls in progress at `now`, oldest first."""
        self.settle(company_id, now)
        now_ms = to_epoch_ms(now)
        cursor = self._store.read().cursor()
        cursor.row_factory = None  # plain tuples: a Row looks its columns up by name
        rows = cursor.execute(
            "SELECT l.monitor_type, l.caller_number, l.caller_short, "
            "COALESCE(t.number, l.called_number), "
            "CASE WHEN t.number IS NULL THEN l.called_short ELSE t.short END, "
            "l.started_at + l.route_seconds * 1000 AS connects_at FROM live_calls AS l "
            "LEFT JOIN live_transfers AS t ON t.call_id = l.id AND t.at_ms = ("
            "  SELECT MAX(at_ms) FROM live_transfers WHERE call_id = l.id AND at_ms <= ?) "
            "WHERE l.company_id = ? AND l.started_at <= ? AND l.ends_at > ? "
            "ORDER BY l.started_at, l.id",
            (now_ms, company_id, now_ms, now_ms),
        )
        calls = []
        for monitor_type, caller, caller_short, called, called_short, connects_at in rows:
            entry: dict[str, Any] = {"callType": monitor_type}
            if caller_short is not None:
                entry["callerNumberShort"] = caller_short
            entry["callerNumberFull"] = caller
            if called is not None and now_ms >= connects_at:
                if called_short is not None:
                    entry["calledNumberShort"] = called_short
                entry["calledNumberFull"] = called
            calls.append(entry)
        return calls

    def pending(self, company_id: int, now: datetime) -> list[dict[str, Any]]:
        """GET /monitoring/calls/pending: each queue with callers waiting at `now`, in queue
        order, with the callers' numbers in arrival order; empty queues are left out."""
        self.settle(company_id, now)
        now_ms = to_epoch_ms(now)
        cursor = self._store.read().cursor()
        cursor.row_factory = None
        rows = cursor.execute(
            "SELECT l.queue_name, l.caller_number FROM live_calls AS l "
            "JOIN queues AS q ON q.company_id = l.company_id AND q.name = l.queue_name "
            "WHERE l.company_id = ? AND l.started_at <= ? "
            "AND l.started_at + l.route_seconds * 1000 > ? "
            "ORDER BY q.position, l.started_at, l.id",
            (company_id, now_ms, now_ms),
        )
        queues: dict[str, list[str]] = {}
        for queue_name, caller in rows:
            queues.setdefault(queue_name, []).append(caller)
        return [{"queueName": name, "calls": numbers} for name, numbers in queues.items()]


def _last_transfer(conn: sqlite3.Connection, row: sqlite3.Row) -> sqlite3.Row | None:
    """The last transfer of a scenario's call (None: it was never transferred)."""
    found: sqlite3.Row | None = conn.execute(
        "SELECT number, name FROM live_transfers WHERE call_id = ? ORDER BY at_ms DESC LIMIT 1",
        (row["id"],),
    ).fetchone()
    return found


def _journal_row(row: sqlite3.Row, transfer: sqlite3.Row | None = None) -> CallRow:
    """The journal entry of a finished live call: a transferred call's callee is the party
    it was last transferred to."""
    outcome = CallOutcome(row["outcome"])
    answered = outcome is CallOutcome.ANSWERED
    talk = int(row["talk_seconds"])
    record = str(row["record_file_name"]) if answered else ""
    called = row["called_number"] if transfer is None else transfer["number"]
    called_name = row["called_name"] if transfer is None else transfer["name"]
    status = row["call_status"] or outcome.call_status
    party = row["ended_by"] or ended_by(status, str(row["uuid"]))
    return (
        int(row["company_id"]),
        int(row["started_at"]),
        str(row["call_type"]),
        status,
        str(row["destination_number"]),
        str(row["caller_number"]),
        row["caller_name"],
        str(called) if called is not None else str(row["destination_number"]),
        called_name,
        int(row["route_seconds"]) + int(row["ring_seconds"]) + talk,
        talk if answered else None,
        record,
        str(row["uuid"]),
        1 if record else 0,
        party if answered else None,
    )
