"""Russian phone numbers as the PBX compares them (decision D22 of the spec).

The journal holds numbers in the international form `7XXXXXXXXXX`. Clients also write the same
subscriber with the domestic trunk prefix, `8XXXXXXXXXX` (the guide's own example filters
`callee=89056678798`), or with a plus, `+7XXXXXXXXXX`. All three name one subscriber, so a filter
in any of them matches the same calls. Anything else (short extension numbers, foreign numbers,
values that are not numbers at all) is compared as written.

>>> normalize_number("89056678798")
'79056678798'
>>> normalize_number("+7 905 667-87-98")
'+7 905 667-87-98'
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["BLANK", "normalize_number", "strip_blank"]

# What counts as blank around a value: the union of Python's `str.isspace()` and ECMAScript's
# `\s`, so that the domain and the spec's `[^\s\x1c-\x1f\u0085\ufeff]` pattern (read by
# ECMAScript tools and by Python's `re` alike) agree on which strings are blank.
BLANK: Final = "".join(
    sorted({chr(code) for code in range(0x3001) if chr(code).isspace()} | {"\ufeff"})
)


def strip_blank(value: str) -> str:
    """`value` without the characters of `BLANK` around it."""
    return value.strip(BLANK)


# 11 digits after a domestic `8` or an international `7`/`+7`.
_RUSSIAN: Final = re.compile(r"(?:\+7|7|8)([0-9]{10})", re.ASCII)


def normalize_number(value: str) -> str:
    """`7XXXXXXXXXX` for a Russian number in the 8-, 7- or +7-form; else `value`, stripped."""
    text = strip_blank(value)
    match = _RUSSIAN.fullmatch(text)
    return "7" + match[1] if match else text
