"""ASGI middleware: record every request to the documented API, and inject the faults asked for.

It runs before Connexion's own middlewares (only the shutdown's and, with workers, the shared
state's refresh come first), on every request to `/crm/openapi` (the Swagger UI's pages aside),
so it sees the request as sent and the answer as it left:

1. it finds the operation (`SpecIndex.match`) and reads the token's claims without trusting them;
2. if a fault rule fires (`Pbx.faults`: matched in memory, its firing counted in the store, in
   a thread if the store is busy), it waits the rule's delay and then answers the rule's
   status itself (the documented API's Spring body), answers 403 "The token is expired",
   closes the connection without an answer, or lets the mock answer and cuts the body short;
   a shutdown of the server cuts the delay short, and the request is answered 503 at once
   (`shutdown.py`);
3. otherwise the request goes on to the mock, and the status of its answer is noted;
4. the request, its answer's status and duration, the fault and the request's advisories go
   into the request journal (`Pbx.requests`, `Pbx.advisories`).

With the journal off (`--journal-size 0`) and no fault rule, a request costs a path check and
two attribute reads. Whether the mock accepted the token is the security handler's word
(`note_token_verdict`), passed back through the ASGI scope. The web console's own requests
(header `X-Mock-Console`) are left alone.

Closing the connection needs the server's transport: under uvicorn (the CLI), the ASGI `send`
the outermost middleware receives belongs to the connection's request cycle, which holds it
(`compat_uvicorn.close_connection`). In-process (Starlette's TestClient, httpx's
ASGITransport) there is no connection to close, so the app raises ConnectionResetError
instead, which those clients pass on to the caller.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from http import HTTPStatus
from typing import Final, assert_never
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_server.compat_uvicorn import close_connection
from mock_server.domain.double.advisories import OPERATION_CHECKS, RequestFacts
from mock_server.domain.double.faults import (
    FaultAction,
    FaultBook,
    FaultFiring,
    FaultRule,
    FaultTarget,
)
from mock_server.domain.double.request_journal import JournalEntry
from mock_server.domain.double.token_claims import TokenClaims, decode_claims
from mock_server.domain.errors import TOKEN_EXPIRED_DETAILS
from mock_server.domain.pbx import Pbx
from mock_server.domain.storage.store import StoreBusy
from mock_server.http.errors import API_PREFIX, ErrorRenderer
from mock_server.http.shutdown import Shutdown, refuse
from mock_server.spec_index import Operation, SpecIndex

__all__ = ["RECORD_SCOPE_KEY", "RequestRecorder", "note_token_verdict"]

RECORD_SCOPE_KEY: Final = "tele2_ats.token_verdict"
# The web console's own requests (mock_server/console) are neither recorded nor faulted: it
# shows the mock's state, it is not a client under test.
CONSOLE_HEADER: Final = b"x-mock-console"
MSG_DROPPED: Final = "the connection was dropped by fault rule {rule_id}"
_EXPIRED_BODY: Final = b'{"details":"' + TOKEN_EXPIRED_DETAILS.encode() + b'"}'


@dataclass(slots=True)
class _TokenVerdict:
    accepted: bool | None = None
    rejection: str | None = None


def note_token_verdict(scope: Scope, rejection: str | None) -> None:
    """The security handler's word on the request's token: accepted (`rejection` None) or
    refused, and why."""
    verdict = scope.get(RECORD_SCOPE_KEY)
    if isinstance(verdict, _TokenVerdict):
        verdict.accepted = rejection is None
        verdict.rejection = rejection


class RequestRecorder:
    """See the module's docstring. `api` is the documented API's spec; `shutdown` ends
    injected delays when the server shuts down."""

    def __init__(
        self,
        app: ASGIApp,
        pbx: Pbx,
        renderer: ErrorRenderer,
        api: SpecIndex,
        shutdown: Shutdown,
    ) -> None:
        unknown = {code for op in api for code in op.traits.advisories} - set(OPERATION_CHECKS)
        if unknown:
            raise ValueError(f"x-mock-advisories names no advisory the mock detects: {unknown}")
        self.app = app
        self.pbx = pbx
        self.renderer = renderer
        self.api = api
        self.shutdown = shutdown

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        journal, faults = self.pbx.requests, self.pbx.faults
        if not path.startswith(API_PREFIX) or not (journal.enabled or faults.active):
            await self.app(scope, receive, send)
            return
        relative = path[len(API_PREFIX) :] or "/"
        if (
            relative[0] != "/"
            or relative.startswith(("/ui", "/openapi."))
            or any(name == CONSOLE_HEADER for name, _ in scope["headers"])
        ):
            await self.app(scope, receive, send)
            return
        await self._handle(scope, receive, send, relative)

    async def _handle(self, scope: Scope, receive: Receive, send: Send, relative: str) -> None:
        started = time.perf_counter()
        method: str = scope["method"]
        authorization = content_type = None
        has_body = False
        for name, value in scope["headers"]:
            if name == b"authorization":
                authorization = value.decode("latin-1")
            elif name == b"content-type":
                content_type = value.decode("latin-1")
            elif name == b"content-length":
                has_body = value.strip() not in (b"0", b"")
            elif name == b"transfer-encoding":
                has_body = True
        exchange = _Exchange(self.pbx, scope, started, self.api.match(method, relative))
        exchange.claims = claims = decode_claims(authorization)
        if authorization is not None:
            exchange.headers["authorization"] = authorization
        if content_type is not None:
            exchange.headers["content-type"] = content_type
        if has_body:
            exchange.body, receive = await _read_body(receive)
        scope[RECORD_SCOPE_KEY] = exchange.verdict

        async def noting(message: Message) -> None:
            if message["type"] == "http.response.start":
                exchange.status = message["status"]
            await send(message)

        faults = self.pbx.faults
        firing = None
        # While a reset runs the request is answered 503 (ResetGate), and the rules are replaced.
        if faults.active and not self.pbx.resetting:
            company = None if claims is None else claims.company_id
            target = FaultTarget(method, relative, exchange.operation_id, company, claims)
            if rules := faults.candidates(target):
                try:
                    firing = exchange.firing = await _fire(faults, rules)
                except Exception as exc:  # e.g. the store stayed locked past its timeout
                    await self.renderer.send_failure(noting, method, scope["path"], exc)
                    exchange.finish()
                    return
        try:
            if firing is None:
                await self.app(scope, receive, noting)
            else:
                await self._inject(firing, exchange, receive, send, noting)
        finally:
            exchange.finish()

    async def _inject(
        self,
        firing: FaultFiring,
        exchange: _Exchange,
        receive: Receive,
        send: Send,
        noting: Send,
    ) -> None:
        scope = exchange.scope
        if firing.delay_ms and not await self.shutdown.sleep(firing.delay_ms / 1000):
            await refuse(self.renderer, noting, scope["path"])  # the server is shutting down
            return
        match firing.action:
            case FaultAction.DELAY:
                await self.app(scope, receive, noting)
            case FaultAction.STATUS:
                assert firing.status is not None
                retry = firing.retry_after
                headers = {} if retry is None else {"Retry-After": str(retry)}
                phrase = HTTPStatus(firing.status).phrase
                await self.renderer.send(noting, firing.status, phrase, scope["path"], headers)
            case FaultAction.EXPIRE_TOKENS:
                await _send_json(noting, 403, _EXPIRED_BODY)
            case FaultAction.DROP:
                await _close_connection(send, firing, exchange)
            case FaultAction.TRUNCATE:
                await self.app(scope, receive, _Truncating(noting, send, firing, exchange))
            case _:
                assert_never(firing.action)


class _Exchange:
    """One request on its way through, and what the journal will hold of it."""

    __slots__ = (
        "_finished",
        "body",
        "claims",
        "firing",
        "headers",
        "operation_id",
        "pbx",
        "route",
        "scope",
        "started",
        "status",
        "verdict",
    )

    def __init__(self, pbx: Pbx, scope: Scope, started: float, route: Operation | None) -> None:
        self.pbx = pbx
        self.scope = scope
        self.started = started
        self.route = route
        self.operation_id = None if route is None else route.operation_id
        self.claims: TokenClaims | None = None
        self.verdict = _TokenVerdict()
        self.headers: dict[str, str] = {}
        self.body = b""
        self.status: int | None = None
        self.firing: FaultFiring | None = None
        self._finished = False

    def finish(self) -> None:
        """The answer is out (or the connection is about to close): note it, once."""
        if self._finished:
            return
        self._finished = True
        claims = self.claims
        renewed = self.route is not None and self.route.traits.write == "tokens"
        if self.status == 200 and renewed and claims is not None:
            self.pbx.faults.note_refresh(claims.company_id, claims.user_id)
        if self.pbx.requests.enabled:
            self._record()

    def _record(self) -> None:
        pbx, scope, claims, verdict = self.pbx, self.scope, self.claims, self.verdict
        company = None if claims is None else claims.company_id
        at = pbx.now(company if verdict.accepted else None)
        path: str = scope["path"][len(API_PREFIX) :] or "/"
        query_string: bytes = scope.get("query_string", b"")
        entry = JournalEntry(
            at=at,
            method=scope["method"],
            path=path,
            operation_id=self.operation_id,
            query_string=query_string,
            raw_headers=scope["headers"],  # the entry keeps them up to its bounds
            body=self.body,
            token=claims,
            token_accepted=verdict.accepted,
            token_rejection=verdict.rejection,
            company_id=company,
            status=self.status,
            duration_ms=(time.perf_counter() - self.started) * 1000,
            fault=self.firing,
            id=pbx.requests.next_id(),
        )
        query = (
            parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
            if query_string
            else ()
        )
        facts = RequestFacts(
            method=entry.method,
            path=entry.path,  # cut short as the journal keeps it (an advisory quotes it)
            operation_id=self.operation_id,
            query=tuple(query),
            headers=self.headers,
            body=self.body,
            token=claims,
            known_query=None if self.route is None else self.route.query,
            advisories=None if self.route is None else self.route.traits.advisories,
        )
        entry.advisories = tuple(
            pbx.advisories.observe(
                facts,
                request_id=entry.id,
                at=at,
                mock_seconds=at.timestamp(),
                real_seconds=self.started,
            )
        )
        pbx.requests.record(entry)


async def _fire(faults: FaultBook, rules: list[FaultRule]) -> FaultFiring | None:
    """The firing of the first of `rules` that fires, counted in the store: at once if its
    write lock is free, else in a thread, so that the event loop never waits for a reset or a
    seeding that holds it (the thread's hop costs about as much as the rest of the request)."""
    try:
        return faults.fire_first(rules, wait=False)
    except StoreBusy:
        return await asyncio.to_thread(faults.fire_first, rules)


async def _read_body(receive: Receive) -> tuple[bytes, Receive]:
    """The whole request body, and a `receive` that hands the app the same messages again."""
    messages: list[Message] = []
    chunks: list[bytes] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break

    async def replay() -> Message:
        if messages:
            return messages.pop(0)
        return await receive()

    return b"".join(chunks), replay


async def _send_json(send: Send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _close_connection(send: Send, firing: FaultFiring, exchange: _Exchange) -> None:
    """Close the client's connection now, whatever was sent on it; in-process, raise. The
    exchange is noted first: a client that sees the connection end finds it in the journal."""
    exchange.finish()
    if not await close_connection(send):
        raise ConnectionResetError(MSG_DROPPED.format(rule_id=firing.rule_id))


class _Truncating:
    """An ASGI `send` that holds the mock's answer back, then sends its head and the first half
    of its body, and closes the connection."""

    def __init__(
        self, noting: Send, raw_send: Send, firing: FaultFiring, exchange: _Exchange
    ) -> None:
        self._noting = noting
        self._raw_send = raw_send
        self._firing = firing
        self._exchange = exchange
        self._start: Message | None = None
        self._chunks: list[bytes] = []

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self._start = message
            return
        if message["type"] != "http.response.body":
            return
        self._chunks.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        body = b"".join(self._chunks)
        assert self._start is not None
        await self._noting(self._start)
        await self._noting(
            {"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True}
        )
        await _close_connection(self._raw_send, self._firing, self._exchange)
