"""Export then load gives a tenant whose every answer is the same bytes (issue 26).

Hypothesis draws tenant files (employees, managers with customers, a blacklist, call records
of every type and status, answered and not, recorded or not, with and without uuids and names,
recordings that say sentences, have no transcript or no file, and a live scenario of queue
calls, transfers and calls nobody answers); each is loaded into company 5000 of one mock,
exported, and the export loaded into company 5000 of another. Every read operation of the
documented API is then asked of both, over several windows, pages, sorts and filters, at
several instants of the scenario, and must answer the same status, type and bytes; so must
the recordings and their transcripts, and the export of the copy.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from mock_server.domain.pbx import Pbx
from mock_server.domain.rules.call_records import CALL_STATUSES, CALL_TYPES
from mock_server.domain.timeutil import format_epoch_ms, to_epoch_ms
from mock_server.http.app import create_app
from tests.conftest import CONTROL
from tests.pinned import PINNED_NOW, pinned_config

COMPANY = 5000
NOW_MS = to_epoch_ms(PINNED_NOW)
DAY_MS = 86_400_000
NUMBERS = st.sampled_from(["79001112233", "79001112244", "79001112255", "74951234567", "0440"])
NAMES = st.one_of(st.none(), st.sampled_from(["Анна Иванова", "Пётр", "ООО «Ромашка»", ""]))


@st.composite
def tenants(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(1, 4))
    employees = [
        {
            "employeeId": 10 + n,
            **(
                {"name": draw(st.sampled_from(["Анна", "Борис", "Вера", "Глеб"]))}
                if draw(st.booleans())
                else {}
            ),
            "fullNumber": f"7916000000{n}",
            "shortNumber": f"10{n}",
        }
        for n in range(count)
    ]
    managers = [
        {
            "id": 300 + n,
            "employeeId": 10 + draw(st.integers(0, count - 1)),
            "customers": [
                {
                    "id": 900 + 10 * n + c,
                    "realNumber": f"7902{n}{c}000000",
                    "isVip": draw(st.booleans()),
                }
                for c in range(draw(st.integers(0, 2)))
            ],
            "handleAllCustomers": n == 0 and draw(st.booleans()),
        }
        for n in range(draw(st.integers(0, 2)))
    ]
    blacklist = [
        {
            "id": 50 + n,
            "number": f"7999000000{n}",
            "sourceType": draw(st.sampled_from(["FILE", "MANUAL"])),
        }
        for n in range(draw(st.integers(0, 2)))
    ]
    records: list[dict[str, Any]] = []
    recordings: dict[str, Any] = {}
    for n in range(draw(st.integers(0, 25))):
        started = (
            NOW_MS - draw(st.integers(1, 3 * DAY_MS // 1000)) * 1000 - draw(st.integers(0, 999))
        )
        status = draw(st.sampled_from(CALL_STATUSES))
        answered = status.startswith("ANSWERED_")
        duration = draw(st.integers(0, 600))
        talk = draw(st.integers(1, duration)) if answered and duration else None
        record: dict[str, Any] = {
            "date": format_epoch_ms(started),
            "callType": draw(st.sampled_from(CALL_TYPES)),
            "callerNumber": draw(st.one_of(NUMBERS, st.just(employees[0]["fullNumber"]))),
        }
        if draw(st.booleans()):
            record["destinationNumber"] = draw(NUMBERS)
        caller_name = draw(NAMES)
        if caller_name is not None:
            record["callerName"] = caller_name
        if draw(st.booleans()):
            record["calleeNumber"] = draw(st.one_of(NUMBERS, st.just(employees[-1]["fullNumber"])))
        record["callDuration"] = duration
        if talk is not None:
            record["conversationDuration"] = talk
        record["callStatus"] = status
        name = ""
        if talk and draw(st.booleans()):
            name = f"{format_epoch_ms(started)[:10]}/{started}{n:03d}"
            kind = draw(st.sampled_from(["generated", "sentences", "no transcript", "none"]))
            if kind == "sentences":
                recordings[name] = {
                    "sentences": [
                        {"channel": "B", "text": "Компания «Вектор», слушаю"},
                        {"channel": "A", "text": "Мне нужен счёт", "at": 2.5},
                    ]
                }
            elif kind == "no transcript":
                recordings[name] = {"transcript": "none"}
            elif kind == "none":
                recordings[name] = "none"
        record["recordFileName"] = name
        if draw(st.booleans()):
            record["uuid"] = f"uuid-{n}"
        records.append(record)
    scenario = []
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(-30, 60))
        call: dict[str, Any] = {"at": at, "from": draw(NUMBERS.filter(lambda x: len(x) > 4))}
        where = draw(st.sampled_from(["queue", "to", "company"]))
        if where == "queue":
            call["queue"] = "Продажи"
        elif where == "to":
            call["to"] = employees[0]["shortNumber"]
        if draw(st.booleans()):
            answer = at + draw(st.integers(2, 30))
            call.update(answeredBy=employees[-1]["fullNumber"], answerAt=answer, ringSeconds=2)
            hangup = answer + draw(st.integers(5, 90))
            if draw(st.booleans()) and hangup - answer > 2:
                call["transfers"] = [{"at": answer + 1, "to": employees[0]["fullNumber"]}]
        else:
            hangup = at + draw(st.integers(1, 60))
        call["hangupAt"] = hangup
        scenario.append(call)
    return {
        "format": "tele2-ats-tenant/1",
        "company": {"name": "ООО «Тест»", "mainNumber": "74950000000"},
        "users": [{"userId": 77, "login": "crm"}],
        "employees": employees,
        "queues": [{"name": "Продажи", "members": [employees[-1]["employeeId"]]}],
        "managers": managers,
        "blacklist": blacklist,
        "callRecords": records,
        "recordings": recordings,
        "scenario": scenario,
    }


class Mock:
    """A mock of its own with company 5000, and that company's token."""

    def __init__(self) -> None:
        self.pbx = Pbx(pinned_config(companies=(), tenants=(), history_days=0))
        self.client = TestClient(create_app(self.pbx))
        self.client.__enter__()
        created = self.client.post(
            "/mock/companies",
            json={"companyId": COMPANY, "fixture": {"format": "tele2-ats-tenant/1"}},
        )
        assert created.status_code == 201, created.text
        self.token = created.json()["accessToken"]

    def load(self, tenant: bytes) -> None:
        answer = self.client.put(
            f"/mock/companies/{COMPANY}/data",
            content=tenant,
            headers={"Content-Type": "application/json"},
        )
        assert answer.status_code == 200, answer.text

    def export(self) -> bytes:
        answer = self.client.get(f"/mock/companies/{COMPANY}/export")
        assert answer.status_code == 200, answer.text
        return bytes(answer.content)

    def get(self, path: str, **params: Any) -> tuple[int, str, bytes]:
        answer = self.client.get(
            "/crm/openapi" + path, params=params, headers={"Authorization": self.token}
        )
        return answer.status_code, answer.headers.get("content-type", ""), bytes(answer.content)

    def advance(self, seconds: float) -> None:
        self.client.post(
            f"/mock/companies/{COMPANY}/clock/advance", json={"seconds": seconds}, headers=CONTROL
        )

    def close(self) -> None:
        self.client.__exit__(None, None, None)
        self.pbx.close()


@pytest.fixture(scope="module")
def mocks() -> Iterator[tuple[Mock, Mock]]:
    first, second = Mock(), Mock()
    yield first, second
    first.close()
    second.close()


def _windows() -> list[dict[str, str]]:
    now = PINNED_NOW
    return [
        {
            "start": (now - timedelta(days=4)).isoformat(),
            "end": (now + timedelta(hours=1)).isoformat(),
        },
        {
            "start": (now - timedelta(days=1, hours=5)).isoformat(),
            "end": (now - timedelta(hours=7)).isoformat(),
        },
        {
            "start": (now - timedelta(hours=2)).isoformat(),
            "end": (now - timedelta(days=1)).isoformat(),
        },
    ]


def _reads(mock: Mock, tenant: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """Every read of the documented API, its answer."""
    for path in (
        "/employees",
        "/managers",
        "/blacklist",
        "/monitoring/calls",
        "/monitoring/calls/pending",
    ):
        yield path, mock.get(path)
    for manager in tenant["managers"]:
        yield "manager", mock.get(f"/managers/{manager['id']}")
    for window in _windows():
        for query in (
            {},
            {"size": 3, "page": 1},
            {"size": 4, "page": 0, "sort": "callType,DESC"},
            {"sort": "callDuration", "size": 50},
            {"is_recorded": "true", "size": 50},
            {"caller": "79001112233", "size": 50},
            {"callee": tenant["employees"][-1]["fullNumber"], "size": 50},
        ):
            yield f"records {query}", mock.get("/call-records/info", **window, **query)
        for number in (None, tenant["employees"][0]["fullNumber"], "79001112233"):
            extra = {} if number is None else {"subscriberNumber": number}
            yield f"common {number}", mock.get("/statistics/common", **window, **extra)
            extra = {} if number is None else {"number": number}
            yield f"journal {number}", mock.get("/statistics/journal", **window, **extra)


@given(tenant=tenants())
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_an_export_loads_into_a_tenant_that_answers_every_read_the_same(
    mocks: tuple[Mock, Mock], tenant: dict[str, Any]
) -> None:
    first, second = mocks
    first.load(json.dumps(tenant, ensure_ascii=False).encode())
    exported = first.export()
    second.load(exported)
    assert second.export() == exported
    spoken = 0
    for step in (0, 15, 40):
        first.advance(step)
        second.advance(step)
        for (what, mine), (_, theirs) in zip(
            _reads(first, tenant), _reads(second, tenant), strict=True
        ):
            assert mine == theirs, what
    for record in tenant["callRecords"]:
        name = record["recordFileName"]
        if not name:
            continue
        stt_mine = first.get("/call-records/file/stt", filename=name)
        assert stt_mine == second.get("/call-records/file/stt", filename=name), name
        if spoken < 2:  # each recording is spoken (a subprocess each): a few per tenant
            spoken += 1
            assert first.get("/call-records/file", filename=name) == second.get(
                "/call-records/file", filename=name
            )
