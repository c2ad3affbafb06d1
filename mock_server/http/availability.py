"""While a reset runs, every request but the health check answers 503 with Retry-After.

A reset replaces the whole state in one transaction (`Pbx.reset`); meanwhile the old state is
on its way out and writers would wait on the database lock. Rather than make them wait (or
time out with a 500), the mock says plainly that it is busy and when to come back. The health
check keeps answering, with `status: resetting`, so a pipeline can poll it.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from mock_server.domain.pbx import MSG_RESETTING, RESET_RETRY_AFTER_SECONDS, Pbx
from mock_server.http.errors import ADMIN_PREFIX, ErrorRenderer

__all__ = ["HEALTH_PATH", "ResetGate"]

HEALTH_PATH = ADMIN_PREFIX + "/health"


class ResetGate:
    """ASGI middleware: 503 for everything but GET /mock/health while `pbx.resetting`."""

    def __init__(self, app: ASGIApp, pbx: Pbx, renderer: ErrorRenderer) -> None:
        self.app = app
        self.pbx = pbx
        self.renderer = renderer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.pbx.resetting:
            path: str = scope["path"]
            if path.rstrip("/") != HEALTH_PATH:
                await self.renderer.send(
                    send,
                    503,
                    MSG_RESETTING,
                    path,
                    {"Retry-After": str(RESET_RETRY_AFTER_SECONDS)},
                )
                return
        await self.app(scope, receive, send)
