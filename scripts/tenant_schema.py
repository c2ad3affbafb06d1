"""Write openapi/tele2-ats-tenant.schema.json, the tenant file's JSON Schema, from the control
API's spec (its one source: `TenantFile` and what it refers to in openapi/mock-admin.yaml).

    .venv/bin/python scripts/tenant_schema.py          # rewrite the file
    .venv/bin/python scripts/tenant_schema.py --check  # exit 1 if it is out of date

The file is JSON Schema draft-07, for editors and validators that read no OpenAPI (a YAML file
starting `# yaml-language-server: $schema=.../tele2-ats-tenant.schema.json` is checked as it
is typed). The OpenAPI 3.0 schemas become draft-07's: `#/components/schemas/X` references
`#/definitions/X`, and `example`s and `x-` members are left out (3.0's schema object is a
subset of draft-04/07, so nothing else changes meaning). A test (tests/test_tenant_schema.py)
fails when the file differs from what this script writes; the wheel carries it beside the
specs.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import yaml

__all__ = ["OUT", "ROOT", "SPEC", "render", "tenant_schema"]

ROOT: Final = Path(__file__).resolve().parents[1]
SPEC: Final = ROOT / "openapi" / "mock-admin.yaml"
OUT: Final = ROOT / "openapi" / "tele2-ats-tenant.schema.json"
ROOT_SCHEMA: Final = "TenantFile"
_PREFIX: Final = "#/components/schemas/"
_DROPPED: Final = ("example",)


def _refs(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, Mapping):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_PREFIX):
            found.add(ref[len(_PREFIX) :])
        for value in node.values():
            found |= _refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= _refs(value)
    return found


def _converted(node: Any) -> Any:
    if isinstance(node, Mapping):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in _DROPPED or str(key).startswith("x-"):
                continue
            if key == "$ref" and isinstance(value, str) and value.startswith(_PREFIX):
                out[key] = "#/definitions/" + value[len(_PREFIX) :]
            elif key == "nullable":
                continue  # the tenant's schemas have none; a nullable one would need a type list
            else:
                out[key] = _converted(value)
        return out
    if isinstance(node, list):
        return [_converted(value) for value in node]
    return node


def tenant_schema(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON Schema of the tenant file, from the control API's spec."""
    schemas = spec["components"]["schemas"]
    wanted = {ROOT_SCHEMA}
    todo = [ROOT_SCHEMA]
    while todo:
        for name in sorted(_refs(schemas[todo.pop()]) - wanted):
            wanted.add(name)
            todo.append(name)
    root = _converted(schemas[ROOT_SCHEMA])
    definitions = {name: _converted(schemas[name]) for name in sorted(wanted - {ROOT_SCHEMA})}
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$comment": "Written by scripts/tenant_schema.py from openapi/mock-admin.yaml",
        **root,
        "definitions": definitions,
    }


def render(spec: Mapping[str, Any]) -> str:
    return json.dumps(tenant_schema(spec), ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    args = parser.parse_args(argv)
    wanted = render(yaml.safe_load(SPEC.read_text(encoding="utf-8")))
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.is_file() else ""
        if current != wanted:
            print(f"{OUT.relative_to(ROOT)} is out of date: run scripts/tenant_schema.py")
            return 1
        return 0
    OUT.write_text(wanted, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
