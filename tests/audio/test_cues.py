"""Which sound plays when: tempo_coach/audio/cues.py."""

from __future__ import annotations

from collections import Counter

from tempo_coach.audio.cues import REST_COUNTDOWN_S, CueOptions, CuePoint, cue_points
from tempo_coach.core.exercise import BUILTIN_EXERCISES, find_exercise
from tempo_coach.core.preferences import Preferences
from tempo_coach.core.tempo import parse_tempo
from tempo_coach.core.timeline import CountStyle, SetPlan, build_timeline


def _points(
    exercise: str,
    tempo: str,
    reps: int = 3,
    sets: int = 2,
    rest_s: int = 8,
    options: CueOptions | None = None,
    **kw: object,
) -> tuple[SetPlan, list[CuePoint]]:
    plan = SetPlan.from_exercise(
        find_exercise(exercise, BUILTIN_EXERCISES),
        tempo=parse_tempo(tempo),
        reps=reps,
        sets=sets,
        rest_ms=rest_s * 1000,
        **kw,
    )
    return plan, cue_points(build_timeline(plan), plan.reps, options)


def test_one_sound_per_instant_and_in_time_order() -> None:
    _, points = _points("squat", "3-1-1-0")
    times = [p.t_ms for p in points]
    assert times == sorted(set(times))
    # every distinct event time of the timeline with something to say has a cue
    assert points[0] == CuePoint(0, "get_ready")
    assert points[-1].sound == "end_of_set"


def test_squat_rep_sounds_in_order() -> None:
    _, points = _points("squat", "3-1-1-0", reps=2, sets=1, count_in_ms=2000)
    sounds = [p.sound for p in points]
    assert sounds == [
        "get_ready", "countdown",
        "lower", "tick", "tick_last", "hold", "lift",
        "last_rep", "tick", "tick_last", "hold", "lift",
        "end_of_set",
    ]  # fmt: skip


def test_last_count_is_distinct_also_when_counting_down() -> None:
    for style in CountStyle:
        _, points = _points("squat", "4-0-1-0", reps=1, sets=1, count_style=style)
        lowering = [p.sound for p in points if 3000 <= p.t_ms < 7000]
        assert lowering == ["lower", "tick", "tick", "tick_last"], style


def test_alternating_sides_are_called_every_rep() -> None:
    _, points = _points("hamstring curl", "5-0-1-1", reps=4, sets=1)
    sides = [p.sound for p in points if p.sound.startswith("side_")]
    assert sides == ["side_left", "side_right", "side_left", "side_right"]


def test_rest_is_quiet_until_its_last_seconds() -> None:
    _, points = _points("squat", "3-1-1-0", reps=1, sets=2, rest_s=20)
    rest_start = next(p.t_ms for p in points if p.sound == "end_of_set")
    countdown = [p.t_ms - rest_start for p in points if p.sound == "rest_countdown"]
    assert countdown == [(20 - k) * 1000 for k in range(REST_COUNTDOWN_S, 0, -1)]


def test_switches_turn_sounds_off() -> None:
    options = CueOptions(cue_phase=True, cue_counts=False, cue_rest=False)
    _, points = _points("squat", "3-1-1-0", options=None)
    plan, quiet = _points("squat", "3-1-1-0")
    quiet = cue_points(build_timeline(plan), plan.reps, options)
    kinds = Counter(p.sound for p in quiet)
    assert kinds["tick"] == kinds["tick_last"] == kinds["rest_countdown"] == 0
    assert kinds["lower"] > 0 and kinds["end_of_set"] == 2
    no_phase = cue_points(build_timeline(plan), plan.reps, CueOptions(cue_phase=False))
    # without phase sounds the phase's first count ticks instead
    assert "lower" not in {p.sound for p in no_phase}
    assert len(no_phase) == len(points)


def test_the_options_come_from_the_preferences_and_default_to_the_table() -> None:
    defaults = Preferences.defaults()
    assert CueOptions() == CueOptions.from_preferences(defaults)
    quiet = defaults.with_values(cue_phase=False, cue_counts=False, cue_rest=False)
    assert CueOptions.from_preferences(quiet) == CueOptions(False, False, False)
