"""The last 53 weeks as a calendar heatmap, and the week streak.

Public API (what the History tab calls)::

    panel = CalendarPanel(parent=None)
    panel.show_days(summaries, today, weekly_target=3)
    # summaries: Sequence[SessionSummary], every saved session (not the tab's date filter)
    # today: date, the local date (the tab reads the clock, the core never does)
    # weekly_target: training days a week that keep the streak going (1 to 7)

Each day is a square, Monday at the top, one column a week, the newest week on the right.
A day with time under tension is graded against the user's own days (``core.progress``):
level 1 to 4 is drawn both by colour and by **size** (a quarter-size square up to a full one),
so colour is never needed to read it; a day without a session is an empty outline. Hovering
a day shows its text; with the keyboard focus on the heatmap the arrow keys move a cursor
(Left/Right a week, Up/Down a day, Home/End) and its text becomes the accessible
description, so a screen reader reads the day and its week. A sentence under it says what
the whole year holds, and a line says the week streak.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QEvent, QPoint, QRectF, QSize, Qt
from PySide6.QtGui import (
    QAccessible,
    QAccessibleEvent,
    QColor,
    QFocusEvent,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolTip, QVBoxLayout, QWidget

from tempo_coach.core import progress
from tempo_coach.core.progress import HEAT_LEVELS, HeatDay, Heatmap, IsoWeek
from tempo_coach.core.records import SessionSummary
from tempo_coach.core.report import duration
from tempo_coach.ui.charts import is_dark

# Each level's colour on a light and on a dark background: at least 3:1 against it (checked
# by the tests), and each level is also a larger square than the one below.
LIGHT_LEVELS = ("#5b8fd6", "#3a78c9", "#1d4f99", "#0b2e66")
DARK_LEVELS = ("#4f86d0", "#5f95e6", "#8fb8f5", "#eaf2ff")
LIGHT_OUTLINE, DARK_OUTLINE = "#767676", "#8a8f98"
CELL, GAP = 13, 3
LEFT, TOP = 34, 18  # room for the weekday and month labels
WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def level_share(level: int) -> float:
    """How much of its cell a level's square fills (side): 0.4, 0.6, 0.8, 1.0."""
    return 0.2 + 0.2 * level


def day_text(day: HeatDay) -> str:
    """ "Mon 3 Nov 2025: 2 sessions, 24 min 10 s under tension (level 4 of 4)"."""
    when = f"{day.day:%a} {day.day.day} {day.day:%b %Y}"
    if day.future:
        return f"{when}: not yet"
    if not day.sessions:
        return f"{when}: no session"
    sessions = "1 session" if day.sessions == 1 else f"{day.sessions} sessions"
    return (
        f"{when}: {sessions}, {duration(day.tension_ms)} under tension "
        f"(level {day.level} of {HEAT_LEVELS})"
    )


def week_text(week: Sequence[HeatDay]) -> str:
    """ "Week 2025-W45: 3 training days, 62 min 10 s under tension"."""
    days = sum(1 for d in week if d.sessions)
    tension = sum(d.tension_ms for d in week)
    label = IsoWeek.of(week[0].day).label
    trained = "1 training day" if days == 1 else f"{days} training days"
    return f"Week {label}: {trained}, {duration(tension)} under tension"


def year_summary(heatmap: Heatmap) -> str:
    trained = [d for d in heatmap.days if d.sessions]
    if not trained:
        return "No sessions in the last 53 weeks."
    top = max(trained, key=lambda d: d.tension_ms)
    return (
        f"{len(trained)} training days in the last 53 weeks; the most time under tension in a "
        f"day: {duration(top.tension_ms)} on {top.day.isoformat()}. Larger, darker squares "
        f"mark more time under tension than most of your own days (by quarters)."
    )


def streak_text(streak: progress.Streak) -> str:
    target = f"{streak.target} or more training days"
    so_far = f"this week {streak.this_week_days} of {streak.target} so far"
    if streak.weeks == 0:
        return f"Week streak: none yet ({target} in a week start one); {so_far}."
    weeks = "1 week" if streak.weeks == 1 else f"{streak.weeks} weeks in a row"
    if streak.this_week_met:
        return f"Week streak: {weeks} with {target}, this week included."
    return f"Week streak: {weeks} with {target}; {so_far}."


class HeatmapView(QWidget):
    """The 53 × 7 squares; see the module's docstring."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heatmap: Heatmap | None = None
        self.current = 0  # the day the keyboard is on (an index into heatmap.days)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Training calendar, last 53 weeks")
        self.setMouseTracking(True)

    def set_heatmap(self, heatmap: Heatmap) -> None:
        self.heatmap = heatmap
        today = next(i for i, d in enumerate(heatmap.days) if d.day == heatmap.today)
        self._move_to(today)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        columns = progress.HEATMAP_WEEKS
        return QSize(LEFT + columns * (CELL + GAP), TOP + 7 * (CELL + GAP))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    # -- where things are ------------------------------------------------------------------

    def cell_rect(self, index: int) -> QRectF:
        column, row = divmod(index, 7)
        return QRectF(LEFT + column * (CELL + GAP), TOP + row * (CELL + GAP), CELL, CELL)

    def index_at(self, pos: QPoint) -> int | None:
        if self.heatmap is None:
            return None
        column, dx = divmod(pos.x() - LEFT, CELL + GAP)
        row, dy = divmod(pos.y() - TOP, CELL + GAP)
        if not (0 <= column < progress.HEATMAP_WEEKS and 0 <= row < 7):
            return None
        if dx >= CELL or dy >= CELL:
            return None
        return column * 7 + row

    def text_of(self, index: int) -> str:
        """A day's text and its week's, as the tooltip and the accessible description say."""
        assert self.heatmap is not None
        week = self.heatmap.days[index - index % 7 : index - index % 7 + 7]
        return f"{day_text(self.heatmap.days[index])}\n{week_text(week)}"

    def text_at(self, pos: QPoint) -> str | None:
        index = self.index_at(pos)
        return None if index is None else self.text_of(index)

    # -- the keyboard and the mouse ----------------------------------------------------------

    def _move_to(self, index: int) -> None:
        if self.heatmap is None:
            return
        last = max(i for i, d in enumerate(self.heatmap.days) if not d.future)
        self.current = max(0, min(last, index))
        self.setAccessibleDescription(self.text_of(self.current).replace("\n", ". "))
        if QAccessible.isActive():
            event = QAccessibleEvent(self, QAccessible.Event.DescriptionChanged)
            QAccessible.updateAccessibility(event)
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        steps = {
            Qt.Key.Key_Left: -7,
            Qt.Key.Key_Right: 7,
            Qt.Key.Key_Up: -1,
            Qt.Key.Key_Down: 1,
        }
        key = Qt.Key(event.key())
        if key in steps:
            self._move_to(self.current + steps[key])
        elif key == Qt.Key.Key_Home:
            self._move_to(0)
        elif key == Qt.Key.Key_End:
            self._move_to(len(self.heatmap.days) if self.heatmap else 0)
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.index_at(event.position().toPoint())
        if index is not None:
            self._move_to(index)
        super().mousePressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            text = self.text_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    # -- painting ----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.heatmap is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        dark = is_dark(palette.color(QPalette.ColorRole.Window))
        levels = DARK_LEVELS if dark else LIGHT_LEVELS
        outline = QColor(DARK_OUTLINE if dark else LIGHT_OUTLINE)
        text = palette.color(QPalette.ColorRole.WindowText)
        painter.setPen(text)
        font = painter.font()
        font.setPointSizeF(font.pointSizeF() * 0.8)
        painter.setFont(font)
        for row, name in enumerate(WEEKDAYS):
            if name:
                rect = QRectF(0, TOP + row * (CELL + GAP) - 2, LEFT - 4, CELL + 4)
                painter.drawText(
                    rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, name
                )
        for column, week in enumerate(self.heatmap.weeks):
            first = next((d.day for d in week if d.day.day == 1), None)
            if first is not None and column < progress.HEATMAP_WEEKS - 2:
                x = LEFT + column * (CELL + GAP)
                painter.drawText(QRectF(x, 0, 3 * (CELL + GAP), TOP - 2), MONTHS[first.month - 1])
        for index, day in enumerate(self.heatmap.days):
            if day.future:
                continue
            rect = self.cell_rect(index)
            painter.setPen(QPen(outline, 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
            if day.level:
                side = CELL * level_share(day.level)
                inner = QRectF(0, 0, side, side)
                inner.moveCenter(rect.center())
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(levels[day.level - 1]))
                painter.drawRect(inner)
        if self.hasFocus():
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self.cell_rect(self.current).adjusted(-2, -2, 2, 2))
        painter.end()


class LevelLegend(QWidget):
    """ "Less □ ▪ ◾ ◼ ■ More": the squares the heatmap draws, in order."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedSize(5 * (CELL + GAP), CELL + 2)
        self.setAccessibleName("From no session to level 4 of 4: larger and darker")

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        dark = is_dark(self.palette().color(QPalette.ColorRole.Window))
        levels = DARK_LEVELS if dark else LIGHT_LEVELS
        outline = QColor(DARK_OUTLINE if dark else LIGHT_OUTLINE)
        for level in range(HEAT_LEVELS + 1):
            rect = QRectF(level * (CELL + GAP), 1, CELL, CELL)
            painter.setPen(QPen(outline, 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
            if level:
                side = CELL * level_share(level)
                inner = QRectF(0, 0, side, side)
                inner.moveCenter(rect.center())
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(levels[level - 1]))
                painter.drawRect(inner)
        painter.end()


class CalendarPanel(QWidget):
    """The heatmap, its legend, a sentence, and the week streak: see the module."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel("<b>Last 53 weeks</b>")
        self.view = HeatmapView()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.streak = QLabel()
        self.streak.setWordWrap(True)
        legend = QHBoxLayout()
        legend.addWidget(QLabel("Less"))
        legend.addWidget(LevelLegend())
        legend.addWidget(QLabel("More"))
        legend.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.view)
        layout.addLayout(legend)
        layout.addWidget(self.summary)
        layout.addWidget(self.streak)
        layout.addStretch(1)

    def show_days(
        self, summaries: Sequence[SessionSummary], today: date, weekly_target: int = 3
    ) -> None:
        heatmap = progress.heatmap(summaries, today)
        self.view.set_heatmap(heatmap)
        self.summary.setText(year_summary(heatmap))
        self.view.setAccessibleName(f"Training calendar, last 53 weeks. {year_summary(heatmap)}")
        self.streak.setText(streak_text(progress.week_streak(summaries, today, weekly_target)))

    def today_text(self) -> str:
        """The text of the day under the keyboard cursor (today after ``show_days``)."""
        return self.view.text_of(self.view.current)
