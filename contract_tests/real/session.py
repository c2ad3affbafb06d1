"""Everything a real run needs, built from `RealConfig` without sending a request.

One `httpx.Client` over the `GuardedTransport` carries every request; the spec's schema sends
through it by way of the WSGI bridge; the token pair comes from the environment or the token
file (whichever was issued last) and is saved to the file before anything could rotate it.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

import httpx
import pytest
import schemathesis
from schemathesis.auths import reauth_and_replay
from schemathesis.core.failures import FailureGroup

from contract_tests.auth import AuthBinding, install_token_auth
from contract_tests.checks import ContractEnvironment, bind_environment
from contract_tests.real.bridge import WsgiBridge
from contract_tests.real.drift import DriftReport
from contract_tests.schema import WIRE_CONFIG, install_wire_filter, load_schema, merge
from contract_tests.settings import API_BASE_PATH, REFRESH_PATH
from mock_server.real.config import RealConfig
from mock_server.real.guard import (
    BudgetExhausted,
    GuardedTransport,
    Ledger,
    Policy,
    RequestRefused,
)
from mock_server.real.tokens import (
    TokenFile,
    TokenManager,
    TokenPair,
    TokenRecoveryError,
    claims_of,
    expiry_of,
)

__all__ = ["EXPIRED", "REAL_CONFIG", "RealSession", "run_id"]

EXPIRED: Final = "The token is expired"
# Refresh this many seconds before `exp`, so that a request never leaves with a token that
# dies on the way.
EXPIRY_MARGIN: Final = 30.0
REAL_CONFIG: Final[dict[str, Any]] = {
    "phases": {
        # The coverage phase sends dozens of boundary cases per operation (every parameter
        # missing, malformed, at each bound): against a real account the budget goes to a few
        # examples per operation instead; `make contract` runs the coverage phase on the mock.
        # Were it on, only OPTIONS of the undeclared methods would go (the guard refuses the
        # others: they could write).
        "coverage": {"enabled": False, "unexpected-methods": ["options"]},
    },
    # Schemathesis would otherwise read constants out of the app's modules, here the bridge.
    "analysis": {"constants": {"enabled": False}},
}


def run_id() -> str:
    """One id for the processes of one run (xdist workers inherit it from the controller)."""
    value = os.environ.get("TELE2_ATS_RUN_ID")
    if not value:
        value = os.environ["TELE2_ATS_RUN_ID"] = uuid.uuid4().hex
    return value


def _company(pair: TokenPair) -> int | None:
    details = claims_of(pair.access_token).get("UserDetailsImpl")
    company = details.get("companyId") if isinstance(details, dict) else None
    return company if isinstance(company, int) else None


@dataclass
class RealSession:
    config: RealConfig
    policy: Policy
    ledger: Ledger
    transport: GuardedTransport
    client: httpx.Client
    manager: TokenManager | None
    schema: schemathesis.BaseSchema
    binding: AuthBinding
    report: DriftReport

    @classmethod
    def create(cls, config: RealConfig) -> RealSession:
        """Build the session; no request is sent (the first comes from a test)."""
        policy = Policy(config)
        ledger = Ledger(
            config.reports / ".tele2-ats-ledger.json",
            run_id=run_id(),
            max_requests=config.max_requests,
            rate=config.rate,
        )
        expired: set[str] = set()

        def note(request: httpx.Request, response: httpx.Response) -> None:
            if response.status_code != 403:
                return
            try:
                details = response.json().get("details")
            except (ValueError, AttributeError):
                return
            if details == EXPIRED:
                expired.add(request.headers.get("Authorization", ""))

        transport = GuardedTransport(policy, ledger, on_response=note)
        client = httpx.Client(transport=transport, timeout=30.0, follow_redirects=False)
        binding = AuthBinding()
        manager = None
        if config.missing_credentials() is None:
            token_file = TokenFile(config.token_file)
            pair = config.token_pair()
            assert pair is not None

            def refresh(refresh_token: str) -> TokenPair:
                with policy.refresh_permit():
                    answer = client.put(
                        config.base_url + REFRESH_PATH, headers={"Authorization": refresh_token}
                    )
                if answer.status_code != 200:
                    raise TokenRecoveryError(
                        f"the refresh was refused ({answer.status_code}): a person must generate "
                        f"a new pair in the web cabinet; {answer.text[:200]}"
                    )
                return TokenPair.from_json(answer.json())

            def is_expired(token: str) -> bool:
                exp = expiry_of(token)
                return token in expired or (exp is not None and exp <= time.time() + EXPIRY_MARGIN)

            manager = TokenManager(
                pair, refresh=refresh, is_expired=is_expired, token_file=token_file
            )
            binding.bind(manager)
            policy.company_id = _company(pair)
        schema = load_schema(
            examples=config.examples, seed=None, extra=merge(REAL_CONFIG, WIRE_CONFIG)
        )
        schema.app = WsgiBridge(client, config.base_url, API_BASE_PATH)
        install_wire_filter(schema)
        install_token_auth(schema, binding)
        other = config.other_access_token
        bind_environment(
            schema,
            ContractEnvironment(
                # Another company's data is compared only when a token of one is given.
                other_company_token=(lambda: other) if other else None,
                # No control API to mint a superseded token on the real service.
                refused_token=None,
                # A write resent without its token must never reach a real account.
                probe_writes=False,
                max_journal_pages=3,
            ),
        )
        report = DriftReport(
            config.base_url,
            secrets=tuple(t for t in (config.access_token, config.refresh_token, other) if t),
        )
        return cls(config, policy, ledger, transport, client, manager, schema, binding, report)

    def start(self) -> None:
        """Before the first test: save the pair (proving the file writable) and renew an
        access token that has expired already."""
        if self.manager is None:
            return
        self.manager.ensure_saved()
        self.manager.recover()

    @property
    def access_token(self) -> str:
        assert self.manager is not None
        return self.manager.access_token

    def summary(self) -> dict[str, Any]:
        config = self.config
        return {
            "requests sent": self.ledger.sent(),
            "budget": config.max_requests,
            "rate": f"{config.rate:g}/s",
            "examples per operation": config.examples,
            "writes": "on" if config.allow_writes else "off (read-only)",
            "token refreshes": self.manager.refreshes if self.manager else 0,
        }

    def run_case(self, case: schemathesis.Case[Any]) -> schemathesis.Response:
        """Send a generated case, replay it once after a refused token, check it, record drift."""
        try:
            response = case.call()
            response = reauth_and_replay(
                case, response, case.operation.schema.reauth_state, case.call
            )
            self.validate(case, response)
        except BudgetExhausted as exc:
            pytest.skip(str(exc))
        except RequestRefused as exc:
            self.report.error(case.operation.label, f"refused by the harness: {exc}")
            raise
        return response

    def validate(
        self,
        case: schemathesis.Case[Any],
        response: schemathesis.Response,
        headers: dict[str, str] | None = None,
    ) -> None:
        try:
            case.validate_response(response, headers=headers)
        except FailureGroup as group:
            example = case.as_curl_command(headers=headers, base_url=self.config.base_url)
            for failure in group.exceptions:
                self.report.record(
                    case.operation.label,
                    f"{failure.code} {failure.title}" if failure.code != "ST901" else failure.title,
                    failure.message,
                    example,
                    response.status_code,
                )
            raise

    def request(
        self,
        method: str,
        path: str,
        expect: int | tuple[int, ...] = 200,
        *,
        check: Callable[[schemathesis.Response], Any] | None = None,
        **kwargs: Any,
    ) -> schemathesis.Response:
        """One hand-made request with the current token, through every check."""
        case = self.schema[path][method].Case(**kwargs)
        auth = {"Authorization": self.access_token}
        response = case.call(headers=auth)
        if response.status_code == 403 and self.manager is not None:
            self.manager.recover(auth["Authorization"])
            auth = {"Authorization": self.access_token}
            response = case.call(headers=auth)
        self.validate(case, response, headers=auth)
        expected = (expect,) if isinstance(expect, int) else expect
        assert response.status_code in expected, (
            f"{method} {path}: {response.status_code} {response.text_lossy()[:300]}"
        )
        if check is not None:
            check(response)
        return response
