"""The preferences dialog, made from ``core.preferences.PREFERENCES`` (the one table).

Each preference's type picks its widget: a check box for true/false, a spin box for numbers
(with the table's range), a list for text with fixed choices, a line for free text. Choices
known only at run time (the audio outputs) come in through ``runtime_choices``. No
preference has a widget written by hand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tempo_coach.core.preferences import PREFERENCES, PreferenceSpec
from tempo_coach.ui.dialogs import ok_cancel_buttons, problem_label

SHOWN = tuple(spec for spec in PREFERENCES if spec.shown)  # the rest: the window's own


def editor_for(spec: PreferenceSpec, choices: Sequence[str]) -> QWidget:
    widget: QWidget
    if spec.kind is bool:
        widget = QCheckBox()
    elif spec.kind is int:
        box = QSpinBox()
        box.setRange(
            int(spec.minimum or 0), int(spec.maximum if spec.maximum is not None else 10**6)
        )
        widget = box
    elif spec.kind is float:
        dbox = QDoubleSpinBox()
        low = spec.minimum or 0.0
        high = spec.maximum if spec.maximum is not None else 1e6
        dbox.setRange(low, high)
        dbox.setDecimals(2)
        dbox.setSingleStep(0.05 if high - low <= 1 else 0.1)
        widget = dbox
    elif choices:
        combo = QComboBox()
        combo.addItems(list(choices))
        widget = combo
    else:
        widget = QLineEdit()
    widget.setObjectName(f"pref_{spec.name}")
    widget.setAccessibleName(spec.label)
    if spec.help:
        widget.setToolTip(spec.help)
    return widget


def set_value(widget: QWidget, value: Any) -> None:
    if isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    elif isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        widget.setValue(value)
    elif isinstance(widget, QComboBox):
        index = widget.findText(str(value))
        if index < 0:
            widget.addItem(str(value))
            index = widget.count() - 1
        widget.setCurrentIndex(index)
    elif isinstance(widget, QLineEdit):
        widget.setText(str(value))


def get_value(widget: QWidget) -> Any:
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        return widget.value()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QLineEdit):
        return widget.text()
    raise TypeError(f"no value for {widget!r}")


class PreferencesDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        values: Mapping[str, Any],
        runtime_choices: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("preferences_dialog")
        self.setWindowTitle("Preferences")
        self.setAccessibleName("Preferences")
        extra = runtime_choices or {}
        self.editors: dict[str, QWidget] = {}
        form = QFormLayout()
        for spec in SHOWN:
            choices = tuple(spec.choices) or tuple(extra.get(spec.name, ()))
            editor = editor_for(spec, choices)
            set_value(editor, values.get(spec.name, spec.default))
            label = QLabel(spec.label)
            label.setBuddy(editor)
            form.addRow(label, editor)
            self.editors[spec.name] = editor
        self.error_label = problem_label("preferences_error")
        buttons = ok_cancel_buttons()
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.values: dict[str, Any] = dict(values)

    def collect(self) -> dict[str, Any]:
        """Every preference, validated by the table (ValueError names the first bad one);
        the ones the dialog does not show keep their values."""
        result: dict[str, Any] = dict(self.values)
        for spec in SHOWN:
            result[spec.name] = spec.validate(get_value(self.editors[spec.name]))
        return result

    @Slot()
    def _on_buttons_accepted(self) -> None:
        try:
            self.values = self.collect()
        except ValueError as error:
            self.error_label.setText(str(error))
            return
        self.accept()
