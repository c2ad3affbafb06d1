"""The documented API's operations by method and path, read from the spec once.

The request recorder must know a request's operation before Connexion routes it (a fault rule
matches by operationId and acts before the request goes in), and which query parameters the
operation declares (the unknown-parameter advisory).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = ["ApiRoute", "ApiRoutes"]

_HTTP_METHODS = frozenset({"get", "put", "post", "delete", "patch", "head", "options", "trace"})


@dataclass(frozen=True, slots=True)
class ApiRoute:
    operation_id: str
    query: frozenset[str]  # the query parameters the operation declares


class ApiRoutes:
    """`match(method, path)`: the operation at a path under the API's base path, if any.

    Paths without a template are a dictionary lookup; the few with one (`/managers/{id}`) are
    tried as patterns. A trailing slash is ignored (real clients send one), HEAD is GET.
    """

    def __init__(self, spec: dict[str, Any]) -> None:
        self._exact: dict[tuple[str, str], ApiRoute] = {}
        self._templated: list[tuple[str, re.Pattern[str], ApiRoute]] = []
        for template, item in spec["paths"].items():
            shared = item.get("parameters", [])
            for method, operation in item.items():
                if method not in _HTTP_METHODS:
                    continue
                parameters = [*shared, *operation.get("parameters", [])]
                query = frozenset(
                    resolved["name"]
                    for resolved in (_resolve(spec, p) for p in parameters)
                    if resolved.get("in") == "query"
                )
                route = ApiRoute(operation["operationId"], query)
                if "{" in template:
                    pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))
                    self._templated.append((method.upper(), re.compile(pattern), route))
                else:
                    self._exact[(method.upper(), template)] = route

    @property
    def operation_ids(self) -> tuple[str, ...]:
        """Every operationId, sorted."""
        routes = [*self._exact.values(), *(route for _, _, route in self._templated)]
        return tuple(sorted({route.operation_id for route in routes}))

    @classmethod
    def from_file(cls, path: Path) -> ApiRoutes:
        with path.open(encoding="utf-8") as file:
            return cls(yaml.safe_load(file))

    def match(self, method: str, path: str) -> ApiRoute | None:
        if method == "HEAD":
            method = "GET"
        path = path.rstrip("/") or "/"
        route = self._exact.get((method, path))
        if route is not None:
            return route
        for route_method, pattern, templated in self._templated:
            if route_method == method and pattern.fullmatch(path):
                return templated
        return None


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """A `$ref` within the spec, followed."""
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node
