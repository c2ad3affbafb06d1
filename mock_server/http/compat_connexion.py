"""Everything the mock changes in Connexion, in one place: each override, what it stands for,
why, and what it is worth.

Written for Connexion 3.3.x (and the jsonschema its `RefResolver` import needs): the versions
are checked as this module is imported, before it imports anything private, and any other
refuses in one line (`mock_server/frameworks.py`; `tele2-ats-mock` exits 2). Outside this
module the mock uses Connexion's public API only: the app classes, `add_api`,
`add_error_handler`, the `middlewares`, `validator_map`, `uri_parser_class`, `jsonifier` and
`security_map` options, the exception and response classes (`tests/test_framework_seam.py`
fails on a private name of a framework anywhere else).

`create_app(overrides=...)` takes any subset of `Override`; `KEPT` (the default) is what the
mock runs with, and `()` is Connexion as it ships, with the same handlers, resolver, security
and error handlers: `tests/api/test_stock_connexion.py` sends a generated corpus of valid and
invalid requests of every operation to both and compares the answers byte for byte, except
where an override below is a deliberate difference (and only there).

Gains are CPU per request in-process (`scripts/measure_overrides.py`: the whole app with every
kept override, then with all but one, over a mix of the API's reads; the quickest of 5 batches
of 210 requests, medians of 7 rounds; a shared two-core machine, so differences under about
10 µs are noise). Kept: 350 µs; Connexion as it ships: 691 µs. Without each speed-up:

    decorate-once +109   bind-known +57         validate-once +49   parameter-validators-once +39
    content-type-once +29   names-once +24      ui-paths-only +17   route-from-memory +11
    simple-check +7

Dropped, their gain under their cost: `orjson` (+5 µs, and not the same bytes: it writes
`0.00005203759122554918` where Connexion's encoder writes `5.203759122554918e-05`, which the
stock comparison found in the statistics) and `parameter-schemas-once` (-6 µs: none; it
replaced a property of the URI parser). `simple-check` is kept at the edge of the noise: it
costs no private part beyond the parameter validator NAMED_PARAMETERS needs anyway.
"""

from __future__ import annotations

from mock_server.frameworks import CONNEXION, JSONSCHEMA, require

require(CONNEXION, JSONSCHEMA)

# The imports below come after the version check (E402 is allowed in this module only).
import copy
import functools
import json
import logging
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from enum import StrEnum
from typing import Any, ClassVar, Final

import starlette.convertors
from connexion.apps.asynchronous import AsyncApi, AsyncOperation
from connexion.context import _context as current_context
from connexion.context import operation as current_operation
from connexion.context import receive as current_receive
from connexion.context import scope as current_scope
from connexion.datastructures import MediaTypeDict
from connexion.decorators import StarletteDecorator
from connexion.decorators.parameter import (
    CONTEXT_NAME,
    AsyncParameterDecorator,
    _get_query_defaults,
    _get_val_from_param,
    _query_args_helper,
    unwrap_decorators,
)
from connexion.decorators.response import AsyncResponseDecorator
from connexion.exceptions import BadRequestProblem, ProblemException
from connexion.frameworks.starlette import IntegerConverter
from connexion.jsonifier import Jsonifier
from connexion.lifecycle import ConnexionRequest
from connexion.middleware import ConnexionMiddleware
from connexion.middleware.abstract import ROUTING_CONTEXT
from connexion.middleware.request_validation import (
    RequestValidationAPI,
    RequestValidationMiddleware,
    RequestValidationOperation,
)
from connexion.middleware.routing import RoutingMiddleware
from connexion.middleware.swagger_ui import SwaggerUIMiddleware
from connexion.uri_parsing import OpenAPIURIParser
from connexion.utils import (
    deep_merge,
    inspect_function_arguments,
    is_json_mimetype,
    is_null,
    is_nullable,
)
from connexion.validators import (
    VALIDATOR_MAP,
    AbstractRequestBodyValidator,
    JSONRequestBodyValidator,
    ParameterValidator,
)
from jsonschema import Draft4Validator, ValidationError
from starlette.types import ASGIApp, Receive, Scope, Send

from mock_server.http.errors import API_PREFIX
from mock_server.http.formats import PARAMETER_FORMATS, date_time_hint, simple_check
from mock_server.http.integers import too_long
from mock_server.http.json_body import loads_strict, refusal, without_null_members

__all__ = [
    "CONTROL_DIFFERENCES",
    "DIFFERENCES",
    "KEPT",
    "VALIDATED_REQUEST",
    "Override",
    "after_apis",
    "app_options",
    "before_apis",
    "middlewares",
]


class Override(StrEnum):
    """What the mock changes in Connexion. The speed-ups answer exactly as Connexion does; the
    others are deliberate differences, each normalised by the stock comparison."""

    # -- Speed-ups ------------------------------------------------------------------------
    DECORATE_ONCE = "decorate-once"
    """AsyncApp: the handler's decorator chain built once per operation (`_Operation`)."""
    BIND_KNOWN = "bind-known"
    """AsyncApp: arguments of an operation without a body bound without reading one."""
    NAMES_ONCE = "names-once"
    """AsyncApp: each parameter name's pythonic form (`startDate` -> `start_date`) remembered."""
    CONTENT_TYPE_ONCE = "content-type-once"
    """AsyncApp: the content type of a handler's list or dict found once per operation."""
    VALIDATE_ONCE = "validate-once"
    """The request validation's parameter validator built once per operation."""
    VALIDATORS_ONCE = "parameter-validators-once"
    """Each parameter's jsonschema validator built once, not per request."""
    SIMPLE_CHECK = "simple-check"
    """Values a simple schema surely admits skip jsonschema (`formats.simple_check`)."""
    ROUTE_FROM_MEMORY = "route-from-memory"
    """Where a (method, path) was routed remembered."""
    UI_PATHS_ONLY = "ui-paths-only"
    """Requests that cannot be for the Swagger UI skip its router."""
    # -- Deliberate differences -----------------------------------------------------------
    REPEATED_QUERY_ITEMS = "repeated-query-items"
    """An exploded query array's repetitions are its items, commas and all (spec D23)."""
    NAMED_PARAMETERS = "named-parameters"
    """A parameter's 400 names it: `Query parameter 'size': 0 is less than the minimum of 1`."""
    DATE_TIME = "date-time"
    """`date-time` parameters checked as RFC 3339 writes them, in every install; a refused
    one without an offset, or with its `+` arrived as a space, says how to send it."""
    STRICT_JSON = "strict-json"
    """JSON bodies with NaN, Infinity, deep nesting, 4,300-digit integers or half a surrogate
    pair are 400; a body breaking a relation of its schema (`anyOf`, `oneOf`, `not`) is
    refused in the words of that relation's `description` (`json_body.refusal`)."""
    BOUNDED_PATH_INTEGERS = "bounded-path-integers"
    """An integer path parameter of more digits than Python converts is 400, not 500."""
    DOMAIN_BODIES = "domain-bodies"
    """A body the domain reads itself (`x-mock-domain-body` on the operation: a tenant file)
    reaches its handler as its bytes, JSON or YAML, neither parsed nor checked against the
    schema: the domain reads it as a stream and names every problem at once, where stock
    Connexion parses the whole body into objects (ten times its size in memory) and stops at
    the schema's first complaint. A body longer than the trait's `maxBytes` is 413, by its
    Content-Length before any of it is read, else as it arrives. Control API only, so the
    stock comparison (documented API) never meets it; tests/api/test_tenant_api.py shows the
    difference."""
    # -- Start-up -------------------------------------------------------------------------
    BUILD_AT_START = "build-at-start"
    """The middleware stack built by create_app: a spec/handler mismatch fails at start."""


KEPT: Final = frozenset(Override)
# The deliberate differences of the control API alone (the stock comparison sends the
# documented API's operations).
CONTROL_DIFFERENCES: Final = frozenset({Override.DOMAIN_BODIES})
# The deliberate differences (what the stock comparison normalises).
DIFFERENCES: Final = frozenset(
    {
        Override.REPEATED_QUERY_ITEMS,
        Override.NAMED_PARAMETERS,
        Override.DATE_TIME,
        Override.STRICT_JSON,
        Override.BOUNDED_PATH_INTEGERS,
    }
)

# The real service's JSON: UTF-8 with Cyrillic as is (not as \u escapes), compact separators.
_JSON_FORMAT: Final[dict[str, Any]] = {"ensure_ascii": False, "separators": (",", ":")}


# -- Parameter validation (VALIDATORS_ONCE, SIMPLE_CHECK, NAMED_PARAMETERS, DATE_TIME) ----------


class _ParameterValidator(ParameterValidator):  # type: ignore[misc]
    """`ParameterValidator.validate_parameter` (a static method Connexion calls per parameter
    per request), with the overrides of `overrides`:

    - VALIDATORS_ONCE: stock deep-copies the parameter and builds a Draft4Validator for every
      parameter of every request; here each parameter's validator is built once (the spec's
      parameter is kept in the entry, so that its id is not reused while the entry lives).
    - SIMPLE_CHECK: a value `simple_check` passes (it answers True only for values the Draft 4
      validator admits) skips jsonschema, which then only runs, and words its error, for the
      others.
    - DATE_TIME: `formats.PARAMETER_FORMATS` instead of jsonschema's draft 4 checker, which
      checks `date-time` with rfc3339-validator when that package happens to be installed (it
      refuses year 0000, which RFC 3339 and Java take) and not at all otherwise; and a refused
      `date-time` that is a common slip says how to send it (`formats.date_time_hint`).
    - NAMED_PARAMETERS: the first line of jsonschema's message, after the parameter's kind and
      name (stock says `0 is less than the minimum of 1` and then the whole schema).
    """

    overrides: frozenset[Override] = frozenset()
    _entries: dict[int, tuple[dict[str, Any], Draft4Validator, Callable[[Any], bool] | None]]
    _LIMIT = 4096

    @classmethod
    def validate_parameter(
        cls, parameter_type: str, value: Any, param: dict[str, Any], param_name: str | None = None
    ) -> str | None:
        error = cls._check(parameter_type, value, param)
        if error is None or error.startswith("Missing"):
            return error
        if Override.NAMED_PARAMETERS not in cls.overrides:
            return error
        first_line = error.split("\n\n", 1)[0]
        return f"{parameter_type.capitalize()} parameter '{param['name']}': {first_line}"

    @classmethod
    def _check(cls, parameter_type: str, value: Any, param: dict[str, Any]) -> str | None:
        if is_nullable(param) and is_null(value):
            return None
        if value is not None:
            _, validator, quick = cls._entry(param)
            if quick is not None and quick(value):
                return None  # what the schema surely admits; anything else goes to jsonschema
            try:
                validator.validate(value)
            except ValidationError as exception:
                hint = cls._hint(exception)
                return str(exception) if hint is None else f"{exception.message}: {hint}"
            return None
        if param.get("required"):
            return f"Missing {parameter_type} parameter '{param['name']}'"
        return None

    @classmethod
    def _hint(cls, exception: ValidationError) -> str | None:
        """DATE_TIME: how to send a `date-time` the format refused, for a common slip."""
        if (
            Override.DATE_TIME in cls.overrides
            and exception.validator == "format"
            and exception.validator_value == "date-time"
            and isinstance(exception.instance, str)
        ):
            return date_time_hint(exception.instance)
        return None

    @classmethod
    def _entry(
        cls, param: dict[str, Any]
    ) -> tuple[dict[str, Any], Draft4Validator, Callable[[Any], bool] | None]:
        once = Override.VALIDATORS_ONCE in cls.overrides
        entry = cls._entries.get(id(param)) if once else None
        if entry is None or entry[0] is not param:
            copied = copy.deepcopy(param)
            schema = copied.get("schema", copied)
            formats = (
                PARAMETER_FORMATS
                if Override.DATE_TIME in cls.overrides
                else Draft4Validator.FORMAT_CHECKER
            )
            quick = (
                simple_check(schema, formats) if Override.SIMPLE_CHECK in cls.overrides else None
            )
            entry = (param, Draft4Validator(schema, format_checker=formats), quick)
            if once:
                if len(cls._entries) >= cls._LIMIT:
                    cls._entries.clear()
                cls._entries[id(param)] = entry
        return entry


@functools.cache
def _parameter_validator(overrides: frozenset[Override]) -> type[ParameterValidator]:
    return type(
        "ParameterValidator", (_ParameterValidator,), {"overrides": overrides, "_entries": {}}
    )


# -- The URI parser (REPEATED_QUERY_ITEMS) ----------------------------------------------------


class _URIParser(OpenAPIURIParser):  # type: ignore[misc]
    """Connexion's OpenAPI 3 URI parser, an exploded query array's repetitions kept apart
    (REPEATED_QUERY_ITEMS). For `style: form, explode: true`, OpenAPI makes each repetition one
    item: `sort=date,DESC&sort=callType` is `["date,DESC", "callType"]`. Stock Connexion joins
    the repetitions with commas and splits the result at every comma
    (`_resolve_param_duplicates`, `_split`), which cuts values that hold commas themselves:
    `["date", "DESC", "callType"]` (spec D23)."""

    @classmethod
    def _resolve_param_duplicates(cls, values: Any, param_defn: dict[str, Any], _in: str) -> Any:
        if _in == "query" and param_defn.get("explode", param_defn.get("style", "form") == "form"):
            return list(values)
        return OpenAPIURIParser._resolve_param_duplicates(values, param_defn, _in)

    @staticmethod
    def _split(value: Any, param_defn: dict[str, Any], _in: str) -> Any:
        if isinstance(value, list):
            return value
        return OpenAPIURIParser._split(value, param_defn, _in)


# -- JSON bodies (STRICT_JSON) ----------------------------------------------------------------


class _StrictJSONRequestBodyValidator(JSONRequestBodyValidator):  # type: ignore[misc]
    """`JSONRequestBodyValidator._parse` (join the stream, decode, `json.loads`) parsing with
    `json_body.loads_strict`: NaN, Infinity, deep nesting, integers of more than 4,300 digits
    and lone surrogates are the 400 of any other malformed body (stock: NaN passes every
    `minimum`, the others are 500s); `_validate` (jsonschema's error as a BadRequestProblem)
    words the refusal with `json_body.refusal`, which is stock's wording unless the body breaks
    a relation the spec describes (none of the documented API's request bodies has one). In
    the documented API a null member is its absence (D47: `json_body.without_null_members`),
    in what is validated and in what the handler reads (`MUTABLE_VALIDATION`)."""

    async def _parse(self, stream: Any, scope: Scope) -> Any:
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

    def _validate(self, body: Any) -> dict[str, Any] | None:
        if not self._nullable and body is None:
            raise BadRequestProblem("Request body must not be empty")
        try:
            validated: dict[str, Any] | None = self._validator.validate(body)
        except ValidationError as exc:
            raise BadRequestProblem(detail=refusal(exc)) from exc
        return validated


# -- Bodies the domain reads (DOMAIN_BODIES) --------------------------------------------------

MSG_TOO_LARGE: Final = "Request body: longer than the {limit} bytes this operation takes"
# What a domain body reaches its handler as: Connexion hands a body of any other media type
# over as its bytes.
_RAW: Final = b"application/octet-stream"


class _NoBodyCheck(AbstractRequestBodyValidator):  # type: ignore[misc]
    """What Connexion does with a media type it has no validator for: nothing."""

    async def wrap_receive(self, receive: Receive, *, scope: Scope) -> tuple[Receive, Scope]:
        return receive, scope


class _DomainBodies:
    """The request body validator's `wrap_receive` for the operations in `limits` (operationId
    -> most bytes): the body read as bytes, at most the limit (413 beyond), and handed on
    relabelled `_RAW`, so that Connexion gives the handler the bytes unparsed."""

    limits: ClassVar[dict[str, int]] = {}

    async def wrap_receive(self, receive: Receive, *, scope: Scope) -> tuple[Receive, Scope]:
        context = scope.get("extensions", {}).get(ROUTING_CONTEXT, {})
        limit = self.limits.get(context.get("operation_id", ""))
        if limit is None:
            return await super().wrap_receive(receive, scope=scope)  # type: ignore[misc, no-any-return]
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            raise _too_large(limit)
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise _too_large(limit)
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        headers = [
            (k, v) for k, v in scope["headers"] if k not in (b"content-type", b"content-length")
        ]
        headers += [(b"content-type", _RAW), (b"content-length", str(len(body)).encode())]
        replay = [{"type": "http.request", "body": body, "more_body": False}]
        return AbstractRequestBodyValidator._insert_messages(receive, messages=replay), {
            **scope,
            "headers": headers,
        }


def _too_large(limit: int) -> ProblemException:
    return ProblemException(
        status=413, title="Content Too Large", detail=MSG_TOO_LARGE.format(limit=limit)
    )


@functools.cache
def _domain_validator(base: type[Any], limits: tuple[tuple[str, int], ...]) -> type[Any]:
    return type("DomainBodyValidator", (_DomainBodies, base), {"limits": dict(limits)})


class _OneContentTypeWarning(logging.Filter):
    """Connexion warns on every request of an operation that takes two media types (a tenant
    file's PUT takes JSON and YAML on purpose): said once, at start, is enough."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("this operation accepts multiple content types")


logging.getLogger("connexion.operations.openapi3").addFilter(_OneContentTypeWarning())


# -- Routing (BOUNDED_PATH_INTEGERS, ROUTE_FROM_MEMORY) ---------------------------------------


class _BoundedIntegerConverter(IntegerConverter):  # type: ignore[misc]
    """Connexion's path converter for integers, leaving a segment of more digits than Python
    converts as text (refused by the parameter's check: 400 naming it) instead of raising
    ValueError (500)."""

    def convert(self, value: str) -> Any:
        return value if too_long(value) else int(value)


class _BoundedRoutingMiddleware(RoutingMiddleware):  # type: ignore[misc]
    """Connexion's routing middleware, its `int` converter bounded (BOUNDED_PATH_INTEGERS).

    Connexion registers its converter (process-wide, in Starlette's table) when its routing
    middleware is made and compiles the routes after, so the bounded one is registered in
    between."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app)
        starlette.convertors.register_url_convertor("int", _BoundedIntegerConverter())


_Routed = dict[tuple[str, str, str], tuple[dict[str, Any], dict[str, Any]]]


class _RememberRoutes:
    """Routing that remembers where each (method, path, root path) went (ROUTE_FROM_MEMORY).

    Stock, every request walks Starlette's routers (a regular expression per route) to find
    its operation, which hands the next middleware a copy of the scope with the operation's
    id, its API's base path and the path's parameters. Here the first request of a (method,
    path, root path) takes that walk and what it handed on is remembered (every operation hands
    on to the same next middleware); later ones hand on the same, straight away. Past `limit`
    entries the memory starts over."""

    app: Any

    def __init__(self, app: ASGIApp, limit: int = 4096) -> None:
        self._routed: _Routed = {}
        self._limit = limit
        super().__init__(_Remember(app, self._routed, limit))  # type: ignore[call-arg]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            known = self._routed.get((scope["method"], scope["path"], scope.get("root_path", "")))
            if known is not None:
                routed = dict(scope)
                routed.setdefault("path_params", {}).update(known[0])
                extensions = routed.setdefault("extensions", {})
                extensions.setdefault(ROUTING_CONTEXT, {}).update(known[1])
                await self.app.app(routed, receive, send)
                return
        await super().__call__(scope, receive, send)  # type: ignore[misc]


class _Remember:
    """The next middleware, noting what each routed request brought it."""

    def __init__(self, app: ASGIApp, routed: _Routed, limit: int) -> None:
        self.app = app
        self._routed = routed
        self._limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            if len(self._routed) >= self._limit:
                self._routed.clear()
            context = scope.get("extensions", {}).get(ROUTING_CONTEXT, {})
            self._routed[(scope["method"], scope["path"], scope.get("root_path", ""))] = (
                dict(scope.get("path_params", {})),
                dict(context),
            )
        await self.app(scope, receive, send)


def _routing_middleware(overrides: frozenset[Override]) -> type[Any]:
    base = (
        _BoundedRoutingMiddleware
        if Override.BOUNDED_PATH_INTEGERS in overrides
        else RoutingMiddleware
    )
    if Override.ROUTE_FROM_MEMORY not in overrides:
        return base
    return _remembering(base)


@functools.cache
def _remembering(base: type[Any]) -> type[Any]:
    return type("RememberingRoutingMiddleware", (_RememberRoutes, base), {})


# -- Request validation (VALIDATE_ONCE) -------------------------------------------------------

_NO_VALIDATOR: Any = object()
# Where a validated request is kept in the ASGI scope's extensions, for the handler's binding.
VALIDATED_REQUEST: Final = "tele2_ats.validated_request"


class _OnceValidationOperation(RequestValidationOperation):  # type: ignore[misc]
    """`RequestValidationOperation.__call__` for an operation without a request body: the
    parameter validator (and its URI parser) is built on the first request, not on each one,
    and skipped for an operation that has no parameters (with strict validation off, stock
    Connexion's validator then checks nothing). An operation without a request body consumes
    nothing, so stock Connexion checks no content type and no body for it either; operations
    with a body take the stock path. The request the validator parsed is kept in the scope
    (VALIDATED_REQUEST): the handler's arguments are bound from it (BIND_KNOWN)."""

    _validator: Any = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._operation.request_body:
            await super().__call__(scope, receive, send)
            return
        validator = self._validator
        if validator is None:
            validator = self._validator = self._build_validator()
        if validator is not _NO_VALIDATOR:
            request = ConnexionRequest(scope, uri_parser=validator.uri_parser)
            validator.validate_request(request)
            scope.setdefault("extensions", {})[VALIDATED_REQUEST] = request
        await self.next_app(scope, receive, send)

    def _build_validator(self) -> Any:
        operation = self._operation
        if not operation.parameters and not self.strict_validation:
            return _NO_VALIDATOR
        uri_parser = operation._uri_parser_class(operation.parameters, operation.body_definition())
        return self._validator_map["parameter"](
            operation.parameters,
            uri_parser=uri_parser,
            strict_validation=self.strict_validation,
            security_query_params=self.security_query_params,
        )


class _OnceValidationAPI(RequestValidationAPI):  # type: ignore[misc]
    def make_operation(self, operation: Any) -> _OnceValidationOperation:
        return _OnceValidationOperation(
            self.next_app,
            operation=operation,
            strict_validation=self.strict_validation,
            validator_map=self.validator_map,
        )


class _OnceRequestValidationMiddleware(RequestValidationMiddleware):  # type: ignore[misc]
    api_cls = _OnceValidationAPI


# -- The handler's decorators (DECORATE_ONCE, BIND_KNOWN) -------------------------------------

_IMMUTABLE = (str, int, float, bool, type(None))


class _Binding:
    """What Connexion's `get_arguments` reads from an operation without a request body, read
    once: its path and query parameters' definitions and the query's defaults."""

    def __init__(self, operation: Any) -> None:
        parameters = operation.parameters
        self.path = {p["name"]: p for p in parameters if p["in"] == "path"}
        self.query = {p["name"]: p for p in parameters if p["in"] == "query"}
        self.defaults = _get_query_defaults(self.query)
        # Connexion deep-copies the defaults for every request; scalars need no copy.
        self.copy_defaults = not all(isinstance(v, _IMMUTABLE) for v in self.defaults.values())

    def arguments(
        self, request: Any, arguments: list[str], sanitize: Callable[[str], str]
    ) -> dict[str, Any]:
        """`prep_kwargs` for a request of the operation: `get_arguments`' path and query
        arguments (an operation without a body has no body, form or file arguments), then the
        context's entries."""
        validated = request.scope.get("extensions", {}).get(VALIDATED_REQUEST)
        parsed = request if validated is None else validated
        kwargs: dict[str, Any] = {}
        for name, value in parsed.path_params.items():
            definition = self.path.get(name)
            kwargs[sanitize(name)] = (
                value if definition is None else _get_val_from_param(value, definition)
            )
        query = copy.deepcopy(self.defaults) if self.copy_defaults else dict(self.defaults)
        query = deep_merge(query, parsed.query_params)
        kwargs.update(_query_args_helper(self.query, query, arguments, False, sanitize))
        kwargs = {sanitize(key): value for key, value in kwargs.items()}
        return _with_context(kwargs, arguments)


def _with_context(kwargs: dict[str, Any], arguments: list[str]) -> dict[str, Any]:
    """`prep_kwargs`' last step: the context's entries the handler takes (the token's info,
    ...), and the context itself if asked for."""
    context: dict[str, Any] = current_context.get()
    kwargs.update((key, value) for key, value in context.items() if key in arguments)
    if CONTEXT_NAME in arguments:
        kwargs[CONTEXT_NAME] = context
    return kwargs


class _ParameterDecorator(AsyncParameterDecorator):  # type: ignore[misc]
    """Connexion's parameter decorator, with

    - NAMES_ONCE: with pythonic_params, Connexion converts every parameter name of every
      request with regular expressions (`startDate` -> `start_date`); the conversion is pure,
      so its results are remembered.
    - BIND_KNOWN: for an operation without a request body whose handler takes no `body` (nor
      **kwargs), Connexion's body lookup can only give None and its form parsing no argument,
      yet it parses the content type and reads the (empty) form of every such request; those
      requests go straight to the parameters, as the request validation parsed them
      (VALIDATED_REQUEST), and those of an operation without parameters to the context.
    """

    overrides: frozenset[Override] = frozenset()
    sanitize_fn: Callable[[str], str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if Override.NAMES_ONCE in self.overrides:
            self.sanitize_fn = functools.lru_cache(maxsize=1024)(self.sanitize_fn)

    def __call__(self, function: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
        general: Callable[[Any], Awaitable[Any]] = super().__call__(function)
        if Override.BIND_KNOWN not in self.overrides:
            return general
        arguments, has_kwargs = inspect_function_arguments(unwrap_decorators(function))
        if has_kwargs or "body" in arguments:
            return general
        plans: dict[int, _Binding | None] = {}
        sanitize = self.sanitize_fn

        @functools.wraps(function)
        async def wrapper(request: Any) -> Any:
            operation = current_operation._get_current_object()
            key = id(operation)
            if key not in plans:
                plans[key] = None if operation.request_body else _Binding(operation)
            binding = plans[key]
            if binding is None:
                return await general(request)
            if not binding.path and not binding.query:
                return await function(**_with_context({}, arguments))
            return await function(**binding.arguments(request, arguments, sanitize))

        return wrapper


class _ResponseDecorator(AsyncResponseDecorator):  # type: ignore[misc]
    """`BaseResponseDecorator.build_framework_response` for a handler that returns a bare list
    or dict: the content type stock Connexion infers for it (`_infer_content_type`) is the
    operation's one response content type, so it is looked up once per operation. Anything
    else (tuples, headers, several content types) takes the stock path."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._content_types: dict[int, str | None] = {}

    def build_framework_response(self, handler_response: Any) -> Any:
        if type(handler_response) not in (list, dict):
            return super().build_framework_response(handler_response)
        operation = current_operation._get_current_object()
        key = id(operation)
        content_type = self._content_types.get(key, "")
        if content_type == "":
            produces = set(operation.produces)
            content_type = produces.pop() if len(produces) == 1 else None
            self._content_types[key] = content_type
        if content_type is None or not is_json_mimetype(content_type):
            return super().build_framework_response(handler_response)
        return self.framework.build_response(
            self.jsonifier.dumps(handler_response),
            content_type=content_type,
            status_code=200,
            headers={"Content-Type": content_type},
        )


class _Decorator(StarletteDecorator):  # type: ignore[misc]
    """Connexion's handler decorator, with the overrides' parameter and response decorators
    (NAMES_ONCE, BIND_KNOWN, CONTENT_TYPE_ONCE), and a URI parser built once per operation."""

    parameters: type[AsyncParameterDecorator] = AsyncParameterDecorator
    responses: type[AsyncResponseDecorator] = AsyncResponseDecorator

    @property
    def _parameter_decorator_cls(self) -> type[AsyncParameterDecorator]:
        return self.parameters

    @property
    def _response_decorator_cls(self) -> type[AsyncResponseDecorator]:
        return self.responses

    def __call__(self, function: Callable[..., Any]) -> Callable[[], Awaitable[Any]]:
        decorated = self.decorate(function)
        parsers: dict[int, Any] = {}

        @functools.wraps(function)
        async def wrapper() -> Any:
            operation = current_operation._get_current_object()
            parser = parsers.get(id(operation))
            if parser is None:
                parser = parsers[id(operation)] = self.uri_parser
            request = self.framework.get_request(
                uri_parser=parser, scope=current_scope, receive=current_receive
            )
            return await decorated(request)

        return wrapper


class _Operation(AsyncOperation):  # type: ignore[misc]
    """An AsyncApp operation whose handler is decorated by `decorator`: once (DECORATE_ONCE),
    or for every request as stock Connexion does.

    Stock Connexion wraps the handler anew for each request (the sync/async, parameter and
    response decorators, with `inspect.signature` of the handler) and builds a new URI parser;
    neither depends on the request. The per-request work (the request, its parameters, the
    response) is unchanged."""

    decorator: type[_Decorator] = _Decorator
    once = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decorated = self._decorate() if self.once else None

    def _decorate(self) -> Callable[[], Awaitable[Any]]:
        decorated: Callable[[], Awaitable[Any]] = self.decorator(
            pythonic_params=self.pythonic_params, jsonifier=self.jsonifier
        )(self._fn)
        return decorated

    @property
    def fn(self) -> Callable[[], Awaitable[Any]]:
        return self._decorated or self._decorate()


class _Api(AsyncApi):  # type: ignore[misc]
    operation: type[_Operation] = _Operation

    def make_operation(self, operation: Any) -> _Operation:
        return self.operation(
            operation.function,
            jsonifier=self.jsonifier,
            operation_id=operation.operation_id,
            pythonic_params=self.pythonic_params,
        )


# What the AsyncApp's own operations do differently; the others leave them stock.
_DECORATION: Final = frozenset(
    {
        Override.DECORATE_ONCE,
        Override.NAMES_ONCE,
        Override.BIND_KNOWN,
        Override.CONTENT_TYPE_ONCE,
    }
)


@functools.cache
def _api(overrides: frozenset[Override]) -> type[_Api]:
    parameters = type("ParameterDecorator", (_ParameterDecorator,), {"overrides": overrides})
    responses = (
        _ResponseDecorator if Override.CONTENT_TYPE_ONCE in overrides else AsyncResponseDecorator
    )
    decorator = type("Decorator", (_Decorator,), {"parameters": parameters, "responses": responses})
    operation = type(
        "Operation",
        (_Operation,),
        {"decorator": decorator, "once": Override.DECORATE_ONCE in overrides},
    )
    return type("Api", (_Api,), {"operation": operation})


# -- The Swagger UI (UI_PATHS_ONLY) -----------------------------------------------------------


class _SwaggerUIOnlyForItsPaths(SwaggerUIMiddleware):  # type: ignore[misc]
    """Connexion's Swagger UI middleware, skipped by requests that cannot be for it.

    Stock, every request goes through its router (a mount per API with the UI's routes) only
    to fall through to the API for anything but `{base}/ui...` and `{base}/openapi.json|yaml`.
    A path without `/ui` or `/openapi.` matches none of its routes, so it goes straight on, as
    the router's fall-through would send it."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope["path"]
            if "/ui" not in path and "/openapi." not in path:
                await self.app(scope, receive, send)
                return
        await super().__call__(scope, receive, send)


# -- The app ----------------------------------------------------------------------------------


def middlewares(
    overrides: Collection[Override], *, outer: Sequence[Any], before_ui: Sequence[Any]
) -> list[Any]:
    """Connexion's middlewares (`ConnexionMiddleware.default_middlewares`) with the
    overrides', `outer` before all of them and `before_ui` right before the Swagger UI's."""
    chosen = frozenset(overrides)
    stack: list[Any] = list(outer)
    for middleware in ConnexionMiddleware.default_middlewares:
        if middleware is SwaggerUIMiddleware:
            stack += before_ui
            stack.append(
                _SwaggerUIOnlyForItsPaths if Override.UI_PATHS_ONLY in chosen else middleware
            )
        elif middleware is RoutingMiddleware:
            stack.append(_routing_middleware(chosen))
        elif middleware is RequestValidationMiddleware and Override.VALIDATE_ONCE in chosen:
            stack.append(_OnceRequestValidationMiddleware)
        else:
            stack.append(middleware)
    return stack


def app_options(
    overrides: Collection[Override], domain_bodies: Mapping[str, int] | None = None
) -> dict[str, Any]:
    """The options of the app class (`AsyncApp(...)`, `FlaskApp(...)`) the overrides need;
    the jsonifier in the real service's format either way. `domain_bodies`: operationId ->
    most bytes, of the operations whose bodies the domain reads (DOMAIN_BODIES)."""
    chosen = frozenset(overrides)
    options: dict[str, Any] = {"jsonifier": Jsonifier(json, **_JSON_FORMAT)}
    validator_map: dict[str, Any] = {}
    parameter = {
        Override.VALIDATORS_ONCE,
        Override.SIMPLE_CHECK,
        Override.NAMED_PARAMETERS,
        Override.DATE_TIME,
    }
    if chosen & parameter:
        validator_map["parameter"] = _parameter_validator(chosen & parameter)
    json_validator = VALIDATOR_MAP["body"]["*/*json"]
    if Override.STRICT_JSON in chosen:
        json_validator = _StrictJSONRequestBodyValidator
    bodies = {"*/*json": json_validator}
    if Override.DOMAIN_BODIES in chosen and domain_bodies:
        limits = tuple(sorted(domain_bodies.items()))
        bodies = {
            "*/*json": _domain_validator(json_validator, limits),
            "application/yaml": _domain_validator(_NoBodyCheck, limits),
        }
    if Override.STRICT_JSON in chosen or Override.DOMAIN_BODIES in chosen:
        validator_map["body"] = MediaTypeDict({**VALIDATOR_MAP["body"], **bodies})
    if validator_map:
        options["validator_map"] = {**VALIDATOR_MAP, **validator_map}
    if Override.REPEATED_QUERY_ITEMS in chosen:
        options["uri_parser_class"] = _URIParser
    return options


def before_apis(app: Any, overrides: Collection[Override], *, asynchronous: bool) -> None:
    """What the overrides change in the app before its APIs are added: an AsyncApp's
    operations and their decorators (DECORATE_ONCE, NAMES_ONCE, BIND_KNOWN, CONTENT_TYPE_ONCE);
    a FlaskApp's keep Flask's."""
    chosen = frozenset(overrides)
    if asynchronous and chosen & _DECORATION:
        app._middleware_app.api_cls = _api(chosen & _DECORATION)


def after_apis(app: Any, overrides: Collection[Override]) -> None:
    """BUILD_AT_START: the middleware stack built now, so that a spec/handler mismatch fails
    at start-up rather than on the first request (Connexion builds it on the first call)."""
    if Override.BUILD_AT_START in overrides:
        app.middleware.app, app.middleware.middleware_stack = (
            app.middleware._build_middleware_stack()
        )
