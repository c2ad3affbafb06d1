"""How a call ends, when that is decided in advance: the outcomes, and the port through which
live calls (`calls.py`) ask for a decision.

A test cannot wait for a call's natural end or guess what the seed makes of it, so it says how
a call ends (`ForcedOutcome`), through the test double's queue (`POST /mock/calls/outcomes`,
double/call_outcomes.py) or a simulated call's own fields:

- `outcome`: `answered`, `not_answered` or `busy`;
- `durationSeconds`: the conversation (for `not_answered`, how long it rang);
- `ringSeconds`: how long the employee's phone rang before answering (answered calls);
- `recording`, `transcript`: whether the answered call is recorded (default true), and whether
  its recording has a transcript (default: when recorded; GET /call-records/file/stt answers
  404 without one);
- `answeredBy`: the employee (full or short number) who picks up an incoming call, instead of
  the one dialled or the one the seed picks (click-to-call: the dialled number answers).

`LiveCalls` asks its `CallDirector` (the test double's `CallOutcomes`) for the next decision and
tells it of the calls it placed and settled; it never imports the test double.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final, Protocol, assert_never

from mock_server.domain.errors import InvalidInput
from mock_server.domain.fields import MSG_CHOICE, integer_field
from mock_server.domain.rules.numbers import normalize_number

__all__ = [
    "DIRECTIONS",
    "MAX_RING_SECONDS",
    "MAX_SIMULATED_SECONDS",
    "OUTCOMES",
    "OUTCOME_FIELDS",
    "CallDirector",
    "CallOutcome",
    "Direction",
    "ForcedOutcome",
]


class CallOutcome(StrEnum):
    """How a call ends, as the control API names it. What each means for the journal is
    `call_status` and for the call's phases `LiveCalls`' `_phases` (calls.py), both matching
    every member (`assert_never`)."""

    ANSWERED = "answered"  # B answers and they talk
    NOT_ANSWERED = "not_answered"  # B rings (or the caller waits in the queue) until they give up
    BUSY = "busy"  # B is busy: a second of ringing

    @property
    def call_status(self) -> str:
        """The journal's `callStatus` of a call that ends so."""
        match self:
            case CallOutcome.ANSWERED:
                return "ANSWERED_COMMON"
            case CallOutcome.NOT_ANSWERED:
                return "NOT_ANSWERED_COMMON"
            case CallOutcome.BUSY:
                return "DESTINATION_BUSY"
            case _:
                assert_never(self)


class Direction(StrEnum):
    """Which way a call placed while the mock runs goes: `LiveCalls.place_outgoing` places the
    outgoing ones, `LiveCalls.simulate_incoming` the incoming ones."""

    OUTGOING = "outgoing"  # click-to-call: the employee's phone rings, then the number dialled
    INCOMING = "incoming"  # a simulated call to the company, an employee or a queue


OUTCOMES: Final = tuple(CallOutcome)
DIRECTIONS: Final = tuple(Direction)
OUTCOME_FIELDS: Final = (
    "outcome",
    "durationSeconds",
    "ringSeconds",
    "recording",
    "transcript",
    "answeredBy",
)
MAX_SIMULATED_SECONDS: Final = 4 * 3600
MAX_RING_SECONDS: Final = 600

MSG_FIELD: Final = "Field '{name}': not a field of a call outcome; its fields: {fields}"
MSG_BOOLEAN: Final = "Field '{name}': expected true or false, got {value!r}"
MSG_NUMBER: Final = "Field 'answeredBy': expected an employee's full or short number, got {value!r}"
MSG_TRANSCRIPT: Final = (
    "Field 'transcript': a transcript needs a recording, and 'recording' is false"
)


@dataclass(frozen=True, slots=True)
class ForcedOutcome:
    """How one call ends (see the module's docstring)."""

    outcome: CallOutcome = CallOutcome.ANSWERED
    duration_seconds: int | None = None
    ring_seconds: int | None = None
    recording: bool = True
    transcript: bool = True
    answered_by: str | None = None
    direction: Direction | None = None  # which calls may take it from the queue; None: any
    id: int | None = None  # in the queue

    @classmethod
    def parse(cls, fields: Mapping[str, Any], *, queued: bool = True) -> ForcedOutcome:
        """From the control API's fields, each checked. `queued`: `direction` is allowed (the
        queue's field), else only the outcome fields (a simulated call's own)."""
        allowed = (*OUTCOME_FIELDS, "direction") if queued else OUTCOME_FIELDS
        for name in fields:
            if name not in allowed and name != "companyId":
                raise InvalidInput(MSG_FIELD.format(name=name, fields=", ".join(allowed)))
        outcome = fields.get("outcome", "answered")
        if outcome not in OUTCOMES:
            raise InvalidInput(
                MSG_CHOICE.format(name="outcome", choices=", ".join(OUTCOMES), value=outcome)
            )
        direction = fields.get("direction")
        if direction is not None and direction not in DIRECTIONS:
            raise InvalidInput(
                MSG_CHOICE.format(name="direction", choices=", ".join(DIRECTIONS), value=direction)
            )
        recording = _boolean(fields, "recording", True)
        transcript = _boolean(fields, "transcript", None)
        if transcript and not recording:
            raise InvalidInput(MSG_TRANSCRIPT)
        answered_by = fields.get("answeredBy")
        if answered_by is not None and (
            not isinstance(answered_by, str)
            or not answered_by.strip().isdigit()
            or len(answered_by.strip()) > 15
        ):
            raise InvalidInput(MSG_NUMBER.format(value=answered_by))
        return cls(
            outcome=CallOutcome(outcome),
            duration_seconds=integer_field(fields, "durationSeconds", 1, MAX_SIMULATED_SECONDS),
            ring_seconds=integer_field(fields, "ringSeconds", 0, MAX_RING_SECONDS),
            recording=recording,
            transcript=recording if transcript is None else transcript,
            answered_by=None if answered_by is None else normalize_number(answered_by),
            direction=None if direction is None else Direction(direction),
        )

    def to_json(self) -> dict[str, Any]:
        shown: dict[str, Any] = {
            "id": self.id,
            "direction": None if self.direction is None else self.direction.value,
            "outcome": self.outcome.value,
            "durationSeconds": self.duration_seconds,
            "ringSeconds": self.ring_seconds,
            "recording": self.recording,
            "transcript": self.transcript,
            "answeredBy": self.answered_by,
        }
        return {k: v for k, v in shown.items() if v is not None}


class CallDirector(Protocol):
    """Decides how new calls end and hears of them (the test double's `CallOutcomes`); each
    method runs inside the transaction that places or settles the calls."""

    def take(
        self, conn: sqlite3.Connection, company_id: int, direction: Direction
    ) -> ForcedOutcome | None: ...

    def placed(
        self,
        conn: sqlite3.Connection,
        company_id: int,
        direction: Direction,
        call_uuid: str,
        started_ms: int,
        forced: ForcedOutcome | None,
    ) -> None: ...

    def settled(self, conn: sqlite3.Connection, company_id: int, uuids: list[str]) -> None: ...


def _boolean(fields: Mapping[str, Any], name: str, default: bool | None) -> Any:
    value = fields.get(name)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise InvalidInput(MSG_BOOLEAN.format(name=name, value=value))
    return value
