"""Every package the code imports is declared in pyproject.toml, with a range.

A package that arrives only because another one depends on it (Starlette through Connexion,
jsonschema through Connexion, requests through Schemathesis) disappears or changes major
version when that one changes its mind, and the mock fails to import on a fresh install. So
each third-party module any project module imports is declared itself: the mock's own in
`[project].dependencies`, the tests', scripts' and client generator's there or in the `dev`
extra; each with an upper bound (or an exact pin). The frameworks whose private parts the mock
overrides are declared with exactly the range the compat modules check at start-up
(`mock_server/frameworks.py`).
"""

from __future__ import annotations

import ast
import sys
import tomllib
from functools import cache
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from mock_server import frameworks
from tests.spec_utils import ROOT

# The project's own top-level modules and packages (the generated client is installed from
# generated_client/), and the scripts, which import each other.
FIRST_PARTY = {"mock_server", "contract_tests", "tests", "client_gen", "tele2_ats_client"} | {
    path.stem for path in (ROOT / "scripts").glob("*.py")
}
RUNTIME = ("mock_server",)
OTHERS = ("contract_tests", "scripts", "client_gen", "tests")
# Modules only pytest loads (the pytest11 entry point and its options): pytest is there when
# they run.
PYTEST_ONLY = {
    ROOT / "mock_server" / "testing" / "pytest_plugin.py",
    ROOT / "mock_server" / "testing" / "options.py",
}


@cache
def _project() -> dict[str, list[Requirement]]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {
        "runtime": [Requirement(r) for r in data["dependencies"]],
        "dev": [Requirement(r) for r in data["optional-dependencies"]["dev"]],
    }


def _declared(*groups: str) -> set[str]:
    return {canonicalize_name(r.name) for group in groups for r in _project()[group]}


def _imports(path: Path) -> set[str]:
    """Top-level names of the modules `path` imports (absolute imports only)."""
    tree = ast.parse(path.read_bytes())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - FIRST_PARTY - {"__future__"}


@cache
def _module_distributions() -> dict[str, list[str]]:
    return dict(metadata.packages_distributions())


def _distributions(module: str) -> set[str]:
    return {canonicalize_name(d) for d in _module_distributions().get(module, [])}


def _undeclared(tops: tuple[str, ...], groups: tuple[str, ...]) -> list[str]:
    declared = _declared(*groups)
    missing = []
    for top in tops:
        for path in sorted((ROOT / top).rglob("*.py")):
            for module in sorted(_imports(path)):
                if module == "pytest" and path in PYTEST_ONLY:
                    continue
                distributions = _distributions(module)
                if not distributions & declared:
                    missing.append(f"{path.relative_to(ROOT)}: {module} ({distributions or '?'})")
    return missing


def test_the_mock_imports_only_what_it_declares() -> None:
    assert _undeclared(RUNTIME, ("runtime",)) == []


def test_the_tests_scripts_and_generator_import_only_what_is_declared() -> None:
    assert _undeclared(OTHERS, ("runtime", "dev")) == []


@pytest.mark.parametrize("group", ["runtime", "dev"])
def test_every_dependency_has_a_range(group: str) -> None:
    """An upper bound or an exact pin: a new major version is a decision, not an accident."""
    unbounded = [
        str(r)
        for r in _project()[group]
        if not any(s.operator in {"<", "<=", "==", "~="} for s in r.specifier)
    ]
    assert unbounded == []


@pytest.mark.parametrize("written", frameworks.WRITTEN_FOR, ids=lambda w: w.distribution)
def test_the_frameworks_ranges_are_those_the_compat_modules_check(
    written: frameworks.Written,
) -> None:
    declared = [
        r
        for r in _project()["runtime"]
        if canonicalize_name(r.name) == canonicalize_name(written.distribution)
    ]
    assert len(declared) == 1
    assert declared[0].specifier == SpecifierSet(written.requirement.split(written.distribution)[1])


def test_the_installed_packages_are_in_their_ranges() -> None:
    """The environment the suite runs in is one pyproject.toml admits (requirements.lock)."""
    outside = []
    for requirement in _project()["runtime"] + _project()["dev"]:
        version = metadata.version(requirement.name)
        if not requirement.specifier.contains(version, prereleases=True):
            outside.append(f"{requirement.name} {version} not {requirement.specifier}")
    assert outside == []
