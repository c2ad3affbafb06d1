"""Handlers of the control API's test-double powers: the request journal and its advisories,
fault rules, and the outcomes of calls (openapi/mock-admin.yaml)."""

from __future__ import annotations

import os
from typing import Any

from mock_server.domain.double.request_journal import JournalEntry, RequestPattern
from mock_server.domain.pbx import DEFAULT_COMPANY_ID, Pbx
from mock_server.domain.rules.outcomes import OUTCOME_FIELDS, ForcedOutcome
from mock_server.http.decisions import with_bases

__all__ = ["CallControlHandlers", "FaultHandlers", "RequestJournalHandlers", "forced_outcome"]

Answer = tuple[dict[str, Any], int, dict[str, str]]
NoBody = tuple[None, int]
_JSON = {"Content-Type": "application/json"}
DEFAULT_LIMIT = 100
NEAR_MISSES = 5


def _ok(body: dict[str, Any], status: int = 200) -> Answer:
    return body, status, _JSON


def _answering_process(pbx: Pbx) -> dict[str, int]:
    """The process whose journal answers: worker `worker` of `workers` (--workers N)."""
    config = pbx.config
    return {"pid": os.getpid(), "worker": config.worker or 1, "workers": config.workers}


def _entry(entry: JournalEntry) -> dict[str, Any]:
    """A journal entry as the control API shows it: its advisories with their basis."""
    shown = entry.to_json()
    if not shown["advisories"]:
        return shown
    return {**shown, "advisories": with_bases(shown["advisories"])}


def forced_outcome(body: dict[str, Any]) -> ForcedOutcome | None:
    """A simulated call's own outcome, if its body names any outcome field."""
    fields = {name: body[name] for name in OUTCOME_FIELDS if body.get(name) is not None}
    return ForcedOutcome.parse(fields, queued=False) if fields else None


class RequestJournalHandlers:
    """What clients sent to the documented API, and the advisories it earned."""

    def __init__(self, pbx: Pbx) -> None:
        self.pbx = pbx

    def list_requests(
        self,
        operation_id: str | None = None,
        method: str | None = None,
        path: str | None = None,
        company_id: int | None = None,
        status: int | None = None,
        since: str | None = None,
        advisory: str | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> Answer:
        pattern = self._pattern(
            {
                "operationId": operation_id,
                "method": method,
                "path": path,
                "companyId": company_id,
                "status": status,
                "since": since,
                "advisory": advisory,
            }
        )
        return self._listed(pattern, limit)

    def find_requests(self, body: dict[str, Any] | None = None) -> Answer:
        fields = dict(body or {})
        limit = fields.pop("limit", DEFAULT_LIMIT)
        return self._listed(self._pattern(fields), limit)

    def _listed(self, pattern: RequestPattern, limit: int) -> Answer:
        journal = self.pbx.requests
        found = journal.find(pattern)
        return _ok(
            {
                "requests": [_entry(entry) for entry in found[:limit]],
                "matched": len(found),
                "capacity": journal.capacity,
                "capacityBytes": journal.max_bytes,
                "heldBytes": journal.held_bytes,
                "recorded": journal.recorded,
                "process": _answering_process(self.pbx),
            }
        )

    def delete_requests(self) -> NoBody:
        self.pbx.requests.clear()
        self.pbx.advisories.clear()
        return None, 204

    def _pattern(self, fields: dict[str, Any]) -> RequestPattern:
        """The pattern of `fields`, which must name no company the mock does not hold."""
        pattern = RequestPattern.parse(fields)
        self.pbx.require_named_company(fields)
        return pattern

    def count_requests(self, body: dict[str, Any] | None = None) -> Answer:
        pattern = self._pattern(body or {})
        count, cut_short = self.pbx.requests.tally(pattern)
        answer = {"count": count, "cutShort": cut_short, "process": _answering_process(self.pbx)}
        return _ok(answer)

    def find_near_misses(self, body: dict[str, Any] | None = None) -> Answer:
        fields = dict(body or {})
        limit = fields.pop("limit", NEAR_MISSES)
        pattern = self._pattern(fields)
        misses = self.pbx.requests.closest(pattern, limit)
        return _ok(
            {
                "nearMisses": [
                    {"request": _entry(entry), "differences": differences}
                    for entry, differences in misses
                ],
                "process": _answering_process(self.pbx),
            }
        )

    def list_advisories(self, company_id: int | None = None) -> Answer:
        if company_id is not None:
            self.pbx.require_company(company_id)
        return _ok(
            {
                "advisories": with_bases(self.pbx.advisories.summary(company_id)),
                "process": _answering_process(self.pbx),
            }
        )


class FaultHandlers:
    """Fault rules: add, list, remove; and the presets."""

    def __init__(self, pbx: Pbx) -> None:
        self.pbx = pbx

    def list_faults(self) -> Answer:
        return _ok({"faults": [rule.to_json() for rule in self.pbx.faults.rules()]})

    def add_fault(self, body: dict[str, Any]) -> Answer:
        self.pbx.require_named_company(body)
        return _ok(self.pbx.faults.add(body).to_json(), 201)

    def delete_faults(self) -> NoBody:
        self.pbx.faults.clear()
        return None, 204

    def get_fault(self, id_: int) -> Answer:
        return _ok(self.pbx.faults.get(id_).to_json())

    def delete_fault(self, id_: int) -> NoBody:
        self.pbx.faults.remove(id_)
        return None, 204

    def _preset(self, name: str, body: dict[str, Any] | None) -> Answer:
        self.pbx.require_named_company(body)
        return _ok(self.pbx.faults.add_preset(name, body or {}).to_json(), 201)

    def add_outage(self, body: dict[str, Any]) -> Answer:
        return self._preset("outage", body)

    def expire_tokens(self, body: dict[str, Any] | None = None) -> Answer:
        return self._preset("token-expiry", body)

    def slow_recordings(self, body: dict[str, Any] | None = None) -> Answer:
        return self._preset("slow-recordings", body)


class CallControlHandlers:
    """How calls end, ending them now, and the calls placed while the mock runs."""

    def __init__(self, pbx: Pbx) -> None:
        self.pbx = pbx

    def queue_call_outcome(self, body: dict[str, Any]) -> Answer:
        company_id = body.get("companyId", DEFAULT_COMPANY_ID)
        queued = self.pbx.outcomes.queue(company_id, ForcedOutcome.parse(body))
        return _ok({"companyId": company_id, **queued.to_json()}, 201)

    def list_call_outcomes(self, company_id: int = DEFAULT_COMPANY_ID) -> Answer:
        queued = self.pbx.outcomes.queued(company_id)
        return _ok({"companyId": company_id, "outcomes": [o.to_json() for o in queued]})

    def clear_call_outcomes(self, company_id: int = DEFAULT_COMPANY_ID) -> NoBody:
        self.pbx.outcomes.clear(company_id)
        return None, 204

    def settle_calls(self, body: dict[str, Any] | None = None) -> Answer:
        company_id = (body or {}).get("companyId")
        if company_id is not None:
            self.pbx.require_company(company_id)
        return _ok({"settled": self.pbx.calls.finish(company_id, self.pbx.clocks)})

    def list_calls(self, company_id: int = DEFAULT_COMPANY_ID, limit: int = 50) -> Answer:
        self.pbx.require_company(company_id)
        now = self.pbx.now(company_id)
        calls = self.pbx.outcomes.calls(company_id, now, limit)
        return _ok({"companyId": company_id, "now": now.isoformat(), "calls": calls})
