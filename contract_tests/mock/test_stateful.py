"""Stateful sequences along the spec's OpenAPI links, in-process and over HTTP.

The links (openapi/tele2-ats.yaml, components/links) chain: POST /managers -> GET /managers ->
GET / PUT / DELETE the first manager listed; POST /blacklist -> GET /blacklist and DELETE of
the number just added; GET /employees -> click-to-call from the first employee -> GET
/monitoring/calls and the caller's journal; GET /call-records/info -> the first record's
recording and transcript. Every step is checked with every check.

POST /managers answers no id (D6, D7), so "the manager just created" is the first one listed:
each scenario starts from a company whose managers were all deleted, in a company of its own
(created through the control API), so no other test's data is touched. Generated manager
bodies name, about half the time, one of that company's employees (a random `employeeId`
is nearly always unknown, 404), so creating succeeds often enough to follow the links.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, ClassVar, Final

import httpx
import hypothesis
import pytest
import schemathesis
from hypothesis.stateful import Bundle, rule
from schemathesis.generation.meta import TestPhase
from schemathesis.generation.stateful.state_machine import APIStateMachine, StepInput, StepOutput
from starlette.testclient import TestClient

from contract_tests.auth import binding_of
from contract_tests.checks import send
from contract_tests.mock.harness import Target
from contract_tests.mockctl import MockControl
from contract_tests.settings import API_BASE_PATH, Profile, profile
from mock_server.http.app import create_app
from tests.mock_process import MockProcess
from tests.pinned import pinned_config

PROFILE = profile()
# A company of the stateful tests only (the control API seeds it on first use).
STATEFUL_COMPANY: Final = 4391
ALL_TIME: Final = ("2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z")


@dataclass
class Observed:
    """What the scenarios did: transitions followed and their statuses."""

    transitions: Counter[tuple[str, int]] = field(default_factory=Counter)
    employees: list[int] = field(default_factory=list)
    scenarios: int = 0
    # Every exception a step raised (a failed check, a request that could not be sent), in
    # the order they happened, and how many suites ended in a generation flake.
    failures: list[BaseException] = field(default_factory=list)
    flakes: int = 0

    def followed(self, fragment: str, status: int = 200) -> int:
        return sum(
            n for (name, got), n in self.transitions.items() if fragment in name and got == status
        )


def _api(control: MockControl, method: str, path: str, token: str) -> Any:
    response = control.client.request(
        method, API_BASE_PATH + path, headers={"Authorization": token}
    )
    assert response.status_code == 200, f"{method} {path}: {response.status_code} {response.text}"
    return response.json() if response.content else None


def make_machine(target: Target, observed: Observed) -> type[APIStateMachine]:
    base = target.schema.as_state_machine()
    create = (
        target.schema["/managers"]["POST"]
        .as_strategy(phase=TestPhase.STATEFUL)
        .map(StepInput.initial)
    )

    class ContractStateMachine(base):  # type: ignore[valid-type, misc]
        observations: ClassVar[Observed] = observed

        # Schemathesis starts scenarios only from operations its dependency graph finds "likely
        # to succeed"; it reads `companyId` and `clientId` of a manager body as references to
        # resources nothing produces and so never starts with POST /managers. This rule does,
        # so the links POST /managers -> GET /managers -> GET/PUT/DELETE are followed.
        @rule(target=Bundle("catch_all"), input=create)
        def create_a_manager(self, input: StepInput) -> StepOutput | None:
            self.recorder.record_case(case=input.case)
            output: StepOutput | None = self._step(input)
            return output

        def setup(self) -> None:
            self.observations.scenarios += 1
            # Every scenario starts with no managers: the first one listed is one it created.
            control = target.control
            assert control is not None
            token = target.binding.access_token()
            for manager in _api(control, "GET", "/managers", token):
                _api(control, "DELETE", f"/managers/{manager['id']}", token)

        def step(self, input: StepInput) -> StepOutput:
            output: StepOutput = super().step(input)
            name = (
                input.transition.id if input.transition is not None else input.case.operation.label
            )
            self.observations.transitions[(name, output.response.status_code)] += 1
            return output

        def call(self, case: schemathesis.Case[Any], **kwargs: Any) -> schemathesis.Response:
            # As `call_and_validate` does for the other tests: a refused token is renewed
            # through the auth provider's binding and the request replayed once.
            try:
                response = send(case)
                binding = binding_of(case)
                if response.status_code == 403 and binding is not None:
                    binding.recover()
                    binding.freshen(case)
                    response = send(case)
            except Exception as exc:
                self.observations.failures.append(exc)
                raise
            return response

        def validate_response(
            self,
            response: schemathesis.Response,
            case: schemathesis.Case[Any],
            additional_checks: list[Any] | None = None,
            **kwargs: Any,
        ) -> None:
            try:
                super().validate_response(response, case, additional_checks, **kwargs)
            except Exception as exc:
                self.observations.failures.append(exc)
                raise

    return ContractStateMachine


def _chance(value: object, in_four: int) -> bool:
    """A deterministic coin, true `in_four` times in four: a value always falls the same way."""
    return hashlib.sha256(repr(value).encode()).digest()[0] % 4 < in_four


def steer_generation(target: Target, observed: Observed) -> None:
    """Steer some generated requests to data that exists in the scenario's company.

    - Half of the manager bodies name one of its employees (a random `employeeId` is nearly
      always 404).
    - Three journal queries in four cover its whole history (first page, any callee) and ask
      for recorded calls only, so the first record's `recordFileName` is not empty and the
      links to the recording and the transcript reach real files (a random window or page
      rarely holds a call, and most first records are not recorded).
    """

    @target.schema.hook("map_query")
    def recorded_history(context: schemathesis.HookContext, query: Any) -> Any:
        operation = context.operation
        if (
            operation is None
            or operation.path != "/call-records/info"
            or not isinstance(query, dict)
        ):
            return query
        if not _chance(sorted(query.items(), key=str), 3):
            return query
        steered = {k: v for k, v in query.items() if k != "callee"}
        return {**steered, "start": ALL_TIME[0], "end": ALL_TIME[1], "is_recorded": True, "page": 0}

    @target.schema.hook("map_body")
    def existing_employee(context: schemathesis.HookContext, body: Any) -> Any:
        operation = context.operation
        if operation is None or operation.path != "/managers" or not isinstance(body, dict):
            return body
        if not observed.employees or not isinstance(body.get("employeeId"), int):
            return body
        employee_id = body["employeeId"]
        if not _chance(employee_id, 2):
            return body
        return {**body, "employeeId": observed.employees[employee_id % len(observed.employees)]}


def _bind(target: Target, control: MockControl, observed: Observed) -> None:
    target.bind(control, company_id=STATEFUL_COMPANY)
    token = target.binding.access_token()
    observed.employees[:] = [e["employeeId"] for e in _api(control, "GET", "/employees", token)]


def _is_generation_flake(exc: BaseException) -> bool:
    """Hypothesis noticed the mock answered differently than in an earlier scenario (its own
    consistency check of the choices it replays, raised from its data tree)."""
    if isinstance(exc, hypothesis.errors.FlakyStrategyDefinition):
        return True
    frame = exc.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    return (
        isinstance(exc, AssertionError)
        and frame is not None
        and frame.tb_frame.f_globals.get("__name__") == "hypothesis.internal.conjecture.datatree"
    )


def run_scenarios(
    machine: type[APIStateMachine], observed: Observed, contract_profile: Profile
) -> None:
    """Run `stateful_examples` scenarios, as Schemathesis's own stateful phase runs them.

    Generate only: shrinking and the example database replay a scenario against a mock whose
    state has moved on since. Hypothesis also notices when the same choices meet different
    answers (links read responses) and stops with FlakyStrategyDefinition; like Schemathesis's
    engine, that ends a suite, not the test: the next suite continues with fresh choices
    (so scenarios are not derandomized: a repeated suite would meet the same flake).
    A failing check is never swallowed: every step's failure is recorded as it happens, and a
    suite that ends in a flake after one re-raises it (`raise_unless_generation_flake`);
    FlakyFailure, a check failure that did not reproduce, propagates too.
    """
    target = contract_profile.stateful_examples
    for _suite in range(20):
        remaining = target - observed.scenarios
        if remaining <= 0:
            return
        settings = hypothesis.settings(
            phases=[hypothesis.Phase.generate],
            max_examples=remaining,
            stateful_step_count=contract_profile.stateful_steps,
            deadline=None,
            # Hypothesis's health checks (data size, filtering, speed), not Schemathesis's
            # checks: off, as in Schemathesis's own DEFAULT_STATE_MACHINE_SETTINGS, since a
            # scenario's requests are slow and its data come from the answers.
            suppress_health_check=list(hypothesis.HealthCheck),
            database=None,
        )
        try:
            machine.run(settings=settings)
            return
        except Exception as exc:
            raise_unless_generation_flake(exc, observed)
    pytest.fail(f"only {observed.scenarios} of {target} scenarios ran in 20 suites")


def raise_unless_generation_flake(exc: BaseException, observed: Observed) -> None:
    """Raise `exc`, unless it is proven to be a generation flake and nothing else.

    Proven: Hypothesis raised it from its own consistency check of replayed choices, and no
    step of the suite it ended failed (no check failed, every request was sent). Otherwise the
    first step failure is raised, with `exc` as its context: a flake raised while Hypothesis
    replays a failing scenario must not hide the failure it was replaying.
    """
    if observed.failures:
        first = observed.failures[0]
        observed.failures.clear()
        if first is exc:
            raise exc
        raise first from exc
    if not _is_generation_flake(exc):
        raise exc
    observed.flakes += 1


# Each scenario is random, so a given link may go unfollowed in a short run; the deterministic
# walk of every link is `test_links.py`. This guards against a run that followed (almost) none.
MIN_LINKS_FOLLOWED: Final = 6


def _assert_links_followed(observed: Observed) -> None:
    """The scenarios really went down the links (with a 2xx at the end), else they proved little."""
    followed = {
        name
        for (name, status), _ in observed.transitions.items()
        if " -> " in name and 200 <= status < 300
    }
    assert len(followed) >= MIN_LINKS_FOLLOWED, (
        f"only {len(followed)} links followed: {sorted(followed)}"
    )


INPROCESS_APP = create_app(
    config=pinned_config(
        seed=2, history_days=PROFILE.history_days, calls_per_day=PROFILE.calls_per_day
    )
)


@pytest.fixture
def inprocess_target() -> tuple[Target, Observed]:
    target = Target.create(PROFILE, examples=PROFILE.inprocess_examples, app=INPROCESS_APP)
    observed = Observed()
    _bind(target, MockControl(TestClient(INPROCESS_APP)), observed)
    steer_generation(target, observed)
    return target, observed


@pytest.fixture
def http_target(mock_process: MockProcess) -> tuple[Target, Observed]:
    target = Target.create(PROFILE, examples=PROFILE.http_examples)
    target.schema.config.update(base_url=mock_process.api_url)
    observed = Observed()
    control = MockControl(httpx.Client(base_url=mock_process.base_url, timeout=30.0))
    _bind(target, control, observed)
    steer_generation(target, observed)
    return target, observed


def test_stateful_inprocess(
    inprocess_target: tuple[Target, Observed], contract_profile: Profile
) -> None:
    target, observed = inprocess_target
    run_scenarios(make_machine(target, observed), observed, contract_profile)
    _assert_links_followed(observed)


def test_stateful_over_http(
    http_target: tuple[Target, Observed], contract_profile: Profile
) -> None:
    target, observed = http_target
    run_scenarios(make_machine(target, observed), observed, contract_profile)
    _assert_links_followed(observed)


def test_a_flake_never_hides_a_failed_step() -> None:
    observed = Observed()
    flake = hypothesis.errors.FlakyStrategyDefinition("inconsistent data generation")
    raise_unless_generation_flake(flake, observed)  # nothing failed: a flake, swallowed
    assert observed.flakes == 1
    failure = AssertionError("statistics differ from the journal")
    observed.failures.append(failure)
    with pytest.raises(AssertionError, match="statistics differ") as raised:
        raise_unless_generation_flake(flake, observed)
    assert raised.value.__cause__ is flake
    with pytest.raises(ValueError, match="not a flake"):
        raise_unless_generation_flake(ValueError("not a flake"), Observed())
