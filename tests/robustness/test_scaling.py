"""Work per request must not grow with the calls still live, nor with the journal.

With thousands of click-to-call calls live, throughput fell from 1,087 to 393 req/s: every new
call looked for a free recording name by scanning each live call and each journalled call of
the company (SQLite cannot use a partial index `WHERE record_file_name != ''` for a bound
parameter unless the query says so). The cost here is counted in SQLite virtual-machine
instructions, which do not depend on how busy the machine is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest

from mock_server.domain.pbx import DEFAULT_COMPANY_ID, Pbx
from tests.pinned import pinned_config


@pytest.fixture
def pbx() -> Iterator[Pbx]:
    pbx = Pbx(pinned_config(seed=1, history_days=1, calls_per_day=10))
    yield pbx
    pbx.close()


def _instructions(pbx: Pbx, work: Callable[[], object]) -> int:
    """SQLite VM instructions that `work` runs on this thread's connection."""
    count = 0

    def tick() -> int:
        nonlocal count
        count += 1
        return 0

    conn = pbx.store.read()
    conn.set_progress_handler(tick, 1)
    try:
        work()
    finally:
        conn.set_progress_handler(None, 1)
    return count


def _source(pbx: Pbx) -> str:
    employees = pbx.employees.list(DEFAULT_COMPANY_ID)
    return str(next(e["fullNumber"] for e in employees if e.get("fullNumber")))


def _place(pbx: Pbx, n: int, offset: int = 0) -> None:
    source, now = _source(pbx), pbx.now(DEFAULT_COMPANY_ID)
    for i in range(n):
        pbx.calls.place_outgoing(DEFAULT_COMPANY_ID, source, f"7916{offset + i:07d}", now)


def _one_more_call(pbx: Pbx) -> int:
    return _instructions(pbx, lambda: _place(pbx, 1, offset=9_000_000))


def test_placing_a_call_costs_the_same_with_many_calls_live(pbx: Pbx) -> None:
    _place(pbx, 50)
    with_50 = _one_more_call(pbx)
    _place(pbx, 1500, offset=100)
    with_1550 = _one_more_call(pbx)
    assert with_1550 < with_50 * 1.5, (with_50, with_1550)


def test_reading_a_recording_costs_the_same_with_a_larger_journal(pbx: Pbx) -> None:
    def find_first() -> int:
        now = pbx.now()
        page = pbx.journal.records(
            DEFAULT_COMPANY_ID, now - timedelta(days=1), now, is_recorded=True, size=1
        )
        name = page[0]["recordFileName"]
        return _instructions(pbx, lambda: pbx.journal.find_recording(DEFAULT_COMPANY_ID, name))

    small = find_first()
    pbx.reset(history_days=10, calls_per_day=400)  # about twenty times the journal
    large = find_first()
    assert large < small * 1.5, (small, large)
