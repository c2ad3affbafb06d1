"""The package README's example (client_gen/readme_example.py) runs against the mock in-process.

The example is imported as it is; only its client is pointed at the in-process app, and its
`end` is the mock clock's now instead of the wall clock's.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from types import ModuleType

import pytest
from starlette.testclient import TestClient
from tele2_ats_client import RefreshingClient, Tele2Ats

from tests.audio import mp3_length
from tests.conftest import advance, issue
from tests.file_modules import load_file_module

from .inprocess import connect, mock_now

EXAMPLE = Path(__file__).resolve().parents[2] / "client_gen" / "readme_example.py"
EMPLOYEE = "79026840778"  # an employee of company 391 in the guide


def _load_example() -> ModuleType:
    return load_file_module(EXAMPLE)


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mock_app: TestClient) -> ModuleType:
    """The example module, its tokens from the environment, its token file in tmp_path."""
    pair = issue(mock_app)
    monkeypatch.setenv("TELE2_ACCESS_TOKEN", pair["accessToken"])
    monkeypatch.setenv("TELE2_REFRESH_TOKEN", pair["refreshToken"])
    monkeypatch.setenv("TELE2_TOKEN_FILE", str(tmp_path / "tokens.json"))
    return _load_example()


def test_readme_example_runs_against_the_mock(
    example: ModuleType, mock_app: TestClient, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client: RefreshingClient = connect(example.make_client(), mock_app)
    issued = client.tokens
    # A recorded call an hour before `end`, whatever the seeded journal holds; by `end` the
    # access token, issued 25 hours earlier, has expired, so the example refreshes the pair.
    advance(mock_app, 23 * 3600)
    placed = mock_app.post(
        "/crm/openapi/call/outgoing",
        params={"source": EMPLOYEE, "destination": "79533933557"},
        headers={"Authorization": issued.access_token},
    )
    assert placed.status_code == 200, placed.text
    advance(mock_app, 2 * 3600)
    end = mock_now(mock_app)
    downloads = tmp_path / "downloads"
    downloads.mkdir()

    example.run(client, end, downloads)
    out = capsys.readouterr().out

    assert "call placed: True" in out, out
    assert "refused: DUPLICATE_BLACK_LIST_NUMBER" in out, out
    assert re.search(r"not found: .*999999.* for /crm/openapi/managers/999999", out), out
    # The refreshed pair was handed to the example's save_tokens.
    saved = json.loads((tmp_path / "tokens.json").read_text())
    assert saved == client.tokens.to_dict() != issued.to_dict(), saved
    # The journal was iterated whole: as many recorded calls as one big page holds.
    checker = RefreshingClient(
        base_url=client.base_url,
        access_token=client.tokens.access_token,
        refresh_token=client.tokens.refresh_token,
    )
    with Tele2Ats(connect(checker, mock_app)) as api:
        week = api.get_call_records(
            start=end - timedelta(days=7), end=end, is_recorded=True, size=2000
        )
    assert week, "the placed call at least"
    assert f"\n{len(week)} recorded calls\n" in out, out
    # The first recording of the week was saved, whole: an MP3 as long as the conversation.
    first = week[0]
    path = downloads / (first.record_file_name.replace("/", "_") + ".mp3")
    assert f"saved {path} {path.stat().st_size} bytes" in out, out
    assert isinstance(first.conversation_duration, int), first
    assert abs(mp3_length(path.read_bytes()) - first.conversation_duration) < 1
    # The async part saved the first recording of the last day.
    latest = (downloads / "latest.mp3").read_bytes()
    assert mp3_length(latest) > 0
    assert f"saved latest.mp3, {len(latest)} bytes" in out, out
    assert re.search(r"^\d+ calls in progress; \d+ waiting$", out, re.MULTILINE), out
    assert sorted(p.name for p in downloads.iterdir()) == sorted([path.name, "latest.mp3"])
