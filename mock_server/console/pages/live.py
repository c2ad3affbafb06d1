"""«Звонки сейчас»: calls in progress and the queues, refreshed every second by the page.

Time on the page is the mock clock's (the company's), never the browser's: the panel carries
its now and whether the mock clock is frozen, and says so when it is, since calls then move
only when the clock is moved.

The panel is GET /monitoring/calls and GET /monitoring/calls/pending as the console's user of
the company sees them, with the company's clock. The forms simulate an incoming call
(POST /mock/calls/incoming), place a click-to-call (POST /call/outgoing) and settle the live
calls: POST /mock/calls/settle where the mock has it, else by moving the mock clock a minute
at a time until no call of the company is live.
"""

from __future__ import annotations

from typing import Any, Final

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from mock_server.console import text
from mock_server.console.client import ApiError, ConsoleClient
from mock_server.console.site import Page, Site, explain, field_text

__all__ = ["SETTLE_STEP_SECONDS", "routes", "settle_by_clock"]

TEMPLATE = "live.html"
PANEL_TEMPLATE = "live_panel.html"
SETTLE_PATH: Final = "/calls/settle"
# Without POST /mock/calls/settle: the clock moves a minute at a time, at most this far (the
# longest simulated call is 4 hours, plus its ringing and waiting).
SETTLE_STEP_SECONDS: Final = 60
SETTLE_MAX_SECONDS: Final = 5 * 3600
MSG_INCOMING = "Входящий звонок с номера {number} смоделирован"
MSG_INCOMING_DENIED = "Номер {number} в чёрном списке: звонок сразу попал в журнал как отклонённый"
MSG_OUTGOING = "АТС звонит сотруднику {source}, затем соединит его с номером {destination}"
MSG_SETTLED = "Текущие звонки завершены и записаны в журнал"
MSG_SETTLED_COUNT = "Завершено звонков: {count}; они записаны в журнал"
MSG_SETTLED_BY_CLOCK = (
    "Текущие звонки завершены: часы мока передвинуты вперёд на {moved} "
    "(в этом моке нет POST /mock/calls/settle)"
)
MSG_STILL_LIVE = "За {moved} звонки не закончились; часы мока передвинуты на это время"
MSG_DURATION = "Поле «Длительность»: нужно целое число секунд, а не {value!r}"


async def live_state(client: ConsoleClient, company: int) -> dict[str, Any]:
    """What the panel shows: the company's now, its calls in progress and its queues."""
    clock = (await client.control("GET", f"/companies/{company}/clock")).json()
    calls = (await client.api(company, "GET", "/monitoring/calls")).json()
    queues = (await client.api(company, "GET", "/monitoring/calls/pending")).json()
    return {"now": clock["now"], "frozen": clock["frozen"], "calls": calls, "queues": queues}


async def settle_by_clock(client: ConsoleClient, company: int) -> tuple[int, bool]:
    """Move the mock clock a minute at a time until the company has no call in progress and
    nobody waits in its queues; returns how far it moved (seconds) and whether calls ended."""
    moved = 0
    while True:
        state = await live_state(client, company)
        if not state["calls"] and not state["queues"]:
            return moved, True
        if moved >= SETTLE_MAX_SECONDS:
            return moved, False
        await client.control("POST", "/clock/advance", {"seconds": SETTLE_STEP_SECONDS})
        moved += SETTLE_STEP_SECONDS


def _incoming_body(form: FormData, page: Page) -> tuple[dict[str, Any], list[str]]:
    """POST /mock/calls/incoming's body from the form, and what in the form is not valid."""
    body: dict[str, Any] = {"from": field_text(form, "from"), "companyId": page.company}
    for name in ("to", "queue", "outcome"):
        if field_text(form, name):
            body[name] = field_text(form, name)
    seconds = field_text(form, "durationSeconds")
    if seconds:
        try:
            body["durationSeconds"] = int(seconds)
        except ValueError:
            return body, [MSG_DURATION.format(value=seconds)]
    return body, []


def routes(site: Site) -> list[BaseRoute]:
    client = site.client

    async def render(page: Page, form: dict[str, str], status: int = 200) -> Response:
        employees = (await client.api(page.company, "GET", "/employees")).json()
        state = await live_state(client, page.company)
        return site.render(
            page,
            TEMPLATE,
            status=status,
            employees=[e for e in employees if e.get("fullNumber")],
            state=state,
            form=form,
            settle_available=await client.has_control(SETTLE_PATH),
        )

    async def show(request: Request) -> Response:
        page = await site.page(request)
        return await render(page, {})

    async def panel(request: Request) -> Response:
        page = await site.page(request)
        return site.fragment(page, PANEL_TEMPLATE, state=await live_state(client, page.company))

    async def incoming(request: Request) -> Response:
        form = await request.form()
        page = await site.page(request, form)
        values = {k: field_text(form, k) for k in form}
        body, invalid = _incoming_body(form, page)
        if invalid:
            for message in invalid:
                page.error(message)
            return await render(page, values, 400)
        try:
            call = (await client.control("POST", "/calls/incoming", body)).json()
        except ApiError as error:
            page.error(explain(error))
            return await render(page, values, error.status)
        message = MSG_INCOMING if call.get("live", True) else MSG_INCOMING_DENIED
        return site.done(page, "/live", message.format(number=call["callerNumber"]))

    async def outgoing(request: Request) -> Response:
        form = await request.form()
        page = await site.page(request, form)
        values = {k: field_text(form, k) for k in form}
        params = {"source": values.get("source", ""), "destination": values.get("destination", "")}
        try:
            await client.api(page.company, "POST", "/call/outgoing", params=params)
        except ApiError as error:
            page.error(explain(error))
            return await render(page, values, error.status)
        return site.done(page, "/live", MSG_OUTGOING.format(**params))

    async def settle(request: Request) -> Response:
        form = await request.form()
        page = await site.page(request, form)
        try:
            if await client.has_control(SETTLE_PATH):
                answer = await client.control("POST", SETTLE_PATH, {"companyId": page.company})
                settled = (answer.json() or {}).get("settled")
                message = (
                    MSG_SETTLED if settled is None else MSG_SETTLED_COUNT.format(count=settled)
                )
            else:
                moved, ended = await settle_by_clock(client, page.company)
                template = MSG_SETTLED_BY_CLOCK if ended else MSG_STILL_LIVE
                message = template.format(moved=text.duration(moved))
        except ApiError as error:
            page.error(explain(error))
            return await render(page, {}, error.status)
        return site.done(page, "/live", message)

    return [
        Route("/live", show, methods=["GET"], name="live"),
        Route("/live/panel", panel, methods=["GET"]),
        Route("/live/incoming", incoming, methods=["POST"]),
        Route("/live/outgoing", outgoing, methods=["POST"]),
        Route("/live/settle", settle, methods=["POST"]),
    ]
