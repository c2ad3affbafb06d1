"""The mock in-process for the client tests (tests/client/inprocess.py wires a client to it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from mock_server.domain.pbx import Pbx
from mock_server.http.app import create_app
from tests.conftest import CONTROL


@pytest.fixture
def mock_app(pbx: Pbx) -> Iterator[TestClient]:
    """The mock's app (validating its answers) behind a TestClient, for the control API."""
    with TestClient(create_app(pbx, validate_responses=True), headers=CONTROL) as control:
        yield control
