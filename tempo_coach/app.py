"""The one place that builds every object and hands each its collaborators.

``run()`` creates the Qt application, the store, the audio output and the window, connects
them and starts the event loop. Nothing else in the package creates long-lived objects.
Until the audio package offers its output chooser, the window gets a silent output (the same
CueOutput contract); this module is the only one that changes when it does.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tempo_coach.core.output import CueOutput


def make_output(preferences: Mapping[str, Any]) -> CueOutput:
    from tempo_coach.ui.ports import SilentOutput

    return SilentOutput()


def available_backends() -> Sequence[str]:
    return ("silent",)


def run(data_dir: Path | None, argv: list[str] | None = None) -> int:
    from PySide6.QtWidgets import QApplication

    from tempo_coach.store import Store, StoreError
    from tempo_coach.ui.main_window import MainWindow
    from tempo_coach.ui.ports import InMemoryStore, StorePort

    app = QApplication.instance() or QApplication([sys.argv[0], *(argv or [])])
    app.setApplicationName("Tempo Coach")
    store: StorePort
    try:
        store = Store.open(data_dir)
    except StoreError as error:
        # The folder itself is unusable: the timer still works, nothing is saved, and the
        # window says why.
        store = InMemoryStore(read_only_reason=str(error))
    window = MainWindow(store, make_output, backends=available_backends)
    window.show()
    try:
        result = app.exec()
    finally:
        window.shutdown()
        close = getattr(store, "close", None)
        if callable(close):
            close()
    return int(result)
