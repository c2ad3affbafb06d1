"""Where the specs the mock serves are: `openapi/` is their one source; their indexes.

In a source checkout (and an editable install) they are read from the repository's
`openapi/` folder; a wheel carries that folder as `mock_server/openapi/` (pyproject.toml maps
it into the package at build time), so an installed mock needs no checkout.
"""

from __future__ import annotations

from pathlib import Path

from mock_server.spec_index import SpecIndex

__all__ = ["ADMIN_SPEC", "API_SPEC", "SPEC_DIR", "admin_index", "api_index", "spec_path"]

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


def api_index() -> SpecIndex:
    """The documented API's spec, indexed (parsed once)."""
    return SpecIndex.load(spec_path(API_SPEC))


def admin_index() -> SpecIndex:
    """The control API's spec, indexed (parsed once)."""
    return SpecIndex.load(spec_path(ADMIN_SPEC))
