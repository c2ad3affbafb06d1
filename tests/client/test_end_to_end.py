"""Every operation through the generated client against the mock, in-process.

The client's own httpx.Client is replaced by Starlette's TestClient (an httpx.Client whose
transport calls the ASGI app directly), with the client's refreshing auth on it, so the test
exercises the generated code, the refresh logic and the mock together without a socket.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from tele2_ats_client import (
    OK,
    AsyncTele2Ats,
    AuthenticatedClient,
    RefreshingClient,
    Tele2Ats,
    TokenPair,
    errors,
)
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
    BlacklistResultCode,
    CallRecord,
    CommonStatistics,
    CustomerInput,
    Employee,
    JournalStatistics,
    Manager,
    ManagerInput,
    ManagerResultCode,
    MonitoringCall,
    PendingQueue,
    SpringError,
    SttWord,
)

from tests.audio import mp3_length
from tests.conftest import advance
from tests.pinned import PINNED_NOW

from .inprocess import connect, mock_now

BASE = "http://testserver/crm/openapi"


@pytest.fixture
def refreshed() -> list[TokenPair]:
    return []


@pytest.fixture
def client(mock_app: TestClient, refreshed: list[TokenPair]) -> Iterator[RefreshingClient]:
    pair = mock_app.post("/mock/tokens").json()
    client = RefreshingClient(
        base_url=BASE,
        access_token=pair["accessToken"],
        refresh_token=pair["refreshToken"],
        on_tokens_refreshed=refreshed.append,
    )
    with connect(client, mock_app):
        yield client


def _window() -> tuple[datetime, datetime]:
    return datetime(2020, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)


def _ok(result: Any, kind: type) -> Any:
    assert isinstance(result, kind), f"expected {kind.__name__}, got {result!r}"
    return result


def test_reads_parse_into_models(client: RefreshingClient) -> None:
    employees = _ok(get_employees.sync(client=client), list)
    assert all(isinstance(e, Employee) for e in employees)
    assert any(e.employee_id == 433 and e.email == "asd@asd.ru" for e in employees)
    start, end = _window()
    records = _ok(get_call_records.sync(client=client, start=start, end=end, size=20), list)
    assert len(records) == 20
    assert all(isinstance(r, CallRecord) for r in records)
    common = _ok(get_common_statistics.sync(client=client, start=start, end=end), CommonStatistics)
    journal = _ok(
        get_journal_statistics.sync(client=client, start=start, end=end), JournalStatistics
    )
    assert common.all_call_count == journal.number_of_calls > 20
    assert all(isinstance(m, Manager) for m in _ok(get_managers.sync(client=client), list))
    manager = _ok(get_manager.sync(26, client=client), Manager)
    assert [c.id for c in manager.customers] == [92, 73]
    entries = _ok(get_blacklist.sync(client=client), list)
    assert all(isinstance(e, BlacklistEntry) for e in entries)
    missing = get_manager.sync(999999, client=client)
    assert isinstance(missing, SpringError)
    assert missing.status == 404


def test_recording_bytes_and_transcript(client: RefreshingClient, mock_app: TestClient) -> None:
    # Asks for what it needs: a click-to-call, answered by default, is recorded and transcribed.
    placed_at = datetime.fromisoformat(mock_app.get("/mock/clock").json()["now"])
    employees = _ok(get_employees.sync(client=client), list)
    source = next(e.full_number for e in employees if isinstance(e.full_number, str))
    assert (
        initiate_call.sync_detailed(
            client=client, source=source, destination="79161234567"
        ).status_code
        == 200
    )
    advance(mock_app, 3 * 3600)  # longer than any click-to-call lasts
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
    assert removed is BlacklistResultCode.SUCCESS
    assert clear_blacklist.sync(client=client) is BlacklistResultCode.SUCCESS
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
    update = ManagerInput(id=created.id, employee_id=employee_id, name="Переименован")
    assert update_manager.sync(client=client, body=update) is ManagerResultCode.SUCCESS
    assert _ok(get_manager.sync(created.id, client=client), Manager).name == "Переименован"
    assert delete_manager.sync(created.id, client=client) is OK
    gone = delete_manager.sync(created.id, client=client)
    assert isinstance(gone, SpringError), gone
    assert gone.status == 404, gone


def test_click_to_call_then_monitoring(client: RefreshingClient, mock_app: TestClient) -> None:
    placed = initiate_call.sync(client=client, source="79026840778", destination="79533933557")
    assert placed is OK, placed
    calls = _ok(get_current_calls.sync(client=client), list)
    assert any(
        isinstance(c, MonitoringCall) and c.caller_number_full == "79026840778" for c in calls
    )
    mock_app.post("/mock/calls/incoming", json={"from": "79161112233", "queue": "1"})
    queues = _ok(get_pending_calls.sync(client=client), list)
    assert any(isinstance(q, PendingQueue) and "79161112233" in q.calls for q in queues)


def test_refreshes_itself_after_a_day(
    client: RefreshingClient, mock_app: TestClient, refreshed: list[TokenPair]
) -> None:
    old = client.tokens
    assert mock_app.post("/mock/clock/advance", json={"seconds": 24 * 3600 + 1}).status_code == 200
    employees = _ok(get_employees.sync(client=client), list)
    assert employees
    assert len(refreshed) == 1
    assert refreshed[0] == client.tokens != old
    # The explicit refresh operation works through the client too, and rotates the pair again.
    pair = refresh_token.sync(client=client)
    assert pair is not None
    assert len(refreshed) == 2
    assert _ok(get_employees.sync(client=client), list)


def test_window_is_sent_with_its_offset(client: RefreshingClient) -> None:
    end = PINNED_NOW + timedelta(days=1)
    start = end - timedelta(days=400)
    total = _ok(get_journal_statistics.sync(client=client, start=start, end=end), JournalStatistics)
    assert total.number_of_calls > 0


@pytest.fixture
def api(client: RefreshingClient) -> Tele2Ats:
    return Tele2Ats(client)


def test_facade_raises_typed_exceptions_from_the_mock(api: Tele2Ats) -> None:
    start, end = _window()
    with pytest.raises(errors.BadRequest) as bad:
        api.get_call_records(start=start, end=end, sort="nonsense,ASC")
    assert "nonsense" in bad.value.message, bad.value
    assert bad.value.request.url.params["sort"] == "nonsense,ASC", bad.value.request
    with pytest.raises(errors.NotFound):
        api.get_manager(999999)
    with pytest.raises(errors.NotFound):
        api.initiate_call(source="79990000000", destination="79533933557")
    assert api.add_to_blacklist(body="79998887766") is BlacklistResultCode.SUCCESS
    with pytest.raises(errors.DuplicateBlackListNumber) as duplicate:
        api.add_to_blacklist(body="79998887766")
    assert duplicate.value.status_code == 200, duplicate.value
    taken = ManagerInput(employee_id=433, customers=[CustomerInput(real_number="79081581621")])
    with pytest.raises(errors.CustomerAlreadyAssigned):
        api.create_manager(body=taken)
    assert all(m.name != "Менеджер" for m in api.get_managers()), "nothing was saved"


def test_facade_superseded_token_raises(mock_app: TestClient) -> None:
    pair = mock_app.post("/mock/tokens").json()
    stale = AuthenticatedClient(base_url=BASE, token=pair["accessToken"])
    advance(mock_app, 1)  # pairs issued in one second are the same pair, as on the service
    mock_app.post("/mock/tokens")  # a new pair for the same user kills this one
    headers = {"Authorization": stale.token}  # what AuthenticatedClient's own httpx client sends
    stale.set_httpx_client(TestClient(mock_app.app, base_url=BASE, headers=headers))
    with pytest.raises(errors.TokenSuperseded) as caught:
        Tele2Ats(stale).get_employees()
    assert caught.value.parsed.details.value == "The token has already been updated"


def _recorded_call(api: Tele2Ats, mock_app: TestClient) -> tuple[datetime, datetime]:
    """Place a call and let it end; the window of the mock clock's last hour that holds it."""
    start = mock_now(mock_app)
    api.initiate_call(source="79026840778", destination="79533933557")
    advance(mock_app, 3600)
    return start, mock_now(mock_app)


def test_facade_iterates_the_whole_journal_page_by_page(
    api: Tele2Ats, mock_app: TestClient
) -> None:
    _recorded_call(api, mock_app)
    end = mock_now(mock_app)
    start = end - timedelta(days=30)
    whole = api.get_call_records(start=start, end=end, size=2000)
    assert 20 < len(whole) < 2000, len(whole)
    paged = list(api.iter_call_records(start=start, end=end, page_size=7))
    assert [r.to_dict() for r in paged] == [r.to_dict() for r in whole]
    recorded = list(api.iter_call_records(start=start, end=end, is_recorded=True, page_size=3))
    assert recorded, "the placed call at least"
    assert all(r.record_file_name for r in recorded), recorded


def test_facade_downloads_a_recording(api: Tele2Ats, mock_app: TestClient, tmp_path: Path) -> None:
    start, end = _recorded_call(api, mock_app)
    [record] = api.iter_call_records(start=start, end=end, is_recorded=True)
    assert record.caller_number == "79026840778", record
    path = tmp_path / "call.mp3"
    size = api.download_recording(record.record_file_name, path)
    assert path.read_bytes() == api.get_call_record_file(filename=record.record_file_name)
    assert size == path.stat().st_size
    assert isinstance(record.conversation_duration, int), record
    assert abs(mp3_length(path.read_bytes()) - record.conversation_duration) < 1


def test_async_facade_against_the_mock(client: RefreshingClient, mock_app: TestClient) -> None:
    start, end = _recorded_call(Tele2Ats(client), mock_app)

    async def scenario() -> tuple[int, bytes]:
        async with AsyncTele2Ats(client) as api:
            with pytest.raises(errors.NotFound):
                await api.get_manager(999999)
            [record] = [
                r async for r in api.iter_call_records(start=start, end=end, is_recorded=True)
            ]
            stream = io.BytesIO()
            size = await api.download_recording(record.record_file_name, stream)
            return size, stream.getvalue()

    size, mp3 = asyncio.run(scenario())
    assert size == len(mp3), size
    assert mp3_length(mp3) > 0
