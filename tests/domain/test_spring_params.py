"""`page`, `size` and `sort` as the Spring service reads them, without HTTP (spec D17, D23)."""

from __future__ import annotations

import pytest

from mock_server.domain.errors import InvalidInput
from mock_server.domain.rules.paging import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    PageRequest,
    page_request,
)
from mock_server.domain.rules.sorting import Order, parse_sort

FIELDS = ("date", "callType", "callStatus")


@pytest.mark.parametrize(
    ("page", "size", "expected"),
    [
        (None, None, PageRequest(0, DEFAULT_PAGE_SIZE)),
        (3, 50, PageRequest(3, 50)),
        (-1, 10, PageRequest(0, 10)),
        (-(2**31), 10, PageRequest(0, 10)),
        (0, 0, PageRequest(0, DEFAULT_PAGE_SIZE)),
        (0, -7, PageRequest(0, DEFAULT_PAGE_SIZE)),
        (0, 2000, PageRequest(0, 2000)),
        (0, 2001, PageRequest(0, MAX_PAGE_SIZE)),
        (7, 2**31 - 1, PageRequest(7, MAX_PAGE_SIZE)),
        (2**31 - 1, 1, PageRequest(2**31 - 1, 1)),
    ],
)
def test_page_request_as_spring_data(
    page: int | None, size: int | None, expected: PageRequest
) -> None:
    assert page_request(page, size) == expected


def test_page_request_offset() -> None:
    assert page_request(3, 50).offset == 150


@pytest.mark.parametrize(
    ("page", "size", "name"),
    [(2**31, None, "page"), (None, -(2**31) - 1, "size"), (True, None, "page"), (0, "5", "size")],
)
def test_page_request_refuses_what_is_not_int32(page: object, size: object, name: str) -> None:
    with pytest.raises(InvalidInput) as info:
        page_request(page, size)  # type: ignore[arg-type]
    assert info.value.message.startswith(f"Query parameter '{name}'")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ("date,DESC", (Order("date", True),)),
        ("callType", (Order("callType"),)),
        ("callType,asc", (Order("callType"),)),
        ("date,callType,DESC", (Order("date", True), Order("callType", True))),
        (["date,DESC", "callType"], (Order("date", True), Order("callType"))),
        (
            ["callStatus,Desc", "date,callType"],
            (Order("callStatus", True), Order("date"), Order("callType")),
        ),
        ("date,,callType", (Order("date"), Order("callType"))),
        (" date , DESC ", (Order("date", True),)),
    ],
)
def test_parse_sort_spring_syntax(values: str | list[str], expected: tuple[Order, ...]) -> None:
    assert parse_sort(values, FIELDS) == expected


@pytest.mark.parametrize("values", [None, [], "", "DESC", "asc", ",", [",DESC", ""]])
def test_parse_sort_without_a_property_is_the_default(values: str | list[str] | None) -> None:
    assert parse_sort(values, FIELDS) == (Order("date"),)
    assert parse_sort(values, FIELDS, default=(Order("callType", True),)) == (
        Order("callType", True),
    )


@pytest.mark.parametrize(
    ("values", "unknown"),
    [("uuid", "uuid"), ("date,UP", "UP"), ("DESC,date", "DESC"), (["date", "Date"], "Date")],
)
def test_parse_sort_unknown_property_is_named(values: str | list[str], unknown: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_sort(values, FIELDS)
    assert f"no property {unknown!r}" in info.value.message
    assert "date, callType, callStatus" in info.value.message
