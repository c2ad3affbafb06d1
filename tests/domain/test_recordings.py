"""The tone recordings (the fallback when nothing speaks), the MP3 container and the Range
header parser."""

from __future__ import annotations

import hashlib
import struct
import tracemalloc
from itertools import pairwise
from pathlib import Path
from typing import Any

import mutagen.mp3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mock_server.domain.media.recordings import (
    RangeNotSatisfiable,
    ToneRecording,
    make_recording,
    parse_range,
)
from tests.audio import decode_mp3
from tests.processes import outputs_under_hash_seeds

NAME = "2026-03-13/177342115767354776"

# Independent of the module under test: ISO 13818-3 tables for MPEG-2 Layer III.
MPEG2_LAYER3_KBPS = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)
MPEG2_SAMPLE_RATES = (22050, 24000, 16000)
MPEG2_LAYER3_SAMPLES = 576
PIP_SECONDS = (0.05, 0.2)
"""A window inside the pip that opens the recording."""
QUIET_SECONDS = (1.0, 14.0)
"""A window between two pips."""


def id3_size(data: bytes) -> int:
    """Bytes of the ID3v2 tag at the start of ``data``, header included."""
    assert data[:3] == b"ID3"
    size = 0
    for byte in data[6:10]:
        assert byte < 0x80, "ID3 sizes are syncsafe"
        size = size << 7 | byte
    return 10 + size


def frame_length(header: bytes) -> int:
    """Bytes of the MPEG-2 Layer III frame starting with ``header``; asserts it is one."""
    word = int.from_bytes(header, "big")
    assert word >> 21 == 0x7FF, "frame sync"
    assert word >> 19 & 0b11 == 0b10, "MPEG-2"
    assert word >> 17 & 0b11 == 0b01, "Layer III"
    bitrate_index = word >> 12 & 0xF
    rate_index = word >> 10 & 0b11
    assert 0 < bitrate_index < 15
    assert rate_index < 3
    padding = word >> 9 & 1
    bit_rate = MPEG2_LAYER3_KBPS[bitrate_index] * 1000
    return MPEG2_LAYER3_SAMPLES // 8 * bit_rate // MPEG2_SAMPLE_RATES[rate_index] + padding


def frame_offsets(data: bytes) -> list[int]:
    """The offset of every frame after the ID3 tag; asserts the frames tile the file exactly."""
    offsets = []
    offset = id3_size(data)
    while offset < len(data):
        offsets.append(offset)
        offset += frame_length(data[offset : offset + 4])
    assert offset == len(data), "the last frame ends where the file ends"
    return offsets


def load_mp3(path: Path) -> Any:
    """mutagen's MP3, typed loosely: mutagen's own annotations are partial."""
    return mutagen.mp3.MP3(path)  # type: ignore[no-untyped-call]


@pytest.mark.parametrize("duration", [1, 7, 60, 601, 3600])
def test_recording_length_matches_duration_in_mutagen(duration: int, tmp_path: Path) -> None:
    recording = make_recording(NAME, duration)
    path = tmp_path / "call.mp3"
    path.write_bytes(recording.read())

    audio = load_mp3(path)

    assert abs(audio.info.length - duration) <= 1
    assert audio.info.length >= duration
    assert audio.info.channels == 1
    assert audio.info.bitrate_mode == mutagen.mp3.BitrateMode.CBR
    assert not audio.info.sketchy
    assert path.stat().st_size == recording.size


def test_recording_starts_with_id3_then_frame_sync() -> None:
    data = make_recording(NAME, 5).read()

    start = id3_size(data)

    assert data[:5] == b"ID3\x03\x00"
    assert data[start] == 0xFF
    assert data[start + 1] & 0xE0 == 0xE0


@pytest.mark.parametrize("duration", [1, 2, 95, 600])
def test_recording_frames_tile_the_file_and_info_frame_counts_them(duration: int) -> None:
    recording = make_recording(NAME, duration)
    data = recording.read()

    offsets = frame_offsets(data)
    info = data[offsets[0] :]
    xing_at = 4 + 9  # MPEG-2 mono: header, then 9 bytes of side info
    tag, flags, frames, stream_bytes = struct.unpack(">4sIII", info[xing_at : xing_at + 16])

    assert tag == b"Info"
    assert flags & 0b11 == 0b11
    assert frames == len(offsets) - 1 == recording.frame_count
    assert stream_bytes == len(data) - offsets[0]
    assert frames * MPEG2_LAYER3_SAMPLES / 16000 == recording.length_seconds
    assert duration <= recording.length_seconds < duration + 1


@pytest.mark.parametrize(
    ("name", "title"),
    [
        (NAME, NAME),
        ("2022-07-15/1657870026.3477", "2022-07-15/1657870026.3477"),
        ("2026-01-02/запись", "2026-01-02/запись"),
    ],
)
def test_recording_id3_title_is_its_name(name: str, title: str, tmp_path: Path) -> None:
    path = tmp_path / "call.mp3"
    path.write_bytes(make_recording(name, 3).read())

    audio = load_mp3(path)

    assert audio.tags is not None
    assert str(audio.tags["TIT2"]) == title


def test_recording_different_names_give_different_titles() -> None:
    first = make_recording("2026-03-13/1", 10).read()
    second = make_recording("2026-03-13/2", 10).read()

    assert first[: id3_size(first)] != second[: id3_size(second)]
    assert first[id3_size(first) :] == second[id3_size(second) :], "same audio for same length"


def test_recording_is_the_same_in_another_process() -> None:
    # The same bytes in any process, whatever its hash seed (a set or a hash() in the encoder
    # would differ); read twice, in two ranges, they are still the same bytes.
    code = (
        "import hashlib, sys; from mock_server.domain.media.recordings import make_recording; "
        f"sys.stdout.write(hashlib.sha256(make_recording({NAME!r}, 123).read()).hexdigest())"
    )
    digests = outputs_under_hash_seeds(code)
    recording = make_recording(NAME, 123)
    whole = recording.read()
    assert digests == {hashlib.sha256(whole).hexdigest()}
    assert recording.read(0, 999) + recording.read(1000) == whole


WHOLE = make_recording(NAME, 95)
"""Longer than one 90 kB period of audio frames, so ranges wrap around it."""
WHOLE_BYTES = WHOLE.read()


@settings(max_examples=200, deadline=None)
@given(data=st.data(), chunk_size=st.integers(min_value=1, max_value=200_000))
def test_recording_iter_bytes_equals_slices_of_the_whole_file(
    data: st.DataObject, chunk_size: int
) -> None:
    start = data.draw(st.integers(min_value=0, max_value=WHOLE.size - 1), label="start")
    end = data.draw(st.none() | st.integers(min_value=start, max_value=WHOLE.size - 1), label="end")

    chunks = list(WHOLE.iter_bytes(start, end, chunk_size))

    stop = WHOLE.size if end is None else end + 1
    assert b"".join(chunks) == WHOLE_BYTES[start:stop]
    assert all(0 < len(chunk) <= chunk_size for chunk in chunks)
    assert WHOLE.read(start, end) == WHOLE_BYTES[start:stop]


def test_recording_empty_range_yields_nothing() -> None:
    assert list(WHOLE.iter_bytes(10, 9)) == []


@pytest.mark.parametrize(
    ("start", "end", "chunk_size"),
    [
        (-1, None, 1024),
        (0, WHOLE.size, 1024),
        (10, 8, 1024),
        (WHOLE.size + 1, None, 1024),
        (0, None, 0),
    ],
)
def test_recording_iter_bytes_rejects_ranges_outside_the_file(
    start: int, end: int | None, chunk_size: int
) -> None:
    with pytest.raises(ValueError, match=r"range|chunk_size"):
        WHOLE.iter_bytes(start, end, chunk_size)


@pytest.mark.parametrize(("name", "duration"), [(NAME, 0), (NAME, -5), ("", 10)])
def test_recording_rejects_bad_arguments(name: str, duration: int) -> None:
    with pytest.raises(ValueError, match=r"second|name"):
        make_recording(name, duration)


def test_recording_rejects_a_size_that_is_not_its_own() -> None:
    real = make_recording(NAME, 10)

    with pytest.raises(ValueError, match="size"):
        ToneRecording(NAME, 10, real.size + 1)


def test_recording_download_filename_replaces_the_slash() -> None:
    assert make_recording(NAME, 1).download_filename == "2026-03-13_177342115767354776.mp3"


def test_recording_four_hours_is_never_held_in_memory() -> None:
    duration = 4 * 3600
    chunk_size = 64 * 1024
    make_recording(NAME, 1).read(0, 0)  # warm the module's one-period cache
    tracemalloc.start()
    try:
        recording = make_recording(NAME, duration)
        size_peak = tracemalloc.get_traced_memory()[1]
        total = 0
        largest = 0
        for chunk in recording.iter_bytes(chunk_size=chunk_size):
            total += len(chunk)
            largest = max(largest, len(chunk))
        iteration_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert recording.size > 10_000_000
    assert size_peak < 64 * 1024, "the size is computed, not measured"
    assert total == recording.size
    assert largest <= chunk_size
    assert iteration_peak < 4 * chunk_size


def test_recording_a_megabyte_from_the_middle_of_an_hour_matches_streaming() -> None:
    # Speed is measured by scripts/bench_journal.py, not asserted here.
    recording = make_recording(NAME, 3600)
    middle = recording.size // 2
    data = recording.read(middle, middle + 1024 * 1024 - 1)

    assert len(data) == 1024 * 1024
    assert data == b"".join(recording.iter_bytes(middle, middle + 1024 * 1024 - 1))


@pytest.mark.parametrize("duration", [1, 31])
def test_recording_decodes_in_process(duration: int) -> None:
    audio = decode_mp3(make_recording(NAME, duration).read())

    assert len(audio.channels) == 1
    assert audio.sample_rate == 16000
    assert duration <= audio.seconds < duration + 0.05
    assert audio.rms(0, *PIP_SECONDS) > 1000, "the recording opens with a pip"
    # A tone of its one spectral line: (31 + 0.5) * 8000 / 576 = 437.5 Hz, two zero
    # crossings a period (audio data decoded from anything else is not this tone).
    first, last = (round(seconds * audio.sample_rate) for seconds in PIP_SECONDS)
    pip = audio.channels[0][first:last]
    crossings = sum(1 for a, b in pairwise(pip) if (a < 0) != (b < 0))
    assert crossings / 2 / (PIP_SECONDS[1] - PIP_SECONDS[0]) == pytest.approx(437.5, abs=10)
    if duration > QUIET_SECONDS[1]:
        assert audio.rms(0, *QUIET_SECONDS) == 0, "silence between pips"


@pytest.mark.parametrize(
    ("header", "size", "expected"),
    [
        (None, 100, None),
        ("bytes=0-9", 100, (0, 9)),
        ("bytes=0-", 100, (0, 99)),
        ("bytes=10-10", 100, (10, 10)),
        ("bytes=90-200", 100, (90, 99)),
        ("bytes=99-", 100, (99, 99)),
        ("bytes=-10", 100, (90, 99)),
        ("bytes=-100", 100, (0, 99)),
        ("bytes=-500", 100, (0, 99)),
        ("Bytes=1-2", 100, (1, 2)),
        ("bytes=1-2,", 100, (1, 2)),
        ("bytes= 1-2 ", 100, (1, 2)),
        ("bytes=0-1023", 3_600_111, (0, 1023)),
        ("items=0-9", 100, None),
        # Several ranges: the whole file, not multipart/byteranges (D26), even past the end.
        ("bytes=0-1,5-6", 100, None),
        ("bytes=0-1, 0-1", 100, None),
        ("bytes=-5,200-", 100, None),
        ("bytes=0-9,", 100, (0, 9)),  # an empty element does not make a second range
    ],
)
def test_parse_range_satisfiable(
    header: str | None, size: int, expected: tuple[int, int] | None
) -> None:
    assert parse_range(header, size) == expected


@pytest.mark.parametrize(
    ("header", "size"),
    [
        ("bytes=100-", 100),
        ("bytes=100-200", 100),
        ("bytes=-0", 100),
        ("bytes=5-4", 100),
        ("bytes=0-1,5-4", 100),  # one of several ranges inverted: not a range set
        ("bytes=0-1,abc", 100),
        ("bytes=", 100),
        ("bytes=,", 100),
        ("bytes=abc", 100),
        ("bytes=1-2-3", 100),
        ("bytes=+1-2", 100),
        ("bytes=1 - 2", 100),
        ("bytes=-", 100),
        ("bytes 0-1", 100),
        ("0-1", 100),
        ("", 100),
        ("bytes=0-0", 0),
        ("bytes=-5", 0),
    ],
)
def test_parse_range_unsatisfiable(header: str, size: int) -> None:
    with pytest.raises(RangeNotSatisfiable) as raised:
        parse_range(header, size)

    assert isinstance(raised.value, ValueError)
    assert raised.value.size == size


@settings(max_examples=300)
@given(
    size=st.integers(min_value=1, max_value=10**9),
    first=st.integers(min_value=0, max_value=2 * 10**9),
    length=st.integers(min_value=0, max_value=2 * 10**9),
)
def test_parse_range_result_is_inside_the_file(size: int, first: int, length: int) -> None:
    header = f"bytes={first}-{first + length}"

    if first >= size:
        with pytest.raises(RangeNotSatisfiable):
            parse_range(header, size)
        return
    assert parse_range(header, size) == (first, min(first + length, size - 1))
