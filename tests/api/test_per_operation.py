"""The per-operation overrides of Connexion's pipeline change nothing a client can see.

The same requests, valid and not, go to the mock built with the overrides
(`mock_server/http/per_operation.py`, `_Api`) and to the mock built with Connexion's pipeline as
it ships (`create_app(per_operation=False)`), each over its own PBX pinned at the same instant;
every answer must be the same: status, content type and body.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft4Validator
from starlette.testclient import TestClient

from mock_server.domain.pbx import Pbx
from mock_server.domain.timeutil import format_instant
from mock_server.http.app import APP_KINDS, AppKind, create_app
from mock_server.http.per_operation import simple_check
from tests.conftest import CONTROL, SMALL_HISTORY
from tests.pinned import PINNED_NOW, pinned_config
from tests.spec_utils import load_spec, resolve

API = "/crm/openapi"
WEEK = {
    "start": format_instant(PINNED_NOW - timedelta(days=3)),
    "end": format_instant(PINNED_NOW),
}


def _requests() -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, httpx keyword arguments) a client might send, well-formed or not."""
    get: list[tuple[str, dict[str, Any]]] = [
        ("/employees", {}),
        ("/employees/", {}),
        ("/managers", {}),
        ("/managers/26", {}),
        ("/managers/999999", {}),
        ("/managers/abc", {}),
        ("/managers/99999999999999999999", {}),
        ("/monitoring/calls", {}),
        ("/monitoring/calls/pending", {}),
        ("/blacklist", {}),
        ("/call-records/info", {"params": WEEK}),
        ("/call-records/info", {"params": {**WEEK, "size": 5, "page": 2, "sort": "date,DESC"}}),
        ("/call-records/info", {"params": {**WEEK, "is_recorded": "true", "size": 3}}),
        ("/call-records/info", {"params": {**WEEK, "is_recorded": "maybe"}}),
        ("/call-records/info", {"params": {**WEEK, "size": 0}}),
        ("/call-records/info", {"params": {**WEEK, "size": 2001}}),
        ("/call-records/info", {"params": {**WEEK, "size": "ten"}}),
        ("/call-records/info", {"params": {**WEEK, "page": -1}}),
        ("/call-records/info", {"params": {**WEEK, "sort": "date;DROP"}}),
        ("/call-records/info", {"params": {**WEEK, "sort": "nothing,ASC"}}),
        ("/call-records/info", {"params": {**WEEK, "caller": "", "callee": " "}}),
        ("/call-records/info", {"params": {**WEEK, "unknown": "1"}}),
        ("/call-records/info", {"params": {"start": WEEK["start"]}}),
        ("/call-records/info", {"params": {**WEEK, "start": "yesterday"}}),
        ("/call-records/info", {"params": {"start": WEEK["end"], "end": WEEK["start"]}}),
        ("/statistics/common", {"params": WEEK}),
        ("/statistics/common", {"params": {**WEEK, "subscriberNumber": "79000000000"}}),
        ("/statistics/common", {"params": {**WEEK, "subscriberNumber": "8900"}}),
        ("/statistics/journal", {"params": {**WEEK, "number": "79000000000"}}),
        ("/statistics/journal", {"params": {"end": WEEK["end"]}}),
        ("/call-records/file/stt", {"params": {"filename": "2026-03-01/1"}}),
        ("/call-records/file/stt", {"params": {"filename": "../etc/passwd"}}),
        ("/call-records/file", {"params": {"filename": ""}}),
        ("/no/such/path", {}),
    ]
    requests: list[tuple[str, str, dict[str, Any]]] = [("GET", p, kw) for p, kw in get]
    text = {"Content-Type": "text/plain"}
    json_type = {"Content-Type": "application/json"}
    requests += [
        ("POST", "/blacklist", {"content": "79001112233", "headers": text}),
        ("POST", "/blacklist", {"content": "79001112233", "headers": text}),
        ("DELETE", "/blacklist/by-msisdn/79001112233", {}),
        ("DELETE", "/blacklist/by-msisdn/abc", {}),
        ("POST", "/managers", {"json": {"employeeId": 1, "customers": []}}),
        ("POST", "/managers", {"content": "{bad json", "headers": json_type}),
        ("PUT", "/managers", {"json": {"employeeId": 1}}),
        ("POST", "/call/outgoing", {"params": {"source": "1", "destination": "79001112233"}}),
        ("DELETE", "/employees", {}),
        ("GET", "/employees", {"headers": {"Authorization": "Bearer x"}}),
        ("GET", "/employees", {"headers": {"Authorization": ""}}),
    ]
    # Twice: the second time each path is routed from memory (RememberingRoutingMiddleware).
    return requests * 2


def _answers(kind: AppKind, per_operation: bool) -> list[tuple[int, str, Any]]:
    pbx = Pbx(pinned_config(**SMALL_HISTORY))
    try:
        app = create_app(pbx, kind=kind, validate_responses=True, per_operation=per_operation)
        with TestClient(app, raise_server_exceptions=False, headers=CONTROL) as client:
            token = client.post("/mock/tokens").json()["accessToken"]
            answers = []
            for method, path, kwargs in _requests():
                headers = {"Authorization": token, **kwargs.pop("headers", {})}
                response = client.request(method, API + path, headers=headers, **kwargs)
                content_type = response.headers.get("content-type", "")
                body: Any = response.content
                if content_type.startswith(("application/json", "application/problem+json")):
                    body = response.json()
                    if isinstance(body, dict):
                        body.pop("timestamp", None)  # the error's wall-clock instant
                answers.append((response.status_code, content_type, body))
            return answers
    finally:
        pbx.close()


@pytest.fixture(scope="module", params=APP_KINDS)
def both(request: pytest.FixtureRequest) -> tuple[list[Any], list[Any]]:
    kind: AppKind = request.param
    return _answers(kind, per_operation=True), _answers(kind, per_operation=False)


def test_answers_are_connexions_own(both: tuple[list[Any], list[Any]]) -> None:
    ours, stock = both
    for (method, path, kwargs), mine, theirs in zip(_requests(), ours, stock, strict=True):
        assert mine == theirs, f"{method} {path} {kwargs}"
    statuses = {status for status, _, _ in ours}
    # The battery reaches success, client errors, a missing route, a wrong method and a
    # refused token.
    assert {200, 400, 403, 404, 405} <= statuses


# -- simple_check -------------------------------------------------------------------------------


def _parameter_schemas() -> list[dict[str, Any]]:
    """Each parameter's schema, with its references resolved (as Connexion hands it over)."""
    spec = load_spec()
    schemas: list[dict[str, Any]] = []
    for path in spec["paths"].values():
        for operation in path.values():
            if not isinstance(operation, dict):
                continue
            for parameter in [*path.get("parameters", []), *operation.get("parameters", [])]:
                schema = resolve(spec, resolve(spec, parameter)["schema"])
                if "items" in schema:
                    schema = {**schema, "items": resolve(spec, schema["items"])}
                schemas.append(schema)
    return schemas


SCHEMAS = _parameter_schemas()
SCALARS = st.one_of(
    st.integers(min_value=-(2**40), max_value=2**40),
    st.booleans(),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(
        ["2026-03-04T15:00:00+03:00", "2026-03-04T12:00:00.000Z", "date,DESC", "79161234567", ""]
    ),
    st.none(),
)
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=3))


def test_simple_check_understands_the_specs_parameters() -> None:
    from connexion.validators.parameter import draft4_format_checker

    assert SCHEMAS
    understood = [s for s in SCHEMAS if simple_check(s, draft4_format_checker) is not None]
    assert understood == SCHEMAS


@settings(max_examples=500, deadline=None)
@given(index=st.integers(min_value=0, max_value=len(SCHEMAS) - 1), value=VALUES)
def test_simple_check_passes_only_what_jsonschema_admits(index: int, value: Any) -> None:
    from connexion.validators.parameter import draft4_format_checker

    schema = SCHEMAS[index]
    check = simple_check(schema, draft4_format_checker)
    if check is not None and check(value):
        assert Draft4Validator(schema, format_checker=draft4_format_checker).is_valid(value)
