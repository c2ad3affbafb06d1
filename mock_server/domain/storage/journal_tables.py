"""The call journal's tables, as SQLite keeps them: the calls, each record's JSON, and the links
and roll-ups that the triggers keep in step with every call journalled.

Every finished call of a company is one row of `calls` (call_rows.py); the statistics are
computed from the same rows (rollups.py), so the journal and the statistics can never disagree.
A row's CallRecord JSON is written once, when the call is journalled: by a trigger for a call
journalled on its own (a live call settling), by `RecordJson` for a history seeded in bulk
(bulk_journal.py), byte for byte the same.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any, Final

from mock_server.domain.storage.rollups import (
    FIGURES,
    NO_EARLIER_CALL,
    ROLLUP_SCHEMA,
    ROLLUP_TRIGGERS,
    SUCCESS,
    rebuild_rollups,
)
from mock_server.domain.storage.store import Store
from mock_server.domain.timeutil import format_epoch_ms

__all__ = [
    "JOURNAL_INDEXES",
    "JOURNAL_SCHEMA",
    "LINK_TRIGGERS",
    "RecordJson",
    "derive_journal",
    "install_schema",
    "record_json_sql",
]

JOURNAL_SCHEMA: Final = """
-- prev_at, pair_prev_at: links kept by the journal itself (LINK_TRIGGERS), for counting the
-- distinct callers of successful calls (D19): for a successful call, when the same caller's
-- last successful call before it started (NO_EARLIER_CALL: none), and, for a successful call
-- to a registered party (rollups.py), when the same caller's last successful call to that party
-- started. NULL on every other call.
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
-- What a tenant file says of a recording (rules/tenants.py): `audio` 0, no file at all (the
-- recording and its transcript answer 404); `transcript` 0, no transcript (404); `script` the
-- sentences it says (JSON, a list of [channel, seconds or null, text]), NULL: the dialogue
-- made up from the call's uuid.
CREATE TABLE IF NOT EXISTS call_recordings (
    company_id       INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    record_file_name TEXT NOT NULL CHECK (record_file_name != ''),
    audio            INTEGER NOT NULL CHECK (audio IN (0, 1)),
    transcript       INTEGER NOT NULL CHECK (transcript IN (0, 1)),
    script           TEXT,
    PRIMARY KEY (company_id, record_file_name)
) WITHOUT ROWID;
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
-- Distinct callers of a window's successful calls, counted from these alone (statistics.py):
-- they hold the successful calls only, the calls that have links.
CREATE INDEX IF NOT EXISTS calls_successful_callers ON calls(company_id, started_at, prev_at)
    WHERE prev_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS calls_successful_pairs
    ON calls(company_id, callee_number, started_at, pair_prev_at)
    WHERE pair_prev_at IS NOT NULL;
-- Finds a recording by name, and keeps names unique.
CREATE UNIQUE INDEX IF NOT EXISTS calls_by_record
    ON calls(company_id, record_file_name) WHERE record_file_name != '';
"""


def record_json_sql(p: str) -> str:
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
# A successful call (SUCCESS, rollups.py) of the same caller as NEW, before or after it: the
# calls that have links have them (prev_at is set exactly on successful calls).
_SAME_CALLER: Final = (
    "SELECT {column} FROM calls INDEXED BY calls_by_caller WHERE company_id = NEW.company_id "
    "AND caller_number = NEW.caller_number AND prev_at IS NOT NULL"
)
# What a call journalled one by one gets (a live call settling, a test's row): its JSON and,
# if it is successful, its links and the links of the same caller's next successful call, which
# now follows this one.
LINK_TRIGGERS: Final = f"""
CREATE TRIGGER IF NOT EXISTS calls_journalled AFTER INSERT ON calls
WHEN NOT EXISTS (SELECT 1 FROM journal_bulk WHERE company_id = NEW.company_id)
BEGIN
    INSERT OR REPLACE INTO call_json (id, body) VALUES (NEW.id, {record_json_sql("NEW.")});
    UPDATE calls SET
        prev_at = COALESCE((
            {_SAME_CALLER.format(column="started_at")}
              AND started_at <= NEW.started_at AND id != NEW.id
            ORDER BY started_at DESC LIMIT 1), {NO_EARLIER_CALL}),
        pair_prev_at = CASE WHEN {_REGISTERED_CALLEE} THEN COALESCE((
            {_SAME_CALLER.format(column="started_at")}
              AND started_at <= NEW.started_at AND id != NEW.id
              AND callee_number = NEW.callee_number
            ORDER BY started_at DESC LIMIT 1), {NO_EARLIER_CALL}) END
    WHERE id = NEW.id AND {SUCCESS.format(p="NEW.")};
    UPDATE calls SET prev_at = NEW.started_at WHERE {SUCCESS.format(p="NEW.")} AND id = (
        {_SAME_CALLER.format(column="id")} AND started_at > NEW.started_at
        ORDER BY started_at, id LIMIT 1);
    UPDATE calls SET pair_prev_at = NEW.started_at
    WHERE {SUCCESS.format(p="NEW.")} AND {_REGISTERED_CALLEE} AND id = (
        {_SAME_CALLER.format(column="id")} AND started_at > NEW.started_at
          AND callee_number = NEW.callee_number
        ORDER BY started_at, id LIMIT 1);
END;
CREATE TRIGGER IF NOT EXISTS calls_forgotten AFTER DELETE ON calls
BEGIN
    DELETE FROM call_json WHERE id = OLD.id;
END;
"""


def install_schema(store: Store) -> None:
    """Create the journal's tables, indexes, triggers and roll-ups; seeding a history needs
    them, so call this (or construct a `CallJournal`) before seeding. A state file written before
    the links, the records' JSON and the roll-ups existed gets them, computed from its calls; one
    whose roll-ups hold other figures (the statistics' definitions of before D19's) gets the
    links and the roll-ups of today's, computed afresh."""
    if JOURNAL_SCHEMA in store.extra_schema:
        return
    conn = store.read()
    had_calls = bool(
        conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'calls'"
        ).fetchone()
    )
    rolled_up = [str(row[1]) for row in conn.execute("PRAGMA table_info(journal_rollups)")]
    stale = bool(rolled_up) and rolled_up[4:] != [f.name for f in FIGURES]
    if stale:
        with store.transaction() as tx:
            for statement in _STALE:
                tx.execute(statement)
    store.add_schema(JOURNAL_SCHEMA)
    store.add_schema(ROLLUP_SCHEMA)
    columns = {str(row[1]) for row in conn.execute("PRAGMA table_info(calls)")}
    upgrade = had_calls and ("prev_at" not in columns or stale)
    if had_calls and "prev_at" not in columns:
        with store.transaction() as tx:
            tx.execute("ALTER TABLE calls ADD COLUMN prev_at INTEGER")
            tx.execute("ALTER TABLE calls ADD COLUMN pair_prev_at INTEGER")
    store.add_schema(JOURNAL_INDEXES)
    store.add_schema(LINK_TRIGGERS)
    store.add_schema(ROLLUP_TRIGGERS)
    if upgrade:
        with store.transaction() as tx:
            _upgrade(tx)


# What a state file of the earlier statistics keeps that today's schema defines otherwise.
_STALE: Final = (
    "DROP TRIGGER IF EXISTS calls_journalled",
    "DROP TRIGGER IF EXISTS calls_rolled_up",
    "DROP INDEX IF EXISTS calls_first_callers",
    "DROP INDEX IF EXISTS calls_pair_redials",
    "DROP TABLE IF EXISTS journal_rollups",
)


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
    for company_id in companies:
        derive_journal(conn, company_id)


def derive_journal(conn: sqlite3.Connection, company_id: int, first_id: int | None = None) -> None:
    """Write what the triggers write for each call journalled, for the company's calls
    journalled with the triggers off (those from `first_id` on, or all): every call's links
    (on a successful call, SUCCESS: its caller's previous successful call, and to a registered
    party, that pair's, NO_EARLIER_CALL for none; no link on any other call; computed afresh
    for the whole company, as a call journalled out of time order changes the links of later
    ones), the records' JSON, and the roll-ups, rebuilt."""
    conn.execute(
        "UPDATE calls SET prev_at = link.prev_at, pair_prev_at = link.pair_prev_at FROM ("
        "SELECT a.id, s.prev_at, s.pair_prev_at FROM calls AS a LEFT JOIN ("
        f"SELECT c.id, LAG(c.started_at, 1, {NO_EARLIER_CALL}) OVER ("
        "  PARTITION BY c.caller_number ORDER BY c.started_at, c.id) AS prev_at, "
        f"CASE WHEN p.number IS NULL THEN NULL ELSE LAG(c.started_at, 1, {NO_EARLIER_CALL}) "
        "  OVER (PARTITION BY c.caller_number, c.callee_number "
        "  ORDER BY c.started_at, c.id) END AS pair_prev_at "
        "FROM calls AS c LEFT JOIN journal_parties AS p "
        "ON p.company_id = c.company_id AND p.number = c.callee_number "
        f"WHERE c.company_id = ?1 AND {SUCCESS.format(p='c.')}) AS s ON s.id = a.id "
        "WHERE a.company_id = ?1) AS link "
        "WHERE calls.id = link.id AND (calls.prev_at IS NOT link.prev_at "
        "OR calls.pair_prev_at IS NOT link.pair_prev_at)",
        (company_id,),
    )
    conn.execute(
        f"INSERT OR REPLACE INTO call_json (id, body) SELECT id, {record_json_sql('')} "
        "FROM calls WHERE company_id = ? AND id >= ?",
        (company_id, first_id or 0),
    )
    rebuild_rollups(conn, company_id)


class RecordJson:
    """The records' JSON of seeded calls, written here rather than in SQL (a third of the
    cost), byte for byte as `record_json_sql` writes it. The generator makes the uuids and
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
