"""Reading MP3 answers in tests with mutagen, a standard decoder independent of the mock."""

from __future__ import annotations

import io

import mutagen.mp3

__all__ = ["mp3_length"]


def mp3_length(data: bytes) -> float:
    """Duration in seconds as mutagen reads it; raises if the bytes are not an MP3 stream."""
    # mutagen's own type hints are partial (untyped constructor, `info` typed as None).
    audio = mutagen.mp3.MP3(io.BytesIO(data))  # type: ignore[no-untyped-call]
    length: float = audio.info.length  # type: ignore[attr-defined]
    return length
