"""Fault rules: make the documented API fail on purpose, by a flat rule a test writes in one line.

    {"operationId": "getEmployees", "status": 503, "times": 2}
    {"operationId": "getCallRecordFile", "delayMs": 800, "jitterMs": 200}
    {"companyId": 1001, "drop": true, "probability": 0.1, "seed": 7}

A rule *matches* a request by `operationId`, `method`, `path` (a pattern: `*` matches any
characters) and `companyId` (the company the request's token names), each optional. It does one
thing (its *action*):

- `status`: answer that status (400-599) with the documented API's Spring error body, and
  `Retry-After: <retryAfter>` when given; the request never reaches the mock;
- `drop: true`: close the connection without an answer;
- `truncate: true`: let the mock answer, then send half of the body and close the connection;
- `expireTokens: access|all`: answer 403 `{"details": "The token is expired"}` to every access
  token (`all`: and refresh token) issued up to the rule's creation, as if their time were up;
  a user's refresh after the rule lifts it for that user, and tokens issued later pass;
- `delayMs` (with `jitterMs`: a further delay drawn from [0, jitterMs]): wait that long first,
  alone or before any of the above.

It fires at most `times` times (default: every time), with `probability` (drawn from a
generator seeded by `seed`, default the PBX's seed and the rule's id, so a run repeats), and only
while the mock clock is within [`from`, `until`) (the clock of the rule's company, or the mock
clock when the rule names none; an `until` not after `from` is an empty window, in which the
rule never fires, as in one that has passed). Rules are tried in the order they were added; the
first that matches and fires acts. A rule that matches but does not fire (spent, out of its
window, or not drawn) lets the next one try.

Presets build common rules: `outage` (every operation answers 503, or another 5xx, for N
minutes), `token-expiry` (every token of a company expires now) and `slow-recordings` (the
recording downloads take seconds).

Rules live in the store (`fault_rules`), so that with `--workers N` every worker keeps to the
same rules: a rule fires `times` times in all, whichever workers serve the requests, and its
seeded draws are one sequence. Each process matches requests against its own parsed copy of the
rules (no query per request); a change of the rules (add, remove, load, a refresh noted by an
expireTokens rule) gets a new version in the store, which the other processes see (`sync`).
A firing is counted, and its draws taken, in a write transaction: under SQLite's write lock no
other process fires the same rule meanwhile. Safe to use from several threads.
"""

from __future__ import annotations

import json
import math
import random
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final

from mock_server.domain.errors import Conflict, InvalidInput, NotFound
from mock_server.domain.fields import MSG_CHOICE, integer_field, is_int
from mock_server.domain.request_journal import HTTP_METHODS, path_glob
from mock_server.domain.store import Store
from mock_server.domain.timeutil import parse_instant
from mock_server.domain.token_claims import KIND_ACCESS, KIND_REFRESH, TokenClaims

__all__ = [
    "ACTIONS",
    "FAULT_FIELDS",
    "FAULT_SCHEMA",
    "MAX_RULES",
    "META_FAULTS_VERSION",
    "PRESETS",
    "FaultBook",
    "FaultFiring",
    "FaultRule",
    "FaultTarget",
]

# The vocabulary of a rule, as the control API and the --faults file spell it.
MATCH_FIELDS: Final = ("operationId", "method", "path", "companyId")
ACTION_FIELDS: Final = ("status", "retryAfter", "delayMs", "jitterMs", "drop", "truncate",
                        "expireTokens")  # fmt: skip
FIRING_FIELDS: Final = ("times", "probability", "seed", "from", "until")
FAULT_FIELDS: Final = (*MATCH_FIELDS, *ACTION_FIELDS, *FIRING_FIELDS)
# What a rule does when it fires, besides an optional delay.
ACTIONS: Final = ("status", "drop", "truncate", "expireTokens")
EXPIRE_KINDS: Final = ("access", "all")
PRESETS: Final = ("outage", "token-expiry", "slow-recordings")
MAX_RULES: Final = 1000
MAX_PATH_LENGTH: Final = 500
MAX_DELAY_MS: Final = 600_000
MAX_RETRY_AFTER: Final = 86_400
MAX_TIMES: Final = 1_000_000
MAX_COMPANY_ID: Final = 2**31 - 1
MAX_SEED: Final = 2**63 - 1
MAX_OUTAGE_MINUTES: Final = 7 * 24 * 60
DEFAULT_SLOW_RECORDING_MS: Final = 3000
RECORDING_OPERATION: Final = "getCallRecordFile"

# The rules as given (`spec`: their flat fields, JSON), in the order they are tried (`id`), and
# what firing them has used up: `fired` of `times`, `draws` from the seeded generator.
FAULT_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS fault_rules (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL UNIQUE,     -- this rule and no other: ids start at 1 again on load
    spec       TEXT NOT NULL,
    company_id INTEGER,                  -- the company it names, if any (also in `spec`)
    preset     TEXT,
    created_at TEXT NOT NULL,            -- ISO 8601, on the clock of the rule's company
    pbx_seed   INTEGER NOT NULL,         -- the PBX's seed then (the generator's default seed)
    fired      INTEGER NOT NULL DEFAULT 0,
    draws      INTEGER NOT NULL DEFAULT 0
);
-- The users who refreshed since an expireTokens rule was made: their tokens pass again.
CREATE TABLE IF NOT EXISTS fault_refreshes (
    rule_id    INTEGER NOT NULL REFERENCES fault_rules(id) ON DELETE CASCADE,
    company_id INTEGER,
    user_id    INTEGER,
    UNIQUE (rule_id, company_id, user_id)
);
"""
# Changes whenever the rules do (not when they fire); the next rule's id.
META_FAULTS_VERSION: Final = "faults_version"
META_FAULTS_NEXT_ID: Final = "faults_next_id"

MSG_UNKNOWN_FIELD: Final = "Field '{name}': not a field of a fault rule; its fields: {fields}"
MSG_NUMBER: Final = "Field '{name}': expected a number from {low} to {high}, got {value!r}"
MSG_TRUE: Final = "Field '{name}': expected true (leave it out for false), got {value!r}"
MSG_TEXT: Final = "Field '{name}': expected a string of 1 to 200 characters, got {value!r}"
MSG_PATH: Final = (
    "Field 'path': expected a path of the API starting with '/', at most 500 characters "
    "('*' matches any characters), got {value!r}"
)
MSG_NO_ACTION: Final = (
    "A fault rule needs an action: one of status, drop, truncate, expireTokens, and/or delayMs"
)
MSG_TWO_ACTIONS: Final = (
    "A fault rule does one thing: {given} cannot go together (only delayMs goes with the others)"
)
MSG_NEEDS: Final = "Field '{name}': goes with '{needs}', which is not given"
MSG_NOT_OBJECT: Final = "A fault rule is a JSON object of its fields, got {value!r}"
MSG_TOO_MANY: Final = (
    "There are {count} fault rules already, the most the mock keeps; DELETE /mock/faults first"
)
MSG_NO_RULE: Final = "Fault rule {rule_id} not found"
MSG_UNKNOWN_PRESET: Final = "Unknown preset {name!r}; presets: {presets}"
MSG_PRESET_FIELD: Final = "Field '{name}': not a field of preset {preset}; its fields: {fields}"


def _true(spec: Mapping[str, Any], name: str) -> bool:
    value = spec.get(name)
    if value is None:
        return False
    if value is not True:
        raise InvalidInput(MSG_TRUE.format(name=name, value=value))
    return True


def _text(spec: Mapping[str, Any], name: str) -> str | None:
    value = spec.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not 1 <= len(value) <= 200:
        raise InvalidInput(MSG_TEXT.format(name=name, value=value))
    return value


def _instant(spec: Mapping[str, Any], name: str) -> datetime | None:
    value = spec.get(name)
    if value is None:
        return None
    if isinstance(value, datetime):  # a preset's instant, or a YAML timestamp
        value = value.isoformat()
    return parse_instant(value, name, where="Field")


@dataclass(frozen=True, slots=True)
class FaultTarget:
    """What a rule can match a request by: its operation, method, path, the company its token
    names and the token's claims."""

    method: str
    path: str  # under the API's base path
    operation_id: str | None
    company_id: int | None = None
    token: TokenClaims | None = None


@dataclass(frozen=True, slots=True)
class FaultFiring:
    """What a rule that fired makes of one request."""

    rule_id: int
    action: str | None  # one of ACTIONS, or None: only a delay
    delay_ms: float = 0.0
    status: int | None = None
    retry_after: int | None = None
    preset: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "ruleId": self.rule_id,
            "action": self.action or "delay",
            "delayMs": round(self.delay_ms, 3),
            "status": self.status,
            "retryAfter": self.retry_after,
            "preset": self.preset,
        }


@dataclass(slots=True)
class FaultRule:
    id: int
    created_at: datetime  # on the clock of the rule's company (the mock clock without one)
    operation_id: str | None = None
    method: str | None = None
    path: str | None = None
    company_id: int | None = None
    status: int | None = None
    retry_after: int | None = None
    delay_ms: int | None = None
    jitter_ms: int | None = None
    drop: bool = False
    truncate: bool = False
    expire_tokens: str | None = None
    times: int | None = None
    probability: float | None = None
    seed: int | None = None
    starts: datetime | None = None
    ends: datetime | None = None
    preset: str | None = None
    fired: int = 0  # as last read from the store
    # The seeded generator (of probability and jitter), and how many numbers it has drawn.
    rng_seed: int | str = 0
    rng: random.Random = field(default_factory=random.Random, repr=False)
    drawn: int = 0
    # Users (company, user) who refreshed since an expireTokens rule was made.
    refreshed: frozenset[tuple[int | None, int | None]] = field(default=frozenset(), repr=False)
    key: str = field(default="", repr=False)  # the store's name for this very rule

    @property
    def action(self) -> str | None:
        for name, given in (
            ("status", self.status is not None),
            ("drop", self.drop),
            ("truncate", self.truncate),
            ("expireTokens", self.expire_tokens is not None),
        ):
            if given:
                return name
        return None

    @property
    def remaining(self) -> int | None:
        return None if self.times is None else max(self.times - self.fired, 0)

    def given(self) -> dict[str, Any]:
        """The rule's flat fields as given (absent ones left out), instants in ISO 8601: what
        `_parse_rule` makes this rule of again."""
        fields: dict[str, Any] = {
            "operationId": self.operation_id,
            "method": self.method,
            "path": self.path,
            "companyId": self.company_id,
            "status": self.status,
            "retryAfter": self.retry_after,
            "delayMs": self.delay_ms,
            "jitterMs": self.jitter_ms,
            "drop": self.drop or None,
            "truncate": self.truncate or None,
            "expireTokens": self.expire_tokens,
            "times": self.times,
            "probability": self.probability,
            "seed": self.seed,
            "from": None if self.starts is None else self.starts.isoformat(),
            "until": None if self.ends is None else self.ends.isoformat(),
        }
        return {k: v for k, v in fields.items() if v is not None}

    def to_json(self) -> dict[str, Any]:
        shown = {"id": self.id, **self.given()}
        if self.preset is not None:
            shown["preset"] = self.preset
        shown.update(
            fired=self.fired,
            remaining=self.remaining,
            createdAt=self.created_at.isoformat(),
        )
        return shown

    # -- matching ---------------------------------------------------------------------------

    def matches(self, target: FaultTarget) -> bool:
        if self.operation_id is not None and target.operation_id != self.operation_id:
            return False
        if self.method is not None and target.method != self.method:
            return False
        if self.company_id is not None and target.company_id != self.company_id:
            return False
        if self.path is not None and not path_glob(self.path).fullmatch(
            target.path.rstrip("/") or "/"
        ):
            return False
        return self.expire_tokens is None or self._expires(target.token)

    def _expires(self, token: TokenClaims | None) -> bool:
        """Whether the token is one this expireTokens rule makes expire."""
        if token is None or token.issued is None:
            return False
        kinds = (KIND_ACCESS,) if self.expire_tokens == "access" else (KIND_ACCESS, KIND_REFRESH)
        if token.kind not in kinds:
            return False
        if (token.company_id, token.user_id) in self.refreshed:
            return False
        return token.issued <= self.created_at.timestamp()

    def in_window(self, now: float) -> bool:
        """Whether `now` (the clock of the rule's company) is within [`from`, `until`)."""
        if self.starts is not None and now < self.starts.timestamp():
            return False
        return self.ends is None or now < self.ends.timestamp()

    def fire(self, fired: int, draws: int) -> tuple[FaultFiring | None, int]:
        """Fire if `times` and the probability let it, counting it: `fired` is how often the
        rule fired so far and `draws` how many numbers its generator gave, by every process
        (the store's); returns the firing, if any, and the draws made by then."""
        self.fired = fired
        if self.times is not None and fired >= self.times:
            return None, draws
        rng = self._generator_at(draws)
        if self.probability is not None:
            self.drawn += 1
            if rng.random() >= self.probability:
                return None, self.drawn
        self.fired += 1
        delay = float(self.delay_ms or 0)
        if self.jitter_ms:
            self.drawn += 1
            delay += rng.uniform(0, self.jitter_ms)
        return (
            FaultFiring(self.id, self.action, delay, self.status, self.retry_after, self.preset),
            self.drawn,
        )

    def _generator_at(self, draws: int) -> random.Random:
        """The generator, having drawn `draws` numbers: other processes may have drawn some."""
        if self.drawn > draws:
            self.rng, self.drawn = random.Random(self.rng_seed), 0
        for _ in range(draws - self.drawn):
            self.rng.random()
        self.drawn = draws
        return self.rng


def _parse_rule(
    spec: Mapping[str, Any],
    rule_id: int,
    created_at: datetime,
    pbx_seed: int,
    preset: str | None = None,
) -> FaultRule:
    """A rule from its flat fields, every field checked (InvalidInput naming it)."""
    if not isinstance(spec, Mapping):
        raise InvalidInput(MSG_NOT_OBJECT.format(value=spec))
    for name in spec:
        if name not in FAULT_FIELDS:
            raise InvalidInput(MSG_UNKNOWN_FIELD.format(name=name, fields=", ".join(FAULT_FIELDS)))
    method = spec.get("method")
    if method is not None:
        if not isinstance(method, str) or method.upper() not in HTTP_METHODS:
            raise InvalidInput(
                MSG_CHOICE.format(name="method", choices=", ".join(HTTP_METHODS), value=method)
            )
        method = method.upper()
    path = spec.get("path")
    if path is not None and (
        not isinstance(path, str) or not path.startswith("/") or len(path) > MAX_PATH_LENGTH
    ):
        raise InvalidInput(MSG_PATH.format(value=path))
    expire = spec.get("expireTokens")
    if expire is not None and expire not in EXPIRE_KINDS:
        raise InvalidInput(
            MSG_CHOICE.format(name="expireTokens", choices=", ".join(EXPIRE_KINDS), value=expire)
        )
    probability = spec.get("probability")
    if probability is not None and (
        not isinstance(probability, int | float)
        or isinstance(probability, bool)
        or not math.isfinite(probability)
        or not 0 < probability <= 1
    ):
        raise InvalidInput(
            MSG_NUMBER.format(name="probability", low="0 (exclusive)", high=1, value=probability)
        )
    rule = FaultRule(
        id=rule_id,
        created_at=created_at,
        operation_id=_text(spec, "operationId"),
        method=method,
        path=path,
        company_id=integer_field(spec, "companyId", 1, MAX_COMPANY_ID),
        status=integer_field(spec, "status", 400, 599),
        retry_after=integer_field(spec, "retryAfter", 0, MAX_RETRY_AFTER),
        delay_ms=integer_field(spec, "delayMs", 0, MAX_DELAY_MS),
        jitter_ms=integer_field(spec, "jitterMs", 0, MAX_DELAY_MS),
        drop=_true(spec, "drop"),
        truncate=_true(spec, "truncate"),
        expire_tokens=expire,
        times=integer_field(spec, "times", 1, MAX_TIMES),
        probability=None if probability is None else float(probability),
        seed=integer_field(spec, "seed", 0, MAX_SEED),
        starts=_instant(spec, "from"),
        ends=_instant(spec, "until"),
        preset=preset,
    )
    given = [
        name
        for name, present in (
            ("status", rule.status is not None),
            ("drop", rule.drop),
            ("truncate", rule.truncate),
            ("expireTokens", rule.expire_tokens is not None),
        )
        if present
    ]
    if not given and rule.delay_ms is None:
        raise InvalidInput(MSG_NO_ACTION)
    if len(given) > 1:
        raise InvalidInput(MSG_TWO_ACTIONS.format(given=" and ".join(given)))
    if rule.retry_after is not None and rule.status is None:
        raise InvalidInput(MSG_NEEDS.format(name="retryAfter", needs="status"))
    if rule.jitter_ms is not None and rule.delay_ms is None:
        raise InvalidInput(MSG_NEEDS.format(name="jitterMs", needs="delayMs"))
    rule.rng_seed = rule.seed if rule.seed is not None else f"{pbx_seed}:fault:{rule_id}"
    rule.rng = random.Random(rule.rng_seed)
    return rule


# -- presets ------------------------------------------------------------------------------

_PRESET_FIELDS: Final = {
    "outage": ("minutes", "status", "retryAfter", "companyId"),
    "token-expiry": ("companyId", "refresh"),
    "slow-recordings": ("delayMs", "jitterMs", "companyId"),
}


def _preset_rule(name: str, params: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """The rule's fields a preset stands for, at `now` (the clock of its company)."""
    if name not in _PRESET_FIELDS:
        raise InvalidInput(MSG_UNKNOWN_PRESET.format(name=name, presets=", ".join(PRESETS)))
    if not isinstance(params, Mapping):
        raise InvalidInput(MSG_NOT_OBJECT.format(value=params))
    allowed = _PRESET_FIELDS[name]
    for key in params:
        if key not in allowed:
            raise InvalidInput(
                MSG_PRESET_FIELD.format(name=key, preset=name, fields=", ".join(allowed))
            )
    rule: dict[str, Any] = {}
    if params.get("companyId") is not None:
        rule["companyId"] = params["companyId"]
    if name == "outage":
        minutes = params.get("minutes")
        if (
            not isinstance(minutes, int | float)
            or isinstance(minutes, bool)
            or not math.isfinite(minutes)
            or not 0 < minutes <= MAX_OUTAGE_MINUTES
        ):
            raise InvalidInput(
                MSG_NUMBER.format(
                    name="minutes", low="0 (exclusive)", high=MAX_OUTAGE_MINUTES, value=minutes
                )
            )
        status = params.get("status", 503)
        if status not in (500, 502, 503, 504):
            raise InvalidInput(
                MSG_CHOICE.format(name="status", choices="500, 502, 503, 504", value=status)
            )
        rule.update(status=status, **{"from": now, "until": now + _outage_length(minutes)})
        if params.get("retryAfter") is not None:
            rule["retryAfter"] = params["retryAfter"]
    elif name == "token-expiry":
        refresh = params.get("refresh", False)
        if not isinstance(refresh, bool):
            raise InvalidInput(
                MSG_CHOICE.format(name="refresh", choices="true, false", value=refresh)
            )
        rule["expireTokens"] = "all" if refresh else "access"
    else:
        rule.update(
            operationId=RECORDING_OPERATION,
            delayMs=params.get("delayMs", DEFAULT_SLOW_RECORDING_MS),
        )
        if params.get("jitterMs") is not None:
            rule["jitterMs"] = params["jitterMs"]
    return rule


def _outage_length(minutes: float) -> timedelta:
    """`minutes` (positive) to the nearest microsecond, what a timedelta holds, and at least
    one: 5e-324 minutes is an outage of a microsecond, not an empty window."""
    return timedelta(microseconds=max(1, round(minutes * 60_000_000)))


def _company_of(spec: object) -> int | None:
    """The rule's company, if it names a valid one (whose clock then dates the rule)."""
    company = spec.get("companyId") if isinstance(spec, Mapping) else None
    if isinstance(company, int) and is_int(company) and 1 <= company <= MAX_COMPANY_ID:
        return company
    return None


# -- the book -----------------------------------------------------------------------------

Clock = Callable[[int | None], datetime]


class FaultBook:
    """The fault rules in force, kept in `store` (see the module's docstring).

    `clock(company_id)` is a company's now (the mock clock for None); `seed()` the PBX's seed.

    Example::

        book = FaultBook(pbx.store, clock=pbx.now, seed=lambda: pbx.seed)
        rule = book.add({"operationId": "getEmployees", "status": 503, "times": 2})
        book.match(FaultTarget("GET", "/employees", "getEmployees", 391))  # fires, 1 of 2
    """

    def __init__(self, store: Store, clock: Clock, seed: Callable[[], int]) -> None:
        self._store = store
        self._clock = clock
        self._seed = seed
        self._lock = threading.Lock()
        # The parsed rules, in the order they are tried, as of the stored `_version`; replaced
        # whole on a change, so that `match` reads it without the lock.
        self._rules: list[FaultRule] = []
        self._version: str | None = None
        if FAULT_SCHEMA not in store.extra_schema:
            store.add_schema(FAULT_SCHEMA)
        self.sync()

    @property
    def active(self) -> bool:
        """Whether any rule is in force (a hint for the fast path: with several processes,
        true once `sync` has seen another's rule)."""
        return bool(self._rules)

    def sync(self) -> None:
        """Take the rules as stored, if another process changed them since (cheap otherwise)."""
        if self._store.get_meta(META_FAULTS_VERSION) != self._version:
            with self._lock:
                self._reload(self._store.read())

    def add(self, spec: Mapping[str, Any]) -> FaultRule:
        """Add a rule from its flat fields, or a preset's: `{"preset": name, ...its fields}`
        (the form of the --faults file)."""
        if isinstance(spec, Mapping) and "preset" in spec:
            params = {k: v for k, v in spec.items() if k != "preset"}
            return self.add_preset(spec["preset"], params)
        return self._add(spec)

    def add_preset(self, name: str, params: Mapping[str, Any]) -> FaultRule:
        """Add the rule preset `name` stands for (see PRESETS)."""
        if not isinstance(name, str) or name not in PRESETS:
            raise InvalidInput(MSG_UNKNOWN_PRESET.format(name=name, presets=", ".join(PRESETS)))
        now = self._clock(_company_of(params))
        return self._add(_preset_rule(name, params, now), preset=name)

    def _add(self, spec: Mapping[str, Any], preset: str | None = None) -> FaultRule:
        with self._changing() as conn:
            if len(self._rules) >= MAX_RULES:
                raise Conflict(MSG_TOO_MANY.format(count=len(self._rules)))
            created = self._clock(_company_of(spec))
            stored_id = self._store.get_meta(META_FAULTS_NEXT_ID)
            rule_id = 1 if stored_id is None else int(stored_id)
            pbx_seed = self._seed()
            rule = _parse_rule(spec, rule_id, created, pbx_seed, preset)
            rule.key = secrets.token_hex(8)
            conn.execute(
                "INSERT INTO fault_rules (id, key, spec, company_id, preset, created_at, "
                "pbx_seed) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (rule_id, rule.key, json.dumps(rule.given()), rule.company_id, preset,
                 created.isoformat(), pbx_seed),
            )  # fmt: skip
            self._store.set_meta(META_FAULTS_NEXT_ID, str(rule_id + 1))
            self._rules = [*self._rules, rule]
            return rule

    def load(self, specs: list[Mapping[str, Any]]) -> list[FaultRule]:
        """Replace every rule with `specs` (all or nothing); each error names its rule."""
        try:
            with self._store.transaction():
                with self._changing() as conn:
                    conn.execute("DELETE FROM fault_rules")
                    self._store.set_meta(META_FAULTS_NEXT_ID, "1")
                    self._rules = []
                added = []
                for index, spec in enumerate(specs, 1):
                    try:
                        added.append(self.add(spec))
                    except InvalidInput as exc:
                        raise InvalidInput(f"fault rule {index}: {exc.message}") from exc
            return added
        except BaseException:
            self._version = None  # rolled back: the rules before stay
            self.sync()
            raise

    def rules(self) -> list[FaultRule]:
        """The rules in force, with how often each fired."""
        self.sync()
        fired = dict(self._store.read().execute("SELECT id, fired FROM fault_rules").fetchall())
        rules = self._rules
        for rule in rules:
            rule.fired = fired.get(rule.id, rule.fired)
        return list(rules)

    def get(self, rule_id: int) -> FaultRule:
        for rule in self.rules():
            if rule.id == rule_id:
                return rule
        raise NotFound(MSG_NO_RULE.format(rule_id=rule_id))

    def remove(self, rule_id: int) -> None:
        with self._changing() as conn:
            if not conn.execute("DELETE FROM fault_rules WHERE id = ?", (rule_id,)).rowcount:
                raise NotFound(MSG_NO_RULE.format(rule_id=rule_id))
            self._rules = [rule for rule in self._rules if rule.id != rule_id]

    def clear(self) -> None:
        with self._changing() as conn:
            conn.execute("DELETE FROM fault_rules")
            self._rules = []

    def forget_company(self, company_id: int) -> None:
        """The company was deleted: its rules go, and what the others noted of its users (in
        the store, so every worker forgets them)."""
        with self._changing() as conn:
            conn.execute("DELETE FROM fault_rules WHERE company_id = ?", (company_id,))
            conn.execute("DELETE FROM fault_refreshes WHERE company_id = ?", (company_id,))
            self._rules = [rule for rule in self._rules if rule.company_id != company_id]
            for rule in self._rules:
                rule.refreshed = frozenset(u for u in rule.refreshed if u[0] != company_id)

    def match(self, target: FaultTarget) -> FaultFiring | None:
        """The firing of the first rule that matches `target` and fires, if any."""
        return self.fire_first(self.candidates(target))

    def candidates(self, target: FaultTarget) -> list[FaultRule]:
        """The rules that match `target` and are in their window now, in the order they are
        tried: in memory, without waiting for anything."""
        return [
            rule
            for rule in self._rules
            if rule.matches(target) and rule.in_window(self._clock(rule.company_id).timestamp())
        ]

    def fire_first(self, candidates: list[FaultRule], *, wait: bool = True) -> FaultFiring | None:
        """The firing of the first of `candidates` that fires (`times`, probability), if any.
        Waits for the store's write lock, which a reset or a seeding may hold for seconds;
        with `wait=False`, StoreBusy at once instead (nothing counted then)."""
        with self._store.transaction(wait=wait):
            for rule in candidates:
                firing = self._fire(rule)
                if firing is not None:
                    return firing
        return None

    def _fire(self, rule: FaultRule) -> FaultFiring | None:
        """Fire `rule` if `times` and the probability let it, counted in the store."""
        with self._store.transaction() as conn:
            row = conn.execute(
                "SELECT fired, draws FROM fault_rules WHERE id = ? AND key = ?",
                (rule.id, rule.key),
            ).fetchone()
            if row is None:  # removed meanwhile (by another process)
                return None
            with self._lock:
                firing, draws = rule.fire(int(row[0]), int(row[1]))
            if firing is not None or draws != row[1]:
                conn.execute(
                    "UPDATE fault_rules SET fired = ?, draws = ? WHERE id = ?",
                    (rule.fired, draws, rule.id),
                )
            return firing

    def note_refresh(self, company_id: int | None, user_id: int | None) -> None:
        """A user's refresh succeeded: expireTokens rules let that user's tokens through."""
        user = (company_id, user_id)
        if not any(r.expire_tokens is not None and user not in r.refreshed for r in self._rules):
            return
        with self._changing() as conn:
            for rule in self._rules:
                if rule.expire_tokens is not None and user not in rule.refreshed:
                    conn.execute(
                        "INSERT OR IGNORE INTO fault_refreshes (rule_id, company_id, user_id) "
                        "VALUES (?, ?, ?)",
                        (rule.id, company_id, user_id),
                    )
                    rule.refreshed = rule.refreshed | {user}

    # -- the copy of the rules this process matches against -----------------------------------

    @contextmanager
    def _changing(self) -> Iterator[sqlite3.Connection]:
        """A change of the rules, in a write transaction: the copy is made current first (under
        the write lock no other process changes the rules), and the change gets a new version,
        which the copy then has. If it fails, the copy is read again at the next `sync`."""
        try:
            with self._store.transaction() as conn:
                with self._lock:
                    if self._store.get_meta(META_FAULTS_VERSION) != self._version:
                        self._reload(conn)
                version = secrets.token_hex(8)
                yield conn
                self._store.set_meta(META_FAULTS_VERSION, version)
                self._version = version
        except BaseException:
            self._version = None
            raise

    def _reload(self, conn: sqlite3.Connection) -> None:
        """Read the rules again (under `_lock`); rules unchanged since keep their generator."""
        version = self._store.get_meta(META_FAULTS_VERSION)
        known = {rule.key: rule for rule in self._rules}
        refreshed: dict[int, set[tuple[int | None, int | None]]] = {}
        for rule_id, company_id, user_id in conn.execute(
            "SELECT rule_id, company_id, user_id FROM fault_refreshes"
        ):
            refreshed.setdefault(rule_id, set()).add((company_id, user_id))
        rules = []
        for row in conn.execute(
            "SELECT id, key, spec, preset, created_at, pbx_seed, fired FROM fault_rules ORDER BY id"
        ):
            rule = known.get(row["key"])
            if rule is None:
                created = datetime.fromisoformat(row["created_at"])
                spec = json.loads(row["spec"])
                rule = _parse_rule(spec, row["id"], created, row["pbx_seed"], row["preset"])
                rule.key = row["key"]
            rule.fired = row["fired"]
            rule.refreshed = frozenset(refreshed.get(rule.id, ()))
            rules.append(rule)
        self._rules = rules
        self._version = version
