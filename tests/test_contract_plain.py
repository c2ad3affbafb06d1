"""scripts/contract_plain.py around st: its options, and the mock's errors after a failed run.

The plain run itself is `make contract-plain` (part of `make test`)."""

from __future__ import annotations

import re

import pytest

from tests.file_modules import load_file_module
from tests.spec_utils import ADMIN_SPEC_PATH, ROOT, load_spec

# scripts/ is a folder of scripts, not a package.
contract_plain = load_file_module(ROOT / "scripts" / "contract_plain.py")

ADMIN_PATHS = list(load_spec(ADMIN_SPEC_PATH)["paths"])
MOCK_OUTPUT = """\
Tele2 ATS CRM API mock (seed 1, 2 companies)
INFO:     Started server process [4242]
WARNING mock_server.advisories: PAGE_NEGATIVE from 127.0.0.1
ERROR mock_server.http.errors: PUT /crm/openapi/managers: IntegrityError('UNIQUE constraint')
Traceback (most recent call last):
  File "/x/managers.py", line 189, in _insert_customers
    conn.execute(
sqlite3.IntegrityError: UNIQUE constraint failed: customers.id
INFO:     127.0.0.1:5000 - "PUT /crm/openapi/managers HTTP/1.1" 500
"""


def test_a_failed_run_shows_each_error_the_mock_logged_with_its_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    contract_plain._print_mock_errors(MOCK_OUTPUT)
    printed = capsys.readouterr().out
    assert "The mock logged 1 error(s) during the run." in printed
    assert "PUT /crm/openapi/managers: IntegrityError" in printed
    assert "sqlite3.IntegrityError: UNIQUE constraint failed: customers.id" in printed
    assert "PAGE_NEGATIVE" not in printed
    assert "HTTP/1.1" not in printed


@pytest.mark.parametrize("runs", [["--runs"], ["--runs", "0"], ["--runs", "many"]])
def test_runs_wants_a_count(runs: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert contract_plain.main(runs) == 2
    assert "--runs takes a count of runs" in capsys.readouterr().err


@pytest.mark.parametrize("spec", [["--spec"], ["--spec", "admin"]])
def test_spec_wants_a_known_name(spec: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert contract_plain.main(spec) == 2
    assert "--spec takes one of api, control" in capsys.readouterr().err


def test_the_command_is_what_a_vendor_types() -> None:
    command = contract_plain.PLAIN_RUNS["api"].command(
        "http://127.0.0.1:1/crm/openapi", "TOKEN", ["--seed", "7"]
    )
    assert command[1:3] == ["run", str(ROOT / "openapi" / "tele2-ats.yaml")]
    assert command[command.index("-H") + 1] == "Authorization: TOKEN"
    assert "--exclude-checks" in command
    assert command[command.index("--exclude-checks") + 1] == "missing_required_header"
    assert command[command.index("--max-examples") + 1] == "100"
    assert command[-2:] == ["--seed", "7"]


def test_the_control_api_is_run_with_every_check_and_no_token() -> None:
    control = contract_plain.PLAIN_RUNS["control"]
    command = control.command("http://127.0.0.1:1/mock", "TOKEN", ["--max-examples", "500"])
    assert command[1:5] == [
        "run",
        str(ROOT / "openapi" / "mock-admin.yaml"),
        "--url",
        "http://127.0.0.1:1/mock",
    ]
    assert command[command.index("--checks") + 1] == "all"
    assert "--exclude-checks" not in command, "no check is left out of the control API's run"
    left_out = command[command.index("--exclude-path-regex") + 1]
    assert [path for path in ADMIN_PATHS if re.search(left_out, path)] == [
        "/requests/count",
        "/requests/find",
        "/requests/near-misses",
    ], "only the journal's pattern operations are left out"
    headers = [command[i + 1] for i, part in enumerate(command) if part == "-H"]
    assert headers == ["X-Tele2-Ats-Mock: 1"], "no token: the header the guard asks for"
    assert command[-2:] == ["--max-examples", "500"], "the soak's count comes last and wins"
    assert control.report != contract_plain.PLAIN_RUNS["api"].report
