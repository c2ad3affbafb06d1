"""The CI recipes of docs/ci/ do what they say: their shell steps start the mock, hand its
URL and tokens to the tests, and stop it. Run here with this environment's `tele2-ats-mock`
(the install step, which needs the network and the published twin, is left out)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.spec_utils import ROOT

pytestmark = pytest.mark.slow

BIN = str(Path(sys.executable).parent)


def _bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=cwd,
        env={**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _stopped(pid: int) -> bool:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return True
        if state == "Z":
            return True
        time.sleep(0.1)
    return False


def _employees(api_url: str, token: str) -> Any:
    answer = httpx.get(api_url + "/employees", headers={"Authorization": token})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_the_github_actions_recipe_starts_and_stops_the_mock(tmp_path: Path) -> None:
    workflow = yaml.safe_load((ROOT / "docs/ci/github-actions.yml").read_text())
    steps = {step.get("name"): step for step in workflow["jobs"]["test"]["steps"]}
    github_env = tmp_path / "github_env"
    env = {"RUNNER_TEMP": str(tmp_path), "GITHUB_ENV": str(github_env)}
    started = _bash(steps["Start the mock"]["run"], tmp_path, env)
    assert started.returncode == 0, started.stderr
    exported = dict(line.split("=", 1) for line in github_env.read_text().splitlines())
    assert set(exported) == {
        "TELE2_ATS_API_URL",
        "TELE2_ATS_CONTROL_URL",
        "TELE2_ATS_ACCESS_TOKEN",
        "TELE2_ATS_REFRESH_TOKEN",
    }
    assert _employees(exported["TELE2_ATS_API_URL"], exported["TELE2_ATS_ACCESS_TOKEN"])
    clock = httpx.get(exported["TELE2_ATS_CONTROL_URL"] + "/clock").json()
    assert clock == {**clock, "now": "2026-03-02T07:00:00+00:00", "frozen": True}
    pid = int((tmp_path / "tele2-ats.pid").read_text())
    stopped = _bash(steps["Stop the mock"]["run"], tmp_path, env)
    assert stopped.returncode == 0, stopped.stderr
    assert _stopped(pid)


def test_the_gitlab_recipe_starts_and_stops_the_mock(tmp_path: Path) -> None:
    job = yaml.safe_load((ROOT / "docs/ci/gitlab-ci.yml").read_text())["crm-tests"]
    before = [line for line in job["before_script"] if "pip install" not in line]
    # GitLab runs before_script and script in one shell: the tests see the exported variables.
    check = "python -c \"import os; print(os.environ['TELE2_ATS_API_URL'])\" > api_url\n"
    check += 'printf %s "$TELE2_ATS_ACCESS_TOKEN" > token\n'
    started = _bash("\n".join(before) + "\n" + check, tmp_path, {})
    assert started.returncode == 0, started.stderr
    api_url = (tmp_path / "api_url").read_text().strip()
    assert _employees(api_url, (tmp_path / "token").read_text())
    pid = int((tmp_path / "tele2-ats.pid").read_text())
    stopped = _bash("\n".join(job["after_script"]), tmp_path, {})
    assert stopped.returncode == 0, stopped.stderr
    assert _stopped(pid)
