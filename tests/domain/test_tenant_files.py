"""Tenants from data, without HTTP: a company loaded from a tenant file answers as the file says,
through the same domain code as a seeded one; a bad file changes nothing and says every problem;
an export loads back into a company that answers the same."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from mock_server.domain.errors import Conflict, DocumentRefused
from mock_server.domain.pbx import Pbx, PbxConfig
from mock_server.domain.rules.tenant_reader import JsonTenantDocument
from mock_server.domain.timeutil import format_epoch_ms, to_epoch_ms
from tests.pinned import PINNED_NOW, pinned_config
from tests.tenant_files import document

FORMAT = "tele2-ats-tenant/1"
THREE = {
    "format": FORMAT,
    "employees": [
        {"employeeId": 1, "name": "Анна", "fullNumber": "79160000001", "shortNumber": "101"},
        {"employeeId": 2, "name": "Борис", "fullNumber": "79160000002", "shortNumber": "102"},
        {"employeeId": 3, "name": "Вера", "fullNumber": "79160000003", "shortNumber": "103"},
    ],
}


@pytest.fixture
def pbx() -> Iterator[Pbx]:
    pbx = Pbx(pinned_config(history_days=2, calls_per_day=20))
    yield pbx
    pbx.close()


def _record(at: str, **fields: Any) -> dict[str, Any]:
    return {
        "date": at,
        "callType": "SINGLE_CHANNEL",
        "destinationNumber": "79160000001",
        "callerNumber": "79001234567",
        "calleeNumber": "79160000001",
        "callDuration": 25,
        "callStatus": "NOT_ANSWERED_COMMON",
        "recordFileName": "",
        **fields,
    }


def test_a_file_of_three_employees_is_a_company_of_three_employees(pbx: Pbx) -> None:
    loaded = pbx.load_tenant(document(THREE))
    assert loaded.company_id == 1000
    assert pbx.employees.list(1000) == THREE["employees"]
    assert pbx.managers.list(1000) == []
    assert pbx.blacklist.list(1000) == []
    assert pbx.journal.count(1000) == 0


def test_a_file_with_three_mistakes_names_all_three_and_changes_nothing(pbx: Pbx) -> None:
    bad = {
        "format": FORMAT,
        "employees": [
            {"employeeId": 1, "fullNumber": "89160000001"},  # not 7XXXXXXXXXX
            {"employeeId": 1},  # the id again
        ],
        "managers": [{"employeeId": 77, "customers": []}],  # no employee 77
    }
    before = pbx.company_ids()
    with pytest.raises(DocumentRefused) as refused:
        pbx.load_tenant(document(json.dumps(bad, indent=2)))
    problems = refused.value.problems
    assert [p.pointer for p in problems] == [
        "/employees/0/fullNumber",
        "/employees/1/employeeId",
        "/managers/0/employeeId",
    ]
    assert refused.value.total == 3
    assert refused.value.status == 400  # the first is the schema's
    assert "7XXXXXXXXXX" in problems[0].message
    assert "given twice" in problems[1].message
    assert "not an employee" in problems[2].message
    assert all(p.line is not None for p in problems)
    assert (problems[0].line, problems[0].column) == (6, 21)
    assert pbx.company_ids() == before
    # Nothing was held either: the next company takes the id the refused file would have.
    assert pbx.load_tenant(document(THREE)).company_id == 1000


def test_only_rules_beyond_the_schema_are_a_conflict(pbx: Pbx) -> None:
    twice = {**THREE, "employees": [*THREE["employees"], THREE["employees"][0]]}
    with pytest.raises(DocumentRefused) as refused:
        pbx.load_tenant(document(twice))
    assert refused.value.status == 409
    assert {p.pointer for p in refused.value.problems} == {
        "/employees/3/employeeId",
        "/employees/3/fullNumber",
        "/employees/3/shortNumber",
    }


def test_pasted_records_page_as_the_real_journal_gave_them(pbx: Pbx) -> None:
    records = [
        _record(format_epoch_ms(to_epoch_ms(PINNED_NOW) - 3_600_000 * hour), uuid=f"u-{hour}")
        for hour in range(1, 8)
    ]
    loaded = pbx.load_tenant(document({**THREE, "callRecords": records}))
    start, end = PINNED_NOW - timedelta(days=1), PINNED_NOW
    pages = [
        pbx.journal.records(loaded.company_id, start, end, page=page, size=3) for page in range(3)
    ]
    assert [len(page) for page in pages] == [3, 3, 1]
    assert [r for page in pages for r in page] == sorted(records, key=lambda r: r["date"])


def test_generated_history_leaves_the_days_of_the_files_records_alone(pbx: Pbx) -> None:
    day_before = PINNED_NOW - timedelta(days=1)
    record = _record(format_epoch_ms(to_epoch_ms(day_before)), uuid="the-one")
    tenant = {
        **THREE,
        "generate": {"history": {"days": 3, "callsPerDay": 200}},
        "callRecords": [record],
    }
    company = pbx.load_tenant(document(tenant)).company_id
    moscow_midnight = day_before.replace(hour=21, minute=0, second=0, microsecond=0)
    if moscow_midnight > day_before:
        moscow_midnight -= timedelta(days=1)
    window = (moscow_midnight, moscow_midnight + timedelta(days=1))
    assert pbx.journal.records(company, *window, size=100) == [record]
    assert pbx.statistics.common(company, *window)["allCallCount"] == 1
    # The other days are seeded.
    assert pbx.journal.count(company) > 100


def test_a_recording_says_the_files_sentences(pbx: Pbx) -> None:
    at = to_epoch_ms(PINNED_NOW) - 3_600_000
    day = format_epoch_ms(at)[:10]
    name = f"{day}/1234567"
    record = _record(
        format_epoch_ms(at),
        callStatus="ANSWERED_COMMON",
        conversationDuration=20,
        recordFileName=name,
    )
    sentences = [
        {"channel": "B", "text": "Компания «Ромашка», здравствуйте!"},
        {"channel": "A", "text": "Мне нужен счёт", "at": 6},
    ]
    company = pbx.load_tenant(
        document({**THREE, "callRecords": [record], "recordings": {name: {"sentences": sentences}}})
    ).company_id
    words = pbx.journal.transcript(company, name)
    assert [w["word"] for w in words] == [
        "компания",
        "ромашка",
        "здравствуйте",
        "мне",
        "нужен",
        "счёт",
    ]
    assert [w["channel"] for w in words] == ["B"] * 3 + ["A"] * 3
    assert float(str(words[3]["startTime"])) >= 6


def test_a_recording_of_no_file_and_one_of_no_transcript(pbx: Pbx) -> None:
    at = to_epoch_ms(PINNED_NOW) - 3_600_000
    day = format_epoch_ms(at)[:10]
    records = [
        _record(
            format_epoch_ms(at + n),
            callStatus="ANSWERED_COMMON",
            conversationDuration=20,
            recordFileName=f"{day}/{n}",
        )
        for n in (1, 2)
    ]
    recordings = {f"{day}/1": "none", f"{day}/2": {"transcript": "none"}}
    company = pbx.load_tenant(
        document({**THREE, "callRecords": records, "recordings": recordings})
    ).company_id
    from mock_server.domain.errors import NotFound

    with pytest.raises(NotFound):
        pbx.journal.find_recording(company, f"{day}/1")
    with pytest.raises(NotFound):
        pbx.journal.transcript(company, f"{day}/1")
    assert pbx.journal.find_recording(company, f"{day}/2").size > 0
    with pytest.raises(NotFound):
        pbx.journal.transcript(company, f"{day}/2")


def test_the_scenarios_call_waits_in_the_queue_and_is_answered_as_the_clock_moves(
    pbx: Pbx,
) -> None:
    tenant = {
        **THREE,
        "queues": [{"name": "Продажи", "members": [2]}],
        "scenario": [
            {
                "at": 5,
                "from": "79001234567",
                "queue": "Продажи",
                "answeredBy": "102",
                "answerAt": 25,
                "hangupAt": "2:10",
            }
        ],
    }
    company = pbx.load_tenant(document(tenant)).company_id

    def at(seconds: float) -> tuple[list[Any], list[Any]]:
        now = PINNED_NOW + timedelta(seconds=seconds)
        return pbx.calls.pending(company, now), pbx.calls.current(company, now)

    assert at(0) == ([], [])  # not before its time
    assert at(10) == (
        [{"queueName": "Продажи", "calls": ["79001234567"]}],
        [{"callType": "MULTI_CHANNEL", "callerNumberFull": "79001234567"}],
    )
    assert at(30) == (
        [],
        [
            {
                "callType": "MULTI_CHANNEL",
                "callerNumberFull": "79001234567",
                "calledNumberShort": "102",
                "calledNumberFull": "79160000002",
            }
        ],
    )
    assert at(131) == ([], [])
    (record,) = pbx.journal.records(company, PINNED_NOW, PINNED_NOW + timedelta(minutes=5))
    assert record["callType"] == "INTERNAL_QUEUE"
    assert record["callStatus"] == "ANSWERED_COMMON"
    assert record["calleeNumber"] == "79160000002"
    assert (record["callDuration"], record["conversationDuration"]) == (125, 105)


def test_a_transfer_hands_the_call_on(pbx: Pbx) -> None:
    tenant = {
        **THREE,
        "scenario": [
            {
                "at": 0,
                "from": "79001234567",
                "to": "101",
                "answeredBy": "101",
                "answerAt": 10,
                "transfers": [{"at": 40, "to": "103"}],
                "hangupAt": 100,
                "hungUpBy": "callee",
            }
        ],
    }
    company = pbx.load_tenant(document(tenant)).company_id
    during = pbx.calls.current(company, PINNED_NOW + timedelta(seconds=50))
    assert during[0]["calledNumberFull"] == "79160000003"
    pbx.advance_clock(100, company_id=company)
    (record,) = pbx.journal.records(company, PINNED_NOW, PINNED_NOW + timedelta(minutes=5))
    assert record["calleeNumber"] == "79160000003"
    assert record["callStatus"] == "ANSWERED_BY_NO_ANSWER_FORWARD_CLIENT"
    stats = pbx.statistics.common(company, PINNED_NOW, PINNED_NOW + timedelta(minutes=5))
    # An answered call is no hang-up: those are lost calls (D20 as the guide's sample reads it).
    assert (stats["transferCallCount"], stats["hangupBCallCount"]) == (1, 0)


def test_an_export_loads_back_into_a_company_that_answers_the_same(pbx: Pbx) -> None:
    exported = b"".join(pbx.export_tenant(392))
    copy = pbx.load_tenant(JsonTenantDocument(exported), company_id=5000).company_id
    start, end = PINNED_NOW - timedelta(days=3), PINNED_NOW
    assert pbx.employees.list(copy) == pbx.employees.list(392)
    assert pbx.blacklist.list(copy) == pbx.blacklist.list(392)
    assert [dict(m, companyId=0) for m in pbx.managers.list(copy)] == [
        dict(m, companyId=0) for m in pbx.managers.list(392)
    ]
    assert pbx.journal.records_json(copy, start, end, size=1000) == pbx.journal.records_json(
        392, start, end, size=1000
    )
    assert pbx.statistics.common(copy, start, end) == pbx.statistics.common(392, start, end)
    assert pbx.statistics.journal(copy, start, end) == pbx.statistics.journal(392, start, end)


def test_a_company_that_exists_is_a_conflict_and_replace_keeps_its_tokens(pbx: Pbx) -> None:
    with pytest.raises(Conflict):
        pbx.load_tenant(document({**THREE, "company": {"id": 392}}))
    _, pair = pbx.issue_tokens(392)
    pbx.load_tenant(document(THREE), 392, replace=True)
    assert pbx.employees.list(392) == THREE["employees"]
    assert pbx.tokens.authenticate(pair.access_token).company_id == 392


def test_the_guides_company_is_its_file(pbx: Pbx) -> None:
    managers = pbx.managers.list(391)
    assert managers[0]["id"] == 26
    assert [c["id"] for c in managers[0]["customers"]] == [92, 73, 449]
    assert pbx.default_principal(391).login == "pg_test"
    assert pbx.blacklist.list(391)[:2] == [
        {"id": 10622, "number": "79023581212", "sourceType": "MANUAL"},
        {"id": 10700, "number": "79998889988", "sourceType": "MANUAL"},
    ]


def test_a_files_ids_are_its_companys_own(pbx: Pbx) -> None:
    """The guide's company holds manager 26 and customer 92: another company may too."""
    tenant = {
        **THREE,
        "managers": [
            {"id": 26, "employeeId": 1, "customers": [{"id": 92, "realNumber": "79161112233"}]}
        ],
        "blacklist": [{"id": 10622, "number": "79023581212"}],
    }
    company = pbx.load_tenant(document(tenant)).company_id
    assert pbx.managers.get(company, 26)["customers"][0]["id"] == 92
    assert pbx.managers.get(391, 26)["customers"][0]["id"] == 92
    assert pbx.blacklist.list(company) == [
        {"id": 10622, "number": "79023581212", "sourceType": "MANUAL"}
    ]


def test_the_mock_loads_tenant_files_at_start() -> None:
    pbx = Pbx(pinned_config(history_days=0))
    try:
        assert pbx.company_ids() == [391, 392]
    finally:
        pbx.close()
    assert PbxConfig().tenants  # the guide's, by default
