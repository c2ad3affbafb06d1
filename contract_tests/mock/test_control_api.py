"""The control API (openapi/mock-admin.yaml), fuzzed in-process with Schemathesis' built-in checks.

Every operation of the control API, the test double's included (the request journal, the
advisories, fault rules, call outcomes): stateless, positive and negative (on AsyncApp, and on
FlaskApp too in the deep profile), and stateful along the spec's links (a rule added, then read
and removed; a company created, then its clock, its calls and its removal; an outcome queued,
then the queue). Every built-in check runs and none of the project's custom checks (those
concern the documented API). The spec is read from the file.

Adjusted, not excluded:
- `POST /reset` may ask for a month of 600 calls a day or a year of 50 (its schema's bound: a
  few seconds to seed, and every company created after it too), which over this run's examples
  would add minutes: its `historyDays` and `callsPerDay` are capped to a small history when
  they are within the schema's bounds (out-of-bounds values, which must be refused, go as
  generated). `make contract-plain` runs the control API without it.
- Every request carries the control client's header (`X-Tele2-Ats-Mock`): without it, the
  operations that change the mock without a JSON body answer the guard's documented 403.

The relations between a body's fields (one action per fault rule, a transcript needs a
recording, no `frozen` on a company's clock) are the schema's own (`anyOf`, `not`), so every
check runs unchanged on every operation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import schemathesis
from schemathesis.checks import CHECKS, CheckFunction
from schemathesis.generation.stateful.state_machine import APIStateMachine, StepInput, StepOutput

from contract_tests.mock.test_stateful import Observed, run_scenarios
from contract_tests.settings import ROOT, Profile, profile
from mock_server.http.app import AppKind, create_app
from mock_server.testing.control import CONTROL_HEADER
from tests.pinned import pinned_config
from tests.spec_utils import load_spec

PROFILE = profile()
ADMIN_SPEC: Final = ROOT / "openapi" / "mock-admin.yaml"
# Port 9 ("discard") on loopback: the requests go to the app in-process, never to a socket.
BASE_URL: Final = "http://127.0.0.1:9/mock"
SMALL_HISTORY: Final = {"historyDays": 2, "callsPerDay": 10}
SCHEMA_MAXIMUM: Final = {
    name: field["maximum"]
    for name, field in load_spec(ADMIN_SPEC)["components"]["schemas"]["ResetRequest"][
        "properties"
    ].items()
    if name in SMALL_HISTORY
}
BUILT_IN_CHECKS: Final[list[CheckFunction]] = [
    check  # type: ignore[misc]
    for check in CHECKS.get_all()
    if check.__module__.startswith("schemathesis.")
]
# The links the stateful scenarios must have gone down (to a 2xx) between them.
MIN_LINKS_FOLLOWED: Final = 4


def _config() -> dict[str, Any]:
    config: dict[str, Any] = {
        "base-url": BASE_URL,
        # The header of the control client: without it, an operation that changes the mock and
        # has no JSON body (a DELETE, a POST without its optional body) answers only the guard's
        # 403 (documented), and nothing past it would be fuzzed.
        "headers": {CONTROL_HEADER: "1"},
        "generation": {"mode": "all", "max-examples": PROFILE.inprocess_examples},
        # The spec's own links, not inferred ones.
        "phases": {"stateful": {"inference": {"algorithms": []}}},
    }
    if PROFILE.seed is not None:
        config["seed"] = PROFILE.seed
    return config


def _schema(kind: AppKind) -> schemathesis.BaseSchema:
    app = create_app(kind=kind, config=pinned_config(seed=1, history_days=2, calls_per_day=10))
    schema = schemathesis.openapi.from_path(
        ADMIN_SPEC, config=schemathesis.Config.from_dict(_config())
    )
    schema.app = app

    @schema.hook("map_body")
    def small_reset(context: schemathesis.HookContext, body: Any) -> Any:
        """A reset's history capped (see the module's docstring)."""
        operation = context.operation
        if operation is None or operation.label != "POST /reset" or not isinstance(body, dict):
            return body
        for name, cap in SMALL_HISTORY.items():
            value = body.get(name)
            if isinstance(value, int) and cap < value <= SCHEMA_MAXIMUM[name]:
                body = {**body, name: cap}
        return body

    return schema


def _stateless_test(kind: AppKind) -> Callable[..., None]:
    schema = _schema(kind)

    @schema.parametrize()
    def test(case: schemathesis.Case[Any]) -> None:
        case.call_and_validate(checks=BUILT_IN_CHECKS)

    test.__name__ = f"test_control_api_{kind}"
    built: Callable[..., None] = test
    return built


# The default profile fuzzes the app class the CLI serves (AsyncApp), which keeps `make contract`
# about a minute shorter; the deep profile fuzzes both (tests/api runs both on every change).
APP_KINDS: Final = PROFILE.app_kinds if PROFILE.name != "default" else ("async",)
for _kind in APP_KINDS:
    globals()[f"test_control_api_{_kind}"] = _stateless_test(_kind)  # type: ignore[arg-type]


def _machine(schema: schemathesis.BaseSchema, observed: Observed) -> type[APIStateMachine]:
    base = schema.as_state_machine()

    class ControlStateMachine(base):  # type: ignore[valid-type, misc]
        def setup(self) -> None:
            observed.scenarios += 1

        def step(self, input: StepInput) -> StepOutput:
            output: StepOutput = super().step(input)
            name = (
                input.transition.id if input.transition is not None else input.case.operation.label
            )
            observed.transitions[(name, output.response.status_code)] += 1
            return output

        def validate_response(
            self, response: schemathesis.Response, case: schemathesis.Case[Any], **kwargs: Any
        ) -> None:
            case.validate_response(
                response,
                checks=BUILT_IN_CHECKS,
                transport_kwargs=kwargs or None,
                recorder=self.recorder,
            )

    return ControlStateMachine


def test_control_api_stateful() -> None:
    observed = Observed()
    contract_profile: Profile = PROFILE
    run_scenarios(_machine(_schema("async"), observed), observed, contract_profile)
    followed = {
        name
        for (name, status), _ in observed.transitions.items()
        if " -> " in name and 200 <= status < 300
    }
    assert len(followed) >= MIN_LINKS_FOLLOWED, f"only these links were followed: {followed}"
