"""Builds the Connexion app from the spec: one factory for AsyncApp (default) and FlaskApp.

Routing, request validation and (optionally) response validation all come from
openapi/tele2-ats.yaml; handlers are found by operationId. The mock's control API
(openapi/mock-admin.yaml) is served beside it under /mock.
"""

from __future__ import annotations

import copy
import functools
import json
import logging
import re
import warnings
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any, Literal

# Connexion imports Starlette's TestClient at import time, which warns about httpx on every
# start; the mock does not use it for serving.
warnings.filterwarnings("ignore", message=".*httpx.*starlette.testclient", category=UserWarning)

import connexion  # noqa: E402
from connexion.apps.asynchronous import AsyncApi, AsyncOperation  # noqa: E402
from connexion.context import operation as current_operation  # noqa: E402
from connexion.context import receive as current_receive  # noqa: E402
from connexion.context import scope as current_scope  # noqa: E402
from connexion.datastructures import MediaTypeDict  # noqa: E402
from connexion.decorators import StarletteDecorator  # noqa: E402
from connexion.decorators.parameter import (  # noqa: E402
    AsyncParameterDecorator,
    unwrap_decorators,
)
from connexion.jsonifier import JSONEncoder, Jsonifier  # noqa: E402
from connexion.lifecycle import ConnexionResponse  # noqa: E402
from connexion.middleware import ConnexionMiddleware  # noqa: E402
from connexion.middleware.request_validation import RequestValidationMiddleware  # noqa: E402
from connexion.middleware.routing import RoutingMiddleware  # noqa: E402
from connexion.middleware.swagger_ui import SwaggerUIMiddleware  # noqa: E402
from connexion.options import SwaggerUIOptions  # noqa: E402
from connexion.resolver import Resolver  # noqa: E402
from connexion.uri_parsing import OpenAPIURIParser  # noqa: E402
from connexion.utils import inspect_function_arguments, is_null, is_nullable  # noqa: E402
from connexion.validators import VALIDATOR_MAP, ParameterValidator  # noqa: E402
from jsonschema import Draft4Validator, ValidationError  # noqa: E402
from starlette.concurrency import run_in_threadpool  # noqa: E402
from starlette.requests import ClientDisconnect  # noqa: E402
from starlette.types import ASGIApp, Receive, Scope, Send  # noqa: E402

try:
    import orjson as _orjson
except ImportError:  # pragma: no cover - orjson is a dependency; the stdlib encoder still works
    _orjson = None  # type: ignore[assignment]

from mock_server.console import CONSOLE_PREFIX, Console, ConsoleMount  # noqa: E402
from mock_server.domain.pbx import Pbx, PbxConfig  # noqa: E402
from mock_server.http.admin import control_handlers  # noqa: E402
from mock_server.http.availability import ResetGate  # noqa: E402
from mock_server.http.bodies import (  # noqa: E402
    AcceptAnyContentType,
    NoContentTypeOnEmptyBody,
    lenient_operations,
)
from mock_server.http.errors import (  # noqa: E402
    ADMIN_PREFIX,
    API_PREFIX,
    EXPECTED_ERRORS,
    ErrorRenderer,
    RefusePathControlCharacters,
)
from mock_server.http.formats import PARAMETER_FORMATS  # noqa: E402
from mock_server.http.guard import ControlGuard, ControlGuardRule  # noqa: E402
from mock_server.http.handlers import STREAMERS, ApiHandlers  # noqa: E402
from mock_server.http.integers import BoundedRoutingMiddleware  # noqa: E402
from mock_server.http.json_body import StrictJSONRequestBodyValidator  # noqa: E402
from mock_server.http.per_operation import (  # noqa: E402
    OnceRequestValidationMiddleware,
    OnceResponseDecorator,
    RememberingRoutingMiddleware,
    parameter_binder,
    simple_check,
)
from mock_server.http.recorder import RequestRecorder  # noqa: E402
from mock_server.http.security import make_security_map  # noqa: E402
from mock_server.http.shutdown import AnswerWhenCutOff, Shutdown  # noqa: E402
from mock_server.spec_index import SpecIndex  # noqa: E402
from mock_server.specs import API_SPEC, SPEC_DIR, admin_index, spec_path  # noqa: E402

__all__ = [
    "APP_KINDS",
    "SPEC_DIR",
    "AppKind",
    "SharedState",
    "create_app",
    "handler_name",
]

AppKind = Literal["async", "flask"]
APP_KINDS: tuple[AppKind, ...] = ("async", "flask")
_KEEP_SLASH = re.compile(r".*/ui/$")
_ORJSON_OPTIONS = (
    0
    if _orjson is None
    else _orjson.OPT_APPEND_NEWLINE
    | _orjson.OPT_NON_STR_KEYS
    | _orjson.OPT_PASSTHROUGH_DATETIME
    | _orjson.OPT_PASSTHROUGH_DATACLASS
)


def handler_name(operation_id: str) -> str:
    """`getCallRecords` -> `get_call_records`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation_id).lower()


def _on_the_event_loop(function: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
    """The handler as a coroutine function that runs it right away, on the event loop.

    Connexion's AsyncApp runs a plain function in a worker thread: a hand-off through a queue
    and back that costs more than most handlers here take (a few SQLite rows). Run on the loop,
    requests are served one at a time, which is what the GIL made of them anyway; the store's
    transactions then never wait for one another within the process.
    """

    @functools.wraps(function)  # keeps the signature Connexion reads the parameters from
    async def run(*args: Any, **kwargs: Any) -> Any:
        return function(*args, **kwargs)

    return run


# Thread-pool handlers with a quick way to answer when there is no long work to do (a recording
# made already): `_<handler>_at_once` answers on the loop, or None for the thread pool.
_AT_ONCE = "_{}_at_once"


def _at_once_or_in_a_thread(
    function: Callable[..., Any], at_once: Callable[..., Any]
) -> Callable[..., Awaitable[Any]]:
    """The handler as a coroutine function: `at_once`'s answer (same arguments) when it has
    one, on the event loop; else the handler's, in the thread pool."""

    @functools.wraps(function)
    async def run(*args: Any, **kwargs: Any) -> Any:
        answer = at_once(*args, **kwargs)
        if answer is not None:
            return answer
        return await run_in_threadpool(function, *args, **kwargs)

    return run


def _resolver(
    handlers: Sequence[object],
    index: SpecIndex,
    *,
    inline: bool,
    shared: SharedState | None = None,
) -> Resolver:
    """Finds each operation's handler by name on the first of `handlers` that has it (the
    control API's handlers live in one class per capability).

    Handlers whose time grows with the data (making a recording, seeding; `x-mock-thread-pool`
    in the spec `index`): the AsyncApp runs them in its thread pool so they never hold up the
    event loop. Every other handler reads or writes a few rows and runs on the loop (see
    _on_the_event_loop); the statistics too, as they read the journal's roll-ups rather than
    its calls (domain/rollups.py).
    """

    def resolve(operation_id: str) -> Any:
        name = handler_name(operation_id)
        owner = next((h for h in handlers if hasattr(h, name)), None)
        if owner is None:
            raise AttributeError(f"no handler {name!r} for operation {operation_id!r}")
        function = getattr(owner, name)
        traits = index[operation_id].traits
        if shared is not None and traits.moves_clock:
            function = shared.guard(function)
        if not inline:
            return function
        if not traits.thread_pool:
            return _on_the_event_loop(function)
        at_once = getattr(owner, _AT_ONCE.format(name), None)
        return function if at_once is None else _at_once_or_in_a_thread(function, at_once)

    return Resolver(function_resolver=resolve)


class NamingParameterValidator(ParameterValidator):  # type: ignore[misc]
    """Connexion's parameter validator, with messages that name the parameter.

    The checks are Connexion's own (`ParameterValidator.validate_parameter`), except that the
    JSON Schema validator of each parameter is built once: Connexion deep-copies the parameter
    and builds a new Draft4Validator for every parameter of every request.
    """

    # Whether values a parameter's schema surely admits skip jsonschema (`simple_check`).
    fast = True

    @classmethod
    def validate_parameter(
        cls, parameter_type: str, value: Any, param: dict[str, Any], param_name: str | None = None
    ) -> str | None:
        error: str | None = _check_parameter(parameter_type, value, param, cls.fast)
        if error is None or error.startswith("Missing"):
            return error
        first_line = error.split("\n\n", 1)[0]
        return f"{parameter_type.capitalize()} parameter '{param['name']}': {first_line}"


class _EveryValueNamingParameterValidator(NamingParameterValidator):
    """NamingParameterValidator running jsonschema on every value (`per_operation=False`)."""

    fast = False


# id(parameter of the spec) -> (that parameter, its validator); the parameter is kept so that
# its id cannot be reused while the entry lives.
_PARAMETER_VALIDATORS: dict[
    int, tuple[dict[str, Any], Draft4Validator, Callable[[Any], bool] | None]
] = {}
_MAX_PARAMETER_VALIDATORS = 4096


def _check_parameter(
    parameter_type: str, value: Any, param: dict[str, Any], fast: bool = True
) -> str | None:
    """Connexion 3.3's ParameterValidator.validate_parameter, with the validator reused (and,
    `fast`, skipped for the values `simple_check` passes)."""
    if is_nullable(param) and is_null(value):
        return None
    if value is not None:
        entry = _PARAMETER_VALIDATORS.get(id(param))
        if entry is None or entry[0] is not param:
            if len(_PARAMETER_VALIDATORS) >= _MAX_PARAMETER_VALIDATORS:
                _PARAMETER_VALIDATORS.clear()
            copied = copy.deepcopy(param)
            schema = copied.get("schema", copied)
            validator = Draft4Validator(schema, format_checker=PARAMETER_FORMATS)
            entry = (param, validator, simple_check(schema, PARAMETER_FORMATS))
            _PARAMETER_VALIDATORS[id(param)] = entry
        if fast and entry[2] is not None and entry[2](value):
            return None  # what the schema surely admits; anything else goes to jsonschema
        try:
            entry[1].validate(value)
        except ValidationError as exception:
            return str(exception)
        return None
    if param.get("required"):
        return f"Missing {parameter_type} parameter '{param['name']}'"
    return None


class FastJsonifier(Jsonifier):  # type: ignore[misc]
    """Connexion's Jsonifier, encoding answers with orjson when it is installed.

    The standard library's encoder takes most of the time of a large answer (150 us for a page
    of 50 call records, orjson 12 us). The output is the same JSON: UTF-8 with Cyrillic as is
    (the real service does not escape it), a trailing newline as Connexion writes; only the
    separators are compact (`{"a":1}`), as the real Spring service writes them. Values orjson
    does not take itself (Decimal, naive datetimes, ...) go through Connexion's JSONEncoder
    rules, and anything orjson refuses (integers beyond 64 bits, ...) through the stdlib path.
    """

    def dumps(self, data: Any, **kwargs: Any) -> Any:
        if _orjson is None or kwargs:
            return super().dumps(data, **kwargs)
        try:
            return _orjson.dumps(data, default=_connexion_default, option=_ORJSON_OPTIONS)
        except _orjson.JSONEncodeError:
            return super().dumps(data)


_CONNEXION_ENCODER = JSONEncoder()


def _connexion_default(value: Any) -> Any:
    return _CONNEXION_ENCODER.default(value)


class SchemaCachingURIParser(OpenAPIURIParser):  # type: ignore[misc]
    """Connexion's OpenAPI 3 URI parser, with the parameters' schemas mapped once per parser,
    and repeated query parameters kept apart.

    Connexion's `param_schemas` is a property that builds a new dict on every access, and it
    is read for every query parameter while parsing a query string.

    For an exploded array in the query (`style: form, explode: true`), OpenAPI makes each
    repetition one item: `sort=date,DESC&sort=callType` is `["date,DESC", "callType"]`.
    Connexion joins the repetitions with commas and splits the result at every comma, which
    cuts values that hold commas themselves (spec D23); here each repetition stays one item.
    """

    def __init__(self, param_defns: Any, body_defn: Any) -> None:
        super().__init__(param_defns, body_defn)
        self._param_schemas = {k: v.get("schema", {}) for k, v in self._param_defns.items()}

    @property
    def param_schemas(self) -> dict[str, Any]:
        return self._param_schemas

    @staticmethod
    def _resolve_param_duplicates(values: Any, param_defn: dict[str, Any], _in: str) -> Any:
        if _in == "query" and param_defn.get("explode", param_defn.get("style", "form") == "form"):
            return list(values)
        return OpenAPIURIParser._resolve_param_duplicates(values, param_defn, _in)

    @staticmethod
    def _split(value: Any, param_defn: dict[str, Any], _in: str) -> Any:
        if isinstance(value, list):
            return value
        return OpenAPIURIParser._split(value, param_defn, _in)


class _ParameterDecorator(AsyncParameterDecorator):  # type: ignore[misc]
    """Connexion's parameter decorator, minus work whose result is known in advance.

    - With pythonic_params, Connexion converts every parameter name of every request with
      regular expressions (`startDate` -> `start_date`); the conversion is a pure function, so
      its results are remembered.
    - For an operation without a request body, whose handler takes no `body` (nor **kwargs),
      Connexion's body lookup can only give None and its form parsing no argument, yet it
      parses the content type and reads the (empty) form of every such request: those requests
      go straight to the parameters (Connexion's own `prep_kwargs`), and those of an operation
      without parameters straight to the context (`per_operation.parameter_binder`).
    """

    sanitize_fn: Callable[[str], str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sanitize_fn = functools.lru_cache(maxsize=1024)(self.sanitize_fn)

    def __call__(self, function: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
        general: Callable[..., Awaitable[Any]] = super().__call__(function)
        arguments, has_kwargs = inspect_function_arguments(unwrap_decorators(function))
        if has_kwargs or "body" in arguments:
            return general
        return parameter_binder(general, function, arguments, self.sanitize_fn)


class _DecorateOnce(StarletteDecorator):  # type: ignore[misc]
    """Connexion's handler decorator, with the chain built once rather than on every request.

    Stock Connexion wraps the handler anew for each request (the sync/async, parameter and
    response decorators, with `inspect.signature` of the handler) and builds a new URI parser;
    neither depends on the request. The per-request work (the request, its parameters, the
    response) is unchanged.
    """

    @property
    def _parameter_decorator_cls(self) -> type[AsyncParameterDecorator]:
        return _ParameterDecorator

    @property
    def _response_decorator_cls(self) -> type[OnceResponseDecorator]:
        return OnceResponseDecorator

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
    """An AsyncApp operation that decorates its handler once (see _DecorateOnce)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decorated = _DecorateOnce(
            pythonic_params=self.pythonic_params, jsonifier=self.jsonifier
        )(self._fn)

    @property
    def fn(self) -> Callable[[], Awaitable[Any]]:
        decorated: Callable[[], Awaitable[Any]] = self._decorated
        return decorated


class _Api(AsyncApi):  # type: ignore[misc]
    def make_operation(self, operation: Any) -> _Operation:
        return _Operation(
            operation.function,
            jsonifier=self.jsonifier,
            operation_id=operation.operation_id,
            pythonic_params=self.pythonic_params,
        )


class SharedState:
    """Keeps this process's in-memory PBX state in step with a state file shared by workers.

    With `tele2-ats-mock --workers N`, N processes serve one socket and one SQLite file. All
    the PBX's state is in that file except a few values each process also holds in memory:
    the seed, the clock, the companies' clock leads, the token signing secret, the history
    settings, whether a reset is running and the parsed fault rules. Before every request (and
    before the request recorder applies the fault rules), `refresh` asks SQLite whether any
    other connection committed since the last look (`PRAGMA data_version`, a few
    microseconds) and, if so, reloads them (`Pbx.load_settings`), so that what one worker did
    (move a clock, reset, add a fault rule) holds for every later request, whichever worker
    serves it. The
    operations that move a clock (`x-mock-moves-clock` in the spec) read the stored state
    under the write lock (no lost update between workers); a reset commits its marker first
    (the others answer 503 from then on) and then everything else in one transaction, which
    the others see all at once.
    """

    def __init__(self, pbx: Pbx) -> None:
        self._pbx = pbx
        self._version: int | None = None

    def refresh(self) -> None:
        version = self._pbx.store.data_version()
        if version != self._version:
            self._version = version
            self.load()

    def load(self) -> None:
        self._pbx.load_settings(self._pbx.store.all_meta())

    def guard(self, function: Callable[..., Any]) -> Callable[..., Any]:
        """The handler of an operation that moves a clock, made transactional."""
        store = self._pbx.store

        @functools.wraps(function)
        def move_clock(*args: Any, **kwargs: Any) -> Any:
            with store.transaction():
                self.load()  # under the write lock: the latest clock
                return function(*args, **kwargs)

        return move_clock


class SharedStateMiddleware:
    """Refreshes the process's SharedState before each request (see SharedState)."""

    def __init__(self, app: ASGIApp, state: SharedState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.state.refresh()
        await self.app(scope, receive, send)


class SwaggerUIOnlyForItsPaths(SwaggerUIMiddleware):  # type: ignore[misc]
    """Connexion's Swagger UI middleware, skipped by requests that cannot be for it.

    Stock, every request goes through its router (a mount per API with the UI's routes) only to
    fall through to the API for anything but `{base}/ui...` and `{base}/openapi.json|yaml`.
    A path without `/ui` or `/openapi.` matches none of its routes, so it goes straight on, as
    the router's fall-through would send it.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope["path"]
            if "/ui" not in path and "/openapi." not in path:
                await self.app(scope, receive, send)
                return
        await super().__call__(scope, receive, send)


class TrailingSlashMiddleware:
    """Real clients append a slash (`/call/outgoing/?...`); route them as without it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope["path"]
            if len(path) > 1 and path.endswith("/") and not _KEEP_SLASH.match(path):
                scope = {**scope, "path": path.rstrip("/")}
                if scope.get("raw_path"):
                    scope["raw_path"] = scope["raw_path"].rstrip(b"/")
        await self.app(scope, receive, send)


log = logging.getLogger(__name__)


def _client_gone(request: Any, exc: Exception) -> Any:
    """The client went away before its request body was in: nothing to answer, nobody to
    answer to. One line at INFO, not a traceback at ERROR."""
    log.info(
        "client disconnected before its request body was in: %s %s",
        request.method,
        request.url.path,
    )
    return ConnexionResponse(status_code=400, body=b"", content_type="text/plain")


def create_app(
    pbx: Pbx | None = None,
    *,
    kind: AppKind = "async",
    validate_responses: bool = False,
    config: PbxConfig | None = None,
    shared_state: bool = False,
    per_operation: bool = True,
    allowed_hosts: Sequence[str] = (),
    api_spec: Path | None = None,
    handlers: Sequence[object] = (),
) -> connexion.AsyncApp | connexion.FlaskApp:
    """The mock as an ASGI app. `pbx` defaults to a fresh one built from `config`.

    `shared_state`: other processes serve the same state file (see SharedState).
    `per_operation`: Connexion's per-request work that depends only on the operation is done
    once per operation (`per_operation.py`, `_Api`); off, Connexion does it for every request
    as it ships, which the tests compare the answers with.
    `allowed_hosts`: names (and addresses) the control API and the console answer besides
    loopback and the address a connection reached (`--allowed-host`, http/guard.py).
    `api_spec`: the documented API's spec (default: the mock's own), from which everything the
    app knows of the API's operations is read (spec_index.py); `handlers`: objects whose
    methods serve its operations before the mock's own (`handler_name`), for an operation the
    mock has no handler of (docs/extending.md).
    """
    pbx = pbx or Pbx(config)
    shared = SharedState(pbx) if shared_state else None
    api = SpecIndex.load(api_spec or spec_path(API_SPEC))
    admin = admin_index()
    renderer = ErrorRenderer(pbx.clock.now, {API_PREFIX: api, ADMIN_PREFIX: admin})
    app_class = connexion.AsyncApp if kind == "async" else connexion.FlaskApp
    # Connexion's middlewares, with the Swagger UI's skipped by the API's own requests, and the
    # mock's before it (they rewrite paths the UI must see rewritten too). Outermost, what
    # answers a request the server's shutdown cuts off (shutdown.py). The guard of /mock comes
    # next (a request it refuses touches nothing); with workers, the refresh of the state other
    # processes changed (the fault rules the recorder applies included); then the request
    # recorder: it sees each request to the documented API as sent and each answer as it
    # leaves. The web console (/mock/console) comes next: its pages render even while a reset
    # runs, and each of its requests to the APIs passes through all of this from the top (the
    # recorder leaves those out: they carry X-Mock-Console).
    console = Console()
    shutdown = Shutdown()
    middlewares: list[Any] = [
        functools.partial(AnswerWhenCutOff, shutdown=shutdown, renderer=renderer),
        functools.partial(
            ControlGuard,
            rule=ControlGuardRule(allowed_hosts),
            renderer=renderer,
            pages=(CONSOLE_PREFIX, console.refused),
        ),
        *([] if shared is None else [functools.partial(SharedStateMiddleware, state=shared)]),
        functools.partial(RequestRecorder, pbx=pbx, renderer=renderer, api=api, shutdown=shutdown),
    ]
    for middleware in ConnexionMiddleware.default_middlewares:
        if middleware is RequestValidationMiddleware and per_operation:
            middlewares.append(OnceRequestValidationMiddleware)
        elif middleware is RoutingMiddleware:
            # Both route integer path parameters of any length (http/integers.py).
            middlewares.append(
                RememberingRoutingMiddleware if per_operation else BoundedRoutingMiddleware
            )
        elif middleware is SwaggerUIMiddleware:
            middlewares.append(functools.partial(ConsoleMount, console=console))
            middlewares += [
                functools.partial(ResetGate, pbx=pbx, renderer=renderer),
                NoContentTypeOnEmptyBody,
                functools.partial(RefusePathControlCharacters, renderer=renderer),
                TrailingSlashMiddleware,
                functools.partial(
                    AcceptAnyContentType,
                    operations=lenient_operations(api, API_PREFIX),
                ),
                SwaggerUIOnlyForItsPaths,
            ]
        else:
            middlewares.append(middleware)
    app = app_class(
        __name__,
        middlewares=middlewares,
        specification_dir=SPEC_DIR,
        security_map=make_security_map(pbx.tokens),
        validator_map={
            **VALIDATOR_MAP,
            "parameter": (
                NamingParameterValidator if per_operation else _EveryValueNamingParameterValidator
            ),
            "body": MediaTypeDict(
                {**VALIDATOR_MAP["body"], "*/*json": StrictJSONRequestBodyValidator}
            ),
        },
        pythonic_params=True,
        uri_parser_class=SchemaCachingURIParser,
        validate_responses=validate_responses,
        # The real service answers UTF-8 JSON with Cyrillic as is, not as \u escapes.
        jsonifier=FastJsonifier(json, ensure_ascii=False),
    )
    if kind == "async" and per_operation:
        # Before add_api: the operations of the APIs added next decorate their handler once.
        app._middleware_app.api_cls = _Api
    # The specs as the indexes parsed them (a copy each: Connexion changes what it is given),
    # rather than Connexion parsing each file again with the slower pure-Python YAML loader.
    # The control API's fields that name an operation take the documented API's operationIds.
    control: dict[str, Any] = copy.deepcopy(dict(admin.document))
    control["components"]["schemas"]["ApiOperationId"]["enum"] = list(api.operation_ids)
    app.add_api(
        copy.deepcopy(api.document),
        base_path=API_PREFIX,
        resolver=_resolver(
            [*handlers, ApiHandlers(pbx, STREAMERS[kind])],
            api,
            inline=kind == "async",
            shared=shared,
        ),
        swagger_ui_options=SwaggerUIOptions(swagger_ui=True, swagger_ui_path="/ui"),
    )
    app.add_api(
        control,
        base_path=ADMIN_PREFIX,
        resolver=_resolver(control_handlers(pbx), admin, inline=kind == "async", shared=shared),
        swagger_ui_options=SwaggerUIOptions(swagger_ui=True, swagger_ui_path="/ui"),
    )
    # Exception: anything else is a bug of the mock, a 500 in the API's own shape (logged).
    for error in (*EXPECTED_ERRORS, 404, 405, Exception):
        app.add_error_handler(error, renderer.render)
    app.add_error_handler(ClientDisconnect, _client_gone)
    # Build the middleware stack now, so that a spec/handler mismatch fails at start-up rather
    # than on the first request (Connexion otherwise builds it lazily).
    app.middleware.app, app.middleware.middleware_stack = app.middleware._build_middleware_stack()
    console.bind(app)
    app.pbx = pbx
    app.shutdown = shutdown  # the server begins it as it shuts down (cli.py)
    return app
