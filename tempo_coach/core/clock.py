"""Clocks. Timing code reads the Clock it was given; nothing else reads the system time.

``MonotonicClock`` is the only place in the package that calls ``time.monotonic()``. Tests
drive ``FakeClock`` and never sleep. The audio layer supplies a clock of its own (samples
played over the sample rate), so the session and the screen follow the sound.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds on a monotonic scale; only differences matter."""
        ...


class MonotonicClock:
    def now(self) -> float:
        return time.monotonic()


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, start: float = 1000.0) -> None:
        self._now = start

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a clock does not go backwards")
        self._now += seconds

    def set(self, seconds: float) -> None:
        if seconds < self._now:
            raise ValueError("a clock does not go backwards")
        self._now = seconds
