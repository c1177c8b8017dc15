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


def self_test() -> int:
    """``tempo-coach --self-test``: check this installation without touching any data.

    Loads every sound file (beeps and spoken words) from where the installed package keeps
    them, builds the window offscreen on a store that saves nothing, plays one cue through
    the silent output, and prints what failed (exit 1) or "self-test passed" (exit 0)."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from tempo_coach.audio import choose_output
    from tempo_coach.audio.sounds import builtin_sound_folder, load_sound_set
    from tempo_coach.audio.voice import CueVoice
    from tempo_coach.core.clock import MonotonicClock
    from tempo_coach.core.exercise import BUILTIN_EXERCISES
    from tempo_coach.core.session import Session
    from tempo_coach.core.timeline import SetPlan
    from tempo_coach.store import Store

    failed: list[str] = []
    folder = builtin_sound_folder()
    if folder is None:
        failed.append("the sound files are not installed")
    else:
        print(f"sounds: {folder}")
    for voice in (CueVoice.BEEPS, CueVoice.VOICE):
        sounds = load_sound_set("default", 0.8, voice)
        failed.extend(f"sound ({voice.value}): {p}" for p in sounds.problems)
        failed.extend(f"voice: {p}" for p in getattr(sounds, "voice_problems", ()))
    existing = QApplication.instance()
    qapp = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    store = Store.unavailable("the self-test saves nothing")
    try:
        window = build_window(store)
        window.show()
        qapp.processEvents()
        window.shutdown()
        window.close()
        print("window: built and shown")
    except Exception as error:  # a check: say what failed, never a traceback
        failed.append(f"window: {error!r}")
    prefs = store.load_preferences().with_values(audio_backend="silent")
    output = choose_output(prefs, speed=20.0)
    plan = SetPlan.from_exercise(BUILTIN_EXERCISES[0], reps=1, sets=1, count_in_ms=1000)
    session = Session(plan, output.clock, commit_horizon_ms=output.horizon_ms)
    heard = 0
    try:
        heard = len(session.start().events)
        output.begin(session)
        wall = MonotonicClock()
        deadline = wall.now() + 5
        while heard < 2 and wall.now() < deadline:
            heard += len(session.poll().events)
        output.end()
    finally:
        output.close()
    if heard < 2:
        failed.append(f"cues: {heard} due through the silent output")
    else:
        print(f"cues: {heard} through the {output.name} output")
    store.close()
    for line in failed:
        print(f"FAILED {line}")
    print("self-test passed" if not failed else "self-test failed")
    return 0 if not failed else 1
