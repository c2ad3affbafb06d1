"""The real service held to the spec: read-only by default, writes and calls only when asked.

Every GET operation is fuzzed (a few examples each, `TELE2_ATS_EXAMPLES`) with every check.
With `TELE2_ATS_ALLOW_WRITES=1` a manager and a blacklist entry are created, changed and
removed; only the run's own (a marker name, a fresh test number), and cleaned up whatever
happens. Clearing the blacklist and placing a call need their own opt-ins off loopback
(see `config.py`); the guard refuses them otherwise, whatever a test does.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis

from contract_tests.real import current
from contract_tests.real.session import RealSession

SESSION = current.session()
REASON = SESSION.config.missing_credentials()
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")

# Reads only. (`exclude`, not `include`: with `[[operations]]` entries in the config,
# Schemathesis's `include` selects every operation.)
READS = SESSION.schema.exclude(method=["POST", "PUT", "DELETE"])


@pytest.fixture(scope="module")
def real() -> RealSession:
    SESSION.start()
    return SESSION


@READS.parametrize()
def test_reads_follow_the_spec(case: schemathesis.Case[Any], real: RealSession) -> None:
    real.run_case(case)


def _writes(real: RealSession) -> None:
    if not real.config.allow_writes:
        pytest.skip("read-only run (TELE2_ATS_ALLOW_WRITES=1 creates and removes test data)")


def _test_number(real: RealSession, taken: set[str]) -> str:
    rng = random.Random(real.ledger.run_id)
    while True:
        number = f"7999{rng.randrange(10**7):07d}"
        if number not in taken:
            return number


@pytest.fixture
def marker(real: RealSession) -> Iterator[str]:
    """The name of the run's test manager; whatever happens, managers so named are deleted."""
    name = f"contract-test {real.ledger.run_id[:12]}"
    yield name
    if real.config.allow_writes:
        for manager in real.request("GET", "/managers").json():
            if manager.get("name") == name:
                real.request(
                    "DELETE",
                    "/managers/{id}",
                    expect=(200, 404),
                    path_parameters={"id": manager["id"]},
                )


def test_manager_lifecycle(real: RealSession, marker: str) -> None:
    _writes(real)
    employees = [e for e in real.request("GET", "/employees").json() if "employeeId" in e]
    assert employees, "the company has no employees to make a manager of"
    taken = {
        c["realNumber"]
        for m in real.request("GET", "/managers").json()
        for c in m.get("customers", [])
    }
    number = _test_number(real, taken)
    body: dict[str, Any] = {
        "employeeId": employees[0]["employeeId"],
        "name": marker,
        "customers": [{"realNumber": number, "isVip": False, "name": marker}],
        "handleAllCustomers": False,
    }
    saved = real.request("POST", "/managers", body=body, media_type="application/json").json()
    assert saved == "SUCCESS", saved
    [mine] = [m for m in real.request("GET", "/managers").json() if m.get("name") == marker]
    assert real.request("GET", "/managers/{id}", path_parameters={"id": mine["id"]}).json() == mine
    changed = {
        **mine,
        "customers": [{**mine["customers"][0], "info": "updated by the contract tests"}],
    }
    assert (
        real.request("PUT", "/managers", body=changed, media_type="application/json").json()
        == "SUCCESS"
    )
    after = real.request("GET", "/managers/{id}", path_parameters={"id": mine["id"]}).json()
    assert after["customers"][0]["info"] == "updated by the contract tests"
    assert after["customers"][0]["id"] == mine["customers"][0]["id"], "a kept customer keeps its id"
    real.request("DELETE", "/managers/{id}", path_parameters={"id": mine["id"]})
    real.request("GET", "/managers/{id}", expect=404, path_parameters={"id": mine["id"]})


def test_blacklist_lifecycle(real: RealSession) -> None:
    _writes(real)
    listed = {e["number"] for e in real.request("GET", "/blacklist").json()}
    number = _test_number(real, listed)
    try:
        assert (
            real.request("POST", "/blacklist", body=number, media_type="text/plain").json()
            == "SUCCESS"
        )
        assert number in {e["number"] for e in real.request("GET", "/blacklist").json()}
        duplicate = real.request("POST", "/blacklist", body=number, media_type="text/plain").json()
        assert duplicate == "DUPLICATE_BLACK_LIST_NUMBER"
    finally:
        removed = real.request(
            "DELETE", "/blacklist/by-msisdn/{msisdn}", path_parameters={"msisdn": number}
        )
    assert removed.json() == "SUCCESS"
    assert number not in {e["number"] for e in real.request("GET", "/blacklist").json()}
    # Deleting a number that is not listed is SUCCESS too (D15).
    again = real.request(
        "DELETE", "/blacklist/by-msisdn/{msisdn}", path_parameters={"msisdn": number}
    )
    assert again.json() == "SUCCESS"


def test_click_to_call(real: RealSession) -> None:
    config = real.config
    _writes(real)
    if config.is_loopback:
        source = next(
            e["fullNumber"] for e in real.request("GET", "/employees").json() if "fullNumber" in e
        )
        destination = "79160000000"
    elif config.allow_calls and config.call_source and config.call_destination:
        source, destination = config.call_source, config.call_destination
    else:
        pytest.skip(
            "no call off loopback without TELE2_ATS_ALLOW_CALLS=1, "
            "TELE2_ATS_CALL_SOURCE and TELE2_ATS_CALL_DESTINATION"
        )
    real.request("POST", "/call/outgoing", query={"source": source, "destination": destination})
    calls = real.request("GET", "/monitoring/calls").json()
    assert any(source in (c.get("callerNumberFull"), c.get("calledNumberFull")) for c in calls), (
        calls
    )


def test_clear_blacklist_and_restore(real: RealSession) -> None:
    config = real.config
    _writes(real)
    if not config.is_loopback and config.allow_blacklist_clear is None:
        pytest.skip(
            "no DELETE /blacklist/all off loopback "
            "without TELE2_ATS_ALLOW_BLACKLIST_CLEAR=<companyId>"
        )
    before = real.request("GET", "/blacklist").json()
    if not config.is_loopback and any(entry["sourceType"] != "MANUAL" for entry in before):
        pytest.skip("the blacklist holds FILE entries, which the API cannot restore after a clear")
    try:
        assert real.request("DELETE", "/blacklist/all").json() == "SUCCESS"
        assert real.request("GET", "/blacklist").json() == []
    finally:
        for entry in before:
            real.request(
                "POST", "/blacklist", expect=200, body=entry["number"], media_type="text/plain"
            )
    # (Re-added numbers are MANUAL: on loopback the mock's FILE entries come back as MANUAL.)
    assert {e["number"] for e in real.request("GET", "/blacklist").json()} == {
        e["number"] for e in before
    }
