"""One tampered answer for every branch of the custom checks: each must fail, with its message.

The untampered answers pass (`test_custom_checks.py` and the `*_untampered_*` tests here), so
each failure below is the tampering, not the mock. See contract_tests/mock/tamper.py.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.types import Scope

from contract_tests import checks
from contract_tests.mock.tamper import (
    API,
    CONTROL,
    OTHER_COMPANY,
    USER,
    WINDOW,
    Answer,
    bench,
    company_in,
    control_token,
    json_answer,
    on,
    recorded_name,
    rewrite_json,
    rewrite_query,
    with_token,
)
from tests.pinned import PINNED_NOW

TOKENS = checks.token_rejections_are_documented
MP3 = checks.recordings_are_mp3
PAGE = checks.call_records_follow_the_query
STATISTICS = checks.statistics_match_the_journal
TENANTS = checks.tenant_isolation
RECORDS = "/call-records/info"


def _authorization(scope: Scope) -> str | None:
    value = dict(scope["headers"]).get(b"authorization")
    return None if value is None else value.decode()


def _spring_403(scope: Scope, message: str) -> Answer:
    return json_answer(
        403,
        {
            "timestamp": "2026-03-04T12:00:00.000+00:00",
            "status": 403,
            "error": "Forbidden",
            "message": message,
            "path": scope["path"],
        },
    )


def _on_403(edit: Callable[[Scope, dict[str, Any]], Answer]) -> Callable[[Scope, Answer], Answer]:
    """`edit` applied to every 403 whose body is the Spring body."""

    def tamper(scope: Scope, answer: Answer) -> Answer:
        status, _headers, body = answer
        if status != 403:
            return answer
        parsed = json.loads(body)
        return answer if "details" in parsed else edit(scope, parsed)

    return tamper


# --- token_rejections_are_documented ---------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"denied", "a 403 body must be JSON"),
        (b"[403]", "a 403 body must be an object"),
        (b'{"details": "Token expired"}', "`details` must be one of"),
        (b'{"details": "The token is expired", "hint": "refresh"}', "has only `details`"),
        (b'{"details": "The token is expired", "code": "403"}', "`code` must be an integer"),
    ],
    ids=["not-json", "not-an-object", "unknown-details", "extra-field", "code-not-integer"],
)
def test_a_403_body_off_the_spec_fails(body: bytes, expected: str) -> None:
    def replace(scope: Scope, answer: Answer) -> Answer:
        status, headers, _ = answer
        return (status, headers, body) if status == 403 else answer

    message = bench(replace).failure(TOKENS, "GET", "/employees")
    assert expected in message


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("status", 401, "`status` must repeat 403"),
        ("error", "Unauthorized", "`error` must be 'Forbidden'"),
        ("message", "Forbidden", "`message` must say what is wrong"),
        ("message", "", "`message` must say what is wrong"),
        ("path", "/gateway/crm/openapi/employees", "`path` must be the request path"),
        ("path", "/employees", "`path` must be the request path"),
    ],
    ids=["status", "error", "reason-phrase", "empty-message", "longer-path", "shorter-path"],
)
def test_a_spring_403_off_the_spec_fails(field: str, value: Any, expected: str) -> None:
    def edit(scope: Scope, body: dict[str, Any]) -> Answer:
        return json_answer(403, {**body, field: value})

    message = bench(_on_403(edit)).failure(TOKENS, "GET", "/employees")
    assert expected in message


def test_a_2xx_without_a_token_fails() -> None:
    message = bench(request=with_token(control_token)).failure(
        TOKENS, "GET", "/blacklist", authorize=False
    )
    assert "without an Authorization header" in message


def test_a_spring_denial_answered_with_details_fails() -> None:
    def expired(scope: Scope, body: dict[str, Any]) -> Answer:
        return json_answer(403, {"details": "The token is expired"})

    message = bench(_on_403(expired)).failure(TOKENS, "GET", "/employees")
    assert "expected the Spring body saying what is wrong" in message


@pytest.mark.parametrize(
    ("sent", "said", "expected"),
    [
        (None, "Authorization header is absent", "must say 'missing'"),
        ("Bearer ", "Authorization header has a prefix", "must say 'bearer'"),
    ],
    ids=["missing", "bearer"],
)
def test_a_denial_that_does_not_say_which_fails(sent: str | None, said: str, expected: str) -> None:
    def vague(scope: Scope, body: dict[str, Any]) -> Answer:
        token = _authorization(scope)
        named = token is None if sent is None else (token or "").startswith(sent)
        return _spring_403(scope, said) if named else json_answer(403, body)

    message = bench(_on_403(vague)).failure(TOKENS, "GET", "/employees")
    assert expected in message


def test_one_message_for_every_denial_fails() -> None:
    def same(scope: Scope, body: dict[str, Any]) -> Answer:
        return _spring_403(scope, "Missing or Bearer-prefixed or malformed token")

    message = bench(_on_403(same)).failure(TOKENS, "GET", "/employees")
    assert "every denial gets the same `message`" in message


def test_probes_follow_a_400_of_an_operation_that_ignores_the_token() -> None:
    # A 400 reached the operation: resent without a token it must be 403 (the token is
    # checked first). Before, only a 2xx was probed, so operations that never answer 2xx to
    # the generated requests went unprobed.
    message = bench(request=with_token(control_token)).failure(
        TOKENS, "GET", RECORDS, query={"start": "yesterday", "end": WINDOW["end"]}
    )
    assert "no Authorization header: 400, expected 403" in message


def test_untampered_probes_after_a_400_pass() -> None:
    bench().passes(TOKENS, "GET", RECORDS, query={"start": "yesterday", "end": WINDOW["end"]})
    bench().passes(TOKENS, "GET", "/call-records/file", query={"filename": "2001-01-01/1"})


# --- recordings_are_mp3 ----------------------------------------------------------------------


def _headers(change: Callable[[dict[bytes, bytes]], None], status: int) -> Any:
    def tamper(scope: Scope, answer: Answer) -> Answer:
        got, headers, body = answer
        if got != status:
            return answer
        named = dict(headers)
        change(named)
        return got, list(named.items()), body

    return on("/call-records/file", tamper)


def _range_total(shift: int) -> Callable[[dict[bytes, bytes]], None]:
    def change(headers: dict[bytes, bytes]) -> None:
        first_last, total = headers[b"content-range"].split(b"/")
        headers[b"content-range"] = first_last + b"/" + str(int(total) + shift).encode()

    return change


@pytest.mark.parametrize(
    ("change", "status", "expected"),
    [
        (
            lambda h: h.update({b"content-disposition": b'attachment; filename="call.mp3"'}),
            200,
            "Content-Disposition must be",
        ),
        (lambda h: h.pop(b"content-disposition"), 200, "Content-Disposition must be"),
        (
            lambda h: h.update({b"content-disposition": b"inline"}),
            206,
            "Content-Disposition must be",
        ),
        (lambda h: h.pop(b"content-range"), 206, "a 206 needs Content-Range"),
        (
            lambda h: h.update({b"content-range": b"bytes 199-100/1000000"}),
            206,
            "is not a range inside the file",
        ),
        (_range_total(+1), 206, "bytes in all, the file has"),
        (_range_total(-1), 206, "bytes in all, the file has"),
    ],
    ids=[
        "disposition-other-name",
        "disposition-absent",
        "disposition-inline-206",
        "no-content-range",
        "range-reversed",
        "total-too-large",
        "total-too-small",
    ],
)
def test_recording_headers_off_the_spec_fail(
    change: Callable[[dict[bytes, bytes]], None], status: int, expected: str
) -> None:
    message = bench(_headers(change, status)).failure(
        MP3,
        "GET",
        "/call-records/file",
        query={"filename": recorded_name()},
        headers={"Range": "bytes=100-199"} if status == 206 else {},
    )
    assert expected in message


def test_a_range_shorter_than_it_names_fails() -> None:
    def short(scope: Scope, answer: Answer) -> Answer:
        status, headers, body = answer
        return (status, headers, body[:-1]) if status == 206 else answer

    message = bench(on("/call-records/file", short)).failure(
        MP3,
        "GET",
        "/call-records/file",
        query={"filename": recorded_name()},
        headers={"Range": "bytes=100-199"},
    )
    assert "names 100 bytes, got 99" in message


def test_a_range_of_a_file_that_is_not_there_fails() -> None:
    def gone(scope: Scope, answer: Answer) -> Answer:
        return json_answer(404, {"message": "gone"}) if answer[0] == 200 else answer

    message = bench(on("/call-records/file", gone)).failure(
        MP3,
        "GET",
        "/call-records/file",
        query={"filename": recorded_name()},
        headers={"Range": "bytes=100-199"},
    )
    assert "the whole recording answered 404 after a 206" in message


def test_a_double_encoded_name_passes_untampered() -> None:
    name = recorded_name().replace("/", "%2F")
    bench().passes(MP3, "GET", "/call-records/file", query={"filename": name})


# --- call_records_follow_the_query -----------------------------------------------------------


def _first_record(**query: Any) -> dict[str, Any]:
    _, page = bench().run("GET", RECORDS, query={**WINDOW, "size": 1, **query})
    record: dict[str, Any] = page.json()[0]
    return record


def _answered(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in records if r["callStatus"].startswith("ANSWERED_") and r["recordFileName"]]


def _each_answered(change: Callable[[dict[str, Any]], dict[str, Any]]) -> Callable[[Any], Any]:
    def edit(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        assert _answered(records), "the page holds an answered, recorded call to tamper with"
        return [change(r) if r in _answered(records) else r for r in records]

    return edit


@pytest.mark.parametrize(
    ("edit", "query", "expected"),
    [
        (lambda records: {"content": records}, {"size": 5}, "the journal is a plain array (D12)"),
        (lambda records: [*records[:-1], "record"], {"size": 5}, "is not an object"),
        (
            lambda records: [{**records[0], "date": "2026-13-45T00:00:00Z"}, *records[1:]],
            {"size": 5, "sort": "callDuration"},
            "is not an instant",
        ),
        (
            lambda records: [{**records[0], "callDuration": "9999"}, *records[1:]],
            {"size": 5, "sort": "callDuration,DESC"},
            "which do not compare",
        ),
        (
            lambda records: list(reversed(records)),
            {"size": 20, "sort": "date,desc"},
            "not sorted by date,DESC",
        ),
        (
            lambda records: [{**records[0], "recordFileName": ""}, *records[1:]],
            {"size": 3, "is_recorded": True},
            "has no recording although is_recorded=true",
        ),
        (
            _each_answered(lambda r: {**r, "recordFileName": r["recordFileName"] + ".mp3"}),
            {"size": 20},
            "is not YYYY-MM-DD/<id>",
        ),
        (
            _each_answered(
                lambda r: {**r, "recordFileName": r["recordFileName"].replace("/", "%2F")}
            ),
            {"size": 20},
            "is not YYYY-MM-DD/<id>",
        ),
        (
            _each_answered(lambda r: {**r, "recordFileName": "1999-01-01/1234567"}),
            {"size": 20},
            "does not start with the call's date",
        ),
        (
            _each_answered(
                lambda r: {**r, "callStatus": "NOT_ANSWERED_COMMON", "recordFileName": ""}
            ),
            {"size": 20},
            "is NOT_ANSWERED_COMMON but has a conversationDuration",
        ),
    ],
    ids=[
        "not-an-array",
        "not-an-object",
        "date-not-an-instant",
        "values-that-do-not-compare",
        "lower-case-direction",
        "is-recorded",
        "name-not-the-spec-pattern",
        "name-with-encoded-slash",
        "name-of-another-day",
        "talk-on-an-unanswered-call",
    ],
)
def test_a_page_off_the_query_fails(
    edit: Callable[[Any], Any], query: dict[str, Any], expected: str
) -> None:
    message = bench(rewrite_json(RECORDS, edit)).failure(
        PAGE, "GET", RECORDS, query={**WINDOW, **query}
    )
    assert expected in message


@pytest.mark.parametrize("field", ["callerNumber", "calleeNumber"])
def test_a_page_off_its_number_filter_fails(field: str) -> None:
    _, page = bench().run("GET", RECORDS, query={**WINDOW, "size": 100})
    number = next(r[field] for r in page.json() if re.fullmatch(r"7[0-9]{10}", r.get(field, "")))
    name = {"callerNumber": "caller", "calleeNumber": "callee"}[field]
    query = {**WINDOW, "size": 3, name: "+" + number}
    bench().passes(PAGE, "GET", RECORDS, query=query)
    message = bench(
        rewrite_json(RECORDS, lambda records: [{**r, field: "79990000000"} for r in records])
    ).failure(PAGE, "GET", RECORDS, query=query)
    assert f"not {name} '+{number}'" in message


def test_an_answer_to_an_unknown_sort_property_fails() -> None:
    # The server reads `sort=date,DESC`; the client asked for a property records do not have.
    message = bench(request=rewrite_query(RECORDS, "sort=colour", "sort=date")).failure(
        PAGE, "GET", RECORDS, query={**WINDOW, "size": 3, "sort": "colour,DESC"}
    )
    assert "sort by unknown field 'colour' answered 200" in message


@pytest.mark.parametrize("path", [RECORDS, "/statistics/journal", "/statistics/common"])
def test_an_answer_to_a_window_that_is_no_instant_fails(path: str) -> None:
    # 30 February fits the spec's pattern but is no day: the server reads the 28th.
    check = PAGE if path == RECORDS else STATISTICS
    message = bench(request=rewrite_query(path, "start=2026-02-30", "start=2026-02-28")).failure(
        check, "GET", path, query={"start": "2026-02-30T00:00:00Z", "end": WINDOW["end"]}
    )
    assert "answered 200 to a window that is not an instant" in message


@given(
    instant=st.datetimes(
        min_value=datetime(2, 1, 1), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
    ),
    offset_minutes=st.integers(min_value=-18 * 60, max_value=18 * 60),
)
def test_instant_ms_reads_what_python_reads(instant: datetime, offset_minutes: int) -> None:
    offset = timedelta(minutes=offset_minutes)
    sign = "-" if offset_minutes < 0 else "+"
    hours, minutes = divmod(abs(offset_minutes), 60)
    local = (instant + offset).replace(tzinfo=None)
    text = local.isoformat(timespec="microseconds") + f"{sign}{hours:02d}:{minutes:02d}"
    expected = (instant - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(milliseconds=1)
    assert checks.instant_ms(text) == expected
    assert checks.utc_date(expected) == instant.date().isoformat()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0000-01-01T00:00:00Z", -62_167_219_200_000),  # year 0: Java reads it, Python cannot
        ("2024-02-29T00:00:00.123456789Z", 1_709_164_800_123),
        ("2023-02-29T00:00:00Z", None),
        ("2026-03-04T24:00:00Z", None),
        ("2026-03-04T10:00:00", None),
        ("2026-03-04 10:00:00Z", None),
    ],
)
def test_instant_ms_edges(text: str, expected: int | None) -> None:
    assert checks.instant_ms(text) == expected


# --- statistics_match_the_journal -----------------------------------------------------------


def test_a_number_not_asked_for_fails() -> None:
    message = bench(
        rewrite_json("/statistics/journal", lambda body: {**body, "number": "79990000000"})
    ).failure(STATISTICS, "GET", "/statistics/journal", query=WINDOW)
    assert "`number` must be absent without a number (D16)" in message


def test_hang_ups_beyond_the_lost_calls_fail() -> None:
    # Consistent with the journal's other figures, but more hang-ups than lost calls.
    def beyond(body: dict[str, Any]) -> dict[str, Any]:
        return {**body, "hangupBCallCount": body["lostCallCount"] - body["hangupACallCount"] + 1}

    message = bench(rewrite_json("/statistics/common", beyond)).failure(
        STATISTICS, "GET", "/statistics/common", query=WINDOW
    )
    assert "hangupACallCount + hangupBCallCount <= lostCallCount (D19, D20) does not hold" in (
        message
    )


@pytest.mark.parametrize(
    ("rewrite", "identity"),
    [
        (
            lambda body: {**body, "internalCallCount": body["internalCallCount"] + 1},
            "allCallCount = successCallCount + lostCallCount + internalCallCount",
        ),
        (
            lambda body: {**body, "redialCount": body["redialCount"] + 1},
            "uniqueCallCount + redialCount = successCallCount",
        ),
        (
            lambda body: {**body, "callCountPerHour": body["callCountPerDay"] / 23},
            "callCountPerHour = callCountPerDay / 24",
        ),
        (
            lambda body: {**body, "mnMaxCallDuration": body["maxCallDuration"] + 1},
            "maxCallDuration = mnMaxCallDuration <= commonCallDuration",
        ),
        (
            lambda body: {**body, "averageCallDuration": body["averageCallDuration"] + 1},
            "averageCallDuration = floor(commonCallDuration / (allCallCount - lostCallCount))",
        ),
    ],
)
def test_statistics_that_break_an_identity_fail(
    rewrite: Callable[[dict[str, Any]], dict[str, Any]], identity: str
) -> None:
    message = bench(rewrite_json("/statistics/common", rewrite)).failure(
        STATISTICS, "GET", "/statistics/common", query=WINDOW
    )
    assert f"{identity} (D19, D20) does not hold" in message


def test_statistics_that_are_refused_when_asked_again_fail() -> None:
    asked = itertools.count()

    def wrong_then_500(scope: Scope, answer: Answer) -> Answer:
        status, _headers, body = answer
        if next(asked) == 0:
            parsed = json.loads(body)
            return json_answer(status, {**parsed, "numberOfCalls": parsed["numberOfCalls"] + 1})
        return json_answer(500, {"message": "down"})

    message = bench(on("/statistics/journal", wrong_then_500)).failure(
        STATISTICS, "GET", "/statistics/journal", query=WINDOW
    )
    assert "asked again, the statistics answered 500" in message


def test_a_journal_that_never_stands_still_fails() -> None:
    reads = itertools.count()

    def growing(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        extra = {**records[0], "uuid": f"extra-{next(reads)}"}
        return [*records, extra]

    message = bench(rewrite_json(RECORDS, growing)).failure(
        STATISTICS, "GET", "/statistics/journal", query=WINDOW
    )
    assert "the journal of the window kept changing" in message


def test_a_journal_that_cannot_be_read_fails() -> None:
    def down(scope: Scope, answer: Answer) -> Answer:
        return json_answer(500, {"message": "down"})

    message = bench(on(RECORDS, down)).failure(
        STATISTICS, "GET", "/statistics/common", query=WINDOW
    )
    assert "the journal of the same window answered 500" in message


# --- tenant_isolation ------------------------------------------------------------------------


@functools.cache
def _place_a_live_and_a_queued_call() -> None:
    """Company 391 has a live call and a queued one (the clock of this mock stands still)."""
    headers = {"Authorization": USER.access_token}
    employees = CONTROL.client.get(API + "/employees", headers=headers).json()
    source = next(e["fullNumber"] for e in employees if e.get("fullNumber"))
    placed = CONTROL.client.post(
        API + "/call/outgoing",
        params={"source": source, "destination": "79161234567"},
        headers=headers,
    )
    assert placed.status_code == 200, placed.text
    queued = CONTROL.client.post("/mock/calls/incoming", json={"from": "79167654321", "queue": "1"})
    assert queued.status_code == 200, queued.text
    live = CONTROL.client.get(API + "/monitoring/calls", headers=headers).json()
    pending = CONTROL.client.get(API + "/monitoring/calls/pending", headers=headers).json()
    assert live, "a live call to compare"
    assert pending, "a queued call to compare"


def _transcribed_name() -> str:
    """A recording of company 391 that has a transcript (most have)."""
    _, page = bench().run("GET", RECORDS, query={**WINDOW, "size": 50, "is_recorded": True})
    for record in page.json():
        name: str = record["recordFileName"]
        transcript = CONTROL.client.get(
            API + "/call-records/file/stt",
            params={"filename": name},
            headers={"Authorization": USER.access_token},
        )
        if transcript.status_code == 200:
            return name
    raise AssertionError("no transcribed recording in the window")


LISTS = [
    ("/employees", {}),
    ("/monitoring/calls", {}),
    ("/monitoring/calls/pending", {}),
    ("/statistics/common", WINDOW),
    ("/statistics/journal", WINDOW),
]


@pytest.mark.parametrize(("path", "query"), LISTS)
def test_untampered_lists_and_statistics_of_another_company_pass(
    path: str, query: dict[str, Any]
) -> None:
    _place_a_live_and_a_queued_call()
    bench().passes(TENANTS, "GET", path, query=query)


@pytest.mark.parametrize(
    ("path", "query", "expected"),
    [
        *((p, q, "lists the same objects") for p, q in LISTS[:3]),
        *((p, q, "not those of its own journal") for p, q in LISTS[3:]),
        ("/call-records/file", None, "read the same object: 200, expected 404"),
        ("/call-records/file/stt", None, "read the same object: 200, expected 404"),
    ],
)
def test_another_company_seeing_our_data_fails(
    path: str, query: dict[str, Any] | None, expected: str
) -> None:
    # A server that answers this path, whoever asks, with company 391's data; every other
    # path (the journal the statistics are compared with) answers honestly.
    _place_a_live_and_a_queued_call()
    asked = {"filename": _transcribed_name()} if query is None else query
    message = bench(request=with_token(control_token, path)).failure(
        TENANTS, "GET", path, query=asked
    )
    assert expected in message


def test_another_company_refused_fails() -> None:
    def refuse_392(scope: Scope, answer: Answer) -> Answer:
        if company_in(scope) == OTHER_COMPANY:
            return json_answer(500, {"message": "down"})
        return answer

    message = bench(on("/blacklist", refuse_392)).failure(TENANTS, "GET", "/blacklist")
    assert "another company's token answered 500 to the same request" in message


def test_statistics_compared_for_a_number_of_ours() -> None:
    number = _first_record()["callerNumber"]
    query = {**WINDOW, "number": number}
    bench().passes(TENANTS, "GET", "/statistics/journal", query=query)
    message = bench(request=with_token(control_token, "/statistics/journal")).failure(
        TENANTS, "GET", "/statistics/journal", query=query
    )
    assert "numberOfCalls" in message


def test_the_pinned_window_holds_calls() -> None:
    # Every comparison above is over WINDOW: it must hold calls, else they compare nothing.
    _, page = bench().run("GET", RECORDS, query={**WINDOW, "size": 2000})
    assert len(page.json()) > 50
    assert datetime.fromisoformat(WINDOW["end"]) > PINNED_NOW
