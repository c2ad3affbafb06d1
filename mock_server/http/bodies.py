"""Two ASGI middlewares that make bodies on the wire what the spec says they are.

- `AcceptAnyContentType`: an operation whose spec lists `x-accepted-content-types` (POST
  /blacklist, decision D14) documents one media type, the one a correct client sends, but the
  service reads the body as a plain string whatever the request's Content-Type, as Spring's
  string converter does. Connexion validates the Content-Type against the documented media
  types (415 otherwise), so for those operations the request's Content-Type is replaced by the
  documented one before Connexion sees it; the body is untouched.
- `NoContentTypeOnEmptyBody`: an answer without a body (`Content-Length: 0`) carries no
  Content-Type, as Spring's `ResponseEntity<Void>` (decision D31). Connexion labels every answer
  of an operation with the operation's media type, and an empty body labelled application/json
  is invalid JSON to a validating client or proxy.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_server.spec_index import SpecIndex

__all__ = [
    "ACCEPTED_CONTENT_TYPES",
    "AcceptAnyContentType",
    "NoContentTypeOnEmptyBody",
    "lenient_operations",
]

ACCEPTED_CONTENT_TYPES = "x-accepted-content-types"


def lenient_operations(index: SpecIndex, prefix: str) -> dict[tuple[str, str], bytes]:
    """(METHOD, full path) -> documented media type, of the operations that take any type."""
    table: dict[tuple[str, str], bytes] = {}
    for operation in index:
        if ACCEPTED_CONTENT_TYPES not in operation.spec:
            continue
        if "{" in operation.path:
            raise ValueError(f"{operation.path}: {ACCEPTED_CONTENT_TYPES} on a templated path")
        documented = operation.request_media_types[0]
        table[(operation.method, prefix + operation.path)] = documented.encode("latin-1")
    return table


class AcceptAnyContentType:
    """Sends the requests of `operations` ((METHOD, path) -> media type) to the app labelled
    with the documented media type, whatever Content-Type (or none) they came with."""

    def __init__(self, app: ASGIApp, operations: dict[tuple[str, str], bytes]) -> None:
        self.app = app
        self.operations = operations

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            documented = self.operations.get((scope["method"], scope["path"]))
            if documented is not None:
                headers = [(k, v) for k, v in scope["headers"] if k != b"content-type"]
                headers.append((b"content-type", documented))
                scope = {**scope, "headers": headers}
        await self.app(scope, receive, send)


class NoContentTypeOnEmptyBody:
    """Drops Content-Type from answers that declare `Content-Length: 0`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_without_type(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.get("headers") or []
                if any(k.lower() == b"content-length" and v.strip() == b"0" for k, v in headers):
                    message = {
                        **message,
                        "headers": [(k, v) for k, v in headers if k.lower() != b"content-type"],
                    }
            await send(message)

        await self.app(scope, receive, send_without_type)
