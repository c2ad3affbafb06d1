"""Every operation builds the request the API expects: method, path, query, headers, body."""

from __future__ import annotations

import asyncio
import datetime
import importlib
import json
import pkgutil
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import tele2_ats_client.api
from tele2_ats_client import (
    AsyncTele2Ats,
    AuthenticatedClient,
    Client,
    RefreshingClient,
    Tele2Ats,
    UnexpectedStatus,
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
from tele2_ats_client.models import CustomerInput, ManagerInput, ManagerUpdate

from mock_server.http.app import handler_name
from mock_server.spec_index import SpecIndex

from .fakes import ACCESS, BASE_URL, REFRESH, Recorder

SPEC = Path(__file__).resolve().parents[2] / "openapi" / "tele2-ats.yaml"
MSK = datetime.timezone(datetime.timedelta(hours=3))
START = datetime.datetime(2022, 7, 24, 10, 15, 30, tzinfo=MSK)
END = datetime.datetime(2022, 7, 26, 10, 15, 30, tzinfo=MSK)
START_Q = "2022-07-24T10%3A15%3A30%2B03%3A00"
END_Q = "2022-07-26T10%3A15%3A30%2B03%3A00"
# The create body has no `id` (read-only, D6); the update body names the manager by it (D9).
MANAGER = ManagerInput(
    employee_id=440,
    name="r",
    customers=[CustomerInput(real_number="79081581621", is_vip=True, name="Ivanov")],
)
MANAGER_JSON = {
    "employeeId": 440,
    "name": "r",
    "customers": [{"realNumber": "79081581621", "isVip": True, "name": "Ivanov"}],
    "handleAllCustomers": False,
}
MANAGER_UPDATE = ManagerUpdate(
    employee_id=440,
    id=26,
    name="r",
    customers=[CustomerInput(real_number="79081581621", is_vip=True, name="Ivanov")],
)
MANAGER_UPDATE_JSON = {
    "employeeId": 440,
    "id": 26,
    "name": "r",
    "customers": [{"realNumber": "79081581621", "isVip": True, "name": "Ivanov"}],
    "handleAllCustomers": False,
}


@dataclass(frozen=True)
class Op:
    """One call of an operation and the request it must produce."""

    module: ModuleType
    method: str
    path: str  # relative to the base URL, as sent (percent-encoded)
    query: str = ""  # exactly as sent
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    content: bytes = b""
    json: Any = None
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.module.__name__.rsplit(".", 1)[-1]


OPERATIONS = [
    Op(refresh_token, "PUT", "/authorization/refresh/token"),
    Op(get_current_calls, "GET", "/monitoring/calls"),
    Op(get_pending_calls, "GET", "/monitoring/calls/pending"),
    Op(get_employees, "GET", "/employees"),
    Op(
        initiate_call,
        "POST",
        "/call/outgoing",
        "destination=%2B79533933557&source=79026840778",
        kwargs={"destination": "+79533933557", "source": "79026840778"},
    ),
    Op(
        get_common_statistics,
        "GET",
        "/statistics/common",
        f"start={START_Q}&end={END_Q}&subscriberNumber=79026840778",
        kwargs={"start": START, "end": END, "subscriber_number": "79026840778"},
    ),
    Op(
        get_journal_statistics,
        "GET",
        "/statistics/journal",
        f"start={START_Q}&end={END_Q}",
        kwargs={"start": START, "end": END},
    ),
    Op(
        get_call_records,
        "GET",
        "/call-records/info",
        f"start={START_Q}&end={END_Q}&caller=79000258890&callee=79104739472"
        "&is_recorded=true&page=2&size=50&sort=date%2CDESC&sort=callType",
        kwargs={
            "start": START,
            "end": END,
            "caller": "79000258890",
            "callee": "79104739472",
            "is_recorded": True,
            "page": 2,
            "size": 50,
            "sort": ["date,DESC", "callType"],
        },
    ),
    Op(
        get_call_record_file,
        "GET",
        "/call-records/file",
        "filename=2022-07-15%2F165787002922476116",
        kwargs={"filename": "2022-07-15/165787002922476116", "range_": "bytes=0-1023"},
        headers={"Range": "bytes=0-1023"},
    ),
    Op(
        get_call_record_transcript,
        "GET",
        "/call-records/file/stt",
        "filename=2022-07-15%2F1657",
        kwargs={"filename": "2022-07-15/1657"},
    ),
    Op(get_managers, "GET", "/managers"),
    Op(
        create_manager,
        "POST",
        "/managers",
        kwargs={"body": MANAGER},
        json=MANAGER_JSON,
        headers={"Content-Type": "application/json"},
    ),
    Op(
        update_manager,
        "PUT",
        "/managers",
        kwargs={"body": MANAGER_UPDATE},
        json=MANAGER_UPDATE_JSON,
        headers={"Content-Type": "application/json"},
    ),
    Op(get_manager, "GET", "/managers/26", args=(26,)),
    Op(delete_manager, "DELETE", "/managers/26", args=(26,)),
    Op(get_blacklist, "GET", "/blacklist"),
    Op(
        add_to_blacklist,
        "POST",
        "/blacklist",
        kwargs={"body": "79998887766"},
        content=b"79998887766",
        headers={"Content-Type": "text/plain"},
    ),
    Op(delete_from_blacklist, "DELETE", "/blacklist/by-msisdn/77473370262", args=("77473370262",)),
    Op(clear_blacklist, "DELETE", "/blacklist/all"),
]

# An answer no operation documents: `parsed` is None and nothing needs parsing.
TEAPOT = httpx.Response(418)


def _clients(recorder: Recorder) -> dict[str, AuthenticatedClient]:
    transport = {"transport": httpx.MockTransport(recorder)}
    return {
        "static": AuthenticatedClient(base_url=BASE_URL, token=ACCESS, httpx_args=transport),
        "refreshing": RefreshingClient(
            base_url=BASE_URL, access_token=ACCESS, refresh_token=REFRESH, httpx_args=transport
        ),
    }


def _check_request(op: Op, request: httpx.Request, expected_token: str) -> None:
    url = request.url
    sent = f"{request.method} {url} headers={dict(request.headers)} body={request.content!r}"
    assert request.method == op.method, sent
    assert url.host == "127.0.0.1", sent
    assert url.port == 8080, sent
    expected_path = "/crm/openapi" + op.path + (f"?{op.query}" if op.query else "")
    assert url.raw_path.decode() == expected_path, sent
    assert request.headers.get("Authorization") == expected_token, sent
    for name, value in op.headers.items():
        assert request.headers.get(name) == value, sent
    if op.json is not None:
        assert json.loads(request.content) == op.json, sent
    else:
        assert request.content == op.content, sent
        if not op.content:
            assert "Content-Type" not in request.headers, sent


@pytest.mark.parametrize("kind", ["static", "refreshing"])
@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.id)
def test_operation_sync_builds_request(op: Op, kind: str) -> None:
    recorder = Recorder(TEAPOT)
    client = _clients(recorder)[kind]
    response = op.module.sync_detailed(*op.args, client=client, **op.kwargs)
    assert response.status_code == 418, response
    assert response.parsed is None, response
    assert len(recorder.requests) == 1, recorder.requests
    # A RefreshingClient sends its refresh token to the refresh operation only.
    expected = REFRESH if kind == "refreshing" and op.module is refresh_token else ACCESS
    _check_request(op, recorder.last, expected)


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.id)
def test_operation_async_builds_request(op: Op) -> None:
    recorder = Recorder(TEAPOT)
    client = _clients(recorder)["static"]

    async def call() -> Any:
        async with client:
            return await op.module.asyncio_detailed(*op.args, client=client, **op.kwargs)

    response = asyncio.run(call())
    assert response.status_code == 418, response
    _check_request(op, recorder.last, ACCESS)


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.id)
def test_facade_method_builds_the_same_request(op: Op) -> None:
    recorder = Recorder(TEAPOT)
    client = _clients(recorder)["static"]
    with pytest.raises(UnexpectedStatus) as caught:  # 418 is documented nowhere
        getattr(Tele2Ats(client), op.id)(*op.args, **op.kwargs)
    assert caught.value.request is recorder.last, caught.value
    _check_request(op, recorder.last, ACCESS)

    async def call() -> Any:
        async with client:
            return await getattr(AsyncTele2Ats(client), op.id)(*op.args, **op.kwargs)

    with pytest.raises(UnexpectedStatus):
        asyncio.run(call())
    _check_request(op, recorder.last, ACCESS)
    assert len(recorder.requests) == 2, recorder.requests


def test_every_operation_of_the_spec_is_generated() -> None:
    operation_ids = SpecIndex.load(SPEC).operation_ids
    expected = {handler_name(operation_id) for operation_id in operation_ids}
    modules = {
        info.name.rsplit(".", 1)[-1]: importlib.import_module(info.name)
        for info in pkgutil.walk_packages(tele2_ats_client.api.__path__, "tele2_ats_client.api.")
        if not info.ispkg
    }
    assert set(modules) == expected, f"generated {sorted(modules)}, spec has {sorted(expected)}"
    assert {op.id for op in OPERATIONS} == expected, "every operation has a case above"
    for name, module in modules.items():
        for function in ("sync_detailed", "sync", "asyncio_detailed", "asyncio"):
            assert callable(getattr(module, function, None)), f"{name}.{function} missing"
        for facade in (Tele2Ats, AsyncTele2Ats):
            assert callable(getattr(facade, name, None)), f"{facade.__name__}.{name} missing"


def test_filename_encoded_once_on_the_wire() -> None:
    recorder = Recorder(httpx.Response(200, content=b"ID3", headers={"Content-Type": "audio/mpeg"}))
    client = _clients(recorder)["static"]
    result = get_call_record_file.sync(client=client, filename="2022-07-15/1657")
    sent = recorder.last.url.raw_path
    assert sent == b"/crm/openapi/call-records/file?filename=2022-07-15%2F1657", (sent, result)
    assert b"%25" not in sent, (sent, result)


def test_authorization_header_raw_without_bearer() -> None:
    recorder = Recorder(httpx.Response(200, json=[]))
    client = _clients(recorder)["static"]
    result = get_employees.sync(client=client)
    assert result == [], result
    assert recorder.last.headers["Authorization"] == ACCESS, recorder.last.headers
    assert "Bearer" not in recorder.last.headers["Authorization"], recorder.last.headers


def test_authorization_header_prefix_when_asked() -> None:
    recorder = Recorder(httpx.Response(200, json=[]))
    client = AuthenticatedClient(
        base_url=BASE_URL,
        token=ACCESS,
        prefix="Bearer",
        httpx_args={"transport": httpx.MockTransport(recorder)},
    )
    result = get_employees.sync(client=client)
    assert recorder.last.headers["Authorization"] == f"Bearer {ACCESS}", result


def test_client_default_base_url_production() -> None:
    client = Client()
    assert client.base_url == "https://ats2.t2.ru/crm/openapi", client
    assert RefreshingClient(access_token="a", refresh_token="r").base_url == client.base_url


def test_client_with_headers_keeps_token_and_adds_header() -> None:
    recorder = Recorder(httpx.Response(200, json=[]))
    client = _clients(recorder)["refreshing"].with_headers({"X-Request-Id": "42"})
    result = get_blacklist.sync(client=client)
    assert result == [], result
    assert recorder.last.headers["X-Request-Id"] == "42", recorder.last.headers
    assert recorder.last.headers["Authorization"] == ACCESS, recorder.last.headers
