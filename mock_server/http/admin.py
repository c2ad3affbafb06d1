"""Handlers of the mock's control API (openapi/mock-admin.yaml): clock, tokens, reset."""

from __future__ import annotations

from typing import Any

from mock_server.domain.errors import NotFound
from mock_server.domain.pbx import DEFAULT_COMPANY_ID, Pbx

__all__ = ["AdminHandlers"]

Answer = tuple[dict[str, Any], int, dict[str, str]]
# The control API declares problem+json errors beside its JSON answers, so Connexion needs
# every answer to name its media type.
_JSON = {"Content-Type": "application/json"}


def _ok(body: dict[str, Any]) -> Answer:
    return body, 200, _JSON


class AdminHandlers:
    def __init__(self, pbx: Pbx) -> None:
        self.pbx = pbx

    def health(self) -> Answer:
        state_file = self.pbx.config.state_file
        return _ok(
            {
                "status": "ok",
                "seed": self.pbx.seed,
                "companies": self.pbx.company_ids(),
                "now": self.pbx.clock.now().isoformat(),
                "stateFile": None if state_file is None else str(state_file),
            }
        )

    def issue_tokens(self, body: dict[str, Any] | None = None) -> Answer:
        body = body or {}
        pair = self.pbx.issue_tokens(body.get("companyId"), body.get("userId"), body.get("login"))
        principal = self.pbx.tokens.authenticate(pair.access_token)
        return _ok(
            {
                **pair.to_json(),
                "companyId": principal.company_id,
                "userId": principal.user_id,
                "login": principal.login,
            }
        )

    def get_clock(self) -> Answer:
        return _ok(
            {"now": self.pbx.clock.now().isoformat(), "offsetSeconds": self.pbx.clock.offset}
        )

    def advance_clock(self, body: dict[str, Any]) -> Answer:
        self.pbx.advance_clock(float(body["seconds"]))
        return self.get_clock()

    def reset_state(self, body: dict[str, Any] | None = None) -> Answer:
        body = body or {}
        self.pbx.reset(
            seed=body.get("seed"),
            history_days=body.get("historyDays"),
            calls_per_day=body.get("callsPerDay"),
        )
        return self.health()

    def simulate_incoming_call(self, body: dict[str, Any]) -> Answer:
        company_id = body.get("companyId", DEFAULT_COMPANY_ID)
        if company_id not in self.pbx.company_ids():
            raise NotFound(f"Company {company_id} not found: POST /mock/tokens creates it")
        call = self.pbx.calls.simulate_incoming(
            company_id,
            body["from"],
            now=self.pbx.clock.now(),
            to=body.get("to"),
            queue=body.get("queue"),
            duration_seconds=body.get("durationSeconds"),
            outcome=body.get("outcome"),
        )
        return _ok(call)
