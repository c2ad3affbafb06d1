"""A null member of a request body is its absence, as Spring reads what Jackson writes (D47).

Jackson writes nulls by default, so a Java client sends `{"id": null, ...}` for every field it
did not set; Spring binds a JSON null to a field exactly as it binds a missing member. Before
this decision the mock answered any null with 400 "None is not of type ...".
"""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import Api


def _employee(api: Api, index: int) -> int:
    employees = [e["employeeId"] for e in api.ok("GET", "/employees") if "fullNumber" in e]
    return int(employees[index])


def _as_jackson_writes(**fields: Any) -> dict[str, Any]:
    """A manager body with every field of the guide's object, null where not set."""
    body: dict[str, Any] = dict.fromkeys(
        ("id", "companyId", "employeeId", "name", "customers", "handleAllCustomers")
    )
    return {**body, **fields}


def test_a_null_id_on_put_is_the_404_of_a_missing_id(api: Api) -> None:
    # 5.8.4: «HTTP 404 – если поле "id" пропущено»; a null id is the field left out.
    body = _as_jackson_writes(employeeId=440, name="r")
    response = api.request("PUT", "/managers", json=body)
    assert response.status_code == 404, response.text
    assert response.json()["status"] == 404


def test_nulls_in_a_manager_and_its_customers_are_absent_fields(api: Api) -> None:
    customer = {
        "id": None,
        "clientId": None,
        "companyId": None,
        "realNumber": "79990000071",
        "companyName": None,
        "info": None,
        "isVip": None,
        "name": None,
    }
    employee = _employee(api, 4)
    body = _as_jackson_writes(employeeId=employee, customers=[customer])
    assert api.ok("POST", "/managers", json=body) == "SUCCESS"
    [created] = [m for m in api.ok("GET", "/managers") if m["employeeId"] == employee]
    assert "name" not in created
    assert created["handleAllCustomers"] is False, "the default, as if absent"
    [saved] = created["customers"]
    assert saved["realNumber"] == "79990000071"
    assert saved["isVip"] is False
    assert not {"companyName", "info", "name"} & set(saved)


def test_null_customers_are_no_customers(api: Api) -> None:
    employee = _employee(api, 5)
    assert api.ok("POST", "/managers", json=_as_jackson_writes(employeeId=employee)) == "SUCCESS"
    [created] = [m for m in api.ok("GET", "/managers") if m["employeeId"] == employee]
    assert created["customers"] == []


@pytest.mark.parametrize(
    ("body", "named"),
    [
        (_as_jackson_writes(), "'employeeId' is a required property"),
        (
            _as_jackson_writes(employeeId=440, customers=[{"realNumber": None}]),
            "'realNumber' is a required property",
        ),
    ],
)
def test_a_null_required_member_is_the_400_naming_it(
    api: Api, body: dict[str, Any], named: str
) -> None:
    response = api.request("POST", "/managers", json=body)
    assert response.status_code == 400, response.text
    assert named in response.json()["message"]


def test_a_null_array_element_is_not_a_member_and_is_refused(api: Api) -> None:
    body = _as_jackson_writes(employeeId=440, customers=[None])
    response = api.request("POST", "/managers", json=body)
    assert response.status_code == 400, response.text
    assert "None is not of type 'object'" in response.json()["message"]


def test_the_control_api_validates_nulls_as_sent(client: TestClient) -> None:
    # D47 is the documented API's reading; the control API's spec says itself which of its
    # members may be null (`companyId` of POST /mock/tokens may not).
    response = client.post("/mock/tokens", json={"companyId": None})
    assert response.status_code == 400, response.text
    assert "None is not of type 'integer' - 'companyId'" in response.text
