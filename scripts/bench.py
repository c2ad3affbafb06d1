"""Benchmark the mock side by side with Prism, over loopback, with autocannon.

    .venv/bin/python scripts/bench.py            # 10 connections, 3 s warm-up + 10 s per row
    .venv/bin/python scripts/bench.py --quick    # a short smoke run (1 s + 2 s per row)

Starts the mock (`tele2-ats-mock`) and Prism (`prism mock openapi/tele2-ats.yaml`, static mode:
it answers the spec's examples) on free loopback ports, then loads each in turn with the same
requests from autocannon (scripts/bench_load.js, autocannon's programmatic API), each row after
a warm-up of the same load:

- GET /employees with a valid token (both servers);
- GET /call-records/info with start/end, is_recorded=true and size=50 (both servers);
- for the mock alone, a mixed read/write workload: blacklist add and delete, manager create,
  list and delete, click-to-call (scripts/bench_load.js, scenario `mixed`);
- GET /employees on the mock's other configurations: a single process (the mock runs with
  --workers 2 by default: two processes sharing one SQLite state file) and each further
  Connexion app class of --apps (default: FlaskApp too).

Measured per row: requests/s, p50/p99 latency of the 2xx answers (microsecond resolution),
errors (non-2xx answers and socket errors), the server's CPU time per request; per server: the
time from launch to its first 200 on GET /employees and its peak RSS (VmHWM from /proc, summed
over the server's processes). Prints progress while it runs, then a Markdown table, and writes
everything as JSON to reports/bench.json (or --json). Linux only (/proc); nothing leaves
127.0.0.1.
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

__all__ = ["main"]

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "openapi" / "tele2-ats.yaml"
PRISM = ROOT / "node_modules" / ".bin" / "prism"
LOAD_JS = ROOT / "scripts" / "bench_load.js"
HOST = "127.0.0.1"
API_PREFIX = "/crm/openapi"
START_TIMEOUT_SECONDS = 120.0
TARGET_RPS_RATIO = 1.5
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


# --- servers ------------------------------------------------------------------------------------


@dataclass
class Server:
    key: str  # "mock-async", "prism", ...
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


def _get(port: int, path: str, token: str, timeout: float = 5.0) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Authorization": token})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


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


def _mock_command(app_kind: str, workers: int, seed: int) -> list[str]:
    script = Path(sys.executable).with_name("tele2-ats-mock")
    head = [str(script)] if script.exists() else [sys.executable, "-m", "mock_server.cli"]
    return [
        *head,
        "--host",
        HOST,
        "--port",
        "0",
        "--seed",
        str(seed),
        "--app",
        app_kind,
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]


def mock_key(app_kind: str, workers: int) -> str:
    return f"mock-{app_kind}-{workers}w"


def mock_short(key: str) -> str:
    """`mock-async-2w` -> `async, 2 workers`."""
    _, app_kind, workers = key.split("-")
    count = int(workers.removesuffix("w"))
    return f"{app_kind}, {count} worker{'s' if count > 1 else ''}"


def start_mock(app_kind: str, workers: int, seed: int, logs: Path) -> tuple[Server, str]:
    """Start the mock; the server and the access token its banner prints (6th line)."""
    log(f"starting tele2-ats-mock --app {app_kind} --workers {workers} --seed {seed}")
    key = mock_key(app_kind, workers)
    log_path = logs / f"{key}.log"
    log_file = log_path.open("w+")
    launched = time.monotonic()
    process = subprocess.Popen(
        _mock_command(app_kind, workers, seed),
        stdout=log_file,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    banner = ""
    while time.monotonic() < launched + START_TIMEOUT_SECONDS:
        banner = log_path.read_text()
        if len(banner.splitlines()) >= 6 and _API_LINE.search(banner):
            break
        if process.poll() is not None:
            raise RuntimeError(f"the mock exited with {process.returncode}:\n{banner}")
        time.sleep(0.01)
    match = _API_LINE.search(banner)
    if match is None:
        process.kill()
        raise RuntimeError(f"the mock printed no API URL:\n{banner}")
    token = banner.splitlines()[5].strip()
    server = Server(
        key=key,
        label=f"tele2-ats-mock ({'AsyncApp' if app_kind == 'async' else 'FlaskApp'}, "
        f"{workers} worker{'s' if workers > 1 else ''})",
        process=process,
        log_file=log_file,
        base_url=match.group(1) + API_PREFIX,
    )
    server.startup_s = _wait_for_200(server, "/employees", token, launched)
    log(f"  first 200 on GET /employees {server.startup_s:.2f} s after launch")
    return server, token


def start_prism(token: str, log_level: str, logs: Path) -> Server:
    port = _free_port()
    command = [str(PRISM), "mock", str(SPEC.relative_to(ROOT)), "-h", HOST, "-p", str(port)]
    if log_level != "info":
        command += ["-v", log_level]
    log(f"starting {' '.join(command[1:])}")
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


# --- load ---------------------------------------------------------------------------------------


@dataclass
class Workload:
    key: str
    title: str  # for the tables
    scenario: str  # scenario of bench_load.js
    path: str = ""  # for `get`, after the API prefix


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
    status_codes: dict[str, int] = field(default_factory=dict)
    load_average: list[float] = field(default_factory=list)  # 1-minute, before and after
    rounds: list[dict[str, float | None]] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return self.non2xx + self.socket_errors


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
        "headers": {"authorization": token},
        "employees": employees,
    }
    log(
        f"{workload.title} on {server.label}: {connections} connections, "
        f"warm-up {warmup} s, then {duration} s measured"
    )
    # Warm-up and measurement run in one node process, which says on stderr when the
    # measured part starts: the server's CPU time is read then and at the end.
    load_before = _load_average()
    process = subprocess.Popen(
        ["node", str(LOAD_JS), json.dumps(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stderr is not None
    assert process.stdout is not None
    cpu_start: float | None = None if warmup > 0 else cpu_seconds(server.process.pid)
    for line in process.stderr:
        if line.startswith("measure start") and cpu_start is None:
            cpu_start = cpu_seconds(server.process.pid)
            continue
        print("        " + line.rstrip(), file=sys.stderr, flush=True)
    stdout = process.stdout.read()
    if process.wait() != 0:
        raise RuntimeError(f"bench_load.js failed on {workload.title} ({server.label})")
    cpu_end = cpu_seconds(server.process.pid)
    server.peak_rss_mib = max(server.peak_rss_mib, peak_rss_mib(server.process.pid))
    result = json.loads(stdout)["result"]
    latency = result["latency_us"]
    requests = int(result["requests"])
    cpu_us = None
    if cpu_start is not None and requests:
        cpu_us = (cpu_end - cpu_start) * 1e6 / requests
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
        status_codes={str(k): int(v) for k, v in result["status_codes"].items()},
        load_average=[load_before, _load_average()],
    )
    log(
        f"  {row.rps:,.0f} req/s, p50 {_ms(row.p50_ms)} ms, p99 {_ms(row.p99_ms)} ms, "
        f"errors {row.errors} (statuses {row.status_codes})"
    )
    return row


def _load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


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
        status_codes=codes,
        load_average=[x for r in rounds for x in r.load_average],
        rounds=[
            {
                "rps": r.rps,
                "p50_ms": r.p50_ms,
                "p99_ms": r.p99_ms,
                "cpu_us_per_request": r.cpu_us_per_request,
                "load_average_before": r.load_average[0] if r.load_average else None,
            }
            for r in rounds
        ],
    )


# --- report -------------------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _ratio(ours: float | None, theirs: float | None) -> float | None:
    if ours is None or theirs is None or theirs == 0:
        return None
    return ours / theirs


def _x(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def ratios(rows: list[Row], ours: str, theirs: str) -> dict[str, dict[str, float | None]]:
    by_key = {(r.workload, r.server): r for r in rows}
    result: dict[str, dict[str, float | None]] = {}
    for row in rows:
        if row.server != ours or (row.workload, theirs) not in by_key:
            continue
        other = by_key[(row.workload, theirs)]
        result[row.workload] = {
            "rps": _ratio(row.rps, other.rps),
            "p50": _ratio(row.p50_ms, other.p50_ms),
            "p99": _ratio(row.p99_ms, other.p99_ms),
            "cpu_per_request": _ratio(row.cpu_us_per_request, other.cpu_us_per_request),
        }
    return result


def _row_line(row: Row) -> str:
    cpu = "-" if row.cpu_us_per_request is None else f"{row.cpu_us_per_request:.0f}"
    return (
        f"| {row.title} | {row.label} | {row.rps:,.0f} | {_ms(row.p50_ms)} | "
        f"{_ms(row.p99_ms)} | {row.non2xx} + {row.socket_errors} | {cpu} |"
    )


def _ratio_line(title: str, label: str, r: dict[str, float | None]) -> str:
    return (
        f"| {title} | **{label}** | **{_x(r['rps'])}** | {_x(r['p50'])} | **{_x(r['p99'])}** "
        f"| | {_x(r['cpu_per_request'])} |"
    )


def markdown(
    rows: list[Row],
    servers: list[Server],
    ratio_table: dict[str, dict[str, float | None]],
    ours: str,
    app_ratios: dict[str, dict[str, float | None]],
) -> str:
    """Rows of the mock compared with Prism (and their ratio), the mock's alone, app classes."""
    header = [
        "| workload | server | req/s | p50 ms | p99 ms | errors (non-2xx + socket) | "
        "server CPU µs/req |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines = list(header)
    for workload in dict.fromkeys(r.workload for r in rows):
        group = [r for r in rows if r.workload == workload and r.server in (ours, "prism")]
        lines += [_row_line(r) for r in group]
        if workload in ratio_table:
            lines.append(_ratio_line(group[0].title, "mock / Prism", ratio_table[workload]))
    others = [r for r in rows if r.server not in (ours, "prism")]
    if others:
        lines += ["", "Other configurations of the mock:", "", *header]
        shown: set[str] = set()
        for other in others:
            if other.workload not in shown:
                lines += [
                    _row_line(r) for r in rows if r.workload == other.workload and r.server == ours
                ]
                shown.add(other.workload)
            lines.append(_row_line(other))
            label = f"({mock_short(ours)}) / ({mock_short(other.server)})"
            lines.append(_ratio_line(other.title, label, app_ratios.get(other.server, {})))
    lines += ["", "| server | launch to first 200 (s) | peak RSS (MiB) |", "| --- | ---: | ---: |"]
    for server in servers:
        lines.append(f"| {server.label} | {server.startup_s:.2f} | {server.peak_rss_mib:.0f} |")
    by_key = {s.key: s for s in servers}
    if ours in by_key and "prism" in by_key:
        mine_server, prism = by_key[ours], by_key["prism"]
        lines.append(
            f"| **mock / Prism** | {_x(_ratio(mine_server.startup_s, prism.startup_s))} | "
            f"{_x(_ratio(mine_server.peak_rss_mib, prism.peak_rss_mib))} |"
        )
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


# --- main ---------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench.py", description="Benchmark the mock side by side with Prism (loopback)."
    )
    parser.add_argument("--connections", type=int, default=10, help="concurrent connections")
    parser.add_argument("--duration", type=int, default=10, help="seconds measured per row")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per row")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure each row this many times, the mock and Prism in turn, and report the "
        "medians (default 1; use 3 or more on a machine that is doing other work)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: 1 s warm-up and 2 s per row"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the mock's data")
    parser.add_argument(
        "--apps",
        default="async,flask",
        help="Connexion app classes of the mock, comma-separated; the first is compared with "
        "Prism on every row, the others on GET /employees only (default: async,flask)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="the mock's --workers (default 2, one per core of a 2-core machine); with more "
        "than one, GET /employees is also measured with a single process",
    )
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
        "--check",
        action="store_true",
        help=f"exit 1 unless the mock makes >= {TARGET_RPS_RATIO}x Prism's req/s with a lower "
        "p99 on GET /employees",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.warmup = 2, 1
    args.apps = [a.strip() for a in args.apps.split(",") if a.strip()]
    if not args.apps or any(a not in ("async", "flask") for a in args.apps):
        parser.error("--apps takes async and/or flask")
    if min(args.connections, args.duration, args.workers, args.rounds) < 1 or args.warmup < 0:
        parser.error("--connections, --duration, --workers and --rounds must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    for tool in (PRISM, LOAD_JS):
        if not tool.exists():
            log(f"{tool} is missing: run `make install` first")
            return 2
    now = datetime.now(UTC).replace(microsecond=0)
    start = (now - timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    employees_get = Workload("employees", "GET /employees", "get", "/employees")
    records_get = Workload(
        "call_records",
        "GET /call-records/info (is_recorded, size=50)",
        "get",
        f"/call-records/info?start={start}&end={end}&is_recorded=true&size=50",
    )
    mixed = Workload(
        "mixed",
        "mixed writes (blacklist, managers, click-to-call)",
        "mixed",
    )
    info = machine()
    log(
        f"{info['nproc']} CPUs ({info['cpu_model']}), Python {info['python']}, node "
        f"{info['node']}, load average {' '.join(info['loadavg_at_start'])}"
    )
    rows: list[Row] = []
    servers: list[Server] = []
    ours = mock_key(args.apps[0], args.workers)
    variants = [(args.apps[0], 1)] if args.workers > 1 else []
    variants += [(kind, args.workers) for kind in args.apps[1:]]
    load = {
        "connections": args.connections,
        "duration": args.duration,
        "warmup": args.warmup,
    }
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        logs = Path(tmp)
        try:
            mock, token = start_mock(args.apps[0], args.workers, args.seed, logs)
            servers.append(mock)
            status, body = _get(mock.port, mock.path_prefix + "/employees", token)
            if status != 200:
                raise RuntimeError(f"GET /employees answered {status}")
            employees = [
                {"id": e["employeeId"], "number": e["fullNumber"]}
                for e in json.loads(body)
                if "fullNumber" in e
            ]
            prism = start_prism(token, args.prism_log_level, logs)
            servers.append(prism)
            # Each round loads the mock, then Prism, so that whatever else the machine does
            # weighs on both alike; a row is the median of its rounds.
            for workload in (employees_get, records_get):
                measured: dict[str, list[Row]] = {mock.key: [], prism.key: []}
                for round_ in range(args.rounds):
                    if args.rounds > 1:
                        log(f"{workload.title}: round {round_ + 1} of {args.rounds}")
                    for server in (mock, prism):
                        measured[server.key].append(
                            run_load(server, workload, token=token, employees=employees, **load)
                        )
                rows += [combine(measured[mock.key]), combine(measured[prism.key])]
            rows.append(
                combine(
                    [
                        run_load(mock, mixed, token=token, employees=employees, **load)
                        for _ in range(args.rounds)
                    ]
                )
            )
            mock.stop()
            prism.stop()
            for app_kind, workers in variants:
                other, other_token = start_mock(app_kind, workers, args.seed, logs)
                servers.append(other)
                try:
                    rows.append(
                        combine(
                            [
                                run_load(
                                    other,
                                    employees_get,
                                    token=other_token,
                                    employees=employees,
                                    **load,
                                )
                                for _ in range(args.rounds)
                            ]
                        )
                    )
                finally:
                    other.stop()
        finally:
            for server in servers:
                server.stop()
    ratio_table = ratios(rows, ours, "prism")
    app_ratios = {
        mock_key(*variant): ratios(rows, ours, mock_key(*variant)).get("employees", {})
        for variant in variants
    }
    table = markdown(rows, servers, ratio_table, ours, app_ratios)
    settings = {
        **load,
        "seed": args.seed,
        "apps": args.apps,
        "workers": args.workers,
        "rounds": args.rounds,
        "prism_mode": "static (the spec's examples)",
        "prism_log_level": args.prism_log_level,
        "latency": "of 2xx answers, measured per response by bench_load.js (microseconds)",
    }
    employees_ratio = ratio_table.get("employees", {})
    rps_ratio, p99_ratio = employees_ratio.get("rps"), employees_ratio.get("p99")
    met = (
        rps_ratio is not None
        and rps_ratio >= TARGET_RPS_RATIO
        and p99_ratio is not None
        and p99_ratio < 1
    )
    report = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": info,
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
        "ratios_mock_over_prism": ratio_table,
        "ratios_over_other_mock_configurations_on_employees": app_ratios,
        "target": {
            "workload": "GET /employees",
            "rps_ratio_at_least": TARGET_RPS_RATIO,
            "p99_lower": True,
            "met": met,
        },
        "markdown": table,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print()
    print(
        f"{info['nproc']} CPUs ({info['cpu_model']}), Python {info['python']}, node "
        f"{info['node']}; {args.connections} connections, {args.warmup} s warm-up + "
        f"{args.duration} s per row, median of {args.rounds} round(s); "
        f"mock --workers {args.workers}; Prism static, "
        f"-v {args.prism_log_level}"
    )
    print()
    print(table)
    print()
    verdict = "met" if met else "NOT met"
    print(
        f"Target on GET /employees (>= {TARGET_RPS_RATIO}x Prism's req/s, lower p99): {verdict} "
        f"({_x(rps_ratio)} req/s, {_x(p99_ratio)} p99). JSON: {args.json}"
    )
    return 1 if args.check and not met else 0


if __name__ == "__main__":
    sys.exit(main())
