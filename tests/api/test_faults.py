"""Fault rules over the wire: statuses, delays, expired tokens, dropped and cut connections."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
from starlette.testclient import TestClient

from mock_server.domain.faults import FaultBook
from mock_server.domain.pbx import Pbx
from mock_server.http.app import create_app
from mock_server.http.shutdown import Shutdown
from mock_server.testing.process import MockStartError
from tests.conftest import CONTROL, Api, advance, issue
from tests.mock_process import MockProcess, running_mock


def add_fault(client: TestClient | httpx.Client, **rule: Any) -> dict[str, Any]:
    response = client.post("/mock/faults", json=rule)
    assert response.status_code == 201, response.text
    added: dict[str, Any] = response.json()
    return added


def last_entry(client: TestClient | httpx.Client, **filters: Any) -> dict[str, Any]:
    response = client.get("/mock/requests", params={**filters, "limit": 1})
    assert response.status_code == 200, response.text
    entry: dict[str, Any] = response.json()["requests"][0]
    return entry


def test_503_twice_then_200(client: TestClient, api: Api) -> None:
    rule = add_fault(client, operationId="getEmployees", status=503, times=2)
    assert rule["remaining"] == 2
    assert isinstance(rule["id"], int)
    statuses = [api.get("/employees").status_code for _ in range(3)]
    assert statuses == [503, 503, 200]
    assert api.get("/managers").status_code == 200, "another operation is untouched"
    faulted = client.get("/mock/requests", params={"status": 503}).json()["requests"]
    assert [e["fault"]["ruleId"] for e in faulted] == [rule["id"], rule["id"]]
    assert faulted[0]["fault"]["action"] == "status"
    assert client.get(f"/mock/faults/{rule['id']}").json()["fired"] == 2


def test_status_answer_has_the_spring_body_and_retry_after(client: TestClient, api: Api) -> None:
    add_fault(client, operationId="getEmployees", status=429, retryAfter=7)
    response = api.get("/employees")
    assert response.status_code == 429
    assert response.headers["retry-after"] == "7"
    body = response.json()
    assert set(body) == {"timestamp", "status", "error", "message", "path"}, body
    assert (body["status"], body["error"], body["path"]) == (
        429,
        "Too Many Requests",
        "/crm/openapi/employees",
    )


def test_delay_rule_adds_its_delay_to_the_recorded_duration(client: TestClient, api: Api) -> None:
    api.get("/employees")
    quick = last_entry(client)["durationMs"]
    add_fault(client, operationId="getEmployees", delayMs=250)
    assert api.get("/employees").status_code == 200, "a delay alone answers as the mock does"
    entry = last_entry(client)
    assert entry["fault"]["action"] == "delay"
    assert entry["fault"]["delayMs"] == 250
    assert entry["durationMs"] >= 250 > quick, (entry["durationMs"], quick)


def test_a_shutdown_ends_an_injected_delay_with_503(client: TestClient, api: Api) -> None:
    rule = add_fault(client, operationId="getEmployees", delayMs=600_000)
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(api.get, "/employees")
        while client.get(f"/mock/faults/{rule['id']}").json()["fired"] == 0:
            assert not pending.done(), pending.result().text
            time.sleep(0.01)
        shutdown: Shutdown = cast(Any, client.app).shutdown
        shutdown.begin()  # what the server does as its shutdown starts (cli.py)
        answer = pending.result(timeout=30)
    assert answer.status_code == 503, answer.text
    assert answer.json()["message"] == "The mock is shutting down"
    assert answer.json()["path"] == "/crm/openapi/employees"
    assert last_entry(client)["status"] == 503
    assert api.get("/employees").status_code == 503, "a delay asked for later ends at once too"
    assert api.get("/managers").status_code == 200, "requests with no delay are served"


def test_a_firing_the_store_cannot_count_is_a_logged_500_in_the_apis_shape(
    client: TestClient, api: Api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    add_fault(client, operationId="getEmployees", status=503, times=1)

    def locked(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(FaultBook, "fire_first", locked)
    answer = api.get("/employees")
    assert answer.status_code == 500, answer.text
    assert answer.json()["message"] == "Internal error of the mock"
    assert "database is locked" in caplog.text
    assert last_entry(client)["status"] == 500


def test_company_rule_hits_that_company_only(client: TestClient, api: Api) -> None:
    other = Api(client, issue(client, companyId=392)["accessToken"])
    add_fault(client, companyId=392, status=500)
    assert other.get("/employees").status_code == 500
    assert api.get("/employees").status_code == 200


def test_token_expiry_preset_expires_tokens_until_refreshed(client: TestClient) -> None:
    pair = issue(client)
    response = client.post("/mock/faults/presets/token-expiry", json={"companyId": 391})
    assert response.status_code == 201, response.text
    assert response.json()["expireTokens"] == "access"
    expired = Api(client, pair["accessToken"]).get("/employees")
    assert (expired.status_code, expired.json()) == (403, {"details": "The token is expired"})
    advance(client, 1)  # a refresh issues a new pair only a second later (frozen clock)
    refreshed = client.put(
        "/crm/openapi/authorization/refresh/token", headers={"Authorization": pair["refreshToken"]}
    )
    assert refreshed.status_code == 200, refreshed.text
    new = Api(client, refreshed.json()["accessToken"])
    assert new.get("/employees").status_code == 200
    assert last_entry(client, status=403)["fault"]["preset"] == "token-expiry"


def test_outage_and_slow_recordings_presets(client: TestClient, api: Api) -> None:
    outage = client.post("/mock/faults/presets/outage", json={"minutes": 2, "retryAfter": 60})
    assert outage.status_code == 201, outage.text
    assert api.get("/managers").status_code == 503
    advance(client, 120)
    assert api.get("/managers").status_code == 200, "the outage is over"
    slow = client.post("/mock/faults/presets/slow-recordings", json={"delayMs": 1500})
    assert slow.status_code == 201, slow.text
    assert (slow.json()["operationId"], slow.json()["delayMs"]) == ("getCallRecordFile", 1500)
    presets = [rule.get("preset") for rule in client.get("/mock/faults").json()["faults"]]
    assert presets == ["outage", "slow-recordings"]


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"operationId": "getEmployees"}, "needs an action"),
        ({"status": 503, "drop": True}, "A fault rule does one thing"),
        ({"retryAfter": 5, "delayMs": 10}, "'retryAfter': goes with 'status'"),
        ({"status": 503, "colour": "red"}, "colour"),
        ({"status": 200}, "status"),
        ({"operationId": "getEmploye", "status": 503}, "getEmploye"),
        ({"status": 503, "from": "2026-03-04T12:00:00Z", "until": "20260304"}, "until"),
    ],
)
def test_bad_rules_are_400_problems_naming_the_field(
    client: TestClient, rule: dict[str, Any], message: str
) -> None:
    response = client.post("/mock/faults", json=rule)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert message in response.json()["detail"], response.json()
    assert client.get("/mock/faults").json() == {"faults": []}


def test_nan_in_a_rule_is_refused(client: TestClient) -> None:
    response = client.post(
        "/mock/faults",
        content=b'{"status": 500, "probability": NaN}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400, response.text
    assert "NaN" in response.json()["detail"]


def test_rules_are_listed_and_removed(client: TestClient, api: Api) -> None:
    first = add_fault(client, operationId="getEmployees", status=500)
    second = add_fault(client, operationId="getManagers", status=502)
    assert client.delete(f"/mock/faults/{first['id']}").status_code == 204
    assert client.get(f"/mock/faults/{first['id']}").status_code == 404
    assert client.delete(f"/mock/faults/{first['id']}").status_code == 404
    assert [r["id"] for r in client.get("/mock/faults").json()["faults"]] == [second["id"]]
    assert client.delete("/mock/faults").status_code == 204
    assert api.get("/managers").status_code == 200


def test_reset_restores_the_rules_of_the_start(client: TestClient, api: Api) -> None:
    add_fault(client, status=500)
    assert client.post("/mock/reset", json={"historyDays": 1}).status_code == 200
    assert client.get("/mock/faults").json() == {"faults": []}
    assert client.get("/mock/requests").json()["requests"] == []


@pytest.fixture
def raising(pbx: Pbx) -> Iterator[TestClient]:
    with TestClient(create_app(pbx), raise_server_exceptions=True, headers=CONTROL) as client:
        yield client


def test_drop_in_process_raises_connection_reset(raising: TestClient) -> None:
    token = issue(raising)["accessToken"]
    add_fault(raising, operationId="getEmployees", drop=True)
    with pytest.raises(ConnectionResetError, match="dropped by fault rule"):
        raising.get("/crm/openapi/employees", headers={"Authorization": token})
    entry = last_entry(raising)
    assert (entry["status"], entry["fault"]["action"]) == (None, "drop")


# -- over a real socket -------------------------------------------------------------------


@pytest.fixture(scope="module")
def mock() -> Iterator[MockProcess]:
    with running_mock("--history-days", "1") as process:
        yield process


@pytest.fixture
def control(mock: MockProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=mock.base_url, headers=CONTROL) as client:
        yield client
        client.delete("/mock/faults")


@pytest.mark.slow
def test_dropped_connection_is_a_transport_error(mock: MockProcess, control: httpx.Client) -> None:
    add_fault(control, operationId="getEmployees", drop=True, times=1)
    with pytest.raises(httpx.RemoteProtocolError):
        mock.api("/employees")
    assert mock.api("/employees").status_code == 200, "the server serves on"
    entry = last_entry(control, status=200)
    dropped = control.get("/mock/requests", params={"operationId": "getEmployees"}).json()[
        "requests"
    ]
    assert dropped[1]["status"] is None
    assert dropped[1]["fault"]["action"] == "drop"
    assert entry["fault"] is None


@pytest.mark.slow
def test_truncated_body_is_cut_short(mock: MockProcess, control: httpx.Client) -> None:
    add_fault(control, operationId="getEmployees", truncate=True, times=1)
    headers = {"Authorization": mock.access_token}
    with (
        httpx.Client() as client,
        client.stream("GET", mock.api_url + "/employees", headers=headers) as response,
    ):
        assert response.status_code == 200, "the head goes out whole"
        with pytest.raises(httpx.RemoteProtocolError, match=r"incomplete|closed"):
            response.read()
    entry = last_entry(control)
    assert (entry["status"], entry["fault"]["action"]) == (200, "truncate")


@pytest.mark.slow
def test_faults_file_is_in_force_from_the_start(tmp_path: Path) -> None:
    faults = tmp_path / "faults.yaml"
    faults.write_text(
        "- {operationId: getEmployees, status: 503, times: 1}\n"
        "- {preset: outage, minutes: 1, companyId: 392}\n",
        encoding="utf-8",
    )
    with running_mock("--history-days", "1", "--faults", str(faults)) as process:
        rules = process.control.request("GET", "/faults")["faults"]
        assert [(r.get("status"), r.get("preset")) for r in rules] == [(503, None), (503, "outage")]
        assert [process.api("/employees").status_code for _ in range(2)] == [503, 200]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("- {operationId: getEmploye, status: 503}\n", "getEmploye"),
        ("- {status: 200}\n", "fault rule 1: Field 'status'"),
        ("status: 503\n", "expected a list of fault rules"),
    ],
)
def test_bad_faults_file_stops_the_start(tmp_path: Path, content: str, message: str) -> None:
    faults = tmp_path / "faults.yaml"
    faults.write_text(content, encoding="utf-8")
    with pytest.raises(MockStartError) as failed, running_mock("--faults", str(faults)):
        pass
    assert message in str(failed.value), str(failed.value)


def test_rule_as_json_round_trips_the_issue_examples(client: TestClient) -> None:
    for rule in (
        {"operationId": "getEmployees", "status": 503, "times": 2},
        {"operationId": "getCallRecordFile", "delayMs": 800},
    ):
        added = add_fault(client, **rule)
        assert {k: added[k] for k in rule} == rule, json.dumps(added)
