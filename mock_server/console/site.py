"""What every page of the console shares: templates, the company shown, messages, forms.

Pages are rendered on the server from what the APIs answer (`ConsoleClient`). A form posts to
the console, which calls the API and redirects back (303) with a one-time message in a cookie;
when the API refuses, the page is rendered again with the API's own words and status. Which
requests reach the console at all (no page of another origin, no foreign Host) is decided in
front of it, for the whole of /mock (mock_server/http/guard.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import quote, unquote, urlencode

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from mock_server.console import text
from mock_server.console.client import ApiError, ConsoleClient

__all__ = ["CONSOLE_PREFIX", "DEFAULT_COMPANY_ID", "Page", "Site"]

CONSOLE_PREFIX: Final = "/mock/console"
DEFAULT_COMPANY_ID: Final = 391
_FLASH_COOKIE: Final = "console_flash"
MSG_NO_COMPANY = "Компании {company} в моке нет; показана компания {shown}"
MSG_BAD_COMPANY = "Номер компании — целое число, а не {value!r}"
MSG_NO_COMPANIES = (
    "В моке нет ни одной компании: создайте её на странице «Токен API» "
    "или через POST /mock/companies"
)
# The console's pages, in the order of its menu: (path, title).
NAVIGATION: Final = (
    ("/", "Обзор"),
    ("/tokens", "Токен API"),
    ("/live", "Звонки сейчас"),
    ("/journal", "Журнал звонков"),
    ("/statistics", "Статистика"),
    ("/clock", "Часы"),
    ("/requests", "Запросы CRM"),
)


@dataclass(slots=True)
class Page:
    """What a page knows before it asks anything of its own: the mock's health, the company
    shown (`?company=` or the form's `company`), and a message left by the last form."""

    request: Request
    health: dict[str, Any]
    company: int
    flash: dict[str, str] | None = None
    notes: list[dict[str, str]] = field(default_factory=list)

    def url(self, path: str, **params: Any) -> str:
        """A console URL for this company: `page.url("/journal", page=2)`."""
        query = {"company": self.company, **{k: v for k, v in params.items() if v is not None}}
        return f"{CONSOLE_PREFIX}{path}?{urlencode(query)}"

    def error(self, message: str) -> None:
        self.notes.append({"kind": "error", "text": message})


class Site:
    """Templates and helpers of the console's pages."""

    def __init__(self, client: ConsoleClient) -> None:
        self.client = client
        self.templates = Environment(
            loader=PackageLoader("mock_server.console", "templates"),
            autoescape=select_autoescape(default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.templates.filters.update(
            msk=text.msk,
            msk_input=text.msk_input,
            duration=text.duration,
            call_type=text.call_type,
            call_status=text.call_status,
            relative=text.relative,
            span=text.span,
        )
        self.templates.globals.update(
            prefix=CONSOLE_PREFIX,
            navigation=NAVIGATION,
            plural=text.plural,
            monitoring_types=text.MONITORING_TYPES,
            outcomes=text.OUTCOMES,
        )

    async def page(
        self, request: Request, form: FormData | None = None, *, needs_company: bool = True
    ) -> Page:
        """The page's context; raises ApiError if the mock does not answer its health check,
        and a 409 if the page shows a company's data and the mock has no company (reading it
        as the console's user would create one)."""
        health = (await self.client.control("GET", "/health")).json()
        companies: list[int] = health["companies"]
        if not companies and needs_company:
            raise HTTPException(409, MSG_NO_COMPANIES)
        shown = (
            DEFAULT_COMPANY_ID if DEFAULT_COMPANY_ID in companies or not companies else companies[0]
        )
        page = Page(request, health, shown, _read_flash(request))
        asked = (form.get("company") if form is not None else None) or request.query_params.get(
            "company"
        )
        if isinstance(asked, str) and asked.strip():
            try:
                wanted = int(asked)
            except ValueError:
                page.error(MSG_BAD_COMPANY.format(value=asked))
            else:
                if wanted in companies:
                    page.company = wanted
                elif companies:
                    page.error(MSG_NO_COMPANY.format(company=wanted, shown=shown))
        return page

    def render(self, page: Page, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        body = self.templates.get_template(template).render(
            page=page, request=page.request, **values
        )
        response = HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-store"})
        if page.flash is not None:
            response.delete_cookie(_FLASH_COOKIE, path=CONSOLE_PREFIX)
        return response

    def fragment(self, page: Page, template: str, **values: Any) -> HTMLResponse:
        """Part of a page (what the live view fetches every second)."""
        body = self.templates.get_template(template).render(page=page, **values)
        return HTMLResponse(body, headers={"Cache-Control": "no-store"})

    @staticmethod
    def done(page: Page, path: str, message: str, **params: Any) -> RedirectResponse:
        """Back to `path` (303) with `message` shown once there."""
        response = RedirectResponse(page.url(path, **params), status_code=303)
        response.set_cookie(
            _FLASH_COOKIE,
            quote(json.dumps({"kind": "ok", "text": message}, ensure_ascii=False)),
            max_age=60,
            path=CONSOLE_PREFIX,
            httponly=True,
            samesite="strict",
        )
        return response

    def failed(self, page: Page, template: str, error: ApiError, **values: Any) -> HTMLResponse:
        """The page again, with what the API said and its status."""
        page.error(explain(error))
        return self.render(page, template, status=error.status, **values)

    async def page_unavailable(self, request: Request, error: ApiError) -> Response:
        """When the mock does not even answer its health check (a reset is running)."""
        body = self.templates.get_template("unavailable.html").render(
            request=request, message=explain(error)
        )
        headers = {"Cache-Control": "no-store"}
        retry = error.answer.headers.get("Retry-After")
        if retry:
            headers["Retry-After"] = retry
        return HTMLResponse(body, status_code=error.status, headers=headers)


def explain(error: ApiError) -> str:
    """An API refusal as the console shows it: status, then the API's own message."""
    if error.status == 503:
        return f"Мок сейчас сбрасывается (HTTP 503), повторите через минуту: {error.message}"
    return f"{error.answer.method} {error.answer.path} → HTTP {error.status}: {error.message}"


def _read_flash(request: Request) -> dict[str, str] | None:
    raw = request.cookies.get(_FLASH_COOKIE)
    if not raw:
        return None
    try:
        value = json.loads(unquote(raw))
    except ValueError:
        return None
    if isinstance(value, dict) and isinstance(value.get("text"), str):
        return {"kind": str(value.get("kind", "ok")), "text": value["text"]}
    return None


def field_text(form: FormData, name: str) -> str:
    """A text field of `form`, stripped; "" when absent."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""
