"""The mock's clock: real time shifted by an offset, or frozen at an instant.

Tokens expire, and calls progress, by this clock, so a test can skip a day in a millisecond and
a suite can pin the date it runs at. It starts at real time (offset 0), or at a given instant
(`tele2-ats-mock --now`), running or frozen (`--frozen`: it then moves only when told).

It never moves backwards: tokens already issued, calls already journalled and the seeded
history all lie before its now, and a clock that went back would meet them again in the
future. Going back in time is a reset at an earlier instant (`POST /mock/reset {"now": ...}`),
which reseeds the history before that instant.

The state is two numbers, `offset` and `frozen_at`, which the PBX keeps in the store so that
it survives a restart with a state file and is shared by the workers of one state file.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from mock_server.domain.errors import Conflict, InvalidInput

__all__ = [
    "EARLIEST_INSTANT",
    "LATEST_INSTANT",
    "MSG_BACKWARDS",
    "MSG_NOT_FINITE",
    "MSG_NO_ROOM_FOR_HISTORY",
    "MSG_TOO_EARLY",
    "MSG_TOO_LATE",
    "Clock",
    "ClockState",
    "TenantClocks",
    "check_instant",
    "check_seed_instant",
    "earliest_now",
]

# The latest instant the clock may show. Everything the PBX dates from its now (token expiry
# a week later, windows, the journal's dates) must still be a datetime of year 9999 at most.
LATEST_INSTANT = datetime(9000, 1, 1, tzinfo=UTC)
_LATEST_TS = LATEST_INSTANT.timestamp()
# The earliest: a recording is named by the date and the epoch milliseconds of its call's
# start (`1970-01-02/8640000012345`), which the API reads as digits only; a call before 1970
# would be named `1969-12-02/-2569372620012`, which `GET /call-records/file` refuses. So the
# seeded history (the `history_days` days before now) must start at this instant or later.
EARLIEST_INSTANT = datetime(1970, 1, 1, tzinfo=UTC)

MSG_NOT_FINITE = "Field '{field}': expected a finite number of seconds, got {value!r}"
MSG_TOO_LATE = (
    "The mock clock cannot pass {latest}: moving it to {target} would date tokens and calls "
    "beyond year 9999"
)
MSG_TOO_EARLY = (
    "{where} '{field}': the mock clock cannot show {target}, before {earliest}: the API names "
    "recordings by the epoch milliseconds of their calls, which start in 1970"
)
MSG_NO_ROOM_FOR_HISTORY = (
    "{where} '{field}': with {days} of seeded history the earliest now is {earliest} (the "
    "history's recordings are named by dates from 1970-01-01 on, all the API reads), got {target}"
)
MSG_BACKWARDS = (
    "The mock clock only moves forward (now {now}, asked for {target}): tokens, live calls and "
    "the journal already lie before its now. To go back, reset at that instant: "
    'POST /mock/reset {{"now": "{target}"}}'
)


def _iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).isoformat()


def check_instant(timestamp: float, field: str = "now", where: str = "Field") -> float:
    """`timestamp` (Unix seconds) if the clock may show it; else InvalidInput."""
    if not isinstance(timestamp, int | float) or not math.isfinite(timestamp):
        raise InvalidInput(MSG_NOT_FINITE.format(field=field, value=timestamp))
    if timestamp > _LATEST_TS:
        raise InvalidInput(
            MSG_TOO_LATE.format(latest=LATEST_INSTANT.isoformat(), target=_safe_iso(timestamp))
        )
    if timestamp < 0:
        raise InvalidInput(
            MSG_TOO_EARLY.format(
                where=where,
                field=field,
                target=_safe_iso(timestamp),
                earliest=EARLIEST_INSTANT.isoformat(),
            )
        )
    return float(timestamp)


def earliest_now(history_days: int) -> datetime:
    """The earliest instant a PBX with `history_days` days of seeded history may start at."""
    return EARLIEST_INSTANT + timedelta(days=history_days)


def check_seed_instant(
    timestamp: float, history_days: int, field: str = "now", where: str = "Field"
) -> float:
    """`check_instant`, and room before `timestamp` for `history_days` days of history that
    starts no earlier than EARLIEST_INSTANT; else InvalidInput naming the earliest now."""
    check_instant(timestamp, field, where)
    earliest = earliest_now(history_days)
    if timestamp < earliest.timestamp():
        raise InvalidInput(
            MSG_NO_ROOM_FOR_HISTORY.format(
                where=where,
                field=field,
                days=f"{history_days} day" + ("" if history_days == 1 else "s"),
                earliest=earliest.isoformat(),
                target=_safe_iso(timestamp),
            )
        )
    return float(timestamp)


def _safe_iso(timestamp: float) -> str:
    try:
        return _iso(timestamp)
    except (OverflowError, OSError, ValueError):
        return f"{timestamp!r} seconds since 1970"


@dataclass(frozen=True, slots=True)
class ClockState:
    """What is stored: `offset` seconds ahead of real time, or frozen at `frozen_at`."""

    offset: float = 0.0
    frozen_at: float | None = None

    @property
    def frozen(self) -> bool:
        return self.frozen_at is not None


class Clock:
    """`now()` is real time shifted by `offset` seconds, or `frozen_at` while frozen.

    `wall` is the source of real time (a test may pass its own).

    Example::

        clock = Clock.starting_at(datetime(2026, 3, 2, 7, tzinfo=UTC), frozen=True)
        clock.advance(3600)
        clock.now()  # datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    """

    def __init__(
        self,
        offset: float = 0.0,
        frozen_at: float | None = None,
        *,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._wall = wall
        self._state = ClockState(float(offset), frozen_at)

    @classmethod
    def starting_at(
        cls,
        instant: datetime | None,
        *,
        frozen: bool = False,
        wall: Callable[[], float] = time.time,
    ) -> Clock:
        """A clock showing `instant` now (real time if None), frozen or running from there."""
        clock = cls(wall=wall)
        target = check_instant(instant.timestamp()) if instant is not None else wall()
        clock._state = ClockState(target - wall(), target if frozen else None)
        return clock

    @property
    def state(self) -> ClockState:
        return self._state

    def restore(self, state: ClockState) -> None:
        """Take a stored state (a restart, or another worker's change)."""
        self._state = state

    @property
    def offset(self) -> float:
        """How far the clock is ahead of real time, in seconds."""
        state = self._state
        if state.frozen_at is not None:
            return state.frozen_at - self._wall()
        return state.offset

    @property
    def frozen(self) -> bool:
        return self._state.frozen

    def timestamp(self) -> float:
        return self._reading()[0]

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp(), UTC)

    def _reading(self) -> tuple[float, float]:
        """The clock's now and the real time it was read at: one read of the wall clock, so
        that an operation compares and sets against the same instant."""
        state = self._state
        wall = self._wall()
        now = state.frozen_at if state.frozen_at is not None else wall + state.offset
        return now, wall

    def advance(self, seconds: float) -> None:
        """Move forward by `seconds` (finite, not negative, not past LATEST_INSTANT)."""
        if not isinstance(seconds, int | float) or not math.isfinite(seconds):
            raise InvalidInput(MSG_NOT_FINITE.format(field="seconds", value=seconds))
        now, wall = self._reading()
        if seconds < 0:
            raise InvalidInput(MSG_BACKWARDS.format(now=_iso(now), target=_safe_iso(now + seconds)))
        self._show(check_instant(now + seconds), now, wall, self._state.frozen)

    def set(self, timestamp: float | None = None, *, frozen: bool | None = None) -> None:
        """Show `timestamp` from now on (never earlier than now), and/or freeze or unfreeze.

        Freezing stops the clock at its current now (or at `timestamp`); unfreezing lets it
        run on from the instant it shows.
        """
        now, wall = self._reading()
        target = now if timestamp is None else check_instant(timestamp)
        keep_frozen = self._state.frozen if frozen is None else frozen
        self._show(target, now, wall, keep_frozen)

    def _show(self, target: float, now: float, wall: float, frozen: bool) -> None:
        """Show `target` from `wall` on, given the clock showed `now` at `wall`."""
        if target < now:
            raise Conflict(MSG_BACKWARDS.format(now=_iso(now), target=_iso(target)))
        self._state = ClockState(target - wall, target if frozen else None)


class TenantClocks:
    """The PBX's clock and each company's lead over it: a company's now is the PBX's now plus
    its lead, so a test can move one tenant's time (expiring its tokens, ending its calls)
    without touching any other tenant. Freezing is the PBX clock's: it holds every company.

    `load_lead(company_id)` reads a company's lead from the store the first time it is asked
    for; `forget()` drops what was read (another process changed it).
    """

    def __init__(self, clock: Clock, load_lead: Callable[[int], float]) -> None:
        self.clock = clock
        self._load_lead = load_lead
        self._leads: dict[int, float] = {}

    def lead(self, company_id: int) -> float:
        lead = self._leads.get(company_id)
        if lead is None:
            lead = self._leads[company_id] = self._load_lead(company_id)
        return lead

    def remember(self, company_id: int, lead: float) -> None:
        self._leads[company_id] = lead

    def forget(self) -> None:
        self._leads = {}

    def timestamp(self, company_id: int | None = None) -> float:
        now = self.clock.timestamp()
        return now if company_id is None else now + self.lead(company_id)

    def now(self, company_id: int | None = None) -> datetime:
        return datetime.fromtimestamp(self.timestamp(company_id), UTC)
