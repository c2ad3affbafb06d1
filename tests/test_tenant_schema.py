"""The tenant file's one schema, and the domain's checks of it, say the same.

`TenantFile` in openapi/mock-admin.yaml is the source; openapi/tele2-ats-tenant.schema.json is
what scripts/tenant_schema.py writes from it; the domain checks files by hand
(domain/rules/tenant_model.py, fast enough for a million records) with rules a test must hold
to the schema: field by field (type, required, bounds, lengths, patterns, choices, most
items), and by verdict over a corpus of files each broken in one field (the schema refuses
the file exactly when the domain finds a problem of the schema's).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from jsonschema import Draft7Validator, FormatChecker

from mock_server.domain.rules import tenant_model
from mock_server.domain.rules.tenant_model import Field, Problems, read_tenant
from tests.file_modules import load_file_module
from tests.spec_utils import ADMIN_SPEC_PATH, SPEC_PATH, load_spec
from tests.tenant_files import document

tenant_schema = load_file_module(SPEC_PATH.parents[1] / "scripts" / "tenant_schema.py")
PUBLISHED = tenant_schema.OUT
GUIDE = SPEC_PATH.parents[1] / "mock_server" / "tenants" / "guide-391.json"

# The domain's rule tables and the schema each mirrors.
TABLES: dict[str, Mapping[str, Field]] = {
    "TenantCompany": tenant_model.COMPANY,
    "TenantUser": tenant_model.USER,
    "TenantGenerate": tenant_model.GENERATE,
    "TenantHistory": tenant_model.HISTORY,
    "TenantEmployee": tenant_model.EMPLOYEE,
    "TenantQueue": tenant_model.QUEUE,
    "TenantCustomer": tenant_model.CUSTOMER,
    "TenantManager": tenant_model.MANAGER,
    "TenantBlacklistEntry": tenant_model.BLACKLIST_ENTRY,
    "TenantCallRecord": tenant_model.CALL_RECORD,
    "TenantSentence": tenant_model.SENTENCE,
    "TenantTransfer": tenant_model.TRANSFER,
    "TenantScenarioCall": tenant_model.SCENARIO_CALL,
}
_KINDS = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean"}
PROBES = [
    "",
    "a",
    "7",
    "79161234567",
    "89161234567",
    "0440",
    "+79161234567",
    "12",
    "abc\x00",
    "a\nb",
    "x\x7f",
    "2026-03-13/1",
    "2026-03-13/mo_12",
    "2026-3-13/1",
    "привет",
    "1" * 20,
    "2022-07-15T07:27:06.348Z",
    "2022-07-15T07:27Z",
    "12:30",
    "-1:02:03.5",
    "ANSWERED_X",
]


def _schemas() -> dict[str, Any]:
    return load_spec(ADMIN_SPEC_PATH)["components"]["schemas"]  # type: ignore[no-any-return]


def _resolved(node: Mapping[str, Any]) -> Mapping[str, Any]:
    """A property's schema, its `$ref` (or a lone `allOf`'s) followed."""
    schemas = _schemas()
    while True:
        if "$ref" in node:
            node = schemas[node["$ref"].rsplit("/", 1)[1]]
        elif "allOf" in node and len(node["allOf"]) == 1 and "type" not in node:
            node = node["allOf"][0]
        else:
            return node


def test_the_published_schema_is_what_the_script_writes() -> None:
    wanted = tenant_schema.render(load_spec(ADMIN_SPEC_PATH))
    assert PUBLISHED.read_text(encoding="utf-8") == wanted, (
        "openapi/tele2-ats-tenant.schema.json is out of date: run scripts/tenant_schema.py"
    )
    Draft7Validator.check_schema(json.loads(wanted))


def test_the_guides_file_keeps_the_schema() -> None:
    validator = Draft7Validator(json.loads(PUBLISHED.read_text()), format_checker=FormatChecker())
    assert list(validator.iter_errors(json.loads(GUIDE.read_text()))) == []


@pytest.mark.parametrize("name", sorted(TABLES))
def test_each_field_rule_is_the_schemas(name: str) -> None:
    schema = _schemas()[name]
    table = TABLES[name]
    assert set(table) == set(schema["properties"]), name
    assert schema.get("additionalProperties") is False
    assert {k for k, f in table.items() if f.required} == set(schema.get("required", []))
    for key, rule in table.items():
        prop = _resolved(schema["properties"][key])
        where = f"{name}.{key}"
        if rule.kind == "offset":
            assert schema["properties"][key] == {"$ref": "#/components/schemas/TenantOffset"}
            continue
        assert prop.get("type") == ({"object": "object", "array": "array"} | _KINDS)[rule.kind]
        assert prop.get("minimum") == rule.low, where
        assert prop.get("maximum") == rule.high, where
        assert prop.get("maxLength") == rule.max_length, where
        assert prop.get("minLength", 0) == rule.min_length, where
        assert tuple(prop.get("enum", ())) == rule.choices, where
        if rule.pattern is None:
            assert "pattern" not in prop, where
        else:
            theirs = re.compile(prop["pattern"])
            for probe in PROBES:
                assert bool(theirs.search(probe)) == bool(rule.pattern.fullmatch(probe)), (
                    where,
                    probe,
                )


def test_each_sections_most_items_is_the_schemas() -> None:
    root = _schemas()["TenantFile"]
    assert set(tenant_model.SECTIONS) == set(root["properties"])
    for key, (shape, _, limit) in tenant_model.SECTIONS.items():
        prop = root["properties"][key]
        if shape == "array":
            assert prop["maxItems"] == limit, key
        elif shape == "map":
            assert prop["maxProperties"] == limit, key


def test_a_call_record_is_the_documented_apis() -> None:
    api = load_spec()["components"]["schemas"]
    theirs, mine = api["CallRecord"], _schemas()["TenantCallRecord"]
    assert set(theirs["properties"]) == set(mine["properties"])
    assert set(theirs["required"]) == set(mine["required"])
    assert api["CallType"]["enum"] == mine["properties"]["callType"]["enum"]
    assert api["CallStatus"]["enum"] == mine["properties"]["callStatus"]["enum"]


# -- verdicts ----------------------------------------------------------------------------------

BASE: dict[str, Any] = {
    "format": "tele2-ats-tenant/1",
    "company": {"id": 4000, "name": "ООО «Ромашка»", "mainNumber": "74951234567"},
    "users": [{"userId": 400001, "login": "admin"}],
    "generate": {
        "seed": 3,
        "employees": 2,
        "blacklist": True,
        "managers": False,
        "history": {"days": 1, "callsPerDay": 5},
    },
    "employees": [
        {
            "employeeId": 1,
            "name": "Анна",
            "surname": "Иванова",
            "fullNumber": "79160000001",
            "shortNumber": "101",
            "groupName": "Продажи",
            "email": "anna@example.ru",
        }
    ],
    "queues": [{"name": "Продажи", "members": [1]}],
    "managers": [
        {
            "id": 7,
            "employeeId": 1,
            "companyId": 4000,
            "name": "Анна",
            "customers": [
                {
                    "id": 70,
                    "realNumber": "79001112233",
                    "companyName": "ООО",
                    "info": "оптовик",
                    "isVip": True,
                    "name": "Пётр",
                }
            ],
            "handleAllCustomers": False,
        }
    ],
    "blacklist": [{"id": 9, "number": "79002223344", "sourceType": "FILE"}],
    "callRecords": [
        {
            "date": "2026-03-03T10:00:00.000Z",
            "callType": "SINGLE_CHANNEL",
            "destinationNumber": "79160000001",
            "callerNumber": "79001234567",
            "callerName": "Пётр",
            "calleeNumber": "79160000001",
            "calleeName": "Анна",
            "callDuration": 30,
            "conversationDuration": 20,
            "callStatus": "ANSWERED_COMMON",
            "recordFileName": "2026-03-03/1",
            "uuid": "u-1",
        }
    ],
    "recordings": {"2026-03-03/1": {"sentences": [{"channel": "B", "text": "алло", "at": 1}]}},
    "scenario": [
        {
            "at": 5,
            "from": "79001234567",
            "queue": "Продажи",
            "answeredBy": "101",
            "answerAt": 25,
            "ringSeconds": 2,
            "transfers": [{"at": 40, "to": "101"}],
            "hangupAt": "1:10",
            "hungUpBy": "caller",
            "status": "ANSWERED_COMMON",
            "uuid": "s-1",
            "recordFileName": "2026-03-04/5",
        }
    ],
}
# Where each table's object sits in BASE.
PLACES: dict[str, tuple[Any, ...]] = {
    "TenantCompany": ("company",),
    "TenantUser": ("users", 0),
    "TenantGenerate": ("generate",),
    "TenantHistory": ("generate", "history"),
    "TenantEmployee": ("employees", 0),
    "TenantQueue": ("queues", 0),
    "TenantCustomer": ("managers", 0, "customers", 0),
    "TenantManager": ("managers", 0),
    "TenantBlacklistEntry": ("blacklist", 0),
    "TenantCallRecord": ("callRecords", 0),
    "TenantSentence": ("recordings", "2026-03-03/1", "sentences", 0),
    "TenantTransfer": ("scenario", 0, "transfers", 0),
    "TenantScenarioCall": ("scenario", 0),
}


def _values(rule: Field) -> Iterator[Any]:
    """Values that break `rule` or sit at its edges."""
    yield None
    yield [] if rule.kind != "array" else {}
    yield "7" if rule.kind != "string" else 7
    yield True if rule.kind != "boolean" else "true"
    if rule.low is not None:
        yield rule.low
        yield rule.low - 1
    if rule.high is not None:
        yield rule.high
        yield rule.high + 1
    if rule.kind == "integer":
        yield 1.5
    if rule.max_length is not None:
        yield "1" * rule.max_length
        yield "1" * (rule.max_length + 1)
    if rule.min_length:
        yield ""
    if rule.kind == "string":
        yield "a\x00b"
        yield from PROBES
    if rule.choices:
        yield rule.choices[-1]
        yield rule.choices[0].lower()
    if rule.kind == "offset":
        yield from (-86400, -86401, 31622400, 31622401, "2:10", "99:99", "-0:05", "1:2")


def _cases() -> Iterator[tuple[str, Any]]:
    yield "base", BASE
    for name, table in TABLES.items():
        place = PLACES[name]
        for key, rule in table.items():
            for value in _values(rule):
                case = copy.deepcopy(BASE)
                target = case
                for step in place:
                    target = target[step]
                target[key] = value
                yield f"{name}.{key}={value!r:.30}", case
            if rule.required:
                case = copy.deepcopy(BASE)
                target = case
                for step in place:
                    target = target[step]
                del target[key]
                yield f"{name}.{key} missing", case
        case = copy.deepcopy(BASE)
        target = case
        for step in place:
            target = target[step]
        target["unknown"] = 1
        yield f"{name} with an unknown member", case


CASES = list(_cases())


@pytest.mark.parametrize(("label", "tenant"), CASES, ids=[label for label, _ in CASES])
def test_the_schema_refuses_a_file_exactly_when_the_domain_finds_a_schema_problem(
    label: str, tenant: dict[str, Any]
) -> None:
    validator = Draft7Validator(json.loads(PUBLISHED.read_text()), format_checker=FormatChecker())
    refused = list(validator.iter_errors(tenant))
    problems = Problems("case")
    read_tenant(document(tenant), problems, lambda *_: None, lambda *_: None)
    assert bool(refused) == problems.schema, (
        label,
        [e.message for e in refused][:3],
        [str(p) for p in problems.kept][:3],
    )
