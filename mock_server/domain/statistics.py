"""GET /statistics/common and GET /statistics/journal, computed from the call journal.

Each figure is defined in the spec's description of /statistics/common; the SQL below follows
those definitions term by term, in one pass over the window's rows, so the statistics always
agree with what GET /call-records/info lists for the same window.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any, Final

from mock_server.domain.errors import InvalidInput
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
HANGUP_A_STATUS: Final = "CANCELLED_BY_CALLER"
HANGUP_B_STATUS: Final = "DESTINATION_BUSY"

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
# SUM over no rows is NULL; every figure of an empty window is 0.
_COMMON_SQL: Final = f"""
SELECT
    COUNT(*),
    COALESCE(SUM({_SUCCESS}), 0),
    COALESCE(SUM(call_type IN {_in(OUTGOING_TYPES)}), 0),
    COALESCE(SUM(NOT ({_SUCCESS}) AND NOT ({_INTERNAL})), 0),
    COALESCE(SUM(call_duration), 0),
    COALESCE(MAX(call_duration), 0),
    COALESCE(SUM(CASE WHEN {_SUCCESS} THEN conversation_duration END), 0),
    COALESCE(MAX(CASE WHEN {_SUCCESS} THEN conversation_duration END), 0),
    COUNT(DISTINCT started_at / 3600000),
    COALESCE(SUM({_TRANSFER}), 0),
    COALESCE(SUM(CASE WHEN {_TRANSFER} THEN conversation_duration END), 0),
    COALESCE(SUM(call_status = '{HANGUP_A_STATUS}'), 0),
    COALESCE(SUM(call_status = '{HANGUP_B_STATUS}'), 0),
    COUNT(DISTINCT caller_number),
    COALESCE(SUM({_INTERNAL}), 0),
    COALESCE(SUM(CASE WHEN {_INTERNAL} THEN call_duration END), 0)
FROM calls
WHERE company_id = ? AND started_at >= ? AND started_at < ?"""
_JOURNAL_SQL: Final = f"""
SELECT COUNT(*), COALESCE(SUM({_SUCCESS}), 0)
FROM calls
WHERE company_id = ? AND started_at >= ? AND started_at < ?"""
# Caller or callee: SQLite answers the OR from the two number indexes (each with the window as
# a range), without reading the company's other calls.
_NUMBER_FILTER: Final = " AND (caller_number = ? OR callee_number = ?)"


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
        return tuple(int(value) for value in row)

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
            unique_callers,
            internal_count,
            internal_sum,
        ) = self._query(_COMMON_SQL, company_id, window, number)
        days = window.seconds / 86_400
        return {
            "allCallCount": all_count,
            "successCallCount": success_count,
            "outgoingCallCount": outgoing_count,
            "lostCallCount": lost_count,
            "commonCallDuration": duration_sum,
            "averageCallDuration": _average(duration_sum, all_count),
            "maxCallDuration": duration_max,
            "callCountPerDay": all_count / days,
            "callCountPerHour": all_count / (days * 24),
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
