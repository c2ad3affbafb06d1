"""A company's id is used once in the life of a state, and its deletion leaves nothing behind.

The held ids are in the store, so they hold across restarts of a state file (and for every
worker sharing it); a reset starts a new life. And per-company rules that only show with
several companies in one store (a deep page, the queue of outcomes, a company's clock).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from mock_server.domain.call_outcomes import MAX_QUEUED, ForcedOutcome
from mock_server.domain.errors import Conflict, NotFound
from mock_server.domain.pbx import FIRST_CREATED_COMPANY_ID, Pbx
from mock_server.domain.request_journal import JournalEntry
from tests.pinned import PINNED_NOW, pinned_config

SMALL = {"seed": 1, "history_days": 1, "calls_per_day": 5}


def test_a_retired_id_stays_retired_across_a_restart_of_the_state_file(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite3"
    with_file = pinned_config(state_file=state, **SMALL)
    pbx = Pbx(with_file)
    retired = pbx.create_company()
    pbx.delete_company(retired)
    pbx.close()
    again = Pbx(with_file)
    try:
        assert again.create_company() == retired + 1
        with pytest.raises(Conflict, match=f"Company {retired} was deleted"):
            again.create_company(retired)
        with pytest.raises(NotFound, match=f"Company {retired} was deleted"):
            again.require_company(retired)
        again.reset()
        assert again.create_company() == FIRST_CREATED_COMPANY_ID, "a reset starts a new life"
    finally:
        again.close()


def test_deleting_a_company_leaves_no_row_that_names_it(pbx: Pbx) -> None:
    """Every table with a company_id, whatever module added it, and every call's JSON."""
    mine = pbx.create_company()
    pbx.issue_tokens(mine, user_id=7)
    pbx.calls.simulate_incoming(mine, "79161234567", now=pbx.now(mine), queue="1")
    conn = pbx.store.read()
    tables = [
        str(row[0])
        for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if any(
            column[1] == "company_id" for column in conn.execute(f'PRAGMA table_info("{row[0]}")')
        )
    ]
    assert {"token_pairs", "calls", "live_calls", "employees"} <= set(tables)
    json_rows = conn.execute("SELECT COUNT(*) FROM call_json").fetchone()[0]
    own_calls = conn.execute("SELECT COUNT(*) FROM calls WHERE company_id = ?", (mine,)).fetchone()
    pbx.delete_company(mine)
    left = {
        table: conn.execute(
            f'SELECT COUNT(*) FROM "{table}" WHERE company_id = ?', (mine,)
        ).fetchone()[0]
        for table in tables
    }
    assert set(left.values()) == {0}, left
    assert conn.execute("SELECT COUNT(*) FROM call_json").fetchone()[0] == json_rows - own_calls[0]
    assert conn.execute("SELECT 1 FROM company_ids WHERE id = ?", (mine,)).fetchone()


def test_deleting_a_company_forgets_what_the_process_keeps_of_it(pbx: Pbx) -> None:
    mine, theirs = pbx.create_company(), pbx.create_company()
    for company in (mine, theirs):
        pbx.faults.add({"companyId": company, "status": 503})
        pbx.requests.record(JournalEntry(PINNED_NOW, "GET", "/employees", None, company_id=company))
    pbx.delete_company(mine)
    assert [rule.company_id for rule in pbx.faults.rules()] == [theirs]
    assert [entry.company_id for entry in pbx.requests.entries()] == [theirs]


def test_the_lowest_id_is_found_among_many_held(pbx: Pbx) -> None:
    held = 5000
    with pbx.store.transaction() as conn:
        conn.executemany(
            "INSERT INTO company_ids (id) VALUES (?)",
            [(FIRST_CREATED_COMPANY_ID + n,) for n in range(held) if n != held // 2],
        )
    assert pbx.create_company() == FIRST_CREATED_COMPANY_ID + held // 2
    assert pbx.create_company() == FIRST_CREATED_COMPANY_ID + held
    assert pbx.create_company(FIRST_CREATED_COMPANY_ID + held + 1)
    assert pbx.create_company() == FIRST_CREATED_COMPANY_ID + held + 2


def test_rules_of_the_faults_file_may_name_a_company_created_later() -> None:
    """The file is the run's settings: a rule for company 5000 waits for it, goes with it,
    and comes back with a reset (when 5000 may be created anew)."""
    pbx = Pbx(pinned_config(faults=({"companyId": 5000, "status": 503},), **SMALL))
    try:
        assert [rule.company_id for rule in pbx.faults.rules()] == [5000]
        pbx.create_company(5000)
        pbx.delete_company(5000)
        assert pbx.faults.rules() == []
        pbx.reset()
        assert [rule.company_id for rule in pbx.faults.rules()] == [5000]
    finally:
        pbx.close()


def test_a_deep_page_skips_only_the_companys_own_calls() -> None:
    """A deep page of a window that starts (or, newest first, ends) mid-hour is found by
    counting the calls before the first whole hour: the company's own, not another's."""
    pbx = Pbx(pinned_config(seed=1, history_days=3, calls_per_day=500))
    try:
        first = PINNED_NOW - timedelta(days=3)
        theirs = sorted(
            datetime.fromisoformat(r["date"])
            for r in pbx.journal.records(392, first, PINNED_NOW, size=2000)
        )
        # Both edges mid-hour, each a millisecond from a call of the other company's.
        start, end = theirs[5] - timedelta(milliseconds=1), theirs[-5] + timedelta(milliseconds=1)
        for sort in ("date,ASC", "date,DESC"):
            ours = [r["uuid"] for r in pbx.journal.records(391, start, end, size=2000, sort=sort)]
            # A weekend's history is thinner: the deep page is taken from what the window holds.
            assert len(ours) > 500, len(ours)
            deep = len(ours) // 10 - 2
            page = pbx.journal.records(391, start, end, page=deep, size=10, sort=sort)
            assert [r["uuid"] for r in page] == ours[deep * 10 : deep * 10 + 10], sort
    finally:
        pbx.close()


def test_the_queue_of_outcomes_is_bounded_per_company(pbx: Pbx) -> None:
    mine, theirs = pbx.create_company(), pbx.create_company()
    for _ in range(MAX_QUEUED):
        pbx.outcomes.queue(mine, ForcedOutcome())
    with pytest.raises(Conflict):
        pbx.outcomes.queue(mine, ForcedOutcome())
    assert pbx.outcomes.queue(theirs, ForcedOutcome()).id


def test_moving_one_companys_clock_leaves_the_others_across_a_restart(tmp_path: Path) -> None:
    config = pinned_config(state_file=tmp_path / "state.sqlite3", history_days=1, calls_per_day=5)
    pbx = Pbx(config)
    mine, theirs = pbx.create_company(), pbx.create_company()
    pbx.advance_clock(3600, company_id=mine)
    pbx.close()
    again = Pbx(config)
    try:
        assert (again.clocks.lead(mine), again.clocks.lead(theirs)) == (3600, 0.0)
    finally:
        again.close()
