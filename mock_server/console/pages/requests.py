"""«Запросы CRM»: what clients sent (GET /mock/requests), the fidelity advisories
(GET /mock/advisories) and the fault rules (GET /mock/faults), where the mock has them.

Which of them the mock has is read from the control API's own spec; without them the page
says that the request journal is not available.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from mock_server.console.site import Site

__all__ = ["routes"]

TEMPLATE = "requests.html"


def routes(site: Site) -> list[BaseRoute]:
    async def show(request: Request) -> Response:
        page = await site.page(request, needs_company=False)
        available = await site.client.has_control("/requests")
        return site.render(page, TEMPLATE, available=available)

    return [Route("/requests", show, methods=["GET"], name="requests")]
