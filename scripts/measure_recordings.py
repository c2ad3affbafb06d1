"""Measure what a spoken recording costs: CPU, memory and bytes, for calls of several lengths.

    .venv/bin/python scripts/measure_recordings.py                  # 1 min, 10 min, 1 hour
    .venv/bin/python scripts/measure_recordings.py --durations 600 --repeat 3

Each call is spoken in a child process of its own (so its peak memory is its own) into an
empty cache directory: the CPU time of making the recording and its transcript (the first
request), of answering again from the cache, the growth of the process's peak resident
memory while making it and the peak of Python's own allocations (tracemalloc, measured on a
second, separate making), the file's size and bytes per minute, and the cache entry's size.
The packages are imported and the speech worker's forkserver started once before measuring,
as in a running mock. Each recording is spoken by a worker process of its own (speech.py says
why), forked from that server: CPU s and peak RSS growth are the mock's own process, wall s
includes the worker, and the cost of a worker alone (a process that says nothing) is printed
after the table.
Prints a Markdown table; writes JSON to reports/recordings.json (or --json).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

__all__ = ["main"]

_NAME = "2026-03-13/177342115767354776"
_SEED = "6f1c2d9e-4b7a-4e0f-9a51-0c3d8e2b7a14"


def _peak_rss_kib() -> int:
    """The process's peak resident memory (VmHWM) in KiB; Linux only."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def _reset_peak_rss() -> None:
    """Let VmHWM start again from the current resident memory (Linux 4.0+)."""
    Path("/proc/self/clear_refs").write_text("5")


def _child(duration: int) -> dict[str, Any]:
    from mock_server.domain.media.audio_cache import AudioCache
    from mock_server.domain.media.speech import in_fresh_process
    from mock_server.domain.media.spoken_recordings import Call, CallAudio, speech_available

    if not speech_available():
        raise SystemExit("the speech packages are not installed")
    in_fresh_process(int)  # start the worker's forkserver once, as a running mock has
    call = Call(_NAME, duration, _SEED, caller_name="Иван Петров", callee_name="Марина")

    def make(directory: Path) -> tuple[float, float, int, int]:
        audio = CallAudio(AudioCache(directory), spoken=True)
        cpu, wall = time.process_time(), time.perf_counter()
        recording = audio.recording(call)
        words = audio.transcript(call)
        return (
            time.process_time() - cpu,
            time.perf_counter() - wall,
            recording.size,
            len(words),
        )

    with tempfile.TemporaryDirectory() as first, tempfile.TemporaryDirectory() as second:
        _reset_peak_rss()
        rss_before = _peak_rss_kib()
        cpu, wall, size, words = make(Path(first))
        rss_growth = _peak_rss_kib() - rss_before

        audio = CallAudio(AudioCache(Path(first)), spoken=True)
        cached_cpu = time.process_time()
        audio.recording(call).read(0, 1023)
        audio.transcript(call)
        cached_cpu = time.process_time() - cached_cpu
        entry_bytes = AudioCache(Path(first)).size()

        tracemalloc.start()
        make(Path(second))
        python_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return {
        "duration_s": duration,
        "cpu_s": cpu,
        "wall_s": wall,
        "cached_cpu_ms": cached_cpu * 1000,
        "peak_rss_growth_mib": rss_growth / 1024,
        "python_peak_mib": python_peak / 2**20,
        "mp3_bytes": size,
        "bytes_per_minute": size * 60 / duration,
        "cache_entry_bytes": entry_bytes,
        "words": words,
    }


def _worker_ms(times: int = 20) -> float:
    """Median wall time of a speech worker that does nothing: a fork of the forkserver."""
    from mock_server.domain.media.speech import in_fresh_process

    in_fresh_process(int)
    walls = []
    for _ in range(times):
        wall = time.perf_counter()
        in_fresh_process(int)
        walls.append(time.perf_counter() - wall)
    return statistics.median(walls) * 1000


def _measure(duration: int) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", str(duration)],
        capture_output=True,
        check=True,
        text=True,
    )
    row: dict[str, Any] = json.loads(result.stdout)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--durations", type=int, nargs="+", default=[60, 600, 3600])
    parser.add_argument("--repeat", type=int, default=1, help="runs per duration; medians")
    parser.add_argument("--json", type=Path, default=Path("reports/recordings.json"))
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        print(json.dumps(_child(args.child)))
        return 0

    rows = []
    for duration in args.durations:
        runs = [_measure(duration) for _ in range(args.repeat)]
        rows.append({key: statistics.median(run[key] for run in runs) for key in runs[0]})
    print(
        "| call | CPU s | wall s | cached CPU ms | peak RSS growth MiB | Python peak MiB "
        "| MP3 bytes | bytes/min | cache entry bytes | words |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        print(
            f"| {row['duration_s'] / 60:g} min | {row['cpu_s']:.2f} | {row['wall_s']:.2f} "
            f"| {row['cached_cpu_ms']:.1f} | {row['peak_rss_growth_mib']:.1f} "
            f"| {row['python_peak_mib']:.1f} | {row['mp3_bytes']:,} "
            f"| {row['bytes_per_minute']:,.0f} | {row['cache_entry_bytes']:,} | {row['words']:g} |"
        )
    worker_ms = _worker_ms()
    print(f"\nA speech worker that says nothing: {worker_ms:.1f} ms wall (median of 20).")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "rows": rows,
        "worker_ms": worker_ms,
    }
    args.json.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
