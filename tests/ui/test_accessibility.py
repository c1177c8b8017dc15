"""Tab reaches every control; every visible control has an accessible name; colour is never
the only carrier of meaning."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QProgressBar,
    QScrollBar,
    QSlider,
    QTabBar,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tempo_coach.core.tempo import Phase
from tempo_coach.ui.dialogs import FinishDialog
from tempo_coach.ui.look import PHASE_LOOKS
from tempo_coach.ui.main_window import MainWindow
from tempo_coach.ui.preferences_dialog import PreferencesDialog

CONTROLS = (
    QAbstractButton,
    QAbstractSpinBox,
    QLineEdit,
    QComboBox,
    QAbstractItemView,
    QTextEdit,
    QProgressBar,
    QSlider,
    QTabBar,
)


def visible_controls(root: QWidget) -> list[QWidget]:
    found = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or isinstance(widget, QScrollBar):
            continue
        if isinstance(widget.parentWidget(), (QAbstractSpinBox, QComboBox)):
            continue  # the editor inside a spin box or list is part of it
        if widget.isVisibleTo(root) and widget.isVisible():
            found.append(widget)
    return found


def accessible_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None
    return interface.text(QAccessible.Text.Name) or widget.accessibleName()


def unnamed(root: QWidget) -> list[str]:
    return [
        f"{type(w).__name__} {w.objectName()!r}"
        for w in visible_controls(root)
        if not accessible_name(w).strip()
    ]


def test_every_visible_control_has_an_accessible_name(qtbot: QtBot, window: MainWindow) -> None:
    assert len(visible_controls(window)) > 15
    assert unnamed(window) == []
    window.start_session()
    assert unnamed(window) == [], "the running page too"
    window.runner.stop()
    dialog = FinishDialog(window, "3 sets")
    qtbot.addWidget(dialog)
    dialog.show()
    assert unnamed(dialog) == []


def test_dialogs_name_their_controls(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.open_preferences()
    qtbot.waitExposed(dialog)
    assert unnamed(dialog) == []
    dialog.reject()
    window.picker.new_button.click()
    assert window.picker.editor is not None
    qtbot.waitExposed(window.picker.editor)
    assert unnamed(window.picker.editor) == []
    window.picker.editor.reject()


def tab_cycle(qtbot: QtBot, start: QWidget, presses: int = 80) -> set[QWidget]:
    start.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is start.window())
    start.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start)
    seen: set[QWidget] = set()
    for _ in range(presses):
        widget = QApplication.focusWidget()
        assert widget is not None
        seen.add(widget)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    return seen


def reachable_expected(root: QWidget) -> set[QWidget]:
    return {
        w
        for w in visible_controls(root)
        if w.isEnabled()
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and not isinstance(w, QProgressBar)
    }


def test_tab_reaches_every_control_on_the_set_up_page(qtbot: QtBot, window: MainWindow) -> None:
    expected = reachable_expected(window)
    assert window.setup.start_button in expected
    seen = tab_cycle(qtbot, window.picker.search_edit)
    missing = [f"{type(w).__name__} {w.accessibleName()!r}" for w in expected - seen]
    assert missing == []


def test_tab_reaches_every_button_while_a_set_runs(qtbot: QtBot, window: MainWindow) -> None:
    window.start_session()
    window.runner.poll_now()
    expected = reachable_expected(window)
    assert window.stop_button in expected
    seen = tab_cycle(qtbot, window.pause_button)
    missing = [w.accessibleName() for w in expected - seen]
    assert missing == []
    window.runner.stop()


def test_tab_reaches_every_preference(qtbot: QtBot, window: MainWindow) -> None:
    dialog: PreferencesDialog = window.open_preferences()
    qtbot.waitExposed(dialog)
    seen = tab_cycle(qtbot, next(iter(dialog.editors.values())), 40)
    focus_targets = {w.focusProxy() or w for w in dialog.editors.values()}
    assert focus_targets <= seen
    dialog.reject()


def test_every_phase_has_a_word_not_only_a_colour() -> None:
    words = {phase: look.word for phase, look in PHASE_LOOKS.items()}
    assert set(words) == set(Phase)
    assert words[Phase.ECCENTRIC] == "LOWER"
    assert words[Phase.CONCENTRIC] == "LIFT"
    assert words[Phase.PAUSE_AFTER_ECCENTRIC] == "HOLD"
    assert all(w.isupper() for w in words.values())
