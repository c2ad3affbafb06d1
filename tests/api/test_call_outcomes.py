"""Call outcomes over the wire: queue how calls end, end them now, find the call one placed."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import Api, issue


def employee_numbers(api: Api) -> list[str]:
    return [e["fullNumber"] for e in api.ok("GET", "/employees") if "fullNumber" in e]


def window(client: TestClient) -> dict[str, str]:
    now = datetime.fromisoformat(client.get("/mock/clock").json()["now"])
    return {
        "start": (now - timedelta(minutes=1)).isoformat(),
        "end": (now + timedelta(hours=2)).isoformat(),
    }


def queue(client: TestClient, **outcome: Any) -> dict[str, Any]:
    response = client.post("/mock/calls/outcomes", json=outcome)
    assert response.status_code == 201, response.text
    queued: dict[str, Any] = response.json()
    return queued


def test_forced_answered_click_to_call_lands_with_recording_and_transcript_after_settle(
    client: TestClient, api: Api
) -> None:
    queued = queue(client, outcome="answered", durationSeconds=75, direction="outgoing")
    source = employee_numbers(api)[0]
    api.ok("POST", "/call/outgoing", params={"source": source, "destination": "79533933557"})
    [placed] = client.get("/mock/calls").json()["calls"]
    assert (placed["state"], placed["outcomeId"]) == ("live", queued["id"])
    assert client.post("/mock/calls/settle", json={"companyId": 391}).json() == {"settled": 1}
    assert api.ok("GET", "/monitoring/calls") == []
    [record] = [
        r
        for r in api.ok("GET", "/call-records/info", params={**window(client), "size": 100})
        if r["uuid"] == placed["uuid"]
    ]
    assert record["callType"] == "CRM_OUTGOING"
    assert record["callStatus"] == "ANSWERED_COMMON"
    assert record["conversationDuration"] == 75
    name = record["recordFileName"]
    recording = api.get("/call-records/file", params={"filename": name})
    assert recording.status_code == 200
    assert recording.headers["content-type"] == "audio/mpeg"
    words = api.ok("GET", "/call-records/file/stt", params={"filename": name})
    assert words
    assert {"channel", "word", "startTime", "endTime"} <= set(words[0])
    [finished] = client.get("/mock/calls").json()["calls"]
    assert (finished["state"], finished["recordFileName"]) == ("finished", name)


def test_forced_no_transcript_answers_404_on_stt(client: TestClient, api: Api) -> None:
    queue(client, transcript=False)
    api.ok(
        "POST",
        "/call/outgoing",
        params={"source": employee_numbers(api)[0], "destination": "79533933557"},
    )
    client.post("/mock/calls/settle")
    [call] = client.get("/mock/calls").json()["calls"]
    assert call["recordFileName"]
    assert call["hasTranscript"] is False
    stt = api.get("/call-records/file/stt", params={"filename": call["recordFileName"]})
    assert stt.status_code == 404, stt.text
    # D50: the Spring error body of any 404, naming the recording; the recording itself is there.
    body = stt.json()
    assert (body["status"], body["error"]) == (404, "Not Found"), body
    assert body["message"] == f"No transcript for recording {call['recordFileName']!r}"
    recording = api.get("/call-records/file", params={"filename": call["recordFileName"]})
    assert recording.status_code == 200


def test_simulated_call_with_its_own_fields_leaves_the_queue(client: TestClient) -> None:
    queue(client, outcome="busy")
    response = client.post(
        "/mock/calls/incoming",
        json={"from": "79533933557", "outcome": "answered", "recording": False},
    )
    assert response.status_code == 200, response.text
    assert response.json()["recordFileName"] == ""
    outcomes = client.get("/mock/calls/outcomes").json()["outcomes"]
    assert [o["outcome"] for o in outcomes] == ["busy"]
    taken = client.post("/mock/calls/incoming", json={"from": "79533933558"}).json()
    assert taken["callStatus"] == "DESTINATION_BUSY", "the next call takes the queued outcome"


def test_outcomes_are_listed_and_cleared_per_company(client: TestClient) -> None:
    issue(client, companyId=1200)
    queue(client, outcome="not_answered", companyId=1200)
    queue(client, outcome="busy")
    assert (
        len(client.get("/mock/calls/outcomes", params={"companyId": 1200}).json()["outcomes"]) == 1
    )
    assert client.delete("/mock/calls/outcomes", params={"companyId": 1200}).status_code == 204
    assert client.get("/mock/calls/outcomes", params={"companyId": 1200}).json()["outcomes"] == []
    assert len(client.get("/mock/calls/outcomes").json()["outcomes"]) == 1, "391's stays"


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"recording": False, "transcript": True}, 400, "a transcript needs a recording"),
        ({"outcome": "hung_up"}, 400, "outcome"),
        ({"answeredBy": "79990000000"}, 404, "answeredBy"),
        ({"companyId": 77777}, 404, "Company 77777 not found"),
    ],
)
def test_bad_outcomes_are_problems(
    client: TestClient, body: dict[str, Any], status: int, message: str
) -> None:
    response = client.post("/mock/calls/outcomes", json=body)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert message in response.json()["detail"]


def test_settle_and_calls_of_an_unknown_company_are_404(client: TestClient) -> None:
    assert client.post("/mock/calls/settle", json={"companyId": 77777}).status_code == 404
    assert client.get("/mock/calls", params={"companyId": 77777}).status_code == 404
