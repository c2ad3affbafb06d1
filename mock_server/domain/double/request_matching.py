"""What a request sent, matched as WireMock matches it: query parameters, headers and the body.

A journal pattern (`RequestPattern` in request_journal.py) may hold, beside its flat fields:

- `query`: `{name: matcher}`, each parameter matched by any of its values;
- `headers`: `{name: matcher}` (names in any case; a repeated header is its values joined by
  `, `, as the journal shows it);
- `body`: a matcher of the body's text;
- `json`: `{"equalToJson": value, "ignoreExtraElements": bool}`, or `{"matchesJsonPath":
  "$.path"}`, or `{"matchesJsonPath": {"expression": "$.path", <matcher>}}`, over the parsed body;
- `jsonPath`: `{"$.path": matcher}`, each path matched by any value it selects.

A matcher is a string (equal to it) or an object with one of `equalTo`, `contains`, `matches`
(a whole-text pattern of linear_regex's grammar), `absent` (true: not sent; false: sent, with any
value), and on JSON values also `equalToJson` (with `ignoreExtraElements`). A string matcher of
a JSON value compares the value's text: a string as itself, anything else as compact JSON
(`5`, `true`, `{"a":1}`).

JSON paths are a small subset of JSONPath: `$`, then `.name`, `['any name']`, `[N]` (from the
end when negative), `.*` and `[*]` (every member or element). No `..`, filters or slices.

A miss names the field and what was wanted and got (`query.destination: wanted 79165554433, got
79165554434`). The journal keeps only the start of a long query, headers or body (and never the
Authorization header, which a pattern may not name): a matcher whose answer depends on what was
cut is a miss that says so (`Miss.cut`), never a silent pass or failure; only `contains` found in
what was kept is a match.

Bounds: 32 names in each of `query`, `headers` and `jsonPath`, 256 characters a name, 8,192 a
text to compare with, a JSON value of 10,000 nodes nested 64 deep, a JSON path of 256
characters and 32 steps, and linear_regex's own.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from mock_server.domain.double.linear_regex import LinearRegex, PatternError, linear_regex
from mock_server.domain.errors import InvalidInput

__all__ = [
    "MATCHER_FIELDS",
    "NOT_JSON",
    "JsonPath",
    "Miss",
    "RecordedParts",
    "RequestMatchers",
    "json_path",
    "parse_json_body",
]

# The pattern fields this module reads (RequestPattern's flat fields are the others).
MATCHER_FIELDS: Final = ("query", "headers", "body", "json", "jsonPath")
MAX_NAMES: Final = 32
MAX_NAME_CHARS: Final = 256
MAX_TEXT_CHARS: Final = 8192
MAX_JSON_NODES: Final = 10_000
MAX_JSON_DEPTH: Final = 64
MAX_PATH_CHARS: Final = 256
MAX_PATH_STEPS: Final = 32
# A value shown in a miss or an error is cut to this many characters.
SHOWN_CHARS: Final = 120

TEXT_KINDS: Final = ("equalTo", "contains", "matches")
VALUE_KINDS: Final = (*TEXT_KINDS, "absent")
JSON_VALUE_KINDS: Final = (*VALUE_KINDS, "equalToJson")
NOT_JSON: Final = object()

MSG_OBJECT = "Field '{name}': expected an object of names and matchers, got {value}"
MSG_NAMES = "Field '{name}': at most " + str(MAX_NAMES) + " names, got {count}"
MSG_NAME = "Field '{name}': a name of 1 to " + str(MAX_NAME_CHARS) + " characters, got {value}"
MSG_MATCHER = (
    "Field '{name}': expected a string (equal to it) or an object with one of {kinds}, got {value}"
)
MSG_TEXT = (
    "Field '{name}': expected a string of at most "
    + str(MAX_TEXT_CHARS)
    + " characters, got {value}"
)
MSG_PATTERN = "Field '{name}': {problem} in the pattern {value} (see docs/request-matching.md)"
MSG_ABSENT = "Field '{name}': expected true (not sent) or false (sent), got {value}"
MSG_IGNORE = "Field '{name}.ignoreExtraElements': expected true or false, got {value}"
MSG_JSON_SIZE = (
    "Field '{name}': a JSON value of at most "
    + str(MAX_JSON_NODES)
    + " nodes nested at most "
    + str(MAX_JSON_DEPTH)
    + " deep"
)
MSG_JSON_MATCHER = (
    'Field \'json\': expected {{"equalToJson": value, "ignoreExtraElements": bool}} or '
    '{{"matchesJsonPath": "$.path" or {{"expression": "$.path", <matcher>}}}}, got {value}'
)
MSG_JSON_PATH = (
    "Field '{name}': {problem} in the JSON path {value} "
    "(supported: $, .name, ['name'], [N], .*, [*])"
)
MSG_AUTHORIZATION = (
    "Field 'headers.authorization': the journal keeps the token as its claims, never the "
    "header: match `companyId` (the company the token names) or the advisory BEARER_PREFIX"
)


def _shown(value: Any) -> str:
    """A value in a message: text as itself, anything else as JSON; cut short."""
    text = value if isinstance(value, str) else _json_text(value)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + f"… ({len(text)} characters)"


def _json_text(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    except (RecursionError, TypeError, ValueError):
        return "(a value nested too deeply to show)"


def parse_json_body(text: str) -> Any:
    """The body as strict JSON (no NaN or Infinity), or NOT_JSON."""
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        return NOT_JSON


def _refuse_constant(value: str) -> Any:
    raise ValueError(value)


@dataclass(frozen=True, slots=True)
class RecordedParts:
    """What the journal kept of a request, decoded, for the matchers. A `*_cut` is None when
    the part was kept whole, else the words saying how much of it was kept. The body's JSON is
    parsed when a matcher asks (`json()`), never kept: 4 KiB of JSON can take 100 KB as
    Python objects."""

    query: Mapping[str, list[str]]
    headers: Mapping[str, str]
    body: str
    query_cut: str | None = None
    headers_cut: str | None = None
    body_cut: str | None = None

    def json(self) -> Any:
        """The body as strict JSON, or NOT_JSON (also when it was cut)."""
        return NOT_JSON if self.body_cut is not None else parse_json_body(self.body)


@dataclass(frozen=True, slots=True)
class Miss:
    """A field a request missed: `field: wanted ..., got ...`; `cut` when the journal did not
    keep what would decide it."""

    field: str
    text: str
    cut: bool = False

    def __str__(self) -> str:
        return f"{self.field}: {self.text}"


def _missed(field: str, wanted: str, got: str, cut: str | None = None) -> Miss:
    text = f"wanted {wanted}, got {got}"
    return Miss(field, f"{text} ({cut}: the journal cannot tell)" if cut else text, cut is not None)


# -- matchers -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextMatcher:
    kind: str  # equalTo, contains, matches
    value: str
    regex: LinearRegex | None = None

    def test(self, text: str) -> bool:
        if self.kind == "equalTo":
            return text == self.value
        if self.kind == "contains":
            return self.value in text
        assert self.regex is not None
        return self.regex.fullmatch(text)

    def wanted(self) -> str:
        shown = _shown(self.value)
        return {"equalTo": shown, "contains": f"containing {shown}"}.get(
            self.kind, f"matching {shown}"
        )

    def to_json(self) -> dict[str, Any]:
        return {self.kind: self.value}


@dataclass(frozen=True, slots=True)
class Presence:
    absent: bool

    def wanted(self) -> str:
        return "absent" if self.absent else "present"

    def to_json(self) -> dict[str, Any]:
        return {"absent": self.absent}


@dataclass(frozen=True, slots=True)
class JsonEquality:
    value: Any
    ignore_extra: bool = False

    def wanted(self) -> str:
        extra = " (extra fields ignored)" if self.ignore_extra else ""
        return f"JSON {_shown(self.value)}{extra}"

    def difference(self, got: Any, at: str = "$") -> tuple[str, str, str] | None:
        """The first place where `got` differs: (where, wanted, got); None if it matches."""
        return _json_difference(self.value, got, self.ignore_extra, at)

    def to_json(self) -> dict[str, Any]:
        shown: dict[str, Any] = {"equalToJson": self.value}
        if self.ignore_extra:
            shown["ignoreExtraElements"] = True
        return shown


ValueMatcher = TextMatcher | Presence
JsonValueMatcher = TextMatcher | Presence | JsonEquality


def _json_difference(
    wanted: Any, got: Any, ignore_extra: bool, at: str
) -> tuple[str, str, str] | None:
    if isinstance(wanted, dict):
        if not isinstance(got, dict):
            return at, _shown(wanted), _shown(got)
        for key, value in wanted.items():
            where = _member(at, key)
            if key not in got:
                return where, _shown(value), "no such field"
            found = _json_difference(value, got[key], ignore_extra, where)
            if found is not None:
                return found
        if not ignore_extra:
            for key in got:
                if key not in wanted:
                    return _member(at, key), "no such field", _shown(got[key])
        return None
    if isinstance(wanted, list):
        if not isinstance(got, list):
            return at, _shown(wanted), _shown(got)
        if len(wanted) != len(got):
            return at, f"{len(wanted)} elements", f"{len(got)} elements: {_shown(got)}"
        for index, (value, item) in enumerate(zip(wanted, got, strict=True)):
            found = _json_difference(value, item, ignore_extra, f"{at}[{index}]")
            if found is not None:
                return found
        return None
    if not _json_scalars_equal(wanted, got):
        return (
            at,
            _json_text(wanted),
            _json_text(got) if not isinstance(got, dict | list) else _shown(got),
        )
    return None


def _json_scalars_equal(wanted: Any, got: Any) -> bool:
    if isinstance(wanted, bool) or isinstance(got, bool) or wanted is None or got is None:
        return type(wanted) is type(got) and wanted == got
    if isinstance(wanted, int | float):
        return isinstance(got, int | float) and wanted == got
    return isinstance(got, str) and wanted == got


def _member(at: str, key: str) -> str:
    if key.isidentifier():
        return f"{at}.{key}"
    return f"{at}[{json.dumps(key, ensure_ascii=False)}]"


def _value_text(value: Any) -> str:
    """A JSON value as text matchers see it: a string as itself, else compact JSON."""
    return value if isinstance(value, str) else _json_text(value)


# -- JSON paths ---------------------------------------------------------------------------

_WILDCARD: Final = object()


@dataclass(frozen=True, slots=True)
class JsonPath:
    """A JSONPath of the subset: each step a key (str), an index (int) or every child."""

    expression: str
    steps: tuple[object, ...]

    def select(self, document: Any) -> list[Any]:
        nodes = [document]
        for step in self.steps:
            selected: list[Any] = []
            for node in nodes:
                if step is _WILDCARD:
                    if isinstance(node, dict):
                        selected.extend(node.values())
                    elif isinstance(node, list):
                        selected.extend(node)
                elif isinstance(step, str):
                    if isinstance(node, dict) and step in node:
                        selected.append(node[step])
                elif (
                    isinstance(node, list)
                    and isinstance(step, int)
                    and -len(node) <= step < len(node)
                ):
                    selected.append(node[step])
            nodes = selected
        return nodes


def json_path(expression: str, name: str = "jsonPath") -> JsonPath:
    """The parsed `expression`; InvalidInput naming field `name` if it is outside the subset."""

    def fail(problem: str) -> InvalidInput:
        return InvalidInput(
            MSG_JSON_PATH.format(name=name, problem=problem, value=_shown(expression))
        )

    if not isinstance(expression, str) or not expression.startswith("$"):
        raise fail("a path must start with $")
    if len(expression) > MAX_PATH_CHARS:
        raise fail(f"more than {MAX_PATH_CHARS} characters")
    steps: list[object] = []
    at = 1
    while at < len(expression):
        if len(steps) >= MAX_PATH_STEPS:
            raise fail(f"more than {MAX_PATH_STEPS} steps")
        char = expression[at]
        if char == "." and expression.startswith(".*", at):
            steps.append(_WILDCARD)
            at += 2
        elif char == ".":
            end = at + 1
            while end < len(expression) and expression[end] not in ".[]'\" ":
                end += 1
            if end == at + 1:
                raise fail(f"no name after '.' at character {at + 1}")
            steps.append(expression[at + 1 : end])
            at = end
        elif char == "[":
            close = expression.find("]", at)
            inside = expression[at + 1 : close] if close > 0 else ""
            quoted = len(inside) >= 2 and inside[0] == inside[-1] and inside[0] in "'\""
            if quoted and inside[0] not in inside[1:-1]:
                steps.append(inside[1:-1])
            elif inside == "*":
                steps.append(_WILDCARD)
            elif inside.lstrip("-").isdigit() and inside.isascii() and len(inside) <= 7:
                steps.append(int(inside))
            else:
                raise fail(f"'[' at character {at + 1} holds no 'name', N or *")
            at = close + 1
        else:
            raise fail(f"{char!r} at character {at + 1} (steps start with '.' or '[')")
    return JsonPath(expression, tuple(steps))


# -- parsing ------------------------------------------------------------------------------


def _json_within_bounds(value: Any) -> bool:
    """Whether `value` has at most MAX_JSON_NODES nodes nested MAX_JSON_DEPTH deep (iteratively,
    whatever its depth)."""
    stack = [(value, 1)]
    nodes = 0
    while stack:
        node, depth = stack.pop()
        nodes += 1
        if nodes > MAX_JSON_NODES or depth > MAX_JSON_DEPTH:
            return False
        if isinstance(node, dict):
            stack.extend((child, depth + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node)
    return True


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str) or len(value) > MAX_TEXT_CHARS:
        raise InvalidInput(MSG_TEXT.format(name=name, value=_shown(value)))
    return value


def _matcher(spec: Any, name: str, kinds: tuple[str, ...]) -> JsonValueMatcher:
    """One matcher of `kinds` from its JSON (a string: equalTo)."""
    if isinstance(spec, str):
        return TextMatcher("equalTo", _text(spec, name))
    wrong = InvalidInput(MSG_MATCHER.format(name=name, kinds=", ".join(kinds), value=_shown(spec)))
    if not isinstance(spec, dict):
        raise wrong
    named = [kind for kind in kinds if kind in spec]
    allowed = {*named, "ignoreExtraElements"} if named == ["equalToJson"] else set(named)
    if len(named) != 1 or set(spec) - allowed:
        raise wrong
    kind = named[0]
    value = spec[kind]
    if kind == "absent":
        if not isinstance(value, bool):
            raise InvalidInput(MSG_ABSENT.format(name=f"{name}.absent", value=_shown(value)))
        return Presence(value)
    if kind == "equalToJson":
        ignore = spec.get("ignoreExtraElements", False)
        if not isinstance(ignore, bool):
            raise InvalidInput(MSG_IGNORE.format(name=name, value=_shown(ignore)))
        if not _json_within_bounds(value):
            raise InvalidInput(MSG_JSON_SIZE.format(name=f"{name}.equalToJson"))
        return JsonEquality(value, ignore)
    text = _text(value, f"{name}.{kind}")
    if kind != "matches":
        return TextMatcher(kind, text)
    try:
        return TextMatcher(kind, text, linear_regex(text))
    except PatternError as error:
        raise InvalidInput(
            MSG_PATTERN.format(name=f"{name}.matches", problem=error, value=_shown(text))
        ) from None


def _named(spec: Any, name: str, read: Callable[[str, Any], Any]) -> tuple[tuple[str, Any], ...]:
    """`{name: matcher}` of field `name`, each read by `read(its field name, its JSON)`."""
    if not isinstance(spec, dict):
        raise InvalidInput(MSG_OBJECT.format(name=name, value=_shown(spec)))
    if len(spec) > MAX_NAMES:
        raise InvalidInput(MSG_NAMES.format(name=name, count=len(spec)))
    named = []
    for key, value in spec.items():
        if not 1 <= len(key) <= MAX_NAME_CHARS:
            raise InvalidInput(MSG_NAME.format(name=name, value=_shown(key)))
        named.append((key, read(f"{name}.{key}", value)))
    return tuple(named)


@dataclass(frozen=True, slots=True)
class JsonPathMatch:
    """`matchesJsonPath`: the path selects something, and if `matcher` is given, something it
    selects matches it (`absent`: it selects nothing)."""

    path: JsonPath
    matcher: JsonValueMatcher | None = None

    def to_json(self) -> dict[str, Any]:
        if self.matcher is None:
            return {"matchesJsonPath": self.path.expression}
        return {"matchesJsonPath": {"expression": self.path.expression, **self.matcher.to_json()}}

    def miss(self, document: Any, prefix: str) -> Miss | None:
        """What `document` missed, named `{prefix} {the path}`; None if it matches."""
        field = f"{prefix} {self.path.expression}"
        selected = self.path.select(document)
        matcher = self.matcher
        if isinstance(matcher, Presence):
            if bool(selected) != matcher.absent:
                return None
            return _missed(field, matcher.wanted(), _selected(selected) if selected else "nothing")
        if not selected:
            wanted = "a value" if matcher is None else matcher.wanted()
            return _missed(field, wanted, "nothing (the path selects no value)")
        if matcher is None:
            return None
        if isinstance(matcher, JsonEquality):
            first = None
            for value in selected:
                found = matcher.difference(value, self.path.expression)
                if found is None:
                    return None
                first = first or found
            assert first is not None
            where, wanted, got = first
            return _missed(f"{prefix} {where}", wanted, got)
        if any(matcher.test(_value_text(value)) for value in selected):
            return None
        return _missed(field, matcher.wanted(), _selected(selected))


def _selected(values: list[Any]) -> str:
    return _shown(values[0]) if len(values) == 1 else _shown(values)


def _json_matcher(spec: Any) -> JsonEquality | JsonPathMatch:
    """The `json` field: equalToJson (with ignoreExtraElements) or matchesJsonPath."""
    wrong = InvalidInput(MSG_JSON_MATCHER.format(value=_shown(spec)))
    if not isinstance(spec, dict):
        raise wrong
    if "equalToJson" in spec:
        matcher = _matcher(spec, "json", ("equalToJson",))
        assert isinstance(matcher, JsonEquality)
        return matcher
    if set(spec) != {"matchesJsonPath"}:
        raise wrong
    path_spec = spec["matchesJsonPath"]
    if isinstance(path_spec, str):
        return JsonPathMatch(json_path(path_spec, "json.matchesJsonPath"))
    if not isinstance(path_spec, dict) or "expression" not in path_spec:
        raise wrong
    path = json_path(path_spec["expression"], "json.matchesJsonPath.expression")
    rest = {key: value for key, value in path_spec.items() if key != "expression"}
    if not rest:
        return JsonPathMatch(path)
    return JsonPathMatch(path, _matcher(rest, "json.matchesJsonPath", JSON_VALUE_KINDS))


def _value_matcher(name: str, spec: Any) -> ValueMatcher:
    matcher = _matcher(spec, name, VALUE_KINDS)
    assert not isinstance(matcher, JsonEquality)
    return matcher


def _header_matcher(name: str, spec: Any) -> ValueMatcher:
    if name.lower() == "headers.authorization":
        raise InvalidInput(MSG_AUTHORIZATION)
    return _value_matcher(name, spec)


def _path_matcher(name: str, spec: Any) -> JsonPathMatch:
    expression = name.removeprefix("jsonPath.")
    return JsonPathMatch(json_path(expression, name), _matcher(spec, name, JSON_VALUE_KINDS))


# -- the matchers of one pattern -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RequestMatchers:
    """The query, headers and body matchers of one journal pattern.

    Example::

        matchers = RequestMatchers.parse({"query": {"destination": {"matches": "7916.*"}}})
        matchers.misses(parts)  # [] when the request matches
    """

    query: tuple[tuple[str, ValueMatcher], ...] = ()
    headers: tuple[tuple[str, ValueMatcher], ...] = ()
    body: TextMatcher | None = None
    json: JsonEquality | JsonPathMatch | None = None
    json_path: tuple[JsonPathMatch, ...] = ()

    @classmethod
    def parse(cls, fields: Mapping[str, Any]) -> RequestMatchers | None:
        """From the control API's fields (those of MATCHER_FIELDS), each checked
        (InvalidInput naming it); None when the fields name no matcher."""
        if all(fields.get(name) is None for name in MATCHER_FIELDS):
            return None
        query: tuple[tuple[str, ValueMatcher], ...] = ()
        headers: tuple[tuple[str, ValueMatcher], ...] = ()
        json_paths: tuple[JsonPathMatch, ...] = ()
        if fields.get("query") is not None:
            query = _named(fields["query"], "query", _value_matcher)
        if fields.get("headers") is not None:
            headers = tuple(
                (name.lower(), matcher)
                for name, matcher in _named(fields["headers"], "headers", _header_matcher)
            )
        body = None
        if fields.get("body") is not None:
            matcher = _matcher(fields["body"], "body", TEXT_KINDS)
            assert isinstance(matcher, TextMatcher)
            body = matcher
        json_matcher = None if fields.get("json") is None else _json_matcher(fields["json"])
        if fields.get("jsonPath") is not None:
            json_paths = tuple(
                matcher for _, matcher in _named(fields["jsonPath"], "jsonPath", _path_matcher)
            )
        return cls(query, headers, body, json_matcher, json_paths)

    def to_json(self) -> dict[str, Any]:
        shown: dict[str, Any] = {}
        if self.query:
            shown["query"] = {name: m.to_json() for name, m in self.query}
        if self.headers:
            shown["headers"] = {name: m.to_json() for name, m in self.headers}
        if self.body is not None:
            shown["body"] = self.body.to_json()
        if self.json is not None:
            shown["json"] = self.json.to_json()
        if self.json_path:
            shown["jsonPath"] = {
                m.path.expression: {} if m.matcher is None else m.matcher.to_json()
                for m in self.json_path
            }
        return shown

    def misses(self, parts: RecordedParts) -> list[Miss]:
        """What `parts` missed, field by field."""
        missed: list[Miss] = []
        for name, matcher in self.query:
            missed.extend(
                _value_miss(f"query.{name}", matcher, parts.query.get(name), parts.query_cut)
            )
        for name, matcher in self.headers:
            value = parts.headers.get(name)
            missed.extend(
                _value_miss(
                    f"headers.{name}",
                    matcher,
                    None if value is None else [value],
                    parts.headers_cut,
                )
            )
        if self.body is not None:
            missed.extend(_value_miss("body", self.body, [parts.body], parts.body_cut))
        if self.json is not None or self.json_path:
            missed.extend(self._json_misses(parts))
        return missed

    def _json_misses(self, parts: RecordedParts) -> list[Miss]:
        checks: list[tuple[str, JsonEquality | JsonPathMatch]] = [
            ("jsonPath", m) for m in self.json_path
        ]
        if self.json is not None:
            checks.insert(0, ("json", self.json))
        document = parts.json()
        if document is NOT_JSON:
            got = "a body that is not JSON" if parts.body_cut is None else "a body cut short"
            return [
                _missed(prefix, _check_wanted(check), got, parts.body_cut)
                for prefix, check in checks
            ]
        missed = []
        for prefix, check in checks:
            if isinstance(check, JsonEquality):
                found = check.difference(document)
                if found is not None:
                    where, wanted, got = found
                    missed.append(_missed(f"json {where}", wanted, got))
            elif (miss := check.miss(document, prefix)) is not None:
                missed.append(miss)
        return missed


def _check_wanted(check: JsonEquality | JsonPathMatch) -> str:
    if isinstance(check, JsonEquality):
        return check.wanted()
    matcher = check.matcher
    return f"{check.path.expression} " + ("present" if matcher is None else matcher.wanted())


def _value_miss(
    field: str, matcher: ValueMatcher, values: list[str] | None, cut: str | None
) -> list[Miss]:
    """The miss of a query parameter's values, a header's value or the body (None: not sent)."""
    if isinstance(matcher, Presence):
        if (values is None) == matcher.absent:
            return (
                []
                if cut is None or values is not None
                else [_missed(field, "absent", "not in what was kept", cut)]
            )
        got = (
            "no such value" if values is None else _shown(values[0] if len(values) == 1 else values)
        )
        return [_missed(field, matcher.wanted(), got, None if values is not None else cut)]
    if values is not None and any(matcher.test(value) for value in values):
        if cut is None or matcher.kind == "contains":
            return []  # what was kept already holds it
        return [_missed(field, matcher.wanted(), _shown(values[-1]), cut)]
    got = "not sent" if values is None else _shown(values[0] if len(values) == 1 else values)
    return [_missed(field, matcher.wanted(), got, cut)]
