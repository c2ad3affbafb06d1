"""A plain Schemathesis run of the spec against the mock, as a newcomer would type it.

    .venv/bin/python scripts/contract_plain.py [--runs N] [extra `st run` options, e.g. --seed 1]

Starts `tele2-ats-mock --port 0`, and from a new empty temporary directory (so no project
configuration can apply: no schemathesis.toml, no hooks, no SCHEMATHESIS_* variables) runs

    st run openapi/tele2-ats.yaml --url <mock>/crm/openapi -H "Authorization: <token>" \\
        --checks all --exclude-checks missing_required_header \\
        --max-examples 100 --phases examples,coverage,fuzzing,stateful

`missing_required_header` alone is excluded: it expects 401 for a request without its
`Authorization` header, and this API answers 403 for every token failure (decision D13), which
Schemathesis does not let a plain run configure. The run must find 0 failures and 0 errors; its
exit status is st's. A JUnit report is written to reports/contract-plain.xml. When it fails, the
mock's logged errors (a 500's traceback) are printed after st's report.

`--runs N` (first) repeats the run N times, each against a new mock and with a seed of its own
unless one is given, and fails if any run failed: the hunt for rare cases (`make
contract-plain-soak`), where `make test` runs one reproducible seed.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.mock_process import running_mock  # noqa: E402

__all__ = ["PLAIN_OPTIONS", "main", "plain_command"]

SPEC: Final = ROOT / "openapi" / "tele2-ats.yaml"
REPORT: Final = ROOT / "reports" / "contract-plain.xml"
PLAIN_OPTIONS: Final = (
    "--checks",
    "all",
    "--exclude-checks",
    "missing_required_header",
    "--max-examples",
    "100",
    "--phases",
    "examples,coverage,fuzzing,stateful",
)


def plain_command(api_url: str, token: str, extra: Sequence[str] = ()) -> list[str]:
    """The `st run` command line of the plain run."""
    st = Path(sys.executable).with_name("st")
    return [
        str(st),
        "run",
        str(SPEC),
        "--url",
        api_url,
        "-H",
        f"Authorization: {token}",
        *PLAIN_OPTIONS,
        *extra,
    ]


def main(argv: Sequence[str] | None = None) -> int:
    extra = list(sys.argv[1:] if argv is None else argv)
    runs = 1
    if extra[:1] == ["--runs"]:
        if len(extra) < 2 or not extra[1].isdigit() or int(extra[1]) < 1:
            print("contract_plain.py: --runs takes a count of runs, 1 or more", file=sys.stderr)
            return 2
        runs, extra = int(extra[1]), extra[2:]
    if runs == 1:
        return _run(extra)
    failed = []
    for number in range(1, runs + 1):
        # Each run draws its own seed (st prints it) and meets a mock of its own.
        print(f"\n=== plain run {number} of {runs} ===", flush=True)
        if _run(extra) != 0:
            failed.append(number)
        print(f"=== {number} of {runs} done, {len(failed)} failed so far ===", flush=True)
    print(f"\n{runs - len(failed)} of {runs} plain runs passed; failed: {failed or 'none'}")
    return 1 if failed else 0


def _run(extra: Sequence[str]) -> int:
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCHEMATHESIS_")}
    with running_mock() as mock, tempfile.TemporaryDirectory(prefix="st-plain-") as empty:
        command = plain_command(
            mock.api_url,
            mock.access_token,
            [*extra, "--report", "junit", "--report-junit-path", str(REPORT)],
        )
        shown = [
            part if mock.access_token not in part else "Authorization: $TOKEN" for part in command
        ]
        print("in an empty directory:", shlex.join(shown), flush=True)
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
