"""A tenant per test: what `POST /mock/companies` costs from the first company to the 1,000th.

    .venv/bin/python scripts/bench_tenants.py                 # 1,000 create/delete cycles
    .venv/bin/python scripts/bench_tenants.py --cycles 300 --json reports/tenants.json

Starts the mock as the pytest plugin does (`mock_server.testing.process`, default seeded size,
its clock running, a state file in a temporary folder so that its size can be read), then
creates and deletes a company `--cycles` times through the typed control client, as the
`tele2_ats` fixture does before and after each test. Measured: each POST's latency as the
client sees it (wall time) and the server's CPU time per POST (/proc, the server's process
tree, read around each request), the DELETE's latency, and the state's size (SQLite's pages,
the write-ahead log's included) at the start, after the first cycle and after the last.

Targets (issue 28): POST p50 <= 5 ms and p99 <= 20 ms over every cycle, the first included;
the state grows by less than 10% from the first cycle to the last (a deleted company's rows
are given back). Prints each figure beside its target with the load average; `--check` exits
1 unless all are met. Linux only (/proc); nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from mock_server.testing.process import MockServer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from bench import cpu_seconds, load_average, publish  # noqa: E402

TARGET_P50_MS = 5.0
TARGET_P99_MS = 20.0
TARGET_GROWTH = 0.10


def state_bytes(path: Path) -> int:
    """The state's size as SQLite counts it (pages in use or free, the WAL's included)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
        size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    finally:
        conn.close()
    return pages * size


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def run(cycles: int, seed: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-tenants-") as folder:
        state = Path(folder) / "state.sqlite3"
        with MockServer.start(seed=seed, args=["--state-file", str(state)]) as mock:
            assert mock.process is not None
            pid = mock.process.pid
            control = mock.control
            sizes = {"start": state_bytes(state)}
            load_before = load_average()
            post_ms: list[float] = []
            post_cpu_ms: list[float] = []
            delete_ms: list[float] = []
            for cycle in range(cycles):
                cpu = cpu_seconds(pid)
                started = time.perf_counter()
                company = control.create_company()
                post_ms.append((time.perf_counter() - started) * 1000)
                post_cpu_ms.append((cpu_seconds(pid) - cpu) * 1000)
                started = time.perf_counter()
                control.delete_company(company.company_id)
                delete_ms.append((time.perf_counter() - started) * 1000)
                if cycle == 0:
                    sizes["first"] = state_bytes(state)
            sizes["last"] = state_bytes(state)
            load_after = load_average()
    growth = sizes["last"] / sizes["first"] - 1
    return {
        "cycles": cycles,
        "post_ms": {
            "first": post_ms[0],
            "p50": statistics.median(post_ms),
            "p99": percentile(post_ms, 0.99),
            "max": max(post_ms),
        },
        "post_cpu_ms": {
            "p50": statistics.median(post_cpu_ms),
            "mean": statistics.fmean(post_cpu_ms),
        },
        "delete_ms": {"p50": statistics.median(delete_ms), "p99": percentile(delete_ms, 0.99)},
        "state_bytes": sizes,
        "state_growth": growth,
        "load": [load_before, load_after],
        "met": {
            "post_p50": statistics.median(post_ms) <= TARGET_P50_MS,
            "post_p99": percentile(post_ms, 0.99) <= TARGET_P99_MS,
            "state_growth": growth < TARGET_GROWTH,
        },
    }


def markdown(result: dict[str, Any]) -> str:
    post = result["post_ms"]
    cpu = result["post_cpu_ms"]
    delete = result["delete_ms"]
    sizes = result["state_bytes"]
    met = result["met"]
    load = result["load"]
    for part in (post, cpu, delete, sizes, met):
        assert isinstance(part, dict)
    assert isinstance(load, list)

    def mark(ok: bool) -> str:
        return "yes" if ok else "**no**"

    growth = float(result["state_growth"])
    return "\n".join(
        [
            f"{result['cycles']} create/delete cycles; load average {load[0]:.2f} before, "
            f"{load[1]:.2f} after",
            "",
            "| figure | result | target | met |",
            "| --- | ---: | --- | --- |",
            f"| POST /mock/companies p50 | {post['p50']:.2f} ms | <= {TARGET_P50_MS:g} ms "
            f"| {mark(met['post_p50'])} |",
            f"| POST /mock/companies p99 | {post['p99']:.2f} ms | <= {TARGET_P99_MS:g} ms "
            f"| {mark(met['post_p99'])} |",
            f"| POST /mock/companies, the first (seeds the template) | {post['first']:.2f} ms "
            "| | |",
            f"| POST /mock/companies max | {post['max']:.2f} ms | | |",
            f"| server CPU per POST, p50 (mean) | {cpu['p50']:.2f} ms ({cpu['mean']:.2f}) | | |",
            f"| DELETE /mock/companies/{{id}} p50 (p99) | {delete['p50']:.2f} ms "
            f"({delete['p99']:.2f}) | | |",
            f"| state: start, after cycle 1, after the last | {sizes['start'] / 1e6:.2f} MB, "
            f"{sizes['first'] / 1e6:.2f} MB, {sizes['last'] / 1e6:.2f} MB | | |",
            f"| state growth, cycle 1 to the last | {growth:+.1%} | < {TARGET_GROWTH:.0%} "
            f"| {mark(met['state_growth'])} |",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cycles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, default=ROOT / "reports" / "tenants.json")
    parser.add_argument("--check", action="store_true", help="exit 1 unless every target is met")
    args = parser.parse_args(argv)
    result = run(args.cycles, args.seed)
    missed = not all(result["met"].values())
    return publish(markdown(result), result, args.json, failed=args.check and missed)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
