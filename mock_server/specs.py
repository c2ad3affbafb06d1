"""Where the specs the mock serves are: `openapi/` is their one source; their indexes.

In a source checkout (and an editable install) they are read from the repository's
`openapi/` folder; a wheel carries that folder as `mock_server/openapi/` (pyproject.toml maps
it into the package at build time), so an installed mock needs no checkout.

`SPEC_VERSION` is the documented API spec's `info.version`: the version of the mock, of the
client generated from the spec and of the spec itself (one scheme, README "Releases").
pyproject.toml reads it from here at build time, so this module imports nothing of the
package when it loads (setuptools loads it on its own); `api_index`/`admin_index` import the
package's `spec_index` when called.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from mock_server.spec_index import SpecIndex

__all__ = [
    "ADMIN_SPEC",
    "API_SPEC",
    "SPEC_DIR",
    "SPEC_VERSION",
    "admin_index",
    "api_index",
    "spec_path",
    "spec_version",
]

API_SPEC = "tele2-ats.yaml"
ADMIN_SPEC = "mock-admin.yaml"

_PACKAGED = Path(__file__).resolve().parent / "openapi"
_CHECKOUT = Path(__file__).resolve().parents[1] / "openapi"


def _spec_dir() -> Path:
    for folder in (_PACKAGED, _CHECKOUT):
        if (folder / API_SPEC).is_file():
            return folder
    raise FileNotFoundError(
        f"the mock's specs are missing: neither {_PACKAGED} (an installed wheel) nor "
        f"{_CHECKOUT} (a source checkout) holds {API_SPEC}"
    )


SPEC_DIR = _spec_dir()


def spec_path(name: str) -> Path:
    return SPEC_DIR / name


# The top-level `info:` mapping of a spec: read alone, not the whole document (100 KB of YAML
# takes pure-Python PyYAML a second; the version is wanted by every `--version` and health).
_INFO_BLOCK = re.compile(r"^info:[ \t]*\n(?:(?:[ \t]+.*|[ \t]*#.*|[ \t]*)\n)*", re.MULTILINE)


def spec_version(path: Path) -> str:
    """The `info.version` of the spec at `path`."""
    text = path.read_text(encoding="utf-8")
    block = _INFO_BLOCK.search(text)
    info = (yaml.safe_load(block[0]) or {}).get("info") if block else None
    version = info.get("version") if isinstance(info, dict) else None
    if not isinstance(version, str) or not version:
        raise ValueError(f"{path}: no info.version (a string) in the spec")
    return version


SPEC_VERSION = spec_version(spec_path(API_SPEC))


# The indexes import the package's spec_index when asked, not when this module loads: setuptools
# loads this module on its own at build time, with no package to import from.
def api_index() -> SpecIndex:
    """The documented API's spec, indexed (parsed once)."""
    from mock_server.spec_index import SpecIndex

    return SpecIndex.load(spec_path(API_SPEC))


def admin_index() -> SpecIndex:
    """The control API's spec, indexed (parsed once)."""
    from mock_server.spec_index import SpecIndex

    return SpecIndex.load(spec_path(ADMIN_SPEC))
