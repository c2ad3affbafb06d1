"""Everything the mock changes in uvicorn, or reads from its inside, in one place.

Written for uvicorn 0.30 to 0.55 (pinned `>=0.30,<0.56`): the version is checked as this module
is imported, before it imports anything private, and any other refuses in one line
(`mock_server/frameworks.py`; `tele2-ats-mock` exits 2). Outside this module the mock uses
`uvicorn.Config` and `uvicorn.Server` as documented (`tests/test_framework_seam.py` fails on a
private name of a framework anywhere else).

What is overridden, why, and what it is worth (`scripts/measure_overrides.py --uvicorn`: the
mock over a socket under autocannon, the server's CPU per request):

- `QuietExitServer.handle_exit` clears `Server._captured_signals`: stock uvicorn 0.29+ raises
  SIGTERM/SIGINT again once its graceful shutdown is done, so the process dies by the signal
  (status 143) before the mock's clean-up (the temporary database, the ready file's removal)
  and a `set -e` script fails. Here the signal only asks for the graceful shutdown, and the
  process exits 0. Tested by `tests/api/test_cli_options.py` and the process tests.
- `close_connection` reads the transport of the connection a response goes out on, from the
  ASGI `send` (a bound method of uvicorn's request-response cycle, which holds the
  transport): the fault rules `drop` and `truncate` end the connection, which ASGI cannot
  express. In-process (Starlette's TestClient, httpx's ASGITransport) there is no connection,
  and the caller raises instead.
- `CoalescingHttpToolsProtocol` writes through `CoalescingTransport`: uvicorn writes a
  response's head and its body separately, so every answer costs the server two `send`
  calls and the client two wake-ups; here what one turn of the event loop writes goes out in
  one packet (part of the throughput measured by `make bench` when it came in; not measured
  alone since).
"""

from __future__ import annotations

from mock_server.frameworks import UVICORN, require

require(UVICORN)

# The imports below come after the version check (E402 is allowed in this module only).
import asyncio
import socket
import time
from collections.abc import Callable
from types import FrameType
from typing import Any, Final, cast

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

__all__ = [
    "CoalescingHttpToolsProtocol",
    "CoalescingTransport",
    "QuietExitServer",
    "close_connection",
]

# How long to wait for the server to see a closed connection before the app returns.
_CLOSE_WAIT_SECONDS: Final = 2.0


class CoalescingTransport:
    """A transport that sends what is written in one turn of the event loop in one packet.

    Writes are collected and handed to the real transport once, at the end of the loop's
    current turn (by then a whole response is in), in order. Closing sends what is pending
    first. Everything else goes to the real transport.
    """

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not self._pending:
            self._loop.call_soon(self._flush)
        self._pending.append(bytes(data))

    def _flush(self) -> None:
        if self._pending:
            data = b"".join(self._pending)
            self._pending.clear()
            if not self._transport.is_closing():
                self._transport.write(data)

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class CoalescingHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, writing through a CoalescingTransport."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(cast(asyncio.Transport, CoalescingTransport(transport, self.loop)))


class QuietExitServer(uvicorn.Server):
    """uvicorn's server, ending cleanly (status 0) on SIGTERM/SIGINT (see the module's
    docstring). `on_started` runs once the server accepts connections, `on_shutdown` as its
    shutdown begins (the app's injected delays end then).
    """

    def __init__(
        self,
        config: uvicorn.Config,
        on_started: Callable[[], None] | None = None,
        on_shutdown: Callable[[], None] | None = None,
    ):
        super().__init__(config)
        self._on_started = on_started
        self._on_shutdown = on_shutdown

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        self._captured_signals.clear()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started and self._on_started is not None:
            self._on_started()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        if self._on_shutdown is not None:
            self._on_shutdown()
        await super().shutdown(sockets=sockets)


async def close_connection(send: Callable[..., Any]) -> bool:
    """Close the connection the ASGI `send` answers on, after what was written on it; False
    if `send` is not uvicorn's (in-process: there is no connection to close).

    Returns once the server has seen the connection close (at most two seconds): returning
    before would make it answer 500 on the closed connection, and log an error.
    """
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None:
        return False
    transport.close()  # what was written goes out first, then the connection ends
    deadline = time.monotonic() + _CLOSE_WAIT_SECONDS
    while not getattr(cycle, "disconnected", True) and time.monotonic() < deadline:
        await asyncio.sleep(0.001)
    return True
