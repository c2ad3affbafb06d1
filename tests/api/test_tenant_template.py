"""A tenant copied from the template (storage/templates.py) is the tenant seeding would make:
every stored row and every read of the documented API answer the same as for a tenant seeded
afresh from the same inputs, in a PBX that never copies."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from mock_server.domain.pbx import Pbx
from mock_server.domain.storage.seed import company_main_number
from mock_server.http.app import create_app
from tests.conftest import CONTROL, SMALL_HISTORY, Api, new_company
from tests.pinned import PINNED_NOW, pinned_config

WINDOW = {
    "start": (PINNED_NOW - timedelta(days=4)).isoformat(),
    "end": (PINNED_NOW + timedelta(days=1)).isoformat(),
}
# The tables a company is stored in, and how to find its rows there.
COMPANY_ROWS = {
    "companies": "id = ?",
    "company_profiles": "company_id = ?",
    "employees": "company_id = ?",
    "queues": "company_id = ?",
    "queue_members": "company_id = ?",
    "blacklist": "company_id = ?",
    "managers": "company_id = ?",
    "customers": "company_id = ?",
    "journal_parties": "company_id = ?",
    "calls": "company_id = ?",
    "call_json": "id IN (SELECT id FROM calls WHERE company_id = ?)",
    "journal_rollups": "company_id = ?",
}


class Mock:
    """A PBX and a client of its app."""

    def __init__(self, pbx: Pbx, client: TestClient) -> None:
        self.pbx = pbx
        self.client = client

    def rows(self, company_id: int) -> dict[str, list[tuple[Any, ...]]]:
        """Every stored row of the company."""
        conn = self.pbx.store.read()
        return {
            table: sorted(
                (
                    tuple(row)
                    for row in conn.execute(f"SELECT * FROM {table} WHERE {where}", (company_id,))
                ),
                key=repr,
            )
            for table, where in COMPANY_ROWS.items()
        }


def _mock(copies: bool) -> Iterator[Mock]:
    pbx = Pbx(pinned_config(**SMALL_HISTORY))
    made: list[bool] = []
    copy = pbx.template.copy

    def counted(*args: Any) -> bool:
        made.append(copies and copy(*args))
        return made[-1]

    pbx.template.copy = counted  # type: ignore[method-assign,assignment]
    with TestClient(create_app(pbx), raise_server_exceptions=False, headers=CONTROL) as client:
        yield Mock(pbx, client)
    pbx.close()
    # The copying PBX copied every tenant but the first of each minute; the other none.
    assert any(made) == copies


@pytest.fixture
def copying() -> Iterator[Mock]:
    yield from _mock(copies=True)


@pytest.fixture
def seeding() -> Iterator[Mock]:
    """A PBX that seeds every tenant afresh (its template is never copied)."""
    yield from _mock(copies=False)


def _reads(api: Api) -> dict[str, Any]:
    """Every read of the documented API a seeded company answers."""
    reads: dict[str, Any] = {}
    for path in ("/employees", "/managers", "/blacklist", "/monitoring/calls"):
        reads[path] = api.ok("GET", path)
    reads["/monitoring/calls/pending"] = api.ok("GET", "/monitoring/calls/pending")
    for manager in reads["/managers"]:
        reads[f"/managers/{manager['id']}"] = api.ok("GET", f"/managers/{manager['id']}")
    for sort in ("date,ASC", "date,DESC", "callDuration,DESC"):
        reads[f"journal {sort}"] = api.ok(
            "GET", "/call-records/info", params={**WINDOW, "size": 2000, "sort": sort}
        )
    reads["journal page 2"] = api.ok(
        "GET", "/call-records/info", params={**WINDOW, "size": 7, "page": 2}
    )
    reads["statistics/common"] = api.ok("GET", "/statistics/common", params=WINDOW)
    reads["statistics/journal"] = api.ok("GET", "/statistics/journal", params=WINDOW)
    numbers = [e["fullNumber"] for e in reads["/employees"] if e.get("fullNumber")]
    for number in numbers[:3]:
        reads[f"statistics/common {number}"] = api.ok(
            "GET", "/statistics/common", params={**WINDOW, "subscriberNumber": number}
        )
        reads[f"statistics/journal {number}"] = api.ok(
            "GET", "/statistics/journal", params={**WINDOW, "number": number}
        )
    recorded = [r for r in reads["journal date,ASC"] if r["recordFileName"]]
    assert recorded, "the seeded history holds recorded calls"
    for record in recorded[:2]:
        name = record["recordFileName"]
        audio = api.get("/call-records/file", params={"filename": name})
        assert audio.status_code == 200, audio.text
        reads[f"file {name}"] = audio.content
        stt = api.get("/call-records/file/stt", params={"filename": name})
        reads[f"stt {name}"] = (stt.status_code, stt.content)
    return reads


def _same(copying: Mock, seeding: Mock, count: int) -> None:
    """`count` new tenants of each mock store the same rows and answer the same reads."""
    for _ in range(count):
        ours, theirs = new_company(copying.client), new_company(seeding.client)
        assert ours["companyId"] == theirs["companyId"]
        assert ours["now"] == theirs["now"]
        # The reads first: they write a copied tenant's history (it is due until then).
        assert _reads(Api(copying.client, ours["accessToken"])) == _reads(
            Api(seeding.client, theirs["accessToken"])
        )
        assert copying.rows(ours["companyId"]) == seeding.rows(theirs["companyId"])


def test_a_copied_tenant_stores_and_answers_what_seeding_afresh_would(
    copying: Mock, seeding: Mock
) -> None:
    _same(copying, seeding, 3)
    # A company of other rows in between (its ids come after the template's): the next copy's
    # ids follow them, as seeding's do.
    for mock in (copying, seeding):
        assert mock.client.post("/mock/companies", json={"companyId": 4242}).status_code == 201
    _same(copying, seeding, 1)


def test_a_tenant_of_a_later_minute_is_seeded_for_that_minute(copying: Mock, seeding: Mock) -> None:
    _same(copying, seeding, 1)
    for mock in (copying, seeding):
        moved = mock.client.post("/mock/clock/advance", json={"seconds": 3 * 3600 + 30})
        assert moved.status_code == 200, moved.text
    _same(copying, seeding, 2)


def test_tenants_share_their_data_but_not_their_ids_or_domain(copying: Mock) -> None:
    """Every tenant is drawn from one profile: the same people and history whichever id it
    drew, its own ids and e-mail domain."""
    first, second = new_company(copying.client), new_company(copying.client)
    one = Api(copying.client, first["accessToken"]).ok("GET", "/employees")
    two = Api(copying.client, second["accessToken"]).ok("GET", "/employees")
    assert [(e.get("fullNumber"), e.get("surname")) for e in one] == [
        (e.get("fullNumber"), e.get("surname")) for e in two
    ]
    domains = {
        tenant["companyId"]: {e["email"].split("@")[1] for e in staff if e.get("email")}
        for tenant, staff in ((first, one), (second, two))
    }
    assert all(len(found) == 1 for found in domains.values())
    for company_id, found in domains.items():
        assert next(iter(found)).endswith(f"-{company_id}.ru")


def test_a_history_first_read_after_the_template_moved_on_is_its_own_minutes(
    copying: Mock, seeding: Mock
) -> None:
    """B's history is due when the clock moves on and C replaces the template: B's first read
    writes the history of B's own minute, seeded afresh, as seeding wrote it at B's creation."""
    created: dict[str, list[dict[str, Any]]] = {"copying": [], "seeding": []}
    for name, mock in (("copying", copying), ("seeding", seeding)):
        created[name] += [new_company(mock.client), new_company(mock.client)]
        moved = mock.client.post("/mock/clock/advance", json={"seconds": 120})
        assert moved.status_code == 200, moved.text
        created[name].append(new_company(mock.client))
    for ours, theirs in zip(created["copying"][1:], created["seeding"][1:], strict=True):
        assert _reads(Api(copying.client, ours["accessToken"])) == _reads(
            Api(seeding.client, theirs["accessToken"])
        )


def test_a_call_placed_first_finds_the_history_written(copying: Mock, seeding: Mock) -> None:
    """A click-to-call before any read (a write of the journal) writes the due history first:
    the call lands after it, named and counted as with a history seeded at creation."""
    journals = []
    for mock in (copying, seeding):
        new_company(mock.client)  # the template's
        tenant = new_company(mock.client)
        api = Api(mock.client, tenant["accessToken"])
        employee = next(e for e in api.ok("GET", "/employees") if e.get("fullNumber"))
        placed = api.request(
            "POST",
            "/call/outgoing",
            params={"source": employee["fullNumber"], "destination": "79161234567"},
        )
        assert placed.status_code == 200, placed.text
        settled = mock.client.post("/mock/calls/settle", json={"companyId": tenant["companyId"]})
        assert settled.status_code == 200, settled.text
        journals.append(_reads(api))
    assert journals[0] == journals[1]


def test_a_tenant_deleted_unread_leaves_no_rows(copying: Mock) -> None:
    new_company(copying.client)  # the template's
    tenant = new_company(copying.client)
    assert copying.client.delete(f"/mock/companies/{tenant['companyId']}").status_code == 204
    assert not any(copying.rows(tenant["companyId"]).values())
    due = copying.pbx.store.read().execute("SELECT COUNT(*) FROM history_due").fetchone()[0]
    assert due == 0


def test_a_copied_tenant_whose_data_a_file_replaces_is_the_files_alone(copying: Mock) -> None:
    """PUT /mock/companies/{id}/data on a copy whose history is still due: the company is the
    file's (a file's company is never a template's copy), no template history written at its
    first read, its main number and later draws its own."""
    new_company(copying.client)  # the template's
    tenant = new_company(copying.client)
    company_id = tenant["companyId"]
    employees = [{"employeeId": 1, "name": "Анна", "fullNumber": "79160000001"}]
    replaced = copying.client.put(
        f"/mock/companies/{company_id}/data",
        json={"format": "tele2-ats-tenant/1", "employees": employees},
    )
    assert replaced.status_code == 200, replaced.text
    api = Api(copying.client, tenant["accessToken"])
    assert api.ok("GET", "/employees") == employees
    assert api.ok("GET", "/call-records/info", params={**WINDOW, "size": 2000}) == []
    rows = copying.rows(company_id)
    assert rows["calls"] == []
    assert rows["company_profiles"] == []
    stored = copying.pbx.store.read().execute(
        "SELECT main_number FROM companies WHERE id = ?", (company_id,)
    )
    assert stored.fetchone()[0] == company_main_number(copying.pbx.seed, company_id)
