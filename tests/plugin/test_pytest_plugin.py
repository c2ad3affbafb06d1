"""The pytest plugin as a vendor meets it: a test file of theirs, run by pytest in a subprocess.

The plugin is installed with the mock (entry point `pytest11`), so the vendor's file needs no
import and no conftest. Runs with and without pytest-xdist.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from mock_server.testing.process import MockServer
from tests.pinned import PINNED_NOW

pytestmark = pytest.mark.slow

# What a vendor writes: ten lines that use the fixtures.
VENDOR_TESTS = """
import httpx
from tele2_ats_client.api.employees import get_employees


def test_my_crm_lists_employees(tele2_ats):
    with tele2_ats.client() as client:
        employees = get_employees.sync(client=client)
    assert employees and all(e.employee_id for e in employees)


def test_tokens_expire_after_a_day(tele2_ats):
    tele2_ats.advance(86400)
    answer = httpx.get(tele2_ats.api_url + "/employees", headers=tele2_ats.headers)
    assert answer.status_code == 403
    assert answer.json() == {"details": "The token is expired"}


def test_the_session_mock_is_shared(tele2_ats_mock, tele2_ats):
    assert tele2_ats.company_id in tele2_ats_mock.control.health().companies
"""

# Two tests that must not disturb each other while they run at the same time on one mock:
# one moves its company's clock two days on, the other's token must keep working meanwhile.
PARALLEL_TESTS = """
import os, time
from pathlib import Path

import httpx

BARRIER = Path(os.environ["BARRIER"])


def _wait(name):
    deadline = time.monotonic() + 60
    while not (BARRIER / name).exists():
        assert time.monotonic() < deadline, f"{name} never came: the tests did not overlap"
        time.sleep(0.05)


def test_moves_its_clock(tele2_ats):
    (BARRIER / "a-started").touch()
    _wait("b-started")
    tele2_ats.advance(2 * 86400)
    (BARRIER / "a-advanced").touch()
    expired = httpx.get(tele2_ats.api_url + "/employees", headers=tele2_ats.headers)
    assert expired.status_code == 403
    _wait("b-checked")


def test_keeps_its_token(tele2_ats):
    (BARRIER / "b-started").touch()
    _wait("a-advanced")
    answer = httpx.get(tele2_ats.api_url + "/employees", headers=tele2_ats.headers)
    assert answer.status_code == 200, answer.text
    (BARRIER / "b-checked").touch()
"""


# A vendor's file where one test puts its own company out of service and the others only read
# and poll once each: nothing of one test's company may reach the next test's (issue 22: the
# outage made the next 9 tests fail, the poll of one test made the next one's advisory).
# Each test notes its company and token, to show that none is handed out twice.
TENANT_TESTS = """
import json, os
from pathlib import Path

import httpx
import pytest

SEEN = Path(os.environ["SEEN"])


def _get(tele2_ats, path):
    return httpx.get(tele2_ats.api_url + path, headers=tele2_ats.headers)


@pytest.fixture(autouse=True)
def note(request, tele2_ats):
    seen = {"mock": tele2_ats.mock.base_url, "company": tele2_ats.company_id,
            "token": tele2_ats.access_token}
    (SEEN / (request.node.name + ".json")).write_text(json.dumps(seen))


def test_a_puts_its_company_out_of_service(tele2_ats):
    tele2_ats.control.outage(minutes=5, company_id=tele2_ats.company_id)
    assert _get(tele2_ats, "/employees").status_code == 503
    tele2_ats.control.slow_recordings(9000, company_id=tele2_ats.company_id)


def test_b_reads(tele2_ats):
    answer = _get(tele2_ats, "/employees")
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize("n", range(6))
def test_c_polls_once(tele2_ats, n):
    assert _get(tele2_ats, "/monitoring/calls").status_code == 200
    assert _get(tele2_ats, "/employees").status_code == 200
    tele2_ats.assert_no_advisories()
    tele2_ats.control.assert_no_advisories(company_id=tele2_ats.company_id)
    tele2_ats.assert_called(operation_id="getCurrentCalls", times=1)
"""


def _run(pytester: pytest.Pytester, source: str, *args: str) -> pytest.RunResult:
    pytester.makepyfile(test_vendor=textwrap.dedent(source))
    # The suite's own options (pyproject's addopts) are not the vendor's.
    pytester.makeini("[pytest]\naddopts =\n")
    return pytester.runpytest_subprocess(*args, timeout=300)


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_a_vendors_tests_use_the_fixtures(pytester: pytest.Pytester, workers: list[str]) -> None:
    result = _run(pytester, VENDOR_TESTS, "--tele2-ats-now", PINNED_NOW.isoformat(), *workers)
    result.assert_outcomes(passed=3)


def test_nothing_starts_unless_a_test_asks(pytester: pytest.Pytester) -> None:
    result = _run(
        pytester,
        "def test_plain():\n    assert True\n",
        "--tele2-ats-args=--this-option-does-not-exist",  # a mock started so would fail
    )
    result.assert_outcomes(passed=1)


def test_a_bad_option_fails_with_the_mocks_own_words(pytester: pytest.Pytester) -> None:
    result = _run(pytester, VENDOR_TESTS, "--tele2-ats-now", "yesterday")
    result.assert_outcomes(errors=3)
    result.stdout.fnmatch_lines(["*tele2-ats-mock ended with status 2*", "*--now*yesterday*"])


def test_parallel_tests_on_one_mock_do_not_disturb_each_other(
    pytester: pytest.Pytester, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    monkeypatch.setenv("BARRIER", str(barrier))
    with MockServer.start(now=PINNED_NOW.isoformat(), frozen=True) as shared:
        result = _run(pytester, PARALLEL_TESTS, "-n", "2", "--tele2-ats-url", shared.base_url)
        result.assert_outcomes(passed=2)
        # Both tenants are gone afterwards; the shared mock's own companies remain.
        assert set(shared.control.health().companies) == {391, 392}


# A test that leaves a request held by a 45 s delay rule in flight when the session ends.
SLOW_REQUEST_LEFT_BEHIND = """
import threading, time

import httpx


def test_leaves_a_delayed_request_in_flight(tele2_ats):
    rule = tele2_ats.control.add_fault(operation_id="getEmployees", delay_ms=45000)
    url, headers = tele2_ats.api_url + "/employees", tele2_ats.headers
    threading.Thread(target=lambda: httpx.get(url, headers=headers, timeout=60)).start()
    while tele2_ats.control.fault(rule.id).fired == 0:
        time.sleep(0.02)
"""


def test_the_session_mock_stops_without_sigkill_and_leaves_no_files(
    pytester: pytest.Pytester, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))  # the vendor's pytest and the mock it starts
    result = _run(pytester, SLOW_REQUEST_LEFT_BEHIND, "--tele2-ats-now", PINNED_NOW.isoformat())
    result.assert_outcomes(passed=1)
    # A mock stopped by SIGKILL (after 15 s) would have left its temporary database here.
    assert list(temp.iterdir()) == []


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_nothing_of_one_tests_company_reaches_the_next(
    pytester: pytest.Pytester, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: list[str]
) -> None:
    seen = tmp_path / "seen"
    seen.mkdir()
    monkeypatch.setenv("SEEN", str(seen))
    result = _run(
        pytester,
        TENANT_TESTS,
        *("--tele2-ats-now", PINNED_NOW.isoformat(), "--tele2-ats-frozen"),
        "--tele2-ats-args=--history-days 1",
        *workers,
    )
    result.assert_outcomes(passed=8)
    by_mock: dict[str, list[dict[str, Any]]] = {}
    for noted in seen.iterdir():
        entry = json.loads(noted.read_text())
        by_mock.setdefault(entry["mock"], []).append(entry)
    assert sum(len(entries) for entries in by_mock.values()) == 8
    for entries in by_mock.values():
        assert len({e["company"] for e in entries}) == len(entries), "an id handed out twice"
        assert len({e["token"] for e in entries}) == len(entries), "a token handed out twice"
