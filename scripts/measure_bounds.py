"""Measure the worst case of each bound on what a caller controls (docs/performance.md "Bounds").

    .venv/bin/python scripts/measure_bounds.py                     # every measurement
    .venv/bin/python scripts/measure_bounds.py --only glob,rules   # some of them
    .venv/bin/python scripts/measure_bounds.py --baseline DIR      # also the code in DIR

Measurements (each prints a Markdown table; all of them go to reports/bounds.json):

- `glob`: the time of one match of the path glob's worst cases (issue 22's 50 stars over
  10,000 characters; patterns of 500 characters over the longest request target the server
  passes, 64 KiB);
- `rules`: the CPU time of GET /employees in-process (the app's whole middleware stack, no
  socket) with no fault rule, with the most rules the mock keeps (1,000) matching nothing
  by their paths (issue 22's case), and a 60 KB path (the server passes 64 KiB) with none
  and with 1,000 of the rule that costs most to try on it;
- `history`: a reset and a company seeded at the command line's bound historyDays x
  callsPerDay = 100,000 (30 x 3,333) and at the largest histories a reset's body may ask for
  (the corners of its schema, read from openapi/mock-admin.yaml): seconds, calls per company,
  state file size;
- `journal`: a mock process sent 300 requests with a 2 MB header: its resident memory
  before and after, the journal's reckoned bytes, the size of GET /mock/requests and of the
  console's requests page (200 entries); then 5,000 requests as large as an entry keeps
  (8 KB of headers, 4 KB of query), all listed: the entries kept and the memory they took;
- `cache`: the audio cache's bytes on disk while ten 60 MB entries are written at once by
  ten threads, against its 256 MiB bound (the cache's own logic; no speech);
- `downloads`: a mock process with a 4-hour answered call (its spoken recording, 57 MB,
  made once), then 16 concurrent downloads of the recording, whole: the process's peak
  resident memory before and after.

`--baseline DIR` runs the process measurements (`journal`, `downloads`) also against the
mock whose `mock_server` and `openapi` are in DIR (e.g. `git archive main mock_server openapi
| tar -x -C DIR`). Linux only (/proc); nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import functools
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

__all__ = ["main"]

ROOT = Path(__file__).resolve().parents[1]
NOW = "2026-03-04T15:00:00+03:00"
FULL_JOURNAL_REQUESTS = 5000
MEASUREMENTS = ("glob", "rules", "history", "journal", "cache", "downloads")


def log(message: str) -> None:
    print(f"[bounds] {message}", file=sys.stderr, flush=True)


def _status_kib(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def _table(title: str, header: list[str], rows: list[list[Any]]) -> str:
    lines = [f"### {title}", "", "| " + " | ".join(header) + " |"]
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


# --- in-process measurements ------------------------------------------------------------------


def _best_seconds(action: Callable[[], object], repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best


def measure_glob() -> dict[str, Any]:
    from mock_server.domain.double.paths import PathGlob

    # The path is at most 64 KiB (the server's bound on a request target), a pattern at most
    # 500 characters. Worst for a backtracking matcher: every piece found, the last missing.
    # Worst here: every piece found far along (each scan long), or found and then the end
    # missing after a whole scan.
    spaced = ("a" * 200 + "b") * 326  # 65,526 characters, a 'b' every 201
    cases = [
        ("50 stars, 10,000 characters (issue 22)", "/" + "*a" * 50 + "*b", "/" + "a" * 10_000),
        ("249 stars, 64 KiB, the last piece missing", "/" + "*a" * 248 + "*b*", "/" + "a" * 65_500),
        ("83 pieces 'aaab' found far apart, 64 KiB", "/*" + "aaab*" * 83 + "z", "/" + spaced + "z"),
        ("one 498-character piece, 64 KiB, missing", "/*" + "a" * 497 + "b*", "/" + "a" * 65_500),
    ]
    rows = []
    for label, pattern, path in cases:
        glob = PathGlob(pattern)
        seconds = _best_seconds(functools.partial(glob.fullmatch, path), 20)
        rows.append({"case": label, "match": glob.fullmatch(path), "microseconds": seconds * 1e6})
    return {"rows": rows}


def _inprocess_app(**config: Any) -> tuple[Any, Any, dict[str, str]]:
    from datetime import datetime

    from starlette.testclient import TestClient

    from mock_server.domain.pbx import Pbx, PbxConfig
    from mock_server.http.app import create_app

    now = datetime.fromisoformat(NOW)
    pbx = Pbx(PbxConfig(now=now, frozen=True, **config))
    client = TestClient(create_app(pbx))
    token = client.post("/mock/tokens").json()["accessToken"]
    return pbx, client, {"Authorization": token}


def _cpu_ms_per_request(client: Any, headers: dict[str, str], path: str, count: int) -> float:
    """The quickest of 5 batches of `count` requests, CPU ms each."""
    for _ in range(20):
        client.get(path, headers=headers)
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        for _ in range(count):
            client.get(path, headers=headers)
        best = min(best, (time.process_time() - started) / count)
    return best * 1000


def measure_rules() -> dict[str, Any]:
    pbx, client, headers = _inprocess_app(history_days=1, calls_per_day=5, journal_size=0)
    rows = []
    employees = "/crm/openapi/employees"
    long_path = "/crm/openapi/employees/" + "a" * 60_000
    rows.append(["no rule", _cpu_ms_per_request(client, headers, employees, 200)])
    for index in range(1000):
        client.post("/mock/faults", json={"path": f"/nowhere/{index}/*", "status": 503})
    rows.append(
        ["1,000 rules, paths that differ", _cpu_ms_per_request(client, headers, employees, 200)]
    )
    client.delete("/mock/faults")
    rows.append(["no rule, a 60 KB path", _cpu_ms_per_request(client, headers, long_path, 20)])
    # The worst rule for a long path: its prefix and suffix match, its one long piece is
    # searched for in the whole path and missing.
    worst = "/*" + "a" * 496 + "b*"
    for _ in range(1000):
        client.post("/mock/faults", json={"path": worst, "status": 503})
    rows.append(
        [
            "1,000 rules /*aaa...ab* (500 characters), a 60 KB path of a's",
            _cpu_ms_per_request(client, headers, long_path, 20),
        ]
    )
    client.close()
    pbx.close()
    return {"rows": [{"case": case, "cpu_ms": ms} for case, ms in rows]}


def _reset_corners() -> list[tuple[int, int]]:
    """The largest histories a `POST /mock/reset` body may ask for, read from its schema: each
    `anyOf` branch of ResetRequest caps one field, the properties' maxima cap the other."""
    import yaml

    spec = yaml.safe_load((ROOT / "openapi" / "mock-admin.yaml").read_text(encoding="utf-8"))
    request = spec["components"]["schemas"]["ResetRequest"]
    maxima = {
        name: request["properties"][name]["maximum"] for name in ("historyDays", "callsPerDay")
    }
    corners = []
    for relation in request["allOf"]:
        for branch in relation["anyOf"]:
            capped = {name: field["maximum"] for name, field in branch["properties"].items()}
            bound = {**maxima, **capped}
            corners.append((bound["historyDays"], bound["callsPerDay"]))
    return corners


def measure_history() -> dict[str, Any]:
    """A reset (it seeds the configured companies) and one company created after it, at the
    command line's bound (historyDays x callsPerDay = 100,000) and at each of the largest
    histories a reset's body may ask for."""
    from datetime import datetime

    from mock_server.domain.pbx import Pbx, PbxConfig
    from mock_server.domain.rules.history import MAX_SEEDED_CALLS

    shapes = [("command line", 30, MAX_SEEDED_CALLS // 30)]
    shapes += [("reset body", days, per_day) for days, per_day in _reset_corners()]
    rows = []
    for where, days, per_day in shapes:
        with tempfile.TemporaryDirectory(prefix="bounds-") as tmp:
            state = Path(tmp) / "state.sqlite3"
            config = PbxConfig(
                now=datetime.fromisoformat(NOW), frozen=True, history_days=0, state_file=state
            )
            pbx = Pbx(config)
            try:
                started = time.perf_counter()
                pbx.reset(history_days=days, calls_per_day=per_day)
                reset_seconds = time.perf_counter() - started
                calls = pbx.journal.count(pbx.company_ids()[0])
                started = time.perf_counter()
                pbx.create_company()
                company_seconds = time.perf_counter() - started
            finally:
                pbx.close()
            files = [f for f in Path(tmp).iterdir() if f.is_file()]
            state_mib = sum(f.stat().st_size for f in files) / 2**20
        rows.append(
            {
                "bound of": where,
                "days x calls/day": f"{days} x {per_day}",
                "calls a company": calls,
                f"reset s ({len(config.companies)} companies)": reset_seconds,
                "a company created after, s": company_seconds,
                "state MiB a company": state_mib / (len(config.companies) + 1),
            }
        )
    return {"rows": rows}


def measure_cache() -> dict[str, Any]:
    from mock_server.domain.media.audio_cache import DEFAULT_MAX_BYTES, AudioCache

    entry_bytes = 60 * 2**20
    largest = [0]
    with tempfile.TemporaryDirectory(prefix="bounds-cache-") as tmp:
        cache = AudioCache(Path(tmp))
        stop = threading.Event()

        def watch() -> None:
            while not stop.is_set():
                largest[0] = max(largest[0], cache.size())
                time.sleep(0.01)

        def write(directory: Path) -> None:
            (directory / "audio.mp3").write_bytes(b"\0" * entry_bytes)

        def make(number: int) -> None:
            cache.entry(f"{number:032x}", write)

        watcher = threading.Thread(target=watch)
        watcher.start()
        makers = [threading.Thread(target=make, args=(n,)) for n in range(10)]
        for maker in makers:
            maker.start()
        for maker in makers:
            maker.join()
        stop.set()
        watcher.join()
        final = cache.size()
    return {
        "entries": 10,
        "entry_mib": entry_bytes / 2**20,
        "bound_mib": DEFAULT_MAX_BYTES / 2**20,
        "largest_seen_mib": largest[0] / 2**20,
        "after_mib": final / 2**20,
    }


# --- process measurements ---------------------------------------------------------------------


class Mock:
    def __init__(self, ready: dict[str, Any], process: subprocess.Popen[bytes]) -> None:
        self.ready = ready
        self.process = process
        self.port: int = ready["port"]
        self.pid: int = ready["pid"]
        self.token: str = ready["accessToken"]

    def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        try:
            payload = None if body is None else json.dumps(body).encode()
            sent = dict(headers or {})
            if payload is not None:
                sent["Content-Type"] = "application/json"
            connection.request(method, path, body=payload, headers=sent)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def control(self, method: str, path: str, body: Any = None) -> Any:
        status, data = self.request(method, "/mock" + path, body)
        if status >= 300:
            raise RuntimeError(f"{method} /mock{path}: {status} {data[:300]!r}")
        return json.loads(data) if data else None

    def api(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        return self.request(
            "GET", "/crm/openapi" + path, None, {"Authorization": self.token, **(headers or {})}
        )

    def rss_mib(self) -> float:
        return _status_kib(self.pid, "VmRSS") / 1024

    def peak_mib(self) -> float:
        return _status_kib(self.pid, "VmHWM") / 1024


@contextmanager
def running(code: Path | None, *args: str) -> Iterator[Mock]:
    with tempfile.TemporaryDirectory(prefix="bounds-mock-") as tmp:
        ready_file = Path(tmp) / "ready.json"
        env = dict(os.environ)
        if code is not None:
            env["PYTHONPATH"] = str(code)
        command = [sys.executable, "-m", "mock_server", "--port", "0", "--now", NOW]
        command += ["--ready-file", str(ready_file), *args]
        process = subprocess.Popen(command, env=env, cwd=tmp, stdout=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 120
            while not (ready_file.exists() and ready_file.stat().st_size):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the mock did not start ({command})")
                time.sleep(0.1)
            yield Mock(json.loads(ready_file.read_text()), process)
        finally:
            process.terminate()
            process.wait(timeout=60)


def measure_journal(code: Path | None) -> dict[str, Any]:
    with running(code, "--history-days", "1") as mock:
        mock.api("/employees")
        before = mock.rss_mib()
        big = {"X-Big": "a" * 2_000_000}
        for _ in range(300):
            mock.api("/employees", big)
        after = mock.rss_mib()
        _, listing = mock.request("GET", "/mock/requests?limit=300")
        journal = json.loads(listing)
        _, page = mock.request("GET", "/mock/console/requests?limit=200")
        # The journal full of entries as large as they are kept (8 KB of headers, 4 KB of
        # query), each listed once (an entry keeps its rendering).
        mock.request("DELETE", "/mock/requests")
        full_before = mock.rss_mib()
        largest = {"X-Big": "h" * 8_000}
        query = "/employees?q=" + "q" * 4_000
        for _ in range(FULL_JOURNAL_REQUESTS):
            mock.api(query, largest)
        _, full = mock.request("GET", f"/mock/requests?limit={FULL_JOURNAL_REQUESTS}")
        held = json.loads(full)
        return {
            "rss_before_mib": before,
            "rss_after_300_2MB_mib": after,
            "held_bytes_mib": journal.get("heldBytes", 0) / 2**20,
            "entries": len(journal["requests"]),
            "listing_mib": len(listing) / 2**20,
            "console_page_mib": len(page) / 2**20,
            f"{FULL_JOURNAL_REQUESTS}_largest_kept_entries": len(held["requests"]),
            "their_held_bytes_mib": held.get("heldBytes", 0) / 2**20,
            "their_rss_growth_mib": mock.rss_mib() - full_before,
        }


def _four_hour_recording(mock: Mock) -> str:
    mock.control("POST", "/calls/outcomes", {"outcome": "answered", "durationSeconds": 4 * 3600})
    _, data = mock.api("/employees")
    source = next(e["fullNumber"] for e in json.loads(data) if "fullNumber" in e)
    status, _ = mock.request(
        "POST",
        f"/crm/openapi/call/outgoing?source={source}&destination=79533933557",
        headers={"Authorization": mock.token},
    )
    assert status == 200, status
    mock.control("POST", "/calls/settle", {})
    calls = mock.control("GET", "/calls")["calls"]
    name: str = calls[-1]["recordFileName"]
    return name


def measure_downloads(code: Path | None) -> dict[str, Any]:
    with running(code, "--history-days", "1") as mock:
        name = _four_hour_recording(mock)
        path = "/call-records/file?filename=" + quote(name, safe="")
        started = time.perf_counter()
        status, first = mock.api(path)  # makes it (speech) and reads it once
        making_seconds = time.perf_counter() - started
        assert status == 200, (status, first[:200])
        size = len(first)
        del first
        Path(f"/proc/{mock.pid}/clear_refs").write_text("5")  # VmHWM from here
        before = mock.peak_mib()
        sizes: list[int] = []

        def download() -> None:
            got, body = mock.api(path)
            sizes.append(len(body) if got == 200 else -got)

        started = time.perf_counter()
        threads = [threading.Thread(target=download) for _ in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
        return {
            "recording_mib": size / 2**20,
            "making_seconds": making_seconds,
            "all_whole": sizes == [size] * 16,
            "peak_before_mib": before,
            "peak_during_mib": mock.peak_mib(),
            "sixteen_downloads_seconds": seconds,
        }


IN_PROCESS: dict[str, Callable[[], dict[str, Any]]] = {
    "glob": measure_glob,
    "rules": measure_rules,
    "history": measure_history,
    "cache": measure_cache,
}


# --- main -------------------------------------------------------------------------------------


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if value < 10 else f"{value:,.1f}"
    return str(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(MEASUREMENTS), help="comma-separated")
    parser.add_argument("--baseline", type=Path, help="a folder with mock_server/ and openapi/")
    parser.add_argument("--json", type=Path, default=ROOT / "reports" / "bounds.json")
    args = parser.parse_args(argv)
    wanted = [name for name in re.split(r"[ ,]+", args.only) if name]
    unknown = set(wanted) - set(MEASUREMENTS)
    if unknown:
        parser.error(f"unknown measurements {sorted(unknown)}; known: {', '.join(MEASUREMENTS)}")
    results: dict[str, Any] = {}
    for name in wanted:
        log(f"measuring {name}")
        if name in ("journal", "downloads"):
            measure = measure_journal if name == "journal" else measure_downloads
            results[name] = {"this": measure(None)}
            if args.baseline is not None:
                log(f"measuring {name} on the baseline {args.baseline}")
                results[name]["baseline"] = measure(args.baseline.resolve())
        else:
            results[name] = IN_PROCESS[name]()
    for name, result in results.items():
        if "rows" in result:
            header = list(result["rows"][0])
            rows = [[_fmt(row[key]) for key in header] for row in result["rows"]]
            print(_table(name, header, rows))
        elif "this" in result:
            runs = [key for key in ("baseline", "this") if key in result]
            keys = list(result["this"])
            rows = [[key, *(_fmt(result[run].get(key, "")) for run in runs)] for key in keys]
            print(_table(name, ["", *runs], rows))
        else:
            print(_table(name, ["", "value"], [[k, _fmt(v)] for k, v in result.items()]))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
