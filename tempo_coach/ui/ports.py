"""What the window needs from its collaborators, stated as Protocols.

The window never imports ``tempo_coach.store`` or ``tempo_coach.audio`` (import-linter's
independence contract): ``tempo_coach.app`` passes in the store (``tempo_coach.store.Store``,
or ``Store.unavailable(reason)`` when the data folder cannot be used), a factory for the cue
output and a list of audio back-ends. The tests' doubles live in ``tests/fakes.py`` and are
checked against the same contract as the real store (``tests/ui/test_ports.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from tempo_coach.core.exercise import Exercise
from tempo_coach.core.preferences import Preferences
from tempo_coach.core.records import LastUsed, SessionRecord, SessionSummary

if TYPE_CHECKING:
    from tempo_coach.core.output import CueOutput


class StorePort(Protocol):
    """The part of ``tempo_coach.store.Store`` the window uses."""

    @property
    def read_only(self) -> bool: ...

    @property
    def read_only_reason(self) -> str | None: ...

    @property
    def problems(self) -> list[str]: ...

    @property
    def may_take_over(self) -> bool: ...

    def try_take_over(self) -> bool: ...

    def load_preferences(self) -> Preferences: ...

    def save_preferences(self, preferences: Preferences) -> None: ...

    def custom_exercises(self) -> list[Exercise]: ...

    def save_custom_exercises(self, exercises: list[Exercise]) -> None: ...

    def save_session(self, record: SessionRecord) -> None: ...

    def history(self) -> list[SessionRecord]: ...

    def session(self, session_id: str) -> SessionRecord | None: ...

    def delete_session(self, session_id: str) -> SessionRecord: ...

    def export_csv(self, path: str, session_ids: Collection[str] | None = None) -> None: ...

    def write_backup(self, path: str, session_ids: Collection[str] | None = None) -> None: ...

    def read_backup(self, path: str) -> Any: ...  # store.BackupPreview

    def import_backup(self, preview: Any, include_preferences: bool = False) -> Any: ...

    def summaries(self) -> list[SessionSummary]: ...

    def last_used(self, exercise_id: str) -> LastUsed | None: ...

    def checkpoint(self, record: SessionRecord) -> None: ...

    def pending_checkpoint(self) -> SessionRecord | None: ...

    def clear_checkpoint(self) -> None: ...

    def close(self) -> None: ...


#: Builds the cue output for these preferences (``tempo_coach.audio.choose_output``).
OutputFactory = Callable[[Preferences], "CueOutput"]
#: The names of the audio back-ends the preferences dialog offers (besides "auto").
BackendLister = Callable[[], Sequence[str]]
