"""`tele2-ats-mock --tenant FILE` (repeatable): files loaded at start, as their company; a file
with problems stops the start with every one of them, a line each."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.mock_process import running_mock

pytestmark = pytest.mark.slow

SMALL = ("--history-days", "1", "--calls-per-day", "5")


def test_tenant_files_are_loaded_at_start(tmp_path: Path) -> None:
    json_file = tmp_path / "shop.json"
    json_file.write_text(
        json.dumps(
            {
                "format": "tele2-ats-tenant/1",
                "company": {"id": 392, "name": "Магазин"},
                "employees": [{"employeeId": 7, "name": "Ира", "fullNumber": "79160000007"}],
            }
        )
    )
    yaml_file = tmp_path / "office.yaml"
    yaml_file.write_text(
        "format: tele2-ats-tenant/1\nemployees:\n  - {employeeId: 8, name: Олег}\n"
    )
    with running_mock("--tenant", str(json_file), "--tenant", str(yaml_file), *SMALL) as mock:
        assert mock.control.health().companies == (391, 392, 1000)
        shop = mock.control.issue_tokens(392)
        office = mock.control.issue_tokens(1000)
        employees = [
            mock.api("/employees", headers={"Authorization": pair.access_token}).json()
            for pair in (shop, office)
        ]
        assert employees == [
            [{"employeeId": 7, "name": "Ира", "fullNumber": "79160000007"}],
            [{"employeeId": 8, "name": "Олег"}],
        ]
        # A reset reads the files again.
        mock.control.reset()
        assert mock.control.health().companies == (391, 392, 1000)


def test_a_file_with_problems_stops_the_start_naming_each(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "format: tele2-ats-tenant/1\n"
        "employees:\n"
        "  - {employeeId: 1, fullNumber: 89160000001}\n"
        "  - {employeeId: 1}\n"
        "managers:\n"
        "  - {employeeId: 77}\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "mock_server", "--port", "0", "--tenant", str(bad), *SMALL],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert lines[0] == "tele2-ats-mock: Tenant file bad.yaml: 3 problem(s)"
    assert lines[1].startswith("  /employees/0/fullNumber (line 3, column 33): expected a string")
    assert lines[2].startswith("  /employees/1/employeeId (line 4, column 18): employeeId 1")
    assert lines[3].startswith("  /managers/0/employeeId (line 6, column 18): employee 77")
