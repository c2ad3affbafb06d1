"""Reading MP3 answers in tests with decoders independent of the mock: mutagen reads the
stream's header and Info frame, miniaudio (dr_mp3, in-process) decodes the audio."""

from __future__ import annotations

import array
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

import miniaudio
import mutagen.mp3

__all__ = ["DecodedAudio", "correlation", "decode_mp3", "envelope", "mp3_length", "pitch", "rms"]


def mp3_length(data: bytes) -> float:
    """Duration in seconds as mutagen reads it; raises if the bytes are not an MP3 stream."""
    # mutagen's own type hints are partial (untyped constructor, `info` typed as None).
    audio = mutagen.mp3.MP3(io.BytesIO(data))  # type: ignore[no-untyped-call]
    length: float = audio.info.length  # type: ignore[attr-defined]
    return length


@dataclass(frozen=True, slots=True)
class DecodedAudio:
    """16-bit samples, one array per channel (0 left, 1 right)."""

    sample_rate: int
    channels: tuple[array.array[int], ...]

    @property
    def seconds(self) -> float:
        return len(self.channels[0]) / self.sample_rate

    def rms(self, channel: int, first: float, last: float) -> float:
        """Root mean square of ``channel`` from ``first`` to ``last`` seconds."""
        return rms(self.channels[channel], first, last, self.sample_rate)


def decode_mp3(data: bytes) -> DecodedAudio:
    """Every sample of an MP3 file, at its own rate and channel count (raises if not MP3)."""
    decoded = miniaudio.mp3_read_s16(data)
    interleaved = decoded.samples
    count = decoded.nchannels
    channels = tuple(interleaved[channel::count] for channel in range(count))
    return DecodedAudio(decoded.sample_rate, channels)


def rms(samples: Sequence[int], first: float, last: float, rate: int) -> float:
    """Root mean square of ``samples`` (at ``rate``) from ``first`` to ``last`` seconds."""
    window = samples[int(first * rate) : int(last * rate)]
    if not window:
        raise ValueError(f"empty window {first}-{last} s")
    return math.sqrt(sum(sample * sample for sample in window) / len(window))


def envelope(samples: Sequence[int], rate: int, window: float = 0.01) -> list[float]:
    """Root mean square of each ``window`` seconds of ``samples``: the shape of the sound."""
    size = max(1, round(window * rate))
    return [
        math.sqrt(sum(v * v for v in samples[i : i + size]) / size)
        for i in range(0, len(samples) - size + 1, size)
    ]


def correlation(first: Sequence[float], second: Sequence[float]) -> float:
    """Pearson's correlation of two equally long series (0 when either is constant)."""
    if len(first) != len(second) or not first:
        raise ValueError("series of different lengths")
    mean_first, mean_second = sum(first) / len(first), sum(second) / len(second)
    covariance = sum(
        (a - mean_first) * (b - mean_second) for a, b in zip(first, second, strict=True)
    )
    spread = math.sqrt(
        sum((a - mean_first) ** 2 for a in first) * sum((b - mean_second) ** 2 for b in second)
    )
    return covariance / spread if spread else 0.0


def pitch(samples: Sequence[int], rate: int, *, windows: int = 8) -> float:
    """The median fundamental frequency (Hz, 70-300) of the loudest ``windows`` stretches of
    23 ms, by autocorrelation: how high a voice is."""
    size = 512
    starts = range(0, len(samples) - 2 * size, size)
    loudest = sorted(starts, key=lambda i: -sum(abs(v) for v in samples[i : i + size]))[:windows]
    estimates = []
    for start in loudest:
        window = samples[start : start + 2 * size]
        lags = range(rate // 300, rate // 70)
        head = window[:size]
        best = max(
            lags,
            key=lambda lag: sum(a * b for a, b in zip(head, window[lag : lag + size], strict=True)),
        )
        estimates.append(rate / best)
    estimates.sort()
    return estimates[len(estimates) // 2]
