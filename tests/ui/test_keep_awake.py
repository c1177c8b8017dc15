"""The D-Bus screen keeper against a real private session bus and a stand-in screen saver
service (a child process registering org.freedesktop.ScreenSaver)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tempo_coach.ui.keep_awake import DBusScreenKeeper

SERVICE = r"""
from PySide6.QtCore import ClassInfo, QCoreApplication, QObject, Slot
from PySide6.QtDBus import QDBusConnection

@ClassInfo({"D-Bus Interface": "org.freedesktop.ScreenSaver"})
class ScreenSaver(QObject):
    @Slot(str, str, result=int)
    def Inhibit(self, application, reason):
        print("INHIBIT", application, "|", reason, flush=True)
        return 42

app = QCoreApplication([])
bus = QDBusConnection.sessionBus()
assert bus.registerService("org.freedesktop.ScreenSaver")
saver = ScreenSaver()
assert bus.registerObject(
    "/org/freedesktop/ScreenSaver", saver, QDBusConnection.RegisterOption.ExportAllSlots
)
print("READY", flush=True)
app.exec()
"""


def wait_for_text(path: Path, text: str, timeout: float = 10) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        content = path.read_text() if path.exists() else ""
        if text in content:
            return content
        time.sleep(0.05)
    raise AssertionError(f"{text!r} not in {path}: {content!r}")


@pytest.fixture
def session_bus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    if shutil.which("dbus-daemon") is None:
        pytest.skip("needs dbus-daemon")
    daemon = subprocess.run(
        ["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
        capture_output=True,
        text=True,
        timeout=10,
        check=True,
    )
    address, pid = daemon.stdout.split()[:2]
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
    log = tmp_path / "service.log"
    with log.open("w") as out:
        service = subprocess.Popen(
            [sys.executable, "-c", SERVICE],
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_text(log, "READY")
        yield log
    finally:
        service.terminate()
        service.wait(10)
        os.kill(int(pid), signal.SIGTERM)


def test_hold_asks_the_screen_saver_and_release_lets_go(session_bus: Path) -> None:
    keeper = DBusScreenKeeper()
    assert keeper.hold("a training session is running")
    assert keeper.hold("again") is True, "a second hold while holding is the same hold"
    log = wait_for_text(session_bus, "INHIBIT")
    assert "INHIBIT Tempo Coach | a training session is running" in log
    assert log.count("INHIBIT") == 1
    keeper.release()
    assert keeper.hold("next session"), "after release a new hold is made"
    assert wait_for_text(session_bus, "next session").count("INHIBIT") == 2
    keeper.release()
