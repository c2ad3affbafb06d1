"""«Токен API»: the cabinet's page that generates a token pair (POST /mock/tokens).

The pair is shown once, in the answer to the form, never kept by the console. Generating
supersedes the user's earlier pairs, as the API does; the page says so, as the guide does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from mock_server.console import text
from mock_server.console.client import ApiError
from mock_server.console.site import Site, field_text

__all__ = ["routes"]

MSG_NOT_A_NUMBER = "Поле «{label}»: нужно целое число, а не {value!r}"
TEMPLATE = "tokens.html"


def _expiry(token: str, now: datetime) -> dict[str, Any]:
    expires = text.jwt_expiry(token)
    return {
        "at": expires,
        "in": None if expires is None else text.relative((expires - now).total_seconds()),
    }


def routes(site: Site) -> list[BaseRoute]:
    async def show(request: Request) -> Response:
        page = await site.page(request, needs_company=False)
        return site.render(page, TEMPLATE, form={"companyId": str(page.company)}, issued=None)

    async def generate(request: Request) -> Response:
        form = await request.form()
        page = await site.page(request, form, needs_company=False)
        values = {name: field_text(form, name) for name in ("companyId", "userId", "login")}
        body: dict[str, Any] = {}
        invalid = []
        for name, label in (("companyId", "ID компании"), ("userId", "ID пользователя")):
            if values[name]:
                try:
                    body[name] = int(values[name])
                except ValueError:
                    invalid.append(MSG_NOT_A_NUMBER.format(label=label, value=values[name]))
        if values["login"]:
            body["login"] = values["login"]
        if invalid:
            page.notes += [{"kind": "error", "text": message} for message in invalid]
            return site.render(page, TEMPLATE, status=400, form=values, issued=None)
        try:
            issued = (await site.client.control("POST", "/tokens", body)).json()
            clock = (await site.client.control("GET", "/clock")).json()
        except ApiError as error:
            return site.failed(page, TEMPLATE, error, form=values, issued=None)
        now = text.parse_api_instant(clock["now"])
        issued["access"] = _expiry(issued["accessToken"], now)
        issued["refresh"] = _expiry(issued["refreshToken"], now)
        # A new companyId made a new company: show it, and the mock's list with it.
        page.health = (await site.client.control("GET", "/health")).json()
        page.company = issued["companyId"]
        return site.render(
            page,
            TEMPLATE,
            form=values,
            issued=issued,
            api_url=str(request.base_url).rstrip("/") + "/crm/openapi",
        )

    return [
        Route("/tokens", show, methods=["GET"], name="tokens"),
        Route("/tokens", generate, methods=["POST"]),
    ]
