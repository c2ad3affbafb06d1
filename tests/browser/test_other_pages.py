"""Web pages other than the mock's own, in a real browser, cannot drive the mock.

A page served from another loopback port (another program's page on this machine: same site,
another origin), a page of another site, and a page whose name was re-pointed at 127.0.0.1
(DNS rebinding) each try what the issue reproduced: a `no-cors` fetch of `POST /mock/reset`
(a simple request, no preflight), a text/plain form that smuggles JSON into `/mock/reset`, a
form to the console, and reading a token pair. The mock's state must not change, and the
mock must have been reached (each attempt answered 403), so the test cannot pass by the
browser never sending anything. The console itself still works, its forms carrying the Origin
that lets them through.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright, Request, Response, expect

from mock_server.console.text import msk
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Console
from tests.mock_process import MockProcess

# Names the browser resolves to 127.0.0.1 itself (no DNS): a site of the attacker's, and the
# attacker's name re-pointed at the mock (the second half of DNS rebinding).
EVIL = "evil.example"
REBIND = "rebind.example"
RESOLVE_TO_LOOPBACK = f"--host-resolver-rules=MAP {EVIL} 127.0.0.1, MAP {REBIND} 127.0.0.1"

ATTACK_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Some page</title></head><body>
<form id="json" method="post" enctype="text/plain" action="{mock}/mock/reset">
  <input name='{{"seed":7,"historyDays":1,"x":"' value='"}}'>
</form>
<form id="company" method="post" enctype="text/plain" action="{mock}/mock/companies">
  <input name='{{"companyId":4242,"x":"' value='"}}'>
</form>
<form id="console" method="post" action="{mock}/mock/console/clock/advance">
  <input name="company" value="391"><input name="seconds" value="86400">
</form>
<script>
async function attack(mock) {{
  const simple = {{method: "POST", mode: "no-cors"}};
  await fetch(mock + "/mock/reset", simple);
  await fetch(mock + "/mock/companies", simple);
  await fetch(mock + "/mock/calls/settle", simple);
  await fetch(mock + "/mock/faults/presets/outage", {{...simple, body: '{{"minutes":60}}'}});
  return "sent";
}}
</script>
</body></html>
"""


# The forms of ATTACK_PAGE, by id, and where each posts.
FORMS = {
    "json": "/mock/reset",
    "company": "/mock/companies",
    "console": "/mock/console/clock/advance",
}


class _Page(BaseHTTPRequestHandler):
    """Serves one HTML page at any path."""

    def __init__(self, html: bytes, *args: Any) -> None:
        self.html = html
        super().__init__(*args)

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.html)))
        self.end_headers()
        self.wfile.write(self.html)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def _serving(html: str) -> Iterator[int]:
    """A tiny server of `html` on a free loopback port (another origin); its port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Page, html.encode()))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def resolving(playwright: Playwright) -> Iterator[Browser]:
    """Chromium that resolves the attacker's names to 127.0.0.1."""
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, RESOLVE_TO_LOOPBACK]
    )
    yield browser
    browser.close()


def _state(mock: MockProcess) -> dict[str, Any]:
    health = mock.control.health()
    return {
        "seed": health.seed,
        "companies": health.companies,
        "now": health.now,
        "faults": mock.control.faults(),
    }


def _answers_to_mock(page: Page, mock: MockProcess) -> list[Response]:
    answers: list[Response] = []
    page.on(
        "response",
        lambda r: answers.append(r) if r.url.startswith(mock.base_url + "/mock/") else None,
    )
    return answers


def _the_form_post(url: str) -> Callable[[Response], bool]:
    """The answer to a form posted to `url` (a document, where a fetch is not)."""
    return lambda r: r.url == url and r.request.resource_type == "document"


@pytest.mark.parametrize("site", ["127.0.0.1", EVIL], ids=["another-port", "another-site"])
def test_a_page_elsewhere_changes_nothing(resolving: Browser, mock: MockProcess, site: str) -> None:
    company = mock.control.create_company()
    before = _state(mock)
    assert company.company_id in before["companies"]
    with _serving(ATTACK_PAGE.format(mock=mock.base_url)) as port:
        context = resolving.new_context()
        try:
            page = context.new_page()
            page.set_default_timeout(10_000)
            answers = _answers_to_mock(page, mock)
            page.goto(f"http://{site}:{port}/")
            assert page.evaluate(f"attack({mock.base_url!r})") == "sent"
            for form, path in FORMS.items():  # each leaves the page for the mock's answer
                page.goto(f"http://{site}:{port}/")
                with page.expect_response(_the_form_post(mock.base_url + path)):
                    page.evaluate(f"document.getElementById({form!r}).submit()")
                page.wait_for_url(mock.base_url + path)
        finally:
            context.close()
    # (The console's refusal page, shown in the tab, then loads its own stylesheet.)
    posts = {
        (a.url.removeprefix(mock.base_url), a.status) for a in answers if a.request.method == "POST"
    }
    assert posts == {
        ("/mock/reset", 403),
        ("/mock/companies", 403),
        ("/mock/calls/settle", 403),
        ("/mock/faults/presets/outage", 403),
        ("/mock/console/clock/advance", 403),
    }, posts
    assert _state(mock) == before


def test_a_rebound_name_reads_and_writes_nothing(resolving: Browser, mock: MockProcess) -> None:
    """The attacker's page, once its name points at 127.0.0.1, is same-origin with the mock
    as far as the browser knows: it may read every answer. The mock answers it nothing."""
    before = _state(mock)
    port = mock.ready["port"]
    context = resolving.new_context()
    try:
        page = context.new_page()
        # Any page at that origin will do; the documented API answers any Host.
        landed = page.goto(f"http://{REBIND}:{port}/crm/openapi/openapi.json")
        assert landed is not None
        assert landed.status == 200
        answers = page.evaluate(
            """async () => {
              const post = await fetch("/mock/tokens", {method: "POST",
                  headers: {"Content-Type": "application/json"}, body: '{"companyId": 391}'});
              const console = await fetch("/mock/console/tokens");
              const health = await fetch("/mock/health");
              return [[post.status, await post.text()], [console.status, await console.text()],
                      [health.status, await health.text()]];
            }"""
        )
    finally:
        context.close()
    for status, text in answers:
        assert status == 403, text
        assert REBIND in text, text
        assert "accessToken" not in text
        assert "eyJ" not in text  # no JWT
    assert _state(mock) == before


def test_the_consoles_own_forms_carry_its_origin_and_go_through(console: Console) -> None:
    """Chromium sends Origin (and Sec-Fetch-Site: same-origin) with the console's form posts,
    which is what lets them through."""
    posts: list[Request] = []
    page = console.open("/clock")
    page.on("request", lambda r: posts.append(r) if r.method == "POST" else None)
    later = console.mock.control.clock().now + timedelta(hours=1)
    page.get_by_role("button", name="+1 час").click()
    expect(page.get_by_test_id("clock-now")).to_have_text(msk(later))
    assert console.mock.control.clock().now == later
    assert [p.url for p in posts] == [console.url("/clock/advance")]
    headers = posts[0].all_headers()
    assert headers.get("origin") == console.mock.base_url, headers
    assert headers.get("sec-fetch-site") == "same-origin", headers
