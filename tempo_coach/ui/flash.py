"""A flash of the whole window at each phase change, for gyms too loud to hear the cue
(the "flash" preference, off by default).

``PhaseFlash`` is a child of the top-level window laid over all of it (menu bar, tabs and
status bar too), kept to the window's size by an event filter. It shows the phase's colour
as one solid block for ``FLASH_MS`` with the phase's word in the middle, then hides: two
repaints a flash, no animation. It never takes the focus and lets every mouse event through,
so the keys keep driving the window while it shows.

Never more than three flashes a second: a flash starts only if at least a third of a second
(333.3 ms) has passed on the given clock since the last one started. One that comes sooner
is dropped, not queued (the next phase change flashes again). Exactly 333 ms after the last
start is too soon: four flashes at 0, 333, 666 and 999 ms would be four within one second.
The limit follows the three-flashes threshold of WCAG 2.3.1; none of the phase colours is a
saturated red.

There is no portable way to ask Qt for the system's "reduce motion" setting, so the flash
does not look for one: it is off unless the lifter turns it on, and a single solid block is
all it does.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer, Slot
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from tempo_coach.core.clock import Clock, MonotonicClock
from tempo_coach.core.tempo import Phase
from tempo_coach.ui import look

FLASH_MS = 180  # how long one flash shows
MIN_GAP_S = 1 / 3  # between the starts of two flashes: at most three a second
_SLACK_S = 1e-6  # a float clock's rounding must not drop a flash exactly a third apart

# The reset of a negative-only set is cued like the lift it replaces.
_FALLBACK = {Phase.RESET: Phase.CONCENTRIC}
# Used when no phase is given: white with a black frame shows on every theme.
PLAIN_LOOK = look.PhaseLook("", "#ffffff", "#000000")


def phase_look(phase: Phase) -> look.PhaseLook:
    """The look a phase flashes in (its band colour and word, as on the rep timer)."""
    found = look.PHASE_LOOKS.get(phase) or look.PHASE_LOOKS.get(_FALLBACK.get(phase, phase))
    return found if found is not None else PLAIN_LOOK


class PhaseFlash(QWidget):
    """Lay over ``window`` and flash it; ``follow(phase)`` on each view update is all the
    window needs to call."""

    def __init__(
        self,
        window: QWidget,
        clock: Clock | None = None,
        *,
        enabled: bool = False,
        duration_ms: int = FLASH_MS,
    ) -> None:
        super().__init__(window)
        self.setObjectName("phase_flash")
        self.setAccessibleName("Phase flash")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # nothing below is drawn
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hide()
        self._window = window
        self._clock: Clock = clock if clock is not None else MonotonicClock()
        self._enabled = enabled
        self._look = PLAIN_LOOK
        self._last_start: float | None = None
        self._last_phase: Phase | None = None
        self.shown = 0  # flashes started
        self.dropped = 0  # flashes refused for coming too soon
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(duration_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.setGeometry(window.rect())
        window.installEventFilter(self)

    # -- what the window calls --------------------------------------------------------------

    @property
    def enabled(self) -> bool:
        return self._enabled

    @enabled.setter
    def enabled(self, on: bool) -> None:
        self._enabled = on
        if not on:
            self.end()

    @property
    def timer(self) -> QTimer:
        """The single-shot timer that ends a flash (tests end it with ``end()``)."""
        return self._timer

    @property
    def showing(self) -> bool:
        return self.isVisible()

    def follow(self, phase: Phase | None) -> bool:
        """Flash if ``phase`` differs from the one last followed; ``None`` (no session, or
        it is over) only forgets it. True when a flash started."""
        changed = phase is not None and phase is not self._last_phase
        self._last_phase = phase
        return changed and phase is not None and self.flash(phase)

    def flash(self, phase: Phase | None = None) -> bool:
        """Flash now in ``phase``'s look (white when none), unless off or too soon after the
        last flash. True when it started."""
        if not self._enabled:
            return False
        now = self._clock.now()
        if self._last_start is not None and now - self._last_start < MIN_GAP_S - _SLACK_S:
            self.dropped += 1
            return False
        self._last_start = now
        self.shown += 1
        self._look = phase_look(phase) if phase is not None else PLAIN_LOOK
        self.setGeometry(self._window.rect())
        self.raise_()
        self.show()
        self.update()
        self._timer.start()
        return True

    def end(self) -> None:
        """Hide a flash now (as its timer would)."""
        self._timer.stop()
        self.hide()

    # -- Qt --------------------------------------------------------------------------------

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # getattr: Qt may deliver an event while __init__ has not set ``_window`` yet.
        if watched is getattr(self, "_window", None):
            kind = event.type()
            if kind == QEvent.Type.Resize:
                self.setGeometry(self._window.rect())
            elif kind in (QEvent.Type.Hide, QEvent.Type.Close):
                self.end()
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.rect()
        fill = QColor(self._look.colour)
        ink = QColor(self._look.text_colour)
        painter.fillRect(rect, fill)
        # A frame in the text colour: a light flash still shows on a light theme.
        frame = max(6, min(rect.width(), rect.height()) // 30)
        painter.fillRect(QRect(0, 0, rect.width(), frame), ink)
        painter.fillRect(QRect(0, rect.height() - frame, rect.width(), frame), ink)
        painter.fillRect(QRect(0, 0, frame, rect.height()), ink)
        painter.fillRect(QRect(rect.width() - frame, 0, frame, rect.height()), ink)
        word = self._look.word
        if word:
            font = QFont(self.font())
            font.setBold(True)
            font.setPixelSize(max(12, rect.height() // 4))
            width = QFontMetrics(font).horizontalAdvance(word)
            room = rect.width() * 0.8
            if width > room:
                font.setPixelSize(max(12, int(font.pixelSize() * room / width)))
            painter.setFont(font)
            painter.setPen(ink)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, word)
        painter.end()


__all__ = ["FLASH_MS", "MIN_GAP_S", "PLAIN_LOOK", "PhaseFlash", "phase_look"]
