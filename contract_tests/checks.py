"""Checks Schemathesis's built-ins cannot see, registered for every schema of the run.

- `token_rejections_are_documented`: token failures are 403 with a documented body (the two
  `details` bodies or the Spring body), never 401; a request without a usable token is refused,
  probed once per operation (no token, a `Bearer ` prefix, a superseded token when the run can
  mint one).
- `recordings_are_mp3`: GET /call-records/file answers audio/mpeg whose bytes are MPEG audio
  frames from start to end (after an optional ID3v2 tag) that mutagen decodes; a 206 holds
  exactly the range its Content-Range names.
- `call_records_follow_the_query`: a page of GET /call-records/info never exceeds the size
  served (`size` as Spring Data caps it, D17), is sorted as the `sort` values ask (several
  properties and repeated values, D23; absent values first ascending, last descending), lies in
  the window and honours `caller`, `callee` (in any of the 7-, 8- and +7-forms, D22) and
  `is_recorded`; unanswered calls have no recording (D11).
- `statistics_match_the_journal`: GET /statistics/common and /statistics/journal equal the
  figures computed, by the spec's definitions, from GET /call-records/info over the same window;
  the two hang-up counts, whose party is not a field of the record, add up to the answered
  calls (D20).
- `tenant_isolation`: every manager answered belongs to the token's company, and another
  company's token neither reads the object nor lists any of the ids answered.

Checks that need more than the response (another company's token, a superseded token, how
many journal pages a comparison may read) take it from the `ContractEnvironment` bound to the
schema; without one they do only what needs nothing.
"""

from __future__ import annotations

import io
import itertools
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final
from urllib.parse import unquote, urlsplit

import mutagen.mp3
import schemathesis
from requests.structures import CaseInsensitiveDict
from schemathesis import Case, CheckContext, Response

from contract_tests.settings import REFRESH_PATH
from contract_tests.tokens import claims_of

__all__ = [
    "CHECKS",
    "ContractEnvironment",
    "bind_environment",
    "call_records_follow_the_query",
    "environment_of",
    "epoch_ms",
    "mp3_problems",
    "parse_instant",
    "recordings_are_mp3",
    "statistics_match_the_journal",
    "tenant_isolation",
    "token_rejections_are_documented",
]

TOKEN_DETAILS: Final = frozenset({"The token is expired", "The token has already been updated"})
SPRING_FIELDS: Final = frozenset({"timestamp", "status", "error", "message", "path"})
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
JOURNAL_PAGE: Final = 2000  # the largest page Spring Data serves (D17)
DEFAULT_PAGE_SIZE: Final = 10

RECORDS: Final = "/call-records/info"
RECORDING: Final = "/call-records/file"
TRANSCRIPT: Final = "/call-records/file/stt"
COMMON_STATISTICS: Final = "/statistics/common"
JOURNAL_STATISTICS: Final = "/statistics/journal"


@dataclass
class ContractEnvironment:
    """What the checks of one schema may use beyond the response."""

    # An access token of a different company than the one under test (tenant isolation).
    other_company_token: Callable[[], str] | None = None
    # Renews that token after a 403 (it expires by the clock like any other).
    renew_other_company_token: Callable[[str], str] | None = None
    # A token of the tested company that the API must refuse with a `details` body, and that
    # body's `details`: for `kind` "access" or "refresh", a superseded token of another user,
    # minted through the mock's control API.
    refused_token: Callable[[str], tuple[str, str]] | None = None
    # Resend writes with a missing or malformed token (only where that is harmless).
    probe_writes: bool = True
    # How many pages of the journal a statistics comparison may read; beyond, it is skipped.
    max_journal_pages: int = 20
    # Operations whose token failures were probed already (once per operation per run).
    probed: set[str] = field(default_factory=set)


_ENVIRONMENTS: dict[int, tuple[object, ContractEnvironment]] = {}


def bind_environment(schema: schemathesis.BaseSchema, environment: ContractEnvironment) -> None:
    """Bind `environment` to `schema` and every clone of it (they share the raw schema)."""
    _ENVIRONMENTS[id(schema.raw_schema)] = (schema.raw_schema, environment)


def environment_of(case: Case[Any]) -> ContractEnvironment:
    entry = _ENVIRONMENTS.get(id(case.operation.schema.raw_schema))
    if entry is None or entry[0] is not case.operation.schema.raw_schema:
        return ContractEnvironment(probe_writes=False)
    return entry[1]


# ---------------------------------------------------------------------------------------------
# Helpers


def _header(response: Response, name: str) -> str | None:
    values = response.headers.get(name.lower())
    return values[0] if values else None


def _sent_token(case: Case[Any], response: Response) -> str | None:
    """The token the request carried, as sent (set on the case or passed to the call)."""
    token: object = response.request.headers.get("Authorization")
    if token is None and case.headers is not None:
        token = case.headers.get("Authorization")
    return token if isinstance(token, str) else None


def _json(response: Response, what: str) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise AssertionError(
            f"{what}: the body is not JSON: {response.text_lossy()[:200]!r}"
        ) from exc


def _request_path(response: Response) -> str:
    return urlsplit(str(response.request.url)).path


def follow_up(
    case: Case[Any],
    method: str,
    path: str,
    *,
    token: str | None,
    query: Mapping[str, Any] | None = None,
    path_parameters: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Send another request to the same target (app, mock process or guarded real service)."""
    operation = case.operation.schema[path][method]
    all_headers: CaseInsensitiveDict[str] = CaseInsensitiveDict(headers or {})
    if token is not None:
        all_headers["Authorization"] = token
    request = operation.Case(
        query=dict(query or {}),
        path_parameters=dict(path_parameters or {}),
        headers=all_headers,
    )
    return send(request)


def send(case: Case[Any]) -> Response:
    """Send `case` where the run sends: the schema's app, else the base URL set at run time
    (operations keep the one they were collected with)."""
    return case.call(base_url=case.operation.schema.config.base_url)


def _derive(case: Case[Any], token: str | None) -> Case[Any]:
    """The same request with another token, or none."""
    headers: CaseInsensitiveDict[Any] = CaseInsensitiveDict(dict(case.headers or {}))
    headers.pop("Authorization", None)
    if token is not None:
        headers["Authorization"] = token
    probe: Case[Any] = case.operation.Case(
        path_parameters=dict(case.path_parameters or {}),
        headers=headers,
        query=dict(case.query or {}),
        body=case.body,
        media_type=case.media_type,
    )
    return probe


def _query_value(case: Case[Any], name: str) -> Any:
    return (case.query or {}).get(name)


def _as_int(value: Any, default: int) -> int | None:
    if value is None:
        return default
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _as_bool(value: Any) -> bool | None:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    return {"true": True, "false": False}.get(text)


def parse_instant(value: Any) -> datetime | None:
    """An ISO 8601 date-time with offset as the spec takes it, or None if Python cannot read it."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[Tt].*([Zz]|[+-]\d{2}:\d{2}(:\d{2})?)", text) is None:
        return None
    text = text[:10] + "T" + text[11:]
    if text[-1] in "Zz":
        text = text[:-1] + "+00:00"
    # Python takes at most six fractional digits; the spec allows nine.
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        return None
    if instant.tzinfo is None:
        return None
    try:
        return instant.astimezone(UTC)
    except OverflowError:  # UTC date outside years 1-9999: the same instant, in its offset
        return instant


def epoch_ms(instant: datetime) -> int:
    """Unix milliseconds, floored (the service's precision); exact for any aware datetime."""
    return _epoch_ms(instant)


def _epoch_ms(instant: datetime) -> int:
    return (instant - datetime(1970, 1, 1, tzinfo=UTC)) // _ONE_MS


_ONE_MS: Final = datetime(1970, 1, 1, 0, 0, 0, 1000, tzinfo=UTC) - datetime(1970, 1, 1, tzinfo=UTC)


# ---------------------------------------------------------------------------------------------
# Token failures


def _printable(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c) != "Cc")


def documented_403_problems(response: Response, case: Case[Any]) -> list[str]:
    """What is wrong with a 403 body, by the spec's TokenRejected response."""
    try:
        body = response.json()
    except ValueError:
        return [f"a 403 body must be JSON, got {response.text_lossy()[:120]!r}"]
    if not isinstance(body, dict):
        return [f"a 403 body must be an object, got {body!r}"]
    if "details" in body:
        problems = []
        if body["details"] not in TOKEN_DETAILS:
            problems.append(
                f"`details` must be one of {sorted(TOKEN_DETAILS)}, got {body['details']!r}"
            )
        extra = set(body) - {"details", "code"}
        if extra:
            problems.append(
                f"a `details` body has only `details` (and `code`), not {sorted(extra)}"
            )
        if "code" in body and (not isinstance(body["code"], int) or isinstance(body["code"], bool)):
            problems.append(f"`code` must be an integer, got {body['code']!r}")
        return problems
    missing = SPRING_FIELDS - set(body)
    if missing:
        return [f"a 403 without `details` is the Spring body; missing {sorted(missing)}: {body!r}"]
    problems = []
    if body["status"] != 403:
        problems.append(f"`status` must repeat 403, got {body['status']!r}")
    if body["error"] != "Forbidden":
        problems.append(f"`error` must be 'Forbidden', got {body['error']!r}")
    if not isinstance(body["message"], str) or not body["message"].strip():
        problems.append("`message` must say what is wrong with the token")
    # Compared decoded (Spring writes the request URI as sent, the mock decodes it) and without
    # control characters, which a server may drop from a path it echoes.
    operation_path = _printable(unquote(case.formatted_path)).rstrip("/")
    if not isinstance(body["path"], str) or not _printable(unquote(body["path"])).rstrip(
        "/"
    ).endswith(operation_path):
        problems.append(f"`path` must be the request path, got {body['path']!r}")
    return problems


def _probe_tokens(
    case: Case[Any], response: Response, environment: ContractEnvironment
) -> Iterable[tuple[str, str | None, str | None]]:
    """(what, token to send, expected `details` or None for the Spring body)."""
    token = _sent_token(case, response)
    yield "no Authorization header", None, None
    if token:
        yield "the token with a 'Bearer ' prefix", "Bearer " + token, None
        yield "a malformed token", "not-a-jwt", None
    if environment.refused_token is not None:
        kind = "refresh" if case.operation.path == REFRESH_PATH else "access"
        refused, details = environment.refused_token(kind)
        yield f"a token refused with {details!r}", refused, details


@schemathesis.check
def token_rejections_are_documented(
    ctx: CheckContext, response: Response, case: Case[Any]
) -> bool | None:
    """Token failures are 403 with the documented bodies, never 401 (spec: TokenRejected, D13)."""
    if response.status_code == 401:
        raise AssertionError(
            "401 answered: the API refuses tokens with 403, never 401 (spec TokenRejected, D13)"
        )
    if response.status_code == 403:
        problems = documented_403_problems(response, case)
        if problems:
            raise AssertionError("403 with an undocumented body:\n- " + "\n- ".join(problems))
    sent = _sent_token(case, response)
    if not sent and 200 <= response.status_code < 300:
        raise AssertionError(
            f"{response.status_code} without an Authorization header: every operation needs a token"
        )
    environment = environment_of(case)
    label = case.operation.label
    # Probe once per operation, from a request the API accepted: only the token then differs.
    if not (200 <= response.status_code < 300) or label in environment.probed:
        return None
    if case.method.upper() not in SAFE_METHODS and not environment.probe_writes:
        return None
    environment.probed.add(label)
    failures = []
    for what, token, details in _probe_tokens(case, response, environment):
        probe_response = send(_derive(case, token))
        if probe_response.status_code != 403:
            failures.append(f"{what}: {probe_response.status_code}, expected 403")
            continue
        problems = documented_403_problems(probe_response, case)
        body = probe_response.json()
        if details is not None and body.get("details") != details:
            problems.append(f"expected {{'details': {details!r}}}, got {body!r}")
        if details is None and "details" in body:
            problems.append(f"expected the Spring body saying what is wrong, got {body!r}")
        failures.extend(f"{what}: {problem}" for problem in problems)
    if failures:
        raise AssertionError(
            "Token failures not answered as documented:\n- " + "\n- ".join(failures)
        )
    return None


# ---------------------------------------------------------------------------------------------
# Recordings

_MPEG_VERSIONS: Final = {0: 2.5, 2: 2.0, 3: 1.0}
_LAYER3_BITRATES: Final = {
    1.0: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2.0: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_SAMPLE_RATES: Final = {
    1.0: (44100, 48000, 32000),
    2.0: (22050, 24000, 16000),
    2.5: (11025, 12000, 8000),
}


def _id3v2_size(data: bytes) -> int:
    if len(data) < 10 or data[:3] != b"ID3":
        return 0
    size = 0
    for byte in data[6:10]:
        if byte & 0x80:
            raise ValueError("ID3v2 size is not syncsafe")
        size = (size << 7) | byte
    footer = 10 if data[5] & 0x10 else 0
    return 10 + size + footer


def _frame_length(header: bytes) -> int:
    """Length of the MPEG Layer III frame starting with `header` (4 bytes); ValueError if none."""
    if header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        raise ValueError("no frame sync (11 set bits)")
    version = _MPEG_VERSIONS.get((header[1] >> 3) & 0x3)
    if version is None:
        raise ValueError("reserved MPEG version")
    if (header[1] >> 1) & 0x3 != 0x1:
        raise ValueError("not Layer III")
    bitrate_index = header[2] >> 4
    rate_index = (header[2] >> 2) & 0x3
    if bitrate_index in (0, 15) or rate_index == 3:
        raise ValueError("free-format, bad bitrate or reserved sample rate")
    bitrate = _LAYER3_BITRATES[1.0 if version == 1.0 else 2.0][bitrate_index] * 1000
    sample_rate = _SAMPLE_RATES[version][rate_index]
    padding = (header[2] >> 1) & 0x1
    return (144 if version == 1.0 else 72) * bitrate // sample_rate + padding


def mp3_problems(data: bytes) -> list[str]:
    """Why `data` is not an MP3 file: MPEG Layer III frames back to back from the start (after
    an optional ID3v2 tag) to the end (or an ID3v1 tag), which mutagen also decodes."""
    try:
        offset = _id3v2_size(data)
    except ValueError as exc:
        return [str(exc)]
    end = len(data) - 128 if data[-128:-125] == b"TAG" else len(data)
    frames = 0
    while offset < end:
        if end - offset < 4:
            return [f"{end - offset} stray bytes after {frames} frames"]
        try:
            length = _frame_length(data[offset : offset + 4])
        except ValueError as exc:
            return [f"byte {offset} (after {frames} frames): {exc}"]
        if offset + length > end:
            return [f"frame {frames} at byte {offset} is cut short"]
        offset += length
        frames += 1
    if frames == 0:
        return ["no MPEG audio frame"]
    try:
        audio = mutagen.mp3.MP3(io.BytesIO(data))  # type: ignore[no-untyped-call]
    except Exception as exc:  # mutagen raises its own hierarchy
        return [f"mutagen cannot decode it: {exc}"]
    length = audio.info.length  # type: ignore[attr-defined]  # mutagen types `info` as None
    if not (isinstance(length, float) and length > 0):
        return [f"mutagen reads a length of {length!r}"]
    return []


_CONTENT_RANGE: Final = re.compile(r"bytes (\d+)-(\d+)/(\d+)")
_DISPOSITION: Final = re.compile(r'attachment; filename="[^"/\\]+\.mp3"')


@schemathesis.check
def recordings_are_mp3(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """A recording is a real MP3; a range answer is exactly the range it names."""
    if case.operation.path != RECORDING or response.status_code not in (200, 206):
        return None
    content_type = _header(response, "content-type") or ""
    if not content_type.startswith("audio/mpeg"):
        raise AssertionError(f"Content-Type must be audio/mpeg, got {content_type!r}")
    disposition = _header(response, "content-disposition")
    if disposition is not None and not _DISPOSITION.fullmatch(disposition):
        raise AssertionError(
            f'Content-Disposition must be attachment; filename="....mp3", got {disposition!r}'
        )
    data = response.content
    if response.status_code == 200:
        problems = mp3_problems(data)
        if problems:
            raise AssertionError("the recording is not an MP3 file: " + "; ".join(problems))
        return None
    content_range = _header(response, "content-range") or ""
    match = _CONTENT_RANGE.fullmatch(content_range)
    if match is None:
        raise AssertionError(
            f"a 206 needs Content-Range: bytes START-END/TOTAL, got {content_range!r}"
        )
    first, last, total = (int(group) for group in match.groups())
    if not first <= last < total:
        raise AssertionError(f"Content-Range {content_range!r} is not a range inside the file")
    if len(data) != last - first + 1:
        raise AssertionError(
            f"Content-Range {content_range!r} names {last - first + 1} bytes, got {len(data)}"
        )
    whole = follow_up(case, "GET", RECORDING, token=_sent_token(case, response), query=case.query)
    if whole.status_code != 200:
        raise AssertionError(f"the whole recording answered {whole.status_code} after a 206")
    if len(whole.content) != total:
        raise AssertionError(
            f"Content-Range says {total} bytes in all, the file has {len(whole.content)}"
        )
    if whole.content[first : last + 1] != data:
        raise AssertionError(
            f"the bytes of {content_range!r} differ from the same bytes of the file"
        )
    return None


# ---------------------------------------------------------------------------------------------
# The journal page

_RECORD_FIELDS: Final = (
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
_DIRECTIONS: Final = {"ASC": False, "DESC": True}
_RUSSIAN_NUMBER: Final = re.compile(r"(?:\+7|7|8)([0-9]{10})")
_RECORD_NAME: Final = re.compile(r"(\d{4}-\d{2}-\d{2})/(?:mo_)?\S+")


def _sort_value(record: Mapping[str, Any], name: str) -> Any:
    value = record.get(name)
    if name == "date" and isinstance(value, str):
        return parse_instant(value) or value
    return value


def _ordered(first: Any, second: Any, descending: bool) -> bool:
    """Whether `first` may come before `second` (absent values first ascending, last descending)."""
    if first is None or second is None:
        return (first is None) != descending or first is second
    try:
        return bool(first >= second) if descending else bool(first <= second)
    except TypeError:
        return True  # mixed types: response_schema_conformance reports the wrong type


def served_size(asked: Any) -> int | None:
    """The page size Spring Data serves for `size` (D17): 10 when absent or below 1, at most
    2000; None when `size` is not an integer (the answer is then no page at all)."""
    size = _as_int(asked, DEFAULT_PAGE_SIZE)
    if size is None:
        return None
    return DEFAULT_PAGE_SIZE if size < 1 else min(size, JOURNAL_PAGE)


def sort_orders(sort: Any) -> list[tuple[str, bool]]:
    """(property, descending) of every order the `sort` values ask for, Spring's way (D23):
    a trailing ASC/DESC applies to each property of its value; none at all is `date,ASC`."""
    values = sort if isinstance(sort, list | tuple) else [] if sort is None else [sort]
    orders = []
    for value in values:
        elements = str(value).split(",")
        descending = _DIRECTIONS.get(elements[-1].strip().upper())
        if descending is not None:
            elements = elements[:-1]
        orders += [(e.strip(), bool(descending)) for e in elements if e.strip()]
    return orders or [("date", False)]


def same_number(filter_value: str, number: Any) -> bool:
    """Whether a `caller`/`callee` filter names `number` (8- and +7-forms are the 7-form, D22)."""

    def seven(value: str) -> str:
        match = _RUSSIAN_NUMBER.fullmatch(value.strip())
        return "7" + match[1] if match else value.strip()

    return isinstance(number, str) and seven(filter_value) == seven(number)


def _sort_problem(records: list[Any], orders: list[tuple[str, bool]]) -> str | None:
    rows = [record for record in records if isinstance(record, dict)]
    for index, (first, second) in enumerate(itertools.pairwise(rows)):
        for name, descending in orders:
            a, b = _sort_value(first, name), _sort_value(second, name)
            if a == b:
                continue
            if not _ordered(a, b, descending):
                asked = ", ".join(f"{n},{'DESC' if d else 'ASC'}" for n, d in orders)
                return (
                    f"not sorted by {asked}: record {index} has {name}={a!r}, "
                    f"record {index + 1} has {b!r}"
                )
            break
    return None


def page_problems(case: Case[Any], records: list[Any]) -> list[str]:
    problems: list[str] = []
    size = served_size(_query_value(case, "size"))
    if size is not None and len(records) > size:
        problems.append(f"{len(records)} records on a page of size {size}")
    orders = sort_orders(_query_value(case, "sort"))
    unknown = [name for name, _ in orders if name not in _RECORD_FIELDS]
    if unknown:
        problems.append(f"sort by unknown field {unknown[0]!r} answered 200 (the spec says 400)")
    else:
        problem = _sort_problem(records, orders)
        if problem is not None:
            problems.append(problem)
    start = parse_instant(_query_value(case, "start"))
    end = parse_instant(_query_value(case, "end"))
    caller = str(_query_value(case, "caller") or "").strip()
    callee = str(_query_value(case, "callee") or "").strip()
    recorded_only = _as_bool(_query_value(case, "is_recorded"))
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            continue
        date = parse_instant(record.get("date"))
        inside = (
            date is None
            or start is None
            or end is None
            or _epoch_ms(start) <= _epoch_ms(date) < _epoch_ms(end)
        )
        if not inside:
            problems.append(f"record {index} of {record.get('date')} lies outside [start, end)")
        if caller and not same_number(caller, record.get("callerNumber")):
            problems.append(
                f"record {index} is from {record.get('callerNumber')!r}, not caller {caller!r}"
            )
        if callee and not same_number(callee, record.get("calleeNumber")):
            problems.append(
                f"record {index} is to {record.get('calleeNumber')!r}, not callee {callee!r}"
            )
        name = record.get("recordFileName")
        status = str(record.get("callStatus", ""))
        if recorded_only and not name:
            problems.append(f"record {index} has no recording although is_recorded=true")
        if name and not status.startswith("ANSWERED_"):
            problems.append(f"record {index} is {status} but has recording {name!r} (decision D11)")
        if name:
            shape = _RECORD_NAME.fullmatch(str(name))
            if shape is None:
                problems.append(f"record {index}: recordFileName {name!r} is not YYYY-MM-DD/<id>")
            elif (
                isinstance(record.get("date"), str)
                and date is not None
                and shape.group(1) != date.date().isoformat()
            ):
                problems.append(
                    f"record {index}: recordFileName {name!r} does not start with the call's date"
                )
        if "conversationDuration" in record and not status.startswith("ANSWERED_"):
            problems.append(f"record {index} is {status} but has a conversationDuration")
    return problems


@schemathesis.check
def call_records_follow_the_query(
    ctx: CheckContext, response: Response, case: Case[Any]
) -> bool | None:
    """A page of the journal is at most `size` long, sorted as asked, and matches the filters."""
    if case.operation.path != RECORDS or response.status_code != 200:
        return None
    records = _json(response, "GET /call-records/info")
    if not isinstance(records, list):
        raise AssertionError(f"the journal is a plain array (D12), got {type(records).__name__}")
    problems = page_problems(case, records)
    if problems:
        raise AssertionError("The page does not follow the query:\n- " + "\n- ".join(problems))
    return None


# ---------------------------------------------------------------------------------------------
# Statistics


def read_journal(
    case: Case[Any], start: str, end: str, token: str | None, max_pages: int
) -> list[dict[str, Any]] | None:
    """Every record of the window, oldest first; None if it spans more than `max_pages` pages."""
    records: list[dict[str, Any]] = []
    for page in range(max_pages):
        answer = follow_up(
            case,
            "GET",
            RECORDS,
            token=token,
            query={
                "start": start,
                "end": end,
                "page": page,
                "size": JOURNAL_PAGE,
                "sort": "date,ASC",
            },
        )
        if answer.status_code != 200:
            raise AssertionError(
                f"the journal of the same window answered {answer.status_code}: "
                f"{answer.text_lossy()[:200]}"
            )
        chunk = answer.json()
        records.extend(chunk)
        if len(chunk) < JOURNAL_PAGE:
            return records
    return None


_SUCCESS: Final = "ANSWERED_"
_OUTGOING: Final = frozenset({"OUTGOING", "CRM_OUTGOING", "CRM_CALLBACK"})
_INTERNAL: Final = frozenset({"INTERNAL", "HIMSELF"})
_TRANSFER: Final = frozenset(
    {"ANSWERED_BY_BUSY_FORWARD_CLIENT", "ANSWERED_BY_NO_ANSWER_FORWARD_CLIENT"}
)


def _average(total: int, count: int) -> int:
    return total // count if count else 0


def _of_number(records: list[dict[str, Any]], number: str | None) -> list[dict[str, Any]]:
    if number is None:
        return records
    return [r for r in records if number in (r.get("callerNumber"), r.get("calleeNumber"))]


def _rate(count: int, units: float) -> float:
    return count / units if units > 0 else 0.0


def expected_common(records: list[dict[str, Any]], window_seconds: float) -> dict[str, float]:
    """CommonStatistics by the definitions in the spec's description of GET /statistics/common,
    but for the two hang-up counts, which the records cannot show (see `hangup_problems`)."""
    success = [r for r in records if str(r.get("callStatus", "")).startswith(_SUCCESS)]
    transfers = [r for r in success if r.get("callStatus") in _TRANSFER]
    internal = [r for r in records if r.get("callType") in _INTERNAL]
    durations = [int(r.get("callDuration", 0)) for r in records]
    talks = [int(r.get("conversationDuration", 0)) for r in success]
    hours = {str(r.get("date", ""))[:13] for r in records}
    count = len(records)
    unique = len({r.get("callerNumber") for r in records})
    transfer_talk = sum(int(r.get("conversationDuration", 0)) for r in transfers)
    internal_total = sum(int(r.get("callDuration", 0)) for r in internal)
    return {
        "allCallCount": count,
        "successCallCount": len(success),
        "outgoingCallCount": sum(1 for r in records if r.get("callType") in _OUTGOING),
        "lostCallCount": sum(
            1
            for r in records
            if not str(r.get("callStatus", "")).startswith(_SUCCESS)
            and r.get("callType") not in _INTERNAL
        ),
        "commonCallDuration": sum(durations),
        "averageCallDuration": _average(sum(durations), count),
        "maxCallDuration": max(durations, default=0),
        "callCountPerDay": _rate(count, window_seconds / 86_400),
        "callCountPerHour": _rate(count, window_seconds / 3_600),
        "mnAvgCallDuration": _average(sum(talks), len(success)),
        "mnMaxCallDuration": max(talks, default=0),
        "averageCallCountPerHour": _average(count, len(hours)),
        "transferCallCount": len(transfers),
        "transferCallDuration": transfer_talk,
        "averageTransferCallDuration": _average(transfer_talk, len(transfers)),
        "uniqueCallCount": unique,
        "redialCount": count - unique,
        "internalCallCount": len(internal),
        "internalCallDuration": internal_total,
        "averageInternalCallDuration": _average(internal_total, len(internal)),
    }


def _mismatches(actual: Any, expected: Mapping[str, Any]) -> list[str]:
    if not isinstance(actual, dict):
        return [f"expected an object, got {actual!r}"]
    problems = []
    for name, value in expected.items():
        if name not in actual:
            problems.append(f"{name} missing (expected {value!r})")
            continue
        got = actual[name]
        if isinstance(value, float):
            if not isinstance(got, int | float) or not math.isclose(
                got, value, rel_tol=1e-6, abs_tol=1e-9
            ):
                problems.append(f"{name} = {got!r}, the journal gives {value!r}")
        elif got != value:
            problems.append(f"{name} = {got!r}, the journal gives {value!r}")
    return problems


def _window_seconds(start: datetime, end: datetime) -> float:
    # The service counts in milliseconds (the journal's precision); a reversed window has none.
    return max(_epoch_ms(end) - _epoch_ms(start), 0) / 1000


def hangup_problems(body: Any, records: list[dict[str, Any]]) -> list[str]:
    """Which party hung up is not a field of the record; every answered call has one (D20)."""
    if not isinstance(body, dict):
        return []
    answered = sum(1 for r in records if str(r.get("callStatus", "")).startswith(_SUCCESS))
    a, b = body.get("hangupACallCount"), body.get("hangupBCallCount")
    if not (isinstance(a, int) and isinstance(b, int)) or min(a, b) < 0 or a + b != answered:
        return [
            f"hangupACallCount ({a!r}) + hangupBCallCount ({b!r}) must be the {answered} "
            "answered calls (D20)"
        ]
    return []


def statistics_problems(
    path: str,
    body: Any,
    records: list[dict[str, Any]],
    start: datetime,
    end: datetime,
    number: str | None,
) -> list[str]:
    chosen = _of_number(records, number)
    if path == COMMON_STATISTICS:
        figures = expected_common(chosen, _window_seconds(start, end))
        return _mismatches(body, figures) + hangup_problems(body, chosen)
    successes = sum(1 for r in chosen if str(r.get("callStatus", "")).startswith(_SUCCESS))
    expected: dict[str, Any] = {
        "startTimestamp": _epoch_ms(start) // 1000,
        "endTimestamp": _epoch_ms(end) // 1000,
        "numberOfCalls": len(chosen),
        "numberOfSuccessCalls": successes,
    }
    problems = _mismatches(body, expected)
    if isinstance(body, dict):
        if number is None and "number" in body:
            problems.append(
                f"`number` must be absent without a number (D16), got {body['number']!r}"
            )
        if number is not None and body.get("number") != number:
            problems.append(f"`number` must echo {number!r}, got {body.get('number')!r}")
    return problems


@schemathesis.check
def statistics_match_the_journal(
    ctx: CheckContext, response: Response, case: Case[Any]
) -> bool | None:
    """Both statistics equal what GET /call-records/info lists for the same window."""
    path = case.operation.path
    if path not in (COMMON_STATISTICS, JOURNAL_STATISTICS) or response.status_code != 200:
        return None
    raw_start, raw_end = _query_value(case, "start"), _query_value(case, "end")
    start, end = parse_instant(raw_start), parse_instant(raw_end)
    if start is None or end is None:
        return None  # a spelling Python cannot read; the window cannot be recomputed here
    number_param = "subscriberNumber" if path == COMMON_STATISTICS else "number"
    raw_number = _query_value(case, number_param)
    number = str(raw_number) if raw_number is not None else None
    token = _sent_token(case, response)
    environment = environment_of(case)

    def journal() -> list[dict[str, Any]] | None:
        return read_journal(
            case, str(raw_start), str(raw_end), token, environment.max_journal_pages
        )

    records = journal()
    if records is None:
        # A window of more pages than the budget allows (a large real account): not compared.
        return None
    body = _json(response, path)
    if not statistics_problems(path, body, records, start, end, number):
        return None
    # Live calls land in the journal when they end, so the window may have changed since the
    # statistics were answered. Ask again between two identical reads of the journal.
    for _ in range(3):
        again = follow_up(case, "GET", path, token=token, query=case.query)
        later = journal()
        if later is None:
            return None
        if later == records:
            problems = statistics_problems(path, again.json(), records, start, end, number)
            if problems:
                raise AssertionError(
                    "The statistics differ from the journal of the same window:\n- "
                    + "\n- ".join(problems)
                )
            return None
        records = later
    raise AssertionError(
        "the journal of the window kept changing; the statistics were never compared"
    )


# ---------------------------------------------------------------------------------------------
# Tenants


def _company_of(token: str | None) -> int | None:
    details = claims_of(token or "").get("UserDetailsImpl")
    company = details.get("companyId") if isinstance(details, dict) else None
    return company if isinstance(company, int) else None


def _identities(path: str, body: Any) -> set[tuple[str, Any]]:
    """Ids that name one company's objects and no other's."""
    ids: set[tuple[str, Any]] = set()
    items = body if isinstance(body, list) else [body]
    for item in items:
        if not isinstance(item, dict):
            continue
        if path.startswith("/managers"):
            ids.add(("manager", item.get("id")))
            for customer in item.get("customers") or []:
                if isinstance(customer, dict):
                    ids.add(("customer", customer.get("id")))
        elif path == "/blacklist":
            ids.add(("blacklist entry", item.get("id")))
        elif path == RECORDS:
            ids.add(("call", item.get("uuid")))
            if item.get("recordFileName"):
                ids.add(("recording", item.get("recordFileName")))
    ids.discard(("manager", None))
    ids.discard(("customer", None))
    ids.discard(("blacklist entry", None))
    ids.discard(("call", None))
    return ids


def _as_other(case: Case[Any], environment: ContractEnvironment) -> Response | None:
    if environment.other_company_token is None:
        return None
    token = environment.other_company_token()
    answer = send(_derive(case, token))
    if answer.status_code == 403 and environment.renew_other_company_token is not None:
        answer = send(_derive(case, environment.renew_other_company_token(token)))
    return answer


@schemathesis.check
def tenant_isolation(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """One company's token never sees another company's data."""
    if case.method.upper() != "GET" or response.status_code != 200:
        return None
    path = case.operation.path
    if path == RECORDING:
        body: Any = None
    else:
        body = _json(response, case.operation.label)
    company = _company_of(_sent_token(case, response))
    if company is not None and path.startswith("/managers"):
        for manager in body if isinstance(body, list) else [body]:
            if isinstance(manager, dict) and manager.get("companyId") != company:
                raise AssertionError(
                    f"a token of company {company} was answered a manager of company "
                    f"{manager.get('companyId')!r}: {manager!r}"
                )
    environment = environment_of(case)
    if path in ("/managers/{id}", RECORDING, TRANSCRIPT):
        other = _as_other(case, environment)
        if other is not None and other.status_code != 404:
            raise AssertionError(
                f"another company's token read the same object: {other.status_code}, expected 404"
            )
        return None
    ours = _identities(path, body)
    if not ours:
        return None
    other = _as_other(case, environment)
    if other is None or other.status_code != 200:
        return None
    shared = ours & _identities(path, other.json())
    if shared:
        raise AssertionError(
            f"another company's token lists the same objects: {sorted(shared, key=str)[:5]}"
        )
    return None


CHECKS: Final = (
    token_rejections_are_documented,
    recordings_are_mp3,
    call_records_follow_the_query,
    statistics_match_the_journal,
    tenant_isolation,
)
