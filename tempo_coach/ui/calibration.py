"""Tap calibration: the lifter taps along with eight ticks, and the app learns their offset.

The ticks are the count-in of a short session played by the real cue output, so they are
heard exactly as a set's cues are, and a tap is timed on the same clock as in a set (the
output's, which follows the sound heard). The offset found (``core.taps.calibrate``) holds
the output's latency and the lifter's own reaction; tap mode takes it off every tap. What is
left, the spread of the taps, is shown as the remaining error.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tempo_coach.core.exercise import Exercise
from tempo_coach.core.output import CueOutput
from tempo_coach.core.session import Session, SessionStatus
from tempo_coach.core.taps import (
    CALIBRATION_INTERVAL_MS,
    CALIBRATION_TICKS,
    Calibration,
    CalibrationError,
    calibrate,
)
from tempo_coach.core.tempo import parse_tempo
from tempo_coach.core.timeline import SetPlan

#: The count-in that carries the ticks: its first second is "get ready", then one tick a
#: second; the ticks tapped along with are seconds 1 to 8.
_COUNT_IN_MS = (CALIBRATION_TICKS + 2) * CALIBRATION_INTERVAL_MS
_TICKS_MS = [k * CALIBRATION_INTERVAL_MS for k in range(1, CALIBRATION_TICKS + 1)]
_ENDS_MS = _TICKS_MS[-1] + 700  # the last tick's taps are in by then
POLL_MS = 50


class CalibrationDialog(QDialog):
    """Plays the ticks at ``start()``, collects the taps (the tap key or Space), and ends
    with ``result`` (a Calibration) or ``problem`` (what went wrong, in words)."""

    def __init__(
        self,
        parent: QWidget | None,
        output: CueOutput,
        exercise: Exercise,
        tap_key: Qt.Key,
        *,
        keep: Callable[[Calibration], None],
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Calibrate the tap key")
        self.setObjectName("calibration_dialog")
        self._output = output
        self._tap_keys = {tap_key, Qt.Key.Key_Space}
        self._keep = keep
        plan = SetPlan.from_exercise(
            exercise,
            tempo=parse_tempo("3-0-1-0"),
            reps=1,
            sets=1,
            rest_ms=0,
            count_in_ms=_COUNT_IN_MS,
        )
        self.session = Session(plan, output.clock, commit_horizon_ms=output.horizon_ms)
        self.taps_ms: list[int] = []
        self.found: Calibration | None = None
        self.problem = ""

        self.text = QLabel(
            f'After "get ready", tap your tap key (or Space) exactly with each of the '
            f"{CALIBRATION_TICKS} ticks you hear, the way you will tap at the end of a "
            "lowering. Use the device you will train with (Bluetooth headphones add a delay)."
        )
        self.text.setWordWrap(True)
        self.progress = QLabel("Ready")
        self.progress.setWordWrap(True)  # the result is a sentence: it must fit the screen
        self.progress.setObjectName("calibration_progress")
        self.progress.setAccessibleName("Calibration progress")
        font = self.progress.font()
        font.setPointSizeF(font.pointSizeF() * 2)
        font.setBold(True)
        self.progress.setFont(font)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.keep_button = self.buttons.addButton(
            "Keep this offset", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.keep_button.setEnabled(False)
        # Space and the tap key are taps here: no button may take them (a focused Cancel
        # would close the dialog at the first Space). Enter keeps a result, Esc cancels.
        for button in self.buttons.buttons():
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.poll)

    def start(self) -> None:
        self.setFocus()
        self.session.start()
        self._output.begin(self.session)
        self._timer.start()
        self.poll()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.isAutoRepeat():
            return
        key = Qt.Key(event.key())
        if key in self._tap_keys:
            if self.session.status is SessionStatus.RUNNING and self.found is None:
                self.taps_ms.append(self.session.session_ms())
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._on_buttons_accepted()  # keeps a result; nothing before there is one
            return
        super().keyPressEvent(event)

    @Slot()
    def poll(self) -> None:
        """Look at the ticks' progress; after the last tick, end and work out the offset."""
        if self.session.status is not SessionStatus.RUNNING:
            return
        self.session.poll()
        t = self.session.session_ms()
        heard = sum(1 for tick in _TICKS_MS if tick <= t)
        self.progress.setText(f"Tick {heard} of {CALIBRATION_TICKS}" if heard else "Get ready")
        if t >= _ENDS_MS:
            self._finish()

    def _finish(self) -> None:
        self._timer.stop()
        self.session.abort()
        self._output.end()
        try:
            self.found = calibrate(_TICKS_MS, self.taps_ms)
        except CalibrationError as error:
            self.problem = f"Not measured: {error}. Try again."
            self.progress.setText(self.problem)
            return
        self.progress.setText(self.found.text())
        self.keep_button.setEnabled(True)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        if self.found is not None:
            self._keep(self.found)
            self.accept()

    def done(self, code: int) -> None:
        if self.session.status is SessionStatus.RUNNING:
            self._timer.stop()
            self.session.abort()
            self._output.end()
        super().done(code)
