"""Builds the Connexion app from the spec: one factory for AsyncApp (default) and FlaskApp.

Routing, request validation and (optionally) response validation all come from
openapi/tele2-ats.yaml; handlers are found by operationId. The mock's control API
(openapi/mock-admin.yaml) is served beside it under /mock.
"""

from __future__ import annotations

import copy
import functools
import logging
import re
from collections.abc import Awaitable, Callable, Collection, Sequence
from pathlib import Path
from typing import Any, Literal

import connexion
from connexion.lifecycle import ConnexionResponse
from connexion.options import SwaggerUIOptions
from connexion.resolver import Resolver
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Receive, Scope, Send

from mock_server.console import CONSOLE_PREFIX, Console, ConsoleMount
from mock_server.domain.pbx import Pbx, PbxConfig
from mock_server.http import compat_connexion
from mock_server.http.admin import control_handlers
from mock_server.http.availability import ResetGate
from mock_server.http.bodies import (
    AcceptAnyContentType,
    NoContentTypeOnEmptyBody,
    lenient_operations,
)
from mock_server.http.compat_connexion import KEPT, Override
from mock_server.http.errors import (
    ADMIN_PREFIX,
    API_PREFIX,
    EXPECTED_ERRORS,
    ErrorRenderer,
    RefusePathControlCharacters,
)
from mock_server.http.guard import ControlGuard, ControlGuardRule
from mock_server.http.handlers import STREAMERS, ApiHandlers
from mock_server.http.recorder import RequestRecorder
from mock_server.http.security import make_security_map
from mock_server.http.shutdown import AnswerWhenCutOff, Shutdown
from mock_server.spec_index import SpecIndex
from mock_server.specs import API_SPEC, SPEC_DIR, admin_index, spec_path

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
    its calls (domain/storage/rollups.py).
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
    overrides: Collection[Override] = KEPT,
    allowed_hosts: Sequence[str] = (),
    api_spec: Path | None = None,
    handlers: Sequence[object] = (),
) -> connexion.AsyncApp | connexion.FlaskApp:
    """The mock as an ASGI app. `pbx` defaults to a fresh one built from `config`.

    `shared_state`: other processes serve the same state file (see SharedState).
    `overrides`: what of Connexion the mock changes (http/compat_connexion.py); `()` is
    Connexion as it ships, which the tests compare the answers with.
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
    # Outermost, what answers a request the server's shutdown cuts off (shutdown.py). The guard
    # of /mock comes next (a request it refuses touches nothing); with workers, the refresh of
    # the state other processes changed (the fault rules the recorder applies included); then
    # the request recorder: it sees each request to the documented API as sent and each answer
    # as it leaves. Then Connexion's own middlewares, with the mock's right before the Swagger
    # UI's (they rewrite paths the UI must see rewritten too): the web console (/mock/console)
    # first, so that its pages render even while a reset runs; each of its requests to the
    # APIs passes through all of this from the top (the recorder leaves those out: they carry
    # X-Mock-Console).
    console = Console()
    shutdown = Shutdown()
    outer: list[Any] = [
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
    before_ui: list[Any] = [
        functools.partial(ConsoleMount, console=console),
        functools.partial(ResetGate, pbx=pbx, renderer=renderer),
        NoContentTypeOnEmptyBody,
        functools.partial(RefusePathControlCharacters, renderer=renderer),
        TrailingSlashMiddleware,
        functools.partial(AcceptAnyContentType, operations=lenient_operations(api, API_PREFIX)),
    ]
    app = app_class(
        __name__,
        middlewares=compat_connexion.middlewares(overrides, outer=outer, before_ui=before_ui),
        specification_dir=SPEC_DIR,
        security_map=make_security_map(pbx.tokens),
        pythonic_params=True,
        validate_responses=validate_responses,
        **compat_connexion.app_options(
            overrides,
            {
                op.operation_id: op.traits.domain_body
                for index in (api, admin)
                for op in index
                if op.traits.domain_body is not None
            },
        ),
    )
    compat_connexion.before_apis(app, overrides, asynchronous=kind == "async")
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
    compat_connexion.after_apis(app, overrides)
    console.bind(app)
    app.pbx = pbx
    app.shutdown = shutdown  # the server begins it as it shuts down (cli.py)
    return app
