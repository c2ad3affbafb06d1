"""Authorization of generated requests: a Schemathesis auth provider over `TokenManager`s.

Every operation takes the raw access token in `Authorization` (no `Bearer`), except the
refresh, which takes a refresh token. The provider is registered with `retry_on=[403]`: when
the API refuses a token (403, never 401, on this API), Schemathesis drops the cached token,
asks the provider again and replays the request once. Asked again, the provider lets the
`TokenManager` recover: adopt a pair another process saved, or refresh an expired one. So a
run survives the access token's expiry (a day) and the refresh token's (a week; on the mock by
generating a new pair, as a person would in the web cabinet).

Schemathesis applies auth when it generates a case, and builds some cases when it collects the
tests, before the mock is up, and keeps cases across a refresh. So the token a case carries is
brought up to date just before it is sent (`before_call`): a token this binding handed out
(or the placeholder handed out before the mock was up) becomes the current one. Nothing else
is touched, so negative cases that drop or garble the header keep their header.

The refresh operation itself, when fuzzed, is given the refresh token of a separate user
(`AuthBinding.refresh_user`): each successful refresh rotates that user's pair, which an
`after_call` hook takes from the answer, so the main user's pair is never disturbed.
"""

from __future__ import annotations

import threading
from typing import Any, Final

import schemathesis
from requests.structures import CaseInsensitiveDict

from contract_tests.settings import REFRESH_PATH
from mock_server.real.tokens import TokenManager, TokenPair

__all__ = [
    "ACCESS_PLACEHOLDER",
    "REFRESH_PLACEHOLDER",
    "AuthBinding",
    "binding_of",
    "install_token_auth",
    "is_refresh",
    "set_token",
]

ACCESS_PLACEHOLDER: Final = "contract-tests:access-token-pending"
REFRESH_PLACEHOLDER: Final = "contract-tests:refresh-token-pending"
# The provider's cache never expires on its own: a token is dropped only when refused.
_NEVER: Final = 10 * 365 * 24 * 3600


def is_refresh(case: schemathesis.Case[Any]) -> bool:
    return bool(case.operation.path == REFRESH_PATH)


def sent_header(case: schemathesis.Case[Any], name: str = "Authorization") -> str | None:
    value: object = case.headers.get(name) if case.headers is not None else None
    return value if isinstance(value, str) else None


def set_token(case: schemathesis.Case[Any], token: str) -> None:
    headers = case.headers if case.headers is not None else CaseInsensitiveDict()
    headers["Authorization"] = token
    case.headers = headers


class AuthBinding:
    """The token managers of one schema; bound once the mock is up."""

    def __init__(self) -> None:
        self.user: TokenManager | None = None
        self.refresh_user: TokenManager | None = None
        self._handed_out: set[str] = {ACCESS_PLACEHOLDER}
        self._handed_out_refresh: set[str] = {REFRESH_PLACEHOLDER}
        self._last_access: str | None = None
        self._lock = threading.Lock()

    def bind(self, user: TokenManager, refresh_user: TokenManager | None = None) -> None:
        self.user = user
        self.refresh_user = refresh_user

    def access_token(self) -> str:
        with self._lock:
            token = self.user.access_token if self.user is not None else ACCESS_PLACEHOLDER
            self._handed_out.add(token)
            return token

    def refresh_token(self) -> str:
        with self._lock:
            user = self.refresh_user
            token = user.refresh_token if user is not None else REFRESH_PLACEHOLDER
            self._handed_out_refresh.add(token)
            return token

    def recover(self) -> None:
        """The API refused the access token last sent: let the manager recover."""
        if self.user is not None:
            self.user.recover(self._last_access)

    def freshen(self, case: schemathesis.Case[Any]) -> None:
        """Bring a token this binding handed out up to date (see the module docstring)."""
        sent = sent_header(case)
        if sent is None:
            return
        if sent in self._handed_out:
            token = self.access_token()
            self._last_access = token
            if token != sent:
                set_token(case, token)
        elif sent in self._handed_out_refresh:
            token = self.refresh_token()
            if token != sent:
                set_token(case, token)


def _cache_key(case: schemathesis.Case[Any], context: schemathesis.AuthContext) -> str:
    return "refresh" if is_refresh(case) else "access"


def install_token_auth(schema: schemathesis.BaseSchema, binding: AuthBinding) -> None:
    """Register the provider and its hooks on `schema` (and the clones made of it)."""

    @schema.auth(refresh_interval=_NEVER, cache_by_key=_cache_key, retry_on=[403])
    class PbxTokenAuth:
        """The raw token in `Authorization`, renewed when the API refuses it."""

        def __init__(self) -> None:
            self.asked: set[str] = set()

        def get(self, case: schemathesis.Case[Any], context: schemathesis.AuthContext) -> str:
            key = _cache_key(case, context)
            if key in self.asked and key == "access":
                # Asked again: Schemathesis dropped the token because the API refused it.
                binding.recover()
            self.asked.add(key)
            return binding.refresh_token() if key == "refresh" else binding.access_token()

        def set(
            self, case: schemathesis.Case[Any], data: str, context: schemathesis.AuthContext
        ) -> None:
            set_token(case, data)

    _BINDINGS[id(schema.raw_schema)] = (schema.raw_schema, binding)


# Schemathesis runs `before_call` hooks only from the global dispatcher: one pair of global hooks
# serves every schema, through the binding registered for it.
_BINDINGS: dict[int, tuple[object, AuthBinding]] = {}


def binding_of(case: schemathesis.Case[Any]) -> AuthBinding | None:
    entry = _BINDINGS.get(id(case.operation.schema.raw_schema))
    if entry is None or entry[0] is not case.operation.schema.raw_schema:
        return None
    return entry[1]


@schemathesis.hook("before_call")
def current_token(
    context: schemathesis.HookContext, case: schemathesis.Case[Any], kwargs: dict[str, Any]
) -> None:
    binding = binding_of(case)
    if binding is not None:
        binding.freshen(case)


@schemathesis.hook("after_call")
def keep_rotated_pair(
    context: schemathesis.HookContext, case: schemathesis.Case[Any], response: Any
) -> None:
    binding = binding_of(case)
    refresh_user = binding.refresh_user if binding is not None else None
    if refresh_user is None or not is_refresh(case) or response.status_code != 200:
        return
    if sent_header(case) != refresh_user.refresh_token:
        return
    try:
        pair = TokenPair.from_json(response.json())
    except ValueError:
        return  # not a pair: response_schema_conformance reports that
    refresh_user.replace(pair)
