"""The simpleaudio engine's decisions: tempo_coach/audio/simple.py (real playback is in
test_playback.py)."""

from __future__ import annotations

import importlib.metadata
import sys

import pytest

from tempo_coach.audio import simple
from tempo_coach.audio.cues import CuePoint
from tempo_coach.audio.renderer import CueRenderer, Voice
from tempo_coach.audio.sounds import RATE, load_sound_set
from tempo_coach.core.clock import FakeClock


def test_refuses_plain_simpleaudio_on_python_312(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "version_info", (3, 12, 1, "final", 0))

    def missing(name: str) -> object:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "distribution", missing)
    assert "simpleaudio-patched" in (simple.simpleaudio_problem() or "")


@pytest.mark.skipif(simple.simpleaudio_problem() is not None, reason="simpleaudio unavailable")
def test_a_new_buffer_starts_where_no_cue_is_near() -> None:
    sounds = load_sound_set("default", 1.0)
    clock = FakeClock(100.0)
    engine = simple.SimpleAudioEngine(lambda: CueRenderer(sounds), clock)
    engine._zero = 100.0
    renderer = CueRenderer(sounds)
    voices = [Voice(round(s * RATE), CuePoint(round(s * 1000), "tick")) for s in (0.2, 1.0, 1.2)]
    renderer._voices = voices
    renderer._starts = [v.start for v in voices]
    engine._renderer = renderer
    with engine._lock:  # the engine plans with its lock held
        engine._plan_splice()
    # 0.15 s is the earliest; a cue at 0.2 s is too close, so just after it
    assert engine._splice_at == round(0.2 * RATE) + RATE // 100
    clock.set(100.9)
    with engine._lock:
        engine._plan_splice()
    # from 1.05 s: the cue at 1.2 s is within 0.26 s, so just after it
    assert engine._splice_at == round(1.2 * RATE) + RATE // 100
