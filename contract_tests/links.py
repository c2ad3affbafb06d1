"""The spec's OpenAPI links, read and followed independently of Schemathesis.

Schemathesis follows the links at random in the stateful tests; `mock/test_links.py` follows
each one on purpose, from a real answer, with this small evaluator of the runtime expressions
the spec uses (`$response.body#/json-pointer`, `$request.body`, `$request.query.NAME`,
`$request.path.NAME`, `$request.header.NAME`, and constants). A link whose expression names
nothing in the answer is an error here, not a silent skip.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Final

import schemathesis
import yaml

from contract_tests.settings import SPEC_PATH

__all__ = ["NO_BODY", "Link", "LinkError", "evaluate", "follow", "spec_links"]

NO_BODY: Final = object()
_METHODS: Final = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


class LinkError(Exception):
    """A link that cannot be followed from this answer."""


@dataclass(frozen=True)
class Link:
    name: str
    source: str  # "GET /managers"
    status: str
    target: str  # the target's operationId
    parameters: Mapping[str, Any] = field(default_factory=dict)
    request_body: Any = NO_BODY


def _resolve(spec: Mapping[str, Any], node: Any) -> Any:
    while isinstance(node, Mapping) and "$ref" in node:
        path = str(node["$ref"]).removeprefix("#/").split("/")
        target: Any = spec
        for part in path:
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


@cache
def _spec() -> dict[str, Any]:
    with SPEC_PATH.open(encoding="utf-8") as file:
        loaded: dict[str, Any] = yaml.safe_load(file)
    return loaded


def spec_links() -> list[Link]:
    """Every link of every response of the spec, `$ref`s resolved."""
    spec = _spec()
    links: list[Link] = []
    for path, item in spec["paths"].items():
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            for status, response in operation.get("responses", {}).items():
                for name, link in (_resolve(spec, response).get("links") or {}).items():
                    link = _resolve(spec, link)
                    links.append(
                        Link(
                            name=name,
                            source=f"{method.upper()} {path}",
                            status=str(status),
                            target=link["operationId"],
                            parameters=dict(link.get("parameters") or {}),
                            request_body=link.get("requestBody", NO_BODY),
                        )
                    )
    return links


def operation_of(operation_id: str) -> tuple[str, str, list[dict[str, Any]]]:
    """(METHOD, path, parameters) of the operation with this operationId."""
    spec = _spec()
    for path, item in spec["paths"].items():
        shared = [_resolve(spec, p) for p in item.get("parameters", [])]
        for method in _METHODS:
            operation = item.get(method)
            if operation is not None and operation.get("operationId") == operation_id:
                own = [_resolve(spec, p) for p in operation.get("parameters", [])]
                return method.upper(), path, shared + own
    raise LinkError(f"no operation {operation_id!r}")


def _pointer(document: Any, pointer: str) -> Any:
    """RFC 6901."""
    if pointer == "":
        return document
    if not pointer.startswith("/"):
        raise LinkError(f"not a JSON pointer: {pointer!r}")
    target = document
    for raw in pointer[1:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(target, list):
            if not token.isdigit() or int(token) >= len(target):
                raise LinkError(f"{pointer!r}: no item {token!r} in a list of {len(target)}")
            target = target[int(token)]
        elif isinstance(target, dict):
            if token not in target:
                raise LinkError(f"{pointer!r}: no member {token!r}")
            target = target[token]
        else:
            raise LinkError(f"{pointer!r}: {token!r} inside a {type(target).__name__}")
    return target


def evaluate(expression: Any, case: schemathesis.Case[Any], response: schemathesis.Response) -> Any:
    """The value of a link parameter or body for this request and its answer."""
    if not isinstance(expression, str) or not expression.startswith("$"):
        return expression  # a constant
    if expression.startswith("$response.body"):
        rest = expression.removeprefix("$response.body")
        document = json.loads(response.content) if response.content else None
        return _pointer(document, rest.removeprefix("#")) if rest else document
    if expression == "$request.body":
        return case.body
    for prefix, container in (
        ("$request.query.", case.query),
        ("$request.path.", case.path_parameters),
        ("$request.header.", case.headers),
    ):
        if expression.startswith(prefix):
            name = expression.removeprefix(prefix)
            if not container or name not in container:
                raise LinkError(f"{expression}: the request has no {name!r}")
            return container[name]
    raise LinkError(f"unsupported runtime expression {expression!r}")


def follow(
    link: Link,
    case: schemathesis.Case[Any],
    response: schemathesis.Response,
    schema: schemathesis.BaseSchema,
    headers: Mapping[str, str] | None = None,
) -> schemathesis.Case[Any]:
    """The request `link` makes of this answer (parameters placed where the target takes them)."""
    method, path, parameters = operation_of(link.target)
    locations = {p["name"]: p["in"] for p in parameters}
    query: dict[str, Any] = {}
    path_parameters: dict[str, Any] = {}
    link_headers: dict[str, Any] = dict(headers or {})
    for name, expression in link.parameters.items():
        value = evaluate(expression, case, response)
        where = locations.get(name)
        if where == "query":
            query[name] = value
        elif where == "path":
            path_parameters[name] = value
        elif where == "header":
            link_headers[name] = value
        else:
            raise LinkError(f"{link.name}: {link.target} has no parameter {name!r}")
    kwargs: dict[str, Any] = {}
    if link.request_body is not NO_BODY:
        kwargs["body"] = evaluate(link.request_body, case, response)
        kwargs["media_type"] = "application/json"
    return schema[path][method].Case(
        query=query, path_parameters=path_parameters, headers=link_headers, **kwargs
    )


def links_from(source: str, status: int = 200) -> Iterator[Link]:
    for link in spec_links():
        if link.source == source and link.status == str(status):
            yield link
