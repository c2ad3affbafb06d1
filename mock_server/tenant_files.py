"""Tenant files as the mock reads them: JSON or YAML, from a path (`--tenant FILE`) or from bytes
(the control API's bodies), into the document the domain loads (domain/rules/tenant_reader.py).

JSON is read by the domain's streaming reader. YAML is read here, from libyaml's events (C),
one section item at a time as JSON is, with every value's line and column kept for the
problems, and held to JSON's data model:

- anchors and aliases are refused (a "billion laughs" file, nine aliases deep, expands a few
  hundred bytes into gigabytes: refused at its first anchor, with nothing expanded);
- a member named twice, `.nan` and `.inf`, integers of more digits than Python converts,
  nesting deeper than 64 levels and tags beyond YAML's core ones are each a problem where
  they are;
- plain scalars take YAML 1.1's types (a phone number must be quoted: `"79161234567"`, or it
  is a number, which the file's checks then say), but a date or an instant stays the text
  it was written as, and `2:10` is 130 seconds (YAML's base 60, which a scenario's times use).

Which is which: a file (or body) whose first character after whitespace (and a UTF-8 byte
order mark) is `{` is JSON, anything else YAML. JSON is the format for large files: a
100,000-record file loads in about 3 s from JSON, about 10 s from YAML
(scripts/bench_tenant.py, docs/performance.md).
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Final

import yaml

from mock_server.domain.errors import InvalidInput, Problem, pointer_of
from mock_server.domain.pbx import TenantSource
from mock_server.domain.rules.tenant_model import STREAMED
from mock_server.domain.rules.tenant_reader import (
    MAX_DEPTH,
    Item,
    JsonTenantDocument,
    NonFinite,
    Section,
    Span,
    TenantDocument,
    lone_surrogate,
    object_of,
)

__all__ = [
    "YamlTenantDocument",
    "is_json",
    "open_tenant",
    "tenant_document",
    "tenant_source",
]

MSG_UNREADABLE: Final = "--tenant {path}: {reason}"
MSG_ALIAS: Final = (
    "YAML anchors and aliases are not read (&name, *name): write the value out where it is used"
)
MSG_TAG: Final = "the YAML tag {tag} is not read: a tenant file holds JSON's values only"
MSG_KEY: Final = "a member name must be a string, got {what}"
MSG_NOT_YAML: Final = "not YAML: {reason}"
MSG_TOO_DEEP: Final = f"nested deeper than {MAX_DEPTH} levels"
MSG_LONG_NUMBER: Final = "a number of more digits than any field takes"
MSG_NOT_OBJECT: Final = "a tenant file is a JSON object (or a YAML mapping) of sections"

_CORE: Final = "tag:yaml.org,2002:"
_RESOLVER: Final = yaml.resolver.Resolver()
_CONSTRUCTOR: Final = yaml.constructor.SafeConstructor()
_LOADER: Final = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def is_json(head: bytes) -> bool:
    """Whether a file starting with `head` is JSON (its first character is `{`)."""
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def tenant_document(data: bytes, name: str = "request body") -> TenantDocument:
    """The tenant document of `data` (JSON or YAML)."""
    if is_json(data[:4096]):
        return JsonTenantDocument(data.removeprefix(b"\xef\xbb\xbf"), name)
    return YamlTenantDocument(io.BytesIO(data), name)


@contextlib.contextmanager
def open_tenant(path: Path) -> Iterator[TenantDocument]:
    """The tenant file at `path`, read as the loader takes it; InvalidInput naming the file
    if it cannot be opened."""
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise InvalidInput(MSG_UNREADABLE.format(path=path, reason=exc.strerror)) from exc
    with stream:
        head = stream.read(4096)
        stream.seek(0)
        if head.startswith(b"\xef\xbb\xbf"):
            stream.seek(3)
        if is_json(head):
            yield JsonTenantDocument(stream, path.name)
        else:
            yield YamlTenantDocument(stream, path.name)


def tenant_source(path: Path) -> TenantSource:
    """`--tenant FILE`: read once now, to learn the company it names (and to fail at start,
    with every problem, rather than at the first reset); read afresh at every reset."""
    company_id = None
    with open_tenant(path) as document:
        # The large sections stream by unread into memory; the reading stops at `company`.
        for section in document.sections(STREAMED):
            if section.key == "company":
                found = section.value.get("id") if isinstance(section.value, dict) else None
                if isinstance(found, int) and not isinstance(found, bool):
                    company_id = found
                break
    return TenantSource(str(path), company_id, lambda: open_tenant(path))


class _Stop(Exception):
    """The file cannot be read past this point (the problem is recorded)."""


class YamlTenantDocument:
    """A YAML tenant file read from a binary stream, section by section, the streamed
    sections item by item (see the module's docstring)."""

    def __init__(self, stream: IO[bytes], name: str = "tenant file") -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.prefix = ""
        self.envelope: dict[str, Any] = {}
        self._events = yaml.parse(stream, Loader=_LOADER)
        self._base = ""  # the pointer of the value being built (its problems' pointers)
        self._stopped = False  # as in the JSON reader's `_items`

    def _next(self) -> Any:
        try:
            return next(self._events)
        except StopIteration:
            self._problem("", None, "the file ends too early")
            raise _Stop from None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            span = None if mark is None else Span(mark.line + 1, mark.column + 1)
            self._problem("", span, MSG_NOT_YAML.format(reason=exc.problem or exc))
            raise _Stop from exc
        except yaml.YAMLError as exc:
            self._problem("", None, MSG_NOT_YAML.format(reason=exc))
            raise _Stop from exc

    def _problem(self, pointer: str, span: Span | None, message: str) -> None:
        self.problems.append(
            Problem(
                self._base + pointer,
                message,
                None if span is None else span.line,
                None if span is None else span.column,
            )
        )

    def sections(self, streamed: frozenset[str]) -> Iterator[Section]:
        try:
            yield from self._sections(streamed)
        except _Stop:
            return

    def _sections(self, streamed: frozenset[str]) -> Iterator[Section]:
        while True:
            event = self._next()
            if isinstance(event, yaml.DocumentStartEvent | yaml.StreamStartEvent):
                continue
            break
        if isinstance(event, yaml.StreamEndEvent):
            self._problem("", None, MSG_NOT_OBJECT + ", got an empty file")
            return
        if not isinstance(event, yaml.MappingStartEvent):
            self._problem("", _span(event), MSG_NOT_OBJECT)
            return
        self._refuse_anchor(event, "")
        seen: set[str] = set()
        while True:
            event = self._next()
            if isinstance(event, yaml.MappingEndEvent):
                break
            key = self._key(event, "")
            pointer = pointer_of(key)
            if key in seen:
                self._problem(pointer, _span(event), f"member {key!r} is given twice")
            seen.add(key)
            event = self._next()
            span = _span(event)
            if key in streamed and isinstance(
                event, yaml.SequenceStartEvent | yaml.MappingStartEvent
            ):
                self._refuse_anchor(event, pointer)
                items = self._items(event, pointer)
                kind = "array" if isinstance(event, yaml.SequenceStartEvent) else "object"
                yield Section(key, span, items=items, kind=kind)
                for _ in items:
                    pass
                if self._stopped:
                    raise _Stop
            else:
                marks: dict[str, Span] = {}
                self._base = pointer
                value = self._value(event, "", marks, 1)
                self._base = ""
                yield Section(key, span, value=value, _locate=_marked(marks))

    def _items(self, opening: Any, pointer: str) -> Iterator[Item]:
        """A streamed section's items; a problem that stops the reading (recorded) ends
        them, and the sections after (the loader is reading when it is raised)."""
        try:
            yield from self._read_items(opening, pointer)
        except _Stop:
            self._stopped = True

    def _read_items(self, opening: Any, pointer: str) -> Iterator[Item]:
        mapping = isinstance(opening, yaml.MappingStartEvent)
        index = 0
        seen: set[str] = set()
        while True:
            event = self._next()
            if isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                return
            key: int | str = index
            if mapping:
                key = self._key(event, pointer)
                if key in seen:
                    self._problem(
                        pointer + pointer_of(key), _span(event), f"member {key!r} is given twice"
                    )
                seen.add(key)
                event = self._next()
            marks: dict[str, Span] = {}
            self._base = pointer + pointer_of(key)
            value = self._value(event, "", marks, 2)
            self._base = ""
            yield Item(key, value, marks.get(""), _marked(marks))
            index += 1

    def _key(self, event: Any, pointer: str) -> str:
        if not isinstance(event, yaml.ScalarEvent):
            self._problem(pointer, _span(event), MSG_KEY.format(what="a list or a mapping"))
            raise _Stop
        self._refuse_anchor(event, pointer)
        value = self._scalar(event, pointer)
        if not isinstance(value, str):
            self._problem(pointer, _span(event), MSG_KEY.format(what=repr(value)))
            return str(value)
        return value

    def _refuse_anchor(self, event: Any, pointer: str) -> None:
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            self._problem(pointer, _span(event), MSG_ALIAS)
            raise _Stop

    def _value(self, event: Any, pointer: str, marks: dict[str, Span], depth: int) -> Any:
        """The value that starts with `event`, built whole; each part's place in `marks`."""
        self._refuse_anchor(event, pointer)
        marks[pointer] = _span(event) or Span(0, 0)
        if depth > MAX_DEPTH:
            self._problem(pointer, _span(event), MSG_TOO_DEEP)
            raise _Stop
        if isinstance(event, yaml.ScalarEvent):
            return self._scalar(event, pointer)
        if isinstance(event, yaml.SequenceStartEvent):
            self._tag(event, "seq", pointer)
            items: list[Any] = []
            while True:
                inner = self._next()
                if isinstance(inner, yaml.SequenceEndEvent):
                    return items
                items.append(self._value(inner, f"{pointer}/{len(items)}", marks, depth + 1))
        if isinstance(event, yaml.MappingStartEvent):
            self._tag(event, "map", pointer)
            pairs: list[tuple[str, Any]] = []
            while True:
                inner = self._next()
                if isinstance(inner, yaml.MappingEndEvent):
                    break
                key = self._key(inner, pointer)
                member = pointer + pointer_of(key)
                pairs.append((key, self._value(self._next(), member, marks, depth + 1)))
            return object_of(pairs)
        self._problem(pointer, _span(event), MSG_NOT_YAML.format(reason=type(event).__name__))
        raise _Stop

    def _tag(self, event: Any, kind: str, pointer: str) -> None:
        tag = event.tag
        if tag is not None and tag not in ("!", _CORE + kind):
            self._problem(pointer, _span(event), MSG_TAG.format(tag=tag))
            raise _Stop

    def _scalar(self, event: Any, pointer: str) -> Any:
        text: str = event.value
        tag = event.tag
        if tag in (None, "!"):
            if event.style not in (None, "") or tag == "!":
                tag = _CORE + "str"
            else:
                tag = str(_RESOLVER.resolve(yaml.ScalarNode, text, (True, False)))  # type: ignore[no-untyped-call]
        if not tag.startswith(_CORE):
            self._problem(pointer, _span(event), MSG_TAG.format(tag=tag))
            raise _Stop
        kind = tag[len(_CORE) :]
        if kind in ("str", "timestamp"):
            problem = lone_surrogate(text)
            if problem:
                self._problem(pointer, _span(event), problem)
            return text
        node = yaml.ScalarNode(tag, text)
        if kind == "null":
            return None
        if kind == "bool":
            return _CONSTRUCTOR.construct_yaml_bool(node)
        if kind == "int":
            try:
                return _CONSTRUCTOR.construct_yaml_int(node)
            except ValueError as exc:
                self._problem(pointer, _span(event), f"{MSG_LONG_NUMBER} ({exc})")
                raise _Stop from exc
        if kind == "float":
            number = _CONSTRUCTOR.construct_yaml_float(node)
            if number != number or number in (float("inf"), float("-inf")):
                return NonFinite(text)
            return number
        self._problem(pointer, _span(event), MSG_TAG.format(tag=tag))
        raise _Stop


def _span(event: Any) -> Span | None:
    mark = getattr(event, "start_mark", None)
    return None if mark is None else Span(mark.line + 1, mark.column + 1)


def _marked(marks: dict[str, Span]) -> Any:
    def locate(pointer: str) -> Span | None:
        return marks.get(pointer)

    return locate
