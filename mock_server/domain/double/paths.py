"""What a fault rule and a request journal's pattern name a request by: its HTTP method, and its
path matched by a glob.

Both the fault rules (`faults.py`) and the request journal (`request_journal.py`) import this
module and neither imports the other for it.
"""

from __future__ import annotations

import functools
from typing import Final

__all__ = ["API_PREFIX", "HTTP_METHODS", "PathGlob", "api_path", "path_glob"]

HTTP_METHODS: Final = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE")
API_PREFIX: Final = "/crm/openapi"


class PathGlob:
    """A path pattern of the API: `*` matches any run of characters (`/` included, `**` is the
    same as `*`), every other character only itself (no `?`, no classes, no escapes); a
    trailing slash and the `/crm/openapi` prefix are optional on both sides.

    Matched without backtracking, in O(len(path) * len(pattern)) at worst: the first piece
    anchors the start, the last the end, and each piece between is found leftmost after the
    one before (taking the leftmost occurrence never loses a match when `*` is the only
    wildcard). A regular expression of `.*` runs takes exponential time on a path that almost
    matches (`/*a*a*a*...*b` against `/aaaa...`).

    Example::

        path_glob("/crm/openapi/managers/*").fullmatch("/managers/42/")  # True
    """

    __slots__ = ("_first", "_last", "_middle", "_starred", "pattern")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        pieces = api_path(pattern).split("*")
        self._starred = len(pieces) > 1
        self._first, self._last = pieces[0], pieces[-1]
        self._middle = tuple(piece for piece in pieces[1:-1] if piece)

    def fullmatch(self, path: str) -> bool:
        """Whether the whole of `path` (under the API's base path; a trailing slash aside)
        matches."""
        path = path.rstrip("/") or "/"
        if not self._starred:
            return path == self._first
        first, last = self._first, self._last
        end = len(path) - len(last)
        if end < len(first) or not path.startswith(first) or not path.endswith(last):
            return False
        position = len(first)
        for piece in self._middle:
            found = path.find(piece, position, end)
            if found < 0:
                return False
            position = found + len(piece)
        return True

    def __repr__(self) -> str:
        return f"PathGlob({self.pattern!r})"


@functools.lru_cache(maxsize=1024)
def path_glob(pattern: str) -> PathGlob:
    """The `PathGlob` of `pattern` (made once for the patterns in use)."""
    return PathGlob(pattern)


def api_path(path: str) -> str:
    """`path` under the API's base path (the prefix, if given, and a trailing slash dropped)."""
    if path == API_PREFIX or path.startswith(API_PREFIX + "/"):
        path = path[len(API_PREFIX) :]
    return path.rstrip("/") or "/"
