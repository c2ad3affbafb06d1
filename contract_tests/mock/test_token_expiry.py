"""A long run survives token expiry: the auth provider refreshes and retries on 403.

Each example moves the mock clock seven hours on, so every operation's test lives through
days and its access token expires again and again (it lives a day). The run must not fail for
it: the API answers 403 "The token is expired", Schemathesis's auth provider refreshes the pair
and replays the request. A refresh also renews the refresh token, so only a week without any
request lets that one expire too; then the provider generates a new pair, as a person would in
the web cabinet. The counters prove both happened.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from starlette.testclient import TestClient

from contract_tests.mock.harness import Target, tally
from contract_tests.mockctl import MockControl
from contract_tests.settings import profile
from mock_server.http.app import create_app
from mock_server.real.tokens import TokenManager
from tests.pinned import pinned_config

PROFILE = profile()
APP = create_app(config=pinned_config(seed=4, history_days=2, calls_per_day=10))
CONTROL = MockControl(TestClient(APP))
TARGET = Target.create(PROFILE, examples=30, app=APP)
# Reads only: writes are fuzzed elsewhere; here the clock is the point. (`exclude`, because
# with `[[operations]]` entries in the config Schemathesis's `include` selects everything.)
READS = TARGET.schema.exclude(method=["POST", "PUT", "DELETE"])
STEP_SECONDS = 7 * 3600


@pytest.fixture(scope="module", autouse=True)
def _tokens() -> None:
    TARGET.bind(CONTROL)


def _manager() -> TokenManager:
    manager = TARGET.binding.user
    assert manager is not None
    return manager


@pytest.fixture
def _refreshed() -> Iterator[None]:
    """The operation's run refreshed the pair at least once."""
    before = _manager().refreshes
    yield
    assert _manager().refreshes > before, "the access token never expired and was refreshed"


@READS.parametrize()
@pytest.mark.usefixtures("_refreshed")
def test_long_run_survives_token_expiry(case: schemathesis.Case[Any]) -> None:
    tally(case, case.call_and_validate())
    CONTROL.advance(STEP_SECONDS)


def test_a_week_without_requests_needs_a_new_pair() -> None:
    """Both tokens expired: the refresh is refused and the provider generates a new pair."""
    operation = TARGET.schema["/employees"]["GET"]
    case = operation.Case()
    TARGET.schema.auth.set(case, schemathesis.AuthContext(operation=operation, app=APP))
    before = (_manager().refreshes, _manager().reissues)
    CONTROL.advance(8 * 24 * 3600)
    response = case.call_and_validate()
    assert response.status_code == 200, response.text
    assert (_manager().refreshes, _manager().reissues) == (before[0], before[1] + 1)
