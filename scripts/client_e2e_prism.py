"""The generated client's end-to-end tests through Prism's validating proxy.

    .venv/bin/python scripts/client_e2e_prism.py [pytest arguments]

Starts `tele2-ats-mock --port 0` and, in front of it, `prism proxy openapi/tele2-ats.yaml <mock>
--errors` (Prism 5.14.2 from node_modules): a second implementation of OpenAPI that checks every
request the client sends and every response the mock gives against the spec, and with `--errors`
turns any violation into an error response, which fails the test that caused it. Then it runs
tests/client/test_end_to_end.py over HTTP through the proxy (the tests' HTTP mode: the
environment variables below), stops both servers and counts the violations in Prism's log
(reports/prism-proxy.log). Exit status 0 only when the tests pass and Prism logged no violation.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Final

import httpx

ROOT: Final = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.mock_process import running_mock  # noqa: E402

__all__ = ["count_log", "main"]

SPEC: Final = ROOT / "openapi" / "tele2-ats.yaml"
PRISM: Final = ROOT / "node_modules" / ".bin" / "prism"
TESTS: Final = "tests/client/test_end_to_end.py"
LOG: Final = ROOT / "reports" / "prism-proxy.log"
START_TIMEOUT_SECONDS: Final = 60.0
# The history the tests' resets seed (test_end_to_end.RESET), so the first test starts alike.
MOCK_ARGS: Final = ("--seed", "1", "--history-days", "3", "--calls-per-day", "20")
# Prism's log: one "Request received" per request; violations are logged as "Violation: ..."
# (a warning without --errors, an error with it); errors of its own as "✖  error".
_REQUEST: Final = re.compile(r"Request received")
_VIOLATION: Final = re.compile(r"Violation|✖\s+error")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def running_prism(upstream: str, log: Path) -> Iterator[str]:
    """`prism proxy` on a free loopback port in front of `upstream`; yields its URL."""
    port = _free_port()
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w", encoding="utf-8") as sink:
        proc = subprocess.Popen(
            [
                str(PRISM),
                "proxy",
                str(SPEC),
                upstream,
                "--errors",
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
            ],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_UPDATE_NOTIFIER": "1", "FORCE_COLOR": "0"},
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + START_TIMEOUT_SECONDS
            while "Prism is listening" not in log.read_text(encoding="utf-8"):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(
                        f"prism proxy did not start:\n{log.read_text(encoding='utf-8')}"
                    )
                time.sleep(0.2)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def count_log(text: str) -> tuple[int, list[str]]:
    """(requests Prism received, its violation lines) in a Prism log."""
    lines = text.splitlines()
    return (
        sum(1 for line in lines if _REQUEST.search(line)),
        [line for line in lines if _VIOLATION.search(line)],
    )


def main(argv: Sequence[str] | None = None) -> int:
    pytest_args = list(sys.argv[1:] if argv is None else argv)
    if not PRISM.exists():
        raise SystemExit(f"{PRISM} is missing: run `make install` (npm ci)")
    with running_mock(*MOCK_ARGS) as mock, running_prism(mock.api_url, LOG) as proxy:
        # The proxy answers with the mock behind it: one request proves both are up.
        httpx.get(proxy + "/employees", headers={"Authorization": mock.access_token}, timeout=30)
        env = {
            **os.environ,
            "TELE2_ATS_E2E_API_URL": proxy,
            "TELE2_ATS_E2E_CONTROL_URL": mock.base_url,
        }
        tests = subprocess.run(
            [sys.executable, "-m", "pytest", TESTS, "-n", "0", "-p", "no:randomly", *pytest_args],
            cwd=ROOT,
            env=env,
            check=False,
        )
    requests, violations = count_log(LOG.read_text(encoding="utf-8"))
    print(
        f"prism proxy: {requests} requests checked against {SPEC.relative_to(ROOT)}, "
        f"{len(violations)} violations (log: {LOG.relative_to(ROOT)})"
    )
    for line in violations[:20]:
        print("  " + line)
    return 1 if tests.returncode or violations else 0


if __name__ == "__main__":
    sys.exit(main())
