"""What the request recorder costs: GET /employees with the journal off, on, and with a fault rule.

    .venv/bin/python scripts/measure_recorder.py                    # 3 rounds, 8 s per row
    .venv/bin/python scripts/measure_recorder.py --baseline DIR     # also the code in DIR
    .venv/bin/python scripts/measure_recorder.py --no-load --inprocess 10000 --parts

Starts `tele2-ats-mock` (one worker, AsyncApp) on a free loopback port once per row and loads
GET /employees with autocannon (scripts/bench_load.js, scenario `get`, 10 connections) after a
warm-up. Rows:

- `baseline`: with `--baseline DIR`, the mock whose `mock_server` and `openapi` are in DIR
  (e.g. `git archive <commit> mock_server openapi | tar -x -C DIR`), i.e. before the recorder;
- `journal off`: `--journal-size 0` (the recorder passes every request straight through);
- `journal on`: the default journal (every request recorded, with its advisories);
- `journal on + rule`: the same with one fault rule that matches another operation, so every
  request is also matched against a rule;
- `journal on + firing rule`: with a rule that fires on every request and does nothing
  (`delayMs: 0`): what counting a firing costs (fault rules live in the SQLite store, so that
  every worker of `--workers N` keeps to one rule's `times`);
- `journal shared` (in-process only): what sharing the request journal among workers would
  cost at the least: every entry also written to a table of the SQLite store, in a
  transaction of its own (the journal itself is not shared; this row prices the idea).

Rounds alternate the rows, so a machine that gets busier in the middle of a run hurts every row
alike; the table gives the medians. Per row: requests/s and the server's CPU time per request
(from /proc, so it does not depend on how much CPU the load generator took). Loopback only.

`--parts` times the two pieces the `firing rule` and `journal shared` rows add, alone (the
quickest of 30 batches of 500): counting a firing in the store, and writing one journal entry
to it (as JSON, in a transaction of its own).

On a loaded machine those figures swing by more than the recorder costs, so `--inprocess N`
also drives the app in-process, one request after another through its whole middleware stack
(no socket, no load generator, a fresh process per row, the journal full after the first
5000), in batches of 250, and reports the CPU time per request of the quickest batch (the one
other processes disturbed least): the difference between the rows is what the recorder adds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import cpu_seconds

__all__ = ["main"]

ROOT = Path(__file__).resolve().parents[1]
LOAD_JS = ROOT / "scripts" / "bench_load.js"
START_TIMEOUT_SECONDS = 60.0
OTHER_OPERATION_RULE = {"operationId": "getCallRecordFile", "delayMs": 1000}
FIRING_RULE = {"operationId": "getEmployees", "delayMs": 0}


@dataclass
class Config:
    name: str
    args: tuple[str, ...] = ()
    pythonpath: str | None = None
    rules: tuple[dict[str, object], ...] = ()  # fault rules in force from the start
    shared_journal: bool = False  # in-process only: each entry written to SQLite too
    rps: list[float] = field(default_factory=list)
    cpu_us: list[float] = field(default_factory=list)


def log(message: str) -> None:
    print(f"[measure] {message}", file=sys.stderr, flush=True)


def _start(config: Config, tmp: Path) -> tuple[subprocess.Popen[bytes], dict[str, object]]:
    ready = tmp / "ready.json"
    ready.unlink(missing_ok=True)
    args = list(config.args)
    if config.rules:
        faults = tmp / "faults.yaml"
        faults.write_text(json.dumps(list(config.rules)), encoding="utf-8")  # JSON is YAML
        args += ["--faults", str(faults)]
    env = dict(os.environ)
    if config.pythonpath:
        env["PYTHONPATH"] = config.pythonpath
    script = Path(sys.executable).with_name("tele2-ats-mock")
    process = subprocess.Popen(
        [str(script), "--port", "0", "--ready-file", str(ready), "--log-level", "error", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=tmp,
    )
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not ready.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"{config.name}: the mock did not start")
        time.sleep(0.05)
    return process, json.loads(ready.read_text(encoding="utf-8"))


def _load(
    process: subprocess.Popen[bytes],
    ready: dict[str, object],
    *,
    connections: int,
    duration: int,
    warmup: int,
) -> tuple[float, float]:
    """(requests/s, the server's CPU microseconds per request) of the measured part."""
    load = {
        "url": ready["apiUrl"],
        "connections": connections,
        "duration": duration,
        "warmup": warmup,
        "scenario": "get",
        "path": "/employees",
        "headers": {"authorization": ready["accessToken"]},
    }
    runner = subprocess.Popen(
        ["node", str(LOAD_JS), json.dumps(load)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert runner.stderr is not None
    assert runner.stdout is not None
    cpu_start = None
    for line in runner.stderr:
        if line.startswith("measure start"):
            cpu_start = cpu_seconds(process.pid)
    output = runner.stdout.read()
    if runner.wait() != 0 or cpu_start is None:
        raise RuntimeError("bench_load.js failed")
    cpu = cpu_seconds(process.pid) - cpu_start
    result = json.loads(output)["result"]
    if result["non2xx"] or result["errors"]:
        raise RuntimeError(f"errors under load: {result['status_codes']}, {result['errors']}")
    requests = int(result["requests"])
    return float(result["rps"]), cpu * 1e6 / max(requests, 1)


_CHILD = """
import asyncio, json, sys, time
from datetime import datetime, timezone
from mock_server.domain.pbx import Pbx, PbxConfig
from mock_server.http.app import create_app

settings = json.loads(sys.argv[1])
config = dict(seed=1, history_days=1, calls_per_day=5, frozen=True,
              now=datetime(2026, 3, 4, 12, tzinfo=timezone.utc), **settings["config"])
pbx = Pbx(PbxConfig(**config))
if settings.get("shared_journal"):
    pbx.store.add_schema(
        "CREATE TABLE IF NOT EXISTS shared_journal (id INTEGER PRIMARY KEY, "
        "company_id INTEGER, operation_id TEXT, status INTEGER, entry TEXT NOT NULL)"
    )
    record = pbx.requests.record

    def shared(entry):
        record(entry)
        with pbx.store.transaction() as conn:
            conn.execute(
                "INSERT INTO shared_journal (company_id, operation_id, status, entry) "
                "VALUES (?, ?, ?, ?)",
                (entry.company_id, entry.operation_id, entry.status, json.dumps(entry.to_json())),
            )

    pbx.requests.record = shared
app = create_app(pbx)
token = pbx.issue_tokens()[1].access_token.encode()
scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
         "scheme": "http", "path": "/crm/openapi/employees",
         "raw_path": b"/crm/openapi/employees", "query_string": b"", "root_path": "",
         "headers": [(b"host", b"127.0.0.1"), (b"authorization", token)],
         "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8080)}
statuses = []

async def receive():
    return {"type": "http.request", "body": b"", "more_body": False}

async def send(message):
    if message["type"] == "http.response.start":
        statuses.append(message["status"])

async def run(count):
    for _ in range(count):
        await app(dict(scope), receive, send)

async def batches(count, size):
    await run(500)
    times = []
    for _ in range(count // size):
        started = time.process_time()
        await run(size)
        times.append((time.process_time() - started) * 1e6 / size)
    return times

times = asyncio.run(batches(settings["requests"], 250))
assert set(statuses) == {200}, set(statuses)
print(json.dumps({"cpu_us": min(times)}))
"""


def _inprocess(config: Config, requests: int) -> float:
    """CPU microseconds per request of `requests` GET /employees through the app in-process."""
    settings: dict[str, object] = {"requests": requests, "config": {}}
    if config.name != "baseline":
        size = 0 if "--journal-size" in config.args else 5000
        settings["config"] = {"journal_size": size, "faults": list(config.rules)}
        settings["shared_journal"] = config.shared_journal
    env = dict(os.environ)
    if config.pythonpath:
        env["PYTHONPATH"] = config.pythonpath
    output = subprocess.run(
        [sys.executable, "-c", _CHILD, json.dumps(settings)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tempfile.gettempdir(),
        check=True,
    ).stdout
    cpu_us: float = json.loads(output.strip().splitlines()[-1])["cpu_us"]
    return cpu_us


_PARTS = """
import json, time
from datetime import datetime, timezone
from mock_server.domain.double.faults import FaultTarget
from mock_server.domain.pbx import Pbx, PbxConfig
from mock_server.domain.double.request_journal import JournalEntry
from mock_server.domain.double.token_claims import decode_claims

pbx = Pbx(PbxConfig(seed=1, history_days=1, calls_per_day=5, frozen=True,
                    now=datetime(2026, 3, 4, 12, tzinfo=timezone.utc)))
token = pbx.issue_tokens()[1].access_token
pbx.store.add_schema("CREATE TABLE IF NOT EXISTS shared_journal (id INTEGER PRIMARY KEY, "
                     "company_id INTEGER, operation_id TEXT, status INTEGER, entry TEXT NOT NULL)")
pbx.faults.add({"operationId": "getEmployees", "delayMs": 0})
target = FaultTarget("GET", "/employees", "getEmployees", 391)
headers = ((b"host", b"127.0.0.1:8080"), (b"user-agent", b"python-httpx/0.28"),
           (b"accept", b"*/*"), (b"authorization", token.encode()))
claims = decode_claims(token)


def fire(_):
    pbx.faults.fire_first(pbx.faults.candidates(target), wait=False)


def entry(i):
    return JournalEntry(at=pbx.now(), method="GET", path="/employees",
                        operation_id="getEmployees", raw_headers=headers, token=claims,
                        token_accepted=True, company_id=391, status=200, duration_ms=1.2, id=i)


def write(e):
    with pbx.store.transaction() as conn:
        conn.execute("INSERT INTO shared_journal (company_id, operation_id, status, entry) "
                     "VALUES (?, ?, ?, ?)",
                     (e.company_id, e.operation_id, e.status, json.dumps(e.to_json())))


def quickest(work, make=lambda i: i):
    best = float("inf")
    for batch in range(30):
        items = [make(batch * 500 + i) for i in range(500)]
        started = time.process_time()
        for item in items:
            work(item)
        best = min(best, (time.process_time() - started) * 1e6 / 500)
    return best


print(json.dumps({"firing counted in the store": quickest(fire),
                  "journal entry as JSON": quickest(lambda e: json.dumps(e.to_json()), entry),
                  "journal entry written to the store": quickest(write, entry)}))
"""


def _parts() -> dict[str, float]:
    """CPU microseconds of each piece (see the module's docstring), in a fresh process."""
    output = subprocess.run(
        [sys.executable, "-c", _PARTS],
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),
        check=True,
    ).stdout
    parts: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return parts


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=8, help="measured seconds per row")
    parser.add_argument("--warmup", type=int, default=2, help="warm-up seconds per row")
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--no-load", action="store_true", help="only the in-process rows")
    parser.add_argument(
        "--inprocess",
        type=int,
        default=0,
        metavar="N",
        help="also measure N requests per row in-process (CPU per request)",
    )
    parser.add_argument(
        "--baseline", type=Path, default=None, help="a directory holding mock_server/ and openapi/"
    )
    parser.add_argument(
        "--parts", action="store_true", help="also time the pieces sharing adds, alone"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    configs = []
    if args.baseline is not None:
        configs.append(Config("baseline", pythonpath=str(args.baseline.resolve())))
    configs += [
        Config("journal off", ("--journal-size", "0")),
        Config("journal on"),
        Config("journal on + rule", rules=(OTHER_OPERATION_RULE,)),
        Config("journal on + firing rule", rules=(FIRING_RULE,)),
        Config("journal shared", shared_journal=True),
    ]
    inprocess: dict[str, list[float]] = {config.name: [] for config in configs}
    for round_number in range(1, args.rounds + 1 if args.inprocess else 1):
        for config in configs:
            inprocess[config.name].append(_inprocess(config, args.inprocess))
            cpu_us = inprocess[config.name][-1]
            log(f"round {round_number} {config.name} in-process: {cpu_us:.1f} µs CPU/req")
    with tempfile.TemporaryDirectory(prefix="measure-recorder-") as tmp:
        for round_number in range(1, 0 if args.no_load else args.rounds + 1):
            for config in (c for c in configs if not c.shared_journal):
                process, ready = _start(config, Path(tmp))
                try:
                    rps, cpu_us = _load(
                        process,
                        ready,
                        connections=args.connections,
                        duration=args.duration,
                        warmup=args.warmup,
                    )
                finally:
                    process.terminate()
                    process.wait(timeout=10)
                config.rps.append(rps)
                config.cpu_us.append(cpu_us)
                log(
                    f"round {round_number} {config.name}: {rps:,.0f} req/s, {cpu_us:.0f} µs CPU/req"
                )
    load_average = Path("/proc/loadavg").read_text().split()[0]
    print(f"(load average at the end: {load_average})")
    if not args.no_load:
        rounds = args.rounds
        print(f"\nGET /employees, 1 worker, {args.connections} connections, medians of {rounds}:\n")
        print("| mock | req/s | CPU µs/req | rounds (req/s) |")
        print("| --- | ---: | ---: | --- |")
    for config in (c for c in configs if c.rps):
        rounds = ", ".join(f"{r:,.0f}" for r in config.rps)
        print(
            f"| {config.name} | {statistics.median(config.rps):,.0f} | "
            f"{statistics.median(config.cpu_us):.0f} | {rounds} |"
        )
    if args.inprocess:
        print(f"\nIn-process, {args.inprocess:,} requests per row, medians of {args.rounds}:\n")
        print("| mock | CPU µs/req | rounds |")
        print("| --- | ---: | --- |")
        for config in configs:
            values = inprocess[config.name]
            shown = ", ".join(f"{v:.1f}" for v in values)
            print(f"| {config.name} | {statistics.median(values):.1f} | {shown} |")
    if args.parts:
        print("\nThe pieces alone (CPU µs, the quickest of 30 batches of 500):\n")
        print("| piece | CPU µs |")
        print("| --- | ---: |")
        for name, cpu_us in _parts().items():
            print(f"| {name} | {cpu_us:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
