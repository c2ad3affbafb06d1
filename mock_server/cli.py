"""`tele2-ats-mock`: serve the mock, print where it is and a ready token pair."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import socket
import sys
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from mock_server.domain.pbx import Pbx, PbxConfig
from mock_server.http.app import APP_KINDS, create_app
from mock_server.http.errors import ADMIN_PREFIX, API_PREFIX

__all__ = ["main", "parse_args"]

BANNER = """\
Tele2 ATS CRM API mock (seed {seed}, {companies} companies{state})
  API:         {base}{api}
  Swagger UI:  {base}{api}/ui/
  Control API: {base}{admin}  (Swagger UI: {base}{admin}/ui/)
  Access token (company {company}, valid 1 day):
    {access}
  Refresh token (valid 7 days):
    {refresh}
  Try:  curl -H 'Authorization: <access token>' {base}{api}/employees
"""


class CoalescingTransport:
    """A transport that sends what is written in one turn of the event loop in one packet.

    uvicorn writes a response's head and its body separately, so every answer costs the server
    two `send` calls and the client two wake-ups. Writes here are collected and handed to the
    real transport once, at the end of the loop's current turn (by then a whole response is in),
    in order. Closing sends what is pending first. Everything else goes to the real transport.
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


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="tele2-ats-mock",
        description="Stateful offline mock of the Tele2 corporate PBX CRM API.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on")
    parser.add_argument("--port", type=int, default=8080, help="port; 0 picks a free one")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated data")
    parser.add_argument(
        "--state-file",
        type=Path,
        default=None,
        help="SQLite file to keep state in across restarts (default: fresh state every start)",
    )
    parser.add_argument("--history-days", type=int, default=30, help="days of seeded call history")
    parser.add_argument(
        "--calls-per-day", type=int, default=40, help="average seeded calls per weekday"
    )
    parser.add_argument("--app", choices=APP_KINDS, default="async", help="Connexion app class")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="processes serving the port, sharing one SQLite state file (default 1)",
    )
    parser.add_argument(
        "--log-level",
        default="warning",
        choices=["critical", "error", "warning", "info", "debug"],
        help="log level (access log at info)",
    )
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error(f"--port must be between 0 and 65535, got {args.port}")
    if args.workers < 1:
        parser.error(f"--workers must be at least 1, got {args.workers}")
    if args.history_days < 0 or args.calls_per_day < 0:
        parser.error("--history-days and --calls-per-day must not be negative")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    if args.workers == 1:
        return _serve_alone(args)
    # Workers share one SQLite file: the given state file, or a fresh one for this run.
    with tempfile.TemporaryDirectory(prefix="tele2-ats-mock-") as tmp:
        state_file = args.state_file or Path(tmp) / "state.sqlite3"
        return _serve_with_workers(args, state_file)


def _config(args: argparse.Namespace, state_file: Path | None) -> PbxConfig:
    return PbxConfig(
        seed=args.seed,
        history_days=args.history_days,
        calls_per_day=args.calls_per_day,
        state_file=state_file,
    )


def _listen(args: argparse.Namespace) -> tuple[socket.socket, str] | None:
    """The listening socket and the base URL, or None (reported) if the address is taken."""
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((args.host, args.port))
    except OSError as exc:
        print(f"tele2-ats-mock: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        sock.close()
        return None
    sock.listen(1024)
    port = sock.getsockname()[1]
    host = f"[{args.host}]" if family == socket.AF_INET6 else args.host
    return sock, f"http://{host}:{port}"


def _print_banner(args: argparse.Namespace, pbx: Pbx, base: str) -> None:
    pair = pbx.issue_tokens()
    print(
        BANNER.format(
            seed=pbx.seed,
            companies=len(pbx.company_ids()),
            state=(f", state in {args.state_file}" if args.state_file else "")
            + (f", {args.workers} workers" if args.workers > 1 else ""),
            base=base,
            api=API_PREFIX,
            admin=ADMIN_PREFIX,
            company=pbx.default_principal().company_id,
            access=pair.access_token,
            refresh=pair.refresh_token,
        ),
        flush=True,
    )


def _server(app: Any, args: argparse.Namespace) -> uvicorn.Server:
    return uvicorn.Server(
        uvicorn.Config(
            app,
            log_level=args.log_level,
            access_log=args.log_level in ("info", "debug"),
            lifespan="off",
            http=CoalescingHttpToolsProtocol,
        )
    )


def _serve_alone(args: argparse.Namespace) -> int:
    pbx = Pbx(_config(args, args.state_file))
    app = create_app(pbx, kind=args.app)
    listening = _listen(args)
    if listening is None:
        pbx.close()
        return 2
    sock, base = listening
    _print_banner(args, pbx, base)
    try:
        _server(app, args).run(sockets=[sock])
    finally:
        pbx.close()
    return 0


def _serve_with_workers(args: argparse.Namespace, state_file: Path) -> int:
    """Seed the state file, then fork `args.workers` processes that serve one socket.

    Each worker opens the state file itself (no SQLite connection crosses the fork) and keeps
    its in-memory state in step with the others (http.app.SharedState). This process only
    forwards SIGTERM/SIGINT to the workers and waits; when one worker ends, it stops the rest.
    """
    pbx = _shared_pbx(args, state_file)
    listening = _listen(args)
    if listening is None:
        pbx.close()
        return 2
    sock, base = listening
    _print_banner(args, pbx, base)
    pbx.close()
    workers: set[int] = set()
    for _ in range(args.workers):
        pid = os.fork()
        if pid == 0:  # the worker: never returns into the parent's code (nor its clean-up)
            code = 1
            try:
                code = _worker(args, state_file, sock)
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(code)
        workers.add(pid)
    sock.close()

    def stop(signum: int, frame: object) -> None:
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    exit_code = 0
    while workers:
        pid, status = os.wait()
        workers.discard(pid)
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, -signal.SIGTERM, -signal.SIGINT):
            exit_code = exit_code or 1
        stop(signal.SIGTERM, None)  # one worker ended: the service ends
    return exit_code


def _shared_pbx(args: argparse.Namespace, state_file: Path) -> Pbx:
    """A Pbx on the workers' shared file; the run's own file is treated as the temporary
    database of a single process is: not durable, and not reported as a state file."""
    pbx = Pbx(_config(args, state_file))
    if args.state_file is None:
        pbx.store.set_durable(False)
        pbx.config.state_file = None
    return pbx


def _worker(args: argparse.Namespace, state_file: Path, sock: socket.socket) -> int:
    pbx = _shared_pbx(args, state_file)
    app = create_app(pbx, kind=args.app, shared_state=True)
    try:
        _server(app, args).run(sockets=[sock])
    finally:
        pbx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
