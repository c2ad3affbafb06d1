"""Tele2Ats and AsyncTele2Ats on MockTransport: success types, exceptions, paging, downloads."""

from __future__ import annotations

import asyncio
import datetime
import io
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from tele2_ats_client import (
    PAGE_SIZE_MAX,
    AsyncTele2Ats,
    AuthenticatedClient,
    Tele2Ats,
    errors,
)
from tele2_ats_client.api.blacklist import add_to_blacklist
from tele2_ats_client.models import (
    BlacklistResultCode,
    CallRecord,
    Employee,
    ManagerInput,
    ManagerResultCode,
    SpringError,
    TokenExpiredError,
    TokenSupersededError,
)

from .fakes import EXPIRED, SUPERSEDED, Recorder, spring_error, static_client

START = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
END = datetime.datetime(2026, 3, 8, tzinfo=datetime.UTC)
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(range(256)) * 1000


def _api(handler: Callable[[httpx.Request], httpx.Response]) -> Tele2Ats:
    return Tele2Ats(static_client(handler))


def _json(status: int, body: Any) -> Recorder:
    return Recorder(httpx.Response(status, json=body))


def _record(index: int) -> dict[str, Any]:
    return {
        "date": "2026-03-02T07:00:00Z",
        "callType": "SINGLE_CHANNEL",
        "callerNumber": f"7900{index:07d}",
        "callStatus": "ANSWERED_COMMON",
        "callDuration": 30,
        "recordFileName": f"2026-03-02/{index}",
    }


@pytest.mark.parametrize(
    ("status", "body", "exception", "model", "message"),
    [
        (400, spring_error(400, "Query parameter 'start' is bad"), errors.BadRequest, SpringError,
         "Query parameter 'start' is bad"),
        (403, EXPIRED, errors.TokenExpired, TokenExpiredError, "The token is expired"),
        (403, SUPERSEDED, errors.TokenSuperseded, TokenSupersededError,
         "The token has already been updated"),
        (403, spring_error(403, "Malformed token"), errors.Forbidden, SpringError,
         "Malformed token"),
        (405, spring_error(405, "Method not allowed"), errors.ApiError, SpringError,
         "Method not allowed"),
    ],
)  # fmt: skip
def test_documented_error_raises_its_class(
    status: int, body: Any, exception: type[errors.ApiError], model: type, message: str
) -> None:
    with pytest.raises(exception) as caught:
        _api(_json(status, body)).get_manager(26)  # documents 400, 403, 404 and 405
    error = caught.value
    assert type(error) is exception, repr(error)
    assert error.status_code == status, error
    assert isinstance(error.parsed, model), error.parsed
    assert error.message == message, error
    assert error.request.method == "GET", error.request
    assert error.request.url.path == "/crm/openapi/managers/26", error.request
    assert f"HTTP {status}: {message}" in str(error), str(error)


def test_token_exceptions_are_forbidden() -> None:
    with pytest.raises(errors.Forbidden):
        _api(_json(403, EXPIRED)).get_blacklist()
    assert issubclass(errors.TokenSuperseded, errors.Forbidden)


def test_not_found_carries_spring_body_and_request() -> None:
    body = spring_error(404, "No manager with id 999999", "/crm/openapi/managers/999999")
    with pytest.raises(errors.NotFound) as caught:
        _api(_json(404, body)).get_manager(999999)
    assert caught.value.parsed.message == "No manager with id 999999", caught.value
    assert caught.value.request.url.path == "/crm/openapi/managers/999999", caught.value.request


def test_undocumented_status_raises_unexpected_status() -> None:
    recorder = Recorder(httpx.Response(502, content=b"bad gateway"))
    with pytest.raises(errors.UnexpectedStatus) as caught:
        _api(recorder).initiate_call(source="79026840778", destination="79533933557")
    error = caught.value
    assert (error.status_code, error.content, error.parsed) == (502, b"bad gateway", None), error
    assert error.message == "bad gateway", error
    assert error.request.url.params["source"] == "79026840778", error.request


@pytest.mark.parametrize(
    ("code", "exception"),
    [
        ("CUSTOMER_ALREADY_ASSIGNED", errors.CustomerAlreadyAssigned),
        ("MANAGER_HANDLING_ALL_CUSTOMERS_ALREADY_EXISTS",
         errors.ManagerHandlingAllCustomersAlreadyExists),
    ],
)  # fmt: skip
def test_manager_refusal_code_raises(code: str, exception: type[errors.Refused]) -> None:
    with pytest.raises(exception) as caught:
        _api(_json(200, code)).create_manager(body=ManagerInput(employee_id=440))
    error = caught.value
    assert isinstance(error, errors.Refused), error
    assert error.code == code == error.message, error
    assert error.parsed is ManagerResultCode(code), error
    assert error.status_code == 200, error
    assert error.request.method == "POST", error.request


def test_blacklist_duplicate_raises_but_function_still_returns_the_code() -> None:
    recorder = _json(200, "DUPLICATE_BLACK_LIST_NUMBER")
    with pytest.raises(errors.DuplicateBlackListNumber) as caught:
        _api(recorder).add_to_blacklist(body="79998887766")
    assert caught.value.request.content == b"79998887766", caught.value.request
    # The generated function, the default, is unchanged: the code is its answer.
    returned = add_to_blacklist.sync(client=static_client(recorder), body="79998887766")
    assert returned is BlacklistResultCode.DUPLICATE_BLACK_LIST_NUMBER, returned


def test_refusals_cover_every_non_success_code() -> None:
    codes = {c.value for c in [*ManagerResultCode, *BlacklistResultCode]} - {"SUCCESS"}
    assert set(errors.REFUSALS) == codes, errors.REFUSALS
    assert {cls.code for cls in errors.REFUSALS.values()} == codes


def test_success_returns_the_success_type() -> None:
    api = _api(_json(200, [{"employeeId": 5412}, {"employeeId": 433, "fullNumber": "79081560008"}]))
    employees = api.get_employees()
    assert [e.employee_id for e in employees] == [5412, 433], employees
    assert all(isinstance(e, Employee) for e in employees), employees
    assert _api(_json(200, "SUCCESS")).add_to_blacklist(body="79998887766") is (
        BlacklistResultCode.SUCCESS
    )


def test_no_body_success_returns_without_raising() -> None:
    recorder = Recorder(httpx.Response(200))
    api = _api(recorder)
    api.initiate_call(source="79026840778", destination="79533933557")  # typed `-> None`
    api.delete_manager(26)
    assert [r.method for r in recorder.requests] == ["POST", "DELETE"], recorder.requests


def test_async_facade_raises_and_returns_alike() -> None:
    answers = iter(
        [httpx.Response(200, json=[{"employeeId": 1}]), httpx.Response(403, json=SUPERSEDED)]
    )
    api = AsyncTele2Ats(static_client(lambda request: next(answers)))

    async def scenario() -> list[Employee]:
        async with api:
            employees = await api.get_employees()
            with pytest.raises(errors.TokenSuperseded):
                await api.get_employees()
            return employees

    assert [e.employee_id for e in asyncio.run(scenario())] == [1]


class Journal:
    """A MockTransport handler serving `total` records page by page, as the service does."""

    def __init__(self, total: int) -> None:
        self.records = [_record(i) for i in range(total)]
        self.pages: list[tuple[int, int]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        page, size = int(request.url.params["page"]), int(request.url.params["size"])
        self.pages.append((page, size))
        return httpx.Response(200, json=self.records[page * size : (page + 1) * size])


@pytest.mark.parametrize(
    ("total", "page_size", "pages"),
    [
        (0, 10, [(0, 10)]),
        (7, 10, [(0, 10)]),
        (25, 10, [(0, 10), (1, 10), (2, 10)]),
        (20, 10, [(0, 10), (1, 10), (2, 10)]),  # a full last page: one more, empty, page
        (3, 1, [(0, 1), (1, 1), (2, 1), (3, 1)]),
    ],
)
def test_iter_call_records_stops_after_short_page(
    total: int, page_size: int, pages: list[tuple[int, int]]
) -> None:
    journal = Journal(total)
    records = list(_api(journal).iter_call_records(start=START, end=END, page_size=page_size))
    assert [r.caller_number for r in records] == [r["callerNumber"] for r in journal.records]
    assert all(isinstance(r, CallRecord) for r in records)
    assert journal.pages == pages, journal.pages


def test_iter_call_records_default_page_is_the_service_cap() -> None:
    journal = Journal(3)
    list(_api(journal).iter_call_records(start=START, end=END))
    assert journal.pages == [(0, PAGE_SIZE_MAX)] == [(0, 2000)], journal.pages


def test_iter_call_records_passes_filters_and_is_lazy() -> None:
    journal = Journal(30)
    recorder = Recorder(journal)
    records = _api(recorder).iter_call_records(
        start=START,
        end=END,
        caller="79000000001",
        is_recorded=True,
        sort=["date,ASC"],
        page_size=10,
    )
    assert recorder.requests == [], "nothing is sent before the first record is asked for"
    first = next(records)
    assert first.caller_number == "79000000000", first
    params = recorder.last.url.params
    sent = (params["caller"], params["is_recorded"], params["start"], params["end"])
    assert sent == ("79000000001", "true", START.isoformat(), END.isoformat()), params
    assert len(recorder.requests) == 1, "one page at a time"


@pytest.mark.parametrize("page_size", [0, -1, PAGE_SIZE_MAX + 1])
def test_iter_call_records_refuses_page_size_out_of_bounds(page_size: int) -> None:
    journal = Journal(3)
    with pytest.raises(ValueError, match="page_size"):
        next(_api(journal).iter_call_records(start=START, end=END, page_size=page_size))
    assert journal.pages == [], "nothing was sent"


def test_iter_call_records_raises_for_failed_page() -> None:
    answers = iter([httpx.Response(200, json=[_record(0)]), httpx.Response(403, json=EXPIRED)])
    records = _api(lambda request: next(answers)).iter_call_records(
        start=START, end=END, page_size=1
    )
    assert next(records).caller_number == "79000000000"
    with pytest.raises(errors.TokenExpired):
        next(records)


def test_async_iter_call_records_pages_alike() -> None:
    journal = Journal(5)
    api = AsyncTele2Ats(static_client(journal))

    async def scenario() -> list[CallRecord]:
        async with api:
            return [r async for r in api.iter_call_records(start=START, end=END, page_size=2)]

    assert len(asyncio.run(scenario())) == 5
    assert journal.pages == [(0, 2), (1, 2), (2, 2)], journal.pages


def _recording(request: httpx.Request) -> httpx.Response:
    if request.url.params["filename"] == "2026-03-02/1":
        return httpx.Response(200, content=MP3, headers={"Content-Type": "audio/mpeg"})
    body = spring_error(404, "No recording", "/crm/openapi/call-records/file")
    return httpx.Response(404, json=body)


def test_download_recording_to_path(tmp_path: Path) -> None:
    target = tmp_path / "call.mp3"
    recorder = Recorder(_recording)
    written = _api(recorder).download_recording("2026-03-02/1", target)
    assert written == len(MP3) == target.stat().st_size
    assert target.read_bytes() == MP3
    assert list(tmp_path.iterdir()) == [target], "no temporary file left behind"
    assert recorder.last.url.raw_path.endswith(b"filename=2026-03-02%2F1"), recorder.last.url


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_download_recording_honours_the_umask(tmp_path: Path, umask: int) -> None:
    """Saved 0600 whatever the umask: a web server running as another user could not serve
    the file. Now the mode is the one open() would give."""
    previous = os.umask(umask)
    try:
        _api(_recording).download_recording("2026-03-02/1", tmp_path / "call.mp3")
        (tmp_path / "by-open.mp3").write_bytes(b"")
    finally:
        os.umask(previous)
    mode = stat.S_IMODE((tmp_path / "call.mp3").stat().st_mode)
    assert mode == 0o666 & ~umask == stat.S_IMODE((tmp_path / "by-open.mp3").stat().st_mode)


def test_download_recording_to_stream_in_chunks() -> None:
    stream = io.BytesIO()
    written = _api(_recording).download_recording("2026-03-02/1", stream, chunk_size=1000)
    assert written == len(MP3)
    assert stream.getvalue() == MP3


def test_download_recording_error_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "missing.mp3"
    with pytest.raises(errors.NotFound) as caught:
        _api(_recording).download_recording("2026-03-02/2", target)
    assert caught.value.message == "No recording", caught.value
    assert list(tmp_path.iterdir()) == [], "neither the file nor a temporary one"


def test_download_recording_interrupted_keeps_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "call.mp3"
    target.write_bytes(b"older")

    def broken(request: httpx.Request) -> httpx.Response:
        def chunks() -> Any:
            yield MP3[:100]
            raise httpx.ReadError("connection lost", request=request)

        return httpx.Response(200, content=chunks(), headers={"Content-Type": "audio/mpeg"})

    with pytest.raises(httpx.ReadError):
        _api(broken).download_recording("2026-03-02/1", target)
    assert target.read_bytes() == b"older", "replaced only when complete"
    assert list(tmp_path.iterdir()) == [target]


def test_async_download_recording(tmp_path: Path) -> None:
    api = AsyncTele2Ats(static_client(_recording))

    async def scenario() -> int:
        async with api:
            with pytest.raises(errors.NotFound):
                await api.download_recording("2026-03-02/2", tmp_path / "missing.mp3")
            return await api.download_recording("2026-03-02/1", tmp_path / "call.mp3")

    assert asyncio.run(scenario()) == len(MP3)
    assert (tmp_path / "call.mp3").read_bytes() == MP3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["call.mp3"]


def test_facade_shares_the_client() -> None:
    client: AuthenticatedClient = static_client(_json(200, []))
    api = Tele2Ats(client)
    with api:
        assert api.get_blacklist() == []
        assert api.client is client


@pytest.mark.parametrize("field", ["start", "end"])
def test_a_naive_datetime_is_refused_before_it_is_sent(field: str) -> None:
    """A naive datetime went out as '2026-03-01T00:00:00' and came back as the server's
    "is not a 'date-time'"; now the client says an offset is needed, and sends nothing."""
    recorder = _json(200, [])
    naive = datetime.datetime(2026, 3, 1)
    dates: dict[str, Any] = {"start": START, "end": END} | {field: naive}
    with pytest.raises(ValueError, match=r"has no UTC offset") as caught:
        _api(recorder).get_call_records(**dates)
    assert str(caught.value) == (
        f"{field}=datetime.datetime(2026, 3, 1, 0, 0) has no UTC offset, and the API needs one "
        "(it would be sent as '2026-03-01T00:00:00'): pass an aware datetime, e.g. "
        f"{field}=datetime.datetime(2026, 3, 1, "
        'tzinfo=zoneinfo.ZoneInfo("Europe/Moscow")), or value.replace(tzinfo=datetime.UTC)'
    )
    assert recorder.requests == []
    offset = datetime.timezone(datetime.timedelta(hours=3))
    _api(recorder).get_call_records(**(dates | {field: naive.replace(tzinfo=offset)}))
    assert recorder.last.url.params[field] == "2026-03-01T00:00:00+03:00"
