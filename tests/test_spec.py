"""The spec is the project's spine: these tests pin its operation set and its invariants."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft4Validator, FormatChecker
from openapi_spec_validator import validate

from tests.spec_utils import SPEC_PATH, load_spec, operations, resolve

EXPECTED_OPERATIONS = {
    ("put", "/authorization/refresh/token", "refreshToken"),
    ("get", "/monitoring/calls", "getCurrentCalls"),
    ("get", "/monitoring/calls/pending", "getPendingCalls"),
    ("get", "/employees", "getEmployees"),
    ("post", "/call/outgoing", "initiateCall"),
    ("get", "/statistics/common", "getCommonStatistics"),
    ("get", "/statistics/journal", "getJournalStatistics"),
    ("get", "/call-records/info", "getCallRecords"),
    ("get", "/call-records/file", "getCallRecordFile"),
    ("get", "/call-records/file/stt", "getCallRecordTranscript"),
    ("get", "/managers", "getManagers"),
    ("get", "/managers/{id}", "getManager"),
    ("post", "/managers", "createManager"),
    ("put", "/managers", "updateManager"),
    ("delete", "/managers/{id}", "deleteManager"),
    ("post", "/blacklist", "addToBlacklist"),
    ("delete", "/blacklist/by-msisdn/{msisdn}", "deleteFromBlacklist"),
    ("delete", "/blacklist/all", "clearBlacklist"),
    ("get", "/blacklist", "getBlacklist"),
}


def test_spec_is_valid_openapi_3_0() -> None:
    spec = load_spec()
    assert spec["openapi"] == "3.0.3"
    validate(spec)


def test_spec_has_exactly_the_guides_operations() -> None:
    found = {(m, p, op["operationId"]) for m, p, op in operations(load_spec())}
    assert found == EXPECTED_OPERATIONS


def test_every_operation_is_secured_and_documents_403() -> None:
    spec = load_spec()
    global_security = spec["security"]
    for method, path, op in operations(spec):
        security = op.get("security", global_security)
        expected = "RefreshToken" if op["operationId"] == "refreshToken" else "AccessToken"
        assert security == [{expected: []}], f"{method} {path}: {security}"
        assert "403" in op["responses"], f"{method} {path} documents no 403"


def test_operations_with_input_document_400_and_bodies_document_415() -> None:
    for method, path, op in operations(load_spec()):
        if op.get("parameters") or "{" in path:
            assert "400" in op["responses"], f"{method} {path} documents no 400"
        # An operation that reads its body under any Content-Type (D14) never answers 415.
        if "requestBody" in op and "x-accepted-content-types" not in op:
            assert "415" in op["responses"], f"{method} {path} documents no 415"
        assert "405" in op["responses"], f"{method} {path} documents no 405"


def test_security_schemes_are_raw_authorization_header() -> None:
    schemes = load_spec()["components"]["securitySchemes"]
    for name, subject in [
        ("AccessToken", "ACCESS_OPENAPI_TOKEN"),
        ("RefreshToken", "REFRESH_OPENAPI_TOKEN"),
    ]:
        assert schemes[name]["type"] == "apiKey"
        assert schemes[name]["in"] == "header"
        assert schemes[name]["name"] == "Authorization"
        assert schemes[name]["x-token-subject"] == subject


def test_servers_are_current_legacy_and_local_mock() -> None:
    urls = [s["url"] for s in load_spec()["servers"]]
    assert urls == [
        "https://ats2.t2.ru/crm/openapi",
        "https://ats2.tele2.ru/crm/openapi",
        "http://127.0.0.1:8080/crm/openapi",
    ]


@pytest.mark.parametrize(
    ("schema", "count"),
    [("CallType", 14), ("CallStatus", 16), ("MonitoringCallType", 4), ("BlacklistSourceType", 2)],
)
def test_enums_have_the_guides_values(schema: str, count: int) -> None:
    values = load_spec()["components"]["schemas"][schema]["enum"]
    assert len(set(values)) == count


def test_every_decision_is_referenced_where_it_applies() -> None:
    spec = load_spec()
    text = SPEC_PATH.read_text(encoding="utf-8")
    outside_list = text[: text.index("x-decisions:")] + text[text.index("\ntags:") :]
    ids = [d["id"] for d in spec["x-decisions"]]
    numbers = [int(decision_id.removeprefix("D")) for decision_id in ids]
    assert ids == [f"D{n}" for n in numbers]
    # In order and unique; a gap is allowed while branches that add decisions are merged.
    assert numbers == sorted(set(numbers)), ids
    for decision in spec["x-decisions"]:
        assert decision["decision"], decision
        assert decision["why"], decision
    # D1 (the OpenAPI version) is explained in the file's header comment; every other
    # decision is echoed next to the element it concerns.
    for decision_id in ids[1:]:
        assert re.search(rf"\b{decision_id}\b", outside_list), f"{decision_id} is never referenced"


EVIDENCE_SOURCES = {"production", "guide", "field-notes", "client-code", "inferred"}
# Production evidence says when, and which calibration run (`tele2-ats-mock calibrate`), saw it.
EVIDENCE_KEYS = {"production": {"source", "where", "date", "run"}}


def test_every_decision_names_its_evidence() -> None:
    for decision in load_spec()["x-decisions"]:
        evidence = decision.get("evidence")
        assert isinstance(evidence, list), f"{decision['id']} has no evidence list"
        assert evidence, f"{decision['id']}: empty evidence"
        for item in evidence:
            assert item["source"] in EVIDENCE_SOURCES, f"{decision['id']}: {item}"
            keys = EVIDENCE_KEYS.get(item["source"], {"source", "where"})
            assert set(item) == keys, f"{decision['id']}: {item}"
            assert isinstance(item["where"], str), f"{decision['id']}: {item}"
            assert item["where"].strip(), f"{decision['id']}: {item}"


def test_guide_evidence_starts_with_a_section_number_of_the_guide() -> None:
    for decision in load_spec()["x-decisions"]:
        for item in decision["evidence"]:
            if item["source"] == "guide":
                assert re.match(r"\d+(\.\d+)*\b", item["where"]), f"{decision['id']}: {item}"


def test_lenient_content_types_are_an_extension_not_media_types() -> None:
    operation = load_spec()["paths"]["/blacklist"]["post"]
    assert list(operation["requestBody"]["content"]) == ["text/plain"]
    accepted = operation["x-accepted-content-types"]
    assert {"text/plain", "html/text", "text/html", "none", "*/*"} == set(accepted)


def _examples(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], Any]]:
    """Yield (where, schema, example) for every example in the document."""

    def media(where: str, content: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], Any]]:
        for media_type, body in content.items():
            body = resolve(spec, body)
            schema = body.get("schema")
            if schema is None:
                continue
            if "example" in body:
                yield f"{where} {media_type}", schema, body["example"]
            for name, ex in body.get("examples", {}).items():
                yield f"{where} {media_type} [{name}]", schema, resolve(spec, ex)["value"]

    for method, path, op in operations(spec):
        where = f"{method.upper()} {path}"
        params = spec["paths"][path].get("parameters", []) + op.get("parameters", [])
        for param in params:
            param = resolve(spec, param)
            if "example" in param:
                yield f"{where} param {param['name']}", param["schema"], param["example"]
        if "requestBody" in op:
            yield from media(f"{where} body", resolve(spec, op["requestBody"])["content"])
        for status, response in op["responses"].items():
            yield from media(f"{where} {status}", resolve(spec, response).get("content", {}))
    for name, schema in spec["components"]["schemas"].items():
        if "example" in schema:
            yield f"schema {name}", schema, schema["example"]


def test_every_example_validates_against_its_schema() -> None:
    spec = load_spec()
    checked = 0
    for where, schema, example in _examples(spec):
        validator = Draft4Validator(
            {**schema, "components": spec["components"]}, format_checker=FormatChecker()
        )
        errors = [e.message for e in validator.iter_errors(example)]
        assert not errors, f"{where}: {errors}"
        checked += 1
    assert checked >= 25, f"only {checked} examples found"
