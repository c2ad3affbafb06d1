"""What a tenant file may say, checked: the format `tele2-ats-tenant/1` and its sections.

A tenant file describes one company: who it is (`company`), the users its tokens are issued
for (`users`), what the generator fills in (`generate`), its `employees`, `queues`,
`managers` with their customers, `blacklist`, its journal (`callRecords`, in the API's own
CallRecord shape, so that an answer of the real `GET /call-records/info` can be pasted as is),
what its recordings say (`recordings`) and a live `scenario` played by the mock clock from the
moment the file is loaded. Every section but `format` may be left out. docs/tenants.md shows
the format; the control API's spec holds its JSON Schema (`TenantFile` in
openapi/mock-admin.yaml, also published as openapi/tele2-ats-tenant.schema.json).

The rules of each field here are the schema's, field by field (tests/domain/test_tenant_model.py
holds the two to each other), checked by hand so that a file of 100,000 records is checked in
well under a second. What no JSON Schema can say (two objects with one id, a reference to an
employee the file does not have, a recording's date that is not its call's) is checked by
the loader (`tenants.py`) against the whole file and what the generator made, and is a
`rule` problem: the control API answers 409 when only such rules are broken, 400 when the
schema refuses the file.

Every problem is collected (`Problems`), not only the first, each with its JSON pointer and
its line and column in the file; at most `MAX_SHOWN_PROBLEMS` are kept, all are counted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final, NamedTuple

from mock_server.domain.errors import DocumentRefused, Problem, pointer_of
from mock_server.domain.media.transcripts import spoken_words
from mock_server.domain.rules.call_records import ANSWERED_PREFIX, CALL_STATUSES, CALL_TYPES
from mock_server.domain.rules.tenant_reader import (
    Duplicates,
    Item,
    Located,
    NonFinite,
    Section,
    Span,
    TenantDocument,
)
from mock_server.domain.storage.seed import SeededEmployee
from mock_server.domain.timeutil import parse_epoch_ms

__all__ = [
    "FORMAT",
    "LIMITS",
    "MAX_SHOWN_PROBLEMS",
    "SECTIONS",
    "STREAMED",
    "Field",
    "GenerateSpec",
    "ManagerSpec",
    "Problems",
    "QueueSpec",
    "RecordingSpec",
    "ScenarioCall",
    "StagedRecord",
    "TenantSpec",
    "read_tenant",
]

FORMAT: Final = "tele2-ats-tenant/1"
MAX_SHOWN_PROBLEMS: Final = 50

# How much a file may hold (the schema's maxItems); what a company of the real service holds
# is far below each.
LIMITS: Final = {
    "users": 100,
    "employees": 10_000,
    "queues": 200,
    "members": 1_000,
    "managers": 10_000,
    "customers": 10_000,
    "blacklist": 100_000,
    "callRecords": 5_000_000,
    "recordings": 1_000_000,
    "sentences": 1_000,
    "scenario": 10_000,
    "transfers": 20,
}
MAX_GENERATED_EMPLOYEES: Final = 1_000
MAX_SCENARIO_OFFSET: Final = 366 * 86_400
MAX_CALL_SECONDS: Final = 4 * 3600 * 6  # a conversation of a day, at most
MAX_RECORD_SECONDS: Final = 7 * 86_400
_FIRST_MS: Final = -62_135_596_800_000  # 0001-01-01T00:00:00Z
_LAST_MS: Final = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z

# Text fields: no control characters (a NUL, a newline in a name), bounded length.
_TEXT: Final = re.compile(r"[^\x00-\x1f\x7f]*")
_DIGITS: Final = re.compile(r"[0-9]+")
_MSISDN: Final = re.compile(r"7[0-9]{10}")
_PHONE: Final = re.compile(r"\+?[0-9]{3,15}")
_RECORD_NAME: Final = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})/(?:mo_)?[0-9]{1,30}")
_OFFSET_TEXT: Final = re.compile(r"(-?)(?:([0-9]{1,4}):)?([0-9]{1,2}):([0-9]{2}(?:\.[0-9]{1,3})?)")


# -- problems -------------------------------------------------------------------------------


class Problems:
    """Every problem of one file: the first `limit` kept (with where they are), all counted.
    `rule`: a problem the schema cannot state (the file is well formed); any other makes the
    file invalid by its schema."""

    def __init__(self, name: str, limit: int = MAX_SHOWN_PROBLEMS) -> None:
        self.name = name
        self.limit = limit
        self.kept: list[Problem] = []
        self.total = 0
        self.schema = False

    def add(
        self, where: Located | None, base: str, relative: str, message: str, *, rule: bool = False
    ) -> None:
        self.total += 1
        if not rule:
            self.schema = True
        if len(self.kept) >= self.limit:
            return
        span: Span | None = None
        if where is not None:
            span = where.locate(relative) or where.locate("")
        self.kept.append(
            Problem(
                base + relative,
                message,
                None if span is None else span.line,
                None if span is None else span.column,
            )
        )

    def extend(self, found: Iterable[Problem]) -> None:
        for problem in found:
            self.total += 1
            self.schema = True
            if len(self.kept) < self.limit:
                self.kept.append(problem)

    def __bool__(self) -> bool:
        return self.total > 0

    def refusal(self) -> DocumentRefused:
        return DocumentRefused(
            f"Tenant file {self.name}", self.kept, self.total, 400 if self.schema else 409
        )


# -- field rules (the schema's, field by field) ---------------------------------------------


@dataclass(frozen=True, slots=True)
class Field:
    """What one member of an object may be: `kind` is the JSON type (`string`, `integer`,
    `number`, `boolean`, `offset`: a number of seconds or `H:MM:SS`), with the bounds the
    schema gives it."""

    kind: str
    required: bool = False
    low: float | None = None
    high: float | None = None
    max_length: int | None = None
    min_length: int = 0
    pattern: re.Pattern[str] | None = None
    choices: tuple[str, ...] = ()
    nullable: bool = False
    hint: str = ""


def _text(max_length: int, *, required: bool = False, min_length: int = 0) -> Field:
    return Field("string", required, max_length=max_length, min_length=min_length, pattern=_TEXT)


def _integer(low: int, high: int, *, required: bool = False) -> Field:
    return Field("integer", required, low, high)


_INT64: Final = 2**63 - 1
_NAME: Final = _text(200)
_NUMBER: Final = Field("string", max_length=32, min_length=1, pattern=_TEXT)
_ID: Final = _integer(1, _INT64)

COMPANY: Final = {
    "id": _integer(1, 2**31 - 1),
    "name": _text(200, min_length=1),
    "mainNumber": Field("string", pattern=_MSISDN, hint="7XXXXXXXXXX"),
}
USER: Final = {
    "userId": _integer(1, _INT64, required=True),
    "login": _text(100, required=True, min_length=1),
}
HISTORY: Final = {
    "days": _integer(0, 366, required=True),
    "callsPerDay": _integer(0, 600, required=True),
}
# As a reset's (openapi/mock-admin.yaml, ResetRequest): a few seconds of seeding at most,
# whoever sends the file.
MAX_HISTORY_MONTH: Final = 31
MAX_QUIET_CALLS: Final = 50
GENERATE: Final = {
    "seed": _integer(0, _INT64),
    "employees": _integer(0, MAX_GENERATED_EMPLOYEES),
    "blacklist": Field("boolean"),
    "managers": Field("boolean"),
    "history": Field("object"),
}
EMPLOYEE: Final = {
    "employeeId": _integer(1, _INT64, required=True),
    "name": _NAME,
    "surname": _NAME,
    "fullNumber": Field("string", pattern=_MSISDN, hint="7XXXXXXXXXX"),
    "shortNumber": Field("string", pattern=_DIGITS, min_length=1, max_length=8, hint="digits"),
    "groupName": _NAME,
    "email": _text(254),
}
QUEUE: Final = {
    "name": _text(100, required=True, min_length=1),
    "members": Field("array"),
}
CUSTOMER: Final = {
    "id": _ID,
    "realNumber": Field("string", True, max_length=32, min_length=1, pattern=_TEXT),
    "companyName": _NAME,
    "info": _text(1000),
    "isVip": Field("boolean"),
    "name": _NAME,
}
MANAGER: Final = {
    "id": _ID,
    "employeeId": _integer(1, _INT64, required=True),
    "companyId": _integer(1, _INT64),
    "name": _NAME,
    "customers": Field("array"),
    "handleAllCustomers": Field("boolean"),
}
BLACKLIST_ENTRY: Final = {
    "id": _ID,
    "number": Field("string", True, pattern=_MSISDN, hint="7XXXXXXXXXX"),
    "sourceType": Field("string", choices=("FILE", "MANUAL")),
}
# The control API's `Instant`: RFC 3339 with seconds, an offset within ±18:00, years 1-9999.
INSTANT: Final = re.compile(
    r"([0-9]{3}[1-9]|[0-9]{2}[1-9]0|[0-9][1-9]00|[1-9]000)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]"
    r"|3[01])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9})?([Zz]|[+-]((0[0-9]"
    r"|1[0-7]):[0-5][0-9]|18:00))"
)
CALL_RECORD: Final = {
    "date": Field(
        "string",
        True,
        pattern=INSTANT,
        hint="a date-time with seconds and an offset, such as 2022-07-15T07:27:06.348Z",
    ),
    "callType": Field("string", True, choices=CALL_TYPES),
    "destinationNumber": _NUMBER,
    "callerNumber": Field("string", True, max_length=32, min_length=1, pattern=_TEXT),
    "callerName": _NAME,
    "calleeNumber": _NUMBER,
    "calleeName": _NAME,
    "callDuration": _integer(0, MAX_RECORD_SECONDS, required=True),
    "conversationDuration": _integer(0, MAX_RECORD_SECONDS),
    "callStatus": Field("string", True, choices=CALL_STATUSES),
    "recordFileName": Field(
        "string",
        True,
        max_length=64,
        pattern=re.compile(r"|" + _RECORD_NAME.pattern),
        hint="empty, or YYYY-MM-DD/<digits>",
    ),
    "uuid": Field("string", max_length=64, min_length=1, pattern=_TEXT),
}
SENTENCE: Final = {
    "channel": Field("string", True, choices=("A", "B")),
    "text": Field("string", True, max_length=1000, min_length=1, pattern=_TEXT),
    "at": Field("number", low=0, high=MAX_CALL_SECONDS),
}
RECORDING: Final = {
    "sentences": Field("array"),
    "transcript": Field("string", choices=("none",)),
}
TRANSFER: Final = {
    "at": Field("offset", True),
    "to": Field("string", True, pattern=_PHONE, hint="an employee's full or short number"),
}
SCENARIO_CALL: Final = {
    "at": Field("offset", True),
    "from": Field("string", True, pattern=_PHONE, hint="3 to 15 digits, an optional leading +"),
    "to": Field("string", pattern=_PHONE, hint="an employee's full or short number"),
    "queue": _text(100, min_length=1),
    "answeredBy": Field("string", pattern=_PHONE, hint="an employee's full or short number"),
    "answerAt": Field("offset"),
    "ringing": Field("string", pattern=_PHONE, hint="an employee's full or short number"),
    "ringSeconds": _integer(0, 600),
    "transfers": Field("array"),
    "hangupAt": Field("offset", True),
    "hungUpBy": Field("string", choices=("caller", "callee")),
    "status": Field("string", choices=CALL_STATUSES),
    "uuid": Field("string", max_length=64, min_length=1, pattern=_TEXT),
    "recordFileName": Field(
        "string", max_length=64, pattern=_RECORD_NAME, hint="YYYY-MM-DD/<digits>"
    ),
}

# section -> (shape, the rules of it or of each item, most items)
SECTIONS: Final[dict[str, tuple[str, Mapping[str, Field] | None, int | None]]] = {
    "format": ("value", None, None),
    "company": ("object", COMPANY, None),
    "users": ("array", USER, LIMITS["users"]),
    "generate": ("object", GENERATE, None),
    "employees": ("array", EMPLOYEE, LIMITS["employees"]),
    "queues": ("array", QUEUE, LIMITS["queues"]),
    "managers": ("array", MANAGER, LIMITS["managers"]),
    "blacklist": ("array", BLACKLIST_ENTRY, LIMITS["blacklist"]),
    "callRecords": ("array", CALL_RECORD, LIMITS["callRecords"]),
    "recordings": ("map", RECORDING, LIMITS["recordings"]),
    "scenario": ("array", SCENARIO_CALL, LIMITS["scenario"]),
}
STREAMED: Final = frozenset(
    key for key, (shape, _, _) in SECTIONS.items() if shape in ("array", "map")
)


def _what(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, NonFinite):
        return repr(value)
    if isinstance(value, int | float):
        text = repr(value)
        return f"the number {text if len(text) <= 40 else text[:37] + '...'}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the string {shown!r}"
    if isinstance(value, list):
        return "a list"
    return "an object"


_TYPE_WORDS: Final = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "object": "an object",
    "array": "a list",
    "offset": "seconds (a number) or a time such as 2:10",
}


class Checker:
    """Checks values against `Field`s, adding each problem to `problems` at `base` (the
    pointer of what `where` is) plus the value's own pointer."""

    def __init__(
        self, problems: Problems, where: Located | None, base: str, key: int | str | None = None
    ) -> None:
        self.problems = problems
        self.where = where
        self._base = base
        self._key = key  # the last step of `base`, made only when asked for (a problem's)

    @property
    def base(self) -> str:
        if self._key is not None:
            self._base += pointer_of(self._key)
            self._key = None
        return self._base

    def add(self, relative: str, message: str, *, rule: bool = False) -> None:
        self.problems.add(self.where, self.base, relative, message, rule=rule)

    def object(
        self, value: Any, rules: Mapping[str, Field], relative: str = ""
    ) -> dict[str, Any] | None:
        """The members of `value` that keep their rules (None if it is no object); a
        problem for every other, for each required member missing and each unknown one."""
        if not isinstance(value, dict):
            self.add(relative, f"expected an object, got {_what(value)}")
            return None
        if isinstance(value, Duplicates):
            for key in value.duplicates:
                self.add(relative + pointer_of(key), f"member {key!r} is given twice")
        kept: dict[str, Any] = {}
        for key, item in value.items():
            rule = rules.get(key)
            if rule is None:
                self.add(
                    relative + pointer_of(key),
                    f"{key!r} is not a member here; members: {', '.join(rules)}",
                )
                continue
            if item is None and not rule.nullable:
                self.add(relative + pointer_of(key), f"expected {_TYPE_WORDS[rule.kind]}, got null")
                continue
            if self.value(item, rule, relative + pointer_of(key)):
                kept[key] = item
        for key, rule in rules.items():
            if rule.required and key not in value:
                self.add(relative, f"{key!r} is required")
        return kept

    def value(self, value: Any, rule: Field, relative: str) -> bool:
        kind = rule.kind
        if isinstance(value, NonFinite):
            self.add(relative, value.message)
            return False
        if kind == "string":
            if not isinstance(value, str):
                self.add(
                    relative,
                    f"expected a string, got {_what(value)}"
                    + (
                        " (quote it)"
                        if isinstance(value, int | float) and not isinstance(value, bool)
                        else ""
                    ),
                )
                return False
            length = len(value)
            if length < rule.min_length:
                self.add(
                    relative,
                    "expected a non-empty string"
                    if rule.min_length == 1
                    else f"shorter than {rule.min_length} characters",
                )
                return False
            if rule.max_length is not None and length > rule.max_length:
                self.add(relative, f"longer than {rule.max_length} characters ({length})")
                return False
            if rule.choices and value not in rule.choices:
                self.add(relative, f"expected one of {', '.join(rule.choices)}, got {_what(value)}")
                return False
            if rule.pattern is not None and not rule.pattern.fullmatch(value):
                if rule.pattern is _TEXT:
                    self.add(relative, "holds a control character (such as a NUL or a newline)")
                else:
                    self.add(
                        relative,
                        f"expected {rule.hint or rule.pattern.pattern}, got {_what(value)}",
                    )
                return False
            return True
        if kind == "boolean":
            if not isinstance(value, bool):
                self.add(relative, f"expected true or false, got {_what(value)}")
                return False
            return True
        if kind in ("integer", "number"):
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or (kind == "integer" and not isinstance(value, int))
            ):
                self.add(relative, f"expected {_TYPE_WORDS[kind]}, got {_what(value)}")
                return False
            if (rule.low is not None and value < rule.low) or (
                rule.high is not None and value > rule.high
            ):
                self.add(
                    relative,
                    f"expected {_TYPE_WORDS[kind]} from {_bound(rule.low)} to "
                    f"{_bound(rule.high)}, got {_what(value)}",
                )
                return False
            return True
        if kind == "offset":
            if _offset(value) is None:
                self.add(
                    relative,
                    f"expected seconds from -86400 to {MAX_SCENARIO_OFFSET} (a number, to the "
                    f"millisecond) or a time such as 2:10 or 1:02:10, got {_what(value)}",
                )
                return False
            return True
        if kind == "object":
            if not isinstance(value, dict):
                self.add(relative, f"expected an object, got {_what(value)}")
                return False
            return True
        if kind == "array":
            if not isinstance(value, list):
                self.add(relative, f"expected a list, got {_what(value)}")
                return False
            return True
        raise AssertionError(kind)  # pragma: no cover

    def items(
        self, value: list[Any], rules: Mapping[str, Field], relative: str, limit: int
    ) -> Iterator[tuple[int, dict[str, Any]]]:
        """The objects of a nested list, each checked."""
        if len(value) > limit:
            self.add(relative, f"more than {limit} items ({len(value)})")
        for index, item in enumerate(value[:limit]):
            kept = self.object(item, rules, f"{relative}/{index}")
            if kept is not None:
                yield index, kept


def _bound(value: float | None) -> str:
    if value is None:
        return "any"
    return str(int(value)) if float(value).is_integer() else str(value)


def _offset(value: Any) -> int | None:
    """Seconds (a number, or `[H:]M:SS[.mmm]`, a leading `-` before) as milliseconds; None
    when it is neither or lies outside the scenario's bounds."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        ms = round(value * 1000)
    elif isinstance(value, str):
        match = _OFFSET_TEXT.fullmatch(value)
        if match is None:
            return None
        hours, minutes = int(match[2] or 0), int(match[3])
        ms = round(((hours * 60 + minutes) * 60 + float(match[4])) * 1000)
        if match[1]:
            ms = -ms
    else:
        return None
    if not -86_400_000 <= ms <= MAX_SCENARIO_OFFSET * 1000:
        return None
    return ms


# -- what a checked file says -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GenerateSpec:
    """`generate`: what the generator fills in, with which seed (None: the mock's)."""

    seed: int | None = None
    employees: int | None = None
    blacklist: bool = True
    managers: bool = True
    history_days: int | None = None
    calls_per_day: int | None = None


@dataclass(frozen=True, slots=True)
class CustomerSpec:
    id: int | None
    real_number: str
    company_name: str | None
    info: str | None
    is_vip: bool
    name: str | None


@dataclass(frozen=True, slots=True)
class ManagerSpec:
    id: int | None
    employee_id: int
    name: str | None
    handle_all: bool
    customers: tuple[CustomerSpec, ...]
    pointer: str
    where: Located | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class QueueSpec:
    name: str
    members: tuple[int, ...]
    pointer: str
    where: Located | None = field(default=None, compare=False, repr=False)


class StagedRecord(NamedTuple):
    """A call record as the journal keeps it: the row's columns (call_rows.CALL_COLUMNS after
    the company; a tuple, made for each of a file's records) and the uuid the file gave."""

    started_at: int
    call_type: str
    call_status: str
    destination_number: str | None
    caller_number: str
    caller_name: str | None
    callee_number: str | None
    callee_name: str | None
    call_duration: int
    conversation_duration: int | None
    record_file_name: str
    uuid: str | None


@dataclass(frozen=True, slots=True)
class RecordingSpec:
    """What a recording says: `audio` False, no file at all (the recording and its
    transcript both answer 404); `transcript` False, no transcript; `script` the sentences
    (channel, where the sentence starts in seconds or None, text), None: the generator's
    dialogue."""

    audio: bool
    transcript: bool
    script: tuple[tuple[str, float | None, str], ...] | None


@dataclass(frozen=True, slots=True)
class ScenarioCall:
    at_ms: int
    caller: str
    to: str | None
    queue: str | None
    answered_by: str | None
    answer_ms: int | None
    ring_seconds: int | None
    ringing: str | None
    transfers: tuple[tuple[int, str], ...]  # (ms from the load, employee number)
    hangup_ms: int
    hung_up_by: str | None
    status: str | None
    uuid: str | None
    record_file_name: str | None
    pointer: str
    where: Located | None = field(default=None, compare=False, repr=False)


@dataclass(slots=True)
class TenantSpec:
    """A checked tenant file, but for its call records and recordings, which the reader hands
    to the loader's staging as they are read."""

    company_id: int | None = None
    name: str | None = None
    main_number: str | None = None
    users: list[tuple[int, str]] = field(default_factory=list)
    users_given: bool = False
    generate: GenerateSpec | None = None
    employees: list[tuple[SeededEmployee, str, Located | None]] = field(default_factory=list)
    queues: list[QueueSpec] | None = None
    managers: list[ManagerSpec] = field(default_factory=list)
    blacklist: list[tuple[int | None, str, str, str, Located | None]] = field(default_factory=list)
    scenario: list[ScenarioCall] = field(default_factory=list)
    records: int = 0
    recordings: int = 0


# The loader's staging: (file index, record, where) and (name, recording, where).
RecordSink = Callable[[int, StagedRecord, Item], None]
RecordingSink = Callable[[str, RecordingSpec, Item], None]


def read_tenant(
    document: TenantDocument,
    problems: Problems,
    stage_record: RecordSink,
    stage_recording: RecordingSink,
) -> TenantSpec:
    """Read and check `document`, section by section; call records and recordings go to the
    sinks as they are read (only those without a problem). Every problem found is added to
    `problems`."""
    spec = TenantSpec()
    seen_format = False
    for section in document.sections(STREAMED):
        shape_rules = SECTIONS.get(section.key)
        pointer = document.prefix + pointer_of(section.key)
        if shape_rules is None:
            problems.add(
                section,
                pointer,
                "",
                f"{section.key!r} is not a section of a tenant file; sections: "
                f"{', '.join(SECTIONS)}",
            )
            _drain(section)
            continue
        shape, rules, limit = shape_rules
        check = Checker(problems, section, pointer)
        if section.key == "format":
            seen_format = True
            if section.value != FORMAT:
                check.add("", f"expected {FORMAT!r}, got {_what(section.value)}")
            continue
        if shape == "object":
            assert rules is not None
            kept = check.object(section.value, rules)
            if kept is not None:
                _SECTION_READERS[section.key](spec, kept, check)
            continue
        expected = "object" if shape == "map" else "array"
        if section.items is None or section.kind != expected:
            check.add(
                "",
                f"expected {'an object' if expected == 'object' else 'a list'}, "
                f"got {_what(section.value)}",
            )
            _drain(section)
            continue
        assert rules is not None
        assert limit is not None
        if section.key == "callRecords":  # most of a large file: its own loop
            _records(spec, section.items, problems, pointer, limit, stage_record)
            continue
        count = 0
        reader = _ITEM_READERS[section.key]
        for item in section.items:
            count += 1
            if count > limit:
                if count == limit + 1:
                    check.add("", f"more than {limit} items")
                continue
            reader(
                spec,
                item,
                Checker(problems, item, pointer, item.key),
                stage_record,
                stage_recording,
            )
    problems.extend(document.problems)
    if not seen_format:
        problems.add(None, document.prefix, "", f'\'format\' is required: "format": "{FORMAT}"')
    return spec


def _drain(section: Section) -> None:
    if section.items is not None:
        for _ in section.items:
            pass


# -- sections ---------------------------------------------------------------------------------


def _company(spec: TenantSpec, kept: dict[str, Any], check: Checker) -> None:
    spec.company_id = kept.get("id")
    spec.name = kept.get("name")
    spec.main_number = kept.get("mainNumber")


def _generate(spec: TenantSpec, kept: dict[str, Any], check: Checker) -> None:
    days = calls = None
    if "history" in kept:
        history = check.object(kept["history"], HISTORY, "/history")
        if history is not None and "days" in history and "callsPerDay" in history:
            days, calls = history["days"], history["callsPerDay"]
            if days > MAX_HISTORY_MONTH and calls > MAX_QUIET_CALLS:
                check.add(
                    "/history",
                    f"at most {MAX_HISTORY_MONTH} days of up to 600 calls a day, or 366 days "
                    f"of up to {MAX_QUIET_CALLS}; got {days} x {calls}",
                )
                days = calls = None
    spec.generate = GenerateSpec(
        seed=kept.get("seed"),
        employees=kept.get("employees"),
        blacklist=kept.get("blacklist", True),
        managers=kept.get("managers", True),
        history_days=days,
        calls_per_day=calls,
    )


_SECTION_READERS: Final[dict[str, Callable[[TenantSpec, dict[str, Any], Checker], None]]] = {
    "company": _company,
    "generate": _generate,
}


def _user(spec: TenantSpec, item: Item, check: Checker, *_: Any) -> None:
    spec.users_given = True
    kept = check.object(item.value, USER)
    if kept is not None and len(kept) == 2:
        spec.users.append((kept["userId"], kept["login"]))


def _employee(spec: TenantSpec, item: Item, check: Checker, *_: Any) -> None:
    kept = check.object(item.value, EMPLOYEE)
    if kept is None or "employeeId" not in kept:
        return
    employee = SeededEmployee(
        kept["employeeId"],
        kept.get("name"),
        kept.get("surname"),
        kept.get("fullNumber"),
        kept.get("shortNumber"),
        kept.get("groupName"),
        kept.get("email"),
    )
    spec.employees.append((employee, check.base, item))


def _queue(spec: TenantSpec, item: Item, check: Checker, *_: Any) -> None:
    if spec.queues is None:
        spec.queues = []
    kept = check.object(item.value, QUEUE)
    if kept is None or "name" not in kept:
        return
    members: list[int] = []
    for index, member in enumerate(kept.get("members", [])[: LIMITS["members"] + 1]):
        if index == LIMITS["members"]:
            check.add("/members", f"more than {LIMITS['members']} members")
            break
        if check.value(member, EMPLOYEE["employeeId"], f"/members/{index}"):
            members.append(member)
    spec.queues.append(QueueSpec(kept["name"], tuple(members), check.base, item))


def _manager(spec: TenantSpec, item: Item, check: Checker, *_: Any) -> None:
    kept = check.object(item.value, MANAGER)
    if kept is None or "employeeId" not in kept:
        return
    customers = [
        CustomerSpec(
            c.get("id"),
            c["realNumber"],
            c.get("companyName"),
            c.get("info"),
            c.get("isVip", False),
            c.get("name"),
        )
        for _, c in check.items(
            kept.get("customers", []), CUSTOMER, "/customers", LIMITS["customers"]
        )
        if "realNumber" in c
    ]
    spec.managers.append(
        ManagerSpec(
            kept.get("id"),
            kept["employeeId"],
            kept.get("name"),
            kept.get("handleAllCustomers", False),
            tuple(customers),
            check.base,
            item,
        )
    )


def _blacklist(spec: TenantSpec, item: Item, check: Checker, *_: Any) -> None:
    kept = check.object(item.value, BLACKLIST_ENTRY)
    if kept is None or "number" not in kept:
        return
    spec.blacklist.append(
        (kept.get("id"), kept["number"], kept.get("sourceType", "MANUAL"), check.base, item)
    )


def _records(
    spec: TenantSpec,
    items: Iterator[Item],
    problems: Problems,
    pointer: str,
    limit: int,
    stage_record: RecordSink,
) -> None:
    """The call records, each checked in one pass (`quick_record`), and by the full check
    only when something is off, which then says what."""
    count = 0
    for item in items:
        count += 1
        if count > limit:
            if count == limit + 1:
                problems.add(None, pointer, "", f"more than {limit} items")
            continue
        record = quick_record(item.value, clean=item.clean)
        if record is None:
            record = check_record(item.value, Checker(problems, item, pointer, item.key))
        if record is not None:
            stage_record(count - 1, record, item)
    spec.records = count


_RECORD_KEYS: Final = frozenset(CALL_RECORD)
_RECORD_REQUIRED: Final = frozenset(key for key, rule in CALL_RECORD.items() if rule.required)
_CALL_TYPES: Final = frozenset(CALL_TYPES)
_CALL_STATUSES: Final = frozenset(CALL_STATUSES)
_DAYS: dict[str, int] = {}  # a date's epoch milliseconds, for the records of a file
_EPOCH_DAY: Final = date(1970, 1, 1)


def _text_ok(value: Any, low: int, high: int, clean: bool) -> bool:
    """A string of `low` to `high` characters, none a control character (which, in JSON, only
    an escape can write: a `clean` item has none)."""
    return (
        type(value) is str
        and low <= len(value) <= high
        and (clean or _TEXT.fullmatch(value) is not None)
    )


def _epoch_ms(text: str) -> int | None:
    """`YYYY-MM-DDTHH:MM:SS.mmmZ` (as the journal writes dates) in epoch milliseconds; None
    for any other form (read by the general parser)."""
    if len(text) != 24 or text[19] != "." or text[23] != "Z":
        return None
    day = _DAYS.get(text[:10])
    if day is None:
        try:
            day = (date.fromisoformat(text[:10]) - _EPOCH_DAY).days * 86_400_000
        except ValueError:
            return None
        if len(_DAYS) < 100_000:
            _DAYS[text[:10]] = day
    return (
        day
        + int(text[11:13]) * 3_600_000
        + int(text[14:16]) * 60_000
        + int(text[17:19]) * 1000
        + int(text[20:23])
    )


def quick_record(value: Any, *, clean: bool = False) -> StagedRecord | None:
    """A call record that keeps every rule, as the journal keeps it, checked in one pass (a
    file's records are most of it); None when anything is off, for `check_record` to say
    what. The same rules as `check_record` (tests/domain/test_tenant_files.py holds the two
    together). `clean`: the record's text holds no escape (`Item.clean`)."""
    if type(value) is not dict:
        return None
    keys = value.keys()
    if not _RECORD_REQUIRED <= keys <= _RECORD_KEYS:
        return None
    stamp = value["date"]
    status = value["callStatus"]
    duration = value["callDuration"]
    talk = value.get("conversationDuration")
    name = value["recordFileName"]
    if (
        type(stamp) is not str
        or INSTANT.fullmatch(stamp) is None
        or type(value["callType"]) is not str
        or value["callType"] not in _CALL_TYPES
        or type(status) is not str
        or status not in _CALL_STATUSES
        or not _text_ok(value["callerNumber"], 1, 32, clean)
        or type(duration) is not int
        or not 0 <= duration <= MAX_RECORD_SECONDS
        or type(name) is not str
        or (name and (len(name) > 64 or _RECORD_NAME.fullmatch(name) is None))
    ):
        return None
    for key, low, high in _OPTIONAL_TEXTS:
        if key in value and not _text_ok(value[key], low, high, clean):
            return None
    if talk is not None and (
        type(talk) is not int or not 0 <= talk <= duration or not status.startswith(ANSWERED_PREFIX)
    ):
        return None
    started = _epoch_ms(stamp)
    if started is None:
        return None
    if name and (name[:10] != stamp[:10] or not talk):
        return None
    return StagedRecord(
        started,
        value["callType"],
        status,
        value.get("destinationNumber"),
        value["callerNumber"],
        value.get("callerName"),
        value.get("calleeNumber"),
        value.get("calleeName"),
        duration,
        talk,
        name,
        value.get("uuid"),
    )


_OPTIONAL_TEXTS: Final = (
    ("destinationNumber", 1, 32),
    ("calleeNumber", 1, 32),
    ("callerName", 0, 200),
    ("calleeName", 0, 200),
    ("uuid", 1, 64),
)


def check_record(value: Any, check: Checker) -> StagedRecord | None:
    """A call record as the journal keeps it, or None (its problems added)."""
    before = check.problems.total
    kept = check.object(value, CALL_RECORD)
    if kept is None or check.problems.total != before:
        return None
    try:
        started = parse_epoch_ms(kept["date"], "date", where="Field")
    except Exception:
        check.add(
            "/date",
            "expected a date-time with an offset such as 2022-07-15T07:27:06.348Z, "
            f"got {_what(kept['date'])}",
        )
        return None
    if not _FIRST_MS <= started <= _LAST_MS:
        check.add("/date", "outside the years 0001 to 9999 in UTC", rule=True)
        return None
    status = kept["callStatus"]
    talk = kept.get("conversationDuration")
    answered = status.startswith(ANSWERED_PREFIX)
    if talk is not None and not answered:
        check.add(
            "/conversationDuration",
            "only an answered call (callStatus ANSWERED_*) has a conversation; "
            f"this one is {status}",
        )
        return None
    name = kept["recordFileName"]
    if name:
        problem = record_name_problem(name, started, talk)
        if problem:
            check.add("/recordFileName", problem, rule=True)
            return None
    if talk is not None and talk > kept["callDuration"]:
        check.add(
            "/conversationDuration",
            f"longer than the whole call (callDuration {kept['callDuration']})",
            rule=True,
        )
        return None
    return StagedRecord(
        started,
        kept["callType"],
        status,
        kept.get("destinationNumber"),
        kept["callerNumber"],
        kept.get("callerName"),
        kept.get("calleeNumber"),
        kept.get("calleeName"),
        kept["callDuration"],
        talk,
        name,
        kept.get("uuid"),
    )


def record_name_problem(name: str, started_ms: int, talk: int | None) -> str | None:
    """Why a record's `recordFileName` cannot be its call's (None when it can): its date is
    the UTC date of the call's start, and only a conversation is recorded. (`mo_` marks a
    call the company placed in the guide's words, yet its own example gives it to an incoming
    call: it is not held to the call's type.)"""
    day = (date(1970, 1, 1) + timedelta(days=started_ms // 86_400_000)).isoformat()
    if not name.startswith(day + "/"):
        return (
            f"the recording's date {name[:10]} is not the call's (the UTC date of its "
            f"'date', {day})"
        )
    if not talk:
        return "a recording needs a conversation: conversationDuration of 1 second or more"
    return None


def _recording(
    spec: TenantSpec, item: Item, check: Checker, _: Any, stage_recording: RecordingSink
) -> None:
    spec.recordings += 1
    name = str(item.key)
    if not _RECORD_NAME.fullmatch(name):
        # OpenAPI 3.0's schemas cannot name the pattern of a member's name: a rule beyond.
        check.add("", f"not a recordFileName (YYYY-MM-DD/<digits>): {name!r}", rule=True)
        return
    value = item.value
    if value == "none":
        stage_recording(name, RecordingSpec(False, False, None), item)
        return
    kept = check.object(value, RECORDING)
    if kept is None:
        return
    script = None
    if "sentences" in kept:
        sentences = []
        for index, sentence in check.items(
            kept["sentences"], SENTENCE, "/sentences", LIMITS["sentences"]
        ):
            if "channel" in sentence and "text" in sentence:
                words = spoken_words(sentence["text"])
                if not words:
                    check.add(
                        f"/sentences/{index}/text", "says no word (letters or digits)", rule=True
                    )
                    continue
                at = sentence.get("at")
                sentences.append(
                    (sentence["channel"], None if at is None else float(at), " ".join(words))
                )
        if not kept["sentences"]:
            check.add("/sentences", "expected at least one sentence")
        script = tuple(sentences)
    if not kept:
        check.add("", "expected 'sentences', 'transcript': 'none', or the string 'none' (no file)")
        return
    stage_recording(name, RecordingSpec(True, kept.get("transcript") != "none", script), item)


def _scenario(spec: TenantSpec, item: Item, check: Checker, *_: Any) -> None:
    before = check.problems.total
    kept = check.object(item.value, SCENARIO_CALL)
    if kept is None or check.problems.total != before:
        return
    at = _offset(kept["at"])
    hangup = _offset(kept["hangupAt"])
    answer = _offset(kept["answerAt"]) if "answerAt" in kept else None
    assert at is not None
    assert hangup is not None
    if "to" in kept and "queue" in kept:
        check.add("", "a call comes to an employee ('to') or into a queue ('queue'), not both")
        return
    if ("answeredBy" in kept) != ("answerAt" in kept):
        check.add("", "'answeredBy' and 'answerAt' go together: who answers, and when")
        return
    transfers: list[tuple[int, str]] = []
    for index, transfer in check.items(
        kept.get("transfers", []), TRANSFER, "/transfers", LIMITS["transfers"]
    ):
        moment = _offset(transfer.get("at"))
        if moment is not None and "to" in transfer:
            transfers.append((moment, transfer["to"]))
            if answer is None or not answer < moment < hangup:
                check.add(
                    f"/transfers/{index}/at",
                    "a transfer comes after the answer and before the hang-up",
                    rule=True,
                )
            elif len(transfers) > 1 and moment <= transfers[-2][0]:
                check.add(f"/transfers/{index}/at", "transfers come in time order", rule=True)
    ring = kept.get("ringSeconds")
    status = kept.get("status")
    if answer is not None:
        if "ringing" in kept:
            check.add("/ringing", "an answered call rings at 'answeredBy'", rule=True)
        if (answer - at) % 1000 or answer - at < (ring or 0) * 1000:
            check.add(
                "/answerAt",
                f"the answer comes whole seconds after 'at', {ring} (ringSeconds) or more",
                rule=True,
            )
        if (hangup - answer) % 1000 or hangup - answer < 1000:
            check.add(
                "/hangupAt",
                "the hang-up comes whole seconds after the answer, 1 or more",
                rule=True,
            )
        if status is not None and not status.startswith(ANSWERED_PREFIX):
            check.add(
                "/status",
                f"an answered call's status is one of ANSWERED_*, got {status}",
                rule=True,
            )
    else:
        if (hangup - at) % 1000 or hangup < at:
            check.add("/hangupAt", "the hang-up comes whole seconds after 'at'", rule=True)
        elif ring is not None and ring * 1000 > hangup - at:
            check.add("/ringSeconds", "longer than the call (from 'at' to 'hangupAt')", rule=True)
        if status is not None and status.startswith(ANSWERED_PREFIX):
            check.add(
                "/status", f"nobody answers this call: its status cannot be {status}", rule=True
            )
        if "recordFileName" in kept:
            check.add("/recordFileName", "nobody answers this call: it has no recording", rule=True)
    if check.problems.total != before:
        return
    spec.scenario.append(
        ScenarioCall(
            at,
            kept["from"],
            kept.get("to"),
            kept.get("queue"),
            kept.get("answeredBy"),
            answer,
            ring,
            kept.get("ringing"),
            tuple(transfers),
            hangup,
            kept.get("hungUpBy"),
            kept.get("status"),
            kept.get("uuid"),
            kept.get("recordFileName"),
            check.base,
            item,
        )
    )


_ITEM_READERS: Final[dict[str, Callable[..., None]]] = {
    "users": _user,
    "employees": _employee,
    "queues": _queue,
    "managers": _manager,
    "blacklist": _blacklist,
    "recordings": _recording,
    "scenario": _scenario,
}
