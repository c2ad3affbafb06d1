"""The console as an ASGI app, and the middleware that mounts it into the mock at /mock/console.

`create_app` (mock_server/http/app.py) puts `ConsoleMount` in front of the mock's own
middlewares and binds the console to the finished app, so that the console's requests pass
through everything a client's requests pass through.
"""

from __future__ import annotations

from typing import Final

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from mock_server.console.client import ApiError, ConsoleClient
from mock_server.console.pages import clock, journal, live, overview, requests, statistics, tokens
from mock_server.console.site import CONSOLE_PREFIX, Site

__all__ = ["Console", "ConsoleMount"]

_PAGES: Final = (overview, tokens, live, journal, statistics, clock, requests)
MSG_REFUSED = (
    "Консоль отвечает только своим страницам и самому пользователю; запрос отклонён: {reason}"
)


class Console:
    """The console: pages rendered from what the mock's APIs answer.

    Example::

        console = Console()
        console.bind(mock_app)  # the app its requests go to
        # serve console.app for paths under /mock/console
    """

    def __init__(self) -> None:
        self.client = ConsoleClient()
        self.site = Site(self.client)
        routes: list[BaseRoute] = [route for page in _PAGES for route in page.routes(self.site)]
        routes.append(
            Mount(
                "/static",
                StaticFiles(packages=[("mock_server.console", "static")]),
                name="static",
            )
        )
        self.app = Starlette(
            routes=[Mount(CONSOLE_PREFIX, routes=routes)],
            exception_handlers={ApiError: self._unavailable, HTTPException: self._refused},
        )

    def bind(self, app: ASGIApp) -> None:
        self.client.bind(app)

    async def _unavailable(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return await self.site.page_unavailable(request, exc)

    def refused(self, reason: str) -> Response:
        """The page of a request the guard of /mock refused (http/guard.py), with its reason."""
        body = self.site.templates.get_template("error.html").render(
            status=403, message=MSG_REFUSED.format(reason=reason)
        )
        return HTMLResponse(body, status_code=403, headers={"Cache-Control": "no-store"})

    async def _refused(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if exc.status_code in (301, 302, 307, 308) or exc.headers:
            return Response(status_code=exc.status_code, headers=exc.headers)
        body = self.site.templates.get_template("error.html").render(
            status=exc.status_code,
            message=exc.detail if exc.status_code != 404 else "Такой страницы в консоли нет",
        )
        return HTMLResponse(body, status_code=exc.status_code)


class ConsoleMount:
    """ASGI middleware: requests under /mock/console go to the console, the rest on."""

    def __init__(self, app: ASGIApp, console: Console) -> None:
        self.app = app
        self.console = console

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope["path"]
            if path == CONSOLE_PREFIX or path.startswith(CONSOLE_PREFIX + "/"):
                await self.console.app(scope, receive, send)
                return
        await self.app(scope, receive, send)
