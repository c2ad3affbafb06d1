"""«Запросы CRM» in a browser: what a CRM sends with httpx shows with its advisories; the guide
section opens in the Swagger UI; a fault rule removed from the page is gone from the API."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import expect

from tests.browser.conftest import Console, shot
from tests.browser.test_layout import no_sideways_scroll, unnamed_controls

WINDOW = {"start": "2026-03-01T00:00:00+03:00", "end": "2026-03-05T00:00:00+03:00"}


def _send_like_a_careless_crm(console: Console) -> None:
    """A Bearer prefix, `id` on POST /managers (as the guide's example, no advisory), and a
    reversed window with another company's `company_id` (two advisories)."""
    mock = console.mock
    bearer = mock.api("/employees", headers={"Authorization": "Bearer " + mock.access_token})
    assert bearer.status_code == 403, bearer.text
    employee = next(e for e in mock.api("/employees").json() if "fullNumber" in e)
    manager = {"id": 45, "name": "Петров", "employeeId": employee["employeeId"]}
    created = mock.api("/managers", "POST", json={**manager, "handleAllCustomers": False})
    assert created.status_code == 200, created.text
    reversed_window = {"start": WINDOW["end"], "end": WINDOW["start"], "company_id": "392"}
    assert mock.api("/call-records/info", params=reversed_window).status_code == 200


def test_a_request_sent_with_httpx_appears_with_its_advisory(console: Console) -> None:
    _send_like_a_careless_crm(console)
    console.mock.control.add_fault(operation_id="getEmployees", status=503, times=1)
    assert console.mock.api("/employees").status_code == 503
    page = console.open("/requests")
    requests = page.get_by_test_id("request")
    expect(requests).to_have_count(5)
    expect(requests.first.get_by_role("heading")).to_have_text(
        re.compile(r"GET\s+/employees\s+503")
    )
    expect(requests.first.get_by_test_id("request-fault")).to_have_text("правило №1: ответ 503")
    window = requests.nth(1)
    expect(window.get_by_role("heading")).to_contain_text("GET /call-records/info?start=")
    expect(window.get_by_test_id("advisory")).to_have_count(2)
    shot(page, "requests")

    bearer = requests.filter(has_text="с префиксом «Bearer »")
    expect(bearer.get_by_role("heading")).to_have_text(re.compile(r"GET\s+/employees\s+403"))
    advisory = bearer.get_by_test_id("advisory")
    expect(advisory).to_contain_text("Токен с префиксом Bearer")
    expect(advisory).to_contain_text("The token is sent as 'Bearer <token>'")

    manager = requests.filter(has_text="POST")
    # An `id` on POST /managers is what the guide's own example sends: no advisory (D6).
    expect(manager.get_by_test_id("advisory")).to_have_count(0)
    manager.get_by_text(re.compile("^Заголовки и тело")).click()
    expect(manager.locator("pre")).to_contain_text('"id":45')

    expect(page.get_by_test_id("advisory-summary")).to_have_count(3)

    # The guide's section opens in the Swagger UI, at the operation that quotes its name.
    section = window.get_by_role("link", name="5.7.1 «Получение списка записей разговоров»")
    section.first.click()
    page.wait_for_url("**/crm/openapi/ui/#/Call%20records/getCallRecords")
    operation = page.locator("#operations-Call_records-getCallRecords")
    expect(operation).to_have_class(re.compile(r"\bis-open\b"), timeout=15_000)
    expect(operation).to_contain_text("Получение списка записей разговоров")


def test_the_filters_narrow_the_requests(console: Console) -> None:
    _send_like_a_careless_crm(console)
    page = console.open("/requests")
    filters = page.get_by_role("form", name="Фильтры запросов")
    filters.get_by_label("Операция").select_option("createManager")
    filters.get_by_role("button", name="Показать запросы").click()
    expect(page.get_by_test_id("request")).to_have_count(1)
    expect(page.get_by_test_id("request").get_by_role("heading")).to_contain_text("POST")
    filters.get_by_label("Операция").select_option("")
    filters.get_by_label("Статус ответа").fill("403")
    filters.get_by_role("button", name="Показать запросы").click()
    expect(page.get_by_test_id("request")).to_have_count(1)
    expect(page.get_by_test_id("request")).to_contain_text("мок отклонил")


def test_removing_a_fault_rule_from_the_page_removes_it_from_the_api(console: Console) -> None:
    control = console.mock.control
    kept = control.add_fault(operation_id="getBlacklist", delay_ms=10)
    removed = control.add_fault(operation_id="getEmployees", status=503, times=2)
    assert console.mock.api("/employees").status_code == 503
    page = console.open("/requests")
    rules = page.get_by_test_id("fault-rule")
    expect(rules).to_have_count(2)
    expect(rules.filter(has_text="getEmployees")).to_contain_text("сработало 1 раз; осталось 1")
    expect(page.get_by_test_id("request-fault")).to_have_text("правило №2: ответ 503")

    page.get_by_role("button", name=f"Удалить правило №{removed.id}").click()
    expect(page.get_by_role("status").first).to_have_text(f"Правило сбоя №{removed.id} удалено")
    expect(rules).to_have_count(1)
    assert [rule.id for rule in control.faults()] == [kept.id]
    assert console.mock.api("/employees").status_code == 200

    page.get_by_role("button", name="Удалить все правила").click()
    expect(page.get_by_role("status").first).to_have_text("Все правила сбоев удалены")
    expect(page.get_by_text("Правил сбоев нет")).to_be_visible()
    assert control.faults() == []


def test_a_preset_added_from_the_page_answers_the_crm(console: Console) -> None:
    page = console.open("/requests")
    page.get_by_label("Заготовка").select_option("outage")
    page.get_by_label("Минут отказа").fill("2")
    page.get_by_role("button", name="Добавить заготовку").click()
    expect(page.get_by_role("status").first).to_contain_text("Добавлено правило №1")
    [rule] = console.mock.control.faults()
    assert rule.fields["preset"] == "outage"
    assert console.mock.api("/employees").status_code == 503
    console.mock.control.advance(121)
    assert console.mock.api("/employees").status_code == 200
    page.reload()
    expect(page.get_by_test_id("request")).to_have_count(2)


def test_the_requests_at_phone_width(phone: Console) -> None:
    _send_like_a_careless_crm(phone)
    long_query = {**WINDOW, "caller": "7" * 11, "callee": "8" * 11, "size": "5000"}
    assert phone.mock.api("/call-records/info", params=long_query).status_code == 200
    phone.mock.control.add_fault(path="/call-records/file", delay_ms=800, jitter_ms=200)
    page = phone.open("/requests")
    expect(page.get_by_test_id("request")).to_have_count(5)
    no_sideways_scroll(page)
    assert unnamed_controls(page) == []


def test_the_console_is_not_in_its_own_journal(console: Console) -> None:
    page = console.open("/live")
    page.wait_for_timeout(2500)  # the live view polls the API every second
    page.goto(console.url("/requests"))
    expect(page.get_by_text("CRM ещё ничего не присылала.")).to_be_visible()
    journal = httpx.get(console.mock.control_url + "/requests").json()
    assert journal["recorded"] == 0, journal
