"""eSpeak NG through ctypes: sentences, their words' samples, a fresh state per process."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import pytest

from mock_server.domain.media import transcripts
from mock_server.domain.media.speech import (
    SAMPLE_RATE,
    SpeechUnavailable,
    Utterance,
    Voice,
    in_fresh_process,
    open_synthesizer,
)
from tests.audio import rms

MALE = Voice("ru+m3", pitch=30)
SOUND = 150.0
"""RMS above which a stretch has speech in it (a short "в" is about 300, most words 1000-4000)."""


def every_sentence() -> list[str]:
    """Every sentence the dialogues say, with one draw of dates, sums and names."""
    values = transcripts._Slots(
        random.Random(1),
        {"caller": "жанна николаевна", "callee": "роман", "company": "ромашка", "number": "сорок"},
    )
    templates = [
        transcripts.RECORDING_NOTICE,
        *transcripts._GREETINGS,
        *(phrase for phrases in transcripts._INTRODUCTIONS.values() for phrase in phrases),
        *transcripts._ACKNOWLEDGEMENTS,
        *(phrase for pairs in transcripts._EXCHANGES.values() for pair in pairs for phrase in pair),
        *(phrase for pair in transcripts._SMALL_TALK for phrase in pair),
        *transcripts._THANKS,
        *transcripts._YOU_ARE_WELCOME,
        *transcripts._CALLER_GOODBYES,
        *transcripts._CALLEE_GOODBYES,
    ]
    return [template.format_map(values) for template in templates]


def assert_spans_tile_the_sound(sentence: str, said: Utterance) -> None:
    assert len(said.words) == len(sentence.split()), sentence
    for (start, end), (next_start, _) in pairwise(said.words):
        assert start < end == next_start, sentence
    assert said.words[0][0] >= 0
    assert said.words[-1][1] <= len(said.samples)


def test_every_sentence_of_the_dialogues_has_a_span_per_word() -> None:
    sentences = every_sentence()
    assert len(sentences) > 60
    with open_synthesizer() as synthesizer:
        for sentence in sentences:
            said = synthesizer.say(sentence, MALE)
            assert_spans_tile_the_sound(sentence, said)
            for start, end in said.words:
                loudness = rms(said.samples, start / SAMPLE_RATE, end / SAMPLE_RATE, SAMPLE_RATE)
                assert loudness > SOUND, f"a silent word in {sentence!r}"


@pytest.mark.parametrize(
    "sentence",
    [
        "звоню по поводу счета",  # "по поводу" is one word to eSpeak's dictionary
        "что нибудь еще",
        "admin392 петров",  # Latin letters and digits: several words said for one
        "да",
    ],
)
def test_words_that_espeak_merges_or_splits_still_get_one_span_each(sentence: str) -> None:
    with open_synthesizer() as synthesizer:
        said = synthesizer.say(sentence, MALE)

    assert_spans_tile_the_sound(sentence, said)


def _say(*sentences: tuple[str, Voice]) -> list[Utterance]:
    with open_synthesizer() as synthesizer:
        return [synthesizer.say(sentence, voice) for sentence, voice in sentences]


SENTENCE = "компания ромашка здравствуйте меня зовут марина чем могу помочь"
FEMALE = Voice("ru+f1", pitch=70)  # a variant with pitch flutter, which eSpeak carries on
BEFORE = ("добрый день это иван петров звоню по поводу счета", MALE)


def test_a_fresh_process_says_a_sentence_the_same_whatever_came_before() -> None:
    (first,) = in_fresh_process(_say, (SENTENCE, FEMALE))
    _, after_another = in_fresh_process(_say, BEFORE, (SENTENCE, FEMALE))
    (again,) = in_fresh_process(_say, (SENTENCE, FEMALE))

    assert again == first
    assert after_another.samples != first.samples  # why a recording needs its own process


def test_a_fresh_process_says_what_this_process_would_from_the_start() -> None:
    """The worker is not another engine: spoken here first, the sentence is the same bytes."""
    (worker,) = in_fresh_process(_say, (SENTENCE, FEMALE))
    probe = f"import sys; sys.path[:0] = {sys.path!r}; " + (
        "from tests.domain.test_speech import _say, SENTENCE, FEMALE; "
        "sys.stdout.buffer.write(_say((SENTENCE, FEMALE))[0].samples.tobytes())"
    )
    alone = subprocess.run([sys.executable, "-c", probe], capture_output=True, check=True)
    assert alone.stdout == worker.samples.tobytes()


def test_the_library_stays_loaded_for_the_life_of_the_process() -> None:
    """Nothing unloads eSpeak under a live ctypes pointer: once a synthesizer is done, the
    library is still mapped, and another synthesizer finds the same one."""
    for _ in range(2):
        with open_synthesizer() as synthesizer:
            synthesizer.say("да", MALE)
        mapped = {
            line.split()[-1]
            for line in Path("/proc/self/maps").read_text().splitlines()
            if "libespeak" in line
        }
        assert len(mapped) == 1, mapped


def _crash() -> None:
    os.abort()


def test_a_worker_that_dies_is_speech_unavailable_and_the_caller_lives_on() -> None:
    with pytest.raises(SpeechUnavailable, match="worker died"):
        in_fresh_process(_crash)
    (said,) = in_fresh_process(_say, ("да", MALE))
    assert said.words


def test_an_unknown_voice_is_refused() -> None:
    with open_synthesizer() as synthesizer, pytest.raises(SpeechUnavailable, match="voice"):
        synthesizer.say("да", Voice("xx+nobody"))


def test_nothing_to_say_is_refused() -> None:
    with open_synthesizer() as synthesizer, pytest.raises(ValueError, match="nothing"):
        synthesizer.say("  ", MALE)
