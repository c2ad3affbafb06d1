"""The typed control client's test-double methods and assertion helpers, against a mock process.

Each test works in a company of its own, as a vendor's tests would with the `tele2_ats`
fixture, so the journal patterns name that company.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from mock_server.testing.control import Company, ControlClient, ControlError
from tests.mock_process import MockProcess, running_mock

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def mock() -> Iterator[MockProcess]:
    with running_mock("--history-days", "1") as process:
        yield process


@pytest.fixture
def control(mock: MockProcess) -> ControlClient:
    return mock.control


@pytest.fixture
def company(control: ControlClient) -> Iterator[Company]:
    created = control.create_company()
    yield created
    control.delete_company(created.company_id)


def get(mock: MockProcess, company: Company, path: str) -> httpx.Response:
    return httpx.get(mock.api_url + path, headers={"Authorization": company.access_token})


def test_assert_called_returns_the_matching_requests(
    mock: MockProcess, control: ControlClient, company: Company
) -> None:
    get(mock, company, "/employees")
    get(mock, company, "/managers")
    [request] = control.assert_called(
        operation_id="getEmployees", company_id=company.company_id, times=1
    )
    assert (request.path, request.status, request.company_id) == (
        "/employees",
        200,
        company.company_id,
    )
    control.assert_not_called(operation_id="getBlacklist", company_id=company.company_id)


def test_a_failed_assertion_shows_the_closest_requests(
    mock: MockProcess, control: ControlClient, company: Company
) -> None:
    get(mock, company, "/employees")
    with pytest.raises(AssertionError) as failed:
        control.assert_called(
            operation_id="getEmployees", company_id=company.company_id, status=503, times=2
        )
    message = str(failed.value)
    assert "exactly 2, got 0" in message, message
    assert "closest requests that do not match:" in message, message
    assert "GET /employees -> 200" in message, message
    assert "status: wanted 503, got 200" in message, message


def test_assert_no_advisories_names_them(
    mock: MockProcess, control: ControlClient, company: Company
) -> None:
    control.assert_no_advisories(company_id=company.company_id)
    httpx.get(
        mock.api_url + "/employees", headers={"Authorization": "Bearer " + company.access_token}
    )
    with pytest.raises(AssertionError, match="BEARER_PREFIX") as failed:
        control.assert_no_advisories(company_id=company.company_id)
    assert "guide 4" in str(failed.value), str(failed.value)


def test_fault_rules_through_the_typed_client(
    mock: MockProcess, control: ControlClient, company: Company
) -> None:
    rule = control.add_fault(
        operation_id="getEmployees", company_id=company.company_id, status=503, times=2
    )
    statuses = [get(mock, company, "/employees").status_code for _ in range(3)]
    assert statuses == [503, 503, 200]
    assert (control.fault(rule.id).fired, control.fault(rule.id).remaining) == (2, 0)
    requests = control.requests(operation_id="getEmployees", company_id=company.company_id)
    assert [r.fault is not None for r in requests] == [False, True, True], "newest first"
    delay = control.slow_recordings(1500, company_id=company.company_id)
    assert delay.fields["operationId"] == "getCallRecordFile"
    outage = control.outage(2, company_id=company.company_id, retry_after=30)
    assert get(mock, company, "/managers").headers["retry-after"] == "30"
    control.delete_fault(outage.id)
    assert rule.id in {r.id for r in control.faults()}
    # The company's rules go with it (the fixture deletes it), so nothing is left to remove.


def test_an_assertion_about_a_deleted_company_is_an_error_not_a_pass(
    control: ControlClient,
) -> None:
    gone = control.create_company()
    control.delete_company(gone.company_id)
    for check in (
        lambda: control.assert_not_called(company_id=gone.company_id),
        lambda: control.assert_no_advisories(company_id=gone.company_id),
        lambda: control.outage(5, company_id=gone.company_id),
    ):
        with pytest.raises(ControlError) as refused:
            check()
        assert refused.value.status == 404, refused.value
        assert f"Company {gone.company_id} was deleted" in str(refused.value)
    fresh = control.create_company()
    control.delete_company(fresh.company_id)
    assert fresh.company_id != gone.company_id


def test_forced_outcome_settle_and_the_calls_view(
    mock: MockProcess, control: ControlClient, company: Company
) -> None:
    queued = control.queue_call_outcome(
        "answered", company_id=company.company_id, duration_seconds=40, transcript=False
    )
    assert control.call_outcomes(company.company_id)[0]["id"] == queued.id
    employees = get(mock, company, "/employees").json()
    source = next(e["fullNumber"] for e in employees if "fullNumber" in e)
    placed = httpx.post(
        mock.api_url + "/call/outgoing",
        params={"source": source, "destination": "79533933557"},
        headers={"Authorization": company.access_token},
    )
    assert placed.status_code == 200, placed.text
    assert control.settle_calls(company.company_id) == 1
    [call] = control.calls(company.company_id)
    assert (call.state, call.fields["conversationDuration"]) == ("finished", 40)
    assert call.record_file_name
    assert call.fields["hasTranscript"] is False
    assert control.call_outcomes(company.company_id) == []
