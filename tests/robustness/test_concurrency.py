"""Faults under concurrency, against a mock process with one worker and with two.

- 20 concurrent `POST /mock/tokens` got a 403 now and then (the handler re-checked the new
  pair, which a concurrent issue had superseded);
- a large reset under traffic stalled everything for 30 s, answered 500 ("database is
  locked") and showed a half-reset state (404 "Company 391 not found").
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.conftest import CONTROL
from tests.mock_process import MockProcess, running_mock

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=["1", "2"], ids=["1-worker", "2-workers"])
def mock(request: pytest.FixtureRequest) -> Iterator[MockProcess]:
    with running_mock("--workers", request.param, "--history-days", "2") as process:
        yield process


def test_concurrent_token_requests_all_get_their_pair(mock: MockProcess) -> None:
    def issue(i: int) -> int:
        body = {"companyId": 391} if i % 2 else None
        answer = httpx.post(mock.base_url + "/mock/tokens", json=body, headers=CONTROL, timeout=60)
        return answer.status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = Counter(pool.map(issue, range(400)))
    assert statuses == {200: 400}
    # The last pair issued is the user's current one, and it works.
    last = httpx.post(mock.base_url + "/mock/tokens", headers=CONTROL).json()
    employees = httpx.get(
        mock.api_url + "/employees", headers={"Authorization": last["accessToken"]}
    )
    assert employees.status_code == 200


@pytest.mark.parametrize("rule", [False, True], ids=["", "firing-rule"])
def test_a_large_reset_under_traffic_is_atomic_and_never_500(mock: MockProcess, rule: bool) -> None:
    """With `rule`, a fault rule fires on the traffic's requests: counting its firings in the
    store must not wait for the reset's transaction (the mock would stop answering)."""
    old = httpx.post(mock.base_url + "/mock/tokens", headers=CONTROL).json()["accessToken"]
    if rule:
        added = {"operationId": "getEmployees", "delayMs": 0}
        assert httpx.post(mock.base_url + "/mock/faults", json=added).status_code == 201
    answers: Counter[tuple[str, int]] = Counter()
    health: Counter[str] = Counter()
    problems: list[str] = []
    done = threading.Event()

    def traffic() -> None:
        with httpx.Client(timeout=60) as client:
            while not done.is_set():
                status = client.get(mock.base_url + "/mock/health").json()["status"]
                health[status] += 1
                for name, response in (
                    (
                        "employees",
                        client.get(mock.api_url + "/employees", headers={"Authorization": old}),
                    ),
                    ("tokens", client.post(mock.base_url + "/mock/tokens", headers=CONTROL)),
                    ("clock", client.get(mock.base_url + "/mock/clock")),
                ):
                    answers[(name, response.status_code)] += 1
                    if response.status_code == 503 and "retry-after" not in response.headers:
                        problems.append(f"{name}: 503 without Retry-After")
                    if response.status_code not in (200, 403, 503):
                        problems.append(f"{name}: {response.status_code} {response.text[:200]}")

    workers = [threading.Thread(target=traffic) for _ in range(3)]
    for worker in workers:
        worker.start()
    time.sleep(0.3)
    try:
        reset = httpx.post(
            mock.base_url + "/mock/reset",
            # The largest history a body may ask for (its schema's bound).
            json={"callsPerDay": 600, "historyDays": 31},
            timeout=300,
        )
    finally:
        done.set()
        for worker in workers:
            worker.join()
    assert reset.status_code == 200, reset.text
    assert problems == [], problems
    assert health["resetting"] > 0, (health, answers)  # it answered while the reset ran
    if rule:  # ... all along, not only before the reset took the store's write lock
        assert health["resetting"] >= 3, (health, answers)
    assert answers[("tokens", 503)] > 0, answers
    # Whole before, whole after: the default company always existed, the old token died.
    new = httpx.post(mock.base_url + "/mock/tokens", headers=CONTROL).json()["accessToken"]
    assert httpx.get(mock.api_url + "/employees", headers={"Authorization": new}).status_code == 200
    assert httpx.get(mock.api_url + "/employees", headers={"Authorization": old}).status_code == 403
    assert httpx.get(mock.base_url + "/mock/health").json()["status"] == "ok"
    # A reset back to the small history, so the module's other tests stay quick.
    assert (
        httpx.post(
            mock.base_url + "/mock/reset",
            json={"callsPerDay": 40, "historyDays": 2},
            timeout=300,  # wiping the large history takes seconds on a busy machine
        ).status_code
        == 200
    )


def test_malformed_bodies_are_400_in_every_worker(mock: MockProcess) -> None:
    """NaN, deep nesting and ids that overflow: 400, the clock and the companies unchanged,
    whichever worker answers (each request may land on either)."""
    # A pair of its own: the banner's died with the reset of the test before.
    token = httpx.post(mock.base_url + "/mock/tokens", headers=CONTROL).json()["accessToken"]
    before = httpx.get(mock.base_url + "/mock/health").json()
    # A reset may have killed the banner's pair.
    token = httpx.post(mock.base_url + "/mock/tokens", headers=CONTROL).json()["accessToken"]
    for _ in range(4):
        nan = httpx.post(
            mock.base_url + "/mock/clock/advance",
            content='{"seconds": NaN}',
            headers={"Content-Type": "application/json"},
        )
        assert nan.status_code == 400, nan.text
        deep = httpx.post(
            mock.api_url + "/managers",
            content="[" * 1000 + "]" * 1000,
            headers={"Content-Type": "application/json", "Authorization": token},
        )
        assert deep.status_code == 400, deep.text
        assert deep.json()["message"].startswith("Request body: JSON nested too deeply")
        overflow = httpx.post(mock.base_url + "/mock/tokens", json={"companyId": 2**63 - 1})
        assert overflow.status_code == 400, overflow.text
    after = httpx.get(mock.base_url + "/mock/health").json()
    assert (after["now"], after["companies"]) == (before["now"], before["companies"])
