"""How long `tele2-ats-mock` takes to end on SIGTERM, idle and with requests it must not wait for.

    .venv/bin/python scripts/measure_shutdown.py              # 3 rounds per row
    .venv/bin/python scripts/measure_shutdown.py --rounds 5 --workers 2

Starts the mock (console script of this environment, loopback, `--port 0 --ready-file`) once per
row and round, sets the row's scene up, sends SIGTERM and times it until the process has ended
(waited for, as a supervisor would). Rows:

- `idle`: nothing in flight;
- `delayed request`: a fault rule `delayMs: 45000` on GET /employees and one such request in
  flight (the mock answers it 503 at once and ends);
- `unfinished body`: a client that announced a 1,000-byte body and sent 4 bytes (the shutdown
  waits its grace, then cancels it).

Prints each row's exit statuses, the status the delayed request got, and the median time.
"""

from __future__ import annotations

import argparse
import json
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

__all__ = ["main"]

START_TIMEOUT_SECONDS = 90.0
ROWS = ("idle", "delayed request", "unfinished body")


def _start(folder: Path, workers: int) -> tuple[subprocess.Popen[bytes], dict[str, Any]]:
    ready_file = folder / "ready.json"
    script = Path(sys.executable).with_name("tele2-ats-mock")
    process = subprocess.Popen(
        [str(script), "--port", "0", "--history-days", "1", "--ready-file", str(ready_file),
         "--workers", str(workers)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not ready_file.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("the mock did not start")
        time.sleep(0.05)
    return process, json.loads(ready_file.read_text(encoding="utf-8"))


def _delayed_request(ready: dict[str, Any], answers: list[str]) -> threading.Thread:
    """A GET /employees held by a 45 s delay rule, in flight once this returns."""
    rule = httpx.post(
        ready["controlUrl"] + "/faults", json={"operationId": "getEmployees", "delayMs": 45000}
    ).json()

    def call() -> None:
        try:
            response = httpx.get(
                ready["apiUrl"] + "/employees",
                headers={"Authorization": ready["accessToken"]},
                timeout=60,
            )
            answers.append(str(response.status_code))
        except httpx.HTTPError as exc:
            answers.append(type(exc).__name__)

    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    url = f"{ready['controlUrl']}/faults/{rule['id']}"
    while httpx.get(url).json()["fired"] == 0:  # fired as the request reached the mock
        time.sleep(0.02)
    return thread


def _unfinished_body(ready: dict[str, Any]) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", ready["port"]))
    sock.sendall(
        b"POST /crm/openapi/blacklist HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
        b"Content-Length: 1000\r\n\r\n7999"
    )
    time.sleep(0.3)
    return sock


def _round(row: str, workers: int) -> tuple[float, int, list[str]]:
    """(seconds from SIGTERM to the end, exit status, what the delayed request got)."""
    answers: list[str] = []
    with tempfile.TemporaryDirectory(prefix="measure-shutdown-") as tmp:
        process, ready = _start(Path(tmp), workers)
        held: list[Any] = []
        try:
            if row == "delayed request":
                held.append(_delayed_request(ready, answers))
            elif row == "unfinished body":
                held.append(_unfinished_body(ready))
            started = time.monotonic()
            process.send_signal(signal.SIGTERM)
            status = process.wait(timeout=120)
            seconds = time.monotonic() - started
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            for thing in held:
                if isinstance(thing, threading.Thread):
                    thing.join(timeout=60)
                else:
                    thing.close()
    return seconds, status, answers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    results: dict[str, list[tuple[float, int, list[str]]]] = {row: [] for row in ROWS}
    for _ in range(args.rounds):
        for row in ROWS:
            results[row].append(_round(row, args.workers))
    load_average = Path("/proc/loadavg").read_text().split()[0]
    print(f"SIGTERM to exit, {args.workers} worker(s), medians of {args.rounds} "
          f"(load average {load_average}):\n")  # fmt: skip
    print("| scene | seconds | rounds (s) | exit statuses | delayed request got |")
    print("| --- | ---: | --- | --- | --- |")
    for row, rounds in results.items():
        shown = ", ".join(f"{seconds:.2f}" for seconds, _, _ in rounds)
        statuses = ", ".join(str(status) for _, status, _ in rounds)
        answers = ", ".join(a for _, _, got in rounds for a in got) or "-"
        median = statistics.median(seconds for seconds, _, _ in rounds)
        print(f"| {row} | {median:.2f} | {shown} | {statuses} | {answers} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
