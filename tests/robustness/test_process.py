"""Faults of the mock as a process: signals, workers, state files, disconnecting clients.

Each test starts `tele2-ats-mock` itself, on a free loopback port, pinned to the suite's
instant; a state file, when there is one, lives in the test's own folder.
"""

from __future__ import annotations

import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from mock_server.domain.pbx import META_CLOCK_OFFSET
from mock_server.domain.storage.store import SCHEMA_VERSION, StateFileError, Store
from tests.mock_process import running_mock
from tests.pinned import PINNED_ARGS

pytestmark = pytest.mark.slow

SCRIPT = str(Path(sys.executable).with_name("tele2-ats-mock"))


def _state(pid: int) -> str | None:
    """The process state letter (R, S, Z ...) or None if it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return None


def _children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(p) for p in text.split()]


# -- signals ------------------------------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_ends_the_mock_with_status_0_and_no_temp_files(
    tmp_path: Path, sig: signal.Signals
) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    with running_mock(env={"TMPDIR": str(temp)}) as m:
        assert m.api("/employees").status_code == 200
        assert [p.name[:15] for p in temp.iterdir()] == ["tele2-ats-mock-"]
        assert m.stop(sig) == 0, m.banner
    assert list(temp.iterdir()) == []


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_signal_cuts_an_injected_delay_short_and_answers_it_503(
    tmp_path: Path, workers: str
) -> None:
    """A 45 s delay rule with a request in flight: the stop must not wait for it (the plugin
    would kill the mock after 15 s and leave its temporary database behind)."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    with running_mock("--workers", workers, env={"TMPDIR": str(temp)}) as m:
        rule = m.control.add_fault(operation_id="getEmployees", delay_ms=45_000)
        with ThreadPoolExecutor(1) as pool:
            pending = pool.submit(m.api, "/employees", timeout=60)
            while m.control.fault(rule.id).fired == 0:  # fired: the request is in its delay
                assert not pending.done(), pending.result()
                time.sleep(0.02)
            assert m.stop() == 0, m.banner  # not -9: no SIGKILL was needed
            answer = pending.result()
    assert answer.status_code == 503, answer.text
    assert answer.json()["message"] == "The mock is shutting down"
    assert answer.headers["connection"] == "close"
    assert list(temp.iterdir()) == [], "the temporary database is gone"


def test_a_client_that_never_sends_its_body_does_not_hold_the_shutdown(tmp_path: Path) -> None:
    with running_mock() as m:
        with socket.create_connection(("127.0.0.1", m.ready["port"])) as sock:
            host = f"127.0.0.1:{m.ready['port']}".encode()
            sock.sendall(
                b"POST /mock/faults HTTP/1.1\r\nHost: " + host + b"\r\n"
                b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"
            )
            time.sleep(0.3)
            assert m.stop() == 0, m.banner
            answer = sock.recv(65536)
        output = m.banner
    assert answer.startswith(b"HTTP/1.1 503 "), answer
    assert b"The mock is shutting down" in answer, answer
    assert "Traceback" not in output, output


def test_workers_end_with_status_0_on_sigterm(tmp_path: Path) -> None:
    with running_mock("--workers", "2") as m:
        workers = _children(m.pid)
        assert len(workers) == 2
        assert m.stop() == 0, m.banner
    assert all(_state(pid) in (None, "Z") for pid in workers)


def test_workers_die_with_a_killed_parent_and_the_port_is_free_again(tmp_path: Path) -> None:
    with running_mock("--workers", "2") as m:
        port = m.ready["port"]
        workers = _children(m.pid)
        assert len(workers) == 2
        m.kill()  # kill -9: no chance to stop the workers itself
        deadline = time.monotonic() + 20
        while any(_state(pid) not in (None, "Z") for pid in workers):
            assert time.monotonic() < deadline, [_state(pid) for pid in workers]
            time.sleep(0.1)
    # The port is free: a new mock can listen on it.
    with running_mock("--port", str(port)) as again:
        assert again.ready["port"] == port
        assert again.api("/employees").status_code == 200


def test_a_state_file_is_complete_on_its_own_after_sigterm(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite3"
    with running_mock("--state-file", str(state)) as m:
        added = m.api("/blacklist", method="POST", content="79995550007")
        assert added.json() == "SUCCESS"
        assert m.stop() == 0, m.banner
    wal = state.with_name(state.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    # Only the main file, copied elsewhere, holds everything.
    moved = tmp_path / "moved"
    moved.mkdir()
    shutil.copy(state, moved / "state.sqlite3")
    with running_mock("--state-file", str(moved / "state.sqlite3")) as m:
        numbers = {e["number"] for e in m.api("/blacklist").json()}
        assert "79995550007" in numbers


# -- state files ----------------------------------------------------------------------------


def _v1_state(path: Path) -> None:
    """A state file as round 1's mock wrote it: no schema version, no owner mark."""
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute("CREATE TABLE companies (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
        conn.execute("INSERT INTO meta VALUES ('seed', '1'), ('clock_offset', 'nan')")
    conn.close()


def _v2_state(path: Path) -> None:
    """A state file of schema version 2: no record of the company ids it held."""
    Store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE company_ids")
        conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    conn.close()


def _foreign(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.close()


def _garbage(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 32)


def _nan_clock(path: Path) -> None:
    Store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO meta VALUES (?, 'nan')", (META_CLOCK_OFFSET,))
    conn.close()


def _directory(path: Path) -> None:
    path.mkdir()


def _truncated(path: Path) -> None:
    store = Store(path)
    with store.transaction() as conn:
        conn.execute("CREATE TABLE filler (x BLOB)")
        conn.executemany("INSERT INTO filler VALUES (?)", [(b"x" * 4000,) for _ in range(200)])
    store.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (_v1_state, "schema version 1"),
        (_v2_state, f"schema version 2, this one needs version {SCHEMA_VERSION}"),
        (_foreign, "something else"),
        (_garbage, "not a state file"),
        (_directory, "is a directory"),
        (_nan_clock, "is not a time"),
        (_truncated, "damaged"),
    ],
)
def test_an_unusable_state_file_is_one_line_and_a_non_zero_exit(
    tmp_path: Path, make: Any, reason: str
) -> None:
    state = tmp_path / "state.sqlite3"
    make(state)
    run = subprocess.run(
        [SCRIPT, "--port", "0", *PINNED_ARGS, "--state-file", str(state)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 2, run
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"tele2-ats-mock: state file {state}: "), lines
    assert reason in lines[0], lines


def test_a_state_file_that_cannot_be_written_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root writes anywhere, so SQLite's refusal is simulated where it would come from.
    def refuse(self: Store) -> None:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(Store, "_open", refuse)
    state = tmp_path / "state.sqlite3"
    with pytest.raises(StateFileError) as caught:
        Store(state)
    assert str(caught.value) == (
        f"state file {state}: cannot be written (read-only file or folder)"
    )


# -- clients that go away --------------------------------------------------------------------


def test_a_client_leaving_mid_body_is_one_info_line(tmp_path: Path) -> None:
    with running_mock("--log-level", "info") as m:
        with socket.create_connection(("127.0.0.1", m.ready["port"])) as sock:
            sock.sendall(
                b"POST /crm/openapi/blacklist HTTP/1.1\r\nHost: x\r\nAuthorization: "
                + m.access_token.encode()
                + b"\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n7999"
            )
            time.sleep(0.3)
        assert m.api("/employees").status_code == 200  # still serving
        assert m.stop() == 0
        output = m.banner
    assert "Traceback" not in output, output
    assert "ERROR" not in output, output
    assert "INFO mock_server.http.app: client disconnected before its request body was in" in (
        output
    )
