"""Every page in a browser: usable at 1280x800 and at phone width, every control named."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import DESKTOP, MOCK_ARGS, Console, shot
from tests.mock_process import MockProcess, running_mock

PAGES = ["/", "/tokens", "/live", "/journal", "/statistics", "/clock", "/requests"]
# The roles of what a person operates; each needs an accessible name.
CONTROLS = (
    "button",
    "checkbox",
    "combobox",
    "link",
    "listbox",
    "radio",
    "searchbox",
    "slider",
    "spinbutton",
    "switch",
    "textbox",
)


@pytest.fixture(scope="module")
def mock() -> Iterator[MockProcess]:
    """One mock for these tests: they only look."""
    with running_mock(*MOCK_ARGS) as process:
        yield process


_NODE = re.compile(r'^\s*- (?P<role>[a-z]+)(?: "(?P<name>(?:[^"\\]|\\.)*)")?')


def unnamed_controls(page: Page) -> list[str]:
    """The controls of the page's accessibility tree that have no name."""
    missing = []
    for line in page.locator("body").aria_snapshot().splitlines():
        node = _NODE.match(line)
        if node and node["role"] in CONTROLS and not (node["name"] or "").strip():
            missing.append(line.strip())
    return missing


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page is {width[0]} px wide in a {width[1]} px window"


@pytest.mark.parametrize("path", PAGES)
def test_each_page_at_1280x800(console: Console, path: str) -> None:
    page = console.open(path)
    no_sideways_scroll(page)
    assert unnamed_controls(page) == []
    expect(page.get_by_role("navigation", name="Разделы консоли")).to_be_visible()
    expect(page.get_by_label("Компания", exact=True)).to_be_visible()
    if path == "/":
        shot(page, "overview")
    if path == "/requests":
        expect(page.get_by_role("heading", name="Что присылала CRM")).to_be_visible()


@pytest.mark.parametrize("path", PAGES)
def test_each_page_at_phone_width(phone: Console, path: str) -> None:
    page = phone.open(path)
    no_sideways_scroll(page)
    assert unnamed_controls(page) == []
    expect(page.locator("h1")).to_be_in_viewport()


def test_the_player_at_phone_width(phone: Console) -> None:
    page = phone.open("/journal?is_recorded=on")
    page.get_by_role("link", name=re.compile("^Прослушать запись звонка")).first.click()
    expect(page.get_by_label("Расшифровка разговора")).to_be_visible()
    no_sideways_scroll(page)
    assert unnamed_controls(page) == []
    shot(page, "phone-journal")


def test_the_forms_work_without_javascript(browser: Browser, mock: MockProcess) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(mock.base_url + "/mock/console/tokens")
        page.get_by_role("button", name="Сгенерировать токен").click()
        token = page.get_by_role("textbox", name="Access token").input_value()
        answer = mock.api("/employees", headers={"Authorization": token})
        assert answer.status_code == 200, answer.text
        page.goto(mock.base_url + "/mock/console/live")
        page.get_by_label("С номера").fill("79160000002")
        page.get_by_role("button", name="Смоделировать звонок").click()
        expect(page.get_by_test_id("live-call").filter(has_text="79160000002")).to_be_visible()
    finally:
        context.close()
