"""Retrying answers that ask to come back later (429, 503), with backoff, honouring Retry-After.

Opt in with `Client(retry=RetryPolicy())` (any client class): the httpx clients it creates then
send through a `RetryTransport` / `AsyncRetryTransport`. With an httpx client of your own, wrap its
transport yourself: `httpx.Client(transport=RetryTransport(httpx.HTTPTransport(), RetryPolicy()))`.

The retry sits below authentication, so a refresh request is retried too, and a retried request
keeps the token it was sent with. 429 and 503 say that the request was not processed, so every
method is retried, POST included.
"""

import asyncio
import datetime
import email.utils
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx

RETRY_STATUSES = frozenset({429, 503})
"""Too Many Requests and Service Unavailable."""


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how long to retry an answer whose status is in `statuses`.

    A request is sent at most `attempts` times. Before each retry the transport waits for the
    answer's `Retry-After` (seconds or an HTTP date) if it has one, else for `backoff` seconds,
    doubled at each further retry up to `max_backoff`, each wait shortened by up to half at random
    when `jitter` is set (so that many clients do not come back at once). A `Retry-After` longer
    than `max_retry_after` is not waited for: that answer is returned as it is. The longest a
    request can take is therefore bounded by `attempts - 1` waits of at most
    `max(max_backoff, max_retry_after)` each.
    """

    attempts: int = 3
    backoff: float = 0.5
    max_backoff: float = 30.0
    max_retry_after: float = 120.0
    jitter: bool = True
    statuses: frozenset[int] = field(default=RETRY_STATUSES)

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError(f"attempts must be at least 1, not {self.attempts}")
        if min(self.backoff, self.max_backoff, self.max_retry_after) < 0:
            raise ValueError("backoff, max_backoff and max_retry_after must not be negative")

    def wait_before(self, retry: int, response: httpx.Response) -> float | None:
        """Seconds to wait before retry number `retry` (1 for the first) after `response`, or None
        when it must not be retried: its status is not retried, the attempts are used up, or its
        `Retry-After` asks for longer than `max_retry_after`.
        """
        if response.status_code not in self.statuses or retry >= self.attempts:
            return None
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        if retry_after is not None:
            return retry_after if retry_after <= self.max_retry_after else None
        wait = min(self.max_backoff, self.backoff * 2.0 ** (retry - 1))
        return wait * random.uniform(0.5, 1.0) if self.jitter else wait


def parse_retry_after(value: str | None, now: datetime.datetime | None = None) -> float | None:
    """Seconds from `now` that a `Retry-After` value asks for (RFC 9110 10.2.3), or None if invalid.

    `120` and `Wed, 21 Oct 2026 07:28:00 GMT` are both allowed; a date in the past means 0.
    """
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    now = now or datetime.datetime.now(datetime.UTC)
    return max(0.0, (when - now).total_seconds())


class RetryTransport(httpx.BaseTransport):
    """An `httpx.BaseTransport` that sends through `transport` and retries per `policy`.

    `sleep` is how it waits (`time.sleep`; tests pass a recorder).
    """

    def __init__(
        self,
        transport: httpx.BaseTransport,
        policy: RetryPolicy,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.transport = transport
        self.policy = policy
        self._sleep = sleep

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.policy.attempts > 1:
            request.read()  # a body that is a stream could not be sent twice
        retry = 1
        while True:
            response = self.transport.handle_request(request)
            wait = self.policy.wait_before(retry, response)
            if wait is None:
                return response
            response.close()
            self._sleep(wait)
            retry += 1

    def close(self) -> None:
        self.transport.close()


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """The asyncio twin of `RetryTransport`; it waits with `asyncio.sleep`."""

    def __init__(
        self,
        transport: httpx.AsyncBaseTransport,
        policy: RetryPolicy,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.transport = transport
        self.policy = policy
        self._sleep = sleep

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.policy.attempts > 1:
            await request.aread()
        retry = 1
        while True:
            response = await self.transport.handle_async_request(request)
            wait = self.policy.wait_before(retry, response)
            if wait is None:
                return response
            await response.aclose()
            await self._sleep(wait)
            retry += 1

    async def aclose(self) -> None:
        await self.transport.aclose()


__all__ = ["RETRY_STATUSES", "AsyncRetryTransport", "RetryPolicy", "RetryTransport", "parse_retry_after"]
