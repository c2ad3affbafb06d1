"""`POST /mock/reset {historyDays, callsPerDay}` reseeds the journal it is asked for."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from starlette.testclient import TestClient

from mock_server.domain.rules.history import expected_call_count
from tests.conftest import Api, issue


def _now(client: TestClient) -> datetime:
    return datetime.fromisoformat(client.get("/mock/clock").json()["now"])


def _calls(api: Api, start: datetime, end: datetime) -> int:
    window = {"start": start.isoformat(), "end": end.isoformat()}
    count: int = api.ok("GET", "/statistics/journal", params=window)["numberOfCalls"]
    return count


@pytest.mark.parametrize(("days", "per_day"), [(2, 600), (6, 200), (0, 600)])
def test_reset_seeds_the_days_and_the_calls_per_day_asked_for(
    client: TestClient, days: int, per_day: int
) -> None:
    reset = client.post("/mock/reset", json={"historyDays": days, "callsPerDay": per_day})
    assert reset.status_code == 200, reset.text
    now = _now(client)
    api = Api(client, issue(client)["accessToken"])
    everything = _calls(api, now - timedelta(days=400), now + timedelta(days=1))
    # The days before now, and none before them.
    assert _calls(api, now - timedelta(days=days), now) == everything
    # As many as the seeder writes on average for these settings (quiet weekends, business
    # hours in Moscow; seeded, so the same at a given pinned instant).
    expected = expected_call_count(now, days, per_day)
    assert abs(everything - expected) <= expected * 0.2, (everything, expected)
    assert (everything > 0) == (days > 0)
