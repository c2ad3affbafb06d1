"""Verdicts, fidelity and the shape of production's answers; the report, redacted.

Pure: the outcomes of the probes on both targets in, the report (a JSON value, and its Markdown)
out. A decision is `confirmed` when production's observation equals the mock's, `refuted` when
both were observed and differ, `undecided` otherwise (the answers could not tell, or the probe
was not sent). Each refutation carries a proposed change: the decision's new text, stating
what production answered, and evidence `production` with the run's date and id.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mock_server.calibrate.observe import Answer, Undecided, content_type
from mock_server.calibrate.probes import Probe, Request
from mock_server.calibrate.run import Outcome
from mock_server.real.redaction import redact, redact_numbers
from mock_server.spec_index import SpecIndex

__all__ = ["Finding", "build_report", "markdown", "redacted_json", "shape_findings"]


@dataclass(frozen=True, slots=True)
class Finding:
    operation: str
    where: str  # a JSON path into the answer
    kind: str  # unknown-field, enum-value, format
    detail: str
    schema: str  # the schema (component name or operation) a proposal changes


def _value(observation: Any) -> Any:
    return {"undecided": observation.reason} if isinstance(observation, Undecided) else observation


def _describe(request: Request) -> str:
    query = "&".join(f"{k}={v}" for k, v in request.query.items())
    return f"{request.method} {request.path}" + (f"?{query}" if query else "")


def _verdict(probe: Probe, real: Outcome | None, mock: Outcome | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": probe.decision, "topic": probe.topic}
    if probe.observe is None:
        return {**entry, "verdict": "no probe", "reason": probe.reason}
    if real is None or mock is None:
        why = "a writing probe (TELE2_ATS_ALLOW_WRITES=1 sends it)" if probe.writes else "not run"
        return {**entry, "verdict": "undecided", "reason": why}
    entry["production"] = _value(real.observation)
    entry["mock"] = _value(mock.observation)
    if isinstance(real.observation, Undecided) or isinstance(mock.observation, Undecided):
        reason = (
            real.observation.reason
            if isinstance(real.observation, Undecided)
            else f"the mock could not be observed: {mock.observation.reason}"
        )
        return {**entry, "verdict": "undecided", "reason": reason}
    if real.observation == mock.observation:
        return {**entry, "verdict": "confirmed"}
    return {**entry, "verdict": "refuted"}


def _proposal(
    entry: Mapping[str, Any], probe: Probe, old: str, date: str, run: str
) -> dict[str, Any]:
    asked = "; ".join(_describe(r) for r in probe.requests) or "the run's token pair"
    seen = json.dumps(entry["production"], ensure_ascii=False, sort_keys=True)
    expected = json.dumps(entry["mock"], ensure_ascii=False, sort_keys=True)
    return {
        "decision": (
            f"Production answers as the calibration run {run} saw on {date}: to {asked} it "
            f"shows {seen} ({probe.observe}), where the mock's earlier decision shows {expected}. "
            f"The earlier decision, refuted: {old}"
        ),
        "evidence": {
            "source": "production",
            "where": f"tele2-ats-mock calibrate: {asked} -> {seen}",
            "date": date,
            "run": run,
        },
    }


def _fields(body: Any) -> dict[str, str]:
    item = body[0] if isinstance(body, list) and body else body
    if not isinstance(item, Mapping):
        return {}
    return {k: type(v).__name__ for k, v in item.items()}


def _aspects(real: Answer, mock: Answer) -> Iterator[bool]:
    yield real.status == mock.status
    yield content_type(real) == content_type(mock)
    real_fields, mock_fields = _fields(real.json()), _fields(mock.json())
    yield set(real_fields) == set(mock_fields)
    shared = set(real_fields) & set(mock_fields)
    yield all(real_fields[name] == mock_fields[name] for name in shared)


def _fidelity(pairs: Sequence[tuple[str, Answer, Answer]]) -> dict[str, Any]:
    scores: dict[str, list[int]] = {}
    for operation, real, mock in pairs:
        agreed = list(_aspects(real, mock))
        tally = scores.setdefault(operation, [0, 0])
        tally[0] += sum(agreed)
        tally[1] += len(agreed)
    return {
        operation: {"agreed": a, "compared": n, "score": round(a / n, 3) if n else None}
        for operation, (a, n) in sorted(scores.items())
    }


def _schema_walk(
    value: Any, schema: Any, api: SpecIndex, where: str, name: str
) -> Iterator[tuple[str, str, str, str]]:
    if isinstance(schema, Mapping) and "$ref" in schema:
        name = str(schema["$ref"]).rsplit("/", 1)[-1]
    schema = api.resolve(schema) if isinstance(schema, Mapping) else {}
    if "enum" in schema and value is not None and value not in schema["enum"]:
        yield where, "enum-value", f"{value!r} is not among {schema['enum']}", name
    if schema.get("format") == "date-time" and isinstance(value, str):
        from mock_server.http.formats import is_date_time

        if not is_date_time(value):
            yield where, "format", f"{value!r} is not an RFC 3339 date-time", name
    if isinstance(value, list) and isinstance(schema.get("items"), Mapping):
        for index, item in enumerate(value[:50]):
            yield from _schema_walk(item, schema["items"], api, f"{where}[{index}]", name)
    if isinstance(value, Mapping) and "properties" in schema:
        properties = schema["properties"]
        for key, item in value.items():
            if key not in properties:
                yield f"{where}.{key}", "unknown-field", f"`{key}` is in no schema", name
            else:
                yield from _schema_walk(item, properties[key], api, f"{where}.{key}", name)


def shape_findings(answers: Sequence[tuple[Request, Answer]], api: SpecIndex) -> list[Finding]:
    """What production's answers hold beyond the spec: fields, enum values, formats."""
    found: dict[tuple[str, str, str], Finding] = {}
    for request, answer in answers:
        operation = api.match(request.method, request.path)
        body = answer.json()
        if operation is None or body is None:
            continue
        response = operation.responses.get(str(answer.status)) or {}
        media = (response.get("content") or {}).get(content_type(answer)) or {}
        schema = media.get("schema")
        if schema is None:
            continue
        for where, kind, detail, name in _schema_walk(body, schema, api, "$", operation.label):
            generic = where.split("[")[0] + "".join(
                "[]" + part.split("]", 1)[1] for part in where.split("[")[1:]
            )
            key = (operation.label, generic, kind)
            found.setdefault(key, Finding(operation.label, generic, kind, detail, name))
    return list(found.values())


def build_report(
    probes: Sequence[Probe],
    real: Mapping[str, Outcome],
    mock: Mapping[str, Outcome],
    api: SpecIndex,
    *,
    run: str,
    date: str,
    target: str,
    sent: int,
    budget: int,
    writes: bool,
) -> dict[str, Any]:
    decisions = {d["id"]: d for d in api.document.get("x-decisions") or []}
    verdicts = []
    pairs: list[tuple[str, Answer, Answer]] = []
    production_answers: list[tuple[Request, Answer]] = []
    for probe in probes:
        entry = _verdict(probe, real.get(probe.decision), mock.get(probe.decision))
        if entry["verdict"] == "refuted":
            entry["proposal"] = _proposal(
                entry, probe, str(decisions[probe.decision]["decision"]), date, run
            )
        verdicts.append(entry)
        if probe.decision in real and probe.decision in mock:
            ours, theirs = real[probe.decision].answers, mock[probe.decision].answers
            production_answers.extend(ours)
            for (request, answer), (_, other) in zip(ours, theirs, strict=False):
                pairs.append((f"{request.method} {request.path}", answer, other))
    shape = shape_findings(production_answers, api)
    counts = {
        verdict: sum(1 for v in verdicts if v["verdict"] == verdict)
        for verdict in ("confirmed", "refuted", "undecided", "no probe")
    }
    return {
        "run": run,
        "date": date,
        "target": target,
        "requests": {"sent": sent, "budget": budget, "writes": writes},
        "summary": counts,
        "decisions": verdicts,
        "operations": _fidelity(pairs),
        "shape": [
            {
                "operation": f.operation,
                "where": f.where,
                "kind": f.kind,
                "detail": f.detail,
                "proposal": (
                    f"add `{f.where.rsplit('.', 1)[-1]}` to {f.schema} as an optional property "
                    "marked `x-undocumented` (production sends it)"
                    if f.kind == "unknown-field"
                    else f"widen {f.schema} at {f.where} to what production sends"
                ),
            }
            for f in shape
        ],
    }


def redacted_json(report: Mapping[str, Any], secrets: Sequence[str] = ()) -> str:
    """The report as JSON, without tokens or phone numbers."""
    text = json.dumps(report, ensure_ascii=False, indent=2)
    return redact_numbers(redact(text, secrets))


def markdown(report: Mapping[str, Any]) -> str:
    """The report for a person (built from the already redacted JSON value)."""
    lines = [
        f"# Calibration {report['run']} ({report['date']})",
        "",
        f"Target: {report['target']}. Requests sent: {report['requests']['sent']} of a budget "
        f"of {report['requests']['budget']}; writes "
        f"{'allowed' if report['requests']['writes'] else 'off (read-only)'}.",
        "",
        " · ".join(f"{k}: {v}" for k, v in report["summary"].items()),
        "",
        "## Decisions",
        "",
        "| decision | topic | verdict | production | mock |",
        "| --- | --- | --- | --- | --- |",
    ]

    def cell(value: Any) -> str:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        return " ".join(str(text).split()).replace("|", "\\|")

    for entry in report["decisions"]:
        production = entry.get("production", entry.get("reason", ""))
        lines.append(
            f"| {entry['id']} | {cell(entry['topic'])} | **{entry['verdict']}** | "
            f"{cell(production)} | {cell(entry.get('mock', ''))} |"
        )
    refuted = [e for e in report["decisions"] if "proposal" in e]
    if refuted:
        lines += ["", "## Proposed changes", ""]
        for entry in refuted:
            lines += [f"- **{entry['id']}**: {cell(entry['proposal']['decision'])}"]
        lines += ["", "Apply one with `tele2-ats-mock calibrate apply REPORT.json D16 ...`."]
    lines += [
        "",
        "## Fidelity per operation",
        "",
        "| operation | agreed | score |",
        "| --- | --- | --- |",
    ]
    for operation, score in report["operations"].items():
        lines.append(f"| {operation} | {score['agreed']}/{score['compared']} | {score['score']} |")
    lines += ["", "## Beyond the spec", ""]
    lines += [
        f"- {f['operation']} `{f['where']}` ({f['kind']}): {f['detail']}; proposal: {f['proposal']}"
        for f in report["shape"]
    ] or ["Nothing: every field, enum value and date the answers held is in the spec."]
    return "\n".join(lines) + "\n"
