"""A typed client of the mock's control API (`/mock`, openapi/mock-admin.yaml).

Written once by hand rather than generated: it is small, and its users are test suites that
want plain dataclasses and one exception. Every method is one request; an answer other than
the documented success raises ControlError with the problem+json body.

Example::

    control = ControlClient("http://127.0.0.1:8080")
    company = control.create_company()
    control.advance_company(company.company_id, 2 * 86400)  # only that company's time
    control.simulate_incoming_call("79161234567", company_id=company.company_id)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

__all__ = ["ClockReading", "Company", "ControlClient", "ControlError", "Health", "IssuedPair"]


class ControlError(Exception):
    """The control API refused a request: `status` and the RFC 9457 `problem`."""

    def __init__(self, method: str, path: str, status: int, problem: Any) -> None:
        detail = problem.get("detail") if isinstance(problem, dict) else problem
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


class ControlClient:
    """The control API of the mock at `base_url` (`http://HOST:PORT`, without `/mock`)."""

    def __init__(self, base_url: str, *, timeout: float = 60.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(base_url=self.base_url + "/mock", timeout=timeout)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ControlClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(
        self, method: str, path: str, *, json: Any = None, params: Any = None, ok: int = 200
    ) -> Any:
        """One request; the parsed answer, or ControlError when its status is not `ok`."""
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

    def create_company(self, company_id: int | None = None) -> Company:
        """A company of one's own: seeded data, a pair, and a clock of its own."""
        data = self.request("POST", "/companies", json=_body(companyId=company_id) or None, ok=201)
        return Company(
            data["companyId"],
            data["accessToken"],
            data["refreshToken"],
            data["userId"],
            datetime.fromisoformat(data["now"]),
        )

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


def _body(**fields: Any) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value is not None}
