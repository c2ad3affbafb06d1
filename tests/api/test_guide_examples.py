"""Every example request of the guide, read from the guide file and replayed against the mock.

Each curl of sections 4 to 5.9 is found in the guide's text (tests/guide_file.py; its lines
joined as the PDF broke them), parsed, and sent to the mock as printed: only the host goes and
the guide's token (`QwErTy`, `5645645`, `{Access token}`, `{Refresh token}`) becomes one the
mock issued. Every example runs against the guide's company (391, mock_server/tenants/
guide-391.json) as loaded, the mock reset before each, and its answer is compared with the
sample the guide prints under it: status, content type and body shape (the JSON types of every
member), and the guide's own objects (employees, manager 26, blacklist entries, the transcript's
words) as printed. `EXPECTED` says what each example answers; an example the guide has that
`EXPECTED` does not handle fails by name, so none is left out silently.

Where the guide's sample cannot be the answer of its own request, the spec's decision says why
(D51: 5.7.1's records lie outside its window, 5.6.2's timestamps are of 2017; D16: 5.6.2's
`number` is absent when none is asked) and the test holds the mock to the decision instead.
The mock clock is pinned: at the day after 5.6.1's window (the earliest instant from which the
guide's company guarantees its answers, D54) and at the suite's pinned instant.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from starlette.testclient import TestClient

import mock_server
from mock_server.domain.pbx import GUIDE_TENANT, Pbx, PbxConfig
from mock_server.domain.rules.history import MOSCOW
from mock_server.http.app import create_app
from tests.conftest import CONTROL, Api, advance, issue
from tests.guide_file import GuideSection, load_guide
from tests.pinned import PINNED_NOW

GUIDE_HOST = re.compile(r"^https?:/+ats2\.tele2\.ru(?=/)")
ACCESS_TOKENS = ("QwErTy", "5645645", "{Access token}")
REFRESH_TOKENS = ("{Refresh token}",)
REFRESH_PATH = "/crm/openapi/authorization/refresh/token"
# Sections 4 to 5.9: the sections of requests (5.10 shows objects, no request).
FIRST_SECTION, PAST_LAST_SECTION = (4,), (5, 10)
# The curl's URL, quoted: where a curl the PDF broke over several lines ends.
_QUOTED_URL = re.compile(r"'https?:/[^']*'")
_SAMPLE = "Пример ответа"
# The day after 5.6.1's window: from its start the guide's company answers the guide's
# samples whatever happens later (D54).
DAY_AFTER_WINDOW = datetime.fromisoformat("2022-07-27T00:00:00+03:00")
GUIDE_FILE = Path(mock_server.__file__).parent / "tenants" / GUIDE_TENANT.name
# Members of the mock's answers the guide does not print (D49).
UNDOCUMENTED = frozenset({"uuid"})


@dataclass(frozen=True, slots=True)
class Curl:
    method: str
    url: str
    headers: dict[str, str]
    data: str | None


def parse_curl(command: str) -> Curl:
    """The subset of curl's options the guide uses: -X, --header/-header/-H, -d."""
    words = shlex.split(command)
    assert words[0] == "curl", command
    method, url, data, headers = "GET", "", None, {}
    i = 1
    while i < len(words):
        word = words[i]
        if word == "-X":
            method = words[i + 1]
            i += 2
        elif word in ("--header", "-header", "-H"):
            name, _, value = words[i + 1].partition(":")
            headers[name.strip()] = value.strip()
            i += 2
        elif word == "-d":
            # The guide breaks JSON lines with " \" continuations inside the quotes.
            data = words[i + 1].replace("\\ ", "").replace("\\", "")
            method = method if "-X" in words else "POST"
            i += 2
        else:
            url = word
            i += 1
    return Curl(method, url, headers, data)


@dataclass(frozen=True, slots=True)
class Example:
    """One curl of the guide: `section` and its place there (from 1), the command with the
    PDF's line breaks joined, and the sample answer printed after it (None: the guide shows
    none)."""

    section: str
    index: int
    command: str
    sample: Any

    @property
    def name(self) -> str:
        return f"{self.section}#{self.index}"

    @property
    def curl(self) -> Curl:
        return parse_curl(self.command)


def _section_key(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split("."))


def _request_sections() -> Iterator[GuideSection]:
    """The guide's sections 4 to 5.9 that have no subsection (a section's text holds its
    subsections')."""
    numbers = list(load_guide().sections)
    for number in numbers:
        key = _section_key(number)
        if not FIRST_SECTION <= key < PAST_LAST_SECTION:
            continue
        if any(other.startswith(number + ".") for other in numbers):
            continue
        yield load_guide().sections[number]


def _json_values(text: str) -> Any:
    """The JSON value at the start of `text`; values printed one after another separated by
    commas (5.7.1 prints its records so, without brackets) as a list of them."""
    decoder = json.JSONDecoder()
    values = []
    at = 0
    while True:
        value, at = decoder.raw_decode(text, at)
        values.append(value)
        if not text[at:].startswith(",") or text[at + 1 : at + 2] not in ("{", "["):
            return values[0] if len(values) == 1 else values
        at += 1


def _sample_after(lines: list[str]) -> Any:
    """The sample answer printed under «Пример ответа» in `lines`, if it comes before the next
    curl; the PDF's breaks, inside strings too, are taken out."""
    for index, line in enumerate(lines):
        if line.lstrip().startswith("curl"):
            return None
        if line.strip() == _SAMPLE:
            text = "".join(rest.strip() for rest in lines[index + 1 :])
            start = min(i for i in (text.find("["), text.find("{")) if i >= 0)
            return _json_values(text[start:])
    return None


@cache
def guide_examples() -> tuple[Example, ...]:
    """Every curl of the guide's sections 4 to 5.9, in the guide's order."""
    found = []
    for section in _request_sections():
        lines = section.text.splitlines()
        index = 0
        position = 0
        while position < len(lines):
            if not lines[position].lstrip().startswith("curl"):
                position += 1
                continue
            command = lines[position].lstrip()
            position += 1
            while not _QUOTED_URL.search(command) and position < len(lines):
                command += lines[position]  # the PDF's line ends kept their spaces
                position += 1
            index += 1
            found.append(
                Example(section.number, index, command.strip(), _sample_after(lines[position:]))
            )
    return tuple(found)


def sample_of(section: str) -> Any:
    (sample,) = [e.sample for e in guide_examples() if e.section == section]
    return sample


# -- comparing answers with samples --------------------------------------------------------------


def shape(value: Any) -> Any:
    """The JSON types of `value`, member by member (a list: its elements' shapes, each once;
    the members the guide does not print left out)."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items() if key not in UNDOCUMENTED}
    if isinstance(value, list):
        shapes: list[Any] = []
        for item in value:
            if shape(item) not in shapes:
                shapes.append(shape(item))
        return shapes
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    assert value is None
    return "null"


def assert_shaped_as(answer: Any, sample: Any) -> None:
    """Every object of `answer` has the members of an object of `sample` at its place, of the
    same JSON types (no member more, none less), and `answer` is no emptier than `sample`."""
    if isinstance(sample, list):
        assert isinstance(answer, list), answer
        assert bool(answer) == bool(sample), f"{answer} for a sample of {sample}"
        allowed = shape(sample)
        for item in shape(answer):
            assert item in allowed, f"{item} is none of the sample's shapes {allowed}"
    else:
        assert shape(answer) == shape(sample), f"{shape(answer)} != {shape(sample)}"


def _json(response: httpx.Response) -> Any:
    return response.json()


def is_mp3(content: bytes) -> bool:
    """An ID3 tag or an MPEG audio frame's sync word at the start."""
    return content[:3] == b"ID3" or (
        len(content) > 1 and content[0] == 0xFF and content[1] & 0xE0 == 0xE0
    )


def _window_of(example: Example) -> tuple[datetime, datetime]:
    query = parse_qs(urlsplit(example.curl.url).query)
    return datetime.fromisoformat(query["start"][0]), datetime.fromisoformat(query["end"][0])


def _record_instant(record: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(record["date"].replace("Z", "+00:00"))


# -- what each example answers ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Expected:
    """What an example answers: `check(example, response, api)` on top of the status and
    content type (None: no body); `setup(api)` first makes what the example reads (a live
    call, a caller in a queue)."""

    status: int
    content_type: str | None
    check: Callable[[Example, httpx.Response, Api], None] = field(default=lambda *_: None)
    setup: Callable[[Api], None] | None = None


def live_internal_call(api: Api) -> None:
    """An employee (0002) calling another (0440), talking by the time the example asks."""
    call = {"from": "79533933500", "to": "0440", "ringSeconds": 5, "durationSeconds": 300}
    response = api.client.post("/mock/calls/incoming", json=call)
    assert response.status_code == 200, response.text
    advance = api.client.post("/mock/companies/391/clock/advance", json={"seconds": 30})
    assert advance.status_code == 200, advance.text


def callers_in_queue(api: Api) -> None:
    """The sample's two callers waiting in queue «1»."""
    for caller in sample_of("5.3")[0]["calls"]:
        call = {"from": caller, "queue": "1", "outcome": "not_answered", "durationSeconds": 300}
        response = api.client.post("/mock/calls/incoming", json=call)
        assert response.status_code == 200, response.text


def shaped_as(section: str) -> Callable[[Example, httpx.Response, Api], None]:
    """The answer has the shape of `section`'s sample."""
    return lambda _, response, __: assert_shaped_as(_json(response), sample_of(section))


def printed_ones_in(example: Example, response: httpx.Response, _: Api) -> None:
    """The sample's objects are in the answer as printed (the company has more: the
    generator's, and employees' members the sample leaves out, 5.10.3)."""
    answer = _json(response)
    for item in example.sample:
        assert item in answer, f"{item} not in {answer}"


def printed_and_shaped(example: Example, response: httpx.Response, api: Api) -> None:
    """As `printed_ones_in`, and every object of the answer has the sample's shape."""
    printed_ones_in(example, response, api)
    assert_shaped_as(_json(response), example.sample)


def as_printed(example: Example, response: httpx.Response, _: Api) -> None:
    assert _json(response) == example.sample


def statistics(example: Example, response: httpx.Response, _: Api) -> None:
    """The guide's sample, field for field: the guide's company holds the calls of which it
    is the statistics (D19, D20, D52, D53, D54)."""
    answer = _json(response)
    assert_shaped_as(answer, example.sample)
    assert answer == example.sample


def journal_statistics(example: Example, response: httpx.Response, _: Api) -> None:
    answer = _json(response)
    printed = dict(example.sample)
    del printed["number"]  # D16: absent when no number is asked
    assert_shaped_as(answer, printed)
    start, end = _window_of(example)  # D51: the window asked for, not the sample's 2017
    assert (answer["startTimestamp"], answer["endTimestamp"]) == (
        int(start.timestamp()),
        int(end.timestamp()),
    )
    # The journal statistics agree with the common ones over the same window (D19).
    common = sample_of("5.6.1")
    assert answer["numberOfCalls"] == common["allCallCount"]
    assert answer["numberOfSuccessCalls"] == common["successCallCount"]


def recorded_calls_to_the_callee(example: Example, response: httpx.Response, _: Api) -> None:
    """D51: the records the request asks for (its window, its callee in the 7-form, recorded),
    each shaped as one of the sample's."""
    answer = _json(response)
    assert_shaped_as(answer, example.sample)
    start, end = _window_of(example)
    for record in answer:
        assert start <= _record_instant(record) < end, record
        assert record["calleeNumber"] == "79056678798", record
        assert record["recordFileName"], record


def a_recording(_: Example, response: httpx.Response, __: Api) -> None:
    assert is_mp3(response.content), response.content[:16]


def the_printed_words(example: Example, response: httpx.Response, _: Api) -> None:
    answer = _json(response)
    assert_shaped_as(answer, example.sample)
    said = [(word["channel"], word["word"]) for word in answer]
    assert said == [(word["channel"], word["word"]) for word in example.sample]
    starts = [word["startTime"] for word in answer]
    assert starts == sorted(starts)


def success(then: Callable[[Api], None] | None = None) -> Callable[..., None]:
    def check(_: Example, response: httpx.Response, api: Api) -> None:
        assert _json(response) == "SUCCESS"
        if then is not None:
            then(api)

    return check


def manager_petrov_saved(api: Api) -> None:
    managers = api.ok("GET", "/managers")
    assert any(m["name"] == "Petrov" and m["employeeId"] == 2 for m in managers), managers


def listed(number: str) -> Callable[[Api], None]:
    return lambda api: _assert_listed(api, number)


def _assert_listed(api: Api, number: str) -> None:
    assert number in {entry["number"] for entry in api.ok("GET", "/blacklist")}


def nothing_listed(api: Api) -> None:
    assert api.ok("GET", "/blacklist") == []


def manager_26_gone(_: Example, response: httpx.Response, api: Api) -> None:
    assert api.get("/managers/26").status_code == 404


def not_found(_: Example, response: httpx.Response, __: Api) -> None:
    assert _json(response)["status"] == 404  # «объекта с таким ID не существует»: no manager 0


JSON = "application/json"
EXPECTED: dict[str, Expected] = {
    # 4: the authorised call and the refresh, as shown in the token's section.
    "4#1": Expected(200, JSON, shaped_as("5.2"), setup=live_internal_call),
    "4#2": Expected(200, JSON, shaped_as("5.1")),
    "5.1#1": Expected(200, JSON, shaped_as("5.1")),
    "5.2#1": Expected(200, JSON, shaped_as("5.2"), setup=live_internal_call),
    "5.3#1": Expected(200, JSON, as_printed, setup=callers_in_queue),
    "5.4#1": Expected(200, JSON, printed_ones_in),
    "5.5#1": Expected(200, None),  # «В случае успеха API вернет HTTP 200 ОК»
    "5.6.1#1": Expected(200, JSON, statistics),
    "5.6.2#1": Expected(200, JSON, journal_statistics),
    "5.7.1#1": Expected(200, JSON, recorded_calls_to_the_callee),
    "5.7.2#1": Expected(200, "audio/mpeg", a_recording),  # «скачивается файл формата .mp3»
    "5.7.3#1": Expected(200, JSON, the_printed_words),
    "5.8.1#1": Expected(200, JSON, printed_ones_in),
    "5.8.2#1": Expected(200, JSON, as_printed),
    "5.8.3#1": Expected(200, JSON, success(manager_petrov_saved)),
    "5.8.4#1": Expected(404, JSON, not_found),
    "5.8.5#1": Expected(200, None, manager_26_gone),
    "5.9.1#1": Expected(200, JSON, success(listed("79998887766"))),
    "5.9.2#1": Expected(200, JSON, success()),
    "5.9.3#1": Expected(200, JSON, success(nothing_listed)),
    "5.9.4#1": Expected(200, JSON, printed_and_shaped),
}


# -- the mock ------------------------------------------------------------------------------------


@dataclass(slots=True)
class Mock:
    client: TestClient

    def fresh(self) -> tuple[Api, dict[str, Any]]:
        """The mock as it starts, and a pair of tokens for the guide's company."""
        response = self.client.post("/mock/reset")
        assert response.status_code == 200, response.text
        tokens = issue(self.client)
        return Api(self.client, tokens["accessToken"]), tokens


@pytest.fixture(
    scope="module",
    params=[(DAY_AFTER_WINDOW, "async"), (PINNED_NOW, "flask")],
    ids=["day-after-window", "pinned"],
)
def mock(request: pytest.FixtureRequest) -> Iterator[Mock]:
    now, kind = request.param
    pbx = Pbx(PbxConfig(now=now, frozen=True))
    app = create_app(pbx, kind=kind, validate_responses=True)
    with TestClient(app, raise_server_exceptions=False, headers=CONTROL) as client:
        yield Mock(client)
    pbx.close()


def replay(client: TestClient, curl: Curl, tokens: dict[str, Any]) -> httpx.Response:
    """The curl as printed, to the mock: its host gone, the guide's token one of `tokens`."""
    target = GUIDE_HOST.sub("", curl.url)
    headers = dict(curl.headers)
    token = headers.get("Authorization")
    if token in REFRESH_TOKENS or (token in ACCESS_TOKENS and target == REFRESH_PATH):
        headers["Authorization"] = tokens["refreshToken"]
    elif token in ACCESS_TOKENS:
        headers["Authorization"] = tokens["accessToken"]
    response: httpx.Response = client.request(
        curl.method, target, headers=headers, content=curl.data
    )
    return response


# -- the tests -----------------------------------------------------------------------------------


def test_every_example_of_the_guide_is_handled() -> None:
    found = [example.name for example in guide_examples()]
    left_out = [name for name in found if name not in EXPECTED]
    assert not left_out, f"examples of the guide with nothing expected of them: {left_out}"
    assert len(found) == len(EXPECTED), (
        f"the guide has {len(found)} examples, {len(EXPECTED)} are handled; not in the guide: "
        f"{sorted(set(EXPECTED) - set(found))}"
    )


def test_the_examples_are_read_as_the_guide_prints_them() -> None:
    """What the reading of the guide makes of a few examples it broke over lines: if it
    changes its words, this says so."""
    examples = {example.name: example for example in guide_examples()}
    statistics = examples["5.6.1#1"].curl
    assert statistics.url == (
        "https://ats2.tele2.ru/crm/openapi/statistics/common?"
        "start=2022-07-24T10%3A15%3A30%2B03%3A00&end=2022-07-26T10%3A15%3A30%2B03%3A00"
    )
    assert examples["5.5#1"].curl.url.endswith("destination=79533933557&source=79026840778")
    assert json.loads(examples["5.8.3#1"].curl.data or "")["id"] == 45
    assert examples["4#2"].curl.headers["Authorization"] == "{Refresh token}"
    assert examples["5.9.3#1"].curl.method == "DELETE"
    assert examples["5.1#1"].sample["accessToken"].count(".") == 2  # a JWT broken over lines
    assert len(examples["5.7.1#1"].sample) == 2  # two records, printed without brackets
    assert examples["5.6.1#1"].sample["callCountPerDay"] == 4.333333333333333
    assert [e.name for e in guide_examples() if e.sample is not None] == [
        "5.1#1",
        "5.2#1",
        "5.3#1",
        "5.4#1",
        "5.6.1#1",
        "5.6.2#1",
        "5.7.1#1",
        "5.7.3#1",
        "5.8.1#1",
        "5.8.2#1",
        "5.9.4#1",
    ]


@pytest.mark.parametrize("example", guide_examples(), ids=lambda example: example.name)
def test_the_example_answers_as_the_guide_shows(mock: Mock, example: Example) -> None:
    expected = EXPECTED.get(example.name)
    assert expected is not None, f"nothing is expected of the guide's {example.command}"
    api, tokens = mock.fresh()
    if expected.setup is not None:
        expected.setup(api)
    response = replay(mock.client, example.curl, tokens)
    shown = f"{example.command}\n-> {response.status_code} {response.text[:2000]}"
    assert response.status_code == expected.status, shown
    if expected.content_type is None:
        assert response.content == b"", shown
    else:
        assert response.headers["content-type"].split(";")[0] == expected.content_type, shown
    expected.check(example, response, api)


@pytest.mark.parametrize("content_type", ["application/json", None])
def test_the_refresh_example_replays_without_its_content_type(
    mock: Mock, content_type: str | None
) -> None:
    (example,) = [e for e in guide_examples() if e.section == "5.1"]
    curl = example.curl
    if content_type is None:
        curl.headers.pop("Content-Type")
    _, tokens = mock.fresh()
    response = replay(mock.client, curl, tokens)
    assert response.status_code == 200, response.text
    assert_shaped_as(response.json(), example.sample)


# -- the guide's company ------------------------------------------------------------------------


def _file_records() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(GUIDE_FILE.read_text(encoding="utf-8"))[
        "callRecords"
    ]
    return records


@contextmanager
def started_at(now: datetime) -> Iterator[tuple[TestClient, dict[str, Any]]]:
    """A mock whose clock stands at `now`, and a pair of tokens for the guide's company."""
    pbx = Pbx(PbxConfig(now=now, frozen=True))
    try:
        with TestClient(create_app(pbx), raise_server_exceptions=False, headers=CONTROL) as client:
            yield client, issue(client)
    finally:
        pbx.close()


@pytest.mark.parametrize(
    "now", ["2022-07-27T00:00:00+03:00", "2022-08-20T00:00:00+03:00"], ids=["july", "august"]
)
def test_no_seeded_call_lands_on_a_day_of_the_guides_records(now: str) -> None:
    """The history before `now` (30 days: each instant's reaches some of the file's days) is
    never seeded on a Moscow day that holds one of the file's records: each such day holds
    the file's records alone, and the history is there on the day before."""
    days: dict[date, list[str]] = {}
    for record in _file_records():
        day = _record_instant(record).astimezone(MOSCOW).date()
        days.setdefault(day, []).append(record["date"])
    with started_at(datetime.fromisoformat(now)) as (client, tokens):
        api = Api(client, tokens["accessToken"])

        def dates(first: date, days_long: int = 1) -> list[str]:
            start = datetime(first.year, first.month, first.day, tzinfo=MOSCOW)
            end = start + timedelta(days=days_long)
            window = {"start": start.isoformat(), "end": end.isoformat(), "size": 2000}
            return sorted(r["date"] for r in api.ok("GET", "/call-records/info", params=window))

        reached = 0
        for day, held in days.items():
            assert dates(day) == sorted(held), day
            if day - timedelta(days=1) not in days and dates(day - timedelta(days=1)):
                reached += 1
        assert reached >= 2  # the history reaches the file's days at this instant


def test_an_earlier_now_answers_the_same_until_a_call_lands_in_the_window() -> None:
    """D54: a mock started inside 5.6.1's window answers 5.6.1's request as one started the
    day after it; a click-to-call placed then lands in the window and counts there."""
    (example,) = [e for e in guide_examples() if e.section == "5.6.1"]
    inside = datetime.fromisoformat("2022-07-25T12:00:00+03:00")
    with started_at(DAY_AFTER_WINDOW) as (client, tokens):
        after = replay(client, example.curl, tokens).json()
    with started_at(inside) as (client, tokens):
        assert replay(client, example.curl, tokens).json() == after
        api = Api(client, tokens["accessToken"])
        called = {"destination": "79533933557", "source": "79026840778"}  # 5.5's call
        api.ok("POST", "/call/outgoing", params=called)
        advance(client, 3600)  # the call ends, and lands in the journal at its start
        counted = replay(client, example.curl, tokens).json()
    assert counted["allCallCount"] == after["allCallCount"] + 1
