"""What a request's token says about itself, read without trusting it.

The request journal, the advisories and the fault rules need to know whose request it is before
(or whether or not) the mock accepts the token: its claims are decoded without checking the
signature or the expiry (PyJWT, `verify_signature: False`). Whether the mock accepted the token
is a separate fact, recorded by the journal from the security check.

A client sends the same token again and again, so decoded tokens are remembered (a bounded
memory, started over when full).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

import jwt

from mock_server.domain.rules.tokens import (
    ACCESS_SUBJECT,
    ACCESS_TTL_SECONDS,
    REFRESH_SUBJECT,
    REFRESH_TTL_SECONDS,
)

__all__ = ["KIND_ACCESS", "KIND_REFRESH", "TokenClaims", "decode_claims"]

KIND_ACCESS: Final = "access"
KIND_REFRESH: Final = "refresh"
_KINDS: Final = {ACCESS_SUBJECT: KIND_ACCESS, REFRESH_SUBJECT: KIND_REFRESH}
_LIFETIMES: Final = {KIND_ACCESS: ACCESS_TTL_SECONDS, KIND_REFRESH: REFRESH_TTL_SECONDS}
_BEARER: Final = "bearer "
_MEMORY_SIZE: Final = 1024
# Only headers up to this long are remembered (the mock's tokens are about 400 characters): a
# thousand 2 MB forgeries would otherwise be kept.
_MEMORY_HEADER_LENGTH: Final = 4096
# `exp` is shown as an instant only within the years 1 to 9999 (a forged 10**400 would make
# every later listing of the journal fail).
_EARLIEST_EXP: Final = int(datetime(1, 1, 1, tzinfo=UTC).timestamp())
_LATEST_EXP: Final = int(datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC).timestamp())
# A login is shown up to this long (a forged token's may be megabytes, kept in the journal).
_LOGIN_CHARS: Final = 200
MSG_NOT_JWT: Final = "not a JWT: {reason}"
MSG_NO_DETAILS: Final = "a JWT without the service's UserDetailsImpl claim"


@dataclass(frozen=True, slots=True)
class TokenClaims:
    """The claims of an `Authorization` header as the token states them (unverified).

    `kind` is `access` or `refresh` (from `sub`), None for any other subject; `error` says why
    nothing could be decoded (the other fields are then None). `bearer`: the header carried a
    `Bearer ` prefix (the claims are those of the token after it).

    Example::

        decode_claims(pair.access_token).company_id  # 391
    """

    company_id: int | None = None
    user_id: int | None = None
    login: str | None = None
    kind: str | None = None
    expires: int | None = None  # `exp`, Unix seconds
    error: str | None = None
    bearer: bool = False

    @property
    def issued(self) -> float | None:
        """When the token was issued (its `exp` less its kind's lifetime), Unix seconds."""
        if self.expires is None or self.kind is None:
            return None
        return float(self.expires - _LIFETIMES[self.kind])

    def to_json(self) -> dict[str, Any]:
        if self.error is not None:
            return {"decoded": False, "error": self.error, "bearerPrefix": self.bearer}
        expires = (
            None
            if self.expires is None
            else datetime.fromtimestamp(self.expires, UTC).isoformat().replace("+00:00", "Z")
        )
        return {
            "decoded": True,
            "companyId": self.company_id,
            "userId": self.user_id,
            "login": self.login,
            "kind": self.kind,
            "expiresAt": expires,
            "bearerPrefix": self.bearer,
        }


_memory: dict[str, TokenClaims] = {}
_memory_lock = threading.Lock()


def decode_claims(header: str | None) -> TokenClaims | None:
    """The claims of an `Authorization` header's token, or None without a header."""
    if header is None:
        return None
    claims = _memory.get(header)
    if claims is None:
        claims = _decode(header)
        if len(header) > _MEMORY_HEADER_LENGTH:
            return claims
        with _memory_lock:
            if len(_memory) >= _MEMORY_SIZE:
                _memory.clear()
            _memory[header] = claims
    return claims


def _decode(header: str) -> TokenClaims:
    token = header.strip()
    bearer = token[:7].lower() == _BEARER
    if bearer:
        token = token[7:].strip()
    try:
        claims: dict[str, Any] = jwt.decode(
            token, options={"verify_signature": False, "verify_exp": False}
        )
    except jwt.InvalidTokenError as exc:
        return TokenClaims(error=MSG_NOT_JWT.format(reason=exc), bearer=bearer)
    details = claims.get("UserDetailsImpl")
    if not isinstance(details, dict):
        return TokenClaims(error=MSG_NO_DETAILS, bearer=bearer)
    expires = claims.get("exp")
    subject = claims.get("sub")
    return TokenClaims(
        company_id=_integer(details.get("companyId")),
        user_id=_integer(details.get("userId")),
        login=login[:_LOGIN_CHARS] if isinstance(login := details.get("login"), str) else None,
        kind=_KINDS.get(subject) if isinstance(subject, str) else None,
        expires=_instant(expires),
        bearer=bearer,
    )


def _integer(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def _instant(value: object) -> int | None:
    """`exp` if it is Unix seconds of a year from 1 to 9999, else None."""
    seconds = _integer(value)
    if seconds is None or not _EARLIEST_EXP <= seconds <= _LATEST_EXP:
        return None
    return seconds
