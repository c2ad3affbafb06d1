"""Regenerate the typed client package from the spec, deterministically.

    python client_gen/generate.py [--output DIR]      (default: generated_client)

Inputs: openapi/tele2-ats.yaml, client_gen/config.yaml, client_gen/templates/ (custom templates,
which override openapi-python-client's own by file name, plus the package's own modules listed in
EXTRA_MODULES) and client_gen/readme_example.py (shown in the README, whole and function by
function). The output directory is replaced as a whole: the package is generated into a fresh
sibling directory, formatted by the config's post hooks (the virtualenv's pinned ruff), and only
then swapped in, so files that a spec change made obsolete do not survive.

Repeated runs give identical trees: string hashing is pinned (PYTHONHASHSEED=0, the script
re-executes itself to set it), ruff runs with --no-cache, and nothing depends on the time or the
output's location. `make client-check` regenerates into a temporary directory and diffs.

The generator must report exactly the warnings listed in EXPECTED_WARNINGS; any other warning or
error fails the run, so a spec change that silently drops an operation cannot go unnoticed.
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from openapi_python_client import Project, __version__
from openapi_python_client.config import Config, ConfigFile, MetaType
from openapi_python_client.parser import GeneratorData
from openapi_python_client.parser.errors import GeneratorError
from openapi_python_client.parser.openapi import Endpoint
from openapi_python_client.parser.properties import EnumProperty, Property
from openapi_python_client.strings import safe_for_docstring
from ruamel.yaml import YAML

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SPEC = ROOT / "openapi" / "tele2-ats.yaml"
CONFIG = HERE / "config.yaml"
TEMPLATES = HERE / "templates"
README_EXAMPLE = HERE / "readme_example.py"
DEFAULT_OUTPUT = ROOT / "generated_client"

HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})

# Modules of the package that openapi-python-client has no template for: {file: template}.
EXTRA_MODULES = {
    "retry.py": "retry.py.jinja",
    "facade.py": "facade.py.jinja",
}

SUPPORTED_GENERATOR = "0.29."
"""The templates are copies of 0.29.1's; another minor version must be re-checked first."""

# (header, detail) of every warning the generator is expected to give, and why.
EXPECTED_WARNINGS: frozenset[tuple[str, str]] = frozenset()
"""None today: POST /blacklist documents text/plain only (decision D14), which the config maps."""


def _pin_hash_seed() -> None:
    """Re-execute with PYTHONHASHSEED=0 so that no set iteration order varies between runs."""
    if os.environ.get("PYTHONHASHSEED") != "0":
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        os.execve(sys.executable, [sys.executable, *sys.argv], env)


def _ruff_version() -> str:
    ruff = Path(sys.executable).parent / "ruff"
    result = subprocess.run([str(ruff), "--version"], capture_output=True, text=True, check=True)
    return result.stdout.strip()


def _secured_operations(document: dict[str, Any]) -> set[str]:
    """`"method /path"` of every operation that needs credentials, own or document-level."""
    secured = set()
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            requirements = operation.get("security", document.get("security", []))
            # [] means public, and a `{}` among the alternatives means credentials are optional.
            if requirements and all(requirements):
                secured.add(f"{method} {path}")
    return secured


def _resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """`node` itself, or the component its local `$ref` names."""
    while "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _parameter_docs(document: dict[str, Any]) -> dict[tuple[str, str, str, str], dict[str, Any]]:
    """The resolved parameter objects, by (method, path, location, name); bodies as location "body".

    openapi-python-client 0.29 builds a parameter's property from its `schema` alone
    (`Endpoint.add_parameters` passes `param.param_schema` to `property_from_data`), so the
    parameter's own `description` and `example` never reach the docstrings, and a request body's
    `description` neither: the generated `Args` showed the schema's description, or nothing.
    The templates take them from here instead (`parameter_docstring`). Every parameter and body
    must have a description; generation fails otherwise.
    """
    docs: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    undocumented = []
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            # Operation-level parameters override path-level ones of the same name and location.
            for parameter in [*item.get("parameters", []), *operation.get("parameters", [])]:
                resolved = _resolve(document, parameter)
                docs[(method, path, resolved["in"], resolved["name"])] = resolved
            if "requestBody" in operation:
                docs[(method, path, "body", "body")] = _resolve(document, operation["requestBody"])
    for (method, path, location, name), resolved in docs.items():
        if not str(resolved.get("description", "")).strip():
            undocumented.append(f"{method.upper()} {path}: {location} {name}")
    if undocumented:
        sys.exit("parameters without a description in the spec: " + "; ".join(sorted(undocumented)))
    return docs


def _raw(value: Any) -> str:
    """The text of an UntrustedString (or of anything else)."""
    return str(value.get_untrusted_value() if hasattr(value, "get_untrusted_value") else value)


def _one_line(text: Any) -> str:
    return " ".join(str(text).split())


class _SpecLookups:
    """What the templates read from the spec document itself, beyond GeneratorData."""

    def __init__(self, document: dict[str, Any]) -> None:
        self._document = document
        self._docs = _parameter_docs(document)

    def parameter_docstring(self, endpoint: Endpoint, location: str, prop: Property) -> str:
        """`Property.to_docstring()` with the parameter's (or body's) description and example."""
        name = "body" if location == "body" else _raw(prop.name)
        spec = self._docs[(endpoint.method, endpoint.path.get_untrusted_value(), location, name)]
        doc = (
            f"{prop.python_name} ({safe_for_docstring(prop.get_type_string())}): "
            f"{safe_for_docstring(_one_line(spec['description']))}"
        )
        if prop.default:
            doc += f" Default: {safe_for_docstring(prop.default.python_code)}."
        example = spec.get("example", prop.example)
        if example is not None:
            doc += f" Example: {safe_for_docstring(_raw(example))}."
        return doc

    def parameter_spec(self, endpoint: Endpoint, location: str, name: str) -> dict[str, Any]:
        """The resolved parameter object, its `schema` resolved too."""
        key = (endpoint.method, endpoint.path.get_untrusted_value(), location, name)
        spec = dict(self._docs[key])
        spec["schema"] = _resolve(self._document, spec.get("schema", {}))
        return spec

    def response_examples(self, endpoint: Endpoint, status: int) -> list[Any]:
        """The example values of an operation's answer with `status`, in every media type."""
        path = self._document["paths"][endpoint.path.get_untrusted_value()]
        response = _resolve(self._document, path[endpoint.method]["responses"][str(status)])
        values = []
        for media in response.get("content", {}).values():
            if "example" in media:
                values.append(media["example"])
            examples = media.get("examples", {}).values()
            values += [_resolve(self._document, example).get("value") for example in examples]
        return values


def _example_functions(source: str) -> dict[str, str]:
    """The source of each top-level function of the README example, by name, for the README."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    functions = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)]) - 1
            functions[node.name] = "".join(lines[start : node.end_lineno])
    return functions


def _refusals(openapi: GeneratorData) -> list[tuple[str, str, str]]:
    """(code, enum class, enum module) of each result code that means a rule refused a write.

    The result-code enums are the string-enum success answers that have a SUCCESS member
    (decision D7); every other member is a refusal, raised as its own exception by the facade.
    """
    found = set()
    for collection in openapi.endpoint_collections_by_tag.values():
        for endpoint in collection.endpoints:
            for response in endpoint.responses.patterns:
                low, high = response.status_code.range or (0, 0)
                prop = response.prop
                if 200 <= low <= high <= 299 and isinstance(prop, EnumProperty):
                    codes = {str(value) for value in prop.values.values()}
                    if "SUCCESS" in codes:
                        info = prop.class_info
                        found |= {(c, info.name, info.module_name) for c in codes - {"SUCCESS"}}
    if not found:
        sys.exit("the spec has no result code but SUCCESS: the refusal exceptions need some")
    return sorted(found)


class _Project(Project):
    """openapi-python-client's Project, plus the package's own modules (EXTRA_MODULES)."""

    def _build_api(self) -> None:
        super()._build_api()
        for name, template in EXTRA_MODULES.items():
            rendered = self.env.get_template(template).render()
            (self.package_dir / name).write_text(rendered, encoding=self.config.file_encoding)


def _build(output: Path) -> list[GeneratorError]:
    """Generate the project into `output`, which must not exist yet."""
    config = Config.from_sources(
        ConfigFile.load_from_path(CONFIG),
        # Any meta type but none/setup renders templates/pyproject.toml.jinja, which ignores it.
        MetaType.PDM,
        SPEC,
        "utf-8",
        False,
        output_path=output,
    )
    document: dict[str, Any] = YAML(typ="safe").load(SPEC.read_bytes())
    openapi = GeneratorData.from_dict(document, config=config)
    if isinstance(openapi, GeneratorError):
        return [openapi]
    project = _Project(openapi=openapi, config=config, custom_template_path=TEMPLATES)
    # Values the templates need that GeneratorData does not keep.
    lookups = _SpecLookups(document)
    example = README_EXAMPLE.read_text(encoding="utf-8")
    project.env.globals.update(
        servers=document.get("servers", []),
        secured_operations=_secured_operations(document),
        parameter_docstring=lookups.parameter_docstring,
        parameter_spec=lookups.parameter_spec,
        response_examples=lookups.response_examples,
        refusals=_refusals(openapi),
        readme_example=example,
        readme_functions=_example_functions(example),
    )
    return list(project.build())


def _key(error: GeneratorError) -> tuple[str, str]:
    return (error.header or "", error.detail or "")


def _describe(error: GeneratorError) -> str:
    return f"{error.level.value.upper()}: {error.header or ''} {error.detail or ''}".strip()


def generate(output: Path) -> None:
    """Generate the package into `output`, replacing it; exit 1 on unexpected messages."""
    if not __version__.startswith(SUPPORTED_GENERATOR):
        sys.exit(f"openapi-python-client {SUPPORTED_GENERATOR}x is required, this is {__version__}")
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    # The config's post hooks must find the virtualenv's ruff (pinned by requirements.lock) first.
    os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
    with tempfile.TemporaryDirectory(prefix=f".{output.name}.", dir=output.parent) as scratch:
        fresh = Path(scratch) / output.name
        errors = _build(fresh)
        unexpected = [e for e in errors if _key(e) not in EXPECTED_WARNINGS]
        missing = EXPECTED_WARNINGS - {_key(e) for e in errors}
        if unexpected or missing:
            for error in unexpected:
                print(_describe(error), file=sys.stderr)
            for header, detail in sorted(missing):
                print(f"expected warning not given: {header} {detail}", file=sys.stderr)
            sys.exit(f"generation of {output} failed: unexpected generator messages (see above)")
        if output.exists():
            shutil.rmtree(output)
        fresh.rename(output)
    print(f"generated {output} from {SPEC.relative_to(ROOT)} ({__version__}, {_ruff_version()})")


def main() -> None:
    _pin_hash_seed()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--output", type=Path, default=DEFAULT_OUTPUT, help="directory to (re)generate"
    )
    args = parser.parse_args()
    generate(args.output)


if __name__ == "__main__":
    main()
