"""Fixtures of the browser tests: Debian's chromium driven by Playwright, and a pinned mock.

Run by `make test-browser` (mk/browser.mk), which installs chromium with apt-get; `make test`
leaves this folder out. Playwright cannot download its own browsers here, so it launches the
system's `/usr/bin/chromium` (`CHROMIUM` overrides). Every test gets a mock process of its own
(pinned clock, `--ready-file`) and a fresh browser context in Russian and Moscow time; when the
test ends, the browser's console must hold no error.

Screenshots go to `reports/screenshots/`, or to `CONSOLE_SCREENSHOTS` (`make console-screenshots`
writes the ones the README shows, under docs/).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    Response,
    ViewportSize,
    sync_playwright,
)

from tests.mock_process import MockProcess, running_mock

__all__ = ["Console", "shot"]

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("CONSOLE_SCREENSHOTS") or ROOT / "reports" / "screenshots")
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}
# Eight days of history, so that the pages' default window (the last seven days) is full.
MOCK_ARGS = ("--history-days", "8")
MSG_NO_CHROMIUM = (
    "chromium not found at {path}: `make test-browser` installs Debian's chromium with apt-get "
    "(as root); or set CHROMIUM to a Chromium binary"
)


@dataclass(slots=True)
class Console:
    """A browser page on a mock's console, with what the browser logged and fetched."""

    mock: MockProcess
    page: Page
    errors: list[str] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)

    def url(self, path: str = "/") -> str:
        return f"{self.mock.base_url}/mock/console{path}"

    def refused(self, status: int) -> None:
        """The page's document was answered `status` on purpose (a form the API refused):
        Chromium logs that as an error; take exactly that one off the log."""
        logged = [e for e in self.errors if f"status of {status}" in e]
        assert len(logged) == 1, self.errors
        self.errors.remove(logged[0])

    def open(self, path: str = "/") -> Page:
        answer = self.page.goto(self.url(path))
        assert answer is not None
        assert answer.status == 200, f"{answer.status}: {answer.text()[:2000]}"
        return self.page


def shot(page: Page, name: str, *, full_page: bool = False) -> Path:
    """Save a screenshot of `page` as `console-<name>.png`."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"console-{name}.png"
    page.screenshot(path=path, full_page=full_page, animations="disabled", caret="hide")
    return path


def pytest_report_header() -> str:
    """Which chromium the run drives (`make test-browser` prints it first)."""
    try:
        version = subprocess.run(
            [CHROMIUM, "--version"], capture_output=True, text=True, timeout=30, check=False
        ).stdout.strip()
    except OSError as exc:
        version = f"not runnable: {exc}"
    return f"chromium: {CHROMIUM}: {version or 'no version'}"


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(MSG_NO_CHROMIUM.format(path=CHROMIUM), pytrace=False)
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def mock() -> Iterator[MockProcess]:
    with running_mock(*MOCK_ARGS) as process:
        yield process


@contextmanager
def _console_at(browser: Browser, mock: MockProcess, viewport: ViewportSize) -> Iterator[Console]:
    """A fresh browser context on the mock's console; no error may be logged by its end."""
    context = browser.new_context(viewport=viewport, locale="ru-RU", timezone_id="Europe/Moscow")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=mock.base_url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    console = Console(mock, page)

    def logged(message: ConsoleMessage) -> None:
        if message.type == "error":
            console.errors.append(f"console: {message.text} ({message.location})")

    page.on("console", logged)
    page.on("pageerror", lambda error: console.errors.append(f"page error: {error}"))
    page.on("response", lambda response: console.responses.append(response))
    try:
        yield console
    finally:
        context.close()
    assert console.errors == [], "the browser logged errors"


@pytest.fixture
def console(browser: Browser, mock: MockProcess) -> Iterator[Console]:
    """The console of a fresh mock at 1280x800."""
    with _console_at(browser, mock, DESKTOP) as opened:
        yield opened


@pytest.fixture
def phone(browser: Browser, mock: MockProcess) -> Iterator[Console]:
    """The console of a fresh mock at phone width (390x844)."""
    with _console_at(browser, mock, PHONE) as opened:
        yield opened
