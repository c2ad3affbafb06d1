"""Bounds on every input a test or an attacker controls (issue 22), in-process with both app
classes: the largest, slowest and most hostile value of each ends in an answer, never in a
hung or swollen mock.

- a fault rule's `path` glob of many stars backtracked for minutes on a 40-character path,
  and `GET /mock/requests?path=` with it took 104 s;
- an integer of more than 4,300 digits (Python's limit for `int()`) in a JSON body or an
  integer path parameter was a 500 in both APIs, and in a `--faults` file a traceback; a
  forged token's `exp` beyond year 9999 made every later listing of the journal a 500;
- a reset to 1970-01-01 seeded recordings named `1969-12-02/-2569...` that the mock's own
  `GET /call-records/file` refused, and a reset to 1969 said "beyond year 9999";
- `POST /mock/reset` took 366 days x 100,000 calls a day (35 minutes of 503s, tens of GB, and
  every later company seeded at that size; now a month of 600 calls a day or a year of 50,
  a few seconds); 1,000 fault rules made every request 36 ms;
- the request journal was bounded by entries, not bytes: 300 requests with a 2 MB header took
  the mock from 79 to 666 MiB, and the console's requests page then served 200 MB;
- a recording was read whole into memory for every download (16 concurrent downloads of a
  4-hour recording: 1.5 GB); the audio cache exceeded its bound for as long as no new
  recording was made.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jwt
import pytest
from starlette.testclient import TestClient

from mock_server.cli import parse_args
from mock_server.domain.audio_cache import AudioCache
from mock_server.domain.errors import InvalidInput
from mock_server.domain.pbx import Pbx
from mock_server.domain.spoken_recordings import CallAudio
from mock_server.http.app import create_app
from tests.conftest import CONTROL, Api
from tests.pinned import PINNED_ARGS, pinned_config

SCRIPT = str(Path(sys.executable).with_name("tele2-ats-mock"))
# One digit more than Python's int() takes from a string.
LONG_INTEGER = "9" * 4301

# A glob that a backtracking matcher takes exponential time over on a path of `a`s.
PATHOLOGICAL_GLOB = "/" + "*a" * 12 + "*b"


def _added(client: TestClient, rule: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/mock/faults", json=rule)
    assert response.status_code == 201, response.text
    added: dict[str, Any] = response.json()
    return added


def test_a_pathological_fault_glob_neither_hangs_nor_fires(client: TestClient, api: Api) -> None:
    _added(client, {"path": PATHOLOGICAL_GLOB, "status": 503})
    response = api.get("/" + "a" * 39)
    assert response.status_code == 404, response.text  # no such path; the rule did not fire
    assert api.get("/employees").status_code == 200


def test_a_pathological_journal_filter_answers(client: TestClient, api: Api) -> None:
    api.get("/" + "a" * 39)
    api.get("/" + "a" * 39 + "b")
    response = client.get("/mock/requests", params={"path": PATHOLOGICAL_GLOB})
    assert response.status_code == 200, response.text
    assert [entry["path"] for entry in response.json()["requests"]] == ["/" + "a" * 39 + "b"]


def test_a_long_integer_in_a_control_body_is_400(client: TestClient) -> None:
    response = client.post(
        "/mock/clock/advance",
        content=f'{{"seconds": {LONG_INTEGER}}}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400, response.text
    assert "an integer of 4301 digits" in response.json()["detail"]


def test_a_long_integer_in_an_api_body_is_the_spring_400(api: Api) -> None:
    body = f'{{"employeeId": {LONG_INTEGER}, "name": "x", "handleAllCustomers": false}}'
    response = api.request(
        "POST", "/managers", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert set(response.json()) == {"timestamp", "status", "error", "message", "path"}
    assert response.json()["message"].startswith("Request body: an integer of 4301 digits")


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/crm/openapi/managers/{}", "id"),
        ("/mock/faults/{}", "id"),
        ("/mock/companies/{}/clock", "companyId"),
    ],
)
def test_a_long_integer_path_parameter_is_400_naming_it(
    client: TestClient, tokens: dict[str, Any], path: str, parameter: str
) -> None:
    response = client.get(
        path.format(LONG_INTEGER), headers={"Authorization": tokens["accessToken"]}
    )
    assert response.status_code == 400, response.text
    assert f"Path parameter '{parameter}'" in response.text


def test_a_forged_expiry_beyond_year_9999_leaves_the_journal_readable(
    client: TestClient,
) -> None:
    for exp in (10**400, 10**17, -(10**17)):
        forged = jwt.encode(
            {"sub": "access-token", "exp": exp, "UserDetailsImpl": {"companyId": 391}},
            "forged" * 11,
            algorithm="HS512",
        )
        answer = client.get("/crm/openapi/employees", headers={"Authorization": forged})
        assert answer.status_code == 403, answer.text
        listed = client.get("/mock/requests", params={"limit": 1})
        assert listed.status_code == 200, listed.text
        assert listed.json()["requests"][0]["token"]["expiresAt"] is None
    assert client.get("/mock/console/requests").status_code == 200


@pytest.mark.parametrize("value", [LONG_INTEGER, "²"])
def test_the_console_journal_refuses_a_page_int_cannot_read(client: TestClient, value: str) -> None:
    response = client.get("/mock/console/journal", params={"page": value})
    assert response.status_code == 400, response.text[:200]
    assert "Страница" in response.text


@pytest.mark.slow
def test_a_long_integer_in_a_faults_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    faults = tmp_path / "faults.yaml"
    faults.write_text(f"- {{operationId: getEmployees, status: 503, times: {LONG_INTEGER}}}\n")
    run = subprocess.run(
        [SCRIPT, "--port", "0", *PINNED_ARGS, "--faults", str(faults)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 2, run
    lines = run.stderr.strip().splitlines()
    assert lines == [
        f"tele2-ats-mock: --faults {faults}: a number of more than 4300 digits, beyond every "
        "field of a fault rule"
    ], lines


def _problem(response: Any, fragment: str) -> None:
    assert response.status_code == 400, response.text
    assert fragment in response.json()["detail"], response.json()


def test_a_reset_leaving_no_room_for_the_history_after_1970_is_refused(
    client: TestClient, pbx: Pbx
) -> None:
    before = client.get("/mock/health").json()
    # The control API's schema admits the years 1972 to 8998 (room for any history, at any
    # offset); the PBX itself refuses a start with no room for its history, naming the
    # earliest now (what `--now` meets).
    for now in ("1970-01-01T00:00:00Z", "1969-06-01T00:00:00Z"):
        response = client.post("/mock/reset", json={"now": now, "historyDays": 0})
        _problem(response, "- 'now'")
    with pytest.raises(
        InvalidInput, match="2 days of seeded history the earliest now is 1970-01-03"
    ):
        pbx.reset(now=datetime(1970, 1, 1, tzinfo=UTC), history_days=2)
    with pytest.raises(InvalidInput, match=r"before 1970-01-01T00:00:00\+00:00") as refused:
        pbx.reset(now=datetime(1969, 6, 1, tzinfo=UTC), history_days=0)
    assert "9999" not in refused.value.message
    assert client.get("/mock/health").json() == before, "nothing was reset"


def test_every_recording_seeded_at_the_earliest_now_is_served(client: TestClient, pbx: Pbx) -> None:
    pbx.reset(now=datetime(1970, 1, 3, tzinfo=UTC), history_days=2)
    api = Api(client, client.post("/mock/tokens").json()["accessToken"])
    records = api.ok(
        "GET",
        "/call-records/info",
        params={
            "start": "1970-01-01T00:00:00Z",
            "end": "1970-01-03T00:00:00Z",
            "is_recorded": "true",
            "size": 100,
        },
    )
    assert records, "the history has recordings"
    for record in records:
        served = api.get(
            "/call-records/file",
            params={"filename": record["recordFileName"]},
            headers={"Range": "bytes=0-2"},
        )
        assert served.status_code == 206, (record["recordFileName"], served.text)


def test_the_clock_cannot_be_put_before_1970_and_says_so(client: TestClient, pbx: Pbx) -> None:
    response = client.put("/mock/clock", json={"now": "0858-11-06T07:29:27Z"})
    _problem(response, "'0858-11-06T07:29:27Z' does not match '^(197[2-9]|")
    with pytest.raises(InvalidInput, match="before 1970-01-01"):
        pbx.set_clock(datetime(858, 11, 6, tzinfo=UTC))


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--now", "1970-01-05T00:00:00Z"], "earliest now is 1970-01-31T00:00:00+00:00"),
        (["--now", "1969-12-31T23:59:59Z", "--history-days", "0"], "before 1970-01-01"),
    ],
)
def test_the_command_line_refuses_a_now_with_no_room_for_its_history(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        parse_args(argv)
    assert exited.value.code == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert error.startswith("tele2-ats-mock: error: Option '--now': "), error
    assert message in error, error


def test_a_reset_seeding_more_than_the_limit_is_400_naming_both_fields(
    client: TestClient,
) -> None:
    before = client.get("/mock/health").json()
    # The body's own bound (its schema): a month of 600 calls a day or a year of 50.
    for body in ({"historyDays": 2, "callsPerDay": 50_001}, {"historyDays": 32, "callsPerDay": 51}):
        response = client.post("/mock/reset", json=body)
        _problem(response, "callsPerDay")
    assert client.get("/mock/health").json() == before, "nothing was reset"


def test_a_reset_is_held_to_the_product_bound_with_the_mocks_setting() -> None:
    # A mock started with 100,000 calls a day and no history; a reset asking for 2 days takes
    # the product with that setting.
    pbx = Pbx(pinned_config(seed=1, history_days=0, calls_per_day=100_000))
    try:
        with TestClient(create_app(pbx), raise_server_exceptions=False) as client:
            before = client.get("/mock/health").json()
            response = client.post("/mock/reset", json={"historyDays": 2})
            _problem(response, "Fields 'historyDays' and 'callsPerDay'")
            assert "at most 100000" in response.json()["detail"]
            assert "2 x 100000 = 200000" in response.json()["detail"]
            assert client.get("/mock/health").json() == before, "nothing was reset"
            assert client.post("/mock/reset", json={"historyDays": 0}).status_code == 200
    finally:
        pbx.close()


def test_the_command_line_refuses_a_history_beyond_the_limit(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        parse_args(["--history-days", "366", "--calls-per-day", "100000"])
    assert exited.value.code == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert error.startswith(
        "tele2-ats-mock: error: Options '--history-days' and '--calls-per-day': "
    ), error
    assert "366 x 100000 = 36600000" in error, error


def test_a_fault_rule_past_the_thousandth_is_409_and_the_rest_still_answer(
    client: TestClient, api: Api
) -> None:
    for index in range(1000):
        _added(client, {"path": f"/{'*x' * 200}/{index}", "status": 503})
    response = client.post("/mock/faults", json={"path": "/employees", "status": 503})
    assert response.status_code == 409, response.text
    assert "1000 fault rules already" in response.json()["detail"]
    assert api.get("/employees").status_code == 200, "no rule matches"


def test_requests_with_megabyte_headers_leave_a_small_journal(client: TestClient, api: Api) -> None:
    for _ in range(30):
        assert api.get("/employees", headers={"X-Big": "a" * 2_000_000}).status_code == 200
    listed = client.get("/mock/requests", params={"limit": 100})
    assert listed.status_code == 200, listed.text[:200]
    journal = listed.json()
    assert len(journal["requests"]) == 30
    assert all(entry["headersTruncated"] for entry in journal["requests"])
    assert len(listed.content) < 30 * 20_000, len(listed.content)
    assert journal["heldBytes"] < 30 * 30_000
    page = client.get("/mock/console/requests", params={"limit": 200})
    assert page.status_code == 200
    assert len(page.content) < 30 * 40_000, len(page.content)


def test_the_journal_keeps_no_more_than_its_bytes() -> None:
    small = Pbx(pinned_config(history_days=0, journal_bytes=100_000))
    try:
        with TestClient(create_app(small), headers=CONTROL) as test_client:
            api = Api(test_client, test_client.post("/mock/tokens").json()["accessToken"])
            for _ in range(40):
                api.get("/employees", headers={"X-Big": "a" * 8000})
            journal = test_client.get("/mock/requests", params={"limit": 100}).json()
    finally:
        small.close()
    assert journal["capacityBytes"] == 100_000
    assert journal["heldBytes"] <= 100_000
    assert 2 <= len(journal["requests"]) < 40
    assert journal["recorded"] == 40


@pytest.mark.parametrize(("value", "size"), [("64M", 64 * 2**20), ("1g", 2**30), ("4096", 4096)])
def test_journal_bytes_option_takes_sizes(value: str, size: int) -> None:
    assert parse_args(["--journal-bytes", value]).journal_bytes == size


@pytest.mark.parametrize("value", ["0", "-1", "64T", "lots", "9" * 5000])
def test_journal_bytes_option_refuses_what_is_no_size(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        parse_args(["--journal-bytes", value])
    assert exited.value.code == 2
    assert "--journal-bytes" in capsys.readouterr().err


FOUR_HOURS = 4 * 3600


def _long_call(client: TestClient, api: Api, pbx: Pbx, tmp_path: Path) -> str:
    """A 4-hour answered call's recording name; tone recordings (14 MB, made at once)."""
    pbx.journal.audio = CallAudio(AudioCache(tmp_path), spoken=False)
    client.post("/mock/calls/outcomes", json={"outcome": "answered", "durationSeconds": FOUR_HOURS})
    source = next(e["fullNumber"] for e in api.ok("GET", "/employees") if "fullNumber" in e)
    api.ok("POST", "/call/outgoing", params={"source": source, "destination": "79533933557"})
    assert client.post("/mock/calls/settle").status_code == 200
    [call] = client.get("/mock/calls").json()["calls"]
    name: str = call["recordFileName"]
    assert name
    return name


async def _download(app: Any, query: str, headers: dict[str, str]) -> tuple[int, Any, int]:
    """GET through the ASGI app, counting the body's bytes without keeping them."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/crm/openapi/call-records/file",
        "raw_path": b"/crm/openapi/call-records/file",
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }
    answer: dict[str, Any] = {"bytes": 0}
    done = asyncio.Event()

    async def receive() -> dict[str, Any]:
        if not answer.get("asked"):
            answer["asked"] = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
            answer["headers"] = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            answer["bytes"] += len(message.get("body", b""))
            if not message.get("more_body"):
                done.set()

    await app(scope, receive, send)
    return answer["status"], answer["headers"], answer["bytes"]


@pytest.mark.parametrize("ranged", [False, True])
def test_a_long_recording_is_sent_without_holding_it_in_memory(
    client: TestClient, api: Api, pbx: Pbx, tmp_path: Path, ranged: bool
) -> None:
    name = _long_call(client, api, pbx, tmp_path)
    size = pbx.journal.find_recording(391, name).size
    assert size > 10_000_000
    headers = {"Authorization": api.token, **({"Range": "bytes=1000-"} if ranged else {})}
    app = client.app
    tracemalloc.start()
    try:
        status, sent, count = asyncio.run(_download(app, f"filename={quote(name)}", headers))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    expected = size - 1000 if ranged else size
    assert (status, count) == ((206 if ranged else 200), expected)
    assert sent["content-length"] == str(expected)
    assert peak < size / 4, f"{peak:,} bytes held while sending {size:,}"


def test_a_streamed_recording_is_the_same_bytes_and_headers(
    client: TestClient, api: Api, pbx: Pbx, tmp_path: Path
) -> None:
    name = _long_call(client, api, pbx, tmp_path)
    whole = pbx.journal.find_recording(391, name).read()
    params = {"filename": name}
    answer = api.get("/call-records/file", params=params)
    assert answer.status_code == 200
    assert answer.content == whole
    assert answer.headers["content-length"] == str(len(whole))
    assert answer.headers["accept-ranges"] == "bytes"
    assert answer.headers["content-type"] == "audio/mpeg"
    assert "content-range" not in answer.headers
    assert name.replace("/", "_") in answer.headers["content-disposition"]
    part = api.get("/call-records/file", params=params, headers={"Range": "bytes=100-3000099"})
    assert part.status_code == 206
    assert part.content == whole[100:3000100]
    assert part.headers["content-range"] == f"bytes 100-3000099/{len(whole)}"
    assert part.headers["content-length"] == "3000000"
    small = api.get("/call-records/file", params=params, headers={"Range": "bytes=-10"})
    assert small.content == whole[-10:]
    assert set(small.headers) == set(part.headers), "a read and a stream answer alike"
