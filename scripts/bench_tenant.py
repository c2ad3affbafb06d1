"""How fast a large tenant file loads, and how much memory the load takes.

    .venv/bin/python scripts/bench_tenant.py [--records 100000] [--yaml] [--runs 3]

Writes a tenant file of `--records` call records (as the real journal holds them: a third
answered and recorded, uuids, names) and a dozen employees, then, for each run, loads it into
a fresh mock in a process of its own (`tele2-ats-mock`'s own code: `open_tenant` and
`Pbx.load_tenant`, the path of `--tenant FILE`) and reports the load's wall time and the
process's peak resident memory beside those of the same process loading nothing, with the
targets: 100,000 records in under 3 s, and memory that does not grow with the file (it is
read a section item at a time and staged in SQLite). `--yaml` writes the file as YAML (flow
style, one record a line) instead, for comparison.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parents[1]
TARGET_SECONDS: Final = 3.0
TARGET_RECORDS: Final = 100_000
# Memory the load takes beyond what the journal then holds (the store is in memory, so the
# records' rows stay): bounded, whatever the file's size, as the file is streamed.
TARGET_OVERHEAD_MIB: Final = 64
REPORT: Final = ROOT / "reports" / "bench_tenant.json"
NOW: Final = "2026-03-04T12:00:00+00:00"
_CHILD: Final = """
import json, resource, sys, time
from datetime import datetime
from pathlib import Path
from mock_server.domain.pbx import Pbx, PbxConfig
from mock_server.tenant_files import open_tenant

path = sys.argv[1]
pbx = Pbx(PbxConfig(companies=(), tenants=(), history_days=0,
                    now=datetime.fromisoformat(sys.argv[2]), frozen=True))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started, cpu = time.perf_counter(), time.process_time()
loaded = None
if path != "-":
    with open_tenant(Path(path)) as document:
        loaded = pbx.load_tenant(document)
seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
# Resident now, with the company's journal held (the store is in memory): the load's own
# cost is the peak beyond it.
after = int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize() // 1024
count = 0 if loaded is None else pbx.journal.count(loaded.company_id)
print(json.dumps({"seconds": seconds, "cpu": cpu, "before_kb": before, "peak_kb": peak,
                  "after_kb": after, "calls": count}))
"""


def write_tenant(path: Path, records: int, as_yaml: bool) -> None:
    rng = random.Random(26)
    employees = [
        {
            "employeeId": 100 + n,
            "name": f"Сотрудник {n}",
            "fullNumber": f"791600000{n:02d}",
            "shortNumber": f"{100 + n}",
        }
        for n in range(12)
    ]
    head = {
        "format": "tele2-ats-tenant/1",
        "company": {"name": "ООО «Бенч»"},
        "employees": employees,
    }
    start_ms = 1_772_000_000_000
    with path.open("w", encoding="utf-8") as out:
        if as_yaml:
            out.write("format: tele2-ats-tenant/1\nemployees:\n")
            for employee in employees:
                out.write(f"  - {json.dumps(employee, ensure_ascii=False)}\n")
            out.write("callRecords:\n")
        else:
            out.write(json.dumps(head, ensure_ascii=False)[:-1] + ',"callRecords":[\n')
        for n in range(records):
            started = start_ms + n * 20_000 + rng.randrange(1000)
            answered = rng.random() < 0.6
            employee = employees[n % len(employees)]
            duration = rng.randrange(5, 400)
            record = {
                "date": _iso(started),
                "callType": rng.choice(["SINGLE_CHANNEL", "MULTI_CHANNEL", "OUTGOING"]),
                "destinationNumber": employee["fullNumber"],
                "callerNumber": f"790{rng.randrange(10**8):08d}",
                "callerName": "Клиент" if rng.random() < 0.3 else None,
                "calleeNumber": employee["fullNumber"],
                "calleeName": employee["name"],
                "callDuration": duration,
                "conversationDuration": duration - 3 if answered else None,
                "callStatus": "ANSWERED_COMMON" if answered else "NOT_ANSWERED_COMMON",
                "recordFileName": f"{_iso(started)[:10]}/{started}{n % 100000:05d}"
                if answered and rng.random() < 0.6
                else "",
                "uuid": f"{rng.getrandbits(128):032x}",
            }
            record = {k: v for k, v in record.items() if v is not None}
            line = json.dumps(record, ensure_ascii=False)
            if as_yaml:
                out.write(f"  - {line}\n")
            else:
                out.write(line + (",\n" if n < records - 1 else "\n"))
        if not as_yaml:
            out.write("]}\n")


def _iso(ms: int) -> str:
    from datetime import UTC, datetime

    moment = datetime.fromtimestamp(ms / 1000, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def measure(path: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, path, NOW],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=TARGET_RECORDS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--yaml", action="store_true", help="write the file as YAML")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tele2-ats-bench-tenant-") as tmp:
        path = Path(tmp) / ("tenant.yaml" if args.yaml else "tenant.json")
        write_tenant(path, args.records, args.yaml)
        size = path.stat().st_size
        idle = measure("-")
        runs = [measure(str(path)) for _ in range(args.runs)]
    best = min(runs, key=lambda r: r["seconds"])
    assert all(r["calls"] == args.records for r in runs), runs
    mib = 1024
    scaled = TARGET_SECONDS * args.records / TARGET_RECORDS
    held = best["after_kb"] - idle["after_kb"]
    overhead = best["peak_kb"] - best["after_kb"]
    kind = "YAML" if args.yaml else "JSON"
    rows = [
        (
            "load, wall (best of runs)",
            f"{best['seconds']:.2f} s",
            f"< {scaled:.2f} s",
            best["seconds"] < scaled,
        ),
        (
            "load, CPU of that run",
            f"{best['cpu']:.2f} s",
            f"< {scaled:.2f} s",
            best["cpu"] < scaled,
        ),
        (
            "peak RSS beyond the journal held",
            f"{overhead / mib:.0f} MiB",
            f"< {TARGET_OVERHEAD_MIB} MiB",
            overhead / mib < TARGET_OVERHEAD_MIB,
        ),
    ]
    print(f"tenant file: {args.records:,} call records, {size / 2**20:.1f} MiB of {kind}")
    walls = ", ".join(f"{r['seconds']:.2f}" for r in runs)
    print(f"runs (wall s): {walls}")
    print(
        f"peak RSS {best['peak_kb'] / mib:.0f} MiB; after the load {best['after_kb'] / mib:.0f}"
        f" MiB (the journal held: +{held / mib:.0f} MiB over a mock that loads nothing,"
        f" {idle['after_kb'] / mib:.0f} MiB)"
    )
    print(f"| {'what':<34} | {'result':>9} | {'target':<10} | met |")
    for what, result, target, met in rows:
        print(f"| {what:<34} | {result:>9} | {target:<10} | {'yes' if met else 'NO'} |")
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(
        json.dumps(
            {
                "records": args.records,
                "format": kind,
                "bytes": size,
                "runs": runs,
                "idle": idle,
                "targets": {"seconds": scaled, "overhead_mib": TARGET_OVERHEAD_MIB},
            },
            indent=2,
        )
        + "\n"
    )
    return 0 if all(met for *_, met in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
