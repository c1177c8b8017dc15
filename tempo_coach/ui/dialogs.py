"""Small dialogs: a yes/no question that does not block the event loop, the end-of-session
questions (RPE and a note), and the offer to keep a session that was interrupted.

Questions open with ``open()``, never ``exec()``: the session keeps being polled while a
question is on screen, and tests answer it by clicking its buttons.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QSlider,
    QVBoxLayout,
    QWidget,
)

RPE_RANGE = (1, 10)


def problem_label(object_name: str) -> QLabel:
    """The line under a form that says what is wrong with it (empty while nothing is)."""
    label = QLabel("")
    label.setObjectName(object_name)
    label.setAccessibleName("Problem")
    label.setWordWrap(True)
    label.setStyleSheet("color: #c62828; font-weight: bold;")
    return label


def ok_cancel_buttons() -> QDialogButtonBox:
    """OK and Cancel, each with an accessible name."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    for button in buttons.buttons():
        button.setAccessibleName(button.text().replace("&", ""))
    return buttons


class Question(QMessageBox):
    """A question with a named "yes" button; ``on_answer(True/False)`` once it is answered."""

    def __init__(
        self,
        parent: QWidget,
        title: str,
        text: str,
        yes_text: str,
        no_text: str,
        on_answer: Callable[[bool], None],
    ) -> None:
        super().__init__(parent)
        self.setObjectName("question")
        self.setIcon(QMessageBox.Icon.Question)
        self.setWindowTitle(title)
        self.setText(text)
        self.setAccessibleName(title)
        self.yes_button = self.addButton(yes_text, QMessageBox.ButtonRole.AcceptRole)
        self.no_button = self.addButton(no_text, QMessageBox.ButtonRole.RejectRole)
        self.yes_button.setAccessibleName(yes_text)
        self.no_button.setAccessibleName(no_text)
        self.setDefaultButton(self.no_button)
        self.setEscapeButton(self.no_button)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._on_answer = on_answer
        self._answered = False
        self.buttonClicked.connect(self._on_self_button_clicked)
        self.rejected.connect(self._on_self_rejected)

    @Slot(QAbstractButton)
    def _on_self_button_clicked(self, button: QAbstractButton) -> None:
        self._answer(button is self.yes_button)

    @Slot()
    def _on_self_rejected(self) -> None:
        self._answer(False)

    def _answer(self, yes: bool) -> None:
        if not self._answered:
            self._answered = True
            self._on_answer(yes)


class Choice(QMessageBox):
    """A question with several named answers; ``on_choice(key)`` with the key of the button
    pressed, or None when the box is closed without one (Escape)."""

    def __init__(
        self,
        parent: QWidget,
        title: str,
        text: str,
        answers: list[tuple[str, str]],
        on_choice: Callable[[str | None], None],
    ) -> None:
        super().__init__(parent)
        self.setObjectName("choice")
        self.setIcon(QMessageBox.Icon.Question)
        self.setWindowTitle(title)
        self.setText(text)
        self.setAccessibleName(title)
        self.buttons_by_key: dict[str, QAbstractButton] = {}
        for key, label in answers:  # a label may carry a mnemonic: "&Save"
            button = self.addButton(label, QMessageBox.ButtonRole.ActionRole)
            button.setAccessibleName(label.replace("&", ""))
            self.buttons_by_key[key] = button
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._on_choice = on_choice
        self._answered = False
        self.buttonClicked.connect(self._on_self_button_clicked)
        self.rejected.connect(self._on_self_rejected)

    @Slot(QAbstractButton)
    def _on_self_button_clicked(self, button: QAbstractButton) -> None:
        key = next((k for k, b in self.buttons_by_key.items() if b is button), None)
        self._answer(key)

    @Slot()
    def _on_self_rejected(self) -> None:
        self._answer(None)

    def _answer(self, key: str | None) -> None:
        if not self._answered:
            self._answered = True
            self._on_choice(key)


def ask(
    parent: QWidget,
    title: str,
    text: str,
    yes_text: str,
    no_text: str,
    on_answer: Callable[[bool], None],
) -> Question:
    box = Question(parent, title, text, yes_text, no_text, on_answer)
    box.open()
    return box


@dataclass(frozen=True)
class SessionNotes:
    rpe: int | None
    note: str


class FinishDialog(QDialog):
    """After the session: how hard was it (RPE 1 to 10, optional) and a note (optional)."""

    def __init__(self, parent: QWidget, summary: str) -> None:
        super().__init__(parent)
        self.setObjectName("finish_dialog")
        self.setWindowTitle("Session done")
        self.setAccessibleName("Session done")
        self.summary_label = QLabel(summary)
        self.summary_label.setWordWrap(True)
        self.summary_label.setAccessibleName("Summary")
        self.rpe_check = QCheckBox("Rate how hard it was (RPE)")
        self.rpe_check.setAccessibleName("Rate how hard it was")
        self.rpe_slider = QSlider(Qt.Orientation.Horizontal)
        self.rpe_slider.setRange(*RPE_RANGE)
        self.rpe_slider.setValue(7)
        self.rpe_slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.rpe_slider.setAccessibleName("RPE, 1 (very easy) to 10 (could not do more)")
        self.rpe_slider.setEnabled(False)
        self.rpe_value = QLabel("7")
        self.rpe_value.setAccessibleName("RPE value")
        self.note_edit = QPlainTextEdit()
        self.note_edit.setAccessibleName("Note")
        self.note_edit.setPlaceholderText("How did it go? (optional)")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setMaximumHeight(90)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("Save", QDialogButtonBox.ButtonRole.AcceptRole)
        self.skip_button = buttons.addButton(
            "Save without notes", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.save_button.setAccessibleName("Save")
        self.skip_button.setAccessibleName("Save without notes")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.rpe_check)
        form.addRow(self.rpe_slider, self.rpe_value)
        form.addRow("Note", self.note_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.rpe_check.toggled.connect(self._on_rpe_check_toggled)
        self.rpe_slider.valueChanged.connect(self._on_rpe_slider_value_changed)

    @Slot(bool)
    def _on_rpe_check_toggled(self, on: bool) -> None:
        self.rpe_slider.setEnabled(on)

    @Slot(int)
    def _on_rpe_slider_value_changed(self, value: int) -> None:
        self.rpe_value.setText(str(value))

    def notes(self) -> SessionNotes:
        """What was entered; a skipped dialog gives no RPE and no note."""
        if self.result() != QDialog.DialogCode.Accepted:
            return SessionNotes(None, "")
        rpe = self.rpe_slider.value() if self.rpe_check.isChecked() else None
        return SessionNotes(rpe, self.note_edit.toPlainText().strip())
