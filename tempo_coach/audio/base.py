"""What every playback back-end ("engine") provides, and the clock they share.

A ``CueOutput`` (see tempo_coach.core.output) is what the window and the command line use;
``tempo_coach.audio.chooser.FallbackOutput`` implements it on top of a list of engines tried
in priority order. An engine has a *raw* clock (seconds on its own scale: the device position
for the stream, the monotonic clock for simpleaudio and silent); the output's ``OutputClock``
adds an offset to it and re-computes the offset when it switches engines mid-set, so the
session's clock never jumps or goes backwards.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

from tempo_coach.core.session import Session

#: Silence before session time 0 in every new buffer (simpleaudio) and rendered file
#: (offline): PulseAudio can drop the first ~18 ms of a new stream, which would clip a cue
#: placed on its very first sample. (The stream engine waits longer: see
#: stream.BUFFER_FILL_SILENCE_S.)
CLIP_GUARD_SILENCE_S = 0.1


class EngineUnavailable(RuntimeError):
    """An engine cannot run here; the message says why in the user's words."""


class Engine(Protocol):
    name: str

    @property
    def horizon_ms(self) -> int: ...

    def raw_now(self) -> float:
        """The engine's own clock, seconds. Must never go backwards."""
        ...

    def begin(self, session: Session, to_raw: Callable[[float], float]) -> None:
        """Start making ``session`` heard; ``to_raw`` maps a session clock value to the
        engine's raw clock. Raises EngineUnavailable when the device cannot be opened."""
        ...

    def session_changed(self) -> None: ...

    def end(self) -> None: ...

    def close(self) -> None: ...

    def set_failure_handler(self, handler: Callable[[str], None]) -> None:
        """``handler(reason)`` when the engine stops working mid-set (any thread)."""
        ...


class OutputClock:
    """The clock a session runs on: (an engine's raw clock + an offset) x speed, never
    backwards. ``speed`` > 1 runs the session (and its sound) faster than real time, for
    demos and tests; the speed-up lives here, not in a wrapper around the session's clock,
    because the engines also need the inverse mapping (``to_raw``), across engine switches."""

    def __init__(self, source: Callable[[], float], speed: float = 1.0) -> None:
        if not speed > 0:
            raise ValueError(f"the speed factor must be above 0, got {speed}")
        self._lock = threading.Lock()
        self._source = source
        self._speed = speed
        self._offset = 0.0
        self._last = source() * speed

    @property
    def speed(self) -> float:
        return self._speed

    def to_raw(self, value: float) -> float:
        """The active engine's raw clock value at which this clock reads ``value``."""
        with self._lock:
            return value / self._speed - self._offset

    def now(self) -> float:
        with self._lock:
            value = (self._source() + self._offset) * self._speed
            if value > self._last:
                self._last = value
            return self._last

    def switch(self, source: Callable[[], float]) -> None:
        """Follow ``source`` from now on, continuing from the current value (the offset is
        chosen so that (source() + offset) x speed reads that value now)."""
        with self._lock:
            current = max(self._last, (self._source() + self._offset) * self._speed)
            self._source = source
            self._offset = current / self._speed - source()
            self._last = current
