"""A full backup of the store as one JSON file, and reading one back for an import.

A backup is ``{"kind": "tempo-coach-backup", "schema_version": N, "exported_at": ...,
"sessions": [...], "custom_exercises": [...], "preferences": {...}}``: the sessions and
exercises in the store's own format (``codec``, the same JSON as the month files and
``exercises.json``), the preferences as ``preferences.json``'s values, and N the store's
format, so that a backup of an older format is upgraded by the same ``migrations`` steps as
the store's files. Reading is strict and all or nothing: every session, exercise and
preference is checked before anything is imported, and a file that is not a whole backup this
version understands (corrupt, truncated, a CSV, another program's JSON, a newer format) is
refused with a ``BackupError`` whose sentence says which. docs/HISTORY.md ("Export, backup and
import") and docs/STORE.md describe the format for users.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tempo_coach.core.exercise import Exercise
from tempo_coach.core.preferences import PREFERENCES_BY_NAME, Preferences
from tempo_coach.core.records import SessionRecord
from tempo_coach.store import codec
from tempo_coach.store.documents import MAX_FILE_BYTES, dump_json, parse_json
from tempo_coach.store.entries import open_regular
from tempo_coach.store.files import StoreError
from tempo_coach.store.migrations import SCHEMA_VERSION, STEPS, MigrationError, migrate

BACKUP_KIND = "tempo-coach-backup"
_FIELDS = ("kind", "schema_version", "exported_at", "sessions", "custom_exercises", "preferences")


class BackupError(StoreError):
    """A file that cannot be imported: not a backup, damaged, or from a newer Tempo Coach.
    The message is a sentence naming the file and why; nothing was changed."""


@dataclass(frozen=True)
class Backup:
    """What a backup file holds, decoded and checked."""

    schema_version: int  # the format it was written in (upgraded in memory when older)
    exported_at: str  # ISO 8601 local time with offset, as written
    sessions: tuple[SessionRecord, ...]
    custom_exercises: tuple[Exercise, ...]
    preferences: Preferences


@dataclass(frozen=True)
class BackupPreview:
    """What importing ``backup`` would do to the store as it was when read. Nothing changed.

    Sessions and exercises are matched by id: one whose id is not in the store is *new*;
    one whose id is there is *same* when its content is identical, else *conflicting*, and
    an import keeps the store's version of it (so importing twice adds nothing). A custom
    exercise whose id is now a built-in one is conflicting too."""

    path: Path
    backup: Backup
    sessions_new: tuple[str, ...]
    sessions_same: tuple[str, ...]
    sessions_conflicting: tuple[str, ...]
    exercises_new: tuple[str, ...]
    exercises_same: tuple[str, ...]
    exercises_conflicting: tuple[str, ...]
    preferences_differ: bool

    def lines(self) -> list[str]:
        """The preview in sentences, for the command line and the window."""
        here = len(self.sessions_same) + len(self.sessions_conflicting)
        sessions = f"Sessions: {len(self.sessions_new)} new, {here} already here"
        if self.sessions_conflicting:
            sessions += (
                f" ({len(self.sessions_same)} identical, {len(self.sessions_conflicting)} "
                "different: those are kept as they are here)"
            )
        exercises = (
            f"Custom exercises: {len(self.exercises_new)} new, "
            f"{len(self.exercises_same) + len(self.exercises_conflicting)} already here"
        )
        if self.exercises_conflicting:
            exercises += f" ({len(self.exercises_conflicting)} different: kept as they are here)"
        return [
            f"Backup of {self.backup.exported_at or 'an unknown date'} "
            f"(format {self.backup.schema_version}): {self.path}",
            sessions,
            exercises,
            "Preferences: "
            + ("different from yours" if self.preferences_differ else "the same as yours"),
        ]


@dataclass(frozen=True)
class ImportResult:
    """What an import added (ids in the backup's order) and whether it replaced the
    preferences."""

    session_ids: tuple[str, ...]
    exercise_ids: tuple[str, ...]
    preferences_replaced: bool


def now_text() -> str:
    """The local time with its offset, for ``exported_at`` (a label, not used for timing)."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def encode_backup(
    sessions: Iterable[SessionRecord],
    exercises: Iterable[Exercise],
    preferences: Preferences,
    exported_at: str,
) -> bytes:
    """The backup file's bytes: compact UTF-8 JSON and a final newline."""
    document = {
        "kind": BACKUP_KIND,
        "schema_version": SCHEMA_VERSION,
        "exported_at": exported_at,
        "sessions": [codec.encode_session(s) for s in sessions],
        "custom_exercises": [codec.encode_exercise(e) for e in exercises],
        "preferences": preferences.as_dict(),
    }
    return dump_json(document) + b"\n"


# -- reading -----------------------------------------------------------------------------------


def read_backup_file(path: Path) -> Backup:
    """Read and check the backup at ``path``. Raises BackupError."""
    try:
        # A link the user made is followed (the file is theirs to choose); a pipe or a
        # device is refused, not opened: reading one would block or never end.
        with open_regular(path, follow_symlinks=True) as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise BackupError(
                    f"{path} is not a Tempo Coach backup: it is {size / 2**20:.0f} MB, "
                    f"more than a backup can be ({MAX_FILE_BYTES // 2**20} MB)"
                )
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise BackupError(f"{path} could not be read: {error.strerror or error}") from None
    return parse_backup(data, str(path))


def _looks_like_csv(data: bytes) -> bool:
    first = data.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0]
    return not first.lstrip().startswith((b"{", b"[")) and first.count(b",") >= 2


def _json(data: bytes, name: str) -> Any:
    """The parsed JSON, or a BackupError saying what kind of file this is instead."""
    not_backup = f"{name} is not a Tempo Coach backup"
    if _looks_like_csv(data):
        raise BackupError(
            f"{not_backup}: it looks like a CSV file (such as `tempo-coach history --format "
            "csv` writes, one row per set), which cannot be imported; a backup is what "
            "`tempo-coach history --format json` writes"
        )
    if b"\x00" in data:
        if data.lstrip().startswith(b"{"):
            raise BackupError(
                f"{name} is damaged: it contains NUL bytes (a block was lost, e.g. in a power "
                "cut or a copy that failed)"
            )
        raise BackupError(f"{not_backup}: it is not a text file")
    try:
        return parse_json(data)
    except RecursionError:
        raise BackupError(f"{not_backup}: it is nested too deeply") from None
    except UnicodeDecodeError:
        raise BackupError(f"{not_backup}: it is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        # Cut short: the parser wanted more at the very end, or a string never closed
        # (the scanner looks for its closing quote up to the end of the file).
        if not error.doc[error.pos :].strip() or error.msg.startswith("Unterminated string"):
            raise BackupError(
                f"{name} is incomplete: it stops in the middle (truncated, e.g. a copy or "
                "download that did not finish)"
            ) from None
        raise BackupError(
            f"{not_backup}: it is not valid JSON ({error.msg} at line {error.lineno})"
        ) from None
    except ValueError as error:  # empty, NaN or Infinity
        if not data.strip():
            raise BackupError(f"{not_backup}: {error}") from None
        raise BackupError(f"{name} is damaged: {error}") from None


def parse_backup(data: bytes, name: str) -> Backup:
    """Check and decode a backup's bytes (``name`` names it in messages). Raises BackupError."""
    document = _json(data, name)
    not_backup = f"{name} is not a Tempo Coach backup"
    if isinstance(document, list):
        raise BackupError(
            f"{not_backup}: it is a JSON list (older versions' `tempo-coach history --format "
            "json` wrote such a list of sessions; it cannot be imported)"
        )
    if not isinstance(document, dict):
        raise BackupError(f"{not_backup}: it does not hold a JSON object")
    kind = document.get("kind")
    if kind != BACKUP_KIND:
        if (isinstance(kind, str) and kind in STEPS) or kind == "history-index":
            raise BackupError(
                f"{not_backup}: it is one of Tempo Coach's own data files (kind {kind!r}); "
                "a backup is what `tempo-coach history --format json` writes"
            )
        raise BackupError(f'{not_backup}: it has no "kind": "{BACKUP_KIND}"')
    version = document.get("schema_version")
    damaged = f"{name} is damaged"
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise BackupError(f"{damaged}: its schema_version is not valid (got {version!r})")
    if version > SCHEMA_VERSION:
        raise BackupError(
            f"{name} was written by a newer Tempo Coach (format {version}; this one knows up "
            f"to {SCHEMA_VERSION}): update Tempo Coach to import it"
        )
    unknown = sorted(set(document) - set(_FIELDS))
    if unknown:
        raise BackupError(f"{damaged}: unknown field {unknown[0]!r}")
    missing = [key for key in _FIELDS if key not in document]
    if missing:
        raise BackupError(f"{damaged}: {missing[0]!r} is missing")
    try:
        return _decode(document, version)
    except (ValueError, TypeError, RecursionError, MigrationError) as error:
        raise BackupError(f"{damaged}: {error}") from None


def _upgraded(kind: str, key: str, value: Any, version: int) -> Any:
    """``value`` as a file of ``kind`` would hold it in today's format (migrations)."""
    if version == SCHEMA_VERSION:
        return value
    return migrate(kind, {"schema_version": version, "kind": kind, key: value})[key]


def _decode(document: dict[str, Any], version: int) -> Backup:
    exported_at = document["exported_at"]
    if not isinstance(exported_at, str):
        raise ValueError(f"exported_at: expected text, got {type(exported_at).__name__}")
    raw_sessions = document["sessions"]
    raw_exercises = document["custom_exercises"]
    raw_preferences = document["preferences"]
    for key, value in (("sessions", raw_sessions), ("custom_exercises", raw_exercises)):
        if not isinstance(value, list):
            raise ValueError(f"{key!r} is not a list")
    if not isinstance(raw_preferences, dict):
        raise ValueError("'preferences' is not an object")
    sessions = _decode_all(
        _upgraded("history", "sessions", raw_sessions, version),
        codec.decode_session,
        "session",
        lambda s: s.session_id,
    )
    exercises = _decode_all(
        _upgraded("exercises", "exercises", raw_exercises, version),
        codec.decode_exercise,
        "custom exercise",
        lambda e: e.exercise_id,
    )
    values = _upgraded("preferences", "values", raw_preferences, version)
    for name, value in values.items():
        spec = PREFERENCES_BY_NAME.get(name)
        if spec is None:
            raise ValueError(f"its preferences: unknown preference {name!r}")
        try:
            spec.validate(value)
        except ValueError as error:
            raise ValueError(f"its preferences: {error}") from None
    preferences, _ = Preferences.of(values)  # checked above; a missing one is its default
    return Backup(version, exported_at, tuple(sessions), tuple(exercises), preferences)


def _decode_all(
    raw: Sequence[Any], decode: Callable[[Any, str], Any], what: str, key: Callable[[Any], str]
) -> list[Any]:
    items: list[Any] = []
    seen: set[str] = set()
    for number, value in enumerate(raw, start=1):
        item = decode(value, f"{what} {number}")
        if key(item) in seen:
            raise ValueError(f"{what} {number}: the id {key(item)!r} appears twice")
        seen.add(key(item))
        items.append(item)
    return items


# -- comparing with the store ------------------------------------------------------------------


def preview(
    path: Path,
    backup: Backup,
    stored_session: Callable[[str], SessionRecord | None],
    exercises: Iterable[Exercise],
    preferences: Preferences,
) -> BackupPreview:
    """What importing ``backup`` would do to a store whose sessions ``stored_session`` finds
    by id, holding ``exercises`` (built-in and custom) and ``preferences``."""
    new: list[str] = []
    same: list[str] = []
    conflicting: list[str] = []
    for session in backup.sessions:
        stored = stored_session(session.session_id)
        group = new if stored is None else same if stored == session else conflicting
        group.append(session.session_id)
    known = {e.exercise_id: e for e in exercises}
    exercises_new: list[str] = []
    exercises_same: list[str] = []
    exercises_conflicting: list[str] = []
    for exercise in backup.custom_exercises:
        here = known.get(exercise.exercise_id)
        group = (
            exercises_new
            if here is None
            else exercises_same
            if here == exercise
            else exercises_conflicting
        )
        group.append(exercise.exercise_id)
    return BackupPreview(
        path=path,
        backup=backup,
        sessions_new=tuple(new),
        sessions_same=tuple(same),
        sessions_conflicting=tuple(conflicting),
        exercises_new=tuple(exercises_new),
        exercises_same=tuple(exercises_same),
        exercises_conflicting=tuple(exercises_conflicting),
        preferences_differ=backup.preferences != preferences,
    )
