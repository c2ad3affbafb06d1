"""Schemathesis's way out to the real service: a WSGI app that relays to the guarded client.

Schemathesis sends a case through the transport of its schema's app, and its checks send their
probes the same way (they pass the app along). With this bridge as the app, every request of
the run, generated or probe, is relayed by one `httpx.Client` whose transport is the
`GuardedTransport`: no code path reaches the network around the policy, budget and rate limit.
A refused request raises out of the bridge (the test errors, naming the refusal); nothing is
turned into a fake answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Final

import httpx

__all__ = ["WsgiBridge"]

# Hop-by-hop headers (RFC 9110 section 7.6.1) and those httpx recomputes.
_DROP_REQUEST: Final = frozenset(
    {"host", "connection", "keep-alive", "transfer-encoding", "content-length"}
)
_DROP_RESPONSE: Final = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "content-encoding", "content-length"}
)
StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class WsgiBridge:
    """`environ` -> the same request to `base_url` + the path after `schema_base_path`."""

    def __init__(self, client: httpx.Client, base_url: str, schema_base_path: str) -> None:
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.schema_base_path = schema_base_path.rstrip("/")
        self.relayed = 0

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        # RAW_URI keeps the path's percent-encoding as sent (PATH_INFO is decoded).
        raw = str(environ.get("RAW_URI") or environ.get("PATH_INFO") or "/")
        path = raw.split("?", 1)[0]
        if self.schema_base_path and path.startswith(self.schema_base_path):
            path = path[len(self.schema_base_path) :]
        query = environ.get("QUERY_STRING", "")
        url = self.base_url + path + (f"?{query}" if query else "")
        headers: list[tuple[str, str]] = []
        for key, value in environ.items():
            if key.startswith("HTTP_"):
                name = key[5:].replace("_", "-").title()
            elif key in ("CONTENT_TYPE",):
                name = "Content-Type"
            else:
                continue
            if name.lower() not in _DROP_REQUEST and value != "":
                headers.append((name, str(value)))
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        # Percent-encoding is kept as the client sent it (`filename` may be double-encoded).
        request = self.client.build_request(
            environ["REQUEST_METHOD"], url, headers=headers, content=body
        )
        request.url = httpx.URL(url)
        response = self.client.send(request)
        self.relayed += 1
        status = f"{response.status_code} {response.reason_phrase}"
        kept = [
            (k, v) for k, v in response.headers.multi_items() if k.lower() not in _DROP_RESPONSE
        ]
        content = response.content
        kept.append(("Content-Length", str(len(content))))
        start_response(status, kept)
        return [content]
