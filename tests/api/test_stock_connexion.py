"""The mock answers as Connexion as it ships would, wherever it does not differ on purpose.

Two apps are built from the same spec, handlers, security and error handlers, each over its
own PBX pinned at the same instant: the mock as it runs (`create_app()`, every override of
`http/compat_connexion.py`), and Connexion as it ships (`create_app(overrides=())`: no
subclass, no replaced validator or parser, no private attribute touched). Hypothesis draws
requests of every operation of the API spec, valid and not (parameters from their schemas or
any text, missing or unknown ones, bodies from their schemas, any JSON or any text, wrong
content types, no or a foreign token); each goes to both, in the same order, and the answers
must be the same bytes: status, headers and body.

Where the corpus must leave an input out or normalise an answer is decided by the deliberate
differences (`compat_connexion.DIFFERENCES`), each by a predicate on the input, and nowhere
else; `test_each_deliberate_difference_is_one` shows each predicate's example really is
answered differently by stock Connexion with that override alone, so that a predicate cannot
quietly widen into hiding a speed-up's difference.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple
from urllib.parse import quote

import pytest
from connexion.exceptions import BadRequestProblem
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from jsonschema import Draft4Validator
from starlette.testclient import TestClient

from mock_server.domain.pbx import Pbx
from mock_server.http.app import APP_KINDS, AppKind, create_app
from mock_server.http.compat_connexion import DIFFERENCES, KEPT, Override
from mock_server.http.formats import PARAMETER_FORMATS, date_time_hint, is_date_time, simple_check
from mock_server.http.integers import too_long
from mock_server.http.json_body import loads_strict, without_null_members
from tests.conftest import CONTROL, SMALL_HISTORY
from tests.pinned import pinned_config
from tests.spec_utils import load_spec, resolve

API = "/crm/openapi"
_METHODS = ("get", "put", "post", "delete", "patch")
_STOCK_FORMATS = Draft4Validator.FORMAT_CHECKER


class Operation(NamedTuple):
    method: str
    path: str
    parameters: tuple[dict[str, Any], ...]
    bodies: dict[str, dict[str, Any]]  # content type -> schema, references resolved


def _resolved(spec: dict[str, Any], node: Any) -> Any:
    node = resolve(spec, node)
    if isinstance(node, dict):
        return {key: _resolved(spec, value) for key, value in node.items()}
    if isinstance(node, list):
        return [_resolved(spec, item) for item in node]
    return node


def _operations() -> list[Operation]:
    """Every operation of the API spec, read from it."""
    spec = load_spec()
    operations = []
    for path, item in spec["paths"].items():
        for method in _METHODS:
            if method not in item:
                continue
            operation = item[method]
            declared = [*item.get("parameters", []), *operation.get("parameters", [])]
            body = _resolved(spec, operation.get("requestBody", {}))
            operations.append(
                Operation(
                    method.upper(),
                    path,
                    tuple(_resolved(spec, parameter) for parameter in declared),
                    {
                        kind: media.get("schema", {})
                        for kind, media in body.get("content", {}).items()
                    },
                )
            )
    return operations


OPERATIONS = _operations()

# -- Values -------------------------------------------------------------------------------------

_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
_HEADER_TEXT = st.text(string.printable.strip() + " ", max_size=20)


def _scalar(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values a scalar schema admits (mostly), as Python values."""
    kind = schema.get("type")
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if kind == "integer":
        return st.integers(schema.get("minimum", -(2**63)) - 1, schema.get("maximum", 2**63) + 1)
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if "pattern" in schema:
        return st.from_regex(schema["pattern"], fullmatch=schema["pattern"].startswith("^"))
    return _TEXT


def _text(value: Any) -> str:
    """How a parameter's value is written in a URL."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _parameter(schema: dict[str, Any]) -> st.SearchStrategy[list[str]]:
    """A parameter's value as the texts a request carries (several for an exploded array):
    from its schema, or any text."""
    if schema.get("type") == "array":
        # No commas: an exploded array's items with commas are REPEATED_QUERY_ITEMS' ground.
        item = st.one_of(_scalar(schema.get("items", {})).map(_text), _TEXT)
        return st.lists(item.filter(lambda text: "," not in text), min_size=1, max_size=3)
    return st.one_of(_scalar(schema).map(_text), _TEXT).map(lambda text: [text])


def _json_value(schema: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """A JSON value following `schema` (loosely: missing and extra members, wrong types)."""
    kind = schema.get("type")
    if kind == "object" and depth < 4:
        properties = schema.get("properties", {})
        members = {
            name: _json_value(sub, depth + 1)
            for name, sub in properties.items()
            if not sub.get("readOnly")
        }
        return st.fixed_dictionaries({}, optional=members)
    if kind == "array" and depth < 4:
        return st.lists(_json_value(schema.get("items", {}), depth + 1), max_size=3)
    return st.one_of(_scalar(schema), st.none()) if kind else _ANY_JSON


_ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | _TEXT,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_TEXT, children, max_size=3),
    max_leaves=8,
)


def _body(bodies: dict[str, dict[str, Any]]) -> st.SearchStrategy[tuple[str, str] | None]:
    """(content type, text) of a body, or no body."""
    choices: list[st.SearchStrategy[tuple[str, str] | None]] = [st.none()]
    for content_type, schema in bodies.items():
        if "json" in content_type:
            value = st.one_of(_json_value(schema), _ANY_JSON).map(
                lambda v: json.dumps(v, ensure_ascii=False)
            )
            text = st.one_of(value, _TEXT, st.sampled_from(["", "{", "[1,]", '{"a":'])).map(str)
        else:
            text = st.one_of(_scalar(schema).map(_text), _TEXT)
        kinds = st.sampled_from([content_type, "application/json", "text/plain", "x/y"])
        choices.append(st.tuples(kinds, text))
    return st.one_of(choices)


class Request(NamedTuple):
    operation: Operation
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: tuple[str, str] | None
    token: str  # "ours" (each app's own), "none" or a foreign value


@st.composite
def requests(draw: st.DrawFn) -> Request:
    operation = draw(st.sampled_from(OPERATIONS))
    path = operation.path
    query: list[tuple[str, str]] = []
    headers: dict[str, str] = {}
    for parameter in operation.parameters:
        schema = parameter.get("schema", {})
        where = parameter["in"]
        if where == "path":
            value = draw(_parameter(schema))[0]
            path = path.replace("{" + parameter["name"] + "}", quote(value, safe="") or "0")
            continue
        # Required ones are sometimes left out, optional ones sometimes sent.
        if not draw(st.integers(0, 9).map(bool) if parameter.get("required") else st.booleans()):
            continue
        if where == "query":
            query += [(parameter["name"], text) for text in draw(_parameter(schema))]
        elif where == "header":
            headers[parameter["name"]] = draw(_HEADER_TEXT)
    if draw(st.integers(0, 9)) == 0:
        query.append((draw(st.sampled_from(["unknown", "page", "size"])), draw(_TEXT)))
    token = draw(st.sampled_from(["ours"] * 8 + ["none", "Bearer x"]))
    return Request(operation, path, query, headers, draw(_body(operation.bodies)), token)


# -- Where the mock differs on purpose ----------------------------------------------------------


def _date_time_differs(request: Request) -> bool:
    """DATE_TIME: a `date-time` value RFC 3339 and the installed checker judge differently, or
    one the mock's refusal adds a hint to (`formats.date_time_hint`)."""
    formats = {
        p["name"]
        for p in request.operation.parameters
        if p.get("schema", {}).get("format") == "date-time"
    }
    return any(
        is_date_time(value) != _STOCK_FORMATS.conforms(value, "date-time")
        or date_time_hint(value) is not None
        for name, value in request.query
        if name in formats
    )


def _repeated_items_differ(request: Request) -> bool:
    """REPEATED_QUERY_ITEMS: an exploded query array's item holding a comma."""
    arrays = {
        p["name"]
        for p in request.operation.parameters
        if p.get("schema", {}).get("type") == "array"
    }
    return any(name in arrays and "," in value for name, value in request.query)


def _outcome(loads: Callable[[str], Any], text: str) -> tuple[str, Any]:
    try:
        return "value", loads(text)
    except BadRequestProblem as exc:
        return "400", exc.detail
    except json.JSONDecodeError as exc:
        return "400", str(exc)
    except (ValueError, RecursionError) as exc:
        return "500", type(exc).__name__


def _strict_json_differs(request: Request) -> bool:
    """STRICT_JSON: a JSON body `json.loads` and `loads_strict` read differently, or one with
    a null member, which the documented API reads as absent (D47)."""
    if request.body is None or "json" not in request.body[0] or not request.body[1]:
        return False
    text = request.body[1]
    stock, strict = _outcome(json.loads, text), _outcome(loads_strict, text)
    if stock != strict:
        return True
    kind, body = strict
    return kind == "value" and without_null_members(body) is not body


def _long_path_integer(request: Request) -> bool:
    """BOUNDED_PATH_INTEGERS: an integer path parameter of more digits than Python converts."""
    return any(
        re.fullmatch(r"[0-9]+", segment) and too_long(segment)
        for segment in request.path.split("/")
    )


LEFT_OUT: dict[Override, Callable[[Request], bool]] = {
    Override.DATE_TIME: _date_time_differs,
    Override.REPEATED_QUERY_ITEMS: _repeated_items_differ,
    Override.STRICT_JSON: _strict_json_differs,
    Override.BOUNDED_PATH_INTEGERS: _long_path_integer,
}
_NAMED = re.compile(r"(Query|Path|Header|Cookie|Formdata) parameter '[^']*': (.*)", re.DOTALL)


def _unnamed(body: bytes) -> bytes:
    """NAMED_PARAMETERS: the mock's `Query parameter 'size': <jsonschema's first line>` as
    stock words it (jsonschema's first line alone; the renderer keeps only that line)."""
    try:
        problem = json.loads(body)
    except ValueError:
        return body
    if not isinstance(problem, dict) or not isinstance(problem.get("message"), str):
        return body
    named = _NAMED.fullmatch(problem["message"])
    if named is None:
        return body
    problem["message"] = named[2]
    return json.dumps(problem, ensure_ascii=False).encode()


# -- The two apps -------------------------------------------------------------------------------


class Answer(NamedTuple):
    status: int
    headers: list[tuple[str, str]]
    body: bytes


class Mock:
    """One app over its own pinned PBX, with a TestClient."""

    def __init__(self, kind: AppKind, overrides: frozenset[Override] | tuple[()]) -> None:
        self.pbx = Pbx(pinned_config(**SMALL_HISTORY))
        app = create_app(self.pbx, kind=kind, validate_responses=True, overrides=overrides)
        self.client = TestClient(app, raise_server_exceptions=False, headers=CONTROL)

    def __enter__(self) -> Mock:
        self.client.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.__exit__(*exc)
        self.pbx.close()

    def send(self, request: Request) -> Answer:
        headers = dict(request.headers)
        if request.token == "ours":
            headers["Authorization"] = self.client.post("/mock/tokens").json()["accessToken"]
        elif request.token != "none":
            headers["Authorization"] = request.token
        content = None
        if request.body is not None:
            headers["Content-Type"], text = request.body
            content = text.encode()
        response = self.client.request(
            request.operation.method,
            API + request.path,
            params=request.query,
            headers=headers,
            content=content,
        )
        kept = [(k, v) for k, v in response.headers.multi_items() if k != "content-length"]
        return Answer(response.status_code, kept, response.content)


@pytest.fixture(scope="module", params=APP_KINDS)
def both(request: pytest.FixtureRequest) -> Iterator[tuple[Mock, Mock]]:
    with Mock(request.param, KEPT) as ours, Mock(request.param, ()) as stock:
        yield ours, stock


def _same(ours: Answer, stock: Answer) -> bool:
    if ours == stock:
        return True
    return ours._replace(body=_unnamed(ours.body)) == stock


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(request=requests())
def test_answers_are_stock_connexions(both: tuple[Mock, Mock], request: Request) -> None:
    assume(not any(left_out(request) for left_out in LEFT_OUT.values()))
    ours, stock = both
    mine, theirs = ours.send(request), stock.send(request)
    assert _same(mine, theirs), f"{request}\nours:  {mine}\nstock: {theirs}"


# -- Each deliberate difference is one ----------------------------------------------------------

_WINDOW = [("start", "2026-03-01T00:00:00Z"), ("end", "2026-03-02T00:00:00Z")]


def _example(method: str, path: str, **fields: Any) -> Request:
    operation = next(o for o in OPERATIONS if o.method == method and o.path == path)
    concrete = fields.pop("concrete", path)
    return Request(operation, concrete, fields.get("query", []), {}, fields.get("body"), "ours")


EXAMPLES: dict[Override, Request] = {
    Override.DATE_TIME: _example(
        "GET", "/call-records/info", query=[("start", "0000-01-01T00:00:00Z"), _WINDOW[1]]
    ),
    Override.REPEATED_QUERY_ITEMS: _example(
        "GET", "/call-records/info", query=[*_WINDOW, ("sort", "date,DESC"), ("sort", "callType")]
    ),
    Override.STRICT_JSON: _example(
        "POST", "/managers", body=("application/json", '{"employeeId": NaN}')
    ),
    Override.BOUNDED_PATH_INTEGERS: _example(
        "GET", "/managers/{id}", concrete="/managers/" + "9" * 5000
    ),
    Override.NAMED_PARAMETERS: _example(
        "GET", "/call-records/info", query=[*_WINDOW, ("size", "0x")]
    ),
}


def test_every_deliberate_difference_has_an_example() -> None:
    assert set(EXAMPLES) == DIFFERENCES
    assert set(LEFT_OUT) == DIFFERENCES - {Override.NAMED_PARAMETERS}


@pytest.mark.parametrize("difference", sorted(DIFFERENCES))
def test_each_deliberate_difference_is_one(difference: Override) -> None:
    """Stock Connexion with this one override answers the example otherwise than stock; the
    corpus leaves the example out (or normalises its answer) by this override's predicate."""
    example = EXAMPLES[difference]
    with Mock("async", frozenset({difference})) as alone, Mock("async", ()) as stock:
        mine, theirs = alone.send(example), stock.send(example)
    assert mine != theirs
    if difference is Override.NAMED_PARAMETERS:
        assert _same(mine, theirs)
    else:
        assert LEFT_OUT[difference](example)
        others = [o for o, left_out in LEFT_OUT.items() if o != difference and left_out(example)]
        assert others == []


# -- simple_check (SIMPLE_CHECK) ----------------------------------------------------------------


def _parameter_schemas() -> list[dict[str, Any]]:
    """Each parameter's schema, with its references resolved (as Connexion hands it over)."""
    return [p["schema"] for operation in OPERATIONS for p in operation.parameters]


SCHEMAS = _parameter_schemas()
SCALARS = st.one_of(
    st.integers(min_value=-(2**40), max_value=2**40),
    st.booleans(),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(
        ["2026-03-04T15:00:00+03:00", "2026-03-04T12:00:00.000Z", "date,DESC", "79161234567", ""]
    ),
    st.none(),
)
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=3))


@pytest.mark.parametrize("formats", [PARAMETER_FORMATS, _STOCK_FORMATS], ids=["ours", "stock"])
def test_simple_check_understands_the_specs_parameters(formats: Any) -> None:
    assert SCHEMAS
    understood = [s for s in SCHEMAS if simple_check(s, formats) is not None]
    assert understood == SCHEMAS


@settings(max_examples=500, deadline=None)
@given(index=st.integers(min_value=0, max_value=len(SCHEMAS) - 1), value=VALUES)
def test_simple_check_passes_only_what_jsonschema_admits(index: int, value: Any) -> None:
    schema = SCHEMAS[index]
    for formats in (PARAMETER_FORMATS, _STOCK_FORMATS):
        check = simple_check(schema, formats)
        if check is not None and check(value):
            assert Draft4Validator(schema, format_checker=formats).is_valid(value)
