"""The CI recipes of docs/ci/ run as written: every step, the install step included, in the
order and the shells their CI runs them, and the vendor's tests they run use the mock the job
started (the plugin starts none of its own).

What stands in for the CI's world, and nothing else:
- the twin's repository: a git repository of this checkout's working tree, tagged
  `v<version>` as a release is, given as the recipe asks (TELE2_ATS_TWIN, a pip VCS URL);
- the runner's Python (setup-python's, or the `python:3.11` image's): a fresh venv in a
  temporary folder that sees this environment's packages (the mock's dependencies, pytest and
  the build backends), so that pip installs the twin offline (PIP_NO_INDEX) from that tag;
  only `pytest`'s console script is added, as pip would have written it;
- the vendor's repository (actions/checkout): a folder with one test file of theirs.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import sysconfig
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from mock_server.specs import SPEC_VERSION
from tests.checkout import copy_checkout, git
from tests.spec_utils import ROOT

pytestmark = pytest.mark.slow

STEP_TIMEOUT_SECONDS = 300
# How a frozen, pinned mock's clock reads (the recipes start it at 2026-03-02T10:00:00+03:00).
RECIPE_NOW = "2026-03-02T07:00:00+00:00"

# The vendor's tests. PID_FILE is where the job wrote the pid of the mock it started.
VENDOR_TESTS = """
import os
from pathlib import Path

import httpx

PID_FILE = Path({pid_file!r})


def test_the_plugin_uses_the_mock_the_job_started(tele2_ats_mock, tele2_ats):
    assert tele2_ats_mock.process is None  # no mock of its own
    assert tele2_ats_mock.control.health().pid == int(PID_FILE.read_text())
    answer = httpx.get(tele2_ats.api_url + "/employees", headers=tele2_ats.headers)
    assert answer.status_code == 200
    tele2_ats.assert_called(operation_id="getEmployees", times=1)


def test_the_exported_url_and_token_reach_that_mock():
    token = os.environ["TELE2_ATS_ACCESS_TOKEN"]
    answer = httpx.get(
        os.environ["TELE2_ATS_API_URL"] + "/employees", headers={{"Authorization": token}}
    )
    assert answer.status_code == 200
    health = httpx.get(os.environ["TELE2_ATS_CONTROL_URL"] + "/health").json()
    assert health["pid"] == int(PID_FILE.read_text())
"""


@pytest.fixture(scope="module")
def twin(tmp_path_factory: pytest.TempPathFactory) -> str:
    """This checkout's working tree as a tagged git repository: the recipe's TELE2_ATS_TWIN."""
    repo = copy_checkout(tmp_path_factory.mktemp("twin-repository"))
    git(repo, "tag", f"v{SPEC_VERSION}")
    return f"git+file://{repo}@v{SPEC_VERSION}"


@dataclass
class Job:
    """One CI job's world: the runner's Python, the vendor's repository, the environment."""

    root: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def workspace(self) -> Path:
        return self.root / "workspace"

    def run(self, script: str, *, extra: dict[str, str] | None = None) -> Any:
        return subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
            cwd=self.workspace,
            env={**self.env, **(extra or {})},
            capture_output=True,
            text=True,
            timeout=STEP_TIMEOUT_SECONDS,
            check=False,
        )


@pytest.fixture
def job(tmp_path: Path) -> Iterator[Job]:
    runner = tmp_path / "python"
    subprocess.run(
        [getattr(sys, "_base_executable", sys.executable), "-m", "venv", "--without-pip", runner],
        check=True,
    )
    site = Path(sysconfig.get_paths(vars={"base": str(runner), "platbase": str(runner)})["purelib"])
    (site / "this-environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    pytest_script = runner / "bin" / "pytest"
    pytest_script.write_text(
        f"#!{runner}/bin/python\nimport sys\nfrom pytest import console_main\n"
        "sys.exit(console_main())\n"
    )
    pytest_script.chmod(0o755)
    outer_bin = str(Path(sys.executable).parent)
    path = [str(runner / "bin")]
    path += [p for p in os.environ["PATH"].split(os.pathsep) if p and p != outer_bin]
    keep = ("HOME", "LANG", "LC_ALL", "TMPDIR")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env |= {"PATH": os.pathsep.join(path), "PIP_NO_INDEX": "1", "PIP_NO_BUILD_ISOLATION": "0"}
    env |= {"PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    the_job = Job(tmp_path, env)
    the_job.workspace.mkdir()
    yield the_job
    for pid_file in tmp_path.rglob("tele2-ats.pid"):  # a failed run leaves no mock behind
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pid_file.read_text()), 9)


def _vendor_tests(job: Job, pid_file: Path) -> None:
    (job.workspace / "test_crm.py").write_text(
        textwrap.dedent(VENDOR_TESTS.format(pid_file=str(pid_file)))
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


def _installed_from_the_job(job: Job) -> None:
    """The mock and the client the steps ran are the ones pip installed, not this checkout."""
    where = job.run(
        "python -c 'import mock_server, tele2_ats_client as c; "
        "print(mock_server.__file__, c.__file__)'"
    )
    assert where.returncode == 0, where.stderr
    assert all(path.startswith(str(job.root / "python")) for path in where.stdout.split())


def _the_tests_used_the_jobs_mock(output: str) -> None:
    assert re.search(r"\b2 passed\b", output), output
    header = (
        rf"tele2-ats-mock at http://127\.0\.0\.1:\d+ \(from TELE2_ATS_URL\): version "
        rf"{re.escape(SPEC_VERSION)}, clock {re.escape(RECIPE_NOW)} frozen"
    )
    assert re.search(header, output), output


def _github_expression(text: str, secrets: dict[str, str]) -> str:
    """`${{ secrets.NAME }}`, the one kind of expression the recipe's values use."""

    def value(match: re.Match[str]) -> str:
        assert match.group(1) in secrets, f"the test gives no secret {match.group(1)}"
        return secrets[match.group(1)]

    text = re.sub(r"\$\{\{\s*secrets\.(\w+)\s*\}\}", value, text)
    assert "${{" not in text, f"an expression this test does not evaluate: {text}"
    return text


def _run_github_job(job: Job, twin: str) -> list[tuple[str, Any]]:
    """The steps of docs/ci/github-actions.yml as a runner runs them: each `run` in its own
    `bash -eo pipefail`, what a step writes to $GITHUB_ENV in the next steps' environment, and
    after a failure only the steps marked `if: always()`."""
    workflow = yaml.safe_load((ROOT / "docs/ci/github-actions.yml").read_text())
    (job.root / "runner-temp").mkdir()
    github_env = job.root / "github-env"
    github_env.touch()
    secrets = {"TELE2_ATS_TWIN": twin}
    env = {name: _github_expression(str(v), secrets) for name, v in workflow["env"].items()}
    env |= {"RUNNER_TEMP": str(job.root / "runner-temp"), "GITHUB_ENV": str(github_env)}
    stand_ins = {"actions/checkout", "actions/setup-python"}
    results: list[tuple[str, Any]] = []
    failed = False
    for step in workflow["jobs"]["test"]["steps"]:
        if "uses" in step:
            assert step["uses"].split("@")[0] in stand_ins, step["uses"]
            continue
        if failed and step.get("if") != "always()":
            continue
        exported = dict(line.split("=", 1) for line in github_env.read_text().splitlines())
        result = job.run(step["run"], extra=env | exported)
        results.append((step["name"], result))
        failed = failed or result.returncode != 0
    return results


def test_the_github_actions_recipe_runs_as_written(job: Job, twin: str) -> None:
    _vendor_tests(job, job.root / "runner-temp" / "tele2-ats.pid")
    results = _run_github_job(job, twin)
    for name, result in results:
        assert result.returncode == 0, f"{name}:\n{result.stdout}\n{result.stderr}"
    assert [name for name, _ in results] == [
        "Install the twin (the mock, and its typed client) and your test tools",
        "Start the mock",
        "Run your tests on the mock started above",
        "Stop the mock",
    ]
    _the_tests_used_the_jobs_mock(results[2][1].stdout)
    _installed_from_the_job(job)
    assert _stopped(int((job.root / "runner-temp" / "tele2-ats.pid").read_text()))


def test_the_github_actions_recipe_says_what_to_set(job: Job) -> None:
    """Without the secret the install step stops with what to set, not pip's own puzzle."""
    _vendor_tests(job, job.root / "runner-temp" / "tele2-ats.pid")
    _, install = _run_github_job(job, "")[0]
    assert install.returncode != 0
    assert "set the repository secret TELE2_ATS_TWIN to git+https://" in install.stderr


def _run_gitlab_job(job: Job, twin: str) -> tuple[Any, Any]:
    """The job of docs/ci/gitlab-ci.yml as GitLab's runner runs it: before_script and script
    in one shell (what one line exports, the next sees), after_script in a shell of its own."""
    recipe = yaml.safe_load((ROOT / "docs/ci/gitlab-ci.yml").read_text())["crm-tests"]
    variables = {"TELE2_ATS_TWIN": twin, **recipe.get("variables", {})}
    main = job.run("\n".join(recipe["before_script"] + recipe["script"]), extra=variables)
    after = job.run("\n".join(recipe["after_script"]), extra=variables)
    return main, after


def test_the_gitlab_recipe_runs_as_written(job: Job, twin: str) -> None:
    _vendor_tests(job, job.workspace / "tele2-ats.pid")
    main, after = _run_gitlab_job(job, twin)
    assert main.returncode == 0, f"{main.stdout}\n{main.stderr}"
    assert after.returncode == 0, after.stderr
    _the_tests_used_the_jobs_mock(main.stdout)
    _installed_from_the_job(job)
    assert _stopped(int((job.workspace / "tele2-ats.pid").read_text()))
