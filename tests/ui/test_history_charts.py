"""The History tab's charts, calendar and records, built from known sessions (offscreen).

Three squat sessions over two weeks, one with a live change mid-set, and a curl session;
every table, sentence and tooltip is checked against values worked out by hand. The
screenshots land in test-artifacts/ for people to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCharts import QLineSeries, QScatterSeries
from PySide6.QtCore import QAbstractItemModel, QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QHelpEvent, QImage, QPalette
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from tempo_coach.core.records import (
    LiveChange,
    LoadUnit,
    PhaseTime,
    RepRecord,
    SessionRecord,
    SessionSummary,
    SetRecord,
)
from tempo_coach.core.tempo import Phase
from tempo_coach.ui import charts
from tempo_coach.ui.charts import BarChart, LineChart, Series, XAxis, contrast, slot_labels
from tempo_coach.ui.history import calendar
from tempo_coach.ui.history.calendar import CalendarPanel
from tempo_coach.ui.history.charts_panel import ChartCard, ChartsPanel, Lazy
from tempo_coach.ui.history.records_panel import RecordsPanel
from tempo_coach.ui.look import THEMES, theme_palette

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SQUAT = ("barbell-squat", "Eccentric barbell squat")
CURL = ("dumbbell-curl", "Eccentric dumbbell curl")
TODAY = date(2025, 3, 19)  # a Wednesday


def a_set(
    number: int,
    lowerings: tuple[int, ...],
    load: float | None,
    *,
    changes: tuple[LiveChange, ...] = (),
    exercise: tuple[str, str] = SQUAT,
) -> SetRecord:
    """Reps planned at 4 s (the session's plan), done at ``lowerings``; hold and lift 1 s."""
    reps = tuple(
        RepRecord(
            number,
            i,
            None,
            (
                PhaseTime(Phase.ECCENTRIC, 4000, ms),
                PhaseTime(Phase.PAUSE_AFTER_ECCENTRIC, 1000, 1000),
                PhaseTime(Phase.CONCENTRIC, 1000, 1000),
            ),
        )
        for i, ms in enumerate(lowerings, start=1)
    )
    return SetRecord(
        exercise[0],
        exercise[1],
        number,
        "",
        "4-1-1-0",
        f"{lowerings[-1] // 1000}-1-1-0",
        len(lowerings),
        reps,
        changes,
        load,
        LoadUnit.KG,
    )


def a_session(day: str, *sets: SetRecord) -> SessionRecord:
    exercise_id, name = sets[0].exercise_id, sets[0].exercise_name
    return SessionRecord(f"{day}-{exercise_id}", exercise_id, name, f"{day}T18:00:00+01:00", sets)


CHANGE = LiveChange(1, 3, 14_000, 4000, 5000)
SQUATS = [
    a_session("2025-03-03", a_set(1, (4000,) * 3, 60), a_set(2, (4000,) * 3, 60)),
    a_session(
        "2025-03-05",
        a_set(1, (4000, 4000, 5000, 5000), 60, changes=(CHANGE,)),
        a_set(2, (5000,) * 3, 62.5),
    ),
    a_session("2025-03-17", a_set(1, (5000, 5000), 65)),
]
CURLS = [a_session("2025-03-06", a_set(1, (4000,) * 3, 12, exercise=CURL))]
SUMMARIES = [SessionSummary.of(r) for r in (*SQUATS, *CURLS)]


def rows(model: QAbstractItemModel) -> list[tuple[str, ...]]:
    return [
        tuple(model.index(r, c).data() for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]


@pytest.fixture
def panel(qtbot: QtBot) -> Iterator[ChartsPanel]:
    widget = ChartsPanel()
    qtbot.addWidget(widget)
    widget.resize(900, 1700)
    widget.show_exercise(SQUAT[1], SQUATS, SUMMARIES)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget


def hover(chart: LineChart | BarChart, pos: QPoint) -> str | None:
    """What a resting mouse at ``pos`` shows: a real tooltip event to the chart."""
    viewport = chart.viewport()
    event = QHelpEvent(QEvent.Type.ToolTip, pos, viewport.mapToGlobal(pos))
    QApplication.sendEvent(viewport, event)
    return chart.last_tip


# -- the charts panel --------------------------------------------------------------------------


def test_lowering_per_rep_table_chart_and_sentence(panel: ChartsPanel) -> None:
    card = panel.lowering
    table = rows(card.model)
    assert len(table) == 15
    assert table[:2] == [
        ("2025-03-03", "1", "1", "4 s", "4 s", "", ""),
        ("2025-03-03", "1", "2", "4 s", "4 s", "", ""),
    ]
    assert table[6:10] == [
        ("2025-03-05", "1", "1", "4 s", "4 s", "", ""),
        ("2025-03-05", "1", "2", "4 s", "4 s", "", ""),
        ("2025-03-05", "1", "3", "4 s", "5 s", "4 s → 5 s", ""),
        ("2025-03-05", "1", "4", "4 s", "5 s", "", ""),
    ]
    assert table[-1] == ("2025-03-17", "1", "2", "4 s", "5 s", "", "")
    summary = (
        "Lowering went from 4 s to 5 s over 2 weeks (3 sessions), the count changed 1 time "
        "mid-session; load went from 60 kg to 65 kg."
    )
    assert card.summary.text() == summary
    assert card.chart.accessibleDescription() == summary
    assert card.chart.accessibleName() == "Lowering per rep"
    assert card.chart.legend_names() == ["planned", "actual", "count changed"]


def test_hovering_a_rep_says_its_lowering_and_the_change(panel: ChartsPanel) -> None:
    chart = panel.lowering.chart
    # series 1 is "actual", series 2 the marks of a changed count
    assert (
        hover(chart, chart.position_of(1, 0))
        == "2025-03-03, set 1, rep 1: lowering 4 s (planned 4 s)"
    )
    assert QToolTip.text() == chart.last_tip
    assert hover(chart, chart.position_of(2, 0)) == (
        "2025-03-05, set 1, rep 3: lowering 5 s (planned 4 s); count changed 4 s → 5 s"
    )
    assert hover(chart, chart.position_of(0, 13)) == "2025-03-17, set 1, rep 1: planned 4 s"
    corner = chart.chart().mapToScene(chart.chart().plotArea().bottomRight())
    assert hover(chart, chart.mapFromScene(corner) - QPoint(5, 5)) is None


def test_loads_are_one_line_per_tempo_and_a_mixed_set_is_left_out(panel: ChartsPanel) -> None:
    card = panel.loads
    assert rows(card.model) == [
        ("2025-03-03", "4-1-1-0", "60 kg", "2"),
        ("2025-03-05", "5-1-1-0", "62.5 kg", "1"),
        ("2025-03-17", "5-1-1-0", "65 kg", "1"),
    ]
    assert card.summary.text() == (
        "Heaviest set at 5-1-1-0, 62.5 kg to 65 kg over 2 sessions; at 4-1-1-0, 60 kg "
        "(1 session). 1 set whose count changed mid-set is left out."
    )
    assert card.chart.legend_names() == ["4-1-1-0", "5-1-1-0"]
    assert hover(card.chart, card.chart.position_of(1, 1)) == "2025-03-17, 5-1-1-0: 65 kg (1 set)"


def test_time_under_tension_per_session_and_per_week(panel: ChartsPanel) -> None:
    assert rows(panel.tension.model) == [
        ("2025-03-03", "36 s", "24 s", ""),
        ("2025-03-05", "47 s", "33 s", ""),
        ("2025-03-17", "14 s", "10 s", ""),
    ]
    assert panel.tension.summary.text() == (
        "Time under tension per session went from 36 s to 14 s over 3 sessions "
        "(lowering 24 s to 10 s)."
    )
    assert rows(panel.week_tension.model) == [
        ("2025-W10", "1 min 23 s", "57 s", "2"),
        ("2025-W11", "0 s", "0 s", "0"),
        ("2025-W12", "14 s", "10 s", "1"),
    ]
    assert panel.week_tension.summary.text() == (
        "Most in a week: 1 min 23 s (2025-W10); 32 s a week on average over 3 weeks, "
        "1 without a session."
    )
    chart = panel.week_tension.chart
    assert chart.legend_names() == ["lowering", "other phases"]
    assert hover(chart, chart.position_of(0, 0)) == (
        "2025-W10 (from 2025-03-03): 1 min 23 s under tension, lowering 57 s, 2 sessions"
    )


def test_training_days_per_week_count_every_exercise_against_the_band(panel: ChartsPanel) -> None:
    card = panel.days
    assert rows(card.model) == [
        ("2025-W10", "3", "within"),
        ("2025-W11", "0", "below"),
        ("2025-W12", "1", "below"),
    ]
    assert card.summary.text() == (
        "1.3 training days a week on average; 1 of 3 weeks within 2 to 4, 2 below."
    )
    assert card.chart.legend_names() == ["training days", "target: 2 to 4 days"]
    assert hover(card.chart, card.chart.position_of(0, 0)) == "2025-W10: 3 training days"
    assert hover(card.chart, card.chart.position_of(0, 2)) == "2025-W12: 1 training day"


def test_show_as_table_swaps_the_chart_for_its_table(panel: ChartsPanel, qtbot: QtBot) -> None:
    card = panel.loads
    assert card.chart.isVisible() and not card.table.isVisible()
    qtbot.mouseClick(card.toggle, Qt.MouseButton.LeftButton)
    assert card.table.isVisible() and not card.chart.isVisible()
    assert card.table.accessibleName() == "Load at each tempo (table)"
    assert card.table.accessibleDescription() == card.summary.text()
    assert card.toggle.accessibleName() == "Show load at each tempo as a table"
    qtbot.mouseClick(card.toggle, Qt.MouseButton.LeftButton)
    assert card.chart.isVisible()


def test_a_range_sets_the_weeks_counted_and_clear_hides_every_card(panel: ChartsPanel) -> None:
    panel.show_exercise(
        SQUAT[1], SQUATS[:1], SUMMARIES, since=date(2025, 3, 3), until=date(2025, 3, 9)
    )
    assert rows(panel.days.model) == [("2025-W10", "3", "within")]
    assert panel.heading.text() == f"<b>{SQUAT[1]}</b>: 1 session"
    panel.clear()
    assert not any(card.isVisible() for card in panel.cards)
    assert panel.heading.text() == "Choose an exercise to see its charts."


def test_an_exercise_without_sessions_says_so(panel: ChartsPanel) -> None:
    panel.show_exercise("Nordic curl", [], [])
    assert [card.summary.text() for card in panel.cards] == [
        "No complete reps in this range.",
        "No complete reps in this range.",
        "No tapped sets in this range.",
        "No sets with a load in this range.",
        "No sessions in this range.",
        "No sessions in this range.",
        "No weeks in this range.",
    ]
    assert all(card.model.rowCount() == 0 for card in panel.cards)


def test_the_time_under_tension_comes_from_the_summaries_when_they_have_it(
    panel: ChartsPanel,
) -> None:
    # a summary that differs from its record (as an index row would after an edit) wins
    edited = [SUMMARIES[0]._replace(time_under_tension_ms=99_000), *SUMMARIES[1:]]
    panel.show_exercise(SQUAT[1], SQUATS, edited)
    assert rows(panel.tension.model)[0] == ("2025-03-03", "1 min 39 s", "24 s", "")
    panel.show_exercise(SQUAT[1], SQUATS, [])  # no summaries: made from the records
    assert rows(panel.tension.model)[0] == ("2025-03-03", "36 s", "24 s", "")


# -- the chart module --------------------------------------------------------------------------


def test_every_colour_has_3_to_1_against_its_background() -> None:
    for background in ("#ffffff", THEMES["light"][QPalette.ColorRole.Base]):
        for colour in (*charts.LIGHT_COLOURS, charts.LIGHT_BAND):
            assert contrast(QColor(colour), QColor(background)) >= 3, (colour, background)
        for colour in (*calendar.LIGHT_LEVELS, calendar.LIGHT_OUTLINE):
            assert contrast(QColor(colour), QColor(background)) >= 3, (colour, background)
    for background in ("#000000", THEMES["dark"][QPalette.ColorRole.Base]):
        for colour in (*charts.DARK_COLOURS, charts.DARK_BAND):
            assert contrast(QColor(colour), QColor(background)) >= 3, (colour, background)
        for colour in (*calendar.DARK_LEVELS, calendar.DARK_OUTLINE):
            assert contrast(QColor(colour), QColor(background)) >= 3, (colour, background)
    # the window colour behind the calendar too
    for theme, levels in (("light", calendar.LIGHT_LEVELS), ("dark", calendar.DARK_LEVELS)):
        window = QColor(THEMES[theme][QPalette.ColorRole.Window])
        assert all(contrast(QColor(c), window) >= 3 for c in levels), theme
    assert contrast(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)


def test_a_dark_theme_gets_the_dark_colours(qtbot: QtBot) -> None:
    chart = LineChart(XAxis.NUMBER, "x", "y")
    qtbot.addWidget(chart)
    chart.setPalette(theme_palette("dark"))
    chart.set_series([Series("a", [1, 2, 3], [1, 2, 1], ["1", "2", "3"])])
    (line,) = chart.chart().series()
    assert line.pen().color().name() == charts.DARK_COLOURS[0]
    assert chart.chart().backgroundBrush().color().name() == "#16181c"
    chart.setPalette(theme_palette("light"))  # a theme change redraws in the light colours
    (line,) = chart.chart().series()
    assert line.pen().color().name() == charts.LIGHT_COLOURS[0]


def test_series_differ_by_more_than_colour(qtbot: QtBot) -> None:
    few = LineChart(XAxis.NUMBER, "x", "y")
    qtbot.addWidget(few)
    few.set_series([Series(n, [1, 2], [1, 2], ["", ""]) for n in ("a", "b")])
    a, b = few.chart().series()
    assert a.pen().style() != b.pen().style()  # dash styles
    assert a.lightMarker() != b.lightMarker()  # marker shapes
    many = LineChart(XAxis.NUMBER, "x", "y")
    qtbot.addWidget(many)
    xs = list(range(1000))
    many.set_series([Series(n, xs, [x % 7 for x in xs], [""] * 1000) for n in ("a", "b")])
    # long lines are solid (fast to paint), each with a track of markers the legend names
    assert many.legend_names() == ["a", "b"]
    line_a, track_a, line_b, track_b = many.chart().series()
    assert isinstance(line_a, QLineSeries) and isinstance(track_a, QScatterSeries)
    assert line_a.pen().style() == line_b.pen().style() == Qt.PenStyle.SolidLine
    assert line_a.pen().widthF() != line_b.pen().widthF()
    assert track_a.lightMarker() != track_b.lightMarker()
    assert 0 < track_a.count() <= charts.MARKER_TRACK


def test_a_line_keeps_only_its_corners_and_hovering_still_sees_every_point(qtbot: QtBot) -> None:
    chart = LineChart(XAxis.NUMBER, "rep", "s")
    qtbot.addWidget(chart)
    chart.resize(600, 300)
    ys = [4.0] * 400 + [5.0] * 400
    chart.set_series([Series("lowering", range(800), ys, Lazy(800, lambda i: f"rep {i}"))])
    chart.show()
    qtbot.waitExposed(chart)
    line = chart.chart().series()[0]
    assert [(p.x(), p.y()) for p in line.points()] == [(0, 4), (399, 4), (400, 5), (799, 5)]
    assert hover(chart, chart.position_of(0, 250)) in {f"rep {i}" for i in range(245, 256)}


def test_bar_axis_labels_name_years_quarters_months_or_days() -> None:
    weeks = [date(2015, 12, 28) + (date(2016, 1, 4) - date(2015, 12, 28)) * k for k in range(160)]
    assert slot_labels(weeks)[:3] == [(0, "2015"), (1, "2016"), (53, "2017")]
    assert charts._spaced(slot_labels(weeks))[0] == (1, "2016")
    assert [label for _, label in slot_labels(weeks[:70])][:3] == [
        "Dec 2015",
        "Jan 2016",
        "Apr 2016",
    ]
    assert [label for _, label in slot_labels(weeks[:30])][:3] == ["Dec 2015", "Jan 2016", "Feb"]
    assert slot_labels(weeks[:4]) == [(0, "28 Dec"), (1, "4 Jan"), (2, "11 Jan"), (3, "18 Jan")]
    for span in (4, 16, 30, 70, 160):
        labels = [label for _, label in slot_labels(weeks[:span])]
        assert len(labels) == len(set(labels))  # QCategoryAxis drops a repeated label


def test_lazy_texts_are_made_when_read() -> None:
    made: list[int] = []
    texts = Lazy(3, lambda i: made.append(i) or f"t{i}")
    assert made == [] and len(texts) == 3
    assert texts[-1] == "t2" and texts[0:2] == ["t0", "t1"]
    with pytest.raises(IndexError):
        texts[3]


# -- the calendar ------------------------------------------------------------------------------


@pytest.fixture
def days(qtbot: QtBot) -> Iterator[CalendarPanel]:
    widget = CalendarPanel()
    qtbot.addWidget(widget)
    widget.show_days(SUMMARIES, TODAY, weekly_target=2)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget


def test_the_calendar_says_the_year_the_streak_and_each_day(days: CalendarPanel) -> None:
    assert days.summary.text() == (
        "4 training days in the last 53 weeks; the most time under tension in a day: 47 s on "
        "2025-03-05. Larger, darker squares mark more time under tension than most of your "
        "own days (by quarters)."
    )
    assert days.streak.text() == (
        "Week streak: none yet (2 or more training days in a week start one); "
        "this week 1 of 2 so far."
    )
    assert days.today_text() == (
        "Wed 19 Mar 2025: no session\nWeek 2025-W12: 1 training day, 14 s under tension"
    )
    heat = days.view.heatmap
    assert heat is not None
    levels = {d.day.isoformat(): d.level for d in heat.days if d.level}
    assert levels == {"2025-03-03": 3, "2025-03-05": 4, "2025-03-06": 2, "2025-03-17": 1}


def test_a_met_week_counts_in_the_streak(qtbot: QtBot) -> None:
    widget = CalendarPanel()
    qtbot.addWidget(widget)
    widget.show_days(SUMMARIES, TODAY, weekly_target=1)
    assert widget.streak.text() == (
        "Week streak: 1 week with 1 or more training days, this week included."
    )
    widget.show_days(SUMMARIES, date(2025, 3, 9), weekly_target=1)  # the Sunday of W10
    assert widget.streak.text() == (
        "Week streak: 1 week with 1 or more training days, this week included."
    )
    widget.show_days(SUMMARIES, date(2025, 3, 12), weekly_target=3)
    assert widget.streak.text() == (
        "Week streak: 1 week with 3 or more training days; this week 0 of 3 so far."
    )


def test_hovering_a_day_shows_it_and_its_week(days: CalendarPanel) -> None:
    view = days.view
    heat = view.heatmap
    assert heat is not None
    index = next(i for i, d in enumerate(heat.days) if d.day == date(2025, 3, 5))
    centre = view.cell_rect(index).center().toPoint()
    event = QHelpEvent(QEvent.Type.ToolTip, centre, view.mapToGlobal(centre))
    QApplication.sendEvent(view, event)
    expected = (
        "Wed 5 Mar 2025: 1 session, 47 s under tension (level 4 of 4)\n"
        "Week 2025-W10: 3 training days, 1 min 41 s under tension"
    )
    assert QToolTip.text() == expected
    assert view.text_at(centre) == expected
    assert view.text_at(QPoint(2, 2)) is None  # the weekday labels


def test_the_keyboard_walks_the_days_and_the_description_follows(
    days: CalendarPanel, qtbot: QtBot
) -> None:
    view = days.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Left)  # a week back
    assert view.accessibleDescription() == (
        "Wed 12 Mar 2025: no session. Week 2025-W11: 0 training days, 0 s under tension"
    )
    qtbot.keyClick(view, Qt.Key.Key_Left)
    qtbot.keyClick(view, Qt.Key.Key_Up)  # a day back
    assert view.accessibleDescription().startswith("Tue 4 Mar 2025: no session")
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.accessibleDescription().startswith("Wed 5 Mar 2025: 1 session, 47 s")
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.accessibleDescription().startswith("Wed 19 Mar 2025")
    qtbot.keyClick(view, Qt.Key.Key_Right)  # the future cannot be chosen
    assert view.accessibleDescription().startswith("Wed 19 Mar 2025")
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.accessibleDescription().startswith("Mon 18 Mar 2024: no session")


# -- the records -------------------------------------------------------------------------------


def test_records_table_with_was_values_and_the_sentence(qtbot: QtBot) -> None:
    widget = RecordsPanel()
    qtbot.addWidget(widget)
    widget.show_records([*SQUATS, *CURLS], LoadUnit.KG)
    assert rows(widget.proxy) == [
        (
            "Eccentric barbell squat",
            "Heaviest load",
            "tempo 4-1-1-0",
            "60 kg",
            "2025-03-03",
            "first",
        ),
        (
            "Eccentric barbell squat",
            "Heaviest load",
            "tempo 5-1-1-0",
            "65 kg",
            "2025-03-17",
            "was 62.5 kg (2025-03-05)",
        ),
        ("Eccentric barbell squat", "Longest lowering", "at 65 kg", "5 s", "2025-03-17", "first"),
        (
            "Eccentric barbell squat",
            "Most TUT in one set",
            "-",
            "26 s",
            "2025-03-05",
            "was 18 s (2025-03-03)",
        ),
        (
            "Eccentric dumbbell curl",
            "Heaviest load",
            "tempo 4-1-1-0",
            "12 kg",
            "2025-03-06",
            "first",
        ),
        ("Eccentric dumbbell curl", "Longest lowering", "at 12 kg", "4 s", "2025-03-06", "first"),
        ("Eccentric dumbbell curl", "Most TUT in one set", "-", "18 s", "2025-03-06", "first"),
    ]
    assert widget.summary.text() == (
        "7 records over 2 exercises. Newest: Eccentric barbell squat, heaviest load at tempo "
        "5-1-1-0: 65 kg on 2025-03-17, up from 62.5 kg."
    )
    assert widget.table.accessibleDescription() == widget.summary.text()
    widget.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)  # Best: by value, not by text
    assert [row[3] for row in rows(widget.proxy)] == [
        "12 kg",
        "60 kg",
        "65 kg",
        "4 s",
        "5 s",
        "18 s",
        "26 s",
    ]
    widget.show_records([])
    assert widget.summary.text() == "No records yet: they appear once sessions are saved."


def test_records_in_pounds(qtbot: QtBot) -> None:
    widget = RecordsPanel()
    qtbot.addWidget(widget)
    widget.show_records(CURLS, LoadUnit.LB)
    assert rows(widget.proxy)[0][2:4] == ("tempo 4-1-1-0", "26.5 lb")


# -- what it looks like ------------------------------------------------------------------------


def _colours_in(image: QImage) -> set[str]:
    step = 2
    return {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), step)
        for y in range(0, image.height(), step)
    }


def test_screenshots(panel: ChartsPanel, days: CalendarPanel, qtbot: QtBot) -> None:
    """Saved for people to look at; checked for the colours that carry the data."""
    ARTIFACTS.mkdir(exist_ok=True)
    records = RecordsPanel()
    qtbot.addWidget(records)
    records.resize(900, 320)
    records.show_records([*SQUATS, *CURLS])
    records.show()
    qtbot.waitExposed(records)
    QApplication.processEvents()
    shots = {
        "history_charts": panel.widget().grab().toImage(),
        "history_calendar": days.grab().toImage(),
        "history_records": records.grab().toImage(),
    }
    for name, image in shots.items():
        assert image.save(str(ARTIFACTS / f"{name}.png")), name
    seen = _colours_in(shots["history_charts"])
    assert set(charts.LIGHT_COLOURS[:3]) <= seen or set(charts.DARK_COLOURS[:3]) <= seen
    assert {calendar.LIGHT_LEVELS[3]} <= _colours_in(shots["history_calendar"]) or {
        calendar.DARK_LEVELS[3]
    } <= _colours_in(shots["history_calendar"])


def test_cards_are_chart_cards(panel: ChartsPanel) -> None:
    assert all(isinstance(card, ChartCard) for card in panel.cards)
    assert [card.title.text() for card in panel.cards] == [
        "<b>Lowering per rep</b>",
        "<b>Negative-only sets: lowering per rep</b>",
        "<b>Tempo accuracy per session</b>",
        "<b>Load at each tempo</b>",
        "<b>Time under tension per session</b>",
        "<b>Time under tension per week</b>",
        "<b>Training days per week</b>",
    ]
