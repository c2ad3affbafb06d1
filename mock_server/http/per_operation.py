"""Connexion's per-request work that depends only on the operation, done once per operation.

Connexion 3.3 (pinned `>=3.3,<3.4`) recomputes, for every request, things that are fixed once
the spec is loaded: it builds a URI parser and a parameter validator for the operation, works
out from the operation's responses which content type a JSON answer has, and walks the
operation's parameter definitions to bind the handler's arguments even when it has none. Here
each is worked out on an operation's first request and reused; what a request itself brings
(its parameters, its body, the handler's answer) is checked and converted exactly as before,
by Connexion's own code. Each override names the code it stands for; `tests/api/test_app.py`
holds them to the stock behaviour.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Awaitable, Callable
from typing import Any

from connexion.context import _context as current_context
from connexion.context import operation as current_operation
from connexion.decorators.parameter import (
    CONTEXT_NAME,
    _get_query_defaults,
    _get_val_from_param,
    _query_args_helper,
)
from connexion.decorators.response import AsyncResponseDecorator
from connexion.lifecycle import ConnexionRequest
from connexion.middleware.abstract import ROUTING_CONTEXT
from connexion.middleware.request_validation import (
    RequestValidationAPI,
    RequestValidationMiddleware,
    RequestValidationOperation,
)
from connexion.utils import deep_merge, is_json_mimetype
from starlette.types import ASGIApp, Receive, Scope, Send

from mock_server.http.integers import BoundedRoutingMiddleware

__all__ = [
    "VALIDATED_REQUEST",
    "OnceRequestValidationMiddleware",
    "OnceResponseDecorator",
    "RememberingRoutingMiddleware",
    "bind_without_parameters",
    "parameter_binder",
    "simple_check",
    "takes_no_parameters",
]

_NO_VALIDATOR: Any = object()
# Where a validated request is kept in the ASGI scope's extensions, for the handler's binding.
VALIDATED_REQUEST = "tele2_ats.validated_request"
_IMMUTABLE = (str, int, float, bool, type(None))


class RememberingRoutingMiddleware(BoundedRoutingMiddleware):
    """Connexion's routing middleware (integers bounded: http/integers.py), remembering where
    each (method, path) was routed.

    Stock, every request walks Starlette's routers (a regular expression per route) to find
    its operation, and the operation hands the next middleware a copy of the request's scope
    with the operation's id, its API's base path and the path's parameters. Here the first
    request of a (method, path, root path) takes that walk, and what it handed on is
    remembered (every operation hands on to the same next middleware); later ones hand on
    the same, straight away. Bounded: past `limit` entries the memory starts over.
    """

    def __init__(self, app: ASGIApp, limit: int = 4096) -> None:
        self._routed: dict[tuple[str, str, str], tuple[dict[str, Any], dict[str, Any]]] = {}
        self._limit = limit
        super().__init__(_Remember(app, self._routed, limit))

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
        await super().__call__(scope, receive, send)


class _Remember:
    """The next middleware, noting what each routed request brought it."""

    def __init__(
        self,
        app: ASGIApp,
        routed: dict[tuple[str, str, str], tuple[dict[str, Any], dict[str, Any]]],
        limit: int,
    ) -> None:
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


class _OnceValidationOperation(RequestValidationOperation):  # type: ignore[misc]
    """`RequestValidationOperation.__call__` for an operation without a request body: the
    parameter validator (and its URI parser) is built on the first request, not on each one,
    and skipped for an operation that has no parameters (with strict validation off, stock
    Connexion's validator then checks nothing). An operation without a request body consumes
    nothing, so stock Connexion checks no content type and no body for it either; operations
    with a body take the stock path."""

    _validator: Any = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._operation.request_body:
            await super().__call__(scope, receive, send)
            return
        validator = self._validator
        if validator is None:
            validator = self._validator = self._build_validator()
        if validator is not _NO_VALIDATOR:
            # ParameterValidator.validate, keeping the request: the parameters it parsed are
            # the ones the handler is called with (see `parameter_binder`).
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


class OnceRequestValidationMiddleware(RequestValidationMiddleware):  # type: ignore[misc]
    """Connexion's request validation middleware with `_OnceValidationOperation`s."""

    api_cls = _OnceValidationAPI


class OnceResponseDecorator(AsyncResponseDecorator):  # type: ignore[misc]
    """`BaseResponseDecorator.build_framework_response` for a handler that returns a bare
    list or dict: the content type stock Connexion infers for it (`_infer_content_type`) is
    the operation's one response content type, so it is looked up once per operation. Anything
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


def takes_no_parameters(operation: Any) -> bool:
    """Whether the operation has no path or query parameters and no request body: stock
    Connexion's `get_arguments` can then bind nothing but the request's context."""
    return not operation.request_body and not any(
        parameter["in"] in ("path", "query") for parameter in operation.parameters
    )


def bind_without_parameters(arguments: list[str], has_kwargs: bool) -> dict[str, Any]:
    """`prep_kwargs` for an operation that `takes_no_parameters`: the context's entries the
    handler takes (the token's info, ...), and the context itself if asked for."""
    context: dict[str, Any] = current_context.get()
    kwargs = {key: value for key, value in context.items() if has_kwargs or key in arguments}
    if CONTEXT_NAME in arguments:
        kwargs[CONTEXT_NAME] = context
    return kwargs


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
        context: dict[str, Any] = current_context.get()
        kwargs.update((key, value) for key, value in context.items() if key in arguments)
        if CONTEXT_NAME in arguments:
            kwargs[CONTEXT_NAME] = context
        return kwargs


def parameter_binder(
    general: Callable[[Any], Awaitable[Any]],
    function: Callable[..., Awaitable[Any]],
    arguments: list[str],
    sanitize: Callable[[str], str],
) -> Callable[[Any], Awaitable[Any]]:
    """The handler, called with its arguments bound from the request as Connexion's
    `AsyncParameterDecorator` binds them (`general`, which also reads a request body), minus
    what is known per operation: a request of an operation without a body needs no body read
    and no form parsed, one of an operation without parameters binds only the context, and the
    parameters the request validation parsed are not parsed again."""
    plans: dict[int, _Binding | None] = {}

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
            return await function(**bind_without_parameters(arguments, False))
        return await function(**binding.arguments(request, arguments, sanitize))

    return wrapper


# JSON Schema keywords `simple_check` understands; annotations it may ignore.
_CHECKED = frozenset({"type", "format", "minimum", "maximum", "minLength", "maxLength", "pattern"})
_ANNOTATIONS = frozenset({"default", "example", "examples", "description", "title"})


def simple_check(schema: dict[str, Any], format_checker: Any) -> Callable[[Any], bool] | None:
    """A fast check of a parameter's value against a simple schema, or None for a schema it
    does not understand. It answers True only for values the Draft 4 validator admits (the
    same type rules, bounds, `re.search` for `pattern`, the same format checker), so that the
    validator need only run, and word its error, for the others (`app._check_parameter`)."""
    if schema.get("type") == "array" and set(schema) <= {"type", "items"} | _ANNOTATIONS:
        items = schema.get("items")
        each = simple_check(items, format_checker) if isinstance(items, dict) else None
        if each is None:
            return None
        check_each = each
        return lambda value: type(value) is list and all(check_each(item) for item in value)
    if not set(schema) <= _CHECKED | _ANNOTATIONS:
        return None
    kind = schema.get("type")
    types: dict[str, tuple[type, ...]] = {
        "string": (str,),
        "integer": (int,),
        "number": (int, float),
        "boolean": (bool,),
    }
    if kind not in types:
        return None
    accepted = types[kind]
    minimum, maximum = schema.get("minimum"), schema.get("maximum")
    min_length, max_length = schema.get("minLength"), schema.get("maxLength")
    pattern = re.compile(schema["pattern"]) if "pattern" in schema else None
    form = schema.get("format")

    def check(value: Any) -> bool:
        if type(value) not in accepted or (kind != "boolean" and type(value) is bool):
            return False
        if minimum is not None and value < minimum:
            return False
        if maximum is not None and value > maximum:
            return False
        if min_length is not None and len(value) < min_length:
            return False
        if max_length is not None and len(value) > max_length:
            return False
        if pattern is not None and pattern.search(value) is None:
            return False
        return form is None or bool(format_checker.conforms(value, form))

    return check
