"""The session's keys, applied before any widget sees them.

``SessionKeys`` watches every key press in its window (an application-wide event filter, so a
focused text field cannot swallow Space) and turns the keys of ``actions.ACTIONS`` into
actions. While a session runs (or in gym mode) every key of the table acts; otherwise each
key's ``Idle`` rule says whether it acts or belongs to the focused widget.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from tempo_coach.ui.actions import Idle, KeyAction, binding_for

SHIFT = Qt.KeyboardModifier.ShiftModifier
_TEXT_FIELDS = (QLineEdit, QAbstractSpinBox, QPlainTextEdit, QTextEdit)


class SessionKeys(QObject):
    def __init__(
        self,
        window: QWidget,
        *,
        session_running: Callable[[], bool],
        all_keys_act: Callable[[], bool],
        perform: Callable[[KeyAction], None],
        tap_key: Callable[[], Qt.Key | None] = lambda: None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._session_running = session_running
        self._all_keys_act = all_keys_act  # a session runs, or gym mode is on
        self._perform = perform
        self._tap_key = tap_key  # the tap key while tap mode is on, else None
        self._installed = False

    def install(self) -> None:
        app = QApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True

    def remove(self) -> None:
        app = QApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
        self._installed = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self._window:
            return False
        if QApplication.activeModalWidget() is not None:
            return False
        assert isinstance(event, QKeyEvent)
        if event.isAutoRepeat():  # held keys do nothing, but are not typed into a field
            return (
                self._session_running()
                and binding_for(event.key(), event.modifiers(), self._tap_key()) is not None
            )
        action = self.action_for_event(event, watched)
        if action is None:
            return False
        self._perform(action)
        return True

    def action_for_event(self, event: QKeyEvent, focus: QWidget) -> KeyAction | None:
        """Which action this key means here; None lets the focused widget have it."""
        found = binding_for(event.key(), event.modifiers(), self._tap_key())
        if found is None:
            return None
        action, idle = found
        if self._all_keys_act():
            return action
        text_field = isinstance(focus, _TEXT_FIELDS)
        if Qt.Key(event.key()) == Qt.Key.Key_Space and text_field and event.modifiers() & SHIFT:
            return None  # Shift+Space types a space (a search of two words)
        if idle is Idle.ANYWHERE or (idle is Idle.OUTSIDE_FIELDS and not text_field):
            return action
        return None
