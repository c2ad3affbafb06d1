"""The framework versions the mock was written for, checked before it reaches into them.

The mock overrides private parts of Connexion and uvicorn (each in one module:
`http/compat_connexion.py`, `compat_uvicorn.py`), and Connexion 3.3 imports jsonschema's
deprecated `RefResolver`. A version these were not written for may fail on the first request,
or, worse, answer differently without failing. So each compat module calls `require()` as it
is imported, before it imports anything private, and a version outside the range stops the
import with `UnsupportedFramework`, one line that says what to install; `tele2-ats-mock`
prints that line and exits with status 2 (`launcher.py`).

pyproject.toml pins the same ranges (`tests/test_dependencies.py` holds the two to each other),
so this only ever fires in an environment pip did not resolve: `--no-deps`, a hand-made lock, a
package upgraded afterwards. Standard library only: it runs before any framework is imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import metadata
from typing import Final

__all__ = [
    "CONNEXION",
    "JSONSCHEMA",
    "UVICORN",
    "WRITTEN_FOR",
    "UnsupportedFramework",
    "Written",
    "installed_version",
    "require",
]

MSG_UNSUPPORTED: Final = (
    "{name} {version} is not a version this mock was written for ({span}); "
    "install {requirement} ({why})"
)
MSG_MISSING: Final = "{name} is not installed; install {requirement} ({why})"


class UnsupportedFramework(RuntimeError):
    """A framework's installed version is not one the mock was written for (one line)."""


def _release(version: str) -> tuple[int, ...]:
    """The release numbers a version starts with: `3.3.0rc1` -> (3, 3, 0)."""
    match = re.match(r"[0-9]+(?:\.[0-9]+)*", version)
    return tuple(int(part) for part in match[0].split(".")) if match else ()


def _dotted(release: tuple[int, ...]) -> str:
    return ".".join(str(part) for part in release)


@dataclass(frozen=True)
class Written:
    """A distribution the mock was written for: versions from `lowest` up to, not including,
    `below`; `why` says what of it the mock depends on."""

    distribution: str
    name: str
    lowest: tuple[int, ...]
    below: tuple[int, ...]
    why: str

    @property
    def requirement(self) -> str:
        """The range as pyproject.toml writes it: `connexion>=3.3,<3.4`."""
        return f"{self.distribution}>={_dotted(self.lowest)},<{_dotted(self.below)}"

    @property
    def span(self) -> str:
        """The range for a person: `3.3.x`, or `4.18 to 4.26.x`."""
        last = (*self.below[:-1], self.below[-1] - 1)
        if self.lowest == last:
            return f"{_dotted(self.lowest)}.x"
        return f"{_dotted(self.lowest)} to {_dotted(last)}.x"

    def admits(self, version: str) -> bool:
        release = _release(version)
        return bool(release) and self.lowest <= release < self.below


CONNEXION: Final = Written(
    "connexion",
    "Connexion",
    (3, 3),
    (3, 4),
    "the mock overrides its private parts: mock_server/http/compat_connexion.py",
)
JSONSCHEMA: Final = Written(
    "jsonschema",
    "jsonschema",
    (4, 18),
    (4, 27),
    "Connexion 3.3 imports its RefResolver, deprecated since 4.18 and to be removed",
)
UVICORN: Final = Written(
    "uvicorn",
    "uvicorn",
    (0, 30),
    (0, 56),
    "the mock overrides its private parts: mock_server/compat_uvicorn.py",
)
WRITTEN_FOR: Final = (CONNEXION, JSONSCHEMA, UVICORN)


def installed_version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def require(*written: Written) -> None:
    """Raise UnsupportedFramework unless each of `written` is installed in its range."""
    for framework in written:
        version = installed_version(framework.distribution)
        fields = {
            "name": framework.name,
            "version": version,
            "span": framework.span,
            "requirement": f"'{framework.requirement}'",
            "why": framework.why,
        }
        if version is None:
            raise UnsupportedFramework(MSG_MISSING.format(**fields))
        if not framework.admits(version):
            raise UnsupportedFramework(MSG_UNSUPPORTED.format(**fields))
