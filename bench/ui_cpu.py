"""CPU used by the window while a set runs (the timer view, polling and painting).

``python -m bench ui_cpu [--seconds S] [--count-seconds C] [--reps N --after A]`` opens the
real window (platform from $QT_QPA_PLATFORM, offscreen by default; under Xvfb use
``QT_QPA_PLATFORM=xcb``), starts the "Eccentric barbell squat" (3-1-1-0, 6 reps, a 3 s
count-in) with a silent output on the real monotonic clock, lets A seconds of it pass
(default 0) and prints:

1. the process CPU time over S seconds of the set as a percentage of one core, with the
   runner's looks (GUI-thread wakeups for the set) and view changes per second, counted by
   wrapping the runner's own methods (a Python call each, nothing per event);
2. then, over C more seconds, what woke the GUI thread (timer events) and what was painted,
   per widget, counted with an application event filter. That filter runs Python for every
   event, so this second part's CPU is not reported.

Audio is not included (the audio bench measures its own). The figures before and after the
rework are in docs/UI.md. ``--reps 1 --after 10`` measures a rest (it starts 8 s in).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from typing import Any


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench ui_cpu", description=__doc__)
    parser.add_argument("--seconds", type=float, default=20.0, help="CPU measurement")
    parser.add_argument("--count-seconds", type=float, default=10.0, help="event counts")
    parser.add_argument("--reps", type=int, default=None, help="reps per set")
    parser.add_argument("--after", type=float, default=0.0, help="seconds before measuring")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from tempo_coach.ui.main_window import MainWindow
    from tests.fakes import FakeOutput, FakeStore

    app = QApplication.instance() or QApplication([sys.argv[0]])
    window = MainWindow(FakeStore(), lambda _prefs: FakeOutput())
    window.resize(1280, 800)
    window.show()
    runner = window.runner
    platform = os.environ["QT_QPA_PLATFORM"]
    looks = [0]
    changes = [0]
    poll_now = runner.poll_now

    def counted_poll_now() -> None:
        looks[0] += 1
        poll_now()

    # The timer's slot calls self.poll_now(), so this counts every look.
    runner.poll_now = counted_poll_now  # type: ignore[method-assign]
    runner.view_changed.connect(lambda _state: changes.__setitem__(0, changes[0] + 1))
    marks: dict[str, float] = {}
    events: Counter[tuple[str, str]] = Counter()

    class EventCounter(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            kind = event.type()
            if kind in (QEvent.Type.Paint, QEvent.Type.Timer, QEvent.Type.LayoutRequest):
                events[(kind.name, watched.objectName() or type(watched).__name__)] += 1
            return False

    counter = EventCounter()

    def start() -> None:
        window.picker.select("barbell-squat")
        if args.reps is not None:
            window.setup.reps_box.setValue(args.reps)
        window.start_session()

    def begin() -> None:
        looks[0] = changes[0] = 0
        marks["cpu"], marks["wall"] = time.process_time(), time.monotonic()

    def measured() -> None:
        cpu = time.process_time() - marks["cpu"]
        wall = time.monotonic() - marks["wall"]
        print(
            f"window CPU while a set runs ({platform}, {wall:.0f} s): "
            f"{100 * cpu / wall:.2f}% of one core; "
            f"{looks[0] / wall:.1f} looks/s (GUI-thread wakeups for the set), "
            f"{changes[0] / wall:.1f} view changes/s, "
            f"{1000 * cpu / max(1, looks[0]):.2f} ms of CPU per look",
            flush=True,
        )
        marks["count_wall"] = time.monotonic()
        app.installEventFilter(counter)

    def counted() -> None:
        app.removeEventFilter(counter)
        wall = time.monotonic() - marks["count_wall"]
        state = runner.state
        rep_view = window.rep_view
        in_view = {w.objectName() for w in rep_view.findChildren(QObject)} | {"rep_view"}

        def per_second(kind: str, names: set[str] | None = None) -> float:
            wanted = [n for (k, name), n in events.items() if k == kind]
            if names is not None:
                wanted = [n for (k, name), n in events.items() if k == kind and name in names]
            return sum(wanted) / wall

        paints = sorted(
            ((name, n / wall) for (k, name), n in events.items() if k == "Paint"),
            key=lambda item: -item[1],
        )
        print(
            f"counted over {wall:.0f} s more: {per_second('Timer'):.1f} timer wakeups/s, "
            f"{per_second('Paint', in_view):.1f} rep view repaints/s (widgets), "
            f"{per_second('Paint') - per_second('Paint', in_view):.1f} repaints/s elsewhere, "
            f"{per_second('LayoutRequest'):.1f} layout requests/s; "
            f"last phase {state.phase if state else None}"
        )
        print("  repaints/s: " + ", ".join(f"{name} {rate:.1f}" for name, rate in paints))
        window.shutdown()
        app.quit()

    def after(ms: float, slot: Any) -> None:
        QTimer.singleShot(int(ms), slot)

    begins = 500 + args.after * 1000
    after(500, start)
    after(begins, begin)
    after(begins + args.seconds * 1000, measured)
    after(begins + (args.seconds + args.count_seconds) * 1000, counted)
    app.exec()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
