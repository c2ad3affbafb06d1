"""No web page can reach the control API or the console: the guard in front of `/mock`, in-process.

The mock is served here as if at `http://127.0.0.1:8080` (the in-process client's base URL is
the address the connection reached). Each refusal is a 403 with its reason, and the state it
would have changed is unchanged; the documented API answers any Host and any Origin.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from mock_server.domain.pbx import Pbx
from mock_server.http.app import AppKind, create_app
from mock_server.http.guard import ControlGuardRule, GuardedRequest
from tests.spec_utils import ROOT, load_spec

MOCK = "http://127.0.0.1:8080"
HOST = "127.0.0.1:8080"
EVIL = "https://evil.example"
REBIND = "rebind.attacker.example:8080"
CONTROL_HEADER = {"X-Tele2-Ats-Mock": "1"}
# What `fetch(url, {method: "POST", mode: "no-cors"})` on another site sends, headers-wise.
CROSS_SITE = {"Origin": EVIL, "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"}
# The simple POSTs a page elsewhere could send, with the state each would change.
SIMPLE_POSTS = (
    ("/mock/reset", None),
    ("/mock/companies", None),
    ("/mock/calls/settle", None),
    ("/mock/faults/presets/outage", '{"minutes": 60}'),
    ("/mock/faults/presets/token-expiry", "{}"),
    ("/mock/tokens", '{"companyId": 391}'),
    ("/mock/clock/advance", '{"seconds": 86400}'),
)


# -- The rule, without HTTP --------------------------------------------------------------------

RULE = ControlGuardRule(allowed_hosts=["crm-mock.test", "::2", "0.0.0.0"])


@pytest.mark.parametrize(
    ("request_", "refused_for"),
    [
        (GuardedRequest("GET", "localhost:8080"), None),
        (GuardedRequest("GET", "[::1]:8080", reached="::1"), None),
        (GuardedRequest("GET", "[::2]:8080"), None),  # --allowed-host ::2
        (GuardedRequest("GET", "0.0.0.0:8080"), None),  # --host 0.0.0.0, as the banner says
        (GuardedRequest("GET", "[fe80::1]:8080", reached="fe80::1"), None),
        (GuardedRequest("GET", "[fe80::1]:8080", reached="fe80::2"), "Host"),
        (GuardedRequest("GET", None), "No Host"),
        (GuardedRequest("GET", "localhost", duplicate="Host"), "More than one Host"),
        (GuardedRequest("GET", "localhost", origin="http://localhost"), None),
        (GuardedRequest("GET", "localhost:80", origin="http://localhost"), None),
        (GuardedRequest("GET", "localhost", origin="http://localhost:80"), None),
        (GuardedRequest("GET", "localhost", origin="http://localhost:443"), "Origin"),
        (GuardedRequest("GET", "localhost", scheme="https", origin="https://localhost"), None),
        (GuardedRequest("GET", "localhost:443", scheme="https", origin="https://localhost"), None),
        (GuardedRequest("GET", "localhost", origin="https://localhost"), "Origin"),
        (GuardedRequest("GET", "localhost.", origin="http://localhost"), "Origin"),
        (GuardedRequest("GET", "localhost", origin=" NULL "), "Origin: null"),
        (GuardedRequest("POST", "localhost", origin="null", fetch_site=" Same-Origin"), None),
        (GuardedRequest("GET", "localhost", fetch_site="Same-Origin"), None),
        (GuardedRequest("POST", "localhost", content_type="APPLICATION/JSON"), None),
        (GuardedRequest("POST", "localhost", content_type=" application/json ;x=1"), None),
        (GuardedRequest("POST", "localhost", content_type="application/json+x"), "Content-Type"),
        (GuardedRequest("POST", "localhost", content_type="application/problem+json"), "POST"),
        (GuardedRequest("POST", "localhost", control_header=True), None),
        (GuardedRequest("POST", "localhost", fetch_site="none"), "no Content-Type"),
        (GuardedRequest("PUT", "localhost", fetch_site="same-origin"), None),
        (GuardedRequest("DELETE", "localhost", origin="http://localhost"), None),
        (GuardedRequest("PROPFIND", "localhost"), "PROPFIND"),
        (GuardedRequest("OPTIONS", "localhost"), None),
        (GuardedRequest("OPTIONS", "localhost", origin="http://evil.example"), "Origin"),
    ],
)
def test_the_rule(request_: GuardedRequest, refused_for: str | None) -> None:
    reason = RULE.refusal(request_)
    if refused_for is None:
        assert reason is None
    else:
        assert reason is not None
        assert refused_for in reason, reason


def test_every_control_operation_documents_the_guards_403() -> None:
    """A vendor's Schemathesis run on openapi/mock-admin.yaml expects each answer documented."""
    spec = load_spec(ROOT / "openapi" / "mock-admin.yaml")
    undocumented = [
        f"{method.upper()} {path}"
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in ("get", "put", "post", "delete", "patch")
        and operation["responses"].get("403") != {"$ref": "#/components/responses/Refused"}
    ]
    assert undocumented == []
    assert "X-Tele2-Ats-Mock" in spec["components"]["responses"]["Refused"]["description"]


# -- Over HTTP, in-process ---------------------------------------------------------------------


def _app(pbx: Pbx, kind: AppKind = "async", **options: Any) -> TestClient:
    return TestClient(create_app(pbx, kind=kind, **options), base_url=MOCK)


@pytest.fixture
def mock(pbx: Pbx, app_kind: AppKind) -> Iterator[TestClient]:
    with _app(pbx, app_kind) as client:
        yield client


def _state(client: TestClient) -> dict[str, Any]:
    """What a refused request must leave as it was: companies, clock, rules, outcomes."""
    health = client.get("/mock/health").json()
    return {
        "companies": health["companies"],
        "now": health["now"],
        "faults": client.get("/mock/faults").json(),
        "calls": client.get("/mock/calls", params={"companyId": 391}).json(),
    }


def _refused(response: Any, *reason: str) -> None:
    assert response.status_code == 403, f"{response.status_code}: {response.text}"
    assert response.headers["content-type"] == "application/problem+json", response.headers
    problem = response.json()
    assert problem["status"] == 403
    for part in reason:
        assert part in problem["detail"], problem["detail"]
    assert "access-control-allow-origin" not in response.headers


# -- A page on another site --------------------------------------------------------------------


@pytest.mark.parametrize(("path", "body"), SIMPLE_POSTS)
def test_a_cross_site_simple_post_is_refused_and_changes_nothing(
    mock: TestClient, path: str, body: str | None
) -> None:
    mock.post("/mock/companies", json={"companyId": 5000})
    before = _state(mock)
    headers = {**CROSS_SITE, **({"Content-Type": "text/plain;charset=UTF-8"} if body else {})}
    _refused(mock.post(path, content=body, headers=headers), "Origin https://evil.example")
    assert _state(mock) == before


@pytest.mark.parametrize(("path", "body"), SIMPLE_POSTS)
def test_a_simple_post_without_origin_is_refused(
    mock: TestClient, path: str, body: str | None
) -> None:
    """A browser that says nowhere where a request comes from (no Origin, no Sec-Fetch-*) can
    still only send a simple request: neither JSON nor a header of its choosing."""
    before = _state(mock)
    headers = {"Content-Type": "text/plain;charset=UTF-8"} if body else {}
    _refused(mock.post(path, content=body, headers=headers), "X-Tele2-Ats-Mock")
    assert _state(mock) == before


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/jsonx",
        "text/json",
        "application/json-seq",
    ],
)
def test_a_state_change_in_a_simple_body_is_refused(mock: TestClient, content_type: str) -> None:
    before = _state(mock)
    body = '{"operationId":"getEmployees","status":503}'
    if content_type.startswith("multipart"):
        body = '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n'
    response = mock.post("/mock/faults", content=body, headers={"Content-Type": content_type})
    _refused(response, "Content-Type", "X-Tele2-Ats-Mock")
    assert _state(mock) == before


def test_multipart_and_urlencoded_forms_to_the_control_api_are_refused(mock: TestClient) -> None:
    before = _state(mock)
    _refused(mock.post("/mock/reset", data={"seed": "2"}))
    _refused(mock.post("/mock/reset", files={"seed": ("seed", b"2", "text/plain")}))
    assert _state(mock) == before


def test_json_or_the_header_reaches_the_control_api(mock: TestClient) -> None:
    """What curl, the control client and test code send."""
    created = mock.post("/mock/companies", json={"companyId": 5001})
    assert created.status_code == 201, created.text
    charset = mock.post(
        "/mock/faults",
        content='{"operationId":"getEmployees","status":503}',
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert charset.status_code == 201, charset.text
    assert mock.delete("/mock/faults", headers=CONTROL_HEADER).status_code == 204
    settled = mock.post("/mock/calls/settle", headers=CONTROL_HEADER)
    assert settled.status_code == 200, settled.text
    assert mock.delete("/mock/companies/5001", headers=CONTROL_HEADER).status_code == 204


@pytest.mark.parametrize("method", ["DELETE", "PUT", "PATCH"])
def test_every_state_changing_method_needs_json_or_the_header(
    mock: TestClient, method: str
) -> None:
    mock.post("/mock/faults", json={"operationId": "getEmployees", "status": 503})
    before = _state(mock)
    _refused(mock.request(method, "/mock/faults"), method, "X-Tele2-Ats-Mock")
    assert _state(mock) == before


@pytest.mark.parametrize("fetch_site", ["cross-site", "same-site", "nonsense"])
def test_a_request_a_browser_marks_as_from_elsewhere_is_refused(
    mock: TestClient, fetch_site: str
) -> None:
    """`Sec-Fetch-Site` alone (a GET by <img> or <script> carries no Origin): a page on
    another site, or on another port of this host (same-site), reads nothing here either."""
    for path in ("/mock/health", "/mock/requests", "/mock/openapi.json"):
        _refused(mock.get(path, headers={"Sec-Fetch-Site": fetch_site}), "Sec-Fetch-Site")
    before = _state(mock)
    response = mock.post("/mock/reset", json={}, headers={"Sec-Fetch-Site": fetch_site})
    _refused(response, "Sec-Fetch-Site")
    assert _state(mock) == before


@pytest.mark.parametrize(
    "origin",
    [
        EVIL,
        "http://127.0.0.1:9999",  # another port of this host: another origin
        "http://localhost:8080",  # the same machine under another name: another origin
        "https://127.0.0.1:8080",  # another scheme
        "http://127.0.0.1",  # port 80
        "http://127.0.0.1:8080.evil.example",
        "http://127.0.0.1:8080@evil.example",
        "http://[::1]:8080",
        "not an origin",
    ],
)
def test_an_origin_other_than_the_mocks_own_is_refused(mock: TestClient, origin: str) -> None:
    before = _state(mock)
    response = mock.post("/mock/reset", json={}, headers={"Origin": origin})
    _refused(response, "Origin")
    _refused(mock.get("/mock/health", headers={"Origin": origin}), "Origin")
    assert _state(mock) == before


def test_the_mocks_own_origin_is_served(mock: TestClient) -> None:
    """The Swagger UI of /mock/ui/ and the console send these."""
    for origin in (MOCK, "HTTP://127.0.0.1:8080"):
        headers = {"Origin": origin, "Sec-Fetch-Site": "same-origin"}
        assert mock.get("/mock/health", headers=headers).status_code == 200
        # Its DELETE carries neither JSON nor the header: the Origin vouches for it.
        assert mock.delete("/mock/faults", headers=headers).status_code == 204
    assert mock.get("/mock/health", headers={"Sec-Fetch-Site": "none"}).status_code == 200


def test_origin_null_is_refused(mock: TestClient) -> None:
    """A sandboxed iframe, a data: or file: page, a redirect from elsewhere: no origin to
    trust. Only a browser's own `Sec-Fetch-Site: same-origin` vouches for `Origin: null` (its
    same-origin POST under `Referrer-Policy: no-referrer`)."""
    before = _state(mock)
    _refused(mock.post("/mock/reset", json={}, headers={"Origin": "null"}), "Origin: null")
    cross = {"Origin": "null", "Sec-Fetch-Site": "cross-site"}
    _refused(mock.post("/mock/reset", json={}, headers=cross))
    _refused(mock.get("/mock/health", headers={"Origin": "null"}), "Origin: null")
    assert _state(mock) == before
    same = {"Origin": "null", "Sec-Fetch-Site": "same-origin"}
    assert mock.delete("/mock/faults", headers=same).status_code == 204


def test_a_preflight_from_another_origin_is_refused(mock: TestClient) -> None:
    response = mock.options(
        "/mock/reset",
        headers={
            "Origin": EVIL,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-tele2-ats-mock",
        },
    )
    _refused(response, "Origin")
    assert not any(name.startswith("access-control-") for name in response.headers)


# -- DNS rebinding: a name of the attacker's that resolves to 127.0.0.1 -------------------------


def test_a_rebinding_host_reads_and_writes_nothing(mock: TestClient) -> None:
    rebound = {"Host": REBIND, "Origin": "http://" + REBIND}
    before = _state(mock)
    response = mock.post("/mock/tokens", json={"companyId": 391}, headers=rebound)
    _refused(response, "rebind.attacker.example")
    assert "accessToken" not in response.text
    _refused(mock.post("/mock/reset", json={}, headers=rebound))
    for path in ("/mock/health", "/mock/requests", "/mock/ui/", "/mock/openapi.json"):
        _refused(mock.get(path, headers=rebound), "Host")
        _refused(mock.get(path, headers={"Host": REBIND}), "Host")
    assert _state(mock) == before


@pytest.mark.parametrize(
    "host",
    [
        "localhost:8080",
        "LOCALHOST:8080",
        "localhost.:8080",
        "LocalHost.",
        "console.localhost:8080",
        "127.0.0.1",
        "127.0.0.1:8080",
        "127.1.2.3:8080",
        "[::1]:8080",
        "[::1]",
        "[0:0:0:0:0:0:0:1]:8080",
        "[::ffff:127.0.0.1]:8080",
    ],
)
def test_loopback_names_and_addresses_are_served(mock: TestClient, host: str) -> None:
    response = mock.get("/mock/health", headers={"Host": host})
    assert response.status_code == 200, response.text
    issued = mock.post("/mock/tokens", json={}, headers={"Host": host})
    assert issued.status_code == 200, issued.text


@pytest.mark.parametrize(
    "host",
    [
        REBIND,
        "evil.example",
        "localhost.evil.example:8080",
        "127.0.0.1.evil.example:8080",
        "127.0.0.1.nip.io:8080",
        "localhost..:8080",
        "evil.example.:8080",
        "localhostx:8080",
        "0x7f000001:8080",
        "2130706433:8080",
        "10.1.2.3:8080",
        "[fe80::1]:8080",
        "[::1:8080",
        "::1",
        "127.0.0.1:abc",
        "127.0.0.1:8080:8080",
        "user@127.0.0.1:8080",
        "127.0.0.1 :8080",
        "",
    ],
)
def test_any_other_host_is_refused(mock: TestClient, host: str) -> None:
    before = _state(mock)
    _refused(mock.get("/mock/health", headers={"Host": host}), "Host")
    _refused(mock.post("/mock/reset", json={}, headers={"Host": host}), "Host")
    assert _state(mock) == before


def test_a_long_host_is_refused_with_a_bounded_reason(mock: TestClient) -> None:
    response = mock.get("/mock/health", headers={"Host": "a" * 100_000 + ".example"})
    _refused(response, "Host")
    assert len(response.content) < 2000


def test_allowed_hosts_are_served_beside_loopback(pbx: Pbx) -> None:
    """`--allowed-host NAME`: a name the developer gave (a container's, a VM's)."""
    with _app(pbx, allowed_hosts=("crm-mock.test", "192.0.2.7")) as client:
        for host in ("crm-mock.test:8080", "CRM-MOCK.TEST", "crm-mock.test.", "192.0.2.7:8080"):
            response = client.get("/mock/health", headers={"Host": host})
            assert response.status_code == 200, (host, response.text)
        origin = {"Host": "crm-mock.test:8080", "Origin": "http://crm-mock.test:8080"}
        assert client.delete("/mock/faults", headers=origin).status_code == 204
        _refused(client.get("/mock/health", headers={"Host": "sub.crm-mock.test"}), "Host")
        _refused(client.get("/mock/health", headers={"Host": REBIND}), "Host")


def test_the_address_the_connection_reached_is_served(pbx: Pbx) -> None:
    """`--host 0.0.0.0`: a request that reached the mock at its LAN address names that
    address (the connection's local address; in-process, the client's base URL)."""
    with TestClient(create_app(pbx), base_url="http://192.0.2.10:8080") as client:
        assert client.get("/mock/health").status_code == 200
        _refused(client.get("/mock/health", headers={"Host": "192.0.2.11:8080"}), "Host")


# -- The documented API answers anybody, as the real service does -------------------------------


def test_the_documented_api_answers_any_host_and_origin(mock: TestClient) -> None:
    token = mock.post("/mock/tokens", json={}).json()["accessToken"]
    headers = {"Authorization": token, **CROSS_SITE, "Host": REBIND}
    response = mock.get("/crm/openapi/employees", headers=headers)
    assert response.status_code == 200, response.text
    assert mock.get("/crm/openapi/openapi.json", headers=headers).status_code == 200
    text = {**headers, "Content-Type": "text/plain", "Origin": "null"}
    added = mock.post("/crm/openapi/blacklist", content="79995550001", headers=text)
    assert added.status_code == 200, added.text


# -- The console -------------------------------------------------------------------------------


def _page_refused(response: Any, *reason: str) -> None:
    assert response.status_code == 403, f"{response.status_code}: {response.text[:2000]}"
    assert response.headers["content-type"].startswith("text/html")
    for part in reason:
        assert part in response.text, response.text[:2000]


def test_the_console_refuses_what_the_control_api_refuses(mock: TestClient) -> None:
    before = _state(mock)
    form = {"company": "391", "seconds": "86400"}
    for headers in (
        CROSS_SITE,
        {"Origin": "null"},
        {"Origin": "http://127.0.0.1:9999", "Sec-Fetch-Site": "same-site"},
        {"Host": REBIND, "Origin": "http://" + REBIND, "Sec-Fetch-Site": "same-origin"},
    ):
        _page_refused(mock.post("/mock/console/clock/advance", data=form, headers=headers))
    # Rebinding reads the console's pages (its token page shows a pair): refused too.
    _page_refused(mock.get("/mock/console/tokens", headers={"Host": REBIND}), "Host")
    _page_refused(mock.get("/mock/console/", headers={"Sec-Fetch-Site": "cross-site"}))
    assert _state(mock) == before


def test_a_console_form_from_a_browser_that_names_no_origin_is_refused(mock: TestClient) -> None:
    """Browsers send Origin with every POST (Fetch, "append a request Origin header"); a form
    post without it, nor Sec-Fetch-Site, is from a browser too old to tell where it comes
    from, and a form cannot carry JSON or a header: refused."""
    before = _state(mock)
    form = {"company": "391", "seconds": "86400"}
    _page_refused(mock.post("/mock/console/clock/advance", data=form), "Origin")
    assert _state(mock) == before


def test_the_console_serves_its_own_origin(mock: TestClient) -> None:
    same = {"Origin": MOCK, "Sec-Fetch-Site": "same-origin"}
    form = {"company": "391", "seconds": "60"}
    before = _state(mock)["now"]
    answer = mock.post(
        "/mock/console/clock/advance", data=form, headers=same, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    assert _state(mock)["now"] != before
    assert mock.get("/mock/console/", headers={"Sec-Fetch-Site": "none"}).status_code == 200


def test_no_page_may_frame_the_console_or_the_swagger_ui(mock: TestClient) -> None:
    """A refusal page framed elsewhere has a link; followed inside the frame, it would be a
    same-origin navigation, and the console would sit under another page's buttons."""
    answers = [
        mock.get("/mock/console/"),
        mock.get("/mock/console/static/console.css"),
        mock.get("/mock/ui/"),
        mock.get("/mock/health"),
        mock.get("/mock/console/", headers={"Sec-Fetch-Site": "cross-site"}),
        mock.post("/mock/reset", headers={"Origin": EVIL}),
    ]
    for answer in answers:
        assert answer.headers["x-frame-options"] == "DENY", answer.url
        assert answer.headers["content-security-policy"] == "frame-ancestors 'none'"
    assert "x-frame-options" not in mock.get("/crm/openapi/ui/").headers
