"""A production stand-in on loopback: the mock, except on the decisions a test chooses.

It is not part of the product. An ASGI wrapper around the mock's app changes what production
might do differently: `number` in the journal statistics although none was asked (D16), pages
capped at 1000 records (D17), 400 for a window whose start is after its end (D18), an
undocumented field on every call record; a 12-hour access token (D60) is the test's doing
(it issues the pair while the mock's lifetime is patched).
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

import uvicorn

from mock_server.domain.pbx import Pbx
from mock_server.http.app import create_app
from tests.pinned import pinned_config

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

API = "/crm/openapi"
UNKNOWN_FIELD = "region"


class StandIn:
    """The differences, as an ASGI middleware."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        query = dict(parse_qsl(scope.get("query_string", b"").decode(), keep_blank_values=True))
        windows = ("/call-records/info", "/statistics/common", "/statistics/journal")
        if path.removeprefix(API) in windows:
            start, end = query.get("start"), query.get("end")
            if start and end and start > end:  # one offset throughout the probes: text order
                body = json.dumps(
                    {
                        "timestamp": "2026-03-04T12:00:00.000+00:00",
                        "status": 400,
                        "error": "Bad Request",
                        "message": "start is after end",
                        "path": path,
                    }
                ).encode()
                await send(
                    {
                        "type": "http.response.start",
                        "status": 400,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        if path == API + "/call-records/info" and int(query.get("size", "10") or 10) > 1000:
            query["size"] = "1000"
            scope = {**scope, "query_string": urlencode(query).encode()}
        change = {
            API + "/call-records/info": _unknown_field,
            API + "/statistics/journal": _journal_number,
        }.get(path)
        if change is None:
            await self.app(scope, receive, send)
            return
        start_message: Message = {}
        chunks: list[bytes] = []

        async def hold(message: Message) -> None:
            nonlocal start_message
            if message["type"] == "http.response.start":
                start_message = message
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            if start_message["status"] == 200:
                body = json.dumps(change(json.loads(body))).encode()
            headers = [
                (k, v) for k, v in start_message["headers"] if k.lower() != b"content-length"
            ]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start_message, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, hold)


def _unknown_field(records: Any) -> Any:
    return [{**record, UNKNOWN_FIELD: "77"} for record in records]


def _journal_number(answer: Any) -> Any:
    return {**answer, "number": answer.get("number", "79990001122")}


@contextlib.contextmanager
def running_stand_in(pbx: Pbx | None = None) -> Iterator[tuple[str, Pbx]]:
    """The stand-in on a free loopback port: (base URL of the API, its PBX)."""
    pbx = pbx or Pbx(pinned_config(history_days=121))
    app = StandIn(create_app(pbx))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the stand-in did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}{API}", pbx
    finally:
        server.should_exit = True
        thread.join(10)
