"""Line and bar charts: the one module of the app that imports QtCharts.

QtCharts is deprecated since Qt 6.10 in favour of QtGraphs, whose 2-D charts need QML and
draw no grid offscreen, so every other module uses only this small API: a ``LineChart`` or a
``BarChart`` widget, ``set_series()`` with plain ``Series`` (numbers or dates on x), an
optional target band or line, and a tooltip with each point's own text on hover. Moving to
another chart library is a change to this file alone.

Colour never carries meaning alone: each series also has its own dash style (lines), marker
shape (points) or hatching (bars), and the legend names them. The colours are picked for the
widget's background (light or dark, from its palette) with a contrast of at least 3:1 against
it (WCAG 1.4.11, graphical objects); ``contrast()`` is what the tests check that with.

Why it is over 500 lines: it is the whole of our charting (lines, bars, markers, the target
band, hover texts, the palette's contrast rule) behind a small API, on purpose in one place,
so that moving to QtGraphs later touches this file only.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from PySide6.QtCharts import (
    QAbstractAxis,
    QAbstractSeries,
    QAreaSeries,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QDateTimeAxis,
    QLegend,
    QLineSeries,
    QScatterSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QEvent, QMargins, QPoint, QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QHelpEvent, QImage, QPainter, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QToolTip, QWidget

# Series colours, in order, for a light and for a dark background (each at least 3:1 against
# the theme backgrounds of ui/look.py, #ffffff and #16181c, and against white or black).
LIGHT_COLOURS = ("#1f5fbf", "#b34700", "#2e7d32", "#7b1fa2", "#c62828", "#00695c")
DARK_COLOURS = ("#6ea8ff", "#ffa64d", "#6fd08c", "#d39bff", "#ff7b7b", "#4fd1c5")
LIGHT_BAND, DARK_BAND = "#5c5c5c", "#a8a8a8"  # the target band's border
DASHES = (
    Qt.PenStyle.SolidLine,
    Qt.PenStyle.DashLine,
    Qt.PenStyle.DotLine,
    Qt.PenStyle.DashDotLine,
    Qt.PenStyle.DashDotDotLine,
)
HATCHES = (
    Qt.BrushStyle.SolidPattern,
    Qt.BrushStyle.BDiagPattern,
    Qt.BrushStyle.Dense4Pattern,
    Qt.BrushStyle.CrossPattern,
)
MARKERS = ("circle", "square", "triangle", "diamond")
MARKERS_UP_TO = 150  # a line with more points has a solid line and a sparse marker track
MARKER_TRACK = 24  # markers on such a line
HOVER_RADIUS_PX = 24.0


class XAxis(Enum):
    NUMBER = "number"
    DATE = "date"


class Kind(Enum):
    LINE = "line"
    POINTS = "points"  # markers only (e.g. where the count was changed)


@dataclass(frozen=True)
class Series:
    """One series: its name (in the legend), its points and one tooltip text per point.
    ``style`` picks colour, dash and marker from the palette (default: its position)."""

    name: str
    xs: Sequence[float | date]
    ys: Sequence[float]
    tips: Sequence[str]
    kind: Kind = Kind.LINE
    style: int | None = None


@dataclass(frozen=True)
class Target:
    """A target band from ``low`` to ``high`` (or a line at ``low`` when ``high`` is None)."""

    label: str
    low: float
    high: float | None = None


def luminance(colour: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def is_dark(background: QColor) -> bool:
    return luminance(background) < 0.18


_EPOCH = date(1970, 1, 1).toordinal()


def colours_for(background: QColor) -> tuple[tuple[str, ...], str]:
    """The series colours and the target band's colour drawn on ``background``."""
    return (DARK_COLOURS, DARK_BAND) if is_dark(background) else (LIGHT_COLOURS, LIGHT_BAND)


def day_x(day: date) -> float:
    """A date as a position on a date axis: its noon UTC in ms since the epoch (the date
    axis shows that same date in every time zone from UTC-11 to UTC+11; going through
    QDateTime's local time would cost 30 µs a point, 90 ms for ten years of sessions)."""
    return (day.toordinal() - _EPOCH) * 86_400_000.0 + 43_200_000.0


def _numbers(xs: Sequence[float | date]) -> list[float]:
    """Positions on x: dates as ``day_x``, numbers as they are (a series is one or other)."""
    if xs and isinstance(xs[0], date):
        return [day_x(x) for x in xs if isinstance(x, date)]
    return [float(x) for x in xs if not isinstance(x, date)]


def _marker(shape: str, colour: QColor, outline: QColor, size: int = 11) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(outline, 1))
    painter.setBrush(colour)
    s = size - 1.0
    if shape == "circle":
        painter.drawEllipse(QPointF(s / 2, s / 2), s / 2 - 0.5, s / 2 - 0.5)
    elif shape == "square":
        painter.drawRect(1, 1, size - 3, size - 3)
    else:
        points = (
            [(s / 2, 0.5), (s - 0.5, s - 0.5), (0.5, s - 0.5)]
            if shape == "triangle"
            else [(s / 2, 0), (s, s / 2), (s / 2, s), (0, s / 2)]
        )
        painter.drawPolygon(QPolygonF([QPointF(x, y) for x, y in points]))
    painter.end()
    return image


@dataclass
class _Drawn:
    """A series as drawn, with what hovering needs (numeric x, sorted)."""

    spec: Series
    xs: list[float]
    qt: list[QAbstractSeries] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)  # bars: each bar's width on x


class _Chart(QChartView):
    """What both charts share: the axes, the look, the target, hovering."""

    def __init__(
        self, x_axis: QAbstractAxis, x_title: str, y_title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._chart = QChart()
        self._chart.setMargins(QMargins(4, 4, 4, 4))
        self._chart.setBackgroundRoundness(0)
        self._chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self._chart.legend().setMarkerShape(QLegend.MarkerShape.MarkerShapeFromSeries)
        self.setChart(self._chart)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._x = x_axis
        self._x.setTitleText(x_title)
        self._y = QValueAxis()
        self._y.setTitleText(y_title)
        self._y.setLabelFormat("%g")
        self._chart.addAxis(self._x, Qt.AlignmentFlag.AlignBottom)
        self._chart.addAxis(self._y, Qt.AlignmentFlag.AlignLeft)
        self._drawn: list[_Drawn] = []
        self._target: Target | None = None
        # PySide makes an area series a child of its upper line and keeps neither line
        # alive: the lines of every area drawn are held here until the area is removed
        # (dropped earlier, the upper line takes the area with it while the chart shows it).
        self._lines: list[QLineSeries] = []
        self._unnamed: list[QAbstractSeries] = []  # drawn, but not named in the legend
        self._range = (0.0, 1.0, 0.0, 1.0)
        self._y_max: float | None = None  # a fixed end of the y axis (LineChart's y_max)
        self.last_tip: str | None = None
        self.setMouseTracking(True)

    # -- the public API ----------------------------------------------------------------------

    def set_target(self, target: Target | None) -> None:
        """A band (or line) drawn behind the data, named in the legend; None removes it."""
        self._target = target
        self._rebuild()

    def set_axis_titles(self, x: str | None = None, y: str | None = None) -> None:
        if x is not None:
            self._x.setTitleText(x)
        if y is not None:
            self._y.setTitleText(y)

    def set_description(self, text: str) -> None:
        """What a screen reader says of the chart (the card's one-line summary)."""
        self.setAccessibleDescription(text)

    def legend_names(self) -> list[str]:
        """The names the legend shows, in order (the target first)."""
        hidden = self._unnamed
        return [m.label() for m in self._chart.legend().markers() if m.series() not in hidden]

    def tip_at(self, pos: QPoint) -> str | None:
        """The tooltip for a position in the view: the nearest point's own text."""
        scene = self.mapToScene(pos)
        at = self._chart.mapFromScene(scene)
        return self._nearest(at.x(), at.y())

    def position_of(self, series: int, index: int) -> QPoint:
        """Where a point (a bar's top centre) is drawn, in view coordinates (for tests)."""
        drawn = self._drawn[series]
        x, y = self._pixel(drawn.xs[index], drawn.spec.ys[index])
        return self.mapFromScene(self._chart.mapToScene(QPointF(x, y)))

    # -- building --------------------------------------------------------------------------

    def _set(self, series: Sequence[Series]) -> None:
        self._drawn = [_Drawn(s, _numbers(s.xs)) for s in series]
        self._rebuild()

    def _rebuild(self) -> None:
        self._chart.removeAllSeries()
        self._lines = []
        self._unnamed = []
        colours, band = self._colours()
        self._set_range()
        self._add_data(colours)
        if self._target is not None:  # over the data: bars would hide its border
            self._add_target(self._target, band)
        self._apply_look()

    def _add_data(self, colours: Sequence[str]) -> None:
        for position, drawn in enumerate(self._drawn):
            style = drawn.spec.style if drawn.spec.style is not None else position
            made = self._make(drawn, style, QColor(colours[style % len(colours)]))
            drawn.qt = [series for series, _ in made]
            for series, in_legend in made:
                self._chart.addSeries(series)
                series.attachAxis(self._x)
                series.attachAxis(self._y)
                if not in_legend:
                    self._unnamed.append(series)
                    for entry in self._chart.legend().markers(series):
                        entry.setVisible(False)

    def _make(
        self, drawn: _Drawn, style: int, colour: QColor
    ) -> list[tuple[QAbstractSeries, bool]]:
        """The Qt series that draw ``drawn``, each with whether the legend names it."""
        raise NotImplementedError

    def _heights(self) -> list[float]:
        """The values the y axis must reach."""
        return [y for d in self._drawn for y in d.spec.ys]

    def _set_range(self) -> None:
        ys = self._heights()
        target = self._target
        top = 0.0 if target is None else target.low if target.high is None else target.high
        y_max = max([*ys, top, 0.0])
        fixed = self._y_max
        if fixed is not None and y_max <= fixed:
            self._y.setRange(0.0, fixed)  # exactly: nice numbers would pass 100 %
        else:
            self._y.setRange(0.0, y_max * 1.1 if y_max > 0 else 1.0)
            self._y.applyNiceNumbers()
        x_min, x_max = self._set_x_range()
        self._range = (x_min, x_max, self._y.min(), self._y.max())

    def _set_x_range(self) -> tuple[float, float]:
        """Set the x axis for what is drawn; returns its range in numbers."""
        raise NotImplementedError

    def _add_target(self, target: Target, colour: str) -> None:
        x_min, x_max = self._range[:2]
        pen = QPen(QColor(colour), 1.5, Qt.PenStyle.DashLine)
        top = target.low if target.high is None else target.high
        upper = QLineSeries()
        upper.append([QPointF(x_min, top), QPointF(x_max, top)])
        if target.high is None:
            upper.setPen(pen)
            series: QAbstractSeries = upper
        else:
            lower = QLineSeries()
            lower.append([QPointF(x_min, target.low), QPointF(x_max, target.low)])
            self._lines += (upper, lower)
            area = QAreaSeries(upper, lower)
            fill = QColor(colour)
            fill.setAlpha(40)
            area.setBrush(fill)
            area.setPen(pen)
            series = area
        series.setName(target.label)
        self._chart.addSeries(series)
        series.attachAxis(self._x)
        series.attachAxis(self._y)

    def _colours(self) -> tuple[tuple[str, ...], str]:
        return colours_for(self.palette().color(QPalette.ColorRole.Base))

    def _apply_look(self) -> None:
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        grid = QColor(text)
        grid.setAlpha(50)
        self._chart.setBackgroundBrush(base)
        self._chart.legend().setLabelColor(text)
        for axis in (self._x, self._y):
            axis.setLabelsColor(text)
            axis.setTitleBrush(text)
            axis.setGridLineColor(grid)
            axis.setLinePenColor(text)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._rebuild()

    # -- hovering ----------------------------------------------------------------------------

    def _pixel(self, x: float, y: float) -> tuple[float, float]:
        plot = self._chart.plotArea()
        x_min, x_max, y_min, y_max = self._range
        px = plot.left() + (x - x_min) * plot.width() / (x_max - x_min)
        py = plot.bottom() - (y - y_min) * plot.height() / ((y_max - y_min) or 1.0)
        return px, py

    def _nearest(self, px: float, py: float) -> str | None:
        plot = self._chart.plotArea()
        x_min, x_max = self._range[:2]
        per_px = (x_max - x_min) / max(1.0, plot.width())
        x = x_min + (px - plot.left()) * per_px
        best: tuple[float, str] | None = None
        for drawn in reversed(self._drawn):  # on a tie, the series drawn on top
            for i in self._candidates(drawn, x, HOVER_RADIUS_PX * per_px):
                distance = self._distance(drawn, i, px, py)
                if distance is not None and (best is None or distance < best[0]):
                    best = (distance, drawn.spec.tips[i])
        return best[1] if best else None

    def _candidates(self, drawn: _Drawn, x: float, reach: float) -> range:
        reach = max(reach, max(drawn.widths, default=0.0) / 2)
        return range(
            bisect.bisect_left(drawn.xs, x - reach), bisect.bisect_right(drawn.xs, x + reach)
        )

    def _distance(self, drawn: _Drawn, i: int, px: float, py: float) -> float | None:
        x, y = self._pixel(drawn.xs[i], drawn.spec.ys[i])
        distance = ((x - px) ** 2 + (y - py) ** 2) ** 0.5
        return distance if distance <= HOVER_RADIUS_PX else None

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            self.last_tip = self.tip_at(event.pos())
            if self.last_tip:
                QToolTip.showText(event.globalPos(), self.last_tip, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)


class LineChart(_Chart):
    """Lines (and marker-only series) over numbers or dates."""

    def __init__(
        self,
        x_axis: XAxis,
        x_title: str,
        y_title: str,
        parent: QWidget | None = None,
        *,
        y_max: float | None = None,
    ) -> None:
        """``y_max``: the y axis always ends there (a share in %: 100), else it fits the
        data."""
        axis = QDateTimeAxis() if x_axis is XAxis.DATE else QValueAxis()
        super().__init__(axis, x_title, y_title, parent)
        self._y_max = y_max

    def _set_x_range(self) -> tuple[float, float]:
        xs = [x for d in self._drawn for x in d.xs]
        x_min, x_max = (min(xs), max(xs)) if xs else (0.0, 1.0)
        if isinstance(self._x, QDateTimeAxis):
            day = 86_400_000.0
            x_min, x_max = x_min - day, x_max + day
            self._x.setRange(
                QDateTime.fromMSecsSinceEpoch(int(x_min)), QDateTime.fromMSecsSinceEpoch(int(x_max))
            )
            self._x.setFormat("yyyy-MM-dd" if x_max - x_min < 400 * day else "MMM yyyy")
            self._x.setTickCount(6)
            return x_min, x_max
        assert isinstance(self._x, QValueAxis)
        self._x.setRange(x_min, x_max if x_max > x_min else x_min + 1)
        self._x.applyNiceNumbers()
        self._x.setLabelFormat("%.0f")
        return self._x.min(), self._x.max()

    def set_series(self, series: Sequence[Series]) -> None:
        """Replace what is drawn. Each series' xs must be in ascending order."""
        self._set(series)

    def _make(
        self, drawn: _Drawn, style: int, colour: QColor
    ) -> list[tuple[QAbstractSeries, bool]]:
        spec = drawn.spec
        outline = self.palette().color(QPalette.ColorRole.Base)
        shape = MARKERS[style % len(MARKERS)]
        if spec.kind is Kind.POINTS:
            return [(self._track(spec.name, drawn, range(len(drawn.xs)), shape, colour), True)]
        line = QLineSeries()
        line.setName(spec.name)
        ys = spec.ys
        if len(ys) <= MARKERS_UP_TO:
            # Few points: a dash style and a marker on every point.
            line.setPen(QPen(colour, 2, DASHES[style % len(DASHES)]))
            line.setLightMarker(_marker(shape, colour, outline))
            line.setMarkerSize(11)
            line.replace([QPointF(x, y) for x, y in zip(drawn.xs, ys, strict=True)])
            return [(line, True)]
        # Many points: Qt's raster engine dashes a long zigzag very slowly (a dashed line of
        # 1,400 sessions took 400 ms to paint, a solid one 7 ms), so the line is solid and a
        # sparse track of markers, named in the legend, tells the series apart.
        line.setPen(QPen(colour, 2 if style == 0 else 1.5))
        line.replace([QPointF(drawn.xs[i], ys[i]) for i in _corners(ys)])
        count = MARKER_TRACK
        stagger = (style % 4) / 4
        spots = sorted(
            {min(len(ys) - 1, int((k + stagger) * len(ys) / count)) for k in range(count)}
        )
        return [(line, False), (self._track(spec.name, drawn, spots, shape, colour), True)]

    def _track(
        self, name: str, drawn: _Drawn, indexes: Sequence[int], shape: str, colour: QColor
    ) -> QScatterSeries:
        outline = self.palette().color(QPalette.ColorRole.Base)
        scatter = QScatterSeries()
        scatter.setName(name)
        scatter.setLightMarker(_marker(shape, colour, outline, 13))
        scatter.setMarkerSize(13)
        scatter.replace([QPointF(drawn.xs[i], drawn.spec.ys[i]) for i in indexes])
        return scatter


def _corners(ys: Sequence[float]) -> list[int]:
    """The points a polyline needs: a point inside a run of equal values draws nothing
    (ten years of reps at a few lowering counts: 40,000 points, a few thousand corners)."""
    last = len(ys) - 1
    return [i for i in range(len(ys)) if i in (0, last) or ys[i] != ys[i - 1] or ys[i] != ys[i + 1]]


class BarChart(_Chart):
    """Bars, one slot per date (e.g. a week each): several series side by side in each
    slot, or ``stacked`` (for parts of one whole). The x axis names the years (or months,
    or days) where they begin.

    Drawn by QBarSeries: ten years of weeks as one area series took 60 ms a series to
    paint (its 2,000-corner polygon), as bars 3 to 26 ms for two."""

    WIDTH = 0.8  # of a slot, shared by the series side by side

    def __init__(
        self, x_title: str, y_title: str, *, stacked: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(QCategoryAxis(), x_title, y_title, parent)
        self._slots: list[date] = []
        self._stacked = stacked
        # A bar's legend entry shows its fill (the hatching); "from series" would draw a
        # line and cut the names short.
        self._chart.legend().setMarkerShape(QLegend.MarkerShape.MarkerShapeRectangle)

    def set_series(self, series: Sequence[Series]) -> None:
        """Replace the bars. Every series has the same ``xs``: the slots' dates, ascending.
        Stacked, the first series is at the bottom."""
        self._slots = [x for x in series[0].xs if isinstance(x, date)] if series else []
        side_by_side = 1 if self._stacked else max(1, len(series))
        width = self.WIDTH / side_by_side
        self._drawn = []
        for k, s in enumerate(series):
            if len(s.xs) != len(self._slots):
                raise ValueError("every series of a bar chart has the same slots")
            # side by side, bar k of slot i is centred at i - WIDTH/2 + width * (k + 1/2)
            shift = 0.0 if self._stacked else -self.WIDTH / 2 + width * (k + 0.5)
            xs = [i + shift for i in range(len(s.xs))]
            self._drawn.append(_Drawn(s, xs, widths=[width] * len(xs)))
        self._rebuild()

    def _heights(self) -> list[float]:
        if not self._stacked or not self._drawn:
            return super()._heights()
        return [sum(column) for column in zip(*(d.spec.ys for d in self._drawn), strict=True)]

    def _add_data(self, colours: Sequence[str]) -> None:
        if not self._drawn:
            return
        bars = QStackedBarSeries() if self._stacked else QBarSeries()
        bars.setBarWidth(self.WIDTH)
        for position, drawn in enumerate(self._drawn):
            style = drawn.spec.style if drawn.spec.style is not None else position
            colour = QColor(colours[style % len(colours)])
            bar_set = QBarSet(drawn.spec.name)
            bar_set.append(list(drawn.spec.ys))
            bar_set.setPen(QPen(colour, 1))
            bar_set.setBrush(QBrush(colour, HATCHES[style % len(HATCHES)]))
            bars.append(bar_set)
        self._chart.addSeries(bars)
        bars.attachAxis(self._x)
        bars.attachAxis(self._y)

    def _set_x_range(self) -> tuple[float, float]:
        axis = self._x
        assert isinstance(axis, QCategoryAxis)
        for label in axis.categoriesLabels():
            axis.remove(label)
        axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        for index, label in _spaced(slot_labels(self._slots)):
            axis.append(label, index - 0.5)
        x_min, x_max = -0.5, max(0.5, len(self._slots) - 0.5)
        axis.setRange(x_min, x_max)
        return x_min, x_max

    def _distance(self, drawn: _Drawn, i: int, px: float, py: float) -> float | None:
        """A bar is hit anywhere over its width (its height may be a few pixels)."""
        x, _ = self._pixel(drawn.xs[i], 0.0)
        pixels = self._chart.plotArea().width() / (self._range[1] - self._range[0])
        half = drawn.widths[i] / 2 * pixels
        return abs(x - px) if abs(x - px) <= max(half, 2.0) else None


def slot_labels(slots: Sequence[date]) -> list[tuple[int, str]]:
    """Where the axis names a slot, and how (every label differs, as QCategoryAxis needs):
    each new year over more than two years, each quarter over more than one, each month
    over more than four months, else about eight of the slots' own dates ("15 Sep")."""
    if not slots:
        return []
    span = (slots[-1] - slots[0]).days

    def starts(key: Callable[[date], object]) -> list[int]:
        return [i for i, d in enumerate(slots) if i == 0 or key(d) != key(slots[i - 1])]

    if span > 2 * 365:
        return [(i, str(slots[i].year)) for i in starts(lambda d: d.year)]
    if span > 365:
        return [(i, f"{slots[i]:%b %Y}") for i in starts(lambda d: (d.year, (d.month - 1) // 3))]
    if span > 120:
        return [
            (i, f"{slots[i]:%b %Y}" if i == 0 or slots[i].month == 1 else f"{slots[i]:%b}")
            for i in starts(lambda d: (d.year, d.month))
        ]
    step = -(-len(slots) // 8)  # about 8 labels, each as short as a day can be said
    return [(i, f"{d.day} {d:%b}") for i, d in enumerate(slots) if i % step == 0]


def _spaced(labels: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Without a first label so close to the second that they would overlap (a range that
    starts in the last days of a year)."""
    if len(labels) >= 3 and 3 * (labels[1][0] - labels[0][0]) < labels[2][0] - labels[1][0]:
        return labels[1:]
    return labels
