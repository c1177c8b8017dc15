"""The History tab with tempo accuracy (tapped lowerings) and negative-only sets: the table's
"On tempo" column and "neg." mark, the detail, the charts kept apart, and a screenshot.

Sessions are built by hand (every number below is worked out from them) and held in the
FakeStore; ``test_a_real_store_keeps_what_the_table_shows`` runs the same rows through the
real store (format 4 keeps taps and set types, and its index the tap counts).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tempo_coach.core.records import (
    LoadUnit,
    PhaseTime,
    PlannedSession,
    RepRecord,
    SessionRecord,
    SessionSummary,
    SetRecord,
)
from tempo_coach.core.tempo import Phase
from tempo_coach.ui.history.model import Column
from tempo_coach.ui.history.tab import HistoryTab
from tempo_coach.ui.writer import StoreWriter
from tests.fakes import FakeStore
from tests.ui.test_history_charts import hover

TODAY = date(2025, 3, 19)
SQUAT = ("barbell-squat", "Eccentric barbell squat")
PULL_UP = ("band-pull-up", "Eccentric band-assisted pull-up")
CURL = ("dumbbell-curl", "Eccentric dumbbell curl")
SCREENSHOTS = Path("/tmp")


def a_set(
    exercise: tuple[str, str],
    number: int,
    reps: int,
    *,
    taps: tuple[int | None, ...] | None = None,
    negative_only: bool = False,
    load: float = 60.0,
) -> SetRecord:
    """Reps planned and cued at 5-1-1-0 (a reset of 1 s in place of the lift when
    ``negative_only``); ``taps``: the lowering tapped per rep (None: a missing tap)."""
    lift = Phase.RESET if negative_only else Phase.CONCENTRIC
    records = tuple(
        RepRecord(
            number,
            i,
            None,
            (
                PhaseTime(Phase.ECCENTRIC, 5000, 5000),
                PhaseTime(Phase.PAUSE_AFTER_ECCENTRIC, 1000, 1000),
                PhaseTime(lift, 1000, 1000),
            ),
            lowering_tapped_ms=None if taps is None else taps[i - 1],
        )
        for i in range(1, reps + 1)
    )
    return SetRecord(
        exercise[0],
        exercise[1],
        number,
        "",
        "5-1-1-0",
        "5-1-1-0",
        reps,
        records,
        load=load,
        load_unit=LoadUnit.KG,
        tap_mode=taps is not None,
        negative_only=negative_only,
    )


def a_session(sid: str, day: str, *sets: SetRecord, tap: bool = False) -> SessionRecord:
    first = sets[0]
    negative = all(s.negative_only for s in sets)
    return SessionRecord(
        sid,
        first.exercise_id,
        first.exercise_name,
        f"{day}T18:00:00+01:00",
        sets,
        rpe=7,
        planned=PlannedSession(
            "5-1-1-0", first.reps_planned, len(sets), tap_mode=tap, negative_only=negative
        ),
    )


SESSIONS = (
    # 5 taps (5.1, 4.9, 3.5 fast, 5, 6 = +20 %: on tempo) and one missing: 4 of 5 on tempo
    a_session(
        "tap-1",
        "2025-03-10",
        a_set(SQUAT, 1, 3, taps=(5100, 4900, 3500)),
        a_set(SQUAT, 2, 3, taps=(None, 5000, 6000)),
        tap=True,
    ),
    a_session("tap-2", "2025-03-12", a_set(SQUAT, 1, 3, taps=(5000, 5200, 4800)), tap=True),
    a_session("all-missing", "2025-03-13", a_set(SQUAT, 1, 2, taps=(None, None)), tap=True),
    a_session(
        "neg-1",
        "2025-03-14",
        a_set(PULL_UP, 1, 3, negative_only=True, load=10),
        a_set(PULL_UP, 2, 3, negative_only=True, load=12.5),
    ),
    a_session(
        "mixed",
        "2025-03-15",
        a_set(PULL_UP, 1, 3, load=0),
        a_set(PULL_UP, 2, 3, negative_only=True, load=12.5),
    ),
    a_session("plain", "2025-03-17", a_set(CURL, 1, 3, load=12)),
)


def make_tab(qtbot: QtBot, store: object) -> HistoryTab:
    writer = StoreWriter()
    tab = HistoryTab(store, writer, today=lambda: TODAY)  # type: ignore[arg-type]
    tab.writer = writer  # type: ignore[attr-defined]
    qtbot.addWidget(tab)
    tab.resize(1500, 900)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


@pytest.fixture
def tab(qtbot: QtBot) -> Iterator[HistoryTab]:
    the_tab = make_tab(qtbot, FakeStore(sessions=SESSIONS))
    yield the_tab
    the_tab.writer.close()  # type: ignore[attr-defined]


def cell(tab: HistoryTab, session_id: str, column: Column, role: int = 0) -> object:
    row = tab.model.row_of(session_id)
    assert row is not None
    return tab.model.index(row, column).data(role or Qt.ItemDataRole.DisplayRole)


def ids(tab: HistoryTab) -> list[str]:
    return [s.session_id for s in tab.visible_summaries()]


def test_the_on_tempo_column_counts_missing_taps_apart(tab: HistoryTab) -> None:
    assert tab.model.headerData(Column.ON_TEMPO, Qt.Orientation.Horizontal) == "On tempo"
    assert cell(tab, "tap-1", Column.ON_TEMPO) == "4/5 (80 %), 1 missing"
    assert cell(tab, "tap-2", Column.ON_TEMPO) == "3/3 (100 %)"
    assert cell(tab, "all-missing", Column.ON_TEMPO) == "2 missing"
    assert cell(tab, "plain", Column.ON_TEMPO) == "", "blank without a tap-mode set"
    assert cell(tab, "neg-1", Column.ON_TEMPO) == ""
    tip = cell(tab, "tap-1", Column.ON_TEMPO, Qt.ItemDataRole.ToolTipRole)
    assert tip == (
        "Tempo accuracy: 4 of 5 tapped reps on tempo (80 %), 1 fast; 1 tap missing "
        "(on tempo: within ±20 % of the lowering count)"
    )
    assert cell(tab, "tap-1", Column.ON_TEMPO, Qt.ItemDataRole.AccessibleTextRole) == tip
    assert cell(tab, "plain", Column.ON_TEMPO, Qt.ItemDataRole.ToolTipRole) is None


def test_negative_only_sessions_are_marked_in_the_sets_column(tab: HistoryTab) -> None:
    assert cell(tab, "neg-1", Column.SETS_REPS) == "2 × 3 neg."
    assert cell(tab, "mixed", Column.SETS_REPS) == "2 × 3 (1 neg.)"
    assert cell(tab, "plain", Column.SETS_REPS) == "1 × 3"
    assert cell(tab, "neg-1", Column.SETS_REPS, Qt.ItemDataRole.ToolTipRole) == (
        "negative-only: every set with a reset in place of each lift (not time under tension)"
    )
    assert cell(tab, "mixed", Column.SETS_REPS, Qt.ItemDataRole.AccessibleTextRole) == (
        "2 × 3, negative-only: 1 set with a reset in place of each lift (not time under tension)"
    )
    # 2 sets × 3 reps × (5 s lowering + 1 s hold): the 1 s resets are not counted
    assert cell(tab, "neg-1", Column.TUT) == "36 s"


def test_sorting_by_adherence_is_by_the_share_on_tempo(tab: HistoryTab) -> None:
    tab.table.sortByColumn(Column.ON_TEMPO, Qt.SortOrder.DescendingOrder)
    assert ids(tab)[:3] == ["tap-2", "tap-1", "all-missing"]
    assert set(ids(tab)[3:]) == {"neg-1", "mixed", "plain"}
    tab.table.sortByColumn(Column.ON_TEMPO, Qt.SortOrder.AscendingOrder)
    assert ids(tab)[3:] == ["all-missing", "tap-1", "tap-2"]
    # the filter still works on the sorted table
    tab.exercise_box.setCurrentIndex(tab.exercise_box.findData(SQUAT[0]))
    assert ids(tab) == ["all-missing", "tap-1", "tap-2"]
    assert tab.count_label.text() == "3 of 6 sessions"


def test_the_search_finds_negative_only_and_tapped_sessions(tab: HistoryTab) -> None:
    tab.search_edit.setText("negative")
    assert sorted(ids(tab)) == ["mixed", "neg-1"]
    tab.search_edit.setText("tapped")
    assert sorted(ids(tab)) == ["all-missing", "tap-1", "tap-2"]


def test_the_detail_shows_each_tap_beside_the_planned_lowering(tab: HistoryTab) -> None:
    assert tab.select("tap-1")
    text = tab.detail.toPlainText()
    lines = text.splitlines()
    assert (
        "Tempo: 4 of 5 tapped reps on tempo (80 %), 1 fast; 1 tap missing "
        "(on tempo: within ±20 % of the lowering count)"
    ) in lines
    assert "Planned: 5-1-1-0, 2 × 3 reps, tapping the end of each lowering" in text
    reps = [line for line in lines if line.startswith("    ")]
    assert [line.split("  ")[-1].strip() for line in reps] == [
        "5.1 s of 5 s: on tempo",
        "4.9 s of 5 s: on tempo",
        "3.5 s of 5 s: fast",
        "missing tap",
        "5 s of 5 s: on tempo",
        "6 s of 5 s: on tempo",
    ]


def test_the_detail_shows_a_negative_only_set_with_its_resets(tab: HistoryTab) -> None:
    assert tab.select("neg-1")
    text = tab.detail.toPlainText()
    assert "Done: 2 sets (2 negative-only), 6 reps, time under tension 36 s" in text
    assert (
        "Set 1: 3 of 3 reps · 10 kg · tempo 5-1-1-0 · time under tension 18 s · "
        "negative-only" in text
    )
    assert (
        "reset"
        in text.splitlines()[
            text.splitlines().index(
                next(line for line in text.splitlines() if line.startswith("Set 1:"))
            )
            + 1
        ]
    )
    assert "tapped" not in text


def show_charts(tab: HistoryTab, exercise_id: str, qtbot: QtBot) -> None:
    tab.exercise_box.setCurrentIndex(tab.exercise_box.findData(exercise_id))
    tab.side_tabs.setCurrentWidget(tab.charts_page)
    qtbot.waitUntil(tab.charts.isVisible)  # a page made on first show appears a turn later


def test_the_charts_show_adherence_per_session_where_taps_exist(
    tab: HistoryTab, qtbot: QtBot
) -> None:
    show_charts(tab, SQUAT[0], qtbot)
    card = tab.charts.adherence
    assert card.isVisible()
    model = card.model
    table = [
        tuple(model.index(r, c).data() for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]
    assert table == [
        ("2025-03-10", "80 %", "5", "1", "0", "1"),
        ("2025-03-12", "100 %", "3", "0", "0", "0"),
        ("2025-03-13", "", "0", "0", "0", "2"),
    ]
    assert card.summary.text() == (
        "On tempo (within ±20 % of the lowering count): 7 of 8 tapped reps (88 %) over "
        "3 sessions, 1 fast; 3 taps missing (not guessed, not charted)."
    )
    assert card.chart.legend_names() == ["on tempo", "fast"]
    (y_axis,) = card.chart.chart().axes(Qt.Orientation.Vertical)
    assert y_axis.max() == 100, "a share ends at 100 %"
    # the tapped lowerings are points on the lowering chart, a missing tap is no point
    lowering = tab.charts.lowering
    assert lowering.chart.legend_names()[-1] == "tapped"
    tapped = [lowering.model.index(r, 6).data() for r in range(lowering.model.rowCount())]
    assert tapped[:6] == ["5.1 s", "4.9 s", "3.5 s", "", "5 s", "6 s"]
    assert hover(lowering.chart, lowering.chart.position_of(3, 2)) == (
        "2025-03-10, set 1, rep 3: tapped 3.5 s (planned 5 s, cued 5 s)"
    )
    assert not tab.charts.negative_lowering.isVisible()


def test_the_charts_keep_negative_only_sets_apart(tab: HistoryTab, qtbot: QtBot) -> None:
    show_charts(tab, PULL_UP[0], qtbot)
    charts = tab.charts
    assert not charts.adherence.isVisible(), "no taps: no tempo accuracy chart"
    assert charts.negative_lowering.isVisible()
    assert charts.lowering.model.rowCount() == 3, "only the normal set of 'mixed'"
    assert charts.negative_lowering.model.rowCount() == 9
    assert charts.lowering.summary.text().endswith("Negative-only sets (9 reps) are charted apart.")
    assert list(charts.loads.chart.legend_names()) == ["5-1-1-0", "5-1-1-0, negative-only"]
    tension = charts.tension
    assert tension.chart.legend_names() == [
        "time under tension",
        "lowering",
        "with negative-only sets",
    ]
    assert [tension.model.index(r, 3).data() for r in range(2)] == ["yes", "yes"]
    assert "2 sessions with negative-only sets are marked" in tension.summary.text()


def test_a_real_store_keeps_what_the_table_shows(qtbot: QtBot, tmp_path: Path) -> None:
    from tempo_coach.store import Store

    store = Store.open(tmp_path / "data")
    try:
        store.save_sessions(SESSIONS)
        assert [store.session(r.session_id) for r in SESSIONS] == list(SESSIONS)
        assert store.summaries() == [SessionSummary.of(r) for r in SESSIONS]
        tab = make_tab(qtbot, store)
        assert cell(tab, "tap-1", Column.ON_TEMPO) == "4/5 (80 %), 1 missing"
        assert cell(tab, "neg-1", Column.SETS_REPS) == "2 × 3 neg."
        assert tab.select("tap-1") and "3.5 s of 5 s: fast" in tab.detail.toPlainText()
        tab.writer.close()  # type: ignore[attr-defined]
    finally:
        store.close()


def test_a_screenshot_of_the_tab_with_taps_and_negative_only_sets(
    tab: HistoryTab, qtbot: QtBot
) -> None:
    assert tab.select("tap-1")
    tab.table.scrollToTop()
    image = tab.grab().toImage()
    assert not image.isNull() and image.width() == tab.width()
    assert image.save(str(SCREENSHOTS / "history_coaching_table.png"))
    assert tab.select("neg-1")
    assert tab.grab().toImage().save(str(SCREENSHOTS / "history_coaching_negative.png"))
    show_charts(tab, SQUAT[0], qtbot)
    charts = tab.charts
    charts.resize(900, 2400)
    assert charts.widget().grab().toImage().save(str(SCREENSHOTS / "history_coaching_charts.png"))


def test_records_keep_negative_only_sets_apart(tab: HistoryTab, qtbot: QtBot) -> None:
    tab.exercise_box.setCurrentIndex(tab.exercise_box.findData(PULL_UP[0]))
    tab.side_tabs.setCurrentWidget(tab.records_page)
    qtbot.waitUntil(tab.records_panel.isVisible)
    model = tab.records_panel.model
    rows = {
        (model.index(r, 1).data(), model.index(r, 2).data()): model.index(r, 3).data()
        for r in range(model.rowCount())
    }
    # the normal set (0 kg) is not beaten by the heavier negative-only ones
    assert rows[("Heaviest load", "tempo 5-1-1-0")] == "0 kg"
    assert rows[("Heaviest load", "tempo 5-1-1-0, negative-only")] == "12.5 kg"
    assert rows[("Longest lowering", "at 12.5 kg, negative-only")] == "5 s"
    assert rows[("Longest lowering", "at 0 kg")] == "5 s", "not beaten by a heavier negative"
