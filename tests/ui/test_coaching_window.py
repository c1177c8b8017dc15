"""Coaching in the real window (pytest-qt, a fake clock): the tap key and what it shows,
the "slower" cue, negative-only sets, where the rep counter moves on, the soreness
check-in and the phase flash."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tempo_coach.core.clock import FakeClock
from tempo_coach.core.preferences import Preferences
from tempo_coach.core.records import SessionRecord
from tempo_coach.core.tempo import Phase
from tempo_coach.ui.actions import KeyAction
from tempo_coach.ui.main_window import MainWindow
from tests.fakes import FakeOutput, FakeStore
from tests.ui.helpers import run_for, run_until

SQUAT = "barbell-squat"  # lowering first, 3-1-1-0: lower 3 s from the end of the count-in


def make(
    make_window: Callable[..., MainWindow], **preferences: object
) -> tuple[MainWindow, FakeStore]:
    store = FakeStore(preferences=Preferences.defaults().with_values(**preferences))
    window = make_window(store=store)
    assert window.picker.select(SQUAT)
    window.setup.reps_box.setValue(4)
    window.setup.sets_box.setValue(1)
    window.setup.rest_box.setValue(0)
    window.setup.count_in_box.setValue(3)
    return window, store


def press(qtbot: QtBot, window: MainWindow, k: Qt.Key) -> None:
    qtbot.keyClick(QApplication.focusWidget() or window, k)


def end_final_tap_wait(window: MainWindow) -> None:
    """The moment for the last tap passes (the controller's timer, fired now)."""
    timer = window.training.final_tap_timer
    if window.training.awaiting_final_tap:
        assert timer.isActive()
        timer.stop()
        timer.timeout.emit()


def finish(window: MainWindow, clock: FakeClock) -> SessionRecord:
    run_for(window, clock, 30)
    end_final_tap_wait(window)
    dialog = window.finish_dialog
    assert dialog is not None
    dialog.accept()
    assert window.writer.wait_idle()
    record = window.training.last_record
    assert record is not None
    return record


def saved(store: FakeStore) -> SessionRecord:
    sessions = store.history()
    assert len(sessions) == 1
    return sessions[0]


def ack(window: MainWindow) -> str:
    return window.rep_view.ack_label.text()


def test_a_tap_shows_how_close_the_lowering_was_and_is_kept(
    qtbot: QtBot, make_window: Callable[..., MainWindow], fake_clock: FakeClock
) -> None:
    window, store = make(make_window, tap_mode=True)
    assert window.rep_view.hint_label.text().endswith("B lowering ended")
    window.start_session()
    run_until(window, fake_clock, 3 + 2.5)  # rep 1's lowering began at 3 s
    press(qtbot, window, Qt.Key.Key_B)
    assert ack(window) == "2.5 s of 3: a little fast"
    # A double tap is not counted and says so.
    press(qtbot, window, Qt.Key.Key_B)
    assert "not counted" in window.statusBar().currentMessage()
    # Rep 2 (lowering 8-11 s): no tap. Rep 3 (13-16 s): late, in its hold.
    run_until(window, fake_clock, 13 + 3.9)
    press(qtbot, window, Qt.Key.Key_B)
    assert ack(window) == "3.9 s of 3: slow"
    run_for(window, fake_clock, 30)
    end_final_tap_wait(window)
    dialog = window.finish_dialog
    assert dialog is not None
    assert "Tempo: 1 of 2 tapped reps on tempo (50 %), 1 slow; 2 taps missing." in (
        dialog.summary_label.text()
    )
    finish(window, fake_clock)
    record = saved(store)
    reps = record.sets[0].reps
    assert record.sets[0].tap_mode
    assert [r.lowering_tapped_ms for r in reps] == [2_500, None, 3_900, None]


def test_the_tap_key_follows_the_preference_and_is_off_without_tap_mode(
    qtbot: QtBot, make_window: Callable[..., MainWindow], fake_clock: FakeClock
) -> None:
    window, _store = make(make_window, tap_mode=True, tap_key="Period")
    window.start_session()
    run_until(window, fake_clock, 6)
    press(qtbot, window, Qt.Key.Key_B)
    assert ack(window) == ""
    press(qtbot, window, Qt.Key.Key_Period)
    assert ack(window) == "3 s of 3: on tempo"
    finish(window, fake_clock)

    window2, store2 = make(make_window)  # tap mode off: B is no key of ours
    window2.start_session()
    run_until(window2, fake_clock, 6)
    press(qtbot, window2, Qt.Key.Key_B)
    assert ack(window2) == ""
    finish(window2, fake_clock)
    assert not saved(store2).sets[0].tap_mode


def test_two_fast_taps_cue_slower_at_a_later_lowering(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    fake_clock: FakeClock,
    output: FakeOutput,
) -> None:
    window, _store = make(make_window, tap_mode=True)
    window.setup.notation_edit.setText("5-1-1-0")
    window.setup.notation_edit.editingFinished.emit()
    window.start_session()
    run_until(window, fake_clock, 3 + 2)  # 2 s of 5: fast
    press(qtbot, window, Qt.Key.Key_B)
    changes = output.calls.count("session_changed")
    run_until(window, fake_clock, 10 + 2)  # rep 2's lowering from 10 s
    press(qtbot, window, Qt.Key.Key_B)
    session = window.runner.session
    assert session is not None and session.hints == ((1, 3),)
    assert output.calls.count("session_changed") == changes + 1, "the output hears of it"
    finish(window, fake_clock)


def test_a_negative_only_set_shows_the_reset_and_records_it(
    qtbot: QtBot, make_window: Callable[..., MainWindow], fake_clock: FakeClock
) -> None:
    window, store = make(make_window)
    window.setup.negative_box.setChecked(True)
    window.start_session()
    run_until(window, fake_clock, 3 + 3 + 1 + 0.5)  # lower 3, hold 1, then the reset
    assert window.rep_view.phase_label.text() == "RESET"
    finish(window, fake_clock)
    record = saved(store)
    assert record.sets[0].negative_only
    assert record.planned is not None and record.planned.negative_only
    assert [p.phase for p in record.sets[0].reps[0].phases][2] is Phase.RESET
    assert record.time_under_tension_ms == 4 * 4_000  # lowering and hold only


@pytest.mark.parametrize(("counts_at", "expected"), [("lowering", "1"), ("lifting", "0")])
def test_the_rep_counter_moves_on_where_the_lifter_chose(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    fake_clock: FakeClock,
    counts_at: str,
    expected: str,
) -> None:
    window, _store = make(make_window, rep_counts_at=counts_at)
    window.start_session()
    run_until(window, fake_clock, 3 + 3 + 0.5)  # rep 1 lowered, not lifted yet
    assert window.rep_view.rep_label.text() == f"REPS {expected} / 4"
    run_until(window, fake_clock, 3 + 5 + 0.1)  # rep 1 lifted too
    assert window.rep_view.rep_label.text() == "REPS 1 / 4"
    finish(window, fake_clock)


def test_the_soreness_check_in_is_asked_only_when_wanted_and_kept(
    qtbot: QtBot, make_window: Callable[..., MainWindow], fake_clock: FakeClock
) -> None:
    window, _store = make(make_window)
    assert window.setup.soreness_box.isHidden()
    window2, store2 = make(make_window, soreness_check=True)
    assert not window2.setup.soreness_box.isHidden()
    window2.setup.soreness_box.setValue(7)
    window2.start_session()
    finish(window2, fake_clock)
    assert saved(store2).soreness == 7


def test_the_flash_follows_the_phases_when_on(
    qtbot: QtBot, make_window: Callable[..., MainWindow], fake_clock: FakeClock
) -> None:
    window, _store = make(make_window, flash=True)
    window.start_session()
    shown = window.flash.shown
    run_until(window, fake_clock, 3.1)  # the count-in ended: the lowering began
    assert window.flash.shown > shown or window.flash.dropped > 0
    finish(window, fake_clock)
    off, _ = make(make_window)
    off.start_session()
    run_until(off, fake_clock, 3.1)
    assert off.flash.shown == 0
    finish(off, fake_clock)


# -- the coach's advice ---------------------------------------------------------------------


def done_session(
    started_at: str, *, rpe: int | None = 7, soreness: int | None = None
) -> SessionRecord:
    """A finished squat session of 2 sets x 3 reps at 3-1-1-0 and 60 kg, as the core makes it."""
    from dataclasses import replace

    from tempo_coach.core.exercise import BUILTIN_EXERCISES, find_exercise
    from tempo_coach.core.session import Session
    from tempo_coach.core.tempo import parse_tempo
    from tempo_coach.core.timeline import SetPlan

    plan = SetPlan.from_exercise(
        find_exercise(SQUAT, BUILTIN_EXERCISES),
        tempo=parse_tempo("3-1-1-0"),
        reps=3,
        sets=2,
        rest_ms=0,
    )
    clock = FakeClock()
    session = Session(plan, clock, load=60.0, wall_time=lambda: started_at, soreness=soreness)
    session.start()
    clock.advance(60)
    session.poll()
    return replace(session.record(), rpe=rpe)


def test_two_good_sessions_bring_a_longer_count_that_a_takes(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    # The window's wall clock says 2026-11-21T10:00 (conftest): these are days before.
    store = FakeStore(
        sessions=[
            done_session("2026-11-14T10:00:00+00:00"),
            done_session("2026-11-17T10:00:00+00:00"),
        ]
    )
    window = make_window(store=store)
    assert window.picker.select(SQUAT)
    qtbot.waitUntil(lambda: "last time" in window.setup.advice_label.text())  # after the paint
    text = window.setup.advice_label.text()
    assert "last time: 3-1-1-0 x 3 at 60 kg, RPE 7" in text
    assert "Next time: 4-1-1-0 x 3 at 60 kg." in text
    assert "not medical advice" in text
    assert window.setup.accept_button.isVisible()
    window.setup.setFocus()
    qtbot.keyClick(window.setup, Qt.Key.Key_A)
    assert window.setup.notation_edit.text() == "4-1-1-0"
    assert window.setup.load_box.value() == 60.0
    assert "Suggestion taken" in window.statusBar().currentMessage()


def test_a_sore_lifter_back_within_48_hours_is_warned(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    store = FakeStore(
        preferences=Preferences.defaults().with_values(soreness_check=True),
        sessions=[done_session("2026-11-20T18:00:00+00:00")],  # 16 h before
    )
    window = make_window(store=store)
    assert window.picker.select(SQUAT)
    qtbot.waitUntil(lambda: "last time" in window.setup.advice_label.text())
    assert "sore" not in window.setup.advice_label.text().lower()
    window.setup.soreness_box.setValue(7)
    assert "⚠" in window.setup.advice_label.text()
    assert "48" in window.setup.advice_label.text() or "sore" in window.setup.advice_label.text()
    window.setup.soreness_box.setValue(3)
    assert "⚠" not in window.setup.advice_label.text()


def test_a_first_session_gets_the_start_light_tip_and_nothing_to_take(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window(store=FakeStore())
    assert window.picker.select(SQUAT)
    qtbot.waitUntil(lambda: "Tip: " in window.setup.advice_label.text())
    assert not window.setup.accept_button.isVisible()
    assert not window.accept_advice()


def test_the_coach_speaks_only_after_the_first_paint(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    """Ten years of history take tens of milliseconds to read: not before the window shows."""
    from tempo_coach.ui.main_window import MainWindow as Window

    store = FakeStore(sessions=[done_session("2026-11-17T10:00:00+00:00")])
    window = Window(
        store, lambda _prefs: FakeOutput(), wall_time=lambda: "2026-11-21T10:00:00+00:00"
    )
    qtbot.addWidget(window)
    assert window.setup.advice_label.text() == "", "nothing is read before the first paint"
    window.show()
    qtbot.waitUntil(lambda: "last time" in window.setup.advice_label.text())
    window.shutdown()


def test_the_last_lowering_is_tapped_before_the_notes_are_asked(
    qtbot: QtBot, make_window: Callable[..., MainWindow], fake_clock: FakeClock
) -> None:
    """The band pull-up (lift 1, hold 2, lower 5, hang 0) ends with its lowering: the tap
    comes after the end, and must reach the window, not the notes dialog."""
    store = FakeStore(preferences=Preferences.defaults().with_values(tap_mode=True))
    window = make_window(store=store)
    assert window.picker.select("band-pull-up")
    window.setup.reps_box.setValue(1)
    window.setup.sets_box.setValue(1)
    window.setup.count_in_box.setValue(3)
    window.start_session()
    run_until(window, fake_clock, 3 + 8)  # the lowering ran 6-11 s: the session is over
    assert window.training.awaiting_final_tap and window.finish_dialog is None
    fake_clock.advance(0.3)
    press(qtbot, window, Qt.Key.Key_B)
    assert ack(window) == "5.3 s of 5: a little slow"
    end_final_tap_wait(window)
    dialog = window.finish_dialog
    assert dialog is not None
    dialog.accept()
    assert window.writer.wait_idle()
    assert saved(store).sets[0].reps[0].lowering_tapped_ms == 5_300


def test_tap_messages_say_why_nothing_was_counted(
    qtbot: QtBot, make_window: Callable[..., MainWindow], fake_clock: FakeClock
) -> None:
    window, _store = make(make_window, tap_mode=True)
    window.start_session()
    run_until(window, fake_clock, 2)
    press(qtbot, window, Qt.Key.Key_B)  # the count-in: no lowering yet
    assert "no lowering to time" in window.statusBar().currentMessage()
    press(qtbot, window, Qt.Key.Key_Space)
    press(qtbot, window, Qt.Key.Key_B)
    assert "paused" in window.statusBar().currentMessage()
    window.runner.stop()
    off, _ = make(make_window)
    off.menu_actions[KeyAction.TAP].trigger()
    assert "Tap mode is off" in off.statusBar().currentMessage()
    assert window.menu_actions[KeyAction.TAP].text().endswith("\tB")


def test_a_continued_negative_only_session_stays_negative_only(
    qtbot: QtBot, make_window: Callable[..., MainWindow], fake_clock: FakeClock
) -> None:
    from dataclasses import replace

    from tests.ui.test_main_window import offered

    first, _store = make(make_window)
    first.setup.sets_box.setValue(2)
    first.setup.negative_box.setChecked(True)
    first.start_session()
    run_until(first, fake_clock, 3 + 2 * 7 + 0.5)  # two reps of set 1 (3-1-1-0 + reset 1)
    session = first.runner.session
    assert session is not None
    pending = replace(session.record(), finished=False)
    first.runner.stop()
    store = FakeStore(pending=pending)
    again = make_window(store=store)
    qtbot.mouseClick(offered(qtbot, again).buttons_by_key["continue"], Qt.MouseButton.LeftButton)
    assert again.setup.negative_box.isChecked(), "the kept session's set type"
    again.start_session()
    record = finish(again, fake_clock)
    assert [s.negative_only for s in record.sets] == [True, True]
    assert record.planned is not None and record.planned.negative_only
    # Another exercise, never done negative-only, starts unticked.
    assert again.picker.select("cable-row")
    assert not again.setup.negative_box.isChecked()


def test_a_negative_only_set_with_a_one_second_reset_is_questioned(
    qtbot: QtBot, make_window: Callable[..., MainWindow], fake_clock: FakeClock
) -> None:
    window, _store = make(make_window)
    window.setup.negative_box.setChecked(True)  # the squat's 3-1-1-0: a 1 s reset
    window.start_session()
    assert "The reset lasts 1 s" in window.statusBar().currentMessage()
    window.runner.stop()


def test_the_soreness_is_asked_anew_for_every_session(
    qtbot: QtBot, make_window: Callable[..., MainWindow], fake_clock: FakeClock
) -> None:
    window, store = make(make_window, soreness_check=True)
    window.setup.soreness_box.setValue(3)
    window.start_session()
    finish(window, fake_clock)
    assert saved(store).soreness == 3
    assert window.setup.soreness() is None, "not carried over to the next session"
    window.setup.soreness_box.setValue(5)
    assert window.picker.select("hamstring-curl")
    assert window.setup.soreness() is None, "nor to another exercise"


def test_the_audio_status_is_said_again_once_a_session_has_opened_the_output(
    qtbot: QtBot, make_window: Callable[..., MainWindow], fake_clock: FakeClock
) -> None:
    window, _store = make(make_window)
    told: list[str] = []
    window.training.audio_status.connect(told.append)
    window.start_session()
    assert told, "the status bar hears which output plays, now that it has begun"
    window.runner.stop()
