"""A token never sees another company's data: every read of the documented API, over HTTP.

Two companies of their own (`POST /mock/companies`). B holds data A could not have by chance: a
live click-to-call from one of B's employees, a call waiting in B's queue, settled calls from a
number only B was called from, a blacklisted number of B's. A's token must see none of it, on
every read, while B's token sees all of it (so each test would notice a leak).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import Api
from tests.pinned import PINNED_NOW

WINDOW = {
    "start": (PINNED_NOW - timedelta(days=4)).isoformat(),
    "end": (PINNED_NOW + timedelta(days=1)).isoformat(),
}
B_CUSTOMER = "79160000001"  # called B three times; never A
B_QUEUED = "79167654321"  # waits in B's queue
B_CALLED = "79161234567"  # B's employee is calling it right now
B_BLACKLISTED = "79995554433"
B_CALLS = 3


@dataclass
class Company:
    id: int
    api: Api
    source: str = ""  # the employee of the company whose click-to-call is live

    def ok(self, path: str, **params: Any) -> Any:
        return self.api.ok("GET", path, params=params or None)


def _company(client: TestClient) -> Company:
    response = client.post("/mock/companies")
    assert response.status_code == 201, response.text
    created = response.json()
    return Company(created["companyId"], Api(client, created["accessToken"]))


def _post(client: TestClient, path: str, body: dict[str, Any]) -> None:
    response = client.post(path, json=body)
    assert response.status_code == 200, response.text


def _place_a_call(company: Company) -> str:
    """A click-to-call from the first employee that can place one (the list is under test:
    one of another company's would be refused)."""
    for employee in company.ok("/employees"):
        if employee.get("fullNumber"):
            placed = company.api.request(
                "POST",
                "/call/outgoing",
                params={"source": employee["fullNumber"], "destination": B_CALLED},
            )
            if placed.status_code == 200:
                return str(employee["fullNumber"])
    raise AssertionError("no employee of the company could place a call")


@pytest.fixture
def companies(client: TestClient) -> tuple[Company, Company]:
    a, b = _company(client), _company(client)
    for _ in range(B_CALLS):
        _post(
            client,
            "/mock/calls/incoming",
            {"from": B_CUSTOMER, "companyId": b.id, "durationSeconds": 30, "outcome": "answered"},
        )
    advanced = client.post(f"/mock/companies/{b.id}/clock/advance", json={"seconds": 3600})
    assert advanced.status_code == 200, advanced.text  # B's calls have landed in its journal
    b.source = _place_a_call(b)
    _post(client, "/mock/calls/incoming", {"from": B_QUEUED, "companyId": b.id, "queue": "1"})
    assert b.api.ok("POST", "/blacklist", content=B_BLACKLISTED) == "SUCCESS"
    return a, b


def _people(employees: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Employees with more than an id (ids are drawn per company and may repeat)."""
    return [e for e in employees if set(e) != {"employeeId"}]


def test_employees_of_another_company_are_not_listed(companies: tuple[Company, Company]) -> None:
    a, b = companies
    ours, theirs = _people(a.ok("/employees")), _people(b.ok("/employees"))
    assert ours
    assert theirs
    assert not [e for e in ours if e in theirs], "A lists B's employees"
    numbers = {e.get("fullNumber") for e in theirs} - {None}
    assert not numbers & {e.get("fullNumber") for e in ours}


def test_live_calls_of_another_company_are_not_shown(companies: tuple[Company, Company]) -> None:
    a, b = companies
    live = b.ok("/monitoring/calls")
    assert {c["callerNumberFull"] for c in live} == {b.source, B_QUEUED}, live
    assert a.ok("/monitoring/calls") == []


def test_queued_calls_of_another_company_are_not_shown(companies: tuple[Company, Company]) -> None:
    a, b = companies
    assert {"queueName": "1", "calls": [B_QUEUED]} in b.ok("/monitoring/calls/pending")
    assert not [q for q in a.ok("/monitoring/calls/pending") if B_QUEUED in q["calls"]]


def test_blacklist_and_managers_of_another_company_are_not_listed(
    companies: tuple[Company, Company],
) -> None:
    a, b = companies
    assert B_BLACKLISTED in {e["number"] for e in b.ok("/blacklist")}
    assert B_BLACKLISTED not in {e["number"] for e in a.ok("/blacklist")}
    ours, theirs = a.ok("/managers"), b.ok("/managers")
    assert theirs
    assert not {m["id"] for m in ours} & {m["id"] for m in theirs}
    assert {m["companyId"] for m in ours} <= {a.id}


def _journal(company: Company, **filters: Any) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = company.ok("/call-records/info", **WINDOW, size=2000, **filters)
    assert len(records) < 2000, "one page holds the window"
    return records


def test_the_journal_of_another_company_is_not_listed(companies: tuple[Company, Company]) -> None:
    a, b = companies
    ours, theirs = _journal(a), _journal(b)
    assert ours
    assert len(_journal(b, caller=B_CUSTOMER)) == B_CALLS
    assert _journal(a, caller=B_CUSTOMER) == []
    assert not {r["uuid"] for r in ours} & {r["uuid"] for r in theirs}


@pytest.mark.parametrize(
    ("path", "number", "count"),
    [
        ("/statistics/journal", "number", "numberOfCalls"),
        ("/statistics/common", "subscriberNumber", "allCallCount"),
    ],
)
def test_statistics_count_only_the_companys_own_calls(
    companies: tuple[Company, Company], path: str, number: str, count: str
) -> None:
    a, b = companies
    assert b.ok(path, **WINDOW, **{number: B_CUSTOMER})[count] == B_CALLS
    assert a.ok(path, **WINDOW, **{number: B_CUSTOMER})[count] == 0
    ours, theirs = a.ok(path, **WINDOW)[count], b.ok(path, **WINDOW)[count]
    assert ours == len(_journal(a)) > 0
    assert theirs == len(_journal(b)) > 0
