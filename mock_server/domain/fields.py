"""Fields of the control API's JSON bodies, checked one by one with messages that name them.

Shared by the fault rules, the call outcomes and the request journal's patterns, whose bodies
also come from files (`--faults`) that no JSON Schema has checked.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any, Final

from mock_server.domain.errors import InvalidInput

__all__ = ["MAX_INTEGER_DIGITS", "MSG_CHOICE", "MSG_INTEGER", "integer_field", "is_int"]

# The most digits Python converts to an int (sys.get_int_max_str_digits(), 4,300 unless the
# interpreter says otherwise); longer digit strings raise ValueError wherever they are read.
MAX_INTEGER_DIGITS: Final = sys.get_int_max_str_digits() or 4300

MSG_INTEGER: Final = "{where} '{name}': expected an integer from {low} to {high}, got {value!r}"
MSG_CHOICE: Final = "Field '{name}': expected one of {choices}, got {value!r}"


def is_int(value: object) -> bool:
    """An integer that is not a boolean (JSON's `true` is no number)."""
    return isinstance(value, int) and not isinstance(value, bool)


def integer_field(
    fields: Mapping[str, Any], name: str, low: int, high: int, where: str = "Field"
) -> int | None:
    """`fields[name]`, an integer from `low` to `high`, or None when absent or null."""
    value = fields.get(name)
    if value is None:
        return None
    if not is_int(value) or not low <= value <= high:
        raise InvalidInput(
            MSG_INTEGER.format(where=where, name=name, low=low, high=high, value=value)
        )
    return int(value)
