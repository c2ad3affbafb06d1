"""Integers a caller writes, of any length: a 400 naming the place, never Python's ValueError.

Python refuses to convert a string of more than 4,300 digits to an int (`ValueError`, a guard
against quadratic conversion), and both places that convert a caller's digits before any
check of the mock let it through as a 500:

- JSON bodies (`json.loads` converts every integer it reads): `loads_strict` parses with
  `json_int`, which refuses such a number as the 400 of a malformed body;
- integer path parameters (`/managers/{id}`, `/mock/faults/{id}`): Connexion's Starlette
  converter calls `int()` while routing. The mock's converter (`compat_connexion.py`, override
  BOUNDED_PATH_INTEGERS) leaves a segment that is `too_long` as its digits: Connexion's
  parameter check then answers it as any other non-integer (400 naming the parameter).

Query parameters need nothing: Connexion's coercion keeps a value `int()` refuses as text,
which the schema check refuses. The Range header's positions are read by
`domain.recordings.parse_range`, which never converts more than 18 digits.
"""

from __future__ import annotations

from typing import Final

from connexion.exceptions import BadRequestProblem

from mock_server.domain.fields import MAX_INTEGER_DIGITS

__all__ = ["MAX_DIGITS", "MSG_LONG_INTEGER", "json_int", "too_long"]

MAX_DIGITS: Final = MAX_INTEGER_DIGITS
MSG_LONG_INTEGER: Final = (
    "Request body: an integer of {digits} digits is beyond every field of this API "
    "(at most {limit} digits are read)"
)


def too_long(text: str) -> bool:
    """Whether `text` (digits, perhaps signed) has more digits than the mock reads."""
    return len(text.lstrip("+-")) > MAX_DIGITS


def json_int(text: str) -> int:
    """`json.loads`'s `parse_int`: the integer, or BadRequestProblem past MAX_DIGITS."""
    if too_long(text):
        raise BadRequestProblem(
            detail=MSG_LONG_INTEGER.format(digits=len(text.lstrip("-")), limit=MAX_DIGITS)
        )
    return int(text)
