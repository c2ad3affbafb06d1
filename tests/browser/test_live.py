"""«Звонки сейчас» in a browser: the view updates by itself; the buttons drive the PBX."""

from __future__ import annotations

import time
from datetime import timedelta, timezone

from playwright.sync_api import expect

from tests.browser.conftest import Console, shot
from tests.pinned import PINNED_NOW

MSK = timezone(timedelta(hours=3))

CALLER = "79161234567"


def test_a_simulated_call_appears_by_itself_within_2_seconds(console: Console) -> None:
    page = console.open("/live")
    expect(page.get_by_text("Сейчас звонков нет.")).to_be_visible()
    started = time.monotonic()
    console.mock.control.simulate_incoming_call(CALLER, queue="1")
    expect(page.get_by_test_id("queue")).to_contain_text(CALLER, timeout=2000)
    print(f"the queued caller showed after {time.monotonic() - started:.2f} s")
    console.mock.control.simulate_incoming_call("79160000001")
    expect(page.get_by_test_id("live-call").filter(has_text="79160000001")).to_be_visible(
        timeout=2000
    )


def test_the_buttons_simulate_place_and_settle_calls(console: Console) -> None:
    page = console.open("/live")
    page.get_by_label("С номера").fill(CALLER)
    page.get_by_label("Длительность, с").fill("45")
    page.get_by_role("button", name="Смоделировать звонок").click()
    expect(page.get_by_role("status").first).to_contain_text(f"с номера {CALLER} смоделирован")
    expect(page.get_by_test_id("live-call").filter(has_text=CALLER)).to_be_visible()

    source = page.get_by_label("Сотрудник").input_value()
    page.get_by_label("Номер клиента").fill("79533933557")
    page.get_by_role("button", name="Позвонить через АТС").click()
    expect(page.get_by_test_id("live-call").filter(has_text=source)).to_be_visible()
    expect(page.get_by_test_id("live-call")).to_have_count(2)
    shot(page, "live")

    page.get_by_role("button", name="Завершить текущие звонки").click()
    expect(page.get_by_role("status").first).to_have_text(
        "Завершено звонков: 2; они записаны в журнал"
    )
    expect(page.get_by_text("Сейчас звонков нет.")).to_be_visible()
    monitored = console.mock.api("/monitoring/calls")
    assert monitored.json() == [], monitored.text


def test_the_page_tells_time_by_the_mock_clock_and_says_when_it_is_frozen(
    console: Console,
) -> None:
    page = console.open("/live")  # the mock is pinned to PINNED_NOW and frozen
    pinned = PINNED_NOW.astimezone(MSK).strftime("%H:%M:%S")
    hint = page.get_by_test_id("frozen-hint")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("звонки начинаются, идут и заканчиваются, только когда часы")
    status = page.locator("#live-status")
    expect(status).to_have_text(f"Обновлено: {pinned} МСК по часам мока, часы мока стоят")
    console.mock.control.set_clock(frozen=False)
    expect(hint).to_have_count(0, timeout=3000)
    expect(status).to_contain_text("МСК по часам мока", timeout=3000)
    expect(status).not_to_contain_text("стоят")
