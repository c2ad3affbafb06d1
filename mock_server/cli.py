"""`tele2-ats-mock`: serve the mock, print where it is and a ready token pair."""

from __future__ import annotations

import argparse
import logging
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

import uvicorn

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
        "--log-level",
        default="warning",
        choices=["critical", "error", "warning", "info", "debug"],
        help="log level (access log at info)",
    )
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error(f"--port must be between 0 and 65535, got {args.port}")
    if args.history_days < 0 or args.calls_per_day < 0:
        parser.error("--history-days and --calls-per-day must not be negative")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    config = PbxConfig(
        seed=args.seed,
        history_days=args.history_days,
        calls_per_day=args.calls_per_day,
        state_file=args.state_file,
    )
    pbx = Pbx(config)
    app = create_app(pbx, kind=args.app)

    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((args.host, args.port))
    except OSError as exc:
        print(f"tele2-ats-mock: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 2
    sock.listen(1024)
    port = sock.getsockname()[1]
    host = f"[{args.host}]" if family == socket.AF_INET6 else args.host

    pair = pbx.issue_tokens()
    print(
        BANNER.format(
            seed=pbx.seed,
            companies=len(pbx.company_ids()),
            state=f", state in {args.state_file}" if args.state_file else "",
            base=f"http://{host}:{port}",
            api=API_PREFIX,
            admin=ADMIN_PREFIX,
            company=pbx.default_principal().company_id,
            access=pair.access_token,
            refresh=pair.refresh_token,
        ),
        flush=True,
    )
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            log_level=args.log_level,
            access_log=args.log_level in ("info", "debug"),
            lifespan="off",
        )
    )
    try:
        server.run(sockets=[sock])
    finally:
        pbx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
