"""The control API's spec (openapi/mock-admin.yaml): its invariants, as tests/test_spec.py pins
the documented API's."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from openapi_spec_validator import validate

from tests.spec_utils import ADMIN_SPEC_PATH, load_spec, operations, resolve

RELATIONS = ("anyOf", "oneOf", "not")


def test_the_control_spec_is_valid_openapi_3_0() -> None:
    spec = load_spec(ADMIN_SPEC_PATH)
    assert spec["openapi"] == "3.0.3"
    validate(spec)


def test_operations_with_input_document_400() -> None:
    # An out-of-range path id (`/faults/9223372036854775808`) was an undocumented 400.
    spec = load_spec(ADMIN_SPEC_PATH)
    for method, path, operation in operations(spec):
        takes_input = "{" in path or operation.get("parameters") or "requestBody" in operation
        if takes_input:
            assert "400" in operation["responses"], f"{method} {path} documents no 400"


def _relations(
    spec: dict[str, Any], node: Any, seen: set[str], said: bool = False
) -> Iterator[tuple[dict[str, Any], str, bool]]:
    """Every (schema, relation keyword, whether it or a relation around it has a description)
    under `node`, each `$ref` followed once."""
    if isinstance(node, dict):
        reference = node.get("$ref")
        if isinstance(reference, str):
            if reference not in seen:
                seen.add(reference)
                yield from _relations(spec, resolve(spec, node), seen, said)
            return
        for keyword in RELATIONS:
            if keyword in node:
                said_here = said or bool(node.get("description"))
                yield node, keyword, said_here
                yield from _relations(spec, node[keyword], seen, said_here)
        for key, value in node.items():
            if key not in RELATIONS:
                yield from _relations(spec, value, seen, said)
    elif isinstance(node, list):
        for item in node:
            yield from _relations(spec, item, seen, said)


def test_every_relation_between_a_bodys_fields_says_its_refusal() -> None:
    """A body that breaks an `anyOf`/`oneOf`/`not` is refused with that relation's
    description (mock_server/http/json_body.py): each has one, in one line, or lies inside
    one that has."""
    spec = load_spec(ADMIN_SPEC_PATH)
    relations = 0
    for method, path, operation in operations(spec):
        if "requestBody" not in operation:
            continue
        body = resolve(spec, operation["requestBody"])["content"]["application/json"]["schema"]
        for schema, keyword, said in _relations(spec, body, set()):
            relations += 1
            where = f"{method.upper()} {path}: {keyword} {schema[keyword]}"
            assert said, f"{where} says nothing when broken"
            assert "\n" not in schema.get("description", "").strip(), f"{where}: one line"
    assert relations >= 7, relations
