"""What the guard of /mock costs per request (mock_server/http/guard.py).

    .venv/bin/python scripts/measure_guard.py            # 20 batches of 20,000 per row

The guard (`ControlGuard`) wraps an ASGI app that answers nothing (so only the guard's own
work is timed, not the mock's), and each row sends one kind of request through it, one after
another on one event loop. The figure is the wall time per request of the quickest batch (the
one other processes disturbed least), minus that of the bare app: what the guard adds.
Rows: a request to the documented API (the guard only looks at the path), curl's GET and
POST of JSON under /mock, a browser's same-origin form post to the console, and a DNS-rebinding
request it refuses (the 403 rendered and sent). No network.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from starlette.types import Receive, Scope, Send

from mock_server.http.errors import ErrorRenderer
from mock_server.http.guard import ControlGuard, ControlGuardRule

__all__ = ["main"]

HOST = b"127.0.0.1:8080"


def _scope(method: str, path: str, *headers: tuple[bytes, bytes]) -> Scope:
    return {
        "type": "http",
        "method": method,
        "path": path,
        "scheme": "http",
        "server": ("127.0.0.1", 8080),
        "headers": [
            (b"user-agent", b"curl/8.5.0"),
            (b"accept", b"*/*"),
            *headers,
        ],
    }


ROWS: dict[str, Scope] = {
    "documented API (passes by its path)": _scope(
        "GET", "/crm/openapi/employees", (b"host", HOST), (b"authorization", b"eyJ" + b"x" * 300)
    ),
    "GET /mock/health (curl)": _scope("GET", "/mock/health", (b"host", HOST)),
    "POST /mock/faults, JSON (curl)": _scope(
        "POST",
        "/mock/faults",
        (b"host", HOST),
        (b"content-type", b"application/json"),
        (b"content-length", b"40"),
    ),
    "POST /mock/console/clock/advance (browser form)": _scope(
        "POST",
        "/mock/console/clock/advance",
        (b"host", HOST),
        (b"origin", b"http://" + HOST),
        (b"sec-fetch-site", b"same-origin"),
        (b"sec-fetch-mode", b"navigate"),
        (b"content-type", b"application/x-www-form-urlencoded"),
        (b"cookie", b"a=b"),
    ),
    "POST /mock/tokens, rebinding Host (refused, 403 sent)": _scope(
        "POST",
        "/mock/tokens",
        (b"host", b"rebind.attacker.example:8080"),
        (b"origin", b"http://rebind.attacker.example:8080"),
        (b"content-type", b"application/json"),
    ),
}


async def _nothing(scope: Scope, receive: Receive, send: Send) -> None:
    return None


async def _receive() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}


async def _send(message: dict[str, Any]) -> None:
    return None


async def _batch(app: Callable[..., Any], scope: Scope, count: int) -> float:
    start = time.perf_counter()
    for _ in range(count):
        await app(scope, _receive, _send)
    return (time.perf_counter() - start) / count


async def _measure(batches: int, size: int) -> dict[str, dict[str, float]]:
    guard = ControlGuard(_nothing, ControlGuardRule(), ErrorRenderer(lambda: datetime.now(UTC)))
    results = {}
    for name, scope in ROWS.items():
        bare = min([await _batch(_nothing, scope, size) for _ in range(batches)])
        guarded = min([await _batch(guard, scope, size) for _ in range(batches)])
        results[name] = {"bare_us": bare * 1e6, "guarded_us": guarded * 1e6}
        results[name]["guard_us"] = results[name]["guarded_us"] - results[name]["bare_us"]
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    results = asyncio.run(_measure(args.batches, args.size))
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"{'request':56} {'guard adds':>10}")
    for name, row in results.items():
        print(f"{name:56} {row['guard_us']:8.2f} µs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
