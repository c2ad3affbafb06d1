"""Shared fixtures: a fresh PBX, the app over it (both app classes), and a token pair."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from mock_server.domain.pbx import Pbx
from mock_server.http.app import APP_KINDS, AppKind, create_app
from mock_server.testing.control import CONTROL_HEADER
from tests.pinned import pinned_config

__all__ = ["CONTROL", "Api"]

# What test code sends to the control API: a request that changes the mock without a JSON
# body (DELETE, a POST without a body) needs it (mock_server/http/guard.py).
CONTROL = {CONTROL_HEADER: "1"}

SMALL_HISTORY = {"seed": 1, "history_days": 3, "calls_per_day": 20}


class Api:
    """A test client bound to one access token, with the response in every failure message."""

    def __init__(self, client: TestClient, token: str, prefix: str = "/crm/openapi") -> None:
        self.client = client
        self.token = token
        self.prefix = prefix

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = {"Authorization": self.token, **kwargs.pop("headers", {})}
        return self.client.request(method, self.prefix + path, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs)

    def ok(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.request(method, path, **kwargs)
        assert response.status_code == 200, f"{response.status_code}: {response.text}"
        return response.json() if response.content else None


@pytest.fixture
def pbx() -> Iterator[Pbx]:
    pbx = Pbx(pinned_config(**SMALL_HISTORY))
    yield pbx
    pbx.close()


@pytest.fixture(params=APP_KINDS)
def app_kind(request: pytest.FixtureRequest) -> AppKind:
    kind: AppKind = request.param
    return kind


@pytest.fixture
def client(pbx: Pbx, app_kind: AppKind) -> Iterator[TestClient]:
    app = create_app(pbx, kind=app_kind, validate_responses=True)
    with TestClient(app, raise_server_exceptions=False, headers=CONTROL) as test_client:
        yield test_client


def issue(client: TestClient, **body: Any) -> dict[str, Any]:
    response = client.post("/mock/tokens", json=body or None)
    assert response.status_code == 200, response.text
    tokens: dict[str, Any] = response.json()
    return tokens


def new_company(client: TestClient, **body: Any) -> dict[str, Any]:
    """A company of one's own (POST /mock/companies): its id, pair and now."""
    response = client.post("/mock/companies", json=body or None)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def advance(client: httpx.Client, seconds: float) -> None:
    """Move the mock clock forward through the control API."""
    response = client.post("/mock/clock/advance", json={"seconds": seconds})
    assert response.status_code == 200, response.text


@pytest.fixture
def tokens(client: TestClient) -> dict[str, Any]:
    return issue(client)


@pytest.fixture
def api(client: TestClient, tokens: dict[str, Any]) -> Api:
    return Api(client, tokens["accessToken"])
