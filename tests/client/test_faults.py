"""The generated client against the mock's injected faults, over a real socket.

Each test takes a company of its own (`POST /mock/companies`), so that its fault rules and its
clock touch nothing else in the shared mock process.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from tele2_ats_client import RefreshingClient, RetryPolicy, Tele2Ats, TokenPair, errors

from tests.conftest import CONTROL
from tests.mock_process import MockProcess, running_mock

pytestmark = pytest.mark.slow

# No waiting between attempts: the rules answer Retry-After: 0.
RETRY = RetryPolicy(attempts=3, backoff=0, jitter=False)


@pytest.fixture(scope="module")
def mock() -> Iterator[MockProcess]:
    with running_mock("--history-days", "1") as process:
        yield process


@pytest.fixture
def control(mock: MockProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=mock.base_url + "/mock", headers=CONTROL) as client:
        yield client


@pytest.fixture
def company(control: httpx.Client) -> dict[str, Any]:
    response = control.post("/companies")
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def client_for(mock: MockProcess, company: dict[str, Any], **options: Any) -> RefreshingClient:
    return RefreshingClient(
        base_url=mock.api_url,
        access_token=company["accessToken"],
        refresh_token=company["refreshToken"],
        **options,
    )


def add_fault(control: httpx.Client, **rule: Any) -> None:
    response = control.post("/faults", json=rule)
    assert response.status_code == 201, response.text


def statuses(control: httpx.Client, company: dict[str, Any], **filters: Any) -> list[int | None]:
    response = control.get("/requests", params={"companyId": company["companyId"], **filters})
    assert response.status_code == 200, response.text
    return [entry["status"] for entry in reversed(response.json()["requests"])]


@pytest.mark.parametrize("status", [503, 429])
def test_retry_policy_comes_back_after_503_and_429(
    mock: MockProcess, control: httpx.Client, company: dict[str, Any], status: int
) -> None:
    add_fault(
        control,
        companyId=company["companyId"],
        operationId="getEmployees",
        status=status,
        retryAfter=0,
        times=2,
    )
    with client_for(mock, company, retry=RETRY) as client:
        employees = Tele2Ats(client).get_employees()
    assert employees, "the third attempt got the employees"
    assert statuses(control, company, operationId="getEmployees") == [status, status, 200]


def test_without_a_retry_policy_the_503_is_an_error(
    mock: MockProcess, control: httpx.Client, company: dict[str, Any]
) -> None:
    add_fault(control, companyId=company["companyId"], status=503, times=1)
    with client_for(mock, company) as client, pytest.raises(errors.ApiError) as failed:
        Tele2Ats(client).get_employees()
    assert failed.value.status_code == 503
    assert "Service Unavailable" in failed.value.message


def test_forced_token_expiry_is_refreshed_once_and_retried(
    mock: MockProcess, control: httpx.Client, company: dict[str, Any]
) -> None:
    company_id = company["companyId"]
    preset = control.post("/faults/presets/token-expiry", json={"companyId": company_id})
    assert preset.status_code == 201, preset.text
    # On the frozen clock a refresh in the second the pair was issued hands back that pair.
    moved = control.post(f"/companies/{company_id}/clock/advance", json={"seconds": 1})
    assert moved.status_code == 200, moved.text
    saved: list[TokenPair] = []
    with client_for(mock, company, on_tokens_refreshed=saved.append) as client:
        employees = Tele2Ats(client).get_employees()
        managers = Tele2Ats(client).get_managers()
    assert employees
    assert isinstance(managers, list)
    assert len(saved) == 1, "one refresh"
    assert saved[0].access_token != company["accessToken"]
    assert statuses(control, company) == [403, 200, 200, 200], "expired, refresh, retry, next"


def test_dropped_connection_is_a_transport_error_for_the_client(
    mock: MockProcess, control: httpx.Client, company: dict[str, Any]
) -> None:
    add_fault(control, companyId=company["companyId"], operationId="getEmployees", drop=True)
    with client_for(mock, company, retry=RETRY) as client:
        api = Tele2Ats(client)
        with pytest.raises(httpx.TransportError):
            api.get_employees()
        assert isinstance(api.get_managers(), list), "the next call is served"
    assert statuses(control, company, operationId="getEmployees") == [None]
