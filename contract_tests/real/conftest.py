"""The real run's session: its id for every process, its drift report at the end."""

from __future__ import annotations

import pytest

from contract_tests.real import current
from contract_tests.real.drift import DriftReport
from contract_tests.real.session import run_id
from contract_tests.settings import ROOT
from mock_server.real.config import RealConfig

_FRAGMENTS = ".drift-fragments"


def pytest_configure(config: pytest.Config) -> None:
    # Before xdist starts its workers, which inherit the id: one budget for the whole run.
    run_id()


def _worker(config: pytest.Config) -> str | None:
    workerinput = getattr(config, "workerinput", None)
    return str(workerinput["workerid"]) if isinstance(workerinput, dict) else None


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    real = current.started()
    reports = RealConfig.from_env(root=ROOT).reports
    fragments = reports / _FRAGMENTS
    worker = _worker(session.config)
    if worker is not None:
        if real is not None:
            real.report.dump(fragments / f"{worker}.json")
        return
    config = RealConfig.from_env(root=ROOT)
    if real is None and config.missing_credentials() is None:
        real = current.session()  # the workers ran the tests; the ledger has their count
    report = real.report if real is not None else DriftReport(config.base_url)
    for fragment in sorted(fragments.glob("*.json")) if fragments.exists() else []:
        report.merge(fragment)
        fragment.unlink()
    summary = real.summary() if real is not None else {}
    reason = config.missing_credentials()
    if reason is not None:
        summary = {"not run": reason}
    report.write(reports / "drift-report.md", summary)
    if fragments.exists() and not any(fragments.iterdir()):
        fragments.rmdir()
