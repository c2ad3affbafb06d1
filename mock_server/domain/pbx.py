"""The composition root of the domain: one PBX serving several companies (tenants)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from mock_server.domain.blacklist import Blacklist
from mock_server.domain.calls import LiveCalls
from mock_server.domain.clock import Clock
from mock_server.domain.employees import EmployeeDirectory
from mock_server.domain.journal import CallJournal, seed_history
from mock_server.domain.managers import ManagerService
from mock_server.domain.seed import seed_company
from mock_server.domain.statistics import CallStatistics
from mock_server.domain.store import Store
from mock_server.domain.tokens import Principal, TokenPair, TokenService

__all__ = ["DEFAULT_COMPANY_ID", "DEFAULT_USER", "Pbx", "PbxConfig"]

log = logging.getLogger(__name__)

# The company, user and login of the guide's sample token, so the guide's examples read true.
DEFAULT_COMPANY_ID = 391
DEFAULT_USER = (5976, "pg_test")
SECOND_COMPANY_ID = 392
META_SEED = "seed"
META_CLOCK_OFFSET = "clock_offset"


@dataclass(slots=True)
class PbxConfig:
    """What a fresh PBX holds. `seed` makes every start with the same value identical."""

    seed: int = 1
    companies: tuple[int, ...] = (DEFAULT_COMPANY_ID, SECOND_COMPANY_ID)
    history_days: int = 30
    calls_per_day: int = 40
    state_file: Path | None = field(default=None)


class Pbx:
    """Holds the store, the clock and the services; creates companies on demand."""

    def __init__(self, config: PbxConfig | None = None) -> None:
        self.config = config or PbxConfig()
        self.store = Store(self.config.state_file)
        stored_offset = self.store.get_meta(META_CLOCK_OFFSET)
        self.clock = Clock(float(stored_offset) if stored_offset else 0.0)
        self.tokens = TokenService(self.store, self.clock)
        self.employees = EmployeeDirectory(self.store)
        self.managers = ManagerService(self.store)
        self.blacklist = Blacklist(self.store)
        self.calls = LiveCalls(self.store, seed=lambda: self.seed)
        # Every read of the journal first settles the calls that have ended by the mock clock.
        settle = self.calls.settler(self.clock)
        self.journal = CallJournal(self.store, settle=settle)
        self.statistics = CallStatistics(self.store, settle=settle)
        stored_seed = self.store.get_meta(META_SEED)
        if stored_seed is None:
            self._seed_all(self.config.seed)
        else:
            if int(stored_seed) != self.config.seed:
                log.warning(
                    "state file %s was seeded with %s; keeping it (reset to reseed)",
                    self.config.state_file,
                    stored_seed,
                )
            self.config.seed = int(stored_seed)

    @property
    def seed(self) -> int:
        return self.config.seed

    def _seed_all(self, seed: int) -> None:
        self.config.seed = seed
        self.store.set_meta(META_SEED, str(seed))
        for company_id in self.config.companies:
            self.ensure_company(company_id)

    def ensure_company(self, company_id: int) -> bool:
        """Create and seed the company if it does not exist yet; True if it was created."""
        with self.store.transaction() as conn:
            if conn.execute("SELECT 1 FROM companies WHERE id = ?", (company_id,)).fetchone():
                return False
            seed_company(conn, self.seed, company_id)
            seed_history(
                conn,
                self.seed,
                company_id,
                self.clock.now(),
                days=self.config.history_days,
                calls_per_day=self.config.calls_per_day,
            )
            return True

    def company_ids(self) -> list[int]:
        rows = self.store.read().execute("SELECT id FROM companies ORDER BY id").fetchall()
        return [int(r[0]) for r in rows]

    def default_principal(self, company_id: int = DEFAULT_COMPANY_ID) -> Principal:
        if company_id == DEFAULT_COMPANY_ID:
            return Principal(company_id, *DEFAULT_USER)
        return Principal(company_id, company_id * 100 + 1, f"admin{company_id}")

    def issue_tokens(
        self, company_id: int | None = None, user_id: int | None = None, login: str | None = None
    ) -> TokenPair:
        """Generate a pair ("Сгенерировать токен"), creating the company if it is new."""
        company_id = DEFAULT_COMPANY_ID if company_id is None else company_id
        self.ensure_company(company_id)
        default = self.default_principal(company_id)
        principal = Principal(
            company_id,
            default.user_id if user_id is None else user_id,
            login or (default.login if user_id is None else str(user_id)),
        )
        return self.tokens.issue(principal)

    def advance_clock(self, seconds: float) -> None:
        self.clock.advance(seconds)
        self.store.set_meta(META_CLOCK_OFFSET, repr(self.clock.offset))

    def reset(
        self,
        seed: int | None = None,
        history_days: int | None = None,
        calls_per_day: int | None = None,
    ) -> None:
        """Back to a freshly seeded PBX; every token issued before is dead."""
        if history_days is not None:
            self.config.history_days = history_days
        if calls_per_day is not None:
            self.config.calls_per_day = calls_per_day
        self.store.wipe()
        self.clock.offset = 0.0
        self.tokens.rotate_secret()
        self._seed_all(self.config.seed if seed is None else seed)

    def close(self) -> None:
        self.store.close()
