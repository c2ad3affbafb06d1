"""The window `[start, end)` a page asks the API about, as a person picks it: Moscow time in
`datetime-local` fields (`?start=&end=`), by default the last days up to the company's today."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from mock_server.console import text
from mock_server.console.client import ConsoleClient
from mock_server.console.site import Page

__all__ = ["DEFAULT_DAYS", "company_now", "read_window", "window_of_days"]

DEFAULT_DAYS: Final = 7
MSG_BAD_INSTANT = "Поле «{label}»: нужны дата и время, а не {value!r}"


def window_of_days(now: datetime, days: int) -> tuple[datetime, datetime]:
    """The `days` Moscow days up to and including the day of `now`: [00:00, next 00:00)."""
    today = now.astimezone(text.MSK).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - timedelta(days=days - 1), today + timedelta(days=1)


async def company_now(client: ConsoleClient, company: int) -> datetime:
    clock = (await client.control("GET", f"/companies/{company}/clock")).json()
    return text.parse_api_instant(clock["now"])


def read_window(
    page: Page, now: datetime, days: int = DEFAULT_DAYS
) -> tuple[datetime, datetime] | None:
    """The window of `?start=&end=` (Moscow time, as the datetime-local fields send it), each
    defaulting to `days` days up to today; None (and a note on the page) if one is not a date."""
    default = window_of_days(now, days)
    chosen = []
    for name, label, fallback in (("start", "Начало", default[0]), ("end", "Конец", default[1])):
        value = page.request.query_params.get(name, "").strip()
        if not value:
            chosen.append(fallback)
            continue
        try:
            chosen.append(text.from_local_input(value))
        except ValueError:
            page.error(MSG_BAD_INSTANT.format(label=label, value=value))
            return None
    return chosen[0], chosen[1]
