"""Links from the guide's sections, as an advisory names them, into the Swagger UI of the API.

The operator's guide is not online, but the documented API's spec (`GET
/crm/openapi/openapi.json`) quotes its section names: each tag names the sections it covers
(`guide 5.2 «Получение информации о текущих звонках», 5.3 «…»`) and each operation's description
opens with the name of its section («Получение списка записей разговоров»). An advisory names the
sections it rests on the same way (`5.9.1 «Занесение номера в черный список» (decision D14)`).

Each section an advisory names links to the operation whose description opens with the
section's name, else to the tag that names the section (or the nearest section above it: 5.7
for 5.7.1), in the Swagger UI, which opens there by its deep links (`#/Tag/operationId`); a
section that only holds sections the tags name (5 «Методы», all of the operations) links to
the Swagger UI itself. What names no section, or a section the spec does not quote, stays text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote

__all__ = ["GuideIndex", "Part", "sections"]

# A guide section's name in guillemets, which may hold one more pair: «Формат JSON объекта
# «Менеджер»».
_NAME: Final = r"«(?:[^«»]|«[^«»]*»)*»"
# A section: its number, then perhaps its name. Not a number inside a word (`D17`,
# `7XXXXXXXXXX`), nor a bare number without a name (only `4 «Авторизация»` is a section 4).
_REFERENCE: Final = re.compile(
    rf"(?<![\w.])(?P<number>\d+(?:\.\d+)*)(?![\w])(?:\s+(?P<name>{_NAME}))?", re.UNICODE
)
_OPENING_NAME: Final = re.compile(rf"^\s*(?P<name>{_NAME})")
_GUIDE_LIST: Final = re.compile(r"\bguide\s+(?P<list>[^)]*)")
_NUMBER: Final = re.compile(r"(?<![\w.])\d+(?:\.\d+)*(?![\w])")
_HTTP_METHODS: Final = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
SWAGGER_UI: Final = "/crm/openapi/ui/"


def _key(name: str) -> str:
    """A section's name as compared: without its outer guillemets, spaces collapsed, any case."""
    if name.startswith("«") and name.endswith("»"):
        name = name[1:-1]
    return " ".join(name.split()).casefold()


@dataclass(frozen=True, slots=True)
class Part:
    """A piece of a guide reference as shown: text, linked when `href` is set (`title` says
    where the link goes)."""

    text: str
    href: str | None = None
    title: str | None = None


def sections(text: str) -> list[tuple[str, str | None]]:
    """The sections `text` names, in order: (number, name in guillemets or None).

    Example::

        sections("5.9.1 «Занесение номера в черный список» (format 7XXXXXXXXXX); 5.7.1 example")
        # [('5.9.1', '«Занесение номера в черный список»'), ('5.7.1', None)]
    """
    return [(m["number"], m["name"]) for m in _REFERENCE.finditer(text) if _is_section(m)]


def _is_section(match: re.Match[str]) -> bool:
    return "." in match["number"] or match["name"] is not None


class GuideIndex:
    """Where the API's spec quotes each section of the guide, and links into its Swagger UI.

    Example::

        index = GuideIndex.from_spec(spec)  # GET /crm/openapi/openapi.json
        index.parts("4 «Авторизация»")
        # [Part('4 «Авторизация»', '/crm/openapi/ui/#/Authorization', 'Swagger UI: ...')]
    """

    def __init__(
        self,
        operations: Mapping[str, tuple[str, str, str, str]],
        tags: Mapping[str, str],
        ui: str = SWAGGER_UI,
    ) -> None:
        self._operations = dict(operations)  # a section's name -> (tag, operationId, method, path)
        self._tags = dict(tags)  # a section's number -> the tag that names it
        self._ui = ui

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any], ui: str = SWAGGER_UI) -> GuideIndex:
        operations: dict[str, tuple[str, str, str, str]] = {}
        for path, item in (spec.get("paths") or {}).items():
            for method in _HTTP_METHODS:
                operation = item.get(method) if isinstance(item, dict) else None
                if not isinstance(operation, dict) or not operation.get("tags"):
                    continue
                opening = _OPENING_NAME.match(str(operation.get("description", "")))
                if opening and "operationId" in operation:
                    operations.setdefault(
                        _key(opening["name"]),
                        (operation["tags"][0], operation["operationId"], method.upper(), path),
                    )
        tags: dict[str, str] = {}
        for tag in spec.get("tags") or ():
            for listed in _GUIDE_LIST.finditer(str(tag.get("description", ""))):
                unnamed = re.sub(_NAME, "", listed["list"])  # «Click 2 call» names no section 2
                for number in _NUMBER.findall(unnamed):
                    tags.setdefault(number, tag["name"])
        return cls(operations, tags, ui)

    def link(self, number: str, name: str | None) -> Part | None:
        """Where the section is quoted: its operation, else the tag naming it or a section
        above it, else the whole UI for a section holding sections the tags name; None when
        the spec names none of them."""
        text = number if name is None else f"{number} {name}"
        operation = None if name is None else self._operations.get(_key(name))
        if operation is not None:
            tag, operation_id, method, path = operation
            return Part(
                text,
                f"{self._ui}#/{quote(tag)}/{quote(operation_id)}",
                f"Swagger UI: {method} {path}, «{tag}»",
            )
        parts = number.split(".")
        for depth in range(len(parts), 0, -1):
            tag_name = self._tags.get(".".join(parts[:depth]))
            if tag_name is not None:
                return Part(text, f"{self._ui}#/{quote(tag_name)}", f"Swagger UI: «{tag_name}»")
        if any(tagged.startswith(number + ".") for tagged in self._tags):
            return Part(text, self._ui, "Swagger UI: every operation")
        return None

    def parts(self, text: str) -> list[Part]:
        """`text` (an advisory's `guide`) in pieces, each section it names linked where the
        spec quotes it."""
        pieces: list[Part] = []
        at = 0
        for match in _REFERENCE.finditer(text):
            if not _is_section(match):
                continue
            link = self.link(match["number"], match["name"])
            if link is None:
                continue
            if match.start() > at:
                pieces.append(Part(text[at : match.start()]))
            pieces.append(link)
            at = match.end()
        if at < len(text):
            pieces.append(Part(text[at:]))
        return pieces
