"""The contract between a running session and whatever makes it heard.

The window and the command line drive a ``Session``; a ``CueOutput`` turns the session's
timeline into sound. The output owns the clock the session runs on, so that the session and
the screen follow the sound (a streaming output's clock is the samples actually played).
The sound-making implementations live in ``tempo_coach.audio``; ``NoSoundOutput`` here is
what the window falls back to when no output can even be built: the timer goes on, visual
only, and says why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from tempo_coach.core.clock import Clock, MonotonicClock

if TYPE_CHECKING:
    from tempo_coach.core.session import Session
    from tempo_coach.core.timeline import Event


class CueOutput(Protocol):
    @property
    def name(self) -> str:
        """A short stable name: "stream", "simpleaudio", "silent" (read-only: an output that
        falls back from one engine to another reports the engine in use)."""
        ...

    @property
    def clock(self) -> Clock:
        """The clock a Session driven by this output must be created with."""
        ...

    @property
    def horizon_ms(self) -> int:
        """How far ahead sound is committed; pass as Session(commit_horizon_ms=...)."""
        ...

    @property
    def status_text(self) -> str:
        """One line for the status bar: which output is in use, or why there is none."""
        ...

    def begin(self, session: Session) -> None:
        """Start making the session heard (call right after ``session.start()``)."""
        ...

    def session_changed(self) -> None:
        """The session re-planned or paused/resumed: re-render what is not yet committed."""
        ...

    def first_audible_difference(self, old: Sequence[Event], new: Sequence[Event]) -> int | None:
        """Session time of the first sound that differs between the two timelines (None:
        none does). Pass as Session(audible_difference=...): a live change then reaches
        every lowering whose difference is not yet committed."""
        ...

    def end(self) -> None:
        """Stop sound for this session; the output can begin another one later."""
        ...

    def set_problem_listener(self, listener: Callable[[str], None]) -> None:
        """``listener(message)`` is called, possibly from another thread, when the output
        fails or switches (e.g. the device vanished and it fell back to silent)."""
        ...

    def close(self) -> None:
        """Release the device for good."""
        ...


class NoSoundOutput:
    """A cue output that makes no sound, on the monotonic clock: the screen carries the cues."""

    name = "silent"

    def __init__(
        self, reason: str = "no audio output: cues are visual only", clock: Clock | None = None
    ) -> None:
        self._clock: Clock = clock or MonotonicClock()
        self._reason = reason

    @property
    def clock(self) -> Clock:
        return self._clock

    @property
    def horizon_ms(self) -> int:
        return 0

    @property
    def status_text(self) -> str:
        return self._reason

    def begin(self, session: Session) -> None:
        pass

    def session_changed(self) -> None:
        pass

    def first_audible_difference(self, old: Sequence[Event], new: Sequence[Event]) -> int | None:
        return None  # nothing is heard

    def end(self) -> None:
        pass

    def set_problem_listener(self, listener: Callable[[str], None]) -> None:
        pass

    def close(self) -> None:
        pass
