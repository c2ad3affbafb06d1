"""How the console reads numbers, instants and tokens, and draws the chart (no HTTP)."""

from __future__ import annotations

from datetime import UTC, datetime

import jwt
import pytest

from mock_server.console.chart import Chart, calls_per_hour
from mock_server.console.text import (
    duration,
    from_local_input,
    jwt_expiry,
    msk,
    msk_input,
    plural,
    relative,
    span,
)


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "0 звонков"),
        (1, "1 звонок"),
        (2, "2 звонка"),
        (5, "5 звонков"),
        (11, "11 звонков"),
        (12, "12 звонков"),
        (21, "21 звонок"),
        (104, "104 звонка"),
        (111, "111 звонков"),
    ],
)
def test_plural(count: int, expected: str) -> None:
    assert plural(count, "звонок", "звонка", "звонков") == expected


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(None, "—"), (0, "0 с"), (59, "59 с"), (207, "3 мин 27 с"), (3600 * 4 + 60, "4 ч 01 мин")],
)
def test_duration(seconds: float | None, expected: str) -> None:
    assert duration(seconds) == expected


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(0, "сейчас"), (86400, "через 1 сут."), (-300, "5 мин назад"), (90061, "через 1 сут. 1 ч")],
)
def test_relative(seconds: float, expected: str) -> None:
    assert relative(seconds) == expected


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(0, "0 с"), (-23_451_180, "271 сут. 10 ч"), (3600.9, "1 ч"), (61, "1 мин 1 с")],
)
def test_span(seconds: float, expected: str) -> None:
    assert span(seconds) == expected


def test_moscow_time_both_ways() -> None:
    assert msk("2026-03-04T12:00:00.000Z") == "04.03.2026 15:00:00"
    assert msk("2026-12-31T22:30:00Z", seconds=False) == "01.01.2027 01:30"
    instant = datetime(2026, 2, 28, 21, 30, tzinfo=UTC)
    assert msk_input(instant) == "2026-03-01T00:30:00"
    assert from_local_input(msk_input(instant)) == instant
    with pytest.raises(ValueError, match="Invalid isoformat"):
        from_local_input("завтра")


def test_jwt_expiry_reads_exp_without_the_key() -> None:
    token = jwt.encode({"exp": 1772712000, "sub": "ACCESS_OPENAPI_TOKEN"}, "k" * 64, "HS512")
    assert jwt_expiry(token) == datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
    assert jwt_expiry("not a token") is None
    assert jwt_expiry(jwt.encode({"sub": "x"}, "k" * 64, "HS512")) is None


def test_calls_per_hour_are_moscow_hours() -> None:
    counts = calls_per_hour(
        [
            datetime(2026, 3, 4, 6, 0, tzinfo=UTC),  # 09:00 MSK
            datetime(2026, 3, 4, 6, 59, 59, tzinfo=UTC),
            datetime(2026, 3, 4, 21, 0, tzinfo=UTC),  # 00:00 MSK next day
        ]
    )
    assert counts[9] == 2
    assert counts[0] == 1
    assert sum(counts) == 3


def test_the_tallest_bar_reaches_the_top_and_empty_hours_are_flat() -> None:
    chart = Chart((0, 3, 6) + (0,) * 21)
    bars = chart.bars
    assert len(bars) == 24
    assert bars[0].height == 0
    assert bars[2].y + bars[2].height == chart.baseline
    assert bars[1].height == pytest.approx(bars[2].height / 2)
    assert bars[2].label == "02:00–03:00"
    assert bars[23].label == "23:00–00:00"
    assert all(bar.x + bar.width <= chart.width for bar in bars)
    assert [b.height for b in Chart((0,) * 24).bars] == [0] * 24
