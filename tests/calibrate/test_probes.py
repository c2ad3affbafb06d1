"""Every decision that production could settle has a probe; the others say why none can."""

from __future__ import annotations

import subprocess
import sys

from mock_server.calibrate.observe import _Journal, evaluate_identity
from mock_server.calibrate.probes import probes_of
from mock_server.specs import api_index
from tests.guide_file import statistics_sample

# The decisions no answer of production can settle, each for the reason its `probe: none` gives.
WITHOUT_PROBE = {
    *("D1", "D6", "D8", "D24", "D25", "D30", "D31", "D41", "D46", "D47", "D50", "D51", "D54")
}


def test_decisions_without_a_probe_are_listed_and_say_why() -> None:
    probes = probes_of(api_index())  # refuses a decision with neither a probe nor a reason
    without = {p.decision: p.reason for p in probes if p.observe is None}
    assert set(without) == WITHOUT_PROBE
    for decision, reason in without.items():
        assert len(reason.split()) >= 8, f"{decision}: say why no probe can settle it"


def test_the_statistics_probe_reads_the_identities_the_spec_states() -> None:
    probes = {p.decision: p for p in probes_of(api_index())}
    for decision in ("D19", "D20"):
        assert probes[decision].observe == "identities"
        assert probes[decision].options["identities"], decision


def test_no_probe_places_a_call_and_writes_only_when_marked() -> None:
    api = api_index()
    for probe in probes_of(api):
        for request in (*probe.requests, *probe.cleanup):
            operation = api.match(request.method, request.path)
            assert operation is not None, (probe.decision, request)
            assert operation.traits.write != "calls", probe.decision
            if operation.traits.write is not None:
                assert probe.writes, f"{probe.decision}: {request.method} {request.path} writes"


def test_help_says_what_is_sent_and_what_never_is() -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "mock_server", "calibrate", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "What is sent" in shown
    assert "What is never sent" in shown
    assert "click-to-call" in shown


def test_an_identity_excludes_with_a_bang_and_counts_the_rest() -> None:
    journal = _Journal(
        [
            {"callType": "INTERNAL", "callStatus": "ANSWERED_COMMON", "conversationDuration": 30},
            {"callType": "SINGLE_CHANNEL", "callStatus": "ANSWERED_COMMON"}
            | {"conversationDuration": 7},
            {"callType": "MULTI_CHANNEL", "callStatus": "CANCELLED_BY_CALLER"},
        ]
    )
    external = 'callType=["!INTERNAL", "!HIMSELF"]'
    figures = {"successCallCount": 1, "commonCallDuration": 7, "hangupACallCount": 1}
    assert evaluate_identity(
        f'successCallCount == records({external}, callStatus="ANSWERED_*")', figures, journal
    )
    assert evaluate_identity(
        f'commonCallDuration == total("conversationDuration", {external}, callStatus="ANSWERED_*")',
        figures,
        journal,
    )
    # the internal call's 30 s would make it 37: the exclusion is what keeps it out
    assert not evaluate_identity(
        'commonCallDuration == total("conversationDuration", callStatus="ANSWERED_*")',
        figures,
        journal,
    )
    assert evaluate_identity(
        f'hangupACallCount == records({external}, callStatus="CANCELLED_BY_CALLER")',
        figures,
        journal,
    )


def test_the_statistics_probes_hold_on_the_guides_sample_figures() -> None:
    """The guide's 5.6.1 sample satisfies every identity of D19, D20, D52 and D53 that names
    only figures (those reading the journal need a window's records)."""
    sample = statistics_sample()[2]
    probes = {p.decision: p for p in probes_of(api_index())}
    checked = 0
    for decision in ("D19", "D20", "D52"):
        for identity in probes[decision].options["identities"]:
            if any(f"{f}(" in identity for f in ("records", "total", "largest", "distinct")):
                continue
            assert evaluate_identity(identity, sample, _Journal([])), (decision, identity)
            checked += 1
    # D53's two days are the probe's own one-day window, not the sample's three
    assert evaluate_identity(
        probes["D53"].options["identities"][0].replace("/ 2", "/ 3"), sample, _Journal([])
    )
    assert checked >= 8
