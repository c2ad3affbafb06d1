"""The console knows the PBX only through the APIs: it imports neither domain/ nor http/."""

from __future__ import annotations

import ast
from pathlib import Path

import mock_server.console

CONSOLE_DIR = Path(mock_server.console.__file__).parent


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_console_imports_neither_the_domain_nor_the_http_layer() -> None:
    modules = sorted(CONSOLE_DIR.rglob("*.py"))
    assert len(modules) > 10
    crossing = {
        f"{path.relative_to(CONSOLE_DIR)}: {name}"
        for path in modules
        for name in _imports(path)
        if name.startswith(("mock_server.domain", "mock_server.http"))
    }
    assert crossing == set()
