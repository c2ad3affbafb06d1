"""pytest plugin: the Tele2 ATS mock as fixtures (loaded by the `pytest11` entry point).

It starts nothing unless a test uses a fixture:

- `tele2_ats_mock` (session): a running mock, started on a free loopback port (one per
  pytest-xdist worker) or the one named by `--tele2-ats-url`; `.api_url`, `.control_url`,
  `.control` (a typed ControlClient).
- `tele2_ats` (function): a company of this test's own on that mock, with its own copy of
  the seeded data (every test's the same, whichever id it drew: POST /mock/companies),
  token pair and clock: `.company_id`, `.access_token`, `.refresh_token`,
  `.advance(seconds)` (this company's clock only), `.now()`, `.client()` (a
  `tele2_ats_client.RefreshingClient` bound to it, when that package is installed),
  and shortcuts scoped to the company, never naming its id: `.requests(...)`,
  `.assert_called(...)`, `.assert_not_called(...)`, `.assert_no_advisories()` (over this
  company's requests only; patterns match what was sent too, see
  mock_server/testing/matchers.py), `.faults.add(...)`, `.faults.clear()`,
  `.outage(minutes)`, `.expire_tokens()`, `.next_calls(outcome=..., count=...)` (how its
  next calls end), `.settle()` (end its live calls now), `.load(file)` (its data from a
  tenant file) and `.export()`. `@pytest.mark.tele2_ats(tenant="tenant.yaml")` makes the
  company that tenant file's (docs/tenants.md). The company is removed after
  the test, with everything that names it (its fault rules, requests, advisories), and its
  id is never handed out again in the mock's life: the next test's company, tokens and
  journal are never this one's, even on a frozen clock.

Options (command line, or the same names in the ini file with `_` for `-`; the URL also from
`TELE2_ATS_URL`): `--tele2-ats-url`, `--tele2-ats-seed`, `--tele2-ats-now`,
`--tele2-ats-frozen` / `--tele2-ats-running`, `--tele2-ats-args` (more `tele2-ats-mock`
options, e.g. "--history-days 3"). Where they come from, what is refused and what a URL makes
void: mock_server/testing/options.py. The header of the run names the mock in use.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from mock_server.testing.control import (
    ControlClient,
    ControlError,
    FaultRule,
    Fixture,
    QueuedOutcome,
    RecordedRequest,
)
from mock_server.testing.options import MockOptions, add_options
from mock_server.testing.process import MockServer

if TYPE_CHECKING:  # the client package is optional
    from tele2_ats_client import RefreshingClient

__all__ = ["Tenant", "TenantFaults"]

_OPTIONS = pytest.StashKey[MockOptions]()


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    """Read the options once, at start: a value that means nothing stops the run before any
    test (a usage error), and start options a URL makes void are said aloud."""
    config.addinivalue_line(
        "markers",
        "tele2_ats(tenant=FILE): the tele2_ats fixture's company is this tenant file's "
        "(a path relative to the test's file, or the file's data as a dict)",
    )
    options = MockOptions.read(config)
    config.stash[_OPTIONS] = options
    if options.ignored and not hasattr(config, "workerinput"):  # said once, by the controller
        config.issue_config_time_warning(
            pytest.PytestConfigWarning(options.ignored_message()), stacklevel=2
        )


def pytest_report_header(config: pytest.Config) -> list[str]:
    return config.stash[_OPTIONS].header()


@pytest.fixture(scope="session")
def tele2_ats_mock(pytestconfig: pytest.Config) -> Iterator[MockServer]:
    """A running Tele2 ATS mock for the session (one per xdist worker)."""
    options = pytestconfig.stash[_OPTIONS]
    if options.url is not None:
        server = MockServer.connect(options.url)
        server.control.health()  # fail early, with the reason, if nothing answers there
        yield server
        server.stop()
        return
    server = MockServer.start(
        seed=options.seed, now=options.now, frozen=options.frozen, args=list(options.args)
    )
    try:
        yield server
    finally:
        server.stop()


@dataclass(frozen=True)
class TenantFaults:
    """Fault rules of one company (ControlClient.add_fault with its `company_id`)."""

    control: ControlClient
    company_id: int

    def add(self, **rule: Any) -> FaultRule:
        """A rule for this company's requests, e.g. `add(operation_id="getEmployees",
        status=503, times=2)`."""
        return self.control.add_fault(**rule, company_id=self.company_id)

    def list(self) -> list[FaultRule]:
        """The rules that name this company."""
        return [
            rule
            for rule in self.control.faults()
            if rule.fields.get("companyId") == self.company_id
        ]

    def clear(self) -> None:
        """Remove this company's rules (another test's are left alone)."""
        for rule in self.list():
            self.control.delete_fault(rule.id)


@dataclass
class Tenant:
    """A company of one test's own on the mock: data, tokens and clock nobody else touches."""

    mock: MockServer
    company_id: int
    access_token: str
    refresh_token: str
    user_id: int

    @property
    def api_url(self) -> str:
        return self.mock.api_url

    @property
    def control(self) -> ControlClient:
        return self.mock.control

    @property
    def headers(self) -> dict[str, str]:
        """`Authorization` with this company's access token, raw as the API wants it."""
        return {"Authorization": self.access_token}

    def now(self) -> datetime:
        """This company's now."""
        return self.control.clock(self.company_id).now

    def advance(self, seconds: float) -> datetime:
        """Move this company's clock forward (its tokens expire, its calls end); others keep
        their time. Returns the company's new now."""
        return self.control.advance(seconds, company_id=self.company_id).now

    def set_now(self, instant: datetime) -> datetime:
        """Move this company's clock to `instant` (never back)."""
        return self.control.set_clock(instant, company_id=self.company_id).now

    def new_tokens(self) -> tuple[str, str]:
        """A new pair for the company's user (superseding the earlier one, as the cabinet)."""
        pair = self.control.issue_tokens(self.company_id, self.user_id)
        self.access_token, self.refresh_token = pair.access_token, pair.refresh_token
        return pair.access_token, pair.refresh_token

    @property
    def faults(self) -> TenantFaults:
        """This company's fault rules: `.add(...)`, `.list()`, `.clear()`."""
        return TenantFaults(self.control, self.company_id)

    def outage(
        self, minutes: float, *, status: int | None = None, retry_after: int | None = None
    ) -> FaultRule:
        """Every operation of this company answers `status` (503) for `minutes` of its clock."""
        return self.control.outage(
            minutes, status=status, retry_after=retry_after, company_id=self.company_id
        )

    def expire_tokens(self, *, refresh: bool = False) -> FaultRule:
        """Every token of this company issued so far expires (`refresh`: refresh tokens too)."""
        return self.control.expire_tokens(self.company_id, refresh=refresh)

    def next_calls(
        self, outcome: str = "answered", *, count: int = 1, **fields: Any
    ) -> list[QueuedOutcome]:
        """How this company's next `count` calls end (`outcome`, and `duration_seconds`,
        `ring_seconds`, `recording`, `transcript`, ... as ControlClient.queue_call_outcome)."""
        return [
            self.control.queue_call_outcome(outcome, company_id=self.company_id, **fields)
            for _ in range(count)
        ]

    def settle(self) -> int:
        """End this company's live calls now; how many."""
        return self.control.settle_calls(self.company_id)

    def requests(self, *, limit: int = 100, **pattern: Any) -> list[RecordedRequest]:
        """This company's requests matching `pattern`, newest first."""
        return self.control.requests(limit=limit, company_id=self.company_id, **pattern)

    def assert_called(self, **pattern: Any) -> list[RecordedRequest]:
        """ControlClient.assert_called over this company's requests."""
        return self.control.assert_called(company_id=self.company_id, **pattern)

    def assert_not_called(self, **pattern: Any) -> None:
        """ControlClient.assert_not_called over this company's requests."""
        self.control.assert_not_called(company_id=self.company_id, **pattern)

    def assert_no_advisories(self, **pattern: Any) -> None:
        """No request of this company's earned an advisory (another test's requests, on the
        same mock at the same time, are not this test's concern)."""
        self.control.assert_no_advisories(company_id=self.company_id, **pattern)

    def load(self, fixture: Fixture) -> dict[str, Any]:
        """Replace this company's data with a tenant file's (a path, its text, or its data as a
        dict; docs/tenants.md): its employees, journal, recordings and scenario become the
        file's, played from the company's now; its pair and clock stay. What it holds now."""
        return self.control.load_tenant(self.company_id, fixture)

    def export(self) -> dict[str, Any]:
        """This company as a tenant file's data (write it as JSON to keep it)."""
        return self.control.export_tenant(self.company_id)

    def simulate_incoming_call(self, from_number: str, **kwargs: Any) -> dict[str, Any]:
        """A call from `from_number` to this company (see ControlClient)."""
        return self.control.simulate_incoming_call(
            from_number, company_id=self.company_id, **kwargs
        )

    def client(self, **kwargs: Any) -> RefreshingClient:
        """A `tele2_ats_client.RefreshingClient` bound to this company (pip install the
        tele2-ats-client package); keyword arguments go to its constructor."""
        try:
            from tele2_ats_client import RefreshingClient
        except ImportError as exc:  # pragma: no cover - depends on what the user installed
            raise RuntimeError(
                "Tenant.client() needs the generated client: pip install tele2-ats-client "
                "(generated_client/ of the twin's repository)"
            ) from exc
        return RefreshingClient(
            base_url=self.api_url,
            access_token=self.access_token,
            refresh_token=self.refresh_token,
            **kwargs,
        )


@pytest.fixture
def tele2_ats(tele2_ats_mock: MockServer, request: pytest.FixtureRequest) -> Iterator[Tenant]:
    """A fresh company for this test, with its own pair and clock; removed afterwards. With
    `@pytest.mark.tele2_ats(tenant="tenant.yaml")`, the company of that tenant file (a path
    relative to the test's file)."""
    marker = request.node.get_closest_marker("tele2_ats")
    fixture = None if marker is None else marker.kwargs.get("tenant")
    if isinstance(fixture, str | PathLike) and not isinstance(fixture, Mapping):
        path = Path(fixture)
        if not path.is_absolute():
            path = Path(request.node.path).parent / path
        fixture = path
    company = tele2_ats_mock.control.create_company(fixture=fixture)
    tenant = Tenant(
        tele2_ats_mock,
        company.company_id,
        company.access_token,
        company.refresh_token,
        company.user_id,
    )
    yield tenant
    try:
        tele2_ats_mock.control.delete_company(company.company_id)
    except ControlError as exc:  # a test may have reset the mock: nothing left to remove
        if exc.status != 404:
            raise
