"""docs/decisions.md's "What is inferred" table is what scripts/decisions_table.py writes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.file_modules import load_file_module
from tests.spec_utils import SPEC_PATH, load_spec

# scripts/ is a folder of scripts, not a package.
decisions_table = load_file_module(SPEC_PATH.parents[1] / "scripts" / "decisions_table.py")


def test_readme_table_matches_the_spec() -> None:
    readme = decisions_table.TABLE_FILE.read_text(encoding="utf-8")
    wanted = decisions_table.updated_readme(readme, load_spec()["x-decisions"])
    assert readme == wanted, "docs/decisions.md is out of date: run scripts/decisions_table.py"


def test_table_has_a_row_per_decision_marking_inferred_ones() -> None:
    decisions = [
        {"id": "D1", "topic": "a | b", "evidence": [{"source": "inferred", "where": "x"}]},
        {
            "id": "D2",
            "topic": "c",
            "evidence": [
                {"source": "field-notes", "where": "y"},
                {"source": "guide", "where": "5.1"},
            ],
        },
    ]
    assert decisions_table.render_table(decisions).splitlines()[2:] == [
        "| D1 | a \\| b | **inferred** |",
        "| D2 | c | guide, field-notes |",
    ]


def test_check_mode_fails_on_a_stale_readme(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    stale = tmp_path / "README.md"
    stale.write_text(
        f"intro\n{decisions_table.BEGIN}\n| old |\n{decisions_table.END}\noutro\n", encoding="utf-8"
    )
    monkeypatch.setattr(decisions_table, "TABLE_FILE", stale)
    assert decisions_table.main(["--check"]) == 1
    assert decisions_table.main([]) == 0
    assert decisions_table.main(["--check"]) == 0
    text = stale.read_text(encoding="utf-8")
    assert text.startswith("intro\n")
    assert text.endswith("outro\n")
    assert "| D1 |" in text


# Where the project names decisions by id: its code, docs, both specs and the generated client.
_NAMING = (".py", ".md", ".yaml", ".html", ".jinja", ".txt")
_NOT_THE_PROJECTS = {".venv", "node_modules", ".git", ".hypothesis", ".mypy_cache", "reports"}


def test_every_decision_the_project_names_is_in_the_spec() -> None:
    # A decision renumbered or dropped (issue 24 reworked D16-D50) leaves no reference behind:
    # an advisory, a handler's comment or a doc citing an id the spec lacks sends a reader nowhere.
    root = SPEC_PATH.parents[1]
    ids = {decision["id"] for decision in load_spec()["x-decisions"]}
    dangling = []
    for path in root.rglob("*"):
        if path.suffix not in _NAMING or _NOT_THE_PROJECTS & set(path.relative_to(root).parts):
            continue
        for match in re.finditer(r"\bD[0-9]{1,3}\b", path.read_text(encoding="utf-8")):
            if match.group() not in ids:
                dangling.append(f"{path.relative_to(root)}: {match.group()}")
    assert not dangling, dangling
