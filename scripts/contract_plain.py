"""Plain Schemathesis runs of both specs against the mock, as a newcomer would type them.

    .venv/bin/python scripts/contract_plain.py [--runs N] [--spec api|control] [extra `st run`
        options, e.g. --seed 1]

For each spec, starts `tele2-ats-mock --port 0` and, from a new empty temporary directory (so
no project configuration can apply: no schemathesis.toml, no hooks, no SCHEMATHESIS_*
variables), runs

    st run openapi/tele2-ats.yaml --url <mock>/crm/openapi -H "Authorization: <token>" \\
        --checks all --exclude-checks missing_required_header \\
        --max-examples 100 --phases examples,coverage,fuzzing,stateful

    st run openapi/mock-admin.yaml --url <mock>/mock -H "X-Tele2-Ats-Mock: 1" \\
        --checks all --max-examples 50 --phases examples,coverage,fuzzing,stateful

The control API's description asks for that header on a request that changes the mock without
a JSON body (no web page can send it; `DELETE /faults`, a POST without its optional body): as
the documented API's run sends its token, this one sends the header, or those operations would
answer only the guard's 403 and nothing past it would be tested.

Each must find 0 failures and 0 errors; the exit status is 1 if either st failed. The checks
left out, each for its reason:

- the documented API (`api`): `missing_required_header` alone. It expects 401 for a request
  without its `Authorization` header, and this API answers 403 for every token failure
  (decision D13), which Schemathesis does not let a plain run configure.
- the control API (`control`): none. It has no authentication, and every answer a check
  expects it documents. Three operations are left out instead: the journal's patterns
  (`POST /requests/count`, `/requests/find`, `/requests/near-misses`). Their bodies hold a
  grammar that OpenAPI 3.0's schemas cannot state (a `matches` pattern of the linear-time
  subset, `jsonPath` maps whose keys are JSON paths: 3.0 has no `propertyNames`), so a
  schema-valid body may be one the mock refuses with a 400 naming the field, which
  `positive_data_acceptance` counts as a failure. The in-process contract test
  (contract_tests/mock/test_control_api.py) fuzzes them with that 400 accepted, and
  tests/api/test_request_matching.py holds each refusal's words.

The control API's run takes 50 examples an operation, where the documented API's takes 100: its
30 operations include `POST /reset` and `POST /companies`, which seed companies (their worst
case is bounded by the schema: a few seconds), and with 100 the run took 61 s against 27 s with
50 (2 vCPUs at load average 6; 80 s against 35 s at 15). `--max-examples` given here applies to
both runs (the soak's `SOAK_EXAMPLES`).

A JUnit report of each is written to reports/contract-plain.xml (api) and
reports/contract-plain-control.xml. When a run fails, the mock's logged errors (a 500's
traceback) are printed after st's report.

`--spec api` or `--spec control` runs one of them. `--runs N` (first) repeats the runs N times,
each against new mocks and with a seed of its own unless one is given, and fails if any run
failed: the hunt for rare cases (`make contract-plain-soak`), where `make test` runs one
reproducible seed.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parents[1]
# The journal's pattern operations (see the docstring): their bodies hold a grammar OpenAPI 3.0
# cannot state.
JOURNAL_PATTERN_PATHS: Final = "^/requests/(count|find|near-misses)$"
sys.path.insert(0, str(ROOT))

from mock_server.testing.control import CONTROL_HEADER  # noqa: E402
from tests.mock_process import MockProcess, running_mock  # noqa: E402

__all__ = ["PLAIN_OPTIONS", "PLAIN_RUNS", "PlainRun", "main"]

REPORTS: Final = ROOT / "reports"
PLAIN_OPTIONS: Final = ("--checks", "all", "--phases", "examples,coverage,fuzzing,stateful")


@dataclass(frozen=True, slots=True)
class PlainRun:
    """One spec's plain run: what `st run` is given beyond PLAIN_OPTIONS."""

    name: str
    spec: Path
    excluded_checks: tuple[str, ...]
    max_examples: int
    report: Path
    authorized: bool  # sends the mock's access token in `Authorization`
    headers: tuple[str, ...] = ()  # further `-H` values, as the spec's description asks
    excluded_paths: str | None = None  # a regex of paths left out (see the module's docstring)

    def url(self, mock: MockProcess) -> str:
        return mock.api_url if self.authorized else mock.control_url

    def command(self, url: str, token: str | None, extra: Sequence[str] = ()) -> list[str]:
        """The `st run` command line; `extra` comes last, so it wins (e.g. --max-examples)."""
        st = Path(sys.executable).with_name("st")
        header = ["-H", f"Authorization: {token}"] if self.authorized and token else []
        header += [part for value in self.headers for part in ("-H", value)]
        excluded = ["--exclude-checks", ",".join(self.excluded_checks)]
        return [
            str(st),
            "run",
            str(self.spec),
            "--url",
            url,
            *header,
            *PLAIN_OPTIONS,
            *(excluded if self.excluded_checks else []),
            *(["--exclude-path-regex", self.excluded_paths] if self.excluded_paths else []),
            "--max-examples",
            str(self.max_examples),
            *extra,
        ]


PLAIN_RUNS: Final = {
    run.name: run
    for run in (
        PlainRun(
            "api",
            ROOT / "openapi" / "tele2-ats.yaml",
            ("missing_required_header",),
            100,
            REPORTS / "contract-plain.xml",
            authorized=True,
        ),
        PlainRun(
            "control",
            ROOT / "openapi" / "mock-admin.yaml",
            (),
            50,
            REPORTS / "contract-plain-control.xml",
            authorized=False,
            headers=(f"{CONTROL_HEADER}: 1",),
            excluded_paths=JOURNAL_PATTERN_PATHS,
        ),
    )
}


def main(argv: Sequence[str] | None = None) -> int:
    extra = list(sys.argv[1:] if argv is None else argv)
    runs = 1
    if extra[:1] == ["--runs"]:
        if len(extra) < 2 or not extra[1].isdigit() or int(extra[1]) < 1:
            print("contract_plain.py: --runs takes a count of runs, 1 or more", file=sys.stderr)
            return 2
        runs, extra = int(extra[1]), extra[2:]
    chosen = list(PLAIN_RUNS.values())
    if extra[:1] == ["--spec"]:
        if len(extra) < 2 or extra[1] not in PLAIN_RUNS:
            print(
                f"contract_plain.py: --spec takes one of {', '.join(PLAIN_RUNS)}", file=sys.stderr
            )
            return 2
        chosen, extra = [PLAIN_RUNS[extra[1]]], extra[2:]
    if runs == 1:
        return _run_all(chosen, extra)
    failed = []
    for number in range(1, runs + 1):
        # Each run draws its own seed (st prints it) and meets mocks of its own.
        print(f"\n=== plain run {number} of {runs} ===", flush=True)
        if _run_all(chosen, extra) != 0:
            failed.append(number)
        print(f"=== {number} of {runs} done, {len(failed)} failed so far ===", flush=True)
    print(f"\n{runs - len(failed)} of {runs} plain runs passed; failed: {failed or 'none'}")
    return 1 if failed else 0


def _run_all(chosen: Sequence[PlainRun], extra: Sequence[str]) -> int:
    statuses = [_run(plain, extra) for plain in chosen]
    return next((status for status in statuses if status != 0), 0)


def _run(plain: PlainRun, extra: Sequence[str]) -> int:
    plain.report.parent.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCHEMATHESIS_")}
    with running_mock() as mock, tempfile.TemporaryDirectory(prefix="st-plain-") as empty:
        command = plain.command(
            plain.url(mock),
            mock.access_token,
            [*extra, "--report", "junit", "--report-junit-path", str(plain.report)],
        )
        shown = [
            part if mock.access_token not in part else "Authorization: $TOKEN" for part in command
        ]
        print(f"[{plain.name}] in an empty directory:", shlex.join(shown), flush=True)
        status = subprocess.run(command, cwd=empty, env=env, check=False).returncode
        if status != 0:
            _print_mock_errors(mock.output)
        return status


def _print_mock_errors(output: str) -> None:
    """The mock's own account of a failed run: every ERROR it logged, with its traceback (a
    500's cause is there, not in Schemathesis's report)."""
    records = re.split(r"\n(?=[A-Z]{4,}[ :])", output)  # a log record starts with its level
    blocks = [block for block in records if block.startswith("ERROR")]
    print(f"\nThe mock logged {len(blocks)} error(s) during the run.", flush=True)
    for block in blocks[:5]:
        print(block, flush=True)


if __name__ == "__main__":
    sys.exit(main())
