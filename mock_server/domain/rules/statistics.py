"""GET /statistics/common and GET /statistics/journal, counted from the call journal.

The guide names the figures and gives one sample answer (5.6.1); the definitions here are the
ones under which that sample is consistent (decisions D19, D20, written out in the spec's
description of /statistics/common). A call of the window is internal (`INTERNAL`, `HIMSELF`)
or external; an external call is successful (answered) or lost. The counts partition the
window (`allCallCount = successCallCount + lostCallCount + internalCallCount`); the durations
are conversation seconds; the rates are the external calls per calendar day (in Moscow time)
the window touches, and that over 24; every average is floored, and 0 over no calls.

`rollups.py` writes each term once, as SQL over a journalled call, and keeps the sums of those
terms per hour and per day as calls are journalled. A window's figures are its whole days' and
hours' sums plus the calls of its partial hours, counted from the journal itself; so the
statistics always agree with what GET /call-records/info lists for the same window, and cost as
much for a month of a million calls as for a quiet day.

Distinct callers (of the successful calls) do not add up over hours. They are counted from the
journal's links (`storage/journal_tables.py`), which successful calls alone carry: a caller is
counted once, at their first successful call in the window, the one whose caller's previous
successful call (`prev_at`) is from before the window; for one number, the callers of the
successful calls *to* it are counted the same way by the caller's previous successful call to
that number (`pair_prev_at`), and the number itself once if it placed a successful call. Both
are index-only counts over the successful calls.

An empty or reversed window counts nothing and its rates are 0 (D18).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any, Final

from mock_server.domain.errors import InvalidInput
from mock_server.domain.storage.journal_tables import install_schema
from mock_server.domain.storage.rollups import (
    COMPANY,
    DAY_MS,
    FIGURES,
    HOUR_MS,
    INTERNAL_TYPES,
    OUTGOING_TYPES,
    SUCCESS,
    TRANSFER_STATUSES,
    calls_of,
    is_registered,
    totals,
)
from mock_server.domain.storage.store import Store
from mock_server.domain.timeutil import Instant, Window

__all__ = [
    "INTERNAL_TYPES",
    "OUTGOING_TYPES",
    "TRANSFER_STATUSES",
    "CallStatistics",
    "check_number",
    "days_touched",
]

MSG_BAD_NUMBER: Final = (
    "Query parameter '{name}': expected a number in the form 7XXXXXXXXXX (11 digits starting "
    "with 7), got {value!r}"
)
_MSISDN: Final = re.compile(r"7[0-9]{10}", re.ASCII)

_COMMON_FIGURES: Final = tuple(f.name for f in FIGURES if f.name != "recorded")
_JOURNAL_FIGURES: Final = ("calls", "success")
_WINDOW: Final = "company_id = ? AND started_at >= ? AND started_at < ?"
# The window's successful calls, each the first of its caller's in the window: the caller's
# successful call before it (`prev_at`) is from before the window, or there is none.
_FIRST_CALLERS: Final = (
    f"SELECT COUNT(*) FROM calls INDEXED BY calls_successful_callers WHERE {_WINDOW} "
    "AND prev_at IS NOT NULL AND prev_at < ?"
)
# The callers of the successful calls to one number, each at their first successful call to it
# in the window.
_FIRST_PAIR_CALLERS: Final = (
    "SELECT COUNT(*) FROM calls INDEXED BY calls_successful_pairs WHERE company_id = ?1 "
    "AND callee_number = ?2 AND started_at >= ?3 AND started_at < ?4 "
    "AND pair_prev_at IS NOT NULL AND pair_prev_at < ?3"
)
# Whether the number placed a successful call in the window (it is a caller then), and one to
# itself (counted among the callers of the calls to it already). Successful: it has links.
_PLACED: Final = (
    "SELECT EXISTS (SELECT 1 FROM calls INDEXED BY calls_by_caller WHERE company_id = ? "
    "AND caller_number = ? AND started_at >= ? AND started_at < ? AND prev_at IS NOT NULL), "
    "EXISTS (SELECT 1 FROM calls INDEXED BY calls_by_caller WHERE company_id = ? "
    "AND caller_number = ? AND started_at >= ? AND started_at < ? AND prev_at IS NOT NULL "
    "AND callee_number = ?)"
)
# A number that is not rolled up on its own has few calls: counted from them in one pass.
_RAW_COMMON: Final = (
    "SELECT "
    + ", ".join(f.over_rows() for f in FIGURES if f.name in _COMMON_FIGURES)
    + f", COUNT(DISTINCT CASE WHEN {SUCCESS.format(p='')} THEN caller_number END) FROM "
)
_RAW_JOURNAL: Final = (
    "SELECT " + ", ".join(f.over_rows() for f in FIGURES if f.name in _JOURNAL_FIGURES) + " FROM "
)
# The days of a window are Moscow's (UTC+3, no daylight saving since 2014), as the service's.
_MOSCOW_OFFSET_MS: Final = 3 * HOUR_MS


def days_touched(window: Window) -> int:
    """How many calendar days, in Moscow time, the window `[start, end)` touches; 0 for an
    empty or reversed window.

    >>> days_touched(Window.parse("2022-07-24T10:15:30+03:00", "2022-07-26T10:15:30+03:00"))
    3
    >>> days_touched(Window.parse("2022-07-24T00:00:00+03:00", "2022-07-25T00:00:00+03:00"))
    1
    """
    if window.end_ms <= window.start_ms:
        return 0
    first = (window.start_ms + _MOSCOW_OFFSET_MS) // DAY_MS
    last = (window.end_ms - 1 + _MOSCOW_OFFSET_MS) // DAY_MS
    return last - first + 1


def _average(total: int, count: int) -> int:
    return total // count if count else 0


def check_number(value: str | None, name: str) -> str | None:
    """`None` or a `7XXXXXXXXXX` number; anything else is a 400 naming the parameter."""
    if value is None:
        return None
    if not _MSISDN.fullmatch(value):
        raise InvalidInput(MSG_BAD_NUMBER.format(name=name, value=value))
    return value


class CallStatistics:
    """The two statistics operations; `settle` as for `CallJournal`."""

    def __init__(self, store: Store, settle: Callable[[int], object] | None = None) -> None:
        self._store = store
        self._settle = settle
        install_schema(store)

    def _before_read(self, company_id: int) -> None:
        if self._settle is not None:
            self._settle(company_id)

    def _common(self, company_id: int, window: Window, number: str | None) -> dict[str, int]:
        """Each figure of the window, and its successful calls' distinct callers."""
        conn = self._store.read()
        start_ms, end_ms = window.start_ms, window.end_ms
        if number is None:
            row = totals(
                conn,
                company_id,
                COMPANY,
                start_ms,
                end_ms,
                _COMMON_FIGURES,
                extra=_FIRST_CALLERS,
                extra_params=(company_id, start_ms, end_ms, start_ms),
            )
        elif is_registered(conn, company_id, number):
            window_params = (company_id, number, start_ms, end_ms)
            row = totals(
                conn,
                company_id,
                number,
                start_ms,
                end_ms,
                _COMMON_FIGURES,
                extra=_FIRST_PAIR_CALLERS,
                extra_params=window_params,
            )
            placed, to_itself = conn.execute(
                _PLACED, (*window_params, *window_params, number)
            ).fetchone()
            # The number is one of its calls' callers if it placed any; counted among the
            # callers of the calls to it already if it called itself.
            row = (*row[:-1], row[-1] + int(placed) - int(to_itself))
        else:
            source, params = calls_of(company_id, number, start_ms, end_ms)
            row = tuple(
                int(value or 0) for value in conn.execute(_RAW_COMMON + source, params).fetchone()
            )
        return dict(zip((*_COMMON_FIGURES, "callers"), row, strict=True))

    def common(
        self,
        company_id: int,
        start: Instant,
        end: Instant,
        subscriber_number: str | None = None,
    ) -> dict[str, Any]:
        """CommonStatistics over the calls starting in `[start, end)`, of the company or of
        the calls where `subscriber_number` is the caller or the callee."""
        window = Window.of(start, end)
        number = check_number(subscriber_number, "subscriberNumber")
        self._before_read(company_id)
        f = self._common(company_id, window, number)
        days = days_touched(window)
        per_day = (f["success"] + f["lost"]) / days if days else 0.0
        per_hour = per_day / 24
        return {
            "allCallCount": f["calls"],
            "successCallCount": f["success"],
            "outgoingCallCount": f["outgoing"],
            "lostCallCount": f["lost"],
            "commonCallDuration": f["talk"],
            "averageCallDuration": _average(f["talk"], f["calls"] - f["lost"]),
            "maxCallDuration": f["longest_talk"],
            "callCountPerDay": per_day,
            "callCountPerHour": per_hour,
            "mnAvgCallDuration": _average(f["talk"], f["success"]),
            "mnMaxCallDuration": f["longest_talk"],
            "averageCallCountPerHour": math.floor(per_hour),
            "transferCallCount": f["transfers"],
            "transferCallDuration": f["transfer_talk"],
            "averageTransferCallDuration": _average(f["transfer_talk"], f["transfers"]),
            "hangupACallCount": f["hangups_a"],
            "hangupBCallCount": f["hangups_b"],
            "uniqueCallCount": f["callers"],
            "redialCount": f["success"] - f["callers"],
            "internalCallCount": f["internal"],
            "internalCallDuration": f["internal_talk"],
            "averageInternalCallDuration": _average(f["internal_talk"], f["internal"]),
        }

    def journal(
        self, company_id: int, start: Instant, end: Instant, number: str | None = None
    ) -> dict[str, Any]:
        """JournalStatistics: calls and answered calls in `[start, end)`, of the company or
        where `number` is the caller or the callee (`number` is echoed only when given)."""
        window = Window.of(start, end)
        number = check_number(number, "number")
        self._before_read(company_id)
        conn = self._store.read()
        if number is None or is_registered(conn, company_id, number):
            party = COMPANY if number is None else number
            calls, successful = totals(
                conn, company_id, party, window.start_ms, window.end_ms, _JOURNAL_FIGURES
            )
        else:
            source, params = calls_of(company_id, number, window.start_ms, window.end_ms)
            calls, successful = conn.execute(_RAW_JOURNAL + source, params).fetchone()
        answer: dict[str, Any] = {} if number is None else {"number": number}
        answer.update(
            {
                "startTimestamp": window.start_ms // 1000,
                "endTimestamp": window.end_ms // 1000,
                "numberOfCalls": int(calls),
                "numberOfSuccessCalls": int(successful),
            }
        )
        return answer
