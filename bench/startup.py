"""Start-up time: from process start to the first paint of the main window, against the floor
(an empty PySide6 window), and from Space to the first cue heard.

``python -m bench startup [--runs N]`` starts ``tempo-coach`` (the real entry point, the real
store in a fresh temporary data folder) N times and, interleaved with it, a bare PySide6
``QMainWindow`` (the floor: Python, Qt and a window, nothing of ours); it prints the median,
minimum and maximum of each and the ratio of the medians (issue 15's target: at most 2.8).
The clock is CLOCK_MONOTONIC, which is shared by every process on Linux: the parent reads it
just before spawning the child, and the child prints it at the first paint event of a widget
in the main window, then quits. The platform is $QT_QPA_PLATFORM (``make bench`` uses
offscreen; run under Xvfb or a desktop with QT_QPA_PLATFORM=xcb for a real window system).

``--first-cue`` measures instead how long after Space the first cue is heard: the app plays
into a private PulseAudio null sink (tests/audio/pulse_harness.py) whose monitor is recorded;
the child presses Space (a key event to the focused widget) ``--space-after`` seconds after the
first paint (0: at once, while the audio output is still being opened; 2: once it is open),
and the parent maps the first onset in the recording to the monotonic clock (the recorder's
(time, samples) pairs, ``pulse_harness.heard_clock``).
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

from bench import with_bytecode

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

# The floor: the same probe on an empty QMainWindow.
FLOOR = (
    PROBE.split("from tempo_coach.__main__")[0]
    + r"""
window = QMainWindow()
window.setCentralWidget(QWidget())
window.show()
sys.exit(app.exec())
"""
)

# Space to the first cue: press Space SPACE_AFTER s after the first paint, then stay 4 s so
# the cue is heard, and leave without the app's closing questions.
FIRST_CUE = r"""
import os, sys, time
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

app = QApplication([sys.argv[0]])
space_after_ms = int(float(sys.argv[2]) * 1000)

def press():
    window = next(w for w in app.topLevelWidgets() if isinstance(w, QMainWindow))
    target = app.focusWidget() or window
    print(f"SPACE {time.monotonic():.6f}", flush=True)
    QTest.keyClick(target, Qt.Key.Key_Space)
    QTimer.singleShot(4000, lambda: os._exit(0))

class FirstPaint(QObject):
    done = False
    def eventFilter(self, watched, event):
        if (not self.done and event.type() == QEvent.Type.Paint
                and isinstance(watched, QWidget) and isinstance(watched.window(), QMainWindow)):
            self.done = True
            QTimer.singleShot(space_after_ms, press)
        return False

probe = FirstPaint()
app.installEventFilter(probe)
from tempo_coach.__main__ import main
sys.argv = ["tempo-coach", "--data-dir", sys.argv[1]]
sys.exit(main())
"""


def one_run(data_dir: Path, probe: str = PROBE) -> float:
    env = with_bytecode(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = str(ROOT)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", probe, str(data_dir)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    for line in result.stdout.splitlines():
        if line.startswith("FIRST_PAINT "):
            return float(line.split()[1]) - started
    raise RuntimeError(f"no paint seen (exit {result.returncode}): {result.stderr[-2000:]}")


def first_cue_run(data_dir: Path, space_after_s: float) -> float:
    """Seconds from Space to the first cue heard, the app playing into a null sink."""
    sys.path.insert(0, str(ROOT))
    from tempo_coach.audio.onsets import detect_onsets
    from tests.audio.pulse_harness import RATE, NullSinkDaemon, heard_clock, recorded

    daemon = NullSinkDaemon(Path(tempfile.mkdtemp(prefix="tc_first_cue_")))
    daemon.start()
    try:
        env = with_bytecode({**os.environ, **daemon.env, "PYTHONPATH": str(ROOT)})
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        env.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")
        with recorded(daemon) as (pairs, recording):
            result = subprocess.run(
                [sys.executable, "-c", FIRST_CUE, str(data_dir), str(space_after_s)],
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
            )
        raw = recording[0]
    finally:
        daemon.stop()
    space = next(
        (float(ln.split()[1]) for ln in result.stdout.splitlines() if ln.startswith("SPACE ")),
        None,
    )
    if space is None:
        raise RuntimeError(f"Space was not pressed (exit {result.returncode}): {result.stderr}")
    import numpy as np

    onsets = detect_onsets(np.frombuffer(raw, dtype="<i2"), RATE)
    if not len(onsets):
        raise RuntimeError(f"no cue heard (exit {result.returncode}): {result.stderr[-2000:]}")
    return heard_clock(pairs)(int(onsets[0])) - space


def _spread(ms: list[float]) -> str:
    return f"median {statistics.median(ms):.0f} ms, min {min(ms):.0f} ms, max {max(ms):.0f} ms"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench startup", description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--first-cue",
        action="store_true",
        help="measure Space to the first cue heard instead (a private PulseAudio null sink)",
    )
    parser.add_argument(
        "--space-after",
        type=float,
        nargs="*",
        default=[0.0, 2.0],
        metavar="S",
        help="with --first-cue: press Space this long after the first paint (0 2)",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="start on this data folder (e.g. one made by `python -m bench store_history "
        "--keep DIR`: ten years of history) instead of a fresh one each run",
    )
    args = parser.parse_args(argv)
    platform = os.environ.get("QT_QPA_PLATFORM", "offscreen")
    where = f"data folder {args.data_dir}" if args.data_dir else "a fresh data folder"
    if args.first_cue:
        with tempfile.TemporaryDirectory() as folder:
            given = Path(args.data_dir) if args.data_dir else None
            for after in args.space_after:
                ms = [
                    first_cue_run(given or Path(folder) / f"cue-{after}-{run}", after) * 1000
                    for run in range(args.runs)
                ]
                print(
                    f"Space {after:g} s after the first paint to the first cue heard "
                    f"({platform}, {where}, {args.runs} runs): {_spread(ms)}",
                    flush=True,
                )
        return 0
    times, floor = [], []
    with tempfile.TemporaryDirectory() as folder:
        given = Path(args.data_dir) if args.data_dir else None
        one_run(given or Path(folder) / "warm-up")  # fills the OS file cache, as a restart would
        one_run(Path(folder) / "warm-up-floor", FLOOR)
        for run in range(args.runs):  # interleaved: both see the same machine
            times.append(one_run(given or Path(folder) / f"run-{run}"))
            floor.append(one_run(Path(folder) / f"floor-{run}", FLOOR))
    ms = [t * 1000 for t in times]
    floor_ms = [t * 1000 for t in floor]
    ratio = statistics.median(ms) / statistics.median(floor_ms)
    print(f"startup to first paint ({platform}, {where}, {args.runs} runs): {_spread(ms)}")
    print(f"an empty PySide6 window (the floor), interleaved: {_spread(floor_ms)}")
    print(f"ratio of the medians: {ratio:.2f} (issue 15's target: at most 2.8)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
