"""CPU used by the window while a set runs (the timer view, polling and painting).

``python -m bench ui_cpu [--seconds S]`` opens the real window (platform from
$QT_QPA_PLATFORM, offscreen by default), starts the "Eccentric barbell squat" with a silent
output on the real monotonic clock, and prints the process CPU time over S seconds of the
set as a percentage of one core. Audio is not included (the audio bench measures its own).
"""

from __future__ import annotations

import argparse
import os
import sys
import time


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench ui_cpu", description=__doc__)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from tempo_coach.ui.main_window import MainWindow
    from tempo_coach.ui.ports import InMemoryStore, SilentOutput

    app = QApplication.instance() or QApplication([sys.argv[0]])
    window = MainWindow(InMemoryStore(), lambda _prefs: SilentOutput())
    window.resize(1280, 800)
    window.show()
    marks: dict[str, float] = {}

    def start() -> None:
        window.picker.select("barbell-squat")
        window.start_session()
        marks["cpu"], marks["wall"] = time.process_time(), time.monotonic()

    def stop() -> None:
        cpu = time.process_time() - marks["cpu"]
        wall = time.monotonic() - marks["wall"]
        state = window.runner.state
        print(
            f"window CPU while a set runs ({os.environ['QT_QPA_PLATFORM']}, "
            f"{wall:.0f} s): "
            f"{100 * cpu / wall:.1f}% of one core; last phase {state.phase if state else None}"
        )
        window.shutdown()
        app.quit()

    QTimer.singleShot(500, start)
    QTimer.singleShot(int(500 + args.seconds * 1000), stop)
    app.exec()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
