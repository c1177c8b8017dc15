"""``Store``: the app's data folder (preferences, custom exercises, history, checkpoint).

Opening takes the single-writer lock, removes temporaries a killed writer left, and reads
every file once, except the month files that ``history/index.json`` still describes (their
summaries come from the index; their records are decoded on first need); afterwards
``problems`` and ``read_only`` say everything the user must be told. Each save rewrites one
small file through ``atomic.atomic_write``: one month of history, never the years before it;
the index follows at ``close()``. ``Store`` is the facade and holds the lock that makes every
method thread-safe; the history is ``store/history.py``'s, the reading, writing and
reporting of files ``store/files.py``'s, the CSV ``store/export.py``'s and the backup
``store/backup.py``'s. See docs/STORE.md for the folder layout and the guarantees.

A store opened read-only because another instance held the lock can become the writer when
that one has gone (``try_take_over``), and then reads every file again first, so that it
never writes a month without what the other instance saved.

Why it is over 500 lines: it is the facade every caller uses (open, take over, preferences,
exercises, sessions, delete, checkpoint, export, backup, import), each a short method over
``files.py``, ``history.py``, ``backup.py`` and ``export.py``.
"""

from __future__ import annotations

import errno
import io
import os
import threading
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tempo_coach.core.exercise import BUILTIN_EXERCISES, Exercise
from tempo_coach.core.preferences import Preferences
from tempo_coach.core.summary import SessionSummary
from tempo_coach.store import exercise_codec
from tempo_coach.store.atomic import (
    atomic_write,
    backup_path,
    remove_file,
    remove_stale_temporaries,
)
from tempo_coach.store.documents import Decoded, Outcome, ReadResult
from tempo_coach.store.files import (
    Files,
    StoreError,
    decode_list,
    document,
    encoded_for_saving,
)
from tempo_coach.store.history import History
from tempo_coach.store.lock import LOCK_NAME, Busy, FolderLock, Refused, acquire

if TYPE_CHECKING:
    # Imported where used: the backup and the CSV are not needed to open a store (the
    # table of `tempo-coach history` and the window's first paint need neither), nor the
    # records and their codec while the index is current (store/exercise_codec.py).
    from tempo_coach.core.records import LastUsed, SessionRecord
    from tempo_coach.store.backup import BackupPreview, ImportResult

__all__ = ["Store", "StoreError", "default_data_dir"]

APP_NAME = "tempo-coach"
PREFERENCES_FILE = "preferences.json"
EXERCISES_FILE = "exercises.json"
CHECKPOINT_FILE = "checkpoint.json"
HISTORY_FOLDER = "history"


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def _decode_preferences(content: dict[str, Any]) -> Decoded[Preferences]:
    raw = content.get("values")
    if not isinstance(raw, dict):
        raise ValueError("the preferences are not a JSON object")
    preferences, problems = Preferences.of(raw)
    return Decoded(preferences, tuple(problems))


def _decode_exercises(content: dict[str, Any]) -> Decoded[list[Exercise]]:
    return decode_list(content, "exercises", exercise_codec.decode_exercise, "exercise")


def _decode_checkpoint(content: dict[str, Any]) -> Decoded[SessionRecord]:
    from tempo_coach.store import codec  # sessions only: see store/exercise_codec.py

    return Decoded(codec.decode_session(content.get("session")))


def _files_for(path: Path, taken: FolderLock | Busy | Refused | OSError) -> Files:
    """The store's ``Files``: with the lock, or with the sentence saying why there is none."""
    if isinstance(taken, FolderLock):
        return Files(taken, None)
    if isinstance(taken, Busy):
        who = f"pid {taken.pid}" if taken.pid is not None else "process id unknown"
        reason = (
            f"another Tempo Coach ({who}) is running and owns {path}; "
            "this one shows your data but saves nothing until that one is closed"
        )
    elif isinstance(taken, Refused):
        reason = taken.reason
    elif taken.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        reason = (
            f"the data folder {path} cannot be written ({taken.strerror or taken}); "
            "your data is shown but nothing will be saved"
        )
    else:
        reason = (
            f"the lock file {path / LOCK_NAME} could not be used ({taken.strerror or taken}); "
            "your data is shown but nothing will be saved"
        )
    return Files(None, reason)


class Store:
    """The data folder of one user. Create with ``Store.open`` (or ``Store.unavailable``);
    ``close()`` when done."""

    def __init__(self, path: Path, files: Files) -> None:
        self.path = path
        self._mutex = threading.RLock()
        self._unavailable = False  # Store.unavailable: no folder, so nothing to export
        # Read-only only because the lock could not be taken (another instance holds it, or
        # the lock file is not one Tempo Coach may open): try_take_over() may end that.
        self._waiting_for_lock = False
        self._reset(files)

    def _reset(self, files: Files) -> None:
        """Forget everything read; ``_load_all`` reads it again through ``files``."""
        self._files = files
        self._history = History(self.path / HISTORY_FOLDER, files)
        self._preferences = Preferences.defaults()
        self._exercises: list[Exercise] = []
        self._checkpoint: SessionRecord | None = None

    # -- opening and closing -------------------------------------------------------------------

    @classmethod
    def open(cls, data_dir: Path | None = None) -> Store:
        """Open (creating if needed) the data folder. Raises StoreError only when the folder
        itself cannot be created or used; damaged files become ``problems``."""
        path = Path(data_dir) if data_dir is not None else default_data_dir()
        try:
            (path / HISTORY_FOLDER).mkdir(parents=True, exist_ok=True)
        except OSError as error:
            if not os.path.lexists(path / HISTORY_FOLDER):
                raise StoreError(
                    f"cannot use the data folder {path}: {error.strerror or error}"
                ) from None
        try:
            taken: FolderLock | Busy | Refused | OSError = acquire(path)
        except OSError as error:  # a read-only medium or folder: still show what is there
            taken = error
        store = cls(path, _files_for(path, taken))
        store._waiting_for_lock = isinstance(taken, (Busy, Refused))
        store._load_or_close()
        return store

    def _load_or_close(self) -> None:
        """Read every file (after the temporaries a killed writer left are removed, when
        this store holds the lock)."""
        self._history.check_folder()
        if self._files.lock is not None:
            remove_stale_temporaries(self.path)
            if self._history.usable:
                remove_stale_temporaries(self.path / HISTORY_FOLDER)
        try:
            self._load_all()
        except BaseException:
            self._history.forget_index_changes()  # a partial history must not be indexed
            self.close()
            raise

    def try_take_over(self) -> bool:
        """Become the writer if the instance that held the lock has gone.

        For a store opened read-only because another Tempo Coach held the lock (or the lock
        file was not one it may open): takes the lock if it is free now, then reads every
        file again before anything can be saved, so that no month is ever written without
        the sessions the other instance saved. Returns True when this store may now save
        (``read_only_reason`` is None); then everything read before (preferences, custom
        exercises, summaries, history, ``pending_checkpoint()``, ``problems``) may have
        changed and should be asked again. Returns False, changing nothing but the
        ``read_only_reason`` (the other instance's pid), while the lock is held elsewhere;
        and at once for a store that is read-only for another reason (a file from a newer
        Tempo Coach, a folder that cannot be written, closed, unavailable). Cheap when the
        lock is still held (one open and one ``flock``), so it may be called on a timer."""
        with self._mutex:
            if not self.read_only:
                return True
            if not self._waiting_for_lock:
                return False
            try:
                taken: FolderLock | Busy | Refused | OSError = acquire(self.path)
            except OSError as error:
                taken = error
            if not isinstance(taken, FolderLock):
                self._files.read_only_reason = _files_for(self.path, taken).read_only_reason
                return False
            previous = (self._files, self._history, self._preferences)
            previous_more = (self._exercises, self._checkpoint)
            self._reset(self._files.taken_over(taken))
            try:
                self._load_or_close()
            except BaseException:
                self._files, self._history, self._preferences = previous
                self._exercises, self._checkpoint = previous_more
                raise
            self._waiting_for_lock = False
            return not self.read_only

    @classmethod
    def unavailable(cls, reason: str, path: Path | None = None) -> Store:
        """A read-only store that never touches any folder (no lock; nothing is read or
        written): no history, no custom exercises, default preferences, and every save
        refused with a ``StoreError`` giving ``reason``. For when the data folder cannot be
        used at all (``open`` raised); the app still runs, and says why nothing is saved.
        ``path`` is only what ``store.path`` says (the folder that could not be used)."""
        store = cls(path if path is not None else default_data_dir(), Files(None, reason))
        store._unavailable = True
        return store

    def close(self) -> None:
        """Write the history index if it is out of date, then release the lock (idempotent).
        The object keeps answering reads."""
        with self._mutex:
            if self._files.lock is not None:
                self._history.flush_index()
                self._files.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def may_take_over(self) -> bool:
        """Read-only only because another Tempo Coach holds the lock (or the lock file is
        not one this one may open): ``try_take_over()`` may end it, so a window calls it on
        a timer while this is true. False once it has (or for any other read-only store)."""
        return self._waiting_for_lock and self.read_only

    @property
    def read_only(self) -> bool:
        return self._files.read_only_reason is not None

    @property
    def read_only_reason(self) -> str | None:
        """Why nothing is saved (a sentence for the user), or None when saving works."""
        return self._files.read_only_reason

    @property
    def problems(self) -> list[str]:
        """Sentences about files that could not be read, or read only in part."""
        return self._files.problems

    @property
    def history_path(self) -> Path:
        return self.path / HISTORY_FOLDER

    @property
    def index_path(self) -> Path:
        return self._history.index_path

    # -- loading -------------------------------------------------------------------------------

    def _load_all(self) -> None:
        files = self._files
        prefs = files.read(
            self.path / PREFERENCES_FILE, "preferences", _decode_preferences, "Your preferences"
        )
        if prefs.value is not None:
            self._preferences = prefs.value
        if prefs.outcome is Outcome.DAMAGED and prefs.value is not None:
            files.repair(
                self.path / PREFERENCES_FILE,
                prefs,
                document("preferences", values=prefs.value.as_dict()),
            )

        exercises = files.read(
            self.path / EXERCISES_FILE, "exercises", _decode_exercises, "Your custom exercises"
        )
        self._exercises = self._merge_exercises(exercises)
        if exercises.outcome is Outcome.DAMAGED and exercises.value is not None:
            files.repair(self.path / EXERCISES_FILE, exercises, self._exercises_document())

        self._history.load()

        checkpoint = files.read(
            self.path / CHECKPOINT_FILE,
            "checkpoint",
            _decode_checkpoint,
            "The session in progress",
        )
        self._checkpoint = checkpoint.value
        if checkpoint.outcome is Outcome.DAMAGED and checkpoint.value is not None:
            from tempo_coach.store import codec

            files.repair(
                self.path / CHECKPOINT_FILE,
                checkpoint,
                document("checkpoint", session=codec.encode_session(checkpoint.value)),
            )
        # Last: only now is it known whether the store is read-only.
        if self._history.index_wanted_now:
            self._history.flush_index()

    def _merge_exercises(self, result: ReadResult[Any]) -> list[Exercise]:
        merged: dict[str, Exercise] = {}
        for exercise in result.value or []:
            merged.setdefault(exercise.exercise_id, exercise)
        for exercise in result.backup_value or []:
            merged.setdefault(exercise.exercise_id, exercise)
        return list(merged.values())

    # -- preferences ---------------------------------------------------------------------------

    def load_preferences(self) -> Preferences:
        with self._mutex:
            return self._preferences

    def save_preferences(self, preferences: Preferences) -> None:
        """Save every preference (the file keeps a dict of values, as in format 2)."""
        with self._mutex:
            self._files.check_writable("Your preferences")
            # Checked again against the table: a Preferences built by hand is not validated.
            checked, problems = Preferences.of(preferences.as_dict())
            if problems:
                raise StoreError("Your preferences were not saved: " + "; ".join(problems))
            self._files.write(
                self.path / PREFERENCES_FILE,
                document("preferences", values=checked.as_dict()),
                "Your preferences",
            )
            self._preferences = checked

    # -- custom exercises ----------------------------------------------------------------------

    def custom_exercises(self) -> list[Exercise]:
        with self._mutex:
            return list(self._exercises)

    def _exercises_document(self, exercises: Iterable[Exercise] | None = None) -> dict[str, Any]:
        chosen = self._exercises if exercises is None else exercises
        return document("exercises", exercises=[exercise_codec.encode_exercise(e) for e in chosen])

    def save_custom_exercises(self, exercises: list[Exercise]) -> None:
        with self._mutex:
            self._files.check_writable("Your custom exercises")
            seen: set[str] = {e.exercise_id for e in BUILTIN_EXERCISES}
            for exercise in exercises:
                if exercise.exercise_id in seen:
                    raise StoreError(
                        f"Your custom exercises were not saved: the id "
                        f"{exercise.exercise_id!r} is used twice"
                    )
                seen.add(exercise.exercise_id)
            content = self._exercises_document(exercises)
            for item in content["exercises"]:
                try:
                    exercise_codec.decode_exercise(item)
                except ValueError as error:
                    raise StoreError(f"Your custom exercises were not saved: {error}") from None
            self._files.write(self.path / EXERCISES_FILE, content, "Your custom exercises")
            self._exercises = list(exercises)

    # -- history (store/history.py) ------------------------------------------------------------

    def save_session(self, record: SessionRecord) -> None:
        """Add (or replace, by session_id) a finished, ended-early or aborted session.
        Rewrites only the file of the session's month (the index follows at close()).
        Editing a saved session (its note, its RPE) is saving the changed record: it keeps
        its id, so its month and its place there. A load above ``LOAD_MAX`` is refused
        unless that set already had it (docs/STORE.md, "Loads")."""
        with self._mutex:
            self._history.save(record, self._same_session(self._checkpoint, record))

    def save_sessions(self, records: Iterable[SessionRecord]) -> None:
        """Add (or replace, by session_id) many sessions at once: every one is checked
        first, then each month's file is written once. Either a month is saved whole or not
        at all; months written before an error stay saved."""
        with self._mutex:
            self._history.save_many(records)

    def delete_session(self, session_id: str) -> SessionRecord:
        """Remove a saved session from its month's file (atomically, like a save) and return
        it: saving it back with ``save_session`` undoes the delete. Raises StoreError when
        no session has that id or the store is read-only."""
        with self._mutex:
            return self._history.delete(session_id)

    def summaries(self) -> list[SessionSummary]:
        """One summary per saved session, oldest first (by the instant it started:
        ``core/instants.py``), in the same order as ``history()``: what the History tab
        lists. Served from the index, so no rep is decoded for it."""
        with self._mutex:
            return self._history.summaries()

    def history(self) -> list[SessionRecord]:
        """Every saved session in full, oldest first (by the instant it started, not the
        text of its local time: ``core/instants.py``). Decodes every month not decoded yet
        (about 100 ms for ten years)."""
        with self._mutex:
            return self._history.records()

    def session(self, session_id: str) -> SessionRecord | None:
        """One saved session in full (decodes only its month), or None."""
        with self._mutex:
            return self._history.session(session_id)

    def last_used(self, exercise_id: str) -> LastUsed | None:
        """What the lifter did last time with this exercise, to prefill the next session:
        ``LastUsed.of`` its latest session (by instant) that has a set (only that month is
        decoded)."""
        from tempo_coach.core.records import LastUsed

        with self._mutex:
            record = self._history.last_session(exercise_id)
            return None if record is None else LastUsed.of(record)

    def write_index(self) -> None:
        """Write ``history/index.json`` now if it is out of date (``close()`` does it too).
        For a caller that wants the next start fast even if this process is killed, e.g.
        from a worker thread after saving a session. Never raises."""
        with self._mutex:
            self._history.flush_index()

    # -- the session in progress ---------------------------------------------------------------

    def checkpoint(self, record: SessionRecord) -> None:
        """Keep the session in progress so a crash loses at most the rep in progress."""
        with self._mutex:
            what = "The session in progress"
            self._files.check_writable(what)
            encoded = encoded_for_saving(
                record, what, (self._same_session(self._checkpoint, record),)
            )
            self._files.write(
                self.path / CHECKPOINT_FILE, document("checkpoint", session=encoded), what
            )
            self._checkpoint = record

    def pending_checkpoint(self) -> SessionRecord | None:
        with self._mutex:
            return self._checkpoint

    def clear_checkpoint(self) -> None:
        with self._mutex:
            self._files.check_writable("The session in progress")
            path = self.path / CHECKPOINT_FILE
            try:
                # The backup first: a damaged checkpoint must never revive an older session.
                remove_file(backup_path(path))
                # A checkpoint it could not read nor copy aside is not the session it knows:
                # it stays, unread and reported, rather than be deleted with its bytes.
                if self._files.may_remove(path):
                    remove_file(path)
            except OSError as error:
                raise StoreError(
                    f"the finished session's checkpoint could not be removed: "
                    f"{error.strerror or error} ({path})"
                ) from None
            self._checkpoint = None

    @staticmethod
    def _same_session(kept: SessionRecord | None, record: SessionRecord) -> SessionRecord | None:
        return kept if kept is not None and kept.session_id == record.session_id else None

    # -- export, backup and import (store/export.py, store/backup.py) --------------------------

    def _chosen(self, session_ids: Collection[str] | None, what: str) -> list[SessionRecord]:
        """The sessions with these ids (every one when None), oldest first."""
        records = self._history.records()
        if session_ids is None:
            return records
        wanted = set(session_ids)
        missing = sorted(wanted - {r.session_id for r in records})
        if missing:
            raise StoreError(f"{what} was not written: there is no saved session {missing[0]!r}")
        return [r for r in records if r.session_id in wanted]

    def _check_exportable(self, what: str) -> None:
        if self._unavailable:
            raise StoreError(f"{what} was not written: {self._files.read_only_reason}")

    @staticmethod
    def _write_out(path: str | os.PathLike[str], data: bytes, what: str) -> None:
        """Write an export outside the data folder, atomically (no .bak)."""
        try:
            atomic_write(Path(path), data, keep_backup=False)
        except OSError as error:
            raise StoreError(
                f"{what} was not written: {error.strerror or error} ({path}); "
                "a file already there is unchanged"
            ) from None

    def export_csv(
        self, path: str | os.PathLike[str], session_ids: Collection[str] | None = None
    ) -> None:
        """Write the sessions (every one, or those with these ids) as CSV, one row per set
        (``store/export.py``), atomically. Works on a read-only store."""
        what = "The CSV export"
        with self._mutex:
            self._check_exportable(what)
            from tempo_coach.store import export

            text = io.StringIO()
            export.write_csv(self._chosen(session_ids, what), text)
        self._write_out(path, text.getvalue().encode("utf-8"), what)

    def backup_bytes(self, session_ids: Collection[str] | None = None) -> bytes:
        """A backup file's bytes (``store/backup.py``): every session (or those with these
        ids), the custom exercises and the preferences. Refused (StoreError) when a file
        from a newer Tempo Coach was found: this version may not have read all of it."""
        from tempo_coach.store import backup

        what = "The backup"
        with self._mutex:
            self._check_exportable(what)
            if self._files.newer:
                raise StoreError(
                    f"{what} was not written: {self._files.newer[0]} was written by a newer "
                    "Tempo Coach and this one cannot read all of it: update Tempo Coach"
                )
            return backup.encode_backup(
                self._chosen(session_ids, what),
                self._exercises,
                self._preferences,
                backup.now_text(),
            )

    def write_backup(
        self, path: str | os.PathLike[str], session_ids: Collection[str] | None = None
    ) -> None:
        """Write ``backup_bytes()`` to ``path``, atomically. Works on a read-only store."""
        self._write_out(path, self.backup_bytes(session_ids), "The backup")

    def read_backup(self, path: str | os.PathLike[str]) -> BackupPreview:
        """Read and check a backup completely, and say what importing it would add. Changes
        nothing. Raises BackupError (a StoreError) when the file is not a whole backup this
        version can import: corrupt, truncated, another kind of file, a newer format."""
        from tempo_coach.store import backup

        read = backup.read_backup_file(Path(path))
        with self._mutex:
            return backup.preview(
                Path(path),
                read,
                self._history.session,
                [*BUILTIN_EXERCISES, *self._exercises],
                self._preferences,
            )

    def import_backup(
        self, preview: BackupPreview, include_preferences: bool = False
    ) -> ImportResult:
        """Add what the backup holds and the store does not, as the store is now: sessions
        and custom exercises whose ids are not here (one that is here stays as it is here),
        and the preferences only when ``include_preferences``. Each month is written once.
        Importing the same backup again adds nothing. Raises StoreError (read-only, a failed
        write: what was written before it stays, and importing again adds the rest)."""
        with self._mutex:
            self._files.check_writable(f"The backup {preview.path.name}", "imported")
            content = preview.backup
            sessions = [s for s in content.sessions if self._history.session(s.session_id) is None]
            self._history.save_many(sessions, from_backup=True)
            known = {e.exercise_id for e in (*BUILTIN_EXERCISES, *self._exercises)}
            exercises = [e for e in content.custom_exercises if e.exercise_id not in known]
            if exercises:
                self.save_custom_exercises([*self._exercises, *exercises])
            replace = include_preferences and content.preferences != self._preferences
            if replace:
                self.save_preferences(content.preferences)
            from tempo_coach.store.backup import ImportResult

            return ImportResult(
                tuple(s.session_id for s in sessions),
                tuple(e.exercise_id for e in exercises),
                replace,
            )
