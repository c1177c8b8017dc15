"""The planned sample of every cue, computed from the core session alone (not the renderer).

A scripted session is replayed on a FakeClock: changes and pauses at given session times.
Each cue of the final timeline is planned at SESSION_ZERO_SAMPLE (where offline.py puts the
session's time 0) + its session time + the pauses that happened before it, in whole samples.
"""

from __future__ import annotations

from tempo_coach.audio.cues import CueOptions, cue_points
from tempo_coach.audio.offline import SESSION_ZERO_SAMPLE
from tempo_coach.core.clock import FakeClock
from tempo_coach.core.session import Session
from tempo_coach.core.timeline import SetPlan

RATE = 44100


def planned_cues(
    plan: SetPlan,
    changes: list[tuple[float, int]] = (),  # type: ignore[assignment]
    pauses: list[tuple[float, float]] = (),  # type: ignore[assignment]
    horizon_ms: int = 0,
) -> list[tuple[int, str]]:
    clock = FakeClock(0.0)
    session = Session(plan, clock, commit_horizon_ms=horizon_ms)
    session.start()
    script = sorted(
        [(t, "change", v) for t, v in changes] + [(t, "pause", float(s)) for t, s in pauses]
    )
    pause_points: list[tuple[int, int]] = []  # (session ms, pause length in samples)
    for t, kind, value in script:
        clock.set(session.wall_offset_s() + t)
        session.poll()
        if kind == "change":
            session.change_eccentric(int(value))
        else:
            session.pause()
            samples = round(float(value) * RATE)
            clock.advance(samples / RATE)
            session.resume()
            pause_points.append((round(t * 1000), samples))
    result = []
    for point in cue_points(session.events, plan.reps, CueOptions()):
        paused = sum(n for at, n in pause_points if point.t_ms >= at)
        t_sample = (point.t_ms * RATE + 500) // 1000
        result.append((SESSION_ZERO_SAMPLE + t_sample + paused, point.sound))
    return result
