"""A company's life: its id is handed out once in the life of a state, its deletion takes
everything that names it, and the control API answers 404 for a company that does not exist.

A test suite on the pytest plugin makes and deletes a company per test on one mock; whatever a
test leaves behind (a fault rule, a journal entry, a token, a poll) must never reach the next
test's company.
"""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from mock_server.domain.pbx import FIRST_CREATED_COMPANY_ID, MAX_COMPANY_ID
from tests.conftest import Api, issue, new_company

UNKNOWN = 77777


def _delete(client: TestClient, company_id: int) -> None:
    response = client.delete(f"/mock/companies/{company_id}")
    assert response.status_code == 204, response.text


def _problem(response: Any, status: int, *fragments: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    for fragment in fragments:
        assert fragment in response.json()["detail"], response.json()


# -- ids --------------------------------------------------------------------------------------


def test_a_deleted_companys_id_is_never_handed_out_again(client: TestClient) -> None:
    first = new_company(client)
    _delete(client, first["companyId"])
    second = new_company(client)
    assert second["companyId"] == first["companyId"] + 1
    assert second["accessToken"] != first["accessToken"]
    assert Api(client, first["accessToken"]).get("/employees").status_code == 403


@pytest.mark.parametrize("path", ["/mock/companies", "/mock/tokens"])
def test_a_retired_id_asked_for_by_name_is_409_saying_why(client: TestClient, path: str) -> None:
    retired = new_company(client)["companyId"]
    _delete(client, retired)
    _problem(client.post(path, json={"companyId": retired}), 409, f"{retired} was deleted")
    assert retired not in client.get("/mock/health").json()["companies"]


def test_a_deleted_seeded_company_is_retired_too(client: TestClient) -> None:
    _delete(client, 392)
    _problem(client.post("/mock/tokens", json={"companyId": 392}), 409, "392 was deleted")
    _problem(client.get("/mock/companies/392/clock"), 404, "392 was deleted")
    _problem(client.get("/mock/calls/outcomes", params={"companyId": 392}), 404, "392 was deleted")
    advance = client.post("/mock/companies/392/clock/advance", json={"seconds": 1})
    _problem(advance, 404, "392 was deleted")


def test_the_lowest_id_never_used_is_taken(client: TestClient) -> None:
    assert new_company(client, companyId=FIRST_CREATED_COMPANY_ID + 1)["companyId"] == 1001
    assert new_company(client)["companyId"] == 1000
    assert new_company(client)["companyId"] == 1002


def test_a_company_at_the_largest_id_leaves_the_allocation_working(client: TestClient) -> None:
    issue(client, companyId=MAX_COMPANY_ID)
    assert new_company(client)["companyId"] == FIRST_CREATED_COMPANY_ID


def test_a_reset_starts_a_new_life_of_ids(client: TestClient) -> None:
    first = new_company(client)["companyId"]
    _delete(client, first)
    assert client.post("/mock/reset").status_code == 200
    assert new_company(client)["companyId"] == first


# -- deletion takes everything that names the company ------------------------------------------


def test_a_deleted_companys_outage_does_not_reach_the_nextcompany(client: TestClient) -> None:
    """The issue's reproduction: the next company answered 503 for an hour."""
    first = new_company(client)["companyId"]
    outage = client.post("/mock/faults/presets/outage", json={"minutes": 60, "companyId": first})
    assert outage.status_code == 201, outage.text
    _delete(client, first)
    second = new_company(client)
    assert Api(client, second["accessToken"]).get("/employees").status_code == 200


def test_deleting_a_company_removes_its_fault_rules_only(client: TestClient) -> None:
    mine = new_company(client)["companyId"]
    kept = client.post("/mock/faults", json={"operationId": "getManagers", "delayMs": 1})
    for path, body in (
        ("/mock/faults", {"operationId": "getEmployees", "delayMs": 5000}),
        ("/mock/faults/presets/outage", {"minutes": 5}),
        ("/mock/faults/presets/token-expiry", {}),
        ("/mock/faults/presets/slow-recordings", {}),
    ):
        added = client.post(path, json={**body, "companyId": mine})
        assert added.status_code == 201, added.text
    _delete(client, mine)
    rules = client.get("/mock/faults").json()["faults"]
    assert [rule["id"] for rule in rules] == [kept.json()["id"]]


def test_deleting_a_company_removes_its_requests_and_advisories(client: TestClient) -> None:
    mine, theirs = new_company(client), new_company(client)
    for company in (mine, theirs):
        Api(client, "Bearer " + company["accessToken"]).get("/employees")
    _delete(client, mine["companyId"])
    summary = client.get("/mock/advisories").json()["advisories"]
    assert [(a["code"], a["count"], a["clients"]) for a in summary] == [("BEARER_PREFIX", 1, 1)]
    journal = client.get("/mock/requests").json()["requests"]
    assert mine["companyId"] not in {entry["companyId"] for entry in journal}
    assert theirs["companyId"] in {entry["companyId"] for entry in journal}


# -- advisories per company --------------------------------------------------------------------


def test_advisories_are_summed_up_per_company_when_asked(client: TestClient) -> None:
    mine, theirs = new_company(client), new_company(client)
    Api(client, "Bearer " + mine["accessToken"]).get("/employees")
    Api(client, theirs["accessToken"]).get("/call-records/info", params={"size": "5000"})
    Api(client, "Bearer " + theirs["accessToken"]).get("/employees")

    def codes(**params: Any) -> dict[str, int]:
        answer = client.get("/mock/advisories", params=params)
        assert answer.status_code == 200, answer.text
        return {a["code"]: a["count"] for a in answer.json()["advisories"]}

    assert codes(companyId=mine["companyId"]) == {"BEARER_PREFIX": 1}
    assert codes(companyId=theirs["companyId"]) == {"BEARER_PREFIX": 1, "PAGE_SIZE_ABOVE_MAX": 1}
    assert codes() == {"BEARER_PREFIX": 2, "PAGE_SIZE_ABOVE_MAX": 1}


# -- a company that does not exist -------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body", "params"),
    [
        ("POST", "/mock/faults", {"status": 503, "companyId": UNKNOWN}, None),
        ("POST", "/mock/faults", {"delayMs": 9000, "companyId": UNKNOWN}, None),
        ("POST", "/mock/faults/presets/outage", {"minutes": 5, "companyId": UNKNOWN}, None),
        ("POST", "/mock/faults/presets/token-expiry", {"companyId": UNKNOWN}, None),
        ("POST", "/mock/faults/presets/slow-recordings", {"companyId": UNKNOWN}, None),
        ("GET", "/mock/requests", None, {"companyId": UNKNOWN}),
        ("POST", "/mock/requests/count", {"companyId": UNKNOWN}, None),
        ("POST", "/mock/requests/near-misses", {"companyId": UNKNOWN}, None),
        ("GET", "/mock/advisories", None, {"companyId": UNKNOWN}),
    ],
)
def test_naming_a_company_that_does_not_exist_is_404(
    client: TestClient,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    params: dict[str, Any] | None,
) -> None:
    response = client.request(method, path, json=body, params=params)
    _problem(response, 404, f"Company {UNKNOWN} not found")
    assert client.get("/mock/faults").json()["faults"] == [], "no rule was added"


def test_a_deleted_company_is_404_in_a_count(client: TestClient) -> None:
    mine = new_company(client)
    Api(client, mine["accessToken"]).get("/employees")
    _delete(client, mine["companyId"])
    response = client.post("/mock/requests/count", json={"companyId": mine["companyId"]})
    _problem(response, 404, f"Company {mine['companyId']} was deleted")


@pytest.mark.parametrize("company", ["391", True, 0, MAX_COMPANY_ID + 1])
def test_a_company_field_that_is_no_id_is_still_400(client: TestClient, company: object) -> None:
    for path, body in (
        ("/mock/faults", {"status": 503}),
        ("/mock/requests/count", {}),
    ):
        response = client.post(path, json={**body, "companyId": company})
        assert response.status_code == 400, response.text
