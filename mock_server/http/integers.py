"""Integers a caller writes, of any length: a 400 naming the place, never Python's ValueError.

Python refuses to convert a string of more than 4,300 digits to an int (`ValueError`, a guard
against quadratic conversion), and both places that convert a caller's digits before any
check of the mock let it through as a 500:

- JSON bodies (`json.loads` converts every integer it reads): `loads_strict` parses with
  `json_int`, which refuses such a number as the 400 of a malformed body;
- integer path parameters (`/managers/{id}`, `/mock/faults/{id}`): Connexion's Starlette
  converter calls `int()` while routing. `BoundedRoutingMiddleware` registers
  `BoundedIntegerConverter`, which leaves such a segment as its digits: Connexion's parameter
  check then answers it as any other non-integer (400 naming the parameter).

Query parameters need nothing: Connexion's coercion keeps a value `int()` refuses as text,
which the schema check refuses. The Range header's positions are read by
`domain.recordings.parse_range`, which never converts more than 18 digits.

Connexion registers its converter for `int` when its routing middleware is made and compiles
the routes after, so the override is registered in between, in the subclass (Connexion 3.3,
pinned `>=3.3,<3.4`).
"""

from __future__ import annotations

from typing import Any, Final

import starlette.convertors
from connexion.exceptions import BadRequestProblem
from connexion.frameworks.starlette import IntegerConverter
from connexion.middleware.routing import RoutingMiddleware

from mock_server.domain.fields import MAX_INTEGER_DIGITS

__all__ = [
    "MAX_DIGITS",
    "MSG_LONG_INTEGER",
    "BoundedIntegerConverter",
    "BoundedRoutingMiddleware",
    "json_int",
]

MAX_DIGITS: Final = MAX_INTEGER_DIGITS
MSG_LONG_INTEGER: Final = (
    "Request body: an integer of {digits} digits is beyond every field of this API "
    "(at most {limit} digits are read)"
)


def _too_long(text: str) -> bool:
    return len(text.lstrip("+-")) > MAX_DIGITS


def json_int(text: str) -> int:
    """`json.loads`'s `parse_int`: the integer, or BadRequestProblem past MAX_DIGITS."""
    if _too_long(text):
        raise BadRequestProblem(
            detail=MSG_LONG_INTEGER.format(digits=len(text.lstrip("-")), limit=MAX_DIGITS)
        )
    return int(text)


class BoundedIntegerConverter(IntegerConverter):  # type: ignore[misc]
    """Connexion's path converter for integers, leaving a segment of more digits than Python
    converts as text (refused by the parameter's check) instead of raising ValueError."""

    def convert(self, value: str) -> Any:
        return value if _too_long(value) else int(value)


class BoundedRoutingMiddleware(RoutingMiddleware):  # type: ignore[misc]
    """Connexion's routing middleware, routing integer path parameters through
    BoundedIntegerConverter."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        starlette.convertors.register_url_convertor("int", BoundedIntegerConverter())
