"""The raising facade (`Tele2Ats`, `AsyncTele2Ats`) and its helpers against the mock, in-process."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from tele2_ats_client import (
    AsyncTele2Ats,
    AuthenticatedClient,
    RefreshingClient,
    Tele2Ats,
    errors,
)
from tele2_ats_client.models import BlacklistResultCode, CustomerInput, ManagerInput

from tests.audio import mp3_length
from tests.conftest import advance
from tests.pinned import PINNED_NOW

from .inprocess import connect, mock_now

BASE = "http://testserver/crm/openapi"


@pytest.fixture
def client(mock_app: TestClient) -> Iterator[RefreshingClient]:
    pair = mock_app.post("/mock/tokens").json()
    client = RefreshingClient(
        base_url=BASE, access_token=pair["accessToken"], refresh_token=pair["refreshToken"]
    )
    with connect(client, mock_app):
        yield client


def _window() -> tuple[datetime, datetime]:
    return PINNED_NOW - timedelta(days=30), PINNED_NOW + timedelta(days=1)


@pytest.fixture
def api(client: RefreshingClient) -> Tele2Ats:
    return Tele2Ats(client)


def test_facade_raises_typed_exceptions_from_the_mock(api: Tele2Ats) -> None:
    start, end = _window()
    with pytest.raises(errors.BadRequest) as bad:
        api.get_call_records(start=start, end=end, sort=["nonsense,ASC"])
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
