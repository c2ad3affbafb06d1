"""The custom checks on data that exercises them: windows inside the seeded journal.

Schemathesis draws windows from all of time, and the journal holds the last days only, so most
of its statistics and pages are empty. These property tests draw windows, numbers, sorts and
pages inside the journal (in both spellings clients use, `+03:00` and `Z` with milliseconds)
and send them through `call_and_validate`: every check, built-in and custom, runs on each. Each
test also requires that its examples did meet data, so it cannot pass on empty answers.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import hypothesis
import schemathesis
from hypothesis import strategies as st
from starlette.testclient import TestClient

from contract_tests.mock.harness import Target
from contract_tests.mockctl import MockControl
from contract_tests.settings import profile
from mock_server.domain.rules.journal import SORT_FIELDS
from mock_server.http.app import create_app
from tests.pinned import pinned_config

PROFILE = profile()
HISTORY_DAYS = 5
APP = create_app(config=pinned_config(seed=6, history_days=HISTORY_DAYS, calls_per_day=60))
CONTROL = MockControl(TestClient(APP))
TARGET = Target.create(PROFILE, examples=1, app=APP)
TARGET.bind(CONTROL)
NOW = datetime.fromtimestamp(CONTROL.now(), UTC)
MOSCOW = timezone(timedelta(hours=3))
SETTINGS = hypothesis.settings(
    max_examples=PROFILE.targeted_examples * 4,
    deadline=None,
    database=None,
    derandomize=PROFILE.seed is not None,
    # Hypothesis's (not Schemathesis's) speed check: each example is requests through every
    # check, slower than Hypothesis expects of a unit test.
    suppress_health_check=[hypothesis.HealthCheck.too_slow],
)


def call(
    method: str, path: str, expect: tuple[int, ...] = (200,), **kwargs: Any
) -> schemathesis.Response:
    operation = TARGET.schema[path][method]
    case = operation.Case(**kwargs)
    TARGET.schema.auth.set(case, schemathesis.AuthContext(operation=operation, app=APP))
    response = case.call_and_validate()
    assert response.status_code in expect, response.text_lossy()[:300]
    return response


def _numbers() -> list[str]:
    records = call(
        "GET",
        "/call-records/info",
        query={
            "start": (NOW - timedelta(days=HISTORY_DAYS)).isoformat(),
            "end": NOW.isoformat(),
            "size": 2000,
        },
    ).json()
    numbers = sorted(
        {r["callerNumber"] for r in records} | {r.get("calleeNumber") or "" for r in records} - {""}
    )
    assert numbers, "the seeded journal is empty"
    return numbers


NUMBERS = _numbers()


def _spell(instant: datetime, utc: bool) -> str:
    if utc:
        return (
            instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{instant.microsecond // 1000:03d}Z"
        )
    return instant.astimezone(MOSCOW).isoformat(timespec="seconds")


@st.composite
def windows(draw: st.DrawFn) -> dict[str, str]:
    # Whole hours plus a few seconds: the journal's calls are in office hours, so a window of
    # minutes would mostly be empty, and an edge falling inside a second is tested all the same.
    hours = HISTORY_DAYS * 24
    offset = timedelta(hours=draw(st.integers(0, hours - 1)), seconds=draw(st.integers(0, 3599)))
    length = timedelta(hours=draw(st.integers(6, 72)), seconds=draw(st.integers(0, 59)))
    start = NOW - timedelta(hours=hours) + offset
    utc = draw(st.booleans())
    return {"start": _spell(start, utc), "end": _spell(start + length, not utc)}


def test_statistics_equal_the_journal_over_windows_with_calls() -> None:
    counted: list[int] = []

    @hypothesis.given(window=windows(), number=st.none() | st.sampled_from(NUMBERS))
    @SETTINGS
    def check(window: dict[str, str], number: str | None) -> None:
        common = call(
            "GET",
            "/statistics/common",
            query={**window, **({"subscriberNumber": number} if number else {})},
        )
        journal = call(
            "GET", "/statistics/journal", query={**window, **({"number": number} if number else {})}
        )
        assert common.json()["allCallCount"] == journal.json()["numberOfCalls"]
        counted.append(journal.json()["numberOfCalls"])

    check()
    assert sum(1 for n in counted if n > 0) >= len(counted) // 3, counted


def test_journal_pages_are_sorted_sized_and_filtered() -> None:
    pages: list[int] = []

    @hypothesis.given(
        window=windows(),
        # Spring's sort: one or two values, each of one or two properties (D23).
        sort=st.lists(
            st.lists(st.sampled_from(list(SORT_FIELDS)), min_size=1, max_size=2).map(",".join),
            min_size=1,
            max_size=2,
        ),
        direction=st.sampled_from(["", ",ASC", ",DESC", ",desc", ",Asc"]),
        # Spring's paging corrects sizes below 1 and above 2000 (D17).
        size=st.integers(1, 60) | st.sampled_from([0, -3, 5000]),
        page=st.sampled_from([0, 0, 0, 1, 2]),
        caller=st.sampled_from([None, None]) | st.sampled_from(NUMBERS),
        recorded=st.booleans(),
    )
    @SETTINGS
    def check(
        window: dict[str, str],
        sort: list[str],
        direction: str,
        size: int,
        page: int,
        caller: str | None,
        recorded: bool,
    ) -> None:
        query: dict[str, Any] = {
            **window,
            "sort": [value + direction for value in sort],
            "size": size,
            "page": page,
            "is_recorded": recorded,
        }
        if caller is not None:
            query["caller"] = caller
        pages.append(len(call("GET", "/call-records/info", query=query).json()))

    check()
    assert sum(1 for n in pages if n >= 2) >= len(pages) // 10, pages


def test_recordings_of_the_journal_are_mp3_and_ranges_are_exact() -> None:
    records = call(
        "GET",
        "/call-records/info",
        query={
            "start": (NOW - timedelta(days=HISTORY_DAYS)).isoformat(),
            "end": NOW.isoformat(),
            "is_recorded": True,
            "size": 2000,
        },
    ).json()
    names = [r["recordFileName"] for r in records]
    assert len(names) > 10
    served: list[int] = []

    @hypothesis.given(
        name=st.sampled_from(names),
        range_=st.none()
        | st.tuples(st.integers(0, 5000), st.integers(0, 5000)).map(
            lambda ab: f"bytes={min(ab)}-{max(ab)}"
        )
        | st.integers(1, 4000).map(lambda n: f"bytes=-{n}")
        | st.integers(0, 4000).map(lambda n: f"bytes={n}-"),
    )
    @hypothesis.settings(SETTINGS, max_examples=PROFILE.targeted_examples * 2)
    def check(name: str, range_: str | None) -> None:
        response = call(
            "GET",
            "/call-records/file",
            expect=(200, 206, 416),
            query={"filename": name},
            headers={"Range": range_} if range_ else {},
        )
        assert response.content
        served.append(response.status_code)

    check()
    assert {200, 206} <= set(served), served
