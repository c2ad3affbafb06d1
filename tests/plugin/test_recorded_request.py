"""RecordedRequest exposes what was sent, typed: query, headers, body and json; the matchers
build the control API's JSON, a plain value being equality."""

from __future__ import annotations

from typing import Any

import pytest

from mock_server.testing.control import RecordedRequest, _pattern
from mock_server.testing.matchers import absent, equal_to_json, json_path, matches, present


def entry(**fields: Any) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "id": 7,
        "at": "2026-03-04T12:00:00+03:00",
        "method": "POST",
        "path": "/managers",
        "pathTruncated": False,
        "operationId": "createManager",
        "query": {"tag": ["a", "b"]},
        "queryTruncated": False,
        "headers": {"content-type": "application/json", "x-trace": "1, 2"},
        "headersTruncated": False,
        "token": None,
        "companyId": 1000,
        "body": '{"name": "Petrov", "customers": []}',
        "bodySize": 35,
        "bodyTruncated": False,
        "status": 200,
        "durationMs": 1.5,
        "advisories": [],
        "fault": None,
    }
    return {**shown, **fields}


def test_a_recorded_request_shows_what_was_sent_typed() -> None:
    request = RecordedRequest.from_json(entry())
    assert request.query["tag"] == "b"
    assert request.query.all("tag") == ["a", "b"]
    assert dict(request.query) == {"tag": "b"}
    assert request.headers["Content-Type"] == "application/json"
    assert request.json == {"name": "Petrov", "customers": []}
    assert request.truncated == frozenset()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"body": "number=1"}, "request #7: the body is not JSON"),
        ({"bodySize": 9000, "bodyTruncated": True}, "kept part of its 9000-byte body"),
    ],
)
def test_json_of_a_body_that_is_not_json_says_why(fields: dict[str, Any], message: str) -> None:
    request = RecordedRequest.from_json(entry(**fields))
    with pytest.raises(ValueError, match=message):
        _ = request.json


def test_the_matchers_spell_the_control_apis_json() -> None:
    pattern = _pattern(
        {
            "operation_id": "createManager",
            "query": {"page": 2, "size": matches("[0-9]+"), "comment": absent()},
            "headers": {"X-Trace": present()},
            "json": equal_to_json({"name": "Petrov"}, ignore_extra_elements=True),
            "json_path": {"$.isVip": True, "$.customers": equal_to_json([])},
        }
    )
    assert pattern == {
        "operationId": "createManager",
        "query": {
            "page": {"equalTo": "2"},
            "size": {"matches": "[0-9]+"},
            "comment": {"absent": True},
        },
        "headers": {"X-Trace": {"absent": False}},
        "json": {"equalToJson": {"name": "Petrov"}, "ignoreExtraElements": True},
        "jsonPath": {"$.isVip": {"equalTo": "true"}, "$.customers": {"equalToJson": []}},
    }
    assert json_path("$.name", "Petrov") == {
        "matchesJsonPath": {"expression": "$.name", "equalTo": "Petrov"}
    }
