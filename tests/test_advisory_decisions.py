"""Advisories and the spec's decisions carry the same labels.

Each advisory names the decision of `x-decisions` it rests on, the decision names the advisory
back, and the `basis` the control API shows is the decision's label, read from its evidence
(http/decisions.py): an advisory can no longer say "the guide says so" of a decision the spec
itself marks inferred.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from starlette.testclient import TestClient

from mock_server.console.double_text import ADVISORY_BASES
from mock_server.domain.double.advisories import ADVISORIES
from mock_server.http.decisions import EVIDENCE_KINDS, basis, decision_bases
from mock_server.specs import ADMIN_SPEC, spec_path
from tests.conftest import Api
from tests.spec_utils import load_spec

DECISIONS = {decision["id"]: decision for decision in load_spec()["x-decisions"]}

# What each advisory rests on, as the spec's evidence has it (issue 24: the paging, window,
# prefix and unknown-parameter advisories said "guide" of inferences).
EXPECTED_BASES = {
    "BEARER_PREFIX": "inferred",
    "PAGE_SIZE_ABOVE_MAX": "inferred",
    "PAGE_SIZE_BELOW_ONE": "inferred",
    "PAGE_NEGATIVE": "inferred",
    "WINDOW_NOT_ORDERED": "inferred",
    "BLACKLIST_CONTENT_TYPE": "inferred",
    "UNKNOWN_QUERY_PARAMETER": "inferred",
    "COMPANY_ID_NOT_THE_TOKENS": "inferred",
    "REFRESH_WITH_ACCESS_TOKEN": "guide",
    "MONITORING_POLLED_TOO_OFTEN": "inferred",
}


@pytest.mark.parametrize("code", sorted(ADVISORIES))
def test_each_advisory_and_its_decision_name_each_other(code: str) -> None:
    decision = DECISIONS.get(ADVISORIES[code].decision)
    assert decision is not None, f"{code} rests on {ADVISORIES[code].decision}, not in the spec"
    assert code in decision["decision"], f"{decision['id']} does not name {code}"


def test_a_decision_names_only_the_advisories_that_rest_on_it() -> None:
    for decision in DECISIONS.values():
        named = {code for code in ADVISORIES if code in decision["decision"]}
        resting = {code for code, kind in ADVISORIES.items() if kind.decision == decision["id"]}
        assert named <= resting, f"{decision['id']} names {named - resting}"


def test_each_advisory_shows_the_label_of_its_decision() -> None:
    bases = decision_bases()
    shown = {code: bases[kind.decision] for code, kind in ADVISORIES.items()}
    assert shown == EXPECTED_BASES


@pytest.mark.parametrize(
    ("kinds", "label"),
    [
        (["guide"], "guide"),
        (["guide", "guide", "field-notes"], "guide"),
        (["field-notes", "client-code"], "field-notes"),
        (["client-code"], "client-code"),
        (["guide", "field-notes", "inferred"], "inferred"),
        (["inferred"], "inferred"),
    ],
)
def test_a_decision_is_inferred_if_any_of_it_is_else_its_strongest_source(
    kinds: list[str], label: str
) -> None:
    assert basis(kinds) == label


@pytest.mark.parametrize("kinds", [[], ["hearsay"], ["guide", "rumour"]])
def test_a_label_needs_known_evidence(kinds: list[str]) -> None:
    with pytest.raises(ValueError, match="evidence kinds"):
        basis(kinds)


def test_the_control_api_and_the_console_know_every_basis() -> None:
    with spec_path(ADMIN_SPEC).open(encoding="utf-8") as file:
        schemas: dict[str, Any] = yaml.safe_load(file)["components"]["schemas"]
    assert tuple(schemas["AdvisoryBasis"]["enum"]) == EVIDENCE_KINDS
    assert set(ADVISORY_BASES) == set(EVIDENCE_KINDS)


def test_the_control_api_answers_each_advisory_with_its_decision_and_basis(
    client: TestClient, api: Api
) -> None:
    api.get("/employees", headers={"Authorization": "Bearer " + api.token})
    client.put("/crm/openapi/authorization/refresh/token", headers={"Authorization": api.token})
    summary = {a["code"]: a for a in client.get("/mock/advisories").json()["advisories"]}
    assert {code: (a["decision"], a["basis"]) for code, a in summary.items()} == {
        "BEARER_PREFIX": ("D43", "inferred"),
        "REFRESH_WITH_ACCESS_TOKEN": ("D42", "guide"),
    }
    requests = client.get("/mock/requests").json()["requests"]
    shown = [(a["code"], a["decision"], a["basis"]) for r in requests for a in r["advisories"]]
    assert sorted(shown) == [
        ("BEARER_PREFIX", "D43", "inferred"),
        ("REFRESH_WITH_ACCESS_TOKEN", "D42", "guide"),
    ]
