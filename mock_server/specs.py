"""Where the specs the mock serves are: `openapi/` is their one source.

In a source checkout (and an editable install) they are read from the repository's
`openapi/` folder; a wheel carries that folder as `mock_server/openapi/` (pyproject.toml maps
it into the package at build time), so an installed mock needs no checkout.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["ADMIN_SPEC", "API_SPEC", "SPEC_DIR", "spec_path"]

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
