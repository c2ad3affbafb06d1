"""A fresh company's history journalled in bulk: the calls written with the journal's triggers
off, and what the triggers would have written (each call's links, its record's JSON, the
roll-ups of its hours and days) written alongside, at a fraction of the cost per call. What the
calls are is the rules' (rules/history.py); this module only writes them, overlapping the
making of the next calls (a thread) with the writing of the last (SQLite).
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from itertools import chain
from typing import Any, Final, TypeVar

from mock_server.domain.storage.call_rows import CALL_COLUMNS, CallRow
from mock_server.domain.storage.journal_tables import RecordJson, derive_journal
from mock_server.domain.storage.rollups import (
    NO_EARLIER_CALL,
    is_successful,
    roll_up_calls,
    roll_up_days,
)

__all__ = ["append_in_bulk", "write_in_bulk"]

_T = TypeVar("_T")
# Calls handed from the thread that makes them to the writer at a time: memory stays bounded
# (three chunks in flight) whatever a day holds.
_CHUNK: Final = 8192
# Rows per INSERT when seeding, at most (each call row is 15 parameters; SQLite allows 32,766).
# One statement for many rows: a table with triggers makes SQLite keep a statement journal
# per statement. Chunks are powers of two, so that a handful of statements serve every day.
_BATCH: Final = 1024


def _insert_many(
    conn: sqlite3.Connection, table: str, columns: Sequence[str], rows: Sequence[Sequence[object]]
) -> None:
    one = "(" + ", ".join("?" * len(columns)) + ")"
    first = 0
    while first < len(rows):
        size = min(_BATCH, 1 << ((len(rows) - first).bit_length() - 1))
        chunk = rows[first : first + size]
        conn.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([one] * size)}",
            list(chain.from_iterable(chunk)),
        )
        first += size


def write_in_bulk(
    conn: sqlite3.Connection,
    company_id: int,
    days_rows: Iterable[Iterable[CallRow]],
    registered: set[str],
    progress: Callable[[int], object] | None,
) -> int:
    """Journal a fresh company's history with the triggers off, writing what they would: each
    call's links, its record's JSON, the roll-ups of its hours (a chunk at a time, while its
    rows are in the cache), then the days.

    The calls are made, linked and rendered (Python) in a thread of their own, a chunk ahead
    of the writing (SQLite, which lets go of the interpreter while it works), so that the two
    overlap on a machine with more than one core."""
    next_id = int(conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM calls").fetchone()[0])
    conn.execute("INSERT INTO journal_bulk (company_id) VALUES (?)", (company_id,))
    total = 0
    try:
        for linked, bodies in _made_ahead(_linked_days(days_rows, registered)):
            _insert_many(conn, "calls", (*CALL_COLUMNS, "prev_at", "pair_prev_at"), linked)
            last_id = next_id + len(linked) - 1
            _insert_many(
                conn,
                "call_json",
                ("id", "body"),
                list(zip(range(next_id, last_id + 1), bodies, strict=True)),
            )
            roll_up_calls(conn, company_id, next_id, last_id)
            next_id = last_id + 1
            total += len(linked)
            if progress is not None:
                progress(total)
    finally:
        conn.execute("DELETE FROM journal_bulk WHERE company_id = ?", (company_id,))
    roll_up_days(conn, company_id)
    return total


def _linked_days(
    days_rows: Iterable[Iterable[CallRow]], registered: set[str]
) -> Iterator[tuple[list[tuple[Any, ...]], list[bytes]]]:
    """The calls, a few thousand at a time, with their links (as LINK_TRIGGERS sets them,
    journal_tables.py: on successful calls only) and their records' JSON. The calls come in time
    order, so a caller's previous successful call is the last one seen."""
    last_call: dict[str, int] = {}  # caller -> when their last successful call started
    last_pair_call: dict[str, dict[str, int]] = {n: {} for n in registered}  # callee -> caller ->
    render = RecordJson()
    for rows in days_rows:
        linked: list[tuple[Any, ...]] = []
        for row in rows:
            if not is_successful(row[2], row[3]):
                linked.append((*row, None, None))
            else:
                started, caller, callee = row[1], row[5], row[7]
                pairs = last_pair_call.get(callee) if callee is not None else None
                pair_prev_at = None
                if pairs is not None:
                    pair_prev_at = pairs.get(caller, NO_EARLIER_CALL)
                    pairs[caller] = started
                linked.append((*row, last_call.get(caller, NO_EARLIER_CALL), pair_prev_at))
                last_call[caller] = started
            if len(linked) == _CHUNK:
                yield linked, [render(row) for row in linked]
                linked = []
        if linked:
            yield linked, [render(row) for row in linked]


def _made_ahead(days: Iterator[_T]) -> Generator[_T, None, None]:
    """`days`, made in a thread of their own, at most one ahead of their consumer (and one in
    the making); what the thread raises is raised here."""
    ready: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def offer(more: bool, item: Any) -> bool:
        while not stop.is_set():
            try:
                ready.put((more, item), timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def make() -> None:
        try:
            for day in days:
                if not offer(True, day):
                    return
            offer(False, None)
        except BaseException as exc:  # handed over to the consumer
            offer(False, exc)

    maker = threading.Thread(target=make, name="seed-history", daemon=True)
    maker.start()
    try:
        while True:
            more, item = ready.get()
            if not more:
                if item is not None:
                    raise item
                return
            yield item
    finally:
        stop.set()
        maker.join()


def append_in_bulk(
    conn: sqlite3.Connection, company_id: int, rows: Iterable[CallRow], chunk: int = _CHUNK
) -> int:
    """Journal `rows` (in any time order; their ids follow their order) with the triggers
    off, then write what the triggers would have (`derive_journal`): a tenant file's records,
    a hundred thousand in a second where the triggers take many."""
    first_id = int(conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM calls").fetchone()[0])
    conn.execute("INSERT INTO journal_bulk (company_id) VALUES (?)", (company_id,))
    total = 0
    try:
        batch: list[CallRow] = []
        for row in rows:
            batch.append(row)
            if len(batch) == chunk:
                _insert_many(conn, "calls", CALL_COLUMNS, batch)
                total += len(batch)
                batch = []
        if batch:
            _insert_many(conn, "calls", CALL_COLUMNS, batch)
            total += len(batch)
    finally:
        conn.execute("DELETE FROM journal_bulk WHERE company_id = ?", (company_id,))
    if total:
        derive_journal(conn, company_id, first_id)
    return total
