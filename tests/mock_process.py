"""Start the mock as a separate process (`tele2-ats-mock --port 0`) for over-the-wire tests.

The process is pinned (tests.pinned) unless the caller passes its own `--now`, and tells where
it listens through `--ready-file`, as a vendor's script would learn it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.pinned import PINNED_ARGS

__all__ = ["MockProcess", "running_mock"]

START_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class MockProcess:
    base_url: str  # e.g. http://127.0.0.1:41234
    access_token: str
    refresh_token: str
    ready: dict[str, Any]  # the ready file's content
    process: subprocess.Popen[str]
    output: Path  # where its stdout and stderr go

    @property
    def api_url(self) -> str:
        return self.base_url + "/crm/openapi"

    @property
    def banner(self) -> str:
        """What the process printed so far (its banner, once it is ready)."""
        return self.output.read_text(encoding="utf-8")

    def api(self, path: str, method: str = "GET", **kwargs: Any) -> httpx.Response:
        """A request to the documented API with the banner's access token."""
        headers = {"Authorization": self.access_token, **kwargs.pop("headers", {})}
        return httpx.request(method, self.api_url + path, headers=headers, **kwargs)

    def control(self, path: str, method: str = "GET", **kwargs: Any) -> httpx.Response:
        """A request to the control API (`/mock` + `path`)."""
        return httpx.request(method, self.base_url + "/mock" + path, **kwargs)

    def stop(self, sig: int = signal.SIGTERM) -> int:
        """Send `sig` and wait; the exit status."""
        self.process.send_signal(sig)
        return self.process.wait(timeout=STOP_TIMEOUT_SECONDS)


def _wait_ready(proc: subprocess.Popen[str], ready_file: Path, output: Path) -> dict[str, Any]:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if ready_file.exists():
            content: dict[str, Any] = json.loads(ready_file.read_text(encoding="utf-8"))
            return content
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    raise AssertionError(
        f"the mock did not get ready (exit {proc.poll()}):\n{output.read_text(encoding='utf-8')}"
    )


@contextmanager
def running_mock(
    *args: str, wall_clock: bool = False, env: dict[str, str] | None = None
) -> Iterator[MockProcess]:
    """Run the console script on a free loopback port until the block ends.

    Pinned to tests.pinned.PINNED_NOW, frozen, unless `args` hold `--now` or `wall_clock`.
    `env` adds to the environment.
    """
    script = Path(sys.executable).with_name("tele2-ats-mock")
    pinned = () if wall_clock or "--now" in args else PINNED_ARGS
    with tempfile.TemporaryDirectory(prefix="mock-process-") as tmp:
        ready_file = Path(tmp) / "ready.json"
        output = Path(tmp) / "output.txt"
        with output.open("w", encoding="utf-8") as sink:
            proc = subprocess.Popen(
                [
                    str(script),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    "0",
                    "--ready-file",
                    str(ready_file),
                    *pinned,
                    *args,
                ],
                stdout=sink,
                stderr=subprocess.STDOUT,
                text=True,
                env={**os.environ, **(env or {})},
            )
        try:
            ready = _wait_ready(proc, ready_file, output)
            yield MockProcess(
                ready["baseUrl"], ready["accessToken"], ready["refreshToken"], ready, proc, output
            )
        finally:
            stop(proc)


def stop(proc: subprocess.Popen[str]) -> int:
    """SIGTERM, then SIGKILL if it does not end in time; returns the exit status."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode
