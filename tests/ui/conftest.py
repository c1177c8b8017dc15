"""Fixtures for the window: an in-memory store, a silent output on a fake clock, a window,
and a guard (as in napari's conftest) that fails a test which leaves a QTimer running."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from tempo_coach.core.clock import FakeClock
from tempo_coach.ui.main_window import MainWindow
from tests.fakes import FakeOutput, FakeStore


@pytest.fixture(autouse=True)
def _no_dangling_qtimers(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail a test that leaves a started QTimer running after its widgets are closed."""
    started: weakref.WeakSet[QTimer] = weakref.WeakSet()
    original = QTimer.start

    def start(self: QTimer, *args: Any) -> None:
        started.add(self)
        original(self, *args)

    monkeypatch.setattr(QTimer, "start", start)
    yield
    dangling = []
    for timer in list(started):
        try:
            if timer.isActive():
                dangling.append(timer)
        except RuntimeError:  # the C++ object is gone: it cannot be running
            continue
    for timer in dangling:
        timer.stop()
    assert not dangling, f"{len(dangling)} QTimer(s) left running: {dangling}"


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


@pytest.fixture
def output(fake_clock: FakeClock) -> FakeOutput:
    return FakeOutput(fake_clock)


@pytest.fixture
def make_window(qtbot: QtBot, store: FakeStore, output: FakeOutput) -> Callable[..., MainWindow]:
    def make(**kwargs: Any) -> MainWindow:
        the_store = kwargs.pop("store", store)
        the_output = kwargs.pop("output", output)
        window = MainWindow(
            the_store,
            lambda _prefs: the_output,
            wall_time=lambda: "2026-11-21T10:00:00+00:00",
            **kwargs,
        )
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(lambda: window.audio_label.text() != "Audio: starting…")
        return window

    return make


@pytest.fixture
def window(make_window: Callable[..., MainWindow]) -> MainWindow:
    return make_window()
