"""Helpers to read the spec in tests."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from mock_server.spec_index import resolve

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
