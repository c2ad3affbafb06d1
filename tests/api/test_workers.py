"""`--workers 2`: two processes on one socket and one state file behave as one PBX.

Proven, not assumed: a keep-alive connection is served by the one process that accepted it, so
connections are opened until two of them are held by two different processes (each asks
`GET /mock/health` for the `pid` that answers it, before and after its requests). What one
worker is told (a new pair, a clock advance, a write, a reset, a fault rule) must then hold in
the other, and the documented API must answer both alike, byte for byte. The request journal
is each worker's own: its answers, and a failed verification, say whose it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from datetime import timedelta
from typing import Any

import httpx
import pytest

from mock_server.testing.control import ControlClient
from tests.conftest import CONTROL
from tests.mock_process import MockProcess, running_mock
from tests.pinned import PINNED_NOW

pytestmark = pytest.mark.slow
MAX_CONNECTIONS = 64
WINDOW = {
    "start": (PINNED_NOW - timedelta(days=2)).isoformat(),
    "end": (PINNED_NOW + timedelta(days=1)).isoformat(),
}


class Worker:
    """One keep-alive connection, and the process that serves it."""

    def __init__(self, mock: MockProcess, client: httpx.Client) -> None:
        self.mock = mock
        self.client = client
        self.pid = self._health()["pid"]

    def _health(self) -> dict[str, Any]:
        response = self.client.get(self.mock.base_url + "/mock/health")
        assert response.status_code == 200, response.text
        health: dict[str, Any] = response.json()
        return health

    def health(self) -> dict[str, Any]:
        """`/mock/health`, from this worker (or the test fails)."""
        health = self._health()
        assert health["pid"] == self.pid, "the connection moved to another process"
        return health

    def request(self, method: str, path: str, token: str | None = None, **kwargs: Any) -> Any:
        """A request on this worker's connection; the worker is the same one after it."""
        headers = {"Authorization": token} if token else {}
        url = (self.mock.api_url if token else self.mock.base_url) + path
        response = self.client.request(method, url, headers=headers, **kwargs)
        self.health()
        return response

    def issue(self, company_id: int) -> dict[str, str]:
        response = self.request("POST", "/mock/tokens", json={"companyId": company_id})
        assert response.status_code == 200, response.text
        pair: dict[str, str] = response.json()
        return pair

    def answer(self, token: str, path: str = "/employees") -> tuple[int, Any]:
        response = self.request("GET", path, token)
        return response.status_code, response.json()


@pytest.fixture(scope="module")
def mock() -> Iterator[MockProcess]:
    with running_mock("--workers", "2", "--history-days", "2") as process:
        yield process


@pytest.fixture
def workers(mock: MockProcess) -> Iterator[tuple[Worker, Worker]]:
    """Two connections served by two different worker processes."""
    with ExitStack() as stack:
        found: dict[int, Worker] = {}
        for _ in range(MAX_CONNECTIONS):
            client = stack.enter_context(httpx.Client(timeout=30))
            worker = Worker(mock, client)
            found.setdefault(worker.pid, worker)
            if len(found) == 2:
                break
        assert len(found) == 2, f"{MAX_CONNECTIONS} connections were all served by {set(found)}"
        first, second = found.values()
        yield first, second


def test_two_processes_serve_the_port(mock: MockProcess, workers: tuple[Worker, Worker]) -> None:
    assert "2 workers" in mock.banner
    pids = {worker.pid for worker in workers}
    assert len(pids) == 2
    assert mock.pid not in pids, "the supervisor only forwards signals; the workers serve"


def test_the_documented_api_answers_alike_from_both(workers: tuple[Worker, Worker]) -> None:
    one, two = workers
    token = one.issue(391)["accessToken"]
    reads = [
        ("/employees", {}),
        ("/managers", {}),
        ("/blacklist", {}),
        ("/call-records/info", {**WINDOW, "size": 50, "sort": "date,DESC"}),
        ("/statistics/common", WINDOW),
        ("/statistics/journal", WINDOW),
    ]
    for path, params in reads:
        first = one.request("GET", path, token, params=params)
        second = two.request("GET", path, token, params=params)
        assert first.status_code == second.status_code == 200, (path, first.text, second.text)
        assert first.content == second.content, path
    assert one.request("GET", "/call-records/info", token, params=WINDOW).json(), "calls to compare"


def test_a_new_pair_supersedes_the_old_one_in_both(workers: tuple[Worker, Worker]) -> None:
    one, two = workers
    old = one.issue(391)
    assert one.answer(old["accessToken"])[0] == two.answer(old["accessToken"])[0] == 200
    one.request("POST", "/mock/clock/advance", json={"seconds": 1})  # a new second
    new = one.issue(391)  # issued by the first worker
    superseded = (403, {"details": "The token has already been updated"})
    assert two.answer(old["accessToken"]) == superseded
    assert one.answer(old["accessToken"]) == superseded
    assert two.answer(new["accessToken"])[0] == 200


def test_a_clock_advance_holds_in_both(workers: tuple[Worker, Worker]) -> None:
    one, two = workers
    pair = two.issue(393)
    before = two.health()["now"]
    for worker in (one, two, one, two):  # four advances of six hours, alternating workers
        moved = worker.request("POST", "/mock/clock/advance", json={"seconds": 6 * 3600})
        assert moved.status_code == 200, moved.text
    one.request("POST", "/mock/clock/advance", json={"seconds": 1})
    assert one.health()["now"] == two.health()["now"] != before
    expired = (403, {"details": "The token is expired"})
    assert two.answer(pair["accessToken"]) == expired
    assert one.answer(pair["accessToken"]) == expired


def test_a_write_in_one_is_read_and_ruled_on_in_the_other(workers: tuple[Worker, Worker]) -> None:
    one, two = workers
    token = one.issue(394)["accessToken"]
    added = one.request("POST", "/blacklist", token, content="79995551234")
    assert added.json() == "SUCCESS"
    assert "79995551234" in {e["number"] for e in two.answer(token, "/blacklist")[1]}
    again = two.request("POST", "/blacklist", token, content="79995551234")
    assert again.json() == "DUPLICATE_BLACK_LIST_NUMBER"


def test_a_reset_holds_in_both(workers: tuple[Worker, Worker]) -> None:
    one, two = workers
    token = one.issue(395)["accessToken"]
    reset = two.request("POST", "/mock/reset", json={"seed": 9})
    assert reset.status_code == 200, reset.text
    assert one.health()["seed"] == two.health()["seed"] == 9
    assert one.answer(token)[0] == two.answer(token)[0] == 403
    fresh = two.issue(391)["accessToken"]
    assert one.answer(fresh) == two.answer(fresh)


@pytest.fixture
def clean_faults(workers: tuple[Worker, Worker]) -> Iterator[tuple[Worker, Worker]]:
    """The two workers; every fault rule is removed afterwards (the mock serves the module)."""
    yield workers
    one = workers[0]
    deleted = one.client.delete(one.mock.base_url + "/mock/faults", headers=CONTROL)
    assert deleted.status_code == 204, deleted.text


def test_a_fault_rule_added_in_one_worker_holds_in_both(
    clean_faults: tuple[Worker, Worker],
) -> None:
    one, two = clean_faults
    token = one.issue(396)["accessToken"]
    added = one.request("POST", "/mock/faults", json={"operationId": "getEmployees", "status": 503})
    assert added.status_code == 201, added.text
    statuses = [worker.answer(token)[0] for _ in range(10) for worker in (one, two)]
    assert statuses == [503] * 20, "every getEmployees, whichever worker serves it"
    fired = {
        w.request("GET", f"/mock/faults/{added.json()['id']}").json()["fired"] for w in (one, two)
    }
    assert fired == {20}


def test_times_counts_the_firings_of_both_workers(clean_faults: tuple[Worker, Worker]) -> None:
    one, two = clean_faults
    token = one.issue(396)["accessToken"]
    rule = {"operationId": "getEmployees", "status": 503, "times": 6}
    assert two.request("POST", "/mock/faults", json=rule).status_code == 201
    statuses = [worker.answer(token)[0] for _ in range(6) for worker in (one, two)]
    assert statuses == [503] * 6 + [200] * 6
    assert [r["remaining"] for r in one.request("GET", "/mock/faults").json()["faults"]] == [0]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/mock/requests", None),
        ("POST", "/mock/requests/count", {}),
        ("POST", "/mock/requests/near-misses", {"status": 599}),
        ("GET", "/mock/advisories", None),
    ],
)
def test_a_journal_answer_says_which_worker_answered(
    workers: tuple[Worker, Worker], method: str, path: str, body: Any
) -> None:
    answers = [w.request(method, path, json=body).json()["process"] for w in workers]
    assert [a["pid"] for a in answers] == [w.pid for w in workers]
    assert sorted(a["worker"] for a in answers) == [1, 2]
    assert {a["workers"] for a in answers} == {2}


def test_a_failed_verification_says_it_saw_one_workers_journal(
    mock: MockProcess, workers: tuple[Worker, Worker]
) -> None:
    one, two = workers
    token = one.issue(397)["accessToken"]
    for _ in range(20):  # 40 requests, 20 served by each worker
        assert one.answer(token)[0] == two.answer(token)[0] == 200
    with ControlClient(mock.base_url) as control:
        served_by = control.health().pid
        with pytest.raises(AssertionError) as failure:
            control.assert_called(operation_id="getEmployees", company_id=397, times=40)
    message = str(failure.value)
    assert "exactly 40, got 20" in message, message
    assert "this is the journal of worker" in message, message
    assert f"of 2, pid {served_by}: with --workers 2 each worker journals only" in message
