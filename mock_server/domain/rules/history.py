"""The history a company is seeded with: the calls of the days before the PBX started.

A seeded history is a function of (seed, company, day): with the same `days` and
`calls_per_day`, the calls of 2026-03-13 of company 391 with seed 1 are the same whatever the
day the PBX was started, as long as 2026-03-13 lies wholly inside the seeded window.

Shape of a working day: business hours 09:00-19:00 Moscow time (UTC+3, no DST), a morning and
an afternoon peak, a lunch dip; weekends carry a tenth of the traffic. The calls keep the rules
of every journalled call (call_records.py); a fresh company's are written in bulk
(storage/bulk_journal.py), a company with calls already gets each through the triggers.
"""

from __future__ import annotations

import bisect
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Final

from mock_server.domain.errors import InvalidInput
from mock_server.domain.fields import integer_field
from mock_server.domain.rules.call_records import COMPANY_PLACED_TYPES, make_uuid
from mock_server.domain.rules.hangups import ended_by
from mock_server.domain.storage.bulk_journal import write_in_bulk
from mock_server.domain.storage.call_rows import INSERT_CALL, CallRow
from mock_server.domain.storage.rollups import register_parties
from mock_server.domain.storage.seed import company_profile, main_number, rng_for
from mock_server.domain.timeutil import to_epoch_ms

__all__ = [
    "MAX_CALLS_PER_DAY",
    "MAX_HISTORY_DAYS",
    "MAX_SEEDED_CALLS",
    "MOSCOW",
    "check_history_size",
    "expected_call_count",
    "seed_history",
]

MOSCOW: Final = timezone(timedelta(hours=3), "MSK")
_DAY_MS: Final = 86_400_000
_HOUR_MS: Final = 3_600_000

# Weights are relative; the distributions are plausible for a small sales office, not measured.
_TYPE_WEIGHTS: Final = (
    ("SINGLE_CHANNEL", 300),
    ("MULTI_CHANNEL", 250),
    ("OUTGOING", 150),
    ("INTERNAL", 80),
    ("INTERNAL_QUEUE", 50),
    ("CRM_OUTGOING", 50),
    ("CALLBACK", 20),
    ("VOICEMAIL", 20),
    ("CRM_CALLBACK", 15),
    ("PICKUP_CALL", 15),
    ("CONFERENCE", 10),
    ("FAX", 5),
    ("HIMSELF", 5),
    ("UNKNOWN_CALL", 5),
)
_STATUS_WEIGHTS: Final[dict[str, tuple[tuple[str, float], ...]]] = {
    # Calls from outside to an employee's or the company's number.
    "incoming": (
        ("ANSWERED_COMMON", 40),
        ("ANSWERED_BY_ORIGINAL_CLIENT", 20),
        ("ANSWERED_BY_BUSY_FORWARD_CLIENT", 3),
        ("ANSWERED_BY_NO_ANSWER_FORWARD_CLIENT", 3),
        ("NOT_ANSWERED_COMMON", 12),
        ("CANCELLED_BY_CALLER", 10),
        ("DESTINATION_BUSY", 5),
        ("CANCELLED_BY_PICKUP", 1),
        ("DENIED_DUE_TO_MAX_SESSION", 0.4),
        ("DENIED_DUE_TO_NOT_WORK_TIME", 0.4),
        ("DENIED_DUE_TO_UNKNOWN_NUMBER", 0.3),
        ("DENIED_DUE_TO_INCOMING_CALLS_BLOCKED", 0.2),
        ("DENIED_NOT_IN_WHITE_LIST", 0.2),
    ),
    # Callers waiting in a queue: no forwarding, more give up.
    "queue": (
        ("ANSWERED_COMMON", 70),
        ("NOT_ANSWERED_COMMON", 12),
        ("CANCELLED_BY_CALLER", 14),
        ("DESTINATION_BUSY", 2),
        ("DENIED_DUE_TO_MAX_SESSION", 1),
        ("DENIED_DUE_TO_UNKNOWN_NUMBER", 1),
    ),
    "outgoing": (
        ("ANSWERED_COMMON", 66),
        ("NOT_ANSWERED_COMMON", 18),
        ("CANCELLED_BY_CALLER", 8),
        ("DESTINATION_BUSY", 7),
        ("DENIED_DUE_TO_OUTGOING_CALLS_BLOCKED", 0.5),
        ("DENIED_DUE_TO_ONLY_INTERNAL_CALLS_ENABLED", 0.5),
    ),
    "internal": (
        ("ANSWERED_COMMON", 75),
        ("NOT_ANSWERED_COMMON", 12),
        ("CANCELLED_BY_CALLER", 8),
        ("DESTINATION_BUSY", 5),
    ),
    "fax": (("ANSWERED_COMMON", 85), ("NOT_ANSWERED_COMMON", 15)),
    # A voicemail box, a pick-up, a conference, a call to oneself: answered by definition.
    "answered": (("ANSWERED_COMMON", 1),),
}
_PROFILE: Final = {
    "SINGLE_CHANNEL": "incoming",
    "MULTI_CHANNEL": "incoming",
    "INTERNAL_QUEUE": "queue",
    "UNKNOWN_CALL": "queue",
    "OUTGOING": "outgoing",
    "CRM_OUTGOING": "outgoing",
    "CALLBACK": "outgoing",
    "CRM_CALLBACK": "outgoing",
    "INTERNAL": "internal",
    "FAX": "fax",
    "VOICEMAIL": "answered",
    "PICKUP_CALL": "answered",
    "CONFERENCE": "answered",
    "HIMSELF": "answered",
}
_FROM_OUTSIDE: Final = frozenset(
    {"SINGLE_CHANNEL", "MULTI_CHANNEL", "INTERNAL_QUEUE", "UNKNOWN_CALL", "VOICEMAIL"}
    | {"PICKUP_CALL", "FAX"}
)
_FORWARDED: Final = frozenset(
    {"ANSWERED_BY_BUSY_FORWARD_CLIENT", "ANSWERED_BY_NO_ANSWER_FORWARD_CLIENT"}
)
# Business hours 09:00-19:00 MSK: a morning peak, a lunch dip at 13:00, an afternoon peak.
_HOUR_WEIGHTS: Final = (6, 10, 11, 10, 6, 9, 10, 9, 7, 4)
_FIRST_HOUR: Final = 9
_WEEKDAY_FACTOR: Final = (1.0, 1.0, 1.0, 1.0, 0.95, 0.15, 0.08)
_BLACKLISTED_SHARE: Final = 0.01
_RECORDED_SHARE: Final = 0.85
_TRANSCRIBED_SHARE: Final = 0.85
_MAX_TALK_SECONDS: Final = 3 * 3600
_DENIED_BLACKLISTED: Final = "DENIED_DUE_TO_BLACK_LISTED"


def _cumulative(weights: Iterable[tuple[str, float]]) -> tuple[tuple[str, ...], list[float]]:
    names: list[str] = []
    cumulative: list[float] = []
    total = 0.0
    for name, weight in weights:
        total += weight
        names.append(name)
        cumulative.append(total)
    return tuple(names), cumulative


_TYPE_NAMES, _TYPE_CUM = _cumulative(_TYPE_WEIGHTS)
_STATUS_TABLES: Final = {
    profile: _cumulative(weights) for profile, weights in _STATUS_WEIGHTS.items()
}
_HOUR_CUM: Final = [float(sum(_HOUR_WEIGHTS[: i + 1])) for i in range(len(_HOUR_WEIGHTS))]


@dataclass(frozen=True, slots=True)
class _Parties:
    """Who can take part in a company's calls."""

    employees: tuple[tuple[str, str | None], ...]  # (full number, display name)
    clients: tuple[tuple[str, str | None], ...]  # repeat callers first: known contacts
    blacklisted: tuple[str, ...]
    main_number: str


def _display_name(name: str | None, surname: str | None) -> str | None:
    return " ".join(part for part in (name, surname) if part) or None


def _load_parties(
    conn: sqlite3.Connection, seed: int, company_id: int, profile: int, volume: int
) -> _Parties:
    employees = tuple(
        (str(r[0]), _display_name(r[1], r[2]))
        for r in conn.execute(
            "SELECT full_number, name, surname FROM employees "
            "WHERE company_id = ? AND full_number IS NOT NULL ORDER BY employee_id",
            (company_id,),
        )
    )
    blacklisted = tuple(
        str(r[0])
        for r in conn.execute(
            "SELECT number FROM blacklist WHERE company_id = ? ORDER BY id", (company_id,)
        )
    )
    taken = {number for number, _ in employees} | set(blacklisted)
    clients: list[tuple[str, str | None]] = []
    for number, name in conn.execute(
        "SELECT real_number, name FROM customers WHERE company_id = ? ORDER BY id", (company_id,)
    ):
        if number not in taken:
            taken.add(number)
            clients.append((str(number), name))
    # About six calls per outside number over the history, so redials are common; numbers
    # near the front of the pool call far more often than those at the back.
    rng = rng_for(seed, profile, "clients")
    target = max(60, volume // 6)
    while len(clients) < target:
        kind = rng.random()
        if kind < 0.8:
            number = f"79{rng.randrange(10**9):09d}"
        elif kind < 0.9:
            number = f"7495{rng.randrange(10**7):07d}"
        else:
            number = f"7812{rng.randrange(10**7):07d}"
        if number not in taken:
            taken.add(number)
            clients.append((number, None))
    return _Parties(employees, tuple(clients), blacklisted, main_number(conn, seed, company_id))


# How much history a PBX seeds for each company (its settings: the command line, a reset). A
# company is seeded inside the request that creates it (a reset seeds every configured one
# while the API answers 503), and every company created later is seeded alike, so the product
# bounds each company's seeding: at MAX_SEEDED_CALLS about 76,000 calls, 4 s and 90 MB
# (scripts/measure_bounds.py). A larger journal for benchmarks is seeded by `seed_history`
# itself (scripts/bench_journal.py).
MAX_HISTORY_DAYS: Final = 366
MAX_CALLS_PER_DAY: Final = 100_000
MAX_SEEDED_CALLS: Final = 100_000
MSG_HISTORY_SIZE: Final = (
    "{where}s '{days_name}' and '{calls_name}': {days_name} x {calls_name} (the calls seeded "
    "for each company) is at most {limit}, e.g. 30 x 3333 or 366 x 273; got {days} x {calls} "
    "= {product}"
)


def check_history_size(
    days: int,
    calls_per_day: int,
    names: tuple[str, str] = ("historyDays", "callsPerDay"),
    where: str = "Field",
) -> None:
    """InvalidInput naming the field unless `days` (0 to MAX_HISTORY_DAYS) and `calls_per_day`
    (0 to MAX_CALLS_PER_DAY) are integers, or naming both when their product is above
    MAX_SEEDED_CALLS."""
    days_name, calls_name = names
    checked = {days_name: days, calls_name: calls_per_day}
    integer_field(checked, days_name, 0, MAX_HISTORY_DAYS, where)
    integer_field(checked, calls_name, 0, MAX_CALLS_PER_DAY, where)
    if days * calls_per_day > MAX_SEEDED_CALLS:
        raise InvalidInput(
            MSG_HISTORY_SIZE.format(
                where=where,
                days_name=days_name,
                calls_name=calls_name,
                limit=MAX_SEEDED_CALLS,
                days=days,
                calls=calls_per_day,
                product=days * calls_per_day,
            )
        )


def expected_call_count(now: datetime, days: int, calls_per_day: float) -> float:
    """How many calls `seed_history` writes on average for these arguments (calls still in
    progress at `now` aside); lets a benchmark ask for a total rather than a daily rate."""
    now_ms = to_epoch_ms(now)
    first_ms = now_ms - days * _DAY_MS
    hour_total = sum(_HOUR_WEIGHTS)
    day = datetime.fromtimestamp(first_ms / 1000, MOSCOW).date()
    last_day = datetime.fromtimestamp(now_ms / 1000, MOSCOW).date()
    expected = 0.0
    while day <= last_day:
        opening = to_epoch_ms(datetime(day.year, day.month, day.day, _FIRST_HOUR, tzinfo=MOSCOW))
        for hour, weight in enumerate(_HOUR_WEIGHTS):
            lo = opening + hour * _HOUR_MS
            covered = max(0, min(lo + _HOUR_MS, now_ms) - max(lo, first_ms)) / _HOUR_MS
            share = _WEEKDAY_FACTOR[day.weekday()] * weight / hour_total
            expected += calls_per_day * share * covered
        day += timedelta(days=1)
    return expected


def seed_history(
    conn: sqlite3.Connection,
    seed: int,
    company_id: int,
    now: datetime,
    days: int = 30,
    calls_per_day: int = 40,
    *,
    progress: Callable[[int], object] | None = None,
    skip_days: frozenset[date] = frozenset(),
) -> int:
    """Journal the company's calls of the `days` days before `now`; returns how many.

    `calls_per_day` is the mean of a working day; weekends are much quieter. Only calls that
    started at or after `now - days` and ended by `now` are written. Needs the journal's tables
    (`install_schema`) and the company's employees; run it inside the transaction that seeds
    the company. `progress(rows_so_far)` is called as the calls are written. No call is
    seeded on the Moscow days of `skip_days` (those a tenant file's own records are on, so that
    a window of those days holds the file's calls alone); the other days are as they would be.
    """
    if days < 0 or calls_per_day < 0:
        raise ValueError("days and calls_per_day must be >= 0")
    # Drawn from the company's profile (storage/seed.py), as its employees were.
    profile = company_profile(conn, company_id)
    parties = _load_parties(conn, seed, company_id, profile, days * calls_per_day)
    if not parties.employees:
        return 0
    # The employees' numbers carry most calls: each is rolled up on its own (rollups.py).
    registered = {number for number, _ in parties.employees}
    register_parties(conn, company_id, sorted(registered))
    now_ms = to_epoch_ms(now)
    first_ms = now_ms - days * _DAY_MS
    first_day = datetime.fromtimestamp(first_ms / 1000, MOSCOW).date()
    last_day = datetime.fromtimestamp(now_ms / 1000, MOSCOW).date()
    days_rows = (
        _day_rows(seed, company_id, profile, parties, day, calls_per_day, first_ms, now_ms)
        for day in (first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1))
        if day not in skip_days
    )
    if conn.execute("SELECT 1 FROM calls WHERE company_id = ? LIMIT 1", (company_id,)).fetchone():
        # Not a fresh journal: each call goes through the triggers, as a live call does.
        total = 0
        for rows in days_rows:
            day_rows = list(rows)
            conn.executemany(INSERT_CALL, day_rows)
            total += len(day_rows)
            if progress is not None:
                progress(total)
        return total
    return write_in_bulk(conn, company_id, days_rows, registered, progress)


def _day_rows(
    seed: int,
    company_id: int,
    profile: int,
    parties: _Parties,
    day: date,
    calls_per_day: int,
    first_ms: int,
    now_ms: int,
) -> Iterator[CallRow]:
    """The calls of one Moscow day, in time order; every draw comes from the day's own
    generator, so a day's calls do not depend on which other days are seeded."""
    rng = rng_for(seed, profile, f"calls:{day.isoformat()}")
    mean = calls_per_day * _WEEKDAY_FACTOR[day.weekday()]
    count = max(0, round(rng.gauss(mean, mean * 0.08 + mean**0.5 * 0.5))) if mean else 0
    if count == 0:
        return
    day_ms = to_epoch_ms(datetime(day.year, day.month, day.day, _FIRST_HOUR, tzinfo=MOSCOW))
    rnd = rng.random
    hours = rng.choices(range(len(_HOUR_WEIGHTS)), cum_weights=_HOUR_CUM, k=count)
    starts = sorted(day_ms + h * _HOUR_MS + int(rnd() * _HOUR_MS) for h in hours)
    types = rng.choices(_TYPE_NAMES, cum_weights=_TYPE_CUM, k=count)
    # Consecutive calls get different suffixes, so two calls in one millisecond never share a
    # file name (the ids of different milliseconds differ anyway).
    salt = rng.randrange(100_000)
    getrandbits = rng.getrandbits
    lognormvariate = rng.lognormvariate
    bisect_right = bisect.bisect_right
    employees = parties.employees
    n_employees = len(employees)
    clients = parties.clients
    n_clients = len(clients)
    blacklisted = parties.blacklisted
    main_number = parties.main_number
    status_tables = _STATUS_TABLES
    date_prefix = (date(1970, 1, 1) + timedelta(days=starts[0] // _DAY_MS)).isoformat()
    date_day = starts[0] // _DAY_MS

    for seq in range(count):
        started = starts[seq]
        call_type = types[seq]
        statuses, cum = status_tables[_PROFILE[call_type]]
        status = statuses[bisect_right(cum, rnd() * cum[-1])]
        # Parties. `employee` is the employee's side of the call; `other` the second employee
        # (forward target, colleague picking up, internal peer).
        e_index = int(rnd() * n_employees)
        employee, employee_name = employees[e_index]
        o_index = (e_index + 1 + int(rnd() * (n_employees - 1))) % n_employees
        other, other_name = employees[o_index]
        r = rnd()
        client, client_name = clients[int(n_clients * r * r)]
        if call_type in _FROM_OUTSIDE:
            if blacklisted and rnd() < _BLACKLISTED_SHARE:
                client, client_name = blacklisted[int(rnd() * len(blacklisted))], None
                status = _DENIED_BLACKLISTED
            caller, caller_name = client, client_name
            if call_type in ("MULTI_CHANNEL", "INTERNAL_QUEUE", "UNKNOWN_CALL"):
                destination = main_number
            else:
                destination = employee
            if status in _FORWARDED or call_type == "PICKUP_CALL":
                callee, callee_name = other, other_name
            else:
                callee, callee_name = employee, employee_name
        elif call_type in COMPANY_PLACED_TYPES:
            caller, caller_name = employee, employee_name
            destination = callee = client
            callee_name = client_name
        elif call_type == "HIMSELF":
            caller = destination = callee = employee
            caller_name = callee_name = employee_name
        else:  # INTERNAL, CONFERENCE
            caller, caller_name = employee, employee_name
            destination = callee = other
            callee_name = other_name

        # Durations, whole seconds: ringing (and forwarding) first, then the conversation.
        conversation: int | None = None
        if status[0] == "A":  # ANSWERED_*
            ring = 2 + int(rnd() * 20)
            if status in _FORWARDED:
                ring += 10 + int(rnd() * 15)
            if call_type in ("INTERNAL", "HIMSELF"):
                conversation = 3 + int(lognormvariate(3.3, 0.8))
            elif call_type == "CONFERENCE":
                conversation = 60 + int(lognormvariate(6.0, 0.6))
            elif call_type == "VOICEMAIL":
                conversation = 5 + int(rnd() * 55)
            elif call_type == "FAX":
                conversation = 20 + int(rnd() * 100)
            else:
                conversation = 5 + int(lognormvariate(4.3, 0.9))
            conversation = min(conversation, _MAX_TALK_SECONDS)
            duration = ring + conversation
        elif status == "NOT_ANSWERED_COMMON":
            duration = 15 + int(rnd() * 45)
        elif status == "CANCELLED_BY_CALLER":
            duration = 2 + int(rnd() * 28)
        elif status == "CANCELLED_BY_PICKUP":
            duration = 3 + int(rnd() * 17)
        elif status == "DESTINATION_BUSY":
            duration = int(rnd() * 3)
        else:  # DENIED_*: refused before anything rang
            duration = 0

        # Every draw is made before the window check, so the calls of a day do not depend on
        # where the window's edges fall.
        recorded = conversation is not None and call_type != "FAX" and rnd() < _RECORDED_SHARE
        transcribed = 1 if rnd() < _TRANSCRIBED_SHARE and recorded else 0
        call_uuid = make_uuid(getrandbits(128))
        if started < first_ms or started + duration * 1000 > now_ms:
            continue
        record = ""
        if recorded:
            day_number = started // _DAY_MS
            if day_number != date_day:
                date_day = day_number
                date_prefix = (date(1970, 1, 1) + timedelta(days=day_number)).isoformat()
            mo = "mo_" if call_type in COMPANY_PLACED_TYPES else ""
            record = f"{date_prefix}/{mo}{started}{(seq * 7919 + salt) % 100_000:05d}"
        yield (
            company_id,
            started,
            call_type,
            status,
            destination,
            caller,
            caller_name,
            callee,
            callee_name,
            duration,
            conversation,
            record,
            call_uuid,
            transcribed,
            ended_by(status, call_uuid),
        )
