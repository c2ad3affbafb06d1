"""Start the mock as a separate process (`tele2-ats-mock --port 0`) for over-the-wire tests.

The tests' own use of the public runner (mock_server.testing.process.MockServer): the console
script of this environment, pinned (tests.pinned) unless the caller passes its own `--now`.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from mock_server.testing.process import MockServer
from tests.pinned import PINNED_ARGS

__all__ = ["MockProcess", "running_mock"]


class MockProcess(MockServer):
    """A MockServer with the helpers the tests use."""

    @property
    def pid(self) -> int:
        assert self.process is not None, "a mock this object started"
        return self.process.pid

    def kill(self) -> None:
        """kill -9, and wait for it."""
        assert self.process is not None, "a mock this object started"
        self.process.kill()
        self.process.wait()

    @property
    def banner(self) -> str:
        """What the process printed so far (its banner, once it is ready)."""
        return self.output

    def api(self, path: str, method: str = "GET", **kwargs: Any) -> httpx.Response:
        """A request to the documented API with the banner's access token."""
        headers = {"Authorization": self.access_token, **kwargs.pop("headers", {})}
        return httpx.request(method, self.api_url + path, headers=headers, **kwargs)

    def stop(self, sig: int = signal.SIGTERM) -> int:
        status = super().stop(sig)
        assert status is not None
        return status


@contextmanager
def running_mock(
    *args: str, wall_clock: bool = False, env: dict[str, str] | None = None
) -> Iterator[MockProcess]:
    """Run the console script on a free loopback port until the block ends.

    Pinned to tests.pinned.PINNED_NOW, frozen, unless `args` hold `--now` or `wall_clock`.
    `env` adds to the environment.
    """
    script = str(Path(sys.executable).with_name("tele2-ats-mock"))
    pinned = () if wall_clock or "--now" in args else PINNED_ARGS
    with MockProcess.start(executable=[script], args=[*pinned, *args], env=env) as process:
        yield process
