"""The `date-time` format the mock checks parameters against (`mock_server/http/formats.py`)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rfc3339_validator import validate_rfc3339
from starlette.testclient import TestClient

from mock_server.http.app import APP_KINDS, AppKind, create_app
from mock_server.http.formats import PARAMETER_FORMATS, is_date_time
from tests.conftest import CONTROL
from tests.pinned import pinned_config

API = "/crm/openapi"

# Date-time-shaped text, valid or not: any digits in every field, any offset.
_SHAPED = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,4})?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})"
)


@given(st.from_regex(_SHAPED, fullmatch=True))
def test_agrees_with_rfc3339_validator_but_for_year_zero(value: str) -> None:
    """rfc3339-validator is what jsonschema checks `date-time` with when it is installed; the
    mock's check differs from it in year 0000 only."""
    if value.startswith("0000"):
        assert is_date_time(value) == validate_rfc3339("2000" + value[4:].upper())
    else:
        assert is_date_time(value) == validate_rfc3339(value.upper())


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("0000-01-01T00:00:00-18:00", True),
        ("0000-02-29T00:00:00Z", True),  # 1 BC was a leap year
        ("0100-02-29T00:00:00Z", False),  # a century that is not a multiple of 400 is not
        ("0000-02-30T00:00:00Z", False),
        ("2022-08-14T09:00:00+23:59", True),  # RFC 3339 alone; the spec's pattern says ±18:00
        ("2022-08-14T09:00+03:00", False),  # RFC 3339 wants the seconds
        ("2022-08-14T09:00:60Z", False),
        ("2022-08-14 09:00:00Z", False),
        (1660467600, True),  # not a string: formats do not judge other types
    ],
)
def test_edges(value: object, valid: bool) -> None:
    assert is_date_time(value) is valid
    assert PARAMETER_FORMATS.conforms(value, "date-time") is valid


def test_the_other_formats_are_jsonschemas_own() -> None:
    assert PARAMETER_FORMATS.conforms("a@b.ru", "email")
    assert not PARAMETER_FORMATS.conforms("no-at-sign", "email")


@pytest.mark.parametrize("kind", APP_KINDS)
@pytest.mark.parametrize("per_operation", [True, False])
def test_a_window_opening_in_year_zero_is_answered(kind: AppKind, per_operation: bool) -> None:
    """Found by the plain `st run`: `end=0000-01-01T00:00:00-18:00` was 400 "is not a
    'date-time'" though the schema admits it; it is a reversed window, so it holds no call."""
    app = create_app(
        kind=kind,
        config=pinned_config(seed=1, history_days=1, calls_per_day=5),
        per_operation=per_operation,
    )
    with TestClient(app, headers=CONTROL) as http:
        auth = {"Authorization": http.post("/mock/tokens").json()["accessToken"]}
        query = {"start": "2000-01-22T00:10:01Z", "end": "0000-01-01T00:00:00-18:00"}
        page = http.get(API + "/call-records/info", params=query, headers=auth)
        assert (page.status_code, page.json()) == (200, [])
        bad = http.get(
            API + "/call-records/info",
            params={**query, "end": "0000-02-30T00:00:00Z"},
            headers=auth,
        )
        assert bad.status_code == 400
        assert "'end'" in bad.json()["message"]


@pytest.mark.parametrize("per_operation", [True, False])
@pytest.mark.parametrize(
    ("sent", "message"),
    [
        (
            "start=2026-03-01T00:00:00",
            "Query parameter 'start': '2026-03-01T00:00:00' is not a 'date-time': it has no UTC "
            "offset, and one is required: send 2026-03-01T00:00:00+03:00 (Moscow time) or "
            "2026-03-01T00:00:00Z (UTC), with the '+' encoded as %2B in a query string",
        ),
        (
            "start=2026-03-01T00:00:00+03:00",  # the '+' unencoded: a space on arrival
            "Query parameter 'start': '2026-03-01T00:00:00 03:00' is not a 'date-time': its '+' "
            "arrived as a space: in a query string '+' means a space, so send the offset's '+' "
            "encoded as %2B (2026-03-01T00:00:00%2B03:00), or use Z",
        ),
        (  # not a slip these messages know: jsonschema's words alone
            "start=2026-03-01",
            "Query parameter 'start': '2026-03-01' is not a 'date-time'",
        ),
    ],
)
def test_a_date_time_slip_is_explained(per_operation: bool, sent: str, message: str) -> None:
    """A client that sent a naive datetime, or a '+' unencoded, was told only "is not a
    'date-time'"."""
    app = create_app(
        config=pinned_config(seed=1, history_days=1, calls_per_day=5), per_operation=per_operation
    )
    with TestClient(app, headers=CONTROL) as http:
        auth = {"Authorization": http.post("/mock/tokens").json()["accessToken"]}
        answer = http.get(f"{API}/statistics/common?{sent}&end=2026-03-02T00:00:00Z", headers=auth)
        assert answer.status_code == 400
        assert answer.json()["message"] == message
