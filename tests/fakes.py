"""Test doubles, shared by the test packages (as qutebrowser's tests/helpers/stubs.py).

``FakeStore`` keeps the real store's contract in memory (``tests/ui/test_ports.py`` runs the
same checks on both); ``FakeOutput`` is a silent cue output on a given clock that records the
calls the window makes, and can report a problem as a real output would. The product never
uses either: the app's fallbacks are the real ``Store.unavailable`` and ``NoSoundOutput``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from tempo_coach.core.clock import Clock
from tempo_coach.core.exercise import Exercise
from tempo_coach.core.output import NoSoundOutput
from tempo_coach.core.preferences import Preferences
from tempo_coach.core.records import LastUsed, SessionRecord, SessionSummary

if TYPE_CHECKING:
    from tempo_coach.core.session import Session


class FakeStoreError(RuntimeError):
    """A write the fake store refuses (the real store raises StoreError)."""


class FakeStore:
    """The store's API in memory: thread-safe (the window writes from a worker thread);
    records are kept exactly as given, as the real store keeps them."""

    def __init__(
        self,
        *,
        preferences: Preferences | None = None,
        custom: Sequence[Exercise] = (),
        sessions: Sequence[SessionRecord] = (),
        read_only_reason: str | None = None,
        problems: Sequence[str] = (),
        pending: SessionRecord | None = None,
        waiting_for_lock: bool = False,
    ) -> None:
        self._lock = threading.Lock()
        self._waiting_for_lock = waiting_for_lock  # read-only because another one runs
        self.lock_free = False  # the other one has closed: try_take_over succeeds
        self._preferences = preferences or Preferences.defaults()
        self._custom = list(custom)
        self.sessions: list[SessionRecord] = list(sessions)
        self.checkpoints: list[SessionRecord] = []
        self._pending = pending
        self._read_only_reason = read_only_reason
        self._problems = list(problems)
        self.writes = 0
        self.closed = False

    @property
    def read_only(self) -> bool:
        return self._read_only_reason is not None

    @property
    def read_only_reason(self) -> str | None:
        return self._read_only_reason

    @property
    def problems(self) -> list[str]:
        return list(self._problems)

    @property
    def may_take_over(self) -> bool:
        return self._waiting_for_lock and self.read_only

    def try_take_over(self) -> bool:
        if not self.may_take_over or not self.lock_free:
            return False
        self._read_only_reason = None
        self._waiting_for_lock = False
        return True

    def _check_writable(self) -> None:
        if self._read_only_reason is not None:
            raise FakeStoreError(f"nothing can be saved: {self._read_only_reason}")

    def load_preferences(self) -> Preferences:
        with self._lock:
            return self._preferences

    def save_preferences(self, preferences: Preferences) -> None:
        with self._lock:
            self._check_writable()
            self._preferences = preferences
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
            self.sessions.append(record)
            self.sessions.sort(key=lambda s: s.started_at)
            self.writes += 1

    def history(self) -> list[SessionRecord]:
        with self._lock:
            return list(self.sessions)

    def session(self, session_id: str) -> SessionRecord | None:
        with self._lock:
            return next((s for s in self.sessions if s.session_id == session_id), None)

    def delete_session(self, session_id: str) -> SessionRecord:
        with self._lock:
            self._check_writable()
            found = next((s for s in self.sessions if s.session_id == session_id), None)
            if found is None:
                raise FakeStoreError(f"no saved session {session_id!r}")
            self.sessions.remove(found)
            self.writes += 1
            return found

    def summaries(self) -> list[SessionSummary]:
        with self._lock:
            return [SessionSummary.of(record) for record in self.sessions]

    def last_used(self, exercise_id: str) -> LastUsed | None:
        with self._lock:
            for record in reversed(self.sessions):
                if record.exercise_id == exercise_id and record.sets:
                    return LastUsed.of(record)
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

    def close(self) -> None:
        self.closed = True


class FakeOutput(NoSoundOutput):
    """The product's silent output on ``clock``, recording the calls made to it, and able to
    report a problem as a real output would (tests do so from another thread)."""

    def __init__(
        self, clock: Clock | None = None, reason: str = "no audio output: cues are visual only"
    ) -> None:
        super().__init__(reason, clock)
        self.session: Session | None = None
        self.calls: list[str] = []
        self._listener: Callable[[str], None] | None = None

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
        if self._listener is not None:
            self._listener(message)

    def close(self) -> None:
        self.calls.append("close")
