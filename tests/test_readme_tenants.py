"""The README's tenant file examples ("A company from your data") load, and do what the README
says they do: the small file's company, records and recording; the scenario's queue wait,
answer, transfer and a caller who gives up."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from mock_server.domain.pbx import Pbx
from mock_server.tenant_files import tenant_document
from tests.pinned import PINNED_NOW, pinned_config

README = Path(__file__).resolve().parents[1] / "README.md"


def _examples() -> list[str]:
    """The YAML blocks of the README's section on tenant files."""
    text = README.read_text(encoding="utf-8")
    section = text.split("### A company from your data", 1)[1].split("\n### ", 1)[0]
    return re.findall(r"```yaml\n(.*?)```", section, re.DOTALL)


@pytest.fixture
def pbx() -> Iterator[Pbx]:
    pbx = Pbx(pinned_config(history_days=0))
    yield pbx
    pbx.close()


def test_the_readme_shows_two_tenant_files() -> None:
    assert len(_examples()) == 2


def test_the_small_tenant_file_loads(pbx: Pbx) -> None:
    loaded = pbx.load_tenant(tenant_document(_examples()[0].encode(), "README"))
    company = loaded.company_id
    assert [e["name"] for e in pbx.employees.list(company)] == ["Анна", "Борис"]
    start = PINNED_NOW - timedelta(days=30)
    (record,) = pbx.journal.records(company, start, PINNED_NOW)
    name = record["recordFileName"]
    words = [w["word"] for w in pbx.journal.transcript(company, name)]
    assert words[:2] == ["компания", "ромашка"]


def test_the_scenario_plays_as_the_readme_says(pbx: Pbx) -> None:
    company = pbx.load_tenant(tenant_document(_examples()[1].encode(), "README")).company_id

    def at(seconds: float) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        now = PINNED_NOW + timedelta(seconds=seconds)
        return pbx.calls.pending(company, now), pbx.calls.current(company, now)

    assert at(0) == ([], [])
    assert at(10)[0] == [{"queueName": "Продажи", "calls": ["79001234567"]}]
    assert at(30)[1][0]["calledNumberFull"] == "79160000002"  # Борис
    assert at(70)[1][0]["calledNumberFull"] == "79160000001"  # passed to Анна
    assert at(150) == ([], [])
    assert at(185)[1][0]["callerNumberFull"] == "79007654321"  # Анна's phone rings
    pbx.advance_clock(300, company_id=company)
    records = pbx.journal.records(company, PINNED_NOW, PINNED_NOW + timedelta(minutes=10))
    assert [(r["calleeNumber"], r["callStatus"]) for r in records] == [
        ("79160000001", "ANSWERED_BY_NO_ANSWER_FORWARD_CLIENT"),
        ("79160000001", "NOT_ANSWERED_COMMON"),
    ]
