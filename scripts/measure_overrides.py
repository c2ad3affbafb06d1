"""What each speed-up of `mock_server/http/compat_connexion.py` is worth, in CPU per request.

    .venv/bin/python scripts/measure_overrides.py                 # 5 rounds, batches of 200
    .venv/bin/python scripts/measure_overrides.py --rounds 9 --batch 400

Builds the mock (AsyncApp) in-process once per row: every kept override (`kept`), Connexion as
it ships (`stock`, `overrides=()`), and for each speed-up the kept set without it (`- name`).
Each row drives the app through its whole middleware stack with plain ASGI calls (no socket,
no HTTP client: what is measured is the app), one request after another over a mix of the
documented API's reads and one refused request, and takes the CPU time of the quickest of
several batches (the one other processes disturbed least). Rounds alternate the rows; the table
gives medians of rounds. A speed-up's gain is its `- name` row minus `kept`. Loopback only:
nothing here opens a socket.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import statistics
import sys
import time
from collections.abc import Callable, Collection
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mock_server.domain.pbx import Pbx, PbxConfig
from mock_server.http.app import create_app
from mock_server.http.compat_connexion import DIFFERENCES, KEPT, Override
from mock_server.testing.control import CONTROL_HEADER

__all__ = ["main"]

API = "/crm/openapi"
WINDOW = "start=2026-03-01T00:00:00Z&end=2026-03-04T00:00:00Z"
# What a CRM polls and reads; the last is refused by the parameter check.
MIX = (
    "/employees",
    "/managers",
    "/monitoring/calls",
    "/blacklist",
    f"/statistics/common?{WINDOW}",
    f"/call-records/info?{WINDOW}&size=50&sort=date,DESC",
    f"/call-records/info?{WINDOW}&size=0x",
)
SPEED_UPS = [o for o in Override if o not in DIFFERENCES and o is not Override.BUILD_AT_START]


class Driver:
    """Sends ASGI requests to an app and reads the answers."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.loop = asyncio.new_event_loop()

    def request(self, method: str, target: str, headers: dict[str, str]) -> tuple[int, bytes]:
        return self.loop.run_until_complete(self._request(method, target, headers))

    async def _request(
        self, method: str, target: str, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        url = urlsplit(target)
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": url.path,
            "raw_path": url.path.encode(),
            "root_path": "",
            "query_string": url.query.encode(),
            "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8080),
        }
        status = 0
        body: list[bytes] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                body.append(message.get("body", b""))

        await self.app(scope, receive, send)
        return status, b"".join(body)


def _row(overrides: Collection[Override], config: PbxConfig) -> Callable[[int], float]:
    """A function timing `n` requests of the mix on the app with `overrides` (CPU seconds)."""
    pbx = Pbx(config)
    driver = Driver(create_app(pbx, kind="async", overrides=overrides))
    status, body = driver.request(
        "POST", "/mock/tokens", {CONTROL_HEADER: "1", "Host": "127.0.0.1"}
    )
    assert status == 200, body
    headers = {"Authorization": json.loads(body)["accessToken"], "Host": "127.0.0.1"}
    for path in MIX:  # warm: each operation's first request builds what the overrides keep
        driver.request("GET", API + path, headers)

    def batch(n: int) -> float:
        started = time.process_time()
        for i in range(n):
            driver.request("GET", API + MIX[i % len(MIX)], headers)
        return time.process_time() - started

    return batch


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch", type=int, default=210)
    parser.add_argument("--batches", type=int, default=5)
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # the advisories of polling too often
    now = datetime(2026, 3, 4, 12, tzinfo=UTC)
    config = PbxConfig(seed=1, history_days=3, calls_per_day=200, now=now, frozen=True)
    rows: dict[str, Callable[[int], float]] = {
        "kept": _row(KEPT, config),
        "stock": _row((), config),
    }
    for override in SPEED_UPS:
        rows[f"- {override}"] = _row(KEPT - {override}, config)
    results: dict[str, list[float]] = {name: [] for name in rows}
    for round_ in range(args.rounds):
        for name, batch in rows.items():
            best = min(batch(args.batch) for _ in range(args.batches))
            results[name].append(best / args.batch * 1e6)
        print(f"round {round_ + 1}/{args.rounds} done", file=sys.stderr)
    kept = statistics.median(results["kept"])
    print(f"| row | µs CPU per request (median of {args.rounds}) | vs kept |")
    print("|---|---:|---:|")
    for name, values in results.items():
        median = statistics.median(values)
        print(f"| {name} | {median:.1f} | {median - kept:+.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
