"""JSON request bodies as strict JSON (RFC 8259), for both APIs.

Connexion parses JSON bodies with Python's `json.loads`, which accepts `NaN`, `Infinity` and
`-Infinity` (not JSON; Jackson, behind the real Spring service, refuses them by default) and
raises RecursionError on deeply nested input, and ValueError on an integer of more than
4,300 digits (http/integers.py). A NaN passes every `minimum`/`maximum` check of
the schema and then poisons whatever it reaches (the clock, a stored number); a RecursionError
or a ValueError is a 500. Here each is the 400 of any other malformed body, before validation.

A string holding half of a UTF-16 surrogate pair (`"\\udc00"` alone) is no text: I-JSON (RFC
7493) forbids it, RFC 8259 leaves what it does unpredictable, and here it was a 500 wherever it
reached the state (SQLite stores UTF-8). It is a 400 naming the escape.

A body that breaks a relation between fields (an `anyOf`, `oneOf` or `not` of the schema, e.g.
a fault rule with two actions) is refused with that relation's `description`, which the spec
writes as the refusal; jsonschema's own message would print the schema.

Overrides `JSONRequestBodyValidator._parse` and `_validate` of Connexion 3.3 (pinned
`>=3.3,<3.4`): the stock `_parse` joins the stream, decodes it and calls `json.loads`, and
`_validate` turns jsonschema's error into a BadRequestProblem; these do the same with the checks
added.
"""

from __future__ import annotations

import json
import re
import typing as t

from connexion.exceptions import BadRequestProblem
from connexion.json_schema import format_error_with_path
from connexion.validators import JSONRequestBodyValidator
from jsonschema import ValidationError
from starlette.types import Scope

from mock_server.http.integers import json_int

__all__ = [
    "MSG_LONE_SURROGATE",
    "MSG_NON_FINITE",
    "MSG_TOO_DEEP",
    "StrictJSONRequestBodyValidator",
    "loads_strict",
    "refusal",
]

MSG_NON_FINITE = "Request body: {value} is not a JSON number (RFC 8259 has no NaN or Infinity)"
MSG_TOO_DEEP = "Request body: JSON nested too deeply to be a request of this API"
MSG_LONE_SURROGATE = (
    "Request body: a string holds \\u{code:04x}, half of a UTF-16 surrogate pair, which is no "
    "character (I-JSON, RFC 7493)"
)
# A `\uD800`-`\uDFFF` escape in the text: only then can a parsed string hold a surrogate
# (the text itself is decoded UTF-8, which has none).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# The keywords that relate fields to each other, and whose refusal the spec's words say.
_RELATIONS = frozenset({"anyOf", "oneOf", "not"})
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
        value = json.loads(text, parse_constant=_refuse_constant, parse_int=json_int)
    except json.JSONDecodeError as exc:
        raise BadRequestProblem(detail=str(exc)) from exc
    except RecursionError as exc:  # pragma: no cover - the depth check comes first
        raise BadRequestProblem(detail=MSG_TOO_DEEP) from exc
    if _SURROGATE_ESCAPE.search(text):
        _refuse_surrogates(value)
    return value


def _refuse_surrogates(value: t.Any) -> None:
    """BadRequestProblem if a string (or a key) in `value` holds a lone surrogate; the
    parser joins a pair's two escapes into one character."""
    if isinstance(value, str):
        found = _SURROGATE.search(value)
        if found:
            raise BadRequestProblem(detail=MSG_LONE_SURROGATE.format(code=ord(found[0])))
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_surrogates(key)
            _refuse_surrogates(item)
    elif isinstance(value, list):
        for item in value:
            _refuse_surrogates(item)


def refusal(error: ValidationError) -> str:
    """The 400's detail for a body the schema refuses: the `description` of the relation it
    breaks (the nearest `anyOf`/`oneOf`/`not` with one, jsonschema's best match or a branch
    inside it), else jsonschema's message with the path, as Connexion words it."""
    node = error
    while True:
        described = node.schema.get("description") if isinstance(node.schema, dict) else None
        if node.validator in _RELATIONS and isinstance(described, str):
            return described
        if not isinstance(node.parent, ValidationError):
            break
        node = node.parent
    return f"{error.message}{format_error_with_path(exception=error)}"


class StrictJSONRequestBodyValidator(JSONRequestBodyValidator):  # type: ignore[misc]
    """Connexion's JSON body validator, parsing with `loads_strict` and refusing a body the
    schema refuses with the words of the relation it breaks (`refusal`)."""

    async def _parse(self, stream: t.AsyncGenerator[bytes, None], scope: Scope) -> t.Any:
        body = b"".join([message async for message in stream]).decode(self._encoding)
        if not body:
            return None
        return loads_strict(body)

    def _validate(self, body: t.Any) -> dict[str, t.Any] | None:
        if not self._nullable and body is None:
            raise BadRequestProblem("Request body must not be empty")
        try:
            validated: dict[str, t.Any] | None = self._validator.validate(body)
        except ValidationError as exc:
            raise BadRequestProblem(detail=refusal(exc)) from exc
        return validated
