"""The company's employees (PBX numbers), as GET /employees lists them."""

from __future__ import annotations

from typing import Any

from mock_server.domain.storage.store import Store

__all__ = ["EmployeeDirectory"]

_FIELDS = (
    ("employeeId", "employee_id"),
    ("name", "name"),
    ("surname", "surname"),
    ("fullNumber", "full_number"),
    ("shortNumber", "short_number"),
    ("groupName", "group_name"),
    ("email", "email"),
)

_KEYS = tuple(key for key, _ in _FIELDS)


class EmployeeDirectory:
    def __init__(self, store: Store) -> None:
        self._store = store

    def list(self, company_id: int) -> list[dict[str, Any]]:
        """Every employee; fields the PBX does not know are left out, as the guide shows."""
        cursor = self._store.read().cursor()
        cursor.row_factory = None  # plain tuples: a Row looks its columns up by name
        rows = cursor.execute(
            f"SELECT {', '.join(column for _, column in _FIELDS)} "
            "FROM employees WHERE company_id = ? ORDER BY employee_id",
            (company_id,),
        ).fetchall()
        return [
            {key: value for key, value in zip(_KEYS, row, strict=True) if value is not None}
            for row in rows
        ]

    def by_full_number(self, company_id: int, full_number: str) -> dict[str, Any] | None:
        row = (
            self._store.read()
            .execute(
                "SELECT employee_id, name, surname, full_number, short_number "
                "FROM employees WHERE company_id = ? AND full_number = ?",
                (company_id, full_number),
            )
            .fetchone()
        )
        return None if row is None else dict(row)

    def exists(self, company_id: int, employee_id: int) -> bool:
        row = (
            self._store.read()
            .execute(
                "SELECT 1 FROM employees WHERE company_id = ? AND employee_id = ?",
                (company_id, employee_id),
            )
            .fetchone()
        )
        return row is not None
