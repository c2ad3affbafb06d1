"""The only way the real-service harness reaches the network: a guarded httpx transport.

Every request of a real run (Schemathesis's generated cases and its checks' probes, through the
WSGI bridge in `bridge.py`; the custom checks' follow-ups; the token refresh) goes through
`GuardedTransport.handle_request`, which, before anything leaves the process:

1. refuses any request the policy does not allow (`RequestRefused`): another host, a path
   outside the API, a method the spec does not declare there, a write without
   `TELE2_ATS_ALLOW_WRITES=1`, DELETE /blacklist/all and POST /call/outgoing without their
   own opt-ins on a non-loopback host (the call only between the two numbers given), and the
   token refresh outside `refresh_permit()` (which only `TokenManager.recover` holds, when the
   access token has expired);
2. spends one request of the run's budget (`BudgetExhausted` when none is left) and waits
   for its turn under the rate limit. Budget and rate live in a ledger file under an
   exclusive lock, so pytest-xdist workers or parallel processes of one run share them.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final
from urllib.parse import parse_qs, urlsplit

import httpx

from mock_server.real.config import RealConfig
from mock_server.spec_index import SpecIndex
from mock_server.specs import api_index

__all__ = [
    "BudgetExhausted",
    "GuardedTransport",
    "Ledger",
    "Policy",
    "RequestRefused",
]

READ_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})


@functools.cache
def _api() -> SpecIndex:
    """The spec's operations: which writes there are, and of what kind (`x-mock-write`)."""
    return api_index()


class RequestRefused(Exception):
    """The harness refused to send a request; nothing left the process."""


class BudgetExhausted(RequestRefused):
    """The run's request budget is spent."""


@dataclass
class Policy:
    """Which requests a run may send (see the module docstring)."""

    config: RealConfig
    company_id: int | None = None  # of the token, for the blacklist-clear opt-in
    calls_placed: int = 0
    # The spec's operations, of which `x-mock-write` says what each write changes.
    api: SpecIndex = field(default_factory=_api)
    _permit: threading.local = field(default_factory=threading.local)

    @contextlib.contextmanager
    def refresh_permit(self) -> Iterator[None]:
        self._permit.active = True
        try:
            yield
        finally:
            self._permit.active = False

    def check(self, method: str, url: str) -> None:
        """Raise RequestRefused unless this request may be sent."""
        method = method.upper()
        target, base = urlsplit(url), urlsplit(self.config.base_url)
        if (target.scheme, target.hostname, target.port) != (base.scheme, base.hostname, base.port):
            raise RequestRefused(f"{method} {url}: only {self.config.base_url} may be reached")
        base_path = self.config.base_path
        if not (target.path == base_path or target.path.startswith(base_path + "/")):
            raise RequestRefused(f"{method} {url}: outside the API's base path {base_path}")
        path = target.path[len(base_path) :].rstrip("/") or "/"
        if method in READ_METHODS:
            return
        operation = self.api.match(method, path)
        kind = None if operation is None else operation.traits.write
        if kind == "tokens":
            if getattr(self._permit, "active", False):
                return
            raise RequestRefused(
                f"{method} {path}: a refresh kills the old pair; the harness refreshes only "
                "when the access token has expired, never as a generated test"
            )
        where = "" if self.config.is_loopback else " on a non-loopback host"
        if kind == "blacklist-clear":
            self._require_writes(method, path)
            if not self.config.is_loopback and (
                self.config.allow_blacklist_clear is None
                or self.config.allow_blacklist_clear != self.company_id
            ):
                raise RequestRefused(
                    f"{method} {path} removes every number{where}: set "
                    f"TELE2_ATS_ALLOW_BLACKLIST_CLEAR to the token's companyId ({self.company_id})"
                )
            return
        if kind == "calls":
            self._require_writes(method, path)
            if not self.config.is_loopback:
                self._check_call(target.query)
            return
        if kind is not None:  # managers, blacklist: TELE2_ATS_ALLOW_WRITES
            self._require_writes(method, path)
            return
        # A write the spec does not mark as one (or no operation at all): never sent.
        raise RequestRefused(f"{method} {path}: not an operation this harness may send")

    def _require_writes(self, method: str, path: str) -> None:
        if not self.config.allow_writes:
            raise RequestRefused(
                f"{method} {path} writes: the run is read-only (TELE2_ATS_ALLOW_WRITES=1 to allow)"
            )

    def _check_call(self, query: str) -> None:
        config = self.config
        if not (config.allow_calls and config.call_source and config.call_destination):
            raise RequestRefused(
                "POST /call/outgoing rings real phones: set TELE2_ATS_ALLOW_CALLS=1, "
                "TELE2_ATS_CALL_SOURCE and TELE2_ATS_CALL_DESTINATION"
            )
        values = parse_qs(query, keep_blank_values=True)
        if values.get("source") != [config.call_source] or values.get("destination") != [
            config.call_destination
        ]:
            raise RequestRefused(
                "POST /call/outgoing: only from TELE2_ATS_CALL_SOURCE to TELE2_ATS_CALL_DESTINATION"
            )
        if self.calls_placed >= 1:
            raise RequestRefused("POST /call/outgoing: one call per run")
        self.calls_placed += 1


class Ledger:
    """The run's request budget and rate limit, shared by every process of the run."""

    def __init__(
        self,
        path: Path,
        *,
        run_id: str,
        max_requests: int,
        rate: float,
        wall: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.path = path
        self.run_id = run_id
        self.max_requests = max_requests
        self.interval = 1.0 / rate
        self._wall = wall
        self._sleep = sleep  # wall-clock time: the ledger is shared between processes

    def spend(self) -> int:
        """Take one request from the budget and wait for its slot; returns how many were sent."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a+", encoding="utf-8") as file:
            fcntl.flock(file, fcntl.LOCK_EX)
            try:
                file.seek(0)
                text = file.read()
                state = json.loads(text) if text.strip() else {}
                if state.get("run") != self.run_id:
                    state = {"run": self.run_id, "sent": 0, "next_at": state.get("next_at", 0.0)}
                if state["sent"] >= self.max_requests:
                    raise BudgetExhausted(
                        f"the run's budget of {self.max_requests} requests is spent "
                        "(TELE2_ATS_MAX_REQUESTS)"
                    )
                wait = float(state["next_at"]) - self._wall()
                if wait > 0:
                    # Waiting under the lock keeps every process of the run in one queue.
                    self._sleep(wait)
                state["next_at"] = max(self._wall(), float(state["next_at"])) + self.interval
                state["sent"] += 1
                file.seek(0)
                file.truncate()
                file.write(json.dumps(state))
                file.flush()
                os.fsync(file.fileno())
                return int(state["sent"])
            finally:
                fcntl.flock(file, fcntl.LOCK_UN)

    def sent(self) -> int:
        try:
            state = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return 0
        return int(state.get("sent", 0)) if state.get("run") == self.run_id else 0


class GuardedTransport(httpx.BaseTransport):
    """Policy first, then budget and rate, then the wrapped transport."""

    def __init__(
        self,
        policy: Policy,
        ledger: Ledger,
        inner: httpx.BaseTransport | None = None,
        on_response: Callable[[httpx.Request, httpx.Response], None] | None = None,
    ) -> None:
        self.policy = policy
        self.ledger = ledger
        self.inner = inner if inner is not None else httpx.HTTPTransport(retries=0)
        self.on_response = on_response
        self.refused: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            self.policy.check(request.method, str(request.url))
            self.ledger.spend()
        except RequestRefused as exc:
            self.refused.append(str(exc))
            raise
        response = self.inner.handle_request(request)
        if self.on_response is not None:
            response.read()
            self.on_response(request, response)
        return response

    def close(self) -> None:
        self.inner.close()
