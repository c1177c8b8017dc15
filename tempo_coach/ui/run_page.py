"""The run page: the rep timer, a short acknowledgement of each change of the count, and,
under it, one big button per session action.

The buttons come from ``actions.ACTIONS`` (label and key), so a button always names the key
that does the same; a click is forwarded as the action (``action_requested``).
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from tempo_coach.core.session import SessionStatus
from tempo_coach.core.tempo import Phase
from tempo_coach.ui.actions import ACTIONS, SPECS, KeyAction, button_text
from tempo_coach.ui.rep_view import RepTimerView, seconds_text
from tempo_coach.ui.runner import CountChange, ViewState

ACK_MS = 2500  # how long a count change stays acknowledged on screen


def count_change_text(change: CountChange) -> str:
    where = f"set {change.set_number}, rep {change.rep}"
    now = "  ·  this lowering keeps its count" if change.running_now else ""
    return (
        f"Lowering {seconds_text(change.from_ms)} → {seconds_text(change.to_ms)} from {where}{now}"
    )


def big_button(text: str, accessible: str) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(accessible)
    button.setMinimumHeight(72)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    font = button.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)
    font.setBold(True)
    button.setFont(font)
    return button


class RunPage(QWidget):
    action_requested = Signal(object)  # KeyAction

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rep_view = RepTimerView()
        self.run_buttons = QWidget()
        self.run_buttons.setObjectName("run_buttons")
        grid = QGridLayout(self.run_buttons)
        grid.setContentsMargins(8, 8, 8, 8)
        self.buttons: dict[KeyAction, QPushButton] = {}
        for spec in ACTIONS:
            if not spec.button:
                continue
            button = big_button(button_text(spec), spec.help[:1].upper() + spec.help[1:])
            button.setProperty("key_action", spec.action.value)
            button.clicked.connect(self._on_button_clicked)
            grid.addWidget(button, 0, len(self.buttons))
            self.buttons[spec.action] = button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.rep_view, 1)
        layout.addWidget(self.run_buttons)
        self._ack_timer = QTimer(self)
        self._ack_timer.setSingleShot(True)
        self._ack_timer.setInterval(ACK_MS)
        self._ack_timer.timeout.connect(self._on_ack_timer_timeout)

    def acknowledge(self, text: str) -> None:
        """Show ``text`` under the count for a moment (a change of the count, a refusal)."""
        self.rep_view.show_ack(text)
        self._ack_timer.start()

    def stop(self) -> None:
        self._ack_timer.stop()

    @Slot()
    def _on_ack_timer_timeout(self) -> None:
        self.rep_view.show_ack("")

    def show_state(self, state: ViewState) -> None:
        self.rep_view.show_state(state)
        self.set_start_label("Resume" if state.status is SessionStatus.PAUSED else "Pause")
        self.buttons[KeyAction.SKIP_REST].setEnabled(state.phase is Phase.REST)

    def set_start_label(self, label: str) -> None:
        """ "Start", "Pause" or "Resume", with the key."""
        spec = SPECS[KeyAction.START_PAUSE]
        self.buttons[KeyAction.START_PAUSE].setText(button_text(spec, label))

    @Slot()
    def _on_button_clicked(self) -> None:
        button = self.sender()
        if isinstance(button, QPushButton):
            self.action_requested.emit(KeyAction(button.property("key_action")))
