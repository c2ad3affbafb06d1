"""Every page of the console, served by both app classes, in Russian."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from mock_server.http.app import APP_KINDS, AppKind
from tests.conftest import issue
from tests.console.pages import CONSOLE, follow, get_page, messages, post_form


@pytest.fixture(params=APP_KINDS)
def app_kind(request: pytest.FixtureRequest) -> AppKind:
    """Both app classes serve the console (the other console tests run on the AsyncApp)."""
    kind: AppKind = request.param
    return kind


PAGES = [
    ("/", "Обзор"),
    ("/tokens", "Токен API"),
    ("/live", "Звонки сейчас"),
    ("/journal", "Журнал звонков"),
    ("/statistics", "Статистика"),
    ("/clock", "Часы"),
    ("/requests", "Запросы CRM"),
]


@pytest.mark.parametrize(("path", "title"), PAGES)
def test_each_page_renders_in_russian(client: TestClient, path: str, title: str) -> None:
    page = get_page(client, path)
    assert page.find("html").attrs["lang"] == "ru"
    assert page.find("h1").text == title
    menu = page.find("nav", aria_label="Разделы консоли").find_all("a")
    assert [a.text for a in menu] == [t for _, t in PAGES]
    assert [a.text for a in menu if "aria-current" in a.attrs] == [title]


def test_a_form_and_a_recording_go_through(client: TestClient) -> None:
    page = post_form(client, "/live/incoming", {"from": "79161234567", "durationSeconds": "30"})
    assert messages(page, "ok") == ["Входящий звонок с номера 79161234567 смоделирован"]
    page = post_form(client, "/live/settle", {})
    assert len(messages(page, "ok")) == 1
    journal = get_page(client, "/journal", is_recorded="on")
    link = next(a for a in journal.find_all("a") if a.text == "Прослушать")
    src = follow(client, link).find("audio").attrs["src"]
    response = client.get(src, headers={"Range": "bytes=0-99"})
    assert response.status_code == 206
    assert response.headers["content-type"] == "audio/mpeg"
    assert len(response.content) == 100


def test_the_console_lives_at_its_slash(client: TestClient) -> None:
    response = client.get(CONSOLE, follow_redirects=False)
    assert response.status_code in (307, 308)
    assert response.headers["location"].endswith(CONSOLE + "/")


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("console.css", "text/css"),
        ("console.js", "text/javascript"),
        ("favicon.svg", "image/svg+xml"),
    ],
)
def test_static_files_are_served_from_the_package(
    client: TestClient, name: str, media_type: str
) -> None:
    response = client.get(f"{CONSOLE}/static/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)


def test_an_unknown_page_is_a_404_in_russian(client: TestClient) -> None:
    page = get_page(client, "/no-such-page", status=404)
    assert "Такой страницы в консоли нет" in page.text


def test_the_api_paths_stay_the_apis(client: TestClient) -> None:
    assert client.get("/mock/clock").status_code == 200
    response = client.get("/mock/consolex")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_another_company_is_shown_on_request(client: TestClient) -> None:
    page = get_page(client, "/live", company="392")
    assert page.find("h2", id="live-heading").text == "Компания 392"
    assert page.find("option", selected=None).text == "392"


def test_an_unknown_company_is_neither_shown_nor_created(client: TestClient) -> None:
    page = get_page(client, "/live", company="5555")
    assert messages(page, "error") == ["Компании 5555 в моке нет; показана компания 391"]
    assert 5555 not in client.get("/mock/health").json()["companies"]


def test_the_console_reads_the_api_as_its_own_user(client: TestClient) -> None:
    """Opening the console must not supersede the pair a CRM under test is using."""
    pair = issue(client)
    for path, _ in PAGES:
        get_page(client, path)
    post_form(client, "/live/incoming", {"from": "79161234567"})
    response = client.get("/crm/openapi/employees", headers={"Authorization": pair["accessToken"]})
    assert response.status_code == 200, response.text


def test_a_form_sent_from_another_site_is_refused(client: TestClient) -> None:
    before = client.get("/mock/clock").json()["now"]
    response = client.post(
        CONSOLE + "/clock/advance",
        data={"seconds": "3600"},
        headers={"Origin": "http://attacker.example"},
    )
    assert response.status_code == 403
    assert client.get("/mock/clock").json()["now"] == before


def test_without_companies_the_console_creates_none_until_asked(client: TestClient) -> None:
    for company in client.get("/mock/health").json()["companies"]:
        assert client.delete(f"/mock/companies/{company}").status_code == 204
    page = get_page(client, "/live", status=409)
    assert "В моке нет ни одной компании" in page.text
    assert client.get("/mock/health").json()["companies"] == []
    get_page(client, "/")
    get_page(client, "/tokens")
    assert client.get("/mock/health").json()["companies"] == []
    post_form(client, "/tokens", {"companyId": "777"}, 200)
    assert client.get("/mock/health").json()["companies"] == [777]
    assert get_page(client, "/live").find("h2", id="live-heading").text == "Компания 777"
