"""The drift report of a real run: per operation, each failed check, one minimal example with
the tokens redacted, and the line of openapi/tele2-ats.yaml that the answer contradicts.

Hypothesis replays the minimal failing example last, so the last failure recorded for an
(operation, check) pair is the minimal one. Processes of one run (xdist workers) each write a
fragment; the process that ends the session merges them into `drift-report.md`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, Final

import yaml

from contract_tests.settings import ROOT, SPEC_PATH
from mock_server.real.redaction import redact

__all__ = ["DriftRecord", "DriftReport", "SpecLines", "redact"]

_METHODS: Final = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


class SpecLines:
    """Line numbers (1-based) of operations and their responses in the spec's YAML."""

    def __init__(self, path: Path = SPEC_PATH) -> None:
        self.path = path
        root = yaml.compose(path.read_text(encoding="utf-8")) or yaml.MappingNode("", [])
        self._operations: dict[str, int] = {}
        self._responses_key: dict[str, int] = {}
        self._responses: dict[tuple[str, str], int] = {}
        paths = _child(root, "paths")
        if not isinstance(paths, yaml.MappingNode):
            return
        for path_key, item in paths.value:
            if not isinstance(item, yaml.MappingNode):
                continue
            for method_key, operation in item.value:
                if method_key.value not in _METHODS:
                    continue
                label = f"{method_key.value.upper()} {path_key.value}"
                self._operations[label] = method_key.start_mark.line + 1
                for key, responses in (
                    operation.value if isinstance(operation, yaml.MappingNode) else []
                ):
                    if key.value != "responses" or not isinstance(responses, yaml.MappingNode):
                        continue
                    self._responses_key[label] = key.start_mark.line + 1
                    for status_key, _ in responses.value:
                        self._responses[(label, str(status_key.value))] = (
                            status_key.start_mark.line + 1
                        )

    def operation(self, label: str) -> int | None:
        return self._operations.get(label)

    def locate(self, label: str, status: int | None) -> tuple[int | None, str]:
        """The line an answer with `status` contradicts, and what is there."""
        if status is not None:
            for key in (str(status), f"{str(status)[0]}XX", "default"):
                line = self._responses.get((label, key))
                if line is not None:
                    return line, f'{label}: responses."{key}"'
        line = self._responses_key.get(label, self._operations.get(label))
        return line, f"{label}: responses (status {status} is not documented)"


def _child(node: yaml.Node, name: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == name and isinstance(value, yaml.Node):
                return value
    return None


@cache
def spec_lines() -> SpecLines:
    return SpecLines()


@dataclass
class DriftRecord:
    operation: str
    check: str
    message: str
    example: str
    status: int | None
    line: int | None
    where: str


@dataclass
class DriftReport:
    """The failures of a run, the minimal one per (operation, check)."""

    base_url: str
    secrets: tuple[str, ...] = ()
    records: dict[tuple[str, str], DriftRecord] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def record(
        self, operation: str, check: str, message: str, example: str, status: int | None
    ) -> None:
        line, where = spec_lines().locate(operation, status)
        self.records[(operation, check)] = DriftRecord(
            operation=operation,
            check=check,
            message=redact(message, self.secrets).strip(),
            example=redact(example, self.secrets).strip(),
            status=status,
            line=line,
            where=where,
        )

    def error(self, operation: str, message: str) -> None:
        self.errors[operation] = redact(message, self.secrets).strip()

    # Fragments of the processes of one run

    def dump(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"records": [asdict(r) for r in self.records.values()], "errors": self.errors}
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    def merge(self, path: Path) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        for item in data["records"]:
            record = DriftRecord(**item)
            self.records[(record.operation, record.check)] = record
        self.errors.update(data["errors"])

    # The report

    def markdown(self, summary: Mapping[str, Any]) -> str:
        spec = SPEC_PATH.relative_to(ROOT)
        lines = [
            f"# Drift report: {self.base_url} against `{spec}`",
            "",
            f"Generated {datetime.now(UTC).strftime('%Y-%m-%d %H:%M:%S')} UTC. "
            + ", ".join(f"{key}: {value}" for key, value in summary.items())
            + ".",
            "",
        ]
        if "not run" in summary:
            lines += [f"**Not run**: {summary['not run']}", ""]
            return "\n".join(lines)
        if not self.records and not self.errors:
            lines += ["**No drift found**: every answer checked agreed with the spec.", ""]
            return "\n".join(lines)
        operations = sorted({r.operation for r in self.records.values()} | set(self.errors))
        lines += [
            f"**{len(self.records)} failed check(s) in {len(operations)} operation(s).** "
            "Each shows one minimal example (tokens redacted) and the spec line it contradicts.",
            "",
        ]
        for operation in operations:
            line = spec_lines().operation(operation)
            anchor = f" (`{spec}:{line}`)" if line else ""
            lines += [f"## {operation}{anchor}", ""]
            for record in sorted(
                (r for r in self.records.values() if r.operation == operation),
                key=lambda r: r.check,
            ):
                at = f"`{spec}:{record.line}`" if record.line else "(no line)"
                lines += [
                    f"### {record.check}",
                    "",
                    f"- Contradicts {at}: {record.where}",
                    f"- Status answered: {record.status if record.status is not None else 'none'}",
                    "",
                    "```text",
                    record.message,
                    "```",
                    "",
                    "Minimal example:",
                    "",
                    "```sh",
                    record.example,
                    "```",
                    "",
                ]
            if operation in self.errors:
                lines += [
                    "### Not tested to the end",
                    "",
                    "```text",
                    self.errors[operation],
                    "```",
                    "",
                ]
        return "\n".join(lines)

    def write(self, path: Path, summary: Mapping[str, Any]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.markdown(summary), encoding="utf-8")
