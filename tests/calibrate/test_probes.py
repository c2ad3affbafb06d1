"""Every decision that production could settle has a probe; the others say why none can."""

from __future__ import annotations

import subprocess
import sys

from mock_server.calibrate.probes import probes_of
from mock_server.specs import api_index

# The decisions no answer of production can settle, each for the reason its `probe: none` gives.
WITHOUT_PROBE = {"D1", "D6", "D8", "D24", "D25", "D30", "D31", "D41", "D46", "D47", "D50", "D51"}


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
