"""Running a snippet of Python in fresh processes: what one process computes, another must too."""

from __future__ import annotations

import os
import subprocess
import sys

__all__ = ["outputs_under_hash_seeds"]


def outputs_under_hash_seeds(code: str, hash_seeds: tuple[str, ...] = ("1", "2")) -> set[str]:
    """The distinct standard outputs of `code` run by this interpreter once per
    `PYTHONHASHSEED` (a `set` or `hash()` in the code under test would make them differ)."""
    return {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            check=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
        ).stdout
        for hash_seed in hash_seeds
    }
