"""Fixtures of the tests against the mock: a mock process, a loopback-only network, tallies."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from contract_tests.mock import harness
from contract_tests.mock.harness import StatusTally
from contract_tests.mockctl import is_loopback_url
from contract_tests.settings import Profile, profile
from tests.mock_process import MockProcess, running_mock

_original_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: Any) -> Any:
    """Every connection of these tests goes to loopback (or a Unix socket), nowhere else."""
    if self.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0]
        if not is_loopback_url(f"http://{host if ':' not in host else f'[{host}]'}/"):
            raise ConnectionRefusedError(
                f"contract tests against the mock reach loopback only, not {host}"
            )
    return _original_connect(self, address)


@pytest.fixture(scope="session", autouse=True)
def loopback_only() -> Iterator[None]:
    socket.socket.connect = _loopback_only  # type: ignore[method-assign, assignment]
    try:
        yield
    finally:
        socket.socket.connect = _original_connect  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def contract_profile() -> Profile:
    return profile()


@pytest.fixture(scope="session")
def mock_process(contract_profile: Profile) -> Iterator[MockProcess]:
    """`tele2-ats-mock --port 0` on loopback, one per xdist worker."""
    with running_mock(
        "--seed",
        "1",
        "--history-days",
        str(contract_profile.history_days),
        "--calls-per-day",
        str(contract_profile.calls_per_day),
    ) as process:
        yield process


@pytest.fixture(autouse=True)
def _status_tally(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fails a test whose requests were all refused, or none succeeded (see `StatusTally`).

    Autouse, and the tests record through `tally()`: Hypothesis rightly warns about
    function-scoped fixtures passed to its tests, which outlive one example; this one is meant
    to see every example of the test.
    """
    counts = StatusTally()
    harness.CURRENT_TALLY.set(counts)
    yield
    harness.CURRENT_TALLY.set(None)
    if counts.statuses:
        # In the JUnit XML: which operation, how many answers its test checked, by status.
        request.node.user_properties.append(("operation", counts.label))
        request.node.user_properties.append(("responses", sum(counts.statuses.values())))
        statuses = ", ".join(f"{s}: {n}" for s, n in sorted(counts.statuses.items()))
        request.node.user_properties.append(("statuses", statuses))
    problems = counts.problems()
    if problems:
        pytest.fail("; ".join(problems), pytrace=False)
