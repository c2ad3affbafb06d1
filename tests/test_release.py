"""`make release-check` (scripts/release_check.py) and the breaking-change detector
(scripts/spec_breaking.py): one version in the spec, CHANGELOG.md and both wheels, and a
major version for a spec that breaks its callers."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from mock_server.specs import SPEC_VERSION
from tests.checkout import commit, copy_checkout, git
from tests.file_modules import load_file_module
from tests.spec_utils import ROOT, load_spec

release_check = load_file_module(ROOT / "scripts" / "release_check.py")
spec_breaking = load_file_module(ROOT / "scripts" / "spec_breaking.py")


def _run(repo: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "release_check.py"), "--root", str(repo)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _replace(file: Path, old: str, new: str) -> None:
    text = file.read_text()
    assert old in text, f"{old!r} not in {file}"
    file.write_text(text.replace(old, new, 1))


def _edit_spec(repo: Path, edit: Any) -> None:
    spec_file = repo / "openapi/tele2-ats.yaml"
    spec = yaml.safe_load(spec_file.read_text())
    edit(spec)
    spec_file.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False))


def _set_version(
    repo: Path, old: str, new: str, *, client: bool = True, changelog: bool = True
) -> None:
    """What a release of `new` changes: the spec, the client's project and CHANGELOG.md."""
    _edit_spec(repo, lambda spec: spec["info"].update(version=new))
    if client:
        _replace(
            repo / "generated_client/pyproject.toml", f'version = "{old}"', f'version = "{new}"'
        )
    if changelog:
        heading = "## [Unreleased]\n"
        _replace(repo / "CHANGELOG.md", heading, f"{heading}\n## [{new}] - 2027-01-01\n")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return copy_checkout(tmp_path)


@pytest.mark.slow
def test_release_check_passes_on_this_checkout(repo: Path) -> None:
    result = _run(repo)
    assert result.returncode == 0, result.stderr
    assert f"{SPEC_VERSION} everywhere" in result.stdout


@pytest.mark.slow
def test_release_check_fails_when_the_versions_disagree(repo: Path) -> None:
    """The spec moved on; the client was not regenerated nor the changelog written."""
    _set_version(repo, SPEC_VERSION, "1.1.0", client=False, changelog=False)
    result = _run(repo)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"release-check: CHANGELOG.md's newest entry is {SPEC_VERSION}, the spec's "
        "info.version 1.1.0",
        f"release-check: the tele2-ats-client wheel is {SPEC_VERSION}, the spec's "
        "info.version 1.1.0",
    ]


@pytest.mark.slow
def test_a_breaking_change_needs_a_major_version(repo: Path) -> None:
    git(repo, "tag", f"v{SPEC_VERSION}")
    _edit_spec(repo, lambda spec: spec["paths"].pop("/employees"))
    major = int(SPEC_VERSION.split(".")[0])
    _set_version(repo, SPEC_VERSION, f"{major}.1.0")
    commit(repo, "a minor version that removes an operation")
    result = _run(repo)
    assert result.returncode == 1
    assert (
        f"release-check: breaking since v{SPEC_VERSION}, so the version must be {major + 1}.0.0 "
        f"or later, not {major}.1.0: GET /employees: operation removed"
    ) in result.stderr.splitlines()
    _set_version(repo, f"{major}.1.0", f"{major + 1}.0.0")
    result = _run(repo)
    assert result.returncode == 0, result.stderr
    assert f"the spec compared with v{SPEC_VERSION}'s" in result.stdout


def test_a_released_version_keeps_its_spec() -> None:
    spec = (ROOT / "openapi/tele2-ats.yaml").read_text()
    changed = spec.replace("  version:", "  x-note: changed\n  version:", 1)
    assert release_check.compatibility_problems(SPEC_VERSION, SPEC_VERSION, spec, spec) == []
    assert release_check.compatibility_problems(SPEC_VERSION, SPEC_VERSION, spec, changed) == [
        f"v{SPEC_VERSION} was released with another spec: raise info.version"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "# Changelog\n\n## [Unreleased]\n- x\n\n## [1.2.0] - 2027-01-01\n## [1.1.0] - x\n",
            "1.2.0",
        ),
        ("# Changelog\n\n## [2.0.0] - 2027-01-01\n", "2.0.0"),
        ("# Changelog\n\n## [Unreleased]\n", None),
        ("# Changelog\n\n### [1.0.0]\n", None),
    ],
)
def test_the_changelogs_newest_release(text: str, expected: str | None) -> None:
    assert release_check.changelog_version(text) == expected


def _schema(spec: dict[str, Any], name: str) -> dict[str, Any]:
    schema: dict[str, Any] = spec["components"]["schemas"][name]
    return schema


MINIMAL = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1.0.0"},
    "paths": {
        "/things": {
            "get": {
                "parameters": [
                    {
                        "name": "kind",
                        "in": "query",
                        "schema": {"$ref": "#/components/schemas/Kind"},
                    },
                    {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 50}},
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Thing"},
                                }
                            }
                        },
                    }
                },
            },
            "post": {
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/NewThing"}}
                    }
                },
                "responses": {"204": {"description": "done"}},
            },
        }
    },
    "components": {
        "schemas": {
            "Kind": {"type": "string", "enum": ["a", "b"]},
            "Thing": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "integer"},
                    "state": {"$ref": "#/components/schemas/Kind"},
                },
            },
            "NewThing": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "kind": {"$ref": "#/components/schemas/Kind"},
                },
            },
        }
    },
}


def _mutated(mutate: Any) -> dict[str, Any]:
    spec = copy.deepcopy(MINIMAL)
    mutate(spec)
    return spec


def _get(spec: dict[str, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = spec["paths"]["/things"]["get"]
    return operation


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda s: s["paths"]["/things"].pop("post"), ["POST /things: operation removed"]),
        (lambda s: _get(s)["parameters"].pop(1), ["GET /things: parameter query.q removed"]),
        (
            lambda s: _get(s)["parameters"][1].update(required=True),
            ["GET /things: parameter query.q made required"],
        ),
        (
            lambda s: _get(s)["parameters"].append({"name": "x", "in": "header", "required": True}),
            ["GET /things: parameter header.x added as required"],
        ),
        (
            lambda s: _get(s)["parameters"][1]["schema"].update(maxLength=10),
            ["GET /things: parameter query.q: maxLength 50 became 10"],
        ),
        (
            lambda s: _schema(s, "Kind").update(enum=["a"]),
            [
                "GET /things: parameter query.kind: enum value(s) ['b'] removed",
                "POST /things: request body.kind: enum value(s) ['b'] removed",
            ],
        ),
        (
            lambda s: _schema(s, "Kind").update(enum=["a", "b", "c"]),
            ["GET /things: answer 200[].state: enum value(s) ['c'] added"],
        ),
        (
            lambda s: _schema(s, "Thing")["properties"].pop("state"),
            ["GET /things: answer 200[]: field state removed"],
        ),
        (
            lambda s: _schema(s, "Thing").update(required=[]),
            ["GET /things: answer 200[]: field id no longer required"],
        ),
        (
            lambda s: _schema(s, "NewThing").update(required=["name"]),
            ["POST /things: request body: field name made required"],
        ),
        (
            lambda s: _schema(s, "Thing")["properties"]["id"].update(type="string"),
            ["GET /things: answer 200[].id: type integer became string"],
        ),
        # Compatible: what callers did still works, what they read is still there.
        (lambda s: _get(s)["parameters"].append({"name": "y", "in": "query"}), []),
        (lambda s: _get(s)["parameters"][1]["schema"].update(maxLength=100), []),
        (lambda s: _schema(s, "Thing")["properties"].update(extra={"type": "string"}), []),
        (lambda s: _schema(s, "NewThing")["properties"].update(note={"type": "string"}), []),
        (lambda s: s["paths"].update({"/new": {"get": {"responses": {}}}}), []),
        (lambda s: s["info"].update(version="9.0.0", description="new words"), []),
    ],
)
def test_what_breaks_a_caller(mutate: Any, expected: list[str]) -> None:
    assert spec_breaking.breaking_changes(MINIMAL, _mutated(mutate)) == expected


def test_the_spec_does_not_break_itself() -> None:
    spec = load_spec()
    assert spec_breaking.breaking_changes(spec, spec) == []
    fewer = copy.deepcopy(spec)
    fewer["paths"].pop("/employees")
    assert spec_breaking.breaking_changes(spec, fewer) == ["GET /employees: operation removed"]
