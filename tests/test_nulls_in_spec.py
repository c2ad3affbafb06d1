"""The request schemas say what the mock does with a null member (D47): every optional member
of a JSON request body is `nullable` (null is its absence), no required one is (null is the
400 of a missing property). Otherwise a generator would send nulls the mock takes as a
violation, or Schemathesis would call a served null negative data."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mock_server.http.json_body import without_null_members
from tests.spec_utils import load_spec, resolve


def _object_schemas(spec: dict[str, Any], node: Any, seen: set[int]) -> Iterator[dict[str, Any]]:
    node = resolve(spec, node)
    if not isinstance(node, dict) or id(node) in seen:
        return
    seen.add(id(node))
    if node.get("type") == "object":
        yield node
    for child in (*node.get("properties", {}).values(), node.get("items")):
        if child is not None:
            yield from _object_schemas(spec, child, seen)


def _json_request_objects() -> Iterator[dict[str, Any]]:
    spec = load_spec()
    seen: set[int] = set()
    for item in spec["paths"].values():
        for operation in item.values():
            if not isinstance(operation, dict) or "requestBody" not in operation:
                continue
            content = resolve(spec, operation["requestBody"])["content"]
            if "application/json" in content:
                yield from _object_schemas(spec, content["application/json"]["schema"], seen)


def test_optional_members_of_request_bodies_are_nullable_and_required_ones_are_not() -> None:
    spec = load_spec()
    checked = 0
    for schema in _json_request_objects():
        required = set(schema.get("required", ()))
        for name, member in schema["properties"].items():
            nullable = resolve(spec, member).get("nullable", False)
            assert nullable is (name not in required), (schema.get("description"), name)
            checked += 1
    assert checked >= 17  # ManagerInput, ManagerUpdate and CustomerInput at least


@pytest.mark.parametrize(
    ("sent", "read"),
    [
        ({"a": None, "b": 1}, {"b": 1}),
        ({"a": {"b": None, "c": [None, {"d": None}]}}, {"a": {"c": [None, {}]}}),
        ([None, {"a": None}], [None, {}]),
        (None, None),
    ],
)
def test_null_members_are_left_out_at_any_depth_null_elements_kept(sent: Any, read: Any) -> None:
    assert without_null_members(sent) == read


def test_a_body_without_null_members_is_handed_on_as_it_is() -> None:
    body = {"a": [1, {"b": "x"}], "c": {"d": False}}
    assert without_null_members(body) is body
