"""The transport side of a calibration: the probes sent to a target and to the mock.

The target (production, or whatever TELE2_ATS_BASE_URL names) is reached only through the
guarded transport of `mock_server/real/` (host allow-list, writes only when opted in, budget
and rate in the run's ledger). The mock is started for the run on loopback.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from mock_server.calibrate.observe import Answer, Context, Undecided, observe
from mock_server.calibrate.probes import Probe, Request
from mock_server.real.config import RealConfig
from mock_server.real.guard import GuardedTransport, Ledger, Policy, RequestRefused
from mock_server.real.tokens import TokenFile, TokenPair
from mock_server.spec_index import SpecIndex

__all__ = ["Outcome", "Target", "guarded_target", "run_probe"]

JOURNAL_PAGE = 2000
MAX_JOURNAL_PAGES = 5


@dataclass
class Target:
    """Where probes go: a base URL, an httpx client, a token pair and the instant it calls now."""

    name: str
    base_url: str
    client: httpx.Client
    pair: TokenPair
    now: datetime
    refresh_permit: Callable[[], Any] | None = None  # a context manager (the guard's)
    save_pair: Callable[[TokenPair], None] = lambda pair: None

    def send(self, request: Request) -> Answer:
        headers = dict(request.headers)
        token = {
            "access": self.pair.access_token,
            "refresh": self.pair.refresh_token,
            "bearer": "Bearer " + self.pair.access_token,
            "none": None,
        }[request.token]
        if token is not None:
            headers["Authorization"] = token
        content = request.body.encode() if request.body is not None else None
        answer = self.client.request(
            request.method,
            self.base_url + request.path,
            params=dict(request.query),
            headers=headers,
            content=content,
            json=request.json if content is None else None,
        )
        return Answer(
            answer.status_code,
            {k.lower(): v for k, v in answer.headers.items()},
            answer.content,
            f"{request.method} {request.path}",
        )

    def refresh(self) -> TokenPair:
        assert self.refresh_permit is not None
        with self.refresh_permit():
            answer = self.client.put(
                self.base_url + "/authorization/refresh/token",
                headers={"Authorization": self.pair.refresh_token},
            )
        answer.raise_for_status()
        self.pair = TokenPair.from_json(answer.json())
        self.save_pair(self.pair)  # before anything else: the old pair is dead
        return self.pair


@dataclass
class Outcome:
    """One probe on one target: its observation and every answer it got."""

    observation: Any
    answers: list[tuple[Request, Answer]] = field(default_factory=list)


def _window(target: Target, days: float) -> dict[str, str]:
    moscow = target.now.astimezone(UTC) + timedelta(hours=3)
    end = moscow.replace(microsecond=0)
    start = end - timedelta(days=days)
    fmt = "%Y-%m-%dT%H:%M:%S+03:00"
    return {"start": start.strftime(fmt), "end": end.strftime(fmt)}


def _journal(
    target: Target, values: dict[str, str], log: list[tuple[Request, Answer]]
) -> list[Any]:
    records: list[Any] = []
    for page in range(MAX_JOURNAL_PAGES):
        query = {**values, "size": str(JOURNAL_PAGE), "page": str(page)}
        request = Request("GET", "/call-records/info", query)
        answer = target.send(request)
        log.append((request, answer))
        body = answer.json()
        if answer.status != 200 or not isinstance(body, list):
            return []
        records.extend(body)
        if len(body) < JOURNAL_PAGE:
            return records
    return []  # more than the pages the budget allows: not the whole window


def run_probe(probe: Probe, target: Target) -> Outcome:
    """Send `probe` to `target` and observe; a refused request leaves the probe undecided."""
    outcome = Outcome(None)
    log = outcome.answers
    try:
        values = _window(target, probe.window_days)
        if probe.bind is not None:
            request = probe.bind.filled(values)
            answer = target.send(request)
            log.append((request, answer))
            body = answer.json()
            first = body[0] if isinstance(body, list) and body else None
            bound = first.get(probe.bind_field) if isinstance(first, dict) else None
            if not bound:
                outcome.observation = Undecided(f"no record with `{probe.bind_field}` to probe")
                return outcome
            values = {**values, "bound": str(bound), "bound8": "8" + str(bound)[1:]}
        pairs: list[tuple[str, str]] = [(target.pair.access_token, target.pair.refresh_token)]
        if probe.observe == "refresh-twice":
            first_pair, second_pair = target.refresh(), target.refresh()
            pairs = [
                (first_pair.access_token, first_pair.refresh_token),
                (second_pair.access_token, second_pair.refresh_token),
            ]
        answers = []
        for template in probe.requests:
            request = template.filled(values)
            answer = target.send(request)
            log.append((request, answer))
            answers.append(answer)
        context = Context(pairs=pairs, options=probe.options)
        if probe.observe == "page-cap" and answers:
            following = probe.requests[0].filled(values)
            following = Request(following.method, following.path, {**following.query, "page": "1"})
            next_page = target.send(following)
            log.append((following, next_page))
            context = Context(next_page=next_page, options=probe.options)
        if probe.observe == "identities":
            context = Context(records=_journal(target, values, log), options=probe.options)
        outcome.observation = observe(str(probe.observe), answers, context)
    except RequestRefused as exc:
        outcome.observation = Undecided(f"not sent: {exc}")
    finally:
        for template in probe.cleanup:
            with contextlib.suppress(RequestRefused):
                target.send(template)
    return outcome


def guarded_target(config: RealConfig, run_id: str, now: datetime, api: SpecIndex) -> Target:
    """The target of `config`, every request through the guard; nothing is sent here."""
    policy = Policy(config, api=api)
    ledger = Ledger(
        config.reports / ".tele2-ats-ledger.json",
        run_id=run_id,
        max_requests=config.max_requests,
        rate=config.rate,
    )
    client = httpx.Client(
        transport=GuardedTransport(policy, ledger), timeout=30.0, follow_redirects=False
    )
    token_file = TokenFile(config.token_file)
    pair = config.token_pair()
    if pair is None:
        raise SystemExit(config.missing_credentials() or "no token pair")
    target = Target(
        "production",
        config.base_url,
        client,
        pair,
        now,
        refresh_permit=policy.refresh_permit,
        save_pair=token_file.write,
    )
    target.ledger = ledger  # type: ignore[attr-defined]
    return target


def new_run_id() -> str:
    return uuid.uuid4().hex[:12]


def probes_to_run(probes: Sequence[Probe], writes: bool) -> list[Probe]:
    return [p for p in probes if p.observe is not None and (writes or not p.writes)]
