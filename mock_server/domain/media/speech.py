"""Russian speech from eSpeak NG, driven through its C API, for the spoken recordings.

The library and its data (the Russian voice and dictionary included) come from the
``espeakng-loader`` wheel, so nothing is needed from the system. It is called through
``ctypes`` in synchronous mode: ``espeak_Synth`` returns once the whole sentence has been
handed to the callback as 16-bit mono samples at 22,050 Hz, together with an event for the
start of every word, which gives each word's sample position. Words are taken to run from
their own start event to the next word's, the last one to where the sound stops, so a
word's span covers its sound and the sentence's words tile it without gaps.

**Why a fresh process per recording.** eSpeak NG keeps state in static variables from one
sentence to the next (the phase of its pitch flutter, an automatic gain, the spectrum it
interpolates from), so a sentence sounds slightly different depending on everything the
process said before, and ``espeak_Terminate``/``espeak_Initialize`` do not reset it. A
recording must be byte-identical in every process, so each one is spoken by a process of its
own (``in_fresh_process``): forked from a forkserver that never loaded the library, it loads
eSpeak once, says the recording's sentences in order from the library's pristine state, and
exits. The library is never unloaded while a process runs (``dlclose`` under a live ctypes
callback or function pointer could crash the whole mock), and a crash inside eSpeak ends only
the worker: the caller gets ``SpeechUnavailable``. In one process the library is loaded once
and shared, so one synthesizer speaks at a time (a lock).
"""

from __future__ import annotations

import array
import ctypes
import multiprocessing
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from typing import Any, ParamSpec, TypeVar

__all__ = [
    "SAMPLE_RATE",
    "SpeechUnavailable",
    "Synthesizer",
    "Utterance",
    "Voice",
    "engine_version",
    "in_fresh_process",
    "open_synthesizer",
]

SAMPLE_RATE = 22_050
"""Hz, eSpeak NG's own output rate."""

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_BUFFER_MS = 1000
"""Longer buffers mean fewer calls into Python; synchronous mode needs no latency."""
_CHARS_UTF8 = 1
_POS_CHARACTER = 1
_EVENT_LIST_TERMINATED = 0
_EVENT_WORD = 1
_PARAMETER_PITCH = 3
_EE_OK = 0
_SOUND_THRESHOLD = 64
"""|sample| above which a sample counts as sound when trimming a sentence's silent edges."""


class SpeechUnavailable(RuntimeError):
    """eSpeak NG could not be loaded or refused to speak."""


@dataclass(frozen=True, slots=True)
class Voice:
    """An eSpeak NG voice: a language with a variant (``ru+m3``) and a base pitch (0-100)."""

    name: str
    pitch: int = 50


@dataclass(frozen=True, slots=True)
class Utterance:
    """A sentence said aloud: the samples and where each of its words lies in them."""

    samples: array.array[int]
    """16-bit mono PCM at SAMPLE_RATE."""
    words: tuple[tuple[int, int], ...]
    """``(start, end)`` sample of each word of the sentence, in order; ``end`` is exclusive."""


class _EventId(ctypes.Union):
    _fields_ = (("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8))


class _Event(ctypes.Structure):
    """``espeak_EVENT`` of speak_lib.h (API revision 12)."""

    _fields_ = (
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _EventId),
    )


_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)


@cache
def _paths() -> tuple[str, str]:
    """The library and its data directory; ImportError when espeakng-loader is missing."""
    import espeakng_loader

    return espeakng_loader.get_library_path(), espeakng_loader.get_data_path()


@cache
def engine_version() -> str:
    """What the sound of a sentence depends on besides its text and voice (for cache keys)."""
    _paths()
    return f"espeakng-loader {metadata.version('espeakng-loader')}"


class Synthesizer:
    """One loaded eSpeak NG instance; get one from ``open_synthesizer``."""

    def __init__(self, library: ctypes.CDLL) -> None:
        self._library = library
        self._samples = array.array("h")
        self._word_events: list[tuple[int, int]] = []
        self._voice: Voice | None = None
        self._callback = _CALLBACK(self._receive)  # kept referenced while the library lives

    def _receive(self, wav: Any, count: int, events: Any) -> int:
        if wav and count > 0:
            self._samples.frombytes(ctypes.string_at(wav, count * 2))
        index = 0
        while events[index].type != _EVENT_LIST_TERMINATED:
            event = events[index]
            if event.type == _EVENT_WORD:
                self._word_events.append((event.text_position, event.sample))
            index += 1
        return 0

    def _start(self, data_path: str) -> None:
        library = self._library
        library.espeak_Initialize.argtypes = (
            ctypes.c_int,
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_int,
        )
        library.espeak_Initialize.restype = ctypes.c_int
        library.espeak_SetVoiceByName.argtypes = (ctypes.c_char_p,)
        library.espeak_SetParameter.argtypes = (ctypes.c_int, ctypes.c_int, ctypes.c_int)
        library.espeak_Synth.argtypes = (
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        )
        rate = library.espeak_Initialize(
            _AUDIO_OUTPUT_SYNCHRONOUS, _BUFFER_MS, data_path.encode(), 0
        )
        if rate != SAMPLE_RATE:
            raise SpeechUnavailable(f"eSpeak NG answered a sample rate of {rate}")
        library.espeak_SetSynthCallback(self._callback)

    def say(self, sentence: str, voice: Voice) -> Utterance:
        """``sentence`` (words separated by spaces, no punctuation) said in ``voice``."""
        words = sentence.split()
        if not words:
            raise ValueError("nothing to say")
        if voice != self._voice:
            if self._library.espeak_SetVoiceByName(voice.name.encode()) != _EE_OK:
                raise SpeechUnavailable(f"eSpeak NG has no voice {voice.name!r}")
            self._library.espeak_SetParameter(_PARAMETER_PITCH, voice.pitch, 0)
            self._voice = voice
        self._samples = array.array("h")
        self._word_events = []
        text = " ".join(words).encode()
        status = self._library.espeak_Synth(
            text, len(text) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None
        )
        if status != _EE_OK:
            raise SpeechUnavailable(f"espeak_Synth failed with {status}")
        samples = self._samples
        return Utterance(samples, _word_spans(words, self._word_events, samples))


def _word_spans(
    words: list[str], events: list[tuple[int, int]], samples: array.array[int]
) -> tuple[tuple[int, int], ...]:
    """Each word's samples, from the word events eSpeak reported.

    An event names the (1-based) character where its word starts. A word that eSpeak says
    as several (digits, Latin letters) has several events: the first one counts. Words that
    eSpeak's dictionary says as one ("по поводу") share one event: their span is shared out
    by their letters. A word starts at its event, the first word no earlier than the first
    sound, and ends where the next one starts; the last word ends where the sound stops.
    """
    known: list[int | None] = []
    position = 1
    remaining = iter(sorted(events))
    pending = next(remaining, None)
    for word in words:
        stop = position + len(word)
        start: int | None = None
        while pending is not None and pending[0] < stop:
            if pending[0] >= position and start is None:
                start = pending[1]
            pending = next(remaining, None)
        known.append(start)
        position = stop + 1
    first_sound = _first_sound(samples)
    known[0] = max(known[0] or 0, first_sound)
    end_of_sound = max(_last_sound(samples) + 1, first_sound + 1)
    starts: list[int] = []
    index = 0
    while index < len(words):
        group_end = index + 1
        while group_end < len(words) and known[group_end] is None:
            group_end += 1
        begin = max(known[index] or 0, starts[-1] + 1 if starts else 0)
        next_start = known[group_end] if group_end < len(words) else None
        finish = end_of_sound if next_start is None else next_start
        weights = [len(word) + 1 for word in words[index:group_end]]
        share = 0
        for weight in weights:
            starts.append(max(begin + (finish - begin) * share // sum(weights), begin))
            share += weight
        index = group_end
    for index in range(1, len(starts)):
        starts[index] = max(starts[index], starts[index - 1] + 1)
    ends = [*starts[1:], max(end_of_sound, starts[-1] + 1)]
    return tuple(zip(starts, ends, strict=True))


def _first_sound(samples: array.array[int]) -> int:
    for index, sample in enumerate(samples):
        if abs(sample) > _SOUND_THRESHOLD:
            return index
    return 0


def _last_sound(samples: array.array[int]) -> int:
    for index in range(len(samples) - 1, -1, -1):
        if abs(samples[index]) > _SOUND_THRESHOLD:
            return index
    return len(samples) - 1


_LOCK = threading.Lock()
_loaded: ctypes.CDLL | None = None
_P = ParamSpec("_P")
_T = TypeVar("_T")


def _library(library_path: str) -> ctypes.CDLL:
    """The process's one eSpeak NG, loaded on first use and kept until the process ends."""
    global _loaded
    if _loaded is None:
        try:
            _loaded = ctypes.CDLL(library_path)
        except OSError as exc:
            raise SpeechUnavailable(f"cannot load {library_path}: {exc}") from exc
    return _loaded


@contextmanager
def open_synthesizer() -> Iterator[Synthesizer]:
    """eSpeak NG, started; one at a time per process.

    The library is loaded once per process and never unloaded, so what a synthesizer says
    depends on what the process said before: speak a recording in ``in_fresh_process``.
    Raises ImportError when espeakng-loader is not installed and SpeechUnavailable when the
    library does not load or start.
    """
    library_path, data_path = _paths()
    with _LOCK:
        library = _library(library_path)
        try:
            synthesizer = Synthesizer(library)
            synthesizer._start(data_path)
            yield synthesizer
        finally:
            library.espeak_Terminate()


_FORKSERVER = multiprocessing.get_context("forkserver")
# The workers' common imports, made once in the forkserver (which never loads eSpeak itself).
_FORKSERVER.set_forkserver_preload(["mock_server.domain.media.spoken_recordings"])


def in_fresh_process(function: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T:
    """``function(*args, **kwargs)`` run in a new process that has said nothing yet.

    Arguments and result travel pickled; what ``function`` raises is raised here. A worker
    that dies (a crash inside eSpeak) is SpeechUnavailable, and the caller lives on.
    """
    with ProcessPoolExecutor(max_workers=1, mp_context=_FORKSERVER) as worker:
        try:
            return worker.submit(function, *args, **kwargs).result()
        except BrokenProcessPool as exc:
            raise SpeechUnavailable(f"the speech worker died: {exc}") from exc
