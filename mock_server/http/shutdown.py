"""A shutdown that waits for nobody: the mock's own waits end, the rest is answered 503.

A fault rule may hold a request for up to ten minutes (`delayMs`), and a client may announce a
body it never sends. A graceful shutdown waits for the requests in flight, so a SIGTERM would
wait as long, and a caller that stops the mock with a timeout (the pytest plugin) would kill it
and leave its temporary database behind. So:

- the server calls `Shutdown.begin()` as its shutdown starts, and every `Shutdown.sleep()`
  (an injected delay) ends at once: the request is answered 503 "The mock is shutting down"
  (`refuse`), in its API's error shape, with `Connection: close`;
- whatever else is still in flight when the server's grace period ends (cli.py) is cancelled
  by the server; `AnswerWhenCutOff`, the outermost middleware, answers such a request the same
  503 instead of letting the cancellation end it with a traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from typing import Final

from starlette.types import ASGIApp, Receive, Scope, Send

from mock_server.http.errors import ErrorRenderer

__all__ = ["MSG_SHUTTING_DOWN", "AnswerWhenCutOff", "Shutdown", "refuse"]

MSG_SHUTTING_DOWN: Final = "The mock is shutting down"

log = logging.getLogger(__name__)


class Shutdown:
    """Whether the server is shutting down, and waits that end early when it does.

    Works with any event loop, and `begin()` from any thread (each waiter is released on its
    own loop), so in-process clients that run each request in a loop of its own work too.

    Example::

        shutdown = Shutdown()
        if not await shutdown.sleep(45.0):
            ...  # cut short: the server is shutting down
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = set()
        self.begun = False

    def begin(self) -> None:
        """The server is shutting down: end every wait, now and from now on."""
        with self._lock:
            self.begun = True
            waiters = list(self._waiters)
        for loop, waiter in waiters:
            loop.call_soon_threadsafe(_release, waiter)

    async def sleep(self, seconds: float) -> bool:
        """Wait `seconds`; True if they passed, False if the shutdown cut the wait short."""
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[None] = loop.create_future()
        entry = (loop, waiter)
        with self._lock:
            if self.begun:
                return False
            self._waiters.add(entry)
        try:
            await asyncio.wait_for(waiter, seconds)
        except TimeoutError:
            return True
        finally:
            with self._lock:
                self._waiters.discard(entry)
        return False


def _release(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


async def refuse(renderer: ErrorRenderer, send: Send, path: str) -> None:
    """Answer 503 "The mock is shutting down" (the connection closes after it)."""
    await renderer.send(send, 503, MSG_SHUTTING_DOWN, path)


class AnswerWhenCutOff:
    """The outermost middleware: a request the server cancels during its shutdown is answered
    503 (see the module's docstring); any other cancellation goes on as it came."""

    def __init__(self, app: ASGIApp, shutdown: Shutdown, renderer: ErrorRenderer) -> None:
        self.app = app
        self.shutdown = shutdown
        self.renderer = renderer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        except asyncio.CancelledError:
            if scope["type"] != "http" or not self.shutdown.begun:
                raise
            log.info("cut off by the shutdown: %s %s", scope["method"], scope["path"])
            # The answer may have begun (the server then refuses a second start): nothing to do.
            with contextlib.suppress(RuntimeError):
                await refuse(self.renderer, send, scope["path"])
