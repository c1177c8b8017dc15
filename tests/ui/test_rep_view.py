"""The rep timer view shows the phase in words, the count, rep/set/side/TUT, and scales."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtGui import QAccessible, QColor, QImage, QPaintEvent
from PySide6.QtWidgets import QApplication, QProgressBar, QWidget
from pytestqt.qtbot import QtBot

from tempo_coach.core.clock import FakeClock
from tempo_coach.core.exercise import Side
from tempo_coach.core.session import SessionStatus
from tempo_coach.core.tempo import Phase
from tempo_coach.ui import look
from tempo_coach.ui.main_window import MainWindow
from tempo_coach.ui.rep_view import RepTimerView
from tempo_coach.ui.runner import PROGRESS_STEPS, ViewState
from tests.ui.helpers import run_for


def state(**changes: object) -> ViewState:
    values: dict[str, object] = {
        "status": SessionStatus.RUNNING,
        "phase": Phase.ECCENTRIC,
        "phase_name": "lower, one leg",
        "count": 3,
        "progress_steps": PROGRESS_STEPS // 2,
        "rep": 2,
        "reps": 8,
        "set_number": 1,
        "sets": 3,
        "side": Side.LEFT,
        "time_under_tension_s": 12,
        "eccentric_ms": 5000,
        "rest_remaining_s": None,
        "reps_done": 1,
    }
    values.update(changes)
    return ViewState(**values)  # type: ignore[arg-type]


def test_a_rep_phase(qtbot: QtBot) -> None:
    view = RepTimerView()
    qtbot.addWidget(view)
    view.show_state(state())
    assert view.phase_label.text() == "LOWER"
    assert "lower, one leg" in view.detail_label.text() and "left side" in view.detail_label.text()
    assert view.count_label.text() == "3"
    assert view.progress.value() == PROGRESS_STEPS // 2
    assert view.rep_label.text() == "REPS 1 / 8"  # rep 2 is under way: one done
    assert view.set_label.text() == "SET 1 / 3"
    assert view.side_label.text() == "SIDE LEFT"
    assert view.tut_label.text() == "TUT 12 s"
    assert view.lowering_label.text() == "LOWERING 5 s"


def test_rest_counts_down_to_the_next_set(qtbot: QtBot) -> None:
    view = RepTimerView()
    qtbot.addWidget(view)
    view.show_state(
        state(phase=Phase.REST, count=42, rep=None, set_number=2, side=None, rest_remaining_s=42)
    )
    assert view.phase_label.text() == "REST"
    assert view.count_label.text() == "42"
    assert "next: set 2 of 3" in view.detail_label.text()
    assert view.rep_label.text() == "REPS – / 8"
    assert view.side_label.isHidden()


def test_paused_and_done_say_so_in_words(qtbot: QtBot) -> None:
    view = RepTimerView()
    qtbot.addWidget(view)
    view.show_state(state(status=SessionStatus.PAUSED, phase=Phase.CONCENTRIC))
    assert view.phase_label.text() == "PAUSED · LIFT"
    view.show_state(state(status=SessionStatus.FINISHED, phase=None, count=None))
    assert view.phase_label.text() == "DONE"


def test_text_scales_with_the_window_and_gym_mode_is_larger(qtbot: QtBot) -> None:
    view = RepTimerView()
    qtbot.addWidget(view)
    view.resize(500, 350)
    view.show()
    small = view.count_label.font().pixelSize()
    view.resize(1600, 1000)
    qtbot.waitUntil(lambda: view.count_label.font().pixelSize() > small)
    large = view.count_label.font().pixelSize()
    assert large >= 2 * small
    assert large >= 300, "a count readable from three metres on a laptop screen"
    phase = view.phase_label.font().pixelSize()
    view.set_gym_mode(True)
    assert view.phase_label.font().pixelSize() > phase, "gym mode is larger still"
    assert view.count_label.font().pixelSize() >= 300


def rendered(view: RepTimerView) -> QImage:
    """The view drawn over magenta: any pixel it does not paint stays magenta."""
    image = QImage(view.size(), QImage.Format.Format_RGB32)
    image.fill(QColor("#ff00ff"))
    view.render(image)
    return image


def test_the_view_paints_its_whole_background(qtbot: QtBot) -> None:
    view = RepTimerView()
    qtbot.addWidget(view)
    view.resize(800, 500)
    view.show()
    view.show_state(state())
    image = rendered(view)
    corner = image.pixelColor(3, image.height() - 3).name()
    assert corner == look.STAGE_BACKGROUND, "an opaque view must paint behind its labels"
    band = image.pixelColor(view.phase_label.geometry().center().x(), view.phase_label.y() + 3)
    assert band.name() == look.PHASE_LOOKS[Phase.ECCENTRIC].colour
    view.set_gym_mode(True)
    assert rendered(view).pixelColor(3, image.height() - 3).name() == look.GYM_BACKGROUND


def test_the_longest_texts_fit_at_every_size(qtbot: QtBot) -> None:
    from PySide6.QtGui import QFontMetricsF

    view = RepTimerView()
    qtbot.addWidget(view)
    view.show()
    for width, height, gym in ((640, 400, False), (1100, 700, False), (1280, 800, True)):
        view.set_gym_mode(gym)
        view.resize(width, height)
        view.show_state(state(eccentric_ms=30_000, side=Side.RIGHT, count=888))
        qtbot.waitUntil(lambda w=width: abs(view.width() - w) < 2)
        for label in (view.lowering_label, view.side_label, view.count_label):
            needed = QFontMetricsF(label.font()).horizontalAdvance(label.text())
            assert needed <= label.width() + 1, (width, label.objectName(), label.text())


class PaintCounter(QObject):
    """Counts the paint events (and their rectangles) and layout requests of every widget."""

    def __init__(self) -> None:
        super().__init__()
        self.paints: list[tuple[str, QRect]] = []
        self.layout_requests: list[str] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QPaintEvent):
            self.paints.append((watched.objectName() or type(watched).__name__, event.rect()))
        elif event.type() == QEvent.Type.LayoutRequest:
            self.layout_requests.append(watched.objectName() or type(watched).__name__)
        return False

    def painted(self) -> set[str]:
        return {name for name, _ in self.paints}


@contextmanager
def counting_paints() -> Iterator[PaintCounter]:
    app = QApplication.instance()
    assert app is not None
    # What was asked before is laid out and painted before counting (a layout request
    # climbs one parent per round of the event loop).
    for _ in range(10):
        QApplication.processEvents()
    counter = PaintCounter()
    app.installEventFilter(counter)
    try:
        yield counter
        QApplication.processEvents()
    finally:
        app.removeEventFilter(counter)


def _shown_view(qtbot: QtBot) -> RepTimerView:
    """A rep view on screen at a fixed size, ready for counting repaints."""
    view = RepTimerView()
    qtbot.addWidget(view)
    view.resize(1000, 600)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_a_progress_step_repaints_only_a_strip_of_the_bar(qtbot: QtBot) -> None:
    view = _shown_view(qtbot)
    view.show_state(state(progress_steps=10))
    with counting_paints() as counter:
        for steps in (11, 12, 15):
            view.show_state(state(progress_steps=steps))
            QApplication.processEvents()
    assert counter.painted() == {"phase_progress"}, "not the count, the facts or the view"
    widths = [rect.width() for _, rect in counter.paints]
    bar = view.progress.width()
    assert len(widths) == 3 and max(widths) <= bar * 5 // PROGRESS_STEPS + 2, (widths, bar)
    assert view.progress.value() == 15


def test_a_new_count_repaints_the_count_and_nothing_else(qtbot: QtBot) -> None:
    view = _shown_view(qtbot)
    view.show_state(state(count=3, time_under_tension_s=12))
    with counting_paints() as counter:
        view.show_state(state(count=4, time_under_tension_s=13))
    assert counter.painted() == {"count_label", "tut_label"}
    assert counter.layout_requests == [], "a new text never re-lays out the view"
    assert view.count_label.text() == "4"


def test_a_running_set_repaints_nothing_outside_the_rep_view(
    qtbot: QtBot, window: MainWindow, fake_clock: FakeClock
) -> None:
    # A QLabel's new text re-laid out the window once or twice a second, and the tab widget
    # then repainted the buttons and the tab bar (3.5 ms a time, bench/ui_cpu.py).
    window.start_session()
    run_for(window, fake_clock, 4.5)  # the count-in, then into the first lowering
    with counting_paints() as counter:
        run_for(window, fake_clock, 6.0, step=0.1)  # a whole rep: counts, phases, TUT
    in_view = {w.objectName() for w in window.rep_view.findChildren(QWidget)}
    assert {"count_label", "phase_label", "tut_label", "phase_progress"} <= counter.painted()
    assert counter.painted() <= in_view, counter.painted() - in_view
    assert counter.layout_requests == []


def test_the_bar_keeps_its_accessible_value_while_a_screen_reader_listens(qtbot: QtBot) -> None:
    view = RepTimerView()
    qtbot.addWidget(view)
    bar = view.progress
    bar.setValue(20)
    assert bar.value() == 20
    assert QProgressBar.value(bar) == 0, "no one listens: QProgressBar's own value is not kept"
    QAccessible.setActive(True)
    try:
        bar.setValue(40)
        assert QProgressBar.value(bar) == 40
        interface = QAccessible.queryAccessibleInterface(bar)
        assert interface is not None and interface.role() == QAccessible.Role.ProgressBar
    finally:
        QAccessible.setActive(False)
    bar.setValue(500)
    assert bar.value() == PROGRESS_STEPS, "clamped to the range"
