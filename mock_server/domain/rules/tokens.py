"""API tokens exactly as the real service issues them.

JWTs signed HS512 with the claims `{"UserDetailsImpl": {companyId, userId, login}, "exp", "sub"}`
and nothing else (no `iat`, no `jti`), `sub` telling an access token from a refresh token.
An access token lives one day, a refresh token seven.

Generating a pair (the web cabinet's "Сгенерировать токен", here the control API) or refreshing
one supersedes every earlier pair of that user. `exp` is exactly the issue instant (whole
seconds of the company's clock) plus the lifetime. The claims carry no id, so, as on the real
service, two pairs of one user issued in the same second are byte-identical: the second issue
hands out the same pair again, which stays valid (nothing newer exists to supersede it), and a
refresh in the second its pair was issued returns that very pair.

Checking a token's signature (HMAC-SHA512 plus PyJWT's parsing) is most of the cost of a
request, and a client sends the same token again and again; so the verified claims of a token
are kept in memory, keyed by the token string, for as long as the signing secret lives. What
can change about a verified token is checked on every request all the same: expiry against the
mock clock, and whether its pair was superseded, in the store (so a supersede takes effect at
once, whichever process of a shared state file made it).
"""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass
from typing import Any

import jwt

from mock_server.domain.clock import TenantClocks
from mock_server.domain.errors import TokenExpired, TokenRejected, TokenSuperseded
from mock_server.domain.storage.store import Store

__all__ = [
    "ACCESS_SUBJECT",
    "ACCESS_TTL_SECONDS",
    "REFRESH_SUBJECT",
    "REFRESH_TTL_SECONDS",
    "Principal",
    "TokenPair",
    "TokenService",
]

ACCESS_SUBJECT = "ACCESS_OPENAPI_TOKEN"
REFRESH_SUBJECT = "REFRESH_OPENAPI_TOKEN"
ACCESS_TTL_SECONDS = 24 * 3600
REFRESH_TTL_SECONDS = 7 * 24 * 3600
ALGORITHM = "HS512"
SECRET_META_KEY = "jwt_secret"
# Verified tokens remembered per secret; past this many, the memory starts over.
VERIFIED_CACHE_SIZE = 4096

MSG_MISSING = (
    "Authorization header is missing: send the access token, raw, as 'Authorization: <token>'"
)
MSG_BEARER = (
    "Authorization header starts with 'Bearer ': this API takes the token raw, "
    "as 'Authorization: <token>', with no prefix"
)
MSG_MALFORMED = "Authorization header does not hold a JWT: {reason}"
MSG_SIGNATURE = (
    "The token's signature does not match: it was not issued by this server "
    "(or was issued before a reset)"
)
MSG_UNKNOWN = "The token was not issued by this server (or was issued before a reset)"
MSG_WRONG_KIND = {
    ACCESS_SUBJECT: (
        "This is a refresh token ({got}); every operation but the refresh takes the access token"
    ),
    REFRESH_SUBJECT: (
        "This is an access token ({got}); PUT /authorization/refresh/token takes the refresh token"
    ),
}


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a token speaks for: every request is confined to `company_id`."""

    company_id: int
    user_id: int
    login: str


@dataclass(frozen=True, slots=True)
class _Verified:
    """A token whose signature was checked: its claims, exactly as the check returned them,
    and what every request needs of them, read once."""

    claims: dict[str, Any]
    subject: str
    expires: float
    principal: Principal | None  # None: the claims name no user (refused on use)


@dataclass(frozen=True, slots=True)
class _Keyring:
    """The signing secret and the tokens verified with it, replaced together on rotation."""

    secret: str
    verified: dict[str, _Verified]


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str

    def to_json(self) -> dict[str, str]:
        return {"accessToken": self.access_token, "refreshToken": self.refresh_token}


class TokenService:
    """Issues, refreshes and checks token pairs; state lives in the store."""

    def __init__(self, store: Store, clocks: TenantClocks) -> None:
        self._store = store
        self._clocks = clocks
        secret = store.get_meta(SECRET_META_KEY)
        if secret is None:
            secret = secrets.token_hex(64)
            store.set_meta(SECRET_META_KEY, secret)
        self._keyring = _Keyring(secret, {})

    @property
    def _secret(self) -> str:
        return self._keyring.secret

    def adopt_secret(self, secret: str | None) -> None:
        """Sign and verify with `secret` from now on (a reset's new secret, or the one another
        process stored): every token signed with another secret is unknown from then on."""
        if secret and secret != self._keyring.secret:
            # One assignment swaps the secret and the memory of what it verified, so a check
            # that runs concurrently uses either the old pair or the new one, never a mix.
            self._keyring = _Keyring(secret, {})

    def issue(self, principal: Principal) -> TokenPair:
        """Generate a new pair for the user, superseding all of the user's earlier pairs."""
        with self._store.transaction() as conn:
            conn.execute(
                "INSERT INTO users (company_id, user_id, login) VALUES (?, ?, ?) "
                "ON CONFLICT (company_id, user_id) DO UPDATE SET login = excluded.login",
                (principal.company_id, principal.user_id, principal.login),
            )
            return self._issue_in(conn, principal)

    def refresh(self, header: str | None) -> TokenPair:
        """Exchange a valid refresh token for a new pair; the old pair is dead afterwards."""
        token = self._raw_token(header)
        principal = self._check(token, REFRESH_SUBJECT)
        with self._store.transaction() as conn:
            row = conn.execute(
                "SELECT superseded FROM token_pairs WHERE refresh_token = ?", (token,)
            ).fetchone()
            if row is None:
                raise TokenRejected(MSG_UNKNOWN)
            if row["superseded"]:
                raise TokenSuperseded(
                    "This refresh token's pair was replaced by a newer pair "
                    "(a refresh or a new generation)"
                )
            return self._issue_in(conn, principal)

    def authenticate(self, header: str | None, subject: str = ACCESS_SUBJECT) -> Principal:
        """Check a token for an operation that takes `subject`; raise TokenRejected if unusable."""
        token = self._raw_token(header)
        principal = self._check(token, subject)
        column = "access_token" if subject == ACCESS_SUBJECT else "refresh_token"
        row = (
            self._store.read()
            .execute(f"SELECT superseded FROM token_pairs WHERE {column} = ?", (token,))
            .fetchone()
        )
        if row is None:
            raise TokenRejected(MSG_UNKNOWN)
        if row[0]:
            raise TokenSuperseded("This token's pair was replaced by a newer pair")
        return principal

    def _issue_in(self, conn: sqlite3.Connection, principal: Principal) -> TokenPair:
        now = int(self._clocks.timestamp(principal.company_id))
        access_exp = now + ACCESS_TTL_SECONDS
        refresh_exp = now + REFRESH_TTL_SECONDS
        pair = TokenPair(
            access_token=self._encode(principal, access_exp, ACCESS_SUBJECT),
            refresh_token=self._encode(principal, refresh_exp, REFRESH_SUBJECT),
        )
        conn.execute(
            "UPDATE token_pairs SET superseded = 1 "
            "WHERE company_id = ? AND user_id = ? AND superseded = 0 AND access_token != ?",
            (principal.company_id, principal.user_id, pair.access_token),
        )
        # The same pair issued again in the same second is the current pair, as it was.
        conn.execute(
            "INSERT INTO token_pairs (company_id, user_id, access_token, refresh_token, "
            "access_exp, refresh_exp) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (access_token) DO UPDATE SET superseded = 0",
            (
                principal.company_id,
                principal.user_id,
                pair.access_token,
                pair.refresh_token,
                access_exp,
                refresh_exp,
            ),
        )
        return pair

    def _encode(self, principal: Principal, exp: int, subject: str) -> str:
        claims = {
            "UserDetailsImpl": {
                "companyId": principal.company_id,
                "userId": principal.user_id,
                "login": principal.login,
            },
            "exp": exp,
            "sub": subject,
        }
        # The real header is exactly {"alg":"HS512"}; PyJWT would add "typ": "JWT".
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM, headers={"typ": None})

    @staticmethod
    def _raw_token(header: str | None) -> str:
        if header is None or not header.strip():
            raise TokenRejected(MSG_MISSING)
        if header[:7].lower() == "bearer ":
            raise TokenRejected(MSG_BEARER)
        return header.strip()

    def _check(self, token: str, subject: str) -> Principal:
        """The token's user, if its signature is ours, it is of kind `subject` and it has not
        expired by its company's mock clock."""
        keyring = self._keyring
        verified = keyring.verified.get(token)
        if verified is None:
            claims = self._verify_signature(token, keyring.secret)
            try:
                principal: Principal | None = _principal(claims)
            except (KeyError, TypeError, ValueError):
                principal = None
            verified = _Verified(claims, str(claims["sub"]), float(claims["exp"]), principal)
            if len(keyring.verified) >= VERIFIED_CACHE_SIZE:
                keyring.verified.clear()
            keyring.verified[token] = verified
        if verified.subject != subject:
            raise TokenRejected(MSG_WRONG_KIND[subject].format(got=verified.subject))
        if verified.principal is None:
            raise TokenRejected(MSG_MALFORMED.format(reason="no UserDetailsImpl claim"))
        # The company's mock clock, not the wall clock, decides expiry.
        if self._clocks.timestamp(verified.principal.company_id) >= verified.expires:
            raise TokenExpired(f"The {_kind(subject)} token expired")
        return verified.principal

    @staticmethod
    def _verify_signature(token: str, secret: str) -> dict[str, Any]:
        """The claims of a token signed with `secret` (shared read-only with the cache)."""
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                secret,
                algorithms=[ALGORITHM],
                options={"verify_exp": False, "require": ["exp", "sub"]},
            )
        except jwt.InvalidSignatureError as exc:
            raise TokenRejected(MSG_SIGNATURE) from exc
        except jwt.InvalidTokenError as exc:
            raise TokenRejected(MSG_MALFORMED.format(reason=exc)) from exc
        return claims


def _kind(subject: str) -> str:
    return "access" if subject == ACCESS_SUBJECT else "refresh"


def _principal(claims: dict[str, Any]) -> Principal:
    details = claims["UserDetailsImpl"]
    return Principal(
        company_id=int(details["companyId"]),
        user_id=int(details["userId"]),
        login=str(details["login"]),
    )
