"""Every operation, fuzzed in-process against the app (both app classes), with every check."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import schemathesis
from starlette.testclient import TestClient

from contract_tests.mock.harness import Target, tally
from contract_tests.mockctl import MockControl
from contract_tests.settings import profile
from mock_server.http.app import APP_KINDS, AppKind, create_app
from tests.pinned import pinned_config

PROFILE = profile()


def _inprocess_test(kind: AppKind) -> Callable[..., None]:
    # Built at import: `parametrize` copies the app into the schema it makes for each operation.
    app = create_app(
        kind=kind,
        config=pinned_config(
            seed=1, history_days=PROFILE.history_days, calls_per_day=PROFILE.calls_per_day
        ),
    )
    target = Target.create(PROFILE, examples=PROFILE.inprocess_examples, app=app)
    target.bind(MockControl(TestClient(app)))

    @target.schema.parametrize()
    def test(case: schemathesis.Case[Any]) -> None:
        tally(case, case.call_and_validate())

    test.__name__ = f"test_inprocess_{kind}"
    built: Callable[..., None] = test
    return built


for _kind in APP_KINDS:
    if _kind in PROFILE.app_kinds:
        globals()[f"test_inprocess_{_kind}"] = _inprocess_test(_kind)
