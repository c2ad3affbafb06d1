"""The mock clock reads the wall clock once per operation: a running clock compares the target
with the same instant it sets it from (issue 22: a 0 s advance was 409 "only moves forward",
a 1 µs advance failed 4 times in 5)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from mock_server.domain.clock import Clock
from mock_server.domain.errors import Conflict
from mock_server.domain.pbx import Pbx, PbxConfig
from tests.pinned import PINNED_NOW


def ticking_wall(step: float = 1e-3) -> Callable[[], float]:
    """Real time that moves `step` seconds every time it is read."""
    reads = iter(range(1_000_000))
    start = PINNED_NOW.timestamp()
    return lambda: start + next(reads) * step


@pytest.mark.parametrize("seconds", [0, 1e-6, 1])
def test_a_running_clock_advances_by_any_non_negative_amount(seconds: float) -> None:
    clock = Clock(wall=ticking_wall())
    before = clock.timestamp()
    clock.advance(seconds)
    assert clock.timestamp() >= before + seconds


def test_setting_a_running_clock_to_its_now_or_freezing_it_is_not_going_back() -> None:
    clock = Clock(wall=ticking_wall())
    clock.set(frozen=True)
    frozen_at = clock.timestamp()
    clock.set(frozen_at)
    assert clock.timestamp() == frozen_at
    clock.set(frozen=False)
    assert clock.timestamp() > frozen_at


def test_going_back_is_still_refused() -> None:
    clock = Clock(wall=ticking_wall())
    with pytest.raises(Conflict):
        clock.set(clock.timestamp() - 1)


def test_a_company_clock_advanced_by_nothing_keeps_its_lead() -> None:
    pbx = Pbx(PbxConfig(now=PINNED_NOW, history_days=0, companies=(391,)))
    try:
        pbx.advance_clock(3600, company_id=391)
        for seconds in (0, 1e-6) * 20:
            lead = pbx.clocks.lead(391)
            pbx.advance_clock(seconds, company_id=391)
            assert pbx.clocks.lead(391) == pytest.approx(lead + seconds, abs=5e-7)
        for seconds in (0, 1e-6) * 20:  # the PBX's running clock too
            before = pbx.now()
            pbx.advance_clock(seconds)
            assert pbx.now() >= before + timedelta(seconds=seconds)
    finally:
        pbx.close()
