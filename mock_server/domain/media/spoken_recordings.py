"""Recordings that say their transcript: the call's dialogue spoken by eSpeak NG, in MP3.

The recording of an answered call is its dialogue (``transcripts.lay_out``) said aloud, and
its transcript is the same dialogue's words, timed by the very synthesis that made the
audio: a word's ``startTime`` and ``endTime`` point at that word in the recording.

**Format (decision D40).** MPEG-2 Layer III, 22,050 Hz (eSpeak NG's own rate, so nothing is
resampled), stereo: the caller (channel ``A``) on the left, the employee (``B``) on the
right, each in a voice of their own; constant 32 kbit/s, 240 kB a minute. Players that
mix to mono hear both sides. The audio lasts the call's conversation (rounded up to a
whole 26 ms frame): silence fills what the dialogue leaves.

**How it is made.**

* Each sentence is said by eSpeak NG (``speech.py``) and encoded on its own by LAME
  (``lameenc``, a fresh encoder per sentence) into a *clip* of whole frames. A fresh
  encoder's first frame takes nothing from the frames before it (``main_data_begin`` 0),
  so clips can be laid side by side at any frame boundary; a decoder plays a clip's
  sound ``DELAY`` samples after the clip's first frame (LAME's encoder delay of 576
  samples plus the decoder's 529), so a word's time is the clip's start plus ``DELAY``
  plus the word's sample offset. No LAME tag asks players to trim that delay, so every
  decoder puts the sound at the same place.
* ``lay_out`` places the clips on frame boundaries; the frames between them are digital
  silence (frames that carry no data), and clips running past the call's end are cut there.
  The whole recording is spoken by one freshly loaded eSpeak NG, in order, so the same call
  always gives the same bytes.
* A sentence said twice in a call (the exchanges come round again in a long call) is
  synthesised and encoded once. Encoded clips wait in a scratch file, not in memory, until
  the recording is written, so memory does not grow with the call.
* An ID3v2.3 tag and an Info frame (frame and byte counts, as the tone recordings) precede
  the audio; the file and the transcript's words are kept in an ``AudioCache`` entry.

When ``lameenc`` or ``espeakng-loader`` cannot be imported, recordings are the tone
recordings of ``recordings.py`` and transcripts are timed by ``ESTIMATED_VOICE``; the log
says so once.
"""

from __future__ import annotations

import array
import hashlib
import json
import logging
import os
import sys
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import IO, Final, TypeVar

from mock_server.domain.media import recordings, speech, transcripts
from mock_server.domain.media.audio_cache import AudioCache
from mock_server.domain.media.recordings import (
    Recording,
    check_recording_arguments,
    frame_count,
    id3_tag,
    info_frame,
    make_recording,
)
from mock_server.domain.media.speech import (
    SAMPLE_RATE,
    SpeechUnavailable,
    Synthesizer,
    Voice,
    engine_version,
    in_fresh_process,
    open_synthesizer,
)
from mock_server.domain.media.transcripts import (
    CALLEE,
    CALLER,
    Clip,
    Dialogue,
    Script,
    SttWord,
    lay_out,
    lay_out_script,
    make_transcript,
    speakers,
)

__all__ = [
    "BIT_RATE",
    "CHANNELS",
    "CHANNEL_INDEX",
    "DELAY",
    "FRAME_SIZE",
    "SAMPLES_PER_FRAME",
    "SAMPLE_RATE",
    "Call",
    "CallAudio",
    "FileRecording",
    "cast",
    "is_female_name",
    "speech_available",
    "transcript_json",
]

log = logging.getLogger(__name__)
_T = TypeVar("_T")

CHANNELS: Final = 2
"""Stereo: channel A (the caller) left, channel B (the employee) right."""
CHANNEL_INDEX: Final = {CALLER: 0, CALLEE: 1}
BIT_RATE: Final = 32_000
SAMPLES_PER_FRAME: Final = 576
"""One granule per frame in MPEG-2 Layer III."""
FRAME_SIZE: Final = SAMPLES_PER_FRAME // 8 * BIT_RATE // SAMPLE_RATE
"""104 bytes; LAME adds a padding byte to some frames to keep exactly 32 kbit/s."""
DELAY: Final = 576 + 529
"""Samples from the start of a clip's first frame to its first sound in decoded audio."""
_QUALITY: Final = 5
"""LAME's quality (2 best, 7 fastest): 5 takes about a third more CPU than 7 (a 10-minute
call about 0.5 s instead of 0.37 s) for a cleaner sound."""
_FRAME_HEADER: Final = bytes((0xFF, 0xF3, 0x40, 0x40))
"""MPEG-2 Layer III, no CRC | 32 kbit/s, 22,050 Hz, no padding | joint stereo (no M/S, no
intensity): the header of the silent frames and the Info frame."""
_SIDE_INFO_SIZE: Final = 17
"""MPEG-2 stereo side info: 8 + 2 bits, then one granule of 63 bits per channel."""
_SILENT_FRAME: Final = _FRAME_HEADER + bytes(FRAME_SIZE - len(_FRAME_HEADER))
"""All-zero side info: no bits for either channel, every spectral line zero."""
_SILENCE_CHUNK_FRAMES: Final = 1024
_AUDIO_FILE: Final = "audio.mp3"
_WORDS_FILE: Final = "words.json"
# The transcript as GET /call-records/file/stt answers it (entries made before it existed have
# only the words, which it is then built from).
_STT_FILE: Final = "stt.json"
_CLIPS_FILE: Final = "clips.tmp"

# Who speaks in which voice: each side has voices of its own, so the two are told apart even
# when both are men (about 97 and 125 Hz) or both women (about 165 and 230 Hz), and the
# voice's sex follows the name said in the dialogue.
_VOICES: Final = {
    (CALLER, False): Voice("ru+m3", pitch=30),
    (CALLER, True): Voice("ru+f4", pitch=35),
    (CALLEE, False): Voice("ru+m1", pitch=75),
    (CALLEE, True): Voice("ru+f1", pitch=70),
}
_MALE_NAMES_IN_A: Final = frozenset(
    [
        "аникита",
        "гаврила",
        "данила",
        "зосима",
        "илья",
        "кузьма",
        "лука",
        "мина",
        "никита",
        "савва",
        "сила",
        "фока",
        "фома",
    ]
)
_FEMALE_ENDINGS: Final = ("вна", "чна", "ова", "ева", "ёва", "ина", "ына", "ая")
"""Patronymics (Ивановна, Ильинична) and surnames (Петрова, Ильина, Толстая) of women."""


def is_female_name(name: str) -> bool:
    """Whether a Russian name (lower-case words, in any order) is most likely a woman's."""
    words = name.split()
    if not words or words[0] in _MALE_NAMES_IN_A:
        return False
    if any(word.endswith(_FEMALE_ENDINGS) for word in words):
        return True
    return words[0].endswith(("а", "я")) or words[0] in ("любовь", "нинель")


def cast(names: Mapping[str, str]) -> dict[str, Voice]:
    """The voice of each channel, given the names the two sides say (``speakers``)."""
    return {channel: _VOICES[channel, is_female_name(names[channel])] for channel in names}


@cache
def speech_available() -> bool:
    """Whether the speech packages import; logs once (a warning) when they do not."""
    try:
        import lameenc  # noqa: F401

        engine_version()
    except ImportError as exc:
        log.warning(
            "speech packages unavailable (%s): recordings are tones, transcripts are not spoken",
            exc,
        )
        return False
    return True


@cache
def _format_version() -> str:
    """Everything besides the call that the bytes of its recording depend on: the packages
    that speak and encode, and the code that lays out the dialogue and writes the file (so a
    cache entry made by other code, in an earlier run, is never served)."""
    code = hashlib.sha256()
    for module in (speech, transcripts, recordings, sys.modules[__name__]):
        code.update(Path(str(module.__file__)).read_bytes())
    return f"{engine_version()}; lameenc {metadata.version('lameenc')}; code {code.hexdigest()}"


@dataclass(frozen=True, slots=True)
class Call:
    """What a call's recording and transcript are made from: fields of its journal row."""

    name: str
    """``recordFileName``."""
    duration_seconds: int
    """``conversationDuration``."""
    seed: str
    """What fixes the dialogue: the call's ``uuid``."""
    caller_name: str | None = None
    callee_name: str | None = None
    script: Script | None = None
    """What a tenant file says the call says (None: the dialogue made up from ``seed``)."""

    def key(self) -> str:
        """The cache key of the recording: a hash of everything its bytes depend on."""
        fields: list[object] = [
            _format_version(),
            self.name,
            self.duration_seconds,
            self.seed,
            self.caller_name,
            self.callee_name,
        ]
        if self.script is not None:
            fields.append([list(sentence) for sentence in self.script])
        return hashlib.sha256(json.dumps(fields).encode()).hexdigest()[:32]


class FileRecording(Recording):
    """A recording kept in a file (an ``AudioCache`` entry), opened when it is made: the
    bytes are read from the open file chunk by chunk, so the cache may remove the entry
    meanwhile (POSIX keeps an open file's bytes), and never held in memory whole. The file is
    closed when the recording is no longer referenced.
    """

    __slots__ = ("__weakref__", "_file", "_lock", "duration_seconds", "name", "path", "size")

    def __init__(self, name: str, duration_seconds: int, path: Path) -> None:
        self.name = name
        self.duration_seconds = duration_seconds
        self.path = path
        self._file = path.open("rb", buffering=0)  # FileNotFoundError: the entry is gone
        weakref.finalize(self, self._file.close)
        self.size = os.fstat(self._file.fileno()).st_size
        self._lock = threading.Lock()  # one position per open file: a read is seek + read

    def _chunks(self, start: int, stop: int, chunk_size: int) -> Iterator[bytes]:
        position = start
        while position < stop:
            with self._lock:
                self._file.seek(position)
                chunk = self._file.read(min(chunk_size, stop - position))
            if not chunk:
                raise OSError(f"{self.path} is shorter than {self.size} bytes")
            position += len(chunk)
            yield chunk


@dataclass(frozen=True, slots=True)
class _StoredClip:
    clip: Clip
    offset: int
    """Where the clip's frames start in the scratch file."""
    frame_ends: tuple[int, ...]
    """Bytes from ``offset`` to the end of each frame."""


def _frame_ends(stream: bytes) -> tuple[int, ...]:
    """The end of each frame of LAME's output; ValueError unless it is the expected format."""
    ends: list[int] = []
    position = 0
    while position < len(stream):
        header = stream[position : position + 4]
        # Same version, layer, bit rate and sample rate as _FRAME_HEADER, any padding and
        # private bit, two channels.
        if (
            len(header) < 4
            or header[:2] != _FRAME_HEADER[:2]
            or header[2] & 0xFC != _FRAME_HEADER[2]
            or header[3] >> 6 == 0b11
        ):
            raise ValueError(f"unexpected MP3 frame header {header.hex()} at byte {position}")
        position += FRAME_SIZE + (header[2] >> 1 & 1)
        ends.append(position)
    if position != len(stream):
        raise ValueError("LAME's output ends inside a frame")
    return tuple(ends)


class _SpokenVoice:
    """Says sentences with eSpeak NG and encodes each into a clip (a ``transcripts.Voice``)."""

    ticks_per_second = SAMPLE_RATE
    step = SAMPLES_PER_FRAME

    def __init__(
        self, synthesizer: Synthesizer, cast: dict[str, Voice], scratch: IO[bytes]
    ) -> None:
        self._synthesizer = synthesizer
        self._cast = cast
        self._scratch = scratch
        self._clips: dict[tuple[str, str], _StoredClip] = {}

    def say(self, channel: str, sentence: str) -> Clip:
        stored = self._clips.get((channel, sentence))
        if stored is None:
            stored = self._make(channel, sentence)
            self._clips[channel, sentence] = stored
        return stored.clip

    def stored(self, channel: str, sentence: str) -> _StoredClip:
        return self._clips[channel, sentence]

    def _make(self, channel: str, sentence: str) -> _StoredClip:
        import lameenc

        utterance = self._synthesizer.say(sentence, self._cast[channel])
        stereo = array.array("h", bytes(len(utterance.samples) * 2 * CHANNELS))
        stereo[CHANNEL_INDEX[channel] :: CHANNELS] = utterance.samples
        encoder = lameenc.Encoder()
        encoder.set_in_sample_rate(SAMPLE_RATE)
        encoder.set_out_sample_rate(SAMPLE_RATE)
        encoder.set_channels(CHANNELS)
        encoder.set_bit_rate(BIT_RATE // 1000)
        encoder.set_quality(_QUALITY)
        encoder.silence()
        stream = bytes(encoder.encode(stereo.tobytes())) + bytes(encoder.flush())
        frame_ends = _frame_ends(stream)
        offset = self._scratch.seek(0, 2)
        self._scratch.write(stream)
        clip = Clip(
            len(frame_ends) * SAMPLES_PER_FRAME,
            tuple((DELAY + start, DELAY + end) for start, end in utterance.words),
        )
        return _StoredClip(clip, offset, frame_ends)


def _write_audio(
    out: IO[bytes], call: Call, dialogue: Dialogue, voice: _SpokenVoice, scratch: IO[bytes]
) -> None:
    frames = frame_count(call.duration_seconds, SAMPLE_RATE, SAMPLES_PER_FRAME)
    head = id3_tag(call.name)
    out.write(head)
    out.write(_SILENT_FRAME)  # where the Info frame goes once the byte count is known
    written = 0

    def silence(count: int) -> None:
        while count > 0:
            chunk = min(count, _SILENCE_CHUNK_FRAMES)
            out.write(_SILENT_FRAME * chunk)
            count -= chunk

    for placed in dialogue.clips:
        first = placed.start // SAMPLES_PER_FRAME
        if first >= frames:
            break
        silence(first - written)
        stored = voice.stored(placed.channel, placed.sentence)
        kept = min(len(stored.frame_ends), frames - first)
        scratch.seek(stored.offset)
        out.write(scratch.read(stored.frame_ends[kept - 1]))
        written = first + kept
    silence(frames - written)
    stream_bytes = out.tell() - len(head)
    out.seek(len(head))
    out.write(info_frame(_FRAME_HEADER, _SIDE_INFO_SIZE, FRAME_SIZE, frames, stream_bytes))


def transcript_json(words: Iterable[SttWord]) -> bytes:
    """The SttWords as a compact JSON array, UTF-8 as is."""
    return json.dumps(
        [word.to_json() for word in words], ensure_ascii=False, separators=(",", ":")
    ).encode()


def _render(call: Call, directory: Path) -> None:
    """Speak ``call`` into ``directory``: the MP3 and its transcript's words."""
    names = speakers(call.seed, caller_name=call.caller_name, callee_name=call.callee_name)
    with ExitStack() as stack:
        scratch = stack.enter_context((directory / _CLIPS_FILE).open("w+b"))
        with open_synthesizer() as synthesizer:
            voice = _SpokenVoice(synthesizer, cast(names), scratch)
            if call.script is not None:
                dialogue = lay_out_script(
                    call.seed, call.duration_seconds, call.script, voice=voice
                )
            else:
                dialogue = lay_out(
                    call.seed,
                    call.duration_seconds,
                    caller_name=call.caller_name,
                    callee_name=call.callee_name,
                    voice=voice,
                )
        with (directory / _AUDIO_FILE).open("wb") as out:
            _write_audio(out, call, dialogue, voice, scratch)
    (directory / _CLIPS_FILE).unlink()
    words = [[w.channel, w.start_time, w.end_time, w.word] for w in dialogue.words]
    (directory / _WORDS_FILE).write_text(json.dumps(words, ensure_ascii=False), "utf-8")
    (directory / _STT_FILE).write_bytes(transcript_json(dialogue.words))


def _speak(call: Call, directory: Path) -> None:
    """``_render`` in a process of its own, so the recording sounds the same in every process
    whatever was spoken before (speech.py says why)."""
    in_fresh_process(_render, call, directory)


class CallAudio:
    """The recordings and transcripts of calls: spoken and cached when the speech packages
    are installed, tones and estimated timings otherwise.

    Example::

        audio = CallAudio(AudioCache(Path("/tmp/recordings")))
        call = Call("2026-03-13/177342115767354776", 95, seed="8b0c...")
        audio.recording(call).read(0, 9)      # the ID3 header
        audio.transcript(call)[0].word        # "информируем"
    """

    def __init__(self, cache: AudioCache, *, spoken: bool | None = None) -> None:
        self.cache = cache
        self._spoken = spoken
        self._failed = threading.Event()

    @property
    def spoken(self) -> bool:
        """Whether recordings are spoken (else tones)."""
        if self._failed.is_set():
            return False
        return speech_available() if self._spoken is None else self._spoken

    def _entry(self, call: Call) -> Path | None:
        check_recording_arguments(call.name, call.duration_seconds)
        try:
            return self.cache.entry(call.key(), lambda directory: _speak(call, directory))
        except SpeechUnavailable as exc:
            log.warning("speech failed (%s): recordings are tones from now on", exc)
            self._failed.set()
            return None

    def _from_entry(self, call: Call, read: Callable[[Path], _T]) -> _T | None:
        """`read(entry directory)` of ``call``'s entry, made on first use; None without one
        (tones). An entry the cache removed between finding and reading it (another
        recording was written meanwhile) is made again, once."""
        if not self.spoken or call.duration_seconds < 1:
            return None
        for attempt in range(2):
            entry = self._entry(call)
            if entry is None:
                return None
            try:
                return read(entry)
            except FileNotFoundError:
                if attempt:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def recording(self, call: Call) -> Recording:
        """The MP3 of ``call``, made on first use."""
        check_recording_arguments(call.name, call.duration_seconds)
        recording = self._from_entry(
            call, lambda entry: FileRecording(call.name, call.duration_seconds, entry / _AUDIO_FILE)
        )
        return recording or make_recording(call.name, call.duration_seconds)

    def made(self, call: Call) -> bool:
        """Whether ``call``'s recording and transcript are there already (or need no making:
        tones), so that reading them costs a file's read, not the speech."""
        return not self.spoken or self.cache.has(call.key())

    def transcript_json(self, call: Call) -> bytes:
        """``transcript`` as the JSON array of the spec's SttWords (UTF-8)."""

        def read(entry: Path) -> bytes | None:
            if not (entry / _WORDS_FILE).is_file():
                raise FileNotFoundError(entry / _WORDS_FILE)  # the entry went: make it again
            try:
                return (entry / _STT_FILE).read_bytes()
            except FileNotFoundError:
                return None  # an entry made before the file existed

        return self._from_entry(call, read) or transcript_json(self.transcript(call))

    def transcript(self, call: Call) -> list[SttWord]:
        """The words of ``call``'s transcript, timed as they are said in its recording."""
        rows = self._from_entry(
            call, lambda entry: json.loads((entry / _WORDS_FILE).read_text("utf-8"))
        )
        if rows is None:
            return make_transcript(
                call.seed,
                call.duration_seconds,
                caller_name=call.caller_name,
                callee_name=call.callee_name,
                script=call.script,
            )
        return [SttWord(channel, start, end, word) for channel, start, end, word in rows]
