"""`sort` as Spring Data reads it (decision D23 of the spec).

Each `sort` value is `property(,property)*(,ASC|DESC)?`: the direction, case-insensitive, applies
to every property of that value, and ascending is the default. The parameter may be repeated, and
the orders of the values follow one another (`sort=date,DESC&sort=callType` sorts by date, newest
first, then by call type). This is Spring's `SortHandlerMethodArgumentResolver`: blank properties
are skipped, and when no order remains the default order applies.

A property that is not a field of the record is refused (400 naming it). Spring Data would throw
`PropertyReferenceException` ("No property 'x' found for type ..."), which a plain Spring MVC
service answers with an error too (500 without a handler for it); a 400 says the same to the
client without pretending the server broke.

>>> parse_sort(["date,callType,DESC"], {"date", "callType"})
(Order(field='date', descending=True), Order(field='callType', descending=True))
>>> parse_sort("callType", {"date", "callType"})
(Order(field='callType', descending=False),)
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Final

from mock_server.domain.errors import InvalidInput

__all__ = ["MSG_SORT_FIELD", "Order", "parse_sort"]

MSG_SORT_FIELD: Final = (
    "Query parameter 'sort': no property {field!r} in a call record; sortable: {fields}"
)
_DIRECTIONS: Final = {"ASC": False, "DESC": True}


@dataclass(frozen=True, slots=True)
class Order:
    """One sort order: a field of the record and its direction."""

    field: str
    descending: bool = False


def _orders_of(value: str, fields: Collection[str]) -> Iterable[Order]:
    elements = value.split(",")
    descending = _DIRECTIONS.get(elements[-1].strip().upper())
    if descending is None:
        descending = False
    else:
        elements = elements[:-1]
    for element in elements:
        name = element.strip()
        if not name:
            continue
        if name not in fields:
            raise InvalidInput(MSG_SORT_FIELD.format(field=name, fields=", ".join(fields)))
        yield Order(name, descending)


def parse_sort(
    values: str | Iterable[str] | None,
    fields: Collection[str],
    default: tuple[Order, ...] = (Order("date"),),
) -> tuple[Order, ...]:
    """The orders the `sort` parameter's values ask for, in order; `default` when none does."""
    if values is None:
        return default
    if isinstance(values, str):
        values = [values]
    orders = tuple(order for value in values for order in _orders_of(value, fields))
    return orders or default
