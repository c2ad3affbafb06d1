"""Write docs/decisions.md's "What is inferred" table from the spec's `x-decisions`.

    .venv/bin/python scripts/decisions_table.py          # rewrite the table in docs/decisions.md
    .venv/bin/python scripts/decisions_table.py --check  # exit 1 if the table is out of date

The table sits between two markers in docs/decisions.md and is never edited by hand; a test
(tests/test_decisions_table.py) fails when it differs from what this script writes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import yaml

__all__ = ["BEGIN", "END", "SPEC", "TABLE_FILE", "render_table", "updated_readme"]

ROOT: Final = Path(__file__).resolve().parents[1]
SPEC: Final = ROOT / "openapi" / "tele2-ats.yaml"
TABLE_FILE: Final = ROOT / "docs" / "decisions.md"
BEGIN: Final = "<!-- decisions-table:begin (scripts/decisions_table.py writes this table) -->"
END: Final = "<!-- decisions-table:end -->"
# The order the kinds of evidence are listed in: the strongest first.
SOURCES: Final = ("production", "guide", "field-notes", "client-code", "inferred")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _sources(evidence: Sequence[Mapping[str, str]]) -> str:
    kinds = {item["source"] for item in evidence}
    return ", ".join(
        f"**{kind}**" if kind == "inferred" else kind for kind in SOURCES if kind in kinds
    )


def render_table(decisions: Sequence[Mapping[str, Any]]) -> str:
    """The Markdown table: one row per decision, its topic and the kinds of its evidence."""
    lines = [
        "| | topic | evidence |",
        "| --- | --- | --- |",
    ]
    for decision in decisions:
        lines.append(
            f"| {decision['id']} | {_cell(decision['topic'])} | {_sources(decision['evidence'])} |"
        )
    return "\n".join(lines)


def updated_readme(readme: str, decisions: Sequence[Mapping[str, Any]]) -> str:
    """`readme` with the text between the markers replaced by the table."""
    try:
        head, rest = readme.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
    except ValueError:
        missing = f"{TABLE_FILE.name}: the markers {BEGIN!r} and {END!r} are missing"
        raise SystemExit(missing) from None
    return f"{head}{BEGIN}\n{render_table(decisions)}\n{END}{tail}"


def _decisions() -> list[dict[str, Any]]:
    with SPEC.open(encoding="utf-8") as file:
        decisions: list[dict[str, Any]] = yaml.safe_load(file)["x-decisions"]
    return decisions


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check, write nothing")
    args = parser.parse_args(argv)
    current = TABLE_FILE.read_text(encoding="utf-8")
    wanted = updated_readme(current, _decisions())
    if wanted == current:
        return 0
    if args.check:
        print(f"{TABLE_FILE.name}: the decisions table is out of date; run {Path(__file__).name}")
        return 1
    TABLE_FILE.write_text(wanted, encoding="utf-8")
    print(f"{TABLE_FILE.name}: decisions table rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
