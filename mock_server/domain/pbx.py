"""The composition root of the domain: one PBX serving several companies (tenants)."""

from __future__ import annotations

import hashlib
import importlib
import logging
import math
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, Final

from mock_server.domain.clock import (
    Clock,
    ClockState,
    TenantClocks,
    check_instant,
    check_seed_instant,
)
from mock_server.domain.double.advisories import AdvisoryBook
from mock_server.domain.double.call_outcomes import CallOutcomes
from mock_server.domain.double.faults import FaultBook
from mock_server.domain.double.request_journal import (
    DEFAULT_CAPACITY,
    DEFAULT_MAX_BYTES,
    RequestJournal,
)
from mock_server.domain.errors import Conflict, InvalidInput, Unavailable
from mock_server.domain.rules.blacklist import Blacklist
from mock_server.domain.rules.calls import LiveCalls
from mock_server.domain.rules.companies import missing, refuse_retired, require_company
from mock_server.domain.rules.employees import EmployeeDirectory
from mock_server.domain.rules.history import check_history_size, seed_history
from mock_server.domain.rules.journal import CallJournal
from mock_server.domain.rules.managers import ManagerService
from mock_server.domain.rules.statistics import CallStatistics
from mock_server.domain.rules.tenant_reader import JsonTenantDocument, TenantDocument
from mock_server.domain.rules.tenants import LoadedTenant, TenantLoader, export_tenant
from mock_server.domain.rules.tokens import SECRET_META_KEY, Principal, TokenPair, TokenService
from mock_server.domain.storage.seed import seed_company
from mock_server.domain.storage.store import StateFileError, Store
from mock_server.domain.storage.templates import (
    TEMPLATE_SCHEMA,
    CompanyTemplate,
    DueHistory,
    template_key,
)

__all__ = [
    "DEFAULT_COMPANY_ID",
    "DEFAULT_USER",
    "GUIDE_TENANT",
    "MAX_COMPANY_ID",
    "MAX_USER_ID",
    "Pbx",
    "PbxConfig",
    "TenantSource",
    "requested_company",
]

log = logging.getLogger(__name__)

# The company, user and login of the guide's sample token, so the guide's examples read true.
DEFAULT_COMPANY_ID = 391
DEFAULT_USER = (5976, "pg_test")
SECOND_COMPANY_ID = 392
# A company's default user is `companyId * 100 + 1`; both must fit the store's int64.
MAX_COMPANY_ID = 2**31 - 1
MAX_USER_ID = 2**63 - 1
META_SEED = "seed"
META_CLOCK_OFFSET = "clock_offset"
META_CLOCK_FROZEN_AT = "clock_frozen_at"
META_HISTORY_DAYS = "history_days"
META_CALLS_PER_DAY = "calls_per_day"
# Every company id from FIRST_CREATED_COMPANY_ID below this one is held (`_lowest_unused_id`).
META_LOWEST_FREE_ID = "lowest_free_company_id"
# Set (and committed) while a reset runs, so that every process of a shared state file
# answers 503 until the reset's one transaction commits.
META_RESETTING = "resetting"
RESET_RETRY_AFTER_SECONDS = 2

# Companies created without an id get the lowest id never held from here (the guide's are
# 391/392). An id is handed out once in the life of a state: a deleted company's id is retired
# until a reset.
FIRST_CREATED_COMPANY_ID = 1000
# What every company created without an id is drawn from (storage/seed.py): the first of them,
# so that each is a copy of one template (storage/templates.py) with its own ids.
TENANT_PROFILE = FIRST_CREATED_COMPANY_ID
MSG_COMPANY_EXISTS = "Company {company_id} exists already: POST /mock/tokens issues a pair for it"
MSG_FILE_COMPANY_EXISTS = (
    "Company {company_id} (the file's company.id) exists already: name another (companyId), "
    "or replace its data (PUT /mock/companies/{company_id}/data)"
)
MSG_BAD_COMPANY = "Field 'companyId': expected an integer from 1 to {max}, got {value!r}"
MSG_BAD_USER = "Field 'userId': expected an integer from 1 to {max}, got {value!r}"
MSG_NO_IDS_LEFT = (
    "Every company id from {first} to {max} has been used in the life of the state; "
    "POST /mock/reset starts a new one"
)
MSG_RESETTING = "The mock is being reset; retry in a moment"


@dataclass(frozen=True, slots=True)
class TenantSource:
    """A tenant file the PBX loads when it starts and after every reset: `name` in messages,
    `company_id` the company it is (None: the lowest free id from 1000), `open()` reads it
    afresh each time (a context manager giving a TenantDocument)."""

    name: str
    company_id: int | None
    open: Callable[[], AbstractContextManager[TenantDocument]]


class _JsonFile:
    """Opens a JSON tenant file of the package."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: Any = None

    def __call__(self) -> _JsonFile:
        return _JsonFile(self.path)

    def __enter__(self) -> TenantDocument:
        self._file = self.path.open("rb")
        return JsonTenantDocument(self._file, self.path.name)

    def __exit__(self, *exc: object) -> None:
        self._file.close()


# The guide's company: the guide's employees, manager 26 with its customers, its blacklist
# entries and the records its examples need, beside the seeded remainder (its `generate`), so
# that every example of the guide replays against the mock verbatim (docs/tenants.md says how
# to add to it).
GUIDE_TENANT: Final = TenantSource(
    "guide-391.json",
    DEFAULT_COMPANY_ID,
    _JsonFile(Path(__file__).resolve().parents[1] / "tenants" / "guide-391.json"),
)


@dataclass(slots=True)
class PbxConfig:
    """What a fresh PBX holds. The same `seed` and `now` give the same PBX, byte for byte.

    `now`: the instant the clock starts at (None: real time); `frozen`: the clock stands still
    and moves only when told. `journal_size`: requests the request journal keeps (0: none), and
    `journal_bytes` what they may hold together; `faults`: fault rules in force from the start
    and after every reset (faults.py).
    `worker`: with `tele2-ats-mock --workers N`, this process is worker `worker` (1 to N) of
    `workers`: it joins the state the supervisor set up (the fault rules in force are shared
    and kept as they are); the request journal and the advisories are its own.
    `tenants`: tenant files loaded at the start and after every reset (the guide's company
    first, then `tele2-ats-mock --tenant FILE`'s); a file naming one of `companies` is that
    company, instead of the seeded one.
    """

    seed: int = 1
    companies: tuple[int, ...] = (DEFAULT_COMPANY_ID, SECOND_COMPANY_ID)
    history_days: int = 30
    calls_per_day: int = 40
    state_file: Path | None = field(default=None)
    now: datetime | None = None
    frozen: bool = False
    journal_size: int = DEFAULT_CAPACITY
    journal_bytes: int = DEFAULT_MAX_BYTES
    faults: tuple[Mapping[str, Any], ...] = ()
    worker: int | None = None
    workers: int = 1
    tenants: tuple[TenantSource, ...] = (GUIDE_TENANT,)


def _stored_float(meta: dict[str, str], key: str, path: Path | None) -> float | None:
    raw = meta.get(key)
    if raw in (None, ""):
        return None
    try:
        value = float(str(raw))
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise StateFileError(f"state file {path}: the stored clock ({key}={raw!r}) is not a time")
    return value


def requested_company(fields: Mapping[str, Any]) -> int | None:
    """The `companyId` of a POST /companies body (its other member may be `fixture`): None
    when absent; InvalidInput for another member, null, or an id out of range."""
    unknown = sorted(set(fields) - {"companyId", "fixture"})
    if unknown:
        raise InvalidInput(
            f"Request body: {unknown[0]!r} is not a member; members: companyId, fixture"
        )
    if "companyId" not in fields:
        return None
    value = fields["companyId"]  # null is no id: the schema's companyId is an integer
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_COMPANY_ID:
        raise InvalidInput(MSG_BAD_COMPANY.format(max=MAX_COMPANY_ID, value=value))
    return value


class Pbx:
    """Holds the store, the clocks and the services; creates companies on demand."""

    def __init__(self, config: PbxConfig | None = None) -> None:
        self.config = config or PbxConfig()
        check_history_size(self.config.history_days, self.config.calls_per_day)
        if self.config.now is not None:
            check_seed_instant(self.config.now.timestamp(), self.config.history_days)
        self.store = Store(self.config.state_file)
        try:
            self._start()
        except BaseException:
            self.store.close()
            raise

    def _start(self) -> None:
        meta = self.store.all_meta()
        self.clock = Clock.starting_at(self.config.now, frozen=self.config.frozen)
        stored = self.clock_state_from(meta)
        self.clocks = TenantClocks(self.clock, self._load_lead)
        self.tokens = TokenService(self.store, self.clocks)
        self.employees = EmployeeDirectory(self.store)
        self.managers = ManagerService(self.store)
        self.blacklist = Blacklist(self.store)
        # The test double's powers (request journal, advisories, faults, call outcomes).
        self.requests = RequestJournal(self.config.journal_size, self.config.journal_bytes)
        self.advisories = AdvisoryBook()
        self.faults = FaultBook(self.store, clock=self.now, seed=lambda: self.seed)
        self.outcomes = CallOutcomes(self.store)
        self.store.add_schema(TEMPLATE_SCHEMA)
        self.template = CompanyTemplate()
        self.calls = LiveCalls(
            self.store, seed=lambda: self.seed, director=self.outcomes, history=self
        )
        self.tenants = TenantLoader(self.calls, seed=lambda: self.seed)
        # Every read of the journal first settles the calls that have ended by the company's
        # clock.
        settle = self.calls.settler(self.clocks)
        self.journal = CallJournal(self.store, settle=settle)
        self.statistics = CallStatistics(self.store, settle=settle)
        self._reset_lock = threading.Lock()
        self.resetting = False
        if META_SEED not in meta:
            with self.store.transaction():
                self._seed_all(self.config.seed)
            self.faults.load(list(self.config.faults))
            return
        if self.config.worker is not None:  # the supervisor set the state up and warned
            self.load_settings(meta)
            return
        # A state file: its seed, clock and settings hold, whatever the command line says.
        if meta.get(META_RESETTING) == "1":  # a reset was cut short: it never committed
            self.store.set_meta(META_RESETTING, "0")
        if int(meta[META_SEED]) != self.config.seed:
            log.warning(
                "state file %s was seeded with %s; keeping it (reset to reseed)",
                self.config.state_file,
                meta[META_SEED],
            )
        if self.config.now is not None and stored is not None:
            log.warning(
                "state file %s keeps its own clock (%s); --now applies to a fresh state",
                self.config.state_file,
                Clock(stored.offset, stored.frozen_at).now().isoformat(),
            )
        self.load_settings(meta)
        self.faults.load(list(self.config.faults))

    def clock_state_from(self, meta: dict[str, str]) -> ClockState | None:
        offset = _stored_float(meta, META_CLOCK_OFFSET, self.config.state_file)
        frozen_at = _stored_float(meta, META_CLOCK_FROZEN_AT, self.config.state_file)
        if offset is None and frozen_at is None:
            return None
        return ClockState(offset or 0.0, frozen_at)

    def load_settings(self, meta: dict[str, str]) -> None:
        """Take the stored seed, clock and history settings (a restart, or another worker)."""
        if META_SEED in meta:
            self.config.seed = int(meta[META_SEED])
        stored = self.clock_state_from(meta)
        if stored is not None:
            self.clock.restore(stored)
        self.clocks.forget()
        self.tokens.adopt_secret(meta.get(SECRET_META_KEY))
        if META_HISTORY_DAYS in meta:
            self.config.history_days = int(meta[META_HISTORY_DAYS])
        if META_CALLS_PER_DAY in meta:
            self.config.calls_per_day = int(meta[META_CALLS_PER_DAY])
        self.resetting = meta.get(META_RESETTING) == "1"
        self.faults.sync()

    @property
    def seed(self) -> int:
        return self.config.seed

    # -- time -----------------------------------------------------------------------------

    def now(self, company_id: int | None = None) -> datetime:
        """The PBX's now, or company `company_id`'s (the PBX's plus the company's lead)."""
        return self.clocks.now(company_id)

    def _load_lead(self, company_id: int) -> float:
        row = (
            self.store.read()
            .execute("SELECT clock_lead FROM companies WHERE id = ?", (company_id,))
            .fetchone()
        )
        return 0.0 if row is None else float(row[0])

    def _save_clock(self) -> None:
        state = self.clock.state
        with self.store.transaction() as conn:
            for key, value in (
                (META_CLOCK_OFFSET, repr(state.offset)),
                (META_CLOCK_FROZEN_AT, "" if state.frozen_at is None else repr(state.frozen_at)),
            ):
                conn.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )

    def advance_clock(self, seconds: float, company_id: int | None = None) -> None:
        """Move the PBX's clock (every company's), or only company `company_id`'s, forward."""
        if company_id is None:
            self.clock.advance(seconds)
            self._save_clock()
            return
        now = self.clock.timestamp()  # read once: the lead is measured from this instant
        probe = Clock(frozen_at=now + self.clocks.lead(company_id))
        probe.advance(seconds)  # the same checks: finite, forward, not past the last instant
        self._set_lead(company_id, probe.timestamp() - now)

    def set_clock(
        self,
        now: datetime | None = None,
        frozen: bool | None = None,
        company_id: int | None = None,
    ) -> None:
        """Show `now` from here on (never earlier), freeze or unfreeze (the PBX clock only)."""
        target = None if now is None else check_instant(now.timestamp(), "now")
        if company_id is None:
            self.clock.set(target, frozen=frozen)
            self._save_clock()
            return
        if frozen is not None:
            raise InvalidInput(
                "Field 'frozen': a company's clock follows the mock clock's; freeze that "
                "(PUT /mock/clock)"
            )
        if target is not None:
            pbx_now = self.clock.timestamp()
            probe = Clock(frozen_at=pbx_now + self.clocks.lead(company_id))
            probe.set(target)  # refuses to go back
            self._set_lead(company_id, target - pbx_now)

    def _set_lead(self, company_id: int, lead: float) -> None:
        with self.store.transaction() as conn:
            changed = conn.execute(
                "UPDATE companies SET clock_lead = ? WHERE id = ?", (max(lead, 0.0), company_id)
            ).rowcount
            if not changed:
                missing(conn, company_id)
        self.clocks.remember(company_id, max(lead, 0.0))

    # -- companies --------------------------------------------------------------------------

    def _seed_all(self, seed: int) -> None:
        """Seed every configured company, with history before the clock's now (call it inside
        a transaction: the seed is then all or nothing)."""
        self.config.seed = seed
        self.store.set_meta(META_SEED, str(seed))
        self.store.set_meta(META_HISTORY_DAYS, str(self.config.history_days))
        self.store.set_meta(META_CALLS_PER_DAY, str(self.config.calls_per_day))
        self._save_clock()
        at = self.clock.now()
        # The configured companies in their order (each from its file if a file names it),
        # then the other files': a file never changes the ids the API gives another company.
        by_id = {t.company_id: t for t in self.config.tenants if t.company_id is not None}
        for company_id in self.config.companies:
            source = by_id.get(company_id)
            if source is None:
                self._create_company(company_id, at)
            else:
                self._load_source(source)
        for source in self.config.tenants:
            if source.company_id is None or source.company_id not in self.config.companies:
                self._load_source(source)

    def _load_source(self, source: TenantSource) -> LoadedTenant:
        with source.open() as document:
            return self.load_tenant(document, source.company_id)

    def ensure_company(self, company_id: int) -> bool:
        """Create and seed the company if it does not exist yet; True if it was created."""
        if isinstance(company_id, bool) or not 1 <= company_id <= MAX_COMPANY_ID:
            raise InvalidInput(MSG_BAD_COMPANY.format(max=MAX_COMPANY_ID, value=company_id))
        return self._create_company(company_id, self.clock.now())

    def _create_company(self, company_id: int, at: datetime) -> bool:
        with self.store.transaction() as conn:
            if conn.execute("SELECT 1 FROM companies WHERE id = ?", (company_id,)).fetchone():
                return False
            refuse_retired(conn, company_id)
            self._seed_company(conn, company_id, at)
            return True

    def _seed_company(
        self, conn: sqlite3.Connection, company_id: int, at: datetime, profile: int | None = None
    ) -> None:
        seed_company(conn, self.seed, company_id, profile=profile)
        seed_history(
            conn,
            self.seed,
            company_id,
            at,
            days=self.config.history_days,
            calls_per_day=self.config.calls_per_day,
        )
        self.clocks.remember(company_id, 0.0)

    def _create_tenant(self, conn: sqlite3.Connection, company_id: int) -> None:
        """A company for a test (`create_company` without an id), drawn from TENANT_PROFILE
        with its history up to the whole minute of the clock: a copy of the template of that
        minute, its history written when first read (storage/templates.py), or, the first
        time, seeded afresh and kept as the template."""
        until_ms = math.floor(self.clock.timestamp() / 60) * 60_000
        days, calls_per_day = self.config.history_days, self.config.calls_per_day
        key = template_key(
            self.seed, TENANT_PROFILE, days, calls_per_day, until_ms, _seeding_code()
        )
        self.clocks.remember(company_id, 0.0)
        if self.template.copy(
            conn, key, company_id, DueHistory(key, until_ms, days, calls_per_day)
        ):
            return
        self._seed_company(conn, company_id, _utc_ms(until_ms), TENANT_PROFILE)
        self.template.capture(conn, key, company_id, TENANT_PROFILE)

    def is_due(self, conn: sqlite3.Connection, company_id: int) -> bool:
        """Whether the company's history is still to be written (LiveCalls asks before it
        settles the company's calls, i.e. before every read or write of its journal)."""
        return self.template.is_due(conn, company_id)

    def write_due(self, conn: sqlite3.Connection, company_id: int) -> None:
        """Write the company's history if it is due: from the template, or, if the template
        was replaced since, seeded afresh from the inputs of its creation."""
        due = self.template.take_due(conn, company_id)
        if due is not None:
            seed_history(
                conn,
                self.seed,
                company_id,
                _utc_ms(due.until_ms),
                days=due.days,
                calls_per_day=due.calls_per_day,
            )

    def _lowest_unused_id(self, conn: sqlite3.Connection) -> int:
        """The lowest id from FIRST_CREATED_COMPANY_ID that the state never held (call it in
        the transaction that creates the company).

        Every id below the one handed out last is held (an id is never freed but by a reset,
        which forgets that mark too), so the search starts there: at that id, or at the first
        held id after it whose successor is free, walking the held ids in order."""
        mark = self.store.get_meta(META_LOWEST_FREE_ID)
        start = FIRST_CREATED_COMPANY_ID if mark is None else int(mark)
        row = conn.execute(
            "SELECT ? WHERE NOT EXISTS (SELECT 1 FROM company_ids WHERE id = ?) UNION ALL "
            "SELECT * FROM (SELECT held.id + 1 FROM company_ids AS held "
            "WHERE held.id >= ? AND held.id < ? "
            "AND NOT EXISTS (SELECT 1 FROM company_ids WHERE id = held.id + 1) "
            "ORDER BY held.id LIMIT 1) LIMIT 1",
            (start, start, start, MAX_COMPANY_ID),
        ).fetchone()
        if row is None:
            raise Conflict(
                MSG_NO_IDS_LEFT.format(first=FIRST_CREATED_COMPANY_ID, max=MAX_COMPANY_ID)
            )
        self.store.set_meta(META_LOWEST_FREE_ID, str(row[0]))
        return int(row[0])

    def create_company(self, company_id: int | None = None) -> int:
        """A new company with its own seeded data and clock (lead 0): `company_id`, or the
        lowest id from FIRST_CREATED_COMPANY_ID that the state never held. Conflict if
        `company_id` exists or was deleted (an id is used once in the life of a state)."""
        with self.store.transaction() as conn:
            if company_id is None:
                company_id = self._lowest_unused_id(conn)
                self._create_tenant(conn, company_id)
                return company_id
            if not self.ensure_company(company_id):
                raise Conflict(MSG_COMPANY_EXISTS.format(company_id=company_id))
            return company_id

    def load_tenant(
        self, document: TenantDocument, company_id: int | None = None, *, replace: bool = False
    ) -> LoadedTenant:
        """Load a tenant file as company `company_id` (None: the file's `company.id`, else
        the lowest id from FIRST_CREATED_COMPANY_ID the state never held), one transaction:
        DocumentRefused with every problem of the file, and nothing changed, if it is
        refused. `replace`: the company exists and its data is replaced by the file's (its
        tokens, users and clock stay); else the company is new (Conflict if it exists or
        existed)."""
        with self.store.transaction() as conn:

            def choose(from_file: int | None) -> int:
                # A body that holds the file beside a `companyId` (its envelope) names the
                # company, read by now.
                requested = company_id
                if requested is None and document.envelope:
                    requested = requested_company(document.envelope)
                chosen = requested if requested is not None else from_file
                if replace:
                    assert chosen is not None
                    self.require_company(chosen)
                    # A file's company is never a template's copy: its data is the file's
                    # and its generator's own (storage/seed.py), no history of the
                    # template's due.
                    self.template.forget(conn, chosen)
                    return chosen
                if chosen is None:
                    return self._lowest_unused_id(conn)
                if isinstance(chosen, bool) or not 1 <= chosen <= MAX_COMPANY_ID:
                    raise InvalidInput(MSG_BAD_COMPANY.format(max=MAX_COMPANY_ID, value=chosen))
                if conn.execute("SELECT 1 FROM companies WHERE id = ?", (chosen,)).fetchone():
                    raise Conflict(
                        MSG_FILE_COMPANY_EXISTS.format(company_id=chosen)
                        if requested is None
                        else MSG_COMPANY_EXISTS.format(company_id=chosen)
                    )
                refuse_retired(conn, chosen)
                return chosen

            now_company = company_id if replace else None
            loaded = self.tenants.load(
                conn,
                document,
                choose_id=choose,
                now=self.now(now_company),
                history=(self.config.history_days, self.config.calls_per_day),
                replace=replace,
            )
            if not replace:
                self.clocks.remember(loaded.company_id, 0.0)
            return loaded

    def export_tenant(self, company_id: int) -> Iterator[bytes]:
        """The company as a tenant file (JSON), in chunks, read in one transaction after its
        calls that ended by its clock are settled."""
        self.require_company(company_id)
        now = self.now(company_id)
        self.calls.settle(company_id, now)
        with self.store.transaction() as conn:
            chunks = list(
                export_tenant(
                    conn,
                    company_id,
                    now,
                    employees=self.employees,
                    managers=self.managers,
                    blacklist=self.blacklist,
                )
            )
        return iter(chunks)

    def delete_company(self, company_id: int) -> None:
        """Remove a company and everything that names it: its data, tokens, live calls and
        queued outcomes (in the store), and, in this process, its fault rules, requests,
        advisories and polls. Its id stays retired (`company_ids`), so what another process
        still keeps about it can never be taken for a new company's."""
        with self.store.transaction() as conn:
            if not conn.execute("DELETE FROM companies WHERE id = ?", (company_id,)).rowcount:
                missing(conn, company_id)
        self.clocks.forget()
        self.faults.forget_company(company_id)
        self.requests.forget_company(company_id)
        self.advisories.forget_company(company_id)

    def require_company(self, company_id: int) -> None:
        """NotFound, saying why, unless the PBX holds company `company_id`."""
        require_company(self.store.read(), company_id)

    def require_named_company(self, fields: object) -> None:
        """NotFound unless the company a control body or filter names (`companyId`), if any,
        exists: a fault rule, a count or an assertion about a company that does not exist
        would never fire or always pass. A `companyId` that is not an id at all is left to
        the check of its field (400)."""
        company_id = fields.get("companyId") if isinstance(fields, Mapping) else None
        if (
            isinstance(company_id, int)
            and not isinstance(company_id, bool)  # JSON's true is no id
            and 1 <= company_id <= MAX_COMPANY_ID
        ):
            self.require_company(company_id)

    def company_ids(self) -> list[int]:
        rows = self.store.read().execute("SELECT id FROM companies ORDER BY id").fetchall()
        return [int(r[0]) for r in rows]

    def default_principal(self, company_id: int = DEFAULT_COMPANY_ID) -> Principal:
        """The user a pair is issued for when none is named: a tenant file's first user,
        else `companyId * 100 + 1` (`admin<companyId>`), for 391 the guide's sample token's."""
        row = (
            self.store.read()
            .execute("SELECT admin_user_id, admin_login FROM companies WHERE id = ?", (company_id,))
            .fetchone()
        )
        if row is not None and row[0] is not None:
            return Principal(company_id, int(row[0]), str(row[1]))
        if company_id == DEFAULT_COMPANY_ID:
            return Principal(company_id, *DEFAULT_USER)
        return Principal(company_id, company_id * 100 + 1, f"admin{company_id}")

    def issue_tokens(
        self, company_id: int | None = None, user_id: int | None = None, login: str | None = None
    ) -> tuple[Principal, TokenPair]:
        """Generate a pair ("Сгенерировать токен"), creating the company if it is new.

        Checked before anything is created: a refused request leaves no company behind.
        """
        company_id = DEFAULT_COMPANY_ID if company_id is None else company_id
        if isinstance(company_id, bool) or not 1 <= company_id <= MAX_COMPANY_ID:
            raise InvalidInput(MSG_BAD_COMPANY.format(max=MAX_COMPANY_ID, value=company_id))
        if user_id is not None and (isinstance(user_id, bool) or not 1 <= user_id <= MAX_USER_ID):
            raise InvalidInput(MSG_BAD_USER.format(max=MAX_USER_ID, value=user_id))
        default = self.default_principal(company_id)
        principal = Principal(
            company_id,
            default.user_id if user_id is None else user_id,
            login or (default.login if user_id is None else str(user_id)),
        )
        with self.store.transaction():
            self.ensure_company(company_id)
            return principal, self.tokens.issue(principal)

    # -- reset ------------------------------------------------------------------------------

    def check_available(self) -> None:
        """Unavailable (503) while a reset runs."""
        if self.resetting:
            raise Unavailable(MSG_RESETTING, RESET_RETRY_AFTER_SECONDS)

    def reset(
        self,
        seed: int | None = None,
        history_days: int | None = None,
        calls_per_day: int | None = None,
        now: datetime | None = None,
        frozen: bool | None = None,
    ) -> None:
        """Back to a freshly seeded PBX; every token issued before is dead.

        The clock starts again as configured at start-up (`PbxConfig.now`/`frozen`), unless
        `now`/`frozen` say otherwise: a reset is the one way to go back in time.

        Atomic as seen from outside: the wipe and the new seed are one transaction, so readers
        see the old state until the new one is whole; meanwhile every request but the health
        check answers 503 (`check_available`), in every process of a shared state file.
        """
        days = self.config.history_days if history_days is None else history_days
        check_history_size(
            days, self.config.calls_per_day if calls_per_day is None else calls_per_day
        )
        start = self.config.now if now is None else now
        if start is not None:
            check_seed_instant(start.timestamp(), days)
        if not self._reset_lock.acquire(blocking=False):
            raise Unavailable(MSG_RESETTING, RESET_RETRY_AFTER_SECONDS)
        previous = (self.config.seed, self.config.history_days, self.config.calls_per_day)
        previous_clock = self.clock.state
        try:
            self.resetting = True
            self.store.set_meta(META_RESETTING, "1")
            if history_days is not None:
                self.config.history_days = history_days
            if calls_per_day is not None:
                self.config.calls_per_day = calls_per_day
            keep_frozen = self.config.frozen if frozen is None else frozen
            self.clock.restore(Clock.starting_at(start, frozen=keep_frozen).state)
            secret = secrets.token_hex(64)
            with self.store.transaction():
                self.store.wipe()
                self.store.set_meta(SECRET_META_KEY, secret)
                self._seed_all(self.config.seed if seed is None else seed)
                self.store.set_meta(META_RESETTING, "0")
            self.clocks.forget()
            self.tokens.adopt_secret(secret)
            self.requests.clear()
            self.advisories.clear()
            self.faults.load(list(self.config.faults))
        except BaseException:
            self.config.seed, self.config.history_days, self.config.calls_per_day = previous
            self.clock.restore(previous_clock)
            self.clocks.forget()
            self.store.set_meta(META_RESETTING, "0")
            raise
        finally:
            self.resetting = False
            self._reset_lock.release()

    def close(self) -> None:
        self.store.close()


def _utc_ms(epoch_ms: int) -> datetime:
    return datetime.fromtimestamp(epoch_ms / 1000, UTC)


# The modules whose code decides what a seeded company holds.
_SEEDING_MODULES = (
    "mock_server.domain.storage.seed",
    "mock_server.domain.storage.bulk_journal",
    "mock_server.domain.storage.journal_tables",
    "mock_server.domain.storage.rollups",
    "mock_server.domain.storage.templates",
    "mock_server.domain.rules.history",
    "mock_server.domain.rules.calls",
    "mock_server.domain.rules.hangups",
)


@cache
def _seeding_code() -> str:
    """A digest of the code that seeds a company (a template made by other code is never
    copied)."""
    code = hashlib.sha256()
    for name in _SEEDING_MODULES:
        code.update(Path(str(importlib.import_module(name).__file__)).read_bytes())
    return code.hexdigest()[:16]
