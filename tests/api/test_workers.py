"""`--workers 2`: two processes on one socket and one state file behave as one PBX.

Each request goes over a fresh connection, so the kernel spreads them over both workers; every
assertion holds for all of them, whichever worker answered.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.mock_process import MockProcess, running_mock

pytestmark = pytest.mark.slow
ROUNDS = 16


@pytest.fixture(scope="module")
def mock() -> Iterator[MockProcess]:
    with running_mock("--workers", "2", "--history-days", "1") as process:
        yield process


def _statuses(mock: MockProcess, token: str) -> set[tuple[int, str | None]]:
    """The distinct (status, 403 details) answers of ROUNDS requests with `token`."""
    answers = set()
    for _ in range(ROUNDS):
        response = httpx.get(mock.api_url + "/employees", headers={"Authorization": token})
        details = response.json().get("details") if response.status_code == 403 else None
        answers.add((response.status_code, details))
    return answers


def _issue(mock: MockProcess, company_id: int = 391) -> dict[str, str]:
    response = httpx.post(mock.base_url + "/mock/tokens", json={"companyId": company_id})
    assert response.status_code == 200, response.text
    pair: dict[str, str] = response.json()
    return pair


def test_banner_names_the_workers(mock: MockProcess) -> None:
    assert "2 workers" in mock.banner


def test_superseded_pair_is_refused_by_every_worker(mock: MockProcess) -> None:
    old = _issue(mock)
    assert _statuses(mock, old["accessToken"]) == {(200, None)}
    httpx.post(mock.base_url + "/mock/clock/advance", json={"seconds": 1})  # a new second
    new = _issue(mock)
    superseded = (403, "The token has already been updated")
    assert _statuses(mock, old["accessToken"]) == {superseded}
    assert _statuses(mock, new["accessToken"]) == {(200, None)}


def test_clock_advance_holds_in_every_worker(mock: MockProcess) -> None:
    pair = _issue(mock, 393)
    for _ in range(4):  # four advances, served by either worker, add up
        response = httpx.post(mock.base_url + "/mock/clock/advance", json={"seconds": 6 * 3600})
        assert response.status_code == 200, response.text
    httpx.post(mock.base_url + "/mock/clock/advance", json={"seconds": 1})
    expired = (403, "The token is expired")
    assert _statuses(mock, pair["accessToken"]) == {expired}


def test_blacklist_rule_holds_across_workers(mock: MockProcess) -> None:
    token = _issue(mock, 394)["accessToken"]
    results = [
        httpx.post(
            mock.api_url + "/blacklist", content="79995551234", headers={"Authorization": token}
        ).json()
        for _ in range(ROUNDS)
    ]
    assert results.count("SUCCESS") == 1
    assert results.count("DUPLICATE_BLACK_LIST_NUMBER") == ROUNDS - 1


def test_reset_kills_old_tokens_in_every_worker(mock: MockProcess) -> None:
    token = _issue(mock, 395)["accessToken"]
    assert httpx.post(mock.base_url + "/mock/reset", json={"seed": 9}).status_code == 200
    statuses = {status for status, _ in _statuses(mock, token)}
    assert statuses == {403}
    seeds = {httpx.get(mock.base_url + "/mock/health").json()["seed"] for _ in range(ROUNDS)}
    assert seeds == {9}
