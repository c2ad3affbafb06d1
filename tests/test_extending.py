"""docs/extending.md kept true: an operation added to a copy of the spec is served, routed,
recorded, faulted, advised, benchmarked and guarded with no edit anywhere but the spec and its
handler (the recipe's first two steps), because every list of operations is derived from it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from starlette.testclient import TestClient

from contract_tests.checks import spec_index
from mock_server.domain.pbx import Pbx
from mock_server.http.app import create_app
from mock_server.http.security import TOKEN_INFO_PRINCIPAL
from mock_server.real.config import RealConfig
from mock_server.real.guard import Policy, RequestRefused
from mock_server.spec_index import SpecIndex
from tests.conftest import CONTROL, SMALL_HISTORY, issue
from tests.file_modules import load_file_module
from tests.pinned import pinned_config
from tests.spec_utils import ROOT, SPEC_PATH

# scripts/ is a folder of scripts, not a package.
bench = load_file_module(ROOT / "scripts" / "bench.py")

ERRORS = {
    "400": {"$ref": "#/components/responses/BadRequest"},
    "403": {"$ref": "#/components/responses/TokenRejected"},
    "405": {"$ref": "#/components/responses/MethodNotAllowed"},
}
THROWAWAY: dict[str, Any] = {
    "parameters": [
        {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}},
    ],
    "get": {
        "tags": ["Managers"],
        "operationId": "getThrowaway",
        "summary": "A throwaway read (tests/test_extending.py)",
        "parameters": [
            {"name": "size", "in": "query", "schema": {"type": "integer", "maximum": 100000}},
        ],
        "x-mock-tenant": {"answer": "object"},
        "x-mock-bench": {"name": "throwaway", "parameters": {"id": "{manager}", "size": 3}},
        "x-mock-advisories": {"PAGE_SIZE_ABOVE_MAX": ["size"]},
        "responses": {
            "200": {
                "description": "The thing",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["id", "company"],
                            "properties": {
                                "id": {"type": "integer"},
                                "company": {"type": "integer"},
                            },
                        }
                    }
                },
            },
            **ERRORS,
        },
    },
    "post": {
        "tags": ["Managers"],
        "operationId": "resetThrowaway",
        "summary": "A throwaway write",
        "x-mock-write": "managers",
        "responses": {"200": {"description": "Done"}, **ERRORS},
    },
}


class ThrowawayHandlers:
    """The recipe's step 2: one method per operationId (`handler_name`), HTTP <-> domain."""

    def get_throwaway(self, id_: int, token_info: dict[str, Any], size: int = 0) -> Any:
        return {"id": id_, "company": token_info[TOKEN_INFO_PRINCIPAL].company_id}

    def reset_throwaway(self, id_: int, token_info: dict[str, Any]) -> Any:
        return None


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the spec with the throwaway operations: the recipe's step 1."""
    document = copy.deepcopy(yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8")))
    assert "/throwaway/{id}" not in document["paths"]
    document["paths"]["/throwaway/{id}"] = THROWAWAY
    path = tmp_path_factory.mktemp("spec") / "tele2-ats.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def client(spec: Path) -> Iterator[TestClient]:
    pbx = Pbx(pinned_config(**SMALL_HISTORY))
    app = create_app(
        pbx, kind="async", validate_responses=True, api_spec=spec, handlers=[ThrowawayHandlers()]
    )
    with TestClient(app, raise_server_exceptions=False, headers=CONTROL) as test_client:
        yield test_client
    pbx.close()


def test_the_mock_serves_a_new_operation_from_the_spec_and_its_handler(client: TestClient) -> None:
    tokens = issue(client)
    token = {"Authorization": tokens["accessToken"]}
    answer = client.get("/crm/openapi/throwaway/7", headers=token)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"id": 7, "company": tokens["companyId"]}
    # Validated and secured as the spec says, in the documented API's error shape.
    assert client.get("/crm/openapi/throwaway/7?size=ten", headers=token).status_code == 400
    refused = client.get("/crm/openapi/throwaway/7")
    assert refused.status_code == 403
    assert set(refused.json()) == {"timestamp", "status", "error", "message", "path"}
    # Every method declared at the path, in Allow.
    wrong = client.delete("/crm/openapi/throwaway/7", headers=token)
    assert wrong.status_code == 405
    assert wrong.headers["allow"] == "GET, HEAD, POST"


def test_the_control_api_knows_a_new_operation(client: TestClient) -> None:
    token = {"Authorization": issue(client)["accessToken"]}
    # Fault rules name it (ApiOperationId is the served spec's operationIds).
    rule = client.post("/mock/faults", json={"operationId": "getThrowaway", "status": 503})
    assert rule.status_code == 201, rule.text
    assert client.get("/crm/openapi/throwaway/7", headers=token).status_code == 503
    client.delete(f"/mock/faults/{rule.json()['id']}")
    # The request journal names it, and its x-mock-advisories are detected on its requests.
    assert client.get("/crm/openapi/throwaway/7?size=5000", headers=token).status_code == 200
    found = client.get("/mock/requests", params={"operationId": "getThrowaway", "limit": 1})
    assert found.status_code == 200, found.text
    [entry] = found.json()["requests"]
    assert (entry["operationId"], entry["status"]) == ("getThrowaway", 200)
    assert [advisory["code"] for advisory in entry["advisories"]] == ["PAGE_SIZE_ABOVE_MAX"]


def test_the_benchmark_the_real_guard_and_the_contract_checks_pick_it_up(spec: Path) -> None:
    index = SpecIndex.load(spec)
    fixtures = bench.Fixtures(datetime(2026, 3, 4, tzinfo=UTC), 26, "a.mp3", [])
    [read] = [w for w in bench.read_workloads(fixtures, spec) if w.key == "throwaway"]
    assert (read.title, read.path) == ("GET /throwaway/{id}", "/throwaway/26?size=3")

    def policy(**env: str) -> Policy:
        base = {"TELE2_ATS_BASE_URL": "https://ats.example/crm/openapi"}
        return Policy(RealConfig.from_env({**base, **env}), api=index)

    url = "https://ats.example/crm/openapi/throwaway/7"
    with pytest.raises(RequestRefused, match="read-only"):
        policy().check("POST", url)
    policy(TELE2_ATS_ALLOW_WRITES="1").check("POST", url)
    policy().check("GET", url)

    tenancy = spec_index(index.document).declared("GET", "/throwaway/{id}")
    assert tenancy is not None
    assert tenancy.traits.tenant is not None
    assert tenancy.traits.tenant.answer == "object"
