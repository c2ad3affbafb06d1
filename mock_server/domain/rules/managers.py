"""Personal managers («персональный менеджер») and their customers.

Rules, each also a constraint of the store so that concurrent writers cannot break them:
- at most one manager of a company has `handleAllCustomers=true`
  (else `MANAGER_HANDLING_ALL_CUSTOMERS_ALREADY_EXISTS`);
- a customer number belongs to at most one manager of the company
  (else `CUSTOMER_ALREADY_ASSIGNED`), and to one customer: a body naming a number twice is
  `CUSTOMER_ALREADY_ASSIGNED` too (spec D30);
- when a rule fails nothing is saved.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from mock_server.domain.errors import InvalidInput, NotFound
from mock_server.domain.rules.numbers import strip_blank
from mock_server.domain.storage.store import Store, next_id

__all__ = [
    "CUSTOMER_ALREADY_ASSIGNED",
    "HANDLING_ALL_EXISTS",
    "INT64_MAX",
    "INT64_MIN",
    "SUCCESS",
    "ManagerService",
    "check_int64",
]

SUCCESS = "SUCCESS"
HANDLING_ALL_EXISTS = "MANAGER_HANDLING_ALL_CUSTOMERS_ALREADY_EXISTS"
CUSTOMER_ALREADY_ASSIGNED = "CUSTOMER_ALREADY_ASSIGNED"

MSG_NO_ID = "Field 'id' is missing: PUT /managers takes the id of the manager to change"
MSG_NOT_INT64 = "{where}: expected a 64-bit integer (format int64), got {value!r}"
INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
# The integer fields of ManagerInput and CustomerInput (all `format: int64` in the spec).
_MANAGER_INTEGERS = ("id", "employeeId", "companyId")
_CUSTOMER_INTEGERS = ("id", "clientId", "companyId")
MSG_MANAGER_NOT_FOUND = "Manager {id} not found"
MSG_EMPLOYEE_NOT_FOUND = "Employee {id} is not an employee of this company (see GET /employees)"


class ManagerService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def list(self, company_id: int) -> list[dict[str, Any]]:
        return _managers(self._store.read(), company_id, None)

    def get(self, company_id: int, manager_id: int) -> dict[str, Any]:
        check_int64(manager_id, "Path parameter 'id'")
        found = _managers(self._store.read(), company_id, manager_id)
        if not found:
            raise NotFound(MSG_MANAGER_NOT_FOUND.format(id=manager_id))
        return found[0]

    def create(self, company_id: int, body: Mapping[str, Any]) -> str:
        """Save a new manager; the body's `id` and `companyId` are ignored (spec D6, D8)."""
        _check_body_integers(body)
        customers = _customers(body)
        with self._store.transaction() as conn:
            self._check_employee(conn, company_id, body)
            conflict = self._conflict(conn, company_id, None, body, customers)
            if conflict:
                return conflict
            manager_id = next_id(conn, "managers")
            conn.execute(
                "INSERT INTO managers (company_id, id, employee_id, name, handle_all_customers) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    company_id,
                    manager_id,
                    body["employeeId"],
                    body.get("name"),
                    int(bool(body.get("handleAllCustomers"))),
                ),
            )
            self._insert_customers(conn, company_id, manager_id, customers, keep_ids=set())
        return SUCCESS

    def update(self, company_id: int, body: Mapping[str, Any]) -> str:
        """Replace the manager named by `id` (404 when missing or unknown, spec D9)."""
        _check_body_integers(body)
        manager_id = body.get("id")
        if manager_id is None:
            raise NotFound(MSG_NO_ID)
        customers = _customers(body)
        with self._store.transaction() as conn:
            self._find(conn, company_id, manager_id)
            self._check_employee(conn, company_id, body)
            conflict = self._conflict(conn, company_id, manager_id, body, customers)
            if conflict:
                return conflict
            own_ids = {
                r[0]
                for r in conn.execute(
                    "SELECT id FROM customers WHERE company_id = ? AND manager_id = ?",
                    (company_id, manager_id),
                )
            }
            conn.execute(
                "DELETE FROM customers WHERE company_id = ? AND manager_id = ?",
                (company_id, manager_id),
            )
            conn.execute(
                "UPDATE managers SET employee_id = ?, name = ?, handle_all_customers = ? "
                "WHERE company_id = ? AND id = ?",
                (
                    body["employeeId"],
                    body.get("name"),
                    int(bool(body.get("handleAllCustomers"))),
                    company_id,
                    manager_id,
                ),
            )
            self._insert_customers(conn, company_id, manager_id, customers, keep_ids=own_ids)
        return SUCCESS

    def delete(self, company_id: int, manager_id: int) -> None:
        check_int64(manager_id, "Path parameter 'id'")
        with self._store.transaction() as conn:
            deleted = conn.execute(
                "DELETE FROM managers WHERE company_id = ? AND id = ?", (company_id, manager_id)
            ).rowcount
        if not deleted:
            raise NotFound(MSG_MANAGER_NOT_FOUND.format(id=manager_id))

    @staticmethod
    def _find(conn: sqlite3.Connection, company_id: int, manager_id: int) -> sqlite3.Row:
        row: sqlite3.Row | None = conn.execute(
            "SELECT * FROM managers WHERE company_id = ? AND id = ?", (company_id, manager_id)
        ).fetchone()
        if row is None:
            raise NotFound(MSG_MANAGER_NOT_FOUND.format(id=manager_id))
        return row

    @staticmethod
    def _check_employee(conn: sqlite3.Connection, company_id: int, body: Mapping[str, Any]) -> None:
        employee_id = body.get("employeeId")
        if employee_id is None:
            raise InvalidInput("Request body: field 'employeeId' is required")
        found = conn.execute(
            "SELECT 1 FROM employees WHERE company_id = ? AND employee_id = ?",
            (company_id, employee_id),
        ).fetchone()
        if found is None:
            raise NotFound(MSG_EMPLOYEE_NOT_FOUND.format(id=employee_id))

    @staticmethod
    def _conflict(
        conn: sqlite3.Connection,
        company_id: int,
        manager_id: int | None,
        body: Mapping[str, Any],
        customers: Sequence[Mapping[str, Any]],
    ) -> str | None:
        other = -1 if manager_id is None else manager_id
        if body.get("handleAllCustomers"):
            taken = conn.execute(
                "SELECT 1 FROM managers WHERE company_id = ? AND handle_all_customers = 1 "
                "AND id != ?",
                (company_id, other),
            ).fetchone()
            if taken:
                return HANDLING_ALL_EXISTS
        numbers = [c["realNumber"] for c in customers]
        if len(set(numbers)) < len(numbers):
            return CUSTOMER_ALREADY_ASSIGNED
        if numbers:
            marks = ",".join("?" * len(numbers))
            taken = conn.execute(
                f"SELECT 1 FROM customers WHERE company_id = ? AND manager_id != ? "
                f"AND real_number IN ({marks}) LIMIT 1",
                (company_id, other, *numbers),
            ).fetchone()
            if taken:
                return CUSTOMER_ALREADY_ASSIGNED
        return None

    @staticmethod
    def _insert_customers(
        conn: sqlite3.Connection,
        company_id: int,
        manager_id: int,
        customers: Iterable[Mapping[str, Any]],
        keep_ids: set[int],
    ) -> None:
        rows, kept = [], set()
        for position, customer in enumerate(customers):
            customer_id = customer.get("id")
            keep = customer_id in keep_ids and customer_id not in kept
            if keep:
                kept.add(customer_id)
            rows.append(
                (
                    customer_id if keep else None,
                    manager_id,
                    company_id,
                    position,
                    customer["realNumber"],
                    customer.get("companyName"),
                    customer.get("info"),
                    int(bool(customer.get("isVip"))),
                    customer.get("name"),
                )
            )
        # Kept ids first: a new customer takes the id above the largest in the table, which,
        # with this manager's customers just deleted, may be one that a later one keeps.
        rows.sort(key=lambda row: row[0] is None)
        for row in rows:
            given = row[0] if row[0] is not None else next_id(conn, "customers")
            conn.execute(
                "INSERT INTO customers (id, manager_id, company_id, position, real_number, "
                "company_name, info, is_vip, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (given, *row[1:]),
            )


def _managers(
    conn: sqlite3.Connection, company_id: int, manager_id: int | None
) -> list[dict[str, Any]]:
    """The company's managers (or the one with `manager_id`) with their customers, in two
    queries whatever their number."""
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples: a Row looks its columns up by name
    only = "" if manager_id is None else " AND id = ?"
    params = (company_id,) if manager_id is None else (company_id, manager_id)
    managers = cursor.execute(
        "SELECT id, employee_id, company_id, name, handle_all_customers FROM managers "
        f"WHERE company_id = ?{only} ORDER BY id",
        params,
    ).fetchall()
    if not managers:
        return []
    customers: dict[int, list[dict[str, Any]]] = {row[0]: [] for row in managers}
    only = "" if manager_id is None else " AND manager_id = ?"
    for owner, customer_id, number, company_name, info, is_vip, name in cursor.execute(
        "SELECT manager_id, id, real_number, company_name, info, is_vip, name "
        f"FROM customers WHERE company_id = ?{only} ORDER BY manager_id, position",
        params,
    ):
        customer: dict[str, Any] = {"id": customer_id, "realNumber": number}
        if company_name is not None:
            customer["companyName"] = company_name
        if info is not None:
            customer["info"] = info
        customer["isVip"] = bool(is_vip)
        if name is not None:
            customer["name"] = name
        customers[owner].append(customer)
    found = []
    for manager_id_, employee_id, company, name, handle_all in managers:
        manager: dict[str, Any] = {
            "id": manager_id_,
            "employeeId": employee_id,
            "companyId": company,
        }
        if name is not None:
            manager["name"] = name
        manager["customers"] = customers[manager_id_]
        manager["handleAllCustomers"] = bool(handle_all)
        found.append(manager)
    return found


def check_int64(value: object, where: str) -> None:
    """400 for an integer the spec's `format: int64` does not admit (SQLite would overflow)."""
    if isinstance(value, int) and not isinstance(value, bool) and INT64_MIN <= value <= INT64_MAX:
        return
    raise InvalidInput(MSG_NOT_INT64.format(where=where, value=value))


def _check_body_integers(body: Mapping[str, Any]) -> None:
    for name in _MANAGER_INTEGERS:
        if body.get(name) is not None:
            check_int64(body[name], f"Request body: field '{name}'")
    for index, customer in enumerate(body.get("customers") or []):
        if not isinstance(customer, Mapping):
            continue
        for name in _CUSTOMER_INTEGERS:
            if customer.get(name) is not None:
                check_int64(customer[name], f"Request body: field 'customers[{index}].{name}'")


def _customers(body: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The body's customers with `realNumber` stripped; a blank number is refused (the spec's
    pattern says so too)."""
    customers = list(body.get("customers") or [])
    cleaned: list[Mapping[str, Any]] = []
    for index, customer in enumerate(customers):
        number = strip_blank(str(customer.get("realNumber") or ""))
        if not number:
            raise InvalidInput(f"Request body: customers[{index}].realNumber is required")
        cleaned.append({**customer, "realNumber": number})
    return cleaned
