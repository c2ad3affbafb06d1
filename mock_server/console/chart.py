"""The calls-per-hour chart of the statistics page: counts, and the geometry of an inline SVG.

The bars are drawn by the template from `Chart.bars`; nothing is drawn in the browser.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from mock_server.console.text import MSK

__all__ = ["Bar", "Chart", "calls_per_hour"]

HOURS: Final = 24
WIDTH: Final = 480
HEIGHT: Final = 160
# Room for the hour labels under the bars and the scale above them.
_BOTTOM: Final = 20
_TOP: Final = 14
_GAP: Final = 2


def calls_per_hour(dates: Iterable[datetime]) -> list[int]:
    """How many of `dates` fall in each hour of the day, Moscow time (0..23)."""
    counts = [0] * HOURS
    for date in dates:
        counts[date.astimezone(MSK).hour] += 1
    return counts


@dataclass(frozen=True, slots=True)
class Bar:
    hour: int
    count: int
    x: float
    y: float
    width: float
    height: float

    @property
    def label(self) -> str:
        return f"{self.hour:02d}:00–{(self.hour + 1) % HOURS:02d}:00"


@dataclass(frozen=True, slots=True)
class Chart:
    """Bars of `counts` in a WIDTH x HEIGHT view box, the tallest reaching the top."""

    counts: tuple[int, ...]
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def peak(self) -> int:
        return max(self.counts, default=0)

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def baseline(self) -> float:
        return self.height - _BOTTOM

    @property
    def bars(self) -> list[Bar]:
        step = self.width / max(len(self.counts), 1)
        room = self.baseline - _TOP
        bars = []
        for hour, count in enumerate(self.counts):
            tall = room * count / self.peak if self.peak else 0.0
            bars.append(
                Bar(
                    hour,
                    count,
                    round(hour * step + _GAP / 2, 2),
                    round(self.baseline - tall, 2),
                    round(step - _GAP, 2),
                    round(tall, 2),
                )
            )
        return bars
