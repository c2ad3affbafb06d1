"""Token checks as the real service does them: 403 for every failure, never 401.

Connexion's stock apiKey handler answers 401 when the header is missing or refused. This
handler never lets the request through without a usable token and raises the domain's
TokenRejected instead, which the error renderer turns into the real service's 403 bodies.
The kind of token an operation takes is the scheme's `x-token-subject` in the spec.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from connexion.security import AbstractSecurityHandler

from mock_server.domain.errors import TokenRejected
from mock_server.domain.rules.tokens import TokenService
from mock_server.http.recorder import note_token_verdict

__all__ = ["TOKEN_INFO_PRINCIPAL", "TOKEN_INFO_TOKEN", "make_security_map"]

TOKEN_INFO_PRINCIPAL = "principal"
TOKEN_INFO_TOKEN = "token"


def _authorization(scope: Any) -> str | None:
    """The Authorization header, as `request.headers.get` reads it (the first one, Latin-1),
    from the ASGI scope's raw headers (whose names the server gives in lower case) without
    building a Headers object."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            text: str = value.decode("latin-1")
            return text
    return None


def make_security_map(tokens: TokenService) -> dict[str, type[AbstractSecurityHandler]]:
    class PbxTokenHandler(AbstractSecurityHandler):  # type: ignore[misc]
        def get_fn(
            self, security_scheme: dict[str, Any], required_scopes: list[str]
        ) -> Callable[[Any], dict[str, Any]]:
            subject = security_scheme["x-token-subject"]

            def verify(request: Any) -> dict[str, Any]:
                header = _authorization(request.scope)
                try:
                    principal = tokens.authenticate(header, subject)
                except TokenRejected as exc:
                    note_token_verdict(request.scope, exc.details or exc.message)
                    raise
                note_token_verdict(request.scope, None)
                return {
                    "sub": principal.login,
                    TOKEN_INFO_PRINCIPAL: principal,
                    TOKEN_INFO_TOKEN: header,
                }

            return verify

    return {"apiKey": PbxTokenHandler}
