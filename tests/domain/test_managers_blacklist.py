"""Managers and blacklist rules without HTTP: result codes, atomicity, constraints."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from mock_server.domain.errors import InvalidInput, NotFound
from mock_server.domain.rules.blacklist import Blacklist, parse_msisdn
from mock_server.domain.rules.managers import (
    CUSTOMER_ALREADY_ASSIGNED,
    HANDLING_ALL_EXISTS,
    SUCCESS,
    ManagerService,
)
from mock_server.domain.storage.store import Store
from tests.tenant_files import load_guide

COMPANY = 391


@pytest.fixture
def store() -> Iterator[Store]:
    """The guide's company (its manager 26 holds 79081581621; employee 433)."""
    store = Store()
    load_guide(store)
    yield store
    store.close()


def _body(*numbers: str, handle_all: bool = False, employee: int = 433) -> dict[str, Any]:
    return {
        "employeeId": employee,
        "handleAllCustomers": handle_all,
        "customers": [{"realNumber": n} for n in numbers],
    }


def test_manager_result_codes(store: Store) -> None:
    managers = ManagerService(store)
    assert managers.create(COMPANY, _body("79990000001", handle_all=True)) == SUCCESS
    assert managers.create(COMPANY, _body(handle_all=True)) == HANDLING_ALL_EXISTS
    assert managers.create(COMPANY, _body("79990000001")) == CUSTOMER_ALREADY_ASSIGNED


def test_manager_rules_fail_atomically(store: Store) -> None:
    managers = ManagerService(store)
    before = managers.list(COMPANY)
    assert (
        managers.create(COMPANY, _body("79990000009", "79081581621")) == CUSTOMER_ALREADY_ASSIGNED
    )
    assert managers.list(COMPANY) == before


@pytest.mark.parametrize("second", ["79990000001", " 79990000001 "])
def test_number_twice_in_one_body_is_already_assigned(store: Store, second: str) -> None:
    managers = ManagerService(store)
    before = managers.list(COMPANY)
    result = managers.create(COMPANY, _body("79990000001", second))
    assert result == CUSTOMER_ALREADY_ASSIGNED
    assert managers.list(COMPANY) == before  # nothing saved (spec D30)


def test_unknown_employee_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound, match="Employee 1"):
        ManagerService(store).create(COMPANY, _body(employee=1))


def test_parallel_claims_of_one_customer_give_one_success(store: Store) -> None:
    managers = ManagerService(store)
    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(
            pool.map(lambda _: managers.create(COMPANY, _body("79990000002")), range(20))
        )
    assert results.count(SUCCESS) == 1


def test_the_store_itself_refuses_a_second_manager_handling_all(store: Store) -> None:
    ManagerService(store).create(COMPANY, _body(handle_all=True))
    with pytest.raises(sqlite3.IntegrityError), store.transaction() as conn:
        conn.execute(
            "INSERT INTO managers (company_id, id, employee_id, handle_all_customers) "
            "VALUES (?, 1000, 433, 1)",
            (COMPANY,),
        )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(b"79998887766", "79998887766"), ("  79998887766\r\n", "79998887766")],
)
def test_parse_msisdn_accepts_the_bare_number(raw: bytes | str, expected: str) -> None:
    assert parse_msisdn(raw) == expected


@pytest.mark.parametrize(
    "raw", [b'"79998887766"', b"89998887766", b"\xff", b"", None, "7 999 888 77 66"]
)
def test_parse_msisdn_rejects_everything_else(raw: bytes | str | None) -> None:
    with pytest.raises(InvalidInput, match="7XXXXXXXXXX"):
        parse_msisdn(raw)


def test_blacklist_parallel_adds_give_one_success(store: Store) -> None:
    blacklist = Blacklist(store)
    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(lambda _: blacklist.add(COMPANY, "79995550001"), range(50)))
    assert results.count("SUCCESS") == 1
    assert results.count("DUPLICATE_BLACK_LIST_NUMBER") == 49
