"""The guard in front of `/mock`: no web page reaches the control API or the console.

The control API and the console have no authentication: they reset the state, issue token
pairs and inject faults for whoever asks. Whoever may ask is decided here, in one place, for
every request under `/mock` (every method, GET included: a page that could read
`/mock/console/tokens` would read a token pair). The documented API (`/crm/openapi`) is not
guarded: it answers any client and any Host, as the real service does.

A request under `/mock` is refused (403, with the reason) when

1. its `Host` is not the mock's own address: a loopback name (`localhost`, `*.localhost`,
   with or without a trailing dot, any case) or address (127.0.0.0/8, `[::1]`), the address
   the connection reached (the bound IP, or the LAN address under `--host 0.0.0.0`), or a
   name given with `--allowed-host`. This is what stops DNS rebinding: a page of
   `rebind.attacker.example`, whose name the attacker re-points at 127.0.0.1, is served from
   that name's origin, and its requests say `Host: rebind.attacker.example`. A request with
   no Host at all comes from no browser and is refused too;
2. its `Origin` is not the mock's own origin: scheme, host and port exactly as the Host
   names them (`http://localhost:8080` is another origin than `http://127.0.0.1:8080`, even
   on the same machine: a page there may be another program's), or `Origin: null` (a
   sandboxed frame, a data: or file: page, a redirect from elsewhere) unless the browser's own
   `Sec-Fetch-Site: same-origin` vouches for it (a same-origin POST under
   `Referrer-Policy: no-referrer`);
3. the browser marks it as coming from elsewhere: `Sec-Fetch-Site` other than `same-origin`
   or `none` (the user's own navigation). `same-site` is refused too: for an address, the site
   is the host without its port, so every other program's page on 127.0.0.1 is same-site;
4. it would change something (any method but GET, HEAD and OPTIONS) and nothing shows that a
   page elsewhere did not send it as a simple request (CORS: no preflight, so no chance to
   refuse it before it acts). What shows it: the mock's own Origin or
   `Sec-Fetch-Site: same-origin` (checked above), `Content-Type: application/json`, or the
   header `X-Tele2-Ats-Mock` (any value; `1` by convention), neither of which a page can put
   on a request without a preflight the mock never grants. Browsers send Origin with every
   POST (Fetch: "append a request `Origin` header"), so this refuses the form or no-cors
   fetch of a browser that says nowhere where it comes from.

A request with no Origin and no Sec-Fetch-Site (curl, test code, the control client) is served
when its Host is allowed (and, if it changes something, it sends JSON or the header).

Every answer under `/mock`, a refusal included, forbids framing (`X-Frame-Options: DENY`,
`Content-Security-Policy: frame-ancestors 'none'`): a page elsewhere that frames the console
(its first request is refused, but a link on the refusal page, followed inside the frame, is
the frame's own same-origin navigation) could otherwise lay it under its own buttons
(clickjacking). Neither the console nor the Swagger UI frames itself.

The rule (`ControlGuardRule.refusal`) reads a few parsed headers and is tested without HTTP;
`ControlGuard` is the ASGI middleware that applies it, the first of the app's middlewares.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_server.http.errors import ADMIN_PREFIX, ErrorRenderer
from mock_server.testing.control import CONTROL_HEADER

__all__ = [
    "CONTROL_HEADER",
    "ControlGuard",
    "ControlGuardRule",
    "GuardedRequest",
    "is_loopback",
    "normal_host_name",
]

# Methods that only read (OPTIONS: a preflight, which the mock never grants).
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
# Sec-Fetch-Site values of a request the user or the mock's own pages made.
_OWN_FETCH_SITES: Final = frozenset({"same-origin", "none"})
_DEFAULT_PORTS: Final = {"http": 80, "https": 443}
_LABEL: Final = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?")
_PORT: Final = re.compile(r"[0-9]{1,5}")
_ORIGIN: Final = re.compile(r"(https?)://([^/?#@\\\s]+)")
_SHOWN_LENGTH: Final = 80
_CACHED: Final = 256
# Added to every answer under /mock: no page may frame the console or the Swagger UI.
_NO_FRAMING: Final = (
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
)
_HEADER_NAMES: Final = {
    b"host": "host",
    b"origin": "origin",
    b"sec-fetch-site": "fetch_site",
    b"content-type": "content_type",
    CONTROL_HEADER.lower().encode(): "control_header",
}

MSG_NO_HOST = (
    "No Host header: the control API and the console answer only requests that name the mock "
    "in Host (every HTTP/1.1 client and every browser sends it)"
)
MSG_HOST = (
    "Host {host} is not this mock's address: the control API and the console answer only "
    "requests for loopback (localhost, 127.0.0.1, [::1]), the address the mock listens on, or a "
    "name given with --allowed-host (another name is how a DNS-rebinding page would reach them)"
)
MSG_DUPLICATE = "More than one {name} header: the control API and the console refuse the request"
MSG_ORIGIN = (
    "Origin {origin} is not this mock's origin ({own}): the control API and the console answer "
    "no other web page"
)
MSG_NULL_ORIGIN = (
    "Origin: null (a sandboxed frame, a data: or file: page, or a redirect from elsewhere): the "
    "control API and the console answer no page whose origin they cannot tell"
)
MSG_FETCH_SITE = (
    "Sec-Fetch-Site: {site}: the browser says another site's page (or another port's) sent "
    "this request; the control API and the console answer only their own pages and the user"
)
MSG_SIMPLE = (
    "{method} with {content_type} and no Origin: a request that changes the mock needs "
    "Content-Type: application/json or the header " + CONTROL_HEADER + ": 1 (from a browser, "
    "the Origin of the mock's own page, which every current browser sends), so that no web "
    "page can send it as a simple request (without a CORS preflight)"
)


@dataclass(frozen=True, slots=True)
class GuardedRequest:
    """What the rule reads of a request: the method, the headers as sent (None when absent),
    and the address the connection reached (ASGI `scope["server"]`'s host)."""

    method: str
    host: str | None
    origin: str | None = None
    fetch_site: str | None = None
    content_type: str | None = None
    control_header: bool = False
    reached: str | None = None
    scheme: str = "http"
    duplicate: str | None = None  # a header that came more than once


def normal_host_name(value: str) -> str:
    """`value` (a name or an address, as `--host` and `--allowed-host` take it) as the rule
    compares it: lower case, without one trailing dot, an IPv6 address without brackets;
    ValueError if it is neither a host name nor an IP address (a port, a path, a wildcard)."""
    if ":" in value and not value.startswith("["):
        value = f"[{value}]"  # an IPv6 address as --host takes it: `::1`
    host = _split_host(value)
    if host is None or host[1] is not None:
        raise ValueError(f"expected a host name or an IP address without a port, got {value!r}")
    return _comparable(host[0])


def is_loopback(host: str) -> bool:
    """Whether `host` (normalised by `normal_host_name`) names this machine only: `localhost`
    and its subdomains (RFC 6761; browsers resolve them to loopback themselves), 127.0.0.0/8
    and ::1 (also as ::ffff:127.x.y.z)."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    address = _address(host)
    return address is not None and address.is_loopback


class ControlGuardRule:
    """Whether a request under `/mock` is served (`refusal` is None) or refused, and why.

    Example::

        rule = ControlGuardRule(allowed_hosts=["crm-mock.test"])
        rule.refusal(GuardedRequest("GET", "localhost:8080"))  # None: served
        rule.refusal(GuardedRequest("GET", "rebind.attacker.example:8080"))  # the reason
    """

    def __init__(self, allowed_hosts: Iterable[str] = ()) -> None:
        self.allowed_hosts = frozenset(normal_host_name(name) for name in allowed_hosts)
        # A mock sees a handful of Host values: each is judged once (parsing an address is
        # most of the rule's cost); a flood of distinct ones only cycles the cache.
        self._host = functools.lru_cache(maxsize=_CACHED)(self._judge_host)

    def refusal(self, request: GuardedRequest) -> str | None:
        if request.duplicate is not None:
            return MSG_DUPLICATE.format(name=request.duplicate)
        if request.host is None:
            return MSG_NO_HOST
        host = self._host(request.host, request.reached)
        if host is None:
            return MSG_HOST.format(host=_shown(request.host))
        site = None if request.fetch_site is None else request.fetch_site.strip().lower()
        origin = request.origin
        if origin is not None:
            if origin.strip().lower() == "null":
                if site != "same-origin":
                    return MSG_NULL_ORIGIN
            elif _origin(origin) != _own_origin(request.scheme, host):
                own = f"{request.scheme}://{request.host.lower()}"
                return MSG_ORIGIN.format(origin=_shown(origin, quoted=False), own=_shown(own))
        if site is not None and site not in _OWN_FETCH_SITES:
            return MSG_FETCH_SITE.format(site=_shown(site, quoted=False))
        if request.method.upper() in SAFE_METHODS:
            return None
        # The mock's own Origin (checked above) or the browser's same-origin vouch for it.
        if (
            (origin is not None and origin.strip().lower() != "null")
            or site == "same-origin"
            or request.control_header
            or _is_json(request.content_type)
        ):
            return None
        content_type = (
            "no Content-Type"
            if request.content_type is None
            else "Content-Type " + _shown(request.content_type, quoted=False)
        )
        return MSG_SIMPLE.format(method=request.method.upper(), content_type=content_type)

    def _judge_host(self, value: str, reached: str | None) -> tuple[str, int | None] | None:
        """The Host header `value` split (as `_split_host`) if the mock answers it, else None."""
        host = _split_host(value)
        if host is None:
            return None
        name = _comparable(host[0])
        if name in self.allowed_hosts or is_loopback(name):
            return host
        if reached is None:
            return None
        reached = _comparable(reached.lower())
        address = _address(name)
        if name == reached or (address is not None and address == _address(reached)):
            return host
        return None


class ControlGuard:
    """ASGI middleware: `ControlGuardRule` for every request under `/mock`.

    A refusal is the control API's problem+json (the one renderer), or, under `pages`' prefix
    (the console), the HTML page `pages` makes of the reason.
    """

    def __init__(
        self,
        app: ASGIApp,
        rule: ControlGuardRule,
        renderer: ErrorRenderer,
        pages: tuple[str, Callable[[str], Response]] | None = None,
    ) -> None:
        self.app = app
        self.rule = rule
        self.renderer = renderer
        self.pages = pages

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if not (path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/")):
            await self.app(scope, receive, send)
            return
        reason = self.rule.refusal(guarded_request(scope))

        async def unframed(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", ()), *_NO_FRAMING]}
            await send(message)

        if reason is None:
            await self.app(scope, receive, unframed)
        elif self.pages is not None and (
            path == self.pages[0] or path.startswith(self.pages[0] + "/")
        ):
            await self.pages[1](reason)(scope, receive, unframed)
        else:
            await self.renderer.send(unframed, 403, reason, path)


def guarded_request(scope: Scope) -> GuardedRequest:
    """The parts of an ASGI request the rule reads."""
    found: dict[str, str] = {}
    duplicate = None
    for raw_name, raw_value in scope["headers"]:
        field = _HEADER_NAMES.get(raw_name.lower())
        if field is None:
            continue
        if field in found:
            duplicate = raw_name.decode("latin-1")
        found[field] = raw_value.decode("latin-1")
    server = scope.get("server")
    return GuardedRequest(
        method=scope["method"],
        host=found.get("host"),
        origin=found.get("origin"),
        fetch_site=found.get("fetch_site"),
        content_type=found.get("content_type"),
        control_header=bool(found.get("control_header", "").strip()),
        reached=str(server[0]) if server else None,
        scheme=scope.get("scheme", "http"),
        duplicate=duplicate,
    )


def _split_host(value: str) -> tuple[str, int | None] | None:
    """`host[:port]` -> (host in lower case, IPv6 without brackets; port), or None when it is
    not the syntax of a Host header (RFC 9110 section 7.2: uri-host [ ":" port ])."""
    value = value.lower()
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return None
        host, rest = value[1:end], value[end + 1 :]
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return None
        if "%" in host:  # a zone id: no browser sends one
            return None
    else:
        host, colon, port = value.partition(":")
        rest = colon + port
    port_number = None
    if rest:
        if not rest.startswith(":") or not _PORT.fullmatch(rest[1:]):
            return None
        port_number = int(rest[1:])
        if port_number > 65535:
            return None
    if not value.startswith("[") and not _is_name(host):
        return None
    return host, port_number


def _is_name(host: str) -> bool:
    """A DNS name (or a dotted IPv4 address), one trailing dot allowed."""
    name = host[:-1] if host.endswith(".") else host
    return 0 < len(name) <= 253 and all(_LABEL.fullmatch(label) for label in name.split("."))


def _comparable(host: str) -> str:
    return host[:-1] if host.endswith(".") else host


def _address(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@functools.lru_cache(maxsize=_CACHED)
def _origin(value: str) -> tuple[str, str, int] | None:
    """An Origin header as (scheme, host, port), None if it is not one."""
    match = _ORIGIN.fullmatch(value.strip().lower())
    if match is None:
        return None
    host = _split_host(match[2])
    if host is None:
        return None
    scheme = match[1]
    return scheme, host[0], _DEFAULT_PORTS[scheme] if host[1] is None else host[1]


def _own_origin(scheme: str, host: tuple[str, int | None]) -> tuple[str, str, int]:
    return scheme, host[0], _DEFAULT_PORTS.get(scheme, 80) if host[1] is None else host[1]


def _is_json(content_type: str | None) -> bool:
    if content_type is None:
        return False
    return content_type.split(";", 1)[0].strip().lower() == "application/json"


def _shown(value: str, *, quoted: bool = True) -> str:
    """A header's value in a message: cut short (a Host of 100 kB is not echoed)."""
    if len(value) > _SHOWN_LENGTH:
        value = value[: _SHOWN_LENGTH - 3] + "..."
    return repr(value) if quoted else value
