"""Fidelity advisories: where a request relies on what the guide does not promise.

The mock accepts much that the real service may not (or answers it in its own way), so a client
can pass every test here and still fail in production. Each advisory names one such habit with a
stable code, a one-line message in plain words, the section of the operator's guide it concerns
and the decision of the spec (`x-decisions`) it rests on; how sure that decision is (the
advisory's `basis`) is read from the decision's evidence in the spec, where the control API
answers (http/decisions.py), never written here. A vendor reads `GET /mock/advisories` before
going to production.

An advisory never tells a client to stop doing what an example of the guide does: the guide's
requests (its `callee=89056678798`, its `"id": 45` on create, its `Content-Type: html/text`)
earn none.

Detection looks at the request only (`RequestFacts`: method, path, operationId, query, headers,
body bytes, the token's unverified claims), never at how the mock answered, so an advisory holds
whatever the mock does with the request (refuse it, cap it, ignore it). Which advisories an
operation's requests are looked at for, and which query parameters each reads, is the spec's
word (`x-mock-advisories` on the operation), handed over with the request's facts: this module
reads no spec and names no operation.

Polling: `MONITORING_POLLED_TOO_OFTEN` is raised when one client (the token's company and user)
asks for the same monitoring operation again less than a second after its previous request, by
real time *and* by the mock clock. Real time, because a client's poll loop runs on real time and
a frozen mock clock must not make a slow client look fast; the mock clock too, because a test
that moves the clock forward between two polls is simulating that much time passing.

`AdvisoryBook` keeps the per-code summary, per company (the token's, unverified) so that a
test reads its own company's, logs each code once per client at WARNING (logger
`mock_server.advisories`), forgets a deleted company, and is safe to use from several threads.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from mock_server.domain.double.token_claims import KIND_ACCESS, TokenClaims
from mock_server.domain.errors import InvalidInput
from mock_server.domain.timeutil import parse_epoch_ms

__all__ = [
    "ADVISORIES",
    "OPERATION_CHECKS",
    "Advisory",
    "AdvisoryBook",
    "AdvisoryKind",
    "RequestFacts",
    "detect",
]

log = logging.getLogger("mock_server.advisories")

# -- the advisories: codes, messages, guide sections ----------------------------------------

BEARER_PREFIX: Final = "BEARER_PREFIX"
PAGE_SIZE_ABOVE_MAX: Final = "PAGE_SIZE_ABOVE_MAX"
PAGE_SIZE_BELOW_ONE: Final = "PAGE_SIZE_BELOW_ONE"
PAGE_NEGATIVE: Final = "PAGE_NEGATIVE"
WINDOW_NOT_ORDERED: Final = "WINDOW_NOT_ORDERED"
BLACKLIST_CONTENT_TYPE: Final = "BLACKLIST_CONTENT_TYPE"
UNKNOWN_QUERY_PARAMETER: Final = "UNKNOWN_QUERY_PARAMETER"
COMPANY_ID_NOT_THE_TOKENS: Final = "COMPANY_ID_NOT_THE_TOKENS"
REFRESH_WITH_ACCESS_TOKEN: Final = "REFRESH_WITH_ACCESS_TOKEN"
MONITORING_POLLED_TOO_OFTEN: Final = "MONITORING_POLLED_TOO_OFTEN"


@dataclass(frozen=True, slots=True)
class AdvisoryKind:
    code: str
    message: str
    guide: str  # the section of the operator's guide it concerns
    decision: str  # the decision of the spec's x-decisions it rests on ("D17")


ADVISORIES: Final = {
    kind.code: kind
    for kind in (
        AdvisoryKind(
            BEARER_PREFIX,
            "The token is sent as 'Bearer <token>'; the service takes it raw "
            "('Authorization: <token>'); the mock refuses the prefix with 403.",
            "4 «Авторизация»",
            "D43",
        ),
        AdvisoryKind(
            PAGE_SIZE_ABOVE_MAX,
            "The page 'size' is above 2000: the service returns at most 2000 a page (so does the "
            "mock), and a client that stops at the first short page stops early.",
            "5.7.1 «Получение списка записей разговоров»",
            "D17",
        ),
        AdvisoryKind(
            PAGE_SIZE_BELOW_ONE,
            "The page 'size' is below 1: the guide gives it no meaning, Spring reads it as the "
            "default 10 (so does the mock); ask for the size meant.",
            "5.7.1 «Получение списка записей разговоров»",
            "D17",
        ),
        AdvisoryKind(
            PAGE_NEGATIVE,
            "The 'page' is negative: pages count from 0, Spring reads it as 0 (so does the mock).",
            "5.7.1 «Получение списка записей разговоров»",
            "D17",
        ),
        AdvisoryKind(
            WINDOW_NOT_ORDERED,
            "'start' is not before 'end': the window holds no call, whatever the service "
            "answers (an empty list or an error).",
            "5.6 «Статистика», 5.7.1 «Получение списка записей разговоров»",
            "D18",
        ),
        AdvisoryKind(
            BLACKLIST_CONTENT_TYPE,
            "The blacklist number is sent under a Content-Type that is neither text/plain nor "
            "the guide's html/text; send the bare number as text/plain.",
            "5.9.1 «Занесение номера в черный список»",
            "D14",
        ),
        AdvisoryKind(
            UNKNOWN_QUERY_PARAMETER,
            "A query parameter that the operation does not have; the mock ignores it, and so "
            "may the service, but it is read nowhere.",
            "5 «Методы» (each operation's «Параметры строки запроса»)",
            "D44",
        ),
        AdvisoryKind(
            COMPANY_ID_NOT_THE_TOKENS,
            "'company_id' names another company than the token's: the mock answers for the "
            "token's company, whatever the service does with it.",
            "5.7.1 «Получение списка записей разговоров» (its URL template names company_id)",
            "D45",
        ),
        AdvisoryKind(
            REFRESH_WITH_ACCESS_TOKEN,
            "The refresh is sent with the access token; PUT /authorization/refresh/token takes "
            "the refresh token.",
            "5.1 «Обновление токена»",
            "D42",
        ),
        AdvisoryKind(
            MONITORING_POLLED_TOO_OFTEN,
            "Monitoring is polled more than once a second by the same client; poll at most "
            "once a second.",
            "5.2 «Получение информации о текущих звонках», 5.3 «Получение списка абонентов в "
            "очереди» (the guide sets no rate: the mock's advice)",
            "D46",
        ),
    )
}

# The Content-Types of POST /blacklist an advisory leaves alone: the one the spec documents and
# the guide's own (its example sends `html/text`).
_BLACKLIST_TYPES: Final = frozenset({"text/plain", "html/text"})
_INTEGER: Final = re.compile(r"[+-]?[0-9]{1,18}", re.ASCII)
MAX_PAGE_SIZE: Final = 2000
POLL_INTERVAL_SECONDS: Final = 1.0
_SHOWN: Final = 60  # characters of a value quoted in a detail
_MEMORY_SIZE: Final = 10_000  # clients remembered by the polling watch and the log


@dataclass(slots=True)  # not frozen: one is made for every request, and frozen costs time
class RequestFacts:
    """A plain description of one request to the documented API.

    `path` is under the API's base path (`/employees`); `operation_id` None when no operation
    is at that path; `query` in order as sent; `headers` with lower-case names; `known_query`
    the query parameters the operation declares (None: unknown operation); `advisories` the
    codes the operation's requests are looked at for, each with the query parameters it reads
    (the spec's `x-mock-advisories`).
    """

    method: str
    path: str
    operation_id: str | None
    query: tuple[tuple[str, str], ...] = ()
    headers: Mapping[str, str] | None = None
    body: bytes = b""
    token: TokenClaims | None = None
    known_query: frozenset[str] | None = None
    advisories: Mapping[str, tuple[str, ...]] | None = None

    def header(self, name: str) -> str | None:
        return None if self.headers is None else self.headers.get(name)

    def values(self, name: str) -> list[str]:
        return [value for key, value in self.query if key == name]


@dataclass(frozen=True, slots=True)
class Advisory:
    code: str
    detail: str  # what exactly, in this request

    @property
    def kind(self) -> AdvisoryKind:
        return ADVISORIES[self.code]

    def to_json(self) -> dict[str, str]:
        kind = self.kind
        return {
            "code": self.code,
            "message": kind.message,
            "guide": kind.guide,
            "decision": kind.decision,
            "detail": self.detail,
        }


def _shown(value: str) -> str:
    return value if len(value) <= _SHOWN else value[: _SHOWN - 3] + "..."


# -- detection: one function per habit, each looking at the request only ---------------------

Check = Callable[[RequestFacts], Iterator[Advisory]]
# A check of one operation's requests, given the query parameters it reads.
OperationCheck = Callable[[RequestFacts, tuple[str, ...]], Iterator[Advisory]]


def _bearer(facts: RequestFacts) -> Iterator[Advisory]:
    header = facts.header("authorization")
    if header is not None and header.strip()[:7].lower() == "bearer ":
        yield Advisory(BEARER_PREFIX, "Authorization: Bearer <token>")


def _unknown_query(facts: RequestFacts) -> Iterator[Advisory]:
    if facts.known_query is None or not facts.query:
        return
    unknown = sorted({name for name, _ in facts.query if name not in facts.known_query})
    if unknown:
        names = ", ".join(repr(_shown(name)) for name in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        yield Advisory(
            UNKNOWN_QUERY_PARAMETER, f"not parameters of {facts.operation_id}: {names}{more}"
        )


def _refresh_with_access(facts: RequestFacts, _: tuple[str, ...]) -> Iterator[Advisory]:
    if facts.token is not None and facts.token.kind == KIND_ACCESS:
        yield Advisory(REFRESH_WITH_ACCESS_TOKEN, "Authorization holds an access token")


def _company_id(facts: RequestFacts, names: tuple[str, ...]) -> Iterator[Advisory]:
    """`names`: the parameters that name a company."""
    token = facts.token
    if token is None or token.company_id is None:
        return
    for name, company_id in _integers(facts, names):
        if company_id != token.company_id:
            yield Advisory(
                COMPANY_ID_NOT_THE_TOKENS,
                f"{name}={company_id}, the token's company is {token.company_id}",
            )


def _integers(facts: RequestFacts, names: tuple[str, ...]) -> Iterator[tuple[str, int]]:
    for name in names:
        for value in facts.values(name):
            if _INTEGER.fullmatch(value.strip()):
                yield name, int(value)


def _size_above_max(facts: RequestFacts, names: tuple[str, ...]) -> Iterator[Advisory]:
    for name, size in _integers(facts, names):
        if size > MAX_PAGE_SIZE:
            yield Advisory(PAGE_SIZE_ABOVE_MAX, f"{name}={size}")


def _size_below_one(facts: RequestFacts, names: tuple[str, ...]) -> Iterator[Advisory]:
    for name, size in _integers(facts, names):
        if size < 1:
            yield Advisory(PAGE_SIZE_BELOW_ONE, f"{name}={size}")


def _page_negative(facts: RequestFacts, names: tuple[str, ...]) -> Iterator[Advisory]:
    for name, page in _integers(facts, names):
        if page < 0:
            yield Advisory(PAGE_NEGATIVE, f"{name}={page}")


def _window(facts: RequestFacts, names: tuple[str, ...]) -> Iterator[Advisory]:
    """`names`: the window's start and end."""
    start_name, end_name = names
    starts, ends = facts.values(start_name), facts.values(end_name)
    if len(starts) != 1 or len(ends) != 1:
        return
    try:
        start = parse_epoch_ms(starts[0], start_name)
        end = parse_epoch_ms(ends[0], end_name)
    except InvalidInput:
        return  # a malformed instant is the service's 400, not a habit
    if start >= end:
        yield Advisory(
            WINDOW_NOT_ORDERED,
            f"{start_name}={_shown(starts[0])}, {end_name}={_shown(ends[0])}",
        )


def _blacklist_content_type(facts: RequestFacts, _: tuple[str, ...]) -> Iterator[Advisory]:
    content_type = facts.header("content-type")
    if content_type is None:
        yield Advisory(BLACKLIST_CONTENT_TYPE, "no Content-Type")
        return
    media = content_type.split(";", 1)[0].strip().lower()
    if media not in _BLACKLIST_TYPES:
        yield Advisory(BLACKLIST_CONTENT_TYPE, f"Content-Type: {_shown(content_type.strip())}")


_GENERAL: Final[tuple[Check, ...]] = (_bearer, _unknown_query)
# The advisories an operation's requests are looked at for, where its spec says so
# (`RequestFacts.advisories`); polling is the book's own (`AdvisoryBook.observe`).
OPERATION_CHECKS: Final[Mapping[str, OperationCheck | None]] = {
    REFRESH_WITH_ACCESS_TOKEN: _refresh_with_access,
    PAGE_SIZE_ABOVE_MAX: _size_above_max,
    PAGE_SIZE_BELOW_ONE: _size_below_one,
    PAGE_NEGATIVE: _page_negative,
    WINDOW_NOT_ORDERED: _window,
    COMPANY_ID_NOT_THE_TOKENS: _company_id,
    BLACKLIST_CONTENT_TYPE: _blacklist_content_type,
    MONITORING_POLLED_TOO_OFTEN: None,
}


def detect(facts: RequestFacts) -> list[Advisory]:
    """Every advisory the request carries by itself (all but the polling one, which needs the
    client's previous request: `AdvisoryBook.observe`)."""
    found: list[Advisory] = []
    for check in _GENERAL:
        found.extend(check(facts))
    for code, names in (facts.advisories or {}).items():
        operation_check = OPERATION_CHECKS[code]
        if operation_check is not None:
            found.extend(operation_check(facts, names))
    return found


# -- the book: polling, the summary, the log -------------------------------------------------

Client = tuple[int | None, int | None]


@dataclass(slots=True)
class _Tally:
    count: int
    clients: set[Client]
    first_seen: datetime
    last_seen: datetime
    example: dict[str, Any]


def _merge(one: _Tally, other: _Tally) -> _Tally:
    """Two companies' tallies of one code as one (the example: the earlier request)."""
    first = min(one, other, key=lambda tally: tally.example["requestId"])
    return _Tally(
        one.count + other.count,
        one.clients | other.clients,
        min(one.first_seen, other.first_seen),
        max(one.last_seen, other.last_seen),
        first.example,
    )


class AdvisoryBook:
    """Advisories of the requests seen: the polling watch, the per-code summary and the log.

    Example::

        book = AdvisoryBook()
        book.observe(facts, request_id=1, at=clock.now(), mock_seconds=t, real_seconds=r)
        book.summary()  # [{'code': 'BEARER_PREFIX', 'count': 1, ...}]
    """

    def __init__(self, logger: logging.Logger = log) -> None:
        self._log = logger
        self._lock = threading.Lock()
        self._tallies: dict[tuple[str, int | None], _Tally] = {}  # by code and company
        self._last_poll: dict[tuple[Client, str], tuple[float, float]] = {}
        self._logged: set[tuple[str, Client]] = set()

    def observe(
        self,
        facts: RequestFacts,
        *,
        request_id: int,
        at: datetime,
        mock_seconds: float,
        real_seconds: float,
    ) -> list[Advisory]:
        """The request's advisories (`detect`, plus polling), counted in the summary."""
        found = detect(facts)
        token = facts.token
        client: Client = (None, None) if token is None else (token.company_id, token.user_id)
        if MONITORING_POLLED_TOO_OFTEN in (facts.advisories or {}):
            polled = self._poll(client, facts.operation_id or "", mock_seconds, real_seconds)
            if polled is not None:
                found.append(polled)
        if found:
            self._count(found, facts, client, request_id, at)
        return found

    def _poll(
        self, client: Client, operation_id: str, mock_seconds: float, real_seconds: float
    ) -> Advisory | None:
        key = (client, operation_id)
        with self._lock:
            previous = self._last_poll.get(key)
            if len(self._last_poll) >= _MEMORY_SIZE:
                self._last_poll.clear()
            self._last_poll[key] = (mock_seconds, real_seconds)
        if previous is None:
            return None
        mock_gap, real_gap = mock_seconds - previous[0], real_seconds - previous[1]
        if mock_gap < POLL_INTERVAL_SECONDS and real_gap < POLL_INTERVAL_SECONDS:
            return Advisory(
                MONITORING_POLLED_TOO_OFTEN,
                f"{operation_id} again after {real_gap:.3f} s (mock clock: {mock_gap:.3f} s)",
            )
        return None

    def _count(
        self,
        found: list[Advisory],
        facts: RequestFacts,
        client: Client,
        request_id: int,
        at: datetime,
    ) -> None:
        first_for_client = []
        with self._lock:
            for advisory in found:
                tally = self._tallies.get((advisory.code, client[0]))
                if tally is None:
                    example = {
                        "requestId": request_id,
                        "at": at.isoformat(),
                        "method": facts.method,
                        "path": facts.path,
                        "operationId": facts.operation_id,
                        "detail": advisory.detail,
                    }
                    self._tallies[advisory.code, client[0]] = _Tally(1, {client}, at, at, example)
                else:
                    tally.count += 1
                    if len(tally.clients) < _MEMORY_SIZE:
                        tally.clients.add(client)
                    tally.last_seen = max(tally.last_seen, at)
                key = (advisory.code, client)
                if key not in self._logged and len(self._logged) < _MEMORY_SIZE:
                    self._logged.add(key)
                    first_for_client.append(advisory)
        for advisory in first_for_client:
            self._log.warning(
                "advisory %s (company %s, user %s; %s %s): %s [%s] guide %s",
                advisory.code,
                client[0],
                client[1],
                facts.method,
                facts.path,
                advisory.kind.message,
                advisory.detail,
                advisory.kind.guide,
            )

    def summary(self, company_id: int | None = None) -> list[dict[str, Any]]:
        """Per code seen (of `company_id`'s requests, or of every request): the advisory, how
        many requests and clients carried it, when, and the first request that did; by code."""
        with self._lock:
            merged: dict[str, _Tally] = {}
            for (code, company), tally in self._tallies.items():
                if company_id is None or company == company_id:
                    merged[code] = tally if code not in merged else _merge(merged[code], tally)
            tallies = sorted(merged.items())
            return [
                {
                    **{k: v for k, v in Advisory(code, "").to_json().items() if k != "detail"},
                    "count": tally.count,
                    "clients": len(tally.clients),
                    "firstSeen": tally.first_seen.isoformat(),
                    "lastSeen": tally.last_seen.isoformat(),
                    "example": dict(tally.example),
                }
                for code, tally in tallies
            ]

    def forget_company(self, company_id: int) -> None:
        """The company was deleted: its advisories and its clients' polls go."""
        with self._lock:
            for key in [key for key in self._tallies if key[1] == company_id]:
                del self._tallies[key]
            for poll in [poll for poll in self._last_poll if poll[0][0] == company_id]:
                del self._last_poll[poll]
            self._logged = {logged for logged in self._logged if logged[1][0] != company_id}

    def clear(self) -> None:
        """Forget the summary and the polling watch (each code is still logged once per
        client per process: the log is for people watching the console)."""
        with self._lock:
            self._tallies.clear()
            self._last_poll.clear()
