"""«Звонки сейчас»: the panel is what monitoring answers; the forms drive the PBX."""

from __future__ import annotations

from starlette.testclient import TestClient

from mock_server.console.text import parse_api_instant
from tests.conftest import Api
from tests.console.html import Element
from tests.console.pages import get_page, messages, post_form

CALLER = "79161234567"
WINDOW = {"start": "2020-01-01T00:00:00Z", "end": "2100-01-01T00:00:00Z"}


def _live_calls(panel: Element) -> list[str]:
    return [row.text for row in panel.find_all("tr", data_testid="live-call")]


def test_a_simulated_call_shows_in_the_panel_as_monitoring_answers(
    client: TestClient, api: Api
) -> None:
    page = post_form(client, "/live/incoming", {"from": CALLER, "outcome": "answered"})
    assert messages(page, "ok") == [f"Входящий звонок с номера {CALLER} смоделирован"]
    monitored = api.ok("GET", "/monitoring/calls")
    panel = get_page(client, "/live/panel")
    rows = _live_calls(panel)
    assert len(rows) == len(monitored) == 1
    assert CALLER in rows[0]
    assert "Вызов на многоканальный номер" in rows[0]


def test_a_caller_in_a_queue_shows_in_the_queues(client: TestClient, api: Api) -> None:
    post_form(client, "/live/incoming", {"from": CALLER, "queue": "1"})
    [queue] = get_page(client, "/live/panel").find_all("li", data_testid="queue")
    assert queue.text == f"Очередь «1»: 1 абонент — {CALLER}"
    assert api.ok("GET", "/monitoring/calls/pending") == [{"queueName": "1", "calls": [CALLER]}]


def test_click_to_call_from_the_console(client: TestClient, api: Api) -> None:
    source = next(e["fullNumber"] for e in api.ok("GET", "/employees") if e.get("fullNumber"))
    page = post_form(client, "/live/outgoing", {"source": source, "destination": "79533933557"})
    assert messages(page, "ok") == [
        f"АТС звонит сотруднику {source}, затем соединит его с номером 79533933557"
    ]
    [row] = _live_calls(get_page(client, "/live/panel"))
    assert source in row


def test_a_refused_simulation_shows_the_api_words_and_keeps_the_form(client: TestClient) -> None:
    page = post_form(client, "/live/incoming", {"from": CALLER, "to": "000"}, 404)
    [error] = messages(page, "error")
    assert error.startswith("POST /mock/calls/incoming → HTTP 404: '000' is not the full")
    assert page.find("input", id="incoming-from").attrs["value"] == CALLER
    assert _live_calls(page) == []


def test_settling_ends_the_live_calls_into_the_journal(client: TestClient, api: Api) -> None:
    before = parse_api_instant(client.get("/mock/clock").json()["now"])
    post_form(client, "/live/incoming", {"from": CALLER, "durationSeconds": "90"})
    page = post_form(client, "/live/settle", {})
    [message] = messages(page, "ok")
    assert _live_calls(get_page(client, "/live/panel")) == []
    assert api.ok("GET", "/monitoring/calls") == []
    [record] = api.ok("GET", "/call-records/info", params={**WINDOW, "caller": CALLER})
    assert record["conversationDuration"] == 90
    moved = parse_api_instant(client.get("/mock/clock").json()["now"]) - before
    if "/calls/settle" in client.get("/mock/openapi.json").json()["paths"]:
        assert message in (
            "Текущие звонки завершены и записаны в журнал",
            "Завершено звонков: 1; они записаны в журнал",
        )
        assert moved.total_seconds() == 0
    else:  # the clock moved a minute at a time, just past the call's end
        assert moved.total_seconds() % 60 == 0
        assert 90 < moved.total_seconds() <= 90 + 60 + 60
        assert message.startswith("Текущие звонки завершены: часы мока передвинуты вперёд на ")


def test_the_panel_is_empty_when_nothing_is_live(client: TestClient) -> None:
    panel = get_page(client, "/live/panel")
    assert "Сейчас звонков нет." in panel.text
    assert "В очередях никого нет." in panel.text


def test_a_duration_that_is_not_a_number_is_refused_before_the_api(
    client: TestClient, api: Api
) -> None:
    page = post_form(client, "/live/incoming", {"from": CALLER, "durationSeconds": "минута"}, 400)
    assert messages(page, "error") == [
        "Поле «Длительность»: нужно целое число секунд, а не 'минута'"
    ]
    assert api.ok("GET", "/monitoring/calls") == []
