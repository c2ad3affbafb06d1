"""What a new version of an OpenAPI spec breaks for those who call the API as the old one said.

    python scripts/spec_breaking.py OLD.yaml NEW.yaml     # exit 1 and one line per break

A change breaks a caller when a request that was valid stops being valid, or an answer the
caller read stops saying what it said:
- an operation removed, a request or answer media type removed, a success status removed;
- a parameter removed, made required, or added as required; a request body made required;
- in what callers send (parameters, request bodies): a field removed, made required, a type
  changed, an enum value removed, `nullable` dropped, a bound made stricter (`maxLength`,
  `maximum`, `maxItems` lower or new; `minLength`, `minimum`, `minItems` higher or new;
  `pattern` new or changed, `exclusiveMinimum`/`exclusiveMaximum` new);
- in what callers read (answers): a field removed or no longer required, a type changed,
  `nullable` added, an enum value added (a generated client refuses a value its enum does not
  know).

Anything else (a new operation, an optional parameter or field, a looser bound, new text) is
compatible. `make release-check` (scripts/release_check.py) requires a major version for a
break, compared with the spec of the last release. `$ref`s are followed within each document.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

__all__ = ["breaking_changes"]

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Bounds that a caller's value must stay under, and over.
_UPPER = ("maxLength", "maximum", "maxItems", "maxProperties")
_LOWER = ("minLength", "minimum", "minItems", "minProperties")


class _Doc:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec

    def resolve(self, node: Any) -> Any:
        seen: set[str] = set()
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if ref in seen or not ref.startswith("#/"):
                return {}
            seen.add(ref)
            target: Any = self.spec
            for part in ref.removeprefix("#/").split("/"):
                target = target.get(part.replace("~1", "/").replace("~0", "~"), {})
            node = target
        return node if isinstance(node, dict) else {}


def breaking_changes(old_spec: dict[str, Any], new_spec: dict[str, Any]) -> list[str]:
    """One line per break, `METHOD /path: what`, in the old spec's order."""
    old, new = _Doc(old_spec), _Doc(new_spec)
    found: list[str] = []
    new_paths = new_spec.get("paths") or {}
    for path, old_item in (old_spec.get("paths") or {}).items():
        new_item = new_paths.get(path) or {}
        for method in METHODS:
            if method not in old_item:
                continue
            where = f"{method.upper()} {path}"
            if method not in new_item:
                found.append(f"{where}: operation removed")
                continue
            shared = old_item.get("parameters", []), new_item.get("parameters", [])
            found += [
                f"{where}: {text}"
                for text in _operation(old, new, old_item[method], new_item[method], shared)
            ]
    return found


def _operation(
    old: _Doc,
    new: _Doc,
    was: dict[str, Any],
    now: dict[str, Any],
    shared: tuple[list[Any], list[Any]],
) -> Iterator[str]:
    yield from _parameters(old, new, [*shared[0], *was.get("parameters", [])], now, shared[1])
    yield from _request_body(old, new, was.get("requestBody"), now.get("requestBody"))
    new_responses = now.get("responses") or {}
    for status, old_response in (was.get("responses") or {}).items():
        if status not in new_responses:
            if str(status).startswith("2"):
                yield f"answer {status} removed"
            continue
        was_content = old.resolve(old_response).get("content") or {}
        now_content = new.resolve(new_responses[status]).get("content") or {}
        for media, body in was_content.items():
            if media not in now_content:
                yield f"answer {status} {media} removed"
                continue
            yield from _schema(
                old,
                new,
                body.get("schema"),
                now_content[media].get("schema"),
                f"answer {status}",
                reading=True,
            )


def _parameters(
    old: _Doc, new: _Doc, was: list[Any], now: dict[str, Any], shared: list[Any]
) -> Iterator[str]:
    def keyed(doc: _Doc, items: list[Any]) -> dict[tuple[str, str], dict[str, Any]]:
        resolved = (doc.resolve(item) for item in items)
        return {(p.get("in", ""), p.get("name", "")): p for p in resolved}

    before = keyed(old, was)
    after = keyed(new, [*shared, *now.get("parameters", [])])
    for key, parameter in before.items():
        name = f"parameter {key[0]}.{key[1]}"
        if key not in after:
            yield f"{name} removed"
            continue
        if after[key].get("required") and not parameter.get("required"):
            yield f"{name} made required"
        yield from _schema(
            old, new, parameter.get("schema"), after[key].get("schema"), name, reading=False
        )
    for key, parameter in after.items():
        if key not in before and parameter.get("required"):
            yield f"parameter {key[0]}.{key[1]} added as required"


def _request_body(old: _Doc, new: _Doc, was: Any, now: Any) -> Iterator[str]:
    if now is None:
        return
    before, after = old.resolve(was), new.resolve(now)
    if after.get("required") and not before.get("required"):
        yield "request body made required"
    after_content = after.get("content") or {}
    for media, body in (before.get("content") or {}).items():
        if media not in after_content:
            yield f"request body {media} removed"
            continue
        yield from _schema(
            old,
            new,
            body.get("schema"),
            after_content[media].get("schema"),
            "request body",
            reading=False,
        )


def _schema(
    old: _Doc,
    new: _Doc,
    was: Any,
    now: Any,
    where: str,
    *,
    reading: bool,
    depth: int = 0,
) -> Iterator[str]:
    """Breaks between two schemas of one value: `reading` for what callers read (answers),
    else for what they send."""
    if was is None or now is None or depth > 32:
        return
    before, after = old.resolve(was), new.resolve(now)
    if before.get("type") != after.get("type") and after.get("type") is not None:
        yield f"{where}: type {before.get('type')} became {after.get('type')}"
        return
    yield from _enum(before.get("enum"), after.get("enum"), where, reading=reading)
    if reading and after.get("nullable") and not before.get("nullable"):
        yield f"{where}: may now be null"
    if not reading:
        if before.get("nullable") and not after.get("nullable"):
            yield f"{where}: may no longer be null"
        yield from _bounds(before, after, where)
    required_before, required_after = (
        set(before.get("required", [])),
        set(after.get("required", [])),
    )
    properties_after = after.get("properties") or {}
    for name, schema in (before.get("properties") or {}).items():
        field = f"{where}: field {name}"
        if name not in properties_after:
            yield f"{field} removed"
            continue
        if reading and name in required_before and name not in required_after:
            yield f"{field} no longer required"
        if not reading and name in required_after and name not in required_before:
            yield f"{field} made required"
        yield from _schema(
            old,
            new,
            schema,
            properties_after[name],
            f"{where}.{name}",
            reading=reading,
            depth=depth + 1,
        )
    if not reading:
        for name in sorted(required_after - required_before - set(before.get("properties") or {})):
            yield f"{where}: field {name} added as required"
    yield from _schema(
        old,
        new,
        before.get("items"),
        after.get("items"),
        f"{where}[]",
        reading=reading,
        depth=depth + 1,
    )
    for keyword in ("allOf", "oneOf", "anyOf"):
        for index, (a, b) in enumerate(
            zip(before.get(keyword, []), after.get(keyword, []), strict=False)
        ):
            yield from _schema(
                old, new, a, b, f"{where}.{keyword}[{index}]", reading=reading, depth=depth + 1
            )


def _enum(was: Any, now: Any, where: str, *, reading: bool) -> Iterator[str]:
    if now is None:
        return
    before = [] if was is None else list(was)
    if reading:
        added = [value for value in now if value not in before] if was is not None else []
        if added:
            yield f"{where}: enum value(s) {added!r} added"
    else:
        removed = [value for value in before if value not in now]
        if was is None:
            yield f"{where}: values limited to {list(now)!r}"
        elif removed:
            yield f"{where}: enum value(s) {removed!r} removed"


def _bounds(before: dict[str, Any], after: dict[str, Any], where: str) -> Iterator[str]:
    for keyword in _UPPER:
        if keyword in after and (keyword not in before or after[keyword] < before[keyword]):
            yield f"{where}: {keyword} {before.get(keyword)} became {after[keyword]}"
    for keyword in _LOWER:
        if keyword in after and (keyword not in before or after[keyword] > before[keyword]):
            yield f"{where}: {keyword} {before.get(keyword)} became {after[keyword]}"
    for keyword in ("pattern", "format"):
        if keyword in after and after[keyword] != before.get(keyword):
            yield f"{where}: {keyword} {before.get(keyword)!r} became {after[keyword]!r}"
    for keyword in ("exclusiveMinimum", "exclusiveMaximum"):
        if after.get(keyword) and not before.get(keyword):
            yield f"{where}: {keyword} added"
    if (
        after.get("additionalProperties") is False
        and before.get("additionalProperties") is not False
    ):
        yield f"{where}: additional fields now refused"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path, help="the spec of the last release")
    parser.add_argument("new", type=Path, help="the spec now")
    args = parser.parse_args()
    found = breaking_changes(
        *(yaml.safe_load(p.read_text(encoding="utf-8")) for p in (args.old, args.new))
    )
    for line in found:
        print(line)
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
