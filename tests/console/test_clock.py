"""«Часы»: the control API's clock, moved only as the API allows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from starlette.testclient import TestClient

from mock_server.console.text import msk, msk_input, parse_api_instant
from tests.console.pages import get_page, messages, post_form


def _clock(client: TestClient) -> dict[str, object]:
    clock: dict[str, object] = client.get("/mock/clock").json()
    return clock


@pytest.mark.parametrize("seconds", ["1", "60", "3600", "86400", "2.5"])
def test_advancing_moves_the_mock_clock(client: TestClient, seconds: str) -> None:
    before = parse_api_instant(str(_clock(client)["now"]))
    page = post_form(client, "/clock/advance", {"seconds": seconds})
    after = parse_api_instant(str(_clock(client)["now"]))
    assert after - before == timedelta(seconds=float(seconds))
    [message] = messages(page, "ok")
    assert message.endswith(f"теперь {msk(after)} МСК")
    assert page.find("time", data_testid="clock-now").text == msk(after)


def test_freezing_and_running(client: TestClient) -> None:
    assert _clock(client)["frozen"] is True  # the suite's clock is pinned
    page = post_form(client, "/clock/freeze", {"frozen": "false"})
    assert _clock(client)["frozen"] is False
    assert page.find("dd", data_testid="clock-state").text == "часы идут, как настоящие"
    assert page.find("form", action="/mock/console/clock/freeze").find("button").text == (
        "Остановить часы"
    )
    page = post_form(client, "/clock/freeze", {"frozen": "true"})
    assert _clock(client)["frozen"] is True
    assert messages(page, "ok")[0].startswith("Часы остановлены на ")


def test_setting_the_clock_forward(client: TestClient) -> None:
    target = parse_api_instant(str(_clock(client)["now"])) + timedelta(days=2, seconds=5)
    page = post_form(client, "/clock/set", {"now": msk_input(target), "frozen": "true"})
    clock = _clock(client)
    assert parse_api_instant(str(clock["now"])) == target
    assert messages(page, "ok") == [f"Часы показывают {msk(target)} МСК и стоят"]


def test_setting_the_clock_back_shows_the_api_refusal(client: TestClient) -> None:
    now = parse_api_instant(str(_clock(client)["now"]))
    page = post_form(client, "/clock/set", {"now": msk_input(now - timedelta(hours=1))}, 409)
    [error] = messages(page, "error")
    assert error.startswith("PUT /mock/clock → HTTP 409: The mock clock only moves forward")
    assert parse_api_instant(str(_clock(client)["now"])) == now


@pytest.mark.parametrize(("path", "field"), [("/clock/advance", "seconds"), ("/clock/set", "now")])
def test_what_is_not_a_time_is_refused_before_the_api(
    client: TestClient, path: str, field: str
) -> None:
    before = _clock(client)["now"]
    page = post_form(client, path, {field: "завтра"}, 400)
    assert len(messages(page, "error")) == 1
    assert _clock(client)["now"] == before


def test_the_page_shows_the_clock(client: TestClient) -> None:
    now = str(_clock(client)["now"])
    page = get_page(client, "/clock")
    assert page.find("time", data_testid="clock-now").text == msk(now)
    assert "часы стоят" in page.find("dd", data_testid="clock-state").text


def test_a_company_ahead_of_the_mock_clock_says_so(client: TestClient) -> None:
    answer = client.post("/mock/companies/392/clock/advance", json={"seconds": 3600})
    assert answer.status_code == 200, answer.text
    page = get_page(client, "/clock", company="392")
    assert f"впереди на 1 ч: {msk(answer.json()['now'])} МСК" in page.text
    assert "Часы компании" not in get_page(client, "/clock", company="391").text
