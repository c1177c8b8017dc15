"""The window driven like a lifter would: keys, whole sets on a fake clock, what is saved."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from tempo_coach.core.clock import FakeClock
from tempo_coach.core.preferences import Preferences
from tempo_coach.core.records import SessionRecord
from tempo_coach.core.session import SessionStatus
from tempo_coach.core.tempo import Phase
from tempo_coach.ui.dialogs import Choice, FinishDialog, Question
from tempo_coach.ui.main_window import RUN_PAGE, SETUP_PAGE, MainWindow
from tests.fakes import FakeOutput, FakeStore
from tests.ui.helpers import run_for, run_until

SQUAT = "barbell-squat"  # lowering first, 3-1-1-0, a 5 s rep


def choose(window: MainWindow, exercise_id: str, *, reps: int, sets: int, rest: int) -> None:
    assert window.picker.select(exercise_id)
    window.setup.reps_box.setValue(reps)
    window.setup.sets_box.setValue(sets)
    window.setup.rest_box.setValue(rest)
    window.setup.count_in_box.setValue(3)


def key(qtbot: QtBot, window: MainWindow, k: Qt.Key) -> None:
    """Press a key on whatever has the focus (as a real key press would arrive)."""
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, k)


def finish_dialog(window: MainWindow) -> FinishDialog:
    dialog = window.finish_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_space_starts_right_after_launch_even_from_a_focused_text_field(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.picker.current() is not None, "an exercise is selected at launch"
    window.picker.search_edit.setFocus()
    assert QApplication.focusWidget() is window.picker.search_edit
    qtbot.keyClick(window.picker.search_edit, Qt.Key.Key_Space)
    assert window.runner.status is SessionStatus.RUNNING
    assert window.picker.search_edit.text() == "", "the field did not swallow the space"
    assert window.train_stack.currentIndex() == RUN_PAGE


def test_whole_set_with_a_live_change_pause_skip_and_end_early(
    qtbot: QtBot, window: MainWindow, fake_clock: FakeClock, store: FakeStore
) -> None:
    choose(window, SQUAT, reps=3, sets=2, rest=30)
    key(qtbot, window, Qt.Key.Key_Space)
    session = window.runner.session
    assert session is not None
    assert window.rep_view.phase_label.text() == "GET READY"

    # Through the count-in into the first lowering phase.
    run_until(window, fake_clock, 4.5)
    assert window.runner.state is not None
    assert window.runner.state.phase is Phase.ECCENTRIC
    assert window.rep_view.phase_label.text() == "LOWER"
    assert window.rep_view.count_label.text() == "2"

    # Up in the middle of rep 1's lowering: that lowering keeps 3 s, rep 2's lasts 4 s.
    key(qtbot, window, Qt.Key.Key_Up)
    lowering = [s for s in session.segments if s.phase is Phase.ECCENTRIC and s.set_number == 1]
    assert [s.duration_ms for s in lowering] == [3000, 4000, 4000]
    assert "3 s → 4 s" in window.rep_view.ack_label.text()
    assert window.rep_view.lowering_label.text() == "LOWERING 4 s"
    # Rep 1 (starts at 3 s) is 5 s long; rep 2's lowering runs from 8 s to 12 s.
    run_until(window, fake_clock, 11.5)
    assert window.runner.state.phase is Phase.ECCENTRIC
    assert window.runner.state.rep == 2
    run_until(window, fake_clock, 12.2)
    assert window.runner.state.phase is Phase.PAUSE_AFTER_ECCENTRIC
    assert window.rep_view.phase_label.text() == "HOLD"

    # Pause: time passes, the session does not move; resume carries on where it stood.
    key(qtbot, window, Qt.Key.Key_Space)
    assert window.runner.status is SessionStatus.PAUSED
    assert not window.runner.timer.isActive(), "no polling while paused"
    frozen = session.session_ms()
    fake_clock.advance(30)
    window.runner.poll_now()
    assert session.session_ms() == frozen
    assert window.rep_view.phase_label.text().startswith("PAUSED")
    key(qtbot, window, Qt.Key.Key_Space)
    assert window.runner.status is SessionStatus.RUNNING
    assert window.runner.timer.isActive()
    # A short count-in (2 s), then the hold goes on, announced again.
    assert window.rep_view.phase_label.text() == "GET READY"
    run_for(window, fake_clock, 2.05)
    assert window.rep_view.phase_label.text() == "HOLD"

    # Enter ends set 1 early, in rep 3: the rest starts at once.
    run_until(window, fake_clock, 17)
    assert window.runner.state.rep == 3
    key(qtbot, window, Qt.Key.Key_Return)
    window.runner.poll_now()
    assert window.runner.state.phase is Phase.REST
    assert window.rep_view.phase_label.text() == "REST"
    assert window.rep_view.count_label.text() == "30"
    assert window.skip_button.isEnabled()

    # S skips the rest: set 2's count-in, then set 2.
    run_for(window, fake_clock, 2)
    key(qtbot, window, Qt.Key.Key_S)
    assert window.runner.state.phase is Phase.COUNT_IN
    assert window.runner.state.set_number == 2
    run_for(window, fake_clock, 3.05)
    assert window.runner.state.phase is Phase.ECCENTRIC
    assert store.checkpoints, "a checkpoint was asked for after the reps"

    # Set 2 runs to its end; the finish dialog asks for RPE and a note.
    run_for(window, fake_clock, 20)
    assert window.runner.status is SessionStatus.FINISHED
    dialog = finish_dialog(window)
    dialog.rpe_check.setChecked(True)
    dialog.rpe_slider.setValue(8)
    dialog.note_edit.setPlainText("felt strong")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert window.writer.wait_idle()

    assert len(store.sessions) == 1
    record = store.sessions[0]
    assert record.exercise_id == SQUAT and record.finished
    assert record.rpe == 8 and record.note == "felt strong"
    first, second = record.sets
    assert first.ended_early and first.reps_done == 2
    assert [c.to_ms for c in first.live_changes] == [4000]
    assert first.tempo_used == "4-1-1-0" and first.tempo_planned == "3-1-1-0"
    assert second.reps_done == 3 and not second.ended_early
    assert second.time_under_tension_ms == 3 * 6000  # 4-1-1-0 after the change
    assert record.planned is not None and record.extra == {}
    assert (record.planned.rest_ms, record.planned.sets, record.planned.reps) == (30_000, 2, 3)
    assert (record.planned.tempo, record.planned.count_in_ms) == ("3-1-1-0", 3000)
    assert store.pending_checkpoint() is None, "the checkpoint is cleared after the save"
    assert window.train_stack.currentIndex() == SETUP_PAGE
    # "Saved" only once the save is on disk (the writer's done signal is queued).
    qtbot.waitUntil(lambda: "Saved" in window.saved_message)


def test_the_view_is_updated_only_when_what_it_shows_changes(
    qtbot: QtBot, window: MainWindow, fake_clock: FakeClock
) -> None:
    window.start_session()
    states = []
    window.runner.view_changed.connect(states.append)
    window.runner.poll_now()
    window.runner.poll_now()
    assert states == [], "looking twice at the same instant repaints nothing"
    fake_clock.advance(0.001)
    window.runner.poll_now()
    assert states == [], "a millisecond moves no shown value"
    fake_clock.advance(0.5)
    window.runner.poll_now()
    assert len(states) == 1
    window.runner.stop()


def test_escape_asks_first_and_keep_going_resumes(
    qtbot: QtBot, window: MainWindow, fake_clock: FakeClock, store: FakeStore
) -> None:
    choose(window, SQUAT, reps=3, sets=1, rest=0)
    window.start_session()
    run_until(window, fake_clock, 9)  # rep 1 done, rep 2 under way
    key(qtbot, window, Qt.Key.Key_Escape)
    question = window.question
    assert isinstance(question, Question) and question.isVisible()
    assert window.runner.status is SessionStatus.PAUSED, "paused while asking"
    qtbot.mouseClick(question.no_button, Qt.MouseButton.LeftButton)
    assert window.runner.status is SessionStatus.RUNNING

    key(qtbot, window, Qt.Key.Key_Escape)
    question = window.question
    assert question is not None
    qtbot.mouseClick(question.yes_button, Qt.MouseButton.LeftButton)
    assert window.runner.status is SessionStatus.ABORTED
    dialog = finish_dialog(window)
    qtbot.mouseClick(dialog.skip_button, Qt.MouseButton.LeftButton)
    assert window.writer.wait_idle()
    (record,) = store.sessions
    assert record.rpe is None and record.note == ""
    assert record.sets[0].reps_done == 1 and record.sets[0].ended_early


def test_stopping_in_the_count_in_saves_nothing(
    qtbot: QtBot, window: MainWindow, store: FakeStore
) -> None:
    window.start_session()
    key(qtbot, window, Qt.Key.Key_Escape)
    assert window.question is not None
    qtbot.mouseClick(window.question.yes_button, Qt.MouseButton.LeftButton)
    assert window.finish_dialog is None
    assert window.writer.wait_idle()
    assert store.sessions == []
    assert window.train_stack.currentIndex() == SETUP_PAGE


@pytest.mark.parametrize(
    ("k", "delta_ms"),
    [
        (Qt.Key.Key_Up, 1000),
        (Qt.Key.Key_Down, -1000),
        (Qt.Key.Key_Plus, 1000),
        (Qt.Key.Key_Minus, -1000),
        (Qt.Key.Key_PageUp, 1000),
        (Qt.Key.Key_PageDown, -1000),
    ],
)
def test_every_count_key_changes_the_lowering_count_mid_session(
    qtbot: QtBot, window: MainWindow, output: FakeOutput, k: Qt.Key, delta_ms: int
) -> None:
    choose(window, SQUAT, reps=3, sets=1, rest=0)
    window.start_session()
    session = window.runner.session
    assert session is not None
    before = session.eccentric_ms
    calls = output.calls.count("session_changed")
    key(qtbot, window, k)
    assert session.eccentric_ms == before + delta_ms
    assert output.calls.count("session_changed") == calls + 1, "the output hears of it"
    assert "→" in window.rep_view.ack_label.text()
    window.runner.stop()


def test_a_count_below_one_second_is_refused_on_screen(qtbot: QtBot, window: MainWindow) -> None:
    choose(window, SQUAT, reps=3, sets=1, rest=0)
    window.setup.eccentric_box.setValue(1)
    window.start_session()
    key(qtbot, window, Qt.Key.Key_Down)
    assert window.runner.session is not None
    assert window.runner.session.eccentric_ms == 1000
    assert window.rep_view.ack_label.text().startswith("Not changed")
    window.runner.stop()


def test_clicker_keys_change_the_set_up_count_before_a_session(
    qtbot: QtBot, window: MainWindow
) -> None:
    choose(window, SQUAT, reps=3, sets=1, rest=0)
    window.picker.list.setFocus()
    key(qtbot, window, Qt.Key.Key_PageUp)
    assert window.setup.eccentric_box.value() == 4
    assert window.setup.notation_edit.text() == "4-1-1-0"
    key(qtbot, window, Qt.Key.Key_Minus)
    assert window.setup.eccentric_box.value() == 3
    # In a text field, + and - are typed, not taken.
    window.picker.search_edit.setFocus()
    qtbot.keyClick(window.picker.search_edit, Qt.Key.Key_Plus)
    assert window.picker.search_edit.text() == "+"
    assert window.setup.eccentric_box.value() == 3


def test_buttons_mirror_the_keys(qtbot: QtBot, window: MainWindow, fake_clock: FakeClock) -> None:
    choose(window, SQUAT, reps=2, sets=2, rest=60)
    qtbot.mouseClick(window.setup.start_button, Qt.MouseButton.LeftButton)
    session = window.runner.session
    assert session is not None
    qtbot.mouseClick(window.longer_button, Qt.MouseButton.LeftButton)
    assert session.eccentric_ms == 4000
    qtbot.mouseClick(window.shorter_button, Qt.MouseButton.LeftButton)
    assert session.eccentric_ms == 3000
    qtbot.mouseClick(window.pause_button, Qt.MouseButton.LeftButton)
    assert session.status is SessionStatus.PAUSED
    assert window.pause_button.text().startswith("Resume")
    qtbot.mouseClick(window.pause_button, Qt.MouseButton.LeftButton)
    run_until(window, fake_clock, 4)
    qtbot.mouseClick(window.end_set_button, Qt.MouseButton.LeftButton)
    window.runner.poll_now()
    assert window.runner.state is not None and window.runner.state.phase is Phase.REST
    qtbot.mouseClick(window.skip_button, Qt.MouseButton.LeftButton)
    assert window.runner.state.phase is Phase.COUNT_IN  # set 2's count-in
    assert window.runner.state.set_number == 2
    qtbot.mouseClick(window.stop_button, Qt.MouseButton.LeftButton)
    assert window.question is not None
    qtbot.mouseClick(window.question.yes_button, Qt.MouseButton.LeftButton)
    assert session.status is SessionStatus.ABORTED
    dialog = finish_dialog(window)
    dialog.reject()


def test_f11_toggles_gym_mode_and_escape_leaves_it_when_idle(
    qtbot: QtBot, window: MainWindow
) -> None:
    key(qtbot, window, Qt.Key.Key_F11)
    assert window.gym_mode and window.rep_view.gym_mode
    assert window.isFullScreen()
    assert not window.menuBar().isVisible()
    assert window.train_stack.currentIndex() == RUN_PAGE
    assert "Tempo Coach" in window.windowTitle()
    key(qtbot, window, Qt.Key.Key_Escape)
    assert not window.gym_mode
    assert window.train_stack.currentIndex() == SETUP_PAGE


def test_space_in_gym_mode_starts_and_pauses(qtbot: QtBot, window: MainWindow) -> None:
    window.set_gym_mode(True)
    key(qtbot, window, Qt.Key.Key_Space)
    assert window.runner.status is SessionStatus.RUNNING
    key(qtbot, window, Qt.Key.Key_Space)
    assert window.runner.status is SessionStatus.PAUSED
    window.runner.stop()
    window.finish_dialog and window.finish_dialog.reject()
    window.set_gym_mode(False)


def test_keys_do_not_act_while_a_dialog_is_open(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.open_preferences()
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Space)
    assert window.runner.status is SessionStatus.IDLE
    dialog.reject()


def test_menu_entries_perform_the_same_actions(qtbot: QtBot, window: MainWindow) -> None:
    window.start_action.trigger()
    assert window.runner.status is SessionStatus.RUNNING
    window.start_action.trigger()
    assert window.runner.status is SessionStatus.PAUSED
    window.runner.stop()
    window.finish_dialog and window.finish_dialog.reject()


def test_read_only_store_shows_why_and_saves_nothing(
    qtbot: QtBot, make_window: Callable[..., MainWindow], fake_clock: FakeClock
) -> None:
    store = FakeStore(
        read_only_reason="another Tempo Coach (pid 123) is running",
        problems=["preferences.json could not be read: set aside as preferences.json.corrupt-1"],
    )
    window = make_window(store=store)
    assert window.banner.isVisible()
    assert "pid 123" in window.banner.text()
    assert "corrupt-1" in window.banner.text()
    choose(window, SQUAT, reps=1, sets=1, rest=0)
    window.start_session()
    run_for(window, fake_clock, 10)
    assert window.runner.status is SessionStatus.FINISHED
    finish_dialog(window).accept()
    assert window.writer.wait_idle()
    assert store.sessions == [] and store.checkpoints == []
    assert "read-only" in window.saved_message


class FailingStore(FakeStore):
    def save_session(self, record: object) -> None:
        raise OSError("No space left on device")


def test_a_failed_save_is_shown_not_fatal(
    qtbot: QtBot, make_window: Callable[..., MainWindow], fake_clock: FakeClock
) -> None:
    window = make_window(store=FailingStore())
    choose(window, SQUAT, reps=1, sets=1, rest=0)
    window.start_session()
    run_for(window, fake_clock, 10)
    finish_dialog(window).accept()
    assert window.writer.wait_idle()
    qtbot.waitUntil(lambda: "No space left" in window.banner.text())
    assert window.banner.isVisible()


def test_launch_selects_the_exercise_used_last_with_its_last_values(
    qtbot: QtBot, make_window: Callable[..., MainWindow], fake_clock: FakeClock
) -> None:
    first = FakeStore()
    window = make_window(store=first)
    choose(window, "cable-row", reps=5, sets=2, rest=45)
    window.setup.load_box.setValue(40)
    window.setup.notation_edit.setText("6-0-1-1")
    window.setup.notation_edit.editingFinished.emit()
    window.start_session()
    run_for(window, fake_clock, 150)
    finish_dialog(window).accept()
    assert window.writer.wait_idle()
    window.close()

    again = make_window(store=FakeStore(sessions=first.sessions))
    current = again.picker.current()
    assert current is not None and current.exercise_id == "cable-row"
    assert again.setup.notation_edit.text() == "6-0-1-1"
    assert again.setup.reps_box.value() == 5
    assert again.setup.sets_box.value() == 2
    assert again.setup.rest_box.value() == 45
    assert again.setup.load_box.value() == 40
    # Another exercise gets its own defaults.
    again.picker.select(SQUAT)
    assert again.setup.notation_edit.text() == "3-1-1-0"
    assert again.setup.load_box.value() == 0


def interrupted(
    qtbot: QtBot, make_window: Callable[..., MainWindow], fake_clock: FakeClock
) -> SessionRecord:
    """A session of 2 sets of 3 squats that died in set 1 after two reps."""
    crashed = FakeStore()
    window = make_window(store=crashed)
    choose(window, SQUAT, reps=3, sets=2, rest=30)
    window.setup.load_box.setValue(60)
    window.start_session()
    run_until(window, fake_clock, 14)
    assert window.writer.wait_idle()
    pending = crashed.pending_checkpoint()
    assert pending is not None and pending.sets[0].reps_done == 2
    window.runner.session_over.disconnect()
    window.runner.shutdown()  # as if the process died: no final save
    return pending


def offered(qtbot: QtBot, window: MainWindow) -> Choice:
    qtbot.waitUntil(lambda: window.question is not None and window.question.isVisible())
    assert isinstance(window.question, Choice)
    return window.question


def test_an_interrupted_session_can_be_saved_at_start(
    qtbot: QtBot, make_window: Callable[..., MainWindow], fake_clock: FakeClock
) -> None:
    store = FakeStore(pending=interrupted(qtbot, make_window, fake_clock))
    again = make_window(store=store)
    choice = offered(qtbot, again)
    assert "after 1 set and 2 reps" in choice.text()
    assert set(choice.buttons_by_key) == {"continue", "save", "discard"}
    qtbot.mouseClick(choice.buttons_by_key["save"], Qt.MouseButton.LeftButton)
    assert again.writer.wait_idle()
    (saved,) = store.sessions
    assert saved.sets[0].reps_done == 2 and saved.finished
    assert store.pending_checkpoint() is None


def test_an_interrupted_session_can_be_discarded_or_left_for_later(
    qtbot: QtBot, make_window: Callable[..., MainWindow], fake_clock: FakeClock
) -> None:
    pending = interrupted(qtbot, make_window, fake_clock)
    store = FakeStore(pending=pending)
    later = make_window(store=store)
    offered(qtbot, later).reject()  # closed without an answer: asked again next time
    assert later.writer.wait_idle()
    assert store.pending_checkpoint() == pending
    again = make_window(store=store)
    qtbot.mouseClick(offered(qtbot, again).buttons_by_key["discard"], Qt.MouseButton.LeftButton)
    assert again.writer.wait_idle()
    assert store.pending_checkpoint() is None and store.sessions == []


def test_an_interrupted_session_can_be_continued(
    qtbot: QtBot, make_window: Callable[..., MainWindow], fake_clock: FakeClock
) -> None:
    pending = interrupted(qtbot, make_window, fake_clock)
    store = FakeStore(pending=pending)
    again = make_window(store=store)
    qtbot.mouseClick(offered(qtbot, again).buttons_by_key["continue"], Qt.MouseButton.LeftButton)
    current = again.picker.current()
    assert current is not None and current.exercise_id == SQUAT
    assert again.setup.sets_box.value() == 1, "one set of two is left"
    assert again.setup.reps_box.value() == 3
    assert again.setup.load_box.value() == 60
    key(qtbot, again, Qt.Key.Key_Space)
    run_for(again, fake_clock, 20)
    assert again.runner.status is SessionStatus.FINISHED
    finish_dialog(again).accept()
    assert again.writer.wait_idle()
    (saved,) = store.sessions
    assert saved.session_id == pending.session_id, "the same session, continued"
    assert [s.set_number for s in saved.sets] == [1, 2]
    assert [s.reps_done for s in saved.sets] == [2, 3]
    assert {r.set_number for r in saved.sets[1].reps} == {2}
    assert saved.planned is not None and saved.planned.sets == 2
    assert saved.sets[1].started_at == "2026-11-21T10:00:00+00:00"
    assert store.pending_checkpoint() is None


def test_choosing_another_exercise_keeps_the_interrupted_session(
    qtbot: QtBot, make_window: Callable[..., MainWindow], fake_clock: FakeClock
) -> None:
    pending = interrupted(qtbot, make_window, fake_clock)
    store = FakeStore(pending=pending)
    again = make_window(store=store)
    qtbot.mouseClick(offered(qtbot, again).buttons_by_key["continue"], Qt.MouseButton.LeftButton)
    again.picker.select("cable-row")
    again.start_session()
    assert again.writer.wait_idle()
    assert [s.session_id for s in store.sessions] == [pending.session_id]
    again.runner.stop()


def test_an_output_problem_from_another_thread_reaches_the_window(
    qtbot: QtBot, window: MainWindow, output: FakeOutput
) -> None:
    import threading

    thread = threading.Thread(target=output.report_problem, args=("headphones unplugged",))
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: "headphones unplugged" in window.banner.text())


def test_a_broken_output_factory_leaves_a_visual_timer(qtbot: QtBot, store: FakeStore) -> None:
    def broken(_prefs: object) -> FakeOutput:
        raise RuntimeError("no sound card")

    window = MainWindow(store, broken)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: "no sound card" in window.audio_label.toolTip())
    assert "visual only" in window.audio_label.toolTip()
    assert window.start_session(), "the timer works without sound"
    window.runner.stop()


def test_a_long_audio_reason_is_shortened_with_the_whole_in_the_tooltip(
    qtbot: QtBot, make_window: Callable[..., MainWindow], fake_clock: FakeClock
) -> None:
    reason = "no audio output: " + "the device said something very long " * 5
    window = make_window(output=FakeOutput(fake_clock, reason=reason))
    assert len(window.audio_label.text()) <= 70
    assert window.audio_label.text().endswith("…")
    assert window.audio_label.toolTip() == f"Audio: {reason}"


def test_shift_space_types_a_space_in_the_search(qtbot: QtBot, window: MainWindow) -> None:
    search = window.picker.search_edit
    search.setFocus()
    qtbot.keyClicks(search, "barbell")
    qtbot.keyClick(search, Qt.Key.Key_Space, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(search, "sq")
    assert search.text() == "barbell sq"
    assert window.runner.status is SessionStatus.IDLE
    current = window.picker.current()
    assert current is not None and current.exercise_id == SQUAT


def test_the_keys_help_lists_every_key(qtbot: QtBot, window: MainWindow) -> None:
    window._on_keys_action_triggered()
    box = window.findChild(QMessageBox)
    assert box is not None
    for word in ("Space", "Page Up", "Enter", "Esc", "F11"):
        assert word in box.text()
    box.close()


class RecordingKeeper:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def hold(self, reason: str) -> bool:
        self.calls.append("hold")
        return True

    def release(self) -> None:
        self.calls.append("release")


@pytest.mark.parametrize("keep_awake", [True, False])
def test_the_screen_is_kept_awake_during_a_session_only(
    qtbot: QtBot, make_window: Callable[..., MainWindow], keep_awake: bool
) -> None:
    keeper = RecordingKeeper()
    store = FakeStore(preferences=Preferences.defaults().with_values(keep_awake=keep_awake))
    window = make_window(store=store, screen_keeper=keeper)
    assert keeper.calls == []
    window.start_session()
    assert keeper.calls == (["hold"] if keep_awake else [])
    window.runner.stop()
    assert keeper.calls[-1:] == ["release"]


def test_the_dbus_keeper_without_a_session_bus_says_no(monkeypatch: pytest.MonkeyPatch) -> None:
    from tempo_coach.ui.keep_awake import DBusScreenKeeper

    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
    keeper = DBusScreenKeeper()
    assert keeper.hold("test") is False
    keeper.release()


class BlockedStore(FakeStore):
    """A store whose writes wait until the test lets them through (a very slow disk)."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.waiting = threading.Event()

    def checkpoint(self, record: SessionRecord) -> None:
        self.waiting.set()
        assert self.gate.wait(10), "the test never opened the gate"
        super().checkpoint(record)


def test_a_slow_disk_never_holds_up_the_timer(
    qtbot: QtBot, make_window: Callable[..., MainWindow], fake_clock: FakeClock
) -> None:
    store = BlockedStore()
    window = make_window(store=store)
    choose(window, SQUAT, reps=4, sets=1, rest=0)
    window.start_session()
    run_until(window, fake_clock, 9)  # rep 1 done: its checkpoint is stuck on the "disk"
    assert store.waiting.wait(5)
    run_until(window, fake_clock, 14)  # the set goes on while the write waits
    assert window.runner.state is not None and window.runner.state.rep == 3
    key(qtbot, window, Qt.Key.Key_Up)
    assert window.runner.session is not None and window.runner.session.eccentric_ms == 4000
    assert store.checkpoints == [], "nothing written yet"
    store.gate.set()
    assert window.writer.wait_idle()
    assert len(store.checkpoints) == 2, "both checkpoints arrive, in order"
    assert [s.reps_done for s in store.checkpoints[-1].sets] == [2]
    window.runner.stop()
    finish_dialog(window).reject()


def quit_question(qtbot: QtBot, window: MainWindow) -> Choice:
    window.close()
    assert window.isVisible(), "closing mid-session asks first"
    assert window.runner.status is SessionStatus.PAUSED
    question = window.question
    assert isinstance(question, Choice) and question.isVisible()
    assert set(question.buttons_by_key) == {"stop", "keep", "back"}
    return question


def test_quitting_mid_session_can_save_it_as_stopped(
    qtbot: QtBot, window: MainWindow, fake_clock: FakeClock, store: FakeStore
) -> None:
    choose(window, SQUAT, reps=3, sets=1, rest=0)
    window.start_session()
    run_until(window, fake_clock, 14)  # two reps done
    question = quit_question(qtbot, window)
    qtbot.mouseClick(question.buttons_by_key["stop"], Qt.MouseButton.LeftButton)
    assert not window.isVisible()
    (record,) = store.sessions
    assert record.finished and record.sets[0].reps_done == 2 and record.sets[0].ended_early
    assert store.pending_checkpoint() is None
    assert not window.runner.timer.isActive()


def test_quitting_mid_session_can_keep_it_for_later(
    qtbot: QtBot, window: MainWindow, fake_clock: FakeClock, store: FakeStore
) -> None:
    choose(window, SQUAT, reps=3, sets=2, rest=10)
    window.start_session()
    run_until(window, fake_clock, 14)  # two reps of set 1 done
    question = quit_question(qtbot, window)
    qtbot.mouseClick(question.buttons_by_key["keep"], Qt.MouseButton.LeftButton)
    assert not window.isVisible()
    assert store.sessions == [], "nothing saved as finished"
    kept = store.pending_checkpoint()
    assert kept is not None and not kept.finished
    assert [s.reps_done for s in kept.sets] == [2] and kept.sets_left == 1


def test_quitting_mid_session_can_be_taken_back(
    qtbot: QtBot, window: MainWindow, fake_clock: FakeClock, store: FakeStore
) -> None:
    choose(window, SQUAT, reps=3, sets=1, rest=0)
    window.start_session()
    run_until(window, fake_clock, 5)
    question = quit_question(qtbot, window)
    qtbot.mouseClick(question.buttons_by_key["back"], Qt.MouseButton.LeftButton)
    assert window.isVisible() and window.runner.status is SessionStatus.RUNNING
    window.runner.stop()
    window.finish_dialog and window.finish_dialog.reject()


def test_a_signal_keeps_the_session_for_later_without_asking(
    qtbot: QtBot, window: MainWindow, fake_clock: FakeClock, store: FakeStore
) -> None:
    choose(window, SQUAT, reps=3, sets=2, rest=10)
    window.start_session()
    run_until(window, fake_clock, 9)  # one rep done
    window.quit_keeping_for_later()
    assert not window.isVisible()
    kept = store.pending_checkpoint()
    assert kept is not None and [s.reps_done for s in kept.sets] == [1]
    assert store.sessions == []


def test_starting_while_a_session_is_kept_asks_first_and_never_overwrites_it(
    qtbot: QtBot, make_window: Callable[..., MainWindow], fake_clock: FakeClock
) -> None:
    pending = interrupted(qtbot, make_window, fake_clock)
    store = FakeStore(pending=pending)
    again = make_window(store=store)
    offered(qtbot, again).reject()  # closed: left for later
    assert again.writer.wait_idle() and store.pending_checkpoint() == pending
    choose(again, "cable-row", reps=1, sets=1, rest=0)
    assert not again.start_session(), "asks first"
    question = offered(qtbot, again)
    qtbot.mouseClick(question.buttons_by_key["save"], Qt.MouseButton.LeftButton)
    assert again.runner.status is SessionStatus.RUNNING, "then starts"
    assert again.writer.wait_idle()
    assert [s.session_id for s in store.sessions] == [pending.session_id]
    again.runner.stop()


def test_after_a_session_the_set_up_shows_that_exercise_s_next_plan(
    qtbot: QtBot, window: MainWindow, fake_clock: FakeClock
) -> None:
    choose(window, SQUAT, reps=2, sets=1, rest=15)
    window.setup.notation_edit.setText("2-1-1-0")
    window.setup.notation_edit.editingFinished.emit()
    window.start_session()
    run_for(window, fake_clock, 15)
    finish_dialog(window).accept()  # the save is still on its way to the store
    assert window.setup.notation_edit.text() == "2-1-1-0"
    assert (window.setup.reps_box.value(), window.setup.sets_box.value()) == (2, 1)
    assert window.rep_view.rep_label.text() == "REPS – / 2"
    assert window.rep_view.tut_label.text() == "TUT 0 s"
    assert window.rep_view.lowering_label.text() == "LOWERING 2 s"


def test_start_is_off_when_no_exercise_is_shown(qtbot: QtBot, window: MainWindow) -> None:
    window.picker.search_edit.setText("zzz")
    assert window.picker.current() is None
    assert not window.setup.start_button.isEnabled()
    assert not window.start_session()
    window.picker.search_edit.setText("squat")
    assert window.setup.start_button.isEnabled()


class DiskFull(FakeStore):
    def save_session(self, record: SessionRecord) -> None:
        raise OSError("No space left on device")

    def checkpoint(self, record: SessionRecord) -> None:
        raise OSError("No space left on device")


def test_a_full_disk_is_one_notice_not_one_per_rep(
    qtbot: QtBot, make_window: Callable[..., MainWindow], fake_clock: FakeClock
) -> None:
    window = make_window(store=DiskFull())
    choose(window, SQUAT, reps=3, sets=1, rest=0)
    window.start_session()
    run_for(window, fake_clock, 14)  # two reps, two failed checkpoints
    assert window.writer.wait_idle()
    qtbot.waitUntil(lambda: "No space left" in window.banner.text())
    assert window.banner.text().count("No space left") == 1
    window.runner.stop()
    window.finish_dialog and window.finish_dialog.reject()


def test_a_save_that_fails_on_close_is_said_in_a_dialog(
    qtbot: QtBot, make_window: Callable[..., MainWindow], fake_clock: FakeClock
) -> None:
    window = make_window(store=DiskFull())
    told: list[str] = []
    window.tell_on_close = told.append  # type: ignore[method-assign]
    choose(window, SQUAT, reps=3, sets=1, rest=0)
    window.start_session()
    run_until(window, fake_clock, 14)
    window.close()
    qtbot.mouseClick(window.question.buttons_by_key["stop"], Qt.MouseButton.LeftButton)  # type: ignore[union-attr]
    assert len(told) == 1
    assert "Could not save the session: No space left on device" in told[0]


def test_a_second_window_takes_the_folder_over_when_the_first_closes(
    qtbot: QtBot, make_window: Callable[..., MainWindow], fake_clock: FakeClock
) -> None:
    store = FakeStore(
        read_only_reason="another Tempo Coach (pid 7) is running", waiting_for_lock=True
    )
    window = make_window(store=store)
    timer = window.training._take_over_timer
    assert timer.isActive() and timer.interval() == 5000
    assert "Read-only" in window.banner.text()
    window.training._on_take_over_timer_timeout()  # the other one still runs
    assert store.read_only and timer.isActive()
    store.lock_free = True  # it closed
    window.training._on_take_over_timer_timeout()
    assert not store.read_only and not timer.isActive()
    assert "Read-only" not in window.banner.text()
    assert "saves again" in window.statusBar().currentMessage()
    choose(window, SQUAT, reps=1, sets=1, rest=0)
    window.start_session()
    run_for(window, fake_clock, 10)
    finish_dialog(window).accept()
    assert window.writer.wait_idle()
    assert len(store.sessions) == 1, "saved now"


class ChangingFailure(FakeStore):
    """Each checkpoint fails with a message of its own (a temporary file's name in it)."""

    def __init__(self) -> None:
        super().__init__()
        self.tries = 0

    def checkpoint(self, record: SessionRecord) -> None:
        self.tries += 1
        raise OSError(f"Permission denied: 'checkpoint.json.tmp{self.tries}'")


def test_a_failing_checkpoint_is_one_notice_whatever_its_message(
    qtbot: QtBot, make_window: Callable[..., MainWindow], fake_clock: FakeClock
) -> None:
    store = ChangingFailure()
    window = make_window(store=store)
    choose(window, SQUAT, reps=3, sets=1, rest=0)
    window.start_session()
    run_for(window, fake_clock, 14)
    assert window.writer.wait_idle()
    qtbot.waitUntil(lambda: "Permission denied" in window.banner.text())
    assert store.tries >= 2
    assert window.banner.text().count("Permission denied") == 1
    window.runner.stop()
    window.finish_dialog and window.finish_dialog.reject()
