"""Each custom check fails when the API breaks its rule: no check here can only pass.

A `Tamper` ASGI wrapper around the in-process mock (contract_tests/mock/tamper.py) breaks one
answer at a time (a 401, a body that is not MP3, a page out of order, a statistic off by one,
another company's data); the check must then fail with its own message, through Schemathesis's
own `validate_response`. The same requests against the untouched mock pass (the untampered
control case). `test_check_branches.py` holds one such test for every other branch.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import mutagen.mp3
import pytest
from starlette.types import Scope

from contract_tests import checks
from contract_tests.mock.tamper import (
    OTHER_COMPANY,
    WINDOW,
    Answer,
    bench,
    control_token,
    json_answer,
    on,
    recorded_name,
    rewrite_json,
    with_token,
)
from mock_server.domain.media.recordings import make_recording

# --- token_rejections_are_documented -------------------------------------------------------


def test_untampered_token_answers_pass() -> None:
    bench().passes(checks.token_rejections_are_documented, "GET", "/employees")


def test_a_401_fails() -> None:
    def unauthorized(scope: Scope, answer: Answer) -> Answer:
        return json_answer(401, {"error": "Unauthorized"}) if answer[0] == 403 else answer

    message = bench(unauthorized).failure(
        checks.token_rejections_are_documented, "GET", "/employees"
    )
    assert "expected 403" in message


def test_an_undocumented_403_body_fails() -> None:
    def vague(scope: Scope, answer: Answer) -> Answer:
        return json_answer(403, {"error": "denied"}) if answer[0] == 403 else answer

    message = bench(vague).failure(checks.token_rejections_are_documented, "GET", "/managers")
    assert "Spring body" in message


def test_ignoring_the_token_fails() -> None:
    def no_auth(scope: Scope) -> Scope:
        # A server that lets anything through: every request gets the right token.
        return with_token(control_token)(scope)

    message = bench(request=no_auth).failure(
        checks.token_rejections_are_documented, "GET", "/blacklist"
    )
    assert "no Authorization header: 200, expected 403" in message


def test_a_superseded_token_without_its_details_fails() -> None:
    def spring_only(scope: Scope, answer: Answer) -> Answer:
        status, _headers, body = answer
        if status == 403 and b"details" in body:
            return json_answer(
                403,
                {
                    "timestamp": "2026-01-01T00:00:00.000+00:00",
                    "status": 403,
                    "error": "Forbidden",
                    "message": "no",
                    "path": scope["path"],
                },
            )
        return answer

    message = bench(spring_only).failure(
        checks.token_rejections_are_documented, "GET", "/employees"
    )
    assert "The token has already been updated" in message


# --- recordings_are_mp3 ---------------------------------------------------------------------


def test_untampered_recording_passes() -> None:
    bench().passes(
        checks.recordings_are_mp3, "GET", "/call-records/file", query={"filename": recorded_name()}
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda body: b"\x00" * len(body), "no frame sync"),
        (lambda body: body[: len(body) // 2 + 7], "cut short"),
        (lambda body: body[:10] + b"\x00" * 200 + body[210:], "no frame sync"),
    ],
    ids=["zeros", "truncated", "corrupt-frame"],
)
def test_a_broken_mp3_fails(change: Callable[[bytes], bytes], expected: str) -> None:
    def broken(scope: Scope, answer: Answer) -> Answer:
        status, headers, body = answer
        return (status, headers, change(body)) if status == 200 else answer

    message = bench(on("/call-records/file", broken)).failure(
        checks.recordings_are_mp3, "GET", "/call-records/file", query={"filename": recorded_name()}
    )
    assert expected in message


def test_a_recording_not_served_as_audio_fails() -> None:
    def octets(scope: Scope, answer: Answer) -> Answer:
        status, headers, body = answer
        kept = [(k, v) for k, v in headers if k != b"content-type"]
        return status, [*kept, (b"content-type", b"application/octet-stream")], body

    message = bench(on("/call-records/file", octets)).failure(
        checks.recordings_are_mp3, "GET", "/call-records/file", query={"filename": recorded_name()}
    )
    assert "audio/mpeg" in message


def test_a_range_that_is_not_what_it_names_fails() -> None:
    def shifted(scope: Scope, answer: Answer) -> Answer:
        status, headers, body = answer
        return (status, headers, body[1:] + b"\x00") if status == 206 else answer

    message = bench(on("/call-records/file", shifted)).failure(
        checks.recordings_are_mp3,
        "GET",
        "/call-records/file",
        query={"filename": recorded_name()},
        headers={"Range": "bytes=100-199"},
    )
    assert "differ" in message


def test_mp3_problems_reads_the_mocks_recordings_and_mutagen_agrees() -> None:
    data = make_recording("2026-01-01/1234567", 7).read()
    assert checks.mp3_problems(data) == []
    audio = mutagen.mp3.MP3(io.BytesIO(data))  # type: ignore[no-untyped-call]
    assert audio.info.length > 5  # type: ignore[attr-defined]
    assert data[:3] == b"ID3"
    assert checks.mp3_problems(data[:6] + b"\x80\x80\x80\x80" + data[10:]) == [
        "ID3v2 size is not syncsafe"
    ]
    assert checks.mp3_problems(data + b"xx") == ["2 stray bytes after 196 frames"]
    assert "cut short" in checks.mp3_problems(data[:-1])[0]
    assert checks.mp3_problems(b"") == ["no MPEG audio frame"]


# --- call_records_follow_the_query ----------------------------------------------------------


def test_untampered_page_passes() -> None:
    bench().passes(
        checks.call_records_follow_the_query,
        "GET",
        "/call-records/info",
        query={**WINDOW, "size": 20, "sort": "callDuration,DESC"},
    )


@pytest.mark.parametrize(
    ("edit", "query", "expected"),
    [
        (lambda records: records + records[:1], {"size": 5}, "records on a page of size 5"),
        (
            lambda records: list(reversed(records)),
            {"size": 20, "sort": "callDuration,DESC"},
            "not sorted",
        ),
        (lambda records: list(reversed(records)), {"size": 20}, "not sorted by date,ASC"),
        (
            lambda records: list(reversed(records)),
            {"size": 20, "sort": ["callType,callDuration,DESC", "date"]},
            "not sorted by callType,DESC, callDuration,DESC, date,ASC",
        ),
        (lambda records: records + records[:1], {"size": 0}, "records on a page of size 10"),
        (
            lambda records: [{**records[0], "date": "1999-01-01T00:00:00.000Z"}, *records[1:]],
            {"size": 3, "sort": "callerNumber"},
            "outside [start, end)",
        ),
        (
            lambda records: [
                {**r, "recordFileName": "2026-01-01/1", "callStatus": "NOT_ANSWERED_COMMON"}
                for r in records
            ],
            {"size": 3},
            "(decision D11)",
        ),
    ],
    ids=[
        "too-long",
        "order-desc",
        "order-default",
        "order-several",
        "size-below-1",
        "window",
        "recording-unanswered",
    ],
)
def test_a_page_that_breaks_the_query_fails(
    edit: Callable[[Any], Any], query: dict[str, Any], expected: str
) -> None:
    message = bench(rewrite_json("/call-records/info", edit)).failure(
        checks.call_records_follow_the_query, "GET", "/call-records/info", query={**WINDOW, **query}
    )
    assert expected in message


def test_a_caller_filter_in_the_8_form_is_checked_as_the_7_form() -> None:
    _, page = bench().run("GET", "/call-records/info", query={**WINDOW, "size": 1})
    caller = page.json()[0]["callerNumber"]
    query = {**WINDOW, "size": 3, "caller": "8" + caller[1:]}
    bench().passes(checks.call_records_follow_the_query, "GET", "/call-records/info", query=query)
    message = bench(
        rewrite_json("/call-records/info", lambda rs: [{**r, "callerNumber": "7"} for r in rs])
    ).failure(checks.call_records_follow_the_query, "GET", "/call-records/info", query=query)
    assert "not caller" in message


# --- statistics_match_the_journal -----------------------------------------------------------


def test_untampered_statistics_pass() -> None:
    for path in ("/statistics/common", "/statistics/journal"):
        bench().passes(checks.statistics_match_the_journal, "GET", path, query=WINDOW)


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/statistics/common", "allCallCount"),
        ("/statistics/common", "lostCallCount"),
        ("/statistics/common", "averageCallCountPerHour"),
        ("/statistics/common", "redialCount"),
        ("/statistics/common", "hangupACallCount"),
        ("/statistics/common", "hangupBCallCount"),
        ("/statistics/journal", "numberOfSuccessCalls"),
    ],
)
def test_a_statistic_off_by_one_fails(path: str, field: str) -> None:
    message = bench(rewrite_json(path, lambda body: {**body, field: body[field] + 1})).failure(
        checks.statistics_match_the_journal, "GET", path, query=WINDOW
    )
    assert field in message


def test_statistics_of_a_number_must_echo_it() -> None:
    _, page = bench().run("GET", "/call-records/info", query={**WINDOW, "size": 1})
    number = page.json()[0]["callerNumber"]
    message = bench(
        rewrite_json(
            "/statistics/journal", lambda body: {k: v for k, v in body.items() if k != "number"}
        )
    ).failure(
        checks.statistics_match_the_journal,
        "GET",
        "/statistics/journal",
        query={**WINDOW, "number": number},
    )
    assert "must echo" in message


# --- tenant_isolation -----------------------------------------------------------------------


def test_untampered_tenants_pass() -> None:
    for path in ("/managers", "/blacklist"):
        bench().passes(checks.tenant_isolation, "GET", path)
    bench().passes(
        checks.tenant_isolation, "GET", "/call-records/info", query={**WINDOW, "size": 50}
    )


def test_another_companys_manager_fails() -> None:
    leak = rewrite_json(
        "/managers", lambda body: [{**body[0], "companyId": OTHER_COMPANY}, *body[1:]]
    )
    message = bench(leak).failure(checks.tenant_isolation, "GET", "/managers")
    assert "an object of company 392" in message


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("GET", "/blacklist", {}),
        ("GET", "/managers", {}),
        ("GET", "/call-records/info", {"query": {**WINDOW, "size": 20}}),
        ("GET", "/managers/{id}", {"path_parameters": {"id": 26}}),
    ],
)
def test_another_company_seeing_the_same_objects_fails(
    method: str, path: str, kwargs: dict[str, Any]
) -> None:
    message = bench(request=with_token(control_token)).failure(
        checks.tenant_isolation, method, path, **kwargs
    )
    assert "another company's token" in message
