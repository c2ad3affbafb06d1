"""The plugin's options behave as pytest's own (mock_server/testing/options.py): flags that take
no value, values that mean nothing refused, the URL from the environment, start options that a
URL makes void said aloud, and a header naming the mock in use."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator

import pytest

from mock_server.specs import SPEC_VERSION
from mock_server.testing.options import ENV_URL
from mock_server.testing.process import MockServer
from tests.pinned import PINNED_NOW

pytestmark = pytest.mark.slow

# A vendor's file that says which mock it got and how its clock goes.
WHICH_MOCK = """
import os


def test_which_mock(tele2_ats_mock):
    health = tele2_ats_mock.control.health()
    print(f"MOCK {tele2_ats_mock.base_url} STARTED {tele2_ats_mock.process is not None} "
          f"FROZEN {health.frozen}")
"""

# Sets pytest's options for a file of the vendor's: their own ini, not this suite's addopts.
NO_ADDOPTS = "[pytest]\naddopts =\n"


@pytest.fixture(scope="module")
def shared() -> Iterator[MockServer]:
    """A mock somebody else started (a CI job's), pinned and frozen."""
    with MockServer.start(now=PINNED_NOW.isoformat(), frozen=True) as mock:
        yield mock


@pytest.fixture(autouse=True)
def _no_url_from_this_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_URL, raising=False)


def _files(pytester: pytest.Pytester, ini: str = "", **files: str) -> None:
    pytester.makeini(NO_ADDOPTS + ini)
    pytester.makepyfile(**{name: textwrap.dedent(source) for name, source in files.items()})


def test_frozen_is_a_flag_and_the_file_after_it_is_what_runs(pytester: pytest.Pytester) -> None:
    """`--tele2-ats-frozen test_frozen.py` took the path as the option's value and ran the
    whole directory on a running clock."""
    _files(
        pytester,
        test_frozen="""
            def test_the_clock_stands_still(tele2_ats_mock):
                assert tele2_ats_mock.control.health().frozen
        """,
        test_other="def test_one():\n    pass\n\ndef test_two():\n    pass\n",
    )
    now = ("--tele2-ats-now", PINNED_NOW.isoformat())
    result = pytester.runpytest_subprocess(*now, "--tele2-ats-frozen", "test_frozen.py")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines([f"*clock from {PINNED_NOW.isoformat()}, frozen*"])


def test_running_overrides_a_frozen_ini(pytester: pytest.Pytester) -> None:
    _files(pytester, "tele2_ats_frozen = true\n", test_vendor=WHICH_MOCK)
    result = pytester.runpytest_subprocess(
        "-s", "--tele2-ats-now", PINNED_NOW.isoformat(), "--tele2-ats-running"
    )
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*STARTED True FROZEN False*"])


@pytest.mark.parametrize(
    ("ini", "message"),
    [
        ("tele2_ats_frozen = maybe", "tele2_ats_frozen = 'maybe' in *: expected true or false*"),
        ("tele2_ats_seed = one", "tele2_ats_seed = 'one' in *: expected an integer"),
        ("tele2_ats_url = localhost:8080", "tele2_ats_url in *'localhost:8080'*http://HOST:PORT"),
        ("tele2_ats_args = --history-days '3", 'tele2-ats-args "--history-days \'3": *quotation*'),
    ],
)
def test_an_ini_value_that_means_nothing_is_a_usage_error(
    pytester: pytest.Pytester, ini: str, message: str
) -> None:
    """`tele2_ats_frozen = maybe` silently meant not frozen."""
    _files(pytester, ini + "\n", test_vendor=WHICH_MOCK)
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: {message}"])


def test_a_value_after_the_frozen_flag_is_no_longer_its_value(pytester: pytest.Pytester) -> None:
    """What `--tele2-ats-frozen true` meant before: now `true` is a path, and pytest says so."""
    _files(pytester, test_vendor=WHICH_MOCK)
    result = pytester.runpytest("--tele2-ats-frozen", "true")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: file or directory not found: true"])


def test_the_url_comes_from_the_environment(
    pytester: pytest.Pytester, shared: MockServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CI job that started one mock and exported its URL: `pytest` uses it, and starts none."""
    monkeypatch.setenv(ENV_URL, shared.api_url)  # any of its URLs will do
    _files(pytester, "tele2_ats_url = http://127.0.0.1:9\n", test_vendor=WHICH_MOCK)
    result = pytester.runpytest_subprocess("-s", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            f"tele2-ats-mock at {shared.api_url} (from {ENV_URL}): version {SPEC_VERSION}, "
            f"clock {PINNED_NOW.astimezone(shared.control.clock().now.tzinfo).isoformat()} "
            f"frozen, pid {shared.ready['pid']}",
            f"*MOCK {shared.base_url} STARTED False FROZEN True*",
        ]
    )


def test_the_command_line_outranks_the_environment(
    pytester: pytest.Pytester, shared: MockServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_URL, "http://127.0.0.1:9")
    _files(pytester, test_vendor=WHICH_MOCK)
    result = pytester.runpytest("-s", "--tele2-ats-url", shared.base_url)
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines([f"*MOCK {shared.base_url} STARTED False*"])


def test_start_options_beside_a_url_are_named_not_dropped(
    pytester: pytest.Pytester, shared: MockServer
) -> None:
    """Asked for 2027-01-01 beside --tele2-ats-url, got the running mock's clock in silence."""
    _files(pytester, "tele2_ats_frozen = false\n", test_vendor=WHICH_MOCK)
    result = pytester.runpytest(
        "--tele2-ats-url", shared.base_url, "--tele2-ats-now", "2027-01-01T00:00:00Z"
    )
    result.assert_outcomes(passed=1)
    ignored = "--tele2-ats-now, tele2_ats_frozen (ini file) ignored: the tests use the running"
    result.stdout.fnmatch_lines(
        [
            f"tele2-ats-mock: {ignored} mock at {shared.base_url} (from --tele2-ats-url)*",
            "*warnings summary*",
            f"*PytestConfigWarning: {ignored}*",
        ]
    )


def test_the_header_names_a_mock_that_does_not_answer(pytester: pytest.Pytester) -> None:
    _files(pytester, test_vendor=WHICH_MOCK)
    result = pytester.runpytest("--tele2-ats-url", "http://127.0.0.1:9")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["tele2-ats-mock at http://127.0.0.1:9 (from --tele2-ats-url): not answering (*"]
    )


def test_the_header_starts_no_mock(pytester: pytest.Pytester) -> None:
    """No test uses the fixtures: the header says what would be started, and nothing is (a
    mock started with these options would fail the run)."""
    _files(pytester, test_plain="def test_plain():\n    pass\n")
    result = pytester.runpytest_subprocess(
        "--tele2-ats-seed", "7", "--tele2-ats-args=--this-option-does-not-exist"
    )
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            f"tele2-ats-mock {SPEC_VERSION}: started on first use of its fixtures, on a free "
            "loopback port (one per xdist worker); clock on real time, running; seed 7; "
            "options --this-option-does-not-exist"
        ]
    )
