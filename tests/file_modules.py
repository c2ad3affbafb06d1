"""A Python file that is not in a package (a script in scripts/, an example) as a module."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

__all__ = ["load_file_module"]


def load_file_module(path: Path) -> ModuleType:
    """The file at `path`, imported under its stem's name (run anew on every call; the module
    is in sys.modules while it runs, as an import puts it, so that a dataclass in it works)."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
