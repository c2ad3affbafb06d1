"""One version for the spec, the mock and the client: the spec's `info.version` (README
"Releases"). The built wheels are compared by `make release-check` (tests/test_release.py)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import tele2_ats_client
from starlette.testclient import TestClient

from mock_server.http.app import create_app
from mock_server.specs import SPEC_VERSION, spec_version
from tests.conftest import CONTROL
from tests.pinned import pinned_config
from tests.spec_utils import ROOT, load_spec


def test_the_mock_the_client_and_the_spec_say_one_version() -> None:
    version = load_spec()["info"]["version"]
    assert version == SPEC_VERSION
    assert tele2_ats_client.__version__ == version
    client_project = tomllib.loads((ROOT / "generated_client/pyproject.toml").read_text())
    assert client_project["project"]["version"] == version
    printed = subprocess.run(
        [sys.executable, "-m", "mock_server", "--version"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert printed.strip() == f"tele2-ats-mock {version}"


def test_the_health_check_names_the_version_it_serves() -> None:
    app = create_app(config=pinned_config(seed=1, history_days=1, calls_per_day=5))
    with TestClient(app, headers=CONTROL) as http:
        assert http.get("/mock/health").json()["version"] == SPEC_VERSION


SPEC_HEAD = """\
openapi: 3.0.3
info:
  title: x
  # a comment, and a description with a blank line
  description: |
    version: 9.9.9 is text here

    more
  version: "2.3.4"
paths: {}
components:
  schemas:
    Thing:
      properties:
        version: {type: string}
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (SPEC_HEAD, "2.3.4"),
        (SPEC_HEAD.replace('"2.3.4"', "2.3.4 # unquoted"), "2.3.4"),
        ("openapi: 3.0.3\ninfo:\n  title: x\npaths: {}\n", None),
        ("openapi: 3.0.3\npaths: {}\n", None),
    ],
)
def test_the_version_is_read_from_info_alone(
    tmp_path: Path, text: str, expected: str | None
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(text)
    if expected is None:
        with pytest.raises(ValueError, match=r"no info\.version"):
            spec_version(spec)
    else:
        assert spec_version(spec) == expected
