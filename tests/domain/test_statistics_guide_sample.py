"""The guide's 5.6.1 sample, answered: a company whose window holds calls of the sample's shape
gets the sample back, field for field (D19, D20). The request and the sample are read from the
guide file, not copied."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import pytest

from mock_server.domain.rules.hangups import ended_by
from mock_server.domain.rules.journal import CallJournal
from mock_server.domain.rules.statistics import CallStatistics
from mock_server.domain.storage.call_rows import INSERT_CALL, CallRow
from mock_server.domain.storage.seed import seed_company
from mock_server.domain.storage.store import Store
from mock_server.domain.timeutil import Window, parse_instant
from tests.guide_file import load_guide, squash

COMPANY = 777
EMPLOYEES = ("79100000001", "79100000002", "79100000003")
CUSTOMERS = ("79000000001", "79000000002")
STRANGER = "79000000009"
_REQUEST = re.compile(r"/statistics/common\?start=([^&']+)&end=([^&']+)'")


def _sample() -> tuple[str, str, dict[str, Any]]:
    """(start, end) of 5.6.1's example request and its sample answer, from the guide."""
    text = load_guide().sections["5.6.1"].text
    request = _REQUEST.search(squash(text))
    assert request is not None, "5.6.1 has no example request"
    answer = text.split("Пример ответа", 1)[1]
    body = answer[answer.index("{") : answer.index("}") + 1]
    return unquote(request.group(1)), unquote(request.group(2)), json.loads(body)


def _calls(window: Window) -> list[CallRow]:
    """The sample's shape: 8 answered external calls (conversations 178 s in all, the longest
    72 s) from two customers, 5 lost (1 the caller gave up, 2 busy, 2 not answered), 9 internal
    calls (conversations 717 s in all), nothing outgoing or transferred; spread over the
    window, its first and last millisecond included."""
    # (type, status, caller, callee, conversation)
    shape: list[tuple[str, str, str, str, int | None]] = [
        ("SINGLE_CHANNEL", "ANSWERED_COMMON", CUSTOMERS[i % 2], EMPLOYEES[i % 3], talk)
        for i, talk in enumerate((72, 15, 15, 15, 15, 15, 15, 16))
    ]
    shape += [
        ("SINGLE_CHANNEL", status, STRANGER, EMPLOYEES[0], None)
        for status in (
            "CANCELLED_BY_CALLER",
            "DESTINATION_BUSY",
            "DESTINATION_BUSY",
            "NOT_ANSWERED_COMMON",
            "NOT_ANSWERED_COMMON",
        )
    ]
    shape += [
        ("INTERNAL", "ANSWERED_COMMON", EMPLOYEES[i % 3], EMPLOYEES[(i + 1) % 3], talk)
        for i, talk in enumerate((80, 80, 80, 80, 80, 80, 80, 80, 77))
    ]
    step = (window.end_ms - 1 - window.start_ms) // (len(shape) - 1)
    rows: list[CallRow] = []
    for index, (call_type, status, caller, callee, talk) in enumerate(shape):
        uuid = f"guide-sample-{index}"
        rows.append(
            (
                COMPANY,
                window.start_ms + index * step if index < len(shape) - 1 else window.end_ms - 1,
                call_type,
                status,
                callee,
                caller,
                None,
                callee,
                None,
                (talk or 0) + 9,
                talk,
                "",
                uuid,
                0,
                ended_by(status, uuid),
            )
        )
    return rows


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    store = Store()
    CallJournal(store)
    yield store
    store.close()


def test_the_guides_request_answers_the_guides_sample(store: Store) -> None:
    start, end, sample = _sample()
    window = Window.parse(start, end)
    with store.transaction() as conn:
        seed_company(conn, 1, COMPANY)
        conn.executemany(INSERT_CALL, _calls(window))
        # Just outside the window, either side: not counted.
        outside = _calls(Window(window.end_ms, window.end_ms + 86_400_000))[:2]
        outside += _calls(Window(window.start_ms - 86_400_000, window.start_ms))[-2:]
        conn.executemany(
            INSERT_CALL, [(*row[:12], f"outside-{i}", *row[13:]) for i, row in enumerate(outside)]
        )
    stats = CallStatistics(store)
    first, last = parse_instant(start, "start"), parse_instant(end, "end")
    answer = stats.common(COMPANY, first, last)
    assert list(answer) == list(sample)
    assert answer == sample
    assert {k: type(v) for k, v in answer.items()} == {k: type(v) for k, v in sample.items()}
    # The journal statistics of the same window agree (5.6.2).
    journal = stats.journal(COMPANY, first, last)
    assert (journal["numberOfCalls"], journal["numberOfSuccessCalls"]) == (22, 8)
