"""«Токен API» in a browser: generate, copy, and use the pair against the API."""

from __future__ import annotations

import httpx
from playwright.sync_api import expect

from tests.browser.conftest import Console, shot


def _employees(console: Console, token: str) -> httpx.Response:
    return httpx.get(console.mock.api_url + "/employees", headers={"Authorization": token})


def test_a_generated_token_answers_200_and_the_next_one_supersedes_it(console: Console) -> None:
    page = console.open("/tokens")
    page.get_by_label("ID компании").fill("391")
    page.get_by_role("button", name="Сгенерировать токен").click()
    access = page.get_by_role("textbox", name="Access token")
    expect(access).to_be_visible()
    first = access.input_value()
    response = _employees(console, first)
    assert response.status_code == 200, response.text
    assert page.get_by_role("textbox", name="Refresh token").input_value() != first
    expect(page.get_by_test_id("access-expiry")).to_contain_text("через 1 сут.")
    expect(page.get_by_test_id("refresh-expiry")).to_contain_text("через 7 сут.")

    page.get_by_role("button", name="Копировать Access token").click()
    expect(page.get_by_role("status").first).to_contain_text("Скопировано")
    assert page.evaluate("navigator.clipboard.readText()") == first
    shot(page, "tokens")

    # Generating again (a second later by the pinned clock) kills the earlier pair.
    console.mock.control.advance(1)
    page.get_by_role("button", name="Сгенерировать токен").click()
    second = page.get_by_role("textbox", name="Access token").input_value()
    assert second != first
    superseded = _employees(console, first)
    assert superseded.status_code == 403
    assert superseded.json()["details"] == "The token has already been updated"
    assert _employees(console, second).status_code == 200
