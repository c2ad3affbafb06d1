"""docs/request-matching.md: every example pattern counts exactly the one request the document
says it was run against, and every matcher has an example."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.api.test_request_matching import sent
from tests.conftest import Api

DOC = Path(__file__).resolve().parents[2] / "docs" / "request-matching.md"
EXAMPLES = [
    json.loads(block) for block in re.findall(r"```json\n(.*?)\n```", DOC.read_text(), re.S)
]
MATCHERS = ("equalTo", "contains", "matches", "absent", "equalToJson", "ignoreExtraElements")
FIELDS = ("query", "headers", "body", "json", "jsonPath", "matchesJsonPath")

__all__ = ["sent"]  # the fixture: the three requests the document names


def test_every_matcher_and_place_has_an_example() -> None:
    shown = json.dumps(EXAMPLES)
    for name in (*MATCHERS, *FIELDS):
        assert f'"{name}"' in shown, f"docs/request-matching.md has no example of {name}"
    assert any(isinstance(e.get("body"), str) for e in EXAMPLES), "the plain-string shorthand"


@pytest.mark.parametrize("pattern", EXAMPLES, ids=[json.dumps(e)[:60] for e in EXAMPLES])
def test_each_documented_example_counts_its_request(
    client: TestClient, sent: Api, pattern: dict[str, Any]
) -> None:
    response = client.post("/mock/requests/count", json=pattern)
    assert response.status_code == 200, response.text
    assert response.json()["count"] == 1, pattern
