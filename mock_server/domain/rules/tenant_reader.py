"""A tenant file as the loader reads it: its sections in the order written, the large ones one
item at a time, each with where it stands in the file.

A tenant file (`tenant_model.py`) is a JSON object (or YAML mapping) of sections. The loader
asks for the sections one by one (`TenantDocument.sections`); a section it names as streamed
(`callRecords`, `recordings`, every list) comes as its items, read from the file as the loader
takes them, so that a file of a million call records is never held whole in memory: the
loader checks each item and stages it in the store before the next is read. Every other
section comes as one value.

`JsonTenantDocument` reads JSON from bytes or a binary file, a chunk at a time, with the
standard library's decoder (one C call per item). It is strict JSON, as the control API's
bodies are (`http/json_body.py`): `NaN` and `Infinity`, integers of more digits than Python
converts, nesting past `MAX_DEPTH`, a member named twice in one object and half a UTF-16
surrogate pair are each a problem naming where they are, never a value. A YAML file is read by
`mock_server/tenant_yaml.py` into the same shape.

Positions: each section and item knows its line and column (1-based), and finds the line and
column of any JSON pointer inside it (`Located.locate`), so that a problem can say both.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, Final, Protocol

from mock_server.domain.errors import Problem, pointer_of

__all__ = [
    "CHUNK_BYTES",
    "MAX_DEPTH",
    "Duplicates",
    "Item",
    "JsonTenantDocument",
    "Located",
    "NonFinite",
    "Section",
    "Span",
    "TenantDocument",
    "lone_surrogate",
    "object_of",
]

# Bytes read at a time; an item longer than this is read in growing steps.
CHUNK_BYTES: Final = 1 << 16
# No tenant file nests deeper than a handful of levels; JSON's decoder raises RecursionError
# somewhere past a thousand, which is caught and said as this.
MAX_DEPTH: Final = 64
# A buffer's consumed head is dropped once it is this long.
_COMPACT_AT: Final = 1 << 20
# Text kept ahead of the reading position, when the file has more.
_AHEAD: Final = 1 << 15
# The text of a list read at once, at most (`_batch`).
_BATCH: Final = 1 << 17

MSG_NOT_UTF8 = "not UTF-8 text ({reason} at byte {position})"
MSG_SYNTAX = "not JSON: {reason}"
MSG_NOT_OBJECT = "a tenant file is a JSON object (or a YAML mapping) of sections, got {what}"
MSG_TRAILING = "text after the end of the tenant file's object"
MSG_NO_ENVELOPE = "no member {name!r} holding the tenant file"
MSG_DUPLICATE_KEY = "member {key!r} is given twice in this object"
MSG_TOO_DEEP = f"nested deeper than {MAX_DEPTH} levels"
MSG_LONG_NUMBER = "a number of more digits than any field takes ({reason})"
MSG_SURROGATE = "a string holds \\u{code:04x}, half of a UTF-16 surrogate pair, which is no text"
MSG_NON_FINITE = "{value} is not a JSON number (JSON has no NaN or Infinity)"

_WHITESPACE: Final = re.compile(r"[ \t\n\r]*")
_SURROGATE_ESCAPE: Final = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE: Final = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class Span:
    """A place in the file: line and column, both from 1."""

    line: int
    column: int


class Located(Protocol):
    """Something read from the file that can tell where a part of it stands."""

    def locate(self, pointer: str) -> Span | None:
        """Where the value at `pointer` (relative to this one, "" itself) starts."""
        ...


class NonFinite:
    """What `NaN`, `Infinity` or `-Infinity` was read as: no number, a problem where it is."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text

    @property
    def message(self) -> str:
        return MSG_NON_FINITE.format(value=self.text)


class Duplicates(dict[str, Any]):
    """An object that named a member twice (the last value kept); `duplicates` says which."""

    duplicates: tuple[str, ...] = ()


def object_of(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object's members as read in order: a `Duplicates` naming the keys given twice, if
    any (the JSON decoder's and the YAML reader's one rule)."""
    value = dict(pairs)
    if len(value) == len(pairs):
        return value
    marked = Duplicates(value)
    seen: set[str] = set()
    marked.duplicates = tuple(key for key, _ in pairs if key in seen or seen.add(key))  # type: ignore[func-returns-value]
    return marked


_DECODER: Final = json.JSONDecoder(object_pairs_hook=object_of, parse_constant=NonFinite)


class Item:
    """One element of a streamed section: its index (a list) or name (an object), its value,
    and where it is. `clean`: its text holds no escape (no string of it can hold a control
    character). Its place is found only when asked for (a problem's), from the text it was
    read from: a file's items cost nothing for it."""

    __slots__ = ("_at", "_locate", "_nth", "_span", "clean", "key", "value")

    def __init__(
        self,
        key: int | str,
        value: Any,
        span: Span | None = None,
        locate: Callable[[str], Span | None] | None = None,
        *,
        clean: bool = False,
        at: tuple[str, int, int, int, int] | None = None,
        nth: int | None = None,
    ) -> None:
        self.key = key
        self.value = value
        self.clean = clean
        self._span = span
        self._locate = locate
        self._at = at  # (text, start, end, lines before the text, its first line's start)
        self._nth = nth  # the item is the nth of those `_at` spans (read at once)

    @property
    def known_span(self) -> Span | None:
        """`span` when it costs nothing (an item read alone); else None."""
        return self.span if self._nth is None else None

    def _own(self) -> None:
        """`_at` narrowed to this item's own text (an item read with others)."""
        if self._nth is not None and self._at is not None:
            text, start, end, lines, line_start = self._at
            first = _item_start(text, start, end, self._nth)
            _, stop = _DECODER.raw_decode(text, first)
            self._at = (text, first, stop, lines, line_start)
            self._nth = None

    @property
    def span(self) -> Span | None:
        self._own()
        if self._span is None and self._at is not None:
            text, start, _, lines, line_start = self._at
            newlines = text.count("\n", 0, start)
            if newlines:
                line_start = text.rfind("\n", 0, start) + 1
            self._span = Span(lines + newlines + 1, start - line_start + 1)
        return self._span

    def locate(self, pointer: str) -> Span | None:
        if not pointer:
            return self.span
        self._own()
        if self._locate is None and self._at is not None:
            text, start, end, _, _ = self._at
            span = self.span
            assert span is not None
            self._locate = _locator(text[start:end], span)
        return None if self._locate is None else self._locate(pointer)


@dataclass(slots=True)
class Section:
    """A top-level member of the file: `value` whole, or (`items` not None) its elements one
    at a time (`kind` "array" or "object"), which must be read before the next section."""

    key: str
    span: Span | None
    value: Any = None
    items: Iterator[Item] | None = None
    kind: str | None = None
    _locate: Callable[[str], Span | None] | None = field(default=None, repr=False)

    def locate(self, pointer: str) -> Span | None:
        if not pointer:
            return self.span
        return None if self._locate is None else self._locate(pointer)


class TenantDocument(Protocol):
    """A tenant file being read (JSON here, YAML in `mock_server/tenant_yaml.py`)."""

    name: str
    """What the file is called in messages (`tenant.yaml`, `request body`)."""
    problems: list[Problem]
    """What made the file unreadable from some point on (its syntax, its encoding)."""
    prefix: str
    """The pointer of the tenant file within what is read ("" but in an envelope)."""
    envelope: dict[str, Any]
    """The members beside the file in its envelope (read by the end of the sections)."""

    def sections(self, streamed: frozenset[str]) -> Iterator[Section]:
        """The sections in the file's order; those named in `streamed` item by item when
        they are a list or an object."""
        ...


def lone_surrogate(value: str) -> str | None:
    """The problem of a string holding half a surrogate pair (None when it holds none)."""
    found = _SURROGATE.search(value)
    return None if found is None else MSG_SURROGATE.format(code=ord(found[0]))


class _Stop(Exception):
    """The file cannot be read past this point (the problem is recorded)."""


class JsonTenantDocument:
    """A JSON tenant file read from `source` (bytes, or a binary file read a chunk at a
    time); see the module's docstring."""

    def __init__(
        self, source: bytes | IO[bytes], name: str = "tenant file", envelope: str | None = None
    ) -> None:
        """`envelope`: the tenant file is the member of that name of the object read (the
        control API's `{"fixture": {...}}`); the object's other members are `envelope`'s
        values, its problems' pointers begin with `prefix` (`/fixture`)."""
        self.name = name
        self.problems: list[Problem] = []
        self._envelope = envelope
        self.prefix = "" if envelope is None else pointer_of(envelope)
        self.envelope: dict[str, Any] = {}
        self._source = source
        self._offset = 0  # bytes of `source` read so far (bytes source)
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._bytes_read = 0
        self._buf = ""
        self._pos = 0
        self._eof = False
        # A problem stopped the reading inside a section's items (`_items`): the sections end.
        self._stopped = False
        # Where `_batch` may try again after it could not (an index of `_buf`).
        self._one_by_one_until = 0
        # Line counting: newlines in the text before `_counted` (an index of `_buf`).
        self._counted = 0
        self._lines = 0
        self._line_start = 0  # index in `_buf` where the current line starts (may be < 0)
        # The same at `_buf`'s start (where an item's place is counted from, when asked).
        self._base_lines = 0
        self._base_line_start = 0

    # -- the text -----------------------------------------------------------------------------

    def _read(self, size: int) -> bytes:
        if isinstance(self._source, bytes | bytearray | memoryview):
            chunk = bytes(self._source[self._offset : self._offset + size])
            self._offset += len(chunk)
            return chunk
        return self._source.read(size)

    def _more(self, at_least: int = CHUNK_BYTES) -> bool:
        """Read more text; False at the end of the file."""
        if self._eof:
            return False
        chunk = self._read(max(CHUNK_BYTES, at_least))
        final = not chunk
        try:
            text = self._decoder.decode(chunk, final=final)
        except UnicodeDecodeError as exc:
            self._problem(
                MSG_NOT_UTF8.format(reason=exc.reason, position=self._bytes_read + exc.start),
                len(self._buf),
            )
            raise _Stop from exc
        self._bytes_read += len(chunk)
        if final:
            self._eof = True
        self._compact()
        self._buf += text
        return bool(text) or not final

    def _compact(self) -> None:
        if self._pos < _COMPACT_AT:
            return
        self._span(self._pos)  # count the lines of what is dropped
        self._buf = self._buf[self._pos :]
        self._counted -= self._pos
        self._line_start -= self._pos
        self._one_by_one_until -= self._pos
        self._pos = 0
        self._base_lines = self._lines
        self._base_line_start = self._line_start

    def _span(self, index: int) -> Span:
        """Line and column of `_buf[index]`; indexes asked for never go backwards."""
        if index > self._counted:
            newlines = self._buf.count("\n", self._counted, index)
            if newlines:
                self._lines += newlines
                self._line_start = self._buf.rfind("\n", self._counted, index) + 1
            self._counted = index
        return Span(self._lines + 1, index - self._line_start + 1)

    def _peek(self) -> str:
        """The next character after whitespace ('' at the end of the file)."""
        buf, pos = self._buf, self._pos
        if pos < len(buf) and buf[pos] not in " \t\r\n":
            return buf[pos]
        while True:
            self._pos = _WHITESPACE.match(self._buf, self._pos).end()  # type: ignore[union-attr]
            if self._pos < len(self._buf):
                return self._buf[self._pos]
            if not self._more():
                return ""

    def _problem(self, message: str, index: int, pointer: str = "") -> None:
        span = self._span(min(index, len(self._buf)))
        self.problems.append(Problem(pointer, message, span.line, span.column))

    def _expect(self, chars: str, what: str, pointer: str) -> str:
        found = self._peek()
        if not found or found not in chars:
            shown = "the end of the file" if not found else repr(found)
            self._problem(
                MSG_SYNTAX.format(reason=f"expected {what}, got {shown}"), self._pos, pointer
            )
            raise _Stop
        self._pos += 1
        return found

    def _value(self, pointer: str, key: int | str | None = None) -> tuple[Any, int, int]:
        """The JSON value at the reading position, decoded whole: (value, start, end);
        `pointer` (plus `key`'s step) is where it is, for a problem."""
        self._peek()
        # Read ahead, so that an item is seldom cut by the buffer's end (a cut item is decoded
        # again, and the decoder's error counts the buffer's lines).
        while not self._eof and len(self._buf) - self._pos < _AHEAD:
            self._more()
        while True:
            start = self._pos  # again after each read: reading more may drop the consumed head
            try:
                value, end = _DECODER.raw_decode(self._buf, start)
            except json.JSONDecodeError as exc:
                truncated = (
                    exc.msg.startswith("Unterminated string") or exc.pos >= len(self._buf) - 8
                )
                if truncated and self._more(len(self._buf) - start):
                    continue
                self._problem(MSG_SYNTAX.format(reason=exc.msg), exc.pos, _at(pointer, key))
                raise _Stop from exc
            except RecursionError as exc:
                self._problem(MSG_TOO_DEEP, start, _at(pointer, key))
                raise _Stop from exc
            except ValueError as exc:  # an integer past Python's 4,300 digits
                self._problem(MSG_LONG_NUMBER.format(reason=exc), start, _at(pointer, key))
                raise _Stop from exc
            if end >= len(self._buf) and self._more(len(self._buf) - start):
                continue  # a number may go on in the next chunk
            self._pos = end
            if _SURROGATE_ESCAPE.search(self._buf, start, end):
                _check_surrogates(value, _at(pointer, key), self, start)
            return value, start, end

    def _batch(self) -> tuple[list[Any], tuple[str, int, int, int, int]] | None:
        """The next items of a list read at once, with one call of the decoder (a large
        file's records are most of it), as many as end in the next `_BATCH` characters; None
        when that cannot be done safely, and the items are read one by one: the text holds an
        escape (so a string may hold a quote or a `},`), or the cut before a `},` is not the
        end of an item (the decoder then finds the text unfinished)."""
        while not self._eof and len(self._buf) - self._pos < _BATCH:
            self._more()
        buf, start = self._buf, self._pos
        if start < self._one_by_one_until:
            return None
        # Once a batch cannot be read, the items of the text it looked at are read one by
        # one: looking again at each item would read that text again for each (quadratic).
        self._one_by_one_until = start + _BATCH
        cut = buf.rfind("},", start, start + _BATCH)
        if cut < 0 or buf.find("\\", start, cut) >= 0 or buf.find("\x7f", start, cut) >= 0:
            return None
        text = "[" + buf[start : cut + 1] + "]"
        try:
            values, end = _DECODER.raw_decode(text)
        except (ValueError, RecursionError):
            return None
        if end != len(text) or not isinstance(values, list):
            return None
        self._one_by_one_until = 0
        self._pos = cut + 2
        return values, (buf, start, cut + 1, self._base_lines, self._base_line_start)

    def _string(self, pointer: str) -> str:
        if self._peek() != '"':
            self._expect('"', "a member name in quotes", pointer)
        value, _, _ = self._value(pointer)
        return str(value)

    # -- the sections -------------------------------------------------------------------------

    def sections(self, streamed: frozenset[str]) -> Iterator[Section]:
        try:
            yield from self._sections(streamed)
        except _Stop:
            return

    def _sections(self, streamed: frozenset[str]) -> Iterator[Section]:
        first = self._peek()
        if first != "{":
            what = "an empty file" if not first else f"text starting with {first!r}"
            self._problem(MSG_NOT_OBJECT.format(what=what), self._pos)
            return
        self._pos += 1
        if self._envelope is None:
            yield from self._members(streamed, "")
        else:
            found = False
            for key, _ in self._object(""):
                if key == self._envelope and self._peek() == "{":
                    found = True
                    self._pos += 1
                    yield from self._members(streamed, self.prefix)
                else:
                    self.envelope[key], _, _ = self._value(pointer_of(key))
            if not found:
                self._problem(MSG_NO_ENVELOPE.format(name=self._envelope), self._pos)
        if self._peek():
            self._problem(MSG_TRAILING, self._pos)

    def _object(self, prefix: str) -> Iterator[tuple[str, str]]:
        """The member names of the object being read (its `{` read), each with its pointer;
        the caller reads each member's value before asking for the next name."""
        seen: set[str] = set()
        if self._peek() == "}":
            self._pos += 1
            return
        while True:
            key_at = self._pos
            key = self._string(prefix)
            pointer = prefix + pointer_of(key)
            if key in seen:
                self._problem(MSG_DUPLICATE_KEY.format(key=key), key_at, pointer)
            seen.add(key)
            self._expect(":", "':'", pointer)
            yield key, pointer
            if self._expect(",}", "',' or '}'", pointer) == "}":
                return

    def _members(self, streamed: frozenset[str], prefix: str) -> Iterator[Section]:
        for key, pointer in self._object(prefix):
            opening = self._peek()
            span = self._span(self._pos)
            if key in streamed and opening in ("[", "{"):
                self._pos += 1
                items = self._items(opening, pointer)
                yield Section(key, span, items=items, kind="array" if opening == "[" else "object")
                for _ in items:  # what the loader left unread
                    pass
                if self._stopped:
                    raise _Stop
            else:
                value, start, end = self._value(pointer)
                text = self._buf[start:end]
                yield Section(key, span, value=value, _locate=_locator(text, span))

    def _items(self, opening: str, pointer: str) -> Iterator[Item]:
        """A streamed section's items, read as the loader asks for them: a problem that stops
        the reading (recorded) ends them, and the sections after (`_stopped`), since the
        loader, not `sections`, is reading when it is raised."""
        try:
            yield from self._read_items(opening, pointer)
        except _Stop:
            self._stopped = True

    def _read_items(self, opening: str, pointer: str) -> Iterator[Item]:
        closing = "]" if opening == "[" else "}"
        if self._peek() == closing:
            self._pos += 1
            return
        index = 0
        seen: set[str] = set()
        while True:
            if opening == "[":
                batch = self._batch()
                if batch is not None:
                    values, at = batch
                    for offset, value in enumerate(values):
                        yield Item(index + offset, value, clean=True, at=at, nth=offset)
                    index += len(values)
                    continue
            key: int | str = index
            if opening == "{":
                key_at = self._pos
                key = self._string(pointer)
                if key in seen:
                    self._problem(
                        MSG_DUPLICATE_KEY.format(key=key), key_at, f"{pointer}{pointer_of(key)}"
                    )
                seen.add(key)
                self._expect(":", "':'", pointer)
            self._peek()
            value, start, end = self._value(pointer, key)
            buf = self._buf
            # JSON writes a control character as an escape, but DEL as it is.
            clean = buf.find("\\", start, end) < 0 and buf.find("\x7f", start, end) < 0
            yield Item(
                key,
                value,
                self._span(start),  # counted on from the item before: linear in the file
                clean=clean,
                at=(buf, start, end, self._base_lines, self._base_line_start),
            )
            index += 1
            # The common case first: a comma or the end right after the item.
            if end < len(buf) and buf[end] == ",":
                self._pos = end + 1
                continue
            if self._expect("," + closing, f"',' or '{closing}'", pointer) == closing:
                return


def _item_start(text: str, start: int, end: int, nth: int) -> int:
    """Where the `nth` item of the items `text[start:end]` (a list's, without its brackets)
    starts in `text`."""
    found = _find("[" + text[start:end] + "]", f"/{nth}")
    return start if found is None else start + found - 1


def _at(pointer: str, key: int | str | None) -> str:
    return pointer if key is None else pointer + pointer_of(key)


def _check_surrogates(value: Any, pointer: str, document: JsonTenantDocument, start: int) -> None:
    """Record a problem for each string (or member name) holding half a surrogate pair."""
    stack: list[tuple[str, Any]] = [(pointer, value)]
    while stack:
        where, node = stack.pop()
        if isinstance(node, str):
            message = lone_surrogate(node)
            if message:
                document.problems.append(Problem(where, message))
        elif isinstance(node, dict):
            for key, item in node.items():
                message = lone_surrogate(key)
                if message:
                    document.problems.append(Problem(where, message))
                stack.append((f"{where}{pointer_of(key)}", item))
        elif isinstance(node, list):
            stack.extend((f"{where}/{index}", item) for index, item in enumerate(node))


def _locator(text: str, span: Span) -> Callable[[str], Span | None]:
    """Finds a pointer's place inside `text` (a JSON value that starts at `span`)."""

    def locate(pointer: str) -> Span | None:
        index = _find(text, pointer)
        if index is None:
            return None
        newlines = text.count("\n", 0, index)
        if not newlines:
            return Span(span.line, span.column + index)
        return Span(span.line + newlines, index - text.rfind("\n", 0, index))

    return locate


def _find(text: str, pointer: str) -> int | None:
    """The index in `text` (one JSON value) where the value at `pointer` starts; for a
    member named twice, the last one."""
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    plain = json.JSONDecoder()
    index = _WHITESPACE.match(text, 0).end()  # type: ignore[union-attr]
    try:
        for part in parts:
            found = None
            if index < len(text) and text[index] == "{":
                index += 1
                while True:
                    index = _WHITESPACE.match(text, index).end()  # type: ignore[union-attr]
                    if text[index] == "}":
                        break
                    key, index = plain.raw_decode(text, index)
                    index = _WHITESPACE.match(text, index).end() + 1  # type: ignore[union-attr]
                    index = _WHITESPACE.match(text, index).end()  # type: ignore[union-attr]
                    if key == part:
                        found = index
                    _, index = plain.raw_decode(text, index)
                    index = _WHITESPACE.match(text, index).end()  # type: ignore[union-attr]
                    if text[index] == "}":
                        break
                    index += 1
            elif index < len(text) and text[index] == "[" and part.isdigit():
                index += 1
                wanted = int(part)
                position = 0
                while True:
                    index = _WHITESPACE.match(text, index).end()  # type: ignore[union-attr]
                    if text[index] == "]":
                        break
                    if position == wanted:
                        found = index
                        break
                    _, index = plain.raw_decode(text, index)
                    index = _WHITESPACE.match(text, index).end()  # type: ignore[union-attr]
                    if text[index] == "]":
                        break
                    index += 1
                    position += 1
            if found is None:
                return None
            index = found
    except (ValueError, IndexError, RecursionError):
        return None
    return index
