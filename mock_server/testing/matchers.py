"""Matchers of what a request sent, for `ControlClient.assert_called` and its kin (and the
plugin's `tele2_ats`): each builds the JSON the control API reads (openapi/mock-admin.yaml,
`ValueMatcher`), so a test never spells it by hand. A plain string (or number) is equality.

Example::

    from mock_server.testing.matchers import contains, equal_to_json, json_path, matches

    tele2_ats.assert_called(
        operation_id="initiateCall",
        query={"destination": "79165554433", "source": matches(r"7\\d{10}")},
        headers={"User-Agent": contains("my-crm")},
    )
    tele2_ats.assert_called(
        operation_id="createManager",
        json=equal_to_json({"name": "Petrov"}, ignore_extra_elements=True),
        json_path={"$.customers[0].realNumber": "79990001122"},
    )
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "absent",
    "contains",
    "equal_to",
    "equal_to_json",
    "json_path",
    "matches",
    "present",
    "sent_matchers",
]

Matcher = dict[str, Any]


def equal_to(value: object) -> Matcher:
    """The whole value is `value` (a number is compared as its text)."""
    return {"equalTo": str(value)}


def contains(part: str) -> Matcher:
    """The value holds `part` somewhere."""
    return {"contains": part}


def matches(pattern: str) -> Matcher:
    """The whole value matches `pattern`, of the mock's linear-time grammar (no backreferences
    or lookaround; `.*x.*` to find a part)."""
    return {"matches": pattern}


def absent() -> Matcher:
    """Not sent at all."""
    return {"absent": True}


def present() -> Matcher:
    """Sent, with any value."""
    return {"absent": False}


def equal_to_json(value: Any, *, ignore_extra_elements: bool = False) -> Matcher:
    """The JSON body (or the value a JSON path selects) equals `value`; with
    `ignore_extra_elements`, fields beyond those of `value` are ignored at every depth."""
    matcher: Matcher = {"equalToJson": value}
    if ignore_extra_elements:
        matcher["ignoreExtraElements"] = True
    return matcher


def json_path(expression: str, matcher: Matcher | str | None = None) -> Matcher:
    """For `json=`: `expression` selects a value of the JSON body (and it matches `matcher`)."""
    if matcher is None:
        return {"matchesJsonPath": expression}
    found = _matcher(matcher)
    return {"matchesJsonPath": {"expression": expression, **_as_object(found)}}


def _matcher(value: Any) -> Any:
    """A matcher as the API reads it: a number or bool is equality with its text (JSON's, so
    `True` is `true`), a dict is already a matcher."""
    if isinstance(value, bool):
        return {"equalTo": "true" if value else "false"}
    if isinstance(value, int | float):
        return {"equalTo": str(value)}
    return value


def _as_object(matcher: Any) -> Matcher:
    """A matcher as an object (a plain string is `equalTo` it)."""
    return {"equalTo": matcher} if isinstance(matcher, str) else dict(matcher)


def sent_matchers(pattern: dict[str, Any]) -> dict[str, Any]:
    """`pattern` with the plain values of its `query`, `headers` and `jsonPath` as equality."""
    shown = dict(pattern)
    for field in ("query", "headers", "jsonPath"):
        named = shown.get(field)
        if isinstance(named, dict):
            shown[field] = {name: _matcher(value) for name, value in named.items()}
    return shown
