"""The phase flash on a real QMainWindow: it covers the whole window, never takes the keys,
flashes at most three times a second on a fake clock, can be off, and hides again."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QColor, QKeyEvent, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from tempo_coach.core.clock import FakeClock
from tempo_coach.core.session import SessionStatus
from tempo_coach.core.tempo import Phase
from tempo_coach.ui.flash import MIN_GAP_S, PLAIN_LOOK, PhaseFlash, phase_look
from tempo_coach.ui.look import PHASE_LOOKS
from tempo_coach.ui.main_window import MainWindow
from tempo_coach.ui.runner import ViewState
from tests.ui.helpers import run_until


class KeyCatcher(QWidget):
    """The window's focused widget: records the keys that reach it."""

    def __init__(self) -> None:
        super().__init__()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.keys: list[int] = []
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("the rep timer"))
        button = QPushButton("Start")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(button)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.keys.append(event.key())


def make_window(qtbot: QtBot) -> tuple[QMainWindow, KeyCatcher]:
    window = QMainWindow()
    window.menuBar().addMenu("&File")
    window.statusBar().showMessage("Ready")
    catcher = KeyCatcher()
    window.setCentralWidget(catcher)
    window.resize(640, 400)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    catcher.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is catcher)
    return window, catcher


def pixel(widget: QWidget, point: QPoint) -> str:
    return QColor(widget.grab().toImage().pixel(point)).name()


def test_covers_the_whole_window_after_a_resize(qtbot: QtBot, fake_clock: FakeClock) -> None:
    window, _ = make_window(qtbot)
    flash = PhaseFlash(window, fake_clock, enabled=True)
    window.resize(900, 620)
    qtbot.waitUntil(lambda: window.size().width() == 900)
    assert flash.flash(Phase.ECCENTRIC)
    assert flash.isVisible()
    assert flash.geometry() == window.rect()
    lower = PHASE_LOOKS[Phase.ECCENTRIC]
    menu = window.menuBar().geometry().center()
    status = window.statusBar().geometry().center()
    # The menu bar and the status bar are under the flash (its fill or its frame), and so
    # is the far corner of the grown window.
    for point in (QPoint(60, menu.y()), QPoint(60, status.y()), QPoint(840, 60)):
        assert pixel(window, point) in (lower.colour, lower.text_colour), point
    assert pixel(window, QPoint(840, 60)) == lower.colour
    window.resize(500, 300)
    qtbot.waitUntil(lambda: window.size().width() == 500)
    assert flash.geometry() == window.rect()
    flash.end()


def test_never_takes_the_keys(qtbot: QtBot, fake_clock: FakeClock) -> None:
    window, catcher = make_window(qtbot)
    shortcuts: list[str] = []
    pause = QAction("Pause", window)
    pause.setShortcut(QKeySequence("P"))
    pause.triggered.connect(lambda: shortcuts.append("P"))
    window.addAction(pause)
    flash = PhaseFlash(window, fake_clock, enabled=True)
    assert flash.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert flash.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    assert flash.flash(Phase.CONCENTRIC)
    qtbot.waitUntil(flash.isVisible)
    QApplication.processEvents()
    assert QApplication.focusWidget() is catcher
    # Pressed on the window itself: Qt routes each key as it would a real one (to a widget
    # grabbing the keyboard, else the focused one; shortcuts first).
    handle = window.windowHandle()
    assert handle is not None
    for k in (Qt.Key.Key_Space, Qt.Key.Key_B, Qt.Key.Key_P):
        QTest.keyClick(handle, k)
    assert catcher.keys == [Qt.Key.Key_Space, Qt.Key.Key_B]
    assert shortcuts == ["P"]
    # A click on the flash lands on what is under it.
    assert window.childAt(QPoint(320, 200)) is not flash
    flash.end()
    assert QApplication.focusWidget() is catcher


def test_four_phase_changes_within_a_second_give_three_flashes(
    qtbot: QtBot, fake_clock: FakeClock
) -> None:
    window, _ = make_window(qtbot)
    flash = PhaseFlash(window, fake_clock, enabled=True)
    started = []
    for at, phase in (
        (0.0, Phase.ECCENTRIC),
        (0.34, Phase.PAUSE_AFTER_ECCENTRIC),
        (0.50, Phase.CONCENTRIC),  # 160 ms after the last start: dropped
        (0.68, Phase.PAUSE_AFTER_CONCENTRIC),
    ):
        fake_clock.set(1000.0 + at)
        started.append(flash.follow(phase))
        flash.end()
    assert started == [True, True, False, True]
    assert (flash.shown, flash.dropped) == (3, 1)


def test_a_dropped_flash_is_not_queued(qtbot: QtBot, fake_clock: FakeClock) -> None:
    window, _ = make_window(qtbot)
    flash = PhaseFlash(window, fake_clock, enabled=True, duration_ms=20)
    assert flash.follow(Phase.ECCENTRIC)
    fake_clock.advance(0.1)
    assert not flash.follow(Phase.CONCENTRIC)
    qtbot.waitUntil(lambda: not flash.isVisible())
    fake_clock.advance(1.0)
    qtbot.wait(60)  # three flash lengths: a queued flash would be up by now
    assert not flash.isVisible()
    assert flash.shown == 1
    assert not flash.follow(Phase.CONCENTRIC)  # the same phase again: no change, no flash


def test_the_boundary_is_a_third_of_a_second(qtbot: QtBot, fake_clock: FakeClock) -> None:
    """333 ms is too soon (0, 333, 666 and 999 ms would be four flashes in one second);
    a third of a second, or 334 ms, is not."""
    window, _ = make_window(qtbot)
    flash = PhaseFlash(window, fake_clock, enabled=True)
    assert flash.flash()
    fake_clock.advance(0.333)
    assert not flash.flash()
    fake_clock.set(1000.0 + MIN_GAP_S)
    assert flash.flash()
    fake_clock.advance(0.334)
    assert flash.flash()
    flash.end()
    assert (flash.shown, flash.dropped) == (3, 1)


def test_a_third_of_a_second_on_a_rounding_clock(qtbot: QtBot) -> None:
    """On a float clock a third of a second can come out a hair short (1234.5 + 1/3 less
    1234.5 is 0.33333333333326): that is still a third, not a dropped flash."""
    clock = FakeClock(1234.5)
    window, _ = make_window(qtbot)
    flash = PhaseFlash(window, clock, enabled=True)
    assert flash.flash()
    clock.set(1234.5 + MIN_GAP_S)
    assert clock.now() - 1234.5 < MIN_GAP_S
    assert flash.flash()
    flash.end()


def test_never_more_than_three_in_any_second(qtbot: QtBot, fake_clock: FakeClock) -> None:
    """A change every 10 ms for 3 s: each second, however placed, holds at most three."""
    window, _ = make_window(qtbot)
    flash = PhaseFlash(window, fake_clock, enabled=True)
    phases = [Phase.ECCENTRIC, Phase.CONCENTRIC]
    starts = []
    for step in range(300):
        fake_clock.set(1000.0 + step / 100)
        if flash.follow(phases[step % 2]):
            starts.append(fake_clock.now())
        flash.end()
    assert len(starts) == 9
    for i, start in enumerate(starts):
        assert sum(1 for t in starts[i:] if t < start + 1.0) <= 3


def test_off_gives_no_flash(qtbot: QtBot, fake_clock: FakeClock) -> None:
    window, _ = make_window(qtbot)
    flash = PhaseFlash(window, fake_clock)
    assert not flash.enabled
    for phase in (Phase.ECCENTRIC, Phase.CONCENTRIC, Phase.REST):
        fake_clock.advance(1.0)
        assert not flash.follow(phase)
    QApplication.processEvents()
    assert not flash.isVisible()
    assert flash.shown == 0
    assert not flash.timer.isActive()


def test_turning_it_off_ends_a_flash(qtbot: QtBot, fake_clock: FakeClock) -> None:
    window, _ = make_window(qtbot)
    flash = PhaseFlash(window, fake_clock, enabled=True)
    assert flash.flash(Phase.REST)
    flash.enabled = False
    assert not flash.isVisible()
    assert not flash.timer.isActive()
    fake_clock.advance(1.0)
    assert not flash.flash(Phase.ECCENTRIC)
    flash.enabled = True
    assert flash.flash(Phase.ECCENTRIC)
    flash.end()


def test_hides_again_after_its_duration(qtbot: QtBot, fake_clock: FakeClock) -> None:
    window, _ = make_window(qtbot)
    flash = PhaseFlash(window, fake_clock, enabled=True, duration_ms=30)
    assert flash.flash(Phase.ECCENTRIC)
    assert flash.isVisible()
    assert flash.timer.isActive()
    assert flash.timer.isSingleShot()
    qtbot.waitUntil(lambda: not flash.isVisible(), timeout=1000)
    assert not flash.timer.isActive()


def test_a_flash_lasts_180_ms_by_default(qtbot: QtBot, fake_clock: FakeClock) -> None:
    window, _ = make_window(qtbot)
    flash = PhaseFlash(window, fake_clock, enabled=True)
    assert flash.flash()
    assert flash.timer.interval() == 180
    flash.end()
    assert not flash.isVisible()
    assert not flash.timer.isActive()


def test_hiding_the_window_ends_a_flash(qtbot: QtBot, fake_clock: FakeClock) -> None:
    window, _ = make_window(qtbot)
    flash = PhaseFlash(window, fake_clock, enabled=True)
    assert flash.flash(Phase.ECCENTRIC)
    window.hide()
    assert not flash.timer.isActive()
    assert not flash.isVisible()


def test_follow_flashes_on_changes_only(qtbot: QtBot, fake_clock: FakeClock) -> None:
    window, _ = make_window(qtbot)
    flash = PhaseFlash(window, fake_clock, enabled=True)
    seen = []
    for phase in (None, Phase.COUNT_IN, Phase.COUNT_IN, Phase.ECCENTRIC, None, Phase.ECCENTRIC):
        fake_clock.advance(0.5)
        seen.append(flash.follow(phase))
        flash.end()
    # None (no session) forgets the phase: the next session's first phase flashes again.
    assert seen == [False, True, False, True, False, True]


def test_each_phase_flashes_in_its_own_colour(qtbot: QtBot, fake_clock: FakeClock) -> None:
    window, _ = make_window(qtbot)
    flash = PhaseFlash(window, fake_clock, enabled=True)
    for phase in (Phase.COUNT_IN, Phase.ECCENTRIC, Phase.CONCENTRIC, Phase.REST):
        fake_clock.advance(1.0)
        assert flash.follow(phase)
        assert pixel(window, QPoint(60, 60)) == PHASE_LOOKS[phase].colour, phase
        flash.end()
    fake_clock.advance(1.0)
    assert flash.flash()
    assert pixel(window, QPoint(60, 60)) == PLAIN_LOOK.colour
    flash.end()


def test_every_phase_has_a_look() -> None:
    for phase in Phase:
        found = phase_look(phase)
        assert found.colour and found.text_colour and found.word, phase
    assert phase_look(Phase.RESET) == PHASE_LOOKS.get(Phase.RESET, PHASE_LOOKS[Phase.CONCENTRIC])


def test_on_the_real_window_each_phase_of_a_set_flashes_and_space_still_pauses(
    qtbot: QtBot, window: MainWindow, fake_clock: FakeClock
) -> None:
    """Wired as the window would: ``follow`` with every view state's phase. The squat's
    3-1-1-0 after a 3 s count-in: a flash at each of its phases, none in between."""
    flash = PhaseFlash(window, fake_clock, enabled=True)
    flashed: list[tuple[float, Phase | None]] = []

    def on_view(state: ViewState) -> None:
        if flash.follow(state.phase):
            flashed.append((round(fake_clock.now() - start, 2), state.phase))

    window.runner.view_changed.connect(on_view)
    assert window.picker.select("barbell-squat")
    window.setup.reps_box.setValue(2)
    window.setup.sets_box.setValue(1)
    window.setup.count_in_box.setValue(3)
    start = fake_clock.now()
    focused = QApplication.focusWidget() or window
    qtbot.keyClick(focused, Qt.Key.Key_Space)
    run_until(window, fake_clock, 12.5)
    assert [phase for _, phase in flashed] == [
        Phase.COUNT_IN,
        Phase.ECCENTRIC,
        Phase.PAUSE_AFTER_ECCENTRIC,
        Phase.CONCENTRIC,
        Phase.ECCENTRIC,
        Phase.PAUSE_AFTER_ECCENTRIC,
        Phase.CONCENTRIC,
    ]
    assert [t for t, _ in flashed] == [0, 3, 6, 7, 8, 11, 12]
    assert flash.isVisible(), "the lift at 12 s is still flashing"
    focused = QApplication.focusWidget() or window
    assert focused is not flash
    qtbot.keyClick(focused, Qt.Key.Key_Space)
    assert window.runner.status is SessionStatus.PAUSED
    window.runner.view_changed.disconnect(on_view)
    flash.end()
