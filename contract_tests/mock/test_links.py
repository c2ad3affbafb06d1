"""Every OpenAPI link of the spec, followed on purpose from a real answer, with every check.

The stateful tests follow links at random; here each chain the spec declares is walked to its
end, deterministically, with `contract_tests.links` (an evaluator of the runtime expressions
independent of Schemathesis), and every request and answer goes through all of Schemathesis's
checks and this package's own:

- managers: POST -> (ListManagersAfterSave) GET /managers -> (FirstManager) GET one ->
  (UpdateThisManager) PUT -> (DeleteThisManager) DELETE; (UpdateFirstManager) and
  (DeleteFirstManager) from the list. POST answers no id (D6, D7): the list is how a client
  finds what it created, so each flow runs in a company of its own whose managers it deleted.
- blacklist: POST -> (ListBlacklistAfterAdd) GET -> (RemoveAddedNumber) DELETE, and
  (RemoveFirstListedNumber) from the list.
- calls: GET /employees -> (CallFromFirstEmployee) click-to-call -> (CurrentCallsAfterCall)
  the call in progress -> (JournalOfFirstCaller, JournalOfCallSource) the journal, where the
  call lands when the mock clock has moved past its end -> (RecordingOfFirstRecord) its MP3 ->
  (TranscriptOfFirstRecord) its transcript.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

import pytest
import schemathesis
from starlette.testclient import TestClient

from contract_tests.links import Link, follow, links_from, spec_links
from contract_tests.mock.harness import Target
from contract_tests.mockctl import MockControl
from contract_tests.settings import profile
from mock_server.http.app import create_app
from tests.pinned import pinned_config

PROFILE = profile()
APP = create_app(config=pinned_config(seed=3, history_days=2, calls_per_day=10))

MANAGER_LINKS: Final = frozenset(
    {
        "ListManagersAfterSave",
        "FirstManager",
        "UpdateFirstManager",
        "DeleteFirstManager",
        "UpdateThisManager",
        "DeleteThisManager",
    }
)
BLACKLIST_LINKS: Final = frozenset(
    {"ListBlacklistAfterAdd", "RemoveAddedNumber", "RemoveFirstListedNumber"}
)
CALL_LINKS: Final = frozenset(
    {
        "CallFromFirstEmployee",
        "CurrentCallsAfterCall",
        "JournalOfFirstCaller",
        "JournalOfCallSource",
        "RecordingOfFirstRecord",
        "TranscriptOfFirstRecord",
    }
)


@dataclass
class Walk:
    """Requests of one flow, each checked with every check, and the links followed."""

    target: Target
    token: str
    followed: set[str] = field(default_factory=set)

    def send(
        self, case: schemathesis.Case[Any], expect: int | tuple[int, ...] = 200
    ) -> schemathesis.Response:
        # The token goes as an explicit header of the call, as a client sends it; Schemathesis
        # then knows it is a real credential (its `ignored_auth` check resends without it).
        auth = {"Authorization": self.token}
        response = case.call(base_url=self.target.schema.config.base_url, headers=auth)
        case.validate_response(response, headers=auth)
        expected = (expect,) if isinstance(expect, int) else expect
        assert response.status_code in expected, (
            f"{case.operation.label}: {response.status_code} {response.text_lossy()[:300]}"
        )
        return response

    def request(
        self, method: str, path: str, expect: int | tuple[int, ...] = 200, **kwargs: Any
    ) -> tuple[schemathesis.Case[Any], schemathesis.Response]:
        case = self.target.schema[path][method].Case(**kwargs)
        return case, self.send(case, expect)

    def link(
        self, name: str, case: schemathesis.Case[Any], response: schemathesis.Response
    ) -> Link:
        for link in links_from(case.operation.label, response.status_code):
            if link.name == name:
                return link
        raise AssertionError(f"{case.operation.label} declares no link {name!r}")

    def follow(
        self,
        name: str,
        case: schemathesis.Case[Any],
        response: schemathesis.Response,
        expect: int | tuple[int, ...] = 200,
        **extra_query: Any,
    ) -> tuple[schemathesis.Case[Any], schemathesis.Response]:
        target_case = follow(self.link(name, case, response), case, response, self.target.schema)
        target_case.query = {**(target_case.query or {}), **extra_query}
        self.followed.add(name)
        return target_case, self.send(target_case, expect)


@pytest.fixture(scope="module")
def control() -> MockControl:
    return MockControl(TestClient(APP))


@pytest.fixture
def walk(control: MockControl, request: pytest.FixtureRequest) -> Walk:
    # A company per flow (the control API seeds it on first use).
    company = {"test_manager_links": 6101, "test_blacklist_links": 6102, "test_call_links": 6103}[
        request.node.name
    ]
    target = Target.create(PROFILE, examples=1, app=APP)
    target.bind(control, company_id=company)
    return Walk(target, target.binding.access_token())


def test_every_link_is_walked_by_a_flow() -> None:
    declared = {link.name for link in spec_links()}
    assert declared == MANAGER_LINKS | BLACKLIST_LINKS | CALL_LINKS


def test_manager_links(walk: Walk) -> None:
    _, listed = walk.request("GET", "/managers")
    for manager in listed.json():
        walk.request("DELETE", "/managers/{id}", path_parameters={"id": manager["id"]})
    _, employees = walk.request("GET", "/employees")
    employee = employees.json()[0]["employeeId"]
    body = {
        "id": 45,  # ignored (D6)
        "employeeId": employee,
        "name": "Контрактный Тест",
        "customers": [{"realNumber": "79990001001", "isVip": True, "name": "Клиент"}],
        "handleAllCustomers": False,
    }
    created, saved = walk.request("POST", "/managers", body=body, media_type="application/json")
    assert saved.json() == "SUCCESS"

    listing_case, listing = walk.follow("ListManagersAfterSave", created, saved)
    [manager] = listing.json()
    assert manager["employeeId"] == employee
    assert manager["id"] != 45
    assert [c["realNumber"] for c in manager["customers"]] == ["79990001001"]

    one_case, one = walk.follow("FirstManager", listing_case, listing)
    assert one.json() == manager
    updated_case, updated = walk.follow("UpdateFirstManager", listing_case, listing)
    assert updated.json() == "SUCCESS"
    _, relisted = walk.follow("ListManagersAfterSave", updated_case, updated)
    assert relisted.json() == [manager], "saving a manager as listed changes nothing"

    _, again = walk.follow("UpdateThisManager", one_case, one)
    assert again.json() == "SUCCESS"
    walk.follow("DeleteThisManager", one_case, one)
    walk.request("GET", "/managers/{id}", expect=404, path_parameters={"id": manager["id"]})

    created, saved = walk.request("POST", "/managers", body=body, media_type="application/json")
    listing_case, listing = walk.follow("ListManagersAfterSave", created, saved)
    walk.follow("DeleteFirstManager", listing_case, listing)
    _, empty = walk.request("GET", "/managers")
    assert empty.json() == []
    assert walk.followed == MANAGER_LINKS


def test_blacklist_links(walk: Walk) -> None:
    number = "79995550011"
    added_case, added = walk.request("POST", "/blacklist", body=number, media_type="text/plain")
    assert added.json() == "SUCCESS"
    listing_case, listing = walk.follow("ListBlacklistAfterAdd", added_case, added)
    assert number in [entry["number"] for entry in listing.json()]

    _, removed = walk.follow("RemoveAddedNumber", added_case, added)
    assert removed.json() == "SUCCESS"
    _, after = walk.request("GET", "/blacklist")
    assert number not in [entry["number"] for entry in after.json()]

    first = listing.json()[0]["number"]
    walk.follow("RemoveFirstListedNumber", listing_case, listing)
    _, after = walk.request("GET", "/blacklist")
    assert first not in [entry["number"] for entry in after.json()]
    assert walk.followed == BLACKLIST_LINKS


def test_call_links(walk: Walk, control: MockControl) -> None:
    employees_case, employees = walk.request("GET", "/employees")
    source = employees.json()[0]["fullNumber"]
    # The link names the caller; the client names whom to call.
    call_case, placed = walk.follow(
        "CallFromFirstEmployee", employees_case, employees, destination="79161234567"
    )

    current_case, current = walk.follow("CurrentCallsAfterCall", call_case, placed)
    assert source in [call.get("callerNumberFull") for call in current.json()], current.json()
    _, journal = walk.follow("JournalOfFirstCaller", current_case, current)
    assert journal.status_code == 200

    control.advance(3600)  # the call has ended by the mock clock: it is in the journal
    journal_case, journal = walk.follow("JournalOfCallSource", call_case, placed)
    newest = journal.json()[0]
    assert newest["callType"] == "CRM_OUTGOING", newest
    assert newest["callerNumber"] == source, newest
    assert newest["recordFileName"], newest
    _, audio = walk.follow("RecordingOfFirstRecord", journal_case, journal)
    assert audio.headers["content-type"][0].startswith("audio/mpeg")
    _, words = walk.follow("TranscriptOfFirstRecord", journal_case, journal)
    assert words.json(), "an answered click-to-call is transcribed"
    assert walk.followed == CALL_LINKS
