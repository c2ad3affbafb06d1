"""Every curl example of the guide, replayed verbatim against the mock: only host and token swap.

The commands are copied from the guide (line breaks joined); the expected answers are what the
guide says each one returns. The guide's sample objects (manager 26, employee 433, blacklist
entries 10622 and 10700) are seeded into the default company 391 for exactly this purpose.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from starlette.testclient import TestClient

GUIDE_HOSTS = ("https://ats2.tele2.ru", "https:/ats2.tele2.ru")
GUIDE_TOKENS = ("QwErTy", "5645645", "{Access token}")

# (curl command as printed in the guide, expected status, check of the parsed answer)
GUIDE_CURLS: list[tuple[str, int, Any]] = [
    (
        "curl -X GET --header 'Accept: application/json' --header 'Authorization: QwErTy' "
        "'https://ats2.tele2.ru/crm/openapi/employees'",
        200,
        lambda body: {"employeeId": 5412} in body,
    ),
    (
        "curl -X GET --header 'Accept: application/json' --header 'Authorization: QwErTy' "
        "'https:/ats2.tele2.ru/crm/openapi/managers'",
        200,
        lambda body: any(m["id"] == 26 and m["companyId"] == 391 for m in body),
    ),
    (
        "curl -X GET --header 'Accept: application/json' --header 'Authorization: QwErTy' "
        "'https://ats2.tele2.ru/crm/openapi/managers/26'",
        200,
        lambda body: (
            body["employeeId"] == 440 and body["customers"][0]["realNumber"] == "79081581621"
        ),
    ),
    (
        "curl -X POST --header 'Content-Type: application/json' "
        "--header 'Accept: application/json' "
        '--header \'Authorization: QwErTy\' -d \'{ \\ "companyId": 1, \\ "customers": [ \\ { \\ '
        '"clientId": 1, \\ "companyId": 1, \\ "companyName": "test", \\ "id": 1, \\ '
        '"info": "test", \\ "isVip": true, \\ "name": "Ivanov", \\ '
        '"realNumber": "8809889666" \\ } \\ ], \\ "employeeId": 2, \\ '
        '"handleAllCustomers": true, \\ "id": 45, \\ "name": "Petrov" \\ }\' '
        "'https://ats2.tele2.ru/crm/openapi/managers'",
        200,
        lambda body: body == "SUCCESS",
    ),
    (
        "curl -X PUT --header 'Content-Type: application/json' "
        "--header 'Accept: application/json' "
        '--header \'Authorization: QwErTy\' -d \'{ \\ "companyId": 0, \\ "customers": [ \\ { \\ '
        '"clientId": 0, \\ "companyId": 0, \\ "companyName": "string", \\ "id": 0, \\ '
        '"info": "string", \\ "isVip": true, \\ "name": "string", \\ '
        '"realNumber": "string" \\ } \\ ], \\ "employeeId": 0, \\ '
        '"handleAllCustomers": true, \\ "id": 0, \\ "name": "string" \\ }\' '
        "'https://ats2.tele2.ru/crm/openapi/managers'",
        404,  # "HTTP 404 – если ... объекта с таким ID не существует": there is no manager 0
        lambda body: body["status"] == 404,
    ),
    (
        "curl -X DELETE --header 'Accept: */*' --header 'Authorization: QwErTy' "
        "'https://ats2.tele2.ru/crm/openapi/managers/26'",
        200,
        lambda body: body is None,
    ),
    (
        "curl -X POST --header 'Content-Type: html/text' --header 'Accept: application/json' "
        "--header 'Authorization: QwErTy' -d '79998887766' "
        "'https://ats2.tele2.ru/crm/openapi/blacklist'",
        200,
        lambda body: body == "SUCCESS",
    ),
    (
        "curl -X GET --header 'Accept: application/json' --header 'Authorization: QwErTy' "
        "'https://ats2.tele2.ru/crm/openapi/blacklist'",
        200,
        lambda body: (
            {"id": 10700, "number": "79998889988", "sourceType": "MANUAL"} in body
            and "79998887766" in {e["number"] for e in body}
        ),
    ),
    (
        "curl -X DELETE --header 'Accept: application/json' --header 'Authorization: QwErTy' "
        "'https://ats2.tele2.ru/crm/openapi/blacklist/by-msisdn/77473370262'",
        200,
        lambda body: body == "SUCCESS",
    ),
    (
        "curl -X DELETE --header 'Accept: application/json' --header 'Authorization: 5645645' "
        "'https://ats2.tele2.ru/crm/openapi/blacklist/all'",
        200,
        lambda body: body == "SUCCESS",
    ),
]


@dataclass(frozen=True, slots=True)
class Curl:
    method: str
    url: str
    headers: dict[str, str]
    data: str | None


def parse_curl(command: str) -> Curl:
    """The subset of curl's options the guide uses: -X, --header/-header/-H, -d."""
    words = shlex.split(command)
    assert words[0] == "curl"
    method, url, data, headers = "GET", "", None, {}
    i = 1
    while i < len(words):
        word = words[i]
        if word == "-X":
            method = words[i + 1]
            i += 2
        elif word in ("--header", "-header", "-H"):
            name, _, value = words[i + 1].partition(":")
            headers[name.strip()] = value.strip()
            i += 2
        elif word == "-d":
            # The guide breaks JSON lines with " \" continuations inside the quotes.
            data = words[i + 1].replace("\\ ", "").replace("\\", "")
            method = method if "-X" in words else "POST"
            i += 2
        else:
            url = word
            i += 1
    return Curl(method, url, headers, data)


def replay(client: TestClient, curl: Curl, token: str) -> Any:
    url = curl.url
    for host in GUIDE_HOSTS:
        url = url.replace(host, "")
    headers = dict(curl.headers)
    if headers.get("Authorization") in GUIDE_TOKENS:
        headers["Authorization"] = token
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    return client.request(curl.method, target, headers=headers, content=curl.data)


def test_guide_curls_parse_to_the_documented_operations() -> None:
    parsed = [parse_curl(c) for c, _, _ in GUIDE_CURLS]
    assert [p.method for p in parsed] == [
        "GET",
        "GET",
        "GET",
        "POST",
        "PUT",
        "DELETE",
        "POST",
        "GET",
        "DELETE",
        "DELETE",
    ]
    assert json.loads(parsed[3].data or "")["id"] == 45


def test_guide_curls_answer_as_the_guide_says(client: TestClient, tokens: dict[str, Any]) -> None:
    for command, status, check in GUIDE_CURLS:
        curl = parse_curl(command)
        response = replay(client, curl, tokens["accessToken"])
        assert response.status_code == status, (
            f"{command}\n-> {response.status_code} {response.text}"
        )
        body = response.json() if response.content else None
        assert check(body), f"{command}\n-> {body}"


@pytest.mark.parametrize(
    "content_type",
    ["application/json", None],
)
def test_guide_refresh_example_replays(
    client: TestClient, tokens: dict[str, Any], content_type: str | None
) -> None:
    command = (
        "curl -X PUT --header 'Content-Type: application/json' --header 'Accept: "
        "application/json' --header 'Authorization: QwErTy' "
        "'https://ats2.tele2.ru/crm/openapi/authorization/refresh/token'"
    )
    curl = parse_curl(command)
    if content_type is None:
        curl.headers.pop("Content-Type")
    response = replay(client, curl, tokens["refreshToken"])
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"accessToken", "refreshToken"}
