"""«Часы»: the mock clock (GET /mock/clock), moved forward (POST /mock/clock/advance), frozen
or let run and set to an instant (PUT /mock/clock), as the control API allows: never back."""

from __future__ import annotations

import math
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from mock_server.console import text
from mock_server.console.client import ApiError
from mock_server.console.site import Page, Site, explain, field_text

__all__ = ["STEPS", "routes"]

TEMPLATE = "clock.html"
# The one-click steps: (seconds, label).
STEPS: Final = ((1, "+1 секунда"), (60, "+1 минута"), (3600, "+1 час"), (86400, "+1 сутки"))
MSG_ADVANCED = "Часы передвинуты вперёд на {moved}: теперь {now} МСК"
MSG_FROZEN = "Часы остановлены на {now} МСК"
MSG_RUNNING = "Часы снова идут с {now} МСК"
MSG_SET = "Часы показывают {now} МСК{frozen}"
MSG_SECONDS = "Поле «Секунды»: нужно число секунд не меньше нуля, а не {value!r}"
MSG_INSTANT = "Поле «Дата и время»: нужны дата и время, а не {value!r}"


def routes(site: Site) -> list[BaseRoute]:
    client = site.client

    async def render(page: Page, status: int = 200, **form: Any) -> Response:
        clock = (await client.control("GET", "/clock")).json()
        company = (await client.control("GET", f"/companies/{page.company}/clock")).json()
        return site.render(
            page,
            TEMPLATE,
            status=status,
            clock=clock,
            company_clock=company,
            steps=STEPS,
            form=form,
        )

    async def refused(page: Page, error: ApiError, **form: Any) -> Response:
        page.error(explain(error))
        return await render(page, error.status, **form)

    async def show(request: Request) -> Response:
        return await render(await site.page(request))

    async def advance(request: Request) -> Response:
        form = await request.form()
        page = await site.page(request, form)
        raw = field_text(form, "seconds").replace(",", ".")
        try:
            seconds = float(raw)
        except ValueError:
            seconds = math.nan
        if not math.isfinite(seconds) or seconds < 0:
            page.error(MSG_SECONDS.format(value=raw))
            return await render(page, 400, seconds=raw)
        try:
            answer = await client.control("POST", "/clock/advance", {"seconds": seconds})
        except ApiError as error:
            return await refused(page, error, seconds=raw)
        moved = text.duration(seconds) if seconds >= 1 else f"{seconds:g} с"
        return site.done(
            page, "/clock", MSG_ADVANCED.format(moved=moved, now=text.msk(answer.json()["now"]))
        )

    async def freeze(request: Request) -> Response:
        form = await request.form()
        page = await site.page(request, form)
        frozen = field_text(form, "frozen") == "true"
        try:
            answer = await client.control("PUT", "/clock", {"frozen": frozen})
        except ApiError as error:
            return await refused(page, error)
        message = MSG_FROZEN if frozen else MSG_RUNNING
        return site.done(page, "/clock", message.format(now=text.msk(answer.json()["now"])))

    async def set_now(request: Request) -> Response:
        form = await request.form()
        page = await site.page(request, form)
        raw = field_text(form, "now")
        try:
            instant = text.from_local_input(raw)
        except ValueError:
            page.error(MSG_INSTANT.format(value=raw))
            return await render(page, 400, now=raw)
        body: dict[str, Any] = {"now": instant.isoformat()}
        if field_text(form, "frozen") == "true":
            body["frozen"] = True
        try:
            answer = await client.control("PUT", "/clock", body)
        except ApiError as error:
            return await refused(page, error, now=raw)
        clock = answer.json()
        return site.done(
            page,
            "/clock",
            MSG_SET.format(
                now=text.msk(clock["now"]), frozen=" и стоят" if clock["frozen"] else " и идут"
            ),
        )

    return [
        Route("/clock", show, methods=["GET"], name="clock"),
        Route("/clock/advance", advance, methods=["POST"]),
        Route("/clock/freeze", freeze, methods=["POST"]),
        Route("/clock/set", set_now, methods=["POST"]),
    ]
