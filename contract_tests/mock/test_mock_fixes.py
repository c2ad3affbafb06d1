"""Regression tests of the mock defects these contract tests found (both app classes).

Each was first reported by Schemathesis; the fix is in the mock, and the check that found it
stays on.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from mock_server.http.app import APP_KINDS, AppKind, create_app
from tests.conftest import CONTROL
from tests.pinned import pinned_config

API = "/crm/openapi"


@pytest.fixture(params=APP_KINDS, scope="module")
def client(request: pytest.FixtureRequest) -> Iterator[tuple[TestClient, dict[str, str]]]:
    kind: AppKind = request.param
    app = create_app(kind=kind, config=pinned_config(seed=1, history_days=1, calls_per_day=5))
    with TestClient(app, headers=CONTROL) as test_client:
        token = test_client.post("/mock/tokens").json()["accessToken"]
        yield test_client, {"Authorization": token}


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("OPTIONS", "/managers", "GET, HEAD, POST, PUT"),
        ("PATCH", "/managers/26", "GET, HEAD, DELETE"),
        ("PUT", "/blacklist", "GET, HEAD, POST"),
        ("GET", "/call/outgoing", "POST"),
        ("POST", "/blacklist/all", "DELETE"),
        ("OPTIONS", "/managers/", "GET, HEAD, POST, PUT"),
    ],
)
def test_405_allow_lists_every_method_of_the_path(
    client: tuple[TestClient, dict[str, str]], method: str, path: str, allow: str
) -> None:
    """Found by `allow_header_conformance`: `Allow` named only the first route's methods."""
    http, auth = client
    response = http.request(method, API + path, headers=auth)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.json()["message"].endswith(f"allowed: {allow}")


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/managers/9223372036854775808", None),
        ("DELETE", "/managers/-9223372036854775809", None),
        ("PUT", "/managers", {"id": 2**63, "employeeId": 2}),
        (
            "POST",
            "/managers",
            {"employeeId": 2, "customers": [{"realNumber": "1", "companyId": 2**63}]},
        ),
    ],
)
def test_ids_beyond_int64_are_400_not_500(
    client: tuple[TestClient, dict[str, str]], method: str, path: str, body: Any
) -> None:
    """Found by `not_a_server_error` (500) and `negative_data_rejection` (a body the schema
    rejects, saved as SUCCESS): `format: int64` bounds were not enforced."""
    http, auth = client
    response = http.request(method, API + path, headers=auth, json=body)
    assert response.status_code == 400, response.text
    assert "64-bit integer" in response.json()["message"]


def test_a_page_beyond_int32_is_400(client: tuple[TestClient, dict[str, str]]) -> None:
    http, auth = client
    query = {"start": "2020-01-01T00:00:00Z", "end": "2030-01-01T00:00:00Z", "page": 2**31}
    response = http.get(API + "/call-records/info", params=query, headers=auth)
    assert response.status_code == 400
    assert "'page'" in response.json()["message"]


def test_a_path_holding_a_newline_is_400(client: tuple[TestClient, dict[str, str]]) -> None:
    """Found by `status_code_conformance` (AsyncApp: 404, not routed) and `not_a_server_error`
    (FlaskApp: 500, routed by Flask outside Connexion's operation context), deep profile."""
    http, auth = client
    response = http.delete(API + "/blacklist/by-msisdn/7999%0A0001122", headers=auth)
    assert response.status_code == 400
    assert response.json()["message"].startswith("Request path: a path may not hold")
    ok = http.delete(API + "/blacklist/by-msisdn/79990001122", headers=auth)
    assert ok.status_code == 200


def test_a_body_that_is_not_utf8_is_400(client: tuple[TestClient, dict[str, str]]) -> None:
    """Found by `not_a_server_error`: Connexion decoded the JSON body without catching the
    UnicodeDecodeError (500)."""
    http, auth = client
    response = http.post(
        API + "/managers", content=b"\xfa", headers={**auth, "Content-Type": "application/json"}
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("start", "end", "start_timestamp"),
    [
        ("0001-01-01T00:00:00+05:00", "2020-01-01T00:00:00Z", -62135614800),
        ("2020-01-01T00:00:00Z", "9999-12-31T23:59:59-05:00", 1577836800),
        # Found by the plain `st run` (stateful phase): year 0000, 1 BC, which RFC 3339 and
        # Java take, was 400 ("is not a 'date-time'") and Python's datetime cannot hold it.
        ("0000-01-01T00:00:00-18:00", "2020-01-01T00:00:00Z", -62167154400),
        ("0000-02-29T12:00:00Z", "0000-03-01T00:00:00+18:00", -62162078400),
    ],
)
def test_instants_beyond_years_1_to_9999_in_utc_are_not_500(
    client: tuple[TestClient, dict[str, str]], start: str, end: str, start_timestamp: int
) -> None:
    """Found by `not_a_server_error` (deep profile): converting such an instant to UTC
    overflowed Python's datetime. Java parses them; the mock now keeps them exact."""
    http, auth = client
    query = {"start": start, "end": end}
    for path in ("/statistics/common", "/call-records/info"):
        assert http.get(API + path, params=query, headers=auth).status_code == 200
    journal = http.get(API + "/statistics/journal", params=query, headers=auth)
    assert journal.json()["startTimestamp"] == start_timestamp
    backwards = http.get(
        API + "/statistics/journal", params={"start": end, "end": start}, headers=auth
    )
    # A reversed window holds no call (D18); the instants are echoed exactly all the same.
    assert backwards.status_code == 200, backwards.text
    assert backwards.json()["endTimestamp"] == start_timestamp
    assert backwards.json()["numberOfCalls"] == 0
