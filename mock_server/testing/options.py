"""The pytest plugin's options: where they come from, what they mean, and what is refused.

Each option is given on the command line or in the ini file (the same name with `_` for `-`);
the mock's URL may also come from the environment. The order, from highest to lowest:
command line, environment (`TELE2_ATS_URL`), ini file. The environment ranks above the ini
file, as `DJANGO_SETTINGS_MODULE` does for pytest-django and `PYTEST_ADDOPTS` for pytest
itself: a CI job that started a mock and exported its URL is not overruled by a URL checked
into the project's configuration.

- `--tele2-ats-url URL` (`TELE2_ATS_URL`, `tele2_ats_url`): a running mock to use instead of
  starting one.
- `--tele2-ats-seed N`, `--tele2-ats-now INSTANT`, `--tele2-ats-args "..."`: how to start the
  mock.
- `--tele2-ats-frozen` / `--tele2-ats-running` (flags), `tele2_ats_frozen = true|false` in the
  ini file: whether the started mock's clock stands still.

A value that means nothing (`tele2_ats_frozen = maybe`, a seed that is no integer, a URL that
is not `http://`) is a usage error naming it. With a URL the start options are not applied
(the mock there was started by someone else, with its own clock, seed and options, and may be
shared): they are named in a warning and in the header instead of being dropped in silence.
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass

import pytest

from mock_server.testing.control import ControlClient
from mock_server.testing.process import MockServer

__all__ = ["ENV_URL", "MockOptions", "add_options"]

ENV_URL = "TELE2_ATS_URL"

# What the ini file's tele2_ats_frozen accepts (pytest's own words for true and false).
_TRUE = frozenset({"1", "true", "yes", "on", "y", "t"})
_FALSE = frozenset({"0", "false", "no", "off", "n", "f"})

# How long the header waits for a mock given by URL to say what it is.
HEADER_TIMEOUT_SECONDS = 5.0


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("tele2_ats", "Tele2 ATS CRM API mock")
    group.addoption(
        "--tele2-ats-url",
        dest="tele2_ats_url",
        metavar="URL",
        help=f"an already running mock (http://HOST:PORT) instead of starting one; also "
        f"{ENV_URL} (below the command line, above the ini file)",
    )
    group.addoption(
        "--tele2-ats-seed",
        dest="tele2_ats_seed",
        type=int,
        metavar="N",
        help="seed of the started mock's data (default: the mock's, 1)",
    )
    group.addoption(
        "--tele2-ats-now",
        dest="tele2_ats_now",
        metavar="INSTANT",
        help="start the mock clock at this ISO 8601 instant, e.g. 2026-03-02T10:00:00+03:00 "
        "(default: real time)",
    )
    group.addoption(
        "--tele2-ats-frozen",
        dest="tele2_ats_frozen",
        action="store_const",
        const=True,
        help="keep the started mock's clock still unless a test moves it",
    )
    group.addoption(
        "--tele2-ats-running",
        dest="tele2_ats_frozen",
        action="store_const",
        const=False,
        help="let the started mock's clock run (the default; overrides tele2_ats_frozen)",
    )
    group.addoption(
        "--tele2-ats-args",
        dest="tele2_ats_args",
        metavar="ARGS",
        help="more tele2-ats-mock options, e.g. '--history-days 3'",
    )
    parser.addini("tele2_ats_url", "an already running mock (http://HOST:PORT)", default="")
    parser.addini("tele2_ats_seed", "seed of the started mock's data", default="")
    parser.addini("tele2_ats_now", "start the mock clock at this ISO 8601 instant", default="")
    parser.addini("tele2_ats_frozen", "keep the mock clock still: true or false", default="")
    parser.addini("tele2_ats_args", "more tele2-ats-mock options", default="")


@dataclass(frozen=True, slots=True)
class MockOptions:
    """The plugin's options, resolved: the URL of a running mock (and where it was named), or
    how to start one. `given` names the start options the user set, as they were set."""

    url: str | None = None
    url_source: str | None = None
    seed: int | None = None
    now: str | None = None
    frozen: bool = False
    args: tuple[str, ...] = ()
    given: tuple[str, ...] = ()

    @classmethod
    def read(cls, config: pytest.Config) -> MockOptions:
        """The options of this run; pytest.UsageError for a value that means nothing."""
        given: list[str] = []

        def pick(name: str) -> str | None:
            value = config.getoption(f"tele2_ats_{name}")
            if value is not None:
                given.append(f"--tele2-ats-{name}")
                return str(value)
            text = str(config.getini(f"tele2_ats_{name}")).strip()
            if text:
                given.append(f"tele2_ats_{name} (ini file)")
                return text
            return None

        url, url_source = _url(config)
        seed_text, now, args_text = pick("seed"), pick("now"), pick("args")
        try:
            seed = None if seed_text is None else int(seed_text)
        except ValueError:
            raise pytest.UsageError(
                f"tele2_ats_seed = {seed_text!r} in {config.inipath}: expected an integer"
            ) from None
        try:
            args = tuple(shlex.split(args_text or ""))
        except ValueError as exc:
            raise pytest.UsageError(f"tele2-ats-args {args_text!r}: {exc}") from None
        return cls(url, url_source, seed, now, _frozen(config, given), args, tuple(given))

    @property
    def ignored(self) -> tuple[str, ...]:
        """The start options given in vain: with a URL no mock is started."""
        return self.given if self.url is not None else ()

    def ignored_message(self) -> str:
        return (
            f"{', '.join(self.ignored)} ignored: the tests use the running mock at {self.url} "
            f"(from {self.url_source}), which was started with its own clock, seed and options; "
            "start that mock with them, or move its clock through its control API "
            "(PUT /mock/clock)"
        )

    def header(self) -> list[str]:
        """pytest's header lines: which mock the tests use, its version and clock. Nothing is
        started for this: a mock the plugin starts is described by the options."""
        if self.url is None:
            from mock_server.specs import SPEC_VERSION  # read from the spec: only when said

            clock = f"clock from {self.now}" if self.now else "clock on real time"
            lines = [
                f"tele2-ats-mock {SPEC_VERSION}: started on first use of its fixtures, on a free "
                f"loopback port (one per xdist worker); {clock}, "
                + ("frozen" if self.frozen else "running")
                + ("" if self.seed is None else f"; seed {self.seed}")
                + (f"; options {shlex.join(self.args)}" if self.args else "")
            ]
        else:
            lines = [self._running_mock()]
        if self.ignored:
            lines.append("tele2-ats-mock: " + self.ignored_message())
        return lines

    def _running_mock(self) -> str:
        where = f"tele2-ats-mock at {self.url} (from {self.url_source})"
        assert self.url is not None
        try:
            base_url = MockServer.connect(self.url).base_url
            with ControlClient(base_url, timeout=HEADER_TIMEOUT_SECONDS) as control:
                health = control.health()
        except Exception as exc:  # the header says it; the fixture fails with the reason
            return f"{where}: not answering ({type(exc).__name__}: {exc})"
        version = health.version or "older than 1.0.0"
        state = "frozen" if health.frozen else "running"
        return (
            f"{where}: version {version}, clock {health.now.isoformat()} {state}, pid {health.pid}"
        )


def _url(config: pytest.Config) -> tuple[str | None, str | None]:
    candidates = (
        (config.getoption("tele2_ats_url"), "--tele2-ats-url"),
        (os.environ.get(ENV_URL), ENV_URL),
        (str(config.getini("tele2_ats_url")), f"tele2_ats_url in {config.inipath}"),
    )
    for value, source in candidates:
        if value is not None and value.strip():
            url = value.strip()
            if not url.startswith(("http://", "https://")):
                raise pytest.UsageError(
                    f"{source} = {url!r}: expected the mock's address, http://HOST:PORT"
                )
            return url, source
    return None, None


def _frozen(config: pytest.Config, given: list[str]) -> bool:
    flag = config.getoption("tele2_ats_frozen")
    if flag is not None:
        given.append("--tele2-ats-frozen" if flag else "--tele2-ats-running")
        return bool(flag)
    text = str(config.getini("tele2_ats_frozen")).strip()
    if not text:
        return False
    given.append("tele2_ats_frozen (ini file)")
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    raise pytest.UsageError(
        f"tele2_ats_frozen = {text!r} in {config.inipath}: expected true or false "
        "(on the command line: --tele2-ats-frozen or --tele2-ats-running)"
    )
