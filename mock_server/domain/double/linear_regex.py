"""Regular expressions matched in time linear in the text: the request journal's `matches`.

Python's `re` backtracks: `(a|a)*b`, `(a*)*b` or `a*a*a*...b` take exponential (or high
polynomial) time on a text that almost matches, and a control API caller chooses both the
pattern and, through the requests it sends, the text. This engine accepts the part of the
usual syntax that needs no backtracking (RE2's, less what a yes/no answer does not need) and
runs a position automaton (Glushkov's: one state per character of the pattern, no empty
moves) over the text, all states at once as the bits of one integer. Each character costs a
bounded number of operations whatever the pattern does, and the steps already taken are cached
(a lazily built DFA), so a pattern matched against many texts soon costs a dictionary look-up a
character.

The grammar (anything else is refused with the character it stopped at):
- literals; `.` any character, the newline included; `[abc]`, `[a-z]`, `[^...]` classes;
- `\\d` `\\w` `\\s` (ASCII: `[0-9]`, `[A-Za-z0-9_]`, `[ \\t\\n\\r\\f\\v]`) and `\\D` `\\W` `\\S`,
  in a class too; `\\n` `\\t` `\\r` `\\f` `\\v`, `\\xHH`, `\\uHHHH`; a backslash before any other
  character that is not a letter or digit is that character;
- `*` `+` `?` and `{n}` `{n,}` `{n,m}` (n, m up to 100), each optionally followed by `?` (lazy
  and greedy accept the same texts);
- `|`, groups `(...)` and `(?:...)` (nested up to 32 deep);
- `^` at the very start and `$` at the very end, which change nothing: the pattern matches the
  whole text (`fullmatch`), never a part of it (write `.*7916.*` to find a part).

Refused: backreferences, lookaround, `(?i)` and other flags, named groups, `\\b` and other
anchors, possessive quantifiers. Bounds: 500 characters of pattern, 500 character positions
and 2,000 nodes once counted repetitions are expanded (`(ab){100}` is 200 positions).

Example::

    linear_regex("7916[0-9]{7}").fullmatch("79165554433")  # True
"""

from __future__ import annotations

import bisect
import functools
import threading
from dataclasses import dataclass
from typing import Final

__all__ = [
    "MAX_NODES",
    "MAX_PATTERN_CHARS",
    "MAX_POSITIONS",
    "MAX_REPEAT",
    "LinearRegex",
    "PatternError",
    "linear_regex",
]

MAX_PATTERN_CHARS: Final = 500
MAX_POSITIONS: Final = 500
MAX_NODES: Final = 2000
MAX_REPEAT: Final = 100
MAX_GROUP_DEPTH: Final = 32
# The cached steps of one pattern: (states, character) -> states; dropped whole when full.
MAX_CACHED_STEPS: Final = 10_000
MAX_CACHED_CHARACTERS: Final = 4096
_LAST_CODE_POINT: Final = 0x10FFFF
_METACHARACTERS: Final = frozenset("\\.^$*+?()[]{}|")


class PatternError(ValueError):
    """A pattern outside the grammar: what is wrong and at which character (0-based)."""

    def __init__(self, problem: str, position: int) -> None:
        super().__init__(f"{problem} at character {position + 1}")
        self.problem = problem
        self.position = position


@dataclass(frozen=True, slots=True)
class _CharSet:
    """Code point ranges, sorted and merged: `starts[i]..ends[i]`."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]

    @classmethod
    def of(cls, ranges: list[tuple[int, int]], negated: bool = False) -> _CharSet:
        merged: list[list[int]] = []
        for low, high in sorted(ranges):
            if merged and low <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], high)
            else:
                merged.append([low, high])
        if negated:
            complement, start = [], 0
            for low, high in merged:
                if low > start:
                    complement.append([start, low - 1])
                start = high + 1
            if start <= _LAST_CODE_POINT:
                complement.append([start, _LAST_CODE_POINT])
            merged = complement
        return cls(tuple(r[0] for r in merged), tuple(r[1] for r in merged))

    def ranges(self) -> list[tuple[int, int]]:
        return list(zip(self.starts, self.ends, strict=True))

    def __contains__(self, char: str) -> bool:
        code = ord(char)
        index = bisect.bisect_right(self.starts, code) - 1
        return index >= 0 and code <= self.ends[index]


_DIGIT: Final = [(0x30, 0x39)]
_WORD: Final = [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)]
_SPACE: Final = [(0x09, 0x0D), (0x20, 0x20)]
_CLASS_ESCAPES: Final = {"d": _DIGIT, "w": _WORD, "s": _SPACE}
_CHAR_ESCAPES: Final = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v"}
_REFUSED_ESCAPES: Final = {
    "b": "\\b (a word boundary) is not supported",
    "B": "\\B is not supported",
    "A": "\\A is not needed: the pattern matches the whole text",
    "Z": "\\Z is not needed: the pattern matches the whole text",
    "z": "\\z is not needed: the pattern matches the whole text",
    "p": "\\p (Unicode properties) is not supported",
    "P": "\\P (Unicode properties) is not supported",
}

# The syntax tree: ("set", _CharSet) | ("cat", nodes) | ("alt", nodes) | ("star", node) |
# ("plus", node) | ("opt", node). A counted repetition is its copies ("cat" of the same node),
# each copy of a leaf becoming a position of its own when the automaton is built.
_Node = tuple[object, ...]
_EMPTY: Final[_Node] = ("cat", ())


class _Parser:
    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.at = 0
        self.depth = 0

    def fail(self, problem: str, position: int | None = None) -> PatternError:
        return PatternError(problem, self.at if position is None else position)

    def peek(self) -> str | None:
        return self.pattern[self.at] if self.at < len(self.pattern) else None

    def parse(self) -> tuple[_Node, int, int]:
        pattern = self.pattern
        end = len(pattern)
        if pattern.startswith("^"):
            self.at = 1
        if pattern.endswith("$") and not _escaped(pattern, end - 1) and end - 1 >= self.at:
            self.pattern = pattern = pattern[: end - 1]
        node, positions, nodes = self.alternation()
        if self.at < len(pattern):  # only an unmatched ')' stops an alternation early
            raise self.fail("unmatched ')'")
        return node, positions, nodes

    def alternation(self) -> tuple[_Node, int, int]:
        branches = [self.concatenation()]
        while self.peek() == "|":
            self.at += 1
            branches.append(self.concatenation())
        if len(branches) == 1:
            return branches[0]
        positions = sum(b[1] for b in branches)
        nodes = 1 + sum(b[2] for b in branches)
        return ("alt", tuple(b[0] for b in branches)), positions, nodes

    def concatenation(self) -> tuple[_Node, int, int]:
        items: list[_Node] = []
        positions = nodes = 0
        while (char := self.peek()) is not None and char not in "|)":
            node, node_positions, node_nodes = self.repetition()
            items.append(node)
            positions += node_positions
            nodes += node_nodes
            _check_size(positions, nodes, self.at)
        if len(items) == 1:
            return items[0], positions, nodes
        return ("cat", tuple(items)), positions, nodes + 1

    def repetition(self) -> tuple[_Node, int, int]:
        start = self.at
        node, positions, nodes = self.atom()
        char = self.peek()
        if char is None or char not in "*+?{":
            return node, positions, nodes
        if char == "{":
            low, high = self.count()
            node, positions, nodes = _counted(node, positions, nodes, low, high, start)
        else:
            self.at += 1
            node = ({"*": "star", "+": "plus", "?": "opt"}[char], node)
            nodes += 1
        if self.peek() == "?":
            self.at += 1  # lazy: the same texts match
        if (after := self.peek()) is not None and after in "*+?{":
            raise self.fail(f"{after!r} repeats a repetition (write a group: (?:a*)*)")
        return node, positions, nodes

    def count(self) -> tuple[int, int | None]:
        """`{n}`, `{n,}` or `{n,m}` at `self.at`."""
        opening = self.at
        closing = self.pattern.find("}", opening)
        body = self.pattern[opening + 1 : closing] if closing > 0 else ""
        low_text, comma, high_text = body.partition(",")
        if not low_text.isdigit() or (high_text and not high_text.isdigit()) or not body.isascii():
            raise self.fail("'{' starts no count {n}, {n,} or {n,m} (write \\{ for the character)")
        low = int(low_text[:4])
        high = int(high_text[:4]) if high_text else (None if comma else low)
        if low > MAX_REPEAT or (high is not None and high > MAX_REPEAT):
            raise self.fail(f"a count above {MAX_REPEAT}")
        if high is not None and high < low:
            raise self.fail(f"the count {{{body}}} is backwards")
        self.at = closing + 1
        return low, high

    def atom(self) -> tuple[_Node, int, int]:
        char = self.peek()
        assert char is not None
        if char == "(":
            return self.group()
        self.at += 1
        if char == ".":
            return ("set", _CharSet.of([(0, _LAST_CODE_POINT)])), 1, 1
        if char == "[":
            return ("set", self.char_class()), 1, 1
        if char == "\\":
            return ("set", self.escape(in_class=False)), 1, 1
        if char in "*+?{":
            raise self.fail(f"nothing before {char!r} to repeat", self.at - 1)
        if char == "^":
            raise self.fail("'^' is allowed only at the start (the whole text is matched)", 0)
        if char == "$":
            raise self.fail("'$' is allowed only at the end (the whole text is matched)", 0)
        if char == "]" or char == "}":
            raise self.fail(f"an unescaped {char!r} (write \\{char})", self.at - 1)
        return ("set", _CharSet.of([(ord(char), ord(char))])), 1, 1

    def group(self) -> tuple[_Node, int, int]:
        opening = self.at
        self.at += 1
        if self.pattern.startswith("?", self.at):
            if not self.pattern.startswith("?:", self.at):
                raise self.fail(
                    "only (?:...) groups are supported: lookaround, flags, named groups and "
                    "backreferences are not",
                    opening,
                )
            self.at += 2
        self.depth += 1
        if self.depth > MAX_GROUP_DEPTH:
            raise self.fail(f"groups nested more than {MAX_GROUP_DEPTH} deep", opening)
        node, positions, nodes = self.alternation()
        if self.peek() != ")":
            raise self.fail("'(' is never closed", opening)
        self.at += 1
        self.depth -= 1
        return node, positions, nodes

    def char_class(self) -> _CharSet:
        opening = self.at - 1
        negated = self.peek() == "^"
        if negated:
            self.at += 1
        ranges: list[tuple[int, int]] = []
        first = True
        while True:
            char = self.peek()
            if char is None:
                raise self.fail("'[' is never closed", opening)
            if char == "]" and not first:
                self.at += 1
                return _CharSet.of(ranges, negated)
            first = False
            low = self.class_item()
            if isinstance(low, _CharSet):
                ranges.extend(low.ranges())
                continue
            if self.peek() == "-" and self.pattern[self.at + 1 : self.at + 2] not in ("]", ""):
                dash = self.at
                self.at += 1
                high = self.class_item()
                if isinstance(high, _CharSet):
                    raise self.fail("a class escape cannot end a range", dash)
                if high < low:
                    raise self.fail("a range out of order", dash)
                ranges.append((low, high))
            else:
                ranges.append((low, low))

    def class_item(self) -> int | _CharSet:
        char = self.pattern[self.at]
        self.at += 1
        if char != "\\":
            return ord(char)
        found = self.escape(in_class=True)
        if len(found.starts) == 1 and found.starts[0] == found.ends[0]:
            return found.starts[0]
        return found

    def escape(self, in_class: bool) -> _CharSet:
        backslash = self.at - 1
        char = self.peek()
        if char is None:
            raise self.fail("a trailing backslash", backslash)
        self.at += 1
        lower = char.lower()
        if lower in _CLASS_ESCAPES:
            return _CharSet.of(_CLASS_ESCAPES[lower], negated=char.isupper())
        if char in _CHAR_ESCAPES:
            code = ord(_CHAR_ESCAPES[char])
            return _CharSet.of([(code, code)])
        if char in "xu":
            digits = 2 if char == "x" else 4
            text = self.pattern[self.at : self.at + digits]
            if len(text) != digits or any(c not in "0123456789abcdefABCDEF" for c in text):
                raise self.fail(f"\\{char} needs {digits} hexadecimal digits", backslash)
            self.at += digits
            code = int(text, 16)
            return _CharSet.of([(code, code)])
        if char.isdigit():
            raise self.fail("backreferences are not supported", backslash)
        if char in _REFUSED_ESCAPES:
            raise self.fail(_REFUSED_ESCAPES[char], backslash)
        if char.isalnum():
            raise self.fail(f"unknown escape \\{char}", backslash)
        return _CharSet.of([(ord(char), ord(char))])


def _escaped(pattern: str, index: int) -> bool:
    """Whether the character at `index` follows an odd run of backslashes."""
    run = 0
    while index - run - 1 >= 0 and pattern[index - run - 1] == "\\":
        run += 1
    return run % 2 == 1


def _check_size(positions: int, nodes: int, at: int) -> None:
    if positions > MAX_POSITIONS:
        raise PatternError(
            f"more than {MAX_POSITIONS} character positions once repetitions are expanded", at
        )
    if nodes > MAX_NODES:
        raise PatternError(f"more than {MAX_NODES} nodes once repetitions are expanded", at)


def _counted(
    node: _Node, positions: int, nodes: int, low: int, high: int | None, at: int
) -> tuple[_Node, int, int]:
    """`node{low,high}` as copies: `low` of it, then `high - low` optional ones (or a star)."""
    tail: list[_Node] = [("star", node)] if high is None else [("opt", node)] * (high - low)
    copies = low + len(tail)
    total_positions, total_nodes = positions * copies, (nodes + 1) * copies + 1
    _check_size(total_positions, total_nodes, at)
    return ("cat", (node,) * low + tuple(tail)), total_positions, total_nodes


class _Automaton:
    """The position automaton of a tree: position 0 is the start, 1.. the leaves in order;
    `follow[p]` the positions that may come after p, `accepting` those a match may end on."""

    def __init__(self, root: _Node) -> None:
        self.sets: list[_CharSet] = [_CharSet.of([])]
        self.follow: list[int] = [0]
        nullable, first, last = self._build(root)
        self.follow[0] = first
        self.accepting = last | (1 if nullable else 0)

    def _link(self, last: int, first: int) -> None:
        while last:
            low = last & -last
            self.follow[low.bit_length() - 1] |= first
            last ^= low

    def _build(self, node: _Node) -> tuple[bool, int, int]:
        kind = node[0]
        if kind == "set":
            charset = node[1]
            assert isinstance(charset, _CharSet)
            self.sets.append(charset)
            self.follow.append(0)
            bit = 1 << (len(self.sets) - 1)
            return False, bit, bit
        if kind == "cat":
            nullable, first, last = True, 0, 0
            for child in node[1]:  # type: ignore[attr-defined]
                child_nullable, child_first, child_last = self._build(child)
                self._link(last, child_first)
                first |= child_first if nullable else 0
                last = child_last | (last if child_nullable else 0)
                nullable = nullable and child_nullable
            return nullable, first, last
        if kind == "alt":
            built = [self._build(child) for child in node[1]]  # type: ignore[attr-defined]
            return (
                any(b[0] for b in built),
                functools.reduce(int.__or__, (b[1] for b in built), 0),
                functools.reduce(int.__or__, (b[2] for b in built), 0),
            )
        child = node[1]
        assert isinstance(child, tuple)
        nullable, first, last = self._build(child)
        if kind in ("star", "plus"):
            self._link(last, first)
        return nullable or kind != "plus", first, last


class LinearRegex:
    """A compiled pattern of the grammar above; `fullmatch` in time linear in the text."""

    def __init__(self, pattern: str) -> None:
        if len(pattern) > MAX_PATTERN_CHARS:
            raise PatternError(f"a pattern longer than {MAX_PATTERN_CHARS} characters", 0)
        self.pattern = pattern
        root, _, _ = _Parser(pattern).parse()
        automaton = _Automaton(root)
        self._accepting = automaton.accepting
        self._follow = automaton.follow
        self._bytes = (len(automaton.follow) + 7) // 8
        # Positions grouped by their character set, for the set of positions a character
        # may stand at.
        grouped: dict[_CharSet, int] = {}
        for position, charset in enumerate(automaton.sets[1:], start=1):
            grouped[charset] = grouped.get(charset, 0) | (1 << position)
        self._classes = tuple(grouped.items())
        # For each byte of a state, the union of the follow sets of the positions it holds.
        self._chunks: list[dict[int, int]] = [{} for _ in range(self._bytes)]
        self._chars: dict[str, int] = {}
        self._steps: dict[int, dict[str, int]] = {}  # state -> character -> next state
        self._cached = 0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"LinearRegex({self.pattern!r})"

    def _positions_of(self, char: str) -> int:
        found = self._chars.get(char)
        if found is None:
            found = 0
            for charset, positions in self._classes:
                if char in charset:
                    found |= positions
            if len(self._chars) >= MAX_CACHED_CHARACTERS:
                self._chars = {}
            self._chars[char] = found
        return found

    def _reach(self, state: int) -> int:
        """The positions that may follow any position of `state`."""
        reach = 0
        for index, byte in enumerate(state.to_bytes(self._bytes, "little")):
            if byte:
                chunk = self._chunks[index]
                union = chunk.get(byte)
                if union is None:
                    union = 0
                    base = index * 8
                    for bit in range(8):
                        if byte >> bit & 1:
                            union |= self._follow[base + bit]
                    chunk[byte] = union
                reach |= union
        return reach

    def fullmatch(self, text: str) -> bool:
        """Whether the whole of `text` matches."""
        with self._lock:  # the caches are shared by the threads that match this pattern
            steps = self._steps
            state = 1
            row = steps.get(state)
            for char in text:
                following = None if row is None else row.get(char)
                if following is None:
                    following = self._reach(state) & self._positions_of(char)
                    if self._cached >= MAX_CACHED_STEPS:
                        self._steps = steps = {}
                        self._cached = 0
                        row = None
                    if row is None:
                        row = steps.setdefault(state, {})
                    row[char] = following
                    self._cached += 1
                if not following:
                    return False
                if following != state:
                    state = following
                    row = steps.get(state)
            return bool(state & self._accepting)


@functools.lru_cache(maxsize=64)
def linear_regex(pattern: str) -> LinearRegex:
    """The compiled `pattern` (made once for the patterns in use); PatternError if it is
    outside the grammar or its bounds."""
    return LinearRegex(pattern)
