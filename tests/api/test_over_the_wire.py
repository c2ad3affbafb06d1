"""Tests against the mock as a separate process: the CLI, concurrency, persistence."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.mock_process import MockProcess, running_mock

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def mock() -> Iterator[MockProcess]:
    with running_mock("--seed", "3", "--history-days", "2") as process:
        yield process


def test_cli_prints_urls_and_a_working_token(mock: MockProcess) -> None:
    assert f"Swagger UI:  {mock.api_url}/ui/" in mock.banner
    response = httpx.get(mock.api_url + "/employees", headers={"Authorization": mock.access_token})
    assert response.status_code == 200, response.text
    assert httpx.get(mock.api_url + "/ui/").status_code == 200


def _token(mock: MockProcess, company_id: int) -> str:
    response = httpx.post(mock.base_url + "/mock/tokens", json={"companyId": company_id})
    assert response.status_code == 200, response.text
    token: str = response.json()["accessToken"]
    return token


def test_fifty_parallel_adds_of_one_number_give_one_success(mock: MockProcess) -> None:
    token = _token(mock, 801)
    headers = {"Authorization": token, "Content-Type": "text/plain"}

    def add(_: int) -> str:
        with httpx.Client(timeout=30) as client:
            response = client.post(
                mock.api_url + "/blacklist", content="79995550001", headers=headers
            )
        assert response.status_code == 200, response.text
        result: str = response.json()
        return result

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(add, range(50)))
    assert results.count("SUCCESS") == 1
    assert results.count("DUPLICATE_BLACK_LIST_NUMBER") == 49


def test_twenty_managers_claiming_one_customer_give_one_success(mock: MockProcess) -> None:
    token = _token(mock, 802)
    headers = {"Authorization": token}
    employees = httpx.get(mock.api_url + "/employees", headers=headers).json()
    employee_id = next(e["employeeId"] for e in employees if "fullNumber" in e)

    def create(i: int) -> str:
        body = {
            "employeeId": employee_id,
            "name": f"Менеджер {i}",
            "handleAllCustomers": False,
            "customers": [{"realNumber": "79995550002", "isVip": False}],
        }
        with httpx.Client(timeout=30) as client:
            response = client.post(mock.api_url + "/managers", json=body, headers=headers)
        assert response.status_code == 200, response.text
        result: str = response.json()
        return result

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(create, range(20)))
    assert results.count("SUCCESS") == 1
    assert results.count("CUSTOMER_ALREADY_ASSIGNED") == 19
    managers = httpx.get(mock.api_url + "/managers", headers=headers).json()
    owners = [m for m in managers if any(c["realNumber"] == "79995550002" for c in m["customers"])]
    assert len(owners) == 1


def test_state_file_keeps_state_across_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite3"
    with running_mock("--state-file", str(state), "--history-days", "1") as first:
        headers = {"Authorization": first.access_token}
        added = httpx.post(first.api_url + "/blacklist", content="79995550003", headers=headers)
        assert added.json() == "SUCCESS"
        advanced = httpx.post(first.base_url + "/mock/clock/advance", json={"seconds": 3600})
        now = advanced.json()["now"]
    with running_mock("--state-file", str(state), "--history-days", "1") as second:
        headers = {"Authorization": second.access_token}
        numbers = {
            e["number"] for e in httpx.get(second.api_url + "/blacklist", headers=headers).json()
        }
        assert "79995550003" in numbers
        # The stored clock (frozen, an hour past the pinned instant) holds, not --now.
        clock = httpx.get(second.base_url + "/mock/clock").json()
        assert (clock["now"], clock["frozen"]) == (now, True)
        health = httpx.get(second.base_url + "/mock/health").json()
        assert health["stateFile"] == str(state)


def test_without_state_file_every_start_is_fresh(mock: MockProcess) -> None:
    _token(mock, 803)
    assert 803 in httpx.get(mock.base_url + "/mock/health").json()["companies"]
    with running_mock("--seed", "3", "--history-days", "2") as other:
        assert 803 not in httpx.get(other.base_url + "/mock/health").json()["companies"]
