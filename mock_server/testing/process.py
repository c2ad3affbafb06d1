"""Run `tele2-ats-mock` as a process for a test session, or use one that is already running.

The process is started on a free loopback port with `--ready-file`, and this module waits for
that file: nothing is scraped from the banner. It is stopped with SIGTERM (status 0).

Example::

    with MockServer.start(now="2026-03-02T10:00:00+03:00", frozen=True) as mock:
        mock.control.create_company()
        httpx.get(mock.api_url + "/employees", headers={"Authorization": mock.access_token})
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

from mock_server.testing.control import ControlClient

__all__ = ["MockServer", "MockStartError"]

START_TIMEOUT_SECONDS = 90.0
STOP_TIMEOUT_SECONDS = 15.0


class MockStartError(RuntimeError):
    """The mock process ended, or did not get ready in time; the message holds its output."""


@dataclass
class MockServer:
    """A running mock: its URLs, the banner's token pair, and its control API."""

    base_url: str
    access_token: str = ""
    refresh_token: str = ""
    ready: dict[str, Any] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    _folder: tempfile.TemporaryDirectory[str] | None = None
    _control: ControlClient | None = None
    _final_output: str = ""

    @property
    def api_url(self) -> str:
        return self.base_url + "/crm/openapi"

    @property
    def control_url(self) -> str:
        return self.base_url + "/mock"

    @property
    def control(self) -> ControlClient:
        """A typed client of the control API."""
        if self._control is None:
            self._control = ControlClient(self.base_url)
        return self._control

    @property
    def output(self) -> str:
        """What the process printed (empty for a mock this object did not start)."""
        if self._folder is None:
            return self._final_output
        return (Path(self._folder.name) / "output.txt").read_text(errors="replace")

    @classmethod
    def connect(cls, base_url: str) -> Self:
        """A mock somebody else started, at `http://HOST:PORT`."""
        return cls(base_url.rstrip("/").removesuffix("/mock").removesuffix("/crm/openapi"))

    @classmethod
    def start(
        cls,
        *,
        seed: int | None = None,
        now: str | None = None,
        frozen: bool = False,
        args: Sequence[str] = (),
        executable: Sequence[str] | None = None,
        env: dict[str, str] | None = None,
    ) -> Self:
        """Start a mock on a free loopback port and wait until it serves.

        `executable` defaults to this interpreter running the mock (`python -m mock_server`).
        """
        folder = tempfile.TemporaryDirectory(prefix="tele2-ats-mock-run-")
        ready_file = Path(folder.name) / "ready.json"
        command = [*(executable or (sys.executable, "-m", "mock_server"))]
        command += ["--host", "127.0.0.1", "--port", "0", "--ready-file", str(ready_file)]
        if seed is not None:
            command += ["--seed", str(seed)]
        if now is not None:
            command += ["--now", now]
        if frozen:
            command.append("--frozen")
        command += list(args)
        with (Path(folder.name) / "output.txt").open("wb") as sink:
            process = subprocess.Popen(
                command, stdout=sink, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
            )
        server = cls("", process=process, _folder=folder)
        try:
            server._await_ready(ready_file)
        except BaseException:
            server.stop()
            raise
        return server

    def _await_ready(self, ready_file: Path) -> None:
        assert self.process is not None
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not ready_file.exists():
            if self.process.poll() is not None:
                raise MockStartError(
                    f"tele2-ats-mock ended with status {self.process.returncode}:\n{self.output}"
                )
            if time.monotonic() > deadline:
                raise MockStartError(
                    f"tele2-ats-mock was not ready after {START_TIMEOUT_SECONDS:.0f} s:\n"
                    f"{self.output}"
                )
            time.sleep(0.05)
        self.ready = json.loads(ready_file.read_text(encoding="utf-8"))
        self.base_url = self.ready["baseUrl"]
        self.access_token = self.ready["accessToken"]
        self.refresh_token = self.ready["refreshToken"]

    def stop(self, sig: int = signal.SIGTERM) -> int | None:
        """Stop a mock this object started (`sig`, then SIGKILL if it does not end in time);
        its exit status (None for a mock it did not start)."""
        if self._control is not None:
            self._control.close()
            self._control = None
        status = None
        if self.process is not None:
            if self.process.poll() is None:
                self.process.send_signal(sig)
                try:
                    self.process.wait(timeout=STOP_TIMEOUT_SECONDS)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            status = self.process.returncode
        if self._folder is not None:
            self._final_output = self.output
            self._folder.cleanup()
            self._folder = None
        return status

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
