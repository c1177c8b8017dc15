"""The one place that builds every object and hands each its collaborators.

``run()`` creates the Qt application, the store, the audio output and the window, connects
them and starts the event loop. Nothing else in the package creates long-lived objects.
The window never imports the store or the audio package; it gets them from here.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
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


class SignalWaker:
    """Ctrl+C in the terminal (SIGINT) and SIGTERM (logout, ``kill``) end the app the way
    the user would want: a running session is kept for later (``on_signal``).

    Python runs a signal handler only when the interpreter gets control, and Qt's event loop
    sleeps in C: so the handler alone would wait for the next event (forever, on an idle
    window). ``signal.set_wakeup_fd`` writes a byte to a socket on every signal; a
    ``QSocketNotifier`` on the other end wakes the loop, and the Python handler runs within
    milliseconds (tests/test_app.py sends real signals to a real process).
    """

    def __init__(self, on_signal: Callable[[], None]) -> None:
        import signal
        import socket

        from PySide6.QtCore import QSocketNotifier

        self._signal = signal
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno())
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read)
        self._notifier.activated.connect(self._drain)
        self._on_signal = on_signal
        self._previous = {
            number: signal.signal(number, self._handle)
            for number in (signal.SIGINT, signal.SIGTERM)
        }

    def _handle(self, _number: int, _frame: object) -> None:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, self._on_signal)  # out of the handler, into the event loop

    def _drain(self) -> None:
        try:
            while self._reader.recv(64):
                pass
        except BlockingIOError:
            pass

    def close(self) -> None:
        self._notifier.setEnabled(False)
        self._signal.set_wakeup_fd(self._previous_fd)
        for number, handler in self._previous.items():
            self._signal.signal(number, handler)
        self._reader.close()
        self._writer.close()


APP_ID = "io.github.tempo_coach.TempoCoach"  # the desktop entry's and metainfo's name
_CHECKOUT_ICONS = Path(__file__).resolve().parent.parent / "assets" / "icons"


def icon_files() -> list[Path]:
    """The app's icon in every size there is: in the installed package, or in the checkout
    (an editable install cannot import the mapped package: see audio/sounds.py)."""
    import importlib.resources

    try:
        root = Path(str(importlib.resources.files("tempo_coach.assets.icons")))
    except ModuleNotFoundError:
        root = _CHECKOUT_ICONS
    return sorted(root.glob(f"hicolor/*/apps/{APP_ID}.*"))


def run(data_dir: Path | None, argv: list[str] | None = None) -> int:
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    app = (
        existing
        if isinstance(existing, QApplication)
        else QApplication([sys.argv[0], *(argv or [])])
    )
    app.setApplicationName("Tempo Coach")
    # Wayland and the desktop's task bar match the window to its menu entry and icon.
    app.setDesktopFileName(APP_ID)
    icon = QIcon()
    for file in icon_files():
        icon.addFile(str(file))
    app.setWindowIcon(icon)
    store = open_store(data_dir)
    window = build_window(store)
    waker = SignalWaker(window.quit_keeping_for_later)
    window.show()
    try:
        result = app.exec()
    finally:
        waker.close()
        window.shutdown()
        store.close()
    return int(result)
