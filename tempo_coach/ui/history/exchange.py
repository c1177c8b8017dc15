"""The log leaving the app and coming back: CSV for a spreadsheet, a JSON backup, and restoring
a backup with a preview of what it would add.

``Exchange`` is the History tab's row of three buttons. Files are chosen through two callables
(``QFileDialog`` by default; the tests pass their own); the store does the formats
(``Store.export_csv``, ``write_backup``, ``read_backup``, ``import_backup``). Exports and the
import run on the window's writer thread, like every write, and their outcome comes back as a
message (``done``). Nothing is imported before the lifter has seen the preview and said yes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tempo_coach.ui.writer import StoreWriter, WriteDone, WriteFailure

log = logging.getLogger(__name__)

EXPORT_CSV = "export the sessions as CSV"
WRITE_BACKUP = "write the backup"
IMPORT_BACKUP = "import the backup"


class ImportPreview(Protocol):
    """What ``read_backup`` says before anything is imported (``store.BackupPreview``)."""

    @property
    def sessions_new(self) -> tuple[str, ...]: ...

    @property
    def exercises_new(self) -> tuple[str, ...]: ...

    @property
    def preferences_differ(self) -> bool: ...

    def lines(self) -> list[str]: ...


class ExchangeStore(Protocol):
    @property
    def read_only(self) -> bool: ...

    def export_csv(self, path: str, session_ids: Collection[str] | None = None) -> None: ...

    def write_backup(self, path: str, session_ids: Collection[str] | None = None) -> None: ...

    def read_backup(self, path: str) -> Any: ...  # an ImportPreview

    def import_backup(self, preview: Any, include_preferences: bool = False) -> Any: ...


ChoosePath = Callable[[QWidget, str, str, str], str]  # parent, title, folder/name, filter


def save_path(parent: QWidget, title: str, name: str, pattern: str) -> str:
    return QFileDialog.getSaveFileName(parent, title, name, pattern)[0]


def open_path(parent: QWidget, title: str, folder: str, pattern: str) -> str:
    return QFileDialog.getOpenFileName(parent, title, folder, pattern)[0]


class ImportDialog(QDialog):
    """The preview of a backup, and whether to take its preferences too."""

    def __init__(self, parent: QWidget | None, preview: ImportPreview) -> None:
        super().__init__(parent)
        self.setObjectName("import_dialog")
        self.setWindowTitle("Restore a backup")
        self.setAccessibleName("Restore a backup")
        self.preview = preview
        text = QLabel("\n".join(preview.lines()))
        text.setWordWrap(True)
        text.setAccessibleName("What the backup would add")
        self.preferences_check = QCheckBox("Also take the backup's preferences")
        self.preferences_check.setEnabled(preview.preferences_differ)
        buttons = QDialogButtonBox()
        nothing = not preview.sessions_new and not preview.exercises_new
        self.import_button = buttons.addButton(
            "Nothing to add" if nothing else "Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.preferences_check)
        layout.addWidget(buttons)


class Exchange(QObject):
    done = Signal(str)  # a sentence for the status bar
    imported = Signal()  # the store holds more sessions now

    def __init__(
        self,
        parent: QWidget,
        store: ExchangeStore,
        writer: StoreWriter,
        visible_ids: Callable[[], list[str]],
        *,
        choose_save: ChoosePath = save_path,
        choose_open: ChoosePath = open_path,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._store = store
        self._writer = writer
        self._visible_ids = visible_ids
        self._choose_save = choose_save
        self._choose_open = choose_open
        self._pending: dict[str, str] = {}  # what -> the sentence once done
        self.import_dialog: ImportDialog | None = None
        self.csv_button = QPushButton("Export CSV…")
        self.backup_button = QPushButton("Back up…")
        self.restore_button = QPushButton("Restore…")
        for button, name in (
            (self.csv_button, "Export the sessions shown as CSV, for a spreadsheet"),
            (self.backup_button, "Write a backup of every session, your exercises and preferences"),
            (self.restore_button, "Restore a backup: add the sessions it has and this one lacks"),
        ):
            button.setAccessibleName(name)
            button.setToolTip(name)
        self.csv_button.clicked.connect(self.export_csv)
        self.backup_button.clicked.connect(self.write_backup)
        self.restore_button.clicked.connect(self.restore)
        writer.write_done.connect(self._on_writer_write_done)
        writer.write_failed.connect(self._on_writer_write_failed)

    def buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(self.csv_button)
        row.addWidget(self.backup_button)
        row.addWidget(self.restore_button)
        return row

    def set_writable(self, writable: bool) -> None:
        self.restore_button.setEnabled(writable)

    # -- out -------------------------------------------------------------------------------

    @Slot()
    def export_csv(self) -> None:
        ids = self._visible_ids()
        path = self._choose_save(
            self._parent, "Export sessions as CSV", "tempo-coach-sessions.csv", "CSV (*.csv)"
        )
        if not path:
            return
        store = self._store
        self._pending[EXPORT_CSV] = f"Exported {len(ids)} sessions to {path}."
        self._writer.submit(EXPORT_CSV, lambda: store.export_csv(path, ids))

    @Slot()
    def write_backup(self) -> None:
        path = self._choose_save(
            self._parent, "Back up Tempo Coach", "tempo-coach-backup.json", "Backup (*.json)"
        )
        if not path:
            return
        store = self._store
        self._pending[WRITE_BACKUP] = f"Backup written to {path}."
        self._writer.submit(WRITE_BACKUP, lambda: store.write_backup(path))

    # -- in --------------------------------------------------------------------------------

    @Slot()
    def restore(self) -> ImportDialog | None:
        path = self._choose_open(self._parent, "Restore a backup", str(Path.home()), "*.json")
        if not path:
            return None
        try:
            preview = self._store.read_backup(path)
        except Exception as error:  # a clear sentence from the store; nothing changed
            self.done.emit(f"Not restored: {error}")
            return None
        dialog = ImportDialog(self._parent, preview)
        dialog.accepted.connect(self._on_import_dialog_accepted)
        self.import_dialog = dialog
        dialog.open()
        return dialog

    @Slot()
    def _on_import_dialog_accepted(self) -> None:
        dialog, self.import_dialog = self.import_dialog, None
        if dialog is None:
            return
        preview = dialog.preview
        preferences = dialog.preferences_check.isChecked()
        dialog.deleteLater()
        if not preview.sessions_new and not preview.exercises_new and not preferences:
            self.done.emit("Nothing to restore: everything in the backup is already here.")
            return
        store = self._store
        self._pending[IMPORT_BACKUP] = (
            f"Restored {len(preview.sessions_new)} sessions and "
            f"{len(preview.exercises_new)} exercises."
        )
        self._writer.submit(IMPORT_BACKUP, lambda: store.import_backup(preview, preferences))

    # -- outcomes --------------------------------------------------------------------------

    @Slot(object)
    def _on_writer_write_done(self, done: WriteDone) -> None:
        sentence = self._pending.pop(done.what, None)
        if sentence is not None:
            self.done.emit(sentence)
            if done.what == IMPORT_BACKUP:
                self.imported.emit()

    @Slot(object)
    def _on_writer_write_failed(self, failure: WriteFailure) -> None:
        if self._pending.pop(failure.what, None) is not None:
            self.done.emit(f"Could not {failure.what}: {failure.message}")
