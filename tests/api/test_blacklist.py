"""The blacklist over HTTP: bare msisdn bodies under every content type clients use (D14)."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.conftest import Api, issue

NUMBER = "79998887766"


@pytest.mark.parametrize("content_type", ["html/text", "text/html", "text/plain", None])
def test_add_then_duplicate_under_every_content_type(api: Api, content_type: str | None) -> None:
    headers = {} if content_type is None else {"Content-Type": content_type}
    assert api.ok("POST", "/blacklist", content=NUMBER, headers=headers) == "SUCCESS"
    again = api.ok("POST", "/blacklist", content=NUMBER, headers=headers)
    assert again == "DUPLICATE_BLACK_LIST_NUMBER"
    entries = [e for e in api.ok("GET", "/blacklist") if e["number"] == NUMBER]
    assert len(entries) == 1
    assert entries[0]["sourceType"] == "MANUAL"


def test_answer_is_a_json_string(api: Api) -> None:
    response = api.request("POST", "/blacklist", content=NUMBER)
    assert response.headers["content-type"].startswith("application/json")
    assert response.text.strip() == '"SUCCESS"'


def test_surrounding_whitespace_is_ignored(api: Api) -> None:
    assert api.ok("POST", "/blacklist", content=f" {NUMBER}\n") == "SUCCESS"


@pytest.mark.parametrize(
    "body",
    [f'"{NUMBER}"', "89998887766", "7999888776", "799988877661", "+79998887766", "", "abc"],
)
def test_malformed_number_is_400_saying_what_was_expected(api: Api, body: str) -> None:
    response = api.request(
        "POST", "/blacklist", content=body, headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 400, response.text
    assert "7XXXXXXXXXX" in response.json()["message"]


@pytest.mark.parametrize(
    "content_type",
    [
        "application/xml",
        "application/json",
        "application/octet-stream",
        "text/plain; charset=utf-8",
    ],
)
def test_any_other_content_type_is_read_as_the_bare_number(api: Api, content_type: str) -> None:
    # Spring's string converter reads a String body under any media type (spec D14).
    headers = {"Content-Type": content_type}
    assert api.ok("POST", "/blacklist", content=NUMBER, headers=headers) == "SUCCESS"
    response = api.request("POST", "/blacklist", content=f'"{NUMBER}"', headers=headers)
    assert response.status_code == 400, response.text


def test_seeded_list_has_manual_and_file_entries(api: Api) -> None:
    entries = api.ok("GET", "/blacklist")
    assert {e["sourceType"] for e in entries} == {"MANUAL", "FILE"}
    assert {"id": 10622, "number": "79023581212", "sourceType": "MANUAL"} in entries


def test_delete_by_msisdn_and_all(api: Api) -> None:
    api.ok("POST", "/blacklist", content=NUMBER)
    assert api.ok("DELETE", f"/blacklist/by-msisdn/{NUMBER}") == "SUCCESS"
    assert NUMBER not in {e["number"] for e in api.ok("GET", "/blacklist")}
    # Deleting a number that is not listed is not an error (spec D15).
    assert api.ok("DELETE", f"/blacklist/by-msisdn/{NUMBER}") == "SUCCESS"
    assert api.ok("DELETE", "/blacklist/all") == "SUCCESS"
    assert api.ok("GET", "/blacklist") == []


def test_delete_with_malformed_msisdn_is_400(api: Api) -> None:
    response = api.request("DELETE", "/blacklist/by-msisdn/12345")
    assert response.status_code == 400
    assert "msisdn" in response.json()["message"]


def test_blacklist_is_isolated_between_companies(client: TestClient, api: Api) -> None:
    other = Api(client, issue(client, companyId=392)["accessToken"])
    assert other.ok("DELETE", "/blacklist/all") == "SUCCESS"
    assert len(api.ok("GET", "/blacklist")) >= 2
    assert other.ok("POST", "/blacklist", content="79023581212") == "SUCCESS"


@pytest.mark.parametrize("content", [None, "", "  \n"])
def test_the_number_in_the_query_string_is_refused_saying_where_it_goes(
    api: Api, content: str | None
) -> None:
    # 5.9.1 lists msisdn in its table «Параметры строки запроса» (as 5.8.3 lists the manager
    # object, a body) and sends it as the body: the 400 says so (D48). Before, it said only
    # "RequestBody is required" or "expected the bare msisdn ..., got ''".
    response = api.request(
        "POST",
        "/blacklist",
        params={"msisdn": NUMBER},
        content=content,
        headers={"Content-Type": "text/plain"},
    )
    assert response.status_code == 400, response.text
    message = response.json()["message"]
    assert "the number goes in the body, not in the query parameter 'msisdn'" in message
    assert NUMBER not in {e["number"] for e in api.ok("GET", "/blacklist")}


def test_with_a_body_the_query_msisdn_is_read_nowhere(api: Api) -> None:
    response = api.request("POST", "/blacklist", params={"msisdn": "79990000001"}, content=NUMBER)
    assert response.json() == "SUCCESS"
    listed = {e["number"] for e in api.ok("GET", "/blacklist")}
    assert NUMBER in listed
    assert "79990000001" not in listed


def test_without_body_or_query_the_400_asks_for_the_body(api: Api) -> None:
    response = api.request("POST", "/blacklist", headers={"Content-Type": "text/plain"})
    assert response.status_code == 400, response.text
    assert "query parameter" not in response.json()["message"]
