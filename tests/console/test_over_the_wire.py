"""The console of a mock process: the banner says where it is, and it is there."""

from __future__ import annotations

import re

import httpx

from tests.mock_process import running_mock


def test_the_banner_prints_the_console_and_it_serves() -> None:
    with running_mock("--history-days", "1") as mock:
        line = re.search(r"^  Console: +(\S+)$", mock.banner, re.MULTILINE)
        assert line is not None, mock.banner
        assert line[1] == f"{mock.base_url}/mock/console/"
        response = httpx.get(line[1])
        assert response.status_code == 200, response.text
        assert "<h1>Обзор</h1>" in response.text
        assert httpx.get(line[1] + "static/console.js").status_code == 200
