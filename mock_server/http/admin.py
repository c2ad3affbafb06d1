"""Handlers of the mock's control API (openapi/mock-admin.yaml): clock, tokens, reset, calls."""

from __future__ import annotations

import json
import os
from datetime import datetime
from typing import Any

from connexion.lifecycle import ConnexionResponse

from mock_server.domain.errors import InvalidInput
from mock_server.domain.pbx import DEFAULT_COMPANY_ID, Pbx, requested_company
from mock_server.domain.rules.tenant_reader import JsonTenantDocument
from mock_server.domain.rules.tenants import LoadedTenant
from mock_server.domain.timeutil import parse_instant
from mock_server.http.double_admin import (
    CallControlHandlers,
    FaultHandlers,
    RequestJournalHandlers,
    forced_outcome,
)
from mock_server.http.json_body import loads_strict
from mock_server.specs import SPEC_VERSION
from mock_server.tenant_files import tenant_document

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


MSG_COMPANY_BODY = (
    "Request body: expected an object with 'companyId' (an integer from 1 to 2147483647) "
    "and 'fixture' (a tenant file), both optional, got {what}"
)
# A body that names a fixture is read as a stream (the fixture's sections one at a time);
# any other is small and read whole.
_FIXTURE = b'"fixture"'


def _body_bytes(body: bytes | dict[str, Any] | list[Any] | None) -> bytes:
    """A domain body's bytes: as sent (DOMAIN_BODIES), or, when Connexion parsed it (as it
    ships), written back as JSON."""
    if body is None:
        return b""
    if isinstance(body, bytes | bytearray):
        return bytes(body)
    return json.dumps(body, ensure_ascii=False).encode()


def _loaded(loaded: LoadedTenant, now: datetime) -> dict[str, Any]:
    return {
        "companyId": loaded.company_id,
        "employees": loaded.employees,
        "callRecords": loaded.records,
        "generatedCalls": loaded.generated_calls,
        "scenarioCalls": loaded.scenario_calls,
        "now": now.isoformat(),
    }


class CompanyHandlers:
    """Tenants for tests: a company of one's own, with its own data, tokens and clock; from a
    tenant file (`fixture`), replaced by one, exported as one."""

    def __init__(self, pbx: Pbx) -> None:
        self.pbx = pbx

    def create_company(self, body: bytes | dict[str, Any] | None = None) -> Answer:
        raw = _body_bytes(body)
        loaded = None
        if _FIXTURE in raw:
            envelope = JsonTenantDocument(raw, "fixture", envelope="fixture")
            loaded = self.pbx.load_tenant(envelope)  # its companyId read with the fixture
            company_id = loaded.company_id
        else:
            fields = loads_strict(raw.decode("utf-8")) if raw.strip() else None
            if fields is not None and not isinstance(fields, dict):
                raise InvalidInput(MSG_COMPANY_BODY.format(what=type(fields).__name__))
            fields = fields or {}
            requested = requested_company(fields)
            if "fixture" in fields:
                document = tenant_document(json.dumps(fields["fixture"]).encode(), "fixture")
                loaded = self.pbx.load_tenant(document, requested)
                company_id = loaded.company_id
            else:
                company_id = self.pbx.create_company(requested)
        answer = issued(self.pbx, company_id)
        answer["now"] = self.pbx.now(company_id).isoformat()
        if loaded is not None:
            answer["loaded"] = _loaded(loaded, self.pbx.now(company_id))
        return _ok(answer, 201)

    def load_company_data(
        self, company_id: int, body: bytes | dict[str, Any] | None = None
    ) -> Answer:
        self.pbx.require_company(company_id)
        document = tenant_document(_body_bytes(body), "request body")
        loaded = self.pbx.load_tenant(document, company_id, replace=True)
        return _ok(_loaded(loaded, self.pbx.now(company_id)))

    def export_company(self, company_id: int) -> ConnexionResponse:
        # The file's bytes as written (Connexion would serialise a returned object again).
        body = b"".join(self.pbx.export_tenant(company_id))
        return ConnexionResponse(status_code=200, body=body, content_type="application/json")

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
