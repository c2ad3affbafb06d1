"""JSON request bodies as strict JSON (RFC 8259), for both APIs.

Connexion parses JSON bodies with Python's `json.loads`, which accepts `NaN`, `Infinity` and
`-Infinity` (not JSON; Jackson, behind the real Spring service, refuses them by default) and
raises RecursionError on deeply nested input, and ValueError on an integer of more than
4,300 digits (http/integers.py). A NaN passes every `minimum`/`maximum` check of
the schema and then poisons whatever it reaches (the clock, a stored number); a RecursionError
or a ValueError is a 500. Here each is the 400 of any other malformed body, before validation.

A null member of an object in a body of the documented API is read as the member's absence
(decision D47), as Spring reads what Jackson writes: Jackson writes nulls by default, and
binding a JSON null to a field leaves it as unset as leaving the member out. So `{"id": null}`
on PUT /managers is the 404 of a missing id (D9), a null `info` is no info, a null required
member the 400 naming it. A null element of an array, or a null body, is not a member: they are
validated as sent. The control API takes nulls as its spec says (some of its fields are
nullable on purpose).

Overrides `JSONRequestBodyValidator._parse` of Connexion 3.3 (pinned `>=3.3,<3.4`): the stock
method joins the stream, decodes it and calls `json.loads`; this one does the same with the
checks added, and hands the handler the body without its null members when it had any.
"""

from __future__ import annotations

import json
import typing as t

from connexion.exceptions import BadRequestProblem
from connexion.validators import JSONRequestBodyValidator
from starlette.types import Scope

from mock_server.http.errors import API_PREFIX
from mock_server.http.integers import json_int

__all__ = [
    "MSG_NON_FINITE",
    "MSG_TOO_DEEP",
    "StrictJSONRequestBodyValidator",
    "loads_strict",
    "without_null_members",
]

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


def without_null_members(value: t.Any) -> t.Any:
    """`value` with every object member whose value is null left out, at any depth (the depth
    is bounded by `loads_strict`); arrays keep their null elements. The same object when it
    holds no null member."""
    if isinstance(value, dict):
        kept = {key: without_null_members(item) for key, item in value.items() if item is not None}
        if len(kept) == len(value) and all(kept[key] is value[key] for key in kept):
            return value
        return kept
    if isinstance(value, list):
        items = [without_null_members(item) for item in value]
        return value if all(new is old for new, old in zip(items, value, strict=True)) else items
    return value


class StrictJSONRequestBodyValidator(JSONRequestBodyValidator):  # type: ignore[misc]
    """Connexion's JSON body validator, parsing with `loads_strict`; in the documented API a
    null member is its absence (D47), in what is validated and what the handler reads."""

    async def _parse(self, stream: t.AsyncGenerator[bytes, None], scope: Scope) -> t.Any:
        text = b"".join([message async for message in stream]).decode(self._encoding)
        if not text:
            return None
        body = loads_strict(text)
        if not scope.get("path", "").startswith(API_PREFIX + "/"):
            return body
        read = without_null_members(body)
        if read is not body:
            # The handler reads the body from the request again: give it the one validated.
            self.MUTABLE_VALIDATION = True
        return read
