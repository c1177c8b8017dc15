"""Personal records per exercise, as a table with the best before each ("was ...").

Public API (what the History tab calls)::

    panel = RecordsPanel(parent=None)
    panel.show_records(records, unit=LoadUnit.KG)
    # records: Sequence[SessionRecord], the sessions to look in (every exercise, or one)
    # unit: the preferences' load unit; loads in kg and lb are compared in it

The records (``core.progress.personal_records``): the heaviest load at each tempo (never
compared across tempos), the longest lowering at each load, and the set with the most time
under tension. Columns: exercise, record, at (the tempo or load it holds for), best, date,
was (the best before it, with its date, or "first").
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tempo_coach.core.progress import PersonalRecord, RecordKind, personal_records
from tempo_coach.core.records import LoadUnit, SessionRecord
from tempo_coach.ui.history.model import Index  # QModelIndex | QPersistentModelIndex

RECORD_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's PersonalRecord


class Column(IntEnum):
    EXERCISE = 0
    RECORD = 1
    AT = 2
    BEST = 3
    DATE = 4
    WAS = 5


HEADERS = ("Exercise", "Record", "At", "Best", "Date", "Was")


def _at(record: PersonalRecord) -> str:
    return record.condition or "-"


def _cell(record: PersonalRecord, column: Column) -> str:
    if column is Column.EXERCISE:
        return record.exercise_name
    if column is Column.RECORD:
        return record.kind.label
    if column is Column.AT:
        return _at(record)
    if column is Column.BEST:
        return record.text()
    if column is Column.DATE:
        return record.day.isoformat()
    return record.was_text


def _sort_key(record: PersonalRecord, column: Column) -> Any:
    if column is Column.BEST:
        return (record.kind.value, record.value)
    if column is Column.DATE:
        return record.day
    return _cell(record, column).casefold()


class RecordsModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PersonalRecord] = []

    def set_records(self, rows: Sequence[PersonalRecord]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def record(self, row: int) -> PersonalRecord:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self._rows[index.row()]
        column = Column(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return _cell(record, column)
        if role == Qt.ItemDataRole.ToolTipRole and column is Column.WAS:
            if record.previous is None:
                return "the first time this was recorded"
            return f"the best before {record.day.isoformat()}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column is Column.BEST:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == RECORD_ROLE:
            return record
        return None

    def sort_key(self, row: int, column: int) -> Any:
        return _sort_key(self._rows[row], Column(column))

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None


class _Sorter(QSortFilterProxyModel):
    """Sorts by what a column means (a load as a number, a date as a date)."""

    def lessThan(self, left: Index, right: Index) -> bool:
        source = self.sourceModel()
        assert isinstance(source, RecordsModel)
        a = source.sort_key(left.row(), left.column())
        b = source.sort_key(right.row(), right.column())
        return bool(a < b)


def records_summary(rows: Sequence[PersonalRecord]) -> str:
    if not rows:
        return "No records yet: they appear once sessions are saved."
    exercises = len({r.exercise_id for r in rows})
    newest = max(rows, key=lambda r: (r.day, r.kind is RecordKind.HEAVIEST_LOAD))
    condition = newest.condition
    at = f" at {condition}" if condition.startswith("tempo") else f" {condition}" * bool(condition)
    was = "" if newest.previous is None else f", up from {newest.text(newest.previous)}"
    return (
        f"{len(rows)} records over {exercises} exercise{'s' * (exercises != 1)}. Newest: "
        f"{newest.exercise_name}, {newest.kind.label.lower()}{at}: {newest.text()} on "
        f"{newest.day.isoformat()}{was}."
    )


class RecordsPanel(QWidget):
    """A sentence and the records table: see the module's docstring."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.model = RecordsModel(self)
        self.proxy = _Sorter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the model's own order
        self.table.setAccessibleName("Personal records")
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Each column as wide as its texts: a narrow side page scrolls rather than cuts a
        # value short.
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.setWordWrap(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)

    def show_records(self, records: Sequence[SessionRecord], unit: LoadUnit = LoadUnit.KG) -> None:
        rows = personal_records(records, unit)
        self.model.set_records(rows)
        text = records_summary(rows)
        self.summary.setText(text)
        self.table.setAccessibleDescription(text)
