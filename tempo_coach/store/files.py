"""The files of one open data folder as the store reads and writes them.

``Files`` is what ``Store`` and its ``History`` share: the lock (or the sentence saying why
there is none), the ``problems`` the user must be told, the files found damaged (never
written over before their bytes are safe aside), and the format each file was read in: a
file of an older format is copied to ``before-format-N-DATE/`` beside it before its first
rewrite (``documents.keep_before_migration``). Every write goes through ``write``, so
through ``atomic.atomic_write``. Not thread-safe by itself: ``Store`` holds its lock around
every call.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tempo_coach.store.atomic import atomic_write
from tempo_coach.store.documents import (
    Decoded,
    Outcome,
    ReadResult,
    dump_json,
    keep_before_migration,
    read_document,
    set_aside,
)
from tempo_coach.store.lock import FolderLock
from tempo_coach.store.migrations import SCHEMA_VERSION

if TYPE_CHECKING:
    from tempo_coach.core.records import SessionRecord


class StoreError(Exception):
    """Something the store could not do; the message is a sentence to show the user."""


def document(kind: str, **payload: Any) -> dict[str, Any]:
    """A file's document in today's format."""
    return {"schema_version": SCHEMA_VERSION, "kind": kind, **payload}


def decode_list(
    document: dict[str, Any], key: str, decode_one: Callable[[Any], Any], what: str
) -> Decoded[list[Any]]:
    """Every item of the list ``document[key]`` that decodes; the others are dropped and
    named in ``damage`` (one bad session costs that session, not its month)."""
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


def encoded_for_saving(
    record: SessionRecord, what: str, kept: Iterable[SessionRecord | None] = ()
) -> dict[str, Any]:
    """The session's JSON, proved to load back (``codec.encode_for_saving``, which also says
    what ``kept`` means): a record the loader would refuse must never reach the disk."""
    from tempo_coach.store import codec  # sessions only: see store/exercise_codec.py

    try:
        return codec.encode_for_saving(record, kept)
    except (ValueError, TypeError, AttributeError) as error:
        raise StoreError(f"{what} was not saved: {error}") from None


def today() -> str:
    """The local date, for the name of a folder of copies made before a migration."""
    return time.strftime("%Y-%m-%d")


class Files:
    """Reading and writing the files of one data folder (see the module docstring)."""

    def __init__(
        self,
        lock: FolderLock | None,
        read_only_reason: str | None,
        date: Callable[[], str] | None = None,
    ) -> None:
        self.lock = lock
        self.read_only_reason = read_only_reason
        self.problems: list[str] = []
        self._date = date if date is not None else today
        # Files found unreadable and not repaired: their next save must not make the damaged
        # version the backup.
        self._damaged: set[Path] = set()
        self._set_aside: dict[Path, Path] = {}  # damaged file -> its corrupt copy
        self._versions: dict[Path, int] = {}  # file -> the format it was read in
        # Files from a newer Tempo Coach: this one may not have read all of them.
        self.newer: list[Path] = []

    @property
    def may_write(self) -> bool:
        """This instance holds the lock and nothing made it read-only."""
        return self.lock is not None and self.read_only_reason is None

    def taken_over(self, lock: FolderLock) -> Files:
        """A fresh ``Files`` for the same folder, holding ``lock``: nothing read yet."""
        return Files(lock, None, self._date)

    def make_read_only(self, reason: str) -> None:
        """Nothing may be saved, for ``reason`` (also reported as a problem)."""
        self.problems.append(reason)
        if self.read_only_reason is None:
            self.read_only_reason = reason

    def release(self) -> None:
        """Release the lock (idempotent); every later write is refused."""
        if self.lock is not None:
            self.lock.release()
            self.lock = None
            if self.read_only_reason is None:
                self.read_only_reason = "the store has been closed"

    # -- reading -------------------------------------------------------------------------------

    def read(
        self, path: Path, kind: str, decode: Callable[[dict[str, Any]], Decoded[Any]], label: str
    ) -> ReadResult[Any]:
        """``documents.read_document``, remembering what the rest of the store must know."""
        result = read_document(path, kind, decode, writable=self.lock is not None, label=label)
        self.problems.extend(result.problems)
        if result.version is not None:
            self._versions[path] = result.version
        if result.outcome is Outcome.NEWER:
            self.newer.append(path)
            if self.read_only_reason is None:
                self.read_only_reason = result.problems[0]
        if result.outcome is Outcome.DAMAGED:
            self._damaged.add(path)
            if result.corrupt_copy is not None:
                self._set_aside[path] = result.corrupt_copy
        return result

    def repair(self, path: Path, result: ReadResult[Any], recovered: dict[str, Any]) -> None:
        """Rewrite a damaged file with what was recovered, once its bytes are safe aside."""
        if self.lock is None or result.corrupt_copy is None:
            return
        try:
            self._keep_old_format(path)
            atomic_write(path, dump_json(recovered), keep_backup=False)
        except (OSError, ValueError):
            return  # keep reporting it; the next successful save repairs it
        self._damaged.discard(path)
        self._versions[path] = SCHEMA_VERSION

    # -- writing -------------------------------------------------------------------------------

    def check_writable(self, what: str, done: str = "saved") -> None:
        """Raise StoreError ("``what`` was not ``done``: why") when nothing may be written."""
        if self.read_only_reason is not None:
            raise StoreError(f"{what} was not {done}: {self.read_only_reason}")

    def write(
        self, path: Path, content: dict[str, Any], what: str, done: str = "saved"
    ) -> os.stat_result:
        """Replace ``path`` with ``content`` (the caller checked ``check_writable``). Raises
        StoreError with a sentence saying ``what`` was not ``done`` (saved, deleted); the
        file is then as it was."""
        try:
            data = dump_json(content)
        except ValueError as error:  # NaN or Infinity somewhere
            raise StoreError(f"{what} was not {done}: {error}") from None
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
                    f"{what} was not {done}: {path} could not be read and could not be "
                    f"copied aside ({error.strerror or error}), so it is left as it is"
                ) from None
        try:
            self._keep_old_format(path)
        except OSError as error:
            raise StoreError(
                f"{what} was not {done}: {path} is in an older format and could not be "
                f"copied aside first ({error.strerror or error}), so it is left as it is"
            ) from None
        try:
            status = atomic_write(path, data, keep_backup=not damaged)
        except OSError as error:
            raise StoreError(
                f"{what} was not {done}: {error.strerror or error} ({path}); "
                "the previous version of the file is unchanged"
            ) from None
        self._damaged.discard(path)
        self._versions[path] = SCHEMA_VERSION
        return status

    def may_remove(self, path: Path) -> bool:
        """Whether ``path`` may be deleted: not a file that could not be read and cannot be
        copied aside now (a ``chmod 000`` checkpoint read as nobody): deleting it unread
        would lose its bytes, as writing over it would (issue 12)."""
        if path not in self._damaged or path in self._set_aside:
            return True
        try:
            self._set_aside[path] = set_aside(path)
        except FileNotFoundError:
            return True
        except OSError:
            return False
        return True

    def write_derived(self, path: Path, content: dict[str, Any]) -> bool:
        """Write a file that only repeats what other files hold (the history index): no
        backup, no copy, never raises. False when it was not written."""
        if not self.may_write:
            return False
        try:
            atomic_write(path, dump_json(content), keep_backup=False)
        except (OSError, ValueError):
            return False
        return True

    def _keep_old_format(self, path: Path) -> None:
        """Before a file read in an older format is first rewritten in today's, copy it to
        ``before-format-N-DATE/`` beside it, so that an older Tempo Coach can still be given
        it. Raises OSError when the copy fails."""
        version = self._versions.get(path)
        if version is None or version >= SCHEMA_VERSION:
            return
        with contextlib.suppress(FileNotFoundError):  # gone meanwhile: nothing to keep
            keep_before_migration(path, SCHEMA_VERSION, self._date())
        self._versions[path] = SCHEMA_VERSION  # kept: later writes need no copy
