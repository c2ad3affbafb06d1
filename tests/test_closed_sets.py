"""The closed sets of the control API (fault actions, call outcomes, directions) are StrEnums in
the code, each member's behaviour written once and matched exhaustively; the spec's enums and
the code's are one set, so a member added to either side fails here until the other has it."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import pytest

from mock_server.console import double_text
from mock_server.console import text as console_text
from mock_server.domain.double.faults import ACTIONS, FaultAction, FaultRule
from mock_server.domain.rules.outcomes import CallOutcome, Direction
from mock_server.specs import ADMIN_SPEC, spec_path
from tests.pinned import PINNED_NOW
from tests.spec_utils import load_spec

SCHEMAS: dict[str, Any] = load_spec(spec_path(ADMIN_SPEC))["components"]["schemas"]


def _enum(schema: str, prop: str) -> set[str]:
    return set(SCHEMAS[schema]["properties"][prop]["enum"])


def _values(enum: type[StrEnum]) -> set[str]:
    return {member.value for member in enum}


def test_a_firing_action_is_one_of_the_spec_s_in_the_domain_and_in_the_console() -> None:
    spec = _enum("FaultFiring", "action")
    assert _values(FaultAction) == spec
    assert _values(double_text.FaultAction) == spec


def test_every_action_but_the_delay_is_a_field_of_a_fault_rule() -> None:
    fields = set(SCHEMAS["FaultRuleRequest"]["properties"])
    assert set(ACTIONS) == _values(FaultAction) - {FaultAction.DELAY}
    assert set(ACTIONS) <= fields


@pytest.mark.parametrize("action", list(FaultAction))
def test_each_action_is_what_the_rule_that_asks_for_it_does(action: FaultAction) -> None:
    asking: dict[FaultAction, dict[str, Any]] = {
        FaultAction.STATUS: {"status": 503},
        FaultAction.DROP: {"drop": True},
        FaultAction.TRUNCATE: {"truncate": True},
        FaultAction.EXPIRE_TOKENS: {"expire_tokens": "access"},
        FaultAction.DELAY: {},
    }
    fields = asking[action]
    rule = FaultRule(id=1, created_at=PINNED_NOW, delay_ms=100, **fields)
    assert rule.action is action
    assert rule.asks(FaultAction.DELAY)


def test_outcomes_and_directions_are_the_spec_s_wherever_the_control_api_names_them() -> None:
    for schema in ("CallOutcomeRequest", "QueuedCallOutcome", "PlacedCall"):
        assert _enum(schema, "outcome") == _values(CallOutcome), schema
        assert _enum(schema, "direction") == _values(Direction), schema
    assert set(console_text.OUTCOMES) == _values(CallOutcome)


def test_each_outcome_has_its_own_journal_status() -> None:
    statuses = {outcome: outcome.call_status for outcome in CallOutcome}
    assert statuses == {
        CallOutcome.ANSWERED: "ANSWERED_COMMON",
        CallOutcome.NOT_ANSWERED: "NOT_ANSWERED_COMMON",
        CallOutcome.BUSY: "DESTINATION_BUSY",
    }
