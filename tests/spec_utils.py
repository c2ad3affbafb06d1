"""Helpers to read the spec in tests."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
SPEC_PATH = ROOT / "openapi" / "tele2-ats.yaml"

__all__ = ["ROOT", "SPEC_PATH", "load_spec", "resolve"]


@cache
def _load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


def load_spec(path: Path = SPEC_PATH) -> dict[str, Any]:
    return _load(path)


def resolve(spec: dict[str, Any], node: Any) -> Any:
    """Follow a local `$ref` (possibly several) to the object it names."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node
