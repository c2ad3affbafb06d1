"""Helpers of the console's tests: fetch a page of the console in-process and read it."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from starlette.testclient import TestClient

from tests.console.html import Element, parse

__all__ = ["CONSOLE", "follow", "get_page", "messages", "post_form", "value_of"]

CONSOLE = "/mock/console"


def get_page(client: TestClient, path: str, status: int = 200, **params: Any) -> Element:
    response = client.get(CONSOLE + path, params=params)
    assert response.status_code == status, f"{response.status_code}: {response.text[:2000]}"
    assert response.headers["content-type"].startswith("text/html")
    return parse(response.text)


def follow(client: TestClient, link: Element) -> Element:
    """The page a link of the console leads to."""
    response = client.get(link.attrs["href"])
    assert response.status_code == 200, f"{response.status_code}: {response.text[:2000]}"
    return parse(response.text)


def post_form(client: TestClient, path: str, fields: dict[str, str], status: int = 303) -> Element:
    """Post a form as the page does (with the page's Origin, as browsers send it); follow the
    redirect back (a 303) and read that page."""
    data = {"company": "391", **fields}
    origin = {"Origin": str(client.base_url).rstrip("/")}
    response = client.post(CONSOLE + path, data=data, headers=origin, follow_redirects=False)
    assert response.status_code == status, f"{response.status_code}: {response.text[:2000]}"
    if status == 303:
        location = urlsplit(response.headers["location"])
        response = client.get(location.path + "?" + location.query)
        assert response.status_code == 200, response.text[:2000]
    return parse(response.text)


def messages(page: Element, kind: str) -> list[str]:
    """The page's messages of `kind` (`ok` after a form's success, `error` for a refusal)."""
    return [p.text for p in page.find_all("p", class_="message") if kind in p.attrs["class"]]


def value_of(page: Element, element_id: str) -> str:
    element = page.find(id=element_id)
    return element.attrs.get("value", element.text)
