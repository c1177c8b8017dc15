"""The History tab: the sessions table with its filters, the detail of the chosen session,
editing and deleting with undo, and (beside the detail) charts, calendar and records.

It reads the store through the ``HistoryStore`` protocol (the summaries from the store's
index, one full session when it is chosen) and writes through the window's writer thread.
Nothing is read before the tab is first shown, so the app starts as fast as without it. The
window calls ``mark_stale`` after every write that reached the disk: the tab reloads at once
when it is shown, else when it is next shown.

Why it is over 500 lines: the tab's filters, table, detail, edit and delete, and the lazy
side pages meet here; export and import (``exchange.py``), editing (``edit.py``) and the
model (``model.py``) are already their own modules.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QDate, QItemSelection, Qt, Signal, Slot
from PySide6.QtGui import QFontDatabase, QGuiApplication, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tempo_coach.core.records import LoadUnit, SessionRecord, SessionSummary
from tempo_coach.core.report import session_text
from tempo_coach.ui.history.edit import (
    DeleteSessionCommand,
    EditSessionDialog,
    SaveSessionCommand,
    Write,
)
from tempo_coach.ui.history.exchange import (
    ChoosePath,
    Exchange,
    ExchangeStore,
    open_path,
    save_path,
)
from tempo_coach.ui.history.model import Column, Filter, SessionFilter, SessionTableModel
from tempo_coach.ui.writer import StoreWriter

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from tempo_coach.ui.history.calendar import CalendarPanel
    from tempo_coach.ui.history.charts_panel import ChartsPanel
    from tempo_coach.ui.history.records_panel import RecordsPanel


class LazyPage(QWidget):
    """A side page whose content is made on first use."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title = title
        self.setAccessibleName(title)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.content: QWidget | None = None

    def fill(self, content: QWidget) -> None:
        self.content = content
        self._layout.addWidget(content)


class HistoryStore(ExchangeStore, Protocol):
    """What the tab needs of the store (``tempo_coach.store.Store`` has it)."""

    def history(self) -> list[SessionRecord]: ...

    def summaries(self) -> list[SessionSummary]: ...

    def session(self, session_id: str) -> SessionRecord | None: ...

    def save_session(self, record: SessionRecord) -> None: ...

    def delete_session(self, session_id: str) -> SessionRecord: ...


# The date ranges of the filter: a label and how many days back from today (None: all).
RANGES: tuple[tuple[str, int | None], ...] = (
    ("Last 4 weeks", 28),
    ("Last 12 weeks", 84),
    ("Last 6 months", 183),
    ("Last year", 365),
    ("All time", None),
    ("Custom…", -1),
)
CUSTOM = len(RANGES) - 1
ALL_TIME = 4
WEEKLY_TARGET_DAYS = 3  # training days a week that make a week of the streak


class HistoryTab(QWidget):
    exercise_shown = Signal(str)  # the exercise the charts should show ("" for none)
    message = Signal(str)  # a sentence for the status bar
    imported = Signal()  # a backup was restored (preferences may have changed)

    def __init__(
        self,
        store: HistoryStore,
        writer: StoreWriter,
        *,
        today: Callable[[], date] = date.today,
        unit: Callable[[], LoadUnit] = lambda: LoadUnit.KG,
        weekly_target: int = WEEKLY_TARGET_DAYS,
        choose_save: ChoosePath = save_path,
        choose_open: ChoosePath = open_path,
        undo_stack: QUndoStack | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("history_tab")
        self.setAccessibleName("History")
        self._store = store
        self._write: Write = writer.submit
        self._unit = unit
        self._weekly_target = weekly_target
        self._side_stale: set[QWidget] = set()  # side pages to draw when next shown
        self.exchange = Exchange(
            self,
            store,
            writer,
            lambda: [s.session_id for s in self.visible_summaries()],
            choose_save=choose_save,
            choose_open=choose_open,
        )
        self.exchange.done.connect(self.message)
        self.exchange.imported.connect(self.imported)
        self.exchange.set_writable(not store.read_only)
        self._today = today
        self._stale = True
        self.record: SessionRecord | None = None  # the session in the detail
        self._full_history: dict[str, SessionRecord] | None = None  # for charts, on need
        self.undo_stack = undo_stack or QUndoStack(self)

        self.model = SessionTableModel(self)
        self.proxy = SessionFilter(self)
        self.proxy.setSourceModel(self.model)
        self._build()

    # -- building --------------------------------------------------------------------------

    def _build(self) -> None:
        self.exercise_box = QComboBox()
        self.exercise_box.setAccessibleName("Exercise")
        self.exercise_box.addItem("All exercises", None)
        self.range_box = QComboBox()
        self.range_box.setAccessibleName("Date range")
        for label, _days in RANGES:
            self.range_box.addItem(label)
        self.range_box.setCurrentIndex(ALL_TIME)
        self.since_edit = QDateEdit()
        self.until_edit = QDateEdit()
        for edit, name in ((self.since_edit, "From"), (self.until_edit, "To")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(f"{name} date")
            edit.setVisible(False)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search notes, exercises, dates…")
        self.search_edit.setAccessibleName("Search sessions")
        self.search_edit.setClearButtonEnabled(True)
        self.count_label = QLabel("")
        self.count_label.setAccessibleName("Sessions shown")
        bar = QHBoxLayout()
        bar.addWidget(self.exercise_box)
        bar.addWidget(self.range_box)
        bar.addWidget(self.since_edit)
        bar.addWidget(self.until_edit)
        bar.addWidget(self.search_edit, 1)
        bar.addWidget(self.count_label)

        self.table = QTableView()
        self.table.setObjectName("sessions_table")
        self.table.setAccessibleName("Sessions")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(Column.DATE, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        vertical = self.table.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        width = self.fontMetrics().horizontalAdvance("0")
        for column, chars in (
            (Column.DATE, 17),
            (Column.EXERCISE, 26),
            (Column.SETS_REPS, 14),
            (Column.TEMPO_PLANNED, 13),
            (Column.TEMPO_DONE, 13),
            (Column.LOAD, 9),
            (Column.TUT, 16),
            (Column.ECCENTRIC_TUT, 13),
            (Column.ON_TEMPO, 21),
            (Column.RPE, 5),
        ):
            header.resizeSection(column, chars * width)

        self.detail = QPlainTextEdit()
        self.detail.setObjectName("session_detail")
        self.detail.setAccessibleName("Session detail")
        self.detail.setReadOnly(True)
        self.detail.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.detail.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.detail.setPlaceholderText("Choose a session to see every set and rep.")
        self.copy_button = QPushButton("Copy as text")
        self.edit_button = QPushButton("Edit…")
        self.delete_button = QPushButton("Delete")
        for button, name in (
            (self.copy_button, "Copy the session as text"),
            (self.edit_button, "Edit the load, RPE and note"),
            (self.delete_button, "Delete the session (Ctrl+Z undoes)"),
        ):
            button.setAccessibleName(name)
            button.setToolTip(name)
            button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addLayout(self.exchange.buttons())
        detail_page = QWidget()
        detail_layout = QVBoxLayout(detail_page)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.detail, 1)
        detail_layout.addLayout(buttons)
        self.side_tabs = QTabWidget()
        self.side_tabs.setAccessibleName("Session, charts and records")
        self.side_tabs.addTab(detail_page, "Session")
        # The pages are empty until first shown: QtCharts and the panels load then, so the
        # History tab adds nothing to the app's start (bench/startup.py).
        self.charts_page = LazyPage("Charts")
        self.calendar_page = LazyPage("Calendar")
        self.records_page = LazyPage("Records")
        for page in (self.charts_page, self.calendar_page, self.records_page):
            self.side_tabs.addTab(page, page.title)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.side_tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.empty_label = QLabel(
            "No sessions yet. Train a set on the Train tab and it will appear here."
        )
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.empty_label)
        layout.addWidget(splitter, 1)

        self.exercise_box.currentIndexChanged.connect(self._on_filter_changed)
        self.range_box.currentIndexChanged.connect(self._on_range_box_current_index_changed)
        self.since_edit.dateChanged.connect(self._on_filter_changed)
        self.until_edit.dateChanged.connect(self._on_filter_changed)
        self.search_edit.textChanged.connect(self._on_filter_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.side_tabs.currentChanged.connect(self._on_side_tabs_current_changed)
        self.copy_button.clicked.connect(self.copy_session)
        self.edit_button.clicked.connect(self.edit_session)
        self.delete_button.clicked.connect(self.delete_session)

    def add_side_page(self, page: QWidget, title: str) -> None:
        """A page beside the session detail (charts, calendar and records)."""
        self.side_tabs.addTab(page, title)

    # -- loading ---------------------------------------------------------------------------

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        if self._stale:
            self.reload()
        # The keys go to the table (Up/Down move through sessions); the newest is chosen.
        if self.record is None and self.proxy.rowCount():
            self.table.selectRow(0)
        self.table.setFocus()

    def mark_stale(self) -> None:
        """The store changed: reload now if shown, else when next shown."""
        self._stale = True
        if self.isVisible():
            self.reload()

    def reload(self) -> None:
        """Read the summaries again, keeping the filter and the chosen session."""
        self._stale = False
        chosen = self.record.session_id if self.record is not None else None
        try:
            summaries = self._store.summaries()
        except Exception as error:  # a store problem must not break the tab
            log.warning("history not readable: %s", error)
            summaries = []
        self.model.set_summaries(summaries)
        self._fill_exercises(summaries)
        self.empty_label.setVisible(not summaries)
        self._update_count()
        self._side_stale = {self.charts_page, self.calendar_page, self.records_page}
        self._full_history = None
        self._draw_side()
        if chosen is not None and not self.select(chosen):
            self._show_record(None)

    def _fill_exercises(self, summaries: Sequence[SessionSummary]) -> None:
        current = self.exercise_box.currentData()
        names: dict[str, str] = {}
        for s in summaries:
            names[s.exercise_id] = s.exercise_name  # the latest name wins
        self.exercise_box.blockSignals(True)
        self.exercise_box.clear()
        self.exercise_box.addItem("All exercises", None)
        for exercise_id, name in sorted(names.items(), key=lambda pair: pair[1].casefold()):
            self.exercise_box.addItem(name, exercise_id)
        found = self.exercise_box.findData(current)
        self.exercise_box.setCurrentIndex(max(0, found))
        self.exercise_box.blockSignals(False)
        if found < 0 and current is not None:
            self._on_filter_changed()

    # -- filtering -------------------------------------------------------------------------

    def current_filter(self) -> Filter:
        index = self.range_box.currentIndex()
        since: date | None = None
        until: date | None = None
        if index == CUSTOM:
            since = self.since_edit.date().toPython()  # type: ignore[assignment]
            until = self.until_edit.date().toPython()  # type: ignore[assignment]
        else:
            days = RANGES[index][1]
            if days is not None:
                since = self._today() - timedelta(days=days - 1)
        return Filter(self.exercise_box.currentData(), since, until, self.search_edit.text())

    @Slot(int)
    def _on_range_box_current_index_changed(self, index: int) -> None:
        custom = index == CUSTOM
        if custom:
            today = self._today()
            self.until_edit.setDate(QDate(today.year, today.month, today.day))
            start = today - timedelta(days=27)
            self.since_edit.setDate(QDate(start.year, start.month, start.day))
        self.since_edit.setVisible(custom)
        self.until_edit.setVisible(custom)
        self._on_filter_changed()

    @Slot()
    def _on_filter_changed(self) -> None:
        self.proxy.set_filter(self.current_filter())
        self._update_count()
        self.exercise_shown.emit(self.exercise_box.currentData() or "")
        self._side_stale |= {self.charts_page, self.records_page}
        self._draw_side()

    # -- charts, calendar and records ------------------------------------------------------

    @Slot(int)
    def _on_side_tabs_current_changed(self, _index: int) -> None:
        self._draw_side()

    @property
    def charts(self) -> ChartsPanel:
        if self.charts_page.content is None:
            from tempo_coach.ui.history.charts_panel import ChartsPanel

            self.charts_page.fill(ChartsPanel())
        return self.charts_page.content  # type: ignore[return-value]

    @property
    def calendar(self) -> CalendarPanel:
        if self.calendar_page.content is None:
            from tempo_coach.ui.history.calendar import CalendarPanel

            self.calendar_page.fill(CalendarPanel())
        return self.calendar_page.content  # type: ignore[return-value]

    @property
    def records_panel(self) -> RecordsPanel:
        if self.records_page.content is None:
            from tempo_coach.ui.history.records_panel import RecordsPanel

            self.records_page.fill(RecordsPanel())
        return self.records_page.content  # type: ignore[return-value]

    def _charted_exercise(self) -> tuple[str, str] | None:
        """The exercise filtered on, else the chosen session's: (id, name)."""
        exercise_id = self.exercise_box.currentData()
        if exercise_id is not None:
            return exercise_id, self.exercise_box.currentText()
        if self.record is not None:
            return self.record.exercise_id, self.record.exercise_name
        return None

    def _records_in_range(self, exercise_id: str | None) -> list[SessionRecord]:
        """The full sessions shown in the table (of one exercise, or all)."""
        if self._full_history is None:
            try:
                self._full_history = {r.session_id: r for r in self._store.history()}
            except Exception as error:
                log.warning("history not readable: %s", error)
                self._full_history = {}
        shown = self.visible_summaries()
        found = (self._full_history.get(s.session_id) for s in reversed(shown))
        return [r for r in found if r is not None and exercise_id in (None, r.exercise_id)]

    def _draw_side(self) -> None:
        """Draw the side page in view if what it shows changed (the others wait)."""
        page = self.side_tabs.currentWidget()
        if page not in self._side_stale or not self.isVisible():
            return
        self._side_stale.discard(page)
        f = self.current_filter()
        if page is self.calendar_page:
            self.calendar.show_days(self.model.summaries, self._today(), self._weekly_target)
        elif page is self.charts_page:
            chosen = self._charted_exercise()
            if chosen is None:
                self.charts.clear("Choose an exercise, or a session, to see its charts.")
                return
            exercise_id, name = chosen
            self.charts.show_exercise(
                name,
                self._records_in_range(exercise_id),
                self.visible_summaries(),
                unit=self._unit(),
                since=f.since,
                until=f.until or self._today(),
            )
        elif page is self.records_page:
            self.records_panel.show_records(
                self._records_in_range(f.exercise_id), unit=self._unit()
            )

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        word = "session" if total == 1 else "sessions"
        self.count_label.setText(
            f"{total} {word}" if shown == total else f"{shown} of {total} {word}"
        )

    # -- the chosen session ----------------------------------------------------------------

    def select(self, session_id: str) -> bool:
        """Choose a session in the table (False when it is not shown)."""
        row = self.model.row_of(session_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def visible_summaries(self) -> list[SessionSummary]:
        """The rows shown, in the table's order."""
        return [
            self.model.summary(self.proxy.mapToSource(self.proxy.index(row, 0)).row())
            for row in range(self.proxy.rowCount())
        ]

    @Slot(QItemSelection, QItemSelection)
    def _on_table_selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self._show_record(None)
            return
        summary = self.model.summary(self.proxy.mapToSource(rows[0]).row())
        try:
            record = self._store.session(summary.session_id)
        except Exception as error:
            log.warning("session not readable: %s", error)
            record = None
        self._show_record(record)

    def _show_record(self, record: SessionRecord | None) -> None:
        exercise_before = self.record.exercise_id if self.record is not None else None
        self.record = record
        if record is not None and record.exercise_id != exercise_before:
            self._side_stale.add(self.charts_page)
            self._draw_side()
        self.detail.setPlainText(session_text(record) if record is not None else "")
        writable = record is not None and not self._store.read_only
        self.copy_button.setEnabled(record is not None)
        self.edit_button.setEnabled(writable)
        self.delete_button.setEnabled(writable)

    @Slot()
    def copy_session(self) -> None:
        if self.record is not None:
            QGuiApplication.clipboard().setText(session_text(self.record))

    # -- editing ---------------------------------------------------------------------------

    @Slot()
    def edit_session(self) -> EditSessionDialog | None:
        record = self.record
        if record is None or self._store.read_only:
            return None
        dialog = EditSessionDialog(self, record)
        dialog.accepted.connect(self._on_edit_dialog_accepted)
        self.edit_dialog = dialog
        dialog.open()
        return dialog

    @Slot()
    def _on_edit_dialog_accepted(self) -> None:
        dialog = self.edit_dialog
        new = dialog.result_record
        dialog.deleteLater()
        if new is None or new == dialog.record:
            return
        self.undo_stack.push(
            SaveSessionCommand(self._write, self._store.save_session, dialog.record, new)
        )
        self._show_record(new)

    @Slot()
    def delete_session(self) -> None:
        record = self.record
        if record is None or self._store.read_only:
            return
        self.undo_stack.push(
            DeleteSessionCommand(
                self._write, self._store.delete_session, self._store.save_session, record
            )
        )
        self._show_record(None)
