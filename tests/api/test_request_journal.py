"""The request journal and the advisories over the wire (both app classes)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from mock_server.domain.pbx import Pbx
from mock_server.http.app import create_app
from tests.conftest import CONTROL, SMALL_HISTORY, Api
from tests.pinned import pinned_config

WINDOW = {"start": "2026-03-01T00:00:00+03:00", "end": "2026-03-05T00:00:00+03:00"}


def journal(client: TestClient, **filters: Any) -> list[dict[str, Any]]:
    response = client.get("/mock/requests", params=filters)
    assert response.status_code == 200, response.text
    requests: list[dict[str, Any]] = response.json()["requests"]
    return requests


def codes(entry: dict[str, Any]) -> list[str]:
    return [advisory["code"] for advisory in entry["advisories"]]


def test_bearer_prefix_is_recorded_with_its_advisory(client: TestClient, api: Api) -> None:
    response = client.get(
        "/crm/openapi/employees", headers={"Authorization": "Bearer " + api.token}
    )
    assert response.status_code == 403, response.text
    [entry] = journal(client, operationId="getEmployees")
    assert codes(entry) == ["BEARER_PREFIX"], entry
    assert entry["status"] == 403
    assert entry["token"]["bearerPrefix"] is True
    assert entry["token"]["accepted"] is False
    assert "Bearer" in entry["token"]["rejection"], entry["token"]
    assert api.token not in str(entry), "the token itself is never shown"


def test_the_guides_id_on_create_manager_earns_no_advisory(client: TestClient, api: Api) -> None:
    # 5.8.2's example sends `"id": 45`; an advisory never tells a client to stop doing what
    # the guide does (issue 24: MANAGER_ID_ON_CREATE did).
    employee = next(e for e in api.ok("GET", "/employees") if "fullNumber" in e)
    body = {"id": 45, "name": "Petrov", "employeeId": employee["employeeId"]}
    body.update(handleAllCustomers=False, customers=[])
    assert api.ok("POST", "/managers", json=body) == "SUCCESS"
    [entry] = journal(client, operationId="createManager")
    assert codes(entry) == [], entry
    assert json.loads(entry["body"])["id"] == 45
    assert entry["token"]["accepted"] is True
    assert entry["companyId"] == 391


def test_entry_holds_what_was_sent_and_how_it_was_answered(client: TestClient, api: Api) -> None:
    api.get("/call-records/info/", params={**WINDOW, "size": "3", "company_id": "392"})
    [entry] = journal(client)
    assert entry["method"] == "GET"
    assert entry["path"] == "/call-records/info/"
    assert entry["operationId"] == "getCallRecords"
    assert entry["query"]["size"] == ["3"]
    assert entry["status"] == 200
    assert entry["durationMs"] > 0
    assert entry["token"]["kind"] == "access"
    assert entry["token"]["userId"] == 5976
    assert "authorization" not in entry["headers"]
    assert codes(entry) == ["COMPANY_ID_NOT_THE_TOKENS"], entry
    assert entry["advisories"][0]["decision"] == "D45"
    assert entry["at"] == client.get("/mock/clock").json()["now"], "by the mock clock"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"size": "5000"}, "PAGE_SIZE_ABOVE_MAX"),
        ({"size": "0"}, "PAGE_SIZE_BELOW_ONE"),
        ({"start": WINDOW["end"], "end": WINDOW["start"]}, "WINDOW_NOT_ORDERED"),
        ({"company_id": "1"}, "COMPANY_ID_NOT_THE_TOKENS"),
        ({"compnay_id": "391"}, "UNKNOWN_QUERY_PARAMETER"),
    ],
)
def test_advisories_hold_however_the_mock_answers(
    client: TestClient, api: Api, query: dict[str, str], code: str
) -> None:
    api.get("/call-records/info", params={**WINDOW, **query})
    [entry] = journal(client, advisory=code)
    assert entry["operationId"] == "getCallRecords", entry


def test_blacklist_under_a_type_neither_the_spec_nor_the_guide_sends_is_advised(
    client: TestClient, api: Api
) -> None:
    for number, content_type in [
        ("79998887700", "text/html"),
        ("79998887701", "text/plain"),
        ("79998887702", "html/text"),  # the guide's example
    ]:
        api.request("POST", "/blacklist", content=number, headers={"Content-Type": content_type})
    entries = journal(client, operationId="addToBlacklist")
    assert [codes(e) for e in entries] == [[], [], ["BLACKLIST_CONTENT_TYPE"]]
    assert entries[2]["body"] == "79998887700"


def test_refresh_with_the_access_token_is_advised(client: TestClient, api: Api) -> None:
    response = client.put(
        "/crm/openapi/authorization/refresh/token", headers={"Authorization": api.token}
    )
    assert response.status_code == 403
    [entry] = journal(client, operationId="refreshToken")
    assert codes(entry) == ["REFRESH_WITH_ACCESS_TOKEN"]


def test_polling_monitoring_in_a_tight_loop_is_advised(client: TestClient, api: Api) -> None:
    for _ in range(3):
        api.get("/monitoring/calls")
    entries = journal(client, operationId="getCurrentCalls")
    assert [codes(e) for e in reversed(entries)] == [
        [],
        ["MONITORING_POLLED_TOO_OFTEN"],
        ["MONITORING_POLLED_TOO_OFTEN"],
    ]


def test_advisories_summary_counts_per_code(client: TestClient, api: Api) -> None:
    for _ in range(2):
        client.get("/crm/openapi/employees", headers={"Authorization": "Bearer " + api.token})
    api.get("/call-records/info", params={**WINDOW, "size": "5000"})
    summary = {a["code"]: a for a in client.get("/mock/advisories").json()["advisories"]}
    assert set(summary) == {"BEARER_PREFIX", "PAGE_SIZE_ABOVE_MAX"}
    assert summary["BEARER_PREFIX"]["count"] == 2
    assert summary["BEARER_PREFIX"]["example"]["path"] == "/employees"
    assert summary["PAGE_SIZE_ABOVE_MAX"]["example"]["detail"] == "size=5000"


def test_filters_count_near_misses_and_delete(client: TestClient, api: Api) -> None:
    api.get("/employees")
    api.get("/managers")
    api.get("/managers/999999")
    assert [e["status"] for e in journal(client, path="/managers/*")] == [404]
    assert len(journal(client, method="GET", companyId=391)) == 3
    assert journal(client, companyId=392) == []
    assert len(journal(client, limit=1)) == 1
    count = client.post("/mock/requests/count", json={"operationId": "getEmployees"})
    this_process = {"pid": os.getpid(), "worker": 1, "workers": 1}  # the only one
    assert count.json() == {"count": 1, "cutShort": 0, "process": this_process}, count.text
    misses = client.post(
        "/mock/requests/near-misses", json={"operationId": "getManager", "status": 200}
    ).json()["nearMisses"]
    assert misses[0]["request"]["path"] == "/managers/999999"
    assert misses[0]["differences"] == ["status: wanted 200, got 404"]
    assert client.delete("/mock/requests").status_code == 204
    assert journal(client) == []
    assert client.get("/mock/advisories").json() == {"advisories": [], "process": this_process}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"operationId": "getEmploye"}, "getEmploye"),
        ({"status": "600"}, "status"),
        ({"since": "yesterday"}, "since"),
        ({"advisory": "SOMETHING"}, "advisory"),
    ],
)
def test_bad_filters_are_400_problems(
    client: TestClient, params: dict[str, str], message: str
) -> None:
    response = client.get("/mock/requests", params=params)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert message in response.json()["detail"], response.json()


def test_control_requests_are_not_recorded(client: TestClient) -> None:
    client.get("/mock/health")
    client.get("/crm/openapi/ui/")
    assert journal(client) == []


@pytest.fixture
def unrecorded() -> Iterator[TestClient]:
    pbx = Pbx(pinned_config(**SMALL_HISTORY, journal_size=0))
    with TestClient(create_app(pbx), headers=CONTROL) as client:
        yield client
    pbx.close()


def test_journal_size_zero_records_nothing(unrecorded: TestClient) -> None:
    token = unrecorded.post("/mock/tokens").json()["accessToken"]
    response = unrecorded.get(
        "/crm/openapi/employees", headers={"Authorization": "Bearer " + token}
    )
    assert response.status_code == 403
    body = unrecorded.get("/mock/requests").json()
    assert (body["requests"], body["capacity"], body["recorded"]) == ([], 0, 0)
    assert unrecorded.get("/mock/advisories").json()["advisories"] == []
