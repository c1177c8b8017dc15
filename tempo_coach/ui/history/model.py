"""The sessions table: a Qt model over the store's summaries, and the proxy that filters it.

No widget per row: ``SessionTableModel`` answers ``data()`` from a list of ``SessionSummary``
(one per saved session, from the store's index, so ten years open without decoding a rep).
Sorting is done by the source model in Python (``sorted`` with a key per column, a few
milliseconds for ten years) instead of by the proxy, whose C++ sort would call back into
Python for every comparison (about half a second for 6,000 rows). ``SessionFilter`` keeps the
rows of one exercise, a date range and a free text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from tempo_coach.core.instants import instant_of
from tempo_coach.core.records import SessionSummary
from tempo_coach.core.report import (
    NEGATIVE_ONLY,
    duration,
    percent,
    session_adherence,
    tolerance_text,
)

Index = QModelIndex | QPersistentModelIndex
_NONE = QModelIndex()

SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's SessionSummary


class Column(IntEnum):
    DATE = 0
    EXERCISE = 1
    SETS_REPS = 2
    TEMPO_PLANNED = 3
    TEMPO_DONE = 4
    LOAD = 5
    TUT = 6
    ECCENTRIC_TUT = 7
    ON_TEMPO = 8
    RPE = 9
    NOTE = 10


HEADERS = {
    Column.DATE: "Date",
    Column.EXERCISE: "Exercise",
    Column.SETS_REPS: "Sets × reps",
    Column.TEMPO_PLANNED: "Tempo planned",
    Column.TEMPO_DONE: "Tempo done",
    Column.LOAD: "Load",
    Column.TUT: "TUT",
    Column.ECCENTRIC_TUT: "Lowering TUT",
    Column.ON_TEMPO: "On tempo",
    Column.RPE: "RPE",
    Column.NOTE: "Note",
}


def _sets_reps(s: SessionSummary) -> str:
    if s.sets == 0:
        return "-"
    per_set = s.reps_planned // s.sets if s.sets else 0
    text = f"{s.sets} × {per_set}"
    if s.reps_done != s.reps_planned:
        text += f" ({s.reps_done} done)"
    if s.negative_only_sets:
        text += " neg." if s.negative_only_sets == s.sets else f" ({s.negative_only_sets} neg.)"
    return text


def _negative_text(s: SessionSummary) -> str:
    """What "neg." stands for, in words (tooltip and screen reader)."""
    which = "every set" if s.negative_only_sets == s.sets else f"{s.negative_only_sets} sets"
    if s.negative_only_sets == 1 and s.sets > 1:
        which = "1 set"
    return f"{NEGATIVE_ONLY}: {which} with a reset in place of each lift (not time under tension)"


def tapped(s: SessionSummary) -> bool:
    """Whether the session had a set in tap mode (a tap or a missing tap)."""
    return bool(s.taps or s.taps_missing)


def _on_tempo(s: SessionSummary) -> str:
    """ "7/8", "7/8, 1 missing", "3 missing" (no tap at all); "" without tap mode."""
    if not tapped(s):
        return ""
    missing = f"{s.taps_missing} missing" if s.taps_missing else ""
    if not s.taps:
        return missing
    text = f"{s.taps_on_tempo}/{s.taps} ({percent(s.taps_on_tempo, s.taps)})"
    return f"{text}, {missing}" if missing else text


def _on_tempo_key(s: SessionSummary) -> tuple[float, int]:
    """The share of tapped reps on tempo; sessions without tap mode first, then those
    whose taps were all missing; ties by how many reps were tapped."""
    if not s.taps:
        return (-2.0 if not tapped(s) else -1.0, 0)
    return (s.taps_on_tempo / s.taps, s.taps)


def _tempo_done(s: SessionSummary) -> str:
    if not s.tempo_used:
        return "-"
    return f"{s.tempo_used} *" if s.live_changes else s.tempo_used


def _load(s: SessionSummary) -> str:
    return "-" if s.top_load is None else f"{s.top_load + 0.0:g} {s.load_unit.value}"  # not "-0"


def date_text(started_at: str) -> str:
    """ "2026-11-21 10:00" from an ISO timestamp (the text as stored when it is not one)."""
    return started_at[:16].replace("T", " ") if len(started_at) >= 16 else started_at


_TEXT: dict[Column, Callable[[SessionSummary], str]] = {
    Column.DATE: lambda s: date_text(s.started_at),
    Column.EXERCISE: lambda s: s.exercise_name,
    Column.SETS_REPS: _sets_reps,
    Column.TEMPO_PLANNED: lambda s: s.tempo_planned or "-",
    Column.TEMPO_DONE: _tempo_done,
    Column.LOAD: _load,
    Column.TUT: lambda s: duration(s.time_under_tension_ms),
    Column.ECCENTRIC_TUT: lambda s: duration(s.eccentric_ms),
    Column.ON_TEMPO: _on_tempo,
    Column.RPE: lambda s: "-" if s.rpe is None else str(s.rpe),
    Column.NOTE: lambda s: s.note.replace("\n", " "),
}

# What a column sorts by. Loads compare in kg; sessions without a value sort first.
_KEY: dict[Column, Callable[[SessionSummary], Any]] = {
    Column.DATE: lambda s: 0,  # the model's own time order (``_when``): see _sorted
    Column.EXERCISE: lambda s: s.exercise_name.casefold(),
    Column.SETS_REPS: lambda s: (s.sets, s.reps_done),
    Column.TEMPO_PLANNED: lambda s: s.tempo_planned,
    Column.TEMPO_DONE: lambda s: s.tempo_used,
    Column.LOAD: lambda s: -1.0 if s.top_load is None else s.top_load_kg,
    Column.TUT: lambda s: s.time_under_tension_ms,
    Column.ECCENTRIC_TUT: lambda s: s.eccentric_ms,
    Column.ON_TEMPO: _on_tempo_key,
    Column.RPE: lambda s: -1 if s.rpe is None else s.rpe,
    Column.NOTE: lambda s: s.note.casefold(),
}

_TOOLTIP_CHANGED = "the lowering count was changed during the session"


def _on_tempo_words(s: SessionSummary) -> str:
    adherence = session_adherence(s) or ""
    return f"Tempo accuracy: {adherence} (on tempo: within {tolerance_text()})"


class SessionTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[SessionSummary] = []
        self._when: dict[str, int] = {}  # session id -> its place in time
        self._sort: tuple[Column, Qt.SortOrder] = (Column.DATE, Qt.SortOrder.DescendingOrder)

    # -- content ---------------------------------------------------------------------------

    def set_summaries(self, summaries: Sequence[SessionSummary]) -> None:
        """Rows from the store, which gives them in time order (by the instant: a DST
        fall-back does not reorder them, core/instants.py); that order is kept as each
        row's place in time, so no date is parsed again to sort."""
        self.beginResetModel()
        ordered = sorted(summaries, key=lambda s: instant_of(s.started_at))  # stable: cheap
        self._when = {s.session_id: i for i, s in enumerate(ordered)}
        self._rows = self._sorted(ordered)
        self.endResetModel()

    def summary(self, row: int) -> SessionSummary:
        return self._rows[row]

    def row_of(self, session_id: str) -> int | None:
        return next((i for i, s in enumerate(self._rows) if s.session_id == session_id), None)

    @property
    def summaries(self) -> list[SessionSummary]:
        return list(self._rows)

    # -- the model -------------------------------------------------------------------------

    def rowCount(self, parent: Index = _NONE) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _NONE) -> int:
        return 0 if parent.isValid() else len(Column)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        summary = self._rows[index.row()]
        column = Column(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            text = _TEXT[column](summary)
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return self._spoken(summary, column, text)
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            if column is Column.TEMPO_DONE and summary.live_changes:
                return f"* {_TOOLTIP_CHANGED} ({summary.live_changes}×)"
            if column is Column.SETS_REPS and summary.negative_only_sets:
                return _negative_text(summary)
            if column is Column.ON_TEMPO and tapped(summary):
                return _on_tempo_words(summary)
            if column is Column.NOTE and summary.note:
                return summary.note
            return None
        if role == SUMMARY_ROLE:
            return summary
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            Column.LOAD,
            Column.TUT,
            Column.ECCENTRIC_TUT,
            Column.ON_TEMPO,
            Column.RPE,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _spoken(summary: SessionSummary, column: Column, text: str) -> str:
        """A cell as a screen reader says it: the marks in words."""
        if column is Column.TEMPO_DONE:
            return text.replace(" *", f" ({_TOOLTIP_CHANGED})")
        if column is Column.SETS_REPS and summary.negative_only_sets:
            return (
                f"{_sets_reps(summary._replace(negative_only_sets=0))}, {_negative_text(summary)}"
            )
        if column is Column.ON_TEMPO and tapped(summary):
            return _on_tempo_words(summary)
        return text

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (Column(column), order)
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        ids = [self._rows[i.row()].session_id for i in old]
        self._rows = self._sorted(self._rows)
        where = {s.session_id: row for row, s in enumerate(self._rows)}
        self.changePersistentIndexList(
            old, [self.index(where[sid], i.column()) for sid, i in zip(ids, old, strict=True)]
        )
        self.layoutChanged.emit()

    def _sorted(self, rows: list[SessionSummary]) -> list[SessionSummary]:
        column, order = self._sort
        key = _KEY[column]
        descending = order == Qt.SortOrder.DescendingOrder
        # Ties keep date order, newest first when descending (sorted() is stable). Dates
        # sort by the instant, not the text (a DST fall-back: core/instants.py).
        when = self._when
        rows = sorted(rows, key=lambda s: when[s.session_id], reverse=descending)
        if column is Column.DATE:
            return rows
        return sorted(rows, key=key, reverse=descending)


@dataclass(frozen=True)
class Filter:
    """Which sessions the table shows. ``None`` means "any"."""

    exercise_id: str | None = None
    since: date | None = None  # inclusive
    until: date | None = None  # inclusive
    text: str = ""


def _day(started_at: str) -> date | None:
    try:
        return date.fromisoformat(started_at[:10])
    except ValueError:
        return None


class SessionFilter(QSortFilterProxyModel):
    """The rows of ``Filter``. Sorting is forwarded to the source model (see the module)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._filter = Filter()
        self._words: list[str] = []

    @property
    def current(self) -> Filter:
        return self._filter

    def set_filter(self, new: Filter) -> None:
        if new == self._filter:
            return
        self.beginFilterChange()
        self._filter = new
        self._words = new.text.casefold().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None and column >= 0:
            source.sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        source = self.sourceModel()
        assert isinstance(source, SessionTableModel)
        summary = source.summary(source_row)
        f = self._filter
        if f.exercise_id is not None and summary.exercise_id != f.exercise_id:
            return False
        if f.since is not None or f.until is not None:
            day = _day(summary.started_at)
            if day is None:
                return False
            if f.since is not None and day < f.since:
                return False
            if f.until is not None and day > f.until:
                return False
        if self._words:
            haystack = " ".join(
                (
                    summary.exercise_name,
                    summary.note,
                    summary.started_at,
                    summary.tempo_used,
                    NEGATIVE_ONLY if summary.negative_only_sets else "",
                    "tapped" if tapped(summary) else "",
                )
            ).casefold()
            return all(word in haystack for word in self._words)
        return True
