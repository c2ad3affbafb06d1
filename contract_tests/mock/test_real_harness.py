"""The real-service harness, proven on every run against a mock process on loopback.

`pytest contract_tests/real` runs in a subprocess exactly as `make contract-real` runs it,
configured only by the environment: `TELE2_ATS_BASE_URL` is a separately started mock (or a
tampering proxy in front of it), the tokens come from the mock's control API. This shows that
a read-only run passes and reports no drift; that a run whose token expired refreshes it once,
saves the rotated pair (0600) before using it, and that the next run reads it back instead of
the dead one; that the request budget ends a run cleanly; that drift is reported with a minimal
example, the spec line and no token; and that the guard refuses a destructive operation, on a
live mock, unless opted in.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from contract_tests.mockctl import MockControl
from contract_tests.real.session import RealSession
from contract_tests.settings import API_BASE_PATH, REFRESH_PATH, ROOT
from mock_server.real.config import RealConfig
from mock_server.real.guard import RequestRefused
from mock_server.real.tokens import TokenFile, TokenPair
from tests.mock_process import MockProcess, running_mock

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def harness_mock() -> Iterator[MockProcess]:
    """A mock of this module's own: its clock is moved on.

    On the wall clock, not pinned: the real-service harness judges a token's expiry by the
    real time, as it must against production, so the mock it stands in for must agree."""
    with running_mock(
        "--seed", "7", "--history-days", "3", "--calls-per-day", "20", wall_clock=True
    ) as process:
        yield process


@dataclass
class Run:
    returncode: int
    output: str
    reports: Path

    @property
    def drift(self) -> str:
        return (self.reports / "drift-report.md").read_text(encoding="utf-8")

    def junit(self) -> dict[str, int]:
        suite = ET.parse(self.reports / "contract-real.xml").getroot().find("testsuite")
        assert suite is not None
        return {key: int(suite.get(key, "0")) for key in ("tests", "failures", "errors", "skipped")}


def run_real(tmp_path: Path, base_url: str, pair: TokenPair | None, *args: str, **env: str) -> Run:
    """`pytest contract_tests/real` in a subprocess, configured by the environment only
    (without a pair, no token at all)."""
    reports = tmp_path / "reports"
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELE2_ATS_", "PYTEST_", "CONTRACT_", "HYPOTHESIS"))
    }
    clean.update(
        {
            "TELE2_ATS_BASE_URL": base_url,
            "TELE2_ATS_TOKEN_FILE": str(tmp_path / "tokens.json"),
            "TELE2_ATS_RATE": "500",
            "TELE2_ATS_EXAMPLES": "1",
            "CONTRACT_REPORTS_DIR": str(reports),
            **env,
        }
    )
    if pair is not None:
        clean["TELE2_ATS_ACCESS_TOKEN"] = pair.access_token
        clean["TELE2_ATS_REFRESH_TOKEN"] = pair.refresh_token
    junit = f"--junitxml={reports / 'contract-real.xml'}"
    command = [
        sys.executable, "-m", "pytest", "contract_tests/real", "-n", "0", "-q", "-rs",
        "-p", "no:cacheprovider", "-W", "ignore", junit, *args,
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, env=clean, capture_output=True, text=True, timeout=600)
    return Run(done.returncode, done.stdout + done.stderr, reports)


def test_a_read_only_run_passes_and_reports_no_drift(
    tmp_path: Path, harness_mock: MockProcess
) -> None:
    control = MockControl.over_http(harness_mock.base_url)
    pair = control.issue(user_id=8001).pair
    run = run_real(tmp_path, harness_mock.api_url, pair)
    assert run.returncode == 0, run.output
    counts = run.junit()
    assert counts["failures"] == counts["errors"] == 0, counts
    assert counts["tests"] - counts["skipped"] >= 11, counts
    assert "read-only run" in run.output, "the write tests say why they were skipped"
    assert "**No drift found**" in run.drift
    assert "writes: off (read-only)" in run.drift
    assert pair.access_token not in run.drift
    token_file = tmp_path / "tokens.json"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert TokenFile(token_file).read() == pair


def test_without_credentials_every_test_skips_with_a_one_line_reason(tmp_path: Path) -> None:
    # Nothing listens at the URL: a run without credentials must not send a request.
    run = run_real(tmp_path, "http://127.0.0.1:9" + API_BASE_PATH, None)
    assert run.returncode == 0, run.output
    counts = run.junit()
    assert counts["tests"] == counts["skipped"] > 0, counts
    assert counts["failures"] == counts["errors"] == 0, counts
    reason = RealConfig.from_env(
        {"TELE2_ATS_TOKEN_FILE": str(tmp_path / "tokens.json")}
    ).missing_credentials()
    assert reason is not None
    assert "\n" not in reason
    assert reason.startswith("no credentials: set TELE2_ATS_ACCESS_TOKEN")
    skipped = [line for line in run.output.splitlines() if line.startswith("SKIPPED")]
    assert skipped, run.output
    assert all(line.endswith(reason) for line in skipped), skipped
    assert f"not run: {reason}" in run.drift
    assert not (tmp_path / "tokens.json").exists()


def test_an_expired_token_is_refreshed_once_saved_and_read_back_next_time(
    tmp_path: Path, harness_mock: MockProcess
) -> None:
    control = MockControl.over_http(harness_mock.base_url)
    first = control.issue(user_id=8002).pair
    control.advance(25 * 3600)  # the access token is dead by the mock's clock (not by ours)
    run = run_real(tmp_path, harness_mock.api_url, first, TELE2_ATS_ALLOW_WRITES="1")
    assert run.returncode == 0, run.output
    counts = run.junit()
    assert counts["failures"] == counts["errors"] == counts["skipped"] == 0, counts
    assert "token refreshes: 1" in run.drift
    assert "writes: on" in run.drift
    rotated = TokenFile(tmp_path / "tokens.json").read()
    assert rotated is not None
    assert rotated != first
    # The old pair is dead: losing the file would have locked the user out.
    dead = httpx.put(
        harness_mock.api_url + REFRESH_PATH, headers={"Authorization": first.refresh_token}
    )
    assert dead.status_code == 403
    assert dead.json() == {"details": "The token has already been updated"}

    # The next run is given the dead pair again, but finds the newer one in the file.
    again = run_real(tmp_path, harness_mock.api_url, first, "-k", "employees or managers")
    assert again.returncode == 0, again.output
    assert "token refreshes: 0" in again.drift
    assert TokenFile(tmp_path / "tokens.json").read() == rotated


def test_the_budget_ends_a_run_cleanly(tmp_path: Path, harness_mock: MockProcess) -> None:
    pair = MockControl.over_http(harness_mock.base_url).issue(user_id=8003).pair
    run = run_real(tmp_path, harness_mock.api_url, pair, TELE2_ATS_MAX_REQUESTS="15")
    assert run.returncode == 0, run.output
    assert "budget of 15 requests is spent" in run.output
    ledger = json.loads((run.reports / ".tele2-ats-ledger.json").read_text())
    assert ledger["sent"] == 15
    assert "requests sent: 15, budget: 15" in run.drift


class _Tamper(BaseHTTPRequestHandler):
    """A loopback proxy to the mock that drops `employeeId` from GET /employees answers."""

    upstream = ""

    def _relay(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {
            k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")
        }
        answer = httpx.request(
            self.command, self.upstream + self.path, headers=headers, content=body
        )
        content = answer.content
        if (
            self.command == "GET"
            and self.path.startswith(API_BASE_PATH + "/employees")
            and answer.status_code == 200
        ):
            content = json.dumps(
                [{k: v for k, v in e.items() if k != "employeeId"} for e in answer.json()]
            ).encode()
        self.send_response(answer.status_code)
        for key, value in answer.headers.items():
            if key.lower() not in (
                "content-length",
                "transfer-encoding",
                "connection",
                "content-encoding",
            ):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    do_GET = do_POST = do_PUT = do_DELETE = do_OPTIONS = do_HEAD = _relay

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def tampering_proxy(harness_mock: MockProcess) -> Iterator[str]:
    handler = type("Tamper", (_Tamper,), {"upstream": harness_mock.base_url})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{API_BASE_PATH}"
    finally:
        server.shutdown()
        server.server_close()


def test_drift_is_reported_with_a_minimal_example_and_the_spec_line(
    tmp_path: Path, harness_mock: MockProcess, tampering_proxy: str
) -> None:
    pair = MockControl.over_http(harness_mock.base_url).issue(user_id=8004).pair
    run = run_real(tmp_path, tampering_proxy, pair, "-k", "employees")
    assert run.returncode == 1, run.output
    assert run.junit()["failures"] == 1
    drift = run.drift
    assert "## GET /employees (`openapi/tele2-ats.yaml:" in drift
    lines = (ROOT / "openapi" / "tele2-ats.yaml").read_text(encoding="utf-8").splitlines()
    line = int(drift.split("Contradicts `openapi/tele2-ats.yaml:")[1].split("`")[0])
    assert lines[line - 1].strip() == '"200":'
    assert "employeeId" in drift
    assert "curl -X GET" in drift
    assert tampering_proxy in drift
    assert pair.access_token not in drift
    assert "eyJ" not in drift


def test_the_guard_refuses_a_destructive_operation_on_a_live_mock_unless_opted_in(
    harness_mock: MockProcess, tmp_path: Path
) -> None:
    control = MockControl.over_http(harness_mock.base_url)
    issued = control.issue(company_id=9391)  # a company of this test only
    env = {
        "TELE2_ATS_BASE_URL": harness_mock.api_url,
        "TELE2_ATS_ACCESS_TOKEN": issued.pair.access_token,
        "TELE2_ATS_REFRESH_TOKEN": issued.pair.refresh_token,
        "TELE2_ATS_TOKEN_FILE": str(tmp_path / "tokens.json"),
        "CONTRACT_REPORTS_DIR": str(tmp_path),
        "TELE2_ATS_RATE": "500",
    }

    def listed() -> int:
        answer = httpx.get(
            harness_mock.api_url + "/blacklist", headers={"Authorization": issued.pair.access_token}
        )
        return len(answer.json())

    before = listed()
    assert before > 0
    read_only = RealSession.create(RealConfig.from_env(env))
    with pytest.raises(RequestRefused, match="read-only"):
        read_only.client.delete(
            harness_mock.api_url + "/blacklist/all",
            headers={"Authorization": issued.pair.access_token},
        )
    assert listed() == before, "nothing reached the mock"
    opted_in = RealSession.create(RealConfig.from_env({**env, "TELE2_ATS_ALLOW_WRITES": "1"}))
    answer = opted_in.client.delete(
        harness_mock.api_url + "/blacklist/all", headers={"Authorization": issued.pair.access_token}
    )
    assert answer.status_code == 200
    assert listed() == 0
