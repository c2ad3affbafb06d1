"""The same seed and the same `--now` give byte-identical answers: from two processes, and
whatever the wall date."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from mock_server.domain.pbx import Pbx
from mock_server.http.app import create_app
from tests.conftest import CONTROL
from tests.mock_process import MockProcess, running_mock
from tests.pinned import PINNED_NOW, pinned_config

WINDOW = {
    "start": (PINNED_NOW - timedelta(days=3)).isoformat(),
    "end": PINNED_NOW.isoformat(),
}


def _answers(get: Callable[..., Any]) -> dict[str, bytes]:
    """The raw bodies of the documented API's reads (and one error) for one mock."""
    bodies: dict[str, bytes] = {}
    for name, path, params in (
        ("employees", "/employees", None),
        ("managers", "/managers", None),
        ("blacklist", "/blacklist", None),
        ("live", "/monitoring/calls", None),
        ("queues", "/monitoring/calls/pending", None),
        ("page 0", "/call-records/info", {**WINDOW, "size": 50}),
        (
            "page 3 desc",
            "/call-records/info",
            {**WINDOW, "size": 50, "page": 3, "sort": "date,DESC"},
        ),
        ("common", "/statistics/common", WINDOW),
        ("journal", "/statistics/journal", WINDOW),
        ("error", "/managers/999999", None),
    ):
        response = get(path, params)
        assert response.status_code in (200, 404), response.text
        bodies[name] = response.content
    recorded = get("/call-records/info", {**WINDOW, "is_recorded": "true", "size": 2000}).json()
    assert recorded, "the pinned window holds recordings"
    for record in recorded[:3]:
        name = record["recordFileName"]
        bodies[f"mp3 {name}"] = hashlib.sha256(
            get("/call-records/file", {"filename": name}).content
        ).digest()
        bodies[f"stt {name}"] = get("/call-records/file/stt", {"filename": name}).content
    return bodies


def _over_http(mock: MockProcess) -> dict[str, bytes]:
    with httpx.Client(headers={"Authorization": mock.access_token}, timeout=60) as client:
        return _answers(lambda path, params: client.get(mock.api_url + path, params=params))


@pytest.mark.slow
def test_two_processes_with_one_seed_and_now_answer_byte_for_byte() -> None:
    args = ("--seed", "11", "--history-days", "3")
    with running_mock(*args) as first, running_mock(*args) as second:
        assert first.access_token != second.access_token  # two processes, two secrets
        one, two = _over_http(first), _over_http(second)
    assert one.keys() == two.keys()
    different = [name for name in one if one[name] != two[name]]
    assert different == []


def _in_process(monkeypatch: pytest.MonkeyPatch, wall_now: float) -> dict[str, bytes]:
    monkeypatch.setattr(time, "time", lambda: wall_now)  # what the mock's clock reads
    pbx = Pbx(pinned_config(seed=11, history_days=3))
    try:
        with TestClient(create_app(pbx), headers=CONTROL) as client:
            token = client.post("/mock/tokens").json()["accessToken"]
            client.headers["Authorization"] = token
            return _answers(lambda path, params: client.get("/crm/openapi" + path, params=params))
    finally:
        pbx.close()


def test_the_wall_date_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    today = _in_process(monkeypatch, 1_795_000_000.0)  # 2026-11
    years_later = _in_process(monkeypatch, 2_100_000_000.0)  # 2036-07
    assert today == years_later
