"""`tele2-ats-mock calibrate` against a production stand-in on loopback (standin.py): exactly
the decisions the stand-in changes are refuted, each with the right proposal; nothing but
loopback is contacted, the budget holds, and the report holds no token and no number."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from mock_server.calibrate import command
from mock_server.domain.rules import tokens
from mock_server.real.guard import GuardedTransport
from tests.calibrate.standin import UNKNOWN_FIELD, running_stand_in
from tests.pinned import PINNED_NOW

REFUTED = {"D16", "D17", "D18", "D60"}
BUDGET = 150


@pytest.fixture(scope="module")
def calibration(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("calibration")
    sent: list[str] = []
    original = GuardedTransport.handle_request

    def spy(self: GuardedTransport, request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        return original(self, request)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(GuardedTransport, "handle_request", spy)
        # The stand-in's access tokens live 12 hours (D60): issued while the lifetime is patched.
        patch.setattr(tokens, "ACCESS_TTL_SECONDS", 12 * 3600)
        with running_stand_in() as (base_url, pbx):
            _, pair = pbx.issue_tokens()
            patch.setattr(tokens, "ACCESS_TTL_SECONDS", 24 * 3600)
            env = {
                "TELE2_ATS_BASE_URL": base_url,
                "TELE2_ATS_ACCESS_TOKEN": pair.access_token,
                "TELE2_ATS_REFRESH_TOKEN": pair.refresh_token,
                "TELE2_ATS_TOKEN_FILE": str(folder / "tokens.json"),
                "TELE2_ATS_MAX_REQUESTS": str(BUDGET),
                "TELE2_ATS_RATE": "1000",
                "CONTRACT_REPORTS_DIR": str(folder),
            }
            for name, value in env.items():
                patch.setenv(name, value)
            assert command.main(["--now", PINNED_NOW.isoformat()]) == 0
            numbers = _numbers(base_url, pair.access_token)
    text = (folder / "calibration-report.json").read_text(encoding="utf-8")
    return {
        "report": json.loads(text),
        "text": text + (folder / "calibration-report.md").read_text(encoding="utf-8"),
        "sent": sent,
        "secrets": (pair.access_token, pair.refresh_token),
        "numbers": numbers,
    }


def _numbers(base_url: str, token: str) -> set[str]:
    """The numbers of the stand-in's journal over the probes' week."""
    query = {"start": "2026-02-25T00:00:00+03:00", "end": PINNED_NOW.isoformat(), "size": "500"}
    records = httpx.get(
        base_url + "/call-records/info", params=query, headers={"Authorization": token}
    ).json()
    fields = ("callerNumber", "calleeNumber", "destinationNumber")
    return {r[f] for r in records for f in fields if len(r.get(f) or "") >= 10}


def _verdicts(report: dict[str, Any]) -> dict[str, str]:
    return {entry["id"]: entry["verdict"] for entry in report["decisions"]}


def test_exactly_the_decisions_the_stand_in_changes_are_refuted(
    calibration: dict[str, Any],
) -> None:
    verdicts = _verdicts(calibration["report"])
    assert {d for d, v in verdicts.items() if v == "refuted"} == REFUTED
    assert set(verdicts.values()) <= {"confirmed", "refuted", "undecided", "no probe"}
    # The read-only probes of data-independent decisions are settled, not left undecided.
    # The statistics identities (D19, D20, D52, D53) hold over the seeded day before now.
    settled = ("D12", "D13", "D19", "D20", "D21", "D23", "D29", "D42", "D43", "D44", "D45")
    for decision in (*settled, "D52", "D53"):
        assert verdicts[decision] == "confirmed", calibration["report"]["decisions"]


def test_each_refutation_proposes_what_production_does(calibration: dict[str, Any]) -> None:
    entries = {e["id"]: e for e in calibration["report"]["decisions"]}
    assert entries["D16"]["production"] == {"present": [True]}
    assert entries["D16"]["mock"] == {"present": [False]}
    assert entries["D17"]["production"] == {"cap": 1000}
    assert entries["D17"]["mock"] == {"cap": 2000}
    assert [s["status"] for s in entries["D18"]["production"]] == [400, 400]
    assert [s["status"] for s in entries["D18"]["mock"]] == [200, 200]
    assert entries["D60"]["production"] == {"refreshOutlivesAccessHours": 156.0}
    assert entries["D60"]["mock"] == {"refreshOutlivesAccessHours": 144.0}
    for decision in REFUTED:
        proposal = entries[decision]["proposal"]
        evidence = proposal["evidence"]
        assert evidence["source"] == "production"
        assert evidence["date"] == PINNED_NOW.date().isoformat()
        assert evidence["run"] == calibration["report"]["run"]
        assert json.dumps(entries[decision]["production"], sort_keys=True) in proposal["decision"]


def test_the_unknown_field_is_reported_with_its_proposal(calibration: dict[str, Any]) -> None:
    unknown = [f for f in calibration["report"]["shape"] if f["kind"] == "unknown-field"]
    assert {f["where"].rsplit(".", 1)[-1] for f in unknown} == {UNKNOWN_FIELD}
    assert all("CallRecord" in f["proposal"] for f in unknown), unknown
    fidelity = calibration["report"]["operations"]["GET /call-records/info"]
    assert fidelity["score"] < 1, "the extra field is an aspect that disagrees"


def test_only_loopback_was_contacted_within_the_budget(calibration: dict[str, Any]) -> None:
    assert calibration["sent"], "the probes went through the guarded transport"
    assert all(url.startswith("http://127.0.0.1:") for url in calibration["sent"])
    requests = calibration["report"]["requests"]
    assert requests["sent"] == len(calibration["sent"]) <= BUDGET
    assert requests["writes"] is False


def test_the_report_holds_no_token_and_no_number(calibration: dict[str, Any]) -> None:
    text = calibration["text"]
    assert not re.search(r"eyJ[A-Za-z0-9_-]+\.", text)
    for secret in calibration["secrets"]:
        assert secret not in text
    assert calibration["numbers"]
    for number in calibration["numbers"]:
        assert number not in text
    assert not re.search(r"(?<!\d)[78]\d{10}(?!\d)", text)


def test_apply_writes_the_proposal_into_the_spec(
    calibration: dict[str, Any], tmp_path: Path
) -> None:
    from mock_server.calibrate.apply import apply_proposals
    from mock_server.spec_index import SpecIndex
    from tests.spec_utils import SPEC_PATH

    spec = tmp_path / "tele2-ats.yaml"
    spec.write_text(SPEC_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    apply_proposals(calibration["report"], spec, ["D17"])
    decisions = {d["id"]: d for d in SpecIndex.parse(spec.read_text())["x-decisions"]}
    entry = next(e for e in calibration["report"]["decisions"] if e["id"] == "D17")
    assert decisions["D17"]["decision"] == entry["proposal"]["decision"]
    sources = [item["source"] for item in decisions["D17"]["evidence"]]
    assert sources[0] == "production"
    assert "inferred" not in sources
    assert decisions["D16"]["decision"].startswith("Absent from the answer")


def test_make_calibrate_against_the_stand_in(tmp_path: Path) -> None:
    """`make calibrate`, as a vendor's checkout runs it, reaches the same verdicts."""
    root = Path(__file__).resolve().parents[2]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tokens, "ACCESS_TTL_SECONDS", 12 * 3600)
        with running_stand_in() as (base_url, pbx):
            _, pair = pbx.issue_tokens()
            patch.setattr(tokens, "ACCESS_TTL_SECONDS", 24 * 3600)
            env = {
                **os.environ,
                "TELE2_ATS_BASE_URL": base_url,
                "TELE2_ATS_ACCESS_TOKEN": pair.access_token,
                "TELE2_ATS_REFRESH_TOKEN": pair.refresh_token,
                "TELE2_ATS_TOKEN_FILE": str(tmp_path / "tokens.json"),
                "TELE2_ATS_MAX_REQUESTS": str(BUDGET),
                "TELE2_ATS_RATE": "1000",
                "CONTRACT_REPORTS_DIR": str(tmp_path),
            }
            done = subprocess.run(
                [
                    "make",
                    "--no-print-directory",
                    "calibrate",
                    f"CALIBRATE_ARGS=--now {PINNED_NOW.isoformat()}",
                ],
                cwd=root,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads((tmp_path / "calibration-report.json").read_text(encoding="utf-8"))
    assert {d for d, v in _verdicts(report).items() if v == "refuted"} == REFUTED
    assert (
        (tmp_path / "calibration-report.md")
        .read_text(encoding="utf-8")
        .startswith(f"# Calibration {report['run']}")
    )
