"""`page` and `size` as Spring Data reads them (decision D19 of the spec).

The real service is a Spring application; where the guide gives no bounds, it does what Spring
Data's `PageableHandlerMethodArgumentResolver` does by default, silently:

- `page` below 0 is page 0;
- `size` above 2000 (the resolver's default `maxPageSize`) is 2000;
- `size` below 1 is the default size, 10.

A client that asks for 5000 records and stops "when a page is shorter than size" therefore
meets the same silent cap here as in production. A value that is not a 32-bit integer is
refused (400): the spec types both `format: int32`, and Spring's fallback to the default for a
value `Integer.parseInt` cannot read would hide a client's bug.

>>> page_request(-3, 5000)
PageRequest(page=0, size=2000)
>>> page_request(None, 0)
PageRequest(page=0, size=10)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from mock_server.domain.errors import InvalidInput

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "INT32_MAX",
    "MAX_PAGE_SIZE",
    "MSG_NOT_INT32",
    "PageRequest",
    "page_request",
]

DEFAULT_PAGE_SIZE: Final = 10
MAX_PAGE_SIZE: Final = 2000
INT32_MAX: Final = 2**31 - 1
_INT32_MIN: Final = -(2**31)
MSG_NOT_INT32: Final = "Query parameter '{name}': expected a 32-bit integer, got {value!r}"


@dataclass(frozen=True, slots=True)
class PageRequest:
    """A 0-based page of `size` records."""

    page: int
    size: int

    @property
    def offset(self) -> int:
        return self.page * self.size


def _int32(value: object, name: str) -> int | None:
    """None when absent, else the value, which must be a 32-bit integer."""
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not _INT32_MIN <= value <= INT32_MAX
    ):
        raise InvalidInput(MSG_NOT_INT32.format(name=name, value=value))
    return value


def page_request(page: int | None = None, size: int | None = None) -> PageRequest:
    """The page Spring Data serves for these `page` and `size` parameters (None: absent)."""
    parsed_page = _int32(page, "page")
    parsed_size = _int32(size, "size")
    number = max(parsed_page, 0) if parsed_page is not None else 0
    if parsed_size is None or parsed_size < 1:
        records = DEFAULT_PAGE_SIZE
    else:
        records = min(parsed_size, MAX_PAGE_SIZE)
    return PageRequest(number, records)
