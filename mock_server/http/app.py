"""Builds the Connexion app from the spec: one factory for AsyncApp (default) and FlaskApp.

Routing, request validation and (optionally) response validation all come from
openapi/tele2-ats.yaml; handlers are found by operationId. The mock's control API
(openapi/mock-admin.yaml) is served beside it under /mock.
"""

from __future__ import annotations

import json
import logging
import re
import warnings
from pathlib import Path
from typing import Any, Literal

# Connexion imports Starlette's TestClient at import time, which warns about httpx on every
# start; the mock does not use it for serving.
warnings.filterwarnings("ignore", message=".*httpx.*starlette.testclient", category=UserWarning)

import connexion  # noqa: E402
from connexion.exceptions import ProblemException  # noqa: E402
from connexion.jsonifier import Jsonifier  # noqa: E402
from connexion.middleware import MiddlewarePosition  # noqa: E402
from connexion.options import SwaggerUIOptions  # noqa: E402
from connexion.resolver import Resolver  # noqa: E402
from connexion.validators import VALIDATOR_MAP, ParameterValidator  # noqa: E402
from starlette.exceptions import HTTPException  # noqa: E402
from starlette.types import ASGIApp, Receive, Scope, Send  # noqa: E402

from mock_server.domain.errors import DomainError  # noqa: E402
from mock_server.domain.pbx import Pbx, PbxConfig  # noqa: E402
from mock_server.http.admin import AdminHandlers  # noqa: E402
from mock_server.http.errors import ADMIN_PREFIX, API_PREFIX, render_error  # noqa: E402
from mock_server.http.handlers import ApiHandlers  # noqa: E402
from mock_server.http.security import make_security_map  # noqa: E402

__all__ = ["APP_KINDS", "SPEC_DIR", "AppKind", "create_app", "handler_name"]

SPEC_DIR = Path(__file__).resolve().parents[2] / "openapi"
API_SPEC = "tele2-ats.yaml"
ADMIN_SPEC = "mock-admin.yaml"
AppKind = Literal["async", "flask"]
APP_KINDS: tuple[AppKind, ...] = ("async", "flask")
_KEEP_SLASH = re.compile(r".*/ui/$")
# POST /blacklist takes several text media types on purpose (spec D14); Connexion warns about
# that on every request, which would drown the log.
logging.getLogger("connexion.operations.openapi3").setLevel(logging.ERROR)


def handler_name(operation_id: str) -> str:
    """`getCallRecords` -> `get_call_records`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation_id).lower()


def _resolver(handlers: object) -> Resolver:
    def resolve(operation_id: str) -> Any:
        return getattr(handlers, handler_name(operation_id))

    return Resolver(function_resolver=resolve)


class NamingParameterValidator(ParameterValidator):  # type: ignore[misc]
    """Connexion's parameter validator, with messages that name the parameter."""

    @staticmethod
    def validate_parameter(
        parameter_type: str, value: Any, param: dict[str, Any], param_name: str | None = None
    ) -> str | None:
        error: str | None = ParameterValidator.validate_parameter(
            parameter_type, value, param, param_name
        )
        if error is None or error.startswith("Missing"):
            return error
        first_line = error.split("\n\n", 1)[0]
        return f"{parameter_type.capitalize()} parameter '{param['name']}': {first_line}"


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


def create_app(
    pbx: Pbx | None = None,
    *,
    kind: AppKind = "async",
    validate_responses: bool = False,
    config: PbxConfig | None = None,
) -> connexion.AsyncApp | connexion.FlaskApp:
    """The mock as an ASGI app. `pbx` defaults to a fresh one built from `config`."""
    pbx = pbx or Pbx(config)
    app_class = connexion.AsyncApp if kind == "async" else connexion.FlaskApp
    app = app_class(
        __name__,
        specification_dir=SPEC_DIR,
        security_map=make_security_map(pbx.tokens),
        validator_map={**VALIDATOR_MAP, "parameter": NamingParameterValidator},
        pythonic_params=True,
        validate_responses=validate_responses,
        # The real service answers UTF-8 JSON with Cyrillic as is, not as \u escapes.
        jsonifier=Jsonifier(json, ensure_ascii=False),
    )
    app.add_api(
        API_SPEC,
        base_path=API_PREFIX,
        resolver=_resolver(ApiHandlers(pbx)),
        swagger_ui_options=SwaggerUIOptions(swagger_ui=True, swagger_ui_path="/ui"),
    )
    app.add_api(
        ADMIN_SPEC,
        base_path=ADMIN_PREFIX,
        resolver=_resolver(AdminHandlers(pbx)),
        swagger_ui_options=SwaggerUIOptions(swagger_ui=True, swagger_ui_path="/ui"),
    )
    for error in (DomainError, ProblemException, HTTPException, 404, 405):
        app.add_error_handler(error, render_error)
    app.add_middleware(TrailingSlashMiddleware, position=MiddlewarePosition.BEFORE_SWAGGER)
    # Build the middleware stack now, so that a spec/handler mismatch fails at start-up rather
    # than on the first request (Connexion otherwise builds it lazily).
    app.middleware.app, app.middleware.middleware_stack = app.middleware._build_middleware_stack()
    app.pbx = pbx
    return app
