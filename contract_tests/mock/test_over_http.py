"""Every operation, fuzzed over HTTP against `tele2-ats-mock --port 0`, with every check."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis

from contract_tests.mock.harness import Target, tally
from contract_tests.mockctl import MockControl
from contract_tests.settings import profile
from tests.mock_process import MockProcess

PROFILE = profile()
TARGET = Target.create(PROFILE, examples=PROFILE.http_examples)


@pytest.fixture(scope="module", autouse=True)
def _mock(mock_process: MockProcess) -> None:
    # Every copy `parametrize` made of the schema shares its config; the checks' own requests
    # go to this base URL (operations keep the discard URL they were collected with).
    TARGET.schema.config.update(base_url=mock_process.api_url)
    TARGET.bind(MockControl.over_http(mock_process.base_url))


@TARGET.schema.parametrize()
def test_over_http(case: schemathesis.Case[Any]) -> None:
    tally(case, case.call_and_validate(base_url=TARGET.schema.config.base_url))
