"""The one place that builds every object and hands each its collaborators.

``run()`` creates the Qt application, the store, the audio output and the window, connects
them and starts the event loop. Nothing else in the package creates long-lived objects.
"""

from __future__ import annotations

import sys
from pathlib import Path


def run(data_dir: Path | None, argv: list[str] | None = None) -> int:
    from PySide6.QtWidgets import QApplication

    from tempo_coach.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0], *(argv or [])])
    app.setApplicationName("Tempo Coach")
    window = MainWindow()
    window.show()
    return app.exec()
