"""The guide's sections an advisory names, linked into the Swagger UI where the spec quotes them;
and the console's words for every advisory code the control API has."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from mock_server.console.double_text import ADVISORY_TITLES
from mock_server.console.guide import GuideIndex, Part, sections
from mock_server.domain.double.advisories import ADVISORIES
from mock_server.specs import ADMIN_SPEC, API_SPEC, spec_path


def _load(name: str) -> dict[str, Any]:
    with spec_path(name).open(encoding="utf-8") as file:
        spec: dict[str, Any] = yaml.safe_load(file)
    return spec


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return _load(API_SPEC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4 «Авторизация»", [("4", "«Авторизация»")]),
        (
            "5.10.1 «Формат JSON объекта «Менеджер»»",
            [("5.10.1", "«Формат JSON объекта «Менеджер»»")],
        ),
        (
            "5.9.1 «Занесение номера в черный список» (format 7XXXXXXXXXX); 5.7.1 example",
            [("5.9.1", "«Занесение номера в черный список»"), ("5.7.1", None)],
        ),
        (
            "5.7.1 «Получение списка записей разговоров» (decision D17)",
            [("5.7.1", "«Получение списка записей разговоров»")],
        ),
        ("size above 2000, 79998887766", []),
    ],
)
def test_the_sections_a_text_names(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert sections(text) == expected


def test_a_section_links_to_its_operation_else_to_the_tag_that_names_it(
    spec: dict[str, Any],
) -> None:
    index = GuideIndex.from_spec(spec)
    text = "5.9.1 «Занесение номера в черный список» (format 7XXXXXXXXXX); 5.7.1 example"
    assert index.parts(text) == [
        Part(
            "5.9.1 «Занесение номера в черный список»",
            "/crm/openapi/ui/#/Blacklist/addToBlacklist",
            "Swagger UI: POST /blacklist, «Blacklist»",
        ),
        Part(" (format 7XXXXXXXXXX); "),
        Part("5.7.1", "/crm/openapi/ui/#/Call%20records", "Swagger UI: «Call records»"),
        Part(" example"),
    ]
    assert index.parts("5.5 «Click 2 call»")[0].href == "/crm/openapi/ui/#/Click-to-call"
    assert index.link("2", "«Неизвестно»") is None, "«Click 2 call» names no section 2"
    assert index.parts("11.2 «Приложение»") == [Part("11.2 «Приложение»")]


@pytest.mark.parametrize("code", sorted(ADVISORIES))
def test_every_section_an_advisory_names_is_linked_to_what_the_spec_has(
    spec: dict[str, Any], code: str
) -> None:
    index = GuideIndex.from_spec(spec)
    guide = ADVISORIES[code].guide
    named = sections(guide)
    links = [part for part in index.parts(guide) if part.href]
    assert len(links) == len(named) >= 1, index.parts(guide)
    tags = {tag["name"] for tag in spec["tags"]}
    operations = {
        (operation["tags"][0], operation["operationId"])
        for item in spec["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    }
    for link in links:
        assert link.href is not None
        if link.href == "/crm/openapi/ui/":  # a section holding sections the tags name (5)
            number = link.text.split()[0] + "."
            assert any(number in tag["description"] for tag in spec["tags"]), link
            continue
        target = link.href.removeprefix("/crm/openapi/ui/#/").replace("%20", " ").split("/")
        assert target[0] in tags, link
        if len(target) == 2:
            assert tuple(target) in operations, link


def test_the_console_names_every_advisory_code_of_the_control_api() -> None:
    codes = _load(ADMIN_SPEC)["components"]["schemas"]["AdvisoryCode"]["enum"]
    assert sorted(ADVISORY_TITLES) == sorted(codes) == sorted(ADVISORIES)
