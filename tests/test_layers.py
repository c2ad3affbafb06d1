"""ARCHITECTURE.md's layer rules, checked on the source: which part of the mock may import which,
for every package, and no import circle anywhere in it.

Every package of `mock_server` has a row in LAYERS (a new package fails here until it has one).
A module belongs to the row of the longest name that is a prefix of its own; what it imports of
`mock_server` must lie under one of the row's `internal` names, and, in the domain, what it
imports from outside the standard library must be one of the row's `external` packages.
Imports under `if TYPE_CHECKING:` count: a circle the type checker's guard hides is a circle.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import mock_server

PACKAGE_DIR = Path(mock_server.__file__).parent
ANY: frozenset[str] | None = None  # outside the domain, the third-party packages are free

# The domain's kernel: what every room may use.
KERNEL = (
    "mock_server.domain.errors",
    "mock_server.domain.clock",
    "mock_server.domain.timeutil",
    "mock_server.domain.fields",
)
STORAGE = "mock_server.domain.storage"
MEDIA = "mock_server.domain.media"
RULES = "mock_server.domain.rules"
DOUBLE = "mock_server.domain.double"
CONTROL_CLIENT = "mock_server.testing.control"
CONSOLE = ("mock_server.console", CONTROL_CLIENT)  # the console and the control header's name


@dataclass(frozen=True)
class Layer:
    internal: tuple[str, ...]  # what of mock_server it may import
    external: frozenset[str] | None  # which third-party packages (None: any)


LAYERS: dict[str, Layer] = {
    # The entry points (cli, specs, run files, fault file) put the parts together.
    "mock_server": Layer(("mock_server",), ANY),
    # The kernel imports nothing of the rooms.
    "mock_server.domain": Layer(KERNEL, frozenset()),
    # The composition root: the only module that imports every room.
    "mock_server.domain.pbx": Layer(("mock_server.domain",), frozenset()),
    STORAGE: Layer((*KERNEL, STORAGE), frozenset({"faker"})),
    MEDIA: Layer((*KERNEL, MEDIA), frozenset({"espeakng_loader", "lameenc"})),
    RULES: Layer((*KERNEL, STORAGE, MEDIA, RULES), frozenset({"jwt"})),
    DOUBLE: Layer((*KERNEL, STORAGE, MEDIA, RULES, DOUBLE), frozenset({"jwt"})),
    # The web layer: the domain, the specs and their index, the console it mounts, the control
    # header's name, uvicorn's compat module (closing a connection for a fault), the framework
    # ranges its own compat module checks and the tenant files' reader (YAML).
    "mock_server.http": Layer(
        (
            "mock_server.domain",
            "mock_server.http",
            "mock_server.specs",
            "mock_server.spec_index",
            "mock_server.compat_uvicorn",
            "mock_server.frameworks",
            "mock_server.tenant_files",
            *CONSOLE,
        ),
        ANY,
    ),
    # The console knows the PBX only through what the two APIs answer.
    "mock_server.console": Layer(CONSOLE, ANY),
    "mock_server.console.pages": Layer(CONSOLE, ANY),
    # The mock in other projects' test suites: a client of the running mock, and where the
    # specs are (specs.py loads none of the package; its indexes, spec_index.py, only when
    # asked); never the domain or the web layer.
    "mock_server.testing": Layer(("mock_server.testing", "mock_server.specs"), ANY),
    # The guarded way to the real service: the spec's operations tell it which are writes.
    "mock_server.real": Layer(
        ("mock_server.real", "mock_server.spec_index", "mock_server.specs"), ANY
    ),
    # The calibrator: the guarded transport to production, a mock process to compare with
    # (the test double's runner), the spec's decisions and the mock's own date-time check.
    "mock_server.calibrate": Layer(
        (
            "mock_server.calibrate",
            "mock_server.real",
            "mock_server.spec_index",
            "mock_server.specs",
            "mock_server.testing",
            "mock_server.http.formats",
        ),
        ANY,
    ),
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Path] = {_module_name(p): p for p in sorted(PACKAGE_DIR.rglob("*.py"))}
PACKAGES = sorted(_module_name(p) for p in PACKAGE_DIR.rglob("__init__.py"))


def _imports(path: Path) -> set[str]:
    """What the module imports: `from a.b import c` is `a.b.c` when that is a module of
    mock_server, else `a.b`."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: a relative import"
            assert node.module, path
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names} & MODULES.keys()
    return names


def _layer(module: str) -> str:
    return max((name for name in LAYERS if _within(module, name)), key=len)


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def test_every_package_has_its_layer_rule() -> None:
    assert len(PACKAGES) >= 10
    assert set(PACKAGES) <= LAYERS.keys()


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_each_layer_imports_only_what_its_rule_allows(layer: str) -> None:
    rule = LAYERS[layer]
    members = [module for module in MODULES if _layer(module) == layer]
    assert members, f"no module is in {layer}"
    crossing = set()
    for module in members:
        for name in _imports(MODULES[module]):
            top = name.split(".")[0]
            if top == "mock_server":
                if not any(_within(name, allowed) for allowed in rule.internal):
                    crossing.add(f"{module} imports {name}")
            elif (
                rule.external is not None
                and top not in sys.stdlib_module_names
                and top != "__future__"
                and top not in rule.external
            ):
                crossing.add(f"{module} imports {top}")
    assert crossing == set()


def test_no_module_of_the_mock_imports_itself_round_a_circle() -> None:
    edges = {
        module: {name for name in _imports(path) if name in MODULES and name != module}
        for module, path in MODULES.items()
    }
    # Packages' __init__ modules are only docstrings; an import of a.b.c runs a and a.b first,
    # which would make every package a circle with its modules: count the modules only.
    for package in PACKAGES:
        assert edges[package] <= {m for m in MODULES if _within(m, package)}, package
        edges[package] = set()
    circles = []
    state: dict[str, int] = {}  # 1: on the path being walked, 2: done

    def walk(module: str, path: list[str]) -> None:
        state[module] = 1
        for imported in sorted(edges[module]):
            if state.get(imported) == 1:
                circles.append([*path[path.index(imported) :], imported])
            elif imported not in state:
                walk(imported, [*path, imported])
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            walk(module, [module])
    assert circles == []
