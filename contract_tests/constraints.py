"""Constraints the spec states in prose where JSON Schema cannot, applied to positive cases.

Schemathesis's `positive_data_acceptance` requires a 2xx (or 401/403/404/409/429) for every
request its schema-valid ("positive") generation produces. Some rules of the spec live in
descriptions, not schemas, and a request that breaks them is invalid by the spec even though
the schema admits it. A `map_case` hook rewrites such positive cases into ones that keep the
rule (deterministically, so Hypothesis can still shrink); negative cases are left alone, so
the server is still fuzzed with what breaks the rules, and every check stays on.

- Windows: `start` "inclusive" and `end` "exclusive" name a window `[start, end)` (spec,
  components/parameters Start and End): `start` must be before `end`. JSON Schema cannot
  compare two parameters, so this one stays a hook for good. Their format is «ISO OFFSET DATE
  TIME», Java's `DateTimeFormatter.ISO_OFFSET_DATE_TIME` (the service is Spring), whose
  offsets lie within ±18:00; `format: date-time` (RFC 3339) admits up to ±23:59.
- `filename` is "A record's `recordFileName` (`YYYY-MM-DD/<id>`), single- or double-encoded"
  (components/parameters/Filename), but its schema is any non-empty string.
- `sort` is "a field of the record (`date`, `callType`, ...) ... An unknown field answers
  400" (GET /call-records/info), but its pattern admits any letters.
- A manager's customers: `realNumber` is "unique among the company's managers"; the mock
  refuses (400) a body naming one number twice or a blank (whitespace) number. The spec does
  not say so yet (proposed to the lead: one sentence in the description of POST/PUT
  /managers and a non-blank `pattern` on `realNumber`).

`filename`, `sort` and the offsets could be schema keywords (a `pattern` each): proposed to
the lead. Until then the hook keeps positive generation inside what the prose allows; each
rewrite was found necessary by a failing run (see the report).
"""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from typing import Any, Final

import schemathesis
from schemathesis import Case

from contract_tests.checks import epoch_ms, parse_instant

__all__ = ["SORT_FIELDS", "install_constraints", "keep_documented_constraints"]

SORT_FIELDS: Final = (
    "date",
    "callType",
    "destinationNumber",
    "callerNumber",
    "callerName",
    "calleeNumber",
    "calleeName",
    "callDuration",
    "conversationDuration",
    "callStatus",
    "recordFileName",
    "uuid",
)
_WINDOWED: Final = frozenset({"/statistics/common", "/statistics/journal", "/call-records/info"})
_FILENAMED: Final = frozenset({"/call-records/file", "/call-records/file/stt"})


def _digest(value: object) -> int:
    return int.from_bytes(hashlib.sha256(repr(value).encode()).digest()[:8], "big")


def _iso(instant: Any) -> str:
    return str(instant.isoformat().replace("+00:00", "Z"))


_OFFSET: Final = re.compile(r"([+-])(\d{2}):(\d{2})$")
_MAX_OFFSET_MINUTES: Final = 18 * 60


def _clamp_offset(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    match = _OFFSET.search(value)
    if match is None or int(match[2]) * 60 + int(match[3]) <= _MAX_OFFSET_MINUTES:
        return value
    return value[: match.start()] + match[1] + "18:00"


def _fix_window(query: dict[str, Any]) -> None:
    for name in ("start", "end"):
        if name in query:
            query[name] = _clamp_offset(query[name])
    start, end = parse_instant(query.get("start")), parse_instant(query.get("end"))
    # Compared as the service compares them, in whole milliseconds.
    if start is None or end is None or epoch_ms(start) < epoch_ms(end):
        return
    if epoch_ms(start) > epoch_ms(end):
        query["start"], query["end"] = query["end"], query["start"]
        return
    try:
        query["end"] = _iso(end + timedelta(seconds=1))
    except OverflowError:
        query["start"] = _iso(start - timedelta(seconds=1))


def _fix_filename(query: dict[str, Any]) -> None:
    from mock_server.domain.journal import normalize_filename  # the documented shape

    value = query.get("filename")
    if not isinstance(value, str):
        return
    try:
        normalize_filename(value)
    except Exception:
        # A name of the documented shape (that no call has: 404), drawn from the original.
        digest = _digest(value)
        query["filename"] = f"20{digest % 30:02d}-0{1 + digest % 9}-1{digest % 9}/{digest}"


def _fix_sort(query: dict[str, Any]) -> None:
    value = query.get("sort")
    if not isinstance(value, str):
        return
    field, comma, direction = value.partition(",")
    if field in SORT_FIELDS:
        return
    query["sort"] = SORT_FIELDS[_digest(value) % len(SORT_FIELDS)] + comma + direction


def _fix_customers(body: Any) -> None:
    if not isinstance(body, dict) or not isinstance(body.get("customers"), list):
        return
    seen: set[str] = set()
    for index, customer in enumerate(body["customers"]):
        if not isinstance(customer, dict) or not isinstance(customer.get("realNumber"), str):
            continue
        number = customer["realNumber"].strip()
        if not number or number in seen:
            number = f"7900{_digest((index, customer['realNumber'])) % 10**7:07d}"
            while number in seen:
                number = str(int(number) + 1)
            customer["realNumber"] = number
        seen.add(number)


def keep_documented_constraints(context: schemathesis.HookContext, case: Case[Any]) -> Case[Any]:
    """The `map_case` hook: positive cases are made to keep the prose rules above."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return case
    path = case.operation.path
    if isinstance(case.query, dict):
        if path in _WINDOWED:
            _fix_window(case.query)
        if path in _FILENAMED:
            _fix_filename(case.query)
        if path == "/call-records/info":
            _fix_sort(case.query)
    if path == "/managers":
        _fix_customers(case.body)
    return case


_INSTALLED: dict[int, object] = {}


def install_constraints(schema: schemathesis.BaseSchema) -> None:
    schema.hook("map_case")(keep_documented_constraints)
    _INSTALLED[id(schema.raw_schema)] = schema.raw_schema


@schemathesis.hook("before_call")
def constraints_before_call(
    context: schemathesis.HookContext, case: Case[Any], kwargs: dict[str, Any]
) -> None:
    """Once more just before sending: a stateful step takes parts of its request from a link
    after generation (and after `map_case`), e.g. a manager listed merged into the body of
    PUT /managers, which may then name a customer twice."""
    raw = case.operation.schema.raw_schema
    if _INSTALLED.get(id(raw)) is raw:
        keep_documented_constraints(context, case)
