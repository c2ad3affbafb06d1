"""Start the mock as a separate process (`tele2-ats-mock --port 0`) for over-the-wire tests."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

__all__ = ["MockProcess", "running_mock"]

_API_LINE = re.compile(r"API:\s+(http://\S+)/crm/openapi")
START_TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class MockProcess:
    base_url: str  # e.g. http://127.0.0.1:41234
    access_token: str
    refresh_token: str
    banner: str

    @property
    def api_url(self) -> str:
        return self.base_url + "/crm/openapi"


@contextmanager
def running_mock(*args: str) -> Iterator[MockProcess]:
    """Run the console script on a free loopback port until the block ends."""
    script = Path(sys.executable).with_name("tele2-ats-mock")
    proc = subprocess.Popen(
        [str(script), "--host", "127.0.0.1", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines: list[str] = []
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while len(lines) < 9 and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
        banner = "\n".join(lines)
        match = _API_LINE.search(banner)
        assert match, f"the mock did not print its URL:\n{banner}"
        base_url = match.group(1)
        token_lines = [ln.strip() for ln in lines if ln.startswith("    eyJ")]
        assert len(token_lines) == 2, banner
        for _ in range(100):
            try:
                if httpx.get(base_url + "/mock/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield MockProcess(base_url, token_lines[0], token_lines[1], banner)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
