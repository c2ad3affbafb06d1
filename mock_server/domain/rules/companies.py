"""Which companies the PBX holds, and why one that a request names is not among them.

A company id is handed out once in the life of a state: the store keeps every id the state
has held (`company_ids`, filled by a trigger on `companies`), so a deleted company's id stays
retired until a reset. Nothing kept about a deleted company (a fault rule, a request of the
journal, a token, a poll, in any process) can then be taken for another company's. Asking for
a retired id again is a Conflict; naming a company the PBX does not hold is a NotFound whose
message says whether it never existed or was deleted.
"""

from __future__ import annotations

import sqlite3
from typing import Final, NoReturn

from mock_server.domain.errors import Conflict, NotFound

__all__ = ["MSG_NO_COMPANY", "MSG_RETIRED", "missing", "refuse_retired", "require_company"]

MSG_NO_COMPANY: Final = (
    "Company {company_id} not found: POST /mock/tokens or /mock/companies creates it"
)
MSG_RETIRED: Final = (
    "Company {company_id} was deleted: a company id is used once in the life of the state "
    "(POST /mock/reset starts a new one), so that nothing of the deleted company reaches "
    "another; POST /mock/companies without an id makes a new company"
)


def _held(conn: sqlite3.Connection, company_id: int) -> bool:
    return (
        conn.execute("SELECT 1 FROM company_ids WHERE id = ?", (company_id,)).fetchone() is not None
    )


def missing(conn: sqlite3.Connection, company_id: int) -> NoReturn:
    """Raise NotFound for a company the PBX does not hold, saying whether it was deleted."""
    message = MSG_RETIRED if _held(conn, company_id) else MSG_NO_COMPANY
    raise NotFound(message.format(company_id=company_id))


def require_company(conn: sqlite3.Connection, company_id: int) -> None:
    """NotFound, saying why, unless the PBX holds company `company_id`."""
    if conn.execute("SELECT 1 FROM companies WHERE id = ?", (company_id,)).fetchone() is None:
        missing(conn, company_id)


def refuse_retired(conn: sqlite3.Connection, company_id: int) -> None:
    """Conflict if the state held `company_id` once (call it for an id the PBX does not hold
    now, before creating a company with it)."""
    if _held(conn, company_id):
        raise Conflict(MSG_RETIRED.format(company_id=company_id))
