"""Helpers for the window tests: let session time pass the way the QTimer would look."""

from __future__ import annotations

from tempo_coach.core.clock import FakeClock
from tempo_coach.ui.main_window import MainWindow


def run_for(window: MainWindow, clock: FakeClock, seconds: float, step: float = 0.05) -> None:
    """Let ``seconds`` of session time pass, looking as the QTimer would every ``step``."""
    steps = round(seconds / step)
    for _ in range(steps):
        clock.advance(step)
        window.runner.poll_now()


def run_until(window: MainWindow, clock: FakeClock, t_session_s: float, step: float = 0.05) -> None:
    """Advance until the session's own time reaches ``t_session_s`` (pauses excluded)."""
    session = window.runner.session
    assert session is not None
    while session.session_ms() < round(t_session_s * 1000) - 1:
        clock.advance(step)
        window.runner.poll_now()
