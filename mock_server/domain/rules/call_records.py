"""What a journalled call is: its types and statuses as the API spells them, its uuid, the name of
its recording, and the name a client asks for a recording by.

Rules the rows keep, whoever journals them (a seeded history, history.py; a live call settling,
calls.py; the tests check each):
- `conversation_duration` only for answered calls (status `ANSWERED_*`), and
  `call_duration` (ringing included) >= `conversation_duration`;
- `record_file_name` is `YYYY-MM-DD/<id>` (the call's UTC date; `mo_<id>` for calls the company
  placed) only for recorded answered calls, else empty; recordings exist only where an employee's
  main number takes part, and faxes are never recorded;
- an incoming call from a number on the company's blacklist is `DENIED_DUE_TO_BLACK_LISTED`;
- `ended_by` (which party hung up, `hangups.py`) is set exactly for answered calls.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Final
from urllib.parse import unquote

from mock_server.domain.errors import InvalidInput, NotFound

__all__ = [
    "ANSWERED_PREFIX",
    "CALL_STATUSES",
    "CALL_TYPES",
    "COMPANY_PLACED_TYPES",
    "MSG_NO_RECORDING",
    "make_uuid",
    "normalize_filename",
    "record_file_name",
]

ANSWERED_PREFIX: Final = "ANSWERED_"
_DAY_MS: Final = 86_400_000

CALL_TYPES: Final = (
    "SINGLE_CHANNEL",
    "MULTI_CHANNEL",
    "UNKNOWN_CALL",
    "INTERNAL",
    "HIMSELF",
    "INTERNAL_QUEUE",
    "CRM_OUTGOING",
    "VOICEMAIL",
    "CONFERENCE",
    "CALLBACK",
    "PICKUP_CALL",
    "FAX",
    "OUTGOING",
    "CRM_CALLBACK",
)
CALL_STATUSES: Final = (
    "ANSWERED_COMMON",
    "ANSWERED_BY_ORIGINAL_CLIENT",
    "ANSWERED_BY_BUSY_FORWARD_CLIENT",
    "ANSWERED_BY_NO_ANSWER_FORWARD_CLIENT",
    "NOT_ANSWERED_COMMON",
    "CANCELLED_BY_CALLER",
    "DENIED_DUE_TO_MAX_SESSION",
    "DENIED_DUE_TO_INCOMING_CALLS_BLOCKED",
    "DENIED_DUE_TO_OUTGOING_CALLS_BLOCKED",
    "DENIED_DUE_TO_ONLY_INTERNAL_CALLS_ENABLED",
    "DENIED_DUE_TO_BLACK_LISTED",
    "DENIED_NOT_IN_WHITE_LIST",
    "DENIED_DUE_TO_NOT_WORK_TIME",
    "DENIED_DUE_TO_UNKNOWN_NUMBER",
    "DESTINATION_BUSY",
    "CANCELLED_BY_PICKUP",
)
# Calls the company placed; their recordings are named `mo_<id>` ("mobile originated"), as in
# the guide's examples.
COMPANY_PLACED_TYPES: Final = frozenset({"OUTGOING", "CRM_OUTGOING", "CALLBACK", "CRM_CALLBACK"})

MSG_BAD_FILENAME: Final = (
    "Query parameter 'filename': expected a recordFileName such as "
    "2022-07-15/165787002922476116 (single- or double-URL-encoded), got {value!r}"
)
MSG_NO_RECORDING: Final = "Recording {name!r} not found"

_FILENAME: Final = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})/(?:mo_)?[0-9]{1,30}", re.ASCII)
_FILENAME_MAX_LENGTH: Final = 200
_SHOWN_LIMIT: Final = 80


def make_uuid(bits: int) -> str:
    """A version-4-shaped UUID string from 128 random bits (faster than `uuid.UUID`)."""
    digits = f"{bits & (2**128 - 1):032x}"
    return (
        f"{digits[:8]}-{digits[8:12]}-4{digits[13:16]}-"
        f"{'89ab'[bits & 3]}{digits[17:20]}-{digits[20:]}"
    )


def record_file_name(started_ms: int, call_type: str, suffix: int) -> str:
    """`YYYY-MM-DD/<ms><5 digits>` (`mo_` before the id for calls the company placed)."""
    day = date(1970, 1, 1) + timedelta(days=started_ms // _DAY_MS)
    prefix = "mo_" if call_type in COMPANY_PLACED_TYPES else ""
    return f"{day.isoformat()}/{prefix}{started_ms}{suffix % 100_000:05d}"


def normalize_filename(raw: str) -> str:
    """Decode `filename` (single- or double-URL-encoded) and check its shape strictly.

    The shape is checked before any lookup, and a name is only ever a key of the journal,
    never a path, so `../etc/passwd` and its encodings are refused without touching a disk.
    A name of the documented shape whose date cannot exist (`2022-02-30/1`) names no
    recording: NotFound, as any other name the journal does not hold, and so does an empty
    name, the `recordFileName` of a call that has no recording (spec D11, D28).
    """
    if raw == "":
        raise NotFound(MSG_NO_RECORDING.format(name=raw))
    shown = raw if len(raw) <= _SHOWN_LIMIT else raw[:_SHOWN_LIMIT] + "..."
    if len(raw) > _FILENAME_MAX_LENGTH:
        raise InvalidInput(MSG_BAD_FILENAME.format(value=shown))
    name = raw
    for _ in range(3):
        decoded = unquote(name)
        if decoded == name:
            break
        name = decoded
    match = _FILENAME.fullmatch(name)
    if match is None:
        raise InvalidInput(MSG_BAD_FILENAME.format(value=shown))
    try:
        date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as exc:
        raise NotFound(MSG_NO_RECORDING.format(name=name)) from exc
    return name
