"""The most hostile tenant files: each refused with a bounded answer (its status, the problem
named at its place, in bounded time and memory, and an answer that does not echo the input),
and nothing changed.

Found by these tests and fixed: a problem that stops the reading inside a streamed section (a
list nested past 64 levels, an integer past Python's 4,300 digits, a raw control character in
a JSON string, any JSON syntax error inside `employees` or `callRecords`) was a 500 instead of
the file's 400: the reader caught its stop only between sections, not inside one's items.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from mock_server.domain.pbx import Pbx
from mock_server.http.app import create_app
from tests.conftest import CONTROL
from tests.mock_process import MockProcess, running_mock
from tests.pinned import pinned_config

FORMAT = '"format": "tele2-ats-tenant/1"'
JSON = "application/json"
YAML = "application/yaml"
# Generous against a loaded 2-core machine; each of these answers takes well under a second
# alone (the million employees about two).
SECONDS = 20.0
# The most an answer about a refused file may be: its problems named, not its values echoed.
ANSWER_BYTES = 8 * 1024


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    pbx = Pbx(pinned_config(history_days=1, calls_per_day=5))
    with TestClient(create_app(pbx), raise_server_exceptions=False, headers=CONTROL) as client:
        yield client
    pbx.close()


def _state(client: TestClient) -> tuple[Any, bytes]:
    """The companies and the whole of company 392, as its export writes it."""
    companies = client.get("/mock/health").json()["companies"]
    return companies, client.get("/mock/companies/392/export").content


def _refused(client: TestClient, body: str | bytes, media: str, *expected: tuple[str, str]) -> None:
    """PUT `body` as company 392's data and POST it as a new company's (JSON only): each is
    refused 400 in bounded time with each (pointer, part of its detail) of `expected`
    named, an answer of bounded size, and nothing changed."""
    before = _state(client)
    attempts = [("PUT", "/mock/companies/392/data", body, "")]
    if media == JSON:
        raw = body.encode() if isinstance(body, str) else body
        attempts.append(("POST", "/mock/companies", b'{"fixture": ' + raw + b"}", "/fixture"))
    for method, path, content, prefix in attempts:
        started = time.perf_counter()
        answer = client.request(method, path, content=content, headers={"Content-Type": media})
        elapsed = time.perf_counter() - started
        assert answer.status_code == 400, (method, answer.status_code, answer.text[:500])
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert len(answer.content) <= ANSWER_BYTES, len(answer.content)
        errors = answer.json()["errors"]
        for pointer, detail in expected:
            assert any(
                e["pointer"] == prefix + pointer and detail in e["detail"] for e in errors
            ), (method, pointer, detail, errors)
        assert elapsed < SECONDS, (method, elapsed)
    assert _state(client) == before


# -- a body of a gigabyte ---------------------------------------------------------------------


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def _send(mock: MockProcess, head: str, body: Iterator[bytes]) -> bytes:
    """Send a request's head, then as much of `body` as the mock takes before it answers;
    the answer's bytes."""
    port = mock.ready["port"]
    with socket.create_connection(("127.0.0.1", port), timeout=SECONDS) as conn:
        conn.sendall(head.replace("\n", "\r\n").encode())
        try:
            for chunk in body:
                conn.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the mock answered and closed before the body's end: what is wanted
        received = b""
        try:
            while chunk := conn.recv(65536):
                received += chunk
                if b"\r\n\r\n" in received and received.rstrip().endswith(b"}"):
                    break
        except ConnectionResetError:
            pass
    return received


@pytest.mark.slow
@pytest.mark.parametrize(
    ("method", "path"), [("PUT", "/mock/companies/392/data"), ("POST", "/mock/companies")]
)
def test_a_gigabyte_body_is_413_by_its_length_before_it_is_read(method: str, path: str) -> None:
    with running_mock() as mock:
        before = list(mock.control.health().companies)
        rss = _rss_kb(mock.pid)
        started = time.perf_counter()
        head = (
            f"{method} {path} HTTP/1.1\nHost: 127.0.0.1:{mock.ready['port']}\n"
            f"Content-Type: application/json\nContent-Length: {2**30}\n\n"
        )
        answer = _send(mock, head, iter([b'{"format": "tele2-ats-tenant/1", "employees": [']))
        elapsed = time.perf_counter() - started
        assert answer.startswith(b"HTTP/1.1 413 "), answer[:300]
        assert b"longer than the 67108864 bytes this operation takes" in answer, answer
        assert elapsed < SECONDS, elapsed
        assert _rss_kb(mock.pid) - rss < 16 * 1024  # the body was not read into memory
        assert list(mock.control.health().companies) == before


@pytest.mark.slow
def test_a_chunked_body_past_the_limit_is_413_where_it_passes_it() -> None:
    """No Content-Length to judge by: the body is counted as it comes, and cut at 64 MiB."""
    chunk = b" " * (1 << 20)
    framed = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    with running_mock() as mock:
        before = list(mock.control.health().companies)
        head = (
            f"PUT /mock/companies/392/data HTTP/1.1\nHost: 127.0.0.1:{mock.ready['port']}\n"
            "Content-Type: application/json\nTransfer-Encoding: chunked\n\n"
        )
        body = iter([b"1\r\n{\r\n", *[framed] * 1024])  # a gigabyte, if it were all taken
        answer = _send(mock, head, body)
        assert answer.startswith(b"HTTP/1.1 413 "), answer[:300]
        assert list(mock.control.health().companies) == before
        assert mock.control.health().status == "ok"


# -- YAML's aliases: the billion laughs --------------------------------------------------------

_LOL = '"lol"'
_LAUGHS = "".join(
    f"  - &l{n} [{', '.join([f'*l{n - 1}' if n else _LOL] * 9)}]\n" for n in range(10)
)


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        (f"format: tele2-ats-tenant/1\nemployees:\n{_LAUGHS}", "/employees/0"),
        (f"format: tele2-ats-tenant/1\ncompany:\n  name:\n{_LAUGHS}", "/company/name/0"),
        ("format: tele2-ats-tenant/1\nx: &a {name: A}\ncompany: {<<: *a}\n", "/x"),
        ("format: tele2-ats-tenant/1\ncompany: {name: &a A}\nemployees: [*a]\n", "/company/name"),
    ],
    ids=["laughs in a streamed section", "laughs in a value", "a merge key", "an alias"],
)
def test_yaml_anchors_and_aliases_are_refused_at_the_first(
    client: TestClient, body: str, pointer: str
) -> None:
    _refused(client, body, YAML, (pointer, "YAML anchors and aliases are not read"))


# -- nesting ------------------------------------------------------------------------------------

_DEEP = 100_000


@pytest.mark.parametrize(
    ("body", "media", "pointer", "detail"),
    [
        ("{" + FORMAT + ', "employees": [' + "[" * _DEEP + "]" * _DEEP + "]}", JSON,
         "/employees/0", "nested"),
        ("{" + FORMAT + ', "company": ' + "[" * _DEEP + "]" * _DEEP + "}", JSON,
         "/company", "nested"),
        ("{" + FORMAT + ', "callRecords": [{"x": ' + '{"x": ' * _DEEP + "}" * _DEEP + "}]}",
         JSON, "/callRecords/0", "nested"),
        # libyaml stops at 1,000 levels, the reader at 64.
        ("format: tele2-ats-tenant/1\nemployees: [" + "[" * _DEEP + "]" * _DEEP + "]\n", YAML,
         "", "maximum nesting depth"),
        ("format: tele2-ats-tenant/1\ncompany: " + "[" * _DEEP + "]" * _DEEP + "\n", YAML,
         "/company", "maximum nesting depth"),
        ("format: tele2-ats-tenant/1\nemployees: [" + "[" * 100 + "]" * 100 + "]\n", YAML,
         "/employees" + "/0" * 64, "nested deeper than 64 levels"),
        ("format: tele2-ats-tenant/1\ncompany: " + "[" * 100 + "]" * 100 + "\n", YAML,
         "/company" + "/0" * 64, "nested deeper than 64 levels"),
    ],
    ids=["json, a streamed section", "json, a value", "json, a record", "yaml, a streamed "
         "section", "yaml, a value", "yaml, 100 levels in a section", "yaml, 100 levels"],
)  # fmt: skip
def test_nesting_past_64_levels_is_refused(
    client: TestClient, body: str, media: str, pointer: str, detail: str
) -> None:
    _refused(client, body, media, (pointer, detail))


# -- a million employees -------------------------------------------------------------------------


def _employees(count: int) -> Iterator[str]:
    for n in range(1, count + 1):
        yield json.dumps(
            {"employeeId": n, "name": f"Сотрудник {n}", "fullNumber": f"7916{n:07d}"},
            ensure_ascii=False,
        )


def test_a_million_employees_are_refused_past_the_most_a_file_holds(client: TestClient) -> None:
    employees = ",".join(f'{{"employeeId": {n}}}' for n in range(1, 10**6 + 1))
    body = "{" + FORMAT + ', "employees": [' + employees + "]}"
    assert len(body.encode()) < 64 << 20  # a body the control API takes whole
    _refused(client, body, JSON, ("/employees", "more than 10000 items"))


_PEAK = """
import json, resource, sys, time
from pathlib import Path
from mock_server.domain.errors import DocumentRefused
from mock_server.domain.pbx import Pbx
from mock_server.tenant_files import open_tenant
from tests.pinned import pinned_config

pbx = Pbx(pinned_config(history_days=0))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
try:
    with open_tenant(Path(sys.argv[1])) as document:
        pbx.load_tenant(document)
    problems = []
except DocumentRefused as refused:
    problems = [(p.pointer, p.message) for p in refused.problems]
seconds = time.perf_counter() - started
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"seconds": seconds, "grown_kb": grown, "problems": problems}))
"""


@pytest.mark.slow
@pytest.mark.parametrize(("suffix", "seconds"), [(".json", 60), (".yaml", 240)])
def test_a_file_of_a_million_employees_is_read_in_bounded_time_and_memory(
    tmp_path: Path, suffix: str, seconds: float
) -> None:
    """The file (70 MB, beyond any body the control API takes) as `--tenant FILE` reads it:
    the items past the most a section holds are read and dropped, so the memory the read
    takes stays far below the file's size, and the time is linear in it. The JSON puts each
    comma on the next item's line, which the reader's batches (`_batch`) cannot take: it
    looked for a batch again at each item, through the next 128 KiB each time (about 150 s
    for this file; 15 s with one look per 128 KiB). The bounds are generous for a loaded
    2-core machine (YAML is read about 4 times slower: libyaml's events, one by one)."""
    path = tmp_path / f"tenant{suffix}"
    with path.open("w", encoding="utf-8") as out:
        if suffix == ".json":
            out.write("{" + FORMAT + ', "employees": [\n')
            for n, line in enumerate(_employees(10**6)):
                out.write(("\n," if n else "") + line)
            out.write("]}\n")
        else:
            out.write("format: tele2-ats-tenant/1\nemployees:\n")
            for line in _employees(10**6):
                out.write(f"  - {line}\n")
    size_mb = path.stat().st_size / 2**20
    assert size_mb > 60
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, str(path)],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert ["/employees", "more than 10000 items"] in result["problems"], result["problems"]
    assert result["grown_kb"] < 40 * 1024, (result["grown_kb"], size_mb)
    assert result["seconds"] < seconds, result["seconds"]


# -- a name of ten megabytes --------------------------------------------------------------------

_LONG = "я" * (10 << 20)


@pytest.mark.parametrize(
    ("body", "media", "pointer"),
    [
        ("{" + FORMAT + ', "employees": [{"employeeId": 1, "name": "' + _LONG + '"}]}', JSON,
         "/employees/0/name"),
        ("{" + FORMAT + ', "company": {"name": "' + _LONG + '"}}', JSON, "/company/name"),
        ("{" + FORMAT + ', "callRecords": [{"date": "2026-03-01T10:00:00.000Z", "callType": '
         '"SINGLE_CHANNEL", "callerNumber": "79001234567", "callerName": "' + _LONG + '", '
         '"callDuration": 5, "callStatus": "NOT_ANSWERED_COMMON", "recordFileName": ""}]}',
         JSON, "/callRecords/0/callerName"),
        ("format: tele2-ats-tenant/1\nemployees:\n  - employeeId: 1\n    name: " + _LONG + "\n",
         YAML, "/employees/0/name"),
    ],
    ids=["json, an employee", "json, the company", "json, a record", "yaml, an employee"],
)  # fmt: skip
def test_a_name_of_ten_megabytes_is_refused_by_its_length(
    client: TestClient, body: str, media: str, pointer: str
) -> None:
    _refused(client, body, media, (pointer, "longer than 200 characters"))


# -- duplicate keys -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "media"),
    [
        ("{" + FORMAT + ', "employees": [{"employeeId": 1, "employeeId": 2}], "employees": []}',
         JSON),
        ("format: tele2-ats-tenant/1\nemployees:\n  - employeeId: 1\n    employeeId: 2\n"
         "employees: []\n", YAML),
    ],
    ids=["json", "yaml"],
)  # fmt: skip
def test_a_member_given_twice_is_named_at_each_level(
    client: TestClient, body: str, media: str
) -> None:
    _refused(
        client,
        body,
        media,
        ("/employees/0/employeeId", "'employeeId' is given twice"),
        ("/employees", "'employees' is given twice"),
    )


# -- numbers JSON has not ----------------------------------------------------------------------


def test_nan_and_infinity_are_refused_where_they_stand(client: TestClient) -> None:
    body = (
        "{" + FORMAT + ', "employees": [{"employeeId": NaN}, {"employeeId": -Infinity}], '
        '"generate": {"seed": Infinity}, "recordings": {"2026-03-01/1": {"sentences": '
        '[{"channel": "A", "text": "Алло", "at": 1e999}]}}}'
    )
    _refused(
        client,
        body,
        JSON,
        ("/employees/0/employeeId", "NaN is not a JSON number"),
        ("/employees/1/employeeId", "-Infinity is not a JSON number"),
        ("/generate/seed", "Infinity is not a JSON number"),
        ("/recordings/2026-03-01~11/sentences/0/at", ""),
    )


def test_yamls_nan_and_infinity_are_refused(client: TestClient) -> None:
    body = (
        "format: tele2-ats-tenant/1\nemployees:\n  - employeeId: .nan\n  - employeeId: -.inf\n"
        "generate: {seed: .inf}\n"
    )
    _refused(
        client,
        body,
        YAML,
        ("/employees/0/employeeId", ".nan is not a JSON number"),
        ("/employees/1/employeeId", "-.inf is not a JSON number"),
        ("/generate/seed", ".inf is not a JSON number"),
    )


@pytest.mark.parametrize("digits", [4_301, 10 << 20])
@pytest.mark.parametrize(
    ("template", "media", "pointer"),
    [
        ("{" + FORMAT + ', "employees": [{"employeeId": %s}]}', JSON, "/employees/0"),
        ("{" + FORMAT + ', "generate": {"seed": %s}}', JSON, "/generate"),
        ("format: tele2-ats-tenant/1\nemployees:\n  - employeeId: %s\n", YAML,
         "/employees/0/employeeId"),
    ],
    ids=["json, a streamed section", "json, a value", "yaml"],
)  # fmt: skip
def test_an_integer_past_4300_digits_is_refused(
    client: TestClient, template: str, media: str, pointer: str, digits: int
) -> None:
    _refused(client, template % ("1" * digits), media, (pointer, "4300"))


# -- NUL and other control characters ----------------------------------------------------------

_CONTROL = "holds a control character"


@pytest.mark.parametrize(
    ("body", "media", "pointer", "detail"),
    [
        ("{" + FORMAT + ', "employees": [{"employeeId": 1, "name": "a\\u0000b"}]}', JSON,
         "/employees/0/name", _CONTROL),
        ("{" + FORMAT + ', "company": {"name": "a\\u0000b"}}', JSON, "/company/name", _CONTROL),
        ("{" + FORMAT + ', "employees": [{"employeeId": 1, "a\\u0000": 1}]}', JSON,
         "/employees/0/a\x00", "is not a member here"),
        ("{" + FORMAT + ', "callRecords": [{"date": "2026-03-01T10:00:00.000Z", "callType": '
         '"SINGLE_CHANNEL", "callerNumber": "7900\\u00001234567", "callDuration": 5, '
         '"callStatus": "NOT_ANSWERED_COMMON", "recordFileName": ""}]}', JSON,
         "/callRecords/0/callerNumber", _CONTROL),
        ("{" + FORMAT + ', "employees": [{"employeeId": 1, "name": "a\x00b"}]}', JSON,
         "/employees/0", "Invalid control character"),
        ("{" + FORMAT + ', "company": {"name": "a\x00b"}}', JSON, "/company",
         "Invalid control character"),
        ('format: tele2-ats-tenant/1\nemployees:\n  - employeeId: 1\n    name: "a\\0b"\n', YAML,
         "/employees/0/name", _CONTROL),
        ("format: tele2-ats-tenant/1\nemployees:\n  - employeeId: 1\n    name: a\x00b\n", YAML,
         "", "not YAML"),
    ],
    ids=["json escape, an employee", "json escape, the company", "json escape, a member name",
         "json escape, a record", "json raw, an employee", "json raw, the company",
         "yaml escape", "yaml raw"],
)  # fmt: skip
def test_a_nul_is_refused_where_it_is(
    client: TestClient, body: str, media: str, pointer: str, detail: str
) -> None:
    _refused(client, body, media, (pointer, detail))
