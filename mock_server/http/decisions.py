"""The spec's decisions as the control API shows them: the `basis` of every advisory.

Each advisory rests on a decision of `x-decisions` in openapi/tele2-ats.yaml (its `decision`,
domain/double/advisories.py), and its `basis` says how sure that decision is, read from the
decision's evidence: `inferred` when any of it is the project's inference (the decision is then,
at least in part, the mock's reading of a guide that says nothing), else the strongest kind it
cites, `guide`, then `field-notes`, then `client-code`; `production` above all, when a
calibration run against the live service settled the decision (mock_server/calibrate/).
docs/decisions.md's "What is inferred" table marks the same decisions **inferred**.

The spec is read on the first request that needs it, not at start-up.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

from mock_server.spec_index import SpecIndex
from mock_server.specs import API_SPEC, SPEC_DIR

__all__ = ["EVIDENCE_KINDS", "basis", "decision_bases", "with_bases"]

# The kinds of evidence a decision cites, the strongest first.
EVIDENCE_KINDS: Final = ("production", "guide", "field-notes", "client-code", "inferred")
INFERRED: Final = "inferred"
PRODUCTION: Final = "production"


def basis(kinds: Iterable[str]) -> str:
    """The label of a decision whose evidence is of `kinds`."""
    found = set(kinds)
    unknown = found - set(EVIDENCE_KINDS)
    if unknown or not found:
        raise ValueError(f"evidence kinds must be some of {EVIDENCE_KINDS}, got {sorted(found)}")
    if PRODUCTION in found:
        return PRODUCTION  # what the live service was seen to do outweighs any reading
    if INFERRED in found:
        return INFERRED
    return next(kind for kind in EVIDENCE_KINDS if kind in found)


@functools.cache
def decision_bases(spec_path: Path = SPEC_DIR / API_SPEC) -> dict[str, str]:
    """Each decision's id -> its label (`basis`), from the spec's `x-decisions` (the spec as
    its index parsed it: once per file)."""
    decisions = SpecIndex.load(spec_path).document["x-decisions"]
    return {
        decision["id"]: basis(item["source"] for item in decision["evidence"])
        for decision in decisions
    }


def with_bases(advisories: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The advisories as the control API answers them: each with the `basis` of its decision."""
    bases = decision_bases()
    return [{**advisory, "basis": bases[advisory["decision"]]} for advisory in advisories]
