"""`tele2-ats-mock calibrate`: the probes of the spec's decisions against production and a mock."""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import httpx

from mock_server.calibrate.apply import ApplyError, apply_proposals
from mock_server.calibrate.probes import probes_of
from mock_server.calibrate.report import build_report, markdown, redacted_json
from mock_server.calibrate.run import (
    Outcome,
    Target,
    guarded_target,
    new_run_id,
    probes_to_run,
    run_probe,
)
from mock_server.real.config import ConfigError, RealConfig
from mock_server.real.tokens import TokenPair
from mock_server.specs import api_index
from mock_server.testing.process import MockServer

__all__ = ["main"]

DESCRIPTION = """\
Send each decision's probe (`probe` in the spec's x-decisions) to the real service and to a mock
started for the run on 127.0.0.1, and write a report: per decision confirmed, refuted or
undecided, per operation a fidelity score, and a proposed spec change for each refutation.

What is sent: only the probes' requests (GET requests of the journal, statistics, employees,
managers, blacklist and one recording's first bytes; the journal of a one-day window, at most
5 pages), with the token pair of TELE2_ATS_ACCESS_TOKEN / TELE2_ATS_REFRESH_TOKEN (or
TELE2_ATS_TOKEN_FILE), to TELE2_ATS_BASE_URL only, within TELE2_ATS_MAX_REQUESTS at
TELE2_ATS_RATE per second. With TELE2_ATS_ALLOW_WRITES=1 also the writing probes: blacklist
numbers 790000000xx added and removed again, a PUT /managers without id, and two token refreshes
(the new pair is saved to the token file before it is used).

What is never sent: a click-to-call (no probe places a call), a manager created or deleted,
DELETE /blacklist/all, a write without TELE2_ATS_ALLOW_WRITES=1, any request to another host.
The report (calibration-report.json and .md under CONTRACT_REPORTS_DIR, default reports/)
holds no token and no phone number: send it back to the project as it is.
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tele2-ats-mock calibrate",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--decision",
        action="append",
        default=[],
        metavar="ID",
        help="probe only this decision (repeatable; default: every decision with a probe)",
    )
    parser.add_argument(
        "--now",
        help="the instant the probes' windows end at, ISO 8601 (default: the wall clock)",
    )
    parser.add_argument(
        "--mock-url",
        help="a running mock to compare with, http://127.0.0.1:PORT (default: one is started)",
    )
    return parser


def _apply_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tele2-ats-mock calibrate apply",
        description="Write a report's proposed changes for the given decisions into the spec's "
        "x-decisions (evidence `production`, dated) and rewrite docs/decisions.md.",
    )
    parser.add_argument("report", type=Path, help="calibration-report.json")
    parser.add_argument("decisions", nargs="+", metavar="DECISION", help="e.g. D16 D17")
    parser.add_argument(
        "--spec", type=Path, default=Path("openapi/tele2-ats.yaml"), help="the spec to edit"
    )
    return parser


def _apply(argv: Sequence[str]) -> int:
    args = _apply_parser().parse_args(argv)
    report = json.loads(args.report.read_text(encoding="utf-8"))
    try:
        applied = apply_proposals(report, args.spec, args.decisions)
    except ApplyError as exc:
        print(f"tele2-ats-mock calibrate apply: {exc}", file=sys.stderr)
        return 2
    table = args.spec.resolve().parents[1] / "scripts" / "decisions_table.py"
    if table.exists():
        subprocess.run([sys.executable, str(table)], check=True)
    print(f"applied {', '.join(applied)} to {args.spec}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["apply"]:
        return _apply(argv[1:])
    args = _parser().parse_args(argv)
    try:
        config = RealConfig.from_env()
    except ConfigError as exc:
        print(f"tele2-ats-mock calibrate: {exc}", file=sys.stderr)
        return 2
    reason = config.missing_credentials()
    if reason is not None:
        print(f"tele2-ats-mock calibrate: {reason}", file=sys.stderr)
        return 2
    now = datetime.fromisoformat(args.now) if args.now else datetime.now(UTC)
    api = api_index()
    probes = probes_of(api, args.decision)
    run = new_run_id()
    production = guarded_target(config, run, now, api)
    with contextlib.ExitStack() as stack:
        if args.mock_url:
            mock = MockServer.connect(args.mock_url)
            pair = mock.control.issue_tokens()
            mock.access_token, mock.refresh_token = pair.access_token, pair.refresh_token
        else:
            # History over the longest probe window, so that the mock's own answers can decide.
            days = max((int(p.window_days) + 1 for p in probes if p.observe), default=30)
            mock = stack.enter_context(
                MockServer.start(
                    now=now.isoformat(), frozen=True, args=("--history-days", str(max(days, 30)))
                )
            )
        client = stack.enter_context(httpx.Client(timeout=60.0))
        local = Target(
            "mock",
            mock.api_url,
            client,
            TokenPair(mock.access_token, mock.refresh_token),
            now,
            refresh_permit=contextlib.nullcontext,
        )
        real: dict[str, Outcome] = {}
        ours: dict[str, Outcome] = {}
        for probe in probes_to_run(probes, config.allow_writes):
            real[probe.decision] = run_probe(probe, production)
            ours[probe.decision] = run_probe(probe, local)
    report = build_report(
        probes,
        real,
        ours,
        api,
        run=run,
        date=now.date().isoformat(),
        target=config.base_url,
        sent=production.ledger.sent(),  # type: ignore[attr-defined]
        budget=config.max_requests,
        writes=config.allow_writes,
    )
    secrets = (production.pair.access_token, production.pair.refresh_token)
    text = redacted_json(report, secrets)
    config.reports.mkdir(parents=True, exist_ok=True)
    (config.reports / "calibration-report.json").write_text(text + "\n", encoding="utf-8")
    (config.reports / "calibration-report.md").write_text(
        markdown(json.loads(text)), encoding="utf-8"
    )
    summary = report["summary"]
    print(
        f"calibration {run}: {summary['confirmed']} confirmed, {summary['refuted']} refuted, "
        f"{summary['undecided']} undecided; {config.reports / 'calibration-report.md'}"
    )
    return 0
