"""The spec as Schemathesis loads it for every kind of run: from the file, never the server.

Every schema gets all built-in checks but one (below, with the reason), the custom checks of
`checks.py` (registered globally on import), and a base URL on loopback that nothing listens on
until a test sets the real one, so a forgotten base URL can never reach the production host the
spec names first. Nothing else: every rule the generated requests must keep is in the spec
itself, so a plain `st run` of the spec finds what these tests find (`make contract-plain`).
"""

from __future__ import annotations

from typing import Any

import schemathesis

import contract_tests.checks  # noqa: F401  (registers the custom checks)
from contract_tests.settings import DISCARD_BASE_URL, SPEC_PATH

__all__ = [
    "CHECKS_CONFIG",
    "OPERATIONS_CONFIG",
    "PHASES_CONFIG",
    "WIRE_CONFIG",
    "install_wire_filter",
    "load_schema",
    "merge",
]

CHECKS_CONFIG: dict[str, Any] = {
    # Turned off: the built-in `missing_required_header` hard-codes 401 for a request without
    # `Authorization` (RFC 9110), but this API answers 403 for every token failure, by design
    # (spec: TokenRejected, "never 401", decision D13; the field notes show it live). Its only
    # required header is `Authorization`, so nothing else is lost: the custom check
    # `token_rejections_are_documented` sends every operation without the header (and with a
    # `Bearer ` prefix, a malformed and a superseded token) and requires the documented 403.
    "missing_required_header": {"enabled": False},
}


OPERATIONS_CONFIG: list[dict[str, Any]] = [
    {
        # 416 is this operation's documented answer to a well-formed `Range` the file cannot
        # satisfy (past its end; several ranges are answered whole, D26). Whether a range
        # fits depends on the file's size, which no schema can know, so `positive_data_acceptance`
        # accepts 416 here beside its defaults.
        "include-name": "GET /call-records/file",
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "416", "429", "5xx"]
            }
        },
    },
]
PHASES_CONFIG: dict[str, Any] = {
    "stateful": {
        # Links come from the spec and from Schemathesis's dependency inference alike, as in a
        # plain run: since `id` of the create body is read-only (D6), nothing infers that
        # POST /managers creates the manager a body names.
        # Sequences send valid requests only: a negative step (a dropped token, a broken body)
        # ends the chain it is in, and the stateless tests fuzz every operation negatively.
        "generation": {"mode": "positive"},
    },
}


# Over a real socket only. A header value holding a control character is not HTTP (RFC 9110
# section 5.5): the server's HTTP layer refuses it before the API sees it (uvicorn answers
# `400 Invalid HTTP request received.` as text/plain, as a servlet container would in its own
# way), so it tests the HTTP server, not the contract. Such values are neither generated for
# header formats (WIRE_CONFIG) nor sent as mutated header parameters (`install_wire_filter`).
# Negative generation keeps every other malformed header; the in-process tests still send
# these characters to the app.
_NOT_HTTP = "".join(chr(c) for c in (*range(9), *range(10, 32), 127))
WIRE_CONFIG: dict[str, Any] = {"generation": {"exclude-header-characters": _NOT_HTTP}}


def _is_http(case: schemathesis.Case[Any]) -> bool:
    return not any(
        isinstance(value, str) and any(c in _NOT_HTTP for c in value)
        for value in (case.headers or {}).values()
    )


def install_wire_filter(schema: schemathesis.BaseSchema) -> None:
    """Drop cases whose header values hold control characters (see WIRE_CONFIG)."""

    @schema.hook("filter_case")
    def only_http(context: schemathesis.HookContext, case: schemathesis.Case[Any]) -> bool:
        return _is_http(case)


def merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """`base` with `extra` merged in, tables recursively."""
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_schema(
    *,
    examples: int,
    seed: int | None,
    app: Any = None,
    base_url: str = DISCARD_BASE_URL,
    mode: str = "all",
    extra: dict[str, Any] | None = None,
) -> schemathesis.BaseSchema:
    """The spec with `examples` fuzzing examples per operation, positive and negative."""
    config = merge(
        {
            "base-url": base_url,
            "generation": {"mode": mode, "max-examples": examples},
            "checks": CHECKS_CONFIG,
            "phases": PHASES_CONFIG,
            "operations": OPERATIONS_CONFIG,
        },
        extra or {},
    )
    if seed is not None:
        config["seed"] = seed
    schema = schemathesis.openapi.from_path(SPEC_PATH, config=schemathesis.Config.from_dict(config))
    if app is not None:
        schema.app = app
    return schema
