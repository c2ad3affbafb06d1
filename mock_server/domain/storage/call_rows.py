"""What a row of the call journal (`calls`) holds, as every writer of it spells it: the columns a
writer gives (the triggers add the rest, journal_tables.py) and the values of `ended_by`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, Literal

__all__ = ["CALLEE", "CALLER", "CALL_COLUMNS", "INSERT_CALL", "CallRow", "Party"]

# Who hung up an answered call (`calls.ended_by`, rules/hangups.py): A the caller, B the callee.
Party = Literal["A", "B"]
CALLER: Final[Party] = "A"
CALLEE: Final[Party] = "B"

CallRow = tuple[
    int,  # company_id
    int,  # started_at (ms)
    str,  # call_type
    str,  # call_status
    str | None,  # destination_number
    str,  # caller_number
    str | None,  # caller_name
    str | None,  # callee_number
    str | None,  # callee_name
    int,  # call_duration
    int | None,  # conversation_duration
    str,  # record_file_name
    str,  # uuid
    int,  # has_transcript
    str | None,  # ended_by
]

CALL_COLUMNS: Final = (
    "company_id",
    "started_at",
    "call_type",
    "call_status",
    "destination_number",
    "caller_number",
    "caller_name",
    "callee_number",
    "callee_name",
    "call_duration",
    "conversation_duration",
    "record_file_name",
    "uuid",
    "has_transcript",
    "ended_by",
)


def _insert(columns: Sequence[str]) -> str:
    return f"INSERT INTO calls ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


# A CallRow into the journal; the triggers add the rest (LINK_TRIGGERS, rollups.py).
INSERT_CALL: Final = _insert(CALL_COLUMNS)
