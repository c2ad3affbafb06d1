"""The call journal («журнал звонков»): GET /call-records/info, recordings and transcripts.

Every finished call of a company is one row of `calls`; the statistics are computed from the
same rows, so the journal and the statistics can never disagree. A company starts with a
seeded history (`seed_history`); live calls (`calls.py`) add rows when they end.

A seeded history is a function of (seed, company, day): with the same `days` and
`calls_per_day`, the calls of 2026-03-13 of company 391 with seed 1 are the same whatever the
day the PBX was started, as long as 2026-03-13 lies wholly inside the seeded window.

Shape of a working day: business hours 09:00-19:00 Moscow time (UTC+3, no DST), a morning and
an afternoon peak, a lunch dip; weekends carry a tenth of the traffic.

Rules the rows keep (the tests check each):
- `conversation_duration` only for answered calls (status `ANSWERED_*`), and
  `call_duration` (ringing included) >= `conversation_duration`;
- `record_file_name` is `YYYY-MM-DD/<id>` (the call's UTC date; `mo_<id>` for calls the company
  placed) only for recorded answered calls, else empty; recordings exist only where an employee's
  main number takes part, and faxes are never recorded;
- an incoming call from a number on the company's blacklist is `DENIED_DUE_TO_BLACK_LISTED`;
- `ended_by` (which party hung up, `hangups.py`) is set exactly for answered calls.
"""

from __future__ import annotations

import bisect
import json
import queue
import re
import sqlite3
import threading
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from itertools import chain
from typing import Any, Final, TypeVar
from urllib.parse import unquote

from mock_server.domain.errors import InvalidInput, NotFound
from mock_server.domain.fields import integer_field
from mock_server.domain.media.audio_cache import AudioCache, default_cache_directory
from mock_server.domain.media.recordings import Recording
from mock_server.domain.media.spoken_recordings import Call, CallAudio
from mock_server.domain.rules.hangups import ended_by
from mock_server.domain.rules.numbers import normalize_number, strip_blank
from mock_server.domain.rules.paging import page_request
from mock_server.domain.rules.sorting import Order, parse_sort
from mock_server.domain.storage.rollups import (
    HOUR_MS,
    ROLLUP_SCHEMA,
    ROLLUP_TRIGGERS,
    bucket_counts,
    rebuild_rollups,
    register_parties,
    roll_up_calls,
    roll_up_days,
)
from mock_server.domain.storage.seed import rng_for
from mock_server.domain.storage.store import Store
from mock_server.domain.timeutil import Instant, Window, format_epoch_ms, to_epoch_ms

__all__ = [
    "ANSWERED_PREFIX",
    "CALL_STATUSES",
    "CALL_TYPES",
    "COMPANY_PLACED_TYPES",
    "INSERT_CALL",
    "JOURNAL_SCHEMA",
    "MAX_CALLS_PER_DAY",
    "MAX_HISTORY_DAYS",
    "MAX_SEEDED_CALLS",
    "MOSCOW",
    "SORT_FIELDS",
    "CallJournal",
    "CallRow",
    "check_history_size",
    "company_main_number",
    "expected_call_count",
    "install_schema",
    "make_uuid",
    "normalize_filename",
    "record_file_name",
    "seed_history",
]

MOSCOW: Final = timezone(timedelta(hours=3), "MSK")
ANSWERED_PREFIX: Final = "ANSWERED_"
_DAY_MS: Final = 86_400_000
_HOUR_MS: Final = 3_600_000

CALL_TYPES: Final = (
    "SINGLE_CHANNEL",
    "MULTI_CHANNEL",
    "UNKNOWN_CALL",
    "INTERNAL",
    "HIMSELF",
    "INTERNAL_QUEUE",
    "CRM_OUTGOING",
    "VOICEMAIL",
    "CONFERENCE",
    "CALLBACK",
    "PICKUP_CALL",
    "FAX",
    "OUTGOING",
    "CRM_CALLBACK",
)
CALL_STATUSES: Final = (
    "ANSWERED_COMMON",
    "ANSWERED_BY_ORIGINAL_CLIENT",
    "ANSWERED_BY_BUSY_FORWARD_CLIENT",
    "ANSWERED_BY_NO_ANSWER_FORWARD_CLIENT",
    "NOT_ANSWERED_COMMON",
    "CANCELLED_BY_CALLER",
    "DENIED_DUE_TO_MAX_SESSION",
    "DENIED_DUE_TO_INCOMING_CALLS_BLOCKED",
    "DENIED_DUE_TO_OUTGOING_CALLS_BLOCKED",
    "DENIED_DUE_TO_ONLY_INTERNAL_CALLS_ENABLED",
    "DENIED_DUE_TO_BLACK_LISTED",
    "DENIED_NOT_IN_WHITE_LIST",
    "DENIED_DUE_TO_NOT_WORK_TIME",
    "DENIED_DUE_TO_UNKNOWN_NUMBER",
    "DESTINATION_BUSY",
    "CANCELLED_BY_PICKUP",
)
# Calls the company placed; their recordings are named `mo_<id>` ("mobile originated"), as in
# the guide's examples.
COMPANY_PLACED_TYPES: Final = frozenset({"OUTGOING", "CRM_OUTGOING", "CALLBACK", "CRM_CALLBACK"})

JOURNAL_SCHEMA: Final = """
-- prev_at, pair_prev_at: links kept by the journal itself (LINK_TRIGGERS), for counting
-- distinct callers: when the same caller last called before this call (NULL: never), and, for
-- a call to a registered party (rollups.py), when the same caller last called that party.
CREATE TABLE IF NOT EXISTS calls (
    id                    INTEGER PRIMARY KEY,
    company_id            INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    started_at            INTEGER NOT NULL,          -- epoch milliseconds, UTC
    call_type             TEXT NOT NULL,
    call_status           TEXT NOT NULL,
    destination_number    TEXT,
    caller_number         TEXT NOT NULL,
    caller_name           TEXT,
    callee_number         TEXT,
    callee_name           TEXT,
    call_duration         INTEGER NOT NULL CHECK (call_duration >= 0),
    conversation_duration INTEGER
        CHECK (conversation_duration IS NULL
               OR (conversation_duration <= call_duration AND call_status GLOB 'ANSWERED_*')),
    record_file_name      TEXT NOT NULL DEFAULT ''
        CHECK (record_file_name = '' OR conversation_duration > 0),
    uuid                  TEXT NOT NULL,
    has_transcript        INTEGER NOT NULL DEFAULT 0
        CHECK (has_transcript = 0 OR record_file_name != ''),
    -- Who hung up an answered call: 'A' the caller, 'B' the callee (hangups.py).
    ended_by              TEXT
        CHECK ((ended_by IS NOT NULL) = (call_status GLOB 'ANSWERED_*')
               AND (ended_by IS NULL OR ended_by IN ('A', 'B'))),
    prev_at               INTEGER,
    pair_prev_at          INTEGER
);
-- Each record's JSON, written once when the call is journalled: a page is its rows' bytes.
CREATE TABLE IF NOT EXISTS call_json (
    id   INTEGER PRIMARY KEY,  -- calls.id
    body BLOB NOT NULL
);
-- Companies whose history is being seeded in bulk (`seed_history`): the triggers leave their
-- calls alone, and the seeding writes what they would have, in one pass at the end.
CREATE TABLE IF NOT EXISTS journal_bulk (company_id INTEGER PRIMARY KEY);
"""
# Every read is confined to one company and one window; the rowid that SQLite appends to each
# index entry makes `ORDER BY started_at, id` an index scan with no sort step, so no index that
# pages are read through has a column after `started_at`.
JOURNAL_INDEXES: Final = """
CREATE INDEX IF NOT EXISTS calls_by_time ON calls(company_id, started_at);
CREATE INDEX IF NOT EXISTS calls_by_caller ON calls(company_id, caller_number, started_at);
CREATE INDEX IF NOT EXISTS calls_by_callee ON calls(company_id, callee_number, started_at);
-- Distinct callers of a window, counted from these alone (statistics.py); a call to a party
-- that its caller never called before has no pair link, and most calls are such.
CREATE INDEX IF NOT EXISTS calls_first_callers ON calls(company_id, started_at, prev_at);
CREATE INDEX IF NOT EXISTS calls_pair_redials
    ON calls(company_id, callee_number, started_at, pair_prev_at)
    WHERE pair_prev_at IS NOT NULL;
-- Finds a recording by name, and keeps names unique.
CREATE UNIQUE INDEX IF NOT EXISTS calls_by_record
    ON calls(company_id, record_file_name) WHERE record_file_name != '';
"""


def _record_json_sql(p: str) -> str:
    """SQL of a row's CallRecord JSON (`p`: "" or "NEW."), byte for byte what orjson writes
    for the record: fields in the spec's order, absent values left out, UTF-8 as is."""
    ms = f"((({p}started_at % 1000) + 1000) % 1000)"
    date = (
        f"strftime('%Y-%m-%dT%H:%M:%S', ({p}started_at - {ms}) / 1000, 'unixepoch') "
        f"|| '.' || substr('00' || {ms}, -3) || 'Z'"
    )

    def optional(key: str, column: str, quote: bool = True) -> str:
        value = f"json_quote({p}{column})" if quote else f"{p}{column}"
        return f"CASE WHEN {p}{column} IS NULL THEN '' ELSE ',\"{key}\":' || {value} END"

    parts = [
        f'\'{{"date":"\' || {date} || \'","callType":\' || json_quote({p}call_type)',
        optional("destinationNumber", "destination_number"),
        optional("callerNumber", "caller_number"),
        optional("callerName", "caller_name"),
        optional("calleeNumber", "callee_number"),
        optional("calleeName", "callee_name"),
        optional("callDuration", "call_duration", quote=False),
        optional("conversationDuration", "conversation_duration", quote=False),
        f"',\"callStatus\":' || json_quote({p}call_status)",
        f"',\"recordFileName\":' || json_quote({p}record_file_name)",
        f"',\"uuid\":' || json_quote({p}uuid) || '}}'",
    ]
    return "CAST(" + " || ".join(parts) + " AS BLOB)"


_REGISTERED_CALLEE: Final = (
    "EXISTS (SELECT 1 FROM journal_parties WHERE company_id = NEW.company_id "
    "AND number = NEW.callee_number)"
)
# What a call journalled one by one gets (a live call settling, a test's row): its JSON, its
# links, and the links of the next call of the same caller, which now follows this one.
LINK_TRIGGERS: Final = f"""
CREATE TRIGGER IF NOT EXISTS calls_journalled AFTER INSERT ON calls
WHEN NOT EXISTS (SELECT 1 FROM journal_bulk WHERE company_id = NEW.company_id)
BEGIN
    INSERT OR REPLACE INTO call_json (id, body) VALUES (NEW.id, {_record_json_sql("NEW.")});
    UPDATE calls SET
        prev_at = (
            SELECT started_at FROM calls INDEXED BY calls_by_caller
            WHERE company_id = NEW.company_id AND caller_number = NEW.caller_number
              AND started_at <= NEW.started_at AND id != NEW.id
            ORDER BY started_at DESC LIMIT 1),
        pair_prev_at = CASE WHEN {_REGISTERED_CALLEE} THEN (
            SELECT started_at FROM calls INDEXED BY calls_by_caller
            WHERE company_id = NEW.company_id AND caller_number = NEW.caller_number
              AND started_at <= NEW.started_at AND id != NEW.id
              AND callee_number = NEW.callee_number
            ORDER BY started_at DESC LIMIT 1) END
    WHERE id = NEW.id;
    UPDATE calls SET prev_at = NEW.started_at WHERE id = (
        SELECT id FROM calls INDEXED BY calls_by_caller
        WHERE company_id = NEW.company_id AND caller_number = NEW.caller_number
          AND started_at > NEW.started_at
        ORDER BY started_at, id LIMIT 1);
    UPDATE calls SET pair_prev_at = NEW.started_at WHERE {_REGISTERED_CALLEE} AND id = (
        SELECT id FROM calls INDEXED BY calls_by_caller
        WHERE company_id = NEW.company_id AND caller_number = NEW.caller_number
          AND started_at > NEW.started_at AND callee_number = NEW.callee_number
        ORDER BY started_at, id LIMIT 1);
END;
CREATE TRIGGER IF NOT EXISTS calls_forgotten AFTER DELETE ON calls
BEGIN
    DELETE FROM call_json WHERE id = OLD.id;
END;
"""

CallRow = tuple[
    int,  # company_id
    int,  # started_at (ms)
    str,  # call_type
    str,  # call_status
    str | None,  # destination_number
    str,  # caller_number
    str | None,  # caller_name
    str | None,  # callee_number
    str | None,  # callee_name
    int,  # call_duration
    int | None,  # conversation_duration
    str,  # record_file_name
    str,  # uuid
    int,  # has_transcript
    str | None,  # ended_by
]

_CALL_COLUMNS: Final = (
    "company_id",
    "started_at",
    "call_type",
    "call_status",
    "destination_number",
    "caller_number",
    "caller_name",
    "callee_number",
    "callee_name",
    "call_duration",
    "conversation_duration",
    "record_file_name",
    "uuid",
    "has_transcript",
    "ended_by",
)


def _insert(columns: Sequence[str]) -> str:
    return f"INSERT INTO calls ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


# A CallRow into the journal; the triggers add the rest (LINK_TRIGGERS, rollups.py).
INSERT_CALL: Final = _insert(_CALL_COLUMNS)

# Response field -> column. Sorting by any of them is allowed; ties go by journal position.
SORT_FIELDS: Final = {
    "date": "started_at",
    "callType": "call_type",
    "destinationNumber": "destination_number",
    "callerNumber": "caller_number",
    "callerName": "caller_name",
    "calleeNumber": "callee_number",
    "calleeName": "callee_name",
    "callDuration": "call_duration",
    "conversationDuration": "conversation_duration",
    "callStatus": "call_status",
    "recordFileName": "record_file_name",
    "uuid": "uuid",
}
_SELECT_COLUMNS: Final = (
    "started_at, call_type, destination_number, caller_number, caller_name, callee_number, "
    "callee_name, call_duration, conversation_duration, call_status, record_file_name, uuid"
)

MSG_BAD_FILENAME: Final = (
    "Query parameter 'filename': expected a recordFileName such as "
    "2022-07-15/165787002922476116 (single- or double-URL-encoded), got {value!r}"
)
MSG_NO_RECORDING: Final = "Recording {name!r} not found"
MSG_NO_TRANSCRIPT: Final = "No transcript for recording {name!r}"

_FILENAME: Final = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})/(?:mo_)?[0-9]{1,30}", re.ASCII)
_FILENAME_MAX_LENGTH: Final = 200
_SHOWN_LIMIT: Final = 80


def install_schema(store: Store) -> None:
    """Create the journal's tables, indexes, triggers and roll-ups; `seed_history` needs them,
    so call this (or construct a `CallJournal`) before seeding. A state file written before
    the links, the records' JSON and the roll-ups existed gets them, computed from its calls."""
    if JOURNAL_SCHEMA in store.extra_schema:
        return
    conn = store.read()
    had_calls = bool(
        conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'calls'"
        ).fetchone()
    )
    store.add_schema(JOURNAL_SCHEMA)
    store.add_schema(ROLLUP_SCHEMA)
    columns = {str(row[1]) for row in conn.execute("PRAGMA table_info(calls)")}
    upgrade = had_calls and "prev_at" not in columns
    if upgrade:
        with store.transaction() as tx:
            tx.execute("ALTER TABLE calls ADD COLUMN prev_at INTEGER")
            tx.execute("ALTER TABLE calls ADD COLUMN pair_prev_at INTEGER")
    store.add_schema(JOURNAL_INDEXES)
    store.add_schema(LINK_TRIGGERS)
    store.add_schema(ROLLUP_TRIGGERS)
    if upgrade:
        with store.transaction() as tx:
            _upgrade(tx)


def _upgrade(conn: sqlite3.Connection) -> None:
    """Give every call of an older state file what the triggers give a new one."""
    companies = [int(r[0]) for r in conn.execute("SELECT DISTINCT company_id FROM calls")]
    for company_id in companies:
        numbers = [
            str(r[0])
            for r in conn.execute(
                "SELECT full_number FROM employees WHERE company_id = ? "
                "AND full_number IS NOT NULL",
                (company_id,),
            )
        ]
        conn.executemany(
            "INSERT OR IGNORE INTO journal_parties (company_id, number) VALUES (?, ?)",
            [(company_id, number) for number in numbers],
        )
    conn.execute(
        "UPDATE calls SET prev_at = link.prev_at, pair_prev_at = link.pair_prev_at FROM ("
        "SELECT c.id, LAG(c.started_at) OVER ("
        "  PARTITION BY c.company_id, c.caller_number ORDER BY c.started_at, c.id) AS prev_at, "
        "CASE WHEN p.number IS NULL THEN NULL ELSE LAG(c.started_at) OVER ("
        "  PARTITION BY c.company_id, c.caller_number, c.callee_number "
        "  ORDER BY c.started_at, c.id) END AS pair_prev_at "
        "FROM calls AS c LEFT JOIN journal_parties AS p "
        "ON p.company_id = c.company_id AND p.number = c.callee_number) AS link "
        "WHERE calls.id = link.id"
    )
    conn.execute(
        f"INSERT OR REPLACE INTO call_json (id, body) SELECT id, {_record_json_sql('')} FROM calls"
    )
    for company_id in companies:
        rebuild_rollups(conn, company_id)


def company_main_number(seed: int, company_id: int) -> str:
    """The company's multi-channel number (what clients dial; queues answer on it)."""
    rng = rng_for(seed, company_id, "main-number")
    return f"7495{rng.randrange(10**7):07d}"


def make_uuid(bits: int) -> str:
    """A version-4-shaped UUID string from 128 random bits (faster than `uuid.UUID`)."""
    digits = f"{bits & (2**128 - 1):032x}"
    return (
        f"{digits[:8]}-{digits[8:12]}-4{digits[13:16]}-"
        f"{'89ab'[bits & 3]}{digits[17:20]}-{digits[20:]}"
    )


def record_file_name(started_ms: int, call_type: str, suffix: int) -> str:
    """`YYYY-MM-DD/<ms><5 digits>` (`mo_` before the id for calls the company placed)."""
    day = date(1970, 1, 1) + timedelta(days=started_ms // _DAY_MS)
    prefix = "mo_" if call_type in COMPANY_PLACED_TYPES else ""
    return f"{day.isoformat()}/{prefix}{started_ms}{suffix % 100_000:05d}"


def normalize_filename(raw: str) -> str:
    """Decode `filename` (single- or double-URL-encoded) and check its shape strictly.

    The shape is checked before any lookup, and a name is only ever a key of the journal,
    never a path, so `../etc/passwd` and its encodings are refused without touching a disk.
    A name of the documented shape whose date cannot exist (`2022-02-30/1`) names no
    recording: NotFound, as any other name the journal does not hold, and so does an empty
    name, the `recordFileName` of a call that has no recording (spec D11, D28).
    """
    if raw == "":
        raise NotFound(MSG_NO_RECORDING.format(name=raw))
    shown = raw if len(raw) <= _SHOWN_LIMIT else raw[:_SHOWN_LIMIT] + "..."
    if len(raw) > _FILENAME_MAX_LENGTH:
        raise InvalidInput(MSG_BAD_FILENAME.format(value=shown))
    name = raw
    for _ in range(3):
        decoded = unquote(name)
        if decoded == name:
            break
        name = decoded
    match = _FILENAME.fullmatch(name)
    if match is None:
        raise InvalidInput(MSG_BAD_FILENAME.format(value=shown))
    try:
        date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as exc:
        raise NotFound(MSG_NO_RECORDING.format(name=name)) from exc
    return name


# ---------------------------------------------------------------------------------------------
# Reading


def _order_by(orders: Sequence[Order], prefix: str = "") -> str:
    """SQL of the orders; ties follow the first order's direction, so that `date,DESC` is the
    time index read backwards and consecutive pages never overlap. `prefix` names the columns
    as a page's subquery gives them (`k0`, `k1`, ...) instead of the table's."""
    terms = [
        f"{f'{prefix}k{index}' if prefix else SORT_FIELDS[o.field]} "
        f"{'DESC' if o.descending else 'ASC'}"
        for index, o in enumerate(orders)
    ]
    terms.append(f"{prefix}id {'DESC' if orders[0].descending else 'ASC'}")
    return ", ".join(terms)


def _number_filter(value: str | None) -> str | None:
    """A `caller`/`callee` filter as the journal stores numbers (D22); blank is no filter (D21):
    `?caller=` arrives as an empty string, which means "any caller", not "calls from nobody"."""
    if value is None or not strip_blank(value):
        return None
    return normalize_number(value)


# Below this offset a page skips index entries faster than the roll-ups could be read.
_SEEK_FROM: Final = 1000


def _count(
    conn: sqlite3.Connection, company_id: int, start_ms: int, end_ms: int, recorded: bool
) -> int:
    sql = "SELECT COUNT(*) FROM calls WHERE company_id = ? AND started_at >= ? AND started_at < ?"
    if recorded:
        sql += " AND record_file_name != ''"
    return int(conn.execute(sql, (company_id, start_ms, end_ms)).fetchone()[0])


def _seek(
    conn: sqlite3.Connection,
    company_id: int,
    start_ms: int,
    end_ms: int,
    offset: int,
    recorded: bool,
    descending: bool,
) -> tuple[int, int, int]:
    """A deep page of the window in time order, found from the hourly roll-ups: the window
    narrowed to start (or, `descending`, end) at the hour the page begins in, and the offset
    left within it. Skips whole hours by their counts instead of skipping their calls one by
    one; rows of one instant never straddle an hour's edge, so the page is the same."""
    first_hour = -(-start_ms // HOUR_MS) * HOUR_MS
    last_hour = end_ms // HOUR_MS * HOUR_MS
    if first_hour >= last_hour:
        return start_ms, end_ms, offset
    near = (last_hour, end_ms) if descending else (start_ms, first_hour)
    remaining = offset - (_count(conn, company_id, *near, recorded) if near[0] < near[1] else 0)
    if remaining < 0:
        return start_ms, end_ms, offset
    figure = "recorded" if recorded else "calls"
    for hour, calls in bucket_counts(conn, company_id, start_ms, end_ms, figure, descending):
        if remaining < calls:
            return (
                (start_ms, hour + HOUR_MS, remaining) if descending else (hour, end_ms, remaining)
            )
        remaining -= calls
    return (start_ms, first_hour, remaining) if descending else (last_hour, end_ms, remaining)


class CallJournal:
    """Reads the journal of a company.

    `settle(company_id)`, when given, is called before every read so that live calls that have
    ended by the mock's clock are in the journal first (`LiveCalls.settle` with the clock's now).
    `audio` makes the recordings and transcripts; by default they are cached beside a state
    file, or in the system's temporary directory for a temporary store.

    Example::

        journal = CallJournal(store, settle=live.settler(clock))
        journal.records(391, start, end, caller="79000258890", sort="date,DESC", size=50)
    """

    def __init__(
        self,
        store: Store,
        settle: Callable[[int], object] | None = None,
        audio: CallAudio | None = None,
    ) -> None:
        self._store = store
        self._settle = settle
        if audio is None:
            state_file = store.path if store.persistent else None
            audio = CallAudio(AudioCache(default_cache_directory(state_file)))
        self.audio = audio
        install_schema(store)

    def _before_read(self, company_id: int) -> None:
        if self._settle is not None:
            self._settle(company_id)

    def records(
        self, company_id: int, start: Instant, end: Instant, **query: Any
    ) -> list[dict[str, Any]]:
        """`records_json`'s page as CallRecord dicts."""
        records: list[dict[str, Any]] = json.loads(
            self.records_json(company_id, start, end, **query)
        )
        return records

    def records_json(
        self,
        company_id: int,
        start: Instant,
        end: Instant,
        *,
        caller: str | None = None,
        callee: str | None = None,
        is_recorded: bool = False,
        page: int | None = None,
        size: int | None = None,
        sort: str | Sequence[str] | None = None,
    ) -> bytes:
        """One page of the calls whose start lies in `[start, end)`: the JSON array of their
        CallRecords (UTF-8); an empty or reversed window has no calls (D18). Each record's JSON
        was written when the call was journalled, so a page costs little more than reading its
        bytes.

        - `caller`: calls from that number; `callee`: calls answered by, or last ringing at,
          that number. Both: the calls from `caller` to `callee` ("only the calls between these
          numbers"), in that direction only: both filters apply, as each does alone, so a client
          wanting the other direction asks again with the numbers swapped. A blank value is no
          filter (D21); `8XXXXXXXXXX` and `+7XXXXXXXXXX` match `7XXXXXXXXXX` (D22).
        - `is_recorded`: only calls with a recording (non-empty `recordFileName`).
        - `page`, `size`: as Spring Data takes them (`paging.py`, D17).
        - `sort`: Spring's sort values on CallRecord fields (`sorting.py`, D23); ties go by
          journal position in the first order's direction, so consecutive pages never overlap.
        """
        window = Window.of(start, end)
        paged = page_request(page, size)
        orders = parse_sort(sort, SORT_FIELDS)
        caller = _number_filter(caller)
        callee = _number_filter(callee)
        self._before_read(company_id)
        if window.is_empty:
            return b"[]"
        conn = self._store.read()
        start_ms, end_ms, offset = window.start_ms, window.end_ms, paged.offset
        descending = orders[0].descending
        if (
            len(orders) == 1
            and orders[0].field == "date"
            and caller is None
            and callee is None
            and offset >= _SEEK_FROM
        ):
            start_ms, end_ms, offset = _seek(
                conn, company_id, start_ms, end_ms, offset, is_recorded, descending
            )
        where = ["company_id = ?", "started_at >= ?", "started_at < ?"]
        params: list[Any] = [company_id, start_ms, end_ms]
        if caller is not None:
            where.append("caller_number = ?")
            params.append(caller)
        if callee is not None:
            where.append("callee_number = ?")
            params.append(callee)
        if is_recorded:
            where.append("record_file_name != ''")
        # The page's ids are found first (from an index alone when the order is the time
        # order), and only those records are read: deep pages skip index entries, not rows.
        keys = ", ".join(f"{SORT_FIELDS[o.field]} AS k{i}" for i, o in enumerate(orders))
        sql = (
            f"SELECT j.body FROM (SELECT id, {keys} FROM calls "
            f"WHERE {' AND '.join(where)} ORDER BY {_order_by(orders)} LIMIT ? OFFSET ?) AS p "
            f"JOIN call_json AS j ON j.id = p.id ORDER BY {_order_by(orders, 'p.')}"
        )
        params += [paged.size, offset]
        cursor = conn.cursor()
        cursor.row_factory = None
        return b"[" + b",".join([row[0] for row in cursor.execute(sql, params)]) + b"]"

    def _find(self, company_id: int, filename: str) -> tuple[Call, sqlite3.Row]:
        name = normalize_filename(filename)
        self._before_read(company_id)
        row: sqlite3.Row | None = (
            self._store.read()
            .execute(
                "SELECT conversation_duration, uuid, caller_name, callee_name, has_transcript "
                "FROM calls WHERE company_id = ? AND record_file_name = ? "
                "AND record_file_name != ''",  # so that the partial index calls_by_record serves
                (company_id, name),
            )
            .fetchone()
        )
        if row is None:
            raise NotFound(MSG_NO_RECORDING.format(name=name))
        call = Call(
            name,
            int(row["conversation_duration"]),
            seed=str(row["uuid"]),
            caller_name=row["caller_name"],
            callee_name=row["callee_name"],
        )
        return call, row

    def find_recording(self, company_id: int, filename: str) -> Recording:
        """The recording named by `filename` (single- or double-URL-encoded).

        Raises InvalidInput for anything not shaped `YYYY-MM-DD/<digits>` or
        `YYYY-MM-DD/mo_<digits>`, NotFound for a well-formed name the company does not have.
        """
        call, _ = self._find(company_id, filename)
        return self.audio.recording(call)

    def made_recording(self, company_id: int, filename: str) -> Recording | None:
        """`find_recording`'s recording if it is made already (reading it then costs a file's
        read), None if it is still to be made (a tenth of a second or more of speech).
        Raises as `find_recording`."""
        call, _ = self._find(company_id, filename)
        return self.audio.recording(call) if self.audio.made(call) else None

    def transcript_json(self, company_id: int, filename: str) -> bytes:
        """The JSON array of a recording's SttWords, timed as the words are said in it;
        NotFound when the call has no transcript."""
        call, row = self._find(company_id, filename)
        if not row["has_transcript"]:
            raise NotFound(MSG_NO_TRANSCRIPT.format(name=call.name))
        return self.audio.transcript_json(call)

    def transcript(self, company_id: int, filename: str) -> list[dict[str, object]]:
        """`transcript_json`'s SttWords as dicts."""
        words: list[dict[str, object]] = json.loads(self.transcript_json(company_id, filename))
        return words

    def count(self, company_id: int) -> int:
        """All calls of the company (for the control API and tests)."""
        self._before_read(company_id)
        row = (
            self._store.read()
            .execute("SELECT COUNT(*) FROM calls WHERE company_id = ?", (company_id,))
            .fetchone()
        )
        return int(row[0])


# ---------------------------------------------------------------------------------------------
# Seeding

# Weights are relative; the distributions are plausible for a small sales office, not measured.
_TYPE_WEIGHTS: Final = (
    ("SINGLE_CHANNEL", 300),
    ("MULTI_CHANNEL", 250),
    ("OUTGOING", 150),
    ("INTERNAL", 80),
    ("INTERNAL_QUEUE", 50),
    ("CRM_OUTGOING", 50),
    ("CALLBACK", 20),
    ("VOICEMAIL", 20),
    ("CRM_CALLBACK", 15),
    ("PICKUP_CALL", 15),
    ("CONFERENCE", 10),
    ("FAX", 5),
    ("HIMSELF", 5),
    ("UNKNOWN_CALL", 5),
)
_STATUS_WEIGHTS: Final[dict[str, tuple[tuple[str, float], ...]]] = {
    # Calls from outside to an employee's or the company's number.
    "incoming": (
        ("ANSWERED_COMMON", 40),
        ("ANSWERED_BY_ORIGINAL_CLIENT", 20),
        ("ANSWERED_BY_BUSY_FORWARD_CLIENT", 3),
        ("ANSWERED_BY_NO_ANSWER_FORWARD_CLIENT", 3),
        ("NOT_ANSWERED_COMMON", 12),
        ("CANCELLED_BY_CALLER", 10),
        ("DESTINATION_BUSY", 5),
        ("CANCELLED_BY_PICKUP", 1),
        ("DENIED_DUE_TO_MAX_SESSION", 0.4),
        ("DENIED_DUE_TO_NOT_WORK_TIME", 0.4),
        ("DENIED_DUE_TO_UNKNOWN_NUMBER", 0.3),
        ("DENIED_DUE_TO_INCOMING_CALLS_BLOCKED", 0.2),
        ("DENIED_NOT_IN_WHITE_LIST", 0.2),
    ),
    # Callers waiting in a queue: no forwarding, more give up.
    "queue": (
        ("ANSWERED_COMMON", 70),
        ("NOT_ANSWERED_COMMON", 12),
        ("CANCELLED_BY_CALLER", 14),
        ("DESTINATION_BUSY", 2),
        ("DENIED_DUE_TO_MAX_SESSION", 1),
        ("DENIED_DUE_TO_UNKNOWN_NUMBER", 1),
    ),
    "outgoing": (
        ("ANSWERED_COMMON", 66),
        ("NOT_ANSWERED_COMMON", 18),
        ("CANCELLED_BY_CALLER", 8),
        ("DESTINATION_BUSY", 7),
        ("DENIED_DUE_TO_OUTGOING_CALLS_BLOCKED", 0.5),
        ("DENIED_DUE_TO_ONLY_INTERNAL_CALLS_ENABLED", 0.5),
    ),
    "internal": (
        ("ANSWERED_COMMON", 75),
        ("NOT_ANSWERED_COMMON", 12),
        ("CANCELLED_BY_CALLER", 8),
        ("DESTINATION_BUSY", 5),
    ),
    "fax": (("ANSWERED_COMMON", 85), ("NOT_ANSWERED_COMMON", 15)),
    # A voicemail box, a pick-up, a conference, a call to oneself: answered by definition.
    "answered": (("ANSWERED_COMMON", 1),),
}
_PROFILE: Final = {
    "SINGLE_CHANNEL": "incoming",
    "MULTI_CHANNEL": "incoming",
    "INTERNAL_QUEUE": "queue",
    "UNKNOWN_CALL": "queue",
    "OUTGOING": "outgoing",
    "CRM_OUTGOING": "outgoing",
    "CALLBACK": "outgoing",
    "CRM_CALLBACK": "outgoing",
    "INTERNAL": "internal",
    "FAX": "fax",
    "VOICEMAIL": "answered",
    "PICKUP_CALL": "answered",
    "CONFERENCE": "answered",
    "HIMSELF": "answered",
}
_FROM_OUTSIDE: Final = frozenset(
    {"SINGLE_CHANNEL", "MULTI_CHANNEL", "INTERNAL_QUEUE", "UNKNOWN_CALL", "VOICEMAIL"}
    | {"PICKUP_CALL", "FAX"}
)
_FORWARDED: Final = frozenset(
    {"ANSWERED_BY_BUSY_FORWARD_CLIENT", "ANSWERED_BY_NO_ANSWER_FORWARD_CLIENT"}
)
# Business hours 09:00-19:00 MSK: a morning peak, a lunch dip at 13:00, an afternoon peak.
_HOUR_WEIGHTS: Final = (6, 10, 11, 10, 6, 9, 10, 9, 7, 4)
_FIRST_HOUR: Final = 9
_WEEKDAY_FACTOR: Final = (1.0, 1.0, 1.0, 1.0, 0.95, 0.15, 0.08)
_BLACKLISTED_SHARE: Final = 0.01
_RECORDED_SHARE: Final = 0.85
_TRANSCRIBED_SHARE: Final = 0.85
_MAX_TALK_SECONDS: Final = 3 * 3600
_DENIED_BLACKLISTED: Final = "DENIED_DUE_TO_BLACK_LISTED"


def _cumulative(weights: Iterable[tuple[str, float]]) -> tuple[tuple[str, ...], list[float]]:
    names: list[str] = []
    cumulative: list[float] = []
    total = 0.0
    for name, weight in weights:
        total += weight
        names.append(name)
        cumulative.append(total)
    return tuple(names), cumulative


_TYPE_NAMES, _TYPE_CUM = _cumulative(_TYPE_WEIGHTS)
_STATUS_TABLES: Final = {
    profile: _cumulative(weights) for profile, weights in _STATUS_WEIGHTS.items()
}
_HOUR_CUM: Final = [float(sum(_HOUR_WEIGHTS[: i + 1])) for i in range(len(_HOUR_WEIGHTS))]


@dataclass(frozen=True, slots=True)
class _Parties:
    """Who can take part in a company's calls."""

    employees: tuple[tuple[str, str | None], ...]  # (full number, display name)
    clients: tuple[tuple[str, str | None], ...]  # repeat callers first: known contacts
    blacklisted: tuple[str, ...]
    main_number: str


def _display_name(name: str | None, surname: str | None) -> str | None:
    return " ".join(part for part in (name, surname) if part) or None


def _load_parties(conn: sqlite3.Connection, seed: int, company_id: int, volume: int) -> _Parties:
    employees = tuple(
        (str(r[0]), _display_name(r[1], r[2]))
        for r in conn.execute(
            "SELECT full_number, name, surname FROM employees "
            "WHERE company_id = ? AND full_number IS NOT NULL ORDER BY employee_id",
            (company_id,),
        )
    )
    blacklisted = tuple(
        str(r[0])
        for r in conn.execute(
            "SELECT number FROM blacklist WHERE company_id = ? ORDER BY id", (company_id,)
        )
    )
    taken = {number for number, _ in employees} | set(blacklisted)
    clients: list[tuple[str, str | None]] = []
    for number, name in conn.execute(
        "SELECT real_number, name FROM customers WHERE company_id = ? ORDER BY id", (company_id,)
    ):
        if number not in taken:
            taken.add(number)
            clients.append((str(number), name))
    # About six calls per outside number over the history, so redials are common; numbers
    # near the front of the pool call far more often than those at the back.
    rng = rng_for(seed, company_id, "clients")
    target = max(60, volume // 6)
    while len(clients) < target:
        kind = rng.random()
        if kind < 0.8:
            number = f"79{rng.randrange(10**9):09d}"
        elif kind < 0.9:
            number = f"7495{rng.randrange(10**7):07d}"
        else:
            number = f"7812{rng.randrange(10**7):07d}"
        if number not in taken:
            taken.add(number)
            clients.append((number, None))
    return _Parties(employees, tuple(clients), blacklisted, company_main_number(seed, company_id))


# How much history a PBX seeds for each company (its settings: the command line, a reset). A
# company is seeded inside the request that creates it (a reset seeds every configured one
# while the API answers 503), and every company created later is seeded alike, so the product
# bounds each company's seeding: at MAX_SEEDED_CALLS about 76,000 calls, 4 s and 90 MB
# (scripts/measure_bounds.py). A larger journal for benchmarks is seeded by `seed_history`
# itself (scripts/bench_journal.py).
MAX_HISTORY_DAYS: Final = 366
MAX_CALLS_PER_DAY: Final = 100_000
MAX_SEEDED_CALLS: Final = 100_000
MSG_HISTORY_SIZE: Final = (
    "{where}s '{days_name}' and '{calls_name}': {days_name} x {calls_name} (the calls seeded "
    "for each company) is at most {limit}, e.g. 30 x 3333 or 366 x 273; got {days} x {calls} "
    "= {product}"
)


def check_history_size(
    days: int,
    calls_per_day: int,
    names: tuple[str, str] = ("historyDays", "callsPerDay"),
    where: str = "Field",
) -> None:
    """InvalidInput naming the field unless `days` (0 to MAX_HISTORY_DAYS) and `calls_per_day`
    (0 to MAX_CALLS_PER_DAY) are integers, or naming both when their product is above
    MAX_SEEDED_CALLS."""
    days_name, calls_name = names
    checked = {days_name: days, calls_name: calls_per_day}
    integer_field(checked, days_name, 0, MAX_HISTORY_DAYS, where)
    integer_field(checked, calls_name, 0, MAX_CALLS_PER_DAY, where)
    if days * calls_per_day > MAX_SEEDED_CALLS:
        raise InvalidInput(
            MSG_HISTORY_SIZE.format(
                where=where,
                days_name=days_name,
                calls_name=calls_name,
                limit=MAX_SEEDED_CALLS,
                days=days,
                calls=calls_per_day,
                product=days * calls_per_day,
            )
        )


def expected_call_count(now: datetime, days: int, calls_per_day: float) -> float:
    """How many calls `seed_history` writes on average for these arguments (calls still in
    progress at `now` aside); lets a benchmark ask for a total rather than a daily rate."""
    now_ms = to_epoch_ms(now)
    first_ms = now_ms - days * _DAY_MS
    hour_total = sum(_HOUR_WEIGHTS)
    day = datetime.fromtimestamp(first_ms / 1000, MOSCOW).date()
    last_day = datetime.fromtimestamp(now_ms / 1000, MOSCOW).date()
    expected = 0.0
    while day <= last_day:
        opening = to_epoch_ms(datetime(day.year, day.month, day.day, _FIRST_HOUR, tzinfo=MOSCOW))
        for hour, weight in enumerate(_HOUR_WEIGHTS):
            lo = opening + hour * _HOUR_MS
            covered = max(0, min(lo + _HOUR_MS, now_ms) - max(lo, first_ms)) / _HOUR_MS
            share = _WEEKDAY_FACTOR[day.weekday()] * weight / hour_total
            expected += calls_per_day * share * covered
        day += timedelta(days=1)
    return expected


def seed_history(
    conn: sqlite3.Connection,
    seed: int,
    company_id: int,
    now: datetime,
    days: int = 30,
    calls_per_day: int = 40,
    *,
    progress: Callable[[int], object] | None = None,
) -> int:
    """Journal the company's calls of the `days` days before `now`; returns how many.

    `calls_per_day` is the mean of a working day; weekends are much quieter. Only calls that
    started at or after `now - days` and ended by `now` are written. Needs the journal's tables
    (`install_schema`) and the company's employees; run it inside the transaction that seeds
    the company. `progress(rows_so_far)` is called as the calls are written.
    """
    if days < 0 or calls_per_day < 0:
        raise ValueError("days and calls_per_day must be >= 0")
    parties = _load_parties(conn, seed, company_id, days * calls_per_day)
    if not parties.employees:
        return 0
    # The employees' numbers carry most calls: each is rolled up on its own (rollups.py).
    registered = {number for number, _ in parties.employees}
    register_parties(conn, company_id, sorted(registered))
    now_ms = to_epoch_ms(now)
    first_ms = now_ms - days * _DAY_MS
    first_day = datetime.fromtimestamp(first_ms / 1000, MOSCOW).date()
    last_day = datetime.fromtimestamp(now_ms / 1000, MOSCOW).date()
    days_rows = (
        _day_rows(seed, company_id, parties, day, calls_per_day, first_ms, now_ms)
        for day in (first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1))
    )
    if conn.execute("SELECT 1 FROM calls WHERE company_id = ? LIMIT 1", (company_id,)).fetchone():
        # Not a fresh journal: each call goes through the triggers, as a live call does.
        total = 0
        for rows in days_rows:
            day_rows = list(rows)
            conn.executemany(INSERT_CALL, day_rows)
            total += len(day_rows)
            if progress is not None:
                progress(total)
        return total
    return _seed_in_bulk(conn, company_id, days_rows, registered, progress)


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


class _SeededJson:
    """The records' JSON of seeded calls, written here rather than in SQL (a third of the
    cost), byte for byte as `_record_json_sql` writes it. The generator makes the uuids and
    the file names (hex digits, dashes, digits, `/`, `mo_`: nothing JSON escapes), numbers
    are digits, and the rest (names, enumerations) are few: each is quoted once."""

    def __init__(self) -> None:
        self._quoted: dict[str, str] = {}

    def _quote(self, value: str) -> str:
        if value.isdigit():
            return f'"{value}"'
        quoted = self._quoted.get(value)
        if quoted is None:
            quoted = json.dumps(value, ensure_ascii=False)
            if len(self._quoted) < 100_000:
                self._quoted[value] = quoted
        return quoted

    def __call__(self, row: Sequence[Any]) -> bytes:
        q = self._quote
        parts = ['{"date":"', format_epoch_ms(row[1]), '","callType":', q(row[2]) or ""]
        for key, value in zip(
            _OPTIONAL_KEYS, (row[4], row[5], row[6], row[7], row[8]), strict=True
        ):
            if value is not None:
                parts += [key, q(value) or ""]
        parts += [',"callDuration":', str(row[9])]
        if row[10] is not None:
            parts += [',"conversationDuration":', str(row[10])]
        parts += [',"callStatus":', q(row[3]) or "", ',"recordFileName":"', row[11]]
        parts += ['","uuid":"', row[12], '"}']
        return "".join(parts).encode()


_OPTIONAL_KEYS: Final = tuple(
    f',"{key}":'
    for key in ("destinationNumber", "callerNumber", "callerName", "calleeNumber", "calleeName")
)


def _seed_in_bulk(
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
            _insert_many(conn, "calls", (*_CALL_COLUMNS, "prev_at", "pair_prev_at"), linked)
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
    """The calls, a few thousand at a time, with their links (as LINK_TRIGGERS sets them) and
    their records' JSON. The calls come in time order, so a caller's previous call is the last
    one seen."""
    last_call: dict[str, int] = {}  # caller -> when they last called
    last_pair_call: dict[str, dict[str, int]] = {n: {} for n in registered}  # callee -> caller ->
    render = _SeededJson()
    for rows in days_rows:
        linked: list[tuple[Any, ...]] = []
        for row in rows:
            started, caller, callee = row[1], row[5], row[7]
            pairs = last_pair_call.get(callee) if callee is not None else None
            pair_prev_at = None
            if pairs is not None:
                pair_prev_at = pairs.get(caller)
                pairs[caller] = started
            linked.append((*row, last_call.get(caller), pair_prev_at))
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


def _day_rows(
    seed: int,
    company_id: int,
    parties: _Parties,
    day: date,
    calls_per_day: int,
    first_ms: int,
    now_ms: int,
) -> Iterator[CallRow]:
    """The calls of one Moscow day, in time order; every draw comes from the day's own
    generator, so a day's calls do not depend on which other days are seeded."""
    rng = rng_for(seed, company_id, f"calls:{day.isoformat()}")
    mean = calls_per_day * _WEEKDAY_FACTOR[day.weekday()]
    count = max(0, round(rng.gauss(mean, mean * 0.08 + mean**0.5 * 0.5))) if mean else 0
    if count == 0:
        return
    day_ms = to_epoch_ms(datetime(day.year, day.month, day.day, _FIRST_HOUR, tzinfo=MOSCOW))
    rnd = rng.random
    hours = rng.choices(range(len(_HOUR_WEIGHTS)), cum_weights=_HOUR_CUM, k=count)
    starts = sorted(day_ms + h * _HOUR_MS + int(rnd() * _HOUR_MS) for h in hours)
    types = rng.choices(_TYPE_NAMES, cum_weights=_TYPE_CUM, k=count)
    # Consecutive calls get different suffixes, so two calls in one millisecond never share a
    # file name (the ids of different milliseconds differ anyway).
    salt = rng.randrange(100_000)
    getrandbits = rng.getrandbits
    lognormvariate = rng.lognormvariate
    bisect_right = bisect.bisect_right
    employees = parties.employees
    n_employees = len(employees)
    clients = parties.clients
    n_clients = len(clients)
    blacklisted = parties.blacklisted
    main_number = parties.main_number
    status_tables = _STATUS_TABLES
    date_prefix = (date(1970, 1, 1) + timedelta(days=starts[0] // _DAY_MS)).isoformat()
    date_day = starts[0] // _DAY_MS

    for seq in range(count):
        started = starts[seq]
        call_type = types[seq]
        statuses, cum = status_tables[_PROFILE[call_type]]
        status = statuses[bisect_right(cum, rnd() * cum[-1])]
        # Parties. `employee` is the employee's side of the call; `other` the second employee
        # (forward target, colleague picking up, internal peer).
        e_index = int(rnd() * n_employees)
        employee, employee_name = employees[e_index]
        o_index = (e_index + 1 + int(rnd() * (n_employees - 1))) % n_employees
        other, other_name = employees[o_index]
        r = rnd()
        client, client_name = clients[int(n_clients * r * r)]
        if call_type in _FROM_OUTSIDE:
            if blacklisted and rnd() < _BLACKLISTED_SHARE:
                client, client_name = blacklisted[int(rnd() * len(blacklisted))], None
                status = _DENIED_BLACKLISTED
            caller, caller_name = client, client_name
            if call_type in ("MULTI_CHANNEL", "INTERNAL_QUEUE", "UNKNOWN_CALL"):
                destination = main_number
            else:
                destination = employee
            if status in _FORWARDED or call_type == "PICKUP_CALL":
                callee, callee_name = other, other_name
            else:
                callee, callee_name = employee, employee_name
        elif call_type in COMPANY_PLACED_TYPES:
            caller, caller_name = employee, employee_name
            destination = callee = client
            callee_name = client_name
        elif call_type == "HIMSELF":
            caller = destination = callee = employee
            caller_name = callee_name = employee_name
        else:  # INTERNAL, CONFERENCE
            caller, caller_name = employee, employee_name
            destination = callee = other
            callee_name = other_name

        # Durations, whole seconds: ringing (and forwarding) first, then the conversation.
        conversation: int | None = None
        if status[0] == "A":  # ANSWERED_*
            ring = 2 + int(rnd() * 20)
            if status in _FORWARDED:
                ring += 10 + int(rnd() * 15)
            if call_type in ("INTERNAL", "HIMSELF"):
                conversation = 3 + int(lognormvariate(3.3, 0.8))
            elif call_type == "CONFERENCE":
                conversation = 60 + int(lognormvariate(6.0, 0.6))
            elif call_type == "VOICEMAIL":
                conversation = 5 + int(rnd() * 55)
            elif call_type == "FAX":
                conversation = 20 + int(rnd() * 100)
            else:
                conversation = 5 + int(lognormvariate(4.3, 0.9))
            conversation = min(conversation, _MAX_TALK_SECONDS)
            duration = ring + conversation
        elif status == "NOT_ANSWERED_COMMON":
            duration = 15 + int(rnd() * 45)
        elif status == "CANCELLED_BY_CALLER":
            duration = 2 + int(rnd() * 28)
        elif status == "CANCELLED_BY_PICKUP":
            duration = 3 + int(rnd() * 17)
        elif status == "DESTINATION_BUSY":
            duration = int(rnd() * 3)
        else:  # DENIED_*: refused before anything rang
            duration = 0

        # Every draw is made before the window check, so the calls of a day do not depend on
        # where the window's edges fall.
        recorded = conversation is not None and call_type != "FAX" and rnd() < _RECORDED_SHARE
        transcribed = 1 if rnd() < _TRANSCRIBED_SHARE and recorded else 0
        call_uuid = make_uuid(getrandbits(128))
        if started < first_ms or started + duration * 1000 > now_ms:
            continue
        record = ""
        if recorded:
            day_number = started // _DAY_MS
            if day_number != date_day:
                date_day = day_number
                date_prefix = (date(1970, 1, 1) + timedelta(days=day_number)).isoformat()
            mo = "mo_" if call_type in COMPANY_PLACED_TYPES else ""
            record = f"{date_prefix}/{mo}{started}{(seq * 7919 + salt) % 100_000:05d}"
        yield (
            company_id,
            started,
            call_type,
            status,
            destination,
            caller,
            caller_name,
            callee,
            callee_name,
            duration,
            conversation,
            record,
            call_uuid,
            transcribed,
            ended_by(status, call_uuid),
        )
