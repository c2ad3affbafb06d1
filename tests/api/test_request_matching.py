"""Journal patterns on what was sent, over the wire: count, find, near misses, and the 400s that
say what is wrong with a pattern (both app classes)."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import Api

DESTINATION = "79165554433"


def _employee_number(api: Api) -> str:
    return str(next(e["fullNumber"] for e in api.ok("GET", "/employees") if "fullNumber" in e))


@pytest.fixture
def sent(api: Api) -> Api:
    """A click-to-call, a blacklist entry and a manager (a JSON body), each with a header."""
    source = _employee_number(api)
    trace = {"X-Crm-Request-Id": "crm-1042"}
    params = {"source": source, "destination": DESTINATION}
    api.ok("POST", "/call/outgoing", params=params, headers=trace)
    api.request("POST", "/blacklist", content="79998887766", headers={"Content-Type": "text/plain"})
    employee = next(e for e in api.ok("GET", "/employees") if "fullNumber" in e)
    manager = {"name": "Petrov", "employeeId": employee["employeeId"]}
    customer = {"realNumber": "79990001122", "companyName": "Romashka", "isVip": True}
    manager.update(handleAllCustomers=False, customers=[customer])
    assert api.ok("POST", "/managers", json=manager) == "SUCCESS"
    return api


def count(client: TestClient, pattern: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/mock/requests/count", json=pattern)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


@pytest.mark.parametrize(
    "pattern",
    [
        {"operationId": "initiateCall", "query": {"destination": DESTINATION}},
        {"query": {"destination": {"equalTo": DESTINATION}}},
        {"query": {"destination": {"contains": "5554"}}},
        {"query": {"destination": {"matches": "7916[0-9]{7}"}}},
        {"query": {"destination": {"absent": False}}},
        {"operationId": "initiateCall", "query": {"comment": {"absent": True}}},
        {"headers": {"X-CRM-REQUEST-ID": "crm-1042"}},
        {"operationId": "addToBlacklist", "body": "79998887766"},
        {"operationId": "addToBlacklist", "body": {"matches": r"7\d{10}"}},
        {"json": {"equalToJson": {"name": "Petrov"}, "ignoreExtraElements": True}},
        {"json": {"matchesJsonPath": "$.customers[0].isVip"}},
        {"json": {"matchesJsonPath": {"expression": "$.name", "contains": "Pet"}}},
        {"jsonPath": {"$.customers[*].realNumber": "79990001122", "$.handleAllCustomers": "false"}},
    ],
)
def test_a_pattern_on_what_was_sent_counts_and_finds_the_one_request(
    client: TestClient, sent: Api, pattern: dict[str, Any]
) -> None:
    assert count(client, pattern)["count"] == 1
    found = client.post("/mock/requests/find", json={**pattern, "limit": 5})
    assert found.status_code == 200, found.text
    assert found.json()["matched"] == 1


def test_a_near_miss_names_the_field_that_missed(client: TestClient, sent: Api) -> None:
    pattern = {"operationId": "initiateCall", "query": {"destination": "79165554434"}}
    assert count(client, pattern)["count"] == 0
    misses = client.post("/mock/requests/near-misses", json=pattern).json()["nearMisses"]
    assert misses[0]["differences"] == ["query.destination: wanted 79165554434, got 79165554433"], (
        misses[0]
    )
    body = {"operationId": "createManager", "json": {"equalToJson": {"name": "Ivanov"}}}
    misses = client.post("/mock/requests/near-misses", json=body).json()["nearMisses"]
    assert misses[0]["differences"] == ['json $.name: wanted "Ivanov", got "Petrov"']


def test_a_body_the_journal_cut_is_counted_as_cut_short_not_as_a_miss(
    client: TestClient, api: Api
) -> None:
    long_number = "7" * 5000  # the journal keeps 4096 bytes of a body
    api.request("POST", "/blacklist", content=long_number, headers={"Content-Type": "text/plain"})
    answer = count(client, {"operationId": "addToBlacklist", "body": {"matches": "7+"}})
    assert (answer["count"], answer["cutShort"]) == (0, 1)


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ({"query": {"d": {"matches": r"(a)\1"}}}, "backreferences are not supported"),
        ({"query": {"d": {"matches": "(?<=a)b"}}}, "only (?:...) groups are supported"),
        ({"body": {"matches": "(a|a)**"}}, "'*' repeats a repetition"),
        ({"body": {"matches": "(" * 40 + ")" * 40}}, "groups nested more than 32 deep"),
        ({"body": {"matches": "x" * 1_000_000}}, "matches"),
        ({"jsonPath": {"$..a": "1"}}, "no name after '.'"),
        ({"jsonPath": {"$" + "[0]" * 40: "1"}}, "more than 32 steps"),
        ({"headers": {"Authorization": "x"}}, "the journal keeps the token as its claims"),
        ({"query": {"d": {"equalTo": "a", "contains": "a"}}}, "query"),
    ],
)
def test_a_hostile_pattern_is_a_400_saying_what_is_wrong(
    client: TestClient, pattern: dict[str, Any], message: str
) -> None:
    for path in ("/mock/requests/count", "/mock/requests/find", "/mock/requests/near-misses"):
        response = client.post(path, json=pattern)
        assert response.status_code == 400, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert message in response.json()["detail"], response.json()
        assert len(response.text) < 4000, "the answer never echoes a megabyte"


def test_a_catastrophic_pattern_for_a_backtracking_engine_answers_at_once(
    client: TestClient, api: Api
) -> None:
    api.request("POST", "/blacklist", content="7" * 4000, headers={"Content-Type": "text/plain"})
    for pattern in ("(7|7)*" * 60 + "8", "(7*)*8", "(.*7){50}8"):
        assert count(client, {"body": {"matches": pattern}}) == {
            **count(client, {}),
            "count": 0,
        }
