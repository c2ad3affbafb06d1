"""Handlers of the mock's control API (openapi/mock-admin.yaml): clock, tokens, reset, calls."""

from __future__ import annotations

import os
from typing import Any

from mock_server.domain.pbx import DEFAULT_COMPANY_ID, Pbx
from mock_server.domain.timeutil import parse_instant
from mock_server.http.double_admin import (
    CallControlHandlers,
    FaultHandlers,
    RequestJournalHandlers,
    forced_outcome,
)
from mock_server.specs import SPEC_VERSION

__all__ = ["CONTROL_HANDLER_CLASSES", "AdminHandlers", "CompanyHandlers", "control_handlers"]

Answer = tuple[dict[str, Any], int, dict[str, str]]
# The control API declares problem+json errors beside its JSON answers, so Connexion needs
# every answer to name its media type.
_JSON = {"Content-Type": "application/json"}


def _ok(body: dict[str, Any], status: int = 200) -> Answer:
    return body, status, _JSON


def _instant(body: dict[str, Any], field: str = "now") -> Any:
    value = body.get(field)
    return None if value is None else parse_instant(value, field, where="Field")


class AdminHandlers:
    def __init__(self, pbx: Pbx) -> None:
        self.pbx = pbx

    def health(self) -> Answer:
        state_file = self.pbx.config.state_file
        return _ok(
            {
                "status": "resetting" if self.pbx.resetting else "ok",
                "seed": self.pbx.seed,
                "companies": self.pbx.company_ids(),
                "now": self.pbx.now().isoformat(),
                "frozen": self.pbx.clock.frozen,
                "stateFile": None if state_file is None else str(state_file),
                "pid": os.getpid(),
                "version": SPEC_VERSION,
            }
        )

    def issue_tokens(self, body: dict[str, Any] | None = None) -> Answer:
        body = body or {}
        return _ok(issued(self.pbx, body.get("companyId"), body.get("userId"), body.get("login")))

    def _clock(self, company_id: int | None = None) -> dict[str, Any]:
        answer: dict[str, Any] = {
            "now": self.pbx.now(company_id).isoformat(),
            "frozen": self.pbx.clock.frozen,
            "offsetSeconds": self.pbx.clock.offset,
        }
        if company_id is not None:
            answer["companyId"] = company_id
            answer["leadSeconds"] = self.pbx.clocks.lead(company_id)
        return answer

    def get_clock(self) -> Answer:
        return _ok(self._clock())

    def set_clock(self, body: dict[str, Any]) -> Answer:
        self.pbx.set_clock(_instant(body), body.get("frozen"))
        return _ok(self._clock())

    def advance_clock(self, body: dict[str, Any]) -> Answer:
        self.pbx.advance_clock(body["seconds"])
        return _ok(self._clock())

    def reset_state(self, body: dict[str, Any] | None = None) -> Answer:
        body = body or {}
        self.pbx.reset(
            seed=body.get("seed"),
            history_days=body.get("historyDays"),
            calls_per_day=body.get("callsPerDay"),
            now=_instant(body),
            frozen=body.get("frozen"),
        )
        return self.health()

    # A company's own clock (the PBX clock plus the company's lead)

    def get_company_clock(self, company_id: int) -> Answer:
        self.pbx.require_company(company_id)
        return _ok(self._clock(company_id))

    def set_company_clock(self, company_id: int, body: dict[str, Any]) -> Answer:
        self.pbx.set_clock(_instant(body), body.get("frozen"), company_id=company_id)
        return _ok(self._clock(company_id))

    def advance_company_clock(self, company_id: int, body: dict[str, Any]) -> Answer:
        self.pbx.advance_clock(body["seconds"], company_id=company_id)
        return _ok(self._clock(company_id))

    def simulate_incoming_call(self, body: dict[str, Any]) -> Answer:
        company_id = body.get("companyId", DEFAULT_COMPANY_ID)
        self.pbx.require_company(company_id)
        call = self.pbx.calls.simulate_incoming(
            company_id,
            body["from"],
            now=self.pbx.now(company_id),
            to=body.get("to"),
            queue=body.get("queue"),
            forced=forced_outcome(body),
        )
        return _ok(call)


def issued(
    pbx: Pbx, company_id: int | None, user_id: int | None = None, login: str | None = None
) -> dict[str, Any]:
    """A new pair as the control API answers it."""
    principal, pair = pbx.issue_tokens(company_id, user_id, login)
    return {
        **pair.to_json(),
        "companyId": principal.company_id,
        "userId": principal.user_id,
        "login": principal.login,
    }


class CompanyHandlers:
    """Tenants for tests: a company of one's own, with its own data, tokens and clock."""

    def __init__(self, pbx: Pbx) -> None:
        self.pbx = pbx

    def create_company(self, body: dict[str, Any] | None = None) -> Answer:
        company_id = self.pbx.create_company((body or {}).get("companyId"))
        answer = issued(self.pbx, company_id)
        answer["now"] = self.pbx.now(company_id).isoformat()
        return _ok(answer, 201)

    def delete_company(self, company_id: int) -> tuple[None, int]:
        self.pbx.delete_company(company_id)
        return None, 204


# The control API's handlers, one class per capability; each takes the Pbx.
CONTROL_HANDLER_CLASSES: tuple[type, ...] = (
    AdminHandlers,
    CompanyHandlers,
    RequestJournalHandlers,
    FaultHandlers,
    CallControlHandlers,
)


def control_handlers(pbx: Pbx) -> list[object]:
    return [handlers(pbx) for handlers in CONTROL_HANDLER_CLASSES]
