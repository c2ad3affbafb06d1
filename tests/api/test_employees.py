"""Employees: realistic, deterministic by seed, some with nothing but their id."""

from __future__ import annotations

import re

from mock_server.domain.pbx import Pbx
from tests.conftest import Api
from tests.pinned import pinned_config


def test_employees_are_realistic(api: Api) -> None:
    employees = api.ok("GET", "/employees")
    assert len(employees) >= 12
    assert any(set(e) == {"employeeId"} for e in employees), "no id-only entry as in the guide"
    full = [e for e in employees if "fullNumber" in e]
    assert all(re.fullmatch(r"7\d{10}", e["fullNumber"]) for e in full)
    assert len({e["fullNumber"] for e in full}) == len(full)
    assert any("@" in e.get("email", "") for e in employees)
    assert any(re.search("[а-яА-Я]", e.get("name", "")) for e in employees)
    assert len({e["employeeId"] for e in employees}) == len(employees)
    assert {
        "employeeId": 433,
        "name": "Артем",
        "fullNumber": "79081560008",
        "email": "asd@asd.ru",
    } in employees


def test_employees_are_deterministic_by_seed() -> None:
    def employees(seed: int, company_id: int) -> list[dict[str, object]]:
        pbx = Pbx(pinned_config(seed=seed, history_days=0))
        try:
            pbx.ensure_company(company_id)
            return pbx.employees.list(company_id)
        finally:
            pbx.close()

    assert employees(7, 500) == employees(7, 500)
    assert employees(7, 500) != employees(8, 500)
    assert employees(7, 500) != employees(7, 501)
