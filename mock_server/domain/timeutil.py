"""Instants on the wire: what `start`/`end` accept and how `date` is written.

Clients send windows both as `2026-03-13T10:00:00+03:00` and as JavaScript ISO strings
`2026-03-13T07:00:00.000Z` (field notes); the journal writes UTC with milliseconds and `Z`
(`2022-07-15T07:27:06.348Z`). Inside the domain every instant is epoch milliseconds, computed
with integer arithmetic so that a `.348` never becomes `.347` through a float.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from mock_server.domain.errors import InvalidInput

__all__ = [
    "EPOCH",
    "MSG_BAD_INSTANT",
    "Instant",
    "Window",
    "format_epoch_ms",
    "format_instant",
    "from_epoch_ms",
    "parse_epoch_ms",
    "parse_instant",
    "to_epoch_ms",
]

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_MS = timedelta(milliseconds=1)

MSG_BAD_INSTANT = (
    "{where} '{name}': expected an ISO 8601 date-time with offset such as "
    "2022-08-14T09:00:00+03:00, got {value!r}"
)
# A '+' sent unencoded in a query string arrives as a space: the commonest client mistake.
MSG_PLUS_HINT = " (a '+' in a query string must be sent as %2B)"

# Java's ISO_OFFSET_DATE_TIME, which the real service parses with: seconds and fraction
# optional, up to nine fractional digits, `T`/`Z` in either case, offset `Z` or ±HH:MM[:SS]
# within ±18:00. A date-time without an offset is refused: its meaning would be a guess.
_INSTANT = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})[Tt]"
    r"(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d{1,9}))?)?"
    r"(?:(?P<utc>[Zz])|(?P<sign>[+-])(?P<oh>\d{2}):(?P<om>\d{2})(?::(?P<os>\d{2}))?)"
)
_MAX_OFFSET = timedelta(hours=18)
_GREGORIAN_CYCLE_MS = 146_097 * 86_400_000  # 400 years: the calendar repeats after them
MSG_YEAR_ZERO = (
    "{where} '{name}': {value!r} is in year 0000, before the earliest instant the mock's "
    "clock can hold (0001-01-01)"
)


def parse_instant(value: str, name: str, where: str = "Query parameter") -> datetime:
    """Parse query parameter (or body field: `where`) `name`; the result is an aware datetime
    in UTC.

    An instant whose UTC date falls outside years 1-9999 (`0001-01-01T00:00:00+05:00`, valid
    ISO 8601 that Java parses) keeps its own offset: Python's datetime cannot hold it in UTC,
    but it is the same instant, and the domain only ever compares and subtracts instants. A
    date in year 0000 it cannot hold at all: that is refused here, and the documented API's
    windows, which take it as Java does, read their bounds with `parse_epoch_ms`.

    >>> parse_instant("2022-08-14T09:00:00+03:00", "start").isoformat()
    '2022-08-14T06:00:00+00:00'
    """
    local, shift_ms = _parse(value, name, where)
    if shift_ms:
        raise InvalidInput(MSG_YEAR_ZERO.format(where=where, name=name, value=value))
    try:
        return local.astimezone(UTC)
    except OverflowError:
        return local


def parse_epoch_ms(value: str, name: str, where: str = "Query parameter") -> int:
    """Parse `name` as `parse_instant` does, to epoch milliseconds (floored), for any year
    the grammar admits: year 0000 (1 BC, which Java's formatter reads) included.

    >>> parse_epoch_ms("0000-01-01T00:00:00Z", "start")
    -62167219200000
    """
    local, shift_ms = _parse(value, name, where)
    return to_epoch_ms(local) - shift_ms


def _parse(value: str, name: str, where: str) -> tuple[datetime, int]:
    """The instant as an aware datetime in its own offset, and how many milliseconds it was
    moved later to be held: a date in year 0000 is read in year 0400, the same day of the
    same 400-year cycle of the Gregorian calendar (both leap years), 146,097 days later."""
    match = _INSTANT.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise InvalidInput(_bad_instant(value, name, where))
    date, shift_ms = match["date"], 0
    if date.startswith("0000"):
        date, shift_ms = "0400" + date[4:], _GREGORIAN_CYCLE_MS
    try:
        offset = timedelta(0)
        if not match["utc"]:
            offset = timedelta(
                hours=int(match["oh"]), minutes=int(match["om"]), seconds=int(match["os"] or 0)
            )
            if offset > _MAX_OFFSET:
                raise ValueError("offset beyond ±18:00")
            if match["sign"] == "-":
                offset = -offset
        fraction = (match["fraction"] or "").ljust(6, "0")[:6]
        local = datetime.fromisoformat(date).replace(
            hour=int(match["hour"]),
            minute=int(match["minute"]),
            second=int(match["second"] or 0),
            microsecond=int(fraction),
            tzinfo=timezone(offset),
        )
    except ValueError as exc:
        raise InvalidInput(_bad_instant(value, name, where)) from exc
    return local, shift_ms


def _bad_instant(value: object, name: str, where: str) -> str:
    message = MSG_BAD_INSTANT.format(where=where, name=name, value=value)
    if (
        where == "Query parameter"
        and isinstance(value, str)
        and re.search(r"\d \d{2}:\d{2}$", value.strip())
    ):
        message += MSG_PLUS_HINT
    return message


def to_epoch_ms(instant: datetime) -> int:
    """Milliseconds since the epoch, floored; a naive datetime is taken as UTC."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return (instant - EPOCH) // _ONE_MS


def from_epoch_ms(ms: int) -> datetime:
    return EPOCH + timedelta(milliseconds=ms)


# Naive on purpose: the instant is UTC by construction and written with a "Z".
_NAIVE_EPOCH = datetime(1970, 1, 1)


def format_epoch_ms(ms: int) -> str:
    """`2022-07-15T07:27:06.348Z`: UTC, always three fractional digits."""
    # isoformat of a naive datetime is 2.5x faster than strftime, and this runs for every
    # record of every page.
    return (_NAIVE_EPOCH + timedelta(milliseconds=ms)).isoformat(timespec="milliseconds") + "Z"


def format_instant(instant: datetime) -> str:
    """Format an instant as the journal does (milliseconds truncated, not rounded)."""
    try:
        return format_epoch_ms(to_epoch_ms(instant))
    except OverflowError:  # outside years 1-9999 in UTC: written in its own offset
        return instant.isoformat(timespec="milliseconds")


# An instant as the domain takes it: an aware datetime, or epoch milliseconds (what a window's
# bound read by `parse_epoch_ms` is, for the years Python's datetime cannot hold).
Instant = datetime | int


@dataclass(frozen=True, slots=True)
class Window:
    """A half-open window `[start, end)` of instants, in whole epoch milliseconds.

    A window whose start is not before its end holds no instant (decision D18): the guide
    states no rule for it, and a query `date >= start AND date < end` finds nothing in it, so
    it answers an empty page and zero statistics rather than an error.

    >>> Window.parse("2022-08-14T09:00:00+03:00", "2022-08-15T06:00:00.000Z").seconds
    86400.0
    >>> Window.parse("2022-08-15T06:00:00Z", "2022-08-14T06:00:00Z").is_empty
    True
    """

    start_ms: int
    end_ms: int

    @classmethod
    def of(cls, start: Instant, end: Instant) -> Window:
        return cls(_ms(start), _ms(end))

    @classmethod
    def parse(cls, start: str, end: str) -> Window:
        return cls(parse_epoch_ms(start, "start"), parse_epoch_ms(end, "end"))

    @property
    def seconds(self) -> float:
        """The window's length; 0 for an empty or reversed window."""
        return max(self.end_ms - self.start_ms, 0) / 1000

    @property
    def is_empty(self) -> bool:
        return self.start_ms >= self.end_ms


def _ms(instant: Instant) -> int:
    return instant if isinstance(instant, int) else to_epoch_ms(instant)
