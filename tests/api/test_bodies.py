"""The two body middlewares (mock_server/http/bodies.py), on tiny specs and on the real one."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from mock_server.http.bodies import (
    AcceptAnyContentType,
    NoContentTypeOnEmptyBody,
    lenient_operations,
)
from mock_server.http.errors import API_PREFIX
from mock_server.spec_index import SpecIndex
from tests.spec_utils import SPEC_PATH


def test_the_spec_lists_post_blacklist_as_taking_any_content_type() -> None:
    assert lenient_operations(SpecIndex.load(SPEC_PATH), API_PREFIX) == {
        ("POST", "/crm/openapi/blacklist"): b"text/plain"
    }


def _spec(path: str) -> SpecIndex:
    operation = {
        "operationId": "upload",
        "x-accepted-content-types": ["*/*"],
        "requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}}},
        "responses": {"200": {"description": "ok"}},
    }
    get = {"operationId": "download", "responses": {}}
    return SpecIndex({"paths": {path: {"put": operation, "get": get}}})


def test_lenient_operations_map_the_documented_type() -> None:
    assert lenient_operations(_spec("/upload"), "/api") == {("PUT", "/api/upload"): b"text/csv"}


def test_lenient_operations_refuse_a_templated_path() -> None:
    with pytest.raises(ValueError, match="templated"):
        lenient_operations(_spec("/upload/{id}"), "/api")


async def _echo(request: Request) -> Response:
    body = await request.body()
    return PlainTextResponse(f"{request.headers.get('content-type')}|{body.decode()}")


async def _empty(request: Request) -> Response:
    return Response(status_code=200, media_type="application/json")


APP = Starlette(
    routes=[Route("/api/upload", _echo, methods=["PUT", "POST"]), Route("/empty", _empty)]
)


@pytest.mark.parametrize("sent", [None, "html/text", "application/xml", "text/csv; charset=utf-8"])
def test_any_content_type_reaches_the_app_as_the_documented_one(sent: str | None) -> None:
    app = AcceptAnyContentType(APP, {("PUT", "/api/upload"): b"text/csv"})
    headers = {} if sent is None else {"Content-Type": sent}
    with TestClient(app) as client:
        assert client.put("/api/upload", content=b"1,2", headers=headers).text == "text/csv|1,2"
        # Another method of the same path is left as it came.
        other = client.post("/api/upload", content=b"x", headers={"Content-Type": "text/plain"})
        assert other.text == "text/plain|x"


def test_an_empty_answer_carries_no_content_type() -> None:
    with TestClient(NoContentTypeOnEmptyBody(APP)) as client:
        empty = client.get("/empty")
        assert empty.status_code == 200
        assert "content-type" not in empty.headers
        full = client.put("/api/upload", content=b"x", headers={"Content-Type": "text/csv"})
        assert full.headers["content-type"].startswith("text/plain")
