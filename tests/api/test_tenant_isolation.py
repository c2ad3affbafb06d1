"""A token never sees another company's data: every read of the documented API, over HTTP;
and what a company does (writes, calls, settling, its clock) never reaches another.

Two companies of their own (`POST /mock/companies`): A a tenant as a test's, B asked for by id,
so that B's seeded people and history are its own (every tenant made without an id holds the
same seeded data, storage/templates.py). B also holds data A could not have by chance: a
live click-to-call from one of B's employees, a call waiting in B's queue, settled calls from a
number only B was called from, a blacklisted number of B's. A's token must see none of it, on
every read, while B's token sees all of it (so each test would notice a leak).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from mock_server.domain.storage.rollups import INTERNAL_TYPES
from tests.conftest import Api, issue, new_company
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
B_ID = 5000
HOUR = 3600


@dataclass
class Company:
    id: int
    api: Api
    source: str = ""  # the employee of the company whose click-to-call is live

    def ok(self, path: str, **params: Any) -> Any:
        return self.api.ok("GET", path, params=params or None)


def _company(client: TestClient, company_id: int | None = None) -> Company:
    response = client.post(
        "/mock/companies", json=None if company_id is None else {"companyId": company_id}
    )
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
    a, b = _company(client), _company(client, B_ID)
    for _ in range(B_CALLS):
        _post(
            client,
            "/mock/calls/incoming",
            {"from": B_CUSTOMER, "companyId": b.id, "durationSeconds": 30, "outcome": "answered"},
        )
    # An hour on, B's calls have landed in its journal; A's clock moves with B's, so that
    # B's live calls are in A's present too, and only the company tells them apart.
    for company in (a, b):
        advanced = client.post(
            f"/mock/companies/{company.id}/clock/advance", json={"seconds": HOUR}
        )
        assert advanced.status_code == 200, advanced.text
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


# -- what a company does never reaches another ---------------------------------------------------
# Each test below fails when a rule forgets its company (tested by removing the company from
# the rule's query, one at a time): a company's token writes, settles and counts its own.


def _tokens(client: TestClient, company_id: int) -> Api:
    return Api(client, issue(client, companyId=company_id)["accessToken"])


def _employees(api: Api) -> list[dict[str, Any]]:
    return [e for e in api.ok("GET", "/employees") if e.get("fullNumber")]


def _control(client: TestClient, path: str, body: dict[str, Any]) -> Any:
    response = client.post(path, json=body)
    assert response.status_code in (200, 201), response.text
    return response.json()


def _manager(employee_id: int, *numbers: str, handle_all: bool = False, **extra: Any) -> Any:
    return {
        "employeeId": employee_id,
        "name": "Тестовый менеджер",
        "handleAllCustomers": handle_all,
        "customers": [{"realNumber": n, "isVip": False, "name": "Клиент"} for n in numbers],
        **extra,
    }


def _window(start: datetime, hours: float) -> dict[str, str]:
    return {"start": start.isoformat(), "end": (start + timedelta(hours=hours)).isoformat()}


def test_a_manager_of_another_company_cannot_be_updated(client: TestClient, api: Api) -> None:
    other = _tokens(client, 392)
    own_employee = _employees(other)[0]["employeeId"]
    before = api.ok("GET", "/managers/26")
    hijack = _manager(own_employee, "79990000021", id=26)
    assert other.request("PUT", "/managers", json=hijack).status_code == 404
    assert api.ok("GET", "/managers/26") == before


def test_an_employee_of_another_company_cannot_be_a_manager(client: TestClient, api: Api) -> None:
    theirs = {e["employeeId"] for e in _employees(_tokens(client, 392))}
    ours = {e["employeeId"] for e in api.ok("GET", "/employees")}
    stranger = min(theirs - ours)
    response = api.request("POST", "/managers", json=_manager(stranger, "79990000022"))
    assert response.status_code == 404, response.text
    assert str(stranger) in response.json()["message"]


def test_each_company_may_have_its_manager_handling_all_customers(
    client: TestClient, api: Api
) -> None:
    other = _tokens(client, 392)
    mine = _manager(_employees(api)[3]["employeeId"], handle_all=True)
    theirs = _manager(_employees(other)[3]["employeeId"], handle_all=True)
    assert api.ok("POST", "/managers", json=mine) == "SUCCESS"
    assert other.ok("POST", "/managers", json=theirs) == "SUCCESS"


def test_removing_a_number_leaves_it_in_another_companys_blacklist(
    client: TestClient, api: Api
) -> None:
    other = _tokens(client, 392)
    for company in (api, other):
        assert company.ok("POST", "/blacklist", content="79990000023") == "SUCCESS"
    assert other.ok("DELETE", "/blacklist/by-msisdn/79990000023") == "SUCCESS"
    assert "79990000023" in {e["number"] for e in api.ok("GET", "/blacklist")}


def test_another_companys_blacklist_does_not_deny_a_call(client: TestClient, api: Api) -> None:
    other = _tokens(client, 392)
    assert other.ok("POST", "/blacklist", content="79990000024") == "SUCCESS"
    call = _control(client, "/mock/calls/incoming", {"from": "79990000024", "durationSeconds": 60})
    assert call["callStatus"] != "DENIED_DUE_TO_BLACK_LISTED", call
    assert "79990000024" in {c["callerNumberFull"] for c in api.ok("GET", "/monitoring/calls")}


def test_a_caller_is_not_named_after_another_companys_customer(
    client: TestClient, api: Api
) -> None:
    other = _tokens(client, 392)
    manager = _manager(_employees(other)[3]["employeeId"], "79990000025")
    assert other.ok("POST", "/managers", json=manager) == "SUCCESS"
    for company_id in (391, 392):
        body = {"from": "79990000025", "companyId": company_id, "outcome": "answered"}
        _control(client, "/mock/calls/incoming", {**body, "durationSeconds": 30})
    _control(client, "/mock/calls/settle", {})
    window = _window(PINNED_NOW, 1)

    def name(company: Api) -> Any:
        [record] = company.ok(
            "GET", "/call-records/info", params={**window, "caller": "79990000025"}
        )
        return record.get("callerName")

    assert name(other) == "Клиент"
    assert name(api) is None


def test_a_call_takes_its_own_companys_queued_outcome_only(client: TestClient) -> None:
    mine, theirs = new_company(client)["companyId"], new_company(client)["companyId"]
    _control(client, "/mock/calls/outcomes", {"outcome": "busy", "companyId": theirs})
    _control(client, "/mock/calls/incoming", {"from": "79990000026", "companyId": mine})
    [call] = client.get("/mock/calls", params={"companyId": mine}).json()["calls"]
    assert call["forced"] is False
    queued = client.get("/mock/calls/outcomes", params={"companyId": theirs}).json()
    assert [o["outcome"] for o in queued["outcomes"]] == ["busy"]


def test_settling_one_company_leaves_anothers_calls_live(client: TestClient) -> None:
    mine, theirs = new_company(client), new_company(client)
    for company in (mine, theirs):
        body = {"from": "79990000027", "companyId": company["companyId"], "durationSeconds": 600}
        _control(client, "/mock/calls/incoming", body)
    settled = _control(client, "/mock/calls/settle", {"companyId": mine["companyId"]})
    assert settled == {"settled": 1}
    live = Api(client, theirs["accessToken"]).ok("GET", "/monitoring/calls")
    assert [c["callerNumberFull"] for c in live] == ["79990000027"]


def test_a_company_ahead_in_time_does_not_end_anothers_calls(client: TestClient) -> None:
    mine, theirs = new_company(client), new_company(client)
    # A call of its own that has ended by then, so that the read has calls to settle.
    _control(
        client,
        "/mock/calls/incoming",
        {"from": "79990000030", "companyId": mine["companyId"], "durationSeconds": 60},
    )
    path = f"/mock/companies/{mine['companyId']}/clock/advance"
    moved = client.post(path, json={"seconds": HOUR})
    assert moved.status_code == 200, moved.text
    body = {"from": "79990000028", "companyId": theirs["companyId"], "durationSeconds": 600}
    _control(client, "/mock/calls/incoming", body)
    # A read of the company an hour ahead settles its own ended calls, none of the other's.
    Api(client, mine["accessToken"]).ok("GET", "/call-records/info", params=_window(PINNED_NOW, 2))
    live = Api(client, theirs["accessToken"]).ok("GET", "/monitoring/calls")
    assert [c["callerNumberFull"] for c in live] == ["79990000028"]


def test_unique_callers_are_the_companys_own(client: TestClient, api: Api) -> None:
    window = _window(PINNED_NOW - timedelta(days=3), 72)
    records = api.ok("GET", "/call-records/info", params={**window, "size": 2000})
    stats = api.ok("GET", "/statistics/common", params=window)
    assert stats["allCallCount"] == len(records)
    # D19: the distinct callers of the successful (answered, external) calls.
    successful = [
        r
        for r in records
        if r["callStatus"].startswith("ANSWERED_") and r["callType"] not in INTERNAL_TYPES
    ]
    assert stats["uniqueCallCount"] == len({r["callerNumber"] for r in successful}) > 0


def test_a_number_of_the_company_counts_its_own_calls_only(client: TestClient) -> None:
    """An employee's number of one company is an outside number to another: the other's calls
    from and to it are not the first company's."""
    mine, theirs = new_company(client), new_company(client)
    ours, others = Api(client, mine["accessToken"]), Api(client, theirs["accessToken"])
    employee = _employees(ours)[0]["fullNumber"]
    incoming = {"outcome": "answered", "durationSeconds": 30}
    _control(
        client,
        "/mock/calls/incoming",
        {"from": "79990000029", "to": employee, "companyId": mine["companyId"], **incoming},
    )
    _control(
        client,
        "/mock/calls/incoming",
        {"from": employee, "companyId": theirs["companyId"], **incoming},
    )
    _control(client, "/mock/calls/outcomes", {"companyId": theirs["companyId"], **incoming})
    source = _employees(others)[0]["fullNumber"]
    others.ok("POST", "/call/outgoing", params={"source": source, "destination": employee})
    _control(client, "/mock/calls/settle", {})
    window = _window(PINNED_NOW, 1)
    stats = ours.ok("GET", "/statistics/common", params={**window, "subscriberNumber": employee})
    assert (stats["allCallCount"], stats["uniqueCallCount"]) == (1, 1), stats
