"""«Обзор»: the mock's health (GET /mock/health) and where its APIs are."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from mock_server.console.site import Site

__all__ = ["routes"]


def routes(site: Site) -> list[BaseRoute]:
    async def show(request: Request) -> Response:
        page = await site.page(request, needs_company=False)
        base = str(request.base_url).rstrip("/")
        return site.render(page, "overview.html", base=base)

    return [Route("/", show, methods=["GET"], name="overview")]
