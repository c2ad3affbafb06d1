"""The made-up speech-to-text transcripts of calls."""

from __future__ import annotations

import re
from itertools import groupby, pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mock_server.domain.media.transcripts import (
    CALLEE,
    CALLER,
    RECORDING_NOTICE,
    TOPICS,
    SttWord,
    make_transcript,
)
from mock_server.domain.media.transcripts import _cardinal as cardinal
from mock_server.domain.media.transcripts import _ordinal as ordinal
from tests.processes import outputs_under_hash_seeds

SEED = "2026-03-13/177342115767354776"
WORD = re.compile(r"[0-9a-zа-яё]+")


def turns(words: list[SttWord]) -> list[tuple[str, list[str]]]:
    """The transcript as (channel, words) runs: who spoke, in order."""
    return [
        (channel, [w.word for w in run]) for channel, run in groupby(words, lambda w: w.channel)
    ]


def assert_well_formed(words: list[SttWord], duration: int) -> None:
    for word in words:
        assert word.channel in (CALLER, CALLEE)
        assert 0 <= word.start_time < word.end_time < duration
        assert round(word.start_time, 5) == word.start_time
        assert round(word.end_time, 5) == word.end_time
        assert WORD.fullmatch(word.word), word.word
    for before, after in pairwise(words):
        assert before.end_time <= after.start_time, "no two words overlap, A's or B's"
    for channel in (CALLER, CALLEE):
        starts = [w.start_time for w in words if w.channel == channel]
        assert all(a < b for a, b in pairwise(starts))


def test_transcript_differs_between_seeds() -> None:
    assert make_transcript("2026-03-13/1", 300) != make_transcript("2026-03-13/2", 300)


def test_transcript_is_the_same_under_another_hash_seed() -> None:
    code = (
        "from mock_server.domain.media.transcripts import make_transcript;"
        f"print([w.to_json() for w in make_transcript({SEED!r}, 120)])"
    )
    runs = outputs_under_hash_seeds(code)

    assert runs == {str([w.to_json() for w in make_transcript(SEED, 120)]) + "\n"}


@pytest.mark.parametrize("duration", [4, 7, 60, 3600])
def test_transcript_opens_with_the_recording_notice_on_channel_b(duration: int) -> None:
    words = make_transcript(SEED, duration)

    notice = RECORDING_NOTICE.split()
    assert [w.word for w in words[: len(notice)]] == notice
    assert {w.channel for w in words[: len(notice)]} == {CALLEE}


@pytest.mark.parametrize("duration", [60, 600])
def test_transcript_channels_alternate_from_b(duration: int) -> None:
    spoken = turns(make_transcript(SEED, duration))

    channels = [channel for channel, _ in spoken]
    assert channels[:2] == [CALLEE, CALLER]
    assert len(channels) >= duration // 10
    caller_words = sum(len(run) for channel, run in spoken if channel == CALLER)
    callee_words = sum(len(run) for channel, run in spoken if channel == CALLEE)
    assert min(caller_words, callee_words) > 0.25 * (caller_words + callee_words)


@pytest.mark.parametrize("duration", [1, 2, 3, 7, 15, 60, 601, 3600])
@pytest.mark.parametrize("seed", [SEED, "", "x"])
def test_transcript_times_increase_and_stay_within_the_call(seed: str, duration: int) -> None:
    assert_well_formed(make_transcript(seed, duration), duration)


@settings(max_examples=60, deadline=None)
@given(seed=st.text(max_size=40), duration=st.integers(min_value=-10, max_value=900))
def test_transcript_is_well_formed_for_any_seed_and_duration(seed: str, duration: int) -> None:
    assert_well_formed(make_transcript(seed, duration), max(duration, 0))


@pytest.mark.parametrize(("duration", "share"), [(60, 0.6), (601, 0.8), (3600, 0.8)])
def test_transcript_fills_most_of_the_call_and_ends_with_goodbye(
    duration: int, share: float
) -> None:
    words = make_transcript(SEED, duration)

    assert words[-1].end_time > share * duration
    assert words[-1].end_time < duration - 1
    last_turns = turns(words)[-2:]
    assert [channel for channel, _ in last_turns] == [CALLER, CALLEE]
    assert "свидания" in last_turns[0][1]


@pytest.mark.parametrize(("duration", "at_least"), [(1, 1), (2, 2), (3, 3)])
def test_transcript_short_call_keeps_the_first_words(duration: int, at_least: int) -> None:
    words = make_transcript(SEED, duration)

    assert len(words) >= at_least
    assert [w.word for w in words] == RECORDING_NOTICE.split()[: len(words)]


@pytest.mark.parametrize("duration", [0, -1, -3600])
def test_transcript_empty_below_one_second(duration: int) -> None:
    assert make_transcript(SEED, duration) == []


def test_transcript_uses_the_record_names() -> None:
    words = make_transcript(
        SEED, 120, caller_name="Петров Иван", callee_name="Анна-Мария (отдел продаж)"
    )

    caller = [w.word for w in words if w.channel == CALLER]
    callee = [w.word for w in words if w.channel == CALLEE]
    assert "петров" in caller
    assert "иван" in caller
    assert {"анна", "мария", "отдел", "продаж"} <= set(callee)


@pytest.mark.parametrize(
    ("topic", "keyword"), [("order", "заказ"), ("delivery", "доставк"), ("invoice", "сч")]
)
def test_transcript_topic_shows_in_the_introduction(topic: str, keyword: str) -> None:
    introduction = turns(make_transcript(SEED, 60, topic=topic))[1]

    assert introduction[0] == CALLER
    assert any(word.startswith(keyword) for word in introduction[1])


def test_transcript_rejects_an_unknown_topic() -> None:
    with pytest.raises(ValueError, match="topic"):
        make_transcript(SEED, 60, topic="weather")


def test_transcript_of_one_hour_fills_the_call() -> None:
    # Speed is measured by scripts/bench_journal.py, not asserted here.
    words = make_transcript(SEED, 3600)

    assert len(words) > 3000
    assert words[-1].end_time > 3000


def test_stt_word_to_json_uses_the_spec_names() -> None:
    word = SttWord("B", 0.3, 1.07998, "информируем")

    assert word.to_json() == {
        "channel": "B",
        "startTime": 0.3,
        "endTime": 1.07998,
        "word": "информируем",
    }


@pytest.mark.parametrize(
    ("channel", "start", "end"), [("C", 0.0, 1.0), ("A", 2.0, 1.0), ("B", -1.0, 1.0)]
)
def test_stt_word_rejects_bad_values(channel: str, start: float, end: float) -> None:
    with pytest.raises(ValueError, match=r"channel|times"):
        SttWord(channel, start, end, "да")


def test_calls_without_a_topic_are_about_every_topic() -> None:
    # The seed draws the matter: over many calls, each topic's introduction is heard.
    keywords = {"order": "заказ", "delivery": "доставк", "invoice": "сч"}
    heard = set()
    for index in range(60):
        introduction = " ".join(turns(make_transcript(f"2026-03-13/{index}", 60))[1][1])
        heard |= {topic for topic, word in keywords.items() if word in introduction}
    assert heard == set(TOPICS)


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "ноль"),
        (7, "семь"),
        (12, "двенадцать"),
        (40, "сорок"),
        (101, "сто один"),
        (1000, "тысяча"),
        (2500, "две тысячи пятьсот"),
        (21_000, "двадцать одна тысяча"),
        (11_000, "одиннадцать тысяч"),
        (45_350, "сорок пять тысяч триста пятьдесят"),
    ],
)
def test_cardinal_spells_numbers_in_russian(number: int, words: str) -> None:
    assert " ".join(cardinal(number)) == words


@pytest.mark.parametrize(
    ("day", "genitive", "accusative"),
    [
        (1, "первого", "первое"),
        (3, "третьего", "третье"),
        (12, "двенадцатого", "двенадцатое"),
        (20, "двадцатого", "двадцатое"),
        (23, "двадцать третьего", "двадцать третье"),
        (30, "тридцатого", "тридцатое"),
        (31, "тридцать первого", "тридцать первое"),
    ],
)
def test_ordinal_spells_days_in_russian(day: int, genitive: str, accusative: str) -> None:
    assert ordinal(day, genitive=True) == genitive
    assert ordinal(day, genitive=False) == accusative
