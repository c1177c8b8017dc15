"""Work that waits for the window to be on screen.

Start-up is measured to the first paint (``python -m bench startup``): anything the first
screen does not need (the audio output and with it numpy, QtMultimedia and the sound set) is
done right after it instead.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget


class FirstPaint(QObject):
    """Calls ``then`` once, right after the first paint of ``window``: what the first screen
    does not need (the audio output: numpy, QtMultimedia, the sound set) waits for it."""

    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._window = window
        self._then = then
        self._watching = False

    def watch(self) -> None:
        app = QApplication.instance()
        if app is not None and not self._watching:
            app.installEventFilter(self)
            self._watching = True

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None and self._watching:
            app.removeEventFilter(self)
        self._watching = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and watched.window() is self._window
        ):
            self.stop()
            self._then()
        return False
