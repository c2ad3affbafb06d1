"""The request journal: a bounded ring, flat patterns, near misses, what an entry shows."""

from __future__ import annotations

import random
import re
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest

from mock_server.domain.double import token_claims
from mock_server.domain.double.advisories import Advisory
from mock_server.domain.double.paths import path_glob
from mock_server.domain.double.request_journal import (
    MAX_BODY_BYTES,
    MAX_HEADER_BYTES,
    MAX_PATH_CHARS,
    MAX_QUERY_BYTES,
    JournalEntry,
    RequestJournal,
    RequestPattern,
)
from mock_server.domain.double.token_claims import TokenClaims
from mock_server.domain.errors import InvalidInput

T0 = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)


def entry(**fields: Any) -> JournalEntry:
    defaults: dict[str, Any] = {
        "at": T0,
        "method": "GET",
        "path": "/employees",
        "operation_id": "getEmployees",
        "company_id": 391,
        "status": 200,
    }
    return JournalEntry(**{**defaults, **fields})


def test_journal_keeps_the_last_capacity_requests_newest_first() -> None:
    journal = RequestJournal(3)
    for status in (200, 201, 202, 203, 204):
        journal.record(entry(status=status))
    found = journal.find(RequestPattern())
    assert [e.status for e in found] == [204, 203, 202], found
    assert journal.recorded == 5
    assert [e.id for e in found] == [5, 4, 3], "ids count every request, the dropped too"


def test_journal_of_size_zero_records_nothing() -> None:
    journal = RequestJournal(0)
    journal.record(entry())
    assert not journal.enabled
    assert journal.find(RequestPattern()) == []


@pytest.mark.parametrize("capacity", [-1, 10**7, True, 2.5])
def test_journal_size_is_checked(capacity: Any) -> None:
    with pytest.raises(InvalidInput, match="journal size"):
        RequestJournal(capacity)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ({"operationId": "getManager"}, [2]),
        ({"method": "post"}, [3]),
        ({"path": "/managers/*"}, [2]),
        ({"path": "/crm/openapi/managers/26/"}, [2]),
        ({"path": "/managers"}, [3]),
        ({"companyId": 392}, [3]),
        ({"status": 503}, [1]),
        ({"since": "2026-03-04T12:00:30Z"}, [3, 2]),
        ({"advisory": "BEARER_PREFIX"}, [1]),
        ({"operationId": "getManager", "status": 200}, [2]),
        ({"operationId": "getManager", "status": 503}, []),
        ({}, [3, 2, 1]),
    ],
)
def test_pattern_matches_every_field_it_names(pattern: dict[str, Any], expected: list[int]) -> None:
    journal = RequestJournal(10)
    journal.record(entry(status=503, advisories=(Advisory("BEARER_PREFIX", "x"),)))
    journal.record(
        entry(
            at=T0 + timedelta(seconds=30),
            path="/managers/26",
            operation_id="getManager",
        )
    )
    journal.record(
        entry(
            at=T0 + timedelta(seconds=60),
            method="POST",
            path="/managers/",
            operation_id="createManager",
            company_id=392,
        )
    )
    found = journal.find(RequestPattern.parse(pattern))
    assert [e.id for e in found] == expected, [e.to_json() for e in found]
    assert journal.count(RequestPattern.parse(pattern)) == len(expected)


def test_find_limit_keeps_the_newest() -> None:
    journal = RequestJournal(10)
    for _ in range(5):
        journal.record(entry())
    assert [e.id for e in journal.find(RequestPattern(), limit=2)] == [5, 4]


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ({"method": "FETCH"}, "Field 'method'"),
        ({"status": 99}, "Field 'status'"),
        ({"status": True}, "Field 'status'"),
        ({"companyId": 0}, "Field 'companyId'"),
        ({"advisory": "NOPE"}, "Field 'advisory'"),
        ({"path": "managers"}, "Field 'path'"),
        ({"since": "yesterday"}, "since"),
    ],
)
def test_pattern_fields_are_checked(pattern: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        RequestPattern.parse(pattern)


def test_path_glob_star_matches_any_characters() -> None:
    assert path_glob("/call-records/*").fullmatch("/call-records/file/stt")
    assert path_glob("/blacklist/by-msisdn/7*").fullmatch("/blacklist/by-msisdn/79998887766")
    assert not path_glob("/blacklist/by-msisdn/7*").fullmatch("/blacklist/all")
    assert path_glob("/a.b").fullmatch("/a.b")
    assert not path_glob("/a.b").fullmatch("/axb")


def test_closest_ranks_misses_by_how_many_fields_they_miss() -> None:
    journal = RequestJournal(10)
    journal.record(entry(operation_id="getManagers", path="/managers", status=200))  # 2 misses
    journal.record(entry(status=200))  # misses the status only
    journal.record(entry(status=503))  # matches: not a miss
    misses = journal.closest(RequestPattern(operation_id="getEmployees", status=503))
    assert [(e.id, len(d)) for e, d in misses] == [(2, 1), (1, 2)], misses
    assert misses[0][1] == ["status: wanted 503, got 200"]


def test_entry_shows_token_claims_never_the_authorization_header() -> None:
    claims = TokenClaims(391, 5976, "pg_test", "access", 1_772_712_000)
    shown = entry(
        raw_headers=((b"Authorization", b"eyJ.secret.token"), (b"Content-Type", b"text/plain")),
        query_string=b"size=5&size=6&company_id=391",
        token=claims,
        token_accepted=False,
        token_rejection="The token is expired",
        body=b"x" * MAX_BODY_BYTES,
        body_size=MAX_BODY_BYTES + 10,
    ).to_json()
    assert "authorization" not in shown["headers"], shown["headers"]
    assert "secret" not in str(shown)
    assert shown["headers"]["content-type"] == "text/plain"
    assert shown["query"] == {"size": ["5", "6"], "company_id": ["391"]}
    assert shown["token"]["companyId"] == 391
    assert shown["token"]["kind"] == "access"
    assert shown["token"]["accepted"] is False
    assert shown["token"]["rejection"] == "The token is expired"
    assert shown["bodyTruncated"] is True
    assert shown["bodySize"] == MAX_BODY_BYTES + 10


def test_journal_records_from_many_threads_without_losing_any() -> None:
    journal = RequestJournal(100_000)

    def record() -> None:
        for _ in range(500):
            journal.record(entry())

    threads = [threading.Thread(target=record) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    entries = journal.find(RequestPattern())
    assert len(entries) == journal.recorded == 4000
    assert len({e.id for e in entries}) == 4000, "every request has its own id"


def test_forget_company_drops_its_requests_only() -> None:
    journal = RequestJournal(10)
    journal.record(entry(company_id=1000))
    journal.record(entry(company_id=391))
    journal.forget_company(1000)
    assert [e.company_id for e in journal.find(RequestPattern())] == [391]


def test_path_glob_grammar() -> None:
    # `*` is the only wildcard; `**` is `*`; `?` and brackets are themselves.
    assert path_glob("/managers/**").fullmatch("/managers/1/x")
    assert path_glob("/a?").fullmatch("/a?")
    assert not path_glob("/a?").fullmatch("/ab")
    assert path_glob("/[ab]").fullmatch("/[ab]")
    assert not path_glob("/[ab]").fullmatch("/a")
    # The base path and a trailing slash are optional in the pattern; the path is under it.
    assert path_glob("/crm/openapi/managers/*/").fullmatch("/managers/42/")
    assert path_glob("/*").fullmatch("/")
    assert not path_glob("/a*a").fullmatch("/a"), "the pieces may not overlap"
    assert path_glob("/a*a").fullmatch("/aa")


def _backtracking(pattern: str) -> re.Pattern[str]:
    """The glob as the regular expression it used to be (the reference, on short inputs)."""
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")))


def test_path_glob_agrees_with_the_regular_expression() -> None:
    rng = random.Random(22)
    for _ in range(3000):
        pattern = "/" + "".join(rng.choice("ab*/") for _ in range(rng.randrange(8)))
        path = "/" + "".join(rng.choice("ab/") for _ in range(rng.randrange(10)))
        pattern, path = pattern.rstrip("/") or "/", path.rstrip("/") or "/"
        expected = _backtracking(pattern).fullmatch(path) is not None
        assert path_glob(pattern).fullmatch(path) == expected, (pattern, path)


def test_path_glob_takes_linear_time_on_a_pathological_pattern() -> None:
    # 50 stars over 10,000 characters: a backtracking matcher never ends on these.
    pattern = "/" + "*a" * 50 + "*b"
    assert not path_glob(pattern).fullmatch("/" + "a" * 10_000)
    assert not path_glob("/" + "*ab" * 50 + "*c").fullmatch("/" + "ab" * 5_000 + "x")
    assert path_glob(pattern).fullmatch("/" + "a" * 10_000 + "b")


def test_an_entry_keeps_each_part_up_to_its_bound_and_says_what_it_cut() -> None:
    headers = (
        (b"Authorization", b"eyJ." + b"t" * 10_000),
        (b"X-Big", b"a" * 2_000_000),
        (b"X-After", b"b"),
    )
    cut = entry(
        path="/employees/" + "p" * 5000,
        query_string=b"q=" + b"x" * 100_000,
        raw_headers=headers,
        body=b"y" * 1_000_000,
    )
    shown = cut.to_json()
    assert len(shown["path"]) == MAX_PATH_CHARS
    assert shown["pathTruncated"]
    assert len(cut.query_string) == MAX_QUERY_BYTES
    assert shown["queryTruncated"]
    assert list(shown["headers"]) == ["x-big"], "Authorization and what follows the bound"
    assert len("x-big") + len(shown["headers"]["x-big"]) == MAX_HEADER_BYTES
    assert shown["headersTruncated"]
    assert shown["bodySize"] == 1_000_000
    assert len(shown["body"]) == MAX_BODY_BYTES
    assert cut.size < 64 * 1024, cut.size
    plain = entry(raw_headers=((b"Accept", b"*/*"),), query_string=b"size=5").to_json()
    assert not any(plain[k] for k in ("pathTruncated", "queryTruncated", "headersTruncated"))


def test_the_journal_drops_its_oldest_entries_past_its_bytes() -> None:
    journal = RequestJournal(1000, max_bytes=100_000)
    for _ in range(50):
        journal.record(entry(raw_headers=((b"X-Big", b"a" * 8000),)))
    assert journal.held_bytes <= 100_000
    assert 2 <= len(journal) < 50
    assert [e.id for e in journal.find(RequestPattern(), limit=1)] == [50], "the newest stays"
    journal.record(entry(body=b"z" * 4096))
    assert journal.held_bytes == sum(e.size for e in journal.entries())
    journal.clear()
    assert journal.held_bytes == 0


def test_a_single_entry_above_the_journals_bytes_is_still_kept() -> None:
    journal = RequestJournal(10, max_bytes=1)
    journal.record(entry())
    journal.record(entry())
    assert [e.id for e in journal.entries()] == [2]


def test_a_forged_token_of_megabytes_is_decoded_but_neither_remembered_nor_kept_whole() -> None:
    forged = jwt.encode(
        {"sub": "access-token", "UserDetailsImpl": {"companyId": 7, "login": "L" * 2_000_000}},
        "forged" * 11,
        algorithm="HS512",
    )
    remembered = len(token_claims._memory)
    claims = token_claims.decode_claims(forged)
    assert claims is not None
    assert claims.company_id == 7
    assert claims.login == "L" * 200
    assert len(token_claims._memory) == remembered
