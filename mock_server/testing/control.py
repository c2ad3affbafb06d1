"""A typed client of the mock's control API (`/mock`, openapi/mock-admin.yaml).

Written once by hand rather than generated: it is small, and its users are test suites that
want plain dataclasses and one exception. Every method is one request; an answer other than
the documented success raises ControlError with the problem+json body.

Example (tests/test_documented_examples.py runs every example here)::

    control = ControlClient("http://127.0.0.1:8080")
    company = control.create_company()
    control.advance(2 * 86400, company_id=company.company_id)  # only that company's time
    control.simulate_incoming_call("79161234567", company_id=company.company_id)

The test double (request journal, advisories, faults, call outcomes)::

    control.add_fault(operation_id="getEmployees", status=503, times=2)
    ...  # the code under test
    control.assert_called(operation_id="getEmployees", status=503, times=2)
    control.assert_no_advisories(company_id=company.company_id)

What a request sent is matched as WireMock does (mock_server/testing/matchers.py: `equal_to`,
`contains`, `matches`, `absent`, `equal_to_json`, `json_path`; a plain value is equality)::

    control.assert_called(operation_id="initiateCall", query={"destination": "79165554433"})
    control.assert_called(query={"destination": {"equalTo": "79165554433"}})  # the same
    control.assert_called(operation_id="addToBlacklist", body="79998887766")
    control.assert_called(headers={"X-Trace-Id": contains("crm")})

A failed assertion lists the matching requests and the closest ones that do not match, each
with what it missed, so that the failure explains itself; against a mock of several workers
(`--workers N`, each with a journal of its own) it says that it saw one worker's journal.
"""

from __future__ import annotations

import json as json_module
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from os import PathLike
from pathlib import Path
from typing import Any

import httpx

from mock_server.testing.matchers import sent_matchers

__all__ = [
    "CONTROL_HEADER",
    "AdvisorySummary",
    "AnsweringProcess",
    "ClockReading",
    "Company",
    "ControlClient",
    "ControlError",
    "FaultRule",
    "Fixture",
    "Health",
    "IssuedPair",
    "NearMiss",
    "PlacedCall",
    "QueryParams",
    "QueuedOutcome",
    "RecordedRequest",
]


# A request that changes the mock carries JSON or this header (any value): no web page can send
# either without a CORS preflight, which the mock never grants (mock_server/http/guard.py).
CONTROL_HEADER = "X-Tele2-Ats-Mock"


class ControlError(Exception):
    """The control API refused a request: `status` and the RFC 9457 `problem`; for a tenant
    file, `errors` lists its problems (each a dict with `pointer`, `line`, `column` when known
    and `detail`), and the message says each on a line of its own."""

    def __init__(self, method: str, path: str, status: int, problem: Any) -> None:
        detail = problem.get("detail") if isinstance(problem, dict) else problem
        errors = problem.get("errors") if isinstance(problem, dict) else None
        self.errors: list[dict[str, Any]] = list(errors) if isinstance(errors, list) else []
        if self.errors:
            detail = f"{problem.get('problems', len(self.errors))} problem(s) in the tenant file"
            for error in self.errors:
                where = error.get("pointer") or "/"
                if error.get("line") is not None:
                    where += f" (line {error['line']}, column {error['column']})"
                detail += f"\n  {where}: {error.get('detail')}"
        super().__init__(f"{method} /mock{path}: {status} {detail}")
        self.status = status
        self.problem = problem


@dataclass(frozen=True, slots=True)
class IssuedPair:
    """A token pair and whom it is for (POST /mock/tokens)."""

    access_token: str
    refresh_token: str
    company_id: int
    user_id: int
    login: str

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> IssuedPair:
        return cls(
            data["accessToken"],
            data["refreshToken"],
            data["companyId"],
            data["userId"],
            data["login"],
        )


@dataclass(frozen=True, slots=True)
class Company:
    """A company of one's own (POST /mock/companies) and its administrator's pair."""

    company_id: int
    access_token: str
    refresh_token: str
    user_id: int
    now: datetime


@dataclass(frozen=True, slots=True)
class ClockReading:
    """The mock clock, or a company's (`company_id`, `lead_seconds`)."""

    now: datetime
    frozen: bool
    company_id: int | None = None
    lead_seconds: float = 0.0

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ClockReading:
        return cls(
            datetime.fromisoformat(data["now"]),
            bool(data["frozen"]),
            data.get("companyId"),
            float(data.get("leadSeconds", 0.0)),
        )


@dataclass(frozen=True, slots=True)
class Health:
    status: str
    seed: int
    companies: tuple[int, ...]
    now: datetime
    frozen: bool
    pid: int
    # The spec version the mock serves (None from a mock older than 1.0.0, which did not say).
    version: str | None = None


@dataclass(frozen=True, slots=True)
class AnsweringProcess:
    """The process whose journal answered: worker `worker` of `workers` (`--workers N`)."""

    pid: int
    worker: int
    workers: int

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AnsweringProcess:
        return cls(data["pid"], data["worker"], data["workers"])

    def caveat(self) -> str | None:
        """What a verification against one of several workers' journals must say, if any."""
        if self.workers == 1:
            return None
        return (
            f"(this is the journal of worker {self.worker} of {self.workers}, pid {self.pid}: "
            f"with --workers {self.workers} each worker journals only the requests it served; "
            "verify requests against a mock of one worker)"
        )


class QueryParams(Mapping[str, str]):
    """A request's query parameters: `query["destination"]` is a parameter's last value (as
    most frameworks read it), `query.all("destination")` every value in the order sent."""

    def __init__(self, values: Mapping[str, list[str]]) -> None:
        self._values = {name: list(found) for name, found in values.items() if found}

    def __getitem__(self, name: str) -> str:
        return self._values[name][-1]

    def __iter__(self) -> Any:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def all(self, name: str) -> list[str]:
        return list(self._values.get(name, ()))

    def __repr__(self) -> str:
        return f"QueryParams({self._values!r})"


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One request of the request journal (GET /mock/requests); `raw` is the whole entry.

    What was sent: `query` (QueryParams), `headers` (case-insensitive; never Authorization,
    which the journal keeps as `raw["token"]`'s claims), `body` (text) and `json` (the body
    parsed). The journal keeps the first 4 KiB of the query and body and 8 KiB of headers:
    `truncated` names what it cut."""

    id: int
    at: datetime
    method: str
    path: str
    operation_id: str | None
    status: int | None
    company_id: int | None
    duration_ms: float
    advisories: tuple[str, ...]  # their codes
    fault: dict[str, Any] | None
    raw: dict[str, Any]
    query: QueryParams = field(default_factory=lambda: QueryParams({}))
    headers: httpx.Headers = field(default_factory=httpx.Headers)
    body: str = ""
    truncated: frozenset[str] = frozenset()  # of "path", "query", "headers", "body"

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RecordedRequest:
        return cls(
            data["id"],
            datetime.fromisoformat(data["at"]),
            data["method"],
            data["path"],
            data["operationId"],
            data["status"],
            data["companyId"],
            float(data["durationMs"]),
            tuple(advisory["code"] for advisory in data["advisories"]),
            data["fault"],
            data,
            QueryParams(data["query"]),
            httpx.Headers(data["headers"]),
            data["body"],
            frozenset(p for p in ("path", "query", "headers", "body") if data[f"{p}Truncated"]),
        )

    @property
    def json(self) -> Any:
        """The body parsed as JSON; ValueError if it is not JSON or the journal cut it."""
        if "body" in self.truncated:
            size = self.raw["bodySize"]
            raise ValueError(f"request #{self.id}: the journal kept part of its {size}-byte body")
        try:
            return json_module.loads(self.body)
        except ValueError as exc:
            raise ValueError(f"request #{self.id}: the body is not JSON ({exc})") from None

    def __str__(self) -> str:
        query = "&".join(f"{k}={v}" for k, values in self.raw["query"].items() for v in values)
        shown = f"#{self.id} {self.method} {self.path}{'?' + query if query else ''}"
        shown += f" -> {self.status if self.status is not None else 'no answer'}"
        details = [self.operation_id or "no operation", f"company {self.company_id}"]
        if self.fault is not None:
            details.append(f"fault {self.fault['action']} (rule {self.fault['ruleId']})")
        if self.advisories:
            details.append("advisories " + ", ".join(self.advisories))
        return f"{shown} ({'; '.join(details)})"


@dataclass(frozen=True, slots=True)
class NearMiss:
    """A request that does not match a pattern, and what it missed."""

    request: RecordedRequest
    differences: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AdvisorySummary:
    """One advisory code as GET /mock/advisories sums it up."""

    code: str
    message: str
    guide: str
    basis: str  # how sure its decision is: guide, field-notes, client-code or inferred
    count: int
    example: dict[str, Any]
    decision: str = ""  # the decision of the spec's x-decisions it rests on ("D17")

    def __str__(self) -> str:
        example = self.example
        return (
            f"{self.code} x{self.count}: {self.message} (guide {self.guide}; decision "
            f"{self.decision}, {self.basis}; e.g. request "
            f"#{example['requestId']} {example['method']} {example['path']}: {example['detail']})"
        )


@dataclass(frozen=True, slots=True)
class FaultRule:
    """A fault rule in force: its id, how often it fired, and its fields as given."""

    id: int
    fired: int
    remaining: int | None
    fields: dict[str, Any]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FaultRule:
        return cls(data["id"], data["fired"], data["remaining"], data)


@dataclass(frozen=True, slots=True)
class QueuedOutcome:
    """An outcome queued for a company's next call (POST /mock/calls/outcomes)."""

    id: int
    company_id: int
    outcome: str
    fields: dict[str, Any]


@dataclass(frozen=True, slots=True)
class PlacedCall:
    """A call placed while the mock runs (GET /mock/calls), live or finished."""

    uuid: str
    direction: str
    state: str  # live, finished
    started_at: datetime
    record_file_name: str | None
    fields: dict[str, Any]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PlacedCall:
        return cls(
            data["uuid"],
            data["direction"],
            data["state"],
            datetime.fromisoformat(data["startedAt"]),
            data.get("recordFileName"),
            data,
        )


class ControlClient:
    """The control API of the mock at `base_url` (`http://HOST:PORT`, without `/mock`)."""

    def __init__(self, base_url: str, *, timeout: float = 60.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(
            base_url=self.base_url + "/mock", timeout=timeout, headers={CONTROL_HEADER: "1"}
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ControlClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Any = None,
        ok: int = 200,
        content: bytes | None = None,
        content_type: str | None = None,
    ) -> Any:
        """One request; the parsed answer, or ControlError when its status is not `ok`.
        `content`: a body of bytes as they are (`content_type`, default JSON)."""
        if content is not None:
            response = self._http.request(
                method,
                path,
                content=content,
                params=params,
                headers={"Content-Type": content_type or "application/json"},
            )
        else:
            response = self._http.request(method, path, json=json, params=params)
        if response.status_code != ok:
            try:
                problem: Any = response.json()
            except ValueError:
                problem = response.text
            raise ControlError(method, path, response.status_code, problem)
        return response.json() if response.content else None

    # -- the mock -----------------------------------------------------------------------------

    def health(self) -> Health:
        data = self.request("GET", "/health")
        return Health(
            data["status"],
            data["seed"],
            tuple(data["companies"]),
            datetime.fromisoformat(data["now"]),
            data["frozen"],
            data["pid"],
            data.get("version"),
        )

    def reset(
        self,
        *,
        seed: int | None = None,
        history_days: int | None = None,
        calls_per_day: int | None = None,
        now: datetime | None = None,
        frozen: bool | None = None,
    ) -> Health:
        """Back to a freshly seeded state (every token dies)."""
        body = _body(
            seed=seed,
            historyDays=history_days,
            callsPerDay=calls_per_day,
            now=None if now is None else now.isoformat(),
            frozen=frozen,
        )
        self.request("POST", "/reset", json=body)
        return self.health()

    # -- tokens and companies -----------------------------------------------------------------

    def issue_tokens(
        self, company_id: int | None = None, user_id: int | None = None, login: str | None = None
    ) -> IssuedPair:
        """A new pair for the user (it supersedes their earlier pairs, as the cabinet does)."""
        body = _body(companyId=company_id, userId=user_id, login=login)
        return IssuedPair.from_json(self.request("POST", "/tokens", json=body or None))

    def create_company(
        self, company_id: int | None = None, *, fixture: Fixture | None = None
    ) -> Company:
        """A company of one's own: seeded data, a pair, and a clock of its own; with
        `fixture`, the company of that tenant file instead (docs/tenants.md): a mapping, JSON
        or YAML text or bytes, or a path to a file. ControlError (`errors`: every problem,
        with its line in the file) if the file is refused; nothing is left behind then."""
        if fixture is None:
            body = _body(companyId=company_id) or None
            return _company(self.request("POST", "/companies", json=body, ok=201))
        data, is_json = _fixture_bytes(fixture)
        if not is_json:
            # YAML rides PUT .../data, which reads it as written (its lines are the file's).
            company = self.create_company(company_id)
            try:
                self.load_tenant(company.company_id, data)
            except BaseException:
                self.delete_company(company.company_id)
                raise
            return company
        head = b'{"fixture":' if company_id is None else b'{"companyId":%d,"fixture":' % company_id
        answer = self.request("POST", "/companies", content=head + data + b"}", ok=201)
        return _company(answer)

    def load_tenant(self, company_id: int, fixture: Fixture) -> dict[str, Any]:
        """Replace company `company_id`'s data with a tenant file's (its tokens and clock
        stay); what it holds now (`LoadedTenant`). `fixture` as `create_company`'s."""
        data, is_json = _fixture_bytes(fixture)
        answer: dict[str, Any] = self.request(
            "PUT",
            f"/companies/{company_id}/data",
            content=data,
            content_type="application/json" if is_json else "application/yaml",
        )
        return answer

    def export_tenant(self, company_id: int) -> dict[str, Any]:
        """Company `company_id` as a tenant file (JSON's data): load it again with
        `create_company(fixture=...)` or `load_tenant`, or write it to a file to edit."""
        answer: dict[str, Any] = self.request("GET", f"/companies/{company_id}/export")
        return answer

    def delete_company(self, company_id: int) -> None:
        self.request("DELETE", f"/companies/{company_id}", ok=204)

    # -- clocks -------------------------------------------------------------------------------

    def clock(self, company_id: int | None = None) -> ClockReading:
        """The mock clock, or company `company_id`'s."""
        path = "/clock" if company_id is None else f"/companies/{company_id}/clock"
        return ClockReading.from_json(self.request("GET", path))

    def advance(self, seconds: float, company_id: int | None = None) -> ClockReading:
        """Move the mock clock (every company's), or only `company_id`'s, forward."""
        path = "/clock/advance" if company_id is None else f"/companies/{company_id}/clock/advance"
        return ClockReading.from_json(self.request("POST", path, json={"seconds": seconds}))

    def set_clock(
        self,
        now: datetime | None = None,
        *,
        frozen: bool | None = None,
        company_id: int | None = None,
    ) -> ClockReading:
        """Move a clock to `now` (never back), and/or freeze or unfreeze the mock clock."""
        path = "/clock" if company_id is None else f"/companies/{company_id}/clock"
        body = _body(now=None if now is None else now.isoformat(), frozen=frozen)
        return ClockReading.from_json(self.request("PUT", path, json=body))

    # -- calls --------------------------------------------------------------------------------

    def simulate_incoming_call(
        self,
        from_number: str,
        *,
        to: str | None = None,
        queue: str | None = None,
        duration_seconds: int | None = None,
        outcome: str | None = None,
        company_id: int | None = None,
    ) -> dict[str, Any]:
        """A call from `from_number`, living by the company's clock (the answer says when its
        phases happen)."""
        body = _body(
            **{"from": from_number},
            to=to,
            queue=queue,
            durationSeconds=duration_seconds,
            outcome=outcome,
            companyId=company_id,
        )
        answer: dict[str, Any] = self.request("POST", "/calls/incoming", json=body)
        return answer

    # -- the request journal and its advisories -------------------------------------------

    def requests(self, *, limit: int = 100, **pattern: Any) -> list[RecordedRequest]:
        """The journal's requests matching `pattern`, newest first (see `_pattern`)."""
        return self._requests(limit, pattern)[0]

    def _requests(
        self, limit: int, pattern: dict[str, Any]
    ) -> tuple[list[RecordedRequest], AnsweringProcess]:
        data = self.request("POST", "/requests/find", json={**_pattern(pattern), "limit": limit})
        found = [RecordedRequest.from_json(entry) for entry in data["requests"]]
        return found, AnsweringProcess.from_json(data["process"])

    def clear_requests(self) -> None:
        """Empty the journal and the advisories' summary."""
        self.request("DELETE", "/requests", ok=204)

    def count_requests(self, **pattern: Any) -> int:
        return self._count(pattern)[0]

    def _count(self, pattern: dict[str, Any]) -> tuple[int, AnsweringProcess, int]:
        """How many match, who answered, and how many the journal cut too short to tell."""
        data = self.request("POST", "/requests/count", json=_pattern(pattern))
        process = AnsweringProcess.from_json(data["process"])
        return int(data["count"]), process, int(data.get("cutShort", 0))

    def near_misses(self, *, limit: int = 5, **pattern: Any) -> list[NearMiss]:
        """The requests closest to `pattern` that do not match it, each with what it missed."""
        body = {**_pattern(pattern), "limit": limit}
        data = self.request("POST", "/requests/near-misses", json=body)
        return [
            NearMiss(RecordedRequest.from_json(miss["request"]), tuple(miss["differences"]))
            for miss in data["nearMisses"]
        ]

    def advisories(self, company_id: int | None = None) -> list[AdvisorySummary]:
        """Every advisory code the requests (of `company_id`'s tokens, if given) earned so
        far, with counts and an example."""
        answer = self.request("GET", "/advisories", params=_body(companyId=company_id))
        return [
            AdvisorySummary(
                a["code"],
                a["message"],
                a["guide"],
                a["basis"],
                a["count"],
                a["example"],
                a["decision"],
            )
            for a in answer["advisories"]
        ]

    def assert_called(
        self, *, times: int | None = None, at_least: int = 1, **pattern: Any
    ) -> list[RecordedRequest]:
        """The requests matching `pattern` (newest first): exactly `times` of them, or at least
        `at_least`; else AssertionError listing them and the closest requests that missed."""
        found = self.requests(limit=max(times or 0, at_least, 20), **pattern)
        count, process, cut_short = self._count(pattern)
        if (times is not None and count != times) or (times is None and count < at_least):
            wanted = f"exactly {times}" if times is not None else f"at least {at_least}"
            outcome = f"{wanted}, got {count}"
            if cut_short:
                outcome += (
                    f" ({cut_short} more might match: the journal kept only part of what they sent)"
                )
            explained = self._explain(pattern, outcome, found)
            raise AssertionError(_with_caveat(explained, process))
        return found

    def assert_not_called(self, **pattern: Any) -> None:
        """No request matches `pattern`; else AssertionError listing those that do."""
        self.assert_called(times=0, **pattern)

    def assert_no_advisories(self, **pattern: Any) -> None:
        """No request matching `pattern` earned an advisory; else AssertionError listing them.
        What a vendor checks before going to production."""
        seen, process = self._requests(1000, pattern)
        flagged = [r for r in seen if r.advisories]
        if flagged:
            lines = [f"{len(flagged)} request(s) earned advisories:"]
            lines += [f"  {request}" for request in flagged[:10]]
            codes = {code for request in flagged for code in request.advisories}
            summary = self.advisories(pattern.get("company_id", pattern.get("companyId")))
            lines += [f"  {a}" for a in summary if a.code in codes]
            raise AssertionError(_with_caveat("\n".join(lines), process))

    def _explain(self, pattern: dict[str, Any], outcome: str, found: list[RecordedRequest]) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in _pattern(pattern).items()) or "any request"
        lines = [f"requests matching {shown}: {outcome}"]
        lines += [f"  {request}" for request in found[:10]]
        misses = self.near_misses(**pattern)
        if misses:
            lines.append("closest requests that do not match:")
            lines += [f"  {m.request}: {'; '.join(m.differences)}" for m in misses]
        elif not found:
            lines.append("the journal holds no request at all")
        return "\n".join(lines)

    # -- faults ---------------------------------------------------------------------------

    def add_fault(self, **rule: Any) -> FaultRule:
        """Add a fault rule: its fields in snake_case (`operation_id`, `delay_ms`, `retry_after`,
        `from_`, ...) or as the API spells them; e.g. `add_fault(operation_id="getEmployees",
        status=503, times=2)`."""
        return FaultRule.from_json(self.request("POST", "/faults", json=_camel(rule), ok=201))

    def faults(self) -> list[FaultRule]:
        return [FaultRule.from_json(rule) for rule in self.request("GET", "/faults")["faults"]]

    def fault(self, rule_id: int) -> FaultRule:
        return FaultRule.from_json(self.request("GET", f"/faults/{rule_id}"))

    def delete_fault(self, rule_id: int) -> None:
        self.request("DELETE", f"/faults/{rule_id}", ok=204)

    def clear_faults(self) -> None:
        self.request("DELETE", "/faults", ok=204)

    def outage(
        self,
        minutes: float,
        *,
        status: int | None = None,
        retry_after: int | None = None,
        company_id: int | None = None,
    ) -> FaultRule:
        """Preset: every operation answers `status` (503) for `minutes` of the mock clock."""
        body = _body(minutes=minutes, status=status, retryAfter=retry_after, companyId=company_id)
        return FaultRule.from_json(
            self.request("POST", "/faults/presets/outage", json=body, ok=201)
        )

    def expire_tokens(self, company_id: int | None = None, *, refresh: bool = False) -> FaultRule:
        """Preset: every access token (`refresh`: and refresh token) issued so far expires."""
        body = _body(companyId=company_id, refresh=refresh or None)
        answer = self.request("POST", "/faults/presets/token-expiry", json=body, ok=201)
        return FaultRule.from_json(answer)

    def slow_recordings(
        self, delay_ms: int = 3000, *, jitter_ms: int | None = None, company_id: int | None = None
    ) -> FaultRule:
        """Preset: recording downloads wait `delay_ms` (plus up to `jitter_ms`)."""
        body = _body(delayMs=delay_ms, jitterMs=jitter_ms, companyId=company_id)
        answer = self.request("POST", "/faults/presets/slow-recordings", json=body, ok=201)
        return FaultRule.from_json(answer)

    # -- call outcomes --------------------------------------------------------------------

    def queue_call_outcome(self, outcome: str = "answered", **fields: Any) -> QueuedOutcome:
        """How the company's next call ends: `company_id`, `direction`, `duration_seconds`,
        `ring_seconds`, `recording`, `transcript`, `answered_by` (see the control API)."""
        body = _camel({"outcome": outcome, **fields})
        data = self.request("POST", "/calls/outcomes", json=body, ok=201)
        return QueuedOutcome(data["id"], data["companyId"], data["outcome"], data)

    def call_outcomes(self, company_id: int | None = None) -> list[dict[str, Any]]:
        params = _body(companyId=company_id)
        outcomes: list[dict[str, Any]] = self.request("GET", "/calls/outcomes", params=params)[
            "outcomes"
        ]
        return outcomes

    def clear_call_outcomes(self, company_id: int | None = None) -> None:
        self.request("DELETE", "/calls/outcomes", params=_body(companyId=company_id), ok=204)

    def settle_calls(self, company_id: int | None = None) -> int:
        """End every live call (of `company_id`, else of every company) now; how many."""
        settled: int = self.request(
            "POST", "/calls/settle", json=_body(companyId=company_id) or None
        )["settled"]
        return settled

    def calls(self, company_id: int | None = None, *, limit: int = 50) -> list[PlacedCall]:
        """The company's calls placed while the mock runs, newest first."""
        params = {**_body(companyId=company_id), "limit": limit}
        return [
            PlacedCall.from_json(c) for c in self.request("GET", "/calls", params=params)["calls"]
        ]


# A tenant file as the client takes it: its data, its text or bytes, or a path to it.
Fixture = Mapping[str, Any] | str | bytes | PathLike[str]


def _fixture_bytes(fixture: Fixture) -> tuple[bytes, bool]:
    """The file's bytes, and whether they are JSON (else YAML)."""
    if isinstance(fixture, Mapping):
        return json_module.dumps(fixture, ensure_ascii=False).encode(), True
    if isinstance(fixture, bytes):
        data = fixture
    elif isinstance(fixture, str) and ("\n" in fixture or fixture.lstrip().startswith("{")):
        data = fixture.encode()
    else:
        data = Path(fixture).read_bytes()
    data = data.removeprefix(b"\xef\xbb\xbf")
    return data, data.lstrip().startswith(b"{")


def _company(data: dict[str, Any]) -> Company:
    return Company(
        data["companyId"],
        data["accessToken"],
        data["refreshToken"],
        data["userId"],
        datetime.fromisoformat(data["now"]),
    )


def _with_caveat(message: str, process: AnsweringProcess) -> str:
    caveat = process.caveat()
    return message if caveat is None else f"{message}\n{caveat}"


def _body(**fields: Any) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value is not None}


def _camel(fields: dict[str, Any]) -> dict[str, Any]:
    """snake_case keyword arguments as the control API spells its fields (`from_` is `from`);
    None values are left out."""
    camel = {}
    for name, value in fields.items():
        if value is None:
            continue
        head, *rest = name.rstrip("_").split("_")
        camel[head + "".join(part.title() for part in rest)] = value
    return camel


def _pattern(fields: dict[str, Any]) -> dict[str, Any]:
    """A journal pattern (`operation_id`, `method`, `path`, `company_id`, `status`, `since`,
    `advisory`; what was sent: `query`, `headers`, `body`, `json`, `json_path`) as the control
    API spells it; plain values of `query`, `headers` and `json_path` are equality."""
    pattern = sent_matchers(_camel(fields))
    since = pattern.get("since")
    if isinstance(since, datetime):
        pattern["since"] = since.isoformat()
    return pattern
