"""The one place that builds every object and hands each its collaborators.

``run()`` creates the Qt application, the store, the audio output and the window, connects
them and starts the event loop. Nothing else in the package creates long-lived objects.
The window never imports the store or the audio package; it gets them from here.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tempo_coach.core.output import CueOutput
from tempo_coach.core.preferences import Preferences

if TYPE_CHECKING:
    from tempo_coach.ui.main_window import MainWindow
    from tempo_coach.ui.ports import StorePort


def make_output(preferences: Preferences) -> CueOutput:
    """The cue output the preferences ask for, falling back in priority order to silent."""
    from tempo_coach.audio import choose_output

    return choose_output(preferences)


def available_backends() -> Sequence[str]:
    """The audio outputs that can run on this machine, for the preferences dialog."""
    from tempo_coach.audio import available_backends as backends

    return [name for name, available, _reason in backends() if available]


def open_store(data_dir: Path | None) -> StorePort:
    """The real store; when the folder itself is unusable, the real store with no folder,
    read-only, saying why (the timer still works, nothing is saved)."""
    from tempo_coach.store import Store, StoreError

    try:
        return Store.open(data_dir)
    except StoreError as error:
        return Store.unavailable(str(error), data_dir)


def build_window(store: StorePort) -> MainWindow:
    from tempo_coach.ui.keep_awake import DBusScreenKeeper
    from tempo_coach.ui.main_window import MainWindow

    return MainWindow(
        store, make_output, backends=available_backends, screen_keeper=DBusScreenKeeper()
    )


def run(data_dir: Path | None, argv: list[str] | None = None) -> int:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0], *(argv or [])])
    app.setApplicationName("Tempo Coach")
    store = open_store(data_dir)
    window = build_window(store)
    window.show()
    try:
        result = app.exec()
    finally:
        window.shutdown()
        store.close()
    return int(result)
