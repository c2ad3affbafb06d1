"""Faults found by an attacker, in-process with both app classes: every one ends with a clear
400/409 and nothing changed.

- NaN/Infinity in a JSON body passed every min/max check and broke the clock for good;
- JSON nested 1,000 deep was a 500 (RecursionError), in Connexion's body, not the Spring one;
- half a UTF-16 surrogate pair (`"\\udc00"`) in a JSON string was a 500 in both APIs wherever
  it reached the state;
- an int64-max companyId overflowed the derived user id (500) after creating the company;
- the clock could be advanced past year 9999 (every later request 500).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from mock_server.domain.pbx import Pbx
from tests.conftest import Api
from tests.pinned import PINNED_NOW

PROBLEM = "application/problem+json"


def _clock(client: TestClient) -> dict[str, Any]:
    """The clock's reading: `now` and `frozen` (its offset from real time moves with the wall
    clock even while frozen)."""
    response = client.get("/mock/clock")
    assert response.status_code == 200, response.text
    return {k: response.json()[k] for k in ("now", "frozen")}


def _problem(response: Any, status: int, fragment: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM), response.headers
    assert fragment in response.json()["detail"], response.json()


@pytest.mark.parametrize(
    "raw", ['{"seconds": NaN}', '{"seconds": Infinity}', '{"seconds": -Infinity}']
)
def test_non_finite_advance_is_400_and_the_clock_stays(client: TestClient, raw: str) -> None:
    before = _clock(client)
    response = client.post(
        "/mock/clock/advance", content=raw, headers={"Content-Type": "application/json"}
    )
    _problem(response, 400, "not a JSON number")
    assert _clock(client) == before
    assert client.get("/mock/health").json()["status"] == "ok"


def test_non_finite_numbers_are_refused_in_the_documented_api_too(api: Api) -> None:
    body = '{"employeeId": 440, "name": "x", "handleAllCustomers": false, "id": NaN}'
    response = api.request(
        "POST", "/managers", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert response.json()["message"].startswith("Request body: NaN is not a JSON number")
    assert set(response.json()) == {"timestamp", "status", "error", "message", "path"}


def test_the_clock_cannot_pass_year_9000(client: TestClient) -> None:
    before = _clock(client)
    year = 365 * 86400
    for _ in range(3):
        assert client.post("/mock/clock/advance", json={"seconds": year}).status_code == 200
    # The latest instant the control API's schema takes (year 8998 at any offset), then a year.
    far = client.post("/mock/reset", json={"now": "8998-12-31T00:00:00Z"})
    assert far.status_code == 200, far.text
    assert client.post("/mock/clock/advance", json={"seconds": year}).status_code == 200
    response = client.post("/mock/clock/advance", json={"seconds": year})
    _problem(response, 400, "cannot pass 9000-01-01")
    assert _clock(client)["now"].startswith("8999-12-31")
    assert client.get("/mock/health").status_code == 200
    assert before["now"] < _clock(client)["now"]


def test_deep_json_is_400_with_the_documented_spring_body(api: Api) -> None:
    deep = "[" * 1000 + "]" * 1000
    response = api.request(
        "POST", "/managers", content=deep, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400, response.text
    body = response.json()
    assert set(body) == {"timestamp", "status", "error", "message", "path"}
    assert body["message"] == "Request body: JSON nested too deeply to be a request of this API"
    assert body["path"] == "/crm/openapi/managers"


def test_deep_json_is_400_problem_on_the_control_api(client: TestClient) -> None:
    deep = "[" * 1000 + "]" * 1000
    response = client.post(
        "/mock/tokens", content=deep, headers={"Content-Type": "application/json"}
    )
    _problem(response, 400, "nested too deeply")


@pytest.mark.parametrize("escape", ["\\udc00", "\\uD83D", "x\\ud83d\\u0041"])
def test_half_a_surrogate_pair_is_400_in_both_apis(
    client: TestClient, api: Api, escape: str
) -> None:
    # Both were a 500: SQLite cannot store the string (UnicodeEncodeError).
    before = client.get("/mock/health").json()
    control = client.post(
        "/mock/tokens",
        content='{"login": "' + escape + '"}',
        headers={"Content-Type": "application/json"},
    )
    _problem(control, 400, "half of a UTF-16 surrogate pair")
    assert client.get("/mock/health").json()["companies"] == before["companies"]
    managers = api.request(
        "POST",
        "/managers",
        content='{"employeeId": 440, "customers": [{"realNumber": "' + escape + '"}]}',
        headers={"Content-Type": "application/json"},
    )
    assert managers.status_code == 400, managers.text
    assert "half of a UTF-16 surrogate pair" in managers.json()["message"]


def test_a_whole_surrogate_pair_and_an_escaped_backslash_are_text(client: TestClient) -> None:
    for login, escaped in (("\U0001f600", "\\ud83d\\ude00"), ("\\udc00", "\\\\udc00")):
        response = client.post(
            "/mock/tokens",
            content='{"login": "' + escaped + '"}',
            headers={"Content-Type": "application/json"},
        )
        assert response.status_code == 200, response.text
        assert response.json()["login"] == login


def test_a_deep_string_is_not_nesting(api: Api) -> None:
    # Brackets inside a string do not nest: this is an ordinary (unknown-employee) manager.
    body = '{"employeeId": 999999, "name": "' + "[" * 500 + '", "handleAllCustomers": false}'
    response = api.request(
        "POST", "/managers", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 404, response.text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"companyId": 9223372036854775807}, "companyId"),
        ({"companyId": 2147483648}, "companyId"),
        ({"userId": 9223372036854775808}, "userId"),
        ({"companyId": 0}, "companyId"),
    ],
)
def test_ids_out_of_range_are_400_and_create_nothing(
    client: TestClient, body: dict[str, int], field: str
) -> None:
    before = client.get("/mock/health").json()["companies"]
    response = client.post("/mock/tokens", json=body)
    _problem(response, 400, field)
    assert client.get("/mock/health").json()["companies"] == before


def test_the_largest_company_id_works(client: TestClient) -> None:
    response = client.post("/mock/tokens", json={"companyId": 2147483647})
    assert response.status_code == 200, response.text
    token = response.json()["accessToken"]
    employees = client.get("/crm/openapi/employees", headers={"Authorization": token})
    assert employees.status_code == 200, employees.text
    assert employees.json()


# -- the clock -------------------------------------------------------------------------------


def test_the_suite_runs_pinned_and_frozen(client: TestClient) -> None:
    clock = _clock(client)
    assert datetime.fromisoformat(clock["now"]) == PINNED_NOW
    assert clock["frozen"] is True
    assert client.get("/mock/health").json()["now"] == clock["now"]


def test_put_clock_moves_forward_freezes_and_unfreezes(client: TestClient) -> None:
    target = (PINNED_NOW + timedelta(days=2)).isoformat()
    moved = client.put("/mock/clock", json={"now": target})
    assert moved.status_code == 200, moved.text
    assert datetime.fromisoformat(moved.json()["now"]) == PINNED_NOW + timedelta(days=2)
    assert moved.json()["frozen"] is True
    running = client.put("/mock/clock", json={"frozen": False}).json()
    assert running["frozen"] is False
    assert datetime.fromisoformat(running["now"]) >= PINNED_NOW + timedelta(days=2)
    frozen = client.put("/mock/clock", json={"frozen": True}).json()
    assert frozen["frozen"] is True
    assert _clock(client)["now"] == frozen["now"]  # it stands still


def test_the_clock_refuses_to_go_back_and_says_how(client: TestClient) -> None:
    before = _clock(client)
    earlier = (PINNED_NOW - timedelta(hours=1)).isoformat()
    response = client.put("/mock/clock", json={"now": earlier})
    _problem(response, 409, "only moves forward")
    assert "POST /mock/reset" in response.json()["detail"]
    assert _clock(client) == before


def test_a_reset_goes_back_in_time_and_reseeds_before_it(client: TestClient, api: Api) -> None:
    earlier = PINNED_NOW - timedelta(days=30)
    response = client.post("/mock/reset", json={"now": earlier.isoformat(), "historyDays": 2})
    assert response.status_code == 200, response.text
    assert datetime.fromisoformat(_clock(client)["now"]) == earlier
    token = client.post("/mock/tokens").json()["accessToken"]
    window = {
        "start": (earlier - timedelta(days=3)).isoformat(),
        "end": (earlier + timedelta(days=1)).isoformat(),
        "size": 2000,
    }
    records = Api(client, token).ok("GET", "/call-records/info", params=window)
    assert records, "the history before the new now"
    assert all(r["date"] < earlier.isoformat().replace("+00:00", "Z") for r in records)


def test_a_reset_without_now_returns_to_the_start_instant(client: TestClient) -> None:
    client.post("/mock/clock/advance", json={"seconds": 86400})
    assert client.post("/mock/reset", json={}).status_code == 200
    assert datetime.fromisoformat(_clock(client)["now"]) == PINNED_NOW


@pytest.mark.parametrize(
    "body",
    [{"now": "yesterday"}, {"now": "2026-03-04T15:00:00"}, {"frozen": "yes"}, {"now": 5}],
)
def test_bad_clock_changes_are_400(client: TestClient, body: dict[str, Any]) -> None:
    before = _clock(client)
    response = client.put("/mock/clock", json=body)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert _clock(client) == before


def test_a_huge_range_header_is_not_echoed(api: Api, pbx: Pbx) -> None:
    now = pbx.now()
    page = pbx.journal.records(391, now - timedelta(days=2), now, is_recorded=True, size=1)
    header = "bytes=" + "9" * 20_000 + "-"
    response = api.get(
        "/call-records/file",
        params={"filename": page[0]["recordFileName"]},
        headers={"Range": header},
    )
    assert response.status_code == 416, response.text
    assert len(response.json()["message"]) < 200, response.json()["message"]
    assert response.headers["content-range"].startswith("bytes */")
