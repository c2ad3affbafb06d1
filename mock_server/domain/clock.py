"""The mock's clock: real time plus an offset that the control API can move forward.

Tokens expire, and calls progress, by this clock, so tests can skip a day in a millisecond.
The offset is kept by the store, so it survives a restart with a state file.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

__all__ = ["Clock"]


class Clock:
    """`now()` is wall-clock time shifted by `offset` seconds (never backwards)."""

    def __init__(self, offset: float = 0.0) -> None:
        self.offset = offset

    def timestamp(self) -> float:
        return time.time() + self.offset

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp(), UTC)

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        self.offset += seconds
