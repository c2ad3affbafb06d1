"""«Запросы CRM»: what the CRM sent, its advisories, and the fault rules, as the control API has
them; the rules removed and added from the page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from mock_server.domain.pbx import Pbx
from mock_server.http.app import create_app
from tests.api.test_faults import add_fault
from tests.conftest import CONTROL, SMALL_HISTORY, Api, issue
from tests.console.html import Element, parse
from tests.console.pages import CONSOLE, get_page, messages, post_form
from tests.pinned import pinned_config

WINDOW = {"start": "2026-03-01T00:00:00+03:00", "end": "2026-03-05T00:00:00+03:00"}


def cards(page: Element) -> list[Element]:
    return page.find_all("li", data_testid="request")


def heading(card: Element) -> str:
    """A request's line: "Запрос №3: GET /employees 403"."""
    return card.find("h3").text


def advisory_codes(card: Element) -> list[str]:
    return [li.attrs["data-code"] for li in card.find_all("li", data_testid="advisory")]


def faults(client: TestClient) -> list[dict[str, Any]]:
    answer = client.get("/mock/faults")
    assert answer.status_code == 200, answer.text
    rules: list[dict[str, Any]] = answer.json()["faults"]
    return rules


def test_a_bearer_token_is_listed_with_its_advisory_and_guide_section(
    client: TestClient, api: Api
) -> None:
    answer = api.get("/employees", headers={"Authorization": "Bearer " + api.token})
    assert answer.status_code == 403, answer.text
    page = get_page(client, "/requests")
    [card] = cards(page)
    assert heading(card) == "Запрос №1: GET /employees 403"
    assert advisory_codes(card) == ["BEARER_PREFIX"]
    facts = " ".join(p.text for p in card.find_all("p", class_="request-meta"))
    assert "getEmployees" in facts
    assert "access-токен с префиксом «Bearer » · компания 391 · пользователь" in facts
    assert "мок отклонил: Authorization header starts with 'Bearer '" in facts
    advisory = card.find("li", data_code="BEARER_PREFIX")
    assert "Токен с префиксом Bearer" in advisory.text
    assert "The token is sent as 'Bearer <token>'" in advisory.text
    [link] = advisory.find_all("a")
    assert link.text == "4 «Авторизация»"
    assert link.attrs["href"] == "/crm/openapi/ui/#/Authorization"
    assert api.token not in page.text, "the token itself is never shown"


def test_a_blacklist_body_is_listed_with_its_advisory(client: TestClient, api: Api) -> None:
    api.get("/employees")
    response = api.request(
        "POST", "/blacklist", content="79998887700", headers={"Content-Type": "text/html"}
    )
    assert response.status_code == 200, response.text
    page = get_page(client, "/requests")
    newest = cards(page)[0]
    assert heading(newest) == "Запрос №2: POST /blacklist 200"
    assert advisory_codes(newest) == ["BLACKLIST_CONTENT_TYPE"]
    advisory = newest.find("li", data_code="BLACKLIST_CONTENT_TYPE")
    assert "Content-Type: text/html" in advisory.text
    assert advisory.find("a").attrs["href"] == "/crm/openapi/ui/#/Blacklist/addToBlacklist"
    basis = advisory.find(data_testid="advisory-basis")
    assert basis.text == "решение D14: руководство этого не говорит: вывод мока"
    assert newest.find("pre").text == "79998887700"
    assert advisory_codes(cards(page)[1]) == [], "GET /employees earned none"


def test_the_query_and_each_advisory_link_their_guide_sections(
    client: TestClient, api: Api
) -> None:
    reversed_window = {"start": WINDOW["end"], "end": WINDOW["start"]}
    api.get("/call-records/info", params={**reversed_window, "size": "5000", "company_id": "1"})
    [card] = cards(get_page(client, "/requests"))
    assert heading(card) == (
        "Запрос №1: GET /call-records/info?start=2026-03-05T00:00:00+03:00"
        "&end=2026-03-01T00:00:00+03:00&size=5000&company_id=1 200"
    )
    assert sorted(advisory_codes(card)) == [
        "COMPANY_ID_NOT_THE_TOKENS",
        "PAGE_SIZE_ABOVE_MAX",
        "WINDOW_NOT_ORDERED",
    ]
    window = card.find("li", data_code="WINDOW_NOT_ORDERED")
    assert [(a.text, a.attrs["href"]) for a in window.find_all("a")] == [
        ("5.6 «Статистика»", "/crm/openapi/ui/#/Statistics"),
        (
            "5.7.1 «Получение списка записей разговоров»",
            "/crm/openapi/ui/#/Call%20records/getCallRecords",
        ),
    ]


def test_newest_first_within_the_window_asked_for(client: TestClient, api: Api) -> None:
    for path in ("/employees", "/blacklist", "/managers"):
        api.get(path)
    page = get_page(client, "/requests", limit="2")
    assert [heading(c) for c in cards(page)] == [
        "Запрос №3: GET /managers 200",
        "Запрос №2: GET /blacklist 200",
    ]
    counts = page.find(data_testid="journal-counts").text
    assert counts.startswith("Показано 2 из 3 подходящих · журнал хранит последние 5000")


def test_the_filters_are_the_control_apis(client: TestClient, api: Api) -> None:
    other = Api(client, issue(client, companyId=392)["accessToken"])
    api.get("/employees")
    api.get("/blacklist")
    other.get("/employees")
    api.get("/employees", headers={"Authorization": "Bearer " + api.token})

    def shown(**filters: str) -> list[str]:
        response = client.get(CONSOLE + "/requests", params=filters)
        assert response.status_code == 200, response.text
        return [heading(c) for c in cards(parse(response.text))]

    assert shown(operationId="getEmployees", companyId="391") == [
        "Запрос №4: GET /employees 403",
        "Запрос №1: GET /employees 200",
    ]
    assert shown(status="403") == ["Запрос №4: GET /employees 403"]
    assert shown(companyId="392") == ["Запрос №3: GET /employees 200"]
    assert shown(advisory="BEARER_PREFIX") == ["Запрос №4: GET /employees 403"]
    response = client.get(CONSOLE + "/requests?operationId=getEmployees&status=200")
    page = parse(response.text)
    assert page.find("option", value="getEmployees").attrs.get("selected") == ""
    assert page.find("input", id="filter-status").attrs["value"] == "200"


def test_the_filter_of_what_was_sent_is_the_control_apis_matchers(
    client: TestClient, api: Api
) -> None:
    api.get("/employees", params={"size": "5"}, headers={"User-Agent": "vendor-crm/2.1"})
    api.get("/employees", params={"size": "7"})
    text = {"Content-Type": "text/plain"}
    api.request("POST", "/blacklist", content="79998887766", headers=text)

    def shown(**filters: str) -> list[str]:
        response = client.get(CONSOLE + "/requests", params=filters)
        assert response.status_code == 200, response.text
        return [heading(c) for c in cards(parse(response.text))]

    assert shown(sentIn="query", sentName="size", sentValue="7") == [
        "Запрос №2: GET /employees?size=7 200"
    ]
    assert shown(sentIn="query", sentName="size", sentKind="matches", sentValue="[57]") == [
        "Запрос №2: GET /employees?size=7 200",
        "Запрос №1: GET /employees?size=5 200",
    ]
    assert shown(sentIn="headers", sentName="User-Agent", sentKind="contains", sentValue="crm") == [
        "Запрос №1: GET /employees?size=5 200"
    ]
    assert shown(sentIn="body", sentKind="matches", sentValue=r"7\d{10}") == [
        "Запрос №3: POST /blacklist 200"
    ]
    assert shown(operationId="getEmployees", sentIn="query", sentName="page", sentKind="absent")
    page = get_page(client, "/requests", sentIn="query", sentName="size", sentValue="7")
    assert page.find("input", id="filter-sent-name").attrs["value"] == "size"
    refused = client.get(
        CONSOLE + "/requests",
        params={"sentIn": "body", "sentKind": "matches", "sentValue": "(a)\\1"},
    )
    assert refused.status_code == 400
    [error] = messages(parse(refused.text), "error")
    assert "backreferences are not supported" in error, error


def test_a_filter_the_api_refuses_shows_its_words_and_the_rest_of_the_page(
    client: TestClient, api: Api
) -> None:
    add_fault(client, operationId="getEmployees", status=503)
    response = client.get(CONSOLE + "/requests", params={"status": "99"})
    assert response.status_code == 400, response.text
    page = parse(response.text)
    [error] = messages(page, "error")
    assert error.startswith("GET /mock/requests → HTTP 400:"), error
    assert cards(page) == []
    assert len(page.find_all("li", data_testid="fault-rule")) == 1


def test_the_advisories_summary_counts_per_code_with_an_example(
    client: TestClient, api: Api
) -> None:
    for _ in range(2):
        api.get("/employees", headers={"Authorization": "Bearer " + api.token})
    api.get("/call-records/info", params={**WINDOW, "size": "0"})
    page = get_page(client, "/requests")
    items = {
        item.attrs["data-code"]: item
        for item in page.find_all("li", data_testid="advisory-summary")
    }
    assert sorted(items) == ["BEARER_PREFIX", "PAGE_SIZE_BELOW_ONE"]
    bearer = items["BEARER_PREFIX"]
    assert bearer.find(data_testid="advisory-title").text == "Токен с префиксом Bearer"
    assert bearer.find(data_testid="advisory-count").text == "2 запроса от 1 клиента"
    assert "The token is sent as 'Bearer <token>'" in bearer.text
    example = bearer.find(data_testid="advisory-example").text
    assert example == "№1 · GET /employees · Authorization: Bearer <token>"
    guide = bearer.find(data_testid="advisory-guide")
    assert guide.text == "4 «Авторизация»"
    assert guide.find("a").attrs["href"] == "/crm/openapi/ui/#/Authorization"
    # The basis is the label of the decision it rests on (D43: the guide shows the raw token,
    # that the service refuses the prefix is inferred), not the advisory's own claim.
    basis = bearer.find(data_testid="advisory-basis").text
    assert basis == "решение D43 спецификации: руководство этого не говорит: вывод мока"
    link = page.find("a", href="/mock/console/requests?company=391&advisory=PAGE_SIZE_BELOW_ONE")
    assert link.text == "Запросы с этим замечанием"


def test_a_fault_rule_is_listed_and_shows_in_the_requests_it_hit(
    client: TestClient, api: Api
) -> None:
    rule = add_fault(client, operationId="getEmployees", status=503, retryAfter=30, times=2)
    assert api.get("/employees").status_code == 503
    page = get_page(client, "/requests")
    [item] = page.find_all("li", data_testid="fault-rule")
    assert item.find("h3").text == f"Правило №{rule['id']}"
    assert item.find(data_testid="rule-match").text == "getEmployees"
    assert item.find(data_testid="rule-action").text == "Ответить 503 с Retry-After: 30"
    assert item.find(data_testid="rule-limits").text == "сработало 1 раз; осталось 1"
    [card] = cards(page)
    assert card.find(data_testid="request-fault").text == "правило №1: ответ 503 с Retry-After: 30"


def test_removing_a_rule_from_the_page_removes_it(client: TestClient, api: Api) -> None:
    first = add_fault(client, operationId="getEmployees", status=503)
    second = add_fault(client, operationId="getBlacklist", delayMs=5)
    page = post_form(client, f"/requests/faults/{first['id']}/remove", {})
    assert messages(page, "ok") == [f"Правило сбоя №{first['id']} удалено"]
    assert [rule["id"] for rule in faults(client)] == [second["id"]]
    assert [item.attrs["data-rule"] for item in page.find_all("li", data_testid="fault-rule")] == [
        str(second["id"])
    ]
    assert api.get("/employees").status_code == 200

    again = post_form(client, f"/requests/faults/{first['id']}/remove", {}, 404)
    [error] = messages(again, "error")
    assert error.startswith(f"DELETE /mock/faults/{first['id']} → HTTP 404:"), error


def test_removing_every_rule(client: TestClient) -> None:
    add_fault(client, operationId="getEmployees", status=503)
    add_fault(client, status=500)
    page = post_form(client, "/requests/faults/remove", {})
    assert messages(page, "ok") == ["Все правила сбоев удалены"]
    assert faults(client) == []
    assert "Правил сбоев нет" in page.find("section", id="faults").text


def test_a_preset_added_from_the_page(client: TestClient, api: Api) -> None:
    page = post_form(
        client, "/requests/faults/preset", {"preset": "outage", "minutes": "5", "companyId": "391"}
    )
    [rule] = faults(client)
    assert (rule["preset"], rule["companyId"], rule["status"]) == ("outage", 391, 503)
    [message] = messages(page, "ok")
    assert message == f"Добавлено правило №{rule['id']}: компания 391 — Ответить 503"
    assert api.get("/employees").status_code == 503
    other = Api(client, issue(client, companyId=392)["accessToken"])
    assert other.get("/employees").status_code == 200


def test_a_status_rule_added_from_the_page_answers_the_crm(client: TestClient, api: Api) -> None:
    fields = {"operationId": "getEmployees", "status": "503", "times": "2", "companyId": ""}
    post_form(client, "/requests/faults/add", fields)
    assert [api.get("/employees").status_code for _ in range(3)] == [503, 503, 200]


@pytest.mark.parametrize(
    ("path", "fields", "words"),
    [
        ("/requests/faults/preset", {"preset": "outage", "minutes": "пять"}, "Минут отказа"),
        ("/requests/faults/preset", {"preset": "flood"}, "Нет такой заготовки"),
        ("/requests/faults/add", {"status": "503", "times": "2.5"}, "Сколько раз"),
    ],
)
def test_what_is_not_a_number_is_refused_before_the_api(
    client: TestClient, path: str, fields: dict[str, str], words: str
) -> None:
    page = post_form(client, path, fields, 400)
    [error] = messages(page, "error")
    assert words in error
    assert faults(client) == []


def test_a_rule_the_api_refuses_shows_its_words(client: TestClient) -> None:
    page = post_form(client, "/requests/faults/preset", {"preset": "outage", "minutes": "0"}, 400)
    [error] = messages(page, "error")
    assert error.startswith("POST /mock/faults/presets/outage → HTTP 400:"), error
    assert page.find("input", id="preset-minutes").attrs["value"] == "0"


def test_clearing_the_journal(client: TestClient, api: Api) -> None:
    api.get("/employees", headers={"Authorization": "Bearer " + api.token})
    page = post_form(client, "/requests/clear", {})
    assert messages(page, "ok") == ["Журнал запросов и сводка замечаний очищены"]
    assert cards(page) == []
    assert "CRM ещё ничего не присылала" not in page.text, "one request was recorded"
    assert "Замечаний нет." in page.text
    assert client.get("/mock/requests").json()["requests"] == []


@pytest.fixture
def journal_off() -> Iterator[TestClient]:
    pbx = Pbx(pinned_config(**SMALL_HISTORY, journal_size=0))
    with TestClient(create_app(pbx, kind="async"), headers=CONTROL) as client:
        yield client
    pbx.close()


def test_with_the_journal_off_the_page_says_so_and_keeps_the_rules(
    journal_off: TestClient,
) -> None:
    add_fault(journal_off, operationId="getEmployees", status=503)
    page = get_page(journal_off, "/requests")
    assert "Журнал запросов выключен: мок запущен с --journal-size 0" in page.text
    assert len(page.find_all("li", data_testid="fault-rule")) == 1
