"""Start-up time: from process start to the first paint of the main window.

``python -m bench startup [--runs N]`` starts ``tempo-coach`` (the real entry point, the real
store in a fresh temporary data folder) N times and prints the median, minimum and maximum.
The clock is CLOCK_MONOTONIC, which is shared by every process on Linux: the parent reads it
just before spawning the child, and the child prints it at the first paint event of a widget
in the main window, then quits. The platform is $QT_QPA_PLATFORM (``make bench`` uses
offscreen; run under Xvfb or a desktop with QT_QPA_PLATFORM=xcb for a real window system).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The child: watch for the first paint in a QMainWindow, print when it happened, quit. The
# rest is the real start-up (tempo_coach.__main__.main, which imports Qt and the app itself).
PROBE = r"""
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

app = QApplication([sys.argv[0]])

class FirstPaint(QObject):
    done = False
    def eventFilter(self, watched, event):
        if (not self.done and event.type() == QEvent.Type.Paint
                and isinstance(watched, QWidget) and isinstance(watched.window(), QMainWindow)):
            self.done = True
            print(f"FIRST_PAINT {time.monotonic():.6f}", flush=True)
            QTimer.singleShot(0, app.quit)
        return False

probe = FirstPaint()
app.installEventFilter(probe)
from tempo_coach.__main__ import main
sys.argv = ["tempo-coach", "--data-dir", sys.argv[1]]
sys.exit(main())
"""


def one_run(data_dir: Path) -> float:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = str(ROOT)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(data_dir)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    for line in result.stdout.splitlines():
        if line.startswith("FIRST_PAINT "):
            return float(line.split()[1]) - started
    raise RuntimeError(f"no paint seen (exit {result.returncode}): {result.stderr[-2000:]}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench startup", description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="start on this data folder (e.g. one made by `python -m bench store_history "
        "--keep DIR`: ten years of history) instead of a fresh one each run",
    )
    args = parser.parse_args(argv)
    platform = os.environ.get("QT_QPA_PLATFORM", "offscreen")
    times = []
    with tempfile.TemporaryDirectory() as folder:
        given = Path(args.data_dir) if args.data_dir else None
        one_run(given or Path(folder) / "warm-up")  # fills the OS file cache, as a restart would
        for run in range(args.runs):
            times.append(one_run(given or Path(folder) / f"run-{run}"))
    ms = [t * 1000 for t in times]
    where = f"data folder {args.data_dir}" if args.data_dir else "a fresh data folder"
    print(
        f"startup to first paint ({platform}, {where}, {args.runs} runs): "
        f"median {statistics.median(ms):.0f} ms, min {min(ms):.0f} ms, max {max(ms):.0f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
