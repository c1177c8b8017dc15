"""Tap mode's "slower" cue, as heard: on the real stream output, in real time, it sounds at the
start of the lowering that ``session.hints`` names, and nothing else in the set moves.

The trial (bench/slower_cue.py, ``short-committed``): a squat set of 5 reps at 1.5-0-0.5-0,
tapped 1.1 s into the lowerings of reps 1 and 2 (fast: under 1.2 s). At the second tap the
next lowering (rep 3, 0.9 s away) is already inside the stream's 1 s commit horizon, so the
hint goes to rep 4, whose "lower" beep becomes "slower" once ``output.session_changed()``
re-renders what is not yet committed. The bench plays it into a private PulseAudio null sink,
records the monitor and names every cue by its waveform; see its docstring. ~15 s.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.realaudio]

ROOT = Path(__file__).resolve().parents[2]


def test_slower_is_heard_at_the_hinted_lowering_and_nothing_else_moves() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "slower_cue", "--run", "--trials", "short-committed"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=90,
    )
    lines = proc.stdout.splitlines()
    unavailable = [ln for ln in lines if ln.startswith("UNAVAILABLE ")]
    if unavailable:
        pytest.skip(f"no PulseAudio null sink here: {unavailable[0][12:]}")
    results = [json.loads(ln[7:]) for ln in lines if ln.startswith("RESULT ")]
    assert len(results) == 1, proc.stdout[-2000:] + proc.stderr[-2000:]
    r = results[0]
    assert r["error"] == "", r["error"]
    assert r["backend"] == "stream"
    # Both taps timed their own rep, fast; the second placed the hint.
    assert [(t["timed"][0], t["verdict"]) for t in r["taps"]] == [(1, "fast"), (2, "fast")]
    assert [t["hinted"] for t in r["taps"]] == [False, True]
    # Rep 3's lowering was committed at the tap: the hint skips it.
    assert r["committed"] == [True]
    assert r["hints"] == [[1, 4]]
    assert r["rule_reps"] == [4]
    # Heard once, at rep 4's lowering, on its sample (the stream places cues exactly).
    assert [(s["rep"], s["right"]) for s in r["slower_heard"]] == [(4, True)]
    assert abs(r["slower_heard"][0]["error_ms"]) <= 5.0
    assert r["hints_right"] == 1
    # Every other cue where the timeline puts it, with its own sound; none extra.
    assert r["misplaced"] == []
    assert r["heard"] == r["expected"]
    assert r["max_error_ms"] <= 5.0
    assert r["timeline_other_changes"] == []
    assert r["ok"]
