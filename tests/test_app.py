"""The real app, started as a user would, on a virtual screen (Xvfb), driven with xdotool.

Screenshots of the picker, the preferences dialog, a running set, rest and gym mode are
saved in test-artifacts/ for people to look at. The end of the test checks that the set
reached the real store on disk. Waits here are for a real process on a real clock; no
timing logic is tested this way (that is in tests/ui on a fake clock).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def display() -> Iterator[str]:
    if not (shutil.which("Xvfb") and shutil.which("xdotool") and shutil.which("import")):
        pytest.skip("needs Xvfb, xdotool and ImageMagick's import")
    for number in range(91, 100):
        if (
            not Path(f"/tmp/.X{number}-lock").exists()
            and not Path(f"/tmp/.X11-unix/X{number}").exists()
        ):
            break
    else:
        pytest.skip("no free X display number in :91-:99")
    name = f":{number}"
    server = subprocess.Popen(
        ["Xvfb", name, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: Path(f"/tmp/.X11-unix/X{number}").exists(), 10, "Xvfb")
        yield name
    finally:
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


def test_the_real_app_under_xvfb(display: str, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    app = App(display, data_dir, tmp_path / "app.log")
    try:
        main = app.find("Tempo Coach")
        app.focus(main)
        app.screenshot("1-picker")

        app.key("ctrl+comma")
        preferences = app.find("Preferences")
        app.focus(preferences)
        app.screenshot("2-preferences")
        app.key("Escape")
        wait_for(
            lambda: not app.xdotool("search", "--onlyvisible", "--name", "^Preferences$"),
            10,
            "the preferences dialog to close",
        )

        # Search for the squat from the list; Space starts it even with the search focused.
        app.focus(main)
        app.key("s", "q", "u", "a", "t")
        app.key("space")
        time.sleep(4.6)  # the 3 s count-in, then into the first lowering
        app.key("Up")
        app.screenshot("3-running-set")

        time.sleep(4.5)  # rep 1 done (a 5 s rep after the change), rep 2 under way
        app.key("Return")  # end the set early: the rest begins
        time.sleep(1.2)
        app.screenshot("4-rest")

        app.key("F11")
        app.key("s")  # skip the rest: set 2 in gym mode
        time.sleep(1.0)
        app.screenshot("5-gym-mode")
        app.key("F11")

        app.key("ctrl+q")  # quitting mid-session keeps what was done
        app.process.wait(20)
        assert app.process.returncode == 0, app.log.read_text(errors="replace")
    finally:
        if app.process.poll() is None:
            app.process.kill()
            app.process.wait(10)

    saved = [json.loads(p.read_text()) for p in (data_dir / "history").glob("*.json")]
    sessions = [s for document in saved for s in document.get("sessions", [])]
    assert sessions, f"nothing saved in {data_dir}: {list(data_dir.rglob('*'))}"
    assert sessions[-1]["exercise_id"] == "barbell-squat"
