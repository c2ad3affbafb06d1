"""Every example the documentation in the code shows runs: the ControlClient module
docstring's code (it named `control.advance_company`, which never existed) against a mock, and
every `e.g.` value and default of `tele2-ats-mock --help` through the mock's own parser."""

from __future__ import annotations

import argparse
import re
import textwrap
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import mock_server.testing.control as control_module
from mock_server.cli import build_parser, parse_args
from mock_server.testing.control import ControlClient
from mock_server.testing.matchers import contains
from mock_server.testing.process import MockServer
from tests.pinned import PINNED_NOW

# The URL the docstring's examples name, and the line that stands for the user's own code.
DOCUMENTED_URL = "http://127.0.0.1:8080"
CODE_UNDER_TEST = "...  # the code under test"


def _literal_blocks(docstring: str) -> list[str]:
    """The reStructuredText literal blocks (after `::`) of a docstring, dedented."""
    blocks = re.findall(r"::\n\n((?:(?: {4}.*)?\n)+)", docstring + "\n")
    return [textwrap.dedent(block) for block in blocks]


@pytest.fixture(scope="module")
def mock() -> Iterator[MockServer]:
    with MockServer.start(now=PINNED_NOW.isoformat(), frozen=True) as server:
        yield server


@pytest.mark.slow
def test_the_control_clients_docstring_examples_run(mock: MockServer) -> None:
    assert control_module.__doc__ is not None
    blocks = _literal_blocks(control_module.__doc__)
    assert len(blocks) == 3, blocks
    code = "\n".join(blocks[:2])
    assert DOCUMENTED_URL in code
    assert code.count(CODE_UNDER_TEST) == 1

    def the_code_under_test() -> None:
        """What the example's user's code does: it reads the employees twice (the fault
        answers both)."""
        company: Any = namespace["company"]
        for _ in range(2):
            answer = httpx.get(
                mock.api_url + "/employees", headers={"Authorization": company.access_token}
            )
            assert answer.status_code == 503

    namespace: dict[str, object] = {"ControlClient": ControlClient}
    namespace["the_code_under_test"] = the_code_under_test
    code = code.replace(DOCUMENTED_URL, mock.base_url)
    exec(code.replace(CODE_UNDER_TEST, "the_code_under_test()"), namespace)
    control = namespace["control"]
    assert isinstance(control, ControlClient)
    company: Any = namespace["company"]
    company_id = company.company_id
    advanced = control.clock(company_id).now - control.clock().now
    assert advanced.total_seconds() == 2 * 86400

    # The matchers' block, after what a CRM would send: a click-to-call, a blacklisted number
    # as text, a trace header.
    # (Another company: the example moved the first one's clock past its token's life.)
    crm = control.create_company()
    headers = {"Authorization": crm.access_token, "X-Trace-Id": "crm-7"}
    with httpx.Client(base_url=mock.api_url, headers=headers) as http:
        staff = next(e for e in http.get("/employees").json() if "fullNumber" in e)
        called = {"source": staff["fullNumber"], "destination": "79165554433"}
        assert http.post("/call/outgoing", params=called).status_code == 200
        blacklisted = http.post(
            "/blacklist", content="79998887766", headers={"Content-Type": "text/plain"}
        )
        assert blacklisted.status_code == 200, blacklisted.text
    exec(blocks[2], {**namespace, "contains": contains})


def _options() -> list[argparse.Action]:
    return [
        action
        for action in build_parser()._actions
        if action.option_strings
        and action.help not in (None, argparse.SUPPRESS)
        and not isinstance(action, argparse._HelpAction | argparse._VersionAction)
    ]


def test_every_option_of_the_help_says_its_default() -> None:
    shown = build_parser().format_help()
    for action in _options():
        assert "(default:" in str(action.help), action.option_strings
    assert shown.count("(default:") == len(_options())


@pytest.mark.parametrize(
    "action",
    [a for a in _options() if "e.g." in str(a.help)],
    ids=lambda action: action.option_strings[0],
)
def test_every_example_of_the_help_is_accepted(action: argparse.Action) -> None:
    example = re.search(r"e\.g\. ([^\s;,()]+)", str(action.help))
    assert example is not None
    args = parse_args([action.option_strings[0], example[1]])
    value = getattr(args, action.dest)
    assert value not in (None, [], action.default), (action.option_strings, value)


def test_the_help_examples_are_found() -> None:
    """The examples the test above runs: if the help changes its words, this says so."""
    examples = {
        a.option_strings[0]: re.findall(r"e\.g\. ([^\s;,()]+)", str(a.help)) for a in _options()
    }
    assert {option: found for option, found in examples.items() if found} == {
        "--allowed-host": ["mock"],
        "--now": ["2026-03-02T10:00:00+03:00"],
        "--journal-bytes": ["1G"],
    }
