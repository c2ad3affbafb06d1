"""Every operation through the generated client against the mock, in-process or over HTTP.

In-process (the default), the client's own httpx.Client is replaced by Starlette's TestClient (an
httpx.Client whose transport calls the ASGI app directly), with the client's refreshing auth on
it, so the test exercises the generated code, the refresh logic and the mock together without a
socket.

Over HTTP, when `TELE2_ATS_E2E_API_URL` is set: the client talks to that URL, and the mock's
control API is reached at `TELE2_ATS_E2E_CONTROL_URL`; every test starts from a freshly reset
mock. `make client-e2e-prism` runs them so through `prism proxy --errors` in front of a mock
process: a second implementation of OpenAPI checks every request and response of these tests
against the spec, and any violation fails the test that caused it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient
from tele2_ats_client import OK, RefreshingClient, TokenPair
from tele2_ats_client.api.authorization import refresh_token
from tele2_ats_client.api.blacklist import (
    add_to_blacklist,
    clear_blacklist,
    delete_from_blacklist,
    get_blacklist,
)
from tele2_ats_client.api.call_records import (
    get_call_record_file,
    get_call_record_transcript,
    get_call_records,
)
from tele2_ats_client.api.click_to_call import initiate_call
from tele2_ats_client.api.employees import get_employees
from tele2_ats_client.api.managers import (
    create_manager,
    delete_manager,
    get_manager,
    get_managers,
    update_manager,
)
from tele2_ats_client.api.monitoring import get_current_calls, get_pending_calls
from tele2_ats_client.api.statistics import get_common_statistics, get_journal_statistics
from tele2_ats_client.models import (
    BlacklistEntry,
    BlacklistRemovalResultCode,
    BlacklistResultCode,
    CallRecord,
    CommonStatistics,
    CustomerInput,
    Employee,
    JournalStatistics,
    Manager,
    ManagerInput,
    ManagerResultCode,
    ManagerUpdate,
    MonitoringCall,
    PendingQueue,
    SpringError,
    SttWord,
)

from mock_server.domain.pbx import Pbx
from mock_server.http.app import create_app
from tests.audio import mp3_length
from tests.conftest import CONTROL, advance

from .inprocess import connect

BASE = "http://testserver/crm/openapi"
API_URL = os.environ.get("TELE2_ATS_E2E_API_URL")
CONTROL_URL = os.environ.get("TELE2_ATS_E2E_CONTROL_URL")
# What a reset seeds over HTTP: the in-process PBX's history (tests/conftest.py SMALL_HISTORY).
RESET = {"historyDays": 3, "callsPerDay": 20}


@pytest.fixture
def control(request: pytest.FixtureRequest) -> Iterator[httpx.Client]:
    """A client of the mock's control API (`/mock`): in-process, or the mock process's, reset."""
    if API_URL:
        assert CONTROL_URL, "TELE2_ATS_E2E_API_URL needs TELE2_ATS_E2E_CONTROL_URL"
        with httpx.Client(base_url=CONTROL_URL, timeout=30, headers=CONTROL) as remote:
            reset = remote.post("/mock/reset", json=RESET)
            assert reset.status_code == 200, reset.text
            yield remote
        return
    pbx: Pbx = request.getfixturevalue("pbx")
    with TestClient(create_app(pbx, validate_responses=True), headers=CONTROL) as local:
        yield local


@pytest.fixture
def refreshed() -> list[TokenPair]:
    return []


@pytest.fixture
def client(control: httpx.Client, refreshed: list[TokenPair]) -> Iterator[RefreshingClient]:
    pair = control.post("/mock/tokens").json()
    client = RefreshingClient(
        base_url=API_URL or BASE,
        access_token=pair["accessToken"],
        refresh_token=pair["refreshToken"],
        on_tokens_refreshed=refreshed.append,
    )
    if isinstance(control, TestClient):
        connect(client, control)
    with client:
        yield client


def _now(control: httpx.Client) -> datetime:
    return datetime.fromisoformat(control.get("/mock/clock").json()["now"])


def _window(control: httpx.Client) -> tuple[datetime, datetime]:
    """The whole seeded history and more, by the mock's clock."""
    now = _now(control)
    return now - timedelta(days=400), now + timedelta(days=1)


def _at_least_calls(control: httpx.Client, count: int) -> None:
    """The journal holds at least `count` calls before the mock clock's now: the seeded
    history, topped up with answered incoming calls when a pinned instant has fewer."""
    now = _now(control)
    token = control.post("/mock/tokens").json()["accessToken"]
    window = {"start": (now - timedelta(days=400)).isoformat(), "end": now.isoformat()}
    held = control.get(
        "/crm/openapi/statistics/journal", params=window, headers={"Authorization": token}
    ).json()["numberOfCalls"]
    for index in range(count - held):
        call = {"from": f"7916{index:07d}", "durationSeconds": 20, "outcome": "answered"}
        assert control.post("/mock/calls/incoming", json=call).status_code == 200
    if held < count:
        advance(control, 3600)  # they have ended and landed in the journal


def _ok(result: Any, kind: type) -> Any:
    assert isinstance(result, kind), f"expected {kind.__name__}, got {result!r}"
    return result


def test_reads_parse_into_models(client: RefreshingClient, control: httpx.Client) -> None:
    _at_least_calls(control, 25)
    employees = _ok(get_employees.sync(client=client), list)
    assert all(isinstance(e, Employee) for e in employees)
    assert any(e.employee_id == 433 and e.email == "asd@asd.ru" for e in employees)
    start, end = _window(control)
    records = _ok(get_call_records.sync(client=client, start=start, end=end, size=20), list)
    assert len(records) == 20
    assert all(isinstance(r, CallRecord) for r in records)
    common = _ok(get_common_statistics.sync(client=client, start=start, end=end), CommonStatistics)
    journal = _ok(
        get_journal_statistics.sync(client=client, start=start, end=end), JournalStatistics
    )
    assert common.all_call_count == journal.number_of_calls > 20
    # D20: hang-ups are lost calls (the caller gave up, the employee turned it down).
    assert common.hangup_a_call_count + common.hangup_b_call_count <= common.lost_call_count
    assert common.all_call_count == (
        common.success_call_count + common.lost_call_count + common.internal_call_count
    )
    newest = _ok(
        get_call_records.sync(
            client=client, start=start, end=end, size=5000, sort=["date,DESC", "callType"]
        ),
        list,
    )
    assert len(newest) == journal.number_of_calls  # fewer than the 2000 a page may hold
    assert newest[0].date >= newest[-1].date
    assert all(isinstance(m, Manager) for m in _ok(get_managers.sync(client=client), list))
    manager = _ok(get_manager.sync(26, client=client), Manager)
    assert [c.id for c in manager.customers] == [92, 73, 449]
    entries = _ok(get_blacklist.sync(client=client), list)
    assert all(isinstance(e, BlacklistEntry) for e in entries)
    missing = get_manager.sync(999999, client=client)
    assert isinstance(missing, SpringError)
    assert missing.status == 404


def test_recording_bytes_and_transcript(client: RefreshingClient, control: httpx.Client) -> None:
    # Asks for what it needs: a click-to-call, answered by default, is recorded and transcribed.
    placed_at = _now(control)
    employees = _ok(get_employees.sync(client=client), list)
    source = next(e.full_number for e in employees if isinstance(e.full_number, str))
    assert initiate_call.sync(client=client, source=source, destination="79161234567") is OK
    advance(control, 3 * 3600)  # longer than any click-to-call lasts
    records = _ok(
        get_call_records.sync(
            client=client,
            start=placed_at,
            end=placed_at + timedelta(seconds=1),
            caller=source,
            is_recorded=True,
        ),
        list,
    )
    assert [r.call_type.value for r in records] == ["CRM_OUTGOING"], records
    record = records[0]
    mp3 = _ok(get_call_record_file.sync(client=client, filename=record.record_file_name), bytes)
    if API_URL:
        # Prism's proxy validates the answer but re-encodes a binary body as text on its way
        # through (stoplightio/prism#1321): the bytes themselves are compared at the mock.
        direct = control.get(
            "/crm/openapi/call-records/file",
            params={"filename": record.record_file_name},
            headers={"Authorization": client.tokens.access_token},
        )
        assert direct.status_code == 200, direct.text
        assert len(mp3) > 0
        mp3 = direct.content
    assert abs(mp3_length(mp3) - record.conversation_duration) < 1
    words = _ok(
        get_call_record_transcript.sync(client=client, filename=record.record_file_name), list
    )
    assert all(isinstance(w, SttWord) for w in words)
    assert words[0].word == "информируем"


def test_blacklist_writes_and_codes(client: RefreshingClient) -> None:
    assert add_to_blacklist.sync(client=client, body="79998887766") is BlacklistResultCode.SUCCESS
    duplicate = add_to_blacklist.sync(client=client, body="79998887766")
    assert duplicate is BlacklistResultCode.DUPLICATE_BLACK_LIST_NUMBER
    removed = delete_from_blacklist.sync("79998887766", client=client)
    assert removed is BlacklistRemovalResultCode.SUCCESS
    assert clear_blacklist.sync(client=client) is BlacklistRemovalResultCode.SUCCESS
    assert get_blacklist.sync(client=client) == []


def test_managers_writes_and_conflict_code(client: RefreshingClient) -> None:
    employees = _ok(get_employees.sync(client=client), list)
    employee_id = next(e.employee_id for e in employees if e.full_number and e.employee_id != 440)
    taken = ManagerInput(
        employee_id=employee_id, customers=[CustomerInput(real_number="79081581621")]
    )
    conflict = create_manager.sync(client=client, body=taken)
    assert conflict is ManagerResultCode.CUSTOMER_ALREADY_ASSIGNED
    fresh = ManagerInput(
        employee_id=employee_id,
        name="Менеджер",
        customers=[CustomerInput(real_number="79990001122", is_vip=True)],
    )
    assert create_manager.sync(client=client, body=fresh) is ManagerResultCode.SUCCESS
    created = next(m for m in _ok(get_managers.sync(client=client), list) if m.name == "Менеджер")
    update = ManagerUpdate(id=created.id, employee_id=employee_id, name="Переименован")
    assert update_manager.sync(client=client, body=update) is ManagerResultCode.SUCCESS
    assert _ok(get_manager.sync(created.id, client=client), Manager).name == "Переименован"
    assert delete_manager.sync(created.id, client=client) is OK
    gone = delete_manager.sync(created.id, client=client)
    assert isinstance(gone, SpringError), gone
    assert gone.status == 404, gone


def test_click_to_call_then_monitoring(client: RefreshingClient, control: httpx.Client) -> None:
    placed = initiate_call.sync(client=client, source="79026840778", destination="79533933557")
    assert placed is OK, placed
    calls = _ok(get_current_calls.sync(client=client), list)
    assert any(
        isinstance(c, MonitoringCall) and c.caller_number_full == "79026840778" for c in calls
    )
    control.post("/mock/calls/incoming", json={"from": "79161112233", "queue": "1"})
    queues = _ok(get_pending_calls.sync(client=client), list)
    assert any(isinstance(q, PendingQueue) and "79161112233" in q.calls for q in queues)


def test_refreshes_itself_after_a_day(
    client: RefreshingClient, control: httpx.Client, refreshed: list[TokenPair]
) -> None:
    old = client.tokens
    assert control.post("/mock/clock/advance", json={"seconds": 24 * 3600 + 1}).status_code == 200
    employees = _ok(get_employees.sync(client=client), list)
    assert employees
    assert len(refreshed) == 1
    assert refreshed[0] == client.tokens != old
    # The explicit refresh operation works through the client too, and rotates the pair again.
    pair = refresh_token.sync(client=client)
    assert pair is not None
    assert len(refreshed) == 2
    assert _ok(get_employees.sync(client=client), list)


def test_window_is_sent_with_its_offset(client: RefreshingClient, control: httpx.Client) -> None:
    # A one-second window around one call, in Moscow time: only with its offset does it hold
    # that call (three hours off, it holds another second of the day).
    _at_least_calls(control, 1)
    start, end = _window(control)
    first = _ok(get_call_records.sync(client=client, start=start, end=end, size=1), list)[0]
    moscow = timezone(timedelta(hours=3))
    at = first.date.astimezone(moscow)
    sent: list[httpx.URL] = []
    client.get_httpx_client().event_hooks["request"].append(lambda r: sent.append(r.url))
    calls = _ok(get_call_records.sync(client=client, start=at, end=at + timedelta(seconds=1)), list)
    assert first.uuid in {c.uuid for c in calls}
    assert sent[-1].params["start"] == at.isoformat(), sent[-1]
    assert sent[-1].params["start"].endswith("+03:00")
    journal = _ok(
        get_journal_statistics.sync(
            client=client, start=at, end=(at + timedelta(seconds=1)).astimezone(UTC)
        ),
        JournalStatistics,
    )
    assert journal.number_of_calls == len(calls)


def test_reversed_window_is_empty(client: RefreshingClient, control: httpx.Client) -> None:
    start, end = _window(control)
    assert get_call_records.sync(client=client, start=end, end=start) == []
    reversed_ = _ok(
        get_journal_statistics.sync(client=client, start=end, end=start), JournalStatistics
    )
    assert reversed_.number_of_calls == 0
