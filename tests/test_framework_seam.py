"""Only the compat modules touch a framework's private parts, and they check its version first.

Connexion, Starlette and uvicorn change their private parts between minor versions without
notice; the mock's overrides of them live in `mock_server/http/compat_connexion.py` and
`mock_server/compat_uvicorn.py`, which refuse a version they were not written for
(`mock_server/frameworks.py`). The scan below reads every Python module of the project
(the mock, the contract tests, the scripts, the client generator, the tests) and fails on:

- an import of a private name or module of a framework (`_context`, `starlette._utils`);
- an import from a module of a framework that is not its documented API (uvicorn's protocols,
  Connexion's decorators, routing or validation middleware, ...: `INTERNAL_MODULES`);
- an attribute a framework defines with a leading underscore, read or set on anything
  (`app._middleware_app`, `getattr(server, "_captured_signals")`), unless the module itself
  defines an attribute of that name (its own `self._send`);
- `__self__`: the object behind a callable a framework handed over (the ASGI `send` is a
  bound method of uvicorn's request cycle, which holds the connection's transport).

The private names are read from the installed frameworks' sources, so a new one is covered
without a list to keep.
"""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from mock_server import frameworks
from tests.spec_utils import ROOT

FRAMEWORKS = ("connexion", "starlette", "uvicorn", "jsonschema")
COMPAT_MODULES = (
    ROOT / "mock_server" / "http" / "compat_connexion.py",
    ROOT / "mock_server" / "compat_uvicorn.py",
)
SCANNED = ("mock_server", "contract_tests", "scripts", "client_gen", "tests")
# Modules of a framework that are not its documented API (the documented parts: Connexion's
# apps, options, resolver, security, exceptions, lifecycle, context, validators, URI parsers
# and jsonifier; Starlette's public modules; `uvicorn.Config` and `uvicorn.Server`).
INTERNAL_MODULES = (
    "connexion.apps.asynchronous",
    "connexion.apps.flask",
    "connexion.decorators",
    "connexion.frameworks",
    "connexion.middleware.",  # its submodules; `connexion.middleware` itself is documented
    "connexion.operations",
    "connexion.utils",
    "connexion.validators.parameter",
    "uvicorn.",  # everything but the top-level package
)


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


@cache
def framework_private_names() -> frozenset[str]:
    """Every underscore name the installed frameworks define: functions, classes, module
    names, class attributes and attributes set on `self`."""
    names: set[str] = set()
    for framework in FRAMEWORKS:
        spec = importlib.util.find_spec(framework)
        assert spec is not None, framework
        assert spec.submodule_search_locations, framework
        for location in spec.submodule_search_locations:
            for source in Path(location).rglob("*.py"):
                names.update(_defined_names(ast.parse(source.read_bytes())))
    return frozenset(name for name in names if _is_private(name))


def _defined_names(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def _framework_module(module: str) -> bool:
    return module.split(".")[0] in FRAMEWORKS


def _internal(module: str) -> bool:
    return any(
        module.startswith(prefix)
        if prefix.endswith(".")
        else module == prefix or module.startswith(prefix + ".")
        for prefix in INTERNAL_MODULES
    )


def violations(source: str, where: str) -> Iterator[str]:
    """What in `source` touches a framework's private part, one line each."""
    tree = ast.parse(source)
    own = _defined_names(tree)
    private = (framework_private_names() - own) | {"__self__"}
    for node in ast.walk(tree):
        line = f"{where}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _framework_module(alias.name) and (
                    any(_is_private(part) for part in alias.name.split("."))
                    or _internal(alias.name)
                ):
                    yield f"{line}: import {alias.name}"
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if not _framework_module(node.module):
                continue
            if any(_is_private(part) for part in node.module.split(".")) or _internal(node.module):
                yield f"{line}: from {node.module} import ..."
            for alias in node.names:
                if _is_private(alias.name):
                    yield f"{line}: from {node.module} import {alias.name}"
        elif isinstance(node, ast.Attribute) and node.attr in private:
            yield f"{line}: .{node.attr}"
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"getattr", "setattr", "hasattr", "delattr"}
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value in private
        ):
            yield f"{line}: {node.func.id}(..., {node.args[1].value!r})"


def _modules() -> list[Path]:
    return sorted(
        path
        for top in SCANNED
        for path in (ROOT / top).rglob("*.py")
        if path not in COMPAT_MODULES and ".venv" not in path.parts
    )


def test_no_module_but_the_compat_modules_touches_a_frameworks_private_parts() -> None:
    modules = _modules()
    assert len(modules) > 100  # the scan reads the project, not an empty folder
    found = [
        problem
        for path in modules
        for problem in violations(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    ]
    assert found == []


@pytest.mark.parametrize(
    "source",
    [
        "app._middleware_app.api_cls = Api",
        "app.middleware._build_middleware_stack()",
        "server._captured_signals.clear()",
        "getattr(server, '_captured_signals')",
        "from connexion.context import _context",
        "from connexion.decorators.parameter import _get_val_from_param",
        "from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol",
        "from connexion.middleware.routing import RoutingMiddleware",
        "import starlette._utils",
        "getattr(send, '__self__', None).transport.close()",
    ],
)
def test_the_scan_sees_each_way_of_reaching_in(source: str) -> None:
    assert list(violations(source, "example.py"))


def test_the_scan_leaves_the_documented_api_and_a_modules_own_names_alone() -> None:
    source = (
        "import connexion\n"
        "from connexion.middleware import ConnexionMiddleware, MiddlewarePosition\n"
        "from connexion.validators import VALIDATOR_MAP\n"
        "from starlette.testclient import TestClient\n"
        "import uvicorn\n"
        "class Middleware:\n"
        "    def __init__(self, app):\n"
        "        self._send = app\n"
        "    async def __call__(self, scope, receive, send):\n"
        "        await self._send(scope, receive, send)\n"
    )
    assert "_send" in framework_private_names()  # Starlette has one too: the module's is its own
    assert list(violations(source, "example.py")) == []


@pytest.mark.parametrize("path", COMPAT_MODULES, ids=lambda p: p.name)
def test_each_compat_module_checks_the_version_before_it_imports_the_framework(
    path: Path,
) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    statements = list(tree.body)
    check = next(
        i
        for i, node in enumerate(statements)
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
        and node.value.func.id == "require"
    )
    framework_imports = [
        i
        for i, node in enumerate(statements)
        if (isinstance(node, ast.ImportFrom) and node.module and _framework_module(node.module))
        or (isinstance(node, ast.Import) and any(_framework_module(a.name) for a in node.names))
    ]
    assert framework_imports
    assert min(framework_imports) > check
    # And it is where the private parts are: the scan would find them there.
    assert list(violations(path.read_text(encoding="utf-8"), path.name))


# -- The version check --------------------------------------------------------------------------


def test_the_installed_frameworks_are_those_the_mock_was_written_for() -> None:
    frameworks.require(*frameworks.WRITTEN_FOR)


@pytest.mark.parametrize(
    ("installed", "admitted"),
    [("3.3.0", True), ("3.3.7", True), ("3.3.0rc1", True), ("3.4.0", False), ("3.2.9", False)],
)
def test_a_version_is_admitted_by_its_range(installed: str, admitted: bool) -> None:
    assert frameworks.CONNEXION.admits(installed) is admitted


def test_another_version_stops_the_mock_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(frameworks, "installed_version", lambda distribution: "3.4.0")
    with pytest.raises(frameworks.UnsupportedFramework) as raised:
        frameworks.require(frameworks.CONNEXION)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith("Connexion 3.4.0 is not a version this mock was written for (3.3.x)")
    assert "install 'connexion>=3.3,<3.4'" in message


def test_the_command_exits_2_with_that_line_under_another_version() -> None:
    """The whole start-up: `tele2-ats-mock` in a fresh interpreter whose metadata says
    Connexion 3.4.0; it never reaches the private parts, and says what to install."""
    program = (
        "import importlib.metadata as m, sys\n"
        "real = m.version\n"
        "m.version = lambda d: '3.4.0' if d == 'connexion' else real(d)\n"
        "from mock_server.launcher import main\n"
        "sys.exit(main(['--port', '0']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "tele2-ats-mock: Connexion 3.4.0 is not a version this mock was written for (3.3.x); "
        f"install 'connexion>=3.3,<3.4' ({frameworks.CONNEXION.why})"
    ]
