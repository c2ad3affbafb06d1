"""`tele2-ats-mock calibrate apply REPORT.json D16 ...`: a refutation's proposal into the spec.

The decision's `decision` text becomes the proposal's, its `inferred` evidence (the reading
production refuted) goes, and the proposal's `production` evidence (date, run) comes first. The
spec's text is edited line by line, so that its comments and layout stay; then the decisions
table of docs/decisions.md is written again (scripts/decisions_table.py, in a checkout).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["ApplyError", "apply_proposals"]


class ApplyError(ValueError):
    """The report holds no proposal for a decision asked for, or the spec lacks it."""


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _apply_one(lines: list[str], decision: str, proposal: Mapping[str, Any]) -> list[str]:
    try:
        start = lines.index(f"  - id: {decision}")
    except ValueError:
        raise ApplyError(f"the spec has no decision {decision}") from None
    end = next(
        (i for i in range(start + 1, len(lines)) if not lines[i].startswith("    ")), len(lines)
    )
    block = lines[start:end]
    out: list[str] = []
    index = 0
    evidence = proposal["evidence"]
    while index < len(block):
        line = block[index]
        if line.startswith("    decision:"):
            out.append("    decision: " + _quoted(str(proposal["decision"])))
            index += 1
            while (
                index < len(block)
                and block[index].startswith("      ")
                and not re.match(r"      - ", block[index])
            ):
                index += 1  # a folded continuation of the old text
            continue
        if line == "    evidence:":
            out.append(line)
            out.append("      - source: production")
            for key in ("where", "date", "run"):
                out.append(f"        {key}: {_quoted(str(evidence[key]))}")
            index += 1
            while index < len(block) and block[index].startswith("      "):
                item = [block[index]]
                index += 1
                while index < len(block) and block[index].startswith("        "):
                    item.append(block[index])
                    index += 1
                if not re.match(r"      - source: +['\"]?inferred", item[0]):
                    out.extend(item)
            continue
        out.append(line)
        index += 1
    return lines[:start] + out + lines[end:]


def apply_proposals(report: Mapping[str, Any], spec: Path, decisions: Sequence[str]) -> list[str]:
    """Edit `spec` with the report's proposals for `decisions`; returns the ids applied."""
    proposals = {e["id"]: e.get("proposal") for e in report.get("decisions", [])}
    lines = spec.read_text(encoding="utf-8").split("\n")
    for decision in decisions:
        proposal = proposals.get(decision)
        if not proposal:
            raise ApplyError(f"{decision}: the report refutes nothing there, so proposes nothing")
        lines = _apply_one(lines, decision, proposal)
    spec.write_text("\n".join(lines), encoding="utf-8")
    return list(decisions)
