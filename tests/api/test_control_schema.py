"""The control API and its spec agree: a request the schema admits is never a 400, one it
refuses is a 400, and whatever the mock answers the operation documents.

Each case is one that a plain `st run openapi/mock-admin.yaml` found (issue 22): path ids out
of range answered an undocumented 400, and these bodies, valid by the schema, were refused.
The judge is jsonschema (Draft 4, OpenAPI 3.0's), with the spec's own schemas.
"""

from __future__ import annotations

import re
from typing import Any, Final

import pytest
from jsonschema import Draft4Validator, FormatChecker
from starlette.testclient import TestClient

from tests.spec_utils import ADMIN_SPEC_PATH, load_spec, operations, resolve

NOW: Final = "2026-03-02T10:00:00+03:00"


def _operation(method: str, path: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The control API's operation for `method path`, and its path parameters' values."""
    spec = load_spec(ADMIN_SPEC_PATH)
    for op_method, template, operation in operations(spec):
        pattern = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
        found = re.fullmatch(pattern, path)
        if op_method == method.lower() and found:
            return {**operation, "parameters": spec["paths"][template].get("parameters", [])}, (
                found.groupdict()
            )
    raise AssertionError(f"the control API has no {method} {path}")


def _errors(schema: dict[str, Any], value: Any) -> list[str]:
    spec = load_spec(ADMIN_SPEC_PATH)
    validator = Draft4Validator(
        {**schema, "components": spec["components"]}, format_checker=FormatChecker()
    )
    return [error.message for error in validator.iter_errors(value)]


def schema_errors(method: str, path: str, body: Any) -> list[str]:
    """Why the spec refuses the request (nothing if it admits it)."""
    spec = load_spec(ADMIN_SPEC_PATH)
    operation, values = _operation(method, path)
    errors = []
    for parameter in (resolve(spec, p) for p in operation["parameters"]):
        value: Any = values[parameter["name"]]
        if parameter["schema"].get("type") == "integer":
            value = int(value) if value.isdigit() else value
        errors += _errors(parameter["schema"], value)
    if body is not None:
        content = resolve(spec, operation["requestBody"])["content"]["application/json"]
        errors += _errors(content["schema"], body)
    return errors


CASES: Final = [
    # Path ids beyond the schema's maximum: documented 400s now.
    ("GET", "/faults/9223372036854775808", None),
    ("DELETE", "/faults/9223372036854775808", None),
    ("DELETE", "/companies/2147483648", None),
    ("GET", "/companies/2147483648/clock", None),
    # A fault rule with several actions (Schemathesis's body): the schema says one at most.
    (
        "POST",
        "/faults",
        {
            "companyId": 391,
            "delayMs": 0,
            "drop": True,
            "expireTokens": "access",
            "from": "2000-01-01T00:00:00Z",
            "jitterMs": 0,
            "method": "GET",
            "operationId": "getEmployees",
            "path": "/",
            "probability": 5e-324,
            "retryAfter": 0,
            "seed": 9223372036854775806,
            "status": 503,
            "times": 2,
            "truncate": True,
            "until": "2000-01-01T00:00:00Z",
        },
    ),
    ("POST", "/faults", {"status": 503, "drop": True}),
    ("POST", "/faults", {"operationId": "getEmployees"}),
    ("POST", "/faults", {"drop": True, "retryAfter": 5}),
    ("POST", "/faults", {"status": 503, "jitterMs": 5}),
    ("POST", "/faults", {"delayMs": 10, "jitterMs": 5}),
    # An empty window: a rule that never fires (it was a 400 the schema did not say).
    ("POST", "/faults", {"status": 503, "from": NOW, "until": NOW}),
    ("POST", "/faults", {"status": 503, "from": NOW, "until": "2026-03-02T09:00:00+03:00"}),
    # An offset beyond Java's ±18:00, and year 0000 (the mock's clock cannot hold it).
    ("POST", "/faults", {"status": 503, "until": "0220-10-26T01:59:48-19:42"}),
    ("POST", "/faults", {"status": 503, "from": "0000-01-01T00:00:00Z"}),
    # The outage preset with the smallest positive minutes: an outage of a microsecond.
    ("POST", "/faults/presets/outage", {"minutes": 5e-324}),
    ("POST", "/faults/presets/outage", {"minutes": 0}),
    # A transcript needs a recording, as the schema now says.
    ("POST", "/calls/incoming", {"from": "79161234567", "recording": False, "transcript": True}),
    ("POST", "/calls/outcomes", {"recording": False, "transcript": True}),
    ("POST", "/calls/outcomes", {"recording": False, "transcript": False}),
    # No `frozen` on a company's clock: the mock clock's.
    ("PUT", "/companies/391/clock", {"frozen": True}),
    ("PUT", "/companies/391/clock", {"now": "2026-03-05T10:00:00+03:00"}),
    # Years the clock cannot show at every offset; one it can.
    ("PUT", "/clock", {"now": "0858-11-06T07:29:27Z"}),
    ("PUT", "/clock", {"now": "1970-01-01T00:30:00+01:00"}),
    ("PUT", "/clock", {"now": "8999-12-31T20:00:00-05:00"}),
    ("PUT", "/clock", {"now": "8998-12-31T20:00:00-18:00"}),
    ("POST", "/reset", {"now": "1971-06-01T00:00:00Z", "historyDays": 0}),
    ("POST", "/reset", {"now": "1972-01-01T00:00:00+18:00", "historyDays": 31}),
    # A caller's number: 3 to 15 digits.
    ("POST", "/calls/incoming", {"from": ""}),
    ("POST", "/calls/incoming", {"from": "+79161234567"}),
    # A reset's history within a few seconds of seeding; the schema says how much.
    ("POST", "/reset", {"historyDays": 366, "callsPerDay": 100_000}),
    ("POST", "/reset", {"historyDays": 32, "callsPerDay": 51}),
    ("POST", "/reset", {"historyDays": 31, "callsPerDay": 600}),
    ("POST", "/reset", {"historyDays": 366, "callsPerDay": 50}),
]


@pytest.mark.parametrize(("method", "path", "body"), CASES)
def test_the_mock_answers_what_its_schema_says(
    client: TestClient, method: str, path: str, body: Any
) -> None:
    refused = schema_errors(method, path, body)
    response = client.request(method, "/mock" + path, json=body)
    operation, _ = _operation(method, path)
    assert str(response.status_code) in operation["responses"], (
        f"{response.status_code} is not documented: {response.text}"
    )
    if refused:
        assert response.status_code == 400, f"the schema refuses it ({refused}): {response.text}"
    else:
        assert response.status_code != 400, f"the schema admits it: {response.text}"


@pytest.mark.parametrize(
    ("path", "body", "detail"),
    [
        (
            "/faults",
            {"status": 503, "drop": True},
            "A fault rule does one thing: at most one of status, drop, truncate, expireTokens",
        ),
        ("/faults", {"operationId": "getEmployees"}, "A fault rule needs an action"),
        ("/faults", {"drop": True, "retryAfter": 5}, "Field 'retryAfter': goes with 'status'"),
        ("/faults", {"status": 503, "jitterMs": 5}, "Field 'jitterMs': goes with 'delayMs'"),
        (
            "/calls/outcomes",
            {"recording": False, "transcript": True},
            "Field 'transcript': a transcript needs a recording",
        ),
        (
            "/reset",
            {"historyDays": 32, "callsPerDay": 51},
            "Fields 'historyDays' and 'callsPerDay': at most",
        ),
    ],
)
def test_a_broken_relation_between_fields_is_refused_in_the_specs_words(
    client: TestClient, path: str, body: dict[str, Any], detail: str
) -> None:
    response = client.post("/mock" + path, json=body)
    assert response.status_code == 400, response.text
    assert response.json()["detail"].startswith(detail), response.json()


def test_a_company_clock_refuses_frozen_in_the_specs_words(client: TestClient) -> None:
    response = client.put("/mock/companies/391/clock", json={"frozen": True})
    assert response.status_code == 400, response.text
    assert response.json()["detail"] == (
        "Field 'frozen': a company's clock follows the mock clock's; freeze that (PUT /mock/clock)"
    )
