"""Forced call outcomes: the queue, what a call takes from it, ending calls now, the calls view."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from mock_server.domain.errors import InvalidInput, NotFound
from mock_server.domain.pbx import Pbx
from mock_server.domain.rules.outcomes import CallOutcome, Direction, ForcedOutcome

COMPANY = 391
CLIENT = "79533933557"


def employees(pbx: Pbx, company: int = COMPANY) -> list[dict[str, Any]]:
    rows = pbx.store.read().execute(
        "SELECT full_number, short_number FROM employees WHERE company_id = ? "
        "AND full_number IS NOT NULL AND short_number IS NOT NULL ORDER BY employee_id",
        (company,),
    )
    return [dict(row) for row in rows]


def click_to_call(pbx: Pbx, destination: str = CLIENT) -> dict[str, Any]:
    source = employees(pbx)[0]["full_number"]
    return pbx.calls.place_outgoing(COMPANY, source, destination, pbx.now(COMPANY))


def record_of(pbx: Pbx, uuid: str) -> dict[str, Any]:
    now = pbx.now(COMPANY)
    records = pbx.journal.records(
        COMPANY, now - timedelta(hours=1), now + timedelta(days=1), size=2000
    )
    [record] = [r for r in records if r["uuid"] == uuid]
    return record


def test_queued_outcomes_are_taken_in_order_by_the_next_calls(pbx: Pbx) -> None:
    pbx.outcomes.queue(COMPANY, ForcedOutcome(CallOutcome.BUSY))
    pbx.outcomes.queue(
        COMPANY, ForcedOutcome(CallOutcome.ANSWERED, duration_seconds=42, ring_seconds=2)
    )
    first, second = click_to_call(pbx), click_to_call(pbx, "79533933558")
    assert first["callStatus"] == "DESTINATION_BUSY", first
    assert second["callStatus"] == "ANSWERED_COMMON", second
    assert pbx.outcomes.queued(COMPANY) == []
    assert pbx.calls.finish(COMPANY) == 2
    record = record_of(pbx, second["uuid"])
    assert record["conversationDuration"] == 42, record
    assert record["recordFileName"], "answered and recorded"


def test_direction_keeps_an_outcome_for_the_right_kind_of_call(pbx: Pbx) -> None:
    pbx.outcomes.queue(
        COMPANY, ForcedOutcome(CallOutcome.NOT_ANSWERED, direction=Direction.INCOMING)
    )
    outgoing = click_to_call(pbx)
    assert outgoing["callStatus"] == "ANSWERED_COMMON", "the seed's default: not its outcome"
    incoming = pbx.calls.simulate_incoming(COMPANY, CLIENT, now=pbx.now(COMPANY))
    assert incoming["callStatus"] == "NOT_ANSWERED_COMMON", incoming


def test_a_simulated_call_with_its_own_outcome_leaves_the_queue_alone(pbx: Pbx) -> None:
    pbx.outcomes.queue(COMPANY, ForcedOutcome(CallOutcome.BUSY))
    call = pbx.calls.simulate_incoming(
        COMPANY, CLIENT, now=pbx.now(COMPANY), forced=ForcedOutcome(CallOutcome.ANSWERED)
    )
    assert call["callStatus"] == "ANSWERED_COMMON"
    assert [o.outcome for o in pbx.outcomes.queued(COMPANY)] == ["busy"]


def test_answered_without_recording_has_no_record_file(pbx: Pbx) -> None:
    pbx.outcomes.queue(COMPANY, ForcedOutcome(CallOutcome.ANSWERED, recording=False))
    call = click_to_call(pbx)
    pbx.calls.finish(COMPANY)
    record = record_of(pbx, call["uuid"])
    assert record["callStatus"] == "ANSWERED_COMMON"
    assert record["recordFileName"] == "", record


def test_recording_without_transcript_answers_no_transcript(pbx: Pbx) -> None:
    pbx.outcomes.queue(COMPANY, ForcedOutcome(CallOutcome.ANSWERED, transcript=False))
    pbx.outcomes.queue(COMPANY, ForcedOutcome(CallOutcome.ANSWERED))
    silent, spoken = click_to_call(pbx), click_to_call(pbx, "79533933558")
    pbx.calls.finish(COMPANY)
    silent_name = record_of(pbx, silent["uuid"])["recordFileName"]
    spoken_name = record_of(pbx, spoken["uuid"])["recordFileName"]
    assert silent_name
    assert spoken_name
    with pytest.raises(NotFound, match="No transcript"):
        pbx.journal.transcript(COMPANY, silent_name)
    assert pbx.journal.transcript(COMPANY, spoken_name), "the other call keeps its transcript"


def test_answered_by_names_who_picks_up_an_incoming_call(pbx: Pbx) -> None:
    agent = employees(pbx)[2]
    pbx.outcomes.queue(
        COMPANY, ForcedOutcome(CallOutcome.ANSWERED, answered_by=agent["short_number"])
    )
    call = pbx.calls.simulate_incoming(COMPANY, CLIENT, now=pbx.now(COMPANY), queue="1")
    assert call["calleeNumber"] == agent["full_number"], call


def test_answered_by_must_be_an_employee(pbx: Pbx) -> None:
    with pytest.raises(NotFound, match="'answeredBy'"):
        pbx.outcomes.queue(COMPANY, ForcedOutcome(CallOutcome.ANSWERED, answered_by="79990000000"))
    with pytest.raises(NotFound, match="not the full or short number"):
        pbx.calls.simulate_incoming(
            COMPANY,
            CLIENT,
            now=pbx.now(COMPANY),
            forced=ForcedOutcome(CallOutcome.ANSWERED, answered_by="79990000000"),
        )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"outcome": "hung_up"}, "Field 'outcome'"),
        ({"durationSeconds": 0}, "Field 'durationSeconds'"),
        ({"ringSeconds": 601}, "Field 'ringSeconds'"),
        ({"recording": "no"}, "Field 'recording'"),
        ({"recording": False, "transcript": True}, "a transcript needs a recording"),
        ({"direction": "sideways"}, "Field 'direction'"),
        ({"answeredBy": "+7 999"}, "Field 'answeredBy'"),
        ({"mood": "happy"}, "Field 'mood': not a field"),
    ],
)
def test_outcome_fields_are_checked(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        ForcedOutcome.parse(fields)


def test_transcript_defaults_to_whether_the_call_is_recorded() -> None:
    assert ForcedOutcome.parse({"recording": False}).transcript is False
    assert ForcedOutcome.parse({}).transcript is True


def test_finish_ends_every_live_call_now_without_moving_the_clock(pbx: Pbx) -> None:
    before = pbx.now()
    call = click_to_call(pbx)
    pbx.calls.simulate_incoming(392, CLIENT, now=pbx.now(392))
    assert pbx.calls.current(COMPANY, pbx.now(COMPANY)), "live"
    assert pbx.calls.finish() == 2, "every company's"
    assert pbx.calls.current(COMPANY, pbx.now(COMPANY)) == []
    assert pbx.now() == before
    assert record_of(pbx, call["uuid"])["date"] == call["startedAt"]


def test_calls_view_shows_placed_calls_live_then_finished(pbx: Pbx) -> None:
    queued = pbx.outcomes.queue(COMPANY, ForcedOutcome(CallOutcome.ANSWERED, duration_seconds=30))
    call = click_to_call(pbx)
    [live] = pbx.outcomes.calls(COMPANY, pbx.now(COMPANY))
    assert (live["uuid"], live["state"], live["phase"]) == (call["uuid"], "live", "routing")
    assert (live["forced"], live["outcomeId"]) == (True, queued.id)
    pbx.calls.finish(COMPANY)
    [finished] = pbx.outcomes.calls(COMPANY, pbx.now(COMPANY))
    assert finished["state"] == "finished"
    assert finished["callStatus"] == "ANSWERED_COMMON"
    assert finished["conversationDuration"] == 30
    assert finished["recordFileName"]
    assert finished["hasTranscript"] is True
    assert pbx.outcomes.calls(392, pbx.now(392)) == [], "another company's calls are its own"


def test_clear_drops_the_company_queue_only(pbx: Pbx) -> None:
    pbx.outcomes.queue(COMPANY, ForcedOutcome(CallOutcome.BUSY))
    pbx.outcomes.queue(392, ForcedOutcome(CallOutcome.BUSY))
    assert pbx.outcomes.clear(COMPANY) == 1
    assert pbx.outcomes.queued(COMPANY) == []
    assert len(pbx.outcomes.queued(392)) == 1
