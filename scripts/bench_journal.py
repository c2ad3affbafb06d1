"""Benchmark the call journal at scale: seed ~1,000,000 calls in one company, then time pages
of GET /call-records/info and the statistics, as the domain answers them (no HTTP).

    .venv/bin/python scripts/bench_journal.py                 # 1M records, 30 days
    .venv/bin/python scripts/bench_journal.py --records 100000 --queries 50

Prints progress while seeding, then a Markdown table; writes the numbers as JSON to
reports/bench_journal.json (or --json).
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

from mock_server.domain.journal import CallJournal, expected_call_count, seed_history
from mock_server.domain.seed import seed_company
from mock_server.domain.statistics import CallStatistics
from mock_server.domain.store import Store

__all__ = ["main"]

_PAGE_SIZE = 50


@dataclass(slots=True)
class Timing:
    name: str
    runs: int
    median_ms: float
    p99_ms: float
    max_ms: float
    mean_rows: float


def _calls_per_day(records: int, now: datetime, days: int) -> int:
    return max(1, round(records / expected_call_count(now, days, 1.0)))


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def _time(name: str, runs: int, query: Callable[[int], int]) -> Timing:
    durations: list[float] = []
    rows = 0
    query(0)  # warm the page cache and the statement cache
    for run in range(runs):
        started = time.perf_counter()
        rows += query(run)
        durations.append((time.perf_counter() - started) * 1000)
    return Timing(
        name=name,
        runs=runs,
        median_ms=round(statistics.median(durations), 3),
        p99_ms=round(_percentile(durations, 0.99), 3),
        max_ms=round(max(durations), 3),
        mean_rows=round(rows / runs, 1),
    )


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--records", type=int, default=1_000_000, help="calls to seed (approx.)")
    parser.add_argument("--days", type=int, default=30, help="days of history")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--company", type=int, default=391)
    parser.add_argument("--queries", type=int, default=300, help="random windows per scenario")
    parser.add_argument("--json", type=Path, default=Path("reports/bench_journal.json"))
    args = parser.parse_args(argv)

    now = datetime.now(UTC).replace(microsecond=0)
    calls_per_day = _calls_per_day(args.records, now, args.days)
    store = Store()
    try:
        journal = CallJournal(store)
        stats = CallStatistics(store)
        print(
            f"seeding ~{args.records:,} calls ({calls_per_day:,} per working day, "
            f"{args.days} days) into {store.path}",
            file=sys.stderr,
        )
        seed_started = time.perf_counter()

        def progress(done: int) -> None:
            elapsed = time.perf_counter() - seed_started
            print(f"  {done:>10,} rows  {elapsed:6.1f} s", file=sys.stderr, end="\r")

        with store.transaction() as conn:
            seed_company(conn, args.seed, args.company)
            seeded = seed_history(
                conn, args.seed, args.company, now, args.days, calls_per_day, progress=progress
            )
        seed_seconds = time.perf_counter() - seed_started
        print(f"\nseeded {seeded:,} rows in {seed_seconds:.1f} s", file=sys.stderr)
        db_mb = round(store.path.stat().st_size / 2**20, 1)

        conn = store.read()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        callers = _frequent(conn, args.company, "caller_number")
        callees = _frequent(conn, args.company, "callee_number")
        rng = random.Random(args.seed)
        span = args.days * 86_400
        first = now - timedelta(days=args.days)

        def window(run: int) -> tuple[datetime, datetime]:
            # Windows from one hour to the whole history, anywhere in it.
            length = int(3600 + (span - 3600) * rng.random() ** 2)
            offset = rng.randrange(0, span - length + 1)
            start = first + timedelta(seconds=offset)
            return start, start + timedelta(seconds=length)

        def page(**kwargs: Any) -> Callable[[int], int]:
            def run(index: int) -> int:
                start, end = window(index)
                return len(journal.records(args.company, start, end, size=_PAGE_SIZE, **kwargs))

            return run

        def deep(index: int) -> int:
            pages = max(1, seeded // _PAGE_SIZE)
            number = rng.randrange(pages // 2, pages)
            return len(journal.records(args.company, first, now, page=number, size=_PAGE_SIZE))

        def deep_desc(index: int) -> int:
            number = rng.randrange(0, max(1, seeded // _PAGE_SIZE // 2))
            rows = journal.records(
                args.company, first, now, page=number, size=_PAGE_SIZE, sort="date,DESC"
            )
            return len(rows)

        def other_sort(index: int) -> int:
            start, _ = window(index)
            end = start + timedelta(days=1)
            rows = journal.records(
                args.company, start, end, size=_PAGE_SIZE, sort="callDuration,DESC"
            )
            return len(rows)

        queries = args.queries
        timings = [
            _time("page 0, no filter, date,ASC", queries, page()),
            _time("caller filter", queries, page(caller=rng.choice(callers))),
            _time(
                "caller filter, random caller per query",
                queries,
                lambda i: page(caller=callers[i % len(callers)])(i),
            ),
            _time(
                "callee filter + is_recorded", queries, page(callee=callees[0], is_recorded=True)
            ),
            _time("is_recorded", queries, page(is_recorded=True)),
            _time("sort date,DESC", queries, page(sort="date,DESC")),
            _time(
                "is_recorded + date,DESC, page 3",
                queries,
                page(is_recorded=True, page=3, sort="date,DESC"),
            ),
            _time("deep page (second half of 30 days), date,ASC", queries, deep),
            _time("deep page, date,DESC", queries, deep_desc),
            _time("1-day window, sort callDuration,DESC", max(10, queries // 10), other_sort),
            _time(
                "common(), 30 days",
                max(5, queries // 30),
                lambda i: stats.common(args.company, first, now)["allCallCount"],
            ),
            _time(
                "common(subscriberNumber), 30 days",
                max(5, queries // 30),
                lambda i: stats.common(args.company, first, now, callees[0])["allCallCount"],
            ),
            _time(
                "journal(), 30 days",
                max(5, queries // 30),
                lambda i: stats.journal(args.company, first, now)["numberOfCalls"],
            ),
        ]
        peak = _peak_rss_mb()
    finally:
        store.close()

    report: dict[str, Any] = {
        "records": seeded,
        "days": args.days,
        "calls_per_working_day": calls_per_day,
        "seed_seconds": round(seed_seconds, 2),
        "seed_rows_per_second": round(seeded / seed_seconds),
        "database_mb": db_mb,
        "peak_rss_mb": peak,
        "page_size": _PAGE_SIZE,
        "timings": [asdict(t) for t in timings],
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "machine": platform.machine(),
        "when": now.isoformat(),
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")

    print(f"\n{seeded:,} records seeded in {seed_seconds:.1f} s; ", end="")
    print(f"database {db_mb} MB; peak RSS {peak} MB\n")
    print("| query | runs | median ms | p99 ms | max ms | rows |")
    print("|---|---:|---:|---:|---:|---:|")
    for t in timings:
        print(
            f"| {t.name} | {t.runs} | {t.median_ms:.2f} | {t.p99_ms:.2f} | {t.max_ms:.2f} "
            f"| {t.mean_rows:g} |"
        )
    print(f"\nwritten to {args.json}")
    return 0


def _frequent(conn: sqlite3.Connection, company_id: int, column: str) -> list[str]:
    """The company's most frequent numbers in `column` (for realistic filters)."""
    rows = conn.execute(
        f"SELECT {column}, COUNT(*) AS n FROM calls WHERE company_id = ? "
        f"GROUP BY {column} ORDER BY n DESC LIMIT 50",
        (company_id,),
    ).fetchall()
    return [str(row[0]) for row in rows]


if __name__ == "__main__":
    raise SystemExit(main())
