"""The console is not a client under test: its requests (header `X-Mock-Console`) stay out of
the request journal and the advisories, and no fault rule hits them."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.api.test_faults import add_fault
from tests.conftest import Api
from tests.console.pages import CONSOLE, get_page

# What the live page fetches every second (GET /monitoring/calls and /monitoring/calls/pending).
PANEL = CONSOLE + "/live/panel"
POLLS = 5


def recorded(client: TestClient) -> int:
    answer = client.get("/mock/requests")
    assert answer.status_code == 200, answer.text
    count: int = answer.json()["recorded"]
    return count


def advisory_codes(client: TestClient) -> list[str]:
    answer = client.get("/mock/advisories")
    assert answer.status_code == 200, answer.text
    return [advisory["code"] for advisory in answer.json()["advisories"]]


def test_the_consoles_polling_is_neither_recorded_nor_advised(client: TestClient, api: Api) -> None:
    for _ in range(POLLS):  # far faster than once a second, by either clock
        assert client.get(PANEL).status_code == 200
    for path in ("/live", "/journal", "/statistics", "/requests"):
        get_page(client, path)
    assert recorded(client) == 0
    assert advisory_codes(client) == []

    # The same polling from a CRM is recorded and earns the advisory.
    for _ in range(2):
        assert api.get("/monitoring/calls").status_code == 200
    assert recorded(client) == 2
    assert advisory_codes(client) == ["MONITORING_POLLED_TOO_OFTEN"]


@pytest.mark.parametrize(
    ("rule", "crm_path", "crm_status"),
    [
        ({"operationId": "getCurrentCalls", "status": 503}, "/monitoring/calls", 503),
        ({"status": 500}, "/employees", 500),  # every operation
        ({"expireTokens": "all"}, "/monitoring/calls/pending", 403),
        ({"method": "GET", "path": "/call-records/*", "status": 429}, "/call-records/info", 429),
    ],
    ids=["monitoring-503", "everything-500", "tokens-expired", "journal-429"],
)
def test_a_fault_rule_does_not_hit_the_console(
    client: TestClient, api: Api, rule: dict[str, Any], crm_path: str, crm_status: int
) -> None:
    rule_id = add_fault(client, **rule)["id"]
    panel = client.get(PANEL)
    assert panel.status_code == 200, panel.text
    assert "Текущие звонки" in panel.text
    journal = get_page(client, "/journal")
    assert journal.find("table", class_="records").find_all("tr"), "the journal shows calls"
    get_page(client, "/statistics")
    assert client.get(f"/mock/faults/{rule_id}").json()["fired"] == 0

    # A CRM is hit.
    assert api.get(crm_path).status_code == crm_status
    assert client.get(f"/mock/faults/{rule_id}").json()["fired"] == 1


def test_a_dropping_rule_does_not_hit_the_console(client: TestClient, api: Api) -> None:
    add_fault(client, drop=True)
    assert client.get(PANEL).status_code == 200
    get_page(client, "/journal")
    assert client.get("/mock/faults").json()["faults"][0]["fired"] == 0
    api.get("/employees")  # in-process, a dropped connection is an exception in the app
    assert client.get("/mock/faults").json()["faults"][0]["fired"] == 1
