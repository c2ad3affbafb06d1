"""A tenant per test in milliseconds: a company seeded once, kept as a template, and copied in
SQL for each tenant after it, its month of calls only when something first reads them.

Seeding a company makes its employees with Faker and a month of calls in Python (tens of
milliseconds); a tenant made by `POST /mock/companies` without an id is drawn from one profile
(storage/seed.py), so every such tenant of one seed, size and minute holds the same data but
for its ids. The first is seeded afresh and captured (`capture`: its rows, copied into
`template_*` tables of the same database); each next one is `copy`'d from them with one
`INSERT ... SELECT` per table, its company id put in, the rows that take the table's next free
id (blacklist, managers, customers, calls) shifted to where seeding would have put them, and its
e-mail domain's id swapped.

Its history (the calls, their JSON and roll-ups: most of the rows, and of the cost of a copy and
of a delete) is only marked due (`history_due`) and written by `write_due_history` before the
company's journal is first read or written (rules/calls.py settles a company's calls before
each, and calls it there): a test that never reads the journal never pays for it. The calls go
in as a bulk seeding writes them, the journal's triggers off: their links, JSON and roll-ups are
the template's. If the template was replaced meanwhile (a later minute), the history is seeded
afresh from the inputs kept with the mark, as it would have been at the company's creation.

What a template was made from is its key (`template_key`): the seed, the profile, the history's
size and end, and the code that seeds; a copy under another key is never made. One template is
kept; a reset wipes it with the rest.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Final

from mock_server.domain.storage.seed import email_domain_suffix

__all__ = ["TEMPLATE_SCHEMA", "CompanyTemplate", "DueHistory", "template_key"]

TEMPLATE_SCHEMA: Final = """
-- The one company template kept (templates.py): what it was made from, how the e-mail domain
-- of the company it was taken from ends (a copy's is swapped for its own), its profile. The
-- template's rows name company 0, never the company they were taken from.
CREATE TABLE IF NOT EXISTS seed_template (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    key          TEXT NOT NULL,
    email_suffix TEXT NOT NULL,
    profile      INTEGER NOT NULL
);
-- Tenants copied from the template whose history is still to be written (`write_due_history`),
-- with what it is made from.
CREATE TABLE IF NOT EXISTS history_due (
    company_id    INTEGER PRIMARY KEY REFERENCES companies(id) ON DELETE CASCADE,
    key           TEXT NOT NULL,
    until_ms      INTEGER NOT NULL,
    days          INTEGER NOT NULL,
    calls_per_day INTEGER NOT NULL
);
"""

# The tables that hold a seeded company, in the order a copy fills them (foreign keys first),
# each with its column naming the company (None: call_json, whose rows are the calls' ids):
# the company's own, then its history's.
_COMPANY: Final = (
    ("companies", "id"),
    ("employees", "company_id"),
    ("queues", "company_id"),
    ("queue_members", "company_id"),
    ("blacklist", "company_id"),
    ("managers", "company_id"),
    ("customers", "company_id"),
    ("journal_parties", "company_id"),
)
_HISTORY: Final = (
    ("calls", "company_id"),
    ("call_json", None),
    ("journal_rollups", "company_id"),
)
_TABLES: Final = _COMPANY + _HISTORY
# Columns of ids that a table's new rows take (one more than its largest), and of references to
# them: a copy shifts them by as much as the ids moved.
_SHIFTED: Final = {
    ("blacklist", "id"): "blacklist",
    ("managers", "id"): "managers",
    ("customers", "id"): "customers",
    ("customers", "manager_id"): "managers",
    ("calls", "id"): "calls",
    ("call_json", "id"): "calls",
}
# Tables kept WITHOUT ROWID (rollups.py): their order is their key's.
_KEYED: Final = frozenset({"journal_parties", "journal_rollups"})


def template_key(
    seed: int, profile: int, days: int, calls_per_day: int, until_ms: int, code: str
) -> str:
    """What a template is made from: the generators' inputs and `code`, a digest of the code
    that seeds (a template made by other code is never copied)."""
    return (
        f"seed {seed}; profile {profile}; days {days}; calls/day {calls_per_day}; "
        f"until {until_ms}; code {code}"
    )


@dataclass(frozen=True, slots=True)
class DueHistory:
    """What a copied tenant's history is made from (`history_due`)."""

    key: str
    until_ms: int
    days: int
    calls_per_day: int


class CompanyTemplate:
    """Captures a seeded company and copies it."""

    def __init__(self) -> None:
        self._copies: dict[str, str] = {}  # table -> its INSERT ... SELECT

    def capture(self, conn: sqlite3.Connection, key: str, company_id: int, profile: int) -> None:
        """Keep company `company_id`, seeded afresh from `profile`, as the template `key`
        (replacing the one kept). Inside the transaction that seeded it."""
        for table, column in _TABLES:
            where = (
                f"{column} = ?"
                if column is not None
                else "id IN (SELECT id FROM calls WHERE company_id = ?)"
            )
            order = "" if table in _KEYED else " ORDER BY rowid"
            conn.execute(f"DROP TABLE IF EXISTS template_{table}")
            conn.execute(
                f"CREATE TABLE template_{table} AS SELECT * FROM {table} WHERE {where}{order}",
                (company_id,),
            )
            if column is not None:  # a deleted company leaves no row that names it
                conn.execute(f"UPDATE template_{table} SET {column} = 0")
        conn.execute(
            "INSERT OR REPLACE INTO seed_template (id, key, email_suffix, profile) "
            "VALUES (1, ?, ?, ?)",
            (key, email_domain_suffix(company_id), profile),
        )

    def copy(self, conn: sqlite3.Connection, key: str, company_id: int, due: DueHistory) -> bool:
        """Make company `company_id` a copy of the template `key`, its history due (`due`,
        whose key is `key`); False (nothing written) if the template kept is another's or
        none. Inside a transaction."""
        row = conn.execute("SELECT key, email_suffix, profile FROM seed_template").fetchone()
        if row is None or row[0] != key:
            return False
        profile = int(row[2])
        params = self._params(conn, company_id, ("blacklist", "managers", "customers"))
        params["old_suffix"] = str(row[1])
        params["new_suffix"] = email_domain_suffix(company_id)
        for table, column in _COMPANY:
            conn.execute(self._copy_sql(conn, table, column), params)
        if profile != company_id:
            conn.execute(
                "INSERT INTO company_profiles (company_id, profile) VALUES (?, ?)",
                (company_id, profile),
            )
        conn.execute(
            "INSERT INTO history_due (company_id, key, until_ms, days, calls_per_day) "
            "VALUES (?, ?, ?, ?, ?)",
            (company_id, due.key, due.until_ms, due.days, due.calls_per_day),
        )
        return True

    @staticmethod
    def forget(conn: sqlite3.Connection, company_id: int) -> None:
        """Company `company_id` is a copy no more (its data is about to be replaced by a
        file's): no history of the template's due, its data drawn from its own id."""
        conn.execute("DELETE FROM history_due WHERE company_id = ?", (company_id,))
        conn.execute("DELETE FROM company_profiles WHERE company_id = ?", (company_id,))

    @staticmethod
    def is_due(conn: sqlite3.Connection, company_id: int) -> bool:
        """Whether company `company_id`'s history is still to be written."""
        found = conn.execute(
            "SELECT 1 FROM history_due WHERE company_id = ?", (company_id,)
        ).fetchone()
        return found is not None

    def take_due(self, conn: sqlite3.Connection, company_id: int) -> DueHistory | None:
        """Company `company_id`'s due history, now written from the template if it is still
        the one kept (None: nothing was due, or it was written). What it returns is for its
        caller to seed. Inside the write transaction."""
        row = conn.execute(
            "SELECT key, until_ms, days, calls_per_day FROM history_due WHERE company_id = ?",
            (company_id,),
        ).fetchone()
        if row is None:
            return None
        conn.execute("DELETE FROM history_due WHERE company_id = ?", (company_id,))
        due = DueHistory(str(row[0]), int(row[1]), int(row[2]), int(row[3]))
        kept = conn.execute("SELECT key FROM seed_template").fetchone()
        if kept is None or kept[0] != due.key:
            return due
        params = self._params(conn, company_id, ("calls",))
        # The calls go in as a bulk seeding writes them: the triggers would add links, JSON
        # and roll-ups that the template carries already.
        conn.execute("INSERT INTO journal_bulk (company_id) VALUES (?)", (company_id,))
        for table, column in _HISTORY:
            conn.execute(self._copy_sql(conn, table, column), params)
        conn.execute("DELETE FROM journal_bulk WHERE company_id = ?", (company_id,))
        return None

    @staticmethod
    def _params(
        conn: sqlite3.Connection, company_id: int, numbered: tuple[str, ...]
    ) -> dict[str, object]:
        """The copy's parameters: its company, and how far the ids of each numbered table
        move: to one after the table's largest, where seeding afresh would start."""
        params: dict[str, object] = {"company": company_id}
        for table in numbered:
            params[table] = conn.execute(
                f"SELECT (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}) "
                f"- (SELECT COALESCE(MIN(id), 0) FROM template_{table})"
            ).fetchone()[0]
        return params

    def _copy_sql(self, conn: sqlite3.Connection, table: str, column: str | None) -> str:
        sql = self._copies.get(table)
        if sql is None:
            columns = [str(r[1]) for r in conn.execute(f"PRAGMA table_info({table})")]
            values = [self._value(table, name, column) for name in columns]
            order = "" if table in _KEYED else " ORDER BY rowid"
            sql = (
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"SELECT {', '.join(values)} FROM template_{table}{order}"
            )
            self._copies[table] = sql
        return sql

    @staticmethod
    def _value(table: str, name: str, company_column: str | None) -> str:
        if name == company_column:
            return ":company"
        shifted = _SHIFTED.get((table, name))
        if shifted is not None:
            return f"{name} + :{shifted}"
        if (table, name) == ("employees", "email"):
            # Every seeded e-mail ends with the domain, whose end names the company.
            return (
                "CASE WHEN email IS NULL THEN NULL "
                "ELSE substr(email, 1, length(email) - length(:old_suffix)) || :new_suffix END"
            )
        return name
