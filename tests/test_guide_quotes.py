"""Every decision's `guide` evidence quotes what the guide really says, where it says it.

Each `guide` evidence names sections of the guide (`5.7.1: ...`) and quotes it: «...» for its
words, backticks for its code (a curl option, a JSON fragment, a parameter). Each quote must be
in one of the sections the evidence names (whitespace aside: the guide's lines break anywhere;
case aside only for a section's heading, which the guide prints in upper case). `...` in a quote
leaves text out: each piece around it must be there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.guide_file import KEPT_GUIDE, Guide, load_guide, shared_guide
from tests.spec_utils import load_spec

__all__ = ["quotes"]

_ELISION = re.compile(r"\.\.\.|…")


def quotes(where: str) -> list[str]:
    """The «...» quotes (outermost; a quote may hold «nested» ones) and `code` spans of
    `where`, in order."""
    found = [match.group(1) for match in re.finditer(r"`([^`]+)`", where)]
    depth, start = 0, 0
    for index, char in enumerate(where):
        if char == "«":
            if depth == 0:
                start = index + 1
            depth += 1
        elif char == "»" and depth:
            depth -= 1
            if depth == 0:
                found.append(where[start:index])
    assert depth == 0, f"unbalanced «» in {where!r}"
    return found


def _guide_evidence() -> Iterator[tuple[str, str]]:
    for decision in load_spec()["x-decisions"]:
        for item in decision["evidence"]:
            if item["source"] == "guide":
                yield decision["id"], item["where"]


def _missing(guide: Guide, where: str) -> list[str]:
    sections = guide.named_in(where) or list(guide.sections.values())
    missing = []
    for quote in quotes(where):
        for piece in filter(None, (part.strip() for part in _ELISION.split(quote))):
            if not any(section.contains(piece) for section in sections):
                missing.append(piece)
    return missing


_EVIDENCE = list(_guide_evidence())


@pytest.mark.parametrize(
    ("decision", "where"), _EVIDENCE, ids=[f"{d}-{i}" for i, (d, _) in enumerate(_EVIDENCE)]
)
def test_guide_evidence_quotes_the_sections_it_names(decision: str, where: str) -> None:
    guide = load_guide()
    assert guide.named_in(where), f"{decision}: {where!r} names no section of the guide"
    assert quotes(where), f"{decision}: {where!r} quotes nothing the guide says"
    missing = _missing(guide, where)
    assert not missing, f"{decision}: not in sections {where.split(':')[0]!r}: {missing}"


def test_quotes_are_the_marked_spans_nested_ones_whole() -> None:
    where = "5.10.1 «Формат JSON объекта «Менеджер»»: `isVip` against «isVIP»"
    assert quotes(where) == ["isVip", "Формат JSON объекта «Менеджер»", "isVIP"]


@pytest.mark.parametrize(
    ("where", "missing"),
    [
        # Found: whitespace aside, across the guide's line breaks and page furniture.
        ("5.7.1: «Запрос работает для всех вариаций»", []),
        ("5.7.1: `call-records/info?callee=89056678798&is_recorded=true`", []),
        ("5.6.1 «Получение общей статистики»", []),  # a heading, in its case
        ("5.8 «на персонального менеджера (выделенного сотрудника)»", []),  # two lines
        ("5.7.2 and 5.7.3 (`2022-07-15%2F...`, `2022-08-19%252F...`)", []),
        # Not found: invented words, a case the guide does not write, the wrong section.
        (
            "5.6.1, 5.7.1: «начало/конец временного интервала»",
            ["начало/конец временного интервала"],
        ),
        ("5.9.4: `isVip`", ["isVip"]),
        (
            "5.9.2: «Метод возвращает: SUCCESS - успешное занесение»",
            ["Метод возвращает: SUCCESS - успешное занесение"],
        ),
        ("5.7.1: «DUPLICATE_BLACK_LIST_NUMBER»", ["DUPLICATE_BLACK_LIST_NUMBER"]),
        ("5.7.1: `2022-07-15%2F...`, `2023-01-01...`", ["2022-07-15%2F", "2023-01-01"]),
    ],
)
def test_a_quote_is_found_only_where_the_guide_has_it(where: str, missing: list[str]) -> None:
    assert _missing(load_guide(), where) == missing


def test_sections_are_read_from_the_guide_with_their_subsections() -> None:
    guide = load_guide()
    assert guide.sections["5.6"].heading == "СТАТИСТИКА"
    assert guide.sections["5.6"].contains("Пример ответа")  # in 5.6.1, a subsection
    assert not guide.sections["5.6.1"].contains("numberOfSuccessCalls")  # 5.6.2's
    assert not guide.sections["4"].contains("СТР. 4 из 31"), "page furniture is not text"
    assert [s.number for s in guide.named_in("5.8.4, 5.8.5: an unknown id answers HTTP 404")] == [
        "5.8.4",
        "5.8.5",
    ]


def test_the_kept_guide_is_the_workplaces_guide() -> None:
    """The repository's copy is the guide itself: byte for byte the workplace's copy when one
    is beside the checkout, and in any case a guide with the sections the spec cites."""
    kept = KEPT_GUIDE.read_bytes()
    shared = shared_guide()
    if shared is not None:
        assert kept == shared.read_bytes(), f"{KEPT_GUIDE} differs from {shared}: copy it again"
    assert {"4", "5.6.1", "5.6.2", "5.7.1", "5.9.1"} <= set(load_guide().sections)
