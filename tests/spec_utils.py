"""Helpers to read the spec in tests."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from mock_server.spec_index import PATH_ITEM_METHODS, resolve

ROOT = Path(__file__).resolve().parents[1]
SPEC_PATH = ROOT / "openapi" / "tele2-ats.yaml"
ADMIN_SPEC_PATH = ROOT / "openapi" / "mock-admin.yaml"
HTTP_METHODS = frozenset(PATH_ITEM_METHODS)

__all__ = ["ADMIN_SPEC_PATH", "ROOT", "SPEC_PATH", "load_spec", "operations", "resolve"]


@cache
def _load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


def load_spec(path: Path = SPEC_PATH) -> dict[str, Any]:
    return _load(path)


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every operation of the spec: (method, path, operation)."""
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield method, path, operation
