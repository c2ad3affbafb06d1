"""The embedded store: SQLite from the standard library, one connection per thread.

Why SQLite and not dicts behind a lock: the PBX's rules (one blacklist entry per number, one
customer per manager, at most one manager handling all customers) are UNIQUE constraints that
hold inside transactions, for concurrent requests and across restarts alike. Writers take the
database lock up front (`BEGIN IMMEDIATE`), so a check-then-insert never races another writer.

Without a state file the database lives in a temporary directory that is removed on close,
so every start is fresh; with one, state persists across restarts.
"""

from __future__ import annotations

import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from pathlib import Path

__all__ = [
    "APP_MARKER",
    "COMPANY_TABLES",
    "SCHEMA_VERSION",
    "StateFileError",
    "Store",
    "StoreBusy",
    "fold_write_ahead_log",
    "next_id",
]

# Version 2: companies carry their own clock (`clock_lead`), the clock can be frozen, the file
# names its owner (`app`). Version 3: every company id the state has held is kept
# (`company_ids`), so a deleted company's id is never handed out again. Files of another
# version are refused, never half-read. Version 4: managers, customers and blacklist entries have
# ids of their company's own (a tenant file's ids are kept whatever other companies hold; new
# ids are still the largest of every company's plus one, as the rowids were).
SCHEMA_VERSION = "4"
APP_MARKER = "tele2-ats-mock"
META_APP = "app"
META_SCHEMA_VERSION = "schema_version"
# How long a writer waits for another's write lock (a large reset holds it for seconds).
BUSY_TIMEOUT_MS = 30_000

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS companies (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    -- How far this company's clock is ahead of the PBX's (seconds): a test can move one
    -- tenant's time without touching the others'.
    clock_lead    REAL NOT NULL DEFAULT 0 CHECK (clock_lead >= 0),
    -- The multi-channel number (what clients dial; queues answer on it).
    main_number   TEXT,
    -- The user a token pair is issued for when none is named (a tenant file's first user);
    -- NULL: `companyId * 100 + 1`, `admin<companyId>`.
    admin_user_id INTEGER,
    admin_login   TEXT
);
-- Every company id this state has held, deleted companies' included: an id is handed out once
-- in the life of a state (a reset starts a new one), so nothing kept about a deleted company
-- (a fault rule, a request of the journal, a token, a poll) can be taken for another's.
CREATE TABLE IF NOT EXISTS company_ids (
    id INTEGER PRIMARY KEY
);
CREATE TRIGGER IF NOT EXISTS company_ids_held AFTER INSERT ON companies
BEGIN
    INSERT OR IGNORE INTO company_ids (id) VALUES (NEW.id);
END;
-- What a company's seeded data was drawn from, where it is not its own id (storage/seed.py).
CREATE TABLE IF NOT EXISTS company_profiles (
    company_id INTEGER PRIMARY KEY REFERENCES companies(id) ON DELETE CASCADE,
    profile    INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL,
    login      TEXT NOT NULL,
    PRIMARY KEY (company_id, user_id)
);
CREATE TABLE IF NOT EXISTS token_pairs (
    id            INTEGER PRIMARY KEY,
    company_id    INTEGER NOT NULL,
    user_id       INTEGER NOT NULL,
    access_token  TEXT NOT NULL UNIQUE,
    refresh_token TEXT NOT NULL UNIQUE,
    access_exp    INTEGER NOT NULL,
    refresh_exp   INTEGER NOT NULL,
    superseded    INTEGER NOT NULL DEFAULT 0,
    FOREIGN KEY (company_id, user_id) REFERENCES users(company_id, user_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS token_pairs_user ON token_pairs(company_id, user_id, superseded);
CREATE TABLE IF NOT EXISTS employees (
    company_id   INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    employee_id  INTEGER NOT NULL,
    name         TEXT,
    surname      TEXT,
    full_number  TEXT,
    short_number TEXT,
    group_name   TEXT,
    email        TEXT,
    PRIMARY KEY (company_id, employee_id),
    UNIQUE (company_id, full_number),
    UNIQUE (company_id, short_number)
);
CREATE TABLE IF NOT EXISTS managers (
    company_id           INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    id                   INTEGER NOT NULL,
    employee_id          INTEGER NOT NULL,
    name                 TEXT,
    handle_all_customers INTEGER NOT NULL CHECK (handle_all_customers IN (0, 1)),
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, employee_id) REFERENCES employees(company_id, employee_id)
);
CREATE INDEX IF NOT EXISTS managers_by_id ON managers(id);
-- At most one manager per company handles all customers.
CREATE UNIQUE INDEX IF NOT EXISTS managers_one_handling_all
    ON managers(company_id) WHERE handle_all_customers = 1;
CREATE TABLE IF NOT EXISTS customers (
    company_id   INTEGER NOT NULL,
    id           INTEGER NOT NULL,
    manager_id   INTEGER NOT NULL,
    position     INTEGER NOT NULL,
    real_number  TEXT NOT NULL,
    company_name TEXT,
    info         TEXT,
    is_vip       INTEGER NOT NULL CHECK (is_vip IN (0, 1)),
    name         TEXT,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, manager_id) REFERENCES managers(company_id, id) ON DELETE CASCADE,
    -- A customer number belongs to at most one manager of the company.
    UNIQUE (company_id, real_number)
);
CREATE INDEX IF NOT EXISTS customers_by_id ON customers(id);
CREATE INDEX IF NOT EXISTS customers_manager ON customers(company_id, manager_id, position);
CREATE TABLE IF NOT EXISTS blacklist (
    company_id  INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    id          INTEGER NOT NULL,
    number      TEXT NOT NULL CHECK (length(number) = 11 AND number GLOB '7[0-9]*'),
    source_type TEXT NOT NULL CHECK (source_type IN ('MANUAL', 'FILE')),
    PRIMARY KEY (company_id, id),
    UNIQUE (company_id, number)
);
CREATE INDEX IF NOT EXISTS blacklist_by_id ON blacklist(id);
CREATE TABLE IF NOT EXISTS queues (
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    position   INTEGER NOT NULL,
    PRIMARY KEY (company_id, name)
);
-- The employees who answer a queue's callers (none: any employee of the company).
CREATE TABLE IF NOT EXISTS queue_members (
    company_id  INTEGER NOT NULL,
    queue_name  TEXT NOT NULL,
    employee_id INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (company_id, queue_name, employee_id),
    FOREIGN KEY (company_id, queue_name) REFERENCES queues(company_id, name) ON DELETE CASCADE,
    FOREIGN KEY (company_id, employee_id) REFERENCES employees(company_id, employee_id)
        ON DELETE CASCADE
);
"""


# The tables whose ids a company's objects carry in the API (a manager's, a customer's, a
# blacklist entry's): each id is its company's own, kept as a tenant file gives it.
COMPANY_TABLES = ("managers", "customers", "blacklist")


def next_id(conn: sqlite3.Connection, table: str) -> int:
    """The id of a new row of `table` (one of COMPANY_TABLES): one more than the largest id of
    any company, as SQLite gave rowids before ids were per company, so that an object made
    through the API gets the id it always got, and never one a file gave another company's."""
    if table not in COMPANY_TABLES:
        raise ValueError(f"{table!r} has no ids of its own")
    row = conn.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}").fetchone()
    return int(row[0])


class StateFileError(Exception):
    """A state file that cannot be used; the message names the file and says why."""


class StoreBusy(Exception):
    """Another connection holds the write lock (`Store.transaction(wait=False)`)."""


def _check_path(path: Path) -> None:
    if path.is_dir():
        raise StateFileError(f"state file {path}: is a directory, not a file")
    if not path.parent.is_dir():
        raise StateFileError(f"state file {path}: folder {path.parent} does not exist")


class Store:
    """A SQLite database shared by the threads of one process.

    `read()` gives this thread's connection for queries; `transaction()` wraps writes in
    `BEGIN IMMEDIATE ... COMMIT` (rolled back on any exception).
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self._tempdir: tempfile.TemporaryDirectory[str] | None = None
        if path is None:
            self._tempdir = tempfile.TemporaryDirectory(prefix="tele2-ats-mock-")
            path = Path(self._tempdir.name) / "state.sqlite3"
        self.path = Path(path)
        self.persistent = self._tempdir is None
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self.extra_schema: list[str] = []
        if self.persistent:
            _check_path(self.path)
        try:
            self._open()
        except sqlite3.Error as exc:
            self.close()
            raise StateFileError(f"state file {self.path}: {_explain(exc)}") from exc
        except StateFileError:
            self.close()
            raise

    def _open(self) -> None:
        """Check what the file holds, then create what is missing."""
        conn = self.read()
        tables = {
            str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if tables:
            meta = (
                dict(conn.execute("SELECT key, value FROM meta").fetchall())
                if "meta" in tables
                else {}
            )
            if meta.get(META_APP) != APP_MARKER and "seed" not in meta:
                raise StateFileError(
                    f"state file {self.path}: an SQLite database of something else "
                    f"(tables {', '.join(sorted(tables)[:5])}); refusing to touch it"
                )
            version = meta.get(META_SCHEMA_VERSION, "1")
            if version != SCHEMA_VERSION:
                raise StateFileError(
                    f"state file {self.path}: written by a mock of schema version {version}, "
                    f"this one needs version {SCHEMA_VERSION}; start without it or remove it "
                    "to begin afresh"
                )
            problems = [str(r[0]) for r in conn.execute("PRAGMA quick_check(3)")]
            if problems != ["ok"]:
                raise StateFileError(
                    f"state file {self.path}: damaged ({'; '.join(problems)[:200]})"
                )
        conn.executescript(SCHEMA)
        if not tables:
            with self.transaction() as tx:
                tx.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [(META_APP, APP_MARKER), (META_SCHEMA_VERSION, SCHEMA_VERSION)],
                )

    def add_schema(self, ddl: str) -> None:
        """Let a domain module add its own tables (idempotent DDL)."""
        self.extra_schema.append(ddl)
        self.read().executescript(ddl)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=30.0
        )
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode = WAL")
        # A temporary database need not survive a power cut; a state file should survive a crash.
        conn.execute(f"PRAGMA synchronous = {'NORMAL' if self.persistent else 'OFF'}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA cache_size = -65536")
        with self._lock:
            self._connections.append(conn)
        return conn

    def read(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self, *, wait: bool = True) -> Iterator[sqlite3.Connection]:
        """`wait=False`: StoreBusy at once, instead of waiting, if another connection holds
        the write lock (a caller that must not block, e.g. an event loop, can then go on in a
        thread)."""
        conn = self.read()
        if conn.in_transaction:  # nested use joins the outer transaction
            yield conn
            return
        if wait:
            conn.execute("BEGIN IMMEDIATE")
        else:
            conn.execute("PRAGMA busy_timeout = 0")
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if exc.sqlite_errorcode == sqlite3.SQLITE_BUSY:
                    raise StoreBusy(str(exc)) from exc
                raise
            finally:
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def set_durable(self, durable: bool) -> None:
        """Whether a commit must survive a power cut (`PRAGMA synchronous`, open connections
        included). A state file should; a file that lives only as long as the run (the one
        that several workers share when no state file is given) need not, as the temporary
        database does not."""
        self.persistent = durable
        with self._lock:
            for conn in self._connections:
                conn.execute(f"PRAGMA synchronous = {'NORMAL' if durable else 'OFF'}")

    def data_version(self) -> int:
        """A number that changes whenever another connection, of this process or another one,
        has committed a change to the database (SQLite's `PRAGMA data_version`, per connection:
        compare values read by the same thread)."""
        version: int = self.read().execute("PRAGMA data_version").fetchone()[0]
        return version

    def all_meta(self) -> dict[str, str]:
        rows = self.read().execute("SELECT key, value FROM meta").fetchall()
        return {str(key): str(value) for key, value in rows}

    def get_meta(self, key: str) -> str | None:
        row = self.read().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def wipe(self) -> None:
        """Delete every row but the file's own marks (the schema stays)."""
        with self.transaction() as conn:
            tables = [
                r[0]
                for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%'"
                )
            ]
            conn.execute("PRAGMA defer_foreign_keys = ON")
            for table in tables:
                if table == "meta":
                    conn.execute(
                        "DELETE FROM meta WHERE key NOT IN (?, ?)", (META_APP, META_SCHEMA_VERSION)
                    )
                else:
                    conn.execute(f'DELETE FROM "{table}"')

    def close(self) -> None:
        """Close every connection; a state file is left complete on its own (no WAL beside
        it), a temporary database is removed."""
        with self._lock:
            for conn in self._connections:
                with suppress(sqlite3.Error):
                    if self.persistent and not conn.in_transaction:
                        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                conn.close()
            self._connections.clear()
        self._local = threading.local()
        if self._tempdir is not None:
            self._tempdir.cleanup()
            self._tempdir = None


def fold_write_ahead_log(path: Path) -> None:
    """Leave the state file at `path` complete on its own, once nothing else has it open: its
    write-ahead log checkpointed and removed. Workers that close together can each see the
    other still open and leave the log and its index beside the file (harmless to SQLite, but
    not the one file a user keeps); the last process folds it."""
    if not path.exists():
        return
    with suppress(sqlite3.Error), closing(sqlite3.connect(path, timeout=5)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _explain(exc: sqlite3.Error) -> str:
    text = str(exc)
    if "not a database" in text:
        return "not a state file of this mock (not an SQLite database, or its header is damaged)"
    if "readonly" in text or "read-only" in text:
        return "cannot be written (read-only file or folder)"
    if "unable to open" in text:
        return "cannot be opened (missing folder or no permission)"
    if "malformed" in text:
        return "damaged (database disk image is malformed)"
    return text
