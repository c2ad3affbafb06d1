"""A generated client wired to the mock's app in-process, and the mock clock."""

from __future__ import annotations

from datetime import datetime

import httpx
from starlette.testclient import TestClient
from tele2_ats_client import RefreshingClient


def connect(client: RefreshingClient, mock_app: TestClient) -> RefreshingClient:
    """`client` with its sync and async httpx clients calling the in-process app, no socket.

    The sync one is Starlette's TestClient, the async one an httpx.AsyncClient over an
    ASGITransport; both carry the client's refreshing auth, as the httpx clients it would create
    itself do. Returns `client`.
    """
    sync = TestClient(mock_app.app, base_url=client.base_url)
    sync.auth = client.token_auth
    client.set_httpx_client(sync)
    client.set_async_httpx_client(
        httpx.AsyncClient(
            transport=httpx.ASGITransport(mock_app.app),
            base_url=client.base_url,
            auth=client.token_auth,
        )
    )
    return client


def mock_now(mock_app: TestClient) -> datetime:
    """The mock clock's now, from the control API."""
    response = mock_app.get("/mock/clock")
    assert response.status_code == 200, response.text
    return datetime.fromisoformat(response.json()["now"])
