"""JSON request bodies as strict JSON (RFC 8259), for both APIs.

Connexion parses JSON bodies with Python's `json.loads`, which accepts `NaN`, `Infinity` and
`-Infinity` (not JSON; Jackson, behind the real Spring service, refuses them by default) and
raises RecursionError on deeply nested input, and ValueError on an integer of more than
4,300 digits (http/integers.py). A NaN passes every `minimum`/`maximum` check of
the schema and then poisons whatever it reaches (the clock, a stored number); a RecursionError
or a ValueError is a 500. Here each is the 400 of any other malformed body, before validation.

Connexion's JSON body validator parses with `loads_strict` (`compat_connexion.py`, override
STRICT_JSON).
"""

from __future__ import annotations

import json
import typing as t

from connexion.exceptions import BadRequestProblem

from mock_server.http.integers import json_int

__all__ = ["MSG_NON_FINITE", "MSG_TOO_DEEP", "loads_strict"]

MSG_NON_FINITE = "Request body: {value} is not a JSON number (RFC 8259 has no NaN or Infinity)"
MSG_TOO_DEEP = "Request body: JSON nested too deeply to be a request of this API"
# No body of either API nests deeper than a handful of levels.
MAX_DEPTH = 64


def _refuse_constant(value: str) -> t.NoReturn:
    raise BadRequestProblem(detail=MSG_NON_FINITE.format(value=value))


def _depth_exceeds(text: str, limit: int) -> bool:
    """Whether brackets outside strings nest deeper than `limit` (a linear scan)."""
    depth = 0
    in_string = False
    escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def loads_strict(text: str) -> t.Any:
    """`json.loads` refusing NaN/Infinity, deep nesting and integers of more digits than
    Python converts with BadRequestProblem."""
    brackets = text.count("[") + text.count("{")  # fewer than the limit cannot nest past it
    if brackets > MAX_DEPTH and _depth_exceeds(text, MAX_DEPTH):
        raise BadRequestProblem(detail=MSG_TOO_DEEP)
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_int=json_int)
    except json.JSONDecodeError as exc:
        raise BadRequestProblem(detail=str(exc)) from exc
    except RecursionError as exc:  # pragma: no cover - the depth check comes first
        raise BadRequestProblem(detail=MSG_TOO_DEEP) from exc
