"""The README's options of `tele2-ats-mock`, through the console script: `--app`, `--log-level`."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.mock_process import MockProcess, running_mock

pytestmark = pytest.mark.slow
READS = ("/employees", "/managers", "/blacklist", "/monitoring/calls")
ACCESS_LINE = '"GET /crm/openapi/employees HTTP/1.1" 200'


def _threads(pid: int) -> int:
    """Threads of a process (Linux, where the suite and CI run)."""
    return len(os.listdir(f"/proc/{pid}/task"))


@pytest.fixture(scope="module")
def mocks() -> Iterator[tuple[MockProcess, MockProcess]]:
    """`--app flask --log-level info`, and the defaults (`--app async`, `--log-level warning`)."""
    with (
        running_mock("--app", "flask", "--log-level", "info") as flask,
        running_mock() as default,
    ):
        yield flask, default


def test_app_flask_serves_the_same_api(mocks: tuple[MockProcess, MockProcess]) -> None:
    flask, default = mocks
    for path in READS:
        served = flask.api(path)
        assert served.status_code == 200, served.text
        assert served.content == default.api(path).content, path


def test_app_flask_is_the_flask_app(mocks: tuple[MockProcess, MockProcess]) -> None:
    # FlaskApp runs its WSGI app on a thread pool (a2wsgi), AsyncApp answers on its event loop:
    # after the same requests, only the Flask process has grown worker threads.
    flask, default = mocks
    for mock in mocks:
        for path in READS:
            assert mock.api(path).status_code == 200
    assert _threads(flask.pid) > _threads(default.pid)


def test_log_level_info_logs_each_request_and_warning_does_not(
    mocks: tuple[MockProcess, MockProcess],
) -> None:
    flask, default = mocks
    for mock in mocks:
        assert mock.api("/employees").status_code == 200
    assert ACCESS_LINE in flask.output
    assert ACCESS_LINE not in default.output
    assert "INFO" not in default.output
