"""One reader of an OpenAPI document: its operations and what the mock knows of each.

Every part of the project that needs a fact the spec knows asks a `SpecIndex` instead of
walking the document itself: the app (routing before Connexion, the thread pool, the clock
handlers, the 405 `Allow`, the bodies read under any Content-Type), the request recorder and
the advisories, the console, the contract checks, the real-service guard, the benchmark, the
client generator and the tests. It holds, per operation: its id, method, path template and the
pattern of the paths it serves, tags, parameters (path-level and its own, `$ref`s followed),
request body and media types, responses, security, and the mock's traits, written on the
operation as `x-mock-*` extensions (OpenAPI tools ignore `x-` keys):

- `x-mock-thread-pool: true`: the handler runs in the AsyncApp's thread pool (its time grows
  with the data); every other handler runs on the event loop.
- `x-mock-moves-clock: true`: the handler moves a clock; with workers it runs under the
  store's write lock after reloading the shared settings.
- `x-mock-write: KIND`: the operation changes what the account holds, and how (`WRITE_KINDS`):
  what the real-service guard needs to keep a real account safe.
- `x-mock-tenant`: the answer is one company's (`Tenancy`): what the contract tests' tenant
  check expects of another company's token, and how it tells two companies' objects apart.
- `x-mock-bench`: the benchmark loads the operation as a read (`BenchRead`).
- `x-mock-advisories`: the fidelity advisories detected on the operation's requests, each with
  the query parameters it reads.
- `x-mock-domain-body: {maxBytes: N}`: the request body (a tenant file) reaches the handler as
  its bytes, at most N of them (413 beyond), neither parsed nor checked by the framework: the
  domain reads it as a stream and names every problem at once (http/compat_connexion.py,
  DOMAIN_BODIES).

An unknown `x-mock-*` key or a malformed trait is a `SpecError` when the index is built, so a
typo fails at start-up, not silently.

This module imports only the standard library (PyYAML when it loads a file), so that any layer
may use it, the domain included (ARCHITECTURE.md).

Example::

    index = SpecIndex.load(path)  # parsed once per file
    index["getCallRecords"].query  # frozenset({'start', 'end', 'caller', ...})
    index.match("GET", "/managers/26").operation_id  # 'getManager'
    [op.operation_id for op in index if op.traits.write == "blacklist"]
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

__all__ = [
    "HTTP_METHODS",
    "PATH_ITEM_METHODS",
    "TENANT_ANSWERS",
    "TRAITS",
    "WRITE_KINDS",
    "BenchRead",
    "Identity",
    "Operation",
    "Parameter",
    "SpecError",
    "SpecIndex",
    "Tenancy",
    "Traits",
    "path_pattern",
    "resolve",
]

# The methods an OpenAPI path item may hold, in the order an `Allow` header lists them.
HTTP_METHODS: Final = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE")
# The same as the path item's keys.
PATH_ITEM_METHODS: Final = tuple(method.lower() for method in HTTP_METHODS)

THREAD_POOL: Final = "x-mock-thread-pool"
MOVES_CLOCK: Final = "x-mock-moves-clock"
WRITE: Final = "x-mock-write"
TENANT: Final = "x-mock-tenant"
BENCH: Final = "x-mock-bench"
ADVISORIES: Final = "x-mock-advisories"
DOMAIN_BODY: Final = "x-mock-domain-body"
TRAITS: Final = (THREAD_POOL, MOVES_CLOCK, WRITE, TENANT, BENCH, ADVISORIES, DOMAIN_BODY)

# What a write changes, as the real-service guard weighs it.
WRITE_KINDS: Final = MappingProxyType(
    {
        "tokens": "renews the caller's token pair; the old pair is dead from then on",
        "managers": "creates, changes or deletes personal managers",
        "blacklist": "adds or removes one number of the blacklist",
        "blacklist-clear": "removes every number of the blacklist",
        "calls": "places a call: real phones ring",
    }
)
# What another company's token gets for the same request.
TENANT_ANSWERS: Final = MappingProxyType(
    {
        "object": "404: one object of the company (the request names it)",
        "list": "200 with its own objects, none of the company's",
        "statistics": "200 with figures of its own journal",
    }
)
_NAME: Final = re.compile(r"[a-z][a-z0-9_]*")
_CODE: Final = re.compile(r"[A-Z][A-Z0-9_]*")
_TEMPLATE_PARAMETER: Final = re.compile(r"\\\{[^/]+?\\\}")


class SpecError(ValueError):
    """The document cannot be indexed: a missing operationId, a `$ref` to nowhere, a
    malformed `x-mock-*` trait."""


def resolve(document: Mapping[str, Any], node: Any) -> Any:
    """`node`, or what its local `$ref` (`#/a/b`, possibly through several) names."""
    seen = 0
    while isinstance(node, Mapping) and "$ref" in node:
        reference = node["$ref"]
        if not isinstance(reference, str) or not reference.startswith("#/"):
            raise SpecError(f"only local references are read, got {reference!r}")
        seen += 1
        if seen > 64:
            raise SpecError(f"{reference}: a cycle of references")
        target: Any = document
        for part in reference[2:].split("/"):
            key = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, Mapping) or key not in target:
                raise SpecError(f"{reference}: no such element")
            target = target[key]
        node = target
    return node


def path_pattern(template: str) -> re.Pattern[str]:
    """The paths a path template serves: each `{name}` one segment or more of a segment."""
    return re.compile(_TEMPLATE_PARAMETER.sub("[^/]+", re.escape(template)))


@dataclass(frozen=True, slots=True)
class Parameter:
    """A parameter of an operation, `$ref` followed; `spec` is the parameter object."""

    name: str
    location: str  # "path", "query", "header" or "cookie"
    required: bool
    # Its schema, `$ref` followed (not the schema's own members).
    schema: Mapping[str, Any] = field(repr=False)
    spec: Mapping[str, Any] = field(repr=False)


@dataclass(frozen=True, slots=True)
class Identity:
    """What names one company's objects and no other's in an item of a list answer.

    `key`: fields that must all be set (not null, not empty); `any`: when given, at least one
    must be set too. A field is a name, or `a[]` (each element of the array `a`), or `a[].b`
    (the field `b` of each element): one identity per element.
    """

    name: str
    key: tuple[str, ...]
    any: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Tenancy:
    """`x-mock-tenant`: the answer is one company's. `answer` is one of TENANT_ANSWERS;
    `owner` the field of each object answered that names its company; `identities` for a
    list."""

    answer: str
    owner: str | None = None
    identities: tuple[Identity, ...] = ()


@dataclass(frozen=True, slots=True)
class BenchRead:
    """`x-mock-bench`: a row of the benchmark's reads.

    `name` is the row's key (`bench.py --only`); `note` says what is asked beyond the path;
    `parameters` by name (the index knows where each goes), a string value may hold
    placeholders the benchmark fills (`{now}`, `{now-7d}`, `{manager}`, `{recording}`);
    `ratio` the mock's requests/s over Prism's it must reach at least (None: the default).
    """

    name: str
    note: str | None = None
    parameters: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    ratio: float | None = None


@dataclass(frozen=True, slots=True)
class Traits:
    """The `x-mock-*` extensions of an operation (see the module's docstring)."""

    thread_pool: bool = False
    moves_clock: bool = False
    write: str | None = None
    tenant: Tenancy | None = None
    bench: BenchRead | None = None
    # advisory code -> the query parameters its detection reads
    advisories: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    # the most bytes of a body the domain reads itself (None: the framework reads the body)
    domain_body: int | None = None


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation of the document, as every reader needs it."""

    operation_id: str
    method: str  # upper case
    path: str  # the template, e.g. /managers/{id}
    pattern: re.Pattern[str] = field(repr=False)  # the paths it serves (fullmatch)
    tags: tuple[str, ...] = field(repr=False)
    parameters: tuple[Parameter, ...] = field(repr=False)
    request_body: Mapping[str, Any] | None = field(repr=False)  # `$ref` followed
    # By status as written ("200", "4XX"), `$ref` followed.
    responses: Mapping[str, Mapping[str, Any]] = field(repr=False)
    # The security requirements in force: its own, else the document's.
    security: tuple[Mapping[str, Any], ...] = field(repr=False)
    traits: Traits = field(repr=False)
    spec: Mapping[str, Any] = field(repr=False)  # the operation object itself
    query: frozenset[str] = field(repr=False)  # the names of its query parameters

    @property
    def label(self) -> str:
        """`GET /managers/{id}`, as Schemathesis names an operation."""
        return f"{self.method} {self.path}"

    @property
    def secured(self) -> bool:
        """Credentials are required: some requirement, none of them empty (`{}` is public)."""
        return bool(self.security) and all(self.security)

    @property
    def request_media_types(self) -> tuple[str, ...]:
        body = self.request_body or {}
        return tuple(body.get("content") or ())

    def response_media_types(self, status: str) -> tuple[str, ...]:
        response = self.responses.get(str(status)) or {}
        return tuple(response.get("content") or ())

    def parameter(self, name: str, location: str | None = None) -> Parameter | None:
        for parameter in self.parameters:
            if parameter.name == name and location in (None, parameter.location):
                return parameter
        return None


class SpecIndex:
    """The operations of one OpenAPI document (see the module's docstring)."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        operations: list[Operation] = []
        for template, item in (document.get("paths") or {}).items():
            item = resolve(document, item)
            shared = [resolve(document, p) for p in item.get("parameters") or ()]
            for key in PATH_ITEM_METHODS:
                if key in item:
                    operations.append(self._operation(template, key, item[key], shared))
        self.operations: tuple[Operation, ...] = tuple(operations)
        self._by_id: dict[str, Operation] = {}
        self._by_label: dict[str, Operation] = {}
        self._exact: dict[tuple[str, str], Operation] = {}
        self._templated: list[Operation] = []
        self._methods: dict[str, list[str]] = {}
        for operation in operations:
            if operation.operation_id in self._by_id:
                raise SpecError(f"operationId {operation.operation_id!r} is used twice")
            self._by_id[operation.operation_id] = operation
            self._by_label[operation.label] = operation
            self._methods.setdefault(operation.path, []).append(operation.method)
            if "{" in operation.path:
                self._templated.append(operation)
            else:
                self._exact[(operation.method, operation.path)] = operation
        self._patterns = [(path_pattern(path), path) for path in self._methods]

    @classmethod
    def load(cls, path: Path) -> SpecIndex:
        """The index of the YAML (or JSON) file at `path`, parsed once per file."""
        return _load(Path(path).resolve())

    @staticmethod
    def parse(text: str) -> dict[str, Any]:
        """A YAML document as PyYAML's safe loader reads it (with libyaml when it has it)."""
        import yaml  # here: only loading a file needs PyYAML

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        document = yaml.load(text, Loader=loader)  # a safe loader, C or Python
        if not isinstance(document, dict):
            raise SpecError(f"expected an OpenAPI document (a mapping), got {type(document)}")
        return document

    # -- the operations --------------------------------------------------------------------

    def __iter__(self) -> Iterator[Operation]:
        return iter(self.operations)

    def __len__(self) -> int:
        return len(self.operations)

    def __contains__(self, operation_id: object) -> bool:
        return operation_id in self._by_id

    def __getitem__(self, operation_id: str) -> Operation:
        return self._by_id[operation_id]

    def get(self, operation_id: str | None) -> Operation | None:
        return None if operation_id is None else self._by_id.get(operation_id)

    @property
    def operation_ids(self) -> tuple[str, ...]:
        """Every operationId, sorted."""
        return tuple(sorted(self._by_id))

    def declared(self, method: str, template: str) -> Operation | None:
        """The operation declared as `method` at the path template `template` (as written)."""
        return self._by_label.get(f"{method.upper()} {template}")

    def match(self, method: str, path: str) -> Operation | None:
        """The operation serving `method` at `path` (relative to the API's base path), if any.

        Paths without a template are a dictionary lookup; the few with one are tried as
        patterns. A trailing slash is ignored (real clients send one), HEAD is GET.
        """
        if method == "HEAD":
            method = "GET"
        path = path.rstrip("/") or "/"
        operation = self._exact.get((method, path))
        if operation is not None:
            return operation
        for templated in self._templated:
            if templated.method == method and templated.pattern.fullmatch(path):
                return templated
        return None

    def methods_at(self, path: str) -> tuple[str, ...] | None:
        """The methods the document declares at the path template serving `path`, in
        HTTP_METHODS order; None when no template serves it."""
        path = path.rstrip("/") or "/"
        for pattern, template in self._patterns:
            if pattern.fullmatch(path):
                declared = self._methods[template]
                return tuple(method for method in HTTP_METHODS if method in declared)
        return None

    def resolve(self, node: Any) -> Any:
        """`node`, or what its local `$ref` names, in this document."""
        return resolve(self.document, node)

    # -- building --------------------------------------------------------------------------

    def _operation(
        self,
        template: str,
        key: str,
        operation: Mapping[str, Any],
        shared: list[Mapping[str, Any]],
    ) -> Operation:
        document = self.document
        where = f"{key.upper()} {template}"
        operation = resolve(document, operation)
        operation_id = operation.get("operationId")
        if not isinstance(operation_id, str) or not operation_id:
            raise SpecError(f"{where}: no operationId")
        where = f"{where} ({operation_id})"
        # The operation's own parameters override the path's of the same name and location.
        by_key: dict[tuple[str, str], Mapping[str, Any]] = {}
        for parameter in [
            *shared,
            *(resolve(document, p) for p in operation.get("parameters") or ()),
        ]:
            by_key[(parameter["in"], parameter["name"])] = parameter
        parameters = tuple(
            Parameter(
                name=spec["name"],
                location=spec["in"],
                required=bool(spec.get("required", spec["in"] == "path")),
                schema=resolve(document, spec.get("schema") or {}),
                spec=spec,
            )
            for spec in by_key.values()
        )
        body = operation.get("requestBody")
        security = operation.get("security", document.get("security")) or ()
        return Operation(
            operation_id=operation_id,
            method=key.upper(),
            path=template,
            pattern=path_pattern(template),
            tags=tuple(operation.get("tags") or ()),
            parameters=parameters,
            request_body=None if body is None else resolve(document, body),
            responses=MappingProxyType(
                {
                    str(status): resolve(document, response)
                    for status, response in (operation.get("responses") or {}).items()
                }
            ),
            security=tuple(security),
            traits=_traits(operation, where, parameters),
            spec=operation,
            query=frozenset(p.name for p in parameters if p.location == "query"),
        )


@functools.cache
def _load(path: Path) -> SpecIndex:
    return SpecIndex(SpecIndex.parse(path.read_text(encoding="utf-8")))


# -- the traits -------------------------------------------------------------------------------


def _traits(operation: Mapping[str, Any], where: str, parameters: tuple[Parameter, ...]) -> Traits:
    unknown = sorted(
        key for key in operation if str(key).startswith("x-mock-") and key not in TRAITS
    )
    if unknown:
        raise SpecError(f"{where}: unknown traits {unknown}; known: {', '.join(TRAITS)}")
    write = operation.get(WRITE)
    if write is not None and write not in WRITE_KINDS:
        raise SpecError(f"{where}: {WRITE}: {write!r} is none of {', '.join(WRITE_KINDS)}")
    traits = Traits(
        thread_pool=_flag(operation, THREAD_POOL, where),
        moves_clock=_flag(operation, MOVES_CLOCK, where),
        write=write,
        tenant=_tenancy(operation.get(TENANT), f"{where}: {TENANT}"),
        bench=_bench(operation.get(BENCH), f"{where}: {BENCH}"),
        advisories=_advisories(operation.get(ADVISORIES), f"{where}: {ADVISORIES}"),
        domain_body=_domain_body(operation.get(DOMAIN_BODY), f"{where}: {DOMAIN_BODY}"),
    )
    # A trait names only parameters the operation has: a renamed parameter fails here.
    names = {parameter.name for parameter in parameters}
    query = {parameter.name for parameter in parameters if parameter.location == "query"}
    for code, read in traits.advisories.items():
        if not set(read) <= query:
            raise SpecError(
                f"{where}: {ADVISORIES}: {code}: {sorted(set(read) - query)} are not query "
                "parameters of the operation"
            )
    if traits.bench is not None and not set(traits.bench.parameters) <= names:
        raise SpecError(
            f"{where}: {BENCH}: parameters: {sorted(set(traits.bench.parameters) - names)} are "
            "not parameters of the operation"
        )
    return traits


def _flag(operation: Mapping[str, Any], name: str, where: str) -> bool:
    value = operation.get(name, False)
    if not isinstance(value, bool):
        raise SpecError(f"{where}: {name}: expected true or false, got {value!r}")
    return value


def _mapping(value: Any, where: str, known: tuple[str, ...] | None = None) -> Mapping[str, Any]:
    """`value`, a mapping with members among `known` (None: any)."""
    if not isinstance(value, Mapping):
        raise SpecError(f"{where}: expected a mapping, got {value!r}")
    unknown = [] if known is None else sorted(set(value) - set(known))
    if known is not None and unknown:
        raise SpecError(f"{where}: unknown members {unknown}; known: {', '.join(known)}")
    return value


def _names(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise SpecError(f"{where}: expected a list of names, got {value!r}")
    return tuple(value)


def _tenancy(value: Any, where: str) -> Tenancy | None:
    if value is None:
        return None
    spec = _mapping(value, where, ("answer", "owner", "identities"))
    answer = spec.get("answer")
    if not isinstance(answer, str) or answer not in TENANT_ANSWERS:
        raise SpecError(f"{where}: answer: {answer!r} is none of {', '.join(TENANT_ANSWERS)}")
    owner = spec.get("owner")
    if owner is not None and not isinstance(owner, str):
        raise SpecError(f"{where}: owner: expected a field name, got {owner!r}")
    identities = []
    for name, identity in _mapping(spec.get("identities", {}), f"{where}: identities").items():
        fields = _mapping(identity, f"{where}: identities: {name}", ("key", "any"))
        key = _names(fields.get("key"), f"{where}: identities: {name}: key")
        if not key:
            raise SpecError(f"{where}: identities: {name}: key names no field")
        any_ = _names(fields.get("any", []), f"{where}: identities: {name}: any")
        identities.append(Identity(str(name), key, any_))
    if (answer == "list") != bool(identities):
        raise SpecError(f"{where}: a list answer has identities, and only a list answer")
    return Tenancy(answer, owner, tuple(identities))


def _bench(value: Any, where: str) -> BenchRead | None:
    if value is None:
        return None
    spec = _mapping(value, where, ("name", "note", "parameters", "ratio"))
    name = spec.get("name")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise SpecError(f"{where}: name: expected a key such as call_records, got {name!r}")
    note = spec.get("note")
    if note is not None and not isinstance(note, str):
        raise SpecError(f"{where}: note: expected text, got {note!r}")
    parameters = _mapping(spec.get("parameters", {}), f"{where}: parameters")
    ratio = spec.get("ratio")
    if ratio is not None and (
        isinstance(ratio, bool) or not isinstance(ratio, int | float) or ratio <= 0
    ):
        raise SpecError(f"{where}: ratio: expected a positive number, got {ratio!r}")
    return BenchRead(name, note, MappingProxyType(dict(parameters)), ratio)


def _advisories(value: Any, where: str) -> Mapping[str, tuple[str, ...]]:
    if value is None:
        return MappingProxyType({})
    spec = _mapping(value, where)
    found = {}
    for code, parameters in spec.items():
        if not isinstance(code, str) or not _CODE.fullmatch(code):
            raise SpecError(f"{where}: {code!r} is not an advisory code")
        found[code] = _names(parameters, f"{where}: {code}")
    return MappingProxyType(found)


def _domain_body(value: Any, where: str) -> int | None:
    if value is None:
        return None
    spec = _mapping(value, where, ("maxBytes",))
    limit = spec.get("maxBytes")
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise SpecError(f"{where}: maxBytes: expected a positive integer, got {limit!r}")
    return limit
