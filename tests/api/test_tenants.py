"""Companies of one's own for parallel tests: own data, own tokens, own clock."""

from __future__ import annotations

from datetime import datetime, timedelta

from starlette.testclient import TestClient

from tests.conftest import Api, new_company
from tests.pinned import PINNED_NOW

DAY = 86400


def test_a_new_company_has_its_own_seeded_data_and_pair(client: TestClient) -> None:
    first, second = new_company(client), new_company(client)
    assert first["companyId"] >= 1000
    assert second["companyId"] == first["companyId"] + 1
    assert datetime.fromisoformat(first["now"]) == PINNED_NOW
    one, two = Api(client, first["accessToken"]), Api(client, second["accessToken"])
    employees_one = one.ok("GET", "/employees")
    assert employees_one
    assert employees_one != two.ok("GET", "/employees")
    window = {"start": (PINNED_NOW - timedelta(days=3)).isoformat(), "end": PINNED_NOW.isoformat()}
    assert one.ok("GET", "/call-records/info", params=window)
    assert first["companyId"] in client.get("/mock/health").json()["companies"]


def test_an_existing_id_is_409(client: TestClient) -> None:
    response = client.post("/mock/companies", json={"companyId": 391})
    assert response.status_code == 409, response.text
    assert "exists" in response.json()["detail"]


def test_advancing_one_company_expires_only_its_tokens(client: TestClient) -> None:
    mine, theirs = new_company(client), new_company(client)
    moved = client.post(
        f"/mock/companies/{mine['companyId']}/clock/advance", json={"seconds": 2 * DAY}
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["leadSeconds"] == 2 * DAY
    assert datetime.fromisoformat(moved.json()["now"]) == PINNED_NOW + timedelta(days=2)
    expired = Api(client, mine["accessToken"]).get("/employees")
    assert expired.status_code == 403
    assert expired.json() == {"details": "The token is expired"}
    assert Api(client, theirs["accessToken"]).get("/employees").status_code == 200
    # The mock clock and the other company did not move.
    assert datetime.fromisoformat(client.get("/mock/clock").json()["now"]) == PINNED_NOW
    other = client.get(f"/mock/companies/{theirs['companyId']}/clock").json()
    assert datetime.fromisoformat(other["now"]) == PINNED_NOW


def test_a_company_clock_moves_its_calls_only(client: TestClient) -> None:
    mine, theirs = new_company(client), new_company(client)
    for company in (mine, theirs):
        call = client.post(
            "/mock/calls/incoming",
            json={"from": "79161234567", "companyId": company["companyId"], "durationSeconds": 60},
        )
        assert call.status_code == 200, call.text
    client.post(f"/mock/companies/{mine['companyId']}/clock/advance", json={"seconds": 3600})
    live_mine = Api(client, mine["accessToken"]).ok("GET", "/monitoring/calls")
    live_theirs = Api(client, theirs["accessToken"]).ok("GET", "/monitoring/calls")
    assert live_mine == []
    assert [c["callerNumberFull"] for c in live_theirs] == ["79161234567"]


def test_a_company_clock_refuses_to_go_back_or_to_freeze(client: TestClient) -> None:
    mine = new_company(client)
    path = f"/mock/companies/{mine['companyId']}/clock"
    back = client.put(path, json={"now": (PINNED_NOW - timedelta(hours=1)).isoformat()})
    assert back.status_code == 409, back.text
    frozen = client.put(path, json={"frozen": False})
    assert frozen.status_code == 400, frozen.text
    ahead = client.put(path, json={"now": (PINNED_NOW + timedelta(hours=5)).isoformat()})
    assert ahead.json()["leadSeconds"] == 5 * 3600


def test_advancing_the_mock_clock_moves_everycompany(client: TestClient) -> None:
    mine = new_company(client)
    client.post(f"/mock/companies/{mine['companyId']}/clock/advance", json={"seconds": 3600})
    client.post("/mock/clock/advance", json={"seconds": 60})
    clock = client.get(f"/mock/companies/{mine['companyId']}/clock").json()
    assert datetime.fromisoformat(clock["now"]) == PINNED_NOW + timedelta(seconds=3660)


def test_a_deleted_company_is_gone_with_its_tokens(client: TestClient) -> None:
    mine = new_company(client)
    path = f"/mock/companies/{mine['companyId']}"
    assert client.delete(path).status_code == 204
    assert Api(client, mine["accessToken"]).get("/employees").status_code == 403
    assert client.delete(path).status_code == 404
    assert client.get(path + "/clock").status_code == 404
    assert mine["companyId"] not in client.get("/mock/health").json()["companies"]
