"""The app is built from the spec, every operation has a handler, framework errors look real."""

from __future__ import annotations

import inspect

import pytest
from starlette.testclient import TestClient

from mock_server.domain.pbx import Pbx
from mock_server.http.admin import CONTROL_HANDLER_CLASSES
from mock_server.http.app import create_app, handler_name
from mock_server.http.handlers import ApiHandlers
from tests.conftest import Api
from tests.spec_utils import ROOT, load_spec

HTTP_METHODS = {"get", "put", "post", "delete", "patch"}


@pytest.mark.parametrize(
    ("spec_file", "handlers"),
    [("tele2-ats.yaml", (ApiHandlers,)), ("mock-admin.yaml", CONTROL_HANDLER_CLASSES)],
)
def test_every_operation_has_a_handler(spec_file: str, handlers: tuple[type, ...]) -> None:
    spec = load_spec(ROOT / "openapi" / spec_file)
    operation_ids = [
        op["operationId"]
        for item in spec["paths"].values()
        for method, op in item.items()
        if method in HTTP_METHODS
    ]
    public = {
        name
        for owner in handlers
        for name, member in inspect.getmembers(owner, inspect.isfunction)
        if not name.startswith("_")
    }
    assert {handler_name(o) for o in operation_ids} == public


def test_app_builds_from_the_spec_with_both_app_classes(pbx: Pbx) -> None:
    for kind in ("async", "flask"):
        app = create_app(pbx, kind=kind)
        with TestClient(app) as client:
            assert client.get("/mock/health").json()["status"] == "ok"


def test_swagger_ui_is_served(client: TestClient) -> None:
    response = client.get("/crm/openapi/ui/")
    assert response.status_code == 200, response.text
    assert "swagger-ui" in response.text.lower()
    spec = client.get("/crm/openapi/openapi.json").json()
    assert spec["info"]["title"].startswith("Tele2")


def test_unknown_path_is_404_spring_body(api: Api) -> None:
    response = api.get("/no/such/operation")
    assert response.status_code == 404
    body = response.json()
    assert body["status"] == 404
    assert body["error"] == "Not Found"
    assert body["path"] == "/crm/openapi/no/such/operation"
    assert "/crm/openapi/ui/" in body["message"]


def test_wrong_method_is_405_with_allow(api: Api) -> None:
    response = api.request("PATCH", "/employees")
    assert response.status_code == 405, response.text
    assert "GET" in response.headers["allow"]
    assert response.json()["message"].startswith("Method PATCH is not allowed")


@pytest.mark.parametrize("path", ["/employees/", "/managers/26/", "/blacklist/"])
def test_trailing_slash_is_tolerated(api: Api, path: str) -> None:
    response = api.get(path)
    assert response.status_code == 200, f"{path}: {response.status_code} {response.text}"
    without = api.get(path.rstrip("/"))
    assert without.status_code == 200, without.text
    assert response.content == without.content
    assert response.json(), "an answer with something in it to compare"


def test_control_api_errors_are_problem_json(client: TestClient) -> None:
    response = client.post("/mock/clock/advance", json={"seconds": -5})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400
    assert "seconds" in problem["detail"]


def test_a_bug_of_the_mock_is_a_500_in_each_apis_own_shape_with_its_cause_logged(
    api: Api,
    client: TestClient,
    pbx: Pbx,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An exception no rule expects answers as the real Spring service answers a bug (and as
    the control API answers every error), not in Connexion's own problem shape; the log names
    the request and holds the traceback."""

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("a bug planted by the test")

    monkeypatch.setattr(pbx.employees, "list", broken)
    monkeypatch.setattr(pbx, "advance_clock", broken)
    with caplog.at_level("ERROR", logger="mock_server.http.errors"):
        response = api.get("/employees")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert (body["status"], body["error"], body["path"]) == (
        500,
        "Internal Server Error",
        "/crm/openapi/employees",
    )
    assert body["message"] == "Internal error of the mock"
    logged = [r for r in caplog.records if r.name == "mock_server.http.errors"]
    assert logged
    assert "GET /crm/openapi/employees" in logged[0].getMessage()
    assert logged[0].exc_info is not None
    control = client.post("/mock/clock/advance", json={"seconds": 5})
    assert control.status_code == 500
    assert control.headers["content-type"] == "application/problem+json"
    assert control.json()["detail"] == "Internal error of the mock"
