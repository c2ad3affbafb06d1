"""«Токен API»: the pair the page shows is the API's, and generating again supersedes it."""

from __future__ import annotations

from datetime import timedelta

import jwt
from starlette.testclient import TestClient

from mock_server.console.text import msk, parse_api_instant
from tests.conftest import advance
from tests.console.pages import messages, post_form, value_of


def _employees(client: TestClient, token: str) -> tuple[int, str]:
    response = client.get("/crm/openapi/employees", headers={"Authorization": token})
    return response.status_code, response.text


def test_a_generated_pair_works_and_says_when_it_expires(client: TestClient) -> None:
    now = parse_api_instant(client.get("/mock/clock").json()["now"])
    page = post_form(client, "/tokens", {"companyId": "391"}, 200)
    access = value_of(page, "access-token")
    assert _employees(client, access)[0] == 200
    refresh = value_of(page, "refresh-token")
    refreshed = client.put(
        "/crm/openapi/authorization/refresh/token", headers={"Authorization": refresh}
    )
    assert refreshed.status_code == 200, refreshed.text
    expiry = {p.attrs["data-testid"]: p.text for p in page.find_all("p", data_testid=None)}
    assert msk(now + timedelta(days=1)) in expiry["access-expiry"]
    assert "через 1 сут." in expiry["access-expiry"]
    assert msk(now + timedelta(days=7)) in expiry["refresh-expiry"]
    assert access in value_of(page, "curl-example")


def test_generating_again_supersedes_the_earlier_pair(client: TestClient) -> None:
    first = value_of(post_form(client, "/tokens", {"companyId": "391"}, 200), "access-token")
    advance(client, 1)  # on a frozen clock a pair issued in the same second is the same pair
    second = value_of(post_form(client, "/tokens", {"companyId": "391"}, 200), "access-token")
    assert second != first
    status, body = _employees(client, first)
    assert (status, "The token has already been updated" in body) == (403, True)
    assert _employees(client, second)[0] == 200


def test_a_pair_for_a_given_user(client: TestClient) -> None:
    page = post_form(client, "/tokens", {"companyId": "392", "userId": "77", "login": "crm"}, 200)
    claims = jwt.decode(value_of(page, "access-token"), options={"verify_signature": False})
    assert claims["UserDetailsImpl"] == {"companyId": 392, "userId": 77, "login": "crm"}
    assert "Компания 392, пользователь 77 (crm)" in page.text


def test_a_refused_request_shows_the_api_words(client: TestClient) -> None:
    page = post_form(client, "/tokens", {"companyId": "0"}, 400)
    [error] = messages(page, "error")
    assert error.startswith("POST /mock/tokens → HTTP 400: ")
    assert "companyId" in error
    assert page.find_all("textarea") == []


def test_a_company_that_is_not_a_number_is_refused_before_the_api(client: TestClient) -> None:
    page = post_form(client, "/tokens", {"companyId": "триста"}, 400)
    assert messages(page, "error") == ["Поле «ID компании»: нужно целое число, а не 'триста'"]
