"""The files a mock claims while it runs: its `--ready-file` and its `--state-file`.

A script waits for the ready file (`while [ ! -s mock.json ]`, README): it must never find one
that a mock which has ended, or has not started, left behind; and two mocks must never share
a ready file or a state file. Each test starts `tele2-ats-mock` itself, in its own folder,
pinned to the suite's instant.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from mock_server.domain.storage.store import fold_write_ahead_log
from tests.pinned import PINNED_ARGS

pytestmark = pytest.mark.slow

SCRIPT = str(Path(sys.executable).with_name("tele2-ats-mock"))
START_SECONDS = 90
SMALL = ("--history-days", "1")


class Mock:
    """A `tele2-ats-mock --port 0` process started by a test, its output in a file."""

    def __init__(self, folder: Path, name: str, *args: str) -> None:
        self.output_file = folder / f"{name}.out"
        with self.output_file.open("wb") as sink:
            self.process = subprocess.Popen(
                [SCRIPT, "--port", "0", *PINNED_ARGS, *SMALL, *args],
                stdout=sink,
                stderr=subprocess.STDOUT,
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def output(self) -> str:
        return self.output_file.read_text(errors="replace")

    def wait_ready(self, ready_file: Path) -> dict[str, Any]:
        """As the README's loop waits: for a non-empty ready file (or the process's end)."""
        deadline = time.monotonic() + START_SECONDS
        while not (ready_file.exists() and ready_file.stat().st_size):
            assert self.process.poll() is None, self.output
            assert time.monotonic() < deadline, self.output
            time.sleep(0.05)
        ready: dict[str, Any] = json.loads(ready_file.read_text())
        return ready

    def wait_own_ready(self, ready_file: Path) -> dict[str, Any]:
        """The ready file once it names this process (a file a killed mock left stays until
        the next mock starts and removes it)."""
        deadline = time.monotonic() + START_SECONDS
        while (ready := self.wait_ready(ready_file))["pid"] != self.pid:
            assert time.monotonic() < deadline, self.output
            time.sleep(0.05)
        return ready

    def end(self, timeout: float = START_SECONDS) -> int:
        """Its exit status, once it ends on its own."""
        return self.process.wait(timeout=timeout)

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout=30)

    def refusal(self) -> str:
        """The one line a mock that refused to start printed (exit status 2, nothing else)."""
        assert self.end() == 2, self.output
        lines = self.output.strip().splitlines()
        assert len(lines) == 1, lines
        return lines[0]


@contextmanager
def mocks(folder: Path) -> Iterator[list[Mock]]:
    """The mocks a test starts (append them); any still running at the end are killed."""
    started: list[Mock] = []
    try:
        yield started
    finally:
        for mock in started:
            if mock.process.poll() is None:
                mock.process.kill()
                mock.process.wait()


def _second_refused(
    started: list[Mock], ready_file: Path, first_args: tuple[str, ...], second_args: tuple[str, ...]
) -> tuple[Mock, dict[str, Any], str]:
    """A mock started with `first_args` (writing `ready_file`) and serving, its ready file, and
    the one line a second mock started after it with `second_args` refused to start with."""
    folder = ready_file.parent
    first = Mock(folder, "first", *first_args)
    started.append(first)
    ready = first.wait_ready(ready_file)
    second = Mock(folder, "second", *second_args)
    started.append(second)
    return first, ready, second.refusal()


def _first_to_end(started: list[Mock]) -> tuple[Mock, Mock]:
    """Of two mocks started together, the one that ended first and the other one."""
    deadline = time.monotonic() + START_SECONDS
    while all(mock.process.poll() is None for mock in started):
        assert time.monotonic() < deadline, [mock.output for mock in started]
        time.sleep(0.05)
    loser = next(mock for mock in started if mock.process.poll() is not None)
    return loser, next(mock for mock in started if mock is not loser)


def _dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def _serves(ready: dict[str, Any]) -> bool:
    return httpx.get(ready["controlUrl"] + "/health", timeout=10).status_code == 200


# -- the ready file ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "sig"),
    [((), signal.SIGTERM), ((), signal.SIGINT), (("--workers", "2"), signal.SIGTERM)],
    ids=["sigterm", "sigint", "workers"],
)
def test_the_ready_file_is_removed_when_the_mock_ends(
    tmp_path: Path, args: tuple[str, ...], sig: signal.Signals
) -> None:
    ready_file = tmp_path / "mock.json"
    with mocks(tmp_path) as started:
        mock = Mock(tmp_path, "mock", "--ready-file", str(ready_file), *args)
        started.append(mock)
        assert mock.wait_ready(ready_file)["pid"] == mock.pid
        assert mock.stop(sig) == 0, mock.output
    assert not ready_file.exists(), "a script's wait loop would read the ended mock's port"
    assert list(tmp_path.iterdir()) == [mock.output_file], "no temporary file left either"


def test_a_stale_ready_file_is_removed_even_when_the_start_fails(tmp_path: Path) -> None:
    ready_file = tmp_path / "mock.json"
    ready_file.write_text(json.dumps({"pid": _dead_pid(), "port": 1, "apiUrl": "http://x"}))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run(
            [SCRIPT, "--port", str(port), *PINNED_ARGS, *SMALL, "--ready-file", str(ready_file)],
            capture_output=True,
            text=True,
            timeout=START_SECONDS,
            check=False,
        )
    assert run.returncode == 2, run
    assert "cannot listen" in run.stderr, run.stderr
    assert not ready_file.exists(), "the wait loop would take the stale file for this mock"


def test_a_fifo_in_the_ready_files_place_does_not_hold_the_start(tmp_path: Path) -> None:
    ready_file = tmp_path / "mock.json"
    os.mkfifo(ready_file)
    with mocks(tmp_path) as started:
        mock = Mock(tmp_path, "mock", "--ready-file", str(ready_file))
        started.append(mock)
        assert _serves(mock.wait_ready(ready_file))
        assert ready_file.is_file()


def test_a_ready_file_left_by_a_killed_mock_is_replaced(tmp_path: Path) -> None:
    ready_file = tmp_path / "mock.json"
    with mocks(tmp_path) as started:
        first = Mock(tmp_path, "first", "--ready-file", str(ready_file))
        started.append(first)
        first.wait_ready(ready_file)
        first.process.kill()  # kill -9: no chance to remove its file
        first.process.wait()
        assert json.loads(ready_file.read_text())["pid"] == first.pid
        second = Mock(tmp_path, "second", "--ready-file", str(ready_file))
        started.append(second)
        assert _serves(second.wait_own_ready(ready_file))


def test_a_ready_file_of_a_running_mock_is_refused_in_one_line(tmp_path: Path) -> None:
    ready_file = tmp_path / "mock.json"
    with mocks(tmp_path) as started:
        both = ("--ready-file", str(ready_file))
        first, ready, refusal = _second_refused(started, ready_file, both, both)
        assert refusal == (
            f"tele2-ats-mock: ready file {ready_file}: in use by the running mock of pid "
            f"{first.pid}; stop it or choose another file"
        )
        assert json.loads(ready_file.read_text()) == ready, "the first mock's file is untouched"
        assert _serves(ready)


def test_two_mocks_started_together_on_one_ready_file_do_not_overwrite_it(
    tmp_path: Path,
) -> None:
    ready_file = tmp_path / "mock.json"
    with mocks(tmp_path) as started:
        started += [Mock(tmp_path, name, "--ready-file", str(ready_file)) for name in "ab"]
        loser, winner = _first_to_end(started)
        # It had printed its banner: the file is claimed once the mock serves.
        assert loser.end() == 2, loser.output
        assert loser.output.strip().splitlines()[-1] == (
            f"tele2-ats-mock: ready file {ready_file}: in use by the running mock of pid "
            f"{winner.pid}; stop it or choose another file"
        )
        ready = winner.wait_ready(ready_file)
        assert ready["pid"] == winner.pid
        assert _serves(ready)
        assert winner.stop() == 0
    assert not ready_file.exists()


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("a-folder", "is a directory, not a file"),
        ("missing/mock.json", "folder"),
        ("/proc/mock.json", "cannot be written"),  # a folder nobody may write to, root neither
    ],
    ids=["directory", "no-folder", "read-only"],
)
def test_an_unusable_ready_file_is_one_line_and_exit_2(
    tmp_path: Path, name: str, reason: str
) -> None:
    ready_file = tmp_path / name  # an absolute name stays as it is
    if name == "a-folder":
        ready_file.mkdir()
    with mocks(tmp_path) as started:
        mock = Mock(tmp_path, "mock", "--ready-file", str(ready_file))
        started.append(mock)
        line = mock.refusal()
    assert line.startswith(f"tele2-ats-mock: ready file {ready_file}: "), line
    assert reason in line, line


# -- the state file ---------------------------------------------------------------------------


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_second_mock_on_a_state_file_in_use_is_refused_naming_the_holder(
    tmp_path: Path, workers: str
) -> None:
    state = tmp_path / "state.sqlite3"
    ready_file = tmp_path / "mock.json"
    with mocks(tmp_path) as started:
        first, ready, refusal = _second_refused(
            started,
            ready_file,
            ("--state-file", str(state), "--ready-file", str(ready_file), "--workers", workers),
            ("--state-file", str(state)),
        )
        assert refusal == (
            f"tele2-ats-mock: state file {state}: in use by the running mock of pid "
            f"{first.pid} (its lock file {state}.lock); stop it, or give this one another "
            "--state-file"
        )
        assert _serves(ready)
        assert first.stop() == 0, first.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first.out", "second.out", state.name]


def test_two_mocks_started_together_on_one_state_file_one_refuses(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite3"
    with mocks(tmp_path) as started:
        started += [
            Mock(tmp_path, name, "--state-file", str(state), "--ready-file", str(tmp_path / name))
            for name in "ab"
        ]
        loser, winner = _first_to_end(started)
        line = loser.refusal()
        assert f"in use by the running mock of pid {winner.pid}" in line, line
        name = "a" if winner is started[0] else "b"
        assert _serves(winner.wait_ready(tmp_path / name))


@pytest.mark.parametrize("ending", ["sigterm", "kill"])
def test_a_state_file_is_free_again_once_its_mock_has_ended(tmp_path: Path, ending: str) -> None:
    state = tmp_path / "state.sqlite3"
    with mocks(tmp_path) as started:
        for name in ("first", "second"):
            ready_file = tmp_path / f"{name}.json"
            mock = Mock(tmp_path, name, "--state-file", str(state), "--ready-file", str(ready_file))
            started.append(mock)
            assert _serves(mock.wait_ready(ready_file))
            if ending == "kill":
                mock.process.kill()
                mock.process.wait()
            else:
                assert mock.stop() == 0, mock.output


def test_a_write_ahead_log_two_closing_workers_left_is_folded_into_the_state_file(
    tmp_path: Path,
) -> None:
    """Two workers that close at once can each see the other still open and leave the log and
    its index beside the state file; the supervisor folds them when the last worker is gone
    (the flake that showed it: `state.sqlite3-shm` and `-wal` after a two-worker mock stopped)."""
    state = tmp_path / "state.sqlite3"
    left_open = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, sqlite3, sys\n"
            "conn = sqlite3.connect(sys.argv[1])\n"
            "conn.execute('PRAGMA journal_mode=WAL')\n"
            "conn.execute('CREATE TABLE t (x)')\n"
            "conn.execute('INSERT INTO t VALUES (1)')\n"
            "conn.commit()\n"
            "os._exit(0)  # a process that never closed its connection",
            str(state),
        ],
        check=True,
    )
    assert left_open.returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        state.name,
        f"{state.name}-shm",
        f"{state.name}-wal",
    ]
    fold_write_ahead_log(state)
    assert [p.name for p in tmp_path.iterdir()] == [state.name]
    with closing(sqlite3.connect(state)) as conn:
        assert conn.execute("SELECT x FROM t").fetchall() == [(1,)]
