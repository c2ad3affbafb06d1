"""The operator's guide as a text the tests can search: its sections, with page furniture gone.

The guide (`tele2-ats-crm-api-guide.ru.txt`) is the project's first source. A copy is kept in
`reference/` so that `make test` reads it on any machine; `TELE2_ATS_GUIDE` names another copy,
and where the workplace's own (`shared/reference/` beside the checkout or one of its parents)
is found, a test holds the kept copy to it byte for byte.

Its text is a PDF's: lines broken anywhere (inside words, numbers and URLs), headings in upper
case, and a page's furniture («СТР. 4 из 31») between any two lines. `squash` takes every kind
of whitespace out, so a phrase is found whatever the line breaks did to it.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from tests.spec_utils import ROOT

__all__ = [
    "Guide",
    "GuideSection",
    "guide_path",
    "load_guide",
    "shared_guide",
    "squash",
    "statistics_sample",
]

GUIDE_NAME = "tele2-ats-crm-api-guide.ru.txt"
GUIDE_ENV = "TELE2_ATS_GUIDE"
KEPT_GUIDE = ROOT / "reference" / GUIDE_NAME
_STATISTICS_REQUEST = re.compile(r"/statistics/common\?start=([^&']+)&end=([^&']+)'")
_FURNITURE = re.compile(r"^\s*СТР\.\s*\d+\s+из\s+\d+\s*$")
# A numbered heading: `5.6.1 ПОЛУЧЕНИЕ ОБЩЕЙ СТАТИСТИКИ` (upper case, as the guide prints them).
_HEADING = re.compile(r"^\s*(\d+(?:\.\d+)*)\s+(\S.*?)\s*$")
_LETTER = re.compile(r"[^\W\d_]")


def squash(text: str) -> str:
    """`text` without any whitespace (line breaks, spaces, no-break spaces)."""
    return "".join(text.split())


def shared_guide() -> Path | None:
    """The workplace's copy of the guide, when there is one beside the checkout."""
    for folder in (ROOT, *ROOT.parents):
        candidate = folder / "shared" / "reference" / GUIDE_NAME
        if candidate.is_file():
            return candidate
    return None


def guide_path() -> Path:
    """`TELE2_ATS_GUIDE`, else the copy kept in the repository."""
    named = os.environ.get(GUIDE_ENV)
    return Path(named) if named else KEPT_GUIDE


def _is_upper_text(text: str) -> bool:
    return bool(_LETTER.search(text)) and text.upper() == text


@dataclass(frozen=True, slots=True)
class GuideSection:
    number: str  # "5.6.1"
    heading: str  # "ПОЛУЧЕНИЕ ОБЩЕЙ СТАТИСТИКИ"
    text: str  # the section's text, its subsections' included, furniture removed

    def contains(self, phrase: str) -> bool:
        """Whether the phrase is in the section's text (whitespace aside, case kept), or in
        its heading (whitespace and case aside: the guide prints headings in upper case)."""
        return squash(phrase) in squash(self.text) or (
            squash(phrase).casefold() in squash(self.heading).casefold()
        )


@dataclass(frozen=True, slots=True)
class Guide:
    sections: dict[str, GuideSection]

    def named_in(self, text: str) -> list[GuideSection]:
        """The sections whose numbers `text` names (`5.6.1, 5.6.2 and 4: ...`); numbers that
        are no section's (`403`, `45`) are not section numbers."""
        numbers = re.findall(r"(?<![\w.%/-])\d+(?:\.\d+)*(?![\w%/-]|\.\d)", text)
        return [self.sections[number] for number in numbers if number in self.sections]


@cache
def load_guide() -> Guide:
    lines = [
        line
        for line in guide_path().read_text(encoding="utf-8").splitlines()
        if not _FURNITURE.match(line)
    ]
    starts: list[tuple[int, str, str]] = []  # (line index, number, heading)
    for index, line in enumerate(lines):
        match = _HEADING.match(line)
        if match and _is_upper_text(match.group(2)):
            heading = match.group(2)
            following = next((rest for rest in lines[index + 1 :] if rest.strip()), "")
            if _is_upper_text(following.strip()) and not _HEADING.match(following):
                heading += " " + following.strip()  # 5.8's heading takes two lines
            starts.append((index, match.group(1), heading))
    sections = {}
    for position, (index, number, heading) in enumerate(starts):
        # A section runs to the next heading that is not one of its subsections.
        end = next(
            (
                later
                for later, other, _ in starts[position + 1 :]
                if not other.startswith(number + ".")
            ),
            len(lines),
        )
        sections[number] = GuideSection(number, heading, "\n".join(lines[index:end]))
    return Guide(sections)


def statistics_sample() -> tuple[str, str, dict[str, Any]]:
    """(start, end) of 5.6.1's example request and its sample answer, from the guide."""
    text = load_guide().sections["5.6.1"].text
    request = _STATISTICS_REQUEST.search(squash(text))
    assert request is not None, "5.6.1 has no example request"
    answer = text.split("Пример ответа", 1)[1]
    body = answer[answer.index("{") : answer.index("}") + 1]
    return unquote(request.group(1)), unquote(request.group(2)), json.loads(body)
