"""The console's tests run on the AsyncApp; test_pages.py runs on both app classes.

The console sits in front of either app class as the same ASGI middleware and talks to the app
through ASGI, so what the pages do is the same on both; test_pages.py shows that both serve
every page, a form and a recording.
"""

from __future__ import annotations

import pytest

from mock_server.http.app import AppKind


@pytest.fixture
def app_kind() -> AppKind:
    return "async"
