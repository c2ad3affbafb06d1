"""Instants on the wire: what `start`/`end` accept, how `date` is written, windows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contract_tests.checks import instant_ms
from mock_server.domain.errors import InvalidInput
from mock_server.domain.timeutil import (
    Window,
    format_epoch_ms,
    format_instant,
    from_epoch_ms,
    parse_epoch_ms,
    parse_instant,
    to_epoch_ms,
)
from tests.spec_utils import load_spec

# The pattern of the spec's OffsetDateTime (decision D29), the instants `start`/`end` take.
SPEC_INSTANT = load_spec()["components"]["schemas"]["OffsetDateTime"]["pattern"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-08-14T09:00:00+03:00", datetime(2022, 8, 14, 6, 0, tzinfo=UTC)),
        ("2026-03-13T07:00:00.000Z", datetime(2026, 3, 13, 7, 0, tzinfo=UTC)),
        ("2022-07-15T07:27:06.348Z", datetime(2022, 7, 15, 7, 27, 6, 348_000, tzinfo=UTC)),
        ("2022-07-24T10:15:30-05:30", datetime(2022, 7, 24, 15, 45, 30, tzinfo=UTC)),
        ("2022-07-24T10:15+03:00", datetime(2022, 7, 24, 7, 15, tzinfo=UTC)),
        ("2022-07-24t10:15:30z", datetime(2022, 7, 24, 10, 15, 30, tzinfo=UTC)),
        # Java prints up to nine fractional digits; the mock keeps microseconds.
        ("2022-07-24T10:15:30.123456789Z", datetime(2022, 7, 24, 10, 15, 30, 123456, tzinfo=UTC)),
        (" 2022-07-24T10:15:30Z ", datetime(2022, 7, 24, 10, 15, 30, tzinfo=UTC)),
    ],
)
def test_parse_instant_accepted_forms(value: str, expected: datetime) -> None:
    parsed = parse_instant(value, "start")
    assert parsed == expected
    assert parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "value",
    [
        "yesterday",
        "",
        "2022-08-14",
        "2022-08-14T09:00:00",  # no offset: its meaning would be a guess
        "2022-08-14 09:00:00+03:00",
        "2022-13-14T09:00:00Z",
        "2022-02-30T09:00:00Z",
        "2022-08-14T24:00:00Z",
        "2022-08-14T09:00:00+19:00",
        "2022-08-14T09:00:00+0300",
        "2022-08-14T09:00:00Z trailing",
        "1660467600",
        "２０２２-08-14T09:00:00Z",  # full-width digits are not ASCII digits
    ],
)
def test_parse_instant_rejected_forms(value: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_instant(value, "end")
    assert info.value.message.startswith("Query parameter 'end': expected an ISO 8601 date-time")
    assert repr(value) in info.value.message


def test_parse_instant_message_exact() -> None:
    with pytest.raises(InvalidInput) as info:
        parse_instant("yesterday", "start")
    assert info.value.message == (
        "Query parameter 'start': expected an ISO 8601 date-time with offset such as "
        "2022-08-14T09:00:00+03:00, got 'yesterday'"
    )


def test_parse_instant_unencoded_plus_hint() -> None:
    # `?start=2022-08-14T09:00:00+03:00` sent unencoded arrives with a space for the '+'.
    with pytest.raises(InvalidInput) as info:
        parse_instant("2022-08-14T09:00:00 03:00", "start")
    assert "%2B" in info.value.message


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (datetime(2022, 7, 15, 7, 27, 6, 348_000, tzinfo=UTC), "2022-07-15T07:27:06.348Z"),
        (
            datetime(2022, 7, 15, 10, 27, 6, tzinfo=timezone(timedelta(hours=3))),
            "2022-07-15T07:27:06.000Z",
        ),
        # Truncated, not rounded: .3489 is still in millisecond 348.
        (datetime(2022, 7, 15, 7, 27, 6, 348_900, tzinfo=UTC), "2022-07-15T07:27:06.348Z"),
        (datetime(1970, 1, 1, tzinfo=UTC), "1970-01-01T00:00:00.000Z"),
    ],
)
def test_format_instant_utc_milliseconds(instant: datetime, expected: str) -> None:
    assert format_instant(instant) == expected


def test_to_epoch_ms_exact_for_milliseconds() -> None:
    # 1657870026.348 * 1000 is 1657870026347.9998 as a float; the integer path is exact.
    instant = parse_instant("2022-07-15T07:27:06.348Z", "start")
    assert to_epoch_ms(instant) == 1_657_870_026_348


@given(st.integers(min_value=0, max_value=4_102_444_800_000))
def test_format_epoch_ms_round_trip(ms: int) -> None:
    text = format_epoch_ms(ms)
    assert to_epoch_ms(parse_instant(text, "start")) == ms
    assert from_epoch_ms(ms) == parse_instant(text, "start")


def test_window_accepts_ordered_bounds() -> None:
    window = Window.parse("2022-08-14T09:00:00+03:00", "2022-08-15T06:00:00.000Z")
    assert window.seconds == 86_400
    assert window.start_ms == to_epoch_ms(datetime(2022, 8, 14, 6, tzinfo=UTC))
    assert window.end_ms - window.start_ms == 86_400_000


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2022-08-14T09:00:00+03:00", "2022-08-14T06:00:00Z"),  # the same instant
        ("2022-08-15T09:00:00+03:00", "2022-08-14T09:00:00+03:00"),
        ("2022-08-14T06:00:00.0009Z", "2022-08-14T06:00:00.0001Z"),  # the same millisecond
    ],
)
def test_window_empty_or_reversed_holds_nothing(start: str, end: str) -> None:
    window = Window.parse(start, end)
    assert window.is_empty
    assert window.seconds == 0


def test_window_one_millisecond_is_not_empty() -> None:
    window = Window.parse("2022-08-14T06:00:00.000Z", "2022-08-14T06:00:00.001Z")
    assert not window.is_empty
    assert window.seconds == 0.001


def test_window_parse_names_the_bad_parameter() -> None:
    with pytest.raises(InvalidInput) as info:
        Window.parse("2022-08-14T09:00:00+03:00", "tomorrow")
    assert info.value.message.startswith("Query parameter 'end'")


@pytest.mark.parametrize(
    ("value", "expected_ms"),
    [
        ("0000-01-01T00:00:00Z", -62_167_219_200_000),
        ("0000-01-01T00:00:00-18:00", -62_167_154_400_000),
        ("0000-02-29T12:00:00.5+03:00", -62_162_089_199_500),  # year 0 is a leap year
        ("0000-12-31T23:59:59.999Z", -62_135_596_800_001),  # the last millisecond before year 1
        ("0001-01-01T00:00:00+18:00", -62_135_661_600_000),  # in UTC, still year 0
        ("2022-08-14T09:00:00+03:00", 1_660_456_800_000),
        ("9999-12-31T23:59:59-18:00", 253_402_365_599_000),
    ],
)
def test_parse_epoch_ms_exact_in_every_year_java_reads(value: str, expected_ms: int) -> None:
    assert parse_epoch_ms(value, "start") == expected_ms


def test_a_window_from_year_zero_is_as_long_as_java_counts_it() -> None:
    window = Window.parse("0000-01-01T00:00:00Z", "0001-01-01T00:00:00Z")
    assert window.seconds == 366 * 86_400  # 1 BC was a leap year of the proleptic calendar


def test_windows_take_datetimes_and_epoch_milliseconds_alike() -> None:
    start = datetime(2022, 8, 14, 6, tzinfo=UTC)
    assert Window.of(start, to_epoch_ms(start) + 1_000) == Window.parse(
        "2022-08-14T09:00:00+03:00", "2022-08-14T06:00:01Z"
    )


@pytest.mark.parametrize("value", ["0000-02-30T00:00:00Z", "0000-13-01T00:00:00Z"])
def test_parse_epoch_ms_refuses_days_that_do_not_exist_in_year_zero(value: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_epoch_ms(value, "start")
    assert "expected an ISO 8601 date-time" in info.value.message


def test_parse_instant_says_why_it_cannot_hold_year_zero() -> None:
    """The control API's instants (the mock clock, fault windows) are datetimes; year 0000 is
    refused with a reason, not as if it were malformed."""
    with pytest.raises(InvalidInput) as info:
        parse_instant("0000-06-01T00:00:00Z", "now", where="Field")
    assert info.value.message == (
        "Field 'now': '0000-06-01T00:00:00Z' is in year 0000, before the earliest instant the "
        "mock's clock can hold (0001-01-01)"
    )


@given(st.from_regex(SPEC_INSTANT, fullmatch=True))
def test_parse_epoch_ms_agrees_with_the_contract_checks(value: str) -> None:
    """Two implementations of the spec's instants: the mock's (Python's datetime, year 0000
    moved by one Gregorian cycle) and the contract checks' (civil-day arithmetic)."""
    expected = instant_ms(value)
    if expected is None:  # a day the calendar does not have (2022-02-30)
        with pytest.raises(InvalidInput):
            parse_epoch_ms(value, "start")
    else:
        assert parse_epoch_ms(value, "start") == expected
