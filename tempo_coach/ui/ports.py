"""What the window needs from its collaborators, stated as Protocols, and in-memory stand-ins.

The window never imports ``tempo_coach.store`` or ``tempo_coach.audio`` (import-linter's
independence contract): ``tempo_coach.app`` passes in a store-like object, a factory for the
cue output and a list of audio back-ends. ``InMemoryStore`` and ``SilentOutput`` serve the
tests, and the app until the real ones exist; they keep the same contract as the real ones.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from tempo_coach.core.clock import Clock, MonotonicClock
from tempo_coach.core.exercise import Exercise
from tempo_coach.core.preferences import validate_all
from tempo_coach.core.records import SessionRecord, SessionSummary

if TYPE_CHECKING:
    from tempo_coach.core.output import CueOutput
    from tempo_coach.core.session import Session


class StorePort(Protocol):
    """The part of ``tempo_coach.store.Store`` the window uses (names as in the brief)."""

    @property
    def read_only(self) -> bool: ...

    @property
    def read_only_reason(self) -> str | None: ...

    @property
    def problems(self) -> list[str]: ...

    def load_preferences(self) -> dict[str, Any]: ...

    def save_preferences(self, values: dict[str, Any]) -> None: ...

    def custom_exercises(self) -> list[Exercise]: ...

    def save_custom_exercises(self, exercises: list[Exercise]) -> None: ...

    def save_session(self, record: SessionRecord) -> None: ...

    def history(self) -> list[SessionRecord]: ...

    def summaries(self) -> list[SessionSummary]: ...

    def last_used(self, exercise_id: str) -> dict[str, Any] | None: ...

    def checkpoint(self, record: SessionRecord) -> None: ...

    def pending_checkpoint(self) -> SessionRecord | None: ...

    def clear_checkpoint(self) -> None: ...


#: Builds the cue output for these preferences (``tempo_coach.audio.choose_output``).
OutputFactory = Callable[[Mapping[str, Any]], "CueOutput"]
#: The names of the audio back-ends the preferences dialog offers (besides "auto").
BackendLister = Callable[[], Sequence[str]]


class InMemoryStoreError(RuntimeError):
    """A write to a read-only in-memory store (mirrors the real store's StoreError)."""


class InMemoryStore:
    """A store that keeps everything in memory, with the real store's API.

    Thread-safe, because the window writes from a worker thread. ``last_used`` is derived
    from the saved sessions the way the window records them (the plan is in ``extra``).
    """

    def __init__(
        self,
        *,
        preferences: Mapping[str, Any] | None = None,
        custom: Sequence[Exercise] = (),
        sessions: Sequence[SessionRecord] = (),
        read_only_reason: str | None = None,
        problems: Sequence[str] = (),
        pending: SessionRecord | None = None,
    ) -> None:
        self._lock = threading.Lock()
        values, found = validate_all(dict(preferences or {}))
        self._preferences = values
        self._custom = list(custom)
        self.sessions: list[SessionRecord] = list(sessions)
        self.checkpoints: list[SessionRecord] = []
        self._pending = pending
        self._read_only_reason = read_only_reason
        self._problems = [*problems, *found]
        self.writes = 0

    @property
    def read_only(self) -> bool:
        return self._read_only_reason is not None

    @property
    def read_only_reason(self) -> str | None:
        return self._read_only_reason

    @property
    def problems(self) -> list[str]:
        return list(self._problems)

    def _check_writable(self) -> None:
        if self._read_only_reason is not None:
            raise InMemoryStoreError(f"nothing can be saved: {self._read_only_reason}")

    def load_preferences(self) -> dict[str, Any]:
        with self._lock:
            return dict(self._preferences)

    def save_preferences(self, values: dict[str, Any]) -> None:
        validated, problems = validate_all(values)
        if problems:
            raise InMemoryStoreError("; ".join(problems))
        with self._lock:
            self._check_writable()
            self._preferences = validated
            self.writes += 1

    def custom_exercises(self) -> list[Exercise]:
        with self._lock:
            return list(self._custom)

    def save_custom_exercises(self, exercises: list[Exercise]) -> None:
        with self._lock:
            self._check_writable()
            self._custom = list(exercises)
            self.writes += 1

    def save_session(self, record: SessionRecord) -> None:
        with self._lock:
            self._check_writable()
            self.sessions = [s for s in self.sessions if s.session_id != record.session_id]
            self.sessions.append(replace(record, finished=True))
            self.writes += 1

    def history(self) -> list[SessionRecord]:
        with self._lock:
            return list(self.sessions)

    def summaries(self) -> list[SessionSummary]:
        """One row per session, in ``history()`` order (the real store reads an index)."""
        with self._lock:
            return [SessionSummary.of(record) for record in self.sessions]

    def last_used(self, exercise_id: str) -> dict[str, Any] | None:
        with self._lock:
            for record in reversed(self.sessions):
                if record.exercise_id == exercise_id and record.sets:
                    last = record.sets[-1]
                    return {
                        "tempo": last.tempo_used,
                        "reps": last.reps_planned,
                        "sets": int(record.extra.get("sets_planned", len(record.sets))),
                        "rest_s": int(record.extra.get("rest_s", 0)),
                        "load": last.load,
                        "load_unit": last.load_unit.value,
                    }
        return None

    def checkpoint(self, record: SessionRecord) -> None:
        with self._lock:
            self._check_writable()
            self.checkpoints.append(record)
            self._pending = record
            self.writes += 1

    def pending_checkpoint(self) -> SessionRecord | None:
        with self._lock:
            return self._pending

    def clear_checkpoint(self) -> None:
        with self._lock:
            self._check_writable()
            self._pending = None
            self.writes += 1


class SilentOutput:
    """A cue output that makes no sound: the screen alone carries the cues.

    Keeps the CueOutput contract (tested in tests/ui/test_ports.py) and counts the calls, so
    tests can check that the window tells the output about every change.
    """

    name = "silent"

    def __init__(
        self, clock: Clock | None = None, reason: str = "no audio output: cues are visual only"
    ) -> None:
        self._clock: Clock = clock or MonotonicClock()
        self._reason = reason
        self.session: Session | None = None
        self.calls: list[str] = []
        self._listener: Callable[[str], None] | None = None

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
        self.session = session
        self.calls.append("begin")

    def session_changed(self) -> None:
        self.calls.append("session_changed")

    def end(self) -> None:
        self.session = None
        self.calls.append("end")

    def set_problem_listener(self, listener: Callable[[str], None]) -> None:
        self._listener = listener

    def report_problem(self, message: str) -> None:
        """Call the listener as a real output would (tests use it from another thread)."""
        if self._listener is not None:
            self._listener(message)

    def close(self) -> None:
        self.calls.append("close")
