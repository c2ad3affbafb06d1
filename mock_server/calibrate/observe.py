"""What an answer shows: the observation a probe's kind reads from the answers it got.

Pure: answers in, a JSON value out, or `Undecided` with the reason when the answers cannot tell
the alternatives apart (no record to look at, an error where data was needed). Two targets
agree on a decision when their observations are equal.
"""

from __future__ import annotations

import ast
import json
import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import jwt

__all__ = [
    "Answer",
    "Undecided",
    "content_type",
    "evaluate_identity",
    "field_values",
    "mask",
    "mp3_channels",
    "observe",
]


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    headers: Mapping[str, str]  # lower-case names
    body: bytes = b""
    operation: str = ""  # `METHOD /template`

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            return None


@dataclass(frozen=True, slots=True)
class Undecided:
    reason: str


@dataclass(frozen=True, slots=True)
class Context:
    """What a kind reads besides the probe's answers (run.py gathers it)."""

    records: Sequence[Mapping[str, Any]] = ()  # the window's journal (identities)
    next_page: Answer | None = None  # page 1 of the same request (page-cap)
    pairs: Sequence[tuple[str, str]] = ()  # token pairs (token-lifetimes, refresh-twice)
    options: Mapping[str, Any] = field(default_factory=dict)


_DIGITS = re.compile(r"\d")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T[0-9:.]+(Z|[+-]\d{2}:?\d{2})?")


def mask(value: Any) -> Any:
    """Times, paths and numbers masked: what stays is the shape two services can share."""
    if isinstance(value, str):
        return _DIGITS.sub("9", _TIMESTAMP.sub("<time>", value))
    if isinstance(value, Mapping):
        return {k: mask(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask(v) for v in value]
    return value


def content_type(answer: Answer) -> str:
    return answer.headers.get("content-type", "").split(";")[0].strip().lower()


def field_values(document: Any, path: str) -> Iterator[Any]:
    """Values at `path`: dot-separated names, `[]` for each element (`[].customers[].isVip`)."""
    nodes: list[Any] = [document]
    for step in filter(None, path.split(".")):
        name, each = (step[:-2], True) if step.endswith("[]") else (step, False)
        found: list[Any] = []
        for node in nodes:
            if name:
                if not isinstance(node, Mapping) or name not in node:
                    continue
                node = node[name]
            if each:
                found.extend(node if isinstance(node, list) else [])
            else:
                found.append(node)
        nodes = found
    yield from nodes


def _parents(document: Any, path: str) -> list[Any]:
    """The objects that would hold the last name of `path`."""
    head, _, _ = path.rpartition(".")
    return list(field_values(document, head)) if head else [document]


def _type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "integer" if isinstance(value, int) else "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _status(answer: Answer) -> dict[str, Any]:
    seen: dict[str, Any] = {"status": answer.status, "contentType": content_type(answer)}
    body = answer.json()
    if answer.status >= 400 and isinstance(body, Mapping):
        seen["errorFields"] = sorted(body)
    return seen


def _is(value: Any, option: Any) -> bool:
    if isinstance(option, str) and option.endswith("*"):
        return str(value).startswith(option[:-1])
    return bool(value == option)


def _matches(record: Mapping[str, Any], where: Mapping[str, Any]) -> bool:
    """A record matches when each named field is one of the options (`PREFIX*` a prefix);
    an option `!VALUE` excludes instead, so `["!INTERNAL", "!HIMSELF"]` is every other value."""
    for name, wanted in where.items():
        value = record.get(name)
        options = wanted if isinstance(wanted, list) else [wanted]
        excluded = [o[1:] for o in options if isinstance(o, str) and o.startswith("!")]
        allowed = [o for o in options if not (isinstance(o, str) and o.startswith("!"))]
        if any(_is(value, o) for o in excluded):
            return False
        if allowed and not any(_is(value, o) for o in allowed):
            return False
    return True


class _Journal:
    """The functions an identity may call, over the window's records."""

    def __init__(self, records: Sequence[Mapping[str, Any]]) -> None:
        self.records = records

    def _of(self, where: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        return [r for r in self.records if _matches(r, where)]

    def records_(self, **where: Any) -> int:
        return len(self._of(where))

    def total(self, name: str, **where: Any) -> int:
        return sum(int(r.get(name) or 0) for r in self._of(where))

    def largest(self, name: str, **where: Any) -> int:
        return max((int(r.get(name) or 0) for r in self._of(where)), default=0)

    def distinct(self, name: str, **where: Any) -> int:
        return len({r.get(name) for r in self._of(where)})


_OPERATORS: Mapping[type, Callable[[Any, Any], Any]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b if b else 0,
    ast.FloorDiv: lambda a, b: a // b if b else 0,
    ast.Eq: lambda a, b: math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9),
    ast.LtE: lambda a, b: a <= b,
    ast.GtE: lambda a, b: a >= b,
    ast.Lt: lambda a, b: a < b,
    ast.Gt: lambda a, b: a > b,
}


def evaluate_identity(text: str, figures: Mapping[str, Any], journal: _Journal) -> bool:
    """Whether an identity of the spec holds: names are the answer's figures; `records`,
    `total`, `largest`, `distinct` and `floor` are read over the window's journal."""
    functions: Mapping[str, Callable[..., Any]] = {
        "records": journal.records_,
        "total": journal.total,
        "largest": journal.largest,
        "distinct": journal.distinct,
        "floor": math.floor,
    }

    def value(node: ast.AST) -> Any:
        if isinstance(node, ast.Expression):
            return value(node.body)
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.List):
            return [value(e) for e in node.elts]
        if isinstance(node, ast.Name):
            if node.id not in figures:
                raise ValueError(f"{text!r}: the answer has no figure {node.id!r}")
            return figures[node.id]
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            return _OPERATORS[type(node.op)](value(node.left), value(node.right))
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _OPERATORS:
            return _OPERATORS[type(node.ops[0])](value(node.left), value(node.comparators[0]))
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in functions
        ):
            args = [value(a) for a in node.args]
            kwargs = {str(k.arg): value(k.value) for k in node.keywords}
            return functions[node.func.id](*args, **kwargs)
        raise ValueError(f"{text!r}: {ast.dump(node)[:80]} is not an identity's syntax")

    return bool(value(ast.parse(text, mode="eval")))


def mp3_channels(data: bytes) -> str | None:
    """The channel mode of the first MPEG audio frame (after an ID3v2 tag)."""
    offset = 0
    if data[:3] == b"ID3" and len(data) >= 10:
        size = data[6:10]
        offset = 10 + ((size[0] << 21) | (size[1] << 14) | (size[2] << 7) | size[3])
    for index in range(offset, len(data) - 3):
        if data[index] == 0xFF and data[index + 1] & 0xE0 == 0xE0:
            return ("stereo", "joint stereo", "dual channel", "mono")[data[index + 3] >> 6]
    return None


def _lifetimes(pairs: Sequence[tuple[str, str]]) -> Any:
    if not pairs:
        return Undecided("no token pair")
    access, refresh = (jwt.decode(t, options={"verify_signature": False}) for t in pairs[0])
    if "exp" not in access or "exp" not in refresh:
        return Undecided("a token without `exp`")
    # In hours: what the guide states lifetimes in, and short enough to survive the redaction
    # of number-like digit runs in the report.
    return {
        "refreshOutlivesAccessHours": round((int(refresh["exp"]) - int(access["exp"])) / 3600, 2)
    }


def _download(answer: Answer, aspects: Sequence[str]) -> Any:
    seen = {
        "status": answer.status,
        "contentType": content_type(answer),
        "disposition": mask(answer.headers.get("content-disposition")),
        "range": mask(answer.headers.get("content-range")),
        "channels": mp3_channels(answer.body) if answer.status in (200, 206) else None,
    }
    return {aspect: seen[aspect] for aspect in aspects}


def observe(kind: str, answers: Sequence[Answer], context: Context) -> Any:
    """The observation of `kind` over the probe's `answers`, or `Undecided`."""
    options = context.options
    if kind == "status":
        return [_status(a) for a in answers]
    if kind == "token-lifetimes":
        return _lifetimes(context.pairs)
    if kind == "refresh-twice":
        if len(context.pairs) < 2:
            return Undecided("the refreshes were not sent (TELE2_ATS_ALLOW_WRITES=1)")
        return {"samePair": context.pairs[0] == context.pairs[1]}
    if kind == "download" and answers:
        return _download(answers[-1], tuple(options.get("aspects") or ("status",)))
    if not answers or answers[0].status != 200:
        got = answers[0].status if answers else "nothing"
        return Undecided(f"the probe's request answered {got}, not data")
    body = answers[0].json()
    if kind == "same":
        if any(a.status != 200 for a in answers):
            return Undecided("one of the requests was refused")
        return {"sameAnswer": all(a.body == answers[0].body for a in answers)}
    if kind == "count":
        if not isinstance(body, list) or not body:
            return Undecided("no record in the window")
        return {"count": len(body)}
    if kind == "page-cap":
        if not isinstance(body, list) or context.next_page is None:
            return Undecided("no page")
        following = context.next_page.json()
        if isinstance(following, list) and following:
            return {"cap": len(body)}
        return Undecided(f"the window holds {len(body)} records, fewer than any cap to find")
    path = str(options.get("field", ""))
    if kind == "type":
        types = sorted({_type(v) for v in field_values(body, path)})
        return {"types": types} if types else Undecided(f"no `{path}` to look at")
    if kind == "present":
        parents = [p for p in _parents(body, path) if isinstance(p, Mapping)]
        if not parents:
            return Undecided(f"no object that could hold `{path}`")
        name = path.rpartition(".")[2]
        return {"present": sorted({name in p for p in parents})}
    if kind == "empty":
        where = options.get("where") or {}
        name = path.rpartition(".")[2]
        rows = [p for p in _parents(body, path) if isinstance(p, Mapping) and _matches(p, where)]
        if not rows:
            return Undecided("no record of the kind in the window")
        return {"empty": sorted({not p.get(name) for p in rows})}
    if kind == "identities":
        if not context.records:
            return Undecided("no call in the window")
        journal = _Journal(context.records)
        failing = [
            text
            for text in options.get("identities") or ()
            if not evaluate_identity(str(text), body if isinstance(body, Mapping) else {}, journal)
        ]
        return {"failing": failing}
    raise ValueError(f"no observation {kind!r}")
