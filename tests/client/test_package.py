"""generated_client/ is an installable package of its own, with only the dependencies it needs."""

from __future__ import annotations

import ast
import filecmp
import importlib
import importlib.metadata
import inspect
import json
import pkgutil
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import tele2_ats_client.api
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from tele2_ats_client import AsyncTele2Ats, Tele2Ats

ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIR = ROOT / "generated_client"
PACKAGE = PACKAGE_DIR / "tele2_ats_client"
RUNTIME_DEPENDENCIES = {"httpx", "attrs"}
# What the generated code may import: the standard library, its dependencies, itself.
ALLOWED_IMPORTS = set(sys.stdlib_module_names) | RUNTIME_DEPENDENCIES | {"tele2_ats_client"}
TOOL_LEFTOVERS = {"__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache"}


def _requirement_name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert match, requirement
    return match.group(0).lower()


def test_pyproject_declares_name_package_and_runtime_dependencies() -> None:
    pyproject = tomllib.loads((PACKAGE_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    project = pyproject["project"]
    assert project["name"] == "tele2-ats-client", project
    assert {_requirement_name(r) for r in project["dependencies"]} == RUNTIME_DEPENDENCIES, project
    wheel = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert wheel["packages"] == ["tele2_ats_client"], wheel
    assert (PACKAGE / "py.typed").is_file(), "PEP 561 marker for mypy users"


def test_package_imports_only_declared_dependencies() -> None:
    imported: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                imported.setdefault(name.split(".")[0], set()).add(str(path.relative_to(ROOT)))
    undeclared = {name: files for name, files in imported.items() if name not in ALLOWED_IMPORTS}
    assert not undeclared, f"imports outside the declared dependencies: {undeclared}"
    assert imported.keys() >= RUNTIME_DEPENDENCIES, f"declared but never imported: {imported}"


def _documented_args(doc: str) -> dict[str, str]:
    """Name -> description of a Google-style docstring's `Args:` section."""
    args: dict[str, str] = {}
    section = doc.split("\nArgs:\n", 1)[1].split("\n\n", 1)[0] if "\nArgs:\n" in doc else ""
    name = ""
    for line in section.splitlines():
        entry = re.match(r"    (\w+)(?: \(.*?\))?:(.*)", line)
        if entry:
            name = entry.group(1)
            args[name] = entry.group(2).strip()
        else:
            args[name] += " " + line.strip()
    return args


def _operation_functions() -> list[tuple[str, object]]:
    modules = [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(tele2_ats_client.api.__path__, "tele2_ats_client.api.")
        if not info.ispkg
    ]
    functions = [
        (f"{module.__name__}.{name}", getattr(module, name))
        for module in modules
        for name in ("sync", "sync_detailed", "asyncio", "asyncio_detailed")
    ]
    methods = [
        (f"{facade.__name__}.{name}", getattr(facade, name))
        for facade in (Tele2Ats, AsyncTele2Ats)
        for name in dir(facade)
        if not name.startswith("_")
        and name not in {"download_recording"}  # its arguments are not the spec's
    ]
    return functions + methods


def test_every_parameter_documented_in_the_docstrings() -> None:
    undocumented = []
    for name, function in _operation_functions():
        assert callable(function), name
        doc = inspect.getdoc(function) or ""
        documented = _documented_args(doc)
        for parameter in inspect.signature(function).parameters:
            if parameter in {"self", "client"}:
                continue
            description = documented.get(parameter, "").split(" Default:")[0].split(" Example:")[0]
            if len(description) < 10:
                undocumented.append(f"{name}({parameter}): {description!r}")
    assert not undocumented, "\n".join(undocumented)


def test_readme_shows_the_checked_example_verbatim() -> None:
    readme = (PACKAGE_DIR / "README.md").read_text(encoding="utf-8")
    example = (ROOT / "client_gen" / "readme_example.py").read_text(encoding="utf-8")
    assert f"```python\n{example}```" in readme, "README.md embeds client_gen/readme_example.py"


def _differences(left: Path, right: Path) -> list[str]:
    """Files that differ, or exist on one side only, between two trees (tool caches ignored)."""
    comparison = filecmp.dircmp(left, right, ignore=sorted(TOOL_LEFTOVERS))
    found = [f"only in {left}: {name}" for name in comparison.left_only]
    found += [f"only in {right}: {name}" for name in comparison.right_only]
    for name in comparison.common_files:
        if (left / name).read_bytes() != (right / name).read_bytes():
            found.append(f"differs: {right / name}")
    for name in comparison.common_dirs:
        found += _differences(left / name, right / name)
    return found


@pytest.mark.slow
def test_generator_reproduces_committed_tree(tmp_path: Path) -> None:
    output = tmp_path / "generated_client"
    result = subprocess.run(
        [sys.executable, str(ROOT / "client_gen" / "generate.py"), "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    differences = _differences(output, PACKAGE_DIR)
    assert not differences, f"run `make client`: {differences}\n{result.stdout}"


def _distribution_closure(names: set[str]) -> list[importlib.metadata.Distribution]:
    """The installed distributions `names` need at run time, theirs included (no extras)."""
    environment = {key: str(value) for key, value in default_environment().items()}
    environment["extra"] = ""
    found: dict[str, importlib.metadata.Distribution] = {}
    pending = sorted(names)
    while pending:
        name = pending.pop()
        if name in found:
            continue
        distribution = importlib.metadata.distribution(name)
        found[name] = distribution
        for text in distribution.requires or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate(environment):
                pending.append(canonicalize_name(requirement.name))
    return list(found.values())


def _copy_installed(distribution: importlib.metadata.Distribution, site: Path) -> None:
    """Install `distribution` into `site` from this environment's copy: the files its RECORD
    lists under site-packages (its .dist-info included), as pip would have put them."""
    for file in distribution.files or []:
        source = Path(str(distribution.locate_file(file))).resolve()
        if ".." in file.parts or "__pycache__" in file.parts or not source.is_file():
            continue  # console scripts live outside site-packages; caches are rebuilt
        target = site / file
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


@pytest.mark.slow
def test_install_into_fresh_venv_without_mock_dependencies(tmp_path: Path) -> None:
    """Built with its own backend and installed by pip into a fresh venv, offline: pip must
    find its declared dependencies (present beforehand, copied from this environment) and
    nothing else, and then it imports without the mock's packages."""
    source = tmp_path / "src" / "generated_client"
    shutil.copytree(PACKAGE_DIR, source, ignore=shutil.ignore_patterns(*TOOL_LEFTOVERS))
    wheels = tmp_path / "wheels"
    offline = ["--quiet", "--disable-pip-version-check", "--no-index"]
    build = subprocess.run(
        [
            *(sys.executable, "-m", "pip", "wheel", *offline, "--no-deps"),
            *("--no-build-isolation", "--wheel-dir", str(wheels), str(source)),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    (wheel,) = wheels.glob("tele2_ats_client-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    for distribution in _distribution_closure(RUNTIME_DEPENDENCIES):
        _copy_installed(distribution, site)
    # With dependency resolution on and no index: an undeclared or unmet dependency fails here.
    install = subprocess.run(
        [str(python), "-m", "pip", "install", *offline, str(wheel)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    check = subprocess.run(
        [str(python), "-m", "pip", "check"], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stdout + check.stderr
    probe = """
import importlib.metadata, importlib.util, json
import tele2_ats_client
from tele2_ats_client import RefreshingClient
from tele2_ats_client.api.blacklist import add_to_blacklist
print(json.dumps({
    "requires": sorted(importlib.metadata.requires("tele2-ats-client") or []),
    "importable": {m: importlib.util.find_spec(m) is not None
                   for m in ("connexion", "faker", "mock_server", "yaml", "httpx", "attrs")},
    "file": tele2_ats_client.__file__,
}))
"""
    # Run outside the repository, so that its own packages are not on sys.path.
    run = subprocess.run(
        [str(python), "-c", probe],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(run.stdout)
    assert report["importable"] == {
        "connexion": False,
        "faker": False,
        "mock_server": False,
        "yaml": False,
        "httpx": True,
        "attrs": True,
    }, report
    assert report["file"].startswith(str(venv)), report
    assert {_requirement_name(r) for r in report["requires"]} == RUNTIME_DEPENDENCIES, report
