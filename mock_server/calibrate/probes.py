"""The probes of the spec's decisions: `probe` of each entry of `x-decisions`.

A probe is either `{none: <why no answer of production can settle the decision>}` or

    observe: <kind>          # one of OBSERVATIONS (observe.py reads it)
    requests: [<request>]    # what is sent, in order, to the target and to the mock alike
    writes: true             # only with TELE2_ATS_ALLOW_WRITES=1; `cleanup` runs afterwards
    cleanup: [<request>]
    bind: <request> + field  # a value of the first record the request answers: {bound}, {bound8}
    window: <days>           # {start} and {end}: the window ending now (default 7 days)
    field, where, identities, aspects: the kind's own arguments

A request is `{method, path, query, headers, body, json, token}` where `token` is `access`
(default), `refresh`, `bearer` (the access token with a `Bearer ` prefix) or `none`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from mock_server.spec_index import SpecIndex

__all__ = ["OBSERVATIONS", "Probe", "ProbeError", "Request", "probes_of"]

OBSERVATIONS: Final = (
    "status",
    "present",
    "type",
    "empty",
    "count",
    "page-cap",
    "same",
    "identities",
    "download",
    "token-lifetimes",
    "refresh-twice",
)
TOKENS: Final = ("access", "refresh", "bearer", "none")


class ProbeError(ValueError):
    """A probe in the spec that the calibrator cannot run."""


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str
    query: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    body: str | None = None
    json: Any = None
    token: str = "access"

    @classmethod
    def parse(cls, value: Any, where: str) -> Request:
        if not isinstance(value, Mapping) or "method" not in value or "path" not in value:
            raise ProbeError(f"{where}: a request needs `method` and `path`, got {value!r}")
        token = str(value.get("token", "access"))
        if token not in TOKENS:
            raise ProbeError(f"{where}: token {token!r} is none of {TOKENS}")
        return cls(
            method=str(value["method"]).upper(),
            path=str(value["path"]),
            query={str(k): str(v) for k, v in (value.get("query") or {}).items()},
            headers={str(k): str(v) for k, v in (value.get("headers") or {}).items()},
            body=None if value.get("body") is None else str(value["body"]),
            json=value.get("json"),
            token=token,
        )

    def filled(self, values: Mapping[str, str]) -> Request:
        """The request with `{name}` placeholders of its path, query and headers filled."""

        def fill(text: str) -> str:
            for name, value in values.items():
                text = text.replace("{" + name + "}", value)
            return text

        return Request(
            self.method,
            fill(self.path),
            {k: fill(v) for k, v in self.query.items()},
            {k: fill(v) for k, v in self.headers.items()},
            self.body,
            self.json,
            self.token,
        )


@dataclass(frozen=True, slots=True)
class Probe:
    decision: str
    topic: str
    observe: str | None  # None: no probe, `reason` says why
    reason: str = ""
    requests: tuple[Request, ...] = ()
    cleanup: tuple[Request, ...] = ()
    writes: bool = False
    bind: Request | None = None
    bind_field: str = ""
    window_days: float = 7.0
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def operations(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f"{r.method} {r.path}" for r in self.requests))


def _probe(decision: Mapping[str, Any], api: SpecIndex) -> Probe:
    where = f"x-decisions {decision['id']}: probe"
    value = decision.get("probe")
    if not isinstance(value, Mapping):
        raise ProbeError(f"{where}: missing (a probe, or `none` with the reason)")
    topic = str(decision.get("topic", ""))
    if "none" in value:
        reason = str(value["none"]).strip()
        if not reason:
            raise ProbeError(f"{where}: `none` needs the reason no probe can settle it")
        return Probe(decision["id"], topic, None, reason=reason)
    observe = value.get("observe")
    if observe not in OBSERVATIONS:
        raise ProbeError(f"{where}: observe {observe!r} is none of {OBSERVATIONS}")
    requests = tuple(Request.parse(r, where) for r in value.get("requests") or ())
    cleanup = tuple(Request.parse(r, where) for r in value.get("cleanup") or ())
    for request in (*requests, *cleanup):
        template = request.path.split("?")[0]
        if api.match(request.method, template) is None and "{" not in template:
            raise ProbeError(
                f"{where}: {request.method} {request.path} is no operation of the spec"
            )
    bind = value.get("bind")
    known = {"observe", "requests", "cleanup", "writes", "bind", "window", "none"}
    return Probe(
        decision["id"],
        topic,
        str(observe),
        requests=requests,
        cleanup=cleanup,
        writes=bool(value.get("writes", False)),
        bind=Request.parse(bind, where) if bind is not None else None,
        bind_field=str(bind.get("field", "")) if isinstance(bind, Mapping) else "",
        window_days=float(value.get("window", 7)),
        options={k: v for k, v in value.items() if k not in known},
    )


def probes_of(api: SpecIndex, only: Sequence[str] = ()) -> list[Probe]:
    """Every decision's probe, in the spec's order (`only`: these decisions)."""
    decisions = api.document.get("x-decisions") or []
    return [_probe(d, api) for d in decisions if not only or d["id"] in only]
