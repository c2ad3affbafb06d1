"""The guard of `/mock` over a real socket: what only a raw HTTP request can send, the CLI's
`--allowed-host`, and the warning when the mock listens beyond loopback."""

from __future__ import annotations

import io
import os
import socket
import subprocess
from collections.abc import Iterator
from contextlib import redirect_stdout

import httpx
import pytest

from mock_server.cli import _print_banner, parse_args
from mock_server.domain.pbx import Pbx
from mock_server.testing.control import ControlClient
from tests.mock_process import MockProcess, running_mock
from tests.pinned import pinned_config
from tests.spec_utils import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def mock() -> Iterator[MockProcess]:
    with running_mock("--history-days", "1") as process:
        yield process


def _raw(mock: MockProcess, request: bytes) -> tuple[int, bytes]:
    """Send `request` as is; the answer's status and body."""
    port = mock.ready["port"]
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(request)
        received = b""
        while chunk := conn.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def _companies(mock: MockProcess) -> list[int]:
    return list(mock.control.health().companies)


def test_http_1_0_without_a_host_is_refused(mock: MockProcess) -> None:
    before = _companies(mock)
    status, body = _raw(
        mock,
        b"POST /mock/companies HTTP/1.0\r\nContent-Type: application/json\r\n"
        b"Content-Length: 2\r\n\r\n{}",
    )
    assert status == 403, body
    assert b"No Host header" in body
    status, body = _raw(mock, b"GET /mock/health HTTP/1.0\r\n\r\n")
    assert status == 403, body
    # With its Host, an HTTP/1.0 client is served like any other.
    status, body = _raw(mock, b"GET /mock/health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
    assert status == 200, body
    assert _companies(mock) == before


def test_an_absolute_form_target_is_judged_by_the_host_header(mock: MockProcess) -> None:
    """uvicorn routes `POST http://name/path` by its path and leaves the name out of the ASGI
    request; the Host header is what the app (and the guard) sees. A browser sends the
    absolute form only to a proxy, which sends the same name in Host."""
    port = mock.ready["port"]
    before = _companies(mock)
    body = b"Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
    rebound = f"rebind.attacker.example:{port}"
    for target, host in (
        (f"http://{rebound}/mock/companies", rebound),
        (f"http://127.0.0.1:{port}/mock/companies", rebound),
    ):
        head = f"POST {target} HTTP/1.1\r\nHost: {host}\r\n".encode()
        status, answer = _raw(mock, head + body)
        assert status == 403, answer
        assert b"rebind.attacker.example" in answer
    # The name in the target is not seen: the Host decides (see the docstring).
    head = f"POST http://{rebound}/mock/companies HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode()
    status, answer = _raw(mock, head + body)
    assert status == 201, answer
    assert len(_companies(mock)) == len(before) + 1


def test_ipv6_and_odd_but_loopback_host_forms_are_served(mock: MockProcess) -> None:
    port = mock.ready["port"]
    for host in (f"[::1]:{port}", f"localhost.:{port}", f"LOCALHOST:{port}", "127.0.0.1"):
        request = f"GET /mock/health HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        status, body = _raw(mock, request.encode())
        assert status == 200, (host, body)


def test_two_host_headers_are_refused(mock: MockProcess) -> None:
    port = mock.ready["port"]
    request = (
        f"GET /mock/health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Host: rebind.attacker.example:{port}\r\nConnection: close\r\n\r\n"
    )
    status, body = _raw(mock, request.encode())
    assert status == 403, body
    assert b"More than one" in body


def test_allowed_host_names_another_address_of_the_mock() -> None:
    """`--allowed-host crm-mock.test` (the plugin passes it in `--tele2-ats-args`)."""
    with running_mock("--history-days", "0", "--allowed-host", "crm-mock.test") as named:
        url = named.control_url + "/health"
        assert httpx.get(url, headers={"Host": "crm-mock.test"}).status_code == 200
        assert httpx.get(url, headers={"Host": "rebind.attacker.example"}).status_code == 403


def test_the_control_client_and_curl_lines_keep_working(mock: MockProcess) -> None:
    """The control client sends its header; a documented curl line sends JSON or the header."""
    with ControlClient(mock.base_url) as control:
        company = control.create_company()
        control.settle_calls()
        control.outage(minutes=5, company_id=company.company_id)
        control.clear_faults()
        control.delete_company(company.company_id)
    refused = httpx.delete(mock.control_url + "/faults")
    assert refused.status_code == 403, refused.text
    assert refused.json()["detail"].startswith("DELETE with no Content-Type and no Origin")
    cleared = httpx.delete(mock.control_url + "/faults", headers={"X-Tele2-Ats-Mock": "1"})
    assert cleared.status_code == 204, cleared.text


def _readme_curl_lines() -> list[str]:
    """The curl lines of docs/control-api.md's test-double block (`M=.../mock` up to the fence)."""
    text = (ROOT / "docs" / "control-api.md").read_text(encoding="utf-8")
    block = text.split("M=http://127.0.0.1:8080/mock\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.startswith("curl ")]


def test_the_readmes_curl_lines_are_served(mock: MockProcess) -> None:
    lines = _readme_curl_lines()
    assert len(lines) >= 10
    env = {**os.environ, "M": mock.control_url}
    for line in lines:
        measured = "curl -s -o /dev/null -w '%{http_code}' " + line.removeprefix("curl ")
        done = subprocess.run(
            ["bash", "-c", measured], env=env, capture_output=True, text=True, timeout=60
        )
        assert done.stdout.startswith("2"), (line, done.stdout, done.stderr)


@pytest.mark.parametrize(
    ("host", "exposed"),
    [
        ("127.0.0.1", False),
        ("127.0.0.2", False),
        ("::1", False),
        ("localhost", False),
        ("0.0.0.0", True),
        ("::", True),
        ("192.0.2.10", True),
    ],
)
def test_listening_beyond_loopback_warns_what_is_exposed(host: str, exposed: bool) -> None:
    """The banner of `--host 0.0.0.0` says that the control API and the console answer anyone
    who reaches the address, without authentication. (Nothing listens here: the banner is
    printed for the address as given.)"""
    pbx = Pbx(pinned_config(seed=1, history_days=0))
    try:
        printed = io.StringIO()
        with redirect_stdout(printed):
            _print_banner(parse_args(["--host", host]), pbx, f"http://{host}:8080")
    finally:
        pbx.close()
    banner = printed.getvalue()
    if not exposed:
        assert "WARNING" not in banner
        return
    assert f"WARNING: listening on {host}" in banner
    assert "control API" in banner
    assert "console" in banner
    assert "no authentication" in banner


@pytest.mark.parametrize("value", ["crm-mock.test:8080", "*.test", "http://crm-mock.test", ""])
def test_allowed_host_takes_a_name_or_an_address(value: str) -> None:
    with pytest.raises(SystemExit) as exited:
        parse_args(["--allowed-host", value])
    assert exited.value.code == 2
    assert parse_args(["--allowed-host", "CRM-Mock.test."]).allowed_host == ["CRM-Mock.test."]
