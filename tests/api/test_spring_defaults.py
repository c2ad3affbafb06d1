"""Where the guide is silent the wire behaves as the Spring service does (spec D17-D31)."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import Api, issue

WINDOW = {"start": "2020-01-01T00:00:00Z", "end": "2100-01-01T00:00:00Z"}


def _records(api: Api, *params: tuple[str, Any]) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = api.ok("GET", "/call-records/info", params=list(params))
    return records


def _window(**extra: Any) -> list[tuple[str, Any]]:
    return [*WINDOW.items(), *extra.items()]


@pytest.mark.parametrize(
    ("asked", "served"),
    [
        ({"page": -3, "size": 5}, {"page": 0, "size": 5}),
        ({"size": 0}, {"size": 10}),
        ({"size": -1}, {"size": 10}),
        ({"size": 5000}, {"size": 2000}),
    ],
)
def test_paging_is_corrected_silently(
    api: Api, asked: dict[str, int], served: dict[str, int]
) -> None:
    assert _records(api, *_window(**asked)) == _records(api, *_window(**served))


def test_size_is_capped_at_2000(client: TestClient) -> None:
    # Enough calls for more than one full page: 2000 answered, the rest on the next page.
    reset = client.post("/mock/reset", json={"historyDays": 30, "callsPerDay": 120})
    assert reset.status_code == 200, reset.text
    fresh = Api(client, issue(client)["accessToken"])
    first = _records(fresh, *_window(size=5000))
    assert len(first) == 2000
    assert _records(fresh, *_window(size=2000, page=1))


def test_sort_by_several_properties_in_one_value_and_repeated(api: Api) -> None:
    one_value = _records(api, *_window(size=2000), ("sort", "callType,callDuration,DESC"))
    keys = [(r["callType"], r["callDuration"]) for r in one_value]
    assert keys == sorted(keys, reverse=True)
    repeated = _records(
        api, *_window(size=2000), ("sort", "callType,DESC"), ("sort", "callDuration,DESC")
    )
    assert repeated == one_value


def test_sort_by_unknown_property_is_400_naming_it(api: Api) -> None:
    response = api.get("/call-records/info", params=_window(sort="date,colour,DESC"))
    assert response.status_code == 400, response.text
    assert "'sort'" in response.json()["message"]


@pytest.mark.parametrize("path", ["/call-records/info", "/statistics/journal"])
@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2026-01-02T00:00:00Z", "2026-01-01T00:00:00Z"),
        ("2026-01-01T03:00:00+03:00", "2026-01-01T00:00:00Z"),
    ],
)
def test_reversed_or_empty_window_is_empty_not_an_error(
    api: Api, path: str, start: str, end: str
) -> None:
    answer = api.ok("GET", path, params={"start": start, "end": end})
    if path == "/call-records/info":
        assert answer == []
    else:
        assert answer["numberOfCalls"] == answer["numberOfSuccessCalls"] == 0


def test_statistics_of_an_empty_window_are_zero(api: Api) -> None:
    instant = "2026-01-01T00:00:00Z"
    figures = api.ok("GET", "/statistics/common", params={"start": instant, "end": instant})
    assert all(value == 0 for value in figures.values()), figures


def test_offsets_beyond_18_hours_are_400(api: Api) -> None:
    response = api.get(
        "/call-records/info",
        params={"start": "2026-01-01T00:00:00+19:00", "end": WINDOW["end"]},
    )
    assert response.status_code == 400, response.text
    assert "'start'" in response.json()["message"]


@pytest.mark.parametrize("form", ["8{rest}", "+7{rest}"])
def test_caller_and_callee_in_8_and_plus7_forms_match_the_7_form(api: Api, form: str) -> None:
    record = _records(api, *_window(size=1, sort="date,DESC"))[0]
    for name, number in (("caller", record["callerNumber"]), ("callee", record["calleeNumber"])):
        assert number.startswith("7")
        as_written = form.format(rest=number[1:])
        assert _records(api, *_window(size=2000), (name, as_written)) == _records(
            api, *_window(size=2000), (name, number)
        )


def test_empty_caller_is_no_filter(api: Api) -> None:
    assert _records(api, *_window(size=50), ("caller", "")) == _records(api, *_window(size=50))


def test_click_to_call_from_the_8_form_of_an_employee(api: Api) -> None:
    response = api.request(
        "POST", "/call/outgoing", params={"source": "89026840778", "destination": "89533933557"}
    )
    assert response.status_code == 200, response.text
    live = api.ok("GET", "/monitoring/calls")
    assert any(c["callerNumberFull"] == "79026840778" for c in live), live


@pytest.mark.parametrize(
    ("method", "path", "params"),
    [
        ("POST", "/call/outgoing", {"source": "79026840778", "destination": "79533933557"}),
        ("DELETE", "/managers/26", None),
    ],
)
def test_answers_without_body_have_no_content_type(
    api: Api, method: str, path: str, params: dict[str, str] | None
) -> None:
    response = api.request(method, path, params=params)
    assert response.status_code == 200, response.text
    assert response.content == b""
    assert "content-type" not in response.headers


def test_manager_id_sent_on_create_is_ignored(api: Api) -> None:
    body = {"id": 45, "employeeId": 433, "customers": [{"realNumber": "79990001234", "id": 1}]}
    assert api.ok("POST", "/managers", json=body) == "SUCCESS"
    created = next(m for m in api.ok("GET", "/managers") if m["employeeId"] == 433)
    assert created["id"] != 45
    assert api.request("GET", "/managers/45").status_code == 404


def test_customer_number_twice_in_one_body_is_already_assigned(api: Api) -> None:
    body = {
        "employeeId": 433,
        "customers": [{"realNumber": "79990001234"}, {"realNumber": "79990001234 "}],
    }
    before = api.ok("GET", "/managers")
    assert api.ok("POST", "/managers", json=body) == "CUSTOMER_ALREADY_ASSIGNED"
    assert api.ok("GET", "/managers") == before


def test_blank_customer_number_is_400(api: Api) -> None:
    body = {"employeeId": 433, "customers": [{"realNumber": "   "}]}
    response = api.request("POST", "/managers", json=body)
    assert response.status_code == 400, response.text
    assert "realNumber" in response.json()["message"]


@pytest.mark.parametrize("filename", ["", "2022-02-30/165787002922476116"])
def test_recording_name_of_the_documented_shape_that_names_nothing_is_404(
    api: Api, filename: str
) -> None:
    for path in ("/call-records/file", "/call-records/file/stt"):
        response = api.get(path, params={"filename": filename})
        assert response.status_code == 404, response.text


@pytest.mark.parametrize("company_id", ["391", "392", "1"])
def test_company_id_of_the_uri_template_is_taken_and_ignored(api: Api, company_id: str) -> None:
    # D45: 5.7.1's URI template names company_id; the calls are the token's company's whatever
    # it says (before, a mismatch earned a guide-labelled UNKNOWN_QUERY_PARAMETER only).
    assert _records(api, *_window(size=20, company_id=company_id)) == _records(
        api, *_window(size=20)
    )


@pytest.mark.parametrize("company_id", ["many", "1.5", "9" * 20])
def test_company_id_that_is_no_64_bit_integer_is_400(api: Api, company_id: str) -> None:
    response = api.get("/call-records/info", params=_window(company_id=company_id))
    assert response.status_code == 400, response.text
    assert "company_id" in response.json()["message"]


def test_journal_statistics_name_a_number_only_when_one_was_asked(api: Api) -> None:
    # D16: the guide's sample shows "7XXXXXXXXXX" for a request without number, a placeholder
    # of a template (its timestamps are from 2017); the mock leaves the field out.
    whole = api.ok("GET", "/statistics/journal", params=WINDOW)
    assert set(whole) == {"startTimestamp", "endTimestamp", "numberOfCalls", "numberOfSuccessCalls"}
    one = api.ok("GET", "/statistics/journal", params={**WINDOW, "number": "79056678798"})
    assert one["number"] == "79056678798"


def test_the_guides_5_6_2_request_is_answered_for_its_own_window(api: Api) -> None:
    # D51: the guide's sample answers this request with 2017's timestamps and a placeholder
    # number; the mock echoes the window asked for and leaves the number out (D16).
    window = {"start": "2022-07-24T10:15:30+03:00", "end": "2022-07-26T10:15:30+03:00"}
    answer = api.ok("GET", "/statistics/journal", params=window)
    assert (answer["startTimestamp"], answer["endTimestamp"]) == (1658646930, 1658819730)
    assert "number" not in answer
