"""Wiring of one contract target (the in-process app or a mock process) for the tests."""

from __future__ import annotations

from collections import Counter
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Final

import schemathesis

from contract_tests.auth import AuthBinding, install_token_auth
from contract_tests.checks import ContractEnvironment, bind_environment
from contract_tests.mockctl import MockControl
from contract_tests.schema import WIRE_CONFIG, install_wire_filter, load_schema
from contract_tests.settings import Profile
from mock_server.real.tokens import TokenManager

__all__ = [
    "OTHER_COMPANY",
    "PROBE_USER",
    "REFRESH_USER",
    "StatusTally",
    "Target",
    "mock_environment",
    "tally",
]

# Company 392 is seeded beside the default 391; the tests use 391 and check 392 never leaks.
OTHER_COMPANY: Final = 392
# Users of company 391 besides the guide's 5976: one whose pair the fuzzed refresh rotates, one
# whose pairs are generated twice to get a superseded token.
REFRESH_USER: Final = 7001
PROBE_USER: Final = 7002
SUPERSEDED: Final = "The token has already been updated"


def mock_environment(control: MockControl, company_id: int | None = None) -> ContractEnvironment:
    """Checks may use another company's token and mint superseded tokens of this company."""
    other: list[TokenManager] = []

    def other_manager() -> TokenManager:
        if not other:
            other.append(control.token_manager(company_id=OTHER_COMPANY))
        return other[0]

    def refused_token(kind: str) -> tuple[str, str]:
        # Two logins: pairs differ even within one second of a frozen clock.
        first = control.issue(company_id, PROBE_USER, login="probe-first").pair
        control.issue(company_id, PROBE_USER, login="probe-second")  # supersedes `first`
        return (first.refresh_token if kind == "refresh" else first.access_token), SUPERSEDED

    return ContractEnvironment(
        other_company_token=lambda: other_manager().access_token,
        renew_other_company_token=lambda token: other_manager().recover(token).access_token,
        refused_token=refused_token,
        probe_writes=True,
        max_journal_pages=20,
    )


@dataclass
class Target:
    """A schema bound to one mock: its tokens, its checks' environment."""

    schema: schemathesis.BaseSchema
    binding: AuthBinding = field(default_factory=AuthBinding)
    control: MockControl | None = None

    @classmethod
    def create(cls, profile: Profile, *, examples: int, app: object = None) -> Target:
        # Without an app the requests go over a socket (see WIRE_CONFIG).
        extra = WIRE_CONFIG if app is None else None
        schema = load_schema(examples=examples, seed=profile.seed, app=app, extra=extra)
        if app is None:
            install_wire_filter(schema)
        target = cls(schema)
        install_token_auth(schema, target.binding)
        return target

    def bind(self, control: MockControl, company_id: int | None = None) -> None:
        """Tokens from the mock's control API; called once the mock is up."""
        self.control = control
        self.binding.bind(
            control.token_manager(company_id=company_id),
            control.token_manager(company_id=company_id, user_id=REFRESH_USER),
        )
        bind_environment(self.schema, mock_environment(control, company_id))


# Operations whose 2xx stateless generation cannot reach on its own: the spec's examples name
# no existing object (PUT /managers `id` 0, a recording of 2022). The stateful tests and the
# targeted tests reach them.
NO_2XX_EXPECTED: Final = frozenset(
    {"PUT /managers", "GET /call-records/file", "GET /call-records/file/stt"}
)


CURRENT_TALLY: ContextVar[StatusTally | None] = ContextVar("CURRENT_TALLY", default=None)


def tally(case: schemathesis.Case[Any], response: schemathesis.Response) -> None:
    """Count the answer for the running test's tally."""
    counts = CURRENT_TALLY.get()
    if counts is not None:
        counts.record(case, response)


@dataclass
class StatusTally:
    """Statuses one operation's test saw: guards against a run that passes without testing."""

    label: str | None = None
    statuses: Counter[int] = field(default_factory=Counter)

    def record(self, case: schemathesis.Case[Any], response: schemathesis.Response) -> None:
        self.label = case.operation.label
        self.statuses[response.status_code] += 1

    def problems(self) -> list[str]:
        if self.label is None:
            return []  # nothing ran (e.g. the test failed first)
        seen = dict(sorted(self.statuses.items()))
        if all(status == 403 for status in self.statuses):
            return [f"{self.label}: every request was refused (403): {seen}"]
        if self.label not in NO_2XX_EXPECTED and not any(200 <= s < 300 for s in self.statuses):
            return [f"{self.label}: no request succeeded, so nothing was checked: {seen}"]
        return []
