"""«Статистика» and «Часы» in a browser."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from mock_server.console.text import from_local_input, msk, msk_input
from tests.browser.conftest import Console, shot


def test_statistics_show_the_apis_figures_and_a_chart(console: Console) -> None:
    page = console.open("/statistics")
    chart = page.get_by_role("img", name="Звонки по часам суток (МСК)")
    expect(chart).to_be_visible()
    window = {
        name: from_local_input(page.get_by_label(label).input_value()).isoformat()
        for name, label in (("start", "Начало (МСК)"), ("end", "Конец (МСК, не включая)"))
    }
    answer = console.mock.api("/statistics/common", params=window)
    assert answer.status_code == 200, answer.text
    common = answer.json()
    shown = page.locator("td[data-key=allCallCount]").inner_text()
    assert int(shown) == common["allCallCount"] > 0
    bars = chart.locator("rect.bar")
    expect(bars).to_have_count(24)
    shot(page, "statistics")


def test_the_clock_moves_freezes_and_is_set(console: Console) -> None:
    page = console.open("/clock")
    now = console.mock.control.clock().now
    page.get_by_role("button", name="+1 час").click()
    later = now + timedelta(hours=1)
    expect(page.get_by_test_id("clock-now")).to_have_text(msk(later))
    assert console.mock.control.clock().now == later
    expect(page.get_by_role("banner")).to_contain_text(msk(later))

    page.get_by_role("button", name="Запустить часы").click()
    expect(page.get_by_test_id("clock-state")).to_have_text("часы идут, как настоящие")
    page.get_by_role("button", name="Остановить часы").click()
    expect(page.get_by_test_id("clock-state")).to_contain_text("часы стоят")

    frozen_at = console.mock.control.clock().now
    target = (frozen_at + timedelta(days=1)).replace(microsecond=0)
    page.get_by_label("Дата и время (МСК)").fill(msk_input(target))
    page.get_by_role("button", name="Установить").click()
    expect(page.get_by_test_id("clock-now")).to_have_text(msk(target))

    page.get_by_label("Дата и время (МСК)").fill(msk_input(now))
    page.get_by_role("button", name="Установить").click()
    expect(page.get_by_role("alert")).to_contain_text("HTTP 409")
    console.refused(409)
    assert console.mock.control.clock().now == target
    page.goto(console.url("/clock"))
    shot(page, "clock")
