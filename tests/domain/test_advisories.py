"""Fidelity advisories: each habit found from the request alone, polling, the summary, the log."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from mock_server.domain.double.advisories import (
    ADVISORIES,
    AdvisoryBook,
    RequestFacts,
    detect,
)
from mock_server.domain.double.token_claims import TokenClaims, decode_claims
from mock_server.specs import api_index

T0 = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
ACCESS = TokenClaims(391, 5976, "pg_test", "access", 1_772_712_000)
REFRESH = TokenClaims(391, 5976, "pg_test", "refresh", 1_773_230_400)
WINDOW = (("start", "2026-03-01T00:00:00+03:00"), ("end", "2026-03-02T00:00:00+03:00"))
API = api_index()


def facts(operation_id: str | None, **fields: Any) -> RequestFacts:
    """A request to `operation_id`, with what the recorder hands over from the spec: the
    query parameters it declares and the advisories it is looked at for."""
    operation = API.get(operation_id)
    defaults: dict[str, Any] = {
        "method": "GET",
        "path": "/x",
        "operation_id": operation_id,
        "token": ACCESS,
        "known_query": frozenset() if operation is None else operation.query,
        "advisories": None if operation is None else operation.traits.advisories,
    }
    return RequestFacts(**{**defaults, **fields})


def codes(request: RequestFacts) -> list[str]:
    return [advisory.code for advisory in detect(request)]


@pytest.mark.parametrize(
    ("request_facts", "expected"),
    [
        (facts("getEmployees", headers={"authorization": "Bearer eyJ..."}), ["BEARER_PREFIX"]),
        (facts("getEmployees", headers={"authorization": "bearer eyJ..."}), ["BEARER_PREFIX"]),
        (facts("getEmployees", headers={"authorization": "eyJ..."}), []),
        (facts("getCallRecords", query=(*WINDOW, ("size", "2001"))), ["PAGE_SIZE_ABOVE_MAX"]),
        (facts("getCallRecords", query=(*WINDOW, ("size", "2000"))), []),
        (facts("getCallRecords", query=(*WINDOW, ("size", "0"))), ["PAGE_SIZE_BELOW_ONE"]),
        (facts("getCallRecords", query=(*WINDOW, ("size", "1"))), []),
        (facts("getCallRecords", query=(*WINDOW, ("size", "ten"))), []),
        (facts("getCallRecords", query=(*WINDOW, ("page", "-1"))), ["PAGE_NEGATIVE"]),
        (
            facts(
                "getCallRecords",
                query=(("start", "2026-03-02T00:00:00Z"), ("end", "2026-03-02T03:00:00+03:00")),
            ),
            ["WINDOW_NOT_ORDERED"],
        ),
        (
            facts(
                "getJournalStatistics",
                query=(("start", "2026-03-02T00:00:00Z"), ("end", "2026-03-01T00:00:00Z")),
            ),
            ["WINDOW_NOT_ORDERED"],
        ),
        (facts("getCallRecords", query=(("start", "bad"), ("end", "worse"))), []),
        (
            facts("addToBlacklist", headers={"content-type": "text/html"}),
            ["BLACKLIST_CONTENT_TYPE"],
        ),
        (facts("addToBlacklist", headers={}), ["BLACKLIST_CONTENT_TYPE"]),
        (facts("addToBlacklist", headers={"content-type": "text/plain; charset=UTF-8"}), []),
        (facts("addToBlacklist", headers={"content-type": "HTML/Text"}), []),
        (facts("getCallRecords", query=(*WINDOW, ("company_id", "391"))), []),
        (
            facts("getCallRecords", query=(*WINDOW, ("company_id", "392"))),
            ["COMPANY_ID_NOT_THE_TOKENS"],
        ),
        (facts("getCallRecords", query=(*WINDOW, ("company_id", "many"))), []),  # the 400's
        (facts("getCallRecords", query=(*WINDOW, ("company_id", "5")), token=None), []),
        (facts("getEmployees", query=(("company_id", "5"),)), ["UNKNOWN_QUERY_PARAMETER"]),
        (facts("getEmployees", query=(("anything", "1"),)), ["UNKNOWN_QUERY_PARAMETER"]),
        (facts(None, query=(("anything", "1"),), known_query=None), []),
        (facts("refreshToken", token=ACCESS), ["REFRESH_WITH_ACCESS_TOKEN"]),
        (facts("refreshToken", token=REFRESH), []),
    ],
)
def test_each_habit_is_detected_from_the_request(
    request_facts: RequestFacts, expected: list[str]
) -> None:
    assert codes(request_facts) == expected


def test_detail_names_what_exactly() -> None:
    [advisory] = detect(facts("getCallRecords", query=(*WINDOW, ("company_id", "392"))))
    assert advisory.detail == "company_id=392, the token's company is 391"
    shown = advisory.to_json()
    assert shown["guide"].startswith("5.7.1")
    assert shown["decision"] == "D45"


def test_every_advisory_has_a_message_a_guide_section_and_a_decision() -> None:
    for code, kind in ADVISORIES.items():
        assert kind.code == code
        assert kind.message.endswith("."), code
        assert "\n" not in kind.message, code
        assert kind.guide[0].isdigit(), f"{code}: {kind.guide}"
        assert re.fullmatch(r"D[0-9]+", kind.decision), code


# The guide's own example requests (sections 4 to 5.9), as far as an advisory could look at
# them: whatever the guide does, no advisory tells a client to stop doing it.
GUIDE_REQUESTS = [
    facts("getEmployees", headers={"authorization": "eyJ..."}),
    facts(
        "getCallRecords",
        query=(
            ("callee", "89056678798"),
            ("is_recorded", "true"),
            ("start", "2022-07-24T10:15:30+03:00"),
            ("end", "2022-07-26T10:15:30+03:00"),
        ),
    ),
    facts(
        "getCommonStatistics",
        query=(("start", "2022-07-24T10:15:30+03:00"), ("end", "2022-07-26T10:15:30+03:00")),
    ),
    facts(
        "createManager",
        method="POST",
        headers={"content-type": "application/json"},
        body=(
            b'{"companyId": 1, "customers": [{"clientId": 1, "companyId": 1, "companyName": '
            b'"test", "id": 1, "info": "test", "isVip": true, "name": "Ivanov", "realNumber": '
            b'"8809889666"}], "employeeId": 2, "handleAllCustomers": true, "id": 45, '
            b'"name": "Petrov"}'
        ),
    ),
    facts(
        "addToBlacklist",
        method="POST",
        headers={"content-type": "html/text"},
        body=b"79998887766",
    ),
    facts(
        "refreshToken",
        method="PUT",
        headers={"content-type": "application/json"},
        token=REFRESH,
    ),
]


@pytest.mark.parametrize("request_facts", GUIDE_REQUESTS, ids=lambda f: f.operation_id)
def test_the_guides_own_examples_earn_no_advisory(request_facts: RequestFacts) -> None:
    assert codes(request_facts) == []


def test_claims_are_read_without_trusting_the_token() -> None:
    # The guide's sample access token, signed with a secret the mock does not have.
    sample = (
        "eyJhbGciOiJIUzUxMiJ9.eyJVc2VyRGV0YWlsc0ltcGwiOnsiY29tcGFueUlkIjozOTEsInVzZXJJZCI6NTk3Ni"
        "wibG9naW4iOiJwZ190ZXN0In0sImV4cCI6MTY2MzEzMDg5Nywic3ViIjoiQUNDRVNTX09QRU5BUElfVE9LRU4ifQ"
        ".BxX0hy9YF_TSDGJ2mZ1S8mjmNH2VNeNKtMjdTTZ4ToReVmhugZxrSceVHfbfzVvKkTzhfpmfsLDcryTmL6_R4g"
    )
    claims = decode_claims("Bearer " + sample)
    assert claims is not None
    assert (claims.company_id, claims.user_id, claims.login) == (391, 5976, "pg_test")
    assert (claims.kind, claims.bearer) == ("access", True)
    broken = decode_claims("not-a-token")
    assert broken is not None
    assert broken.error is not None
    assert broken.company_id is None
    assert decode_claims(None) is None


def poll(
    book: AdvisoryBook,
    mock: float,
    real: float,
    token: TokenClaims = ACCESS,
    op: str = "getCurrentCalls",
) -> list[str]:
    request = facts(op, token=token)
    found = book.observe(request, request_id=1, at=T0, mock_seconds=mock, real_seconds=real)
    return [advisory.code for advisory in found]


def test_polling_within_a_second_by_both_clocks_is_advised() -> None:
    book = AdvisoryBook()
    assert poll(book, 0.0, 100.0) == [], "the first poll"
    assert poll(book, 0.0, 100.5) == ["MONITORING_POLLED_TOO_OFTEN"], "frozen clock, 0.5 s real"
    assert poll(book, 0.0, 101.6) == [], "a second of real time passed: a patient client"
    assert poll(book, 5.0, 101.7) == [], "the test moved the mock clock 5 s: simulated time"
    assert poll(book, 5.0, 103.0, op="getPendingCalls") == [], "another operation, its first poll"


def test_polling_is_counted_per_client() -> None:
    book = AdvisoryBook()
    other_user = TokenClaims(391, 7001, "other", "access", 1_772_712_000)
    assert poll(book, 0.0, 100.0) == []
    assert poll(book, 0.0, 100.1, token=other_user) == [], "another client's first poll"


def test_summary_counts_per_code_with_the_first_request_as_example(
    caplog: pytest.LogCaptureFixture,
) -> None:
    book = AdvisoryBook()
    bearer = facts("getEmployees", headers={"authorization": "Bearer x"}, path="/employees")
    with caplog.at_level(logging.WARNING, logger="mock_server.advisories"):
        for request_id in (7, 8, 9):
            book.observe(bearer, request_id=request_id, at=T0, mock_seconds=0, real_seconds=0)
        other = facts("getEmployees", headers={"authorization": "Bearer y"}, token=REFRESH)
        book.observe(other, request_id=10, at=T0, mock_seconds=0, real_seconds=0)
    [summary] = book.summary()
    assert summary["code"] == "BEARER_PREFIX"
    assert summary["count"] == 4
    assert summary["clients"] == 1, "the same company and user"
    assert summary["example"]["requestId"] == 7
    assert summary["example"]["path"] == "/employees"
    logged = [r for r in caplog.records if "BEARER_PREFIX" in r.getMessage()]
    assert len(logged) == 1, "once per client"
    assert logged[0].levelno == logging.WARNING
    book.clear()
    assert book.summary() == []


def test_the_summary_of_one_company_counts_its_requests_only() -> None:
    book = AdvisoryBook()
    mine = TokenClaims(1000, 100001, "admin1000", "access", 1_772_712_000)
    theirs = TokenClaims(1001, 100101, "admin1001", "access", 1_772_712_000)
    bearer = {"headers": {"authorization": "Bearer x"}}
    for request_id, token in enumerate((theirs, mine, theirs), 1):
        book.observe(
            facts("getEmployees", token=token, **bearer),
            request_id=request_id,
            at=T0,
            mock_seconds=0,
            real_seconds=0,
        )
    [all_of_them] = book.summary()
    assert (all_of_them["count"], all_of_them["clients"]) == (3, 2)
    assert all_of_them["example"]["requestId"] == 1
    [mine_only] = book.summary(1000)
    assert (mine_only["count"], mine_only["clients"]) == (1, 1)
    assert mine_only["example"]["requestId"] == 2
    assert book.summary(1002) == []


def test_a_deleted_companys_polls_and_advisories_are_forgotten() -> None:
    book = AdvisoryBook()
    mine = TokenClaims(1000, 100001, "admin1000", "access", 1_772_712_000)
    theirs = TokenClaims(1001, 100101, "admin1001", "access", 1_772_712_000)
    for token in (mine, theirs):
        assert poll(book, 0.0, 100.0, token=token) == []
        assert poll(book, 0.0, 100.1, token=token) == ["MONITORING_POLLED_TOO_OFTEN"]
    book.forget_company(1000)
    assert [a["count"] for a in book.summary()] == [1], "the other company's advisory stays"
    assert book.summary(1000) == []
    assert poll(book, 0.0, 100.2, token=mine) == [], "a first poll again: nothing left of 1000"
    assert poll(book, 0.0, 100.2, token=theirs) == ["MONITORING_POLLED_TOO_OFTEN"]
