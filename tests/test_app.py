"""app.py: the wiring of the real store into the window (offscreen), and the real app
started as a user would, on a virtual screen (Xvfb), driven with xdotool.

Screenshots of the picker, the preferences dialog, a running set, rest and gym mode are
saved in test-artifacts/ for people to look at. The end of the test checks that the set
reached the real store on disk. Waits here are for a real process on a real clock; no
timing logic is tested this way (that is in tests/ui on a fake clock).
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tempo_coach import app
from tempo_coach.core.clock import FakeClock
from tempo_coach.store import Store
from tempo_coach.ui.main_window import MainWindow
from tempo_coach.ui.ports import StorePort
from tests.fakes import FakeOutput

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"


def window_for(qtbot: QtBot, data_dir: Path) -> tuple[MainWindow, StorePort]:
    store = app.open_store(data_dir)
    window = app.build_window(store)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window, store


def test_a_second_instance_says_who_owns_the_folder(qtbot: QtBot, tmp_path: Path) -> None:
    first = Store.open(tmp_path)
    try:
        window, store = window_for(qtbot, tmp_path)
        assert window.banner.isVisible()
        assert f"pid {os.getpid()}" in window.banner.text()
        assert "Sessions will not be saved" in window.banner.text()
        window.close()
        store.close()
    finally:
        first.close()


def test_a_damaged_preferences_file_is_reported_and_kept(qtbot: QtBot, tmp_path: Path) -> None:
    Store.open(tmp_path).close()
    (tmp_path / "preferences.json").write_bytes(b"\x00\x00{garbage")
    window, store = window_for(qtbot, tmp_path)
    assert window.banner.isVisible()
    assert "preferences" in window.banner.text().lower()
    assert window.runner.status.value == "idle"
    window.close()
    store.close()
    assert any(p.name.startswith("preferences.json.corrupt") for p in tmp_path.iterdir())


def test_an_unusable_folder_still_opens_a_timer(qtbot: QtBot, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    window, _store = window_for(qtbot, blocker / "data")
    assert "cannot use the data folder" in window.banner.text()
    assert window.start_session()
    window.runner.stop()


def test_a_set_from_the_window_reaches_the_real_store(qtbot: QtBot, tmp_path: Path) -> None:
    clock = FakeClock()
    store = Store.open(tmp_path)
    window = MainWindow(
        store, lambda _prefs: FakeOutput(clock), wall_time=lambda: "2026-11-21T10:00:00+00:00"
    )
    qtbot.addWidget(window)
    window.show()
    assert window.picker.select("dumbbell-curl")
    window.setup.reps_box.setValue(2)
    window.setup.sets_box.setValue(1)
    window.start_session()
    for _ in range(400):
        clock.advance(0.05)
        window.runner.poll_now()
    assert window.finish_dialog is not None
    window.finish_dialog.accept()
    assert window.writer.wait_idle()
    store.close()
    again = Store.open(tmp_path)
    try:
        (record,) = again.history()
        assert record.exercise_id == "dumbbell-curl"
        assert record.sets[0].reps_done == 2
        assert again.pending_checkpoint() is None
        assert again.last_used("dumbbell-curl") is not None
    finally:
        again.close()
    window.close()


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def display(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh Xvfb screen (1280x800, or the size a test passes as its parameter)."""
    size = getattr(request, "param", "1280x800")
    if not (shutil.which("Xvfb") and shutil.which("xdotool") and shutil.which("import")):
        pytest.skip("needs Xvfb, xdotool and ImageMagick's import")
    # Xvfb picks a free display itself and writes its number once it accepts connections
    # (-displayfd): choosing one by its lock file raced with a server still shutting down
    # (the app once found no server on the display it was given).
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=(write_end,),
    )
    os.close(write_end)
    try:
        number = b""
        deadline = time.monotonic() + 10
        while not number.endswith(b"\n"):
            ready, _, _ = select.select([read_end], [], [], max(0.0, deadline - time.monotonic()))
            chunk = os.read(read_end, 16) if ready else b""
            if not chunk:
                raise AssertionError(f"Xvfb gave no display number (exit {server.poll()})")
            number += chunk
        yield f":{int(number)}"
    finally:
        os.close(read_end)
        server.terminate()
        server.wait(10)


class App:
    def __init__(self, display: str, data_dir: Path, log: Path) -> None:
        self.log = log
        self.env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
        self.env.update(
            DISPLAY=display,
            QT_QPA_PLATFORM="xcb",
            PYTHONPATH=str(ROOT),
            TEMPO_COACH_DATA_DIR=str(data_dir),
        )
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tempo_coach", "--data-dir", str(data_dir)],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.window = ""

    def xdotool(self, *args: str) -> str:
        result = subprocess.run(
            ["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=20
        )
        return result.stdout.strip()

    def find(self, title: str, timeout: float = 20) -> str:
        found: list[str] = []

        def present() -> bool:
            if self.process.poll() is not None:
                output = self.log.read_text(errors="replace")
                raise AssertionError(f"the app exited ({self.process.returncode}): {output}")
            ids = self.xdotool("search", "--onlyvisible", "--name", f"^{title}$").split()
            found[:] = ids
            return bool(ids)

        wait_for(present, timeout, f"a window titled {title!r}")
        return found[-1]

    def geometry(self, window: str) -> tuple[int, int, int, int]:
        """x, y, width, height of a window (its frame-less client area)."""
        out = self.xdotool("getwindowgeometry", "--shell", window)
        values = dict(line.split("=") for line in out.splitlines() if "=" in line)
        return (int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"]))

    def focus(self, window: str) -> None:
        self.xdotool("windowfocus", "--sync", window)

    def key(self, *keys: str) -> None:
        for key in keys:
            self.xdotool("key", "--clearmodifiers", key)
            time.sleep(0.15)  # let the app handle one key before the next

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        time.sleep(0.4)  # let the last repaint reach the screen
        subprocess.run(
            ["import", "-window", "root", str(path)], env=self.env, check=True, timeout=20
        )
        assert path.stat().st_size > 10_000, f"{path} looks empty"
        return path


@pytest.mark.xvfb
@pytest.mark.slow
def test_the_real_app_under_xvfb(display: str, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    gui = App(display, data_dir, tmp_path / "gui.log")
    try:
        main = gui.find("Tempo Coach")
        gui.focus(main)
        gui.screenshot("1-picker")

        gui.key("ctrl+comma")
        preferences = gui.find("Preferences")
        gui.focus(preferences)
        gui.screenshot("2-preferences")
        gui.key("Escape")
        wait_for(
            lambda: not gui.xdotool("search", "--onlyvisible", "--name", "^Preferences$"),
            10,
            "the preferences dialog to close",
        )

        # Search for the squat from the list; Space starts it even with the search focused.
        gui.focus(main)
        gui.key("s", "q", "u", "a", "t")
        gui.key("space")
        time.sleep(4.6)  # the 3 s count-in, then into the first lowering
        gui.key("Up")
        gui.screenshot("3-running-set")

        time.sleep(4.5)  # rep 1 done (a 5 s rep after the change), rep 2 under way
        gui.key("Return")  # end the set early: the rest begins
        time.sleep(1.2)
        gui.screenshot("4-rest")

        gui.key("F11")
        gui.key("s")  # skip the rest: set 2 in gym mode
        time.sleep(1.0)
        gui.screenshot("5-gym-mode")
        gui.key("F11")

        gui.key("ctrl+q")  # quitting mid-session asks: stopped, kept for later, keep going
        gui.find("Quit Tempo Coach")
        gui.screenshot("6-quit-question")
        gui.key("alt+g")  # keep going
        wait_for(
            lambda: not gui.xdotool("search", "--onlyvisible", "--name", "^Quit Tempo Coach$"),
            10,
            "the question to close",
        )
        # A logout (SIGTERM) keeps the session for later, without asking, at once.
        sent = time.monotonic()
        gui.process.send_signal(signal.SIGTERM)
        gui.process.wait(20)
        took = time.monotonic() - sent
        print(f"SIGTERM to exit: {took * 1000:.0f} ms")
        assert gui.process.returncode == 0, gui.log.read_text(errors="replace")
        assert took < 1.0, f"the app took {took:.2f} s to keep the session and exit"
    finally:
        if gui.process.poll() is None:
            gui.process.kill()
            gui.process.wait(10)

    assert not list((data_dir / "history").glob("20*.json")), "nothing saved as finished"
    kept = json.loads((data_dir / "checkpoint.json").read_text())["session"]
    assert kept["exercise_id"] == "barbell-squat" and kept["sets"], kept

    # The next start offers it; saving it puts it in the History tab.
    again = App(display, data_dir, tmp_path / "gui-2.log")
    try:
        gui_main = again.find("Tempo Coach")
        again.find("Session kept for later")
        again.screenshot("7-kept-for-later")
        again.key("alt+s")  # save what was done
        wait_for(lambda: not (data_dir / "checkpoint.json").exists(), 10, "the save")
        again.focus(gui_main)
        again.key("ctrl+2")
        again.screenshot("8-history")
        again.key("ctrl+q")
        again.process.wait(20)
        assert again.process.returncode == 0, again.log.read_text(errors="replace")
    finally:
        if again.process.poll() is None:
            again.process.kill()
            again.process.wait(10)
    saved = [json.loads(p.read_text()) for p in (data_dir / "history").glob("20*.json")]
    sessions = [s for document in saved for s in document.get("sessions", [])]
    assert [s["exercise_id"] for s in sessions] == ["barbell-squat"]


@pytest.mark.slow
@pytest.mark.parametrize("number", ["SIGINT", "SIGTERM"])
def test_a_signal_keeps_the_running_session_for_later(number: str, tmp_path: Path) -> None:
    """Ctrl+C in the terminal and SIGTERM: a real signal to a real app (offscreen), mid-set."""
    data_dir = tmp_path / "data"
    script = (
        "import sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from tempo_coach import app\n"
        "from tempo_coach.ui.main_window import MainWindow\n"
        "def go():\n"
        "    w = next(x for x in app_qt.topLevelWidgets() if isinstance(x, MainWindow))\n"
        "    w.picker.select('barbell-squat'); w.setup.count_in_box.setValue(0)\n"
        "    w.start_session(); print('started', flush=True)\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app_qt = QApplication([sys.argv[0]])\n"
        "QTimer.singleShot(300, go)\n"
        f"sys.exit(app.run({str(data_dir)!r}))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "started"
        time.sleep(6.5)  # rep 1 of the squat (3-1-1-0 by default: 5 s) is done
        sent = time.monotonic()
        process.send_signal(getattr(signal, number))
        process.wait(20)
        took = time.monotonic() - sent
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        if process.stdout is not None:
            process.stdout.close()
    assert process.returncode == 0
    print(f"{number} to exit: {took * 1000:.0f} ms")
    assert took < 1.0, f"{number}: {took:.2f} s to keep the session and exit"
    kept = json.loads((data_dir / "checkpoint.json").read_text())["session"]
    assert kept["exercise_id"] == "barbell-squat" and len(kept["sets"]) == 1
    assert not list((data_dir / "history").glob("20*.json")), "nothing saved as finished"


@pytest.mark.xvfb
@pytest.mark.slow
@pytest.mark.parametrize("display", ["1024x600", "1366x768"], indirect=True)
def test_the_window_fits_small_and_common_screens(display: str, tmp_path: Path) -> None:
    """The whole window, Start included, is on a 1024x600 and a 1366x768 screen; the
    History tab with sessions in it. Screenshots in test-artifacts/."""
    from tempo_coach.store import Store
    from tests.ui.test_history_tab import SESSIONS

    size = display_size(display)
    data_dir = tmp_path / "data"
    seeded = Store.open(data_dir)
    seeded.save_sessions(SESSIONS)
    seeded.close()
    gui = App(display, data_dir, tmp_path / "gui.log")
    try:
        main = gui.find("Tempo Coach")
        gui.focus(main)
        x, y, width, height = gui.geometry(main)
        assert x >= 0 and y >= 0 and x + width <= size[0] and y + height <= size[1], (
            f"the window {width}x{height}+{x}+{y} does not fit {size}"
        )
        gui.screenshot(f"fit-{display_name(size)}-train")
        gui.key("ctrl+2")
        gui.key("Down")  # the newest session
        gui.screenshot(f"fit-{display_name(size)}-history")
        gui.key("ctrl+q")
        gui.process.wait(20)
        assert gui.process.returncode == 0, gui.log.read_text(errors="replace")
    finally:
        if gui.process.poll() is None:
            gui.process.kill()
            gui.process.wait(10)
    # It remembers its size in the preferences file.
    saved = json.loads((data_dir / "preferences.json").read_text())["values"]
    assert saved["window_geometry"].count(",") == 3


def display_size(display: str) -> tuple[int, int]:
    out = subprocess.run(
        ["xdpyinfo"], env={**os.environ, "DISPLAY": display}, capture_output=True, text=True
    ).stdout
    line = next(x for x in out.splitlines() if "dimensions:" in x)
    width, height = line.split()[1].split("x")
    return int(width), int(height)


def display_name(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


def test_the_app_has_its_icon_in_every_size() -> None:
    files = app.icon_files()
    sizes = {f.parent.parent.name for f in files}
    assert {"16x16", "48x48", "256x256", "scalable"} <= sizes
    assert all(f.stat().st_size > 0 for f in files)
