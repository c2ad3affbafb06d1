"""GET /statistics/common and GET /statistics/journal, counted from the call journal.

The guide only names the figures; their definitions are the project's inference (decision D19,
written out in the spec's description of /statistics/common). `rollups.py` writes each
definition once, as SQL over a journalled call, and keeps the sums of those terms per hour
and per day as calls are journalled. A window's figures are its whole days' and hours' sums
plus the calls of its partial hours, counted from the journal itself; so the statistics always
agree with what GET /call-records/info lists for the same window, and cost as much for a month
of a million calls as for a quiet day.

Distinct callers do not add up over hours. They are counted from the journal's links
(`storage/journal_tables.py`): a caller is counted once, at their first call in the window,
which is the call whose caller had not called since before the window (`prev_at`); for one
number, the callers of the calls *to* it are counted the same way by when that caller last
called that number (`pair_prev_at`), and the number itself once if it placed a call. Both are
index-only counts.

An empty or reversed window counts nothing and its rates are 0 (D18). The hang-up counts go by
the journal's `ended_by` (D20).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final

from mock_server.domain.errors import InvalidInput
from mock_server.domain.storage.journal_tables import install_schema
from mock_server.domain.storage.rollups import (
    COMPANY,
    FIGURES,
    HOUR_MS,
    INTERNAL_TYPES,
    OUTGOING_TYPES,
    TRANSFER_STATUSES,
    calls_of,
    floor_div_sql,
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
]

MSG_BAD_NUMBER: Final = (
    "Query parameter '{name}': expected a number in the form 7XXXXXXXXXX (11 digits starting "
    "with 7), got {value!r}"
)
_MSISDN: Final = re.compile(r"7[0-9]{10}", re.ASCII)

_COMMON_FIGURES: Final = tuple(f.name for f in FIGURES if f.name != "recorded")
_JOURNAL_FIGURES: Final = ("calls", "answered")
_WINDOW: Final = "company_id = ? AND started_at >= ? AND started_at < ?"
# A caller's first call in the window: they had not called since before it.
_FIRST_CALLERS: Final = (
    f"SELECT COUNT(*) FROM calls INDEXED BY calls_first_callers WHERE {_WINDOW} "
    "AND (prev_at IS NULL OR prev_at < ?)"
)
# The callers of the calls to one number, each at their first call to it in the window: the
# calls to it, less those whose caller had called it already within the window.
_FIRST_PAIR_CALLERS: Final = (
    "SELECT (SELECT COUNT(*) FROM calls INDEXED BY calls_by_callee WHERE company_id = ?1 "
    "AND callee_number = ?2 AND started_at >= ?3 AND started_at < ?4) - "
    "(SELECT COUNT(*) FROM calls INDEXED BY calls_pair_redials WHERE company_id = ?1 "
    "AND callee_number = ?2 AND started_at >= ?3 AND started_at < ?4 AND pair_prev_at >= ?3 "
    "AND pair_prev_at IS NOT NULL)"
)
_PLACED: Final = (
    "SELECT EXISTS (SELECT 1 FROM calls INDEXED BY calls_by_caller WHERE company_id = ? "
    "AND caller_number = ? AND started_at >= ? AND started_at < ?), "
    "EXISTS (SELECT 1 FROM calls INDEXED BY calls_by_caller WHERE company_id = ? "
    "AND caller_number = ? AND started_at >= ? AND started_at < ? AND callee_number = ?)"
)
# A number that is not rolled up on its own has few calls: counted from them in one pass.
_RAW_COMMON: Final = (
    f"SELECT COUNT(DISTINCT {floor_div_sql('started_at', HOUR_MS)}), "
    + ", ".join(f.over_rows() for f in FIGURES if f.name in _COMMON_FIGURES)
    + ", COUNT(DISTINCT caller_number) FROM "
)
_RAW_JOURNAL: Final = (
    "SELECT " + ", ".join(f.over_rows() for f in FIGURES if f.name in _JOURNAL_FIGURES) + " FROM "
)


def _average(total: int, count: int) -> int:
    return total // count if count else 0


def _rate(count: int, units: float) -> float:
    """Calls per unit of the window; 0 for a window of no length (which holds no call)."""
    return count / units if units > 0 else 0.0


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
        """(busy hours, each figure, distinct callers) of the window."""
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
        return dict(zip(("hours", *_COMMON_FIGURES, "callers"), row, strict=True))

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
        all_count = f["calls"]
        days = window.seconds / 86_400
        return {
            "allCallCount": all_count,
            "successCallCount": f["answered"],
            "outgoingCallCount": f["outgoing"],
            "lostCallCount": f["lost"],
            "commonCallDuration": f["duration"],
            "averageCallDuration": _average(f["duration"], all_count),
            "maxCallDuration": f["longest"],
            "callCountPerDay": _rate(all_count, days),
            "callCountPerHour": _rate(all_count, days * 24),
            "mnAvgCallDuration": _average(f["talk"], f["answered"]),
            "mnMaxCallDuration": f["longest_talk"],
            "averageCallCountPerHour": _average(all_count, f["hours"]),
            "transferCallCount": f["transfers"],
            "transferCallDuration": f["transfer_talk"],
            "averageTransferCallDuration": _average(f["transfer_talk"], f["transfers"]),
            "hangupACallCount": f["hangups_a"],
            "hangupBCallCount": f["hangups_b"],
            "uniqueCallCount": f["callers"],
            "redialCount": all_count - f["callers"],
            "internalCallCount": f["internal"],
            "internalCallDuration": f["internal_duration"],
            "averageInternalCallDuration": _average(f["internal_duration"], f["internal"]),
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
            _, calls, successful = totals(
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
