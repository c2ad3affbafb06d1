"""Recordings that say their transcript, decoded in-process (miniaudio) and held to it."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mock_server.domain.media import spoken_recordings
from mock_server.domain.media.audio_cache import AudioCache
from mock_server.domain.media.recordings import ToneRecording
from mock_server.domain.media.speech import SAMPLE_RATE, open_synthesizer
from mock_server.domain.media.spoken_recordings import (
    CHANNEL_INDEX,
    SAMPLES_PER_FRAME,
    Call,
    CallAudio,
    FileRecording,
    cast,
    is_female_name,
)
from mock_server.domain.media.transcripts import CALLEE, CALLER, RECORDING_NOTICE, SttWord, speakers
from tests.audio import DecodedAudio, correlation, decode_mp3, envelope, mp3_length, pitch

NAME = "2026-03-13/177342115767354776"
SEED = "6f1c2d9e-4b7a-4e0f-9a51-0c3d8e2b7a14"
MEN: dict[str, Any] = {"caller_name": "Иван Петров", "callee_name": "Роман Рыбаков"}
A_WOMAN_CALLS_A_MAN: dict[str, Any] = {
    "caller_name": "Жанна Николаевна Зиновьева",
    "callee_name": "Роман Рыбаков",
}
SOUND = 150.0
"""RMS above which a stretch has speech in it (a short "в" is about 300, most words 1000-4000)."""
SILENCE = 8.0
"""RMS below which a stretch is silent (the silent frames decode to exact zeros)."""
CROSSTALK = 0.03
"""The most of a word's loudness the other channel may carry (-30 dB): LAME's joint stereo
spreads a little coding noise into the silent channel."""
EDGE = 0.03
"""Seconds left out at the edges of a pause: MP3 spreads a sound's onset a few ms earlier."""


@dataclass(frozen=True, slots=True)
class Spoken:
    call: Call
    data: bytes
    audio: DecodedAudio
    words: list[SttWord]


@pytest.fixture(scope="module")
def call_audio(tmp_path_factory: pytest.TempPathFactory) -> CallAudio:
    return CallAudio(AudioCache(tmp_path_factory.mktemp("recordings")), spoken=True)


def speak(call_audio: CallAudio, call: Call) -> Spoken:
    data = call_audio.recording(call).read()
    return Spoken(call, data, decode_mp3(data), call_audio.transcript(call))


@pytest.fixture(scope="module")
def minute(call_audio: CallAudio) -> Spoken:
    return speak(call_audio, Call(NAME, 60, SEED, **A_WOMAN_CALLS_A_MAN))


def sentences(words: list[SttWord]) -> list[list[SttWord]]:
    """Runs of words said without a pause: a sentence's words follow each other exactly."""
    runs: list[list[SttWord]] = [[words[0]]]
    for before, after in pairwise(words):
        if after.channel == before.channel and after.start_time == before.end_time:
            runs[-1].append(after)
        else:
            runs.append([after])
    return runs


@pytest.mark.parametrize("duration", [1, 7, 60, 601])
def test_spoken_recording_lasts_the_call_in_stereo_at_22050_hz(
    call_audio: CallAudio, duration: int
) -> None:
    spoken = speak(call_audio, Call(NAME, duration, SEED, **MEN))

    assert spoken.audio.sample_rate == SAMPLE_RATE == 22050
    assert len(spoken.audio.channels) == 2
    frame = SAMPLES_PER_FRAME / SAMPLE_RATE
    assert duration <= spoken.audio.seconds < duration + frame
    assert mp3_length(spoken.data) == pytest.approx(spoken.audio.seconds)
    assert spoken.data[:3] == b"ID3"
    assert all(word.end_time < duration for word in spoken.words)


def test_spoken_words_sound_on_their_own_channel_only(minute: Spoken) -> None:
    assert len(minute.words) > 60
    for word in minute.words:
        own = CHANNEL_INDEX[word.channel]
        loudness = minute.audio.rms(own, word.start_time, word.end_time)
        assert loudness > SOUND, f"{word} is silent ({loudness:.0f})"
        other = minute.audio.rms(1 - own, word.start_time, word.end_time)
        assert other < CROSSTALK * loudness, f"the other channel is not silent during {word}"


def test_spoken_pauses_between_sentences_are_silent(minute: Spoken) -> None:
    runs = sentences(minute.words)
    pauses = [(before[-1].end_time, after[0].start_time) for before, after in pairwise(runs)]
    pauses.append((minute.words[-1].end_time, minute.call.duration_seconds))

    assert len(pauses) > 15
    for first, last in pauses:
        assert last - first > 2 * EDGE + 0.1, "turns and sentences are separated by a pause"
        for channel in (0, 1):
            loudness = minute.audio.rms(channel, first + EDGE, last - EDGE)
            assert loudness < SILENCE, f"sound between {first} and {last} s"


def test_spoken_recording_says_the_transcripts_sentences_when_it_says_them(
    minute: Spoken,
) -> None:
    names = speakers(
        minute.call.seed,
        caller_name=minute.call.caller_name,
        callee_name=minute.call.callee_name,
    )
    voices = cast(names)
    runs = sentences(minute.words)
    assert " ".join(w.word for w in runs[0]) == RECORDING_NOTICE
    assert {w.channel for w in runs[0]} == {CALLEE}
    rate = minute.audio.sample_rate
    with open_synthesizer() as synthesizer:
        for run in runs:
            text = " ".join(word.word for word in run)
            said = synthesizer.say(text, voices[run[0].channel])
            # Where the recording has this sentence if the transcript's times are right.
            start = round(run[0].start_time * rate) - said.words[0][0]
            channel = minute.audio.channels[CHANNEL_INDEX[run[0].channel]]
            heard = channel[start : start + len(said.samples)]
            similarity = correlation(envelope(said.samples, rate), envelope(heard, rate))
            # Aligned, the shapes match (0.85-1.0); 50 ms off, they do not (about 0).
            assert similarity > 0.7, f"{text!r} at {run[0].start_time} s: {similarity:.2f}"


def test_spoken_voices_of_the_two_sides_differ(call_audio: CallAudio, minute: Spoken) -> None:
    men = speak(call_audio, Call(NAME, 60, SEED, **MEN))
    rate = men.audio.sample_rate

    caller, callee = (pitch(men.audio.channels[CHANNEL_INDEX[ch]], rate) for ch in (CALLER, CALLEE))
    woman = pitch(minute.audio.channels[CHANNEL_INDEX[CALLER]], rate)

    assert caller < 0.85 * callee, f"two men: {caller:.0f} Hz and {callee:.0f} Hz"
    assert woman > 1.3 * max(caller, callee), f"a woman at {woman:.0f} Hz"


@pytest.mark.parametrize(
    ("name", "female"),
    [
        ("жанна николаевна зиновьева", True),
        ("ольга смирнова", True),
        ("наталья", True),
        ("любовь", True),
        ("петрова анна", True),
        ("роман рыбаков", False),
        ("илья", False),
        ("никита ильин", False),
        ("алексей николаевич", False),
        ("артем", False),
        ("", False),
    ],
)
def test_is_female_name(name: str, female: bool) -> None:
    assert is_female_name(name) is female


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[Call]:
    """The calls whose recording is made (spoken) from here on, in order."""
    made: list[Call] = []
    speak = spoken_recordings._speak

    def counting(call: Call, directory: Path) -> None:
        made.append(call)
        speak(call, directory)

    monkeypatch.setattr(spoken_recordings, "_speak", counting)
    return made


def test_spoken_recording_and_transcript_are_made_once_and_cached(
    tmp_path: Path, renders: list[Call]
) -> None:
    call = Call(NAME, 20, SEED, **MEN)
    first = CallAudio(AudioCache(tmp_path), spoken=True)

    words = first.transcript(call)
    recording = first.recording(call)
    again = CallAudio(AudioCache(tmp_path), spoken=True)  # another process, same directory

    assert renders == [call]
    assert again.recording(call).read() == recording.read()
    assert again.transcript(call) == words
    assert renders == [call]
    assert isinstance(recording, FileRecording)
    assert recording.path.parent.parent == tmp_path


class _VanishingOnce(AudioCache):
    """A cache whose first found entry is removed before the caller reads it, as when another
    recording is written (and the bound evicts it) in between."""

    vanished = False

    def entry(self, key: str, make: Callable[[Path], None]) -> Path:
        path = super().entry(key, make)
        if not self.vanished:
            self.vanished = True
            shutil.rmtree(path)
        return path


@pytest.mark.parametrize("read", ["recording", "transcript", "transcript_json"])
def test_an_entry_evicted_before_it_is_read_is_made_again(
    tmp_path: Path, renders: list[Call], read: str
) -> None:
    call = Call(NAME, 5, SEED, **MEN)
    expected = getattr(CallAudio(AudioCache(tmp_path / "plain"), spoken=True), read)(call)
    renders.clear()
    got = getattr(CallAudio(_VanishingOnce(tmp_path / "vanishing"), spoken=True), read)(call)
    if read == "recording":
        got, expected = got.read(), expected.read()
    assert got == expected
    assert renders == [call, call]


def test_made_and_transcript_json_ready_in_the_entry(tmp_path: Path) -> None:
    call = Call(NAME, 15, SEED, **MEN)
    audio = CallAudio(AudioCache(tmp_path), spoken=True)
    assert not audio.made(call)
    answer = audio.transcript_json(call)
    assert audio.made(call)
    # The API's SttWords, kept ready in the entry: the same as built from the words.
    words = audio.transcript(call)
    assert json.loads(answer) == [word.to_json() for word in words]
    assert answer == spoken_recordings.transcript_json(words)
    # An entry made before the ready file existed is answered from its words all the same.
    (tmp_path / call.key() / "stt.json").unlink()
    assert audio.transcript_json(call) == answer
    assert CallAudio(AudioCache(tmp_path), spoken=False).made(call)


def test_spoken_recording_differs_by_call(call_audio: CallAudio, minute: Spoken) -> None:
    other = speak(call_audio, Call(NAME, 60, "another-seed", **A_WOMAN_CALLS_A_MAN))

    assert other.data != minute.data
    assert [w.word for w in other.words] != [w.word for w in minute.words]


_RENDER = """
import hashlib, sys, tempfile
from pathlib import Path
from mock_server.domain.media.audio_cache import AudioCache
from mock_server.domain.media.spoken_recordings import Call, CallAudio
audio = CallAudio(AudioCache(Path(tempfile.mkdtemp())), spoken=True)
for seed in sys.argv[1:]:
    data = audio.recording(Call({name!r}, 45, seed, caller_name="Иван Петров")).read()
print(hashlib.sha256(data).hexdigest())
"""


def test_spoken_recording_is_byte_identical_in_every_process(call_audio: CallAudio) -> None:
    code = _RENDER.format(name=NAME)

    def digest(*seeds: str) -> str:
        result = subprocess.run(
            [sys.executable, "-c", code, *seeds],
            capture_output=True,
            check=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": str(len(seeds))},
        )
        return result.stdout.strip()

    alone = digest(SEED)
    after_others = digest("x", "y", SEED)  # the synthesiser said other calls first
    here = hashlib.sha256(
        call_audio.recording(Call(NAME, 45, SEED, caller_name="Иван Петров")).read()
    ).hexdigest()

    assert alone == after_others == here


_FALLBACK = """
import logging, sys, tempfile
from pathlib import Path
sys.modules[{package!r}] = None  # as if the package were not installed
logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
from mock_server.domain.media.audio_cache import AudioCache
from mock_server.domain.media.spoken_recordings import Call, CallAudio
audio = CallAudio(AudioCache(Path(tempfile.mkdtemp())))
call = Call({name!r}, 30, "seed")
for _ in range(2):
    recording = audio.recording(call)
    words = audio.transcript(call)
print(type(recording).__name__, audio.spoken, words[0].word, words[0].channel)
"""


@pytest.mark.parametrize("package", ["lameenc", "espeakng_loader"])
def test_without_the_speech_packages_recordings_are_tones_said_once_in_the_log(
    package: str,
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _FALLBACK.format(name=NAME, package=package)],
        capture_output=True,
        check=True,
        text=True,
    )

    assert result.stdout.split() == [ToneRecording.__name__, "False", "информируем", "B"]
    warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 1, result.stderr
    assert "recordings are tones" in warnings[0]


def test_spoken_recordings_fall_back_to_tones_when_told() -> None:
    audio = CallAudio(AudioCache(Path("/nonexistent")), spoken=False)

    recording = audio.recording(Call(NAME, 30, SEED))

    assert isinstance(recording, ToneRecording)
    assert audio.transcript(Call(NAME, 30, SEED))[0].word == "информируем"


@pytest.fixture(scope="module")
def ranged(call_audio: CallAudio) -> tuple[FileRecording, bytes]:
    recording = call_audio.recording(Call(NAME, 12, SEED, **MEN))
    assert isinstance(recording, FileRecording)
    return recording, recording.read()


@settings(max_examples=100, deadline=None)
@given(data=st.data(), chunk_size=st.integers(min_value=1, max_value=100_000))
def test_spoken_recording_ranges_are_slices_of_the_file(
    ranged: tuple[FileRecording, bytes], data: st.DataObject, chunk_size: int
) -> None:
    recording, whole = ranged
    start = data.draw(st.integers(min_value=0, max_value=recording.size - 1), label="start")
    end = data.draw(st.integers(min_value=start, max_value=recording.size - 1), label="end")

    chunks = list(recording.iter_bytes(start, end, chunk_size))

    assert b"".join(chunks) == whole[start : end + 1]
    assert all(0 < len(chunk) <= chunk_size for chunk in chunks)
    assert recording.size == len(whole)


def test_spoken_recording_rejects_bad_arguments(call_audio: CallAudio) -> None:
    reject: list[Callable[[], object]] = [
        lambda: call_audio.recording(Call(NAME, 0, SEED)),
        lambda: call_audio.recording(Call("", 10, SEED)),
    ]
    for attempt in reject:
        with pytest.raises(ValueError, match=r"second|name"):
            attempt()
