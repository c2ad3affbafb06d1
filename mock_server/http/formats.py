"""The formats a parameter is checked against: jsonschema's draft 4 checker (Connexion's), with
`date-time` read as RFC 3339 writes it, year 0000 included.

jsonschema checks `date-time` with rfc3339-validator when that package happens to be installed
(a dependency of the spec validator, not of the mock): it refuses year 0000, which RFC 3339's
`date-fullyear = 4DIGIT` and Java's ISO_OFFSET_DATE_TIME both take, and which Schemathesis
generates. Without the package the format is not checked at all. Either way the mock would
not answer as the schema says, so the check is the mock's own, the same in every install.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final

from connexion.validators.parameter import draft4_format_checker
from jsonschema import FormatChecker

__all__ = ["PARAMETER_FORMATS", "date_time_hint", "is_date_time"]

# RFC 3339 section 5.6 `date-time` (`T`/`Z` in either case, section 5.6 NOTE); a leap second
# (`:60`) is refused, as rfc3339-validator and Java's formatter refuse it.
_LOCAL_DATE_TIME: Final = (
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})[Tt]"
    r"([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?"
)
_DATE_TIME: Final = re.compile(
    _LOCAL_DATE_TIME + r"([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])", re.ASCII
)


def is_date_time(instance: object) -> bool:
    """Whether `instance` is an RFC 3339 date-time (anything not a string passes, as JSON
    Schema's formats do). Year 0000 is checked as year 0400: the Gregorian calendar repeats
    every 400 years, and both are leap years.

    >>> is_date_time("0000-02-29T00:00:00-18:00"), is_date_time("2022-02-29T00:00:00Z")
    (True, False)
    """
    if not isinstance(instance, str):
        return True
    match = _DATE_TIME.fullmatch(instance)
    if match is None:
        return False
    try:
        date(int(match["year"]) or 400, int(match["month"]), int(match["day"]))
    except ValueError:
        return False
    return True


# A date and a time that would be a date-time but for their end: nothing (no offset), or a space
# and an offset (a `+` sent unencoded in a query string, which means a space there).
_LOCAL: Final = re.compile(_LOCAL_DATE_TIME + r"(?P<end>| [0-9]{2}:[0-9]{2})", re.ASCII)


def date_time_hint(value: str) -> str | None:
    """What is wrong with a date-time a caller sent, when it is a common slip, and how to send it.

    >>> date_time_hint("2026-03-01T00:00:00 03:00")[:40]
    "its '+' arrived as a space: in a query s"
    """
    match = _LOCAL.fullmatch(value)
    if match is None:
        return None
    local = value.removesuffix(match["end"])
    if match["end"]:
        return (
            f"its '+' arrived as a space: in a query string '+' means a space, so send the "
            f"offset's '+' encoded as %2B ({local}%2B{match['end'].strip()}), or use Z"
        )
    return (
        f"it has no UTC offset, and one is required: send {local}+03:00 (Moscow time) or "
        f"{local}Z (UTC), with the '+' encoded as %2B in a query string"
    )


def _parameter_formats() -> FormatChecker:
    checker = FormatChecker(())
    checker.checkers = dict(draft4_format_checker.checkers)
    checker.checks("date-time")(is_date_time)
    return checker


PARAMETER_FORMATS: Final = _parameter_formats()
