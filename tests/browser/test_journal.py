"""«Журнал звонков» in a browser: a row opens its recording; it plays, seeks (206) and the
transcript follows it."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import Console, shot


def _current_word_start(page: Page) -> float:
    value = page.locator("#transcript .word.current").get_attribute("data-start")
    assert value is not None
    return float(value)


def test_a_recording_plays_seeks_and_the_transcript_follows(console: Console) -> None:
    page = console.open("/journal")
    page.get_by_label("Только с записью").check()
    page.get_by_role("button", name="Показать звонки").click()
    page.get_by_role("link", name=re.compile("^Прослушать запись звонка")).first.click()

    audio = page.get_by_label(re.compile(r"^Запись разговора \d"))
    expect(audio).to_be_visible()
    transcript = page.get_by_label("Расшифровка разговора")
    expect(transcript).to_be_visible()
    speakers = transcript.locator(".speaker").all_inner_texts()
    assert speakers[0].startswith(("A · звонивший", "B · ответивший"))
    assert {s[0] for s in speakers} == {"A", "B"}, "the transcript is split by speaker"
    words = transcript.locator(".word")
    assert words.count() > 20
    duration = page.wait_for_function(
        "a => a.duration > 0 && isFinite(a.duration) && a.duration", arg=audio.element_handle()
    ).json_value()

    # A click on a word far into the call seeks there and plays: the browser asks for a byte
    # range and the API's 206 comes back through the console.
    target = words.nth(words.count() * 2 // 3)
    start = float(target.get_attribute("data-start") or "nan")
    assert 0 < start < duration
    target.click()
    page.wait_for_function(
        "([a, t]) => !a.paused && a.currentTime > t + 0.3", arg=[audio.element_handle(), start]
    )
    expect(transcript.locator(".word.current")).to_have_count(1)
    assert _current_word_start(page) >= start
    ranges = [
        r for r in console.responses if "/mock/console/recording" in r.url and r.status == 206
    ]
    assert ranges, [(r.url, r.status) for r in console.responses]
    assert ranges[0].headers["content-range"].startswith("bytes ")
    shot(page, "journal")

    # Seeking back with the player's own time: the highlight goes back too.
    first = words.first
    first_start = float(first.get_attribute("data-start") or "nan")
    audio.evaluate("(a, t) => { a.currentTime = t + 0.05; }", first_start)
    page.wait_for_function(
        "([a, t]) => a.currentTime < t + 1", arg=[audio.element_handle(), first_start]
    )
    page.wait_for_function(
        "t => { const w = document.querySelector('#transcript .word.current');"
        " return w && Number(w.dataset.start) < t + 1; }",
        arg=first_start,
    )
    audio.evaluate("a => a.pause()")
