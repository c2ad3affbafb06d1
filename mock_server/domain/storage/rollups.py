"""Roll-ups of the call journal: each statistic's terms summed per company (and per party) per
hour and per day, kept in step with every call journalled, in the same transaction.

A journalled call never changes (`journal_tables.py`), so a sum over a window is the sum of the
hours and days the window covers wholly plus the calls of the at most two partial hours at its
edges, counted from the journal itself. That makes `GET /statistics/*` over a month of a
million calls cost a few hundred roll-up rows and two hours of calls, and it is exact: every
term is a count, a sum or a maximum of integers, which add up (and compare) the same way
whether taken over rows or over buckets of rows.

What each term counts is defined once here (`FIGURES`), as SQL over a `calls` row; the same
definitions build the roll-ups, count the partial hours and, in `statistics.py`, define the API's
figures. Distinct callers do not add up over buckets and are counted apart (`statistics.py`).

Scopes: the whole company (party `''`) and each *registered party*: a number whose calls (as
the caller or the callee) are rolled up on their own, so that the statistics of one number
(`subscriberNumber`, `number`) cost as little as the company's. A company's employees'
numbers are registered when its history is seeded (`register_parties`); any other number's
statistics are counted from its calls directly, which is cheap as long as it has few.

Kept in step by a trigger on every insert into `calls`, whatever inserts it. A company whose
history is seeded in bulk (a row in `journal_bulk`, `journal_tables.py`) has the trigger off
while it is seeded; the seeding rolls up each chunk of calls as it writes it (`roll_up_calls`,
bulk_journal.py) and the days at the end (`roll_up_days`), which costs far less per call.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Literal

__all__ = [
    "COMPANY",
    "DAY_MS",
    "FIGURES",
    "HANGUP_A",
    "HANGUP_B",
    "HOUR_MS",
    "INTERNAL_TYPES",
    "NO_EARLIER_CALL",
    "OUTGOING_TYPES",
    "ROLLUP_SCHEMA",
    "ROLLUP_TRIGGERS",
    "SUCCESS",
    "TRANSFER_STATUSES",
    "Figure",
    "Segment",
    "bucket_counts",
    "calls_of",
    "floor_div_sql",
    "is_registered",
    "is_successful",
    "rebuild_rollups",
    "register_parties",
    "roll_up_calls",
    "roll_up_days",
    "segments",
    "totals",
]

HOUR_MS: Final = 3_600_000
DAY_MS: Final = 86_400_000
COMPANY: Final = ""  # the party of the company-wide roll-ups

OUTGOING_TYPES: Final = ("OUTGOING", "CRM_OUTGOING", "CRM_CALLBACK")
INTERNAL_TYPES: Final = ("INTERNAL", "HIMSELF")
TRANSFER_STATUSES: Final = (
    "ANSWERED_BY_BUSY_FORWARD_CLIENT",
    "ANSWERED_BY_NO_ANSWER_FORWARD_CLIENT",
)
# The lost calls each hang-up count counts (D20): the caller hung up while it rang; the
# employee turned it down.
HANGUP_A: Final = "CANCELLED_BY_CALLER"
HANGUP_B: Final = "DESTINATION_BUSY"
# A successful call's link (`calls.prev_at`, `pair_prev_at`, journal_tables.py) when its caller
# had no successful call before it: below every instant, so that "not since before the window"
# is one comparison, and not NULL, which marks a call that is not successful.
NO_EARLIER_CALL: Final = -(2**63)


def is_successful(call_type: str, call_status: str) -> bool:
    """What SUCCESS says of a call, in Python: answered, and not internal."""
    return call_status.startswith("ANSWERED_") and call_type not in INTERNAL_TYPES


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


# Conditions on a `calls` row; `{p}` is where its columns come from ("" or "NEW."). A call is
# internal (between the company's own numbers) or external; an external call is successful
# (answered) or lost (D19).
_INTERNAL: Final = "{p}call_type IN " + _in(INTERNAL_TYPES)
_EXTERNAL: Final = f"NOT ({_INTERNAL})"
SUCCESS: Final = f"substr({{p}}call_status, 1, 9) = 'ANSWERED_' AND {_EXTERNAL}"
_LOST: Final = f"substr({{p}}call_status, 1, 9) != 'ANSWERED_' AND {_EXTERNAL}"
_TRANSFER: Final = "{p}call_status IN " + _in(TRANSFER_STATUSES) + f" AND {_EXTERNAL}"

Kind = Literal["count", "sum", "max"]


@dataclass(frozen=True, slots=True)
class Figure:
    """One term of the statistics: how many rows meet `condition` (count), or the sum or the
    maximum of `value` over them; rows that do not meet it add 0."""

    name: str  # the roll-up column
    kind: Kind
    value: str | None = None  # a column of `calls` (sum, max)
    condition: str | None = None  # SQL over a `calls` row, `{p}` before each column

    def _cond(self, prefix: str) -> str | None:
        return None if self.condition is None else self.condition.format(p=prefix)

    def over_rows(self) -> str:
        """The aggregate over `calls` rows; 0 (never NULL) over none."""
        condition = self._cond("")
        where = "" if condition is None else f" FILTER (WHERE {condition})"
        if self.kind == "count":
            return f"COUNT(*){where}"
        function = "SUM" if self.kind == "sum" else "MAX"
        return f"COALESCE({function}({self.value}){where}, 0)"

    def of_row(self, prefix: str) -> str:
        """What one row (`NEW.` in a trigger) adds."""
        condition = self._cond(prefix)
        value = "1" if self.kind == "count" else f"COALESCE({prefix}{self.value}, 0)"
        return value if condition is None else f"(CASE WHEN {condition} THEN {value} ELSE 0 END)"

    def over_buckets(self) -> str:
        """The aggregate over roll-up rows."""
        return f"{'MAX' if self.kind == 'max' else 'SUM'}({self.name})"

    def merge(self) -> str:
        """An upsert's SET term: the bucket so far and `excluded`, the rows being added."""
        if self.kind == "max":
            return f"{self.name} = max({self.name}, excluded.{self.name})"
        return f"{self.name} = {self.name} + excluded.{self.name}"


FIGURES: Final = (
    Figure("calls", "count"),
    Figure("success", "count", condition=SUCCESS),
    Figure("outgoing", "count", condition="{p}call_type IN " + _in(OUTGOING_TYPES)),
    Figure("lost", "count", condition=_LOST),
    Figure("talk", "sum", "conversation_duration", SUCCESS),
    Figure("longest_talk", "max", "conversation_duration", SUCCESS),
    Figure("transfers", "count", condition=_TRANSFER),
    Figure("transfer_talk", "sum", "conversation_duration", _TRANSFER),
    # Lost calls the caller gave up on, and lost calls the employee turned down (D20).
    Figure("hangups_a", "count", condition=f"{{p}}call_status = '{HANGUP_A}' AND {_EXTERNAL}"),
    Figure("hangups_b", "count", condition=f"{{p}}call_status = '{HANGUP_B}' AND {_EXTERNAL}"),
    Figure("internal", "count", condition=_INTERNAL),
    Figure("internal_talk", "sum", "conversation_duration", _INTERNAL),
    # Not a statistic: how many calls of the bucket have a recording, for paging by time.
    Figure("recorded", "count", condition="{p}record_file_name != ''"),
)
_NAMES: Final = tuple(f.name for f in FIGURES)


def floor_div_sql(value: str, divisor: int) -> str:
    """SQL of `value // divisor` as Python floors it (SQLite's `/` truncates towards 0)."""
    return f"(({value}) - ((({value}) % {divisor}) + {divisor}) % {divisor}) / {divisor}"


ROLLUP_SCHEMA: Final = f"""
CREATE TABLE IF NOT EXISTS journal_parties (
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    number     TEXT NOT NULL CHECK (number != ''),
    PRIMARY KEY (company_id, number)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS journal_rollups (
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    party      TEXT NOT NULL,     -- '' the whole company, else a registered number
    span       INTEGER NOT NULL CHECK (span IN ({HOUR_MS}, {DAY_MS})),  -- ms: an hour, a UTC day
    bucket     INTEGER NOT NULL,  -- started_at // span
    {", ".join(f"{name} INTEGER NOT NULL" for name in _NAMES)},
    PRIMARY KEY (company_id, party, span, bucket)
) WITHOUT ROWID;
"""


def _upsert(source: str) -> str:
    """INSERT ... `source` into journal_rollups, adding to the buckets that exist."""
    merges = ", ".join(f.merge() for f in FIGURES)
    return (
        f"INSERT INTO journal_rollups (company_id, party, span, bucket, {', '.join(_NAMES)}) "
        f"{source} ON CONFLICT (company_id, party, span, bucket) DO UPDATE SET {merges}"
    )


def _trigger() -> str:
    parties = (
        "(SELECT '' AS party UNION SELECT number FROM journal_parties "
        "WHERE company_id = NEW.company_id AND number IN (NEW.caller_number, NEW.callee_number))"
    )
    row = ", ".join(f.of_row("NEW.") for f in FIGURES)
    hour = floor_div_sql("NEW.started_at", HOUR_MS)
    day = _upsert(
        f"SELECT NEW.company_id, p.party, {DAY_MS}, {floor_div_sql('NEW.started_at', DAY_MS)}, "
        f"{row} FROM {parties} AS p WHERE true"
    )
    hourly = _upsert(
        f"SELECT NEW.company_id, p.party, {HOUR_MS}, {hour}, {row} FROM {parties} AS p WHERE true"
    )
    return f"""
CREATE TRIGGER IF NOT EXISTS calls_rolled_up AFTER INSERT ON calls
WHEN NOT EXISTS (SELECT 1 FROM journal_bulk WHERE company_id = NEW.company_id)
BEGIN
    {day};
    {hourly};
END;
"""


ROLLUP_TRIGGERS: Final = _trigger()


# ---------------------------------------------------------------------------------------------
# Keeping them


def register_parties(conn: sqlite3.Connection, company_id: int, numbers: Iterable[str]) -> None:
    """Roll the calls of these numbers up on their own from now on (and those journalled
    already). Inside a transaction."""
    fresh = [
        number
        for number in dict.fromkeys(numbers)
        if number
        and conn.execute(
            "INSERT OR IGNORE INTO journal_parties (company_id, number) VALUES (?, ?)",
            (company_id, number),
        ).rowcount
    ]
    if (
        fresh
        and conn.execute(
            "SELECT 1 FROM calls WHERE company_id = ? LIMIT 1", (company_id,)
        ).fetchone()
    ):
        for number in fresh:
            _roll_up(conn, company_id, number)


def rebuild_rollups(conn: sqlite3.Connection, company_id: int) -> None:
    """Roll up the company's whole journal afresh, and each of its registered parties."""
    conn.execute("DELETE FROM journal_rollups WHERE company_id = ?", (company_id,))
    # roll_up_calls reads calls by id: give it the company's span, not the whole table's.
    first_id, last_id = conn.execute(
        "SELECT MIN(id), MAX(id) FROM calls WHERE company_id = ?", (company_id,)
    ).fetchone()
    if first_id is not None:
        roll_up_calls(conn, company_id, first_id, last_id)
    roll_up_days(conn, company_id)


def roll_up_calls(conn: sqlite3.Connection, company_id: int, first_id: int, last_id: int) -> None:
    """Add the company's calls with ids `first_id..last_id` to its hours (and its registered
    parties' hours). The days are left to `roll_up_days`.

    The calls are read by their ids (`NOT INDEXED`): left to itself, SQLite's planner reads
    them through an index on `company_id` and so walks all of the company's calls for every
    chunk a bulk seeding adds, which made seeding quadratic (a million calls: 18.8 s of
    roll-ups instead of 3.6 s). `CROSS JOIN` keeps the calls the outer loop, so that each
    call looks its two numbers up among the parties rather than each party walking the calls."""
    rows = ", ".join(f.over_rows() for f in FIGURES)
    hour = floor_div_sql("started_at", HOUR_MS)
    conn.execute(
        _upsert(
            f"SELECT company_id, '', {HOUR_MS}, {hour}, {rows} FROM calls NOT INDEXED "
            f"WHERE id >= ? AND id <= ? AND company_id = ? GROUP BY {hour}"
        ),
        (first_id, last_id, company_id),
    )
    # Each call once per registered party among its caller and callee.
    conn.execute(
        _upsert(
            f"SELECT c.company_id, p.number, {HOUR_MS}, {hour}, {rows} "
            f"FROM calls AS c NOT INDEXED CROSS JOIN journal_parties AS p "
            f"ON p.company_id = c.company_id "
            f"AND p.number IN (c.caller_number, c.callee_number) "
            f"WHERE c.id >= ? AND c.id <= ? AND c.company_id = ? GROUP BY p.number, {hour}"
        ),
        (first_id, last_id, company_id),
    )


def roll_up_days(conn: sqlite3.Connection, company_id: int, party: str | None = None) -> None:
    """The company's day buckets (or one party's) afresh from its hour buckets."""
    where = "company_id = ?" + ("" if party is None else " AND party = ?")
    params = (company_id,) if party is None else (company_id, party)
    conn.execute(f"DELETE FROM journal_rollups WHERE {where} AND span = {DAY_MS}", params)
    buckets = ", ".join(f.over_buckets() for f in FIGURES)
    day = floor_div_sql("bucket", DAY_MS // HOUR_MS)
    conn.execute(
        _upsert(
            f"SELECT company_id, party, {DAY_MS}, {day}, {buckets} "
            f"FROM journal_rollups WHERE {where} AND span = {HOUR_MS} GROUP BY party, {day}"
        ),
        params,
    )


def _roll_up(conn: sqlite3.Connection, company_id: int, party: str) -> None:
    """Roll up one party's calls, all of them, into hours and days."""
    rows = ", ".join(f.over_rows() for f in FIGURES)
    hour = floor_div_sql("started_at", HOUR_MS)
    source, params = calls_of(company_id, party, -(2**62), 2**62)
    conn.execute(
        _upsert(f"SELECT ?, ?, {HOUR_MS}, {hour}, {rows} FROM {source} GROUP BY {hour}"),
        [company_id, party, *params],
    )
    roll_up_days(conn, company_id, party)


def calls_of(company_id: int, party: str, start_ms: int, end_ms: int) -> tuple[str, list[object]]:
    """A FROM source of the calls of the party (the company's: party '') that start in
    `[start_ms, end_ms)`, and its parameters: a party's calls are those it placed and those to
    it from another number, each read through its number's index."""
    if not party:
        return (
            "(SELECT * FROM calls WHERE company_id = ? AND started_at >= ? AND started_at < ?)",
            [company_id, start_ms, end_ms],
        )
    return (
        "(SELECT * FROM calls INDEXED BY calls_by_caller WHERE company_id = ? "
        "AND caller_number = ? AND started_at >= ? AND started_at < ? "
        "UNION ALL SELECT * FROM calls INDEXED BY calls_by_callee WHERE company_id = ? "
        "AND callee_number = ? AND started_at >= ? AND started_at < ? AND caller_number != ?)",
        [company_id, party, start_ms, end_ms, company_id, party, start_ms, end_ms, party],
    )


def is_registered(conn: sqlite3.Connection, company_id: int, number: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM journal_parties WHERE company_id = ? AND number = ?", (company_id, number)
    ).fetchone()
    return row is not None


# ---------------------------------------------------------------------------------------------
# Reading them


@dataclass(frozen=True, slots=True)
class Segment:
    """A part `[start, end)` (ms) of a window: whole buckets of `span` ms, or, span None, a
    stretch shorter than an hour's whole (a window's edges) counted from the calls."""

    start: int
    end: int
    span: int | None


def segments(start_ms: int, end_ms: int) -> list[Segment]:
    """`[start_ms, end_ms)` as its partial-hour edges, its whole hours and its whole days.

    >>> [(s.start, s.end, s.span) for s in segments(1_800_000, 90_000_000)]
    [(1800000, 3600000, None), (3600000, 86400000, 3600000), (86400000, 90000000, 3600000)]
    """
    first_hour = -(-start_ms // HOUR_MS) * HOUR_MS
    last_hour = end_ms // HOUR_MS * HOUR_MS
    if first_hour >= last_hour:
        return [Segment(start_ms, end_ms, None)] if start_ms < end_ms else []
    parts: list[Segment] = []
    if start_ms < first_hour:
        parts.append(Segment(start_ms, first_hour, None))
    first_day = -(-first_hour // DAY_MS) * DAY_MS
    last_day = last_hour // DAY_MS * DAY_MS
    if first_day < last_day:
        if first_hour < first_day:
            parts.append(Segment(first_hour, first_day, HOUR_MS))
        parts.append(Segment(first_day, last_day, DAY_MS))
        if last_day < last_hour:
            parts.append(Segment(last_day, last_hour, HOUR_MS))
    else:
        parts.append(Segment(first_hour, last_hour, HOUR_MS))
    if last_hour < end_ms:
        parts.append(Segment(last_hour, end_ms, None))
    return parts


def totals(
    conn: sqlite3.Connection,
    company_id: int,
    party: str,
    start_ms: int,
    end_ms: int,
    names: Sequence[str] = _NAMES,
    extra: str = "",
    extra_params: Sequence[object] = (),
) -> tuple[int, ...]:
    """(each figure of `names`, in that order) over the party's calls (the
    company's: party '') that start in `[start_ms, end_ms)`, in one statement; `extra` is one
    more column of the result (a scalar subquery with `extra_params`)."""
    parts = segments(start_ms, end_ms)
    if not parts:
        return (0,) * (len(names) + (1 if extra else 0))
    shape = tuple(part.span is None for part in parts)
    sql = _totals_sql(tuple(names), bool(party), shape, extra)
    params: list[object] = list(extra_params)
    for part in parts:
        if part.span is None:
            params += calls_of(company_id, party, part.start, part.end)[1]
        else:
            params += [company_id, party, part.span]
            params += [part.start // part.span, part.end // part.span]
    row = conn.execute(sql, params).fetchone()
    return tuple(int(value or 0) for value in row)


@functools.lru_cache(maxsize=256)
def _totals_sql(
    names: tuple[str, ...], party: bool, raw_parts: tuple[bool, ...], extra: str
) -> str:
    """The statement of `totals` for these figures and this shape of window (which parts are
    counted from the calls, which read from the roll-ups)."""
    by_name = {f.name: f for f in FIGURES}
    wanted = [by_name[name] for name in names]
    raw = ", ".join(f"{f.over_rows()} AS {f.name}" for f in wanted)
    rolled = ", ".join(f.name for f in wanted)
    source = calls_of(0, "x" if party else "", 0, 0)[0]
    selects = [
        f"SELECT {raw} FROM {source} HAVING COUNT(*) > 0"
        if is_raw
        else f"SELECT {rolled} FROM journal_rollups WHERE company_id = ? "
        "AND party = ? AND span = ? AND bucket >= ? AND bucket < ?"
        for is_raw in raw_parts
    ]
    columns = ", ".join(f.over_buckets() for f in wanted)
    if extra:
        columns += f", ({extra})"
    return f"SELECT {columns} FROM ({' UNION ALL '.join(selects)})"


def bucket_counts(
    conn: sqlite3.Connection,
    company_id: int,
    start_ms: int,
    end_ms: int,
    figure: str,
    descending: bool,
) -> list[tuple[int, int]]:
    """(hour start ms, `figure`) of the company's hours with calls in the whole hours of
    `[start_ms, end_ms)`, in time order (reversed with `descending`)."""
    if figure not in _NAMES:
        raise ValueError(f"no figure {figure!r}")
    first = -(-start_ms // HOUR_MS)
    last = end_ms // HOUR_MS
    rows = conn.execute(
        f"SELECT bucket, {figure} FROM journal_rollups WHERE company_id = ? AND party = '' "
        f"AND span = {HOUR_MS} AND bucket >= ? AND bucket < ? "
        f"ORDER BY bucket {'DESC' if descending else 'ASC'}",
        (company_id, first, last),
    ).fetchall()
    return [(int(bucket) * HOUR_MS, int(count)) for bucket, count in rows]
