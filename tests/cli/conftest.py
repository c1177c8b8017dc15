"""What the command-line tests share: a custom exercise and preferences saved in the test's
data folder, as the window would have saved them, and a way to wait for a real command's
output without sleeping for a guessed time."""

from __future__ import annotations

import os
import select
import subprocess
import time
from pathlib import Path

import pytest

from tempo_coach.core.exercise import Exercise, RepStart, SideMode
from tempo_coach.core.preferences import Preferences
from tempo_coach.core.tempo import Phase, parse_tempo
from tempo_coach.store import Store


def ring_dip() -> Exercise:
    """A custom exercise whose name and phase names no built-in one has."""
    return Exercise(
        exercise_id="slow-ring-dip",
        name="Slow ring dip",
        rep_start=RepStart.ECCENTRIC_FIRST,
        default_tempo=parse_tempo("4-1-X-0"),
        default_reps=3,
        default_sets=2,
        default_rest_s=45,
        side_mode=SideMode.BOTH,
        phase_names={Phase.ECCENTRIC: "sink", Phase.CONCENTRIC: "press up"},
    )


def save_in(data_dir: Path, *, exercises: list[Exercise], **preferences: object) -> None:
    """Save custom exercises and preferences in ``data_dir`` (created), through the store."""
    with Store.open(data_dir) as store:
        store.save_custom_exercises(exercises)
        store.save_preferences(Preferences.defaults().with_values(**preferences))


@pytest.fixture
def with_ring_dip(data_dir: Path) -> Path:
    """The data folder with the custom "Slow ring dip" saved, and default preferences."""
    save_in(data_dir, exercises=[ring_dip()])
    return data_dir


def wait_for(proc: subprocess.Popen[bytes], text: str, timeout: float = 30.0) -> str:
    """What ``proc`` printed on stdout until ``text`` appeared (run it with
    PYTHONUNBUFFERED=1). Fails if it ends or ``timeout`` passes first."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    seen = b""
    deadline = time.monotonic() + timeout
    while text.encode() not in seen:
        left = deadline - time.monotonic()
        assert left > 0, f"{text!r} not printed within {timeout} s; printed: {seen.decode()!r}"
        if select.select([fd], [], [], left)[0]:
            data = os.read(fd, 4096)
            assert data, f"ended before printing {text!r}; printed: {seen.decode()!r}"
            seen += data
    return seen.decode()
