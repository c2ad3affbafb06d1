"""Issue 26's "done when", as a vendor meets it: a test file of theirs loads a tenant file through
the plugin's marker, sees its employees, pages through its pasted call records, downloads a
recording that speaks the file's transcript, and watches the scenario's call wait in the queue
and be answered as the clock advances; a file with three mistakes fails the test with all
three named, and the mock holds nothing of it."""

from __future__ import annotations

import textwrap

import pytest

from tests.pinned import PINNED_NOW

pytestmark = pytest.mark.slow

# The customer's company, as a vendor writes it (YAML), the mock pinned at 2026-03-04T12:00Z.
TENANT = """\
format: tele2-ats-tenant/1
company: {name: "ООО «Ромашка»", mainNumber: "74951112233"}
employees:
  - {employeeId: 1, name: Анна, surname: Иванова, fullNumber: "79160000001", shortNumber: "0001"}
  - {employeeId: 2, name: Борис, surname: Петров, fullNumber: "79160000002", shortNumber: "0002"}
  - {employeeId: 3, name: Вера, fullNumber: "79160000003", shortNumber: "0003"}
queues:
  - {name: Продажи, members: [2]}
# Pasted from the real GET /call-records/info.
callRecords:
  - {"date": "2026-03-03T07:10:00.000Z", "callType": "SINGLE_CHANNEL",
     "destinationNumber": "79160000001", "callerNumber": "79001234567",
     "calleeNumber": "79160000001", "calleeName": "Анна Иванова", "callDuration": 45,
     "conversationDuration": 30, "callStatus": "ANSWERED_COMMON",
     "recordFileName": "2026-03-03/177252180000012345",
     "uuid": "c0ffee00-0000-4000-8000-000000000001"}
  - {"date": "2026-03-03T08:00:00.000Z", "callType": "MULTI_CHANNEL",
     "destinationNumber": "74951112233", "callerNumber": "79001234568",
     "calleeNumber": "74951112233", "callDuration": 20, "callStatus": "NOT_ANSWERED_COMMON",
     "recordFileName": ""}
  - {"date": "2026-03-03T09:00:00.000Z", "callType": "OUTGOING",
     "destinationNumber": "79001234569", "callerNumber": "79160000002",
     "calleeNumber": "79001234569", "callDuration": 5, "callStatus": "DESTINATION_BUSY",
     "recordFileName": ""}
recordings:
  "2026-03-03/177252180000012345":
    sentences:
      - {channel: B, text: "Компания Ромашка, Анна, здравствуйте."}
      - {channel: A, text: "Добрый день, я по поводу заказа."}
scenario:
  - {at: 5, from: "79001234567", queue: Продажи, answeredBy: "0002", answerAt: 25,
     hangupAt: "2:10"}
"""

BROKEN = """\
format: tele2-ats-tenant/1
employees:
  - {employeeId: 1, fullNumber: "89160000001"}
  - {employeeId: 1}
managers:
  - {employeeId: 77}
"""

VENDOR_TESTS = """
import httpx
import pytest

WINDOW = {"start": "2026-03-03T00:00:00+03:00", "end": "2026-03-04T00:00:00+03:00"}


def _get(tele2_ats, path, **params):
    answer = httpx.get(tele2_ats.api_url + path, headers=tele2_ats.headers, params=params)
    assert answer.status_code == 200, answer.text
    return answer


@pytest.mark.tele2_ats(tenant="tenant.yaml")
def test_my_crm_against_the_customers_company(tele2_ats):
    employees = _get(tele2_ats, "/employees").json()
    assert [e["name"] for e in employees] == ["Анна", "Борис", "Вера"]

    pages = [_get(tele2_ats, "/call-records/info", **WINDOW, page=n, size=2).json()
             for n in range(3)]
    assert [len(page) for page in pages] == [2, 1, 0]
    assert pages[0][0]["uuid"] == "c0ffee00-0000-4000-8000-000000000001"
    assert pages[1][0]["callStatus"] == "DESTINATION_BUSY"

    name = pages[0][0]["recordFileName"]
    mp3 = _get(tele2_ats, "/call-records/file", filename=name)
    assert mp3.headers["content-type"].startswith("audio/mpeg") and len(mp3.content) > 1000
    words = [w["word"] for w in _get(tele2_ats, "/call-records/file/stt", filename=name).json()]
    assert words == ["компания", "ромашка", "анна", "здравствуйте",
                     "добрый", "день", "я", "по", "поводу", "заказа"]

    assert _get(tele2_ats, "/monitoring/calls/pending").json() == []
    tele2_ats.advance(10)
    assert _get(tele2_ats, "/monitoring/calls/pending").json() == [
        {"queueName": "Продажи", "calls": ["79001234567"]}]
    tele2_ats.advance(20)
    assert _get(tele2_ats, "/monitoring/calls/pending").json() == []
    (call,) = _get(tele2_ats, "/monitoring/calls").json()
    assert call["calledNumberFull"] == "79160000002"
    tele2_ats.advance(120)
    assert _get(tele2_ats, "/monitoring/calls").json() == []


@pytest.mark.tele2_ats(tenant="broken.yaml")
def test_a_file_with_three_mistakes(tele2_ats):
    pass


def test_the_refused_file_left_nothing(tele2_ats_mock):
    assert tele2_ats_mock.control.health().companies == (391, 392)
"""


def test_a_vendor_loads_a_tenant_file_through_the_marker(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", tenant=TENANT, broken=BROKEN)
    pytester.makepyfile(test_vendor=textwrap.dedent(VENDOR_TESTS))
    pytester.makeini("[pytest]\naddopts =\n")
    result = pytester.runpytest_subprocess("--tele2-ats-now", PINNED_NOW.isoformat(), timeout=300)
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*3 problem(s) in the tenant file*",
            "*/employees/0/fullNumber (line 3, column *): expected 7XXXXXXXXXX*",
            "*/employees/1/employeeId (line 4, column *): employeeId 1 is given twice*",
            "*/managers/0/employeeId (line 6, column *): employee 77 is not an employee*",
        ]
    )
