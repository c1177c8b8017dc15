"""The silent engine: no sound at all, the monotonic clock; the app goes on timing visually."""

from __future__ import annotations

from collections.abc import Callable

from tempo_coach.core.clock import Clock, MonotonicClock
from tempo_coach.core.session import Session

SILENT_TEXT = "no audio output: cues are visual only"


class SilentEngine:
    name = "silent"

    def __init__(self, clock: Clock | None = None) -> None:
        self._clock = clock or MonotonicClock()

    @property
    def horizon_ms(self) -> int:
        return 0

    def raw_now(self) -> float:
        return self._clock.now()

    def begin(self, session: Session, to_raw: Callable[[float], float]) -> None:
        pass

    def session_changed(self) -> None:
        pass

    def end(self) -> None:
        pass

    def close(self) -> None:
        pass

    def set_failure_handler(self, handler: Callable[[str], None]) -> None:
        pass  # nothing can fail
