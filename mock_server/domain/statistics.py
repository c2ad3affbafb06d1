"""GET /statistics/common and GET /statistics/journal, computed from the call journal.

The guide only names the figures; their definitions are the project's inference (decision D19,
written out in the spec's description of /statistics/common). The SQL below follows those
definitions term by term, in one pass over the window's rows, so the statistics always agree
with what GET /call-records/info lists for the same window. An empty or reversed window counts
nothing and its rates are 0 (D18). The hang-up counts go by the journal's `ended_by` (D20).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any, Final

from mock_server.domain.errors import InvalidInput
from mock_server.domain.hangups import CALLEE, CALLER
from mock_server.domain.journal import install_schema
from mock_server.domain.store import Store
from mock_server.domain.timeutil import Window

__all__ = [
    "INTERNAL_TYPES",
    "OUTGOING_TYPES",
    "TRANSFER_STATUSES",
    "CallStatistics",
    "check_number",
]

OUTGOING_TYPES: Final = ("OUTGOING", "CRM_OUTGOING", "CRM_CALLBACK")
INTERNAL_TYPES: Final = ("INTERNAL", "HIMSELF")
TRANSFER_STATUSES: Final = (
    "ANSWERED_BY_BUSY_FORWARD_CLIENT",
    "ANSWERED_BY_NO_ANSWER_FORWARD_CLIENT",
)

MSG_BAD_NUMBER: Final = (
    "Query parameter '{name}': expected a number in the form 7XXXXXXXXXX (11 digits starting "
    "with 7), got {value!r}"
)
_MSISDN: Final = re.compile(r"7[0-9]{10}", re.ASCII)


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


_SUCCESS: Final = "substr(call_status, 1, 9) = 'ANSWERED_'"
_INTERNAL: Final = f"call_type IN {_in(INTERNAL_TYPES)}"
_TRANSFER: Final = f"call_status IN {_in(TRANSFER_STATUSES)}"
_WINDOW: Final = "company_id = ? AND started_at >= ? AND started_at < ?"
# One pass over the window's rows. FILTER clauses rather than CASE expressions: SQLite skips
# the aggregate step for rows that fail them, a third faster at a million rows. TOTAL, not SUM,
# so that an empty window gives 0 rather than NULL; MAX of nothing is NULL, hence COALESCE.
_COMMON_SQL: Final = f"""
SELECT
    COUNT(*),
    COUNT(*) FILTER (WHERE {_SUCCESS}),
    COUNT(*) FILTER (WHERE call_type IN {_in(OUTGOING_TYPES)}),
    COUNT(*) FILTER (WHERE NOT ({_SUCCESS}) AND NOT ({_INTERNAL})),
    TOTAL(call_duration),
    COALESCE(MAX(call_duration), 0),
    TOTAL(conversation_duration) FILTER (WHERE {_SUCCESS}),
    COALESCE(MAX(conversation_duration) FILTER (WHERE {_SUCCESS}), 0),
    COUNT(DISTINCT started_at / 3600000),
    COUNT(*) FILTER (WHERE {_TRANSFER}),
    TOTAL(conversation_duration) FILTER (WHERE {_TRANSFER}),
    COUNT(*) FILTER (WHERE ended_by = '{CALLER}'),
    COUNT(*) FILTER (WHERE ended_by = '{CALLEE}'),
    COUNT(*) FILTER (WHERE {_INTERNAL}),
    TOTAL(call_duration) FILTER (WHERE {_INTERNAL}),
    {{unique_callers}}
FROM calls
WHERE {_WINDOW}"""
# Distinct callers of a large window: COUNT(DISTINCT) in the pass above would build a temporary
# B-tree of every caller (1.6 s at a million rows); walking the caller index, which is already
# in caller order and holds started_at, costs a tenth of that but reads all of the company's
# entries, so it only pays off for large windows.
_UNIQUE_CALLERS_BY_INDEX: Final = f"""
SELECT COUNT(*) FROM (
    SELECT DISTINCT caller_number FROM calls INDEXED BY calls_by_caller WHERE {_WINDOW}
)"""
_LARGE_WINDOW_ROWS: Final = 50_000
_JOURNAL_SQL: Final = f"""
SELECT COUNT(*), COUNT(*) FILTER (WHERE {_SUCCESS})
FROM calls
WHERE {_WINDOW}"""
# Caller or callee: SQLite answers the OR from the two number indexes (each with the window as
# a range), without reading the company's other calls.
_NUMBER_FILTER: Final = " AND (caller_number = ? OR callee_number = ?)"


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

    def _query(
        self, sql: str, company_id: int, window: Window, number: str | None
    ) -> tuple[int, ...]:
        if self._settle is not None:
            self._settle(company_id)
        params: list[Any] = [company_id, window.start_ms, window.end_ms]
        if number is not None:
            sql += _NUMBER_FILTER
            params += [number, number]
        row = self._store.read().execute(sql, params).fetchone()
        return tuple(int(value or 0) for value in row)

    def _common(self, company_id: int, window: Window, number: str | None) -> tuple[int, ...]:
        if number is not None:
            # A number's calls are few: counting its callers in the same pass is cheapest.
            return self._query(
                _COMMON_SQL.format(unique_callers="COUNT(DISTINCT caller_number)"),
                company_id,
                window,
                number,
            )
        figures = self._query(_COMMON_SQL.format(unique_callers="NULL"), company_id, window, None)
        conn = self._store.read()
        params = (company_id, window.start_ms, window.end_ms)
        if figures[0] > _LARGE_WINDOW_ROWS:
            unique = conn.execute(_UNIQUE_CALLERS_BY_INDEX, params).fetchone()[0]
        else:
            unique = conn.execute(
                f"SELECT COUNT(DISTINCT caller_number) FROM calls WHERE {_WINDOW}", params
            ).fetchone()[0]
        return (*figures[:-1], int(unique))

    def common(
        self,
        company_id: int,
        start: datetime,
        end: datetime,
        subscriber_number: str | None = None,
    ) -> dict[str, Any]:
        """CommonStatistics over the calls starting in `[start, end)`, of the company or of
        the calls where `subscriber_number` is the caller or the callee."""
        window = Window(start, end)
        number = check_number(subscriber_number, "subscriberNumber")
        (
            all_count,
            success_count,
            outgoing_count,
            lost_count,
            duration_sum,
            duration_max,
            conversation_sum,
            conversation_max,
            busy_hours,
            transfer_count,
            transfer_sum,
            hangup_a,
            hangup_b,
            internal_count,
            internal_sum,
            unique_callers,
        ) = self._common(company_id, window, number)
        days = window.seconds / 86_400
        return {
            "allCallCount": all_count,
            "successCallCount": success_count,
            "outgoingCallCount": outgoing_count,
            "lostCallCount": lost_count,
            "commonCallDuration": duration_sum,
            "averageCallDuration": _average(duration_sum, all_count),
            "maxCallDuration": duration_max,
            "callCountPerDay": _rate(all_count, days),
            "callCountPerHour": _rate(all_count, days * 24),
            "mnAvgCallDuration": _average(conversation_sum, success_count),
            "mnMaxCallDuration": conversation_max,
            "averageCallCountPerHour": _average(all_count, busy_hours),
            "transferCallCount": transfer_count,
            "transferCallDuration": transfer_sum,
            "averageTransferCallDuration": _average(transfer_sum, transfer_count),
            "hangupACallCount": hangup_a,
            "hangupBCallCount": hangup_b,
            "uniqueCallCount": unique_callers,
            "redialCount": all_count - unique_callers,
            "internalCallCount": internal_count,
            "internalCallDuration": internal_sum,
            "averageInternalCallDuration": _average(internal_sum, internal_count),
        }

    def journal(
        self, company_id: int, start: datetime, end: datetime, number: str | None = None
    ) -> dict[str, Any]:
        """JournalStatistics: calls and answered calls in `[start, end)`, of the company or
        where `number` is the caller or the callee (`number` is echoed only when given)."""
        window = Window(start, end)
        number = check_number(number, "number")
        calls, successful = self._query(_JOURNAL_SQL, company_id, window, number)
        answer: dict[str, Any] = {} if number is None else {"number": number}
        answer.update(
            {
                "startTimestamp": window.start_ms // 1000,
                "endTimestamp": window.end_ms // 1000,
                "numberOfCalls": calls,
                "numberOfSuccessCalls": successful,
            }
        )
        return answer
