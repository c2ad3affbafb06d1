"""Benchmark the mock side by side with Prism, over loopback, with autocannon.

    .venv/bin/python scripts/bench.py                  # every read and the write mix, 1 round
    .venv/bin/python scripts/bench.py --rounds 3       # medians of 3 rounds (for the README)
    .venv/bin/python scripts/bench.py --quick          # a smoke run (1 s + 2 s per row)
    .venv/bin/python scripts/bench.py --only employees,call_records

Starts the mock (`tele2-ats-mock` with its default options: one process, AsyncApp; its clock
starts at `--now`, so every run serves the same seeded data) and Prism (`prism mock
openapi/tele2-ats.yaml`, static mode: it answers the spec's examples) on free loopback ports,
then loads each in turn with the same requests from autocannon (scripts/bench_load.js,
autocannon's programmatic API), each row after a warm-up of the same load:

- every read operation of the documented API the spec marks `x-mock-bench`, on both servers,
  with the parameters written there: employees, the call journal (a 7-day window, size=50),
  managers and one manager, monitoring and the queues, the blacklist, both statistics (30
  days), a recording's first KiB and its transcript. Before monitoring
  is measured the mock is given live calls (two conversations and a caller waiting in a
  queue) through its control API, so that it lists calls as Prism lists its example;
- for the mock alone, the write mix: blacklist add and delete, manager create, list (to learn
  the new id) and delete, click-to-call (scenario `mixed` of bench_load.js).

Measured per row: requests/s, p50/p99 latency of the 2xx answers (microsecond resolution),
errors (non-2xx answers and socket errors), the server's CPU time per request, and the share
of the machine's CPU that *other* processes used meanwhile (/proc/stat minus the server and
the load generator): a row measured while other work ran is an upper bound of the server's
cost, not a fair ratio. Per server: the time from launch to its first 200 on GET /employees
and its peak RSS (VmHWM, summed over its processes). The load average is read before and
after every row and printed with the table.

Targets (issue 14; `--check` exits 1 unless all are met): each read at least 2x Prism's
requests/s (the call journal 1.5x) with a p99 no higher and no more CPU per request; the
write mix at least 1,500 requests/s.

Prints progress while it runs, then Markdown tables, and writes everything as JSON to
reports/bench.json (or --json). Linux only (/proc); nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from mock_server.spec_index import SpecIndex

__all__ = ["main"]

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "openapi" / "tele2-ats.yaml"
PRISM = ROOT / "node_modules" / ".bin" / "prism"
LOAD_JS = ROOT / "scripts" / "bench_load.js"
HOST = "127.0.0.1"
API_PREFIX = "/crm/openapi"
START_TIMEOUT_SECONDS = 120.0
# A Wednesday afternoon in Moscow: the 7-day window holds five working days.
DEFAULT_NOW = "2026-03-04T15:00:00+03:00"
READ_TARGET_RATIO = 2.0
WRITE_TARGET_RPS = 1500.0
# The share of the machine's CPU other processes may use during every row of a quiet run.
QUIET_SHARE = 0.05
_API_LINE = re.compile(r"API:\s+(http://\S+?)/crm/openapi\s*$", re.MULTILINE)
_CLK_TCK = os.sysconf("SC_CLK_TCK")


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --- processes: /proc ---------------------------------------------------------------------------


def _process_tree(pid: int) -> list[int]:
    """`pid` and its descendants (Linux: /proc/<pid>/task/<tid>/children)."""
    found = [pid]
    index = 0
    while index < len(found):
        task_dir = Path(f"/proc/{found[index]}/task")
        index += 1
        try:
            tasks = list(task_dir.iterdir())
        except OSError:
            continue
        for task in tasks:
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            found.extend(int(child) for child in children if int(child) not in found)
    return found


def _status_kib(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def peak_rss_mib(pid: int) -> float:
    """Peak resident set size (VmHWM) of the process and its children, in MiB."""
    return sum(_status_kib(p, "VmHWM") for p in _process_tree(pid)) / 1024


def cpu_seconds(pid: int) -> float:
    """User + system CPU time used so far by the process and its children."""
    total = 0
    for p in _process_tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / _CLK_TCK


def machine_busy_seconds() -> float:
    """CPU time all processes of the machine have used since boot (/proc/stat, every core):
    user, nice, system, irq, softirq and steal."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / _CLK_TCK


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def publish(text: str, result: dict[str, Any], path: Path, *, failed: bool) -> int:
    """Print a benchmark's table, write its figures to `path` (JSON); the exit status, 1 if
    `failed` (a target missed under --check)."""
    print(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n")
    return 1 if failed else 0


# --- servers ------------------------------------------------------------------------------------


@dataclass
class Server:
    key: str  # "mock", "prism"
    label: str  # for the tables
    process: subprocess.Popen[bytes]
    log_file: TextIO
    base_url: str  # what precedes the API's paths, e.g. http://127.0.0.1:4010
    startup_s: float = 0.0
    peak_rss_mib: float = 0.0

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1].split("/", 1)[0])

    @property
    def path_prefix(self) -> str:
        rest = self.base_url.split("://", 1)[1]
        return rest[rest.index("/") :] if "/" in rest else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.peak_rss_mib = max(self.peak_rss_mib, peak_rss_mib(self.process.pid))
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _request(
    port: int,
    method: str,
    path: str,
    token: str | None = None,
    body: dict[str, Any] | None = None,
    timeout: float = 30.0,
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    headers = {} if token is None else {"Authorization": token}
    payload = None
    if body is not None:
        payload = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    try:
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _get(port: int, path: str, token: str, timeout: float = 30.0) -> tuple[int, bytes]:
    return _request(port, "GET", path, token, timeout=timeout)


def _wait_for_200(server: Server, path: str, token: str, launched: float) -> float:
    """Poll `path` until it answers 200; the seconds since `launched`."""
    deadline = launched + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.label} exited with {server.process.returncode}")
        try:
            status, _ = _get(server.port, server.path_prefix + path, token, timeout=2.0)
            if status == 200:
                return time.monotonic() - launched
        except OSError:
            pass
        time.sleep(0.01)
    raise RuntimeError(f"{server.label} gave no 200 on {path} within {START_TIMEOUT_SECONDS} s")


def _mock_command(args: argparse.Namespace) -> list[str]:
    script = Path(sys.executable).with_name("tele2-ats-mock")
    head = [str(script)] if script.exists() else [sys.executable, "-m", "mock_server"]
    command = [*head, "--host", HOST, "--port", "0", "--seed", str(args.seed)]
    if args.now:
        command += ["--now", args.now]
    if args.app != "async":
        command += ["--app", args.app]
    if args.workers != 1:
        command += ["--workers", str(args.workers)]
    return command


def _mock_label(args: argparse.Namespace) -> str:
    app = "AsyncApp" if args.app == "async" else "FlaskApp"
    workers = f"{args.workers} worker{'s' if args.workers > 1 else ''}"
    return f"tele2-ats-mock ({app}, {workers})"


def start_mock(args: argparse.Namespace, logs: Path) -> tuple[Server, str]:
    """Start the mock; the server and the access token its banner prints (6th line)."""
    command = _mock_command(args)
    log(f"starting {Path(command[0]).name} {' '.join(command[1:])}")
    log_path = logs / "mock.log"
    log_file = log_path.open("w+")
    launched = time.monotonic()
    process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT, cwd=ROOT)
    banner = ""
    while time.monotonic() < launched + START_TIMEOUT_SECONDS:
        banner = log_path.read_text()
        if len(banner.splitlines()) >= 7 and _API_LINE.search(banner):
            break
        if process.poll() is not None:
            raise RuntimeError(f"the mock exited with {process.returncode}:\n{banner}")
        time.sleep(0.01)
    match = _API_LINE.search(banner)
    if match is None:
        process.kill()
        raise RuntimeError(f"the mock printed no API URL:\n{banner}")
    token = _banner_token(banner)
    server = Server(
        key="mock",
        label=_mock_label(args),
        process=process,
        log_file=log_file,
        base_url=match.group(1) + API_PREFIX,
    )
    server.startup_s = _wait_for_200(server, "/employees", token, launched)
    log(f"  first 200 on GET /employees {server.startup_s:.2f} s after launch")
    return server, token


def _banner_token(banner: str) -> str:
    """The access token: the line after `Access token (...)`."""
    lines = banner.splitlines()
    for index, line in enumerate(lines):
        if line.strip().startswith("Access token"):
            return lines[index + 1].strip()
    raise RuntimeError(f"the mock printed no access token:\n{banner}")


def start_prism(token: str, log_level: str, logs: Path) -> Server:
    port = _free_port()
    command = [str(PRISM), "mock", str(SPEC.relative_to(ROOT)), "-h", HOST, "-p", str(port)]
    if log_level != "info":
        command += ["-v", log_level]
    log(f"starting prism {' '.join(command[1:])}")
    log_file = (logs / "prism.log").open("w+")
    env = {**os.environ, "NO_UPDATE_NOTIFIER": "1", "NODE_ENV": "production"}
    launched = time.monotonic()
    process = subprocess.Popen(
        command, stdout=log_file, stderr=subprocess.STDOUT, cwd=ROOT, env=env
    )
    server = Server(
        key="prism",
        label=f"Prism {_prism_version()} (static)",
        process=process,
        log_file=log_file,
        base_url=f"http://{HOST}:{port}",
    )
    server.startup_s = _wait_for_200(server, "/employees", token, launched)
    log(f"  first 200 on GET /employees {server.startup_s:.2f} s after launch")
    return server


def _package_version(name: str) -> str:
    try:
        data = json.loads((ROOT / "node_modules" / name / "package.json").read_text())
        return str(data["version"])
    except (OSError, ValueError, KeyError):
        return "?"


def _prism_version() -> str:
    return _package_version("@stoplight/prism-cli")


# --- what is loaded -----------------------------------------------------------------------------


@dataclass
class Workload:
    key: str
    title: str  # for the tables
    scenario: str  # scenario of bench_load.js
    path: str = ""  # for `get`, after the API prefix
    target_ratio: float | None = None  # mock / Prism req/s at least (reads)
    target_rps: float | None = None  # req/s at least (the write mix, mock alone)
    headers: dict[str, str] = field(default_factory=dict)  # sent beside the token


@dataclass
class Fixtures:
    """What the read workloads need from the mock's data."""

    now: datetime
    manager_id: int
    recording: str  # a recordFileName with a transcript
    employees: list[dict[str, Any]]  # [{id, number}] for the write mix


def _utc(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_PLACEHOLDER = re.compile(r"\{(now(?:-[0-9]+d)?|manager|recording)\}")


def _filled(value: object, fx: Fixtures) -> str:
    """A value of `x-mock-bench`'s parameters with its placeholders filled from the mock's
    data: `{now}`, `{now-7d}` (any number of days), `{manager}`, `{recording}`."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "manager":
            return str(fx.manager_id)
        if name == "recording":
            return fx.recording
        days = int(name.removeprefix("now-").removesuffix("d") or 0) if "-" in name else 0
        return _utc(fx.now - timedelta(days=days))

    return _PLACEHOLDER.sub(fill, str(value))


def read_workloads(fx: Fixtures, spec: Path = SPEC) -> list[Workload]:
    """Every read the spec marks `x-mock-bench`, as a client would ask for it: its path
    parameters in the path, its query parameters in the query, its headers sent."""
    workloads = []
    for operation in SpecIndex.load(spec):
        bench = operation.traits.bench
        if bench is None:
            continue
        path, query, headers = operation.path, [], {}
        for name, value in bench.parameters.items():
            parameter = operation.parameter(name)
            assert parameter is not None  # the index refuses a parameter the operation lacks
            filled = _filled(value, fx)
            if parameter.location == "path":
                path = path.replace("{" + name + "}", quote(filled, safe=""))
            elif parameter.location == "query":
                query.append(f"{quote(name, safe='')}={quote(filled, safe='')}")
            else:
                headers[name.lower()] = filled
        title = operation.label + ("" if bench.note is None else f" ({bench.note})")
        ratio = READ_TARGET_RATIO if bench.ratio is None else bench.ratio
        target = path + ("?" + "&".join(query) if query else "")
        workloads.append(Workload(bench.name, title, "get", target, ratio, headers=headers))
    return workloads


WRITE_MIX = Workload(
    "write_mix",
    "write mix (blacklist add/delete, manager create/list/delete, click-to-call)",
    "mixed",
    target_rps=WRITE_TARGET_RPS,
)


def discover(mock: Server, token: str) -> Fixtures:
    """The mock's clock, a manager, a recording with a transcript (made once, so that the
    runs read it from the cache as any later download does) and the employees."""
    port, api = mock.port, mock.path_prefix
    status, body = _request(port, "GET", "/mock/clock")
    if status != 200:
        raise RuntimeError(f"GET /mock/clock answered {status}")
    now = datetime.fromisoformat(json.loads(body)["now"].replace("Z", "+00:00"))
    status, body = _get(port, api + "/managers", token)
    managers = json.loads(body)
    if status != 200 or not managers:
        raise RuntimeError(f"GET /managers answered {status}: {body[:200]!r}")
    status, body = _get(port, api + "/employees", token)
    employees = [
        {"id": e["employeeId"], "number": e["fullNumber"]}
        for e in json.loads(body)
        if "fullNumber" in e
    ]
    window = f"start={_utc(now - timedelta(days=7))}&end={_utc(now)}"
    status, body = _get(
        port, f"{api}/call-records/info?{window}&is_recorded=true&size=200&sort=date,DESC", token
    )
    recording = None
    # A typical call: one to three minutes of conversation, with a transcript.
    for record in json.loads(body):
        if not 60 <= record.get("conversationDuration", 0) <= 180:
            continue
        name = quote(record["recordFileName"], safe="")
        status, _ = _get(port, f"{api}/call-records/file/stt?filename={name}", token)
        if status == 200:
            recording = str(record["recordFileName"])
            status, _ = _get(port, f"{api}/call-records/file?filename={name}", token)
            break
    if recording is None:
        raise RuntimeError("found no recording of 1-3 minutes with a transcript in 7 days")
    return Fixtures(now, int(managers[0]["id"]), recording, employees)


def start_live_calls(mock: Server, employees: list[dict[str, Any]]) -> None:
    """Two conversations in progress and a caller waiting in queue "1", for the rest of the
    run (4 hours of the mock's clock), so that monitoring has something to list."""
    calls: list[dict[str, Any]] = [
        {"from": "79161234567", "to": employees[0]["number"], "durationSeconds": 14_000},
        {"from": "79161234568", "durationSeconds": 14_000},
        {"from": "79161234569", "queue": "1", "outcome": "not_answered", "durationSeconds": 14_000},
    ]
    for call in calls:
        status, body = _request(mock.port, "POST", "/mock/calls/incoming", body=call)
        if status != 200:
            raise RuntimeError(f"POST /mock/calls/incoming answered {status}: {body[:200]!r}")


# --- load ---------------------------------------------------------------------------------------


@dataclass
class Row:
    workload: str
    title: str
    server: str
    label: str
    rps: float
    p50_ms: float | None
    p99_ms: float | None
    non2xx: int
    socket_errors: int
    timeouts: int
    requests: int
    duration_s: float
    cpu_us_per_request: float | None
    # Share of the machine's CPU (all cores) that other processes used during the row.
    others_cpu_share: float | None = None
    status_codes: dict[str, int] = field(default_factory=dict)
    load_average: list[float] = field(default_factory=list)  # 1-minute, before and after
    rounds: list[dict[str, float | None]] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return self.non2xx + self.socket_errors


@dataclass
class _Meter:
    """CPU of the server, of the load generator and of the whole machine, at one moment."""

    server: float
    loader: float
    machine: float
    at: float

    @classmethod
    def read(cls, server_pid: int, loader_pid: int) -> _Meter:
        return cls(
            cpu_seconds(server_pid),
            cpu_seconds(loader_pid),
            machine_busy_seconds(),
            time.monotonic(),
        )


def run_load(
    server: Server,
    workload: Workload,
    *,
    token: str,
    connections: int,
    duration: int,
    warmup: int,
    employees: list[dict[str, Any]],
) -> Row:
    config: dict[str, Any] = {
        "url": server.base_url,
        "connections": connections,
        "duration": duration,
        "warmup": warmup,
        "scenario": workload.scenario,
        "path": workload.path,
        "headers": {"authorization": token, **workload.headers},
        "employees": employees,
    }
    log(
        f"{workload.title} on {server.label}: {connections} connections, "
        f"warm-up {warmup} s, then {duration} s measured"
    )
    # Warm-up and measurement run in one node process, which says on stderr when the
    # measured part starts: the CPU times are read then and at the end.
    load_before = load_average()
    process = subprocess.Popen(
        ["node", str(LOAD_JS), json.dumps(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stderr is not None
    assert process.stdout is not None
    start: _Meter | None = None if warmup > 0 else _Meter.read(server.process.pid, process.pid)
    end: _Meter | None = None
    for line in process.stderr:
        if line.startswith("measure start") and start is None:
            start = _Meter.read(server.process.pid, process.pid)
            continue
        if line.startswith("measure end"):
            end = _Meter.read(server.process.pid, process.pid)
            continue
        print("        " + line.rstrip(), file=sys.stderr, flush=True)
    stdout = process.stdout.read()
    if process.wait() != 0:
        raise RuntimeError(f"bench_load.js failed on {workload.title} ({server.label})")
    if end is None:  # an older bench_load.js: the loader's own CPU is then lost with it
        end = _Meter(cpu_seconds(server.process.pid), 0.0, machine_busy_seconds(), 0.0)
    server.peak_rss_mib = max(server.peak_rss_mib, peak_rss_mib(server.process.pid))
    result = json.loads(stdout)["result"]
    latency = result["latency_us"]
    requests = int(result["requests"])
    cpu_us = others = None
    if start is not None:
        if requests:
            cpu_us = (end.server - start.server) * 1e6 / requests
        elapsed = end.at - start.at if end.at else float(result["duration_s"])
        used = (end.machine - start.machine) - (end.server - start.server)
        used -= end.loader - start.loader
        if elapsed > 0:
            others = max(0.0, used / (elapsed * (os.cpu_count() or 1)))
    row = Row(
        workload=workload.key,
        title=workload.title,
        server=server.key,
        label=server.label,
        rps=float(result["rps"]),
        p50_ms=None if latency["p50"] is None else latency["p50"] / 1000,
        p99_ms=None if latency["p99"] is None else latency["p99"] / 1000,
        non2xx=int(result["non2xx"]),
        socket_errors=int(result["errors"]),
        timeouts=int(result["timeouts"]),
        requests=requests,
        duration_s=float(result["duration_s"]),
        cpu_us_per_request=cpu_us,
        others_cpu_share=others,
        status_codes={str(k): int(v) for k, v in result["status_codes"].items()},
        load_average=[load_before, load_average()],
    )
    log(
        f"  {row.rps:,.0f} req/s, p50 {_ms(row.p50_ms)} ms, p99 {_ms(row.p99_ms)} ms, "
        f"CPU {_us(row.cpu_us_per_request)} us/req, errors {row.errors} "
        f"(statuses {row.status_codes}), others' CPU {_share(row.others_cpu_share)}"
    )
    return row


def _median(values: list[float | None]) -> float | None:
    present = sorted(v for v in values if v is not None)
    return statistics.median(present) if present else None


def combine(rounds: list[Row]) -> Row:
    """One row from several rounds of the same load: medians of the rates and latencies,
    sums of the counts; the rounds themselves are kept."""
    first = rounds[0]
    codes: dict[str, int] = {}
    for r in rounds:
        for code, count in r.status_codes.items():
            codes[code] = codes.get(code, 0) + count
    return Row(
        workload=first.workload,
        title=first.title,
        server=first.server,
        label=first.label,
        rps=_median([r.rps for r in rounds]) or 0.0,
        p50_ms=_median([r.p50_ms for r in rounds]),
        p99_ms=_median([r.p99_ms for r in rounds]),
        non2xx=sum(r.non2xx for r in rounds),
        socket_errors=sum(r.socket_errors for r in rounds),
        timeouts=sum(r.timeouts for r in rounds),
        requests=sum(r.requests for r in rounds),
        duration_s=sum(r.duration_s for r in rounds),
        cpu_us_per_request=_median([r.cpu_us_per_request for r in rounds]),
        others_cpu_share=_median([r.others_cpu_share for r in rounds]),
        status_codes=codes,
        load_average=[x for r in rounds for x in r.load_average],
        rounds=[
            {
                "rps": r.rps,
                "p50_ms": r.p50_ms,
                "p99_ms": r.p99_ms,
                "cpu_us_per_request": r.cpu_us_per_request,
                "others_cpu_share": r.others_cpu_share,
                "load_average_before": r.load_average[0] if r.load_average else None,
            }
            for r in rounds
        ],
    )


# --- report -------------------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _us(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _ratio(ours: float | None, theirs: float | None) -> float | None:
    if ours is None or theirs is None or theirs == 0:
        return None
    return ours / theirs


def _x(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


@dataclass
class Verdict:
    """A workload's targets and whether the measurement met each."""

    workload: str
    title: str
    rps_ratio: float | None = None
    p99_ratio: float | None = None
    cpu_ratio: float | None = None
    target_ratio: float | None = None
    rps: float | None = None
    target_rps: float | None = None

    @property
    def checks(self) -> dict[str, bool]:
        if self.target_rps is not None:
            return {"rps": self.rps is not None and self.rps >= self.target_rps}
        return {
            "rps": self.rps_ratio is not None
            and self.target_ratio is not None
            and self.rps_ratio >= self.target_ratio,
            "p99": self.p99_ratio is not None and self.p99_ratio <= 1,
            "cpu": self.cpu_ratio is not None and self.cpu_ratio <= 1,
        }

    @property
    def met(self) -> bool:
        return all(self.checks.values())


def verdicts(rows: list[Row], workloads: list[Workload]) -> list[Verdict]:
    by_key = {(r.workload, r.server): r for r in rows}
    found: list[Verdict] = []
    for workload in workloads:
        mine = by_key.get((workload.key, "mock"))
        if mine is None:
            continue
        if workload.target_rps is not None:
            found.append(
                Verdict(workload.key, workload.title, rps=mine.rps, target_rps=workload.target_rps)
            )
            continue
        theirs = by_key.get((workload.key, "prism"))
        if theirs is None:
            continue
        found.append(
            Verdict(
                workload.key,
                workload.title,
                rps_ratio=_ratio(mine.rps, theirs.rps),
                p99_ratio=_ratio(mine.p99_ms, theirs.p99_ms),
                cpu_ratio=_ratio(mine.cpu_us_per_request, theirs.cpu_us_per_request),
                target_ratio=workload.target_ratio,
                rps=mine.rps,
            )
        )
    return found


def _mark(ok: bool) -> str:
    return "yes" if ok else "**no**"


def _row_line(row: Row) -> str:
    return (
        f"| {row.title} | {row.label} | {row.rps:,.0f} | {_ms(row.p50_ms)} | "
        f"{_ms(row.p99_ms)} | {row.non2xx} + {row.socket_errors} | "
        f"{_us(row.cpu_us_per_request)} | {_share(row.others_cpu_share)} |"
    )


def markdown(rows: list[Row], servers: list[Server], found: list[Verdict]) -> str:
    """Each workload's rows (mock, then Prism), the verdicts, the servers."""
    lines = [
        "| workload | server | req/s | p50 ms | p99 ms | errors (non-2xx + socket) | "
        "server CPU µs/req | others' CPU |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for workload in dict.fromkeys(r.workload for r in rows):
        lines += [_row_line(r) for r in rows if r.workload == workload]
    lines += [
        "",
        "| workload | mock / Prism req/s | target | p99 mock / Prism | CPU/req mock / Prism "
        "| met |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for v in found:
        if v.target_rps is not None:
            lines.append(
                f"| {v.title} | {v.rps or 0:,.0f} req/s | >= {v.target_rps:,.0f} req/s | | | "
                f"{_mark(v.met)} |"
            )
        else:
            lines.append(
                f"| {v.title} | {_x(v.rps_ratio)} | >= {v.target_ratio:.1f}x | "
                f"{_x(v.p99_ratio)} | {_x(v.cpu_ratio)} | {_mark(v.met)} |"
            )
    lines += ["", "| server | launch to first 200 (s) | peak RSS (MiB) |", "| --- | ---: | ---: |"]
    for server in servers:
        lines.append(f"| {server.label} | {server.startup_s:.2f} | {server.peak_rss_mib:.0f} |")
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    cpu_model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        node = subprocess.run(
            ["node", "--version"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        node = "?"
    return {
        "nproc": os.cpu_count(),
        "cpu_model": cpu_model,
        "python": platform.python_version(),
        "node": node,
        "platform": platform.platform(),
        "prism": _prism_version(),
        "autocannon": _package_version("autocannon"),
        "loadavg_at_start": Path("/proc/loadavg").read_text().split()[:3],
    }


def load_summary(rows: list[Row], info: dict[str, Any], at_end: list[str]) -> str:
    """Says how loaded the machine was: the load average before and after the run, and the
    share of the CPU other processes used during each row, which decides (the load average
    lags: it still counts work that ended a minute before the run)."""
    shares = [r.others_cpu_share for r in rows if r.others_cpu_share is not None]
    busiest = max(shares, default=0.0)
    quiet = busiest < QUIET_SHARE
    return (
        f"Load average (1, 5, 15 min) before the run {' '.join(info['loadavg_at_start'])}, "
        f"after it {' '.join(at_end)}; other processes used at most {busiest:.0%} of the "
        f"machine's CPU during a row (median {_share(_median(list(shares)))}). "
        + (
            "The machine was quiet."
            if quiet
            else "The machine was LOADED by other work: ratios are not fair comparisons, and "
            "the CPU per request is an upper bound."
        )
    )


# --- main ---------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench.py", description="Benchmark the mock side by side with Prism (loopback)."
    )
    parser.add_argument("--connections", type=int, default=10, help="concurrent connections")
    parser.add_argument("--duration", type=int, default=6, help="seconds measured per row")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per row")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure each row this many times, the mock and Prism in turn, and report the "
        "medians (default 1; use 3 for the README)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: 1 s warm-up and 2 s per row"
    )
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated workload keys to run (default: all): "
        "employees, call_records, managers, manager, monitoring, pending, blacklist, "
        "statistics_common, statistics_journal, recording, transcript, write_mix",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the mock's data")
    parser.add_argument(
        "--now",
        default=DEFAULT_NOW,
        help=f"the mock's clock starts here (default {DEFAULT_NOW}; '' for real time)",
    )
    parser.add_argument("--app", choices=["async", "flask"], default="async")
    parser.add_argument("--workers", type=int, default=1, help="the mock's --workers (default 1)")
    parser.add_argument(
        "--prism-log-level",
        default="warn",
        choices=["info", "warn", "error"],
        help="Prism's -v (default warn: no line per request, as the mock logs none; "
        "info is Prism's own default, a log line per request)",
    )
    parser.add_argument(
        "--json", type=Path, default=ROOT / "reports" / "bench.json", help="where to write JSON"
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 unless every target of the run is met"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.warmup = 2, 1
    args.only = {key.strip() for key in args.only.split(",") if key.strip()}
    if min(args.connections, args.duration, args.workers, args.rounds) < 1 or args.warmup < 0:
        parser.error("--connections, --duration, --workers and --rounds must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    for tool in (PRISM, LOAD_JS):
        if not tool.exists():
            log(f"{tool} is missing: run `make install` first")
            return 2
    info = machine()
    log(
        f"{info['nproc']} CPUs ({info['cpu_model']}), Python {info['python']}, node "
        f"{info['node']}, load average {' '.join(info['loadavg_at_start'])}"
    )
    rows: list[Row] = []
    servers: list[Server] = []
    workloads: list[Workload] = []
    load = {"connections": args.connections, "duration": args.duration, "warmup": args.warmup}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        logs = Path(tmp)
        try:
            mock, token = start_mock(args, logs)
            servers.append(mock)
            fixtures = discover(mock, token)
            prism = start_prism(token, args.prism_log_level, logs)
            servers.append(prism)
            workloads = [*read_workloads(fixtures), WRITE_MIX]
            if args.only:
                unknown = args.only - {w.key for w in workloads}
                if unknown:
                    raise SystemExit(f"--only: unknown workloads {', '.join(sorted(unknown))}")
                workloads = [w for w in workloads if w.key in args.only]
            kwargs: dict[str, Any] = {"token": token, "employees": fixtures.employees, **load}
            # Each round loads the mock, then Prism, so that whatever else the machine does
            # weighs on both alike; a row is the median of its rounds.
            live = False
            for workload in workloads:
                if workload.key in ("monitoring", "pending") and not live:
                    start_live_calls(mock, fixtures.employees)
                    live = True
                targets = [mock] if workload.target_rps is not None else [mock, prism]
                measured: dict[str, list[Row]] = {s.key: [] for s in targets}
                for round_ in range(args.rounds):
                    if args.rounds > 1:
                        log(f"{workload.title}: round {round_ + 1} of {args.rounds}")
                    for server in targets:
                        measured[server.key].append(run_load(server, workload, **kwargs))
                rows += [combine(measured[s.key]) for s in targets]
        finally:
            for server in servers:
                server.stop()
    at_end = Path("/proc/loadavg").read_text().split()[:3]
    found = verdicts(rows, workloads)
    table = markdown(rows, servers, found)
    summary = load_summary(rows, info, at_end)
    settings = {
        **load,
        "seed": args.seed,
        "now": args.now,
        "app": args.app,
        "workers": args.workers,
        "rounds": args.rounds,
        "prism_mode": "static (the spec's examples)",
        "prism_log_level": args.prism_log_level,
        "latency": "of 2xx answers, measured per response by bench_load.js (microseconds)",
    }
    met = bool(found) and all(v.met for v in found)
    report = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {**info, "loadavg_at_end": at_end},
        "settings": settings,
        "servers": [
            {
                "key": s.key,
                "label": s.label,
                "startup_s": round(s.startup_s, 3),
                "peak_rss_mib": round(s.peak_rss_mib, 1),
            }
            for s in servers
        ],
        "rows": [{**asdict(r), "errors": r.errors} for r in rows],
        "verdicts": [{**asdict(v), "checks": v.checks, "met": v.met} for v in found],
        "targets_met": met,
        "load": summary,
        "markdown": table,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print()
    print(
        f"{info['nproc']} CPUs ({info['cpu_model']}), Python {info['python']}, node "
        f"{info['node']}; {args.connections} connections, {args.warmup} s warm-up + "
        f"{args.duration} s per row, median of {args.rounds} round(s); "
        f"{_mock_label(args)}; Prism static, -v {args.prism_log_level}"
    )
    print()
    print(table)
    print()
    print(summary)
    missed = [v.title for v in found if not v.met]
    print(
        "Targets: "
        + ("all met" if met else f"NOT met on {len(missed)}: " + "; ".join(missed))
        + f". JSON: {args.json}"
    )
    return 1 if args.check and not met else 0


if __name__ == "__main__":
    sys.exit(main())
