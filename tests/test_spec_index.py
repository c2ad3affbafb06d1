"""The spec index: what it reads of a document, and the typos it refuses at start-up."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from mock_server.domain.double.advisories import ADVISORIES, OPERATION_CHECKS
from mock_server.spec_index import SpecError, SpecIndex
from mock_server.specs import admin_index, api_index


def _document(**operation: Any) -> dict[str, Any]:
    get = {"operationId": "getThing", "responses": {"200": {"description": "ok"}}, **operation}
    return {
        "paths": {
            "/things/{id}": {
                "parameters": [{"$ref": "#/components/parameters/Id"}],
                "get": get,
                "delete": {"operationId": "deleteThing", "responses": {}},
            },
            "/things": {"post": {"operationId": "addThing", "security": [{}], "responses": {}}},
        },
        "components": {
            "parameters": {
                "Id": {"name": "id", "in": "path", "schema": {"type": "integer"}},
            }
        },
        "security": [{"AccessToken": []}],
    }


def test_the_control_apis_operation_ids_are_the_documented_apis() -> None:
    # Fault rules, journal filters and request patterns name an operation of the documented
    # API by this enum; the app serves it from the spec (app.py), and the published file must
    # say the same, or a vendor's generated client of the control API refuses a new operation.
    enum = admin_index().document["components"]["schemas"]["ApiOperationId"]["enum"]
    assert enum == list(api_index().operation_ids)


def test_every_advisory_the_spec_names_is_one_the_mock_detects() -> None:
    enum = admin_index().document["components"]["schemas"]["AdvisoryCode"]["enum"]
    assert set(enum) == set(ADVISORIES)
    named = {code for operation in api_index() for code in operation.traits.advisories}
    assert named <= set(OPERATION_CHECKS) <= set(ADVISORIES)


def test_an_operation_is_found_by_id_and_by_request() -> None:
    index = SpecIndex(_document())
    thing = index["getThing"]
    assert (thing.method, thing.path, thing.label) == ("GET", "/things/{id}", "GET /things/{id}")
    assert [(p.name, p.location, p.required) for p in thing.parameters] == [("id", "path", True)]
    assert thing.parameter("id", "path") is not None
    assert thing.parameter("id", "query") is None
    assert thing.secured
    assert not index["addThing"].secured
    assert index.match("GET", "/things/7") is thing
    assert index.match("HEAD", "/things/7/") is thing
    assert index.match("PUT", "/things/7") is None
    assert index.match("GET", "/things/7/parts") is None
    assert index.methods_at("/things/7") == ("GET", "DELETE")
    assert index.methods_at("/nothing") is None
    assert index.operation_ids == ("addThing", "deleteThing", "getThing")


def test_the_real_specs_traits_are_read() -> None:
    api = api_index()
    records = api["getCallRecords"]
    assert records.traits.bench is not None
    assert records.traits.bench.name == "call_records"
    assert records.traits.advisories["WINDOW_NOT_ORDERED"] == ("start", "end")
    assert records.traits.advisories["COMPANY_ID_NOT_THE_TOKENS"] == ("company_id",)
    assert api["clearBlacklist"].traits.write == "blacklist-clear"
    assert admin_index()["resetState"].traits.thread_pool
    assert admin_index()["advanceClock"].traits.moves_clock


@pytest.mark.parametrize(
    ("traits", "message"),
    [
        ({"x-mock-threadpool": True}, "unknown traits"),
        ({"x-mock-thread-pool": "yes"}, "expected true or false"),
        ({"x-mock-write": "everything"}, "is none of"),
        ({"x-mock-tenant": {"answer": "list"}}, "a list answer has identities"),
        ({"x-mock-tenant": {"answer": "object", "identities": {"a": {"key": ["id"]}}}}, "only"),
        ({"x-mock-tenant": {"answer": "list", "identities": {"a": {"key": []}}}}, "no field"),
        ({"x-mock-bench": {"name": "Thing"}}, "expected a key"),
        ({"x-mock-bench": {"name": "thing", "parameters": {"size": 1}}}, "not parameters"),
        ({"x-mock-bench": {"name": "thing", "ratio": True}}, "positive number"),
        ({"x-mock-advisories": {"PAGE_NEGATIVE": ["page"]}}, "not query parameters"),
        ({"x-mock-advisories": {"page negative": []}}, "not an advisory code"),
        ({"x-mock-domain-body": {"maxBytes": 0}}, "positive integer"),
        ({"x-mock-domain-body": {"maxBytes": True}}, "positive integer"),
        ({"x-mock-domain-body": {"bytes": 5}}, "unknown members"),
    ],
)
def test_a_malformed_trait_fails_when_the_index_is_built(
    traits: dict[str, Any], message: str
) -> None:
    with pytest.raises(SpecError, match=message):
        SpecIndex(_document(**traits))


def test_a_missing_or_repeated_operation_id_or_a_dangling_ref_fails() -> None:
    document = _document()
    del document["paths"]["/things"]["post"]["operationId"]
    with pytest.raises(SpecError, match="no operationId"):
        SpecIndex(document)
    document = _document(operationId="addThing")
    with pytest.raises(SpecError, match="used twice"):
        SpecIndex(document)
    document = copy.deepcopy(_document())
    del document["components"]["parameters"]["Id"]
    with pytest.raises(SpecError, match="no such element"):
        SpecIndex(document)
