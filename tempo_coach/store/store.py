"""``Store``: the app's data folder (preferences, custom exercises, history, checkpoint).

Opening takes the single-writer lock, removes temporaries a killed writer left, and reads
every file once, except the month files that ``history/index.json`` still describes (their
summaries come from the index; their records are decoded on first need); afterwards
``problems`` and ``read_only`` say everything the user must be told. Each save rewrites one
small file through ``atomic.atomic_write``: one month of history, never the years before it;
the index follows at ``close()``. See docs/STORE.md for the folder layout and the guarantees.
"""

from __future__ import annotations

import gc
import os
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tempo_coach.core.exercise import BUILTIN_EXERCISES, Exercise
from tempo_coach.core.preferences import Preferences
from tempo_coach.core.records import LastUsed, SessionRecord, SessionSummary
from tempo_coach.store import codec
from tempo_coach.store.atomic import (
    atomic_write,
    backup_path,
    remove_file,
    remove_stale_temporaries,
)
from tempo_coach.store.documents import (
    Decoded,
    Outcome,
    ReadResult,
    dump_json,
    read_document,
    set_aside,
)
from tempo_coach.store.index import Index, IndexNewer, Stamp, encode_index, read_index
from tempo_coach.store.lock import Busy, FolderLock, acquire
from tempo_coach.store.migrations import SCHEMA_VERSION

APP_NAME = "tempo-coach"
PREFERENCES_FILE = "preferences.json"
EXERCISES_FILE = "exercises.json"
CHECKPOINT_FILE = "checkpoint.json"
HISTORY_FOLDER = "history"
INDEX_FILE = "index.json"  # in HISTORY_FOLDER
UNDATED = "undated"
FREEZE_AFTER_SESSIONS = 1000  # below this, a collection over the history costs < 2 ms
# When open() had to decode more months than this (no usable index, e.g. the first start
# after an upgrade), the index is written at once instead of at close(): a start without
# it costs ~100 ms on ten years, writing it ~10 ms once. A few stale months (a crash after
# saving) are cheap to decode again and wait for close().
INDEX_AT_OPEN_AFTER_MONTHS = 6
_MONTH = re.compile(r"^(\d{4}-\d{2})")
_MONTH_FILE = re.compile(r"^(\d{4}-\d{2}|undated)\.json$")


class StoreError(Exception):
    """Something the store could not do; the message is a sentence to show the user."""


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def month_of(record: SessionRecord) -> str:
    """The history file a session belongs in: its start month, or 'undated'."""
    return month_of_started(record.started_at)


def month_of_started(started_at: str) -> str:
    match = _MONTH.match(started_at)
    return match.group(1) if match else UNDATED


# -- decoders: JSON document -> value, listing the parts that had to be dropped ------------------


def _decode_preferences(document: dict[str, Any]) -> Decoded[Preferences]:
    raw = document.get("values")
    if not isinstance(raw, dict):
        raise ValueError("the preferences are not a JSON object")
    preferences, problems = Preferences.of(raw)
    return Decoded(preferences, tuple(problems))


def _decode_list(
    document: dict[str, Any], key: str, decode_one: Callable[[Any], Any], what: str
) -> Decoded[list[Any]]:
    raw = document.get(key)
    if not isinstance(raw, list):
        raise ValueError(f"{key!r} is not a list")
    try:  # the usual case, all good, without a try per item
        return Decoded([decode_one(item) for item in raw])
    except (ValueError, TypeError, RecursionError):
        pass
    items: list[Any] = []
    damage: list[str] = []
    for number, item in enumerate(raw, start=1):
        try:
            items.append(decode_one(item))
        except (ValueError, TypeError, RecursionError) as error:
            damage.append(f"{what} {number} was dropped ({error})")
    return Decoded(items, tuple(damage))


def _decode_exercises(document: dict[str, Any]) -> Decoded[list[Exercise]]:
    return _decode_list(document, "exercises", codec.decode_exercise, "exercise")


def _decode_history(document: dict[str, Any]) -> Decoded[list[SessionRecord]]:
    return _decode_list(document, "sessions", codec.decode_session, "session")


def _decode_checkpoint(document: dict[str, Any]) -> Decoded[SessionRecord]:
    return Decoded(codec.decode_session(document.get("session")))


def _document(kind: str, **payload: Any) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "kind": kind, **payload}


@dataclass
class _Month:
    """One month of history: its summaries always, its full records once decoded.

    ``stamp`` is the (size, mtime_ns) of the file the summaries describe, known only when
    the file was read cleanly or written by this store; only such months go in the index.
    """

    summaries: list[SessionSummary]
    records: dict[str, SessionRecord] | None = None
    stamp: Stamp | None = None


class Store:
    """The data folder of one user. Create with ``Store.open``; ``close()`` when done."""

    def __init__(self, path: Path, lock: FolderLock | None, busy_reason: str | None) -> None:
        self.path = path
        self._lock = lock
        self.read_only_reason: str | None = busy_reason
        self.problems: list[str] = []
        self._mutex = threading.RLock()
        self._preferences = Preferences.defaults()
        self._exercises: list[Exercise] = []
        self._months: dict[str, _Month] = {}
        self._history_cache: list[SessionRecord] | None = None
        # Every summary with its month, oldest first (last_used needs the month).
        self._summary_cache: list[tuple[SessionSummary, str]] | None = None
        self._where: dict[str, str] | None = None  # session_id -> month, made on first need
        # The index on disk no longer matches the months in memory (written at close()).
        self._index_dirty = False
        # False when the index is from a newer version: such a file is never rewritten.
        self._index_writable = True
        self._index_now = False  # write it at the end of open() (see INDEX_AT_OPEN_AFTER_MONTHS)
        self._checkpoint: SessionRecord | None = None
        # Files found unreadable and not repaired: their next save must not make the damaged
        # version the backup.
        self._damaged: set[Path] = set()
        self._set_aside: dict[Path, Path] = {}  # damaged file -> its corrupt copy

    # -- opening and closing -------------------------------------------------------------------

    @classmethod
    def open(cls, data_dir: Path | None = None) -> Store:
        """Open (creating if needed) the data folder. Raises StoreError only when the folder
        itself cannot be created or used; damaged files become ``problems``."""
        path = Path(data_dir) if data_dir is not None else default_data_dir()
        taken: FolderLock | Busy | OSError
        try:
            (path / HISTORY_FOLDER).mkdir(parents=True, exist_ok=True)
        except OSError as error:
            if not (path / HISTORY_FOLDER).is_dir():
                raise StoreError(
                    f"cannot use the data folder {path}: {error.strerror or error}"
                ) from None
        try:
            taken = acquire(path)
        except OSError as error:  # a read-only medium or folder: still show what is there
            taken = error
        if isinstance(taken, OSError):
            store = cls(
                path,
                None,
                f"the data folder {path} cannot be written ({taken.strerror or taken}); "
                "your data is shown but nothing will be saved",
            )
        elif isinstance(taken, Busy):
            who = f"pid {taken.pid}" if taken.pid is not None else "process id unknown"
            store = cls(
                path,
                None,
                f"another Tempo Coach ({who}) is running and owns {path}; "
                "this one shows your data but saves nothing until that one is closed",
            )
        else:
            store = cls(path, taken, None)
            remove_stale_temporaries(path)
            remove_stale_temporaries(path / HISTORY_FOLDER)
        try:
            store._load_all()
        except BaseException:
            store._index_dirty = False  # a load cut short must not write a partial index
            store.close()
            raise
        return store

    def close(self) -> None:
        """Write the history index if it is out of date, then release the lock (idempotent).
        The object keeps answering reads."""
        with self._mutex:
            if self._lock is not None:
                self._flush_index()
                self._lock.release()
                self._lock = None
                if self.read_only_reason is None:
                    self.read_only_reason = "the store has been closed"

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    @property
    def history_path(self) -> Path:
        return self.path / HISTORY_FOLDER

    # -- loading -------------------------------------------------------------------------------

    def _read(
        self, path: Path, kind: str, decode: Callable[[dict[str, Any]], Decoded[Any]], label: str
    ) -> ReadResult[Any]:
        result = read_document(path, kind, decode, writable=self._lock is not None, label=label)
        self.problems.extend(result.problems)
        if result.outcome is Outcome.NEWER and self.read_only_reason is None:
            self.read_only_reason = result.problems[0]
        if result.outcome is Outcome.DAMAGED:
            self._damaged.add(path)
            if result.corrupt_copy is not None:
                self._set_aside[path] = result.corrupt_copy
        return result

    def _repair(self, path: Path, result: ReadResult[Any], document: dict[str, Any]) -> None:
        """Rewrite a damaged file with what was recovered, once its bytes are safe aside."""
        if self._lock is None or result.corrupt_copy is None:
            return
        try:
            atomic_write(path, dump_json(document), keep_backup=False)
        except (OSError, ValueError):
            return  # keep reporting it; the next successful save repairs it
        self._damaged.discard(path)

    def _load_all(self) -> None:
        prefs = self._read(
            self.path / PREFERENCES_FILE, "preferences", _decode_preferences, "Your preferences"
        )
        if prefs.value is not None:
            self._preferences = prefs.value
        if prefs.outcome is Outcome.DAMAGED and prefs.value is not None:
            self._repair(
                self.path / PREFERENCES_FILE,
                prefs,
                _document("preferences", values=prefs.value.as_dict()),
            )

        exercises = self._read(
            self.path / EXERCISES_FILE, "exercises", _decode_exercises, "Your custom exercises"
        )
        self._exercises = self._merge_exercises(exercises)
        if exercises.outcome is Outcome.DAMAGED and exercises.value is not None:
            self._repair(self.path / EXERCISES_FILE, exercises, self._exercises_document())

        # The cyclic garbage collector would run dozens of times while the ~150,000
        # containers of ten years are created, though none can be garbage yet: it is paused
        # meanwhile. Then a large history is frozen (moved out of the collector's sight):
        # it lives as long as the app and holds no cycles, and otherwise every later full
        # collection would walk all of it again, a pause of 10 ms or more each time
        # (bench/store_history.py measured 12 ms for ten years at the first one).
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._load_history()
        finally:
            if collecting:
                if sum(len(m.summaries) for m in self._months.values()) >= FREEZE_AFTER_SESSIONS:
                    gc.freeze()
                gc.enable()

        checkpoint = self._read(
            self.path / CHECKPOINT_FILE,
            "checkpoint",
            _decode_checkpoint,
            "The session in progress",
        )
        self._checkpoint = checkpoint.value
        if checkpoint.outcome is Outcome.DAMAGED and checkpoint.value is not None:
            self._repair(
                self.path / CHECKPOINT_FILE,
                checkpoint,
                _document("checkpoint", session=codec.encode_session(checkpoint.value)),
            )
        if self._index_now:  # last: only now is it known whether the store is read-only
            self._flush_index()

    @property
    def index_path(self) -> Path:
        return self.history_path / INDEX_FILE

    def _load_history(self) -> None:
        """Take each month's summaries from the index when the file is the one the index
        describes; decode every other month (new, changed, damaged: exactly as without an
        index, so damage is still found, set aside and reported)."""
        index: Index | None
        try:
            index = read_index(self.index_path)
        except IndexNewer:
            index, self._index_writable = None, False
        except (ValueError, TypeError, RecursionError, OSError):
            index = None  # missing or unusable: it holds nothing the months do not
        entries = index.months if index is not None else {}
        decoded = 0
        with os.scandir(self.history_path) as scan:
            files = sorted((entry.name, entry) for entry in scan if _MONTH_FILE.match(entry.name))
        for name, entry in files:
            try:
                if not entry.is_file():
                    continue
                status = entry.stat()
            except OSError:
                status = None
            month = name[: -len(".json")]
            stamp = None if status is None else (status.st_size, status.st_mtime_ns)
            indexed = entries.get(month)
            if index is not None and indexed is not None and self._trusted(stamp, indexed, index):
                self._months[month] = _Month(indexed[1], None, stamp)
                continue
            self._load_month(month, stamp)
            decoded += 1
        written = {m for m, month in self._months.items() if month.stamp is not None}
        if decoded or written != set(entries) or (index is None and self._months):
            self._index_dirty = True
        self._index_now = decoded > INDEX_AT_OPEN_AFTER_MONTHS

    @staticmethod
    def _trusted(
        stamp: Stamp | None, indexed: tuple[Stamp, list[SessionSummary]], index: Index
    ) -> bool:
        """Whether the month file is the one the index entry describes. Same size and
        modification time, and that time strictly before the index was written: a file
        changed again within the same clock tick (file times are coarse, a few ms) keeps
        its mtime, but then its mtime is not older than the index, so it is decoded."""
        return stamp is not None and stamp == indexed[0] and stamp[1] < index.mtime_ns

    def _load_month(self, month: str, stamp: Stamp | None, known: _Month | None = None) -> _Month:
        """Decode one month file (``stamp`` taken before reading it) and keep it. ``known``
        is what the index said of it: its summaries are kept when the file is still the one
        they describe and holds the same sessions (recomputing them for ten years would
        double the cost of ``history()``)."""
        file = self.history_path / f"{month}.json"
        result = self._read(file, "history", _decode_history, f"Your history for {month}")
        sessions: dict[str, SessionRecord] = {}
        for record in result.value or []:
            sessions[record.session_id] = record
        for record in result.backup_value or []:
            sessions.setdefault(record.session_id, record)
        if result.outcome is Outcome.DAMAGED and sessions:
            self._repair(file, result, self._month_document(month, sessions))
        # Only a file read cleanly goes in the index: a damaged or newer one must be read
        # (and reported) again at every start until it is repaired.
        clean = result.outcome is Outcome.OK
        if (
            known is not None
            and clean
            and known.stamp == stamp
            and len(known.summaries) == len(sessions)
            and all(s.session_id == i for s, i in zip(known.summaries, sessions, strict=True))
        ):
            summaries = known.summaries
        else:
            summaries = [codec.summarize(r) for r in sessions.values()]
            self._summary_cache = None
            self._where = None
        loaded = _Month(summaries, sessions, stamp if clean else None)
        if sessions or clean:
            self._months[month] = loaded
        else:
            self._months.pop(month, None)
            self._summary_cache = None
            self._where = None
        self._history_cache = None
        return loaded

    def _records(self, month: str) -> dict[str, SessionRecord]:
        """The full records of a month, decoded on first need."""
        known = self._months.get(month)
        if known is not None and known.records is not None:
            return known.records
        try:
            status = (self.history_path / f"{month}.json").stat()
            now: Stamp | None = (status.st_size, status.st_mtime_ns)
        except OSError:
            now = None
        loaded = self._load_month(month, now, known)
        if known is None or loaded.summaries is not known.summaries or loaded.stamp != known.stamp:
            self._index_dirty = True  # the index described another version of the file
        return loaded.records or {}

    def _decode_all(self) -> None:
        pending = [m for m, month in self._months.items() if month.records is None]
        if not pending:
            return
        collecting = gc.isenabled()
        gc.disable()  # as in _load_all: nothing made here can be garbage yet
        try:
            for month in pending:
                self._records(month)
        finally:
            if collecting:
                if sum(len(self._months[m].summaries) for m in pending if m in self._months) >= (
                    FREEZE_AFTER_SESSIONS
                ):
                    gc.freeze()
                gc.enable()

    def _index_document(self) -> dict[str, Any]:
        return encode_index(
            (name, month.stamp, month.summaries)
            for name, month in sorted(self._months.items())
            if month.stamp is not None
        )

    def write_index(self) -> None:
        """Write ``history/index.json`` now if it is out of date (``close()`` does it too).
        For a caller that wants the next start fast even if this process is killed, e.g.
        from a worker thread after saving a session. Never raises."""
        with self._mutex:
            self._flush_index()

    def _flush_index(self) -> None:
        """Write the index if it is out of date and this store may write. Never raises: the
        index is a convenience, and a failed write only means the next start decodes the
        months it would have described."""
        if not self._index_dirty or not self._index_writable:
            return
        if self._lock is None or self.read_only_reason is not None:
            return
        try:
            atomic_write(self.index_path, dump_json(self._index_document()), keep_backup=False)
        except (OSError, ValueError):
            return
        self._index_dirty = False

    def _merge_exercises(self, result: ReadResult[Any]) -> list[Exercise]:
        merged: dict[str, Exercise] = {}
        for exercise in result.value or []:
            merged.setdefault(exercise.exercise_id, exercise)
        for exercise in result.backup_value or []:
            merged.setdefault(exercise.exercise_id, exercise)
        return list(merged.values())

    # -- writing -------------------------------------------------------------------------------

    def _check_writable(self, what: str) -> None:
        if self.read_only_reason is not None:
            raise StoreError(f"{what} was not saved: {self.read_only_reason}")

    def _write(self, path: Path, document: dict[str, Any], what: str) -> os.stat_result:
        try:
            data = dump_json(document)
        except ValueError as error:  # NaN or Infinity somewhere
            raise StoreError(f"{what} was not saved: {error}") from None
        damaged = path in self._damaged
        if damaged and path not in self._set_aside:
            # Its bytes were not copied aside at open (the copy failed): try again, and never
            # write over a file that could not be read and is not kept elsewhere.
            try:
                self._set_aside[path] = set_aside(path)
            except FileNotFoundError:
                pass
            except OSError as error:
                raise StoreError(
                    f"{what} was not saved: {path} could not be read and could not be "
                    f"copied aside ({error.strerror or error}), so it is left as it is"
                ) from None
        try:
            status = atomic_write(path, data, keep_backup=not damaged)
        except OSError as error:
            raise StoreError(
                f"{what} was not saved: {error.strerror or error} ({path}); "
                "the previous version of the file is unchanged"
            ) from None
        self._damaged.discard(path)
        return status

    @staticmethod
    def _checked_session(record: SessionRecord, what: str) -> dict[str, Any]:
        """The session's JSON, proved to load back: a record the loader would refuse must
        never reach the disk."""
        try:
            encoded = codec.encode_for_saving(record)
        except (ValueError, TypeError, AttributeError) as error:
            raise StoreError(f"{what} was not saved: {error}") from None
        return encoded

    # -- preferences ---------------------------------------------------------------------------

    def load_preferences(self) -> Preferences:
        with self._mutex:
            return self._preferences

    def save_preferences(self, preferences: Preferences) -> None:
        """Save every preference (the file keeps a dict of values, as in format 2)."""
        with self._mutex:
            self._check_writable("Your preferences")
            # Checked again against the table: a Preferences built by hand is not validated.
            checked, problems = Preferences.of(preferences.as_dict())
            if problems:
                raise StoreError("Your preferences were not saved: " + "; ".join(problems))
            self._write(
                self.path / PREFERENCES_FILE,
                _document("preferences", values=checked.as_dict()),
                "Your preferences",
            )
            self._preferences = checked

    # -- custom exercises ----------------------------------------------------------------------

    def custom_exercises(self) -> list[Exercise]:
        with self._mutex:
            return list(self._exercises)

    def _exercises_document(self, exercises: Iterable[Exercise] | None = None) -> dict[str, Any]:
        chosen = self._exercises if exercises is None else exercises
        return _document("exercises", exercises=[codec.encode_exercise(e) for e in chosen])

    def save_custom_exercises(self, exercises: list[Exercise]) -> None:
        with self._mutex:
            self._check_writable("Your custom exercises")
            seen: set[str] = {e.exercise_id for e in BUILTIN_EXERCISES}
            for exercise in exercises:
                if exercise.exercise_id in seen:
                    raise StoreError(
                        f"Your custom exercises were not saved: the id "
                        f"{exercise.exercise_id!r} is used twice"
                    )
                seen.add(exercise.exercise_id)
            document = self._exercises_document(exercises)
            for item in document["exercises"]:
                try:
                    codec.decode_exercise(item)
                except ValueError as error:
                    raise StoreError(f"Your custom exercises were not saved: {error}") from None
            self._write(self.path / EXERCISES_FILE, document, "Your custom exercises")
            self._exercises = list(exercises)

    # -- history -------------------------------------------------------------------------------

    def _month_document(self, month: str, sessions: dict[str, SessionRecord]) -> dict[str, Any]:
        return _document(
            "history",
            month=month,
            sessions=[codec.encode_session(s) for s in sessions.values()],
        )

    def _month_of_session(self, session_id: str) -> str | None:
        if self._where is None:
            where: dict[str, str] = {}
            for name, month in self._months.items():
                for summary in month.summaries:
                    where.setdefault(summary.session_id, name)
            self._where = where
        return self._where.get(session_id)

    def _write_month(self, month: str, sessions: dict[str, SessionRecord], what: str) -> None:
        path = self.history_path / f"{month}.json"
        status = self._write(path, self._month_document(month, sessions), what)
        # The unchanged sessions keep their summaries (a month's summaries and records are
        # always in the same order); only the saved ones are summarised.
        old = self._months.get(month)
        known: dict[str, tuple[SessionRecord, SessionSummary]] = {}
        if old is not None and old.records is not None:
            pairs = zip(old.records.values(), old.summaries, strict=False)
            known = {r.session_id: (r, s) for r, s in pairs if r.session_id == s.session_id}
        summaries = []
        for session_id, record in sessions.items():
            pair = known.get(session_id)
            summaries.append(
                pair[1] if pair is not None and pair[0] is record else codec.summarize(record)
            )
        self._months[month] = _Month(summaries, sessions, (status.st_size, status.st_mtime_ns))
        self._index_dirty = True
        self._history_cache = None
        self._summary_cache = None
        if self._where is not None:
            for session_id in sessions:
                self._where.setdefault(session_id, month)

    def save_session(self, record: SessionRecord) -> None:
        """Add (or replace, by session_id) a finished, ended-early or aborted session.
        Rewrites only the file of the session's month (the index follows at close())."""
        with self._mutex:
            what = f"The session of {record.started_at or 'unknown date'}"
            self._check_writable(what)
            self._checked_session(record, what)
            month = month_of(record)
            other_month = self._month_of_session(record.session_id)
            if other_month is not None and other_month != month:
                raise StoreError(
                    f"{what} was not saved: its id is already used by a session in {other_month}"
                )
            sessions = dict(self._records(month)) if month in self._months else {}
            self._check_writable(what)  # decoding the month may have found it newer
            sessions[record.session_id] = record
            self._write_month(month, sessions, what)

    def save_sessions(self, records: Iterable[SessionRecord]) -> None:
        """Add many sessions at once (an import): each month's file is written once. Either
        a month is saved whole or not at all; months written before an error stay saved."""
        with self._mutex:
            self._check_writable("The imported sessions")
            by_month: dict[str, dict[str, SessionRecord]] = {}
            for record in records:
                self._checked_session(record, f"The session {record.session_id!r}")
                by_month.setdefault(month_of(record), {})[record.session_id] = record
            for month, new in sorted(by_month.items()):
                old = self._records(month) if month in self._months else {}
                what = f"The imported sessions of {month}"
                self._check_writable(what)
                self._write_month(month, {**old, **new}, what)

    def summaries(self) -> list[SessionSummary]:
        """One summary per saved session, oldest first, in the same order as ``history()``:
        what the History tab lists. Served from the index, so no rep is decoded for it."""
        with self._mutex:
            return [summary for summary, _ in self._sorted_summaries()]

    def _sorted_summaries(self) -> list[tuple[SessionSummary, str]]:
        if self._summary_cache is None:
            everything = [(s, name) for name, m in self._months.items() for s in m.summaries]
            everything.sort(key=lambda pair: pair[0].started_at)
            self._summary_cache = everything
        return self._summary_cache

    def history(self) -> list[SessionRecord]:
        """Every saved session in full, oldest first (by start time as written). Decodes
        every month not decoded yet (about 100 ms for ten years)."""
        with self._mutex:
            if self._history_cache is None:
                self._decode_all()
                everything = [s for m in self._months.values() for s in (m.records or {}).values()]
                everything.sort(key=lambda s: s.started_at)
                self._history_cache = everything
            return list(self._history_cache)

    def session(self, session_id: str) -> SessionRecord | None:
        """One saved session in full (decodes only its month), or None."""
        with self._mutex:
            month = self._month_of_session(session_id)
            if month is None:
                return None
            return self._records(month).get(session_id)

    def last_used(self, exercise_id: str) -> LastUsed | None:
        """What the lifter did last time with this exercise, to prefill the next session:
        ``LastUsed.of`` the latest session of it that has a set. The summaries find the
        session; only its month is decoded."""
        with self._mutex:
            while True:
                found = next(
                    (
                        pair
                        for pair in reversed(self._sorted_summaries())
                        if pair[0].exercise_id == exercise_id and pair[0].sets
                    ),
                    None,
                )
                if found is None:
                    return None
                summary, month = found
                records = self._months[month].records
                if records is None:
                    self._records(month)
                    continue  # the month's summaries are now exact: look again
                return LastUsed.of(records[summary.session_id])

    # -- the session in progress ---------------------------------------------------------------

    def checkpoint(self, record: SessionRecord) -> None:
        """Keep the session in progress so a crash loses at most the rep in progress."""
        with self._mutex:
            what = "The session in progress"
            self._check_writable(what)
            encoded = self._checked_session(record, what)
            self._write(self.path / CHECKPOINT_FILE, _document("checkpoint", session=encoded), what)
            self._checkpoint = record

    def pending_checkpoint(self) -> SessionRecord | None:
        with self._mutex:
            return self._checkpoint

    def clear_checkpoint(self) -> None:
        with self._mutex:
            self._check_writable("The session in progress")
            path = self.path / CHECKPOINT_FILE
            try:
                # The backup first: a damaged checkpoint must never revive an older session.
                remove_file(backup_path(path))
                remove_file(path)
            except OSError as error:
                raise StoreError(
                    f"the finished session's checkpoint could not be removed: "
                    f"{error.strerror or error} ({path})"
                ) from None
            self._checkpoint = None
