"""Editing a saved session (each set's load, the RPE, the note) and the undoable commands that
edit or delete one.

``EditSessionDialog`` turns what is typed into a new ``SessionRecord`` or a sentence saying
what is wrong; an edit that fails validation changes nothing (the dialog stays open). The
commands go on the History tab's ``QUndoStack``: Ctrl+Z puts a deleted session back, or an
edited one as it was, until the app closes. Each command's redo and undo hand one write to
the writer thread (``StoreWriter``), like every other write of the window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Slot
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tempo_coach.core.records import LOAD_MAX, SessionRecord
from tempo_coach.ui.history.model import date_text

RPE_RANGE = (1, 10)
NOTE_MAX = 2000  # characters; the store allows more, a note longer than this is a diary


class EditSessionDialog(QDialog):
    def __init__(self, parent: QWidget | None, record: SessionRecord) -> None:
        super().__init__(parent)
        self.setObjectName("edit_session_dialog")
        self.setWindowTitle("Edit session")
        self.setAccessibleName("Edit session")
        self.record = record
        self.result_record: SessionRecord | None = None
        form = QFormLayout()
        title = QLabel(f"{record.exercise_name}, {date_text(record.started_at)}")
        title.setWordWrap(True)
        self.load_boxes: list[QDoubleSpinBox] = []
        for s in record.sets:
            box = QDoubleSpinBox()
            box.setRange(0, max(LOAD_MAX, s.load or 0))
            box.setDecimals(1)
            box.setSingleStep(2.5)
            box.setSuffix(f" {s.load_unit.value}")
            box.setSpecialValueText("no load")
            box.setValue(s.load or 0)
            box.setAccessibleName(f"Load of set {s.set_number}")
            form.addRow(f"Set {s.set_number} load", box)
            self.load_boxes.append(box)
        self.rpe_check = QCheckBox("RPE")
        self.rpe_check.setAccessibleName("Rate how hard it was")
        self.rpe_box = QSpinBox()
        self.rpe_box.setRange(*RPE_RANGE)
        self.rpe_box.setAccessibleName("RPE, 1 to 10")
        self.rpe_check.setChecked(record.rpe is not None)
        self.rpe_box.setValue(record.rpe if record.rpe is not None else 7)
        self.rpe_box.setEnabled(record.rpe is not None)
        self.rpe_check.toggled.connect(self._on_rpe_check_toggled)
        form.addRow(self.rpe_check, self.rpe_box)
        self.note_edit = QPlainTextEdit(record.note)
        self.note_edit.setAccessibleName("Note")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setMaximumHeight(110)
        form.addRow("Note", self.note_edit)
        self.error_label = QLabel("")
        self.error_label.setObjectName("edit_error")
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName("Problem")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    @Slot(bool)
    def _on_rpe_check_toggled(self, on: bool) -> None:
        self.rpe_box.setEnabled(on)

    def edited(self) -> SessionRecord:
        """The record with what is typed; ValueError with a sentence when it cannot be."""
        note = self.note_edit.toPlainText().strip()
        if len(note) > NOTE_MAX:
            raise ValueError(f"The note is {len(note)} characters; at most {NOTE_MAX}.")
        rpe = self.rpe_box.value() if self.rpe_check.isChecked() else None
        if rpe is not None and not RPE_RANGE[0] <= rpe <= RPE_RANGE[1]:
            raise ValueError(f"RPE must be {RPE_RANGE[0]} to {RPE_RANGE[1]}.")
        sets = []
        for s, box in zip(self.record.sets, self.load_boxes, strict=True):
            load: float | None = box.value() or None
            if load is not None and load > LOAD_MAX and load != s.load:
                raise ValueError(f"Set {s.set_number}: the load must be 0 to {LOAD_MAX:g}.")
            sets.append(s if load == s.load else replace(s, load=load))
        return replace(self.record, sets=tuple(sets), rpe=rpe, note=note)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        try:
            self.result_record = self.edited()
        except ValueError as error:
            self.error_label.setText(str(error))
            return
        self.accept()


Write = Callable[[str, Callable[[], None]], None]  # StoreWriter.submit


class SaveSessionCommand(QUndoCommand):
    """Replace a saved session with an edited one; undo puts the old one back."""

    def __init__(
        self,
        write: Write,
        save: Callable[[SessionRecord], None],
        old: SessionRecord,
        new: SessionRecord,
    ) -> None:
        super().__init__(f"Edit {old.exercise_name}, {date_text(old.started_at)}")
        self._write, self._save, self.old, self.new = write, save, old, new

    def redo(self) -> None:
        new, save = self.new, self._save
        self._write("save the edited session", lambda: save(new))

    def undo(self) -> None:
        old, save = self.old, self._save
        self._write("put the session back as it was", lambda: save(old))


class DeleteSessionCommand(QUndoCommand):
    """Delete a saved session; undo saves it back exactly as it was."""

    def __init__(
        self,
        write: Write,
        delete: Callable[[str], object],
        save: Callable[[SessionRecord], None],
        record: SessionRecord,
    ) -> None:
        super().__init__(f"Delete {record.exercise_name}, {date_text(record.started_at)}")
        self._write, self._delete, self._save, self.record = write, delete, save, record

    def redo(self) -> None:
        session_id, delete = self.record.session_id, self._delete

        def write() -> None:
            delete(session_id)

        self._write("delete the session", write)

    def undo(self) -> None:
        record, save = self.record, self._save
        self._write("restore the deleted session", lambda: save(record))
