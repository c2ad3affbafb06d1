"""`tele2-ats-mock`: serve the mock, print where it is and a ready token pair."""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import ctypes.util
import logging
import os
import re
import signal
import socket
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import uvicorn

from mock_server.compat_uvicorn import CoalescingHttpToolsProtocol, QuietExitServer
from mock_server.domain.clock import check_seed_instant
from mock_server.domain.double.request_journal import DEFAULT_CAPACITY, DEFAULT_MAX_BYTES
from mock_server.domain.errors import DocumentRefused, DomainError
from mock_server.domain.pbx import GUIDE_TENANT, Pbx, PbxConfig
from mock_server.domain.rules.history import (
    MAX_HISTORY_DAYS,
    MAX_SEEDED_CALLS,
    check_history_size,
)
from mock_server.domain.storage.store import StateFileError, fold_write_ahead_log
from mock_server.domain.timeutil import parse_instant
from mock_server.fault_file import load_fault_file
from mock_server.http.app import APP_KINDS, create_app
from mock_server.http.errors import ADMIN_PREFIX, API_PREFIX
from mock_server.http.guard import is_loopback, normal_host_name
from mock_server.run_files import ReadyFile, RunFileError, StateFileLock
from mock_server.specs import SPEC_VERSION, api_index
from mock_server.tenant_files import tenant_source

__all__ = ["build_parser", "main", "parse_args"]

VERSION_HELP = "print the version (the spec's info.version) and exit"

BANNER = """\
Tele2 ATS CRM API mock {version} (seed {seed}, {companies} companies{state})
  Clock:       {now}{frozen}
  API:         {base}{api}
  Swagger UI:  {base}{api}/ui/
  Control API: {base}{admin}  (Swagger UI: {base}{admin}/ui/)
  Console:     {base}{admin}/console/
  Access token (company {company}, valid 1 day):
    {access}
  Refresh token (valid 7 days):
    {refresh}
  Try:  curl -H 'Authorization: <access token>' {base}{api}/employees
{exposed}"""
# Printed under the banner when the mock listens on an address other than loopback.
EXPOSED = """\
  WARNING: listening on {host}, not on loopback only: anyone who reaches this address can use
  the control API ({admin}) and the console ({admin}/console/), which have no authentication
  (they reset the state, issue token pairs and inject faults). Web pages elsewhere cannot
  (Host, Origin and Sec-Fetch-Site are checked); other programs on the network can.
"""


# How long a shutdown waits for the requests in flight (injected delays end at once; this is
# for the rest, e.g. a client that never sends the body it announced) before it cancels them.
SHUTDOWN_GRACE_SECONDS = 1


def build_parser() -> argparse.ArgumentParser:
    """The command line; every option's help says its default (a test runs each default and
    each example the help shows)."""
    parser = argparse.ArgumentParser(
        prog="tele2-ats-mock",
        description="Stateful offline mock of the Tele2 corporate PBX CRM API "
        f"(spec {SPEC_VERSION}).",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {SPEC_VERSION}", help=VERSION_HELP
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="interface to listen on (default: %(default)s); beyond loopback, the control API "
        "and the console (no authentication) answer whoever reaches it",
    )
    parser.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        type=_host_name,
        metavar="NAME",
        help="a Host the control API and the console answer besides loopback names and the "
        "listening address, e.g. mock (a container's or a VM's name); repeatable (default: "
        "none)",
    )
    parser.add_argument(
        "--port", type=int, default=8080, help="port; 0 picks a free one (default: %(default)s)"
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=1,
        help="seed of the generated data: the same seed, the same data (default: %(default)s)",
    )
    parser.add_argument(
        "--state-file",
        type=Path,
        default=None,
        metavar="PATH",
        help="SQLite file to keep state in across restarts, one mock at a time (PATH.lock) "
        "(default: a fresh state every start)",
    )
    parser.add_argument(
        "--history-days",
        type=int,
        default=30,
        metavar="DAYS",
        help=f"days of seeded call history, at most {MAX_HISTORY_DAYS} (default: %(default)s)",
    )
    parser.add_argument(
        "--calls-per-day",
        type=int,
        default=40,
        metavar="N",
        help=f"average seeded calls per weekday; DAYS x N at most {MAX_SEEDED_CALLS} "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--now",
        type=_instant,
        default=None,
        metavar="INSTANT",
        help="start the mock clock at this ISO 8601 instant, e.g. 2026-03-02T10:00:00+03:00; "
        "the seeded history is the days before it (default: real time)",
    )
    parser.add_argument(
        "--frozen",
        action="store_true",
        help="keep the mock clock still: it moves only when told (control API) (default: it runs)",
    )
    parser.add_argument(
        "--ready-file",
        type=Path,
        default=None,
        metavar="PATH",
        help="once serving, write a JSON object with the URLs, port, pid and a token pair here "
        "(atomically): how a script learns where a --port 0 mock is; removed at exit, and "
        "refused while another running mock holds it (default: none)",
    )
    parser.add_argument(
        "--journal-size",
        type=int,
        default=DEFAULT_CAPACITY,
        metavar="N",
        help="requests the request journal keeps (GET /mock/requests); 0 turns it off "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--journal-bytes",
        type=_size,
        default=DEFAULT_MAX_BYTES,
        metavar="SIZE",
        help="what the request journal's entries may hold together, e.g. 1G; the oldest go "
        f"first (default: {_size_text(DEFAULT_MAX_BYTES)})",
    )
    parser.add_argument(
        "--faults",
        type=Path,
        default=None,
        metavar="FILE",
        help="fault rules (YAML list, presets allowed) in force from the start and after resets "
        "(default: none)",
    )
    parser.add_argument(
        "--tenant",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="a tenant file (JSON or YAML, docs/tenants.md) loaded at start and after resets, "
        "as its company.id (or the next free id from 1000); repeatable (default: none)",
    )
    parser.add_argument(
        "--app",
        choices=APP_KINDS,
        default="async",
        help="Connexion app class (default: %(default)s)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="processes serving the port, sharing one SQLite state file (default: %(default)s)",
    )
    parser.add_argument(
        "--log-level",
        default="warning",
        choices=["critical", "error", "warning", "info", "debug"],
        help="log level, the access log at info (default: %(default)s)",
    )
    return parser


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error(f"--port must be between 0 and 65535, got {args.port}")
    if args.workers < 1:
        parser.error(f"--workers must be at least 1, got {args.workers}")
    try:
        check_history_size(
            args.history_days, args.calls_per_day, ("--history-days", "--calls-per-day"), "Option"
        )
        if args.now is not None:
            check_seed_instant(args.now.timestamp(), args.history_days, "--now", "Option")
    except DomainError as exc:
        parser.error(exc.message)
    return args


_SIZE = re.compile(r"([0-9]{1,15})([KMG]?)(?:i?B)?", re.IGNORECASE)
_SIZE_UNITS = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30}


def _size(value: str) -> int:
    """A size in bytes: digits, optionally followed by K, M or G (binary: 64M is 64 MiB)."""
    match = _SIZE.fullmatch(value.strip())
    if match is None or int(match[1]) == 0:
        raise argparse.ArgumentTypeError(
            f"expected a size such as 67108864, 64M or 1G (at least 1 byte), got {value!r}"
        )
    return int(match[1]) * _SIZE_UNITS[match[2].upper()]


def _size_text(size: int) -> str:
    """`size` as `_size` reads it back: 64M for 64 MiB."""
    for unit in ("G", "M", "K"):
        if size % _SIZE_UNITS[unit] == 0:
            return f"{size // _SIZE_UNITS[unit]}{unit}"
    return str(size)


def _host_name(value: str) -> str:
    try:
        normal_host_name(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    return value


def _instant(value: str) -> datetime:
    try:
        return parse_instant(value, "--now", where="Option")
    except DomainError as exc:
        raise argparse.ArgumentTypeError(exc.message) from exc


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    ready = ReadyFile(args.ready_file) if args.ready_file is not None else None
    try:
        with _claimed(args, ready):
            if args.workers == 1:
                return _serve_alone(args, ready)
            # Workers share one SQLite file: the given state file, or a fresh one for this run.
            with tempfile.TemporaryDirectory(prefix="tele2-ats-mock-") as tmp:
                state_file = args.state_file or Path(tmp) / "state.sqlite3"
                return _serve_with_workers(args, state_file, ready)
    except DocumentRefused as exc:
        # A tenant file: every problem on a line of its own, as a compiler lists them.
        name = str(exc).split(":", 1)[0]
        print(f"tele2-ats-mock: {name}: {exc.total} problem(s)", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        if exc.total > len(exc.problems):
            print(f"  ... and {exc.total - len(exc.problems)} more", file=sys.stderr)
        return 2
    except (StateFileError, DomainError, RunFileError) as exc:
        print(f"tele2-ats-mock: {exc}", file=sys.stderr)
        return 2


@contextlib.contextmanager
def _claimed(args: argparse.Namespace, ready: ReadyFile | None) -> Iterator[None]:
    """The files this mock claims, for as long as it runs, whichever way it ends (run_files):
    the ready file (a stale one removed, a running mock's refused) and the state file's lock."""
    lock = StateFileLock(args.state_file) if args.state_file is not None else None
    try:
        if ready is not None:
            ready.claim()
        if lock is not None:
            lock.acquire()
        yield
    finally:
        if ready is not None:
            ready.release()
        if lock is not None:
            lock.release()


def _config(
    args: argparse.Namespace, state_file: Path | None, worker: int | None = None
) -> PbxConfig:
    return PbxConfig(
        seed=args.seed,
        history_days=args.history_days,
        calls_per_day=args.calls_per_day,
        state_file=state_file,
        now=args.now,
        frozen=args.frozen,
        journal_size=args.journal_size,
        journal_bytes=args.journal_bytes,
        faults=() if args.faults is None else load_fault_file(args.faults, api_index()),
        tenants=(GUIDE_TENANT, *(tenant_source(path) for path in args.tenant)),
        worker=worker,
        workers=args.workers,
    )


def _allowed_hosts(args: argparse.Namespace) -> tuple[str, ...]:
    """The Hosts the guard of /mock answers besides loopback: `--host` as given (a name, or
    `0.0.0.0` as the banner's URLs say it) and every `--allowed-host`."""
    return (args.host, *args.allowed_host)


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


def _exposed(bound: str) -> bool:
    """Whether the address the mock listens on (the socket's) is reachable beyond this host."""
    try:
        return not is_loopback(normal_host_name(bound))
    except ValueError:
        return True


def _print_banner(
    args: argparse.Namespace, pbx: Pbx, base: str, bound: str | None = None
) -> dict[str, Any]:
    """Print the banner (with a warning when `bound`, the listening address, is not
    loopback); returns what the ready file holds."""
    principal, pair = pbx.issue_tokens()
    bound = args.host if bound is None else bound
    print(
        BANNER.format(
            version=SPEC_VERSION,
            now=pbx.now().isoformat(),
            frozen=" (frozen)" if pbx.clock.frozen else "",
            seed=pbx.seed,
            companies=len(pbx.company_ids()),
            state=(f", state in {args.state_file}" if args.state_file else "")
            + (f", {args.workers} workers" if args.workers > 1 else ""),
            base=base,
            api=API_PREFIX,
            admin=ADMIN_PREFIX,
            company=principal.company_id,
            access=pair.access_token,
            refresh=pair.refresh_token,
            exposed=EXPOSED.format(host=bound, admin=ADMIN_PREFIX) if _exposed(bound) else "",
        ),
        flush=True,
    )
    return {
        "apiUrl": base + API_PREFIX,
        "controlUrl": base + ADMIN_PREFIX,
        "baseUrl": base,
        "port": int(base.rsplit(":", 1)[1]),
        "pid": os.getpid(),
        "seed": pbx.seed,
        "companyId": principal.company_id,
        "userId": principal.user_id,
        "accessToken": pair.access_token,
        "refreshToken": pair.refresh_token,
    }


def _server(
    app: Any, args: argparse.Namespace, on_started: Callable[[], None] | None = None
) -> uvicorn.Server:
    return QuietExitServer(
        uvicorn.Config(
            app,
            log_level=args.log_level,
            access_log=args.log_level in ("info", "debug"),
            lifespan="off",
            http=CoalescingHttpToolsProtocol,
            timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
        ),
        on_started,
        app.shutdown.begin,
    )


def _serve_alone(args: argparse.Namespace, ready_file: ReadyFile | None) -> int:
    pbx = Pbx(_config(args, args.state_file))
    try:
        app = create_app(pbx, kind=args.app, allowed_hosts=_allowed_hosts(args))
        listening = _listen(args)
        if listening is None:
            return 2
        sock, base = listening
        ready = _print_banner(args, pbx, base, sock.getsockname()[0])

        def started() -> None:
            if ready_file is not None:
                ready_file.publish(ready)

        _server(app, args, started).run(sockets=[sock])
    finally:
        pbx.close()
    return 0


def _serve_with_workers(
    args: argparse.Namespace, state_file: Path, ready_file: ReadyFile | None
) -> int:
    """Seed the state file, then fork `args.workers` processes that serve one socket.

    Each worker opens the state file itself (no SQLite connection crosses the fork) and keeps
    its in-memory state in step with the others (http.app.SharedState). This process only
    forwards SIGTERM/SIGINT to the workers and waits; when one worker ends, it stops the rest.
    """
    pbx = _shared_pbx(args, state_file)
    try:
        listening = _listen(args)
        if listening is None:
            return 2
        sock, base = listening
        ready = _print_banner(args, pbx, base, sock.getsockname()[0])
    finally:
        pbx.close()
    ready["pid"] = os.getpid()
    parent = os.getpid()
    started_r, started_w = os.pipe()
    workers: set[int] = set()
    for worker in range(1, args.workers + 1):
        pid = os.fork()
        if pid == 0:  # the worker: never returns into the parent's code (nor its clean-up)
            code = 1
            try:
                os.close(started_r)
                _die_with_parent(parent)
                code = _worker(args, state_file, worker, sock, lambda: _say(started_w))
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(code)
        workers.add(pid)
    sock.close()
    os.close(started_w)

    def stop(signum: int, frame: object) -> None:
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    _await_workers(started_r, args.workers)
    exit_code = 0
    if ready_file is not None and len(workers) == args.workers:
        try:
            ready_file.publish(ready)
        except RunFileError as exc:  # a mock started at the same time published first
            print(f"tele2-ats-mock: {exc}", file=sys.stderr)
            exit_code = 2
            stop(signal.SIGTERM, None)
    while workers:
        pid, status = os.wait()
        workers.discard(pid)
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, -signal.SIGTERM, -signal.SIGINT):
            exit_code = exit_code or 1
        stop(signal.SIGTERM, None)  # one worker ended: the service ends
    fold_write_ahead_log(state_file)
    return exit_code


def _say(fd: int) -> None:
    os.write(fd, b".")


def _await_workers(started: int, count: int) -> None:
    """Wait until `count` workers said they accept connections (or the pipe closed)."""
    seen = 0
    with os.fdopen(started, "rb", buffering=0) as pipe:
        while seen < count:
            try:
                chunk = pipe.read(count - seen)
            except InterruptedError:  # pragma: no cover - PEP 475 retries
                continue
            if not chunk:
                return
            seen += len(chunk)


def _die_with_parent(parent: int) -> None:
    """Have the kernel stop this worker when the parent dies, even by `kill -9` (Linux's
    PR_SET_PDEATHSIG); elsewhere the worker outlives a killed parent."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:  # pragma: no cover - not Linux
        return
    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(libc_name, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(0)


def _shared_pbx(args: argparse.Namespace, state_file: Path, worker: int | None = None) -> Pbx:
    """A Pbx on the workers' shared file (the supervisor's, or worker `worker`'s); the run's
    own file is treated as the temporary database of a single process is: not durable, and not
    reported as a state file."""
    pbx = Pbx(_config(args, state_file, worker))
    if args.state_file is None:
        pbx.store.set_durable(False)
        pbx.config.state_file = None
    return pbx


def _worker(
    args: argparse.Namespace,
    state_file: Path,
    worker: int,
    sock: socket.socket,
    on_started: Callable[[], None],
) -> int:
    pbx = _shared_pbx(args, state_file, worker)
    try:
        app = create_app(pbx, kind=args.app, shared_state=True, allowed_hosts=_allowed_hosts(args))
        _server(app, args, on_started).run(sockets=[sock])
    finally:
        pbx.close()
    return 0
