"""Call recordings as MP3 files served in byte ranges, and the tone recordings.

``Recording`` is what the HTTP layer serves: a name, a size and bytes by range.
Recordings of answered calls normally say their dialogue
(``spoken_recordings.py``); this module holds what every MP3 of the mock shares
(the ID3 tag, the Info frame, ``Range`` parsing) and the fallback used when the
speech packages are missing: **tone recordings**, built frame by frame on
demand without an encoder, which may be hours long and cost nothing to make.
So the file is built arithmetically:

* **MPEG-2 Layer III, 16 kHz, mono, 8 kbit/s, constant bit rate.**  MPEG-2
  (ISO 13818-3 "low sampling frequency") is in every decoder, unlike the
  MPEG-2.5 extension that 8 kHz would need, and 16 kHz is wide-band telephony.
  At 8 kbit/s a frame of 576 samples is exactly ``72 * 8000 / 16000 = 36``
  bytes, so no frame needs a padding slot: every frame has the same length
  and any byte offset maps to a frame by a division.  That gives 1000 bytes
  per second of audio (3.6 MB an hour).
* **Every frame is self-contained** (``main_data_begin = 0``: no bit
  reservoir), so a frame's bytes depend only on its index and can be produced
  for any byte range without producing what comes before it.
* **Silence is a frame whose side info says ``part2_3_length = 0``**: the
  decoder reads no scale factors and no Huffman data, every spectral line is
  zero.  That is a perfectly valid frame, not a trick.
* **The pip** ("this call is being recorded", every 15 s) is a frame with
  one non-zero spectral line, coded by hand: with ``scalefac_compress = 0``
  the LSF scale factors take no bits, Huffman table 1 codes each zero pair
  as the single bit ``1`` and the pair ``(0, 1)`` as ``001`` plus a sign
  bit; the region then ends exactly where ``part2_3_length`` says, so the
  count1 region is empty.  Line 31 sits at ``(31 + 0.5) * 8000 / 576`` Hz,
  about 437 Hz.  A stationary tone advances the phase of an MDCT line by a
  quarter turn per granule, so the line's sign follows ``+ + - -`` to keep
  the tone steady across granules instead of buzzing.
* **A Xing "Info" frame comes first** (the LAME convention for CBR): it says
  how many audio frames follow, so players show the exact length at once
  instead of estimating it.  36 bytes have room for the frame and byte counts
  but not for the 100-byte seek table, which a CBR stream does not need.
* **A small ID3v2.3 tag precedes the audio** with the recording's name as the
  title (``TIT2``), so a saved file says which call it is.

Because the audio is periodic (a pip every 15 s, the sign pattern every 4
frames) one period of audio frames, 90 kB, is built once and every range is
cut out of it: the memory used does not grow with the length of the call or
with the number of recordings.
"""

from __future__ import annotations

import re
import struct
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from math import lcm

__all__ = [
    "BIT_RATE",
    "BYTES_PER_SECOND",
    "CONTENT_TYPE",
    "FRAME_SIZE",
    "MAX_DURATION_SECONDS",
    "SAMPLES_PER_FRAME",
    "SAMPLE_RATE",
    "RangeNotSatisfiable",
    "Recording",
    "ToneRecording",
    "check_recording_arguments",
    "frame_count",
    "id3_tag",
    "info_frame",
    "make_recording",
    "parse_range",
]

CONTENT_TYPE = "audio/mpeg"

SAMPLE_RATE = 16_000
"""Hz; MPEG-2 (LSF) sampling frequency index 2."""
BIT_RATE = 8_000
"""bit/s; MPEG-2 Layer III bit rate index 1."""
SAMPLES_PER_FRAME = 576
"""One granule per frame in MPEG-2 Layer III."""
FRAME_SIZE = SAMPLES_PER_FRAME // 8 * BIT_RATE // SAMPLE_RATE
"""Bytes per frame, 36; the division is exact, so no frame carries a padding slot."""
BYTES_PER_SECOND = BIT_RATE // 8

# 32-bit frame header: sync (11 bits), version 10 = MPEG-2, layer 01 = III, protection 1 = no
# CRC | bit rate index 0001 = 8 kbit/s, sampling index 10 = 16 kHz, padding 0, private 0 |
# mode 11 = single channel, mode extension 00, copyright 0, original 0, emphasis 00.
_FRAME_HEADER = bytes((0xFF, 0xF3, 0x18, 0xC0))
_SIDE_INFO_SIZE = 9
"""MPEG-2 mono side info: 8 + 1 bits, then one granule of 63 bits."""

_PIP_LINE = 31
"""The spectral line of the pip: (31 + 0.5) * (SAMPLE_RATE / 2) / 576 ≈ 437.5 Hz."""
_PIP_GLOBAL_GAIN = 198
"""The pip's quantiser step: peaks near -18 dBFS (210 is about full scale; 4 steps, 6 dB)."""
_PIP_SIGNS = (False, False, True, True)
"""Sign of the pip's line per granule (True = negative): a quarter turn per granule."""
_PIP_PERIOD_SECONDS = 15
_PIP_SECONDS = 0.25

_HUFFMAN_TABLE = 1
_HUFFMAN_1_ZERO_PAIR = "1"
_HUFFMAN_1_ZERO_ONE_PAIR = "001"
_HUFFMAN_1_ONE_ZERO_PAIR = "01"

_XING_TAG = b"Info"
"""'Info' rather than 'Xing': the LAME convention for a constant bit rate stream."""
_XING_FLAGS = 0x0000_0003
"""Frame count and byte count present; no seek table, no quality field."""
_ID3_VERSION = bytes((3, 0))
"""ID3v2.3: the version every player reads (v2.4 is still missed by some)."""
_ENCODER_NAME = "tele2-ats-mock"

MAX_DURATION_SECONDS = 7 * 24 * 3600
"""Far beyond any call; keeps the Info frame's 32-bit byte count in range."""

_PERIOD_SAMPLES = lcm(SAMPLES_PER_FRAME, _PIP_PERIOD_SECONDS * SAMPLE_RATE)
_PERIOD_FRAMES = lcm(_PERIOD_SAMPLES // SAMPLES_PER_FRAME, len(_PIP_SIGNS))
"""Frames after which the audio repeats: the pip period and the sign period both divide it."""
_PIP_SAMPLES = round(_PIP_SECONDS * SAMPLE_RATE)


class _Bits:
    """Most-significant-bit-first writer for the side info and the main data."""

    __slots__ = ("_bits",)

    def __init__(self) -> None:
        self._bits: list[str] = []

    def put(self, value: int, width: int) -> None:
        if not 0 <= value < 1 << width:
            raise ValueError(f"{value} does not fit in {width} bits")
        self._bits.append(format(value, f"0{width}b") if width else "")

    def put_code(self, code: str) -> None:
        self._bits.append(code)

    def __len__(self) -> int:
        return sum(len(chunk) for chunk in self._bits)

    def to_bytes(self) -> bytes:
        text = "".join(self._bits)
        text += "0" * (-len(text) % 8)
        return int(text, 2).to_bytes(len(text) // 8, "big") if text else b""


def _side_info(*, part2_3_length: int, big_values: int, global_gain: int) -> bytes:
    """The side info of a mono MPEG-2 frame with one long-block granule, no reservoir."""
    bits = _Bits()
    bits.put(0, 8)  # main_data_begin: the main data starts in this very frame
    bits.put(0, 1)  # private_bits
    bits.put(part2_3_length, 12)
    bits.put(big_values, 9)
    bits.put(global_gain, 8)
    bits.put(0, 9)  # scalefac_compress 0: every LSF scale factor is 0 and takes no bits
    bits.put(0, 1)  # window_switching_flag: a normal long block
    for _ in range(3):
        bits.put(_HUFFMAN_TABLE, 5)  # table_select of the three big-value regions
    bits.put(0, 4)  # region0_count
    bits.put(0, 3)  # region1_count
    bits.put(0, 1)  # scalefac_scale
    bits.put(0, 1)  # count1table_select
    side_info = bits.to_bytes()
    assert len(side_info) == _SIDE_INFO_SIZE
    return side_info


def _frame(side_info: bytes, payload: bytes = b"") -> bytes:
    body = _FRAME_HEADER + side_info + payload
    if len(body) > FRAME_SIZE:
        raise ValueError("frame payload too large")
    return body + bytes(FRAME_SIZE - len(body))


def _silent_frame() -> bytes:
    return _frame(_side_info(part2_3_length=0, big_values=0, global_gain=0))


def _pip_frame(negative: bool) -> bytes:
    """A frame whose only non-zero spectral line is _PIP_LINE, quantised to +1 or -1."""
    bits = _Bits()
    pair, odd = divmod(_PIP_LINE, 2)
    for _ in range(pair):
        bits.put_code(_HUFFMAN_1_ZERO_PAIR)
    if odd:
        bits.put_code(_HUFFMAN_1_ZERO_ONE_PAIR)  # (x, y) = (0, 1): y is the pip's line
    else:
        bits.put_code(_HUFFMAN_1_ONE_ZERO_PAIR)  # (x, y) = (1, 0): x is the pip's line
    bits.put(int(negative), 1)
    main_data = bits.to_bytes()
    side_info = _side_info(
        part2_3_length=len(bits), big_values=pair + 1, global_gain=_PIP_GLOBAL_GAIN
    )
    return _frame(side_info, main_data)


def _is_pip(frame_index: int) -> bool:
    return frame_index * SAMPLES_PER_FRAME % (_PIP_PERIOD_SECONDS * SAMPLE_RATE) < _PIP_SAMPLES


@cache
def _audio_period() -> bytes:
    """One period of audio frames (90 kB), built once; the audio repeats it."""
    silent = _silent_frame()
    pips = [_pip_frame(negative) for negative in _PIP_SIGNS]
    return b"".join(
        pips[index % len(pips)] if _is_pip(index) else silent for index in range(_PERIOD_FRAMES)
    )


def frame_count(
    duration_seconds: int, sample_rate: int = SAMPLE_RATE, frame_samples: int = SAMPLES_PER_FRAME
) -> int:
    """Audio frames for a duration: rounded up, so the audio never ends before the call."""
    return -(-duration_seconds * sample_rate // frame_samples)


def _syncsafe(value: int) -> bytes:
    if not 0 <= value < 1 << 28:
        raise ValueError("ID3 tag too large")
    return bytes((value >> shift) & 0x7F for shift in (21, 14, 7, 0))


def _id3_text_frame(frame_id: str, text: str) -> bytes:
    try:
        payload = b"\x00" + text.encode("latin-1")
    except UnicodeEncodeError:
        payload = b"\x01" + text.encode("utf-16")  # with a byte order mark, as v2.3 wants
    return frame_id.encode("ascii") + struct.pack(">I", len(payload)) + b"\x00\x00" + payload


def id3_tag(title: str) -> bytes:
    """An ID3v2.3 tag naming the recording (``TIT2``) and the mock as its encoder."""
    frames = _id3_text_frame("TIT2", title) + _id3_text_frame("TSSE", _ENCODER_NAME)
    return b"ID3" + _ID3_VERSION + b"\x00" + _syncsafe(len(frames)) + frames


def info_frame(
    header: bytes, side_info_size: int, frame_size: int, frames: int, stream_bytes: int
) -> bytes:
    """The first frame of a constant-bit-rate stream (LAME's "Info" frame).

    Its side info is all zeros, so it decodes as silence (decoders that know the tag skip
    it); it tells players the exact number of audio ``frames`` that follow and the
    ``stream_bytes`` of all frames, this one included, so they show the exact length at
    once instead of estimating it. ``header`` is the stream's 4-byte frame header (no
    padding slot) and ``frame_size`` the bytes of such a frame.
    """
    payload = _XING_TAG + struct.pack(">III", _XING_FLAGS, frames, stream_bytes)
    frame = header + bytes(side_info_size) + payload
    if len(frame) > frame_size:
        raise ValueError("the Info frame does not fit in a frame")
    return frame + bytes(frame_size - len(frame))


def _tone_info_frame(frames: int) -> bytes:
    stream_bytes = (frames + 1) * FRAME_SIZE  # LAME counts the Info frame in the bytes
    return info_frame(_FRAME_HEADER, _SIDE_INFO_SIZE, FRAME_SIZE, frames, stream_bytes)


def _id3_size(name: str) -> int:
    return len(id3_tag(name))


def check_recording_arguments(name: str, duration_seconds: int) -> None:
    """ValueError (TypeError) unless ``name`` is non-empty and ``duration_seconds`` a whole
    number of seconds from 1 to MAX_DURATION_SECONDS."""
    if not name:
        raise ValueError("a recording needs a name")
    if isinstance(duration_seconds, bool) or not isinstance(duration_seconds, int):
        raise TypeError("duration_seconds must be an int")
    if duration_seconds <= 0:
        raise ValueError(f"a recording lasts at least one second, not {duration_seconds}")
    if duration_seconds > MAX_DURATION_SECONDS:
        raise ValueError(f"a recording lasts at most {MAX_DURATION_SECONDS} s")


def _total_size(name: str, duration_seconds: int) -> int:
    return _id3_size(name) + (frame_count(duration_seconds) + 1) * FRAME_SIZE


class Recording(ABC):
    """An MP3 file of one call, served whole or by byte range, never held in memory whole.

    ``size`` is known without producing the bytes, so that the HTTP layer can answer
    ``Content-Length`` and ``Content-Range`` at once.
    """

    __slots__ = ()

    name: str
    """The record's ``recordFileName``, e.g. ``2026-03-13/177342115767354776``."""
    duration_seconds: int
    size: int
    """Total bytes of the file."""

    @property
    def download_filename(self) -> str:
        """``<date>_<id>.mp3`` for ``Content-Disposition``: the name with ``/`` made ``_``."""
        return self.name.replace("/", "_").replace("\\", "_") + ".mp3"

    def iter_bytes(
        self, start: int = 0, end: int | None = None, chunk_size: int = 64 * 1024
    ) -> Iterator[bytes]:
        """Bytes ``start`` to ``end`` inclusive, like an HTTP range, in chunks of at most
        ``chunk_size`` bytes; ``end`` None means the last byte.  ``start == end + 1`` is
        the empty range."""
        last = self.size - 1 if end is None else end
        if chunk_size <= 0:
            raise ValueError("chunk_size must be positive")
        if start < 0 or last >= self.size or start > last + 1:
            raise ValueError(f"range {start}-{last} is outside 0-{self.size - 1}")
        return self._chunks(start, last + 1, chunk_size)

    @abstractmethod
    def _chunks(self, start: int, stop: int, chunk_size: int) -> Iterator[bytes]:
        """Bytes ``start`` to ``stop`` (exclusive, inside the file) in chunks."""

    def read(self, start: int = 0, end: int | None = None) -> bytes:
        """Bytes ``start`` to ``end`` inclusive as one ``bytes``; for small ranges and tests."""
        return b"".join(self.iter_bytes(start, end))


@dataclass(frozen=True, slots=True)
class ToneRecording(Recording):
    """The tone recording of a call (silence and a pip every 15 s), built on demand.

    ``size`` must be the size that ``make_recording`` computes (checked on creation).
    """

    name: str
    duration_seconds: int
    size: int

    def __post_init__(self) -> None:
        check_recording_arguments(self.name, self.duration_seconds)
        expected = _total_size(self.name, self.duration_seconds)
        if self.size != expected:
            raise ValueError(f"size {self.size} is not this recording's size {expected}")

    @property
    def frame_count(self) -> int:
        """Audio frames, not counting the Info frame."""
        return frame_count(self.duration_seconds)

    @property
    def length_seconds(self) -> float:
        """The audio's length as players report it (at most one frame past the duration)."""
        return self.frame_count * SAMPLES_PER_FRAME / SAMPLE_RATE

    def _chunks(self, start: int, stop: int, chunk_size: int) -> Iterator[bytes]:
        head = id3_tag(self.name) + _tone_info_frame(self.frame_count)
        period = _audio_period()
        position = start
        while position < stop:
            chunk_stop = min(stop, position + chunk_size)
            pieces: list[bytes] = []
            if position < len(head):
                pieces.append(head[position:chunk_stop])
                position = min(chunk_stop, len(head))
            while position < chunk_stop:
                offset = (position - len(head)) % len(period)
                piece = period[offset : offset + chunk_stop - position]
                pieces.append(piece)
                position += len(piece)
            yield pieces[0] if len(pieces) == 1 else b"".join(pieces)


def make_recording(name: str, duration_seconds: int) -> ToneRecording:
    """The tone recording called ``name`` of a conversation of ``duration_seconds`` whole
    seconds.

    The same arguments always give the same bytes.  Raises ValueError for an empty name or
    a duration below one second (or beyond MAX_DURATION_SECONDS).
    """
    check_recording_arguments(name, duration_seconds)
    return ToneRecording(name, duration_seconds, _total_size(name, duration_seconds))


class RangeNotSatisfiable(ValueError):
    """A Range header the mock cannot serve: answer 416 with ``Content-Range: bytes */size``."""

    def __init__(self, header: str, size: int) -> None:
        shown = header if len(header) <= 80 else header[:80] + "..."  # never echo 20 KB
        super().__init__(f"range {shown!r} not satisfiable for {size} bytes")
        self.header = header
        self.size = size


_RANGES_SPECIFIER = re.compile(r"(?P<unit>[!#$%&'*+.^_`|~0-9A-Za-z-]+)=(?P<set>.*)", re.DOTALL)
_RANGE_SPEC = re.compile(r"(?P<first>[0-9]+)-(?P<last>[0-9]*)|-(?P<suffix>[0-9]+)")
_OWS = " \t"


# Byte positions past this are past the end of any recording; longer digit strings are not
# converted (Python refuses integers of more than 4,300 digits, and they mean the same).
_MAX_POSITION_DIGITS = 18


def _position(digits: str) -> int:
    digits = digits.lstrip("0") or "0"
    return int(digits) if len(digits) <= _MAX_POSITION_DIGITS else 10**_MAX_POSITION_DIGITS


def _inverted(spec: re.Match[str]) -> bool:
    """`a-b` with `b < a`: not a range at all (RFC 9110 section 14.1.1)."""
    return bool(spec["last"]) and _position(spec["last"]) < _position(spec["first"])


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The inclusive ``(start, end)`` that a ``Range`` header asks of ``size`` bytes.

    RFC 9110 section 14: ``bytes=a-b``, ``bytes=a-`` and ``bytes=-n``, the end clamped to
    ``size - 1`` and a suffix longer than the file meaning the whole file.  None when there
    is no header, or when its unit is not ``bytes`` (a server MUST ignore a unit it does not
    know), and when it asks for more than one range: this server answers those with the whole
    file, which RFC 9110 section 14.2 allows ("A server MAY ignore the Range header field"),
    rather than multipart/byteranges (spec D26).  RangeNotSatisfiable when the range starts
    at or past the end, for ``bytes=-0``, and for a syntactically invalid range set (``a-b``
    with ``b < a`` included), as Spring answers them.
    """
    if header is None:
        return None
    specifier = _RANGES_SPECIFIER.fullmatch(header.strip(_OWS))
    if specifier is None:
        raise RangeNotSatisfiable(header, size)
    if specifier["unit"].lower() != "bytes":
        return None
    # A list may carry empty elements (RFC 9110 section 5.6.1): "bytes=0-9," is one range.
    elements = [element.strip(_OWS) for element in specifier["set"].split(",")]
    specs = [_RANGE_SPEC.fullmatch(element) for element in elements if element]
    if not specs or any(spec is None or _inverted(spec) for spec in specs):
        raise RangeNotSatisfiable(header, size)
    if len(specs) > 1:
        return None  # several ranges: the whole file (spec D26)
    spec = specs[0]
    assert spec is not None
    if spec["suffix"] is not None:
        suffix = _position(spec["suffix"])
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiable(header, size)
        return max(0, size - suffix), size - 1
    first = _position(spec["first"])
    last = _position(spec["last"]) if spec["last"] else None
    if first >= size:
        raise RangeNotSatisfiable(header, size)
    return first, size - 1 if last is None else min(last, size - 1)
