"""Tenants from data: a company loaded from a tenant file, and a company exported as one.

`TenantLoader.load` reads a tenant file (tenant_reader.py) and checks it (tenant_model.py):
every problem of the file, its schema's and the rules' beyond it, is found before anything is
written, and the whole load is one transaction of the store, so a file that is refused changes
nothing. A company loaded from a file is made by the code that makes a seeded one: the
generator fills what the file leaves out (storage/seed.py, `generate`), the file's call
records are journalled in bulk and their links, JSON and roll-ups written by the code that
writes a seeded history's (storage/bulk_journal.py), live calls by `LiveCalls`, recordings
and transcripts made by the journal from the rows (journal.py). There is no second path: a
loaded company's statistics, filters, pages and recordings are a seeded company's.

Decisions (docs/tenants.md):
- The call records keep the file's order in the journal (ties of a sort go by it); their dates
  are kept to the millisecond and written back in UTC, as the API writes them.
- A generated history (`generate.history`) is never seeded on a Moscow calendar day that holds
  one of the file's call records, so that a window over those days holds the file's calls
  alone (the guide's statistics window holds exactly the guide's calls).
- A record without `uuid` gets one made from its place in the file and its fields: the same
  file gives the same uuids.
- Ids of managers, customers and blacklist entries are kept as the file gives them: each
  company has ids of its own (storage/store.py); those it leaves out are assigned.

`export_tenant` writes a company in the same format, everything explicit (no `generate`): its
employees, queues, managers, blacklist, every call of its journal in journal order, what its
recordings say when the file said it, and its live incoming calls as a scenario from the
export's instant. Loading an export gives a company whose every answer is the same.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

from mock_server.domain.errors import pointer_of
from mock_server.domain.rules.blacklist import Blacklist
from mock_server.domain.rules.call_records import make_uuid
from mock_server.domain.rules.calls import LiveCalls, PlannedCall
from mock_server.domain.rules.employees import EmployeeDirectory
from mock_server.domain.rules.hangups import ended_by
from mock_server.domain.rules.history import MOSCOW, seed_history
from mock_server.domain.rules.managers import ManagerService
from mock_server.domain.rules.numbers import normalize_number
from mock_server.domain.rules.outcomes import CallOutcome
from mock_server.domain.rules.tenant_model import (
    FORMAT,
    Problems,
    RecordingSpec,
    StagedRecord,
    TenantSpec,
    read_tenant,
)
from mock_server.domain.rules.tenant_reader import Item, Span, TenantDocument
from mock_server.domain.storage.bulk_journal import append_selected
from mock_server.domain.storage.rollups import NO_EARLIER_CALL, is_successful, register_parties
from mock_server.domain.storage.seed import (
    QUEUE_NAMES,
    GivenCompany,
    GivenCustomer,
    GivenManager,
    SeededEmployee,
    default_name,
    make_employees,
    seed_company,
)
from mock_server.domain.timeutil import to_epoch_ms

__all__ = ["COMPANY_DATA", "LoadedTenant", "TenantLoader", "export_tenant"]

# A company's data, which a load replaces (children before parents); the company's row, its
# users and tokens and its clock stay.
COMPANY_DATA: Final = (
    "live_calls",
    "call_recordings",
    "journal_rollups",
    "journal_parties",
    "calls",
    "queue_members",
    "queues",
    "customers",
    "managers",
    "blacklist",
    "employees",
)
_DAY_MS: Final = 86_400_000
_MOSCOW_MS: Final = 3 * 3_600_000
_BATCH: Final = 2000

_STAGING: Final = """
CREATE TEMP TABLE IF NOT EXISTS tenant_records (
    seq         INTEGER PRIMARY KEY,  -- the record's index in the file
    started_at  INTEGER NOT NULL,
    call_type   TEXT NOT NULL,
    call_status TEXT NOT NULL,
    destination TEXT,
    caller      TEXT NOT NULL,
    caller_name TEXT,
    callee      TEXT,
    callee_name TEXT,
    duration    INTEGER NOT NULL,
    talk        INTEGER,
    record      TEXT NOT NULL,
    uuid        TEXT NOT NULL,
    ended_by    TEXT,
    prev_at     INTEGER,  -- links, while the file's records come in time order (`_Staging`)
    pair_any    INTEGER,
    line        INTEGER,
    col         INTEGER
);
CREATE TEMP TABLE IF NOT EXISTS tenant_recordings (
    name       TEXT PRIMARY KEY,
    audio      INTEGER NOT NULL,
    transcript INTEGER NOT NULL,
    script     TEXT,
    line       INTEGER,
    col        INTEGER
);
"""


@dataclass(frozen=True, slots=True)
class LoadedTenant:
    """What a load made: the company, the user its pairs are for, how much it holds."""

    company_id: int
    employees: int
    records: int
    generated_calls: int
    scenario_calls: int


@dataclass(frozen=True, slots=True)
class _At:
    """A place in the file known by its line and column only (a staged item's)."""

    span: Span | None

    def locate(self, pointer: str) -> Span | None:
        return self.span


class _Staging:
    """The file's call records and recordings, kept in temporary tables while it is read, so
    that memory does not grow with them."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        # One statement at a time: executescript would commit the load's transaction.
        for statement in _STAGING.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute("DELETE FROM temp.tenant_records")
        conn.execute("DELETE FROM temp.tenant_recordings")
        self._records: list[tuple[Any, ...]] = []
        self._recordings: list[tuple[Any, ...]] = []
        # The links of each record (storage/journal_tables.py), as the bulk writer makes a
        # seeded history's: for a successful call, when its caller's last successful call
        # started, and that caller's to that callee (kept for every callee; a registered
        # one's, not the caller's own number, is taken), while the records come in time
        # order; once one does not, the journal derives them.
        self.ordered = True
        self._last = -(2**63)
        self._callers: dict[str, int] = {}
        self._pairs: dict[tuple[str, str | None], int] = {}

    def record(self, index: int, record: StagedRecord, item: Item) -> None:
        span = item.known_span
        call_uuid = record.uuid or _record_uuid(index, record)
        prev_at = pair_any = None
        if self.ordered:
            started, caller = record.started_at, record.caller_number
            if started < self._last:
                self.ordered = False
                self._callers, self._pairs = {}, {}
            else:
                self._last = started
                if is_successful(record.call_type, record.call_status):
                    callers, pairs = self._callers, self._pairs
                    prev_at = callers.get(caller, NO_EARLIER_CALL)
                    callers[caller] = started
                    pair = (caller, record.callee_number)
                    pair_any = pairs.get(pair, NO_EARLIER_CALL)
                    pairs[pair] = started
        self._records.append(
            (
                index,
                *record[:11],
                call_uuid,
                ended_by(record.call_status, call_uuid),
                prev_at,
                pair_any,
                None if span is None else span.line,
                None if span is None else span.column,
            )
        )
        if len(self._records) >= _BATCH:
            self.flush()

    def recording(self, name: str, recording: RecordingSpec, item: Item) -> None:
        span = item.span
        script = None
        if recording.script is not None:
            script = json.dumps([list(s) for s in recording.script], ensure_ascii=False)
        self._recordings.append(
            (
                name,
                int(recording.audio),
                int(recording.transcript),
                script,
                None if span is None else span.line,
                None if span is None else span.column,
            )
        )
        if len(self._recordings) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        if self._records:
            self.conn.executemany(
                "INSERT INTO temp.tenant_records VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                self._records,
            )
            self._records = []
        if self._recordings:
            self.conn.executemany(
                "INSERT OR REPLACE INTO temp.tenant_recordings VALUES (?, ?, ?, ?, ?, ?)",
                self._recordings,
            )
            self._recordings = []

    def clear(self) -> None:
        self.conn.execute("DELETE FROM temp.tenant_records")
        self.conn.execute("DELETE FROM temp.tenant_recordings")


def _record_uuid(index: int, record: StagedRecord) -> str:
    """A record's uuid made from its place in the file and its fields."""
    key = f"tenant:{index}:{record.started_at}:{record.caller_number}:{record.callee_number}"
    return make_uuid(int.from_bytes(hashlib.sha256(key.encode()).digest()[:16], "big"))


class TenantLoader:
    """Loads tenant files into companies of the store (see the module's docstring)."""

    def __init__(self, calls: LiveCalls, seed: Callable[[], int]) -> None:
        self._calls = calls
        self._seed = seed

    def load(
        self,
        conn: sqlite3.Connection,
        document: TenantDocument,
        *,
        choose_id: Callable[[int | None], int],
        now: datetime,
        history: tuple[int, int],
        replace: bool = False,
    ) -> LoadedTenant:
        """Load `document` as one company, inside the caller's transaction (roll it back on
        any exception: DocumentRefused names every problem of the file).

        `choose_id(the file's company.id or None)` says which company it becomes (and refuses
        one that cannot); `replace`: that company exists, and its data (not its row, users,
        tokens or clock) is replaced. `history`: the mock's (days, calls per day), for a
        `generate` that names none. `now`: the company's now, from which the scenario plays
        and before which the history lies."""
        problems = Problems(document.name)
        staging = _Staging(conn)
        try:
            spec = read_tenant(document, problems, staging.record, staging.recording)
            staging.flush()
            company_id = choose_id(spec.company_id)
            seed = (
                self._seed()
                if spec.generate is None or spec.generate.seed is None
                else spec.generate.seed
            )
            given = _given(spec)
            employees = list(given.employees)
            if given.generate:
                employees = make_employees(
                    seed,
                    company_id,
                    default_name(seed, company_id)[1],
                    given.employees,
                    given.employee_count,
                )
            _check_references(spec, given, employees, problems)
            _check_journal(conn, spec, problems)
            if problems:
                raise problems.refusal()
            if replace:
                for table in COMPANY_DATA:
                    conn.execute(f"DELETE FROM {table} WHERE company_id = ?", (company_id,))
            seed_company(conn, seed, company_id, given)
            admin = spec.users[0] if spec.users else (None, None)
            conn.execute(
                "UPDATE companies SET admin_user_id = ?, admin_login = ? WHERE id = ?",
                (*admin, company_id),
            )
            conn.executemany(
                "INSERT INTO users (company_id, user_id, login) VALUES (?, ?, ?) "
                "ON CONFLICT (company_id, user_id) DO UPDATE SET login = excluded.login",
                [(company_id, uid, name) for uid, name in spec.users],
            )
            register_parties(
                conn, company_id, sorted({e.full_number for e in employees if e.full_number})
            )
            generated = 0
            if spec.generate is not None:
                days = spec.generate.history_days
                calls = spec.generate.calls_per_day
                if days is None or calls is None:
                    days, calls = history
                generated = seed_history(
                    conn, seed, company_id, now, days, calls, skip_days=_record_days(conn)
                )
            fresh = not conn.execute(
                "SELECT 1 FROM calls WHERE company_id = ? LIMIT 1", (company_id,)
            ).fetchone()
            if fresh and staging.ordered:  # the links made as the records were read
                records = append_selected(
                    conn, company_id, _STAGED_LINKED, (company_id, company_id), linked=True
                )
            else:
                records = append_selected(conn, company_id, _STAGED_ROWS, (company_id,))
            conn.execute(
                "INSERT INTO call_recordings (company_id, record_file_name, audio, transcript, "
                "script) SELECT ?, name, audio, transcript, script FROM temp.tenant_recordings",
                (company_id,),
            )
            scenario = self._schedule(conn, company_id, spec, now, problems)
            if problems:
                raise problems.refusal()
            return LoadedTenant(company_id, len(employees), records, generated, scenario)
        finally:
            staging.clear()

    def _schedule(
        self,
        conn: sqlite3.Connection,
        company_id: int,
        spec: TenantSpec,
        now: datetime,
        problems: Problems,
    ) -> int:
        now_ms = to_epoch_ms(now)
        for call in spec.scenario:
            found = self._calls.schedule(
                conn,
                company_id,
                PlannedCall(
                    now_ms + call.at_ms,
                    call.caller,
                    call.to,
                    call.queue,
                    call.answered_by,
                    None if call.answer_ms is None else now_ms + call.answer_ms,
                    call.ring_seconds,
                    call.ringing,
                    tuple((now_ms + at, number) for at, number in call.transfers),
                    now_ms + call.hangup_ms,
                    {"caller": "A", "callee": "B"}.get(call.hung_up_by or ""),
                    call.status,
                    call.uuid,
                    call.record_file_name,
                ),
            )
            for relative, message in found:
                problems.add(call.where, call.pointer, relative, message, rule=True)
        return len(spec.scenario)


def _given(spec: TenantSpec) -> GivenCompany:
    generate = spec.generate
    return GivenCompany(
        name=spec.name,
        main_number=spec.main_number,
        employees=tuple(e for e, _, _ in spec.employees),
        queues=None if spec.queues is None else tuple((q.name, q.members) for q in spec.queues),
        blacklist=tuple((i, number, source) for i, number, source, _, _ in spec.blacklist),
        managers=tuple(
            GivenManager(
                m.id,
                m.employee_id,
                m.name,
                m.handle_all,
                tuple(
                    GivenCustomer(c.id, c.real_number, c.company_name, c.info, c.is_vip, c.name)
                    for c in m.customers
                ),
            )
            for m in spec.managers
        ),
        generate=generate is not None,
        employee_count=None if generate is None else generate.employees,
        generate_blacklist=generate is not None and generate.blacklist,
        generate_managers=generate is not None and generate.managers,
    )


def _unique(
    problems: Problems,
    seen: dict[Any, str],
    value: Any,
    where: Any,
    pointer: str,
    field: str,
    what: str,
) -> None:
    """A rule problem at `pointer + field` if `value` was seen before (at `seen[value]`)."""
    if value is None:
        return
    if value in seen:
        problems.add(
            where,
            pointer,
            field,
            f"{what} {value!r} is given twice (first at {seen[value]})",
            rule=True,
        )
    else:
        seen[value] = pointer + field


def _check_references(
    spec: TenantSpec,
    given: GivenCompany,
    employees: list[SeededEmployee],
    problems: Problems,
) -> None:
    """The rules between the file's objects (and the generator's employees) that no schema
    can state: ids and numbers given once, references to what exists."""
    ids: dict[Any, str] = {}
    fulls: dict[Any, str] = {}
    shorts: dict[Any, str] = {}
    for employee, pointer, where in spec.employees:
        _unique(problems, ids, employee.employee_id, where, pointer, "/employeeId", "employeeId")
        _unique(problems, fulls, employee.full_number, where, pointer, "/fullNumber", "fullNumber")
        _unique(
            problems, shorts, employee.short_number, where, pointer, "/shortNumber", "shortNumber"
        )
    known = {e.employee_id for e in employees}
    numbers = {e.full_number for e in employees if e.full_number} | {
        e.short_number for e in employees if e.short_number
    }
    users: dict[Any, str] = {}
    for index, (user_id, _) in enumerate(spec.users):
        _unique(problems, users, user_id, None, f"/users/{index}", "/userId", "userId")
    queue_names: set[str] = set(QUEUE_NAMES) if spec.queues is None and given.generate else set()
    names: dict[Any, str] = {}
    for queue in spec.queues or []:
        _unique(problems, names, queue.name, queue.where, queue.pointer, "/name", "queue")
        queue_names.add(queue.name)
        for index, member in enumerate(queue.members):
            if member not in known:
                problems.add(
                    queue.where,
                    queue.pointer,
                    f"/members/{index}",
                    f"employee {member} is not an employee of the company",
                    rule=True,
                )
    managers: dict[Any, str] = {}
    customers: dict[Any, str] = {}
    customer_numbers: dict[Any, str] = {}
    handling_all: dict[Any, str] = {}
    for manager in spec.managers:
        _unique(problems, managers, manager.id, manager.where, manager.pointer, "/id", "manager id")
        if manager.employee_id not in known:
            problems.add(
                manager.where,
                manager.pointer,
                "/employeeId",
                f"employee {manager.employee_id} is not an employee of the company (employees)",
                rule=True,
            )
        if manager.handle_all:
            if handling_all:
                problems.add(
                    manager.where,
                    manager.pointer,
                    "/handleAllCustomers",
                    "at most one manager handles all customers "
                    f"(another does: {handling_all[True]})",
                    rule=True,
                )
            handling_all.setdefault(True, manager.pointer)
        for index, customer in enumerate(manager.customers):
            at = f"/customers/{index}"
            _unique(
                problems,
                customers,
                customer.id,
                manager.where,
                manager.pointer,
                at + "/id",
                "customer id",
            )
            _unique(
                problems,
                customer_numbers,
                customer.real_number,
                manager.where,
                manager.pointer,
                at + "/realNumber",
                "customer number",
            )
    entries: dict[Any, str] = {}
    listed: dict[Any, str] = {}
    for entry_id, number, _, pointer, where in spec.blacklist:
        _unique(problems, entries, entry_id, where, pointer, "/id", "blacklist id")
        _unique(problems, listed, number, where, pointer, "/number", "blacklisted number")
    for call in spec.scenario:
        named: tuple[tuple[str, str | None], ...] = (
            ("/to", call.to),
            ("/answeredBy", call.answered_by),
            ("/ringing", call.ringing),
        )
        for field, given_number in named:
            if given_number is not None and normalize_number(given_number) not in numbers:
                problems.add(
                    call.where,
                    call.pointer,
                    field,
                    f"{given_number!r} is not the full or short number of an employee of the "
                    "company",
                    rule=True,
                )
        for index, (_, number) in enumerate(call.transfers):
            if normalize_number(number) not in numbers:
                problems.add(
                    call.where,
                    call.pointer,
                    f"/transfers/{index}/to",
                    f"{number!r} is not the full or short number of an employee of the company",
                    rule=True,
                )
        if call.queue is not None and call.queue not in queue_names:
            problems.add(
                call.where, call.pointer, "/queue", f"no queue {call.queue!r} (queues)", rule=True
            )


def _check_journal(conn: sqlite3.Connection, spec: TenantSpec, problems: Problems) -> None:
    """The call records' and recordings' rules: a uuid and a recording name given once, a
    recording for a call that has one."""
    for column, what in (("uuid", "uuid"), ("record", "recordFileName")):
        # The values given twice first (one sort), then their records.
        for seq, line, col, value, first in conn.execute(
            f"WITH twice AS (SELECT {column} AS value, MIN(seq) AS first "
            f"FROM temp.tenant_records WHERE {column} != '' GROUP BY {column} "
            f"HAVING COUNT(*) > 1) SELECT r.seq, r.line, r.col, r.{column}, t.first "
            f"FROM twice AS t JOIN temp.tenant_records AS r ON r.{column} = t.value "
            f"AND r.seq > t.first ORDER BY r.seq"
        ):
            problems.add(
                _At(None if line is None else Span(line, col)),
                f"/callRecords/{seq}",
                f"/{'recordFileName' if column == 'record' else column}",
                f"{what} {value!r} is given twice (first at /callRecords/{first})",
                rule=True,
            )
    scenario_names = {c.record_file_name for c in spec.scenario if c.record_file_name}
    for name, line, col in conn.execute(
        "SELECT g.name, g.line, g.col FROM temp.tenant_recordings AS g "
        "WHERE g.name NOT IN (SELECT record FROM temp.tenant_records) ORDER BY g.name"
    ):
        if name not in scenario_names:
            problems.add(
                _At(None if line is None else Span(line, col)),
                "/recordings",
                pointer_of(name),
                "no call record (or scenario call) has this recordFileName",
                rule=True,
            )
    names: dict[Any, str] = {}
    for row in conn.execute("SELECT record FROM temp.tenant_records WHERE record != ''"):
        names[row[0]] = "callRecords"
    for call in spec.scenario:
        if call.record_file_name:
            _unique(
                problems,
                names,
                call.record_file_name,
                call.where,
                call.pointer,
                "/recordFileName",
                "recordFileName",
            )


def _record_days(conn: sqlite3.Connection) -> frozenset[date]:
    """The Moscow days of the file's call records."""
    days = conn.execute(
        f"SELECT DISTINCT (started_at + {_MOSCOW_MS}) - "
        f"(((started_at + {_MOSCOW_MS}) % {_DAY_MS}) + {_DAY_MS}) % {_DAY_MS} "
        "FROM temp.tenant_records"
    ).fetchall()
    return frozenset(datetime.fromtimestamp(row[0] / 1000, MOSCOW).date() for row in days)


# The staged records as journal rows (call_rows.CALL_COLUMNS), in the file's order: a recorded
# call has a transcript unless its recording says it has none (or no file).
_STAGED: Final = (
    "SELECT ?, r.started_at, r.call_type, r.call_status, r.destination, r.caller, "
    "r.caller_name, r.callee, r.callee_name, r.duration, r.talk, r.record, r.uuid, "
    "CASE WHEN r.record = '' THEN 0 ELSE COALESCE(g.audio AND g.transcript, 1) END, "
    "r.ended_by{links} FROM temp.tenant_records AS r LEFT JOIN temp.tenant_recordings AS g "
    "ON g.name = r.record{join} ORDER BY r.seq"
)
_STAGED_ROWS: Final = _STAGED.format(links="", join="")
# With the links `_Staging` made: the pair's for a registered callee (not the caller) only.
_STAGED_LINKED: Final = _STAGED.format(
    links=", r.prev_at, CASE WHEN p.number IS NOT NULL THEN r.pair_any END",
    join=" LEFT JOIN journal_parties AS p ON p.company_id = ? AND p.number = r.callee "
    "AND r.callee != r.caller",
)


# -- export -----------------------------------------------------------------------------------


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def export_tenant(
    conn: sqlite3.Connection,
    company_id: int,
    now: datetime,
    *,
    employees: EmployeeDirectory,
    managers: ManagerService,
    blacklist: Blacklist,
) -> Iterator[bytes]:
    """The company as a tenant file (JSON, UTF-8), in chunks: see the module's docstring."""
    company = conn.execute(
        "SELECT id, name, main_number, admin_user_id, admin_login FROM companies WHERE id = ?",
        (company_id,),
    ).fetchone()
    head: dict[str, Any] = {
        "format": FORMAT,
        "company": {
            key: value
            for key, value in (
                ("id", company["id"]),
                ("name", company["name"]),
                ("mainNumber", company["main_number"]),
            )
            if value is not None
        },
    }
    if company["admin_user_id"] is not None:
        users = [(company["admin_user_id"], company["admin_login"])]
        users += [
            (row[0], row[1])
            for row in conn.execute(
                "SELECT user_id, login FROM users WHERE company_id = ? AND user_id != ? "
                "ORDER BY user_id",
                (company_id, company["admin_user_id"]),
            )
        ]
        head["users"] = [{"userId": uid, "login": login} for uid, login in users]
    head["employees"] = employees.list(company_id)
    head["queues"] = [
        {
            "name": name,
            "members": [
                int(m[0])
                for m in conn.execute(
                    "SELECT employee_id FROM queue_members WHERE company_id = ? "
                    "AND queue_name = ? ORDER BY position",
                    (company_id, name),
                )
            ],
        }
        for (name,) in conn.execute(
            "SELECT name FROM queues WHERE company_id = ? ORDER BY position", (company_id,)
        ).fetchall()
    ]
    head["managers"] = managers.list(company_id)
    head["blacklist"] = blacklist.list(company_id)
    yield _dumps(head)[:-1]
    yield b',"callRecords":['
    cursor = conn.cursor()
    cursor.row_factory = None
    first = True
    for (body,) in cursor.execute(
        "SELECT j.body FROM calls AS c JOIN call_json AS j ON j.id = c.id "
        "WHERE c.company_id = ? ORDER BY c.id",
        (company_id,),
    ):
        yield body if first else b"," + body
        first = False
    yield b'],"recordings":{'
    first = True
    for name, shown in _recordings(conn, company_id):
        yield (b"" if first else b",") + _dumps(name) + b":" + _dumps(shown)
        first = False
    yield b'},"scenario":'
    yield _dumps(_scenario(conn, company_id, to_epoch_ms(now)))
    yield b"}"


def _recordings(conn: sqlite3.Connection, company_id: int) -> Iterator[tuple[str, Any]]:
    """What each recording says when it is not what the journal makes of the call alone."""
    cursor = conn.cursor()
    cursor.row_factory = None
    for name, audio, transcript, script, has_transcript in cursor.execute(
        "SELECT c.record_file_name, r.audio, r.transcript, r.script, c.has_transcript "
        "FROM calls AS c LEFT JOIN call_recordings AS r ON r.company_id = c.company_id "
        "AND r.record_file_name = c.record_file_name "
        "WHERE c.company_id = ? AND c.record_file_name != '' "
        "AND (r.record_file_name IS NOT NULL OR c.has_transcript = 0) "
        "UNION ALL SELECT r.record_file_name, r.audio, r.transcript, r.script, 1 "
        "FROM call_recordings AS r WHERE r.company_id = ? AND NOT EXISTS ("
        "SELECT 1 FROM calls AS c WHERE c.company_id = r.company_id "
        "AND c.record_file_name = r.record_file_name) ORDER BY 1",
        (company_id, company_id),
    ):
        if audio == 0:
            yield name, "none"
            continue
        shown: dict[str, Any] = {}
        if script is not None:
            shown["sentences"] = [
                {"channel": channel, **({} if at is None else {"at": at}), "text": text}
                for channel, at, text in json.loads(script)
            ]
        if not has_transcript or transcript == 0:
            shown["transcript"] = "none"
        yield name, shown


def _seconds(ms: int) -> int | float:
    return ms // 1000 if ms % 1000 == 0 else ms / 1000


def _scenario(conn: sqlite3.Connection, company_id: int, now_ms: int) -> list[dict[str, Any]]:
    """The company's live incoming calls as a scenario from `now_ms`."""
    calls = []
    for row in conn.execute(
        "SELECT * FROM live_calls WHERE company_id = ? AND kind = 'incoming' "
        "ORDER BY started_at, id",
        (company_id,),
    ).fetchall():
        at = row["started_at"] - now_ms
        call: dict[str, Any] = {"at": _seconds(at), "from": row["caller_number"]}
        if row["queue_name"] is not None:
            call["queue"] = row["queue_name"]
        elif row["call_type"] in ("SINGLE_CHANNEL", "INTERNAL"):
            call["to"] = row["destination_number"]
        answered = CallOutcome(row["outcome"]) is CallOutcome.ANSWERED
        route, ring, talk = row["route_seconds"], row["ring_seconds"], row["talk_seconds"]
        if answered:
            call["answeredBy"] = row["called_number"]
            call["answerAt"] = _seconds(at + (route + ring) * 1000)
        elif row["called_number"] is not None and row["called_number"] != call.get("to"):
            call["ringing"] = row["called_number"]
        call["ringSeconds"] = ring
        transfers = [
            {"at": _seconds(t[0] - now_ms), "to": t[1]}
            for t in conn.execute(
                "SELECT at_ms, number FROM live_transfers WHERE call_id = ? ORDER BY at_ms",
                (row["id"],),
            )
        ]
        if transfers:
            call["transfers"] = transfers
        call["hangupAt"] = _seconds(at + (route + ring + talk) * 1000)
        if row["ended_by"] is not None:
            call["hungUpBy"] = "caller" if row["ended_by"] == "A" else "callee"
        call["status"] = row["call_status"] or CallOutcome(row["outcome"]).call_status
        call["uuid"] = row["uuid"]
        if row["record_file_name"]:
            call["recordFileName"] = row["record_file_name"]
        calls.append(call)
    return calls
