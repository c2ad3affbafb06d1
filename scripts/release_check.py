"""Check that this checkout is a release people can install and pin (`make release-check`).

1. Builds both wheels, the mock's and the generated client's, offline (`--no-isolation`:
   the build backends are the dev environment's).
2. Fails unless one version is said everywhere: the spec's `info.version`, both wheels, and
   the newest released entry of CHANGELOG.md (`## [X.Y.Z] - DATE`; an `## [Unreleased]`
   section above it is allowed).
3. Compares the spec with the last release's (the spec at the newest tag `vX.Y.Z` below this
   version, or `--base REF`): a breaking change (scripts/spec_breaking.py) needs a higher
   major version, and a tag of this very version must hold this very spec.

Exit status 0 when all holds, 1 with one line per disagreement otherwise.
"""

from __future__ import annotations

import argparse
import email
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import NamedTuple

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from spec_breaking import breaking_changes  # scripts/ is no package: found beside this file

ROOT = Path(__file__).resolve().parents[1]
SPEC = Path("openapi/tele2-ats.yaml")
_RELEASE = re.compile(r"^## \[(?P<version>[^\]]+)\](?: - (?P<date>\S+))?\s*$", re.MULTILINE)
_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


class Found(NamedTuple):
    spec: str
    changelog: str | None
    wheels: dict[str, str]


def version_key(version: str) -> tuple[int, int, int] | None:
    match = _VERSION.match(version)
    return None if match is None else (int(match[1]), int(match[2]), int(match[3]))


def changelog_version(text: str) -> str | None:
    """The newest released entry's version (the first `## [X]` that is not Unreleased)."""
    for match in _RELEASE.finditer(text):
        if match["version"].lower() != "unreleased":
            return match["version"]
    return None


def spec_info_version(text: str) -> str:
    info = (yaml.safe_load(text) or {}).get("info") or {}
    return str(info.get("version", ""))


def build_wheels(root: Path, out: Path) -> dict[str, str]:
    """{distribution: version} of the wheels built from the checkout at `root`."""
    for project in (root, root / "generated_client"):
        built = subprocess.run(
            [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", out, project],
            capture_output=True,
            text=True,
            check=False,
        )
        if built.returncode != 0:
            sys.exit(f"release-check: building {project} failed:\n{built.stdout}{built.stderr}")
    versions: dict[str, str] = {}
    for wheel in sorted(out.glob("*.whl")):
        with zipfile.ZipFile(wheel) as archive:
            metadata = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
            headers = archive.read(metadata).decode()
        metadata_headers = email.message_from_string(headers)
        versions[str(metadata_headers["Name"])] = str(metadata_headers["Version"])
    return versions


def version_problems(found: Found) -> list[str]:
    """One line per place that does not say the spec's version."""
    problems: list[str] = []
    if version_key(found.spec) is None:
        problems.append(f"the spec's info.version {found.spec!r} is not MAJOR.MINOR.PATCH")
    if found.changelog is None:
        problems.append("CHANGELOG.md has no released entry (## [X.Y.Z] - YYYY-MM-DD)")
    elif found.changelog != found.spec:
        problems.append(
            f"CHANGELOG.md's newest entry is {found.changelog}, the spec's info.version "
            f"{found.spec}"
        )
    for name in ("tele2-ats-mock", "tele2-ats-client"):
        version = found.wheels.get(name)
        if version is None:
            problems.append(f"no {name} wheel was built")
        elif version != found.spec:
            problems.append(f"the {name} wheel is {version}, the spec's info.version {found.spec}")
    return problems


def compatibility_problems(version: str, base_version: str, base_spec: str, spec: str) -> list[str]:
    """What the spec of the release `base_version` and this one say about `version`."""
    if base_spec == spec:
        return []
    if version == base_version:
        return [f"v{version} was released with another spec: raise info.version"]
    breaks = breaking_changes(yaml.safe_load(base_spec), yaml.safe_load(spec))
    new, old = version_key(version), version_key(base_version)
    if breaks and new is not None and old is not None and new[0] <= old[0]:
        return [
            f"breaking since v{base_version}, so the version must be {old[0] + 1}.0.0 or "
            f"later, not {version}: {line}"
            for line in breaks
        ]
    return []


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True
    ).stdout


def base_release(root: Path, version: str) -> str | None:
    """The tag to compare with: this version's own tag, else the newest one below it."""
    key = version_key(version)
    tags = [t for t in _git(root, "tag", "--list", "v*").split() if version_key(t[1:])]
    if f"v{version}" in tags:
        return f"v{version}"
    below = [t for t in tags if key is not None and (version_key(t[1:]) or key) < key]
    return max(below, key=lambda t: version_key(t[1:]) or (0, 0, 0), default=None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to check")
    parser.add_argument("--base", help="the release to compare the spec with (a git ref)")
    args = parser.parse_args()
    root = args.root.resolve()
    spec = (root / SPEC).read_text(encoding="utf-8")
    version = spec_info_version(spec)
    changelog = root / "CHANGELOG.md"
    with tempfile.TemporaryDirectory(prefix="tele2-ats-release-check-") as out:
        wheels = build_wheels(root, Path(out))
    found = Found(
        version,
        changelog_version(changelog.read_text(encoding="utf-8")) if changelog.exists() else None,
        wheels,
    )
    problems = version_problems(found)
    base = args.base or base_release(root, version)
    if base is None:
        print(f"release-check: no release tagged before v{version}: no spec to compare with")
    else:
        base_spec = _git(root, "show", f"{base}:{SPEC}")
        problems += compatibility_problems(version, spec_info_version(base_spec), base_spec, spec)
        print(f"release-check: the spec compared with {base}'s")
    for problem in problems:
        print(f"release-check: {problem}", file=sys.stderr)
    if problems:
        sys.exit(1)
    print(f"release-check: {version} everywhere: spec, CHANGELOG.md, {', '.join(sorted(wheels))}")


if __name__ == "__main__":
    main()
