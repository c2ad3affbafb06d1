"""«Статистика»: the API's figures for the window, and calls per hour that add up to them."""

from __future__ import annotations

from starlette.testclient import TestClient

from mock_server.console.text import COMMON_STATISTICS, from_local_input
from tests.conftest import Api
from tests.console.html import Element
from tests.console.pages import get_page, value_of


def _window(page: Element) -> dict[str, str]:
    return {
        name: from_local_input(value_of(page, f"stats-{name}")).isoformat()
        for name in ("start", "end")
    }


def _figures(page: Element) -> dict[str, str]:
    return {td.attrs["data-key"]: td.text for td in page.find_all("td", data_key=None)}


def test_the_figures_are_the_apis(client: TestClient, api: Api) -> None:
    page = get_page(client, "/statistics")
    common = api.ok("GET", "/statistics/common", params=_window(page))
    journal = api.ok("GET", "/statistics/journal", params=_window(page))
    figures = _figures(page)
    assert set(COMMON_STATISTICS) == set(common)
    for key, value in common.items():
        shown = float(figures[key])
        assert shown == (round(value, 2) if isinstance(value, float) else value), key
    assert int(figures["numberOfCalls"]) == journal["numberOfCalls"]
    assert int(figures["numberOfSuccessCalls"]) == journal["numberOfSuccessCalls"]


def test_calls_per_hour_add_up_to_the_calls_of_the_window(client: TestClient, api: Api) -> None:
    page = get_page(client, "/statistics")
    common = api.ok("GET", "/statistics/common", params=_window(page))
    assert common["allCallCount"] > 0
    hours = page.find("details").find("tbody").find_all("tr")
    assert len(hours) == 24
    assert sum(int(row.find_all("td")[1].text) for row in hours) == common["allCallCount"]
    bars = page.find("svg", class_="chart").find_all("rect", class_="bar")
    assert len(bars) == 24
    assert max(float(bar.attrs["height"]) for bar in bars) > 0
    counts = [int(row.find_all("td")[1].text) for row in hours]
    assert sum(counts[:7]) == 0, "the seeded journal is quiet at night (Moscow time)"


def test_the_statistics_of_one_number(client: TestClient, api: Api) -> None:
    everyone = get_page(client, "/statistics")
    window = _window(everyone)
    records = api.ok("GET", "/call-records/info", params={**window, "size": 1})
    number = records[0]["callerNumber"]
    page = get_page(client, "/statistics", number=number)
    common = api.ok("GET", "/statistics/common", params={**window, "subscriberNumber": number})
    assert int(_figures(page)["allCallCount"]) == common["allCallCount"]
    assert common["allCallCount"] < int(_figures(everyone)["allCallCount"])
    assert f"Общая статистика номера {number}" in page.text
