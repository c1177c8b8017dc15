"""``History``: the month files of ``history/``, their index, and what is kept in memory.

One file per calendar month of the session's start (``YYYY-MM.json``, ``undated.json``);
``history/index.json`` repeats every session's ``SessionSummary`` so that opening needs no
rep decoded (``store/index.py``). At open, a month whose file is the one the index
describes is not read: its summaries come from the index and its records are decoded on
first need; every other month is read and decoded exactly as without an index, so damage is
still found, set aside and reported. A save or a delete rewrites its month only; the index
follows at ``flush_index()`` (the store's ``close()``). docs/STORE.md explains why, with figures.

``Store`` is the facade: it holds the lock around every call (this class is not
thread-safe by itself) and its ``Files`` reads, writes and reports for both.
"""

from __future__ import annotations

import gc
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from tempo_coach.core.instants import instant_of
from tempo_coach.core.summary import SessionSummary
from tempo_coach.store.documents import Decoded, Outcome, set_aside
from tempo_coach.store.entries import NotAFile, kind_of
from tempo_coach.store.files import Files, StoreError, decode_list, document, encoded_for_saving
from tempo_coach.store.index import Index, IndexNewer, Stamp, encode_index, read_index

if TYPE_CHECKING:
    from tempo_coach.core.records import SessionRecord

INDEX_FILE = "index.json"
UNDATED = "undated"
FREEZE_AFTER_SESSIONS = 1000  # below this, a collection over the history costs < 2 ms
# When open had to decode more months than this (no usable index, e.g. the first start
# after an upgrade), the index is written at once instead of at close(): a start without
# it costs ~100 ms on ten years, writing it ~10 ms once. A few stale months (a crash after
# saving) are cheap to decode again and wait for close().
INDEX_AT_OPEN_AFTER_MONTHS = 6
_MONTH = re.compile(r"^(\d{4}-\d{2})")
_MONTH_FILE = re.compile(r"^(\d{4}-\d{2}|undated)\.json$")


def month_of(record: SessionRecord) -> str:
    """The history file a session belongs in: its start month, or 'undated'."""
    match = _MONTH.match(record.started_at)
    return match.group(1) if match else UNDATED


def _decode_month(content: dict[str, Any]) -> Decoded[list[SessionRecord]]:
    # The session codec (and the records' dataclasses) only when a month is decoded: with a
    # current index, opening decodes none (store/exercise_codec.py).
    from tempo_coach.store import codec

    return decode_list(content, "sessions", codec.decode_session, "session")


@contextmanager
def _no_collection(sessions: Callable[[], int]) -> Iterator[None]:
    """Pause the cyclic garbage collector while records are built, then freeze a large
    history. The collector would run dozens of times while the ~150,000 containers of ten
    years are made, though none can be garbage yet; and the history lives as long as the
    app and holds no cycles, so once frozen (moved out of the collector's sight) no later
    full collection walks it again (bench/store_history.py measured a 12 ms pause for ten
    years at the first one). ``sessions()`` says how many were loaded."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            if sessions() >= FREEZE_AFTER_SESSIONS:
                gc.freeze()
            gc.enable()


# A named tuple, not a dataclass: Python generates a dataclass's methods at every start
# (about 0.5 ms each), and every store opening imports this module.
class _Month(NamedTuple):
    """One month of history: its summaries always, its full records once decoded.

    ``stamp`` is the (size, mtime_ns) of the file the summaries describe, known only when
    the file was read cleanly or written by this store; only such months go in the index.
    """

    summaries: list[SessionSummary]
    records: dict[str, SessionRecord] | None = None
    stamp: Stamp | None = None


class History:
    """The history folder of one open store. ``load()`` once, then ask or save."""

    def __init__(self, folder: Path, files: Files) -> None:
        self.folder = folder
        self._files = files
        self._months: dict[str, _Month] = {}
        self._history_cache: list[SessionRecord] | None = None
        # Every summary with its month, oldest first (last_session needs the month).
        self._summary_cache: list[tuple[SessionSummary, str]] | None = None
        self._where: dict[str, str] | None = None  # session_id -> month, made on first need
        # Sessions deleted since open, for the load rule of an undo (codec.encode_for_saving).
        self._deleted: dict[str, SessionRecord] = {}
        # The index on disk no longer matches the months in memory (written at close()).
        self._index_dirty = False
        # False when the index is from a newer version: such a file is never rewritten.
        self._index_writable = True
        # Open decoded so many months that the index should be written before close().
        self.index_wanted_now = False
        # False when history/ is not a folder of its own (a link): then nothing in it is
        # read or written (check_folder).
        self.usable = True

    @property
    def index_path(self) -> Path:
        return self.folder / INDEX_FILE

    def _path(self, month: str) -> Path:
        return self.folder / f"{month}.json"

    def _session_count(self) -> int:
        return sum(len(m.summaries) for m in self._months.values())

    # -- loading -------------------------------------------------------------------------------

    def check_folder(self) -> None:
        """``history/`` must be a folder, not a link to one: nothing inside the data folder is
        followed (store/entries.py). Otherwise the store is made read-only, saying why, and
        no month is read or written."""
        try:
            status = os.lstat(self.folder)
        except OSError:
            return  # missing (a read-only folder where it could not be made): no months
        if stat.S_ISDIR(status.st_mode):
            return
        self.usable = False
        what = kind_of(status, self.folder) or "a file"
        self._files.make_read_only(
            f"the history folder {self.folder} is {what}, not a folder; Tempo Coach does not "
            "follow links inside its data folder, so no session is shown and nothing is saved "
            "(put the folder itself there)"
        )

    def load(self) -> None:
        """Take each month's summaries from the index when the file is the one the index
        describes; decode every other month (new, changed, damaged: exactly as without an
        index, so damage is still found, set aside and reported)."""
        with _no_collection(self._session_count):
            self._load()

    def _load(self) -> None:
        if not self.usable:
            return
        index: Index | None
        try:
            index = read_index(self.index_path)
        except IndexNewer:
            index, self._index_writable = None, False
        except NotAFile as error:
            index = None
            self._index_not_a_file(error)
        except (ValueError, TypeError, OverflowError, RecursionError, OSError):
            # Missing or unusable: it holds nothing the months do not. (OverflowError: a
            # whole number too large for a float, e.g. a load of 10**400.)
            index = None
        entries = index.months if index is not None else {}
        decoded = 0
        try:
            with os.scandir(self.folder) as scan:
                files = sorted(
                    (entry.name, entry) for entry in scan if _MONTH_FILE.match(entry.name)
                )
        except OSError as error:
            self._files.problems.append(
                f"Your history ({self.folder}) could not be listed "
                f"({error.strerror or error}); no session is shown"
            )
            return
        for name, entry in files:
            try:
                status = entry.stat(follow_symlinks=False)
            except OSError:
                status = None
            month = name[: -len(".json")]
            # Only a regular file has a stamp; anything else (a link, a pipe, a folder) is
            # "read" below, which reports it and moves it aside without opening it.
            regular = status is not None and stat.S_ISREG(status.st_mode)
            stamp = (status.st_size, status.st_mtime_ns) if status and regular else None
            indexed = entries.get(month)
            if index is not None and indexed is not None and self._trusted(stamp, indexed, index):
                self._months[month] = _Month(indexed[1], None, stamp)
                continue
            self._load_month(month, stamp)
            decoded += 1
        written = {m for m, month in self._months.items() if month.stamp is not None}
        if decoded or written != set(entries) or (index is None and self._months):
            self._index_dirty = True
        self.index_wanted_now = decoded > INDEX_AT_OPEN_AFTER_MONTHS

    def _index_not_a_file(self, error: NotAFile) -> None:
        """The index is a link, a pipe, a device or a folder: never opened or written
        through. Moved aside when this store writes (then rebuilt); otherwise left alone."""
        where = "it was left as it is"
        if self._files.lock is not None:
            try:
                where = f"it was moved, as it is, to {set_aside(self.index_path)}"
            except OSError as problem:
                where = f"it could not be moved aside ({problem.strerror or problem})"
                self._index_writable = False
        else:
            self._index_writable = False
        self._files.problems.append(
            f"The history index ({self.index_path}) is {error.what}, not a file; {where}. "
            "It holds nothing the month files do not, so no session is lost."
        )

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
        from tempo_coach.store import codec  # see _decode_month

        file = self._path(month)
        result = self._files.read(file, "history", _decode_month, f"Your history for {month}")
        sessions: dict[str, SessionRecord] = {}
        for record in result.value or []:
            sessions[record.session_id] = record
        for record in result.backup_value or []:
            sessions.setdefault(record.session_id, record)
        if result.outcome is Outcome.DAMAGED and sessions:
            self._files.repair(file, result, self._month_document(month, sessions))
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
            status = os.lstat(self._path(month))
            now: Stamp | None = (status.st_size, status.st_mtime_ns)
        except OSError:
            now = None
        if now is not None and not stat.S_ISREG(status.st_mode):
            now = None  # not a file any more: read (and reported, moved aside) below
        loaded = self._load_month(month, now, known)
        if known is None or loaded.summaries is not known.summaries or loaded.stamp != known.stamp:
            self._index_dirty = True  # the index described another version of the file
        return loaded.records or {}

    # -- the index -----------------------------------------------------------------------------

    def flush_index(self) -> None:
        """Write the index if it is out of date and the store may write. Never raises: the
        index is a convenience, and a failed write only means the next start decodes the
        months it would have described."""
        if not self._index_dirty or not self._index_writable:
            return
        content = encode_index(
            (name, month.stamp, month.summaries)
            for name, month in sorted(self._months.items())
            if month.stamp is not None
        )
        if self._files.write_derived(self.index_path, content):
            self._index_dirty = False

    def forget_index_changes(self) -> None:
        """An open cut short: what is in memory must not become the index."""
        self._index_dirty = False

    # -- asking --------------------------------------------------------------------------------

    def summaries(self) -> list[SessionSummary]:
        return [summary for summary, _ in self._sorted_summaries()]

    def _sorted_summaries(self) -> list[tuple[SessionSummary, str]]:
        if self._summary_cache is None:
            everything = [(s, name) for name, m in self._months.items() for s in m.summaries]
            everything.sort(key=lambda pair: instant_of(pair[0].started_at))
            self._summary_cache = everything
        return self._summary_cache

    def records(self) -> list[SessionRecord]:
        """Every session in full, oldest first; decodes every month not decoded yet."""
        if self._history_cache is None:
            pending = [m for m, month in self._months.items() if month.records is None]
            if pending:

                def decoded() -> int:
                    return sum(len(self._months[m].summaries) for m in pending if m in self._months)

                with _no_collection(decoded):
                    for month in pending:
                        self._records(month)
            everything = [s for m in self._months.values() for s in (m.records or {}).values()]
            everything.sort(key=lambda s: instant_of(s.started_at))
            self._history_cache = everything
        return list(self._history_cache)

    def _month_of_session(self, session_id: str) -> str | None:
        if self._where is None:
            where: dict[str, str] = {}
            for name, month in self._months.items():
                for summary in month.summaries:
                    where.setdefault(summary.session_id, name)
            self._where = where
        return self._where.get(session_id)

    def session(self, session_id: str) -> SessionRecord | None:
        month = self._month_of_session(session_id)
        if month is None:
            return None
        return self._records(month).get(session_id)

    def last_session(self, exercise_id: str) -> SessionRecord | None:
        """The latest session of this exercise that has a set. The summaries find it; only
        its month is decoded."""
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
            return records[summary.session_id]

    # -- saving --------------------------------------------------------------------------------

    def _month_document(self, month: str, sessions: dict[str, SessionRecord]) -> dict[str, Any]:
        from tempo_coach.store import codec  # see _decode_month

        return document(
            "history",
            month=month,
            sessions=[codec.encode_session(s) for s in sessions.values()],
        )

    def _write_month(
        self, month: str, sessions: dict[str, SessionRecord], what: str, done: str = "saved"
    ) -> None:
        from tempo_coach.store import codec  # see _decode_month

        document = self._month_document(month, sessions)
        status = self._files.write(self._path(month), document, what, done)
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

    def save(self, record: SessionRecord, checkpoint: SessionRecord | None = None) -> None:
        """Add (or replace, by session_id) one session: rewrites only its month's file.
        ``checkpoint`` is the store's session in progress when it has this id (its loads
        are not new: ``codec.encode_for_saving``)."""
        what = f"The session of {record.started_at or 'unknown date'}"
        self._files.check_writable(what)
        month = month_of(record)
        other_month = self._month_of_session(record.session_id)
        if other_month is not None and other_month != month:
            raise StoreError(
                f"{what} was not saved: its id is already used by a session in {other_month}"
            )
        sessions = dict(self._records(month)) if month in self._months else {}
        stored = sessions.get(record.session_id)
        encoded_for_saving(record, what, (stored, self._deleted.get(record.session_id), checkpoint))
        self._files.check_writable(what)  # decoding the month may have found it newer
        sessions[record.session_id] = record
        self._write_month(month, sessions, what)

    def save_many(self, records: Iterable[SessionRecord], *, from_backup: bool = False) -> None:
        """Add (or replace, by session_id) many sessions: each month's file is written once.
        Every session is checked before any month is written; then either a month is saved
        whole or not at all, and months written before an error stay saved. ``from_backup``:
        the records were read from a backup, so their loads are not new (any finite load
        that reading accepts is kept)."""
        self._files.check_writable("The imported sessions")
        by_month: dict[str, dict[str, SessionRecord]] = {}
        months: dict[str, str] = {}  # session_id -> month
        for record in records:
            month = months.setdefault(record.session_id, month_of(record))
            if month != month_of(record):
                raise StoreError(
                    f"The session {record.session_id!r} was not saved: its id is given twice, "
                    f"in {month} and in {month_of(record)}"
                )
            by_month.setdefault(month, {})[record.session_id] = record
        merged: dict[str, dict[str, SessionRecord]] = {}
        for month, new in sorted(by_month.items()):
            old = self._records(month) if month in self._months else {}
            for session_id, record in new.items():
                what = f"The session {session_id!r}"
                other_month = self._month_of_session(session_id)
                if other_month is not None and other_month != month:
                    raise StoreError(
                        f"{what} was not saved: its id is already used by a session in "
                        f"{other_month}"
                    )
                kept = (
                    (record,)
                    if from_backup
                    else (old.get(session_id), self._deleted.get(session_id))
                )
                encoded_for_saving(record, what, kept)
            merged[month] = {**old, **new}
        for month, sessions in merged.items():
            what = f"The imported sessions of {month}"
            self._files.check_writable(what)
            self._write_month(month, sessions, what)

    def delete(self, session_id: str) -> SessionRecord:
        """Remove one session from its month's file (rewritten through the same atomic
        write; a month left empty stays as an empty file) and return it, so that an undo
        can save it back. The deleted version is remembered while the store is open: its
        loads are not new when it is saved again (``codec.encode_for_saving``)."""
        what = f"The session {session_id!r}"
        self._files.check_writable(what, "deleted")
        month = self._month_of_session(session_id)
        record = None if month is None else self._records(month).get(session_id)
        if month is None or record is None:
            raise StoreError(f"{what} was not deleted: there is no saved session with that id")
        what = f"The session of {record.started_at or 'unknown date'}"
        self._files.check_writable(what, "deleted")  # decoding the month may have found it newer
        sessions = {i: r for i, r in self._records(month).items() if i != session_id}
        self._write_month(month, sessions, what, "deleted")
        if self._where is not None:
            self._where.pop(session_id, None)
        self._deleted[session_id] = record
        return record
