"""Checks Schemathesis's built-ins cannot see, registered for every schema of the run.

- `token_rejections_are_documented`: token failures are 403 with a documented body (the two
  `details` bodies, or the Spring body whose `message` says what is wrong and whose `path` is
  the request's), never 401. Once per operation, from a request that reached it (a 2xx, or a
  400/404/409/416 of an operation without path parameters), the same request is resent with no
  token, a `Bearer ` prefix, a malformed token and, when the run can mint one, a superseded
  token: each must be refused with its own body (`missing` and `Bearer` named, each denial
  with a message of its own).
- `recordings_are_mp3`: GET /call-records/file answers audio/mpeg whose bytes are MPEG audio
  frames from start to end (after an optional ID3v2 tag) that mutagen decodes, as the
  attachment `<date>_<id>.mp3` (D26); a 206 holds exactly the range its Content-Range names,
  of a file of the size it names.
- `call_records_follow_the_query`: the journal is an array (D12); a page never exceeds the size
  served (`size` as Spring Data caps it, D17), is sorted as the `sort` values ask (several
  properties and repeated values, D23; absent values first ascending, last descending; values
  that do not compare fail), lies in the window (a record's `date` must be an instant) and
  honours `caller`, `callee` (in any of the 7-, 8- and +7-forms, D22) and `is_recorded`;
  unanswered calls have neither a recording (D11) nor a `conversationDuration`; a
  `recordFileName` matches the spec's own `filename` pattern and starts with the call's date.
- `statistics_match_the_journal`: GET /statistics/common and /statistics/journal equal the
  figures computed, by the spec's definitions (D19, D20), from GET /call-records/info over the
  same window; the answer holds the identities those definitions imply (the counts partition
  the window's calls, `hangupACallCount + hangupBCallCount <= lostCallCount`, the averages are
  floored quotients of the answer's own sums and counts, ...), and the journal statistics are
  the same window's `allCallCount` and `successCallCount`; `number` is echoed when asked and
  absent otherwise (D16). A 200 to a window that is not an instant fails.
- `tenant_isolation`: on the operations the spec marks `x-mock-tenant`, every object answered
  belongs to the token's company; another company's token gets 404 for one of our objects,
  and 200 for the same list or statistics with none of our objects and statistics of its own
  journal. Any other answer to it fails.

Checks that need more than the response (another company's token, a superseded token, how
many journal pages a comparison may read) take it from the `ContractEnvironment` bound to the
schema; without one they do only what needs nothing.
"""

from __future__ import annotations

import io
import itertools
import json
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import unquote, urlsplit

import mutagen.mp3
import schemathesis
from requests.structures import CaseInsensitiveDict
from schemathesis import Case, CheckContext, Response

from contract_tests.settings import REFRESH_PATH
from contract_tests.tokens import claims_of
from mock_server.spec_index import Operation, SpecIndex, Tenancy

__all__ = [
    "CHECKS",
    "ContractEnvironment",
    "bind_environment",
    "call_records_follow_the_query",
    "environment_of",
    "expected_disposition",
    "filename_pattern",
    "instant_ms",
    "mp3_problems",
    "recordings_are_mp3",
    "statistics_match_the_journal",
    "tenant_isolation",
    "token_rejections_are_documented",
    "utc_date",
]

TOKEN_DETAILS: Final = frozenset({"The token is expired", "The token has already been updated"})
SPRING_FIELDS: Final = frozenset({"timestamp", "status", "error", "message", "path"})
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
JOURNAL_PAGE: Final = 2000  # the largest page Spring Data serves (D17)
DEFAULT_PAGE_SIZE: Final = 10

RECORDS: Final = "/call-records/info"
RECORDING: Final = "/call-records/file"
COMMON_STATISTICS: Final = "/statistics/common"
JOURNAL_STATISTICS: Final = "/statistics/journal"
STATISTICS: Final = (COMMON_STATISTICS, JOURNAL_STATISTICS)


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


_INSTANT: Final = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})[Tt]"
    r"(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})(?:\.(?P<fraction>[0-9]{1,9}))?"
    r"(?:(?P<utc>[Zz])|(?P<sign>[+-])(?P<oh>[0-9]{2}):(?P<om>[0-9]{2}))"
)
_MS_PER_DAY: Final = 86_400_000


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days from 1970-01-01 to a date of the proleptic Gregorian calendar (any year, 0 too:
    Java reads `0000-01-01`, Python's datetime cannot)."""
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146_097 + day_of_era - 719_468


def _civil_from_days(days: int) -> str:
    """The date `days` after 1970-01-01, as YYYY-MM-DD (the inverse of `_days_from_civil`)."""
    days += 719_468
    era = days // 146_097
    day_of_era = days - era * 146_097
    year_of_era = (
        day_of_era - day_of_era // 1460 + day_of_era // 36_524 - day_of_era // 146_096
    ) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    shifted_month = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * shifted_month + 2) // 5 + 1
    month = shifted_month + 3 if shifted_month < 10 else shifted_month - 9
    year = year_of_era + era * 400 + (month <= 2)
    return f"{year:04d}-{month:02d}-{day:02d}"


def _days_in_month(year: int, month: int) -> int:
    return _days_from_civil(year + month // 12, month % 12 + 1, 1) - _days_from_civil(
        year, month, 1
    )


def instant_ms(value: Any) -> int | None:
    """Unix milliseconds, floored (the service's precision), of an RFC 3339 date-time with
    offset (up to nine fractional digits); None if `value` is not one or names a day that does
    not exist (`2022-02-30`). Every instant the spec's pattern admits and Java reads."""
    if not isinstance(value, str):
        return None
    match = _INSTANT.fullmatch(value.strip())
    if match is None:
        return None
    year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
    hour, minute, second = int(match["hour"]), int(match["minute"]), int(match["second"])
    if not (1 <= month <= 12 and 1 <= day <= _days_in_month(year, month)):
        return None
    if hour > 23 or minute > 59 or second > 59:
        return None
    offset_minutes = 0
    if not match["utc"]:
        offset_hours, offset_rest = int(match["oh"]), int(match["om"])
        if offset_hours > 23 or offset_rest > 59:
            return None
        offset_minutes = (offset_hours * 60 + offset_rest) * (-1 if match["sign"] == "-" else 1)
    milliseconds = int((match["fraction"] or "").ljust(3, "0")[:3])
    local = ((hour * 60 + minute) * 60 + second) * 1000 + milliseconds
    return _days_from_civil(year, month, day) * _MS_PER_DAY + local - offset_minutes * 60_000


def utc_date(milliseconds: int) -> str:
    """The UTC calendar date (YYYY-MM-DD) of a Unix instant in milliseconds."""
    return _civil_from_days(milliseconds // _MS_PER_DAY)


# ---------------------------------------------------------------------------------------------
# Token failures

# What a Spring body's `message` must name for a denial the checks provoke (the spec's
# TokenRejected: "its `message` says which"; its own example says the header "is missing").
MISSING_WORD: Final = "missing"
BEARER_WORD: Final = "bearer"
# A reason phrase is not a reason: the Spring default says nothing about the token.
UNINFORMATIVE_MESSAGES: Final = frozenset({"", "forbidden", "access denied", "403 forbidden"})
# Answers after which the operation's token failures are probed: the request reached the
# operation (a token failure is decided before anything else is read, as Spring Security's
# filters run before the controller), so only the token then makes a difference.
PROBED_AFTER: Final = frozenset({400, 404, 409, 416})


def _printable(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c) != "Cc")


def _comparable_path(path: str) -> str:
    # Compared decoded (Spring writes the request URI as sent, the mock decodes it), without
    # control characters (a server may drop them from a path it echoes) and without a trailing
    # slash (which the API tolerates).
    return _printable(unquote(path)).rstrip("/")


def documented_403_problems(response: Response) -> list[str]:
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
    message = body["message"]
    if not isinstance(message, str) or message.strip().lower() in UNINFORMATIVE_MESSAGES:
        problems.append(f"`message` must say what is wrong with the token, got {message!r}")
    sent = _comparable_path(_request_path(response))
    if not isinstance(body["path"], str) or _comparable_path(body["path"]) != sent:
        problems.append(f"`path` must be the request path {sent!r}, got {body['path']!r}")
    return problems


@dataclass(frozen=True, slots=True)
class _Probe:
    """A request like the tested one but for its token, and what its 403 must say."""

    what: str
    token: str | None
    details: str | None = None  # the `details` expected; None: the Spring body
    word: str | None = None  # a word the Spring body's `message` must hold


def _probes(case: Case[Any], response: Response, environment: ContractEnvironment) -> list[_Probe]:
    token = _sent_token(case, response)
    probes = [_Probe("no Authorization header", None, word=MISSING_WORD)]
    if token:
        probes.append(
            _Probe("the token with a 'Bearer ' prefix", "Bearer " + token, word=BEARER_WORD)
        )
        probes.append(_Probe("a malformed token", "not-a-jwt"))
    if environment.refused_token is not None:
        kind = "refresh" if case.operation.path == REFRESH_PATH else "access"
        refused, details = environment.refused_token(kind)
        probes.append(_Probe(f"a token refused with {details!r}", refused, details=details))
    return probes


def _should_probe(case: Case[Any], response: Response, environment: ContractEnvironment) -> bool:
    """Once per operation, from a request that reached it (a 2xx, or one of PROBED_AFTER on
    an operation without path parameters, whose route every request matches)."""
    status = response.status_code
    reached = 200 <= status < 300 or (status in PROBED_AFTER and "{" not in case.operation.path)
    if not reached or case.operation.label in environment.probed:
        return False
    return case.method.upper() in SAFE_METHODS or environment.probe_writes


def probe_problems(case: Case[Any], probes: list[_Probe]) -> list[str]:
    """Send each probe; what is wrong with the answers (403, the body its probe expects, and
    a different `message` for each kind of denial)."""
    failures = []
    messages: dict[str, str] = {}
    for probe in probes:
        answer = send(_derive(case, probe.token))
        if answer.status_code != 403:
            failures.append(f"{probe.what}: {answer.status_code}, expected 403")
            continue
        problems = documented_403_problems(answer)
        try:
            body = answer.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            failures.extend(f"{probe.what}: {problem}" for problem in problems)
            continue
        if probe.details is not None and body.get("details") != probe.details:
            problems.append(f"expected {{'details': {probe.details!r}}}, got {body!r}")
        if probe.details is None:
            message = body.get("message")
            if "details" in body:
                problems.append(f"expected the Spring body saying what is wrong, got {body!r}")
            elif isinstance(message, str):
                if probe.word is not None and probe.word not in message.lower():
                    problems.append(f"`message` must say {probe.word!r}, got {message!r}")
                messages[probe.what] = message
        failures.extend(f"{probe.what}: {problem}" for problem in problems)
    said = list(messages.values())
    if len(set(said)) < len(said):
        failures.append(
            f"every denial gets the same `message` ({said[0]!r}): it must say which it is"
        )
    return failures


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
        problems = documented_403_problems(response)
        if problems:
            raise AssertionError("403 with an undocumented body:\n- " + "\n- ".join(problems))
    sent = _sent_token(case, response)
    if not sent and 200 <= response.status_code < 300:
        raise AssertionError(
            f"{response.status_code} without an Authorization header: every operation needs a token"
        )
    environment = environment_of(case)
    if not _should_probe(case, response, environment):
        return None
    environment.probed.add(case.operation.label)
    failures = probe_problems(case, _probes(case, response, environment))
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


def _named_recording(case: Case[Any]) -> str | None:
    """The recording `filename` names, its slash decoded (sent as `/` or `%2F`, D28)."""
    value = _query_value(case, "filename")
    if not isinstance(value, str):
        return None
    return re.sub("%2[Ff]", "/", value)


def expected_disposition(name: str) -> str:
    """`attachment; filename="<date>_<id>.mp3"`, as the spec's Content-Disposition says (D26)."""
    return f'attachment; filename="{name.replace("/", "_")}.mp3"'


@schemathesis.check
def recordings_are_mp3(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """A recording is a real MP3 sent as an attachment; a range answer is exactly the range it
    names."""
    if case.operation.path != RECORDING or response.status_code not in (200, 206):
        return None
    content_type = _header(response, "content-type") or ""
    if not content_type.startswith("audio/mpeg"):
        raise AssertionError(f"Content-Type must be audio/mpeg, got {content_type!r}")
    disposition = _header(response, "content-disposition")
    name = _named_recording(case)
    if name is not None and disposition != expected_disposition(name):
        raise AssertionError(
            f"Content-Disposition must be {expected_disposition(name)!r} (D26), got {disposition!r}"
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
_SUCCESS: Final = "ANSWERED_"
_RUSSIAN_NUMBER: Final = re.compile(r"(?:\+7|7|8)([0-9]{10})")


_INDEXES: dict[int, tuple[object, SpecIndex]] = {}


def spec_index(raw: Mapping[str, Any]) -> SpecIndex:
    """The index of the schema `raw` (built once per schema: its clones share the raw one)."""
    cached = _INDEXES.get(id(raw))
    if cached is not None and cached[0] is raw:
        return cached[1]
    index = SpecIndex(raw)
    _INDEXES[id(raw)] = (raw, index)
    return index


def _operation_of(case: Case[Any]) -> Operation | None:
    operation = case.operation
    return spec_index(operation.schema.raw_schema).declared(operation.method, operation.path)


def filename_pattern(raw: Mapping[str, Any]) -> re.Pattern[str]:
    """The pattern the spec gives `filename` of GET /call-records/file (D28): a record's
    `recordFileName` is what a client passes there, so it is judged by the spec's rule, not by
    any implementation's parser."""
    operation = spec_index(raw).declared("GET", RECORDING)
    parameter = None if operation is None else operation.parameter("filename")
    if parameter is None:
        raise LookupError(f"the spec gives GET {RECORDING} no `filename` parameter")
    return re.compile(str(parameter.schema["pattern"]))


def _sort_value(record: Mapping[str, Any], name: str) -> Any:
    value = record.get(name)
    if name == "date" and isinstance(value, str):
        milliseconds = instant_ms(value)
        return value if milliseconds is None else milliseconds
    return value


def _ordered(first: Any, second: Any, descending: bool) -> bool | None:
    """Whether `first` may come before `second` (absent values first ascending, last
    descending); None when they cannot be compared (values of different types)."""
    if first is None or second is None:
        return (first is None) != descending or first is second
    if type(first) is not type(second) and not (
        isinstance(first, int | float) and isinstance(second, int | float)
    ):
        return None
    try:
        return bool(first >= second) if descending else bool(first <= second)
    except TypeError:
        return None


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
    asked = ", ".join(f"{n},{'DESC' if d else 'ASC'}" for n, d in orders)
    for index, (first, second) in enumerate(itertools.pairwise(rows)):
        for name, descending in orders:
            a, b = _sort_value(first, name), _sort_value(second, name)
            if a == b:
                continue
            ordered = _ordered(a, b, descending)
            if ordered is None:
                return (
                    f"cannot tell whether sorted by {asked}: record {index} has {name}={a!r}, "
                    f"record {index + 1} has {b!r}, which do not compare"
                )
            if not ordered:
                return (
                    f"not sorted by {asked}: record {index} has {name}={a!r}, "
                    f"record {index + 1} has {b!r}"
                )
            break
    return None


def _window(case: Case[Any]) -> tuple[int, int] | str:
    """[start, end) of the query in Unix milliseconds, or why it cannot be read."""
    raw_start, raw_end = _query_value(case, "start"), _query_value(case, "end")
    start, end = instant_ms(raw_start), instant_ms(raw_end)
    if start is None or end is None:
        return (
            f"answered 200 to a window that is not an instant of the spec's OffsetDateTime "
            f"(start={raw_start!r}, end={raw_end!r}; D29 says 400)"
        )
    return start, end


def record_problems(
    case: Case[Any], index: int, record: Mapping[str, Any], window: tuple[int, int] | None
) -> list[str]:
    """What is wrong with one record of a page: its date, the filters, its recording."""
    problems = []
    date = instant_ms(record.get("date"))
    if date is None:
        problems.append(f"record {index}: `date` {record.get('date')!r} is not an instant")
    elif window is not None and not window[0] <= date < window[1]:
        problems.append(f"record {index} of {record.get('date')} lies outside [start, end)")
    caller = str(_query_value(case, "caller") or "").strip()
    callee = str(_query_value(case, "callee") or "").strip()
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
    answered = status.startswith(_SUCCESS)
    if _as_bool(_query_value(case, "is_recorded")) and not name:
        problems.append(f"record {index} has no recording although is_recorded=true")
    if name and not answered:
        problems.append(f"record {index} is {status} but has recording {name!r} (decision D11)")
    if name:
        pattern = filename_pattern(case.operation.schema.raw_schema)
        if not isinstance(name, str) or "/" not in name or not pattern.fullmatch(name):
            problems.append(
                f"record {index}: recordFileName {name!r} is not YYYY-MM-DD/<id> "
                f"(the spec's pattern {pattern.pattern!r})"
            )
        elif date is not None and name[:10] != utc_date(date):
            problems.append(
                f"record {index}: recordFileName {name!r} does not start with the call's date"
            )
    if "conversationDuration" in record and not answered:
        problems.append(f"record {index} is {status} but has a conversationDuration")
    return problems


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
    window = _window(case)
    if isinstance(window, str):
        problems.append(window)
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            problems.append(f"record {index} is not an object: {record!r}")
            continue
        problems += record_problems(
            case, index, record, window if isinstance(window, tuple) else None
        )
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


_OUTGOING: Final = frozenset({"OUTGOING", "CRM_OUTGOING", "CRM_CALLBACK"})
_INTERNAL: Final = frozenset({"INTERNAL", "HIMSELF"})
_TRANSFER: Final = frozenset(
    {"ANSWERED_BY_BUSY_FORWARD_CLIENT", "ANSWERED_BY_NO_ANSWER_FORWARD_CLIENT"}
)
# The lost calls each hang-up count counts (D20).
_HANGUP_A: Final = "CANCELLED_BY_CALLER"
_HANGUP_B: Final = "DESTINATION_BUSY"
# The service's days are Moscow's: UTC+3, no daylight saving since 2014.
_MOSCOW_MS: Final = 3 * 3_600_000
_DAY_MS: Final = 86_400_000


def _average(total: int, count: int) -> int:
    return total // count if count else 0


def _of_number(records: list[dict[str, Any]], number: str | None) -> list[dict[str, Any]]:
    if number is None:
        return records
    return [r for r in records if number in (r.get("callerNumber"), r.get("calleeNumber"))]


def moscow_days(start_ms: int, end_ms: int) -> int:
    """The calendar days in Moscow time that `[start_ms, end_ms)` touches; 0 when empty."""
    if end_ms <= start_ms:
        return 0
    return (end_ms - 1 + _MOSCOW_MS) // _DAY_MS - (start_ms + _MOSCOW_MS) // _DAY_MS + 1


def expected_common(records: list[dict[str, Any]], start_ms: int, end_ms: int) -> dict[str, Any]:
    """CommonStatistics of the window `[start_ms, end_ms)` whose calls are `records`, by the
    definitions in the spec's description of GET /statistics/common (D19, D20)."""
    internal = [r for r in records if r.get("callType") in _INTERNAL]
    external = [r for r in records if r.get("callType") not in _INTERNAL]
    success = [r for r in external if str(r.get("callStatus", "")).startswith(_SUCCESS)]
    lost = [r for r in external if not str(r.get("callStatus", "")).startswith(_SUCCESS)]
    transfers = [r for r in success if r.get("callStatus") in _TRANSFER]
    talks = [int(r.get("conversationDuration", 0)) for r in success]
    transfer_talk = sum(int(r.get("conversationDuration", 0)) for r in transfers)
    internal_talk = sum(int(r.get("conversationDuration", 0)) for r in internal)
    unique = len({r.get("callerNumber") for r in success})
    days = moscow_days(start_ms, end_ms)
    per_day = len(external) / days if days else 0.0
    return {
        "allCallCount": len(records),
        "successCallCount": len(success),
        "outgoingCallCount": sum(1 for r in external if r.get("callType") in _OUTGOING),
        "lostCallCount": len(lost),
        "commonCallDuration": sum(talks),
        "averageCallDuration": _average(sum(talks), len(records) - len(lost)),
        "maxCallDuration": max(talks, default=0),
        "callCountPerDay": per_day,
        "callCountPerHour": per_day / 24,
        "mnAvgCallDuration": _average(sum(talks), len(success)),
        "mnMaxCallDuration": max(talks, default=0),
        "averageCallCountPerHour": math.floor(per_day / 24),
        "transferCallCount": len(transfers),
        "transferCallDuration": transfer_talk,
        "averageTransferCallDuration": _average(transfer_talk, len(transfers)),
        "hangupACallCount": sum(1 for r in lost if r.get("callStatus") == _HANGUP_A),
        "hangupBCallCount": sum(1 for r in lost if r.get("callStatus") == _HANGUP_B),
        "uniqueCallCount": unique,
        "redialCount": len(success) - unique,
        "internalCallCount": len(internal),
        "internalCallDuration": internal_talk,
        "averageInternalCallDuration": _average(internal_talk, len(internal)),
    }


def identity_problems(body: Any) -> list[str]:
    """Which identities of the definitions (D19, D20) an answer of GET /statistics/common breaks,
    read from the answer alone: they hold whatever the journal holds."""
    if not isinstance(body, dict):
        return []
    f: dict[str, Any] = {
        k: v for k, v in body.items() if isinstance(v, int | float) and not isinstance(v, bool)
    }
    if len(f) != len(body) or not {"allCallCount", "callCountPerDay"} <= set(f):
        return []  # the schema check reports a missing or mistyped figure
    rules = {
        "allCallCount = successCallCount + lostCallCount + internalCallCount": f["allCallCount"]
        == f["successCallCount"] + f["lostCallCount"] + f["internalCallCount"],
        "hangupACallCount + hangupBCallCount <= lostCallCount": f["hangupACallCount"]
        + f["hangupBCallCount"]
        <= f["lostCallCount"],
        "uniqueCallCount + redialCount = successCallCount": f["uniqueCallCount"] + f["redialCount"]
        == f["successCallCount"],
        "uniqueCallCount <= successCallCount, and > 0 with a successful call": (
            0 < f["uniqueCallCount"] <= f["successCallCount"]
            if f["successCallCount"]
            else f["uniqueCallCount"] == 0
        ),
        "transferCallCount <= successCallCount": f["transferCallCount"] <= f["successCallCount"],
        "outgoingCallCount <= successCallCount + lostCallCount": f["outgoingCallCount"]
        <= f["successCallCount"] + f["lostCallCount"],
        "maxCallDuration = mnMaxCallDuration <= commonCallDuration": f["maxCallDuration"]
        == f["mnMaxCallDuration"]
        <= f["commonCallDuration"],
        "mnAvgCallDuration = floor(commonCallDuration / successCallCount)": f["mnAvgCallDuration"]
        == _average(f["commonCallDuration"], f["successCallCount"]),
        "averageCallDuration = floor(commonCallDuration / (allCallCount - lostCallCount))": f[
            "averageCallDuration"
        ]
        == _average(f["commonCallDuration"], f["allCallCount"] - f["lostCallCount"]),
        "averageTransferCallDuration = floor(transferCallDuration / transferCallCount)": f[
            "averageTransferCallDuration"
        ]
        == _average(f["transferCallDuration"], f["transferCallCount"]),
        "averageInternalCallDuration = floor(internalCallDuration / internalCallCount)": f[
            "averageInternalCallDuration"
        ]
        == _average(f["internalCallDuration"], f["internalCallCount"]),
        "callCountPerHour = callCountPerDay / 24": f["callCountPerHour"]
        == f["callCountPerDay"] / 24,
        "averageCallCountPerHour = floor(callCountPerHour)": f["averageCallCountPerHour"]
        == math.floor(f["callCountPerHour"]),
        "no figure is negative": all(value >= 0 for value in f.values()),
    }
    return [f"{rule} (D19, D20) does not hold" for rule, holds in rules.items() if not holds]


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


def statistics_problems(
    path: str,
    body: Any,
    records: list[dict[str, Any]],
    window: tuple[int, int],
    number: str | None,
) -> list[str]:
    """How `body` of a statistics operation differs from what `records`, the journal of the
    window, give (the window in Unix milliseconds)."""
    start, end = window
    chosen = _of_number(records, number)
    if path == COMMON_STATISTICS:
        return _mismatches(body, expected_common(chosen, start, end)) + identity_problems(body)
    # The journal statistics are the same window's allCallCount and successCallCount (5.6.2).
    common = expected_common(chosen, start, end)
    expected: dict[str, Any] = {
        "startTimestamp": start // 1000,
        "endTimestamp": end // 1000,
        "numberOfCalls": common["allCallCount"],
        "numberOfSuccessCalls": common["successCallCount"],
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


def _asked_number(case: Case[Any]) -> str | None:
    name = "subscriberNumber" if case.operation.path == COMMON_STATISTICS else "number"
    value = _query_value(case, name)
    return None if value is None else str(value)


def compare_with_journal(
    case: Case[Any], body: Any, token: str | None, window: tuple[int, int]
) -> list[str] | None:
    """How the statistics `body` answered to `case` with `token` differ from that token's
    journal of the same window; None when the window holds more pages than the environment
    lets a comparison read.

    Live calls land in the journal when they end, so the window may change between the answer
    and the reading of the journal: on a difference the statistics are asked again between two
    identical reads of the journal, and only that answer is judged."""
    path = case.operation.path
    number = _asked_number(case)
    raw_start, raw_end = str(_query_value(case, "start")), str(_query_value(case, "end"))
    pages = environment_of(case).max_journal_pages
    records = read_journal(case, raw_start, raw_end, token, pages)
    if records is None:
        return None
    problems = statistics_problems(path, body, records, window, number)
    if not problems:
        return []
    for _ in range(3):
        again = follow_up(case, "GET", path, token=token, query=case.query)
        later = read_journal(case, raw_start, raw_end, token, pages)
        if later is None:
            return None
        if later == records:
            if again.status_code != 200:
                return [f"asked again, the statistics answered {again.status_code}"]
            return statistics_problems(path, again.json(), records, window, number)
        records = later
    return ["the journal of the window kept changing; the statistics were never compared"]


@schemathesis.check
def statistics_match_the_journal(
    ctx: CheckContext, response: Response, case: Case[Any]
) -> bool | None:
    """Both statistics equal what GET /call-records/info lists for the same window."""
    if case.operation.path not in STATISTICS or response.status_code != 200:
        return None
    window = _window(case)
    if isinstance(window, str):
        raise AssertionError(window)
    body = _json(response, case.operation.path)
    problems = compare_with_journal(case, body, _sent_token(case, response), window)
    if problems:
        raise AssertionError(
            "The statistics differ from the journal of the same window:\n- " + "\n- ".join(problems)
        )
    return None


# ---------------------------------------------------------------------------------------------
# Tenants


def _company_of(token: str | None) -> int | None:
    details = claims_of(token or "").get("UserDetailsImpl")
    company = details.get("companyId") if isinstance(details, dict) else None
    return company if isinstance(company, int) else None


def _values(item: Mapping[str, Any], name: str) -> list[Any]:
    """The values of the field `name` of `item`: `a` one, `a[]` each element of the array `a`,
    `a[].b` the field `b` of each element (x-mock-tenant's identities)."""
    array, each, member = name.partition("[]")
    if not each:
        return [item.get(name)]
    elements = item.get(array)
    if not isinstance(elements, list):
        return []
    member = member.removeprefix(".")
    if not member:
        return elements
    return [element.get(member) for element in elements if isinstance(element, Mapping)]


def _set(value: Any) -> bool:
    return value is not None and value != ""


def _hashable(value: Any) -> Any:
    return json.dumps(value, sort_keys=True) if isinstance(value, list | dict) else value


def identities(tenancy: Tenancy, body: Any) -> set[tuple[Any, ...]]:
    """What names one company's objects and no other's in a list answer, by the spec's
    `x-mock-tenant` identities: (name, the key fields' values, the `any` fields' values)."""
    found: set[tuple[Any, ...]] = set()
    items = body if isinstance(body, list) else [body]
    for item in (i for i in items if isinstance(i, Mapping)):
        for identity in tenancy.identities:
            others = tuple(_hashable(item.get(name)) for name in identity.any)
            if identity.any and not any(_set(value) for value in others):
                continue
            keys = [_values(item, name) for name in identity.key]
            for key in itertools.product(*keys):
                if all(_set(value) for value in key):
                    found.add((identity.name, *map(_hashable, key), *others))
    return found


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
    """One company's token never sees another company's data.

    Which operations answer one company's data, and how, is the spec's `x-mock-tenant` on
    each. Every object answered whose `owner` field names a company names the token's. With
    another company's token (the environment's), the same request must: answer 404 for one
    object of ours (`object`: a manager, a recording, a transcript); answer 200 with none of
    our objects for a list (`list`, by its `identities`); answer 200 with statistics that are
    that company's own, computed from its own journal (`statistics`). Any other answer fails:
    isolation that cannot be observed is not proven.
    """
    operation = _operation_of(case)
    tenancy = None if operation is None else operation.traits.tenant
    if tenancy is None or case.method.upper() != "GET" or response.status_code != 200:
        return None
    company = _company_of(_sent_token(case, response))
    if company is not None and tenancy.owner is not None:
        body = _json(response, case.operation.label)
        for item in body if isinstance(body, list) else [body]:
            if isinstance(item, dict) and item.get(tenancy.owner) != company:
                raise AssertionError(
                    f"a token of company {company} was answered an object of company "
                    f"{item.get(tenancy.owner)!r}: {item!r}"
                )
    environment = environment_of(case)
    other = _as_other(case, environment)
    if other is None:
        return None  # no other company's token: nothing to compare with
    if tenancy.answer == "object":
        if other.status_code != 404:
            raise AssertionError(
                f"another company's token read the same object: {other.status_code}, expected 404"
            )
        return None
    if other.status_code != 200:
        raise AssertionError(
            f"another company's token answered {other.status_code} to the same request, "
            f"expected 200 with its own data: {other.text_lossy()[:200]}"
        )
    theirs = _json(other, case.operation.label)
    if tenancy.answer == "statistics":
        window = _window(case)
        if isinstance(window, tuple):
            problems = compare_with_journal(case, theirs, _sent_token(case, other), window)
            if problems:
                raise AssertionError(
                    "another company's statistics are not those of its own journal:\n- "
                    + "\n- ".join(problems)
                )
        return None
    ours = _json(response, case.operation.label)
    shared = identities(tenancy, ours) & identities(tenancy, theirs)
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
