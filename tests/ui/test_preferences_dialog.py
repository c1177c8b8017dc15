"""The preferences dialog is made from the one table, and what it saves is applied."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QLineEdit, QSpinBox
from pytestqt.qtbot import QtBot

from tempo_coach.core.preferences import PREFERENCES, Preferences, defaults
from tempo_coach.ui.main_window import MainWindow
from tempo_coach.ui.preferences_dialog import PreferencesDialog
from tests.fakes import FakeOutput, FakeStore

WIDGET_FOR = {bool: QCheckBox, int: QSpinBox, float: QDoubleSpinBox}


def test_one_editor_per_preference_of_the_right_kind(qtbot: QtBot) -> None:
    dialog = PreferencesDialog(None, defaults(), {"audio_backend": ["auto", "stream", "silent"]})
    qtbot.addWidget(dialog)
    assert list(dialog.editors) == [spec.name for spec in PREFERENCES if spec.shown]
    assert "window_geometry" not in dialog.editors
    for spec in (s for s in PREFERENCES if s.shown):
        editor = dialog.editors[spec.name]
        assert editor.accessibleName() == spec.label
        if spec.kind in WIDGET_FOR:
            assert isinstance(editor, WIDGET_FOR[spec.kind]), spec.name
        elif spec.choices or spec.name == "audio_backend":
            assert isinstance(editor, QComboBox), spec.name
        else:
            assert isinstance(editor, QLineEdit), spec.name
        if isinstance(editor, (QSpinBox, QDoubleSpinBox)):
            assert editor.minimum() == spec.minimum and editor.maximum() == spec.maximum
    backend = dialog.editors["audio_backend"]
    assert isinstance(backend, QComboBox)
    assert [backend.itemText(i) for i in range(backend.count())] == ["auto", "stream", "silent"]
    assert dialog.collect() == defaults(), "unchanged, the dialog gives back the defaults"


def test_a_bad_value_is_refused_with_a_message(qtbot: QtBot) -> None:
    dialog = PreferencesDialog(None, defaults())
    qtbot.addWidget(dialog)
    dialog.show()
    theme = dialog.editors["sound_theme"]
    assert isinstance(theme, QLineEdit)
    dialog.editors["units"].addItem("stone")  # type: ignore[attr-defined]
    dialog.editors["units"].setCurrentText("stone")  # type: ignore[attr-defined]
    dialog._on_buttons_accepted()
    assert "must be one of kg, lb" in dialog.error_label.text()
    assert dialog.isVisible()


def test_saved_preferences_are_stored_and_applied(
    qtbot: QtBot, make_window: Callable[..., MainWindow], fake_clock: object
) -> None:
    store = FakeStore()
    made: list[Preferences] = []

    def factory(prefs: Preferences) -> FakeOutput:
        made.append(prefs)
        return FakeOutput(fake_clock)  # type: ignore[arg-type]

    window = MainWindow(store, factory, backends=lambda: ["stream", "silent"])
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: len(made) == 1)
    dialog = window.open_preferences()
    units = dialog.editors["units"]
    count_in = dialog.editors["count_in_seconds"]
    backend = dialog.editors["audio_backend"]
    assert isinstance(units, QComboBox) and isinstance(count_in, QSpinBox)
    assert isinstance(backend, QComboBox)
    window.setup.load_box.setValue(100)
    units.setCurrentText("lb")
    count_in.setValue(5)
    backend.setCurrentText("silent")
    dialog._on_buttons_accepted()
    assert window.writer.wait_idle()
    saved = store.load_preferences()
    assert saved.units == "lb" and saved.count_in_seconds == 5
    assert saved.audio_backend == "silent"
    assert window.setup.load_box.suffix() == " lb"
    assert window.setup.load_box.value() == 220.5, "the load typed is converted"
    assert window.setup.count_in_box.value() == 5
    assert len(made) == 2 and made[-1].audio_backend == "silent", "a new output is made"


def test_preferences_load_at_start(qtbot: QtBot, make_window: Callable[..., MainWindow]) -> None:
    store = FakeStore(
        preferences=Preferences.defaults().with_values(units="lb", count_in_seconds=7, theme="dark")
    )
    window = make_window(store=store)
    assert window.setup.load_box.suffix() == " lb"
    assert window.setup.count_in_box.value() == 7
    assert window.palette().window().color().name() == "#202327"
