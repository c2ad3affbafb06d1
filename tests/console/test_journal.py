"""«Журнал звонков»: the API's page of records, its filters and paging, and the player."""

from __future__ import annotations

import itertools
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.testclient import TestClient

from mock_server.console.text import from_local_input, msk
from tests.conftest import Api
from tests.console.html import Element
from tests.console.pages import CONSOLE, follow, get_page, messages, value_of


def _window(page: Element) -> dict[str, str]:
    """The window the page asked for, as the API takes it."""
    return {
        name: from_local_input(value_of(page, f"journal-{name}")).isoformat()
        for name in ("start", "end")
    }


def _rows(page: Element) -> list[Element]:
    return page.find("table", class_="records").find("tbody").find_all("tr")


def test_the_table_is_the_apis_page(client: TestClient, api: Api) -> None:
    page = get_page(client, "/journal")
    records = api.ok(
        "GET", "/call-records/info", params={**_window(page), "sort": "date,DESC", "size": 20}
    )
    assert len(records) == 20, "the pinned history fills the first page"
    rows = _rows(page)
    assert [row.find("td").text for row in rows] == [msk(r["date"]) for r in records]
    assert [row.find_all("td")[3].text[:11] for row in rows] == [r["callerNumber"] for r in records]


def test_filters_and_paging_go_to_the_api(client: TestClient, api: Api) -> None:
    first = get_page(client, "/journal", size="10")
    window = _window(first)
    caller = _rows(first)[0].find_all("td")[3].text[:11]
    filtered = get_page(client, "/journal", caller=caller, is_recorded="on", sort_dir="ASC")
    expected = api.ok(
        "GET",
        "/call-records/info",
        params={**window, "caller": caller, "is_recorded": "true", "sort": "date,ASC"},
    )
    assert [row.find("td").text for row in _rows(filtered)] == [msk(r["date"]) for r in expected]
    following = first.find("nav", class_="pager").find("a")
    assert following.text == "Следующая →"
    second = follow(client, following)
    page_1 = api.ok("GET", "/call-records/info", params={**window, "sort": "date,DESC", "page": 1})
    assert [row.find("td").text for row in _rows(second)] == [msk(r["date"]) for r in page_1]
    assert "Страница 2" in second.find("nav", class_="pager").text


def _recorded(client: TestClient) -> Element:
    """The journal's first recorded call, opened in the player."""
    page = get_page(client, "/journal", is_recorded="on")
    link = _rows(page)[0].find("a")
    assert link.text == "Прослушать"
    return follow(client, link)


def test_a_row_opens_its_recording_with_the_transcript(client: TestClient, api: Api) -> None:
    page = _recorded(client)
    audio = page.find("audio")
    filename = parse_qs(urlsplit(audio.attrs["src"]).query)["filename"][0]
    words: list[dict[str, Any]] = api.ok(
        "GET", "/call-records/file/stt", params={"filename": filename}
    )
    spans = page.find(id="transcript").find_all("span", class_="word")
    assert [s.text for s in spans] == [w["word"] for w in words]
    assert [float(s.attrs["data-start"]) for s in spans] == [w["startTime"] for w in words]
    turns = page.find(id="transcript").find_all("div", class_="turn")
    channels = [turn.attrs["data-channel"] for turn in turns]
    assert all(a != b for a, b in itertools.pairwise(channels)), "turns alternate"
    assert channels[0] == words[0]["channel"]
    assert (
        turns[0]
        .find("p", class_="speaker")
        .text.startswith("A · звонивший" if channels[0] == "A" else "B · ответивший")
    )
    assert _rows(page)[0].attrs.get("class") == "playing"


def test_the_recording_is_the_apis_with_ranges(client: TestClient, api: Api) -> None:
    page = _recorded(client)
    src = page.find("audio").attrs["src"]
    filename = parse_qs(urlsplit(src).query)["filename"][0]
    whole = api.get("/call-records/file", params={"filename": filename})
    assert whole.status_code == 200
    through = client.get(src)
    assert (through.status_code, through.content) == (200, whole.content)
    assert through.headers["accept-ranges"] == "bytes"
    part = client.get(src, headers={"Range": "bytes=1000-1999"})
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 1000-1999/{len(whole.content)}"
    assert part.content == whole.content[1000:2000]
    past = client.get(src, headers={"Range": f"bytes={len(whole.content)}-"})
    assert past.status_code == 416


@pytest.mark.parametrize(
    ("filename", "status"), [("2026-03-04/100000000000000000", 404), ("nope", 400)]
)
def test_a_recording_the_api_refuses_is_refused_alike(
    client: TestClient, api: Api, filename: str, status: int
) -> None:
    response = client.get(CONSOLE + "/recording", params={"filename": filename})
    direct = api.get("/call-records/file", params={"filename": filename})
    assert response.status_code == direct.status_code == status
    assert response.json()["message"] == direct.json()["message"]


@pytest.mark.parametrize(
    ("params", "status", "start"),
    [
        ({"page": "99999999999"}, 400, "GET /crm/openapi/call-records/info → HTTP 400: "),
        ({"start": "вчера"}, 400, "Поле «Начало»: нужны дата и время"),
        ({"page": "-1"}, 400, "Поле «Страница»: нужно целое неотрицательное число"),
    ],
)
def test_a_window_the_api_refuses_shows_why(
    client: TestClient, params: dict[str, str], status: int, start: str
) -> None:
    page = get_page(client, "/journal", status=status, **params)
    [error] = messages(page, "error")
    assert error.startswith(start)
