"""«Статистика»: GET /statistics/common and /statistics/journal for a window, and a chart of
the window's calls per hour of the day, counted from GET /call-records/info (the same journal
the statistics are computed from, so the bars add up to `allCallCount` for the company)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from mock_server.console import text
from mock_server.console.chart import Chart, calls_per_hour
from mock_server.console.client import ApiError, ConsoleClient
from mock_server.console.site import Site
from mock_server.console.window import DEFAULT_DAYS, company_now, read_window, window_of_days

__all__ = ["CHART_MAX_PAGES", "CHART_PAGE_SIZE", "routes"]

TEMPLATE = "statistics.html"
# The chart reads the window's journal in pages of the API's largest size, up to this many.
CHART_PAGE_SIZE: Final = 2000
CHART_MAX_PAGES: Final = 25


async def _chart(
    client: ConsoleClient, company: int, start: datetime, end: datetime
) -> Chart | None:
    """The window's calls per hour; None if the window holds more than the chart reads."""
    dates: list[datetime] = []
    for number in range(CHART_MAX_PAGES):
        params = {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "page": str(number),
            "size": str(CHART_PAGE_SIZE),
            "sort": "date,ASC",
        }
        records = (await client.api(company, "GET", "/call-records/info", params)).json()
        dates += [text.parse_api_instant(record["date"]) for record in records]
        if len(records) < CHART_PAGE_SIZE:
            return Chart(tuple(calls_per_hour(dates)))
    return None


def routes(site: Site) -> list[BaseRoute]:
    client = site.client

    async def show(request: Request) -> Response:
        page = await site.page(request)
        now = await company_now(client, page.company)
        window = read_window(page, now, DEFAULT_DAYS)
        number = request.query_params.get("number", "").strip()
        values: dict[str, Any] = {
            "window": window or window_of_days(now, DEFAULT_DAYS),
            "number": number,
            "common": None,
            "journal": None,
            "chart": None,
            "labels": text.COMMON_STATISTICS,
            "chart_limit": CHART_PAGE_SIZE * CHART_MAX_PAGES,
        }
        if window is None:
            return site.render(page, TEMPLATE, status=400, **values)
        start, end = window
        params = {"start": start.isoformat(), "end": end.isoformat()}
        try:
            common_params = {**params, "subscriberNumber": number} if number else params
            journal_params = {**params, "number": number} if number else params
            values["common"] = (
                await client.api(page.company, "GET", "/statistics/common", common_params)
            ).json()
            values["journal"] = (
                await client.api(page.company, "GET", "/statistics/journal", journal_params)
            ).json()
            values["chart"] = await _chart(client, page.company, start, end)
        except ApiError as error:
            return site.failed(page, TEMPLATE, error, **values)
        return site.render(page, TEMPLATE, **values)

    return [Route("/statistics", show, methods=["GET"], name="statistics")]
