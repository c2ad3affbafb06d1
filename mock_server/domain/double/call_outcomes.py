"""The queue of call outcomes a test decided, and the calls placed while the mock runs.

A test cannot wait for a call's natural end or guess what the seed makes of it, so it queues
outcomes (`POST /mock/calls/outcomes`, each a `ForcedOutcome`, rules/outcomes.py): each is
taken, in order, by the company's next click-to-call or simulated incoming call (`direction`
narrows that to one kind). A simulated call that names an outcome field itself follows that and
leaves the queue alone. The queue lives in the store, so every worker process of a shared state
file sees it.

Every call placed while the mock runs is noted (`placed_calls`): click-to-call answers no id (as
on the real service), so a test finds its call in the control view (`calls`), live or finished,
with its journal record once it has ended.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any, Final

from mock_server.domain.errors import Conflict, NotFound
from mock_server.domain.rules.companies import require_company
from mock_server.domain.rules.outcomes import CallOutcome, Direction, ForcedOutcome
from mock_server.domain.storage.store import Store
from mock_server.domain.timeutil import format_epoch_ms, to_epoch_ms

__all__ = ["OUTCOME_SCHEMA", "CallOutcomes"]

MAX_QUEUED: Final = 1000
MAX_LISTED: Final = 500

OUTCOME_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS call_outcome_queue (
    id               INTEGER PRIMARY KEY,
    company_id       INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    direction        TEXT CHECK (direction IS NULL OR direction IN ('outgoing', 'incoming')),
    outcome          TEXT NOT NULL CHECK (outcome IN ('answered', 'not_answered', 'busy')),
    duration_seconds INTEGER,
    ring_seconds     INTEGER,
    recording        INTEGER NOT NULL DEFAULT 1,
    transcript       INTEGER NOT NULL DEFAULT 1,
    answered_by      TEXT
);
CREATE INDEX IF NOT EXISTS call_outcome_queue_by_company ON call_outcome_queue(company_id, id);
CREATE TABLE IF NOT EXISTS placed_calls (
    uuid        TEXT PRIMARY KEY,
    company_id  INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    direction   TEXT NOT NULL,
    started_at  INTEGER NOT NULL,                 -- epoch milliseconds
    outcome_id  INTEGER,                          -- the queued outcome it took
    forced      INTEGER NOT NULL DEFAULT 0,       -- its outcome was decided by a test
    transcript  INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS placed_calls_by_company ON placed_calls(company_id, started_at);
"""

MSG_NOT_EMPLOYEE: Final = (
    "Field 'answeredBy': {value!r} is not the full or short number of an employee of company "
    "{company_id} (see GET /employees)"
)
MSG_QUEUE_FULL: Final = (
    "Company {company_id} has {count} outcomes queued already, the most the mock keeps; "
    "DELETE /mock/calls/outcomes first"
)


def _forced(row: sqlite3.Row) -> ForcedOutcome:
    return ForcedOutcome(
        outcome=CallOutcome(row["outcome"]),
        duration_seconds=row["duration_seconds"],
        ring_seconds=row["ring_seconds"],
        recording=bool(row["recording"]),
        transcript=bool(row["transcript"]),
        answered_by=row["answered_by"],
        direction=None if row["direction"] is None else Direction(row["direction"]),
        id=int(row["id"]),
    )


class CallOutcomes:
    """The queue of forced outcomes per company, and the calls placed while the mock runs.

    It is the `CallDirector` of `LiveCalls`: `take` hands a new call its outcome, `placed`
    notes the call, `settled` applies what the journal cannot derive (no transcript).

    Example::

        outcomes = CallOutcomes(store)
        outcomes.queue(391, ForcedOutcome(CallOutcome.ANSWERED, duration_seconds=60))
        live.place_outgoing(391, "79026840778", "79533933557", now)  # takes it
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        if OUTCOME_SCHEMA not in store.extra_schema:
            store.add_schema(OUTCOME_SCHEMA)

    # -- the queue ------------------------------------------------------------------------

    def queue(self, company_id: int, outcome: ForcedOutcome) -> ForcedOutcome:
        """Queue `outcome` for the company's next call; the queued outcome with its id."""
        with self._store.transaction() as conn:
            require_company(conn, company_id)
            if outcome.answered_by is not None and not _is_employee(
                conn, company_id, outcome.answered_by
            ):
                raise NotFound(
                    MSG_NOT_EMPLOYEE.format(value=outcome.answered_by, company_id=company_id)
                )
            count = conn.execute(
                "SELECT COUNT(*) FROM call_outcome_queue WHERE company_id = ?", (company_id,)
            ).fetchone()[0]
            if count >= MAX_QUEUED:
                raise Conflict(MSG_QUEUE_FULL.format(company_id=company_id, count=count))
            cursor = conn.execute(
                "INSERT INTO call_outcome_queue (company_id, direction, outcome, "
                "duration_seconds, ring_seconds, recording, transcript, answered_by) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    company_id,
                    outcome.direction,
                    outcome.outcome,
                    outcome.duration_seconds,
                    outcome.ring_seconds,
                    int(outcome.recording),
                    int(outcome.transcript),
                    outcome.answered_by,
                ),
            )
            row = conn.execute(
                "SELECT * FROM call_outcome_queue WHERE id = ?", (cursor.lastrowid,)
            ).fetchone()
            return _forced(row)

    def queued(self, company_id: int) -> list[ForcedOutcome]:
        """The company's queued outcomes, the next first."""
        conn = self._store.read()
        require_company(conn, company_id)
        rows = conn.execute(
            "SELECT * FROM call_outcome_queue WHERE company_id = ? ORDER BY id", (company_id,)
        ).fetchall()
        return [_forced(row) for row in rows]

    def clear(self, company_id: int) -> int:
        """Drop the company's queued outcomes; how many there were."""
        with self._store.transaction() as conn:
            require_company(conn, company_id)
            return conn.execute(
                "DELETE FROM call_outcome_queue WHERE company_id = ?", (company_id,)
            ).rowcount

    # -- the CallDirector of LiveCalls (inside the transaction that places or settles) -----

    def take(
        self, conn: sqlite3.Connection, company_id: int, direction: Direction
    ) -> ForcedOutcome | None:
        """The company's next queued outcome a call of `direction` may take, taken."""
        row = conn.execute(
            "SELECT * FROM call_outcome_queue WHERE company_id = ? "
            "AND (direction IS NULL OR direction = ?) ORDER BY id LIMIT 1",
            (company_id, direction),
        ).fetchone()
        if row is None:
            return None
        conn.execute("DELETE FROM call_outcome_queue WHERE id = ?", (row["id"],))
        return _forced(row)

    def placed(
        self,
        conn: sqlite3.Connection,
        company_id: int,
        direction: Direction,
        call_uuid: str,
        started_ms: int,
        forced: ForcedOutcome | None,
    ) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO placed_calls (uuid, company_id, direction, started_at, "
            "outcome_id, forced, transcript) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                call_uuid,
                company_id,
                direction,
                started_ms,
                None if forced is None else forced.id,
                int(forced is not None),
                int(forced is None or forced.transcript),
            ),
        )

    def settled(self, conn: sqlite3.Connection, company_id: int, uuids: list[str]) -> None:
        """The calls `uuids` are in the journal now: those forced to have no transcript lose
        the one the journal gives every recorded call."""
        for uuid in uuids:
            row = conn.execute(
                "SELECT started_at FROM placed_calls WHERE uuid = ? AND transcript = 0", (uuid,)
            ).fetchone()
            if row is not None:
                conn.execute(
                    "UPDATE calls SET has_transcript = 0 "
                    "WHERE company_id = ? AND started_at = ? AND uuid = ?",
                    (company_id, row["started_at"], uuid),
                )

    # -- the control view -----------------------------------------------------------------

    def calls(self, company_id: int, now: datetime, limit: int = 50) -> list[dict[str, Any]]:
        """The company's calls placed while the mock runs, newest first, live or finished."""
        conn = self._store.read()
        require_company(conn, company_id)
        now_ms = to_epoch_ms(now)
        placed = conn.execute(
            "SELECT * FROM placed_calls WHERE company_id = ? "
            "ORDER BY started_at DESC, rowid DESC LIMIT ?",
            (company_id, max(1, min(limit, MAX_LISTED))),
        ).fetchall()
        return [self._call(conn, company_id, row, now_ms) for row in placed]

    @staticmethod
    def _call(
        conn: sqlite3.Connection, company_id: int, placed: sqlite3.Row, now_ms: int
    ) -> dict[str, Any]:
        uuid = str(placed["uuid"])
        shown: dict[str, Any] = {
            "uuid": uuid,
            "direction": placed["direction"],
            "startedAt": format_epoch_ms(int(placed["started_at"])),
            "forced": bool(placed["forced"]),
            "outcomeId": placed["outcome_id"],
        }
        live = conn.execute("SELECT * FROM live_calls WHERE uuid = ?", (uuid,)).fetchone()
        if live is not None:
            connects = int(live["started_at"]) + int(live["route_seconds"]) * 1000
            answers = connects + int(live["ring_seconds"]) * 1000
            phase = "routing" if now_ms < connects else "ringing" if now_ms < answers else "talking"
            if live["outcome"] != "answered" and phase == "talking":
                phase = "ringing"
            shown.update(
                state="live",
                phase=phase,
                outcome=live["outcome"],
                callType=live["call_type"],
                callerNumber=live["caller_number"],
                destinationNumber=live["destination_number"],
                calleeNumber=live["called_number"],
                queueName=live["queue_name"],
                endsAt=format_epoch_ms(int(live["ends_at"])),
                conversationDuration=int(live["talk_seconds"]) or None,
                recordFileName=live["record_file_name"],
                hasTranscript=bool(live["record_file_name"]) and bool(placed["transcript"]),
            )
            return shown
        record = conn.execute(
            "SELECT * FROM calls WHERE company_id = ? AND started_at = ? AND uuid = ?",
            (company_id, placed["started_at"], uuid),
        ).fetchone()
        if record is None:  # pragma: no cover - a placed call is live or in the journal
            shown["state"] = "gone"
            return shown
        shown.update(
            state="finished",
            callType=record["call_type"],
            callStatus=record["call_status"],
            callerNumber=record["caller_number"],
            destinationNumber=record["destination_number"],
            calleeNumber=record["callee_number"],
            endsAt=format_epoch_ms(int(record["started_at"]) + int(record["call_duration"]) * 1000),
            callDuration=record["call_duration"],
            conversationDuration=record["conversation_duration"],
            recordFileName=record["record_file_name"],
            hasTranscript=bool(record["has_transcript"]),
        )
        return shown


def _is_employee(conn: sqlite3.Connection, company_id: int, number: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM employees WHERE company_id = ? AND full_number IS NOT NULL "
        "AND (full_number = ? OR short_number = ?)",
        (company_id, number, number),
    ).fetchone()
    return row is not None
