"""Regenerate the typed client package from the spec, deterministically.

    python client_gen/generate.py [--output DIR]      (default: generated_client)

Inputs: openapi/tele2-ats.yaml, client_gen/config.yaml, client_gen/templates/ (custom templates,
which override openapi-python-client's own by file name) and client_gen/readme_example.py (shown
in the README). The output directory is replaced as a whole: the package is generated into a fresh
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
from ruamel.yaml import YAML

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SPEC = ROOT / "openapi" / "tele2-ats.yaml"
CONFIG = HERE / "config.yaml"
TEMPLATES = HERE / "templates"
README_EXAMPLE = HERE / "readme_example.py"
DEFAULT_OUTPUT = ROOT / "generated_client"

HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})

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
    project = Project(openapi=openapi, config=config, custom_template_path=TEMPLATES)
    # Values the templates need that GeneratorData does not keep.
    project.env.globals["servers"] = document.get("servers", [])
    project.env.globals["secured_operations"] = _secured_operations(document)
    project.env.globals["readme_example"] = README_EXAMPLE.read_text(encoding="utf-8")
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
