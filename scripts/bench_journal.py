"""Benchmark the call journal at scale: seed ~1,000,000 calls in one company, then time pages
of GET /call-records/info and the statistics, as the domain answers them (no HTTP).

    .venv/bin/python scripts/bench_journal.py                 # 1M records, 30 days
    .venv/bin/python scripts/bench_journal.py --records 100000 --queries 50

Each query is timed on the wall clock and in CPU time (this process's), and its work is
counted in SQLite virtual-machine instructions (`set_progress_handler`), which do not depend
on what else the machine is doing: on a loaded machine compare the CPU times and the
instruction counts, and take the wall times as upper bounds. The targets (issue 14) are
printed beside the figures; the load average is printed before and after.

Prints progress while seeding, then a Markdown table; writes the numbers as JSON to
reports/bench_journal.json (or --json). Exits 1 with --check unless every target is met.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from mock_server.domain.rules.history import expected_call_count, seed_history
from mock_server.domain.rules.journal import CallJournal
from mock_server.domain.rules.statistics import CallStatistics
from mock_server.domain.storage.seed import seed_company
from mock_server.domain.storage.store import Store

__all__ = ["main"]

_PAGE_SIZE = 50
# SQLite calls the progress handler every this many virtual-machine instructions.
_VM_STEP = 100

# Targets of issue 14 (milliseconds unless said otherwise).
PAGE_P50_MS = 10.0
PAGE_P99_MS = 20.0
COMMON_COMPANY_MS = 200.0
COMMON_NUMBER_MS = 50.0
JOURNAL_STATS_MS = 100.0
PEAK_RSS_MB = 300.0
SEED_ROWS_PER_SECOND = 40_000.0


@dataclass(slots=True)
class Timing:
    name: str
    runs: int
    median_ms: float
    p99_ms: float
    max_ms: float
    cpu_median_ms: float
    vm_steps_median: int
    mean_rows: float
    target: str = ""
    met: bool | None = None


class VmCounter:
    """Counts the SQLite virtual-machine instructions run on a connection (in steps of
    `_VM_STEP`): a measure of a query's work that the machine's load does not change."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.ticks = 0
        conn.set_progress_handler(self._tick, _VM_STEP)

    def _tick(self) -> int:
        self.ticks += 1
        return 0

    @property
    def steps(self) -> int:
        return self.ticks * _VM_STEP


def _calls_per_day(records: int, now: datetime, days: int) -> int:
    return max(1, round(records / expected_call_count(now, days, 1.0)))


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def _time(name: str, runs: int, query: Callable[[int], int], vm: VmCounter) -> Timing:
    walls: list[float] = []
    cpus: list[float] = []
    steps: list[int] = []
    rows = 0
    query(0)  # warm the page cache and the statement cache
    for run in range(runs):
        ticks = vm.ticks
        cpu = time.process_time()
        started = time.perf_counter()
        rows += query(run)
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        steps.append((vm.ticks - ticks) * _VM_STEP)
    return Timing(
        name=name,
        runs=runs,
        median_ms=round(statistics.median(walls), 3),
        p99_ms=round(_percentile(walls, 0.99), 3),
        max_ms=round(max(walls), 3),
        cpu_median_ms=round(statistics.median(cpus), 3),
        vm_steps_median=int(statistics.median(steps)),
        mean_rows=round(rows / runs, 1),
    )


def _page_target(timing: Timing) -> Timing:
    timing.target = f"p50 < {PAGE_P50_MS:g} ms, p99 < {PAGE_P99_MS:g} ms"
    timing.met = timing.median_ms < PAGE_P50_MS and timing.p99_ms < PAGE_P99_MS
    return timing


def _median_target(timing: Timing, limit_ms: float) -> Timing:
    timing.target = f"< {limit_ms:g} ms"
    timing.met = timing.median_ms < limit_ms
    return timing


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def _load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--records", type=int, default=1_000_000, help="calls to seed (approx.)")
    parser.add_argument("--days", type=int, default=30, help="days of history")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--company", type=int, default=391)
    parser.add_argument("--queries", type=int, default=300, help="random windows per scenario")
    parser.add_argument("--json", type=Path, default=Path("reports/bench_journal.json"))
    parser.add_argument("--check", action="store_true", help="exit 1 unless targets are met")
    args = parser.parse_args(argv)

    load_before = _load_average()
    now = datetime.now(UTC).replace(microsecond=0)
    calls_per_day = _calls_per_day(args.records, now, args.days)
    store = Store()
    try:
        journal = CallJournal(store)
        stats = CallStatistics(store)
        print(
            f"load average {load_before}; seeding ~{args.records:,} calls "
            f"({calls_per_day:,} per working day, {args.days} days) into {store.path}",
            file=sys.stderr,
        )
        seed_started = time.perf_counter()
        seed_cpu = time.process_time()

        def progress(done: int) -> None:
            elapsed = time.perf_counter() - seed_started
            print(f"  {done:>10,} rows  {elapsed:6.1f} s", file=sys.stderr, end="\r")

        with store.transaction() as conn:
            seed_company(conn, args.seed, args.company)
            seeded = seed_history(
                conn, args.seed, args.company, now, args.days, calls_per_day, progress=progress
            )
        seed_seconds = time.perf_counter() - seed_started
        seed_cpu_seconds = time.process_time() - seed_cpu
        print(
            f"\nseeded {seeded:,} rows in {seed_seconds:.1f} s ({seed_cpu_seconds:.1f} s CPU)",
            file=sys.stderr,
        )
        db_mb = round(store.path.stat().st_size / 2**20, 1)

        conn = store.read()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        vm = VmCounter(conn)
        callers = _frequent(conn, args.company, "caller_number")
        callees = _frequent(conn, args.company, "callee_number")
        outsider = _outsider(conn, args.company)
        rng = random.Random(args.seed)
        span = args.days * 86_400
        first = now - timedelta(days=args.days)

        def window(run: int) -> tuple[datetime, datetime]:
            # Windows from one hour to the whole history, anywhere in it, cutting hours.
            length = int(3600 + (span - 3600) * rng.random() ** 2)
            offset = rng.randrange(0, span - length + 1)
            start = first + timedelta(seconds=offset, milliseconds=rng.randrange(1000))
            return start, start + timedelta(seconds=length)

        def count(page_json: bytes) -> int:
            return page_json.count(b'"uuid"')

        def page(**kwargs: Any) -> Callable[[int], int]:
            def run(index: int) -> int:
                start, end = window(index)
                return count(
                    journal.records_json(args.company, start, end, size=_PAGE_SIZE, **kwargs)
                )

            return run

        def deep(sort: str, **kwargs: Any) -> Callable[[int], int]:
            total = seeded if not kwargs else max(1, seeded * 85 // 100)

            def run(index: int) -> int:
                number = rng.randrange(0, max(1, total // _PAGE_SIZE))
                return count(
                    journal.records_json(
                        args.company,
                        first,
                        now,
                        page=number,
                        size=_PAGE_SIZE,
                        sort=sort,
                        **kwargs,
                    )
                )

            return run

        def deep_number(**kwargs: Any) -> Callable[[int], int]:
            def run(index: int) -> int:
                number = rng.randrange(0, 400)
                rows = journal.records_json(
                    args.company, first, now, page=number, size=_PAGE_SIZE, **kwargs
                )
                return count(rows)

            return run

        def other_sort(index: int) -> int:
            start, _ = window(index)
            end = start + timedelta(days=1)
            return count(
                journal.records_json(
                    args.company, start, end, size=_PAGE_SIZE, sort="callDuration,DESC"
                )
            )

        queries = args.queries
        stats_runs = max(5, queries // 10)
        timings = [
            _page_target(_time("page 0, no filter, date,ASC", queries, page(), vm)),
            _page_target(_time("caller filter", queries, page(caller=rng.choice(callers)), vm)),
            _page_target(
                _time(
                    "caller filter, random caller per query",
                    queries,
                    lambda i: page(caller=callers[i % len(callers)])(i),
                    vm,
                )
            ),
            _page_target(
                _time(
                    "callee filter + is_recorded",
                    queries,
                    page(callee=callees[0], is_recorded=True),
                    vm,
                )
            ),
            _page_target(_time("is_recorded", queries, page(is_recorded=True), vm)),
            _page_target(_time("sort date,DESC", queries, page(sort="date,DESC"), vm)),
            _page_target(
                _time(
                    "is_recorded + date,DESC, page 3",
                    queries,
                    page(is_recorded=True, page=3, sort="date,DESC"),
                    vm,
                )
            ),
            _page_target(_time("any page of 30 days, date,ASC", queries, deep("date,ASC"), vm)),
            _page_target(_time("any page of 30 days, date,DESC", queries, deep("date,DESC"), vm)),
            _page_target(
                _time(
                    "any page of 30 days, is_recorded, date,DESC",
                    queries,
                    deep("date,DESC", is_recorded=True),
                    vm,
                )
            ),
            _page_target(
                _time(
                    "any page of one employee's calls (callee), 30 days",
                    queries,
                    deep_number(callee=callees[0]),
                    vm,
                )
            ),
            _time("1-day window, sort callDuration,DESC", max(10, queries // 10), other_sort, vm),
            _median_target(
                _time(
                    "statistics/common, 30 days, company",
                    stats_runs,
                    lambda i: stats.common(args.company, first, now)["allCallCount"],
                    vm,
                ),
                COMMON_COMPANY_MS,
            ),
            _median_target(
                _time(
                    "statistics/common, 30 days, busiest number",
                    stats_runs,
                    lambda i: stats.common(args.company, first, now, callees[0])["allCallCount"],
                    vm,
                ),
                COMMON_NUMBER_MS,
            ),
            _median_target(
                _time(
                    "statistics/common, 30 days, an outside number",
                    stats_runs,
                    lambda i: stats.common(args.company, first, now, outsider)["allCallCount"],
                    vm,
                ),
                COMMON_NUMBER_MS,
            ),
            _median_target(
                _time(
                    "statistics/common, random windows, company",
                    stats_runs,
                    lambda i: stats.common(args.company, *window(i))["allCallCount"],
                    vm,
                ),
                COMMON_COMPANY_MS,
            ),
            _median_target(
                _time(
                    "statistics/journal, 30 days, company",
                    stats_runs,
                    lambda i: stats.journal(args.company, first, now)["numberOfCalls"],
                    vm,
                ),
                JOURNAL_STATS_MS,
            ),
            _median_target(
                _time(
                    "statistics/journal, 30 days, busiest number",
                    stats_runs,
                    lambda i: stats.journal(args.company, first, now, callees[0])["numberOfCalls"],
                    vm,
                ),
                JOURNAL_STATS_MS,
            ),
        ]
        peak = _peak_rss_mb()
    finally:
        store.close()
    load_after = _load_average()
    rate = seeded / seed_seconds
    totals = [
        ("seeding", f"{rate:,.0f} rows/s", f"> {SEED_ROWS_PER_SECOND:,.0f} rows/s"),
        ("peak RSS", f"{peak:g} MB", f"< {PEAK_RSS_MB:g} MB"),
    ]
    met = (
        rate > SEED_ROWS_PER_SECOND
        and peak < PEAK_RSS_MB
        and all(t.met for t in timings if t.met is not None)
    )
    report: dict[str, Any] = {
        "records": seeded,
        "days": args.days,
        "calls_per_working_day": calls_per_day,
        "seed_seconds": round(seed_seconds, 2),
        "seed_cpu_seconds": round(seed_cpu_seconds, 2),
        "seed_rows_per_second": round(rate),
        "database_mb": db_mb,
        "peak_rss_mb": peak,
        "page_size": _PAGE_SIZE,
        "timings": [asdict(t) for t in timings],
        "targets_met": met,
        "load_average": {"before": load_before, "after": load_after},
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "machine": platform.machine(),
        "when": now.isoformat(),
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")

    print(
        f"\n{seeded:,} records seeded in {seed_seconds:.1f} s ({seed_cpu_seconds:.1f} s CPU); "
        f"database {db_mb} MB; load average before {load_before}, after {load_after}\n"
    )
    print("| what | result | target | met |")
    print("|---|---:|---|---|")
    print(
        f"| seeding | {rate:,.0f} rows/s | {totals[0][2]} | {_yes(rate > SEED_ROWS_PER_SECOND)} |"
    )
    print(f"| peak RSS | {peak:g} MB | {totals[1][2]} | {_yes(peak < PEAK_RSS_MB)} |")
    print()
    print(
        "| query | runs | median ms | p99 ms | max ms | CPU ms | SQLite steps | rows "
        "| target | met |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|---|")
    for t in timings:
        print(
            f"| {t.name} | {t.runs} | {t.median_ms:.2f} | {t.p99_ms:.2f} | {t.max_ms:.2f} "
            f"| {t.cpu_median_ms:.2f} | {t.vm_steps_median:,} | {t.mean_rows:g} | {t.target} "
            f"| {'' if t.met is None else _yes(t.met)} |"
        )
    print(f"\nTargets {'all met' if met else 'NOT all met'}; written to {args.json}")
    return 1 if args.check and not met else 0


def _yes(ok: bool) -> str:
    return "yes" if ok else "**no**"


def _frequent(conn: sqlite3.Connection, company_id: int, column: str) -> list[str]:
    """The company's most frequent numbers in `column` (for realistic filters)."""
    rows = conn.execute(
        f"SELECT {column}, COUNT(*) AS n FROM calls WHERE company_id = ? "
        f"GROUP BY {column} ORDER BY n DESC LIMIT 50",
        (company_id,),
    ).fetchall()
    return [str(row[0]) for row in rows]


def _outsider(conn: sqlite3.Connection, company_id: int) -> str:
    """A number that is not an employee's and called more than once."""
    row = conn.execute(
        "SELECT caller_number FROM calls WHERE company_id = ? AND caller_number NOT IN "
        "(SELECT full_number FROM employees WHERE company_id = ? AND full_number IS NOT NULL) "
        "GROUP BY caller_number ORDER BY COUNT(*) DESC LIMIT 1",
        (company_id, company_id),
    ).fetchone()
    return str(row[0])


if __name__ == "__main__":
    raise SystemExit(main())
