"""The rep timer view: what the lifter reads from three metres away.

The phase in a bold word on a coloured band, the count inside the phase as a huge number,
a progress bar through the phase, and a line of facts (rep, set, side, time under tension,
the lowering count). During rest the count is the countdown to the next set. The view only
displays a ``ViewState``; text sizes follow the widget's size. Gym mode (F11) uses pure
black and white with yellow, and larger type.
"""

from __future__ import annotations

from dataclasses import replace
from math import ceil

from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt
from PySide6.QtGui import (
    QAccessible,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QShowEvent,
)
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
    """A progress bar from 0 to ``steps`` that paints itself with plain rectangles and
    repaints only what moved.

    It keeps QProgressBar for its role and accessible value, but not its ``setValue``: that
    repaints at once (``QWidget::repaint``, a paint and a flush to the screen right there)
    whenever QProgressBar's own paintEvent has not drawn the value, which is every step of a
    bar that draws itself, after asking the style for the groove. Here a new value asks only
    for the strip between the old and the new end of the fill to be painted with the next
    frame, from geometry kept in plain numbers (a step is the most frequent thing the window
    does while a set runs). QProgressBar's own value follows only while an accessibility
    client listens.
    """

    def __init__(self, steps: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._steps = steps
        self.setRange(0, steps)
        super().setValue(0)
        self._value = 0
        self._fill = QColor("#1f6fd1")
        self._track = QColor("#3a3f47")
        self._border = QColor("#f5f5f5")
        self._border_px = 1
        self._measure()
        self._be_opaque()

    def _be_opaque(self) -> None:
        # It paints every pixel, so Qt need not repaint the view behind it on every step.
        # The style's polish clears the attribute (QFusionStyle does for a QProgressBar, a
        # style sheet for any widget), hence setting it again after every polish: the first
        # comes before the first show, a later one with a new style.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._be_opaque()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.StyleChange:
            self._be_opaque()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._measure()

    def _measure(self) -> None:
        border = self._border_px
        self._inner = self.rect().adjusted(border, border, -border, -border)
        self._left, self._top = self._inner.left(), self._inner.top()
        self._width, self._height = self._inner.width(), self._inner.height()

    def _filled(self, value: int) -> int:
        return self._width * value // self._steps

    def value(self) -> int:
        return self._value

    def setValue(self, value: int) -> None:
        value = min(self._steps, max(0, value))
        old = self._value
        if value == old:
            return
        self._value = value
        if QAccessible.isActive():
            super().setValue(value)  # what a screen reader reads
        a, b = self._filled(old), self._filled(value)
        if a != b:
            self.update(self._left + min(a, b), self._top, abs(a - b), self._height)

    def set_colours(self, fill: str, track: str, border: str, border_px: int) -> None:
        colours = (QColor(fill), QColor(track), QColor(border))
        if colours == (self._fill, self._track, self._border) and border_px == self._border_px:
            return
        self._fill, self._track, self._border = colours
        self._border_px = border_px
        self._measure()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        # Plain rectangles without antialiasing: a rounded antialiased bar cost 0.13 ms a
        # frame. Qt clips to the strip asked for, so a step fills a few pixels.
        painter = QPainter(self)
        painter.fillRect(self.rect(), self._border)
        painter.fillRect(self._inner, self._track)
        filled = self._filled(self._value)
        if filled > 0:
            painter.fillRect(self._left, self._top, filled, self._height, self._fill)
        painter.end()


class Readout(QWidget):
    """One line of text (the count, the phase band, a fact) that the widget draws itself.

    A QLabel asks its layout for a new size on every new text; that request climbed through
    the view, the stacked pages and the tab widget to the window, and QTabWidget repaints
    itself (the buttons, the tab bar) on every layout request: 3.5 ms of a frame once or
    twice a second (``bench/ui_cpu.py``). A readout's size depends on its font only, so a new
    text repaints the readout and nothing else. It paints every pixel (opaque), so the view
    behind it is not repainted either. The band (the phase word) is a rounded box around
    the text in the phase's colour.
    """

    def __init__(self, name: str, accessible: str, text: str = "") -> None:
        super().__init__()
        self.setObjectName(name)
        self.setAccessibleName(accessible)
        self.setAccessibleDescription(text)
        self._text = text
        self._colour = QColor(look.STAGE_TEXT)
        self._background = QColor(look.STAGE_BACKGROUND)
        self._band: QColor | None = None
        self._border = QColor(look.STAGE_TEXT)
        self._border_px = 0
        self._be_opaque()

    def _be_opaque(self) -> None:
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:
        if text == self._text:
            return
        self._text = text
        self.setAccessibleDescription(text)  # the name says what it is, this what it says
        self.update()

    def set_colours(
        self,
        text: str,
        background: str,
        *,
        band: str | None = None,
        border: str | None = None,
        border_px: int = 0,
    ) -> None:
        colours = (
            QColor(text),
            QColor(background),
            QColor(band) if band is not None else None,
            QColor(border if border is not None else text),
            border_px,
        )
        if colours == (self._colour, self._background, self._band, self._border, self._border_px):
            return  # a new phase repaints only the readouts whose colours change
        resized = (self._band is None) != (band is None) or self._border_px != border_px
        self._colour, self._background, self._band, self._border, self._border_px = colours
        if resized:
            self.updateGeometry()  # the band and its border are part of the height
        self.update()

    def _padding(self) -> tuple[int, int]:
        """Horizontal and vertical room inside the band (none without a band)."""
        if self._band is None:
            return 0, 0
        return 12 + self._border_px, 4 + self._border_px

    def sizeHint(self) -> QSize:
        pad_x, pad_y = self._padding()
        return QSize(2 * pad_x, ceil(QFontMetricsF(self.font()).height()) + 2 * pad_y)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), self._background)
        area = self.rect()
        if self._band is not None:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            half = self._border_px / 2
            box = QRectF(area).adjusted(half, half, -half, -half)
            if self._border_px:
                painter.setPen(QPen(self._border, self._border_px))
            else:
                painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self._band)
            painter.drawRoundedRect(box, 10, 10)
            pad_x, pad_y = self._padding()
            area = area.adjusted(pad_x, pad_y, -pad_x, -pad_y)
        painter.setPen(self._colour)
        painter.setFont(self.font())
        painter.drawText(area, Qt.AlignmentFlag.AlignCenter, self._text)
        painter.end()


KEYS_HINT = "Space pause  ·  ↑ ↓ lowering count  ·  S skip rest  ·  Enter end set  ·  Esc stop"


class RepTimerView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rep_view")
        self.setAccessibleName("Rep timer")
        self._gym = False
        self._background = QColor(look.STAGE_BACKGROUND)
        self._look = look.IDLE_LOOK
        self._state: ViewState | None = None

        self.phase_label = Readout("phase_label", "Phase", "READY")
        self.detail_label = Readout("detail_label", "Phase detail")
        self.count_label = Readout("count_label", "Count", "–")
        # Ignored both ways: the count takes the room left, and its font follows that room
        # (a count that asked for room of its own would grow the window in gym mode).
        self.count_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.count_label.setMinimumHeight(60)
        self.count_label.installEventFilter(self)
        self.progress = PhaseBar(PROGRESS_STEPS)
        self.progress.setObjectName("phase_progress")
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName("Progress through the phase")

        self.rep_label = Readout("rep_label", "Rep")
        self.set_label = Readout("set_label", "Set")
        self.side_label = Readout("side_label", "Side")
        self.tut_label = Readout("tut_label", "Time under tension")
        self.lowering_label = Readout("lowering_label", "Lowering count")
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

        # The acknowledgement and the key hint wrap, so they stay labels; they change only
        # when the lifter acts.
        self.ack_label = QLabel("")
        self.ack_label.setObjectName("ack_label")
        self.ack_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.ack_label.setAccessibleName("Last change")
        self.ack_label.setWordWrap(True)
        self.hint_label = QLabel(KEYS_HINT)
        self.hint_label.setObjectName("hint_label")
        self.hint_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint_label.setAccessibleName("Keys")
        self.hint_label.setWordWrap(True)

        # Widths come from the view, not from the text.
        for widget in (self.phase_label, self.detail_label, *self._facts(), self.ack_label):
            widget.setSizePolicy(QSizePolicy.Policy.Ignored, widget.sizePolicy().verticalPolicy())
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

    def _facts(self) -> tuple[Readout, ...]:
        return (
            self.rep_label,
            self.set_label,
            self.side_label,
            self.tut_label,
            self.lowering_label,
        )

    # -- showing ---------------------------------------------------------------------------

    def show_idle(
        self,
        title: str,
        detail: str,
        *,
        reps: int | None = None,
        sets: int | None = None,
        eccentric_ms: int | None = None,
    ) -> None:
        """Nothing running: the title, a line, and the plan Space would start (no trace of
        the session before)."""
        self._state = None
        self._set_look(look.IDLE_LOOK, title)
        self.detail_label.setText(detail)
        self.count_label.setText("–")
        self.progress.setValue(0)
        self.rep_label.setText(f"REPS – / {reps}" if reps is not None else "REPS –")
        self.set_label.setText(f"SET – / {sets}" if sets is not None else "SET –")
        self.side_label.setText("")
        if self.side_label.isVisibleTo(self):
            self.side_label.setVisible(False)
            self._scale_fonts()
        self.tut_label.setText("TUT 0 s")
        self.lowering_label.setText(
            f"LOWERING {seconds_text(eccentric_ms)}" if eccentric_ms is not None else "LOWERING –"
        )

    def show_state(self, state: ViewState) -> None:
        before, self._state = self._state, state
        if before is not None and replace(before, progress_steps=state.progress_steps) == state:
            # Most looks in a phase move the bar only (bench/ui_cpu.py counts them).
            self.progress.setValue(state.progress_steps)
            return
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
        # Reps done, counted at the end of the lowering or of the lift (a preference);
        # in a rest the set label names the next set, so no count stands beside it.
        done = "–" if state.phase is Phase.REST else str(state.reps_done)
        self.rep_label.setText(f"REPS {done} / {state.reps}")
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

    def set_tap_key(self, key: str | None) -> None:
        """Name the tap key in the keys line while tap mode is on."""
        tap = f"  ·  {key} lowering ended" if key else ""
        self.hint_label.setText(KEYS_HINT + tap)

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
        # Colours, not a style sheet: a style sheet on the view made every label inside it
        # draw through the style sheet engine, and re-polished the widgets on every change.
        background = look.GYM_BACKGROUND if self._gym else look.STAGE_BACKGROUND
        text = look.GYM_TEXT if self._gym else look.STAGE_TEXT
        muted = look.GYM_MUTED if self._gym else look.STAGE_MUTED
        band = self._look
        border = 4 if self._gym else 0
        self.phase_label.set_colours(
            band.text_colour, background, band=band.colour, border=text, border_px=border
        )
        self.detail_label.set_colours(muted, background)
        for readout in (self.count_label, *self._facts()):
            readout.set_colours(text, background)
        for label, colour in ((self.ack_label, look.GYM_MUTED), (self.hint_label, muted)):
            palette = label.palette()
            if palette.color(QPalette.ColorRole.WindowText) != QColor(colour):
                palette.setColor(QPalette.ColorRole.WindowText, QColor(colour))
                label.setPalette(palette)  # set on the label: the window's theme keeps off it
        self.progress.set_colours(band.colour, "#3a3f47", text, max(1, border))
        # paintEvent fills the whole view, so the window behind need not be repainted.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        if self._background != QColor(background):
            self._background = QColor(background)
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        # Opaque widgets get no background from Qt, so the view paints its own; the two
        # labels on it are transparent.
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
    def _font(label: QWidget, pixels: float, *, bold: bool = True) -> None:
        font = QFont(label.font())
        font.setPixelSize(max(10, int(pixels)))
        font.setBold(bold)
        if font != label.font():
            label.setFont(font)
