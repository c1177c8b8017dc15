"""The History tab against a real store in a temporary folder, seeded with known sessions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QTableView
from pytestqt.qtbot import QtBot

from tempo_coach.core.clock import FakeClock
from tempo_coach.core.exercise import BUILTIN_EXERCISES
from tempo_coach.core.records import LoadUnit, SessionRecord
from tempo_coach.core.session import Session, SessionStatus
from tempo_coach.core.tempo import parse_tempo
from tempo_coach.core.timeline import SetPlan
from tempo_coach.store import Store
from tempo_coach.ui.history.model import Column
from tempo_coach.ui.history.tab import CUSTOM, HistoryTab
from tempo_coach.ui.writer import StoreWriter

BY_ID = {e.exercise_id: e for e in BUILTIN_EXERCISES}
TODAY = date(2026, 11, 27)


def played(
    exercise_id: str,
    day: str,
    *,
    tempo: str = "3-1-1-0",
    reps: int = 3,
    sets: int = 2,
    load: float | None = 60.0,
    change_at_s: float | None = None,
    session_id: str,
) -> SessionRecord:
    """A session really played on a fake clock; ``change_at_s``: +1 s to the lowering then."""
    clock = FakeClock()
    plan = SetPlan.from_exercise(
        BY_ID[exercise_id],
        tempo=parse_tempo(tempo),
        reps=reps,
        sets=sets,
        rest_ms=5000,
        count_in_ms=0,
    )
    stamps = iter(f"{day}T18:{minute:02d}:00+01:00" for minute in range(60))
    session = Session(
        plan,
        clock,
        load=load,
        load_unit=LoadUnit.KG,
        wall_time=lambda: next(stamps),
        session_id=session_id,
    )
    session.start()
    while session.status is SessionStatus.RUNNING:
        if change_at_s is not None and session.session_ms() >= change_at_s * 1000:
            session.change_eccentric(+1000)
            change_at_s = None
        clock.advance(0.25)
        session.poll()
    return replace(session.record(), rpe=7, note=f"note of {session_id}")


# Squats lowered for 3 s, then 5 s with the same 60 kg; one curl session; one old row.
SESSIONS = (
    played("barbell-squat", "2026-10-02", session_id="squat-1"),
    # +1 s during rep 1's lowering of set 1 (0.5 s in): from rep 2 on, rep 2 is where it shows.
    played("barbell-squat", "2026-10-30", tempo="4-1-1-0", change_at_s=0.5, session_id="squat-2"),
    played("barbell-squat", "2026-11-20", tempo="5-1-1-0", session_id="squat-3"),
    played("dumbbell-curl", "2026-11-25", tempo="4-0-1-1", load=12.5, session_id="curl-1"),
    played("cable-row", "2025-01-10", tempo="4-0-1-0", load=40, session_id="row-old"),
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    the_store = Store.open(tmp_path / "data")
    the_store.save_sessions(SESSIONS)
    yield the_store
    the_store.close()


@pytest.fixture
def tab(qtbot: QtBot, store: Store) -> Iterator[HistoryTab]:
    writer = StoreWriter()
    the_tab = HistoryTab(store, writer, today=lambda: TODAY)
    the_tab.writer = writer  # type: ignore[attr-defined]
    writer.write_done.connect(lambda _done: the_tab.mark_stale())
    qtbot.addWidget(the_tab)
    the_tab.resize(1200, 700)
    the_tab.show()
    qtbot.waitExposed(the_tab)
    yield the_tab
    writer.close()


def ids(tab: HistoryTab) -> list[str]:
    return [s.session_id for s in tab.visible_summaries()]


def cell(tab: HistoryTab, session_id: str, column: Column) -> str:
    row = tab.model.row_of(session_id)
    assert row is not None
    return str(tab.model.index(row, column).data())


def test_the_table_shows_every_session_newest_first(tab: HistoryTab) -> None:
    assert ids(tab) == ["curl-1", "squat-3", "squat-2", "squat-1", "row-old"]
    assert tab.count_label.text() == "5 sessions"
    assert cell(tab, "squat-2", Column.DATE) == "2026-10-30 18:00"
    assert cell(tab, "squat-2", Column.EXERCISE) == "Eccentric barbell squat"
    assert cell(tab, "squat-2", Column.SETS_REPS) == "2 × 3"
    assert cell(tab, "squat-2", Column.TEMPO_PLANNED) == "4-1-1-0"
    assert cell(tab, "squat-2", Column.TEMPO_DONE) == "5-1-1-0 *", "changed live: marked"
    assert cell(tab, "squat-3", Column.TEMPO_DONE) == "5-1-1-0"
    assert cell(tab, "squat-2", Column.LOAD) == "60 kg"
    assert cell(tab, "curl-1", Column.LOAD) == "12.5 kg"
    assert cell(tab, "squat-1", Column.TUT) == "30 s"  # 6 reps of 5 s
    assert cell(tab, "squat-1", Column.ECCENTRIC_TUT) == "18 s"  # 6 lowerings of 3 s
    assert cell(tab, "squat-1", Column.RPE) == "7"
    assert cell(tab, "squat-1", Column.NOTE) == "note of squat-1"


def test_sorting_by_any_column(tab: HistoryTab) -> None:
    tab.table.sortByColumn(Column.LOAD, Qt.SortOrder.AscendingOrder)
    loads = [s.top_load for s in tab.visible_summaries()]
    assert loads == sorted(loads)  # type: ignore[type-var]
    tab.table.sortByColumn(Column.ECCENTRIC_TUT, Qt.SortOrder.DescendingOrder)
    lowering = [s.eccentric_ms for s in tab.visible_summaries()]
    assert lowering == sorted(lowering, reverse=True)
    tab.table.sortByColumn(Column.EXERCISE, Qt.SortOrder.AscendingOrder)
    names = [s.exercise_name.casefold() for s in tab.visible_summaries()]
    assert names == sorted(names)
    tab.table.sortByColumn(Column.DATE, Qt.SortOrder.AscendingOrder)
    assert ids(tab) == ["row-old", "squat-1", "squat-2", "squat-3", "curl-1"]


def test_filters_by_exercise_range_and_text(tab: HistoryTab) -> None:
    tab.exercise_box.setCurrentIndex(tab.exercise_box.findData("barbell-squat"))
    assert ids(tab) == ["squat-3", "squat-2", "squat-1"]
    assert tab.count_label.text() == "3 of 5 sessions"
    tab.range_box.setCurrentIndex(0)  # the last 4 weeks: 31 Oct to 27 Nov
    assert ids(tab) == ["squat-3"]
    tab.range_box.setCurrentIndex(1)  # 12 weeks
    assert ids(tab) == ["squat-3", "squat-2", "squat-1"]
    tab.exercise_box.setCurrentIndex(0)  # all exercises
    assert ids(tab) == ["curl-1", "squat-3", "squat-2", "squat-1"]
    tab.range_box.setCurrentIndex(CUSTOM)
    assert tab.since_edit.isVisible() and tab.until_edit.isVisible()
    tab.since_edit.setDate(tab.since_edit.date().fromString("2025-01-01", "yyyy-MM-dd"))
    tab.until_edit.setDate(tab.until_edit.date().fromString("2025-12-31", "yyyy-MM-dd"))
    assert ids(tab) == ["row-old"]
    tab.range_box.setCurrentIndex(4)  # all time
    tab.search_edit.setText("NOTE OF squat-2")
    assert ids(tab) == ["squat-2"], "words, any case"
    tab.search_edit.setText("curl 2026-11")
    assert ids(tab) == ["curl-1"]
    tab.search_edit.setText("nothing like this")
    assert ids(tab) == [] and tab.count_label.text() == "0 of 5 sessions"


def test_the_detail_shows_the_live_change_at_its_rep_and_copies(
    tab: HistoryTab, qtbot: QtBot
) -> None:
    assert tab.select("squat-2")
    text = tab.detail.toPlainText()
    assert text.startswith("Eccentric barbell squat, 2026-10-30 18:00")
    assert "Planned: 4-1-1-0, 2 × 3 reps, rest 5 s, count-in 0 s" in text
    lines = text.splitlines()
    set_1 = lines.index(next(line for line in lines if line.startswith("Set 1:")))
    assert "tempo 4-1-1-0 → 5-1-1-0" in lines[set_1]
    rep_lines = lines[set_1 + 2 : set_1 + 5]
    assert rep_lines[0].split()[:2] == ["1", "4"], "rep 1 lowered 4 s"
    assert "←" not in rep_lines[0]
    assert rep_lines[1].split()[:2] == ["2", "5"] and "← 5 s from here (was 4 s)" in rep_lines[1]
    assert rep_lines[2].split()[:2] == ["3", "5"]
    assert "RPE 7" in text and "Note: note of squat-2" in text
    tab.copy_session()
    assert QGuiApplication.clipboard().text() == text


def test_edit_changes_the_store_and_undo_puts_it_back(
    tab: HistoryTab, store: Store, qtbot: QtBot
) -> None:
    assert tab.select("squat-1")
    dialog = tab.edit_session()
    assert dialog is not None
    dialog.load_boxes[1].setValue(62.5)
    dialog.rpe_box.setValue(9)
    dialog.note_edit.setPlainText("heavier second set")
    dialog._on_buttons_accepted()
    assert tab.writer.wait_idle()  # type: ignore[attr-defined]
    edited = store.session("squat-1")
    assert edited is not None
    assert [s.load for s in edited.sets] == [60.0, 62.5]
    assert (edited.rpe, edited.note) == (9, "heavier second set")
    qtbot.waitUntil(lambda: cell(tab, "squat-1", Column.RPE) == "9")
    assert cell(tab, "squat-1", Column.LOAD) == "62.5 kg"
    tab.undo_stack.undo()
    assert tab.writer.wait_idle()  # type: ignore[attr-defined]
    assert store.session("squat-1") == SESSIONS[0]
    qtbot.waitUntil(lambda: cell(tab, "squat-1", Column.RPE) == "7")


def test_an_edit_that_fails_validation_changes_nothing(tab: HistoryTab, store: Store) -> None:
    before = sorted(p.read_bytes() for p in store.history_path.glob("*.json"))
    assert tab.select("squat-1")
    dialog = tab.edit_session()
    assert dialog is not None
    dialog.note_edit.setPlainText("x" * 3000)
    dialog._on_buttons_accepted()
    assert dialog.isVisible() and "at most 2000" in dialog.error_label.text()
    dialog.reject()
    assert tab.undo_stack.count() == 0
    assert tab.writer.wait_idle()  # type: ignore[attr-defined]
    assert sorted(p.read_bytes() for p in store.history_path.glob("*.json")) == before


def test_delete_and_undo_with_the_store_files(
    tab: HistoryTab, store: Store, tmp_path: Path, qtbot: QtBot
) -> None:
    assert tab.select("curl-1")
    tab.delete_session()
    assert tab.writer.wait_idle()  # type: ignore[attr-defined]
    assert store.session("curl-1") is None
    qtbot.waitUntil(lambda: "curl-1" not in ids(tab))
    store.close()
    reopened = Store.open(tmp_path / "data")  # the files, not the memory
    assert "curl-1" not in [s.session_id for s in reopened.summaries()]
    assert len(reopened.summaries()) == len(SESSIONS) - 1
    reopened.close()


def test_undo_of_a_delete_restores_the_session(tab: HistoryTab, store: Store, qtbot: QtBot) -> None:
    assert tab.select("squat-2")
    tab.delete_session()
    assert tab.writer.wait_idle()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: "squat-2" not in ids(tab))
    tab.undo_stack.undo()
    assert tab.writer.wait_idle()  # type: ignore[attr-defined]
    assert store.session("squat-2") == SESSIONS[1]
    qtbot.waitUntil(lambda: "squat-2" in ids(tab))
    tab.undo_stack.redo()
    assert tab.writer.wait_idle()  # type: ignore[attr-defined]
    assert store.session("squat-2") is None


def test_an_empty_history_says_how_to_fill_it(qtbot: QtBot, tmp_path: Path) -> None:
    empty = Store.open(tmp_path / "empty")
    writer = StoreWriter()
    tab = HistoryTab(empty, writer, today=lambda: TODAY)
    qtbot.addWidget(tab)
    tab.show()
    assert tab.empty_label.isVisible() and "No sessions yet" in tab.empty_label.text()
    assert tab.count_label.text() == "0 sessions"
    writer.close()
    empty.close()


def test_a_read_only_store_offers_no_edit(qtbot: QtBot, store: Store, tmp_path: Path) -> None:
    second = Store.open(tmp_path / "data")  # the first holds the lock
    assert second.read_only
    writer = StoreWriter()
    tab = HistoryTab(second, writer, today=lambda: TODAY)
    qtbot.addWidget(tab)
    tab.show()
    assert tab.select("squat-1")
    assert tab.copy_button.isEnabled()
    assert not tab.edit_button.isEnabled() and not tab.delete_button.isEnabled()
    writer.close()
    second.close()


def test_export_csv_of_the_sessions_shown(tab: HistoryTab, tmp_path: Path, qtbot: QtBot) -> None:
    target = tmp_path / "out" / "squats.csv"
    target.parent.mkdir()
    tab.exchange._choose_save = lambda *_args: str(target)
    messages: list[str] = []
    tab.message.connect(messages.append)
    tab.exercise_box.setCurrentIndex(tab.exercise_box.findData("barbell-squat"))
    tab.exchange.export_csv()
    qtbot.waitUntil(lambda: bool(messages))
    assert messages[-1] == f"Exported 3 sessions to {target}."
    lines = target.read_text().splitlines()
    header = lines[0].split(",")
    assert header[:8] == [
        "date", "session_id", "exercise_id", "exercise", "set", "side",
        "tempo_planned", "tempo_used",
    ]  # fmt: skip
    rows = [dict(zip(header, line.split(","), strict=False)) for line in lines[1:]]
    assert len(rows) == 6, "two sets of each of three squat sessions"
    assert {r["session_id"] for r in rows} == {"squat-1", "squat-2", "squat-3"}
    changed = [r for r in rows if r["session_id"] == "squat-2" and r["set"] == "1"]
    assert (changed[0]["tempo_planned"], changed[0]["tempo_used"]) == ("4-1-1-0", "5-1-1-0")


def test_a_backup_restores_into_an_empty_store_and_twice_adds_nothing(
    tab: HistoryTab, store: Store, tmp_path: Path, qtbot: QtBot
) -> None:
    backup = tmp_path / "backup.json"
    tab.exchange._choose_save = lambda *_args: str(backup)
    tab.exchange.write_backup()
    assert tab.writer.wait_idle()  # type: ignore[attr-defined]
    qtbot.waitUntil(backup.exists)

    laptop = Store.open(tmp_path / "new-laptop")
    writer = StoreWriter()
    other = HistoryTab(laptop, writer, today=lambda: TODAY)
    qtbot.addWidget(other)
    writer.write_done.connect(lambda _done: other.mark_stale())
    other.show()
    other.exchange._choose_open = lambda *_args: str(backup)
    messages: list[str] = []
    other.message.connect(messages.append)
    dialog = other.exchange.restore()
    assert dialog is not None and "Sessions: 5 new, 0 already here" in "\n".join(
        dialog.preview.lines()
    )
    dialog.accept()
    assert writer.wait_idle()
    qtbot.waitUntil(lambda: messages[-1:] == ["Restored 5 sessions and 0 exercises."])
    assert laptop.history() == store.history()
    qtbot.waitUntil(lambda: len(ids(other)) == 5)
    again = other.exchange.restore()
    assert again is not None and again.import_button.text() == "Nothing to add"
    again.accept()
    assert writer.wait_idle()
    assert len(laptop.history()) == 5, "nothing doubled"
    writer.close()
    laptop.close()


@pytest.mark.parametrize(
    "content",
    [b"date,session_id\n2026-01-01,x\n", b'{"kind": "tempo-coach-backup", "sch', b"[]", b""],
)
def test_a_bad_backup_is_refused_with_a_message_and_changes_nothing(
    tab: HistoryTab, store: Store, tmp_path: Path, content: bytes
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    before = {p.name: p.read_bytes() for p in store.path.rglob("*") if p.is_file()}
    tab.exchange._choose_open = lambda *_args: str(bad)
    messages: list[str] = []
    tab.message.connect(messages.append)
    assert tab.exchange.restore() is None
    assert messages and messages[0].startswith("Not restored: ") and "bad.json" in messages[0]
    after = {p.name: p.read_bytes() for p in store.path.rglob("*") if p.is_file()}
    assert after == before


def test_the_charts_follow_the_exercise_and_the_range(tab: HistoryTab, qtbot: QtBot) -> None:
    tab.side_tabs.setCurrentWidget(tab.charts_page)
    tab.exercise_box.setCurrentIndex(tab.exercise_box.findData("barbell-squat"))
    text = tab.charts.findChildren(QLabel)
    sentences = " ".join(label.text() for label in text)
    assert "Eccentric barbell squat" in sentences or "lowering" in sentences.lower()
    # The lowering chart's table has one row per rep of the three squat sessions (18 reps).
    tables = [v for v in tab.charts.findChildren(QTableView) if v.model() is not None]
    assert any(v.model().rowCount() == 18 for v in tables)
    tab.range_box.setCurrentIndex(0)  # 4 weeks: the last squat session only
    tables = [v for v in tab.charts.findChildren(QTableView) if v.model() is not None]
    assert any(v.model().rowCount() == 6 for v in tables)


def test_the_calendar_and_the_records_are_drawn_when_shown(tab: HistoryTab) -> None:
    assert tab.calendar_page.content is None, "nothing is made before it is shown"
    tab.side_tabs.setCurrentWidget(tab.calendar_page)
    described = tab.calendar.accessibleDescription() + " ".join(
        w.text() for w in tab.calendar.findChildren(QLabel)
    )
    assert "week" in described.lower()
    tab.side_tabs.setCurrentWidget(tab.records_page)
    views = tab.records_panel.findChildren(QTableView)
    assert views and views[0].model().rowCount() > 0
