"""Tokens behave as on the real service: JWT shape, lifetimes, rotation, and 403 (never 401)."""

from __future__ import annotations

import base64
import json
from typing import Any

import jwt
import pytest
from starlette.testclient import TestClient

from tests.conftest import Api, advance, issue

DAY = 24 * 3600
EXPIRED = {"details": "The token is expired"}
SUPERSEDED = {"details": "The token has already been updated"}


def _refresh(client: TestClient, refresh_token: str, **kwargs: Any) -> Any:
    headers = {"Authorization": refresh_token, **kwargs.pop("headers", {})}
    return client.put("/crm/openapi/authorization/refresh/token", headers=headers, **kwargs)


def _spring_403(response: Any, *fragments: str) -> None:
    assert response.status_code == 403, f"{response.status_code}: {response.text}"
    body = response.json()
    assert set(body) == {"timestamp", "status", "error", "message", "path"}, body
    assert body["status"] == 403
    assert body["error"] == "Forbidden"
    for fragment in fragments:
        assert fragment in body["message"], body


def test_token_pair_has_the_real_claim_shape(tokens: dict[str, Any]) -> None:
    access, refresh = tokens["accessToken"], tokens["refreshToken"]
    header = json.loads(base64.urlsafe_b64decode(access.split(".")[0] + "=="))
    assert header == {"alg": "HS512"}
    a = jwt.decode(access, options={"verify_signature": False})
    r = jwt.decode(refresh, options={"verify_signature": False})
    assert set(a) == {"UserDetailsImpl", "exp", "sub"}
    assert a["UserDetailsImpl"] == {"companyId": 391, "userId": 5976, "login": "pg_test"}
    assert a["sub"] == "ACCESS_OPENAPI_TOKEN"
    assert r["sub"] == "REFRESH_OPENAPI_TOKEN"
    assert r["exp"] - a["exp"] == 6 * DAY


def test_access_token_works_until_one_day(client: TestClient, api: Api) -> None:
    advance(client, DAY - 5)
    assert api.get("/employees").status_code == 200


def test_access_token_expires_after_one_day(client: TestClient, api: Api) -> None:
    advance(client, DAY + 1)
    response = api.get("/employees")
    assert response.status_code == 403
    assert response.json() == EXPIRED


def test_refresh_rotates_the_pair(client: TestClient, tokens: dict[str, Any]) -> None:
    advance(client, DAY + 1)
    response = _refresh(client, tokens["refreshToken"])
    assert response.status_code == 200, response.text
    pair = response.json()
    assert set(pair) == {"accessToken", "refreshToken"}
    assert Api(client, pair["accessToken"]).get("/employees").status_code == 200
    # The old pair is dead: both of its tokens say so.
    old_refresh = _refresh(client, tokens["refreshToken"])
    assert old_refresh.status_code == 403
    assert old_refresh.json() == SUPERSEDED
    advance(client, 0)
    # The new refresh token works once more, and so on.
    assert _refresh(client, pair["refreshToken"]).status_code == 200


def test_old_access_token_is_superseded_after_refresh(
    client: TestClient, tokens: dict[str, Any], api: Api
) -> None:
    advance(client, 1)
    assert _refresh(client, tokens["refreshToken"]).status_code == 200
    response = api.get("/employees")
    assert response.status_code == 403
    assert response.json() == SUPERSEDED


def test_refresh_in_the_second_of_issue_gives_the_same_pair(
    client: TestClient, tokens: dict[str, Any], api: Api
) -> None:
    # The claims carry no id: within one second the real service signs the same bytes.
    refreshed = _refresh(client, tokens["refreshToken"]).json()
    assert refreshed == {k: tokens[k] for k in ("accessToken", "refreshToken")}
    assert api.get("/employees").status_code == 200


def test_generating_again_supersedes_every_earlier_pair(
    client: TestClient, tokens: dict[str, Any], api: Api
) -> None:
    advance(client, 1)
    fresh = issue(client)
    assert api.get("/employees").json() == SUPERSEDED
    assert _refresh(client, tokens["refreshToken"]).json() == SUPERSEDED
    assert Api(client, fresh["accessToken"]).get("/employees").status_code == 200


def test_a_new_pair_supersedes_the_users_pairs_in_its_own_company_only(
    client: TestClient,
) -> None:
    """User ids are the company's own: user 7 of company 392 is not user 7 of 391, and
    generating or refreshing one's pair leaves the other's alone."""
    mine = issue(client, companyId=391, userId=7)
    theirs = issue(client, companyId=392, userId=7)
    assert Api(client, mine["accessToken"]).get("/employees").status_code == 200
    advance(client, 1)
    assert _refresh(client, theirs["refreshToken"]).status_code == 200
    assert Api(client, mine["accessToken"]).get("/employees").status_code == 200
    assert _refresh(client, mine["refreshToken"]).status_code == 200


def test_refresh_token_expires_after_seven_days(client: TestClient, tokens: dict[str, Any]) -> None:
    advance(client, 7 * DAY + 1)
    response = _refresh(client, tokens["refreshToken"])
    assert response.status_code == 403
    assert response.json() == EXPIRED


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Content-Type": "application/json", "Accept": "application/json"},
        {"Content-Type": "text/plain"},
    ],
)
@pytest.mark.parametrize("content", [None, b"", b"{}"])
def test_refresh_accepts_any_body_and_content_type(
    client: TestClient, tokens: dict[str, Any], headers: dict[str, str], content: bytes | None
) -> None:
    advance(client, 1)  # a new second: the refresh gives a new pair, not the same one again
    response = _refresh(client, tokens["refreshToken"], headers=headers, content=content)
    assert response.status_code == 200, response.text
    pair = response.json()
    assert pair["accessToken"] != tokens["accessToken"]
    assert Api(client, pair["accessToken"]).get("/employees").status_code == 200
    assert Api(client, tokens["accessToken"]).get("/employees").json() == SUPERSEDED
    assert _refresh(client, pair["refreshToken"]).status_code == 200, "the new refresh token works"


def test_a_token_expired_and_superseded_answers_expired(client: TestClient) -> None:
    # Expiry is checked first, as a JWT parser does (README, decisions of the mock itself).
    old = issue(client, userId=7301)
    advance(client, 1)
    new = issue(client, userId=7301)
    assert Api(client, old["accessToken"]).get("/employees").json() == SUPERSEDED
    advance(client, DAY)
    assert Api(client, old["accessToken"]).get("/employees").json() == EXPIRED
    assert Api(client, new["accessToken"]).get("/employees").json() == EXPIRED
    advance(client, 6 * DAY)
    assert _refresh(client, old["refreshToken"]).json() == EXPIRED


def test_missing_token_is_403_not_401(client: TestClient) -> None:
    _spring_403(client.get("/crm/openapi/employees"), "Authorization header is missing")


def test_bearer_prefix_is_403_with_a_hint(client: TestClient, tokens: dict[str, Any]) -> None:
    response = client.get(
        "/crm/openapi/employees", headers={"Authorization": "Bearer " + tokens["accessToken"]}
    )
    _spring_403(response, "Bearer", "raw")


@pytest.mark.parametrize("garbage", ["QwErTy", "a.b.c", "eyJhbGciOiJIUzUxMiJ9.e30.xx"])
def test_malformed_token_is_403(client: TestClient, garbage: str) -> None:
    _spring_403(client.get("/crm/openapi/employees", headers={"Authorization": garbage}), "JWT")


def test_forged_signature_is_403(client: TestClient, tokens: dict[str, Any]) -> None:
    claims = jwt.decode(tokens["accessToken"], options={"verify_signature": False})
    forged = jwt.encode(claims, "x" * 64, algorithm="HS512")
    response = client.get("/crm/openapi/employees", headers={"Authorization": forged})
    _spring_403(response, "signature")


def test_refresh_token_on_a_data_call_is_403(client: TestClient, tokens: dict[str, Any]) -> None:
    response = client.get(
        "/crm/openapi/employees", headers={"Authorization": tokens["refreshToken"]}
    )
    _spring_403(response, "refresh token", "access token")


def test_access_token_on_refresh_is_403(client: TestClient, tokens: dict[str, Any]) -> None:
    _spring_403(_refresh(client, tokens["accessToken"]), "access token", "refresh token")


def test_tokens_from_before_a_reset_are_refused(client: TestClient, api: Api) -> None:
    assert client.post("/mock/reset", json={}).status_code == 200
    _spring_403(api.get("/employees"), "reset")


def test_new_company_gets_its_own_seeded_data(client: TestClient) -> None:
    pair = issue(client, companyId=777)
    assert pair["companyId"] == 777
    employees = Api(client, pair["accessToken"]).ok("GET", "/employees")
    assert len(employees) >= 10
    assert 777 in client.get("/mock/health").json()["companies"]
