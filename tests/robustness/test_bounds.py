"""Bounds on every input a test or an attacker controls (issue 22), in-process with both app
classes: the largest, slowest and most hostile value of each ends in an answer, never in a
hung or swollen mock.

- a fault rule's `path` glob of many stars backtracked for minutes on a 40-character path,
  and `GET /mock/requests?path=` with it took 104 s;
"""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from tests.conftest import Api

# A glob that a backtracking matcher takes exponential time over on a path of `a`s.
PATHOLOGICAL_GLOB = "/" + "*a" * 12 + "*b"


def _added(client: TestClient, rule: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/mock/faults", json=rule)
    assert response.status_code == 201, response.text
    added: dict[str, Any] = response.json()
    return added


def test_a_pathological_fault_glob_neither_hangs_nor_fires(client: TestClient, api: Api) -> None:
    _added(client, {"path": PATHOLOGICAL_GLOB, "status": 503})
    response = api.get("/" + "a" * 39)
    assert response.status_code == 404, response.text  # no such path; the rule did not fire
    assert api.get("/employees").status_code == 200


def test_a_pathological_journal_filter_answers(client: TestClient, api: Api) -> None:
    api.get("/" + "a" * 39)
    api.get("/" + "a" * 39 + "b")
    response = client.get("/mock/requests", params={"path": PATHOLOGICAL_GLOB})
    assert response.status_code == 200, response.text
    assert [entry["path"] for entry in response.json()["requests"]] == ["/" + "a" * 39 + "b"]
