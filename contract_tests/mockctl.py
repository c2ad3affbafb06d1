"""The mock's control API (openapi/mock-admin.yaml) as the contract tests use it.

Works over any httpx client: a Starlette TestClient for the in-process app, or a plain client
for a mock process on loopback (never anything else).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from contract_tests.settings import API_BASE_PATH, REFRESH_PATH
from mock_server.real.config import is_loopback_url
from mock_server.real.tokens import TokenManager, TokenPair, TokenRecoveryError, expiry_of
from mock_server.testing.control import CONTROL_HEADER

__all__ = ["IssuedPair", "MockControl", "is_loopback_url"]

# Sent with every request to the control API (a POST without a body needs it).
CONTROL = {CONTROL_HEADER: "1"}


@dataclass(frozen=True, slots=True)
class IssuedPair:
    pair: TokenPair
    company_id: int
    user_id: int


class MockControl:
    """Tokens, clock and reset of one mock (its control API under /mock)."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    @classmethod
    def over_http(cls, base_url: str) -> MockControl:
        """Control a mock process at `base_url` (`http://127.0.0.1:PORT`)."""
        if not is_loopback_url(base_url):
            raise ValueError(f"the mock's control API must be on loopback, not {base_url}")
        return cls(httpx.Client(base_url=base_url, timeout=30.0))

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.client.request(method, path, headers=CONTROL, **kwargs)
        if response.status_code != 200:
            raise AssertionError(f"{method} {path}: {response.status_code} {response.text}")
        return response.json()

    def issue(
        self, company_id: int | None = None, user_id: int | None = None, login: str | None = None
    ) -> IssuedPair:
        """A new pair (it supersedes the user's earlier pairs); a new company is seeded.

        Within one second of the mock clock the same user gets the same pair again (the claims
        carry no id), unless the `login` differs."""
        body: dict[str, int | str] = {}
        if company_id is not None:
            body["companyId"] = company_id
        if user_id is not None:
            body["userId"] = user_id
        if login is not None:
            body["login"] = login
        data = self._json("POST", "/mock/tokens", json=body or None)
        return IssuedPair(TokenPair.from_json(data), int(data["companyId"]), int(data["userId"]))

    def now(self) -> float:
        """The mock clock's now, Unix seconds."""
        return datetime.fromisoformat(self._json("GET", "/mock/clock")["now"]).timestamp()

    def advance(self, seconds: float) -> None:
        self._json("POST", "/mock/clock/advance", json={"seconds": seconds})

    def refresh(self, refresh_token: str) -> TokenPair:
        """PUT /authorization/refresh/token; a refused refresh token raises TokenRecoveryError."""
        response = self.client.put(
            API_BASE_PATH + REFRESH_PATH, headers={"Authorization": refresh_token}
        )
        if response.status_code == 403:
            raise TokenRecoveryError(f"refresh refused: {response.text}")
        if response.status_code != 200:
            raise AssertionError(f"refresh: {response.status_code} {response.text}")
        return TokenPair.from_json(response.json())

    def is_expired(self, token: str) -> bool:
        """Expired by the mock's clock (which tests move forward)."""
        exp = expiry_of(token)
        return exp is not None and exp <= self.now()

    def token_manager(
        self, company_id: int | None = None, user_id: int | None = None
    ) -> TokenManager:
        """A user's pair that refreshes itself and, when the refresh token is dead too,
        generates a new pair as a person would in the web cabinet."""
        issued = self.issue(company_id, user_id)
        return TokenManager(
            issued.pair,
            refresh=self.refresh,
            is_expired=self.is_expired,
            reissue=lambda: self.issue(issued.company_id, issued.user_id).pair,
        )
