"""Call QTimer methods thousands of times, then exit. Must exit with status 0.

PySide6 6.12.0 on CPython 3.11 aborts at (or before) interpreter exit after this with
"Fatal Python error: none_dealloc/bool_dealloc" (exit 134): a reference-count bug in the
bindings. Reproduce: `python tests/packaging/qtimer_stress.py 5000` in a venv with
PySide6-Essentials==6.12.0 on Python 3.11.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QTimer


def main(iterations: int) -> None:
    app = QCoreApplication(sys.argv[:1])
    timer = QTimer()
    for _ in range(iterations):
        timer.start(1000)
        timer.isActive()
        timer.setInterval(5)
        timer.isSingleShot()
        timer.remainingTime()
        timer.stop()
    QTimer.singleShot(0, app.quit)
    app.exec()
    print(f"ok {iterations}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
