"""Clients of the Tele2 Corporate PBX (Корпоративная АТС) CRM API.

- `AuthenticatedClient` sends one fixed access token, raw (no `Bearer` prefix), in `Authorization`.
- `RefreshingClient` holds an access/refresh pair and refreshes it by itself: on a 403 whose
  `details` says the token is expired or has already been updated, it calls
  PUT /authorization/refresh/token once, retries the request once with the new
  access token and hands the new pair to `on_tokens_refreshed` (the old refresh token is dead
  from then on).
- `Client` sends no credentials (every operation of this API needs them).

Every generated `api.*` function (`sync`, `sync_detailed`, `asyncio`, `asyncio_detailed`) takes any
of them as `client=`.
"""

import asyncio
import ssl
import threading
import weakref
from collections.abc import AsyncGenerator, Callable, Generator
from typing import Any, Self

import httpx
from attrs import Factory, define, evolve, field

from .errors import TokenRefreshFailed
from .models.token_expired_error_details import TokenExpiredErrorDetails
from .models.token_pair import TokenPair
from .models.token_superseded_error_details import TokenSupersededErrorDetails
from .retry import AsyncRetryTransport, RetryPolicy, RetryTransport

DEFAULT_BASE_URL = "https://ats2.t2.ru/crm/openapi"
"""Production, the current host (the operator's wiki; decision D41): the default `base_url`."""

LOCAL_MOCK_BASE_URL = "http://127.0.0.1:8080/crm/openapi"
"""The local mock of this API (`make run` in the spec's repository)."""

REFRESH_PATH = "/authorization/refresh/token"
"""The path of the refreshToken operation, relative to `base_url`."""

REFRESHABLE_DETAILS: frozenset[str] = frozenset(
    [*(d.value for d in TokenExpiredErrorDetails), *(d.value for d in TokenSupersededErrorDetails)]
)
"""The `details` of a 403 answer after which a RefreshingClient refreshes its pair and retries."""

TokensRefreshedCallback = Callable[[TokenPair], None]
"""Called with the new pair after each refresh; store it, the old refresh token is dead."""

# Headers of the original request that the refresh request does not copy.
_NOT_FORWARDED = frozenset({"host", "content-length", "content-type", "transfer-encoding", "range"})


@define
class Client:
    """A client of the API without credentials.

    Keyword arguments, all optional, used to build the underlying httpx clients:

        ``base_url``: the API root, default `DEFAULT_BASE_URL` (production); the local mock is
        `LOCAL_MOCK_BASE_URL`. Operation paths are appended to it.

        ``cookies``: cookies sent with every request.

        ``headers``: headers sent with every request.

        ``timeout``: an `httpx.Timeout`; `None` (the default) means no timeout.

        ``verify_ssl``: whether to verify the server's certificate (or a CA bundle / SSLContext).

        ``follow_redirects``: whether to follow redirects, default False.

        ``httpx_args``: further keyword arguments for `httpx.Client` and `httpx.AsyncClient`.

    Attributes:
        raise_on_unexpected_status: raise `errors.UnexpectedStatus` when the API answers a status
            code the spec does not document, instead of returning `None` as the parsed value.
        retry: a `RetryPolicy` to retry 429 and 503 answers with backoff, honouring `Retry-After`;
            None (the default) sends every request once. It applies to the httpx clients this
            client creates (through `httpx_args["transport"]` or `httpx_args["proxy"]` if
            given), not to one passed to `set_httpx_client` / `set_async_httpx_client` (wrap
            that one's transport in `RetryTransport` / `AsyncRetryTransport` yourself), nor to
            requests that httpx sends through `httpx_args["mounts"]` or through a proxy it takes
            from the environment (HTTPS_PROXY): pass that proxy as `httpx_args["proxy"]`.
    """

    raise_on_unexpected_status: bool = field(default=False, kw_only=True)
    retry: RetryPolicy | None = field(default=None, kw_only=True)
    _base_url: str = field(default=DEFAULT_BASE_URL, kw_only=True, alias="base_url")
    _cookies: dict[str, str] = field(factory=dict, kw_only=True, alias="cookies")
    _headers: dict[str, str] = field(factory=dict, kw_only=True, alias="headers")
    _timeout: httpx.Timeout | None = field(default=None, kw_only=True, alias="timeout")
    _verify_ssl: str | bool | ssl.SSLContext = field(default=True, kw_only=True, alias="verify_ssl")
    _follow_redirects: bool = field(default=False, kw_only=True, alias="follow_redirects")
    _httpx_args: dict[str, Any] = field(factory=dict, kw_only=True, alias="httpx_args")
    _client: httpx.Client | None = field(default=None, init=False)
    _async_client: httpx.AsyncClient | None = field(default=None, init=False)
    _creation_lock: threading.Lock = field(factory=threading.Lock, init=False, repr=False, eq=False)

    @property
    def base_url(self) -> str:
        """The API root that operation paths are appended to."""
        return self._base_url

    def with_headers(self, headers: dict[str, str]) -> Self:
        """Get a new client matching this one with additional headers"""
        if self._client is not None:
            self._client.headers.update(headers)
        if self._async_client is not None:
            self._async_client.headers.update(headers)
        return evolve(self, headers={**self._headers, **headers})

    def with_cookies(self, cookies: dict[str, str]) -> Self:
        """Get a new client matching this one with additional cookies"""
        if self._client is not None:
            self._client.cookies.update(cookies)
        if self._async_client is not None:
            self._async_client.cookies.update(cookies)
        return evolve(self, cookies={**self._cookies, **cookies})

    def with_timeout(self, timeout: httpx.Timeout) -> Self:
        """Get a new client matching this one with a new timeout configuration"""
        if self._client is not None:
            self._client.timeout = timeout
        if self._async_client is not None:
            self._async_client.timeout = timeout
        return evolve(self, timeout=timeout)

    def _httpx_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of `httpx.Client` / `httpx.AsyncClient` for this client."""
        return {
            "base_url": self._base_url,
            "cookies": self._cookies,
            "headers": self._headers,
            "timeout": self._timeout,
            "verify": self._verify_ssl,
            "follow_redirects": self._follow_redirects,
            **self._httpx_args,
        }

    def _retrying(self, kwargs: dict[str, Any], *, asynchronous: bool) -> dict[str, Any]:
        """`kwargs` with the transport wrapped for `retry`, if set."""
        if self.retry is None:
            return kwargs
        transport = kwargs.pop("transport", None)
        if transport is None:
            # What httpx would build itself; a `proxy` goes into it, else httpx would send
            # through a proxy transport of its own, past the retry.
            own = {name: kwargs.pop(name) for name in ("proxy",) if name in kwargs}
            own |= {name: kwargs[name] for name in _TRANSPORT_ARGS if name in kwargs}
            transport = (httpx.AsyncHTTPTransport if asynchronous else httpx.HTTPTransport)(**own)
        if asynchronous:
            return {**kwargs, "transport": AsyncRetryTransport(transport, self.retry)}
        return {**kwargs, "transport": RetryTransport(transport, self.retry)}

    def set_httpx_client(self, client: httpx.Client) -> Self:
        """Manually set the underlying httpx.Client

        **NOTE**: This will override any other settings on the client, including cookies, headers,
        timeout and, for a RefreshingClient, its `token_auth` (pass `auth=client.token_auth`).
        """
        self._client = client
        return self

    def get_httpx_client(self) -> httpx.Client:
        """Get the underlying httpx.Client, constructing a new one if not previously set"""
        if self._client is None:
            with self._creation_lock:  # threads sharing a new client share one httpx.Client
                if self._client is None:
                    self._client = httpx.Client(**self._retrying(self._httpx_kwargs(), asynchronous=False))
        return self._client

    def __enter__(self) -> Self:
        """Enter a context manager for self.client—you cannot enter twice (see httpx docs)"""
        self.get_httpx_client().__enter__()
        return self

    def __exit__(self, *args: Any, **kwargs: Any) -> None:
        """Exit a context manager for internal httpx.Client (see httpx docs)"""
        self.get_httpx_client().__exit__(*args, **kwargs)

    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> Self:
        """Manually set the underlying httpx.AsyncClient

        **NOTE**: This will override any other settings on the client, including cookies, headers,
        timeout and, for a RefreshingClient, its `token_auth` (pass `auth=client.token_auth`).
        """
        self._async_client = async_client
        return self

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        """Get the underlying httpx.AsyncClient, constructing a new one if not previously set"""
        if self._async_client is None:
            with self._creation_lock:
                if self._async_client is None:
                    self._async_client = httpx.AsyncClient(**self._retrying(self._httpx_kwargs(), asynchronous=True))
        return self._async_client

    async def __aenter__(self) -> Self:
        """Enter a context manager for underlying httpx.AsyncClient—you cannot enter twice (see httpx docs)"""
        await self.get_async_httpx_client().__aenter__()
        return self

    async def __aexit__(self, *args: Any, **kwargs: Any) -> None:
        """Exit a context manager for underlying httpx.AsyncClient (see httpx docs)"""
        await self.get_async_httpx_client().__aexit__(*args, **kwargs)


# The arguments of httpx.Client that httpx would pass on to the transport it creates itself.
_TRANSPORT_ARGS = ("verify", "cert", "trust_env", "http1", "http2", "limits")


@define
class AuthenticatedClient(Client):
    """A client that sends one fixed access token, raw, in `Authorization`.

    Takes the keyword arguments of `Client`, and:

        ``token``: the access token (required).

        ``prefix``: put before the token with a space; "" (the default) sends the token raw, as
        this API wants. A `Bearer ` prefix is refused by the API with 403.

        ``auth_header_name``: the header, default "Authorization".

    The API refuses an expired token with 403 and ``{"details": "The token is expired"}``; use
    `RefreshingClient` to refresh the pair by itself.
    """

    token: str = field(kw_only=True)
    prefix: str = field(default="", kw_only=True)
    auth_header_name: str = field(default="Authorization", kw_only=True)

    def _httpx_kwargs(self) -> dict[str, Any]:
        kwargs = super()._httpx_kwargs()
        value = f"{self.prefix} {self.token}" if self.prefix else self.token
        kwargs["headers"] = {**kwargs["headers"], self.auth_header_name: value}
        return kwargs


class TokenRefreshAuth(httpx.Auth):
    """An `httpx.Auth` that sends the access token and refreshes the token pair when it dies.

    Every request gets the current access token, raw, in the auth header. When the answer is 403
    with a JSON `details` in `REFRESHABLE_DETAILS` ("The token is expired", "The token has already
    been updated"), the flow:

    1. takes the refresh lock (a `threading.Lock` for sync requests, an `asyncio.Lock` per event
       loop for async ones), so that concurrent requests refresh once, not once each;
    2. if the pair is still the one the request was sent with, sends PUT `REFRESH_PATH` with the
       refresh token in the auth header, stores the new pair and calls `on_tokens_refreshed(pair)`;
       if another request has rotated the pair meanwhile, it does not refresh again;
    3. retries the original request once with the current access token, and returns that answer
       whatever it is.

    A refresh that does not answer 200 with a pair raises `TokenRefreshFailed` (with the server's
    `details` or `message`), unless another request rotated the pair meanwhile, in which case the
    request is retried with that pair. A request to `REFRESH_PATH` itself (the generated
    `api.authorization.refresh_token` functions) is sent with the refresh token, and a new pair it
    returns is stored and reported the same way.

    One instance holds the live pair; share it between clients (`RefreshingClient.with_headers`
    and friends do) rather than creating a second one from the same tokens.
    """

    def __init__(
        self,
        *,
        access_token: str,
        refresh_token: str,
        refresh_url: str | httpx.URL,
        on_tokens_refreshed: TokensRefreshedCallback | None = None,
        header_name: str = "Authorization",
        prefix: str = "",
    ) -> None:
        self._pair = (access_token, refresh_token)
        self._refresh_url = httpx.URL(refresh_url)
        self._on_tokens_refreshed = on_tokens_refreshed
        self._header_name = header_name
        self._prefix = prefix
        self._lock = threading.Lock()
        self._async_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )
        self._async_locks_guard = threading.Lock()
        self._listeners: list[weakref.WeakMethod[TokensRefreshedCallback]] = []
        self.refresh_count = 0
        """How many refreshes this instance has made (or observed through REFRESH_PATH)."""

    @property
    def tokens(self) -> TokenPair:
        """The current token pair."""
        access_token, refresh_token = self._pair
        return TokenPair(access_token=access_token, refresh_token=refresh_token)

    @property
    def refresh_url(self) -> httpx.URL:
        """The URL of the refresh operation."""
        return self._refresh_url

    def add_listener(self, listener: TokensRefreshedCallback) -> None:
        """Call the bound method `listener` (held weakly) with each new pair, before the callback."""
        self._listeners.append(weakref.WeakMethod(listener))

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._is_refresh_request(request):
            with self._lock:
                self._authorize(request, self._pair[1])
                response = yield request
                response.read()
                self._accept_refresh(response)
            return

        sent_with = self._pair
        self._authorize(request, sent_with[0])
        response = yield request
        if response.status_code != 403:
            return
        response.read()
        if not self._is_refreshable(response):
            return

        with self._lock:
            if self._pair == sent_with:
                refresh_response = yield self._refresh_request(request)
                refresh_response.read()
                self._accept_refresh(refresh_response, sent_with=sent_with)
            retry_token = self._pair[0]
        self._authorize(request, retry_token)
        yield request

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if self._is_refresh_request(request):
            async with self._async_lock():
                self._authorize(request, self._pair[1])
                response = yield request
                await response.aread()
                self._accept_refresh(response)
            return

        sent_with = self._pair
        self._authorize(request, sent_with[0])
        response = yield request
        if response.status_code != 403:
            return
        await response.aread()
        if not self._is_refreshable(response):
            return

        async with self._async_lock():
            if self._pair == sent_with:
                refresh_response = yield self._refresh_request(request)
                await refresh_response.aread()
                self._accept_refresh(refresh_response, sent_with=sent_with)
            retry_token = self._pair[0]
        self._authorize(request, retry_token)
        yield request

    def _async_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        with self._async_locks_guard:
            lock = self._async_locks.get(loop)
            if lock is None:
                lock = self._async_locks[loop] = asyncio.Lock()
            return lock

    def _authorize(self, request: httpx.Request, token: str) -> None:
        request.headers[self._header_name] = f"{self._prefix} {token}" if self._prefix else token

    def _is_refresh_request(self, request: httpx.Request) -> bool:
        url = request.url
        return (
            request.method == "PUT"
            and url.host == self._refresh_url.host
            and url.port == self._refresh_url.port
            and url.path == self._refresh_url.path
        )

    @staticmethod
    def _is_refreshable(response: httpx.Response) -> bool:
        try:
            body = response.json()
        except ValueError:
            return False
        return isinstance(body, dict) and body.get("details") in REFRESHABLE_DETAILS

    def _refresh_request(self, original: httpx.Request) -> httpx.Request:
        skip = _NOT_FORWARDED | {self._header_name.lower()}
        headers = [(name, value) for name, value in original.headers.multi_items() if name.lower() not in skip]
        request = httpx.Request("PUT", self._refresh_url, headers=headers, extensions=original.extensions)
        self._authorize(request, self._pair[1])
        return request

    def _accept_refresh(self, response: httpx.Response, sent_with: tuple[str, str] | None = None) -> None:
        """Store the pair of a refresh answer; raise TokenRefreshFailed for an automatic one that failed.

        `sent_with` is the pair of the request that triggered an automatic refresh (None for a
        refresh the caller asked for: its answer, good or bad, goes back to the caller).
        """
        pair = _token_pair_of(response)
        if pair is not None:
            self._pair = (pair.access_token, pair.refresh_token)
            self.refresh_count += 1
            for reference in list(self._listeners):
                listener = reference()
                if listener is None:
                    self._listeners.remove(reference)
                else:
                    listener(pair)
            if self._on_tokens_refreshed is not None:
                self._on_tokens_refreshed(pair)
            return
        if sent_with is None or self._pair != sent_with:
            # Asked for by the caller, or lost a race with a refresh made through another lock
            # (a sync and an async request at once): the pair has been rotated, retry with it.
            return
        raise TokenRefreshFailed(response)


def _token_pair_of(response: httpx.Response) -> TokenPair | None:
    if response.status_code != 200:
        return None
    try:
        pair = TokenPair.from_dict(response.json())
    except (TypeError, ValueError, KeyError, AttributeError):
        return None
    if not isinstance(pair.access_token, str) or not isinstance(pair.refresh_token, str):
        return None
    return pair


@define
class RefreshingClient(AuthenticatedClient):
    """A client that refreshes its token pair by itself; use it wherever an AuthenticatedClient goes.

    Takes the keyword arguments of `Client`, and:

        ``access_token``: the access token (required).

        ``refresh_token``: the refresh token (required).

        ``on_tokens_refreshed``: called with the new `TokenPair` after each refresh, so that the
        application can store it: the old refresh token is dead after a refresh. Called on the
        thread (or in the event loop) of the request that refreshed, under the refresh lock;
        keep it short. An exception it raises propagates to that request.

    `token` and `refresh_token` follow the live pair (also `tokens`, a `TokenPair`). See
    `TokenRefreshAuth` for the refresh rules. Copies made by `with_headers`, `with_cookies` and
    `with_timeout` share the pair.

    A pair generated again in the web cabinet kills this one: the refresh then fails with
    `TokenRefreshFailed` ("The token has already been updated"), and a person must supply a new pair.
    """

    token: str = field(kw_only=True, alias="access_token")
    refresh_token: str = field(kw_only=True)
    on_tokens_refreshed: TokensRefreshedCallback | None = field(default=None, kw_only=True)
    _token_auth: TokenRefreshAuth = field(
        default=Factory(lambda self: self._new_token_auth(), takes_self=True), kw_only=True, alias="token_auth"
    )

    def __attrs_post_init__(self) -> None:
        self._token_auth.add_listener(self._follow_pair)

    def _new_token_auth(self) -> TokenRefreshAuth:
        return TokenRefreshAuth(
            access_token=self.token,
            refresh_token=self.refresh_token,
            refresh_url=self._base_url.rstrip("/") + REFRESH_PATH,
            on_tokens_refreshed=self.on_tokens_refreshed,
            header_name=self.auth_header_name,
            prefix=self.prefix,
        )

    def _follow_pair(self, pair: TokenPair) -> None:
        self.token = pair.access_token
        self.refresh_token = pair.refresh_token

    @property
    def tokens(self) -> TokenPair:
        """The current token pair."""
        return self._token_auth.tokens

    @property
    def token_auth(self) -> TokenRefreshAuth:
        """The `httpx.Auth` that holds the live pair, for an httpx client of your own."""
        return self._token_auth

    def _httpx_kwargs(self) -> dict[str, Any]:
        kwargs = Client._httpx_kwargs(self)
        kwargs["auth"] = self._token_auth
        return kwargs
