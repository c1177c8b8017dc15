"""The History tab over ten years: from the click on the tab to a painted table, a sort, a
filter keystroke, choosing a session; and the app's window built with the tab (it must not
slow the start: the tab reads nothing until first shown).

``python -m bench history_tab [--years 10] [--runs 7]``. Each figure is the median (and the
worst) of ``--runs`` fresh windows over the same store, each timed with
``time.perf_counter`` around the action and ``QApplication.processEvents()`` plus a
``repaint()`` of the table (so what is timed is painted, not only queued). Targets: each under
100 ms (the History issue).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _timed(action: Callable[[], object], paint: Callable[[], None]) -> float:
    started = time.perf_counter()
    action()
    paint()
    return (time.perf_counter() - started) * 1000


def _one_run(qapp: Any, store: Any, note: Callable[[str, float], None]) -> None:
    """A fresh window over ``store``: every action timed once."""
    from PySide6.QtCore import Qt

    from tempo_coach.ui.history.model import Column
    from tempo_coach.ui.main_window import MainWindow
    from tests.fakes import FakeOutput

    started = time.perf_counter()
    window = MainWindow(store, lambda _p: FakeOutput())
    window.resize(1366, 768)
    window.show()
    qapp.processEvents()
    note("window with the tab, built and shown", (time.perf_counter() - started) * 1000)

    def paint() -> None:
        qapp.processEvents()
        window.history.table.viewport().repaint()

    def timed(name: str, action: Callable[[], object]) -> None:
        note(name, _timed(action, paint))

    # The first click makes the tab (it is made on first show) and reads the summaries.
    timed(
        "click on History to a painted table",
        lambda: window.tabs.setCurrentWidget(window.history_page),
    )
    tab = window.history
    table = tab.table
    timed("sort by load", lambda: table.sortByColumn(Column.LOAD, Qt.SortOrder.AscendingOrder))
    timed(
        "sort by date again",
        lambda: table.sortByColumn(Column.DATE, Qt.SortOrder.DescendingOrder),
    )
    timed("filter: one exercise", lambda: tab.exercise_box.setCurrentIndex(1))
    tab.exercise_box.setCurrentIndex(0)
    timed("filter keystroke ('s' over every session)", lambda: tab.search_edit.setText("s"))
    timed("filter keystroke (a second letter)", lambda: tab.search_edit.setText("sq"))
    tab.search_edit.setText("")
    note(
        "choose a session (its detail)",
        _timed(lambda: table.selectRow(3), lambda: (qapp.processEvents(), tab.detail.repaint())),
    )
    window.shutdown()
    window.deleteLater()
    qapp.processEvents()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench history_tab")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    from bench.store_history import generate
    from tempo_coach.store import Store

    qapp = QApplication.instance() or QApplication([sys.argv[0]])
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        seeded = Store.open(data)
        seeded.save_sessions(generate(args.years))
        seeded.close()
        store = Store.open(data)  # reads the index, as the app does
        sessions = len(store.summaries())
        figures: dict[str, list[float]] = {}

        def note(name: str, ms: float) -> None:
            figures.setdefault(name, []).append(ms)

        for _run in range(args.runs):
            _one_run(qapp, store, note)
        store.close()

    print(f"history_tab: {sessions} sessions ({args.years} years), {args.runs} runs")
    print(f"{'what':48} {'median ms':>10} {'worst ms':>9}")
    for name, values in figures.items():
        print(f"{name:48} {statistics.median(values):10.1f} {max(values):9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
