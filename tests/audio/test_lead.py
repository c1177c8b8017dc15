"""Screen and sound together: the session clock (what the window shows, what a tap is timed
against) reaches a cue when it is heard, within 40 ms, on the test's PulseAudio null sink.

The stream's clock counts sound handed to the server, which holds ~80 ms of it (our stream's
buffer and the sink's latency): without the correction (audio/server_latency.py) the screen
led the sound by 71-77 ms here, and this test fails. The heard moment is the recording's
sample mapped to the monotonic clock (tests/audio/pulse_harness.heard_clock).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from tempo_coach.audio.onsets import detect_onsets
from tempo_coach.audio.simple import simpleaudio_problem
from tests.audio.pulse_harness import (
    RATE,
    NullSinkDaemon,
    crossing_times,
    heard_clock,
    recorded,
)

pytestmark = [pytest.mark.slow, pytest.mark.realaudio]

ROOT = Path(__file__).resolve().parents[2]
WITHIN_MS = 40.0


def _leads(pulse: NullSinkDaemon, backend: str) -> tuple[list[float], dict[str, object]]:
    """Play the probe's session, record it; each heard cue's lead in ms, and what the probe
    said."""
    with recorded(pulse) as (heard_pairs, recording):
        proc = subprocess.run(
            [sys.executable, "-m", "tests.audio.lead_probe", backend],
            env={**pulse.env, "QT_LOGGING_RULES": "qt.multimedia.*=false"},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    raw = recording[0]
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("LEAD ")), None)
    assert line is not None, proc.stderr[-2000:]
    said = json.loads(line[5:])
    assert said["backend"] == backend, proc.stderr[-2000:]
    onsets = detect_onsets(np.frombuffer(raw, dtype="<i2"), RATE)
    cues_ms: list[int] = said["cues_ms"]
    assert len(onsets) == len(cues_ms), (len(onsets), len(cues_ms))
    heard_at: Callable[[float], float] = heard_clock(heard_pairs)
    seen = crossing_times([tuple(p) for p in said["pairs"]], cues_ms)
    leads = [
        (heard_at(int(onset)) - at) * 1000
        for onset, at in zip(onsets, seen, strict=True)
        if at is not None
    ]
    assert len(leads) >= len(cues_ms) - 1  # the first cue is at the clock's 0, not crossed
    return leads, said


def _check(pulse: NullSinkDaemon, backend: str) -> dict[str, object]:
    leads, said = _leads(pulse, backend)
    median = float(np.median(leads))
    assert abs(median) <= WITHIN_MS, (backend, median, leads)
    # the same for every cue: the screen and the sound do not drift apart
    assert max(leads) - min(leads) <= 25, leads
    return said


def test_the_streams_screen_is_on_the_heard_sound(pulse: NullSinkDaemon) -> None:
    said = _check(pulse, "stream")
    latency = said["server_latency_s"]
    assert isinstance(latency, float) and 0.04 <= latency <= 0.15, latency


@pytest.mark.skipif(simpleaudio_problem() is not None, reason=str(simpleaudio_problem()))
def test_simpleaudios_screen_is_on_the_heard_sound(pulse: NullSinkDaemon) -> None:
    _check(pulse, "simpleaudio")
