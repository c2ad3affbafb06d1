"""The real-service harness's guards, without the network.

The policy is tested with a non-loopback base URL through `GuardedTransport` over an
`httpx.MockTransport` that records what reaches it: a refused request never does. (Nothing
here opens a socket; the loopback-only guard of these tests would refuse it anyway.)
"""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest

from contract_tests.real.drift import DriftReport, SpecLines, redact
from mock_server.real.config import ConfigError, RealConfig
from mock_server.real.guard import (
    BudgetExhausted,
    GuardedTransport,
    Ledger,
    Policy,
    RequestRefused,
)
from mock_server.real.tokens import TokenFile, TokenManager, TokenPair, TokenRecoveryError

REMOTE = "https://ats2.t2.ru/crm/openapi"
LOCAL = "http://127.0.0.1:8080/crm/openapi"
COMPANY = 391


def config(base_url: str = REMOTE, **env: str) -> RealConfig:
    return RealConfig.from_env(
        {"TELE2_ATS_BASE_URL": base_url, "CONTRACT_REPORTS_DIR": "/tmp", **env}
    )


class Recorder:
    """An inner transport that answers 200 and remembers every request that reached it."""

    def __init__(self) -> None:
        self.reached: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.reached.append(f"{request.method} {request.url}")
        return httpx.Response(200, json="SUCCESS")


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    return Ledger(tmp_path / "ledger.json", run_id="run", max_requests=1000, rate=1000.0)


def client(cfg: RealConfig, ledger: Ledger) -> tuple[httpx.Client, Recorder, Policy]:
    recorder = Recorder()
    policy = Policy(cfg, company_id=COMPANY)
    transport = GuardedTransport(policy, ledger, inner=httpx.MockTransport(recorder))
    return httpx.Client(transport=transport), recorder, policy


READS = [
    ("GET", "/employees"),
    ("GET", "/call-records/info?start=a&end=b"),
    ("GET", "/managers/26"),
]
WRITES = [
    ("POST", "/managers"),
    ("PUT", "/managers"),
    ("DELETE", "/managers/26"),
    ("POST", "/blacklist"),
    ("DELETE", "/blacklist/by-msisdn/79990001122"),
]
DESTRUCTIVE = [
    ("DELETE", "/blacklist/all"),
    ("POST", "/call/outgoing?source=79990000001&destination=79990000002"),
]


def _send(http: httpx.Client, base: str, method: str, path: str) -> None:
    http.request(method, base + path)


@pytest.mark.parametrize(("method", "path"), READS)
def test_reads_pass(ledger: Ledger, method: str, path: str) -> None:
    http, recorder, _ = client(config(), ledger)
    _send(http, REMOTE, method, path)
    assert len(recorder.reached) == 1


@pytest.mark.parametrize("base", [REMOTE, LOCAL])
@pytest.mark.parametrize(("method", "path"), WRITES + DESTRUCTIVE)
def test_writes_and_destructive_operations_are_refused_by_default(
    ledger: Ledger, base: str, method: str, path: str
) -> None:
    http, recorder, _ = client(config(base), ledger)
    with pytest.raises(RequestRefused, match="read-only"):
        _send(http, base, method, path)
    assert recorder.reached == []
    assert ledger.sent() == 0, "a refused request spends no budget"


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_writes_pass_when_allowed(ledger: Ledger, method: str, path: str) -> None:
    http, recorder, _ = client(config(TELE2_ATS_ALLOW_WRITES="1"), ledger)
    _send(http, REMOTE, method, path)
    assert len(recorder.reached) == 1


@pytest.mark.parametrize(("method", "path"), DESTRUCTIVE)
def test_destructive_operations_pass_on_loopback_when_writes_are_allowed(
    ledger: Ledger, method: str, path: str
) -> None:
    http, recorder, _ = client(config(LOCAL, TELE2_ATS_ALLOW_WRITES="1"), ledger)
    _send(http, LOCAL, method, path)
    assert len(recorder.reached) == 1


@pytest.mark.parametrize(("method", "path"), DESTRUCTIVE)
def test_non_loopback_hosts_need_the_separate_opt_ins(
    ledger: Ledger, method: str, path: str
) -> None:
    http, recorder, _ = client(config(TELE2_ATS_ALLOW_WRITES="1"), ledger)
    with pytest.raises(RequestRefused, match="TELE2_ATS_ALLOW"):
        _send(http, REMOTE, method, path)
    assert recorder.reached == []


def test_clearing_needs_the_tokens_company_named(ledger: Ledger) -> None:
    wrong, recorder, _ = client(
        config(TELE2_ATS_ALLOW_WRITES="1", TELE2_ATS_ALLOW_BLACKLIST_CLEAR="392"), ledger
    )
    with pytest.raises(RequestRefused, match="391"):
        _send(wrong, REMOTE, "DELETE", "/blacklist/all")
    right, recorder, _ = client(
        config(TELE2_ATS_ALLOW_WRITES="1", TELE2_ATS_ALLOW_BLACKLIST_CLEAR="391"), ledger
    )
    _send(right, REMOTE, "DELETE", "/blacklist/all")
    assert recorder.reached == [f"DELETE {REMOTE}/blacklist/all"]
    with pytest.raises(ConfigError):
        config(TELE2_ATS_ALLOW_BLACKLIST_CLEAR="yes")


def test_a_call_goes_only_between_the_numbers_given_and_once(ledger: Ledger) -> None:
    opted_in = config(
        TELE2_ATS_ALLOW_WRITES="1",
        TELE2_ATS_ALLOW_CALLS="1",
        TELE2_ATS_CALL_SOURCE="79990000001",
        TELE2_ATS_CALL_DESTINATION="79990000002",
    )
    http, recorder, _ = client(opted_in, ledger)
    with pytest.raises(RequestRefused, match="only from"):
        _send(http, REMOTE, "POST", "/call/outgoing?source=79990000001&destination=79990000003")
    _send(http, REMOTE, "POST", "/call/outgoing?source=79990000001&destination=79990000002")
    with pytest.raises(RequestRefused, match="one call per run"):
        _send(http, REMOTE, "POST", "/call/outgoing?source=79990000001&destination=79990000002")
    assert len(recorder.reached) == 1
    half, _, _ = client(config(TELE2_ATS_ALLOW_WRITES="1", TELE2_ATS_ALLOW_CALLS="1"), ledger)
    with pytest.raises(RequestRefused, match="TELE2_ATS_CALL_SOURCE"):
        _send(half, REMOTE, "POST", "/call/outgoing?source=1&destination=2")


def test_refresh_only_under_the_token_managers_permit(ledger: Ledger) -> None:
    http, recorder, policy = client(config(TELE2_ATS_ALLOW_WRITES="1"), ledger)
    with pytest.raises(RequestRefused, match="refresh"):
        _send(http, REMOTE, "PUT", "/authorization/refresh/token")
    with policy.refresh_permit():
        _send(http, REMOTE, "PUT", "/authorization/refresh/token")
    assert recorder.reached == [f"PUT {REMOTE}/authorization/refresh/token"]


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/crm/openapi/employees",
        "http://ats2.t2.ru/crm/openapi/employees",
        "https://ats2.t2.ru:8443/crm/openapi/employees",
        "https://ats2.t2.ru/other/employees",
        "https://ats2.tele2.ru/crm/openapi/employees",
    ],
)
def test_nothing_but_the_configured_api_is_reached(ledger: Ledger, url: str) -> None:
    http, recorder, _ = client(config(TELE2_ATS_ALLOW_WRITES="1"), ledger)
    with pytest.raises(RequestRefused):
        http.get(url)
    assert recorder.reached == []


def test_undeclared_writes_are_refused_even_when_writes_are_allowed(ledger: Ledger) -> None:
    http, recorder, _ = client(config(TELE2_ATS_ALLOW_WRITES="1"), ledger)
    for method, path in [
        ("PATCH", "/managers"),
        ("DELETE", "/employees"),
        ("POST", "/blacklist/all"),
        ("TRACE", "/x"),
    ]:
        with pytest.raises(RequestRefused):
            _send(http, REMOTE, method, path)
    assert recorder.reached == []


def test_tokens_go_over_https_only_except_on_loopback() -> None:
    with pytest.raises(ConfigError, match="https"):
        config("http://ats2.t2.ru/crm/openapi")
    assert config(LOCAL).is_loopback
    assert not config().is_loopback


# --- budget and rate ------------------------------------------------------------------------


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def wall(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_the_budget_is_never_exceeded(tmp_path: Path) -> None:
    limited = Ledger(tmp_path / "l.json", run_id="r", max_requests=5, rate=1000.0)
    http, recorder, _ = client(config(), limited)
    for _ in range(5):
        http.get(REMOTE + "/employees")
    with pytest.raises(BudgetExhausted, match="5 requests"):
        http.get(REMOTE + "/employees")
    assert len(recorder.reached) == 5
    assert limited.sent() == 5


def test_the_rate_limit_spaces_requests(tmp_path: Path) -> None:
    fake = FakeTime()
    ledger = Ledger(
        tmp_path / "l.json",
        run_id="r",
        max_requests=100,
        rate=2.0,
        wall=fake.wall,
        sleep=fake.sleep,
    )
    for _ in range(5):
        ledger.spend()
    # The first goes at once; each next one half a second after the one before.
    assert fake.slept == pytest.approx([0.5, 0.5, 0.5, 0.5])


def test_processes_of_one_run_share_the_budget_and_a_new_run_starts_afresh(tmp_path: Path) -> None:
    path = tmp_path / "l.json"
    first = Ledger(path, run_id="same", max_requests=4, rate=1000.0)
    second = Ledger(path, run_id="same", max_requests=4, rate=1000.0)
    threads = [threading.Thread(target=first.spend), threading.Thread(target=second.spend)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    first.spend()
    second.spend()
    with pytest.raises(BudgetExhausted):
        first.spend()
    assert Ledger(path, run_id="next", max_requests=4, rate=1000.0).spend() == 1


# --- the token pair -------------------------------------------------------------------------


def _token(exp: float, sub: str = "ACCESS_OPENAPI_TOKEN") -> str:
    claims: dict[str, Any] = {
        "UserDetailsImpl": {"companyId": COMPANY, "userId": 1, "login": "x"},
        "exp": int(exp),
        "sub": sub,
    }
    return jwt.encode(claims, "secret" * 12, algorithm="HS512")


def _pair(exp: float) -> TokenPair:
    return TokenPair(_token(exp), _token(exp + 6 * 86400, "REFRESH_OPENAPI_TOKEN"))


@pytest.fixture
def token_file(tmp_path: Path) -> TokenFile:
    return TokenFile(tmp_path / "tokens.json")


def test_the_token_file_is_written_atomically_and_private(token_file: TokenFile) -> None:
    pair = _pair(2_000_000_000)
    token_file.write(pair)
    assert stat.S_IMODE(os.stat(token_file.path).st_mode) == 0o600
    assert token_file.read() == pair
    assert json.loads(token_file.path.read_text())["savedAt"] > 0
    assert [p.name for p in token_file.path.parent.iterdir() if p.name.startswith(".tokens")] == []


class WatchedTokenFile(TokenFile):
    """Remembers, at each write, which pair the manager was using."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.manager: TokenManager | None = None
        self.writes: list[tuple[TokenPair, TokenPair | None]] = []

    def write(self, pair: TokenPair) -> None:
        self.writes.append((pair, self.manager.pair if self.manager else None))
        super().write(pair)


def test_refresh_only_when_expired_and_the_new_pair_is_saved_first(tmp_path: Path) -> None:
    now = [1_000_000.0]
    old, new = _pair(now[0] + 3600), _pair(now[0] + 90_000)
    token_file = WatchedTokenFile(tmp_path / "tokens.json")

    def refresh(refresh_token: str) -> TokenPair:
        assert refresh_token == old.refresh_token
        return new

    manager = TokenManager(
        old,
        refresh=refresh,
        is_expired=lambda token: (
            (jwt.decode(token, options={"verify_signature": False})["exp"]) <= now[0]
        ),
        token_file=token_file,
    )
    token_file.manager = manager
    manager.ensure_saved()
    assert token_file.read() == old
    assert manager.recover(old.access_token) == old
    assert manager.refreshes == 0, "not expired: no refresh"
    now[0] += 7200
    assert manager.recover(old.access_token) == new
    assert manager.refreshes == 1
    assert token_file.read() == new
    # The new pair was on disk while the manager still held the old one: saved before used.
    assert token_file.writes[-1] == (new, old)
    assert manager.recover(old.access_token) == new
    assert manager.refreshes == 1, "already recovered: no second refresh"


def test_a_newer_pair_in_the_file_is_adopted_not_refreshed(token_file: TokenFile) -> None:
    stale, rotated = _pair(2_000_000_000), _pair(2_000_100_000)
    token_file.write(rotated)

    def refresh(refresh_token: str) -> TokenPair:
        raise AssertionError("must not refresh: another process did")

    manager = TokenManager(
        stale, refresh=refresh, is_expired=lambda token: True, token_file=token_file
    )
    manager.ensure_saved()
    assert manager.pair == rotated
    assert manager.adoptions == 1
    assert token_file.read() == rotated, "an older pair never overwrites a newer one"


def test_a_dead_refresh_token_without_a_cabinet_is_the_end(token_file: TokenFile) -> None:
    def refresh(refresh_token: str) -> TokenPair:
        raise TokenRecoveryError("refused")

    manager = TokenManager(
        _pair(1), refresh=refresh, is_expired=lambda token: True, token_file=token_file
    )
    with pytest.raises(TokenRecoveryError):
        manager.recover()


# --- the drift report -----------------------------------------------------------------------


def test_spec_lines_point_at_the_operation_and_response() -> None:
    lines = SpecLines()
    text = lines.path.read_text(encoding="utf-8").splitlines()
    operation = lines.operation("GET /employees")
    assert operation is not None
    assert text[operation - 1].strip() == "get:"
    assert "operationId: getEmployees" in "\n".join(text[operation : operation + 4])
    line, where = lines.locate("GET /employees", 200)
    assert line is not None
    assert text[line - 1].strip() == '"200":'
    assert line > operation
    line, where = lines.locate("GET /employees", 401)
    assert line is not None
    assert text[line - 1].strip() == "responses:"
    assert "not documented" in where


def test_the_report_redacts_tokens(tmp_path: Path) -> None:
    secret = _token(2_000_000_000)
    report = DriftReport(REMOTE, secrets=("raw-secret-value",))
    report.record(
        "GET /employees",
        "ST103 Undocumented status code",
        f'got {{"accessToken": "{secret}", "refreshToken": "abc"}} and raw-secret-value',
        f"curl -H 'Authorization: {secret}' {REMOTE}/employees",
        401,
    )
    report.write(tmp_path / "drift.md", {"requests sent": 1})
    text = (tmp_path / "drift.md").read_text()
    assert secret not in text
    assert "raw-secret-value" not in text
    assert '"abc"' not in text
    assert "openapi/tele2-ats.yaml:" in text
    assert "GET /employees" in text
    assert redact("Authorization: abc.def") == "Authorization: [REDACTED]"
