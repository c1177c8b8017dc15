"""Find where cues start in a recording or a rendered track (for tests and the benchmark).

Our sounds start at full level on their first sample and the stream is exact digital silence
between cues, so an onset is simply the first sample above a threshold after a stretch of
quiet; no smoothing, so the result is sample-exact.
"""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

DEFAULT_THRESHOLD = 0.02  # of full scale
DEFAULT_QUIET_MS = 30.0  # the shortest silence that separates two cues


def detect_onsets(
    samples: np.ndarray,
    rate: int,
    threshold: float = DEFAULT_THRESHOLD,
    quiet_ms: float = DEFAULT_QUIET_MS,
) -> np.ndarray:
    """Sample indices where a sound starts after at least ``quiet_ms`` below threshold."""
    level = np.abs(samples.astype(np.float64))
    if samples.dtype == np.int16:
        level /= 32768.0
    loud = np.flatnonzero(level > threshold)
    if loud.size == 0:
        return np.zeros(0, dtype=np.int64)
    gap = int(quiet_ms * rate / 1000)
    keep = np.concatenate(([True], np.diff(loud) > gap))
    return loud[keep].astype(np.int64)


def read_wav_int16(path: Path) -> tuple[np.ndarray, int]:
    """A 16-bit mono or stereo WAV as int16 mono (the first channel) and its rate."""
    with wave.open(str(path), "rb") as source:
        if source.getsampwidth() != 2:
            raise ValueError(f"{path}: expected 16-bit samples")
        channels = source.getnchannels()
        rate = source.getframerate()
        data = np.frombuffer(source.readframes(source.getnframes()), dtype="<i2")
    return data.reshape(-1, channels)[:, 0].copy(), rate
