"""The rep timer view: what the lifter reads from three metres away.

The phase in a bold word on a coloured band, the count inside the phase as a huge number,
a progress bar through the phase, and a line of facts (rep, set, side, time under tension,
the lowering count). During rest the count is the countdown to the next set. The view only
displays a ``ViewState``; text sizes follow the widget's size. Gym mode (F11) uses pure
black and white with yellow, and larger type.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QSizePolicy, QVBoxLayout, QWidget

from tempo_coach.core.session import SessionStatus
from tempo_coach.core.tempo import Phase
from tempo_coach.ui import look
from tempo_coach.ui.runner import PROGRESS_STEPS, ViewState


def seconds_text(ms: int) -> str:
    text = f"{ms / 1000:.1f}".rstrip("0").rstrip(".")
    return f"{text} s"


def fit(text: str, width: float, *, bold: bool = True) -> float:
    """The largest pixel size at which ``text`` is at most ``width`` pixels wide."""
    font = QFont()
    font.setPixelSize(100)
    font.setBold(bold)
    advance = QFontMetricsF(font).horizontalAdvance(text)
    return 100 * width / advance if advance > 0 else width


class PhaseBar(QProgressBar):
    """A progress bar that paints itself with plain rectangles.

    It moves up to 25 times a second during a phase; drawn by the style sheet engine it cost
    about as much CPU as everything else in a running set (``bench/ui_cpu.py``), so it keeps
    QProgressBar's value and accessibility and draws itself. (Repainting only the strip
    that changed was tried and measured no better: the cost is per frame, not per pixel.)
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fill = QColor("#1f6fd1")
        self._track = QColor("#3a3f47")
        self._border = QColor("#f5f5f5")
        self._border_px = 1
        self._background = QColor("#16181c")
        self._be_opaque()

    def _be_opaque(self) -> None:
        # It paints every pixel (its corners too), so Qt need not repaint the window behind
        # it on every step. Polishing by a parent's style sheet clears the attribute, hence
        # setting it again after every polish (and after every new style sheet).
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.Polish:
            self._be_opaque()
        return handled

    def set_colours(
        self, fill: str, track: str, border: str, border_px: int, background: str
    ) -> None:
        self._fill, self._track, self._border = QColor(fill), QColor(track), QColor(border)
        self._background = QColor(background)
        self._be_opaque()  # the style sheet that came with these colours re-polished it
        self._border_px = border_px
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        # Plain rectangles without antialiasing: a rounded antialiased bar cost 0.13 ms a
        # frame, a third of a running set's CPU.
        painter = QPainter(self)
        rect = self.rect()
        border = self._border_px
        painter.fillRect(rect, self._border)
        inner = rect.adjusted(border, border, -border, -border)
        painter.fillRect(inner, self._track)
        span = self.maximum() - self.minimum()
        share = (self.value() - self.minimum()) / span if span > 0 else 0.0
        if share > 0:
            filled = QRect(inner)
            filled.setWidth(round(inner.width() * share))
            painter.fillRect(filled, self._fill)
        painter.end()


class RepTimerView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rep_view")
        self.setAccessibleName("Rep timer")
        self._gym = False
        self._background = QColor(look.STAGE_BACKGROUND)
        self._look = look.IDLE_LOOK
        self._state: ViewState | None = None

        self.phase_label = QLabel("READY")
        self.phase_label.setObjectName("phase_label")
        self.phase_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.phase_label.setAccessibleName("Phase")
        self.detail_label = QLabel("")
        self.detail_label.setObjectName("detail_label")
        self.detail_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail_label.setAccessibleName("Phase detail")
        self.count_label = QLabel("–")
        self.count_label.setObjectName("count_label")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.count_label.setAccessibleName("Count")
        # Ignored both ways: the count takes the room left, and its font follows that room
        # (a count that asked for room of its own would grow the window in gym mode).
        self.count_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.count_label.setMinimumHeight(60)
        self.count_label.installEventFilter(self)
        self.progress = PhaseBar()
        self.progress.setObjectName("phase_progress")
        self.progress.setRange(0, PROGRESS_STEPS)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName("Progress through the phase")

        self.rep_label = self._fact("rep_label", "Rep")
        self.set_label = self._fact("set_label", "Set")
        self.side_label = self._fact("side_label", "Side")
        self.tut_label = self._fact("tut_label", "Time under tension")
        self.lowering_label = self._fact("lowering_label", "Lowering count")
        facts = QHBoxLayout()
        facts.setSpacing(24)
        for label in (
            self.rep_label,
            self.set_label,
            self.side_label,
            self.tut_label,
            self.lowering_label,
        ):
            facts.addWidget(label, 1)

        self.ack_label = QLabel("")
        self.ack_label.setObjectName("ack_label")
        self.ack_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.ack_label.setAccessibleName("Last change")
        self.ack_label.setWordWrap(True)
        self.hint_label = QLabel(
            "Space pause  ·  ↑ ↓ lowering count  ·  S skip rest  ·  Enter end set  ·  Esc stop"
        )
        self.hint_label.setObjectName("hint_label")
        self.hint_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint_label.setAccessibleName("Keys")
        self.hint_label.setWordWrap(True)

        # Sizes come from the view, not from the text: a count going from 9 to 10 must not
        # re-lay out (and repaint) the window.
        for label in (
            self.phase_label,
            self.detail_label,
            self.rep_label,
            self.set_label,
            self.side_label,
            self.tut_label,
            self.lowering_label,
            self.ack_label,
        ):
            label.setSizePolicy(QSizePolicy.Policy.Ignored, label.sizePolicy().verticalPolicy())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.addWidget(self.phase_label)
        layout.addWidget(self.detail_label)
        layout.addWidget(self.count_label, 1)
        layout.addWidget(self.progress)
        layout.addSpacing(8)
        layout.addLayout(facts)
        layout.addWidget(self.ack_label)
        layout.addWidget(self.hint_label)
        self._apply_style()
        self._scale_fonts()

    def _fact(self, name: str, accessible: str) -> QLabel:
        label = QLabel("")
        label.setObjectName(name)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setAccessibleName(accessible)
        return label

    # -- showing ---------------------------------------------------------------------------

    def show_idle(self, title: str, detail: str) -> None:
        self._state = None
        self._set_look(look.IDLE_LOOK, title)
        self.detail_label.setText(detail)
        self.count_label.setText("–")
        self.progress.setValue(0)

    def show_state(self, state: ViewState) -> None:
        self._state = state
        if state.status is SessionStatus.FINISHED or (
            state.status is SessionStatus.ABORTED and state.phase is None
        ):
            self._set_look(look.DONE_LOOK, "DONE")
            self.detail_label.setText("Session over")
        elif state.phase is None:
            self._set_look(look.IDLE_LOOK, "READY")
        else:
            phase_look = look.PHASE_LOOKS[state.phase]
            word = phase_look.word
            if state.status is SessionStatus.PAUSED:
                word = f"PAUSED · {word}"
            self._set_look(phase_look, word)
            self.detail_label.setText(self._detail(state))
        self.count_label.setText("–" if state.count is None else str(state.count))
        self.progress.setValue(state.progress_steps)
        self.rep_label.setText(f"REP {state.rep if state.rep is not None else '–'} / {state.reps}")
        self.set_label.setText(f"SET {state.set_number} / {state.sets}")
        self.side_label.setText(f"SIDE {state.side.value.upper()}" if state.side else "")
        if self.side_label.isVisibleTo(self) != (state.side is not None):
            self.side_label.setVisible(state.side is not None)
            self._scale_fonts()  # four or five facts share the row
        self.tut_label.setText(f"TUT {state.time_under_tension_s} s")
        self.lowering_label.setText(f"LOWERING {seconds_text(state.eccentric_ms)}")

    def _detail(self, state: ViewState) -> str:
        if state.phase is Phase.REST:
            return f"next: set {state.set_number} of {state.sets}  ·  S skips the rest"
        if state.phase is Phase.COUNT_IN:
            return "the first rep starts after the countdown"
        side = f"  ·  {state.side.value} side" if state.side else ""
        return f"{state.phase_name}{side}"

    def show_ack(self, text: str) -> None:
        self.ack_label.setText(text)

    def set_gym_mode(self, on: bool) -> None:
        self._gym = on
        self._apply_style()
        self._scale_fonts()

    @property
    def gym_mode(self) -> bool:
        return self._gym

    @property
    def state(self) -> ViewState | None:
        return self._state

    # -- looking good ----------------------------------------------------------------------

    def _set_look(self, phase_look: look.PhaseLook, word: str) -> None:
        self.phase_label.setText(word)
        if phase_look != self._look:
            self._look = phase_look
            self._apply_style()

    def _apply_style(self) -> None:
        background = look.GYM_BACKGROUND if self._gym else look.STAGE_BACKGROUND
        text = look.GYM_TEXT if self._gym else look.STAGE_TEXT
        muted = look.GYM_MUTED if self._gym else look.STAGE_MUTED
        band = self._look
        border = 4 if self._gym else 0
        self.setStyleSheet(
            f"""
            QLabel {{ color: {text}; background: transparent; }}
            QLabel#phase_label {{
                background: {band.colour}; color: {band.text_colour};
                border: {border}px solid {text}; border-radius: 10px; padding: 4px 12px;
            }}
            QLabel#detail_label, QLabel#hint_label {{ color: {muted}; }}
            QLabel#ack_label {{ color: {look.GYM_MUTED}; }}
            """
        )
        self._background = QColor(background)
        self.progress.set_colours(band.colour, "#3a3f47", text, max(1, border), background)
        # paintEvent fills the whole view, so the window behind need not be repainted
        # whenever a label here changes (a new style sheet clears the flag).
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)

    def paintEvent(self, event: QPaintEvent) -> None:
        # Opaque widgets get no background from Qt (not even the style sheet's), so the view
        # paints its own; the labels on it are transparent.
        painter = QPainter(self)
        painter.fillRect(event.rect(), self._background)
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._scale_fonts()

    def _scale_fonts(self) -> None:
        """Text follows the widget's size (gym mode is larger still), and never more than
        fits: the longest text each place can show is measured at the chosen size."""
        height = max(200, self.height())
        width = max(300, self.width() - 40)
        unit = min(height / 100, width / 160) * (1.15 if self._gym else 1.0)
        self._font(self.phase_label, min(unit * 11, fit("PAUSED · GET READY", width * 0.9)))
        self._font(self.detail_label, unit * 4, bold=False)
        self._fit_count()
        facts = [self.rep_label, self.set_label, self.tut_label, self.lowering_label]
        if self.side_label.isVisibleTo(self):
            facts.append(self.side_label)
        # Each fact gets an equal share of the row (margins 2 x 16, spacing 24 between).
        share = (self.width() - 32 - 24 * (len(facts) - 1)) / len(facts) - 4
        fact_px = min(unit * 5, fit("LOWERING 30 s", max(40.0, share)))
        for label in (*facts, self.side_label):
            self._font(label, fact_px)
        self._font(self.ack_label, unit * 4.5)
        self._font(self.hint_label, unit * 2.6, bold=False)
        self.progress.setFixedHeight(max(12, int(unit * 3.2)))

    def _fit_count(self) -> None:
        """The count fills the room the layout left it: as tall as fits, three digits wide."""
        room = max(60, self.count_label.height())
        width = max(300, self.width() - 40)
        self._font(self.count_label, min(room / 1.2, fit("888", width * 0.9)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.count_label and event.type() == QEvent.Type.Resize:
            self._fit_count()
        return False

    @staticmethod
    def _font(label: QLabel, pixels: float, *, bold: bool = True) -> None:
        font = QFont(label.font())
        font.setPixelSize(max(10, int(pixels)))
        font.setBold(bold)
        if font != label.font():
            label.setFont(font)
