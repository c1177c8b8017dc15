"""One exercise's charts over a chosen range, each with a table and a sentence.

Public API (what the History tab calls)::

    panel = ChartsPanel(parent=None)
    panel.show_exercise(
        name,            # the exercise's name, as the texts say it
        records,         # Sequence[SessionRecord]: that exercise's sessions in the range
        summaries,       # Sequence[SessionSummary]: every session in the range (all exercises;
                         # the time under tension is read from these where they have the
                         # session, so the tab's summaries save decoding every rep again)
        unit=LoadUnit.KG,            # the preferences' load unit
        since=None, until=None,      # the range's first and last day (default: the data's)
    )
    panel.clear(message)  # nothing to show (no exercise chosen), with a sentence why

The panel reads no store: it charts what it is given. Five cards, each a ``ChartCard`` with a
heading, a one-line summary (the chart's accessible description too: a screen reader sees
nothing of a chart canvas) and a "Show as table" toggle that swaps the chart for a table of
the same numbers:

1. lowering per rep, planned and actual, with the reps where the count was changed marked
   and the lowering the lifter tapped (tempo accuracy);
2. the same for negative-only sets, apart (shown only when there are some);
3. tempo accuracy per session: the share of tapped reps on tempo (only with taps);
4. the heaviest load of each session at each tempo, one line per tempo (never mixed;
   negative-only sets are a line of their own);
5. time under tension and lowering time per session (sessions with negative-only sets marked);
6. the same per ISO week;
7. training days per week (every exercise in ``summaries``), with the 2-to-4 band.

Why it is over 500 lines: seven chart cards, each with its table and its summary sentence;
the sentences are the part to move out first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar, overload

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tempo_coach.core import progress
from tempo_coach.core.progress import (
    WEEKLY_BAND,
    LoadsByTempo,
    Lowerings,
    RepLowering,
    SessionAdherence,
    SessionTension,
    SetPlace,
    WeekDays,
    WeekTension,
)
from tempo_coach.core.records import LoadUnit, SessionRecord, SessionSummary
from tempo_coach.core.report import duration, load_text, percent, seconds, tolerance_text
from tempo_coach.ui.charts import BarChart, Kind, LineChart, Series, Target, XAxis
from tempo_coach.ui.history.model import Index  # QModelIndex | QPersistentModelIndex

T = TypeVar("T")


class Lazy(Sequence[T]):
    """``count`` items made only when asked for: ten years of reps are 20,000 tooltips and
    table rows, of which a user looks at a few."""

    def __init__(self, count: int, make: Callable[[int], T]) -> None:
        self._count, self._make = count, make

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> list[T]: ...
    def __getitem__(self, i: int | slice) -> T | list[T]:
        if isinstance(i, slice):
            return [self._make(k) for k in range(*i.indices(self._count))]
        if not -self._count <= i < self._count:
            raise IndexError(i)
        return self._make(i % self._count)


class RowsModel(QAbstractTableModel):
    """A read-only table of texts; rows are made when the view asks for them."""

    def __init__(self, headers: Sequence[str], numeric: set[int], parent: QObject | None = None):
        super().__init__(parent)
        self._headers = list(headers)
        self._numeric = numeric
        self._rows: Sequence[Sequence[str]] = []

    def set_rows(self, rows: Sequence[Sequence[str]]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self._numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None


class ChartCard(QFrame):
    """A heading, a chart, its table (behind a toggle) and a sentence saying what it shows."""

    def __init__(
        self,
        title: str,
        chart: LineChart | BarChart,
        headers: Sequence[str],
        numeric: set[int],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(f"<b>{title}</b>")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.toggle = QCheckBox("Show as table")
        self.toggle.setAccessibleName(f"Show {title.lower()} as a table")
        self.chart = chart
        chart.setAccessibleName(title)
        chart.setMinimumHeight(240)
        self.model = RowsModel(headers, numeric, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(f"{title} (table)")
        self.table.verticalHeader().setVisible(False)
        self.table.setMinimumHeight(240)
        self.stack = QStackedWidget()
        self.stack.addWidget(chart)
        self.stack.addWidget(self.table)
        self.toggle.toggled.connect(self._on_toggle_toggled)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.toggle)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.summary)
        layout.addWidget(self.stack)

    def set_content(self, summary: str, rows: Sequence[Sequence[str]]) -> None:
        self.summary.setText(summary)
        self.chart.set_description(summary)
        self.table.setAccessibleDescription(summary)
        self.model.set_rows(rows)

    def _on_toggle_toggled(self, as_table: bool) -> None:
        self.stack.setCurrentIndex(1 if as_table else 0)


# -- the sentences -----------------------------------------------------------------------------


def _weeks(first: date, last: date) -> str:
    weeks = round((last - first).days / 7)
    if weeks < 1:
        days = (last - first).days
        return f"{days} day{'s' * (days != 1)}"
    return f"{weeks} week{'s' * (weeks != 1)}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _typical(lowerings: Sequence[int]) -> int:
    """The lowering most reps of a session used (the longer one on a tie)."""
    counts = Counter(lowerings)
    return max(counts, key=lambda ms: (counts[ms], ms))


def _session_reps(reps: Lowerings, index: int) -> tuple[range, SetPlace]:
    """The reps of the session rep ``index`` belongs to (reps are in session order)."""
    session = reps.sets[reps.set_of[index]].session_id
    start = end = index
    while start > 0 and reps.sets[reps.set_of[start - 1]].session_id == session:
        start -= 1
    while end + 1 < len(reps) and reps.sets[reps.set_of[end + 1]].session_id == session:
        end += 1
    return range(start, end + 1), reps.sets[reps.set_of[index]]


def lowering_summary(reps: Lowerings, unit: LoadUnit) -> str:
    if not reps:
        return "No complete reps in this range."
    (first, first_place), (last, last_place) = (
        _session_reps(reps, 0),
        _session_reps(reps, -1 % len(reps)),
    )
    start = _typical([reps.actual_ms[i] for i in first])
    end = _typical([reps.actual_ms[i] for i in last])
    sessions = len({place.session_id for place in reps.sets})
    span = _weeks(first_place.day, last_place.day)
    if sessions == 1:
        text = f"Lowering {seconds(end)} in one session"
    elif start == end:
        text = f"Lowering stayed at {seconds(end)} over {span} ({sessions} sessions)"
    else:
        went = f"went from {seconds(start)} to {seconds(end)}"
        text = f"Lowering {went} over {span} ({sessions} sessions)"
    if reps.changes:
        text += f", the count changed {_plural(len(reps.changes), 'time')} mid-session"

    def top(reps_of_session: range) -> float | None:
        places = {reps.set_of[i] for i in reps_of_session}
        return max((x for p in places if (x := reps.sets[p].load) is not None), default=None)

    loads = (top(first), top(last))
    if loads == (None, None):
        return text + "; no load."
    a, b = (load_text(None if x is None else round(x, 1), unit.value) for x in loads)
    return text + (f"; load stayed at {b}." if a == b else f"; load went from {a} to {b}.")


def tapped_summary(reps: Lowerings) -> str:
    """What the tapped points add to the lowering sentence ("" without a tap)."""
    if not reps.tapped:
        return ""
    return (
        f" The lifter tapped the end of {_plural(len(reps.tapped), 'lowering')}: "
        "the tapped points are the lowering as done."
    )


def adherence_summary(sessions: Sequence[SessionAdherence]) -> str:
    if not sessions:
        return "No tapped sets in this range."
    taps = sum(s.taps for s in sessions)
    on_tempo = sum(s.on_tempo for s in sessions)
    fast = sum(s.fast for s in sessions)
    missing = sum(s.missing for s in sessions)
    text = (
        f"On tempo (within {tolerance_text()}): {on_tempo} of {_plural(taps, 'tapped rep')} "
        f"({percent(on_tempo, taps)}) over {_plural(len(sessions), 'session')}"
    )
    if fast:
        text += f", {fast} fast"
    if missing:
        text += f"; {_plural(missing, 'tap')} missing (not guessed, not charted)"
    last = sessions[-1]
    if len(sessions) > 1 and last.share is not None:
        text += f"; last session {percent(last.on_tempo, last.taps)}"
    return text + "."


def loads_summary(loads: LoadsByTempo, unit: LoadUnit) -> str:
    if not loads.series:
        text = "No sets with a load in this range."
    else:
        parts = []
        ranked = sorted(loads.series.items(), key=lambda item: -len(item[1]))
        for tempo, points in ranked[:3]:
            a, b = (load_text(round(p.load, 1), unit.value) for p in (points[0], points[-1]))
            count = _plural(len(points), "session")
            parts.append(
                f"at {tempo}, {a} ({count})"
                if a == b and len(points) == 1
                else (f"at {tempo}, {a} to {b} over {count}")
            )
        text = "Heaviest set " + "; ".join(parts)
        if len(ranked) > 3:
            text += f"; and {_plural(len(ranked) - 3, 'other tempo')}"
        text += "."
    if loads.mixed_sets:
        text += (
            f" {_plural(loads.mixed_sets, 'set')} whose count changed mid-set "
            f"{'is' if loads.mixed_sets == 1 else 'are'} left out."
        )
    return text


def _negative_note(sessions: Sequence[SessionTension]) -> str:
    negative = sum(1 for s in sessions if s.negative_only)
    if not negative:
        return ""
    return (
        f" {_plural(negative, 'session')} with negative-only sets "
        f"{'is' if negative == 1 else 'are'} marked; their resets are not time under tension."
    )


def tension_summary(sessions: Sequence[SessionTension]) -> str:
    if not sessions:
        return "No sessions in this range."
    first, last = sessions[0], sessions[-1]
    if len(sessions) == 1:
        return (
            f"Time under tension {duration(last.tension_ms)} in one session "
            f"(lowering {duration(last.lowering_ms)})."
        ) + _negative_note(sessions)
    return (
        f"Time under tension per session went from {duration(first.tension_ms)} to "
        f"{duration(last.tension_ms)} over {len(sessions)} sessions (lowering "
        f"{duration(first.lowering_ms)} to {duration(last.lowering_ms)})."
    ) + _negative_note(sessions)


def week_tension_summary(weeks: Sequence[WeekTension]) -> str:
    if not weeks:
        return "No sessions in this range."
    top = max(weeks, key=lambda w: w.tension_ms)
    average = sum(w.tension_ms for w in weeks) // len(weeks)
    empty = sum(1 for w in weeks if w.sessions == 0)
    text = (
        f"Most in a week: {duration(top.tension_ms)} ({top.week.label}); "
        f"{duration(average)} a week on average over {_plural(len(weeks), 'week')}"
    )
    return text + (f", {empty} without a session." if empty else ".")


def days_summary(weeks: Sequence[WeekDays], band: tuple[int, int] = WEEKLY_BAND) -> str:
    if not weeks:
        return "No weeks in this range."
    low, high = band
    within = sum(1 for w in weeks if low <= w.days <= high)
    below = sum(1 for w in weeks if w.days < low)
    above = len(weeks) - within - below
    average = sum(w.days for w in weeks) / len(weeks)
    text = (
        f"{average:.1f} training days a week on average; {within} of "
        f"{_plural(len(weeks), 'week')} within {low} to {high}"
    )
    if below:
        text += f", {below} below"
    if above:
        text += f", {above} above"
    return text + "."


def _band_word(days: int, band: tuple[int, int]) -> str:
    return "below" if days < band[0] else "above" if days > band[1] else "within"


# -- the panel ---------------------------------------------------------------------------------


class ChartsPanel(QScrollArea):
    """One exercise's charts: see the module's docstring for the API."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.heading = QLabel()
        lowering_columns = ("Date", "Set", "Rep", "Planned", "Actual", "Count changed", "Tapped")
        self.lowering = ChartCard(
            "Lowering per rep",
            LineChart(XAxis.NUMBER, "reps, in order", "lowering (s)"),
            lowering_columns,
            {1, 2, 3, 4, 6},
        )
        self.negative_lowering = ChartCard(
            "Negative-only sets: lowering per rep",
            LineChart(XAxis.NUMBER, "reps of negative-only sets, in order", "lowering (s)"),
            lowering_columns,
            {1, 2, 3, 4, 6},
        )
        self.adherence = ChartCard(
            "Tempo accuracy per session",
            LineChart(XAxis.DATE, "date", "% of tapped reps", y_max=100),
            ("Date", "On tempo", "Tapped", "Fast", "Slow", "Missing taps"),
            {1, 2, 3, 4, 5},
        )
        self.loads = ChartCard(
            "Load at each tempo",
            LineChart(XAxis.DATE, "date", "heaviest set"),
            ("Date", "Tempo", "Heaviest set", "Sets"),
            {2, 3},
        )
        self.tension = ChartCard(
            "Time under tension per session",
            LineChart(XAxis.DATE, "date", "minutes"),
            ("Date", "Time under tension", "Lowering", "Negative-only"),
            {1, 2},
        )
        self.week_tension = ChartCard(
            "Time under tension per week",
            BarChart("week", "minutes", stacked=True),
            ("Week", "Time under tension", "Lowering", "Sessions"),
            {1, 2, 3},
        )
        low, high = WEEKLY_BAND
        self.days = ChartCard(
            "Training days per week",
            BarChart("week", "training days"),
            ("Week", "Training days", f"Target {low} to {high}"),
            {1},
        )
        self.days.chart.set_target(Target(f"target: {low} to {high} days", low, high))
        self.cards = (
            self.lowering,
            self.negative_lowering,
            self.adherence,
            self.loads,
            self.tension,
            self.week_tension,
            self.days,
        )
        inside = QWidget()
        layout = QVBoxLayout(inside)
        layout.addWidget(self.heading)
        for card in self.cards:
            layout.addWidget(card)
        layout.addStretch(1)
        self.setWidget(inside)
        self.clear()

    def clear(self, message: str = "Choose an exercise to see its charts.") -> None:
        """Show no chart, only ``message``."""
        self.heading.setText(message)
        for card in self.cards:
            card.setVisible(False)

    def show_exercise(
        self,
        name: str,
        records: Sequence[SessionRecord],
        summaries: Sequence[SessionSummary],
        *,
        unit: LoadUnit = LoadUnit.KG,
        since: date | None = None,
        until: date | None = None,
    ) -> None:
        """Chart ``records`` (one exercise's sessions) and the training days of
        ``summaries`` (every exercise) from ``since`` to ``until``."""
        self.heading.setText(f"<b>{name}</b>: {_plural(len(records), 'session')}")
        for card in self.cards:
            card.setVisible(True)
        normal = progress.lowering_per_rep(records, unit)
        negative = progress.lowering_per_rep(records, unit, negative_only=True)
        self._show_lowering(normal, unit)
        if negative:
            self.lowering.summary.setText(
                self.lowering.summary.text()
                + f" Negative-only sets ({_plural(len(negative), 'rep')}) are charted apart."
            )
            self.lowering.chart.set_description(self.lowering.summary.text())
        self._show_lowering(negative, unit, self.negative_lowering)
        self.negative_lowering.setVisible(bool(negative))
        self._show_loads(progress.loads_by_tempo(records, unit), unit)
        # Totals come from the summaries (the store's index) where there is one.
        by_id = {s.session_id: s for s in summaries}
        totals = [by_id.get(r.session_id) or SessionSummary.of(r) for r in records]
        tapped = progress.adherence_per_session(totals)
        self._show_adherence(tapped)
        self.adherence.setVisible(bool(tapped))
        sessions = progress.tension_per_session(totals)
        self._show_tension(sessions)
        self._show_week_tension(progress.tension_per_week(sessions))
        stamps = [r.started_at for r in records] + [s.started_at for s in summaries]
        days = [d for stamp in stamps if (d := progress.local_day(stamp))]
        first, last = since or min(days, default=None), until or max(days, default=None)
        self._show_days(progress.days_per_week(summaries, first, last) if first and last else [])

    def _show_lowering(
        self, reps: Lowerings, unit: LoadUnit, card: ChartCard | None = None
    ) -> None:
        """On ``card`` (the lowering per rep's by default; the negative-only sets' apart)."""
        card = card or self.lowering

        def where(r: RepLowering) -> str:
            return f"{r.day.isoformat()}, set {r.set_number}, rep {r.rep}"

        def change(r: RepLowering) -> str:
            c = r.change
            return "" if c is None else f"{seconds(c.from_ms)} → {seconds(c.to_ms)}"

        def actual_tip(i: int) -> str:
            r = reps[i]
            return f"{where(r)}: lowering {seconds(r.actual_ms)} (planned {seconds(r.planned_ms)})"

        def planned_tip(i: int) -> str:
            return f"{where(reps[i])}: planned {seconds(reps[i].planned_ms)}"

        def tapped_tip(i: int) -> str:
            r = reps[i]
            tapped = reps.tapped[i]
            return (
                f"{where(r)}: tapped {seconds(tapped)} (planned {seconds(r.planned_ms)}, "
                f"cued {seconds(r.actual_ms)})"
            )

        def row(i: int) -> tuple[str, ...]:
            r = reps[i]
            return (
                r.day.isoformat(),
                str(r.set_number),
                str(r.rep),
                seconds(r.planned_ms),
                seconds(r.actual_ms),
                change(r),
                "" if r.tapped_ms is None else seconds(r.tapped_ms),
            )

        count = len(reps)
        xs = range(1, count + 1)
        changed = sorted(reps.changes)
        tapped = sorted(reps.tapped)
        series = [
            # planned first, so that the actual line is drawn over it where they agree
            Series(
                "planned",
                xs,
                [v / 1000 for v in reps.planned_ms],
                Lazy(count, planned_tip),
                style=1,
            ),
            Series(
                "actual",
                xs,
                [v / 1000 for v in reps.actual_ms],
                Lazy(count, actual_tip),
                style=0,
            ),
            Series(
                "count changed",
                [xs[i] for i in changed],
                [reps.actual_ms[i] / 1000 for i in changed],
                [f"{actual_tip(i)}; count changed {change(reps[i])}" for i in changed],
                Kind.POINTS,
                style=2,
            ),
        ]
        if tapped:  # a legend names only what is there
            series.append(
                Series(
                    "tapped",
                    [xs[i] for i in tapped],
                    [reps.tapped[i] / 1000 for i in tapped],
                    Lazy(len(tapped), lambda k: tapped_tip(tapped[k])),
                    Kind.POINTS,
                    style=3,
                )
            )
        card.chart.set_series(series)
        card.set_content(lowering_summary(reps, unit) + tapped_summary(reps), Lazy(count, row))

    def _show_adherence(self, sessions: list[SessionAdherence]) -> None:
        # Sessions whose taps were all missing have no share: in the table, not on the line.
        shared = [s for s in sessions if s.share is not None]

        def tip(s: SessionAdherence) -> str:
            text = (
                f"{s.day.isoformat()}: {s.on_tempo} of {_plural(s.taps, 'tapped rep')} on tempo "
                f"({percent(s.on_tempo, s.taps)}), {s.fast} fast, {s.slow} slow"
            )
            return text + (f"; {_plural(s.missing, 'tap')} missing" if s.missing else "")

        days = [s.day for s in shared]
        tips = [tip(s) for s in shared]
        self.adherence.chart.set_series(
            [
                Series("on tempo", days, [100 * s.on_tempo / s.taps for s in shared], tips),
                Series("fast", days, [100 * s.fast / s.taps for s in shared], tips, style=4),
            ]
        )
        rows = [
            (
                s.day.isoformat(),
                "" if not s.taps else percent(s.on_tempo, s.taps),
                str(s.taps),
                str(s.fast),
                str(s.slow),
                str(s.missing),
            )
            for s in sessions
        ]
        self.adherence.set_content(adherence_summary(sessions), rows)

    def _show_loads(self, loads: LoadsByTempo, unit: LoadUnit) -> None:
        series = []
        rows: list[tuple[str, ...]] = []
        for tempo, points in loads.series.items():
            texts = [load_text(round(p.load, 1), unit.value) for p in points]
            series.append(
                Series(
                    tempo,
                    [p.day for p in points],
                    [p.load for p in points],
                    [
                        f"{p.day.isoformat()}, {tempo}: {text} ({_plural(p.sets, 'set')})"
                        for p, text in zip(points, texts, strict=True)
                    ],
                )
            )
            rows += [
                (p.day.isoformat(), tempo, text, str(p.sets))
                for p, text in zip(points, texts, strict=True)
            ]
        rows.sort(key=lambda r: (r[0], r[1]))
        self.loads.chart.set_axis_titles(y=f"heaviest set ({unit.value})")
        self.loads.chart.set_series(series)
        self.loads.set_content(loads_summary(loads, unit), rows)

    def _show_tension(self, sessions: list[SessionTension]) -> None:
        days = [s.day for s in sessions]

        def tip(s: SessionTension) -> str:
            return (
                f"{s.day.isoformat()}: {duration(s.tension_ms)} under tension, "
                f"lowering {duration(s.lowering_ms)}"
            )

        tips = [tip(s) for s in sessions]
        negative = [i for i, s in enumerate(sessions) if s.negative_only]
        series = [
            Series("time under tension", days, [s.tension_ms / 60_000 for s in sessions], tips),
            Series("lowering", days, [s.lowering_ms / 60_000 for s in sessions], tips),
        ]
        if negative:  # a legend names only what is there
            series.append(
                Series(
                    "with negative-only sets",
                    [days[i] for i in negative],
                    [sessions[i].tension_ms / 60_000 for i in negative],
                    [f"{tips[i]}; negative-only sets (resets not counted)" for i in negative],
                    Kind.POINTS,
                    style=2,
                )
            )
        self.tension.chart.set_series(series)
        rows = [
            (
                s.day.isoformat(),
                duration(s.tension_ms),
                duration(s.lowering_ms),
                "yes" if s.negative_only else "",
            )
            for s in sessions
        ]
        self.tension.set_content(tension_summary(sessions), rows)

    def _show_week_tension(self, weeks: list[WeekTension]) -> None:
        # The lowering is part of the time under tension: stacked, the bar's whole height
        # is the time under tension and its lower part the lowering.
        mondays = [w.week.monday for w in weeks]
        tips = [
            f"{w.week.label} (from {w.week.monday.isoformat()}): {duration(w.tension_ms)} "
            f"under tension, lowering {duration(w.lowering_ms)}, {_plural(w.sessions, 'session')}"
            for w in weeks
        ]
        self.week_tension.chart.set_series(
            [
                Series("lowering", mondays, [w.lowering_ms / 60_000 for w in weeks], tips, style=1),
                Series(
                    "other phases",
                    mondays,
                    [(w.tension_ms - w.lowering_ms) / 60_000 for w in weeks],
                    tips,
                    style=0,
                ),
            ]
        )
        rows = [
            (w.week.label, duration(w.tension_ms), duration(w.lowering_ms), str(w.sessions))
            for w in weeks
        ]
        self.week_tension.set_content(week_tension_summary(weeks), rows)

    def _show_days(self, weeks: list[WeekDays]) -> None:
        self.days.chart.set_series(
            [
                Series(
                    "training days",
                    [w.week.monday for w in weeks],
                    [float(w.days) for w in weeks],
                    [f"{w.week.label}: {_plural(w.days, 'training day')}" for w in weeks],
                )
            ]
        )
        rows = [(w.week.label, str(w.days), _band_word(w.days, WEEKLY_BAND)) for w in weeks]
        self.days.set_content(days_summary(weeks), rows)
