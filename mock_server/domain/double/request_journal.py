"""The request journal: what clients sent to the documented API, newest last, in a bounded ring.

Each entry holds what a test asks about afterwards ("what did my CRM send?"): when (mock clock),
method, path, query, headers (the token replaced by its unverified claims and whether the mock
accepted it), the body, the answer's status and how long it took, the operationId, the
company, the request's advisories and the fault injected into it, if any. Path, query, headers
and body are each kept up to a bound (`MAX_*`), with their sizes as sent.

The ring keeps the last `capacity` entries (0: nothing is recorded), and of those no more than
`max_bytes` by each entry's reckoned size (the oldest go first). Entries are found by a
pattern, WireMock style (`RequestPattern`: operationId, method, path, companyId, status, since,
advisory, and what was sent: query, headers, body, json, jsonPath, request_matching.py);
`closest` ranks the entries that do not match by how many fields they miss, so a failed
verification can show the nearest requests; `tally` also counts the entries that the journal
cut too short to tell. Safe to use from several threads.
"""

from __future__ import annotations

import itertools
import threading
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final
from urllib.parse import parse_qsl

from mock_server.domain.double.advisories import ADVISORIES, Advisory
from mock_server.domain.double.faults import FaultFiring
from mock_server.domain.double.paths import HTTP_METHODS, api_path, path_glob
from mock_server.domain.double.request_matching import Miss, RecordedParts, RequestMatchers
from mock_server.domain.double.token_claims import TokenClaims
from mock_server.domain.errors import InvalidInput
from mock_server.domain.fields import is_int
from mock_server.domain.timeutil import parse_instant

__all__ = [
    "DEFAULT_CAPACITY",
    "DEFAULT_MAX_BYTES",
    "MAX_BODY_BYTES",
    "MAX_HEADER_BYTES",
    "MAX_PATH_CHARS",
    "MAX_QUERY_BYTES",
    "JournalEntry",
    "RequestJournal",
    "RequestPattern",
]

DEFAULT_CAPACITY: Final = 5000
MAX_CAPACITY: Final = 1_000_000
# The journal's bound in bytes besides its bound in entries: the oldest entries go first when
# the entries together are reckoned (`JournalEntry.size`) to hold more.
DEFAULT_MAX_BYTES: Final = 64 * 2**20
MAX_MAX_BYTES: Final = 2**40
# What an entry keeps of a request; the rest is cut, and the entry says so. Bodies of this API
# are a few hundred bytes, its paths and queries under a hundred characters and a client's
# headers under a kilobyte; the server passes far more (headers of any size, a request target
# up to 64 KiB: docs/performance.md, "Bounds").
MAX_BODY_BYTES: Final = 4096
MAX_PATH_CHARS: Final = 2048
MAX_QUERY_BYTES: Final = 4096
MAX_HEADER_BYTES: Final = 8192  # names and values together, Authorization aside
# What an entry holds besides the request's bytes: the objects, its advisories, the decoded
# claims, and its rendering once listed (measured: 4.6 KB unlisted, 6.4 KB listed, for a
# GET /employees with 400 bytes of headers). An entry is reckoned at this plus twice the bytes
# it keeps (kept, and rendered once listed).
ENTRY_BYTES: Final = 6 * 1024

MSG_PATH: Final = (
    "Field 'path': expected a path of the API such as /managers/* ('*' matches any characters), "
    "got {value!r}"
)
MSG_METHOD: Final = "Field 'method': expected one of {methods}, got {value!r}"
MSG_STATUS: Final = "Field 'status': expected an HTTP status from 100 to 599, got {value!r}"
MSG_COMPANY: Final = "Field 'companyId': expected a positive integer, got {value!r}"
MSG_ADVISORY: Final = "Field 'advisory': expected an advisory code ({codes}), got {value!r}"
MSG_TEXT: Final = "Field '{name}': expected a string of 1 to 200 characters, got {value!r}"
MSG_CAPACITY: Final = "the journal size must be from 0 to " + str(MAX_CAPACITY) + ", got {value!r}"
MSG_MAX_BYTES: Final = (
    "the journal's bytes must be from 1 to " + str(MAX_MAX_BYTES) + ", got {value!r}"
)


@dataclass(frozen=True, slots=True)
class RequestPattern:
    """A flat pattern over journal entries; a field left None matches anything.

    Example::

        RequestPattern.parse({"operationId": "getEmployees", "status": 503})
    """

    operation_id: str | None = None
    method: str | None = None
    path: str | None = None
    company_id: int | None = None
    status: int | None = None
    since: datetime | None = None
    advisory: str | None = None
    sent: RequestMatchers | None = None  # query, headers, body, json, jsonPath

    @classmethod
    def parse(cls, fields: Mapping[str, Any]) -> RequestPattern:
        """From the control API's field names, each checked (InvalidInput with its name)."""
        method = fields.get("method")
        if method is not None:
            if not isinstance(method, str) or method.upper() not in HTTP_METHODS:
                raise InvalidInput(MSG_METHOD.format(methods=", ".join(HTTP_METHODS), value=method))
            method = method.upper()
        path = fields.get("path")
        if path is not None and (not isinstance(path, str) or not path.startswith("/")):
            raise InvalidInput(MSG_PATH.format(value=path))
        status = fields.get("status")
        if status is not None and (not is_int(status) or not 100 <= status <= 599):
            raise InvalidInput(MSG_STATUS.format(value=status))
        company_id = fields.get("companyId")
        if company_id is not None and (not is_int(company_id) or company_id < 1):
            raise InvalidInput(MSG_COMPANY.format(value=company_id))
        advisory = fields.get("advisory")
        if advisory is not None and advisory not in ADVISORIES:
            raise InvalidInput(MSG_ADVISORY.format(codes=", ".join(ADVISORIES), value=advisory))
        operation_id = fields.get("operationId")
        if operation_id is not None and (
            not isinstance(operation_id, str) or not 1 <= len(operation_id) <= 200
        ):
            raise InvalidInput(MSG_TEXT.format(name="operationId", value=operation_id))
        since = fields.get("since")
        if since is not None and not isinstance(since, datetime):
            since = parse_instant(since, "since", where="Field")
        sent = RequestMatchers.parse(fields)
        return cls(operation_id, method, path, company_id, status, since, advisory, sent)

    def misses(self, entry: JournalEntry) -> list[Miss]:
        """The pattern's fields that `entry` does not match (`field: wanted ..., got ...`),
        the flat ones first, then those of what was sent."""
        missed = []
        if self.operation_id is not None and entry.operation_id != self.operation_id:
            missed.append(_miss("operationId", self.operation_id, entry.operation_id))
        if self.method is not None and entry.method != self.method:
            missed.append(_miss("method", self.method, entry.method))
        if self.path is not None and not path_glob(self.path).fullmatch(api_path(entry.path)):
            missed.append(_miss("path", self.path, entry.path))
        if self.company_id is not None and entry.company_id != self.company_id:
            missed.append(_miss("companyId", self.company_id, entry.company_id))
        if self.status is not None and entry.status != self.status:
            missed.append(_miss("status", self.status, entry.status))
        if self.since is not None and entry.at < self.since:
            missed.append(_miss("since", self.since.isoformat(), entry.at.isoformat()))
        if self.advisory is not None and all(a.code != self.advisory for a in entry.advisories):
            codes = ", ".join(a.code for a in entry.advisories) or "none"
            missed.append(_miss("advisory", self.advisory, codes))
        if self.sent is not None:
            missed.extend(self.sent.misses(entry.parts()))
        return missed

    def differences(self, entry: JournalEntry) -> list[str]:
        """The pattern's fields that `entry` does not match, as `field: wanted, got`."""
        return [str(miss) for miss in self.misses(entry)]

    def matches(self, entry: JournalEntry) -> bool:
        return not self.misses(entry)

    def to_json(self) -> dict[str, Any]:
        fields = {
            "operationId": self.operation_id,
            "method": self.method,
            "path": self.path,
            "companyId": self.company_id,
            "status": self.status,
            "since": None if self.since is None else self.since.isoformat(),
            "advisory": self.advisory,
        }
        shown = {k: v for k, v in fields.items() if v is not None}
        return shown if self.sent is None else {**shown, **self.sent.to_json()}


def _miss(field: str, wanted: object, got: object) -> Miss:
    return Miss(field, f"wanted {wanted}, got {got}")


def _bounded_headers(
    headers: Iterable[tuple[bytes, bytes]],
) -> tuple[tuple[tuple[bytes, bytes], ...], int]:
    """The headers but Authorization, up to MAX_HEADER_BYTES of names and values (the one that
    crosses the bound cut short, those after it left out), and the bytes of them all."""
    kept: list[tuple[bytes, bytes]] = []
    room = MAX_HEADER_BYTES
    total = 0
    for name, value in headers:
        if name.lower() == b"authorization":
            continue  # shown as the token's claims, never as itself
        total += len(name) + len(value)
        if room > len(name):
            kept.append((name, value[: room - len(name)]))
        room = max(0, room - len(name) - len(value))
    return tuple(kept), total


@dataclass(slots=True)
class JournalEntry:
    """One request and its answer. Headers, query and body are kept as they came, up to their
    bounds (MAX_*: the sizes as sent are kept beside them), and decoded only when the entry is
    shown. `size` is what the entry is reckoned to hold in memory."""

    at: datetime
    method: str
    path: str  # under the API's base path, as sent
    operation_id: str | None
    query_string: bytes = b""
    raw_headers: tuple[tuple[bytes, bytes], ...] = ()
    body: bytes = b""
    body_size: int = 0
    token: TokenClaims | None = None
    token_accepted: bool | None = None
    token_rejection: str | None = None
    company_id: int | None = None
    status: int | None = None
    duration_ms: float = 0.0
    advisories: tuple[Advisory, ...] = ()
    fault: FaultFiring | None = None
    id: int = 0
    path_size: int = 0  # as sent; 0: the given path's
    query_size: int = 0
    headers_size: int = 0
    size: int = 0
    _shown: dict[str, Any] | None = field(default=None, repr=False)
    _parts: RecordedParts | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.path_size = self.path_size or len(self.path)
        self.path = self.path[:MAX_PATH_CHARS]
        self.query_size = self.query_size or len(self.query_string)
        self.query_string = self.query_string[:MAX_QUERY_BYTES]
        self.raw_headers, headers_size = _bounded_headers(self.raw_headers)
        self.headers_size = self.headers_size or headers_size
        self.body_size = self.body_size or len(self.body)
        self.body = self.body[:MAX_BODY_BYTES]
        kept = len(self.path) + len(self.query_string) + len(self.body)
        kept += sum(len(name) + len(value) for name, value in self.raw_headers)
        self.size = ENTRY_BYTES + 2 * kept

    def parts(self) -> RecordedParts:
        """The query, headers and body as kept, decoded (once), and what of them was cut."""
        if self._parts is not None:
            return self._parts
        query: dict[str, list[str]] = {}
        for name, value in parse_qsl(self.query_string.decode("latin-1"), keep_blank_values=True):
            query.setdefault(name, []).append(value)
        headers: dict[str, str] = {}
        for raw_name, raw_value in self.raw_headers:
            name = raw_name.decode("latin-1").lower()
            value = raw_value.decode("latin-1")
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        kept_headers = sum(len(name) + len(value) for name, value in self.raw_headers)
        body = self.body.decode("utf-8", errors="replace")
        body_cut = _cut("body", len(self.body), self.body_size)
        self._parts = RecordedParts(
            query,
            headers,
            body,
            query_cut=_cut("query", len(self.query_string), self.query_size),
            headers_cut=_cut("headers", kept_headers, self.headers_size),
            body_cut=body_cut,
        )
        return self._parts

    def to_json(self) -> dict[str, Any]:
        if self._shown is not None:
            return self._shown
        parts = self.parts()
        token = None
        if self.token is not None:
            token = {
                **self.token.to_json(),
                "accepted": self.token_accepted,
                "rejection": self.token_rejection,
            }
        shown = {
            "id": self.id,
            "at": self.at.isoformat(),
            "method": self.method,
            "path": self.path,
            "pathTruncated": self.path_size > len(self.path),
            "operationId": self.operation_id,
            "query": parts.query,
            "queryTruncated": parts.query_cut is not None,
            "headers": parts.headers,
            "headersTruncated": parts.headers_cut is not None,
            "token": token,
            "companyId": self.company_id,
            "body": parts.body,
            "bodySize": self.body_size,
            "bodyTruncated": self.body_size > len(self.body),
            "status": self.status,
            "durationMs": round(self.duration_ms, 3),
            "advisories": [advisory.to_json() for advisory in self.advisories],
            "fault": None if self.fault is None else self.fault.to_json(),
        }
        self._shown = shown  # an entry no longer changes once it is in the journal
        return shown


def _cut(part: str, kept: int, size: int) -> str | None:
    """How much of a part the journal kept, if not all of it."""
    return None if size <= kept else f"the journal kept {kept} of the {part}'s {size} bytes"


class RequestJournal:
    """The last `capacity` requests (0: the journal is off), and of those no more than fit in
    `max_bytes` (by `JournalEntry.size`; the newest entry is kept whatever its size).

    Example::

        journal = RequestJournal(5000)
        journal.record(entry)
        journal.find(RequestPattern(operation_id="getEmployees"), limit=10)  # newest first
    """

    def __init__(
        self, capacity: int = DEFAULT_CAPACITY, max_bytes: int = DEFAULT_MAX_BYTES
    ) -> None:
        if not is_int(capacity) or not 0 <= capacity <= MAX_CAPACITY:
            raise InvalidInput(MSG_CAPACITY.format(value=capacity))
        if not is_int(max_bytes) or not 1 <= max_bytes <= MAX_MAX_BYTES:
            raise InvalidInput(MSG_MAX_BYTES.format(value=max_bytes))
        self.capacity = capacity
        self.max_bytes = max_bytes
        self._entries: deque[JournalEntry] = deque()
        self._bytes = 0
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.recorded = 0  # since the start, cleared or not

    @property
    def held_bytes(self) -> int:
        """What the entries are reckoned to hold (`JournalEntry.size`)."""
        return self._bytes

    @property
    def enabled(self) -> bool:
        return self.capacity > 0

    def next_id(self) -> int:
        """The id of the next request (taken before its entry is complete)."""
        return next(self._ids)

    def record(self, entry: JournalEntry) -> None:
        if not self.enabled:
            return
        if not entry.id:
            entry.id = self.next_id()
        with self._lock:
            self._entries.append(entry)
            self._bytes += entry.size
            self.recorded += 1
            entries = self._entries
            while len(entries) > self.capacity or (
                self._bytes > self.max_bytes and len(entries) > 1
            ):
                self._bytes -= entries.popleft().size

    def _newest_first(self) -> list[JournalEntry]:
        with self._lock:
            entries = list(self._entries)
        entries.reverse()
        return entries

    def find(self, pattern: RequestPattern, limit: int | None = None) -> list[JournalEntry]:
        """The entries matching `pattern`, newest first, at most `limit`."""
        matching = (entry for entry in self._newest_first() if pattern.matches(entry))
        return list(matching if limit is None else itertools.islice(matching, limit))

    def count(self, pattern: RequestPattern) -> int:
        return self.tally(pattern)[0]

    def tally(self, pattern: RequestPattern) -> tuple[int, int]:
        """How many entries match `pattern`, and how many more might: those that miss only
        where the journal cut what was sent (`Miss.cut`)."""
        matched = unknown = 0
        for entry in self._newest_first():
            misses = pattern.misses(entry)
            if not misses:
                matched += 1
            elif all(miss.cut for miss in misses):
                unknown += 1
        return matched, unknown

    def closest(
        self, pattern: RequestPattern, limit: int = 5
    ) -> list[tuple[JournalEntry, list[str]]]:
        """The entries that do not match `pattern`, fewest missed fields first (newest first
        among equals), each with what it missed."""
        misses = [
            (entry, missed)
            for entry in self._newest_first()
            if (missed := pattern.differences(entry))
        ]
        misses.sort(key=lambda item: len(item[1]))  # stable: newest first among equals
        return misses[:limit]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def forget_company(self, company_id: int) -> None:
        """Drop the company's requests (it was removed: a new company may take its id)."""
        with self._lock:
            kept = [entry for entry in self._entries if entry.company_id != company_id]
            self._entries.clear()
            self._entries.extend(kept)
            self._bytes = sum(entry.size for entry in kept)

    def __len__(self) -> int:
        return len(self._entries)

    def entries(self) -> Iterable[JournalEntry]:
        """Every entry, oldest first (a copy)."""
        with self._lock:
            return list(self._entries)
