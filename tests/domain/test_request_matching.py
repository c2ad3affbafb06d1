"""Journal patterns on what was sent: query, headers and body, each with equalTo, contains,
matches, absent; JSON bodies with equalToJson and JSON paths; near misses that name the field;
what the journal cut short is never a silent pass or failure; hostile patterns are refused."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mock_server.domain.double.linear_regex import MAX_PATTERN_CHARS
from mock_server.domain.double.request_journal import (
    MAX_BODY_BYTES,
    JournalEntry,
    RequestJournal,
    RequestPattern,
)
from mock_server.domain.double.request_matching import (
    JSON_VALUE_KINDS,
    MAX_NAMES,
    MAX_PATH_CHARS,
    MAX_TEXT_CHARS,
    VALUE_KINDS,
    json_path,
)
from mock_server.domain.errors import InvalidInput
from tests.spec_utils import load_spec

ROOT = Path(__file__).resolve().parents[2]

T0 = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
BLACKLIST = {"number": "79165554433", "comment": "spam", "extra": {"deep": [1, 2, {"x": True}]}}


def call(destination: str = "79165554433", **fields: Any) -> JournalEntry:
    defaults: dict[str, Any] = {
        "at": T0,
        "method": "POST",
        "path": "/calls/initiate",
        "operation_id": "initiateCall",
        "company_id": 391,
        "status": 200,
        "query_string": f"destination={destination}&source=201".encode(),
        "raw_headers": ((b"user-agent", b"vendor-crm/2.1"), (b"x-trace", b"a"), (b"x-trace", b"b")),
    }
    return JournalEntry(**{**defaults, **fields})


def blacklisted(body: Any = BLACKLIST) -> JournalEntry:
    text = body if isinstance(body, str) else json.dumps(body)
    return call(
        path="/blacklist", operation_id="addToBlacklist", query_string=b"", body=text.encode()
    )


def misses(fields: dict[str, Any], entry: JournalEntry) -> list[str]:
    return RequestPattern.parse(fields).differences(entry)


@pytest.mark.parametrize(
    ("fields", "entry", "missed"),
    [
        ({"query": {"destination": "79165554433"}}, call(), []),
        (
            {"query": {"destination": "79165554433"}},
            call("79165554434"),
            ["query.destination: wanted 79165554433, got 79165554434"],
        ),
        ({"query": {"destination": {"equalTo": "79165554433"}}}, call(), []),
        ({"query": {"destination": {"contains": "555"}}}, call(), []),
        (
            {"query": {"destination": {"contains": "000"}}},
            call(),
            ["query.destination: wanted containing 000, got 79165554433"],
        ),
        ({"query": {"destination": {"matches": r"7916\d{7}"}}}, call(), []),
        (
            {"query": {"destination": {"matches": r"7495\d{7}"}}},
            call(),
            [r"query.destination: wanted matching 7495\d{7}, got 79165554433"],
        ),
        ({"query": {"comment": {"absent": True}}}, call(), []),
        (
            {"query": {"comment": "x"}},
            call(),
            ["query.comment: wanted x, got not sent"],
        ),
        ({"headers": {"User-Agent": {"contains": "vendor-crm"}}}, call(), []),
        ({"headers": {"x-trace": "a, b"}}, call(), []),
        (
            {"headers": {"user-agent": {"matches": "curl/.*"}}},
            call(),
            ["headers.user-agent: wanted matching curl/.*, got vendor-crm/2.1"],
        ),
        ({"body": {"contains": '"spam"'}}, blacklisted(), []),
        ({"json": {"equalToJson": BLACKLIST}}, blacklisted(), []),
        (
            {"json": {"equalToJson": {"number": "79165554433"}}},
            blacklisted(),
            ["json $.comment: wanted no such field, got spam"],
        ),
        (
            {"json": {"equalToJson": {"number": "79165554433"}, "ignoreExtraElements": True}},
            blacklisted(),
            [],
        ),
        (
            {"json": {"equalToJson": {"number": "79165554434"}, "ignoreExtraElements": True}},
            blacklisted(),
            ['json $.number: wanted "79165554434", got "79165554433"'],
        ),
        ({"json": {"matchesJsonPath": "$.extra.deep[2].x"}}, blacklisted(), []),
        (
            {"json": {"matchesJsonPath": {"expression": "$.number", "matches": "7916.*"}}},
            blacklisted(),
            [],
        ),
        ({"jsonPath": {"$.extra.deep[-1].x": "true"}}, blacklisted(), []),
        ({"jsonPath": {"$.extra.deep[*]": {"equalToJson": 2}}}, blacklisted(), []),
        (
            {"jsonPath": {"$.comment": "ham"}},
            blacklisted(),
            ["jsonPath $.comment: wanted ham, got spam"],
        ),
        (
            {"jsonPath": {"$.missing": {"contains": "x"}}},
            blacklisted(),
            ["jsonPath $.missing: wanted containing x, got nothing (the path selects no value)"],
        ),
        (
            {"json": {"matchesJsonPath": "$.number"}},
            blacklisted("number=79165554433"),
            ["json: wanted $.number present, got a body that is not JSON"],
        ),
        (
            {"json": {"equalToJson": {"n": 1}}},
            blacklisted('{"n": NaN}'),
            ['json: wanted JSON {"n":1}, got a body that is not JSON'],
        ),
    ],
)
def test_a_pattern_on_what_was_sent_names_the_field_that_missed(
    fields: dict[str, Any], entry: JournalEntry, missed: list[str]
) -> None:
    assert misses(fields, entry) == missed


def test_the_flat_fields_and_what_was_sent_all_must_match() -> None:
    journal = RequestJournal(10)
    journal.record(call("79165554433"))
    journal.record(call("79165554434", status=400))
    journal.record(call("79165554435"))
    journal.record(blacklisted())
    pattern = RequestPattern.parse(
        {"operationId": "initiateCall", "query": {"destination": {"matches": "7916.*"}}}
    )
    assert [e.id for e in journal.find(pattern)] == [3, 2, 1]
    exact = RequestPattern.parse(
        {"operationId": "initiateCall", "query": {"destination": "79165554433"}, "status": 200}
    )
    assert journal.count(exact) == 1
    (entry, differences), *_ = journal.closest(exact)
    assert entry.id == 3
    assert differences == ["query.destination: wanted 79165554433, got 79165554435"]
    assert RequestPattern.parse(exact.to_json()) == exact, "a pattern shows itself as it came"


def test_what_the_journal_cut_is_neither_a_pass_nor_a_silent_failure() -> None:
    huge = {"number": "79165554433", "pad": "x" * 5000}
    entry = blacklisted(huge)
    assert entry.body_size > len(entry.body)
    (miss,) = RequestPattern.parse({"jsonPath": {"$.number": "79165554433"}}).misses(entry)
    assert miss.cut
    assert "the journal kept 4096 of the body's" in str(miss)
    found = RequestPattern.parse({"body": {"contains": "79165554433"}})
    assert found.matches(entry), "contains found in what was kept is a match"
    journal = RequestJournal(10)
    journal.record(entry)
    exact = RequestPattern.parse({"body": {"equalTo": json.dumps(huge)}})
    assert journal.tally(exact) == (0, 1)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"query": {"d": {"matches": r"(a)\1"}}}, "backreferences are not supported"),
        ({"query": {"d": {"matches": "(?=a)b"}}}, "only (?:...) groups are supported"),
        ({"query": {"d": {"matches": "a" * 1_000_000}}}, "at most 8192 characters"),
        ({"query": {"d": {"matches": "a" * 600}}}, "a pattern longer than 500 characters"),
        ({"body": {"matches": "*" * 400}}, "nothing before '*' to repeat"),
        ({"body": {"matches": "((a{100}){100}){100}"}}, "more than 500 character positions"),
        ({"query": {"d": {"equalTo": 5}}}, "expected a string of at most"),
        ({"query": {"d": {"equalTo": "a", "contains": "b"}}}, "expected a string (equal to it)"),
        ({"query": {f"p{i}": "x" for i in range(33)}}, "at most 32 names, got 33"),
        ({"headers": {"Authorization": "Bearer x"}}, "the journal keeps the token as its claims"),
        ({"jsonPath": {"$..number": "x"}}, "no name after '.'"),
        ({"jsonPath": {"$" + ".a" * 33: "x"}}, "more than 32 steps"),
        ({"jsonPath": {"$[?(@.a)]": "x"}}, "holds no 'name', N or *"),
        ({"jsonPath": {"number": "x"}}, "a path must start with $"),
        ({"json": {"equalToJson": json.loads("[" * 70 + "]" * 70)}}, "nested at most 64 deep"),
        ({"json": {"equalToJson": list(range(10_001))}}, "at most 10000 nodes"),
        ({"json": {"matchesJsonPath": "$.a", "extra": 1}}, 'expected {"equalToJson"'),
        ({"query": "destination=1"}, "expected an object of names and matchers"),
    ],
)
def test_hostile_or_malformed_matchers_are_refused_saying_what_is_wrong(
    fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        RequestPattern.parse(fields)
    assert message in str(refused.value)
    assert len(str(refused.value)) < 1000, "the message shows a cut value, never a megabyte"


def test_a_json_path_of_wildcards_selects_every_leaf_of_a_full_body() -> None:
    wide = [[i, i + 1] for i in range(0, 600, 2)]  # 600 leaves in under 4 KiB
    entry = blacklisted(wide)
    assert len(entry.body) <= MAX_BODY_BYTES
    assert len(json_path("$[*][*]").select(wide)) == 600
    assert RequestPattern.parse({"jsonPath": {"$[*][*]": "599"}}).matches(entry)
    assert not RequestPattern.parse({"jsonPath": {"$[*][*]": "600"}}).matches(entry)


def test_a_body_nested_deeper_than_the_parser_goes_is_a_miss_never_a_crash() -> None:
    deep = "[" * 2000 + "]" * 2000  # kept whole, too deep for Python's json
    entry = blacklisted(deep)
    assert len(entry.body) == len(deep)
    (miss,) = RequestPattern.parse({"json": {"matchesJsonPath": "$[0]"}}).misses(entry)
    assert "got a body that is not JSON" in str(miss)


def test_the_control_apis_schema_states_the_bounds_the_matchers_hold() -> None:
    schemas = load_spec(ROOT / "openapi" / "mock-admin.yaml")["components"]["schemas"]
    for name in ("NamedMatchers", "HeaderMatchers", "JsonPathMatchers"):
        assert schemas[name]["maxProperties"] == MAX_NAMES, name
    text, matcher = schemas["ValueMatcher"]["oneOf"]
    assert text["maxLength"] == matcher["properties"]["equalTo"]["maxLength"] == MAX_TEXT_CHARS
    assert matcher["properties"]["matches"]["maxLength"] == MAX_PATTERN_CHARS
    path = schemas["JsonBodyMatcher"]["properties"]["matchesJsonPath"]["oneOf"][0]
    assert path["maxLength"] == MAX_PATH_CHARS
    kinds = set(matcher["properties"])
    assert kinds == set(VALUE_KINDS)
    assert set(schemas["JsonValueMatcher"]["oneOf"][1]["properties"]) == {
        *JSON_VALUE_KINDS,
        "ignoreExtraElements",
    }
