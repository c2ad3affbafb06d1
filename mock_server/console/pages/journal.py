"""«Журнал звонков»: GET /call-records/info with the API's filters and paging, and a player.

A row with a recording opens it (`?play=<recordFileName>`): the audio comes through
`/mock/console/recording`, which asks GET /call-records/file with the browser's `Range`
header and hands back the API's answer as it is (206 for a range, so the player can seek);
beside it the transcript (GET /call-records/file/stt), one paragraph per turn of a speaker,
each word with its times so the page can highlight the word being said.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from mock_server.console import text
from mock_server.console.client import ApiError, ConsoleClient
from mock_server.console.site import Page, Site, explain
from mock_server.console.window import DEFAULT_DAYS, company_now, read_window, window_of_days

__all__ = ["Filters", "routes", "speakers", "turns"]

TEMPLATE = "journal.html"
PAGE_SIZES: Final = (10, 20, 50, 100)
DEFAULT_SIZE: Final = 20
# The answer headers of GET /call-records/file the player needs, passed on as they are.
_RECORDING_HEADERS: Final = (
    "content-type",
    "content-length",
    "content-range",
    "accept-ranges",
    "content-disposition",
)
# A page or size longer than this is beyond any journal; the value is shown cut to _SHOWN.
_MAX_DIGITS: Final = 18
_SHOWN: Final = 40
MSG_BAD_NUMBER = "Поле «{label}»: нужно целое неотрицательное число, а не {value!r}"


@dataclass(slots=True)
class Filters:
    """The journal's filters as the form holds them."""

    start: datetime
    end: datetime
    caller: str = ""
    callee: str = ""
    is_recorded: bool = False
    sort_field: str = "date"
    sort_dir: str = "DESC"
    size: int = DEFAULT_SIZE
    page: int = 0

    def api_params(self) -> dict[str, str]:
        params = {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "page": str(self.page),
            "size": str(self.size),
            "sort": f"{self.sort_field},{self.sort_dir}",
        }
        if self.caller:
            params["caller"] = self.caller
        if self.callee:
            params["callee"] = self.callee
        if self.is_recorded:
            params["is_recorded"] = "true"
        return params

    def query(self, **changes: Any) -> dict[str, Any]:
        """The console's query string for these filters, with `changes`."""
        query: dict[str, Any] = {
            "start": text.msk_input(self.start),
            "end": text.msk_input(self.end),
            "caller": self.caller or None,
            "callee": self.callee or None,
            "is_recorded": "on" if self.is_recorded else None,
            "sort_field": self.sort_field,
            "sort_dir": self.sort_dir,
            "size": self.size,
            "page": self.page,
        }
        query.update(changes)
        return query


def _read_filters(page: Page, now: datetime) -> Filters | None:
    window = read_window(page, now)
    if window is None:
        return None
    query = page.request.query_params
    filters = Filters(*window)
    filters.caller = query.get("caller", "").strip()
    filters.callee = query.get("callee", "").strip()
    filters.is_recorded = query.get("is_recorded") in ("on", "true", "1")
    if query.get("sort_field") in text.SORT_FIELDS:
        filters.sort_field = query["sort_field"]
    if query.get("sort_dir") in ("ASC", "DESC"):
        filters.sort_dir = query["sort_dir"]
    for name, label in (("size", "На странице"), ("page", "Страница")):
        value = query.get(name, "").strip()
        if value:
            # ASCII digits that Python converts (not "²", not 5,000 digits: ValueError).
            if not (value.isascii() and value.isdigit()) or len(value) > _MAX_DIGITS:
                page.error(MSG_BAD_NUMBER.format(label=label, value=value[:_SHOWN]))
                return None
            setattr(filters, name, int(value))
    return filters


def turns(words: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The transcript's words, grouped into turns: consecutive words of one channel."""
    grouped: list[dict[str, Any]] = []
    for word in words:
        if not grouped or grouped[-1]["channel"] != word["channel"]:
            grouped.append({"channel": word["channel"], "start": word["startTime"], "words": []})
        grouped[-1]["words"].append(word)
    return grouped


def speakers(record: dict[str, Any] | None) -> dict[str, str]:
    """Who speaks on each channel: A the caller, B the callee, named when the record names them."""
    named = {"A": "A · звонивший", "B": "B · ответивший"}
    if record is not None:
        for channel, number, name in (
            ("A", record.get("callerNumber"), record.get("callerName")),
            ("B", record.get("calleeNumber"), record.get("calleeName")),
        ):
            who = ", ".join(str(part) for part in (name, number) if part)
            if who:
                named[channel] += f": {who}"
    return named


def routes(site: Site) -> list[BaseRoute]:
    client = site.client

    async def show(request: Request) -> Response:
        page = await site.page(request)
        now = await company_now(client, page.company)
        filters = _read_filters(page, now)
        values: dict[str, Any] = {
            "filters": filters or Filters(*window_of_days(now, DEFAULT_DAYS)),
            "records": None,
            "player": None,
            "sizes": PAGE_SIZES,
            "sort_fields": text.SORT_FIELDS,
        }
        if filters is None:
            return site.render(page, TEMPLATE, status=400, **values)
        try:
            answer = await client.api(
                page.company, "GET", "/call-records/info", filters.api_params()
            )
        except ApiError as error:
            return site.failed(page, TEMPLATE, error, **values)
        values["records"] = answer.json()
        values["player"] = await _player(client, page, values["records"])
        return site.render(page, TEMPLATE, **values)

    async def recording(request: Request) -> Response:
        page = await site.page(request)
        headers = {"Range": request.headers["range"]} if "range" in request.headers else {}
        answer = await client.api(
            page.company,
            "GET",
            "/call-records/file",
            {"filename": request.query_params.get("filename", "")},
            headers,
            check=False,
        )
        passed = {k: v for k, v in answer.headers.items() if k.lower() in _RECORDING_HEADERS}
        return Response(answer.content, status_code=answer.status, headers=passed)

    return [
        Route("/journal", show, methods=["GET"], name="journal"),
        Route("/recording", recording, methods=["GET"]),
    ]


async def _player(
    client: ConsoleClient, page: Page, records: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """The recording asked for by `?play=`, its record (when on this page) and transcript."""
    filename = page.request.query_params.get("play", "").strip()
    if not filename:
        return None
    record = next((r for r in records if r.get("recordFileName") == filename), None)
    player: dict[str, Any] = {
        "filename": filename,
        "record": record,
        "speakers": speakers(record),
        "src": page.url("/recording", filename=filename),
        "turns": None,
        "transcript_error": None,
    }
    try:
        words = (
            await client.api(page.company, "GET", "/call-records/file/stt", {"filename": filename})
        ).json()
    except ApiError as error:
        player["transcript_error"] = explain(error)
    else:
        player["turns"] = turns(words)
    return player
