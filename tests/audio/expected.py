"""The planned sample of every cue, computed from the core session alone (not the renderer).

Which sound each cue is (a beep or a word) comes from ``cue_points`` with the options and
sound lengths given; where it goes is computed here. A cue before a change or a pause is
the one planned then: it was already heard (the renderer never moves what it has handed
out). That matters for the voice, whose choice of a word depends on the next cue: a word
heard just before a pause stays, though the plan after the pause would no longer fit it.

A scripted session is replayed on a FakeClock: changes and pauses at given session times.
Each cue of the final timeline is planned at SESSION_ZERO_SAMPLE (where offline.py puts the
session's time 0) + its session time + the pauses that happened before it, in whole samples.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tempo_coach.audio.cues import CueOptions, CuePoint, cue_points
from tempo_coach.audio.offline import SESSION_ZERO_SAMPLE
from tempo_coach.core.clock import FakeClock
from tempo_coach.core.session import Session
from tempo_coach.core.timeline import Event, SetPlan, first_difference

RATE = 44100


def planned_cues(
    plan: SetPlan,
    changes: list[tuple[float, int]] = (),  # type: ignore[assignment]
    pauses: list[tuple[float, float]] = (),  # type: ignore[assignment]
    horizon_ms: int = 0,
    options: CueOptions | None = None,
    sound_ms: Mapping[str, int] | None = None,
) -> list[tuple[int, str]]:
    clock = FakeClock(0.0)
    cue_options = options or CueOptions()

    def heard(old: Sequence[Event], new: Sequence[Event]) -> int | None:
        """As the output judges a live change (FallbackOutput.first_audible_difference)."""
        return first_difference(
            cue_points(old, plan.reps, cue_options, sound_ms),
            cue_points(new, plan.reps, cue_options, sound_ms),
        )

    session = Session(plan, clock, commit_horizon_ms=horizon_ms, audible_difference=heard)
    session.start()
    script = sorted(
        [(t, "change", v) for t, v in changes] + [(t, "pause", float(s)) for t, s in pauses]
    )
    options = options or CueOptions()

    def points() -> list[CuePoint]:
        return cue_points(session.events, plan.reps, options, sound_ms)

    pause_points: list[tuple[int, int]] = []  # (session ms, pause length in samples)
    heard: list[CuePoint] = []  # before the latest action, as planned when they were heard
    cut = 0
    for t, kind, value in script:
        clock.set(session.wall_offset_s() + t)
        session.poll()
        at = round(t * 1000)
        heard += [p for p in points() if cut <= p.t_ms < at]
        cut = at
        if kind == "change":
            session.change_eccentric(int(value))
        else:
            session.pause()
            samples = round(float(value) * RATE)
            clock.advance(samples / RATE)
            session.resume()
            pause_points.append((round(t * 1000), samples))
    result = []
    for point in heard + [p for p in points() if p.t_ms >= cut and p not in heard]:
        paused = sum(n for at, n in pause_points if point.t_ms >= at)
        t_sample = (point.t_ms * RATE + 500) // 1000
        result.append((SESSION_ZERO_SAMPLE + t_sample + paused, point.sound))
    return result
