"""A vendor's test file that uses only the plugin and the matchers, run by pytest under xdist:
it asserts what its CRM sent (a click-to-call's destination, a blacklist body, a header, a JSON
body) and uses the tenant's shortcuts (faults, outage, next calls, settle) without naming its
company; a wrong expectation fails naming the field that missed."""

from __future__ import annotations

import textwrap

import pytest

from tests.pinned import PINNED_NOW

pytestmark = pytest.mark.slow

VENDOR_TESTS = '''
import httpx
import pytest

from mock_server.testing.matchers import contains, equal_to_json, json_path, matches


def crm(tele2_ats):
    """The vendor's CRM code under test, reduced to its HTTP calls."""
    return httpx.Client(
        base_url=tele2_ats.api_url,
        headers={**tele2_ats.headers, "X-Crm-Request-Id": "crm-1042"},
    )


def employee(http):
    return next(e for e in http.get("/employees").json() if "fullNumber" in e)


def test_click_to_call_goes_to_the_clients_number(tele2_ats):
    with crm(tele2_ats) as http:
        source = employee(http)["fullNumber"]
        params = {"source": source, "destination": "79165554433"}
        assert http.post("/call/outgoing", params=params).status_code == 200
    [call] = tele2_ats.assert_called(
        operation_id="initiateCall",
        query={"destination": "79165554433", "source": matches(r"7\\d{10}")},
        headers={"x-crm-request-id": matches("crm-[0-9]+")},
    )
    assert call.query["destination"] == "79165554433"
    assert call.headers["X-CRM-Request-Id"] == "crm-1042"
    tele2_ats.assert_no_advisories()


def test_the_blacklist_gets_the_number_as_text(tele2_ats):
    with crm(tele2_ats) as http:
        http.post("/blacklist", content="79998887766", headers={"Content-Type": "text/plain"})
    tele2_ats.assert_called(operation_id="addToBlacklist", body="79998887766", times=1)
    tele2_ats.assert_called(headers={"Content-Type": contains("text/plain")})


def test_a_manager_is_sent_as_json(tele2_ats):
    with crm(tele2_ats) as http:
        staff = employee(http)
        customer = {"realNumber": "79990001122", "companyName": "Romashka", "isVip": True}
        manager = {"name": "Petrov", "employeeId": staff["employeeId"]}
        manager.update(handleAllCustomers=False, customers=[customer])
        assert http.post("/managers", json=manager).status_code == 200
    [sent] = tele2_ats.assert_called(
        operation_id="createManager",
        json=equal_to_json({"name": "Petrov"}, ignore_extra_elements=True),
        json_path={"$.customers[0].realNumber": "79990001122", "$.customers[0].isVip": True},
    )
    assert sent.json["customers"][0]["companyName"] == "Romashka"
    tele2_ats.assert_called(json=json_path("$.customers[*].isVip", "true"))


def test_the_crm_survives_an_outage_and_retries(tele2_ats):
    tele2_ats.faults.add(operation_id="getEmployees", status=503, times=1)
    with crm(tele2_ats) as http:
        assert http.get("/employees").status_code == 503
        assert http.get("/employees").status_code == 200
        tele2_ats.outage(5)
        assert http.get("/managers").status_code == 503
        assert len(tele2_ats.faults.list()) == 2
        tele2_ats.faults.clear()
        assert tele2_ats.faults.list() == []
        assert http.get("/managers").status_code == 200
    tele2_ats.assert_called(operation_id="getEmployees", status=503, times=1)
    assert [r.status for r in tele2_ats.requests(operation_id="getEmployees")] == [200, 503]
    assert [r.status for r in tele2_ats.requests(operation_id="getManagers")] == [200, 503]


def test_calls_end_as_queued(tele2_ats):
    tele2_ats.next_calls(outcome="not_answered", count=2)
    with crm(tele2_ats) as http:
        source = employee(http)["fullNumber"]
        params = {"source": source, "destination": "79165554433"}
        assert http.post("/call/outgoing", params=params).status_code == 200
    assert tele2_ats.settle() >= 1
    assert len(tele2_ats.control.call_outcomes(tele2_ats.company_id)) == 1


def test_a_wrong_destination_names_the_field(tele2_ats):
    with crm(tele2_ats) as http:
        source = employee(http)["fullNumber"]
        http.post("/call/outgoing", params={"source": source, "destination": "79165554433"})
    tele2_ats.assert_called(operation_id="initiateCall", query={"destination": "79165554434"})
'''


def test_a_vendor_asserts_what_its_crm_sent_with_the_plugin_and_matchers_under_xdist(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_vendor=textwrap.dedent(VENDOR_TESTS))
    pytester.makeini("[pytest]\naddopts =\n")  # the suite's own options are not the vendor's
    result = pytester.runpytest_subprocess(
        "-n", "2", "--tele2-ats-now", PINNED_NOW.isoformat(), timeout=300
    )
    result.assert_outcomes(passed=5, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*requests matching companyId=*, operationId='initiateCall'*: at least 1, got 0*",
            "*query.destination: wanted 79165554434, got 79165554433*",
        ]
    )
