"""Tap calibration in a real dialog on a fake clock: the ticks come from a real session's
count-in, the taps are timed on the output's clock, the offset is kept as a preference."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tempo_coach.core.clock import FakeClock
from tempo_coach.core.timeline import EventKind
from tempo_coach.ui.calibration import CalibrationDialog
from tempo_coach.ui.main_window import MainWindow
from tests.fakes import FakeOutput, FakeStore


@pytest.fixture(autouse=True)
def sounding(output: FakeOutput) -> None:
    """The fake output plays as a stream would (calibration refuses a silent one)."""
    output.name = "stream"


def play(
    qtbot: QtBot, dialog: CalibrationDialog, clock: FakeClock, taps_after_tick_ms: list[int | None]
) -> None:
    """Let the ticks play (the window started them); tap ``taps_after_tick_ms[k]`` ms after
    tick k (None: no tap)."""
    moments = sorted(
        (1_000 * (k + 1) + d, k) for k, d in enumerate(taps_after_tick_ms) if d is not None
    )
    for at_ms, _k in moments:
        clock.advance((at_ms - dialog.session.session_ms()) / 1000)
        dialog.poll()
        qtbot.keyClick(dialog, Qt.Key.Key_B)
    while dialog.session.status.value == "running":
        clock.advance(0.05)
        dialog.poll()


def test_the_ticks_are_a_real_count_in_one_a_second(
    qtbot: QtBot, window: MainWindow, fake_clock: FakeClock
) -> None:
    dialog = window.open_calibration()
    assert dialog is not None
    counts = [
        e.t_ms for e in dialog.session.events if e.kind is EventKind.COUNT and e.t_ms <= 8_000
    ]
    assert counts[1:9] == [1_000 * k for k in range(1, 9)]
    dialog.reject()


def test_taps_200_ms_late_give_a_200_ms_offset_that_is_kept(
    qtbot: QtBot, window: MainWindow, fake_clock: FakeClock, store: FakeStore, output: FakeOutput
) -> None:
    dialog = window.open_calibration()
    assert dialog is not None
    assert "begin" in output.calls
    play(qtbot, dialog, fake_clock, [190, 210, 200, 180, 220, 200, None, 205])
    assert dialog.found is not None
    assert dialog.found.offset_ms == 200
    assert dialog.found.taps_used == 7
    assert "200 ms after" in dialog.progress.text()
    assert output.calls[-1] == "end"
    dialog.keep_button.click()
    assert window.training.preferences.tap_offset_ms == 200
    assert window.writer.wait_idle()
    assert store.load_preferences().tap_offset_ms == 200


def test_too_few_taps_measure_nothing_and_keep_nothing(
    qtbot: QtBot, window: MainWindow, fake_clock: FakeClock
) -> None:
    dialog = window.open_calibration()
    assert dialog is not None
    play(qtbot, dialog, fake_clock, [200, None, None, None, None, None, None, 150])
    assert dialog.found is None
    assert "Not measured" in dialog.progress.text()
    assert not dialog.keep_button.isEnabled()
    dialog.reject()
    assert window.training.preferences.tap_offset_ms == 0


def test_no_calibration_during_a_session(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    assert window.picker.select("barbell-squat")
    window.start_session()
    assert window.open_calibration() is None
    window.runner.stop()


def test_space_taps_and_never_cancels_enter_keeps_the_result(
    qtbot: QtBot, window: MainWindow, fake_clock: FakeClock
) -> None:
    dialog = window.open_calibration()
    assert dialog is not None
    assert window.open_calibration() is dialog, "one dialog at a time"
    assert dialog.focusWidget() in (None, dialog), "no button holds the focus"
    for k in range(1, 9):
        fake_clock.advance((1_000 * k + 150 - dialog.session.session_ms()) / 1000)
        dialog.poll()
        qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Space)
        assert dialog.isVisible(), "Space is a tap, whatever has the focus"
    while dialog.session.status.value == "running":
        fake_clock.advance(0.05)
        dialog.poll()
    assert dialog.found is not None and dialog.found.offset_ms == 150
    assert dialog.progress.wordWrap()
    qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert window.training.preferences.tap_offset_ms == 150


def test_no_calibration_without_sound(qtbot: QtBot, window: MainWindow, output: FakeOutput) -> None:
    output.name = "silent"
    assert window.open_calibration() is None
    assert "needs sound" in window.statusBar().currentMessage()
