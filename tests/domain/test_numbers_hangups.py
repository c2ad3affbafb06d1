"""Number forms (spec D22) and the party that ended a call (spec D20), without HTTP."""

from __future__ import annotations

from collections import Counter

import pytest

from mock_server.domain.rules.call_records import CALL_STATUSES, make_uuid
from mock_server.domain.rules.hangups import CALLEE, CALLER, ended_by
from mock_server.domain.rules.numbers import normalize_number


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("79056678798", "79056678798"),
        ("89056678798", "79056678798"),
        ("+79056678798", "79056678798"),
        (" 89056678798 ", "79056678798"),
        ("8905667879", "8905667879"),  # 10 digits: not a Russian number in the 8-form
        ("+89056678798", "+89056678798"),
        ("0001", "0001"),
        ("+4420794600", "+4420794600"),
        ("abc", "abc"),
        ("", ""),
    ],
)
def test_normalize_number(value: str, expected: str) -> None:
    assert normalize_number(value) == expected


@pytest.mark.parametrize("status", [s for s in CALL_STATUSES if not s.startswith("ANSWERED_")])
def test_unanswered_calls_have_no_hangup_party(status: str) -> None:
    assert ended_by(status, make_uuid(12345)) is None


def test_answered_calls_are_ended_by_either_party_evenly() -> None:
    parties = Counter(ended_by("ANSWERED_COMMON", make_uuid(bits * 7919)) for bits in range(4000))
    assert set(parties) == {CALLER, CALLEE}
    assert abs(parties[CALLER] - parties[CALLEE]) < 400, parties


def test_hangup_party_is_a_function_of_the_call() -> None:
    uuid = make_uuid(2**100 + 17)
    assert ended_by("ANSWERED_COMMON", uuid) == ended_by("ANSWERED_BY_ORIGINAL_CLIENT", uuid)
    assert ended_by("ANSWERED_COMMON", "") == CALLEE
