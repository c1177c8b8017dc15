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


def _words(ms: int = 300, **longer: int) -> dict[str, int]:
    """Every word lasting ``ms``, some (by stem, "-" as "_") longer; the beeps 100 ms."""
    from tempo_coach.audio.sounds import SOUND_NAMES
    from tempo_coach.audio.voice import WORDS, voice_sound

    lengths = dict.fromkeys(SOUND_NAMES, 100)
    lengths.update({voice_sound(stem): ms for stem in WORDS})
    lengths.update({voice_sound(stem.replace("_", "-")): ms for stem, ms in longer.items()})
    return lengths


def test_a_word_is_said_only_if_it_ends_before_the_next_cue() -> None:
    from tempo_coach.audio.cues import WORD_GAP_MS
    from tempo_coach.audio.voice import CueVoice

    plan, _ = _points("squat", "3-1-1-0", reps=1, sets=1, count_in_ms=0)
    timeline = build_timeline(plan)
    # "three" at 2 s, "hold" at 3 s: "three" may last up to 1000 - WORD_GAP_MS ms
    for voice, fits, expected in (
        (CueVoice.VOICE, True, ["voice/three"]),
        (CueVoice.VOICE, False, ["tick_last"]),
        (CueVoice.BOTH, True, ["voice/three"]),
        (CueVoice.BOTH, False, ["tick_last"]),
    ):
        length = 1000 - WORD_GAP_MS + (0 if fits else 1)
        points = cue_points(timeline, plan.reps, CueOptions(cue_voice=voice), _words(three=length))
        assert [p.sound for p in points if p.t_ms == 2000] == expected, (voice, fits)
    # "hold" at 3 s too long for the lift at 4 s, in "both": the beep alone
    both = CueOptions(cue_voice=CueVoice.BOTH)
    points = cue_points(timeline, 1, both, _words(hold=1000))
    assert [p.sound for p in points if p.t_ms == 3000] == ["hold"]
    points = cue_points(timeline, 1, both, _words())
    assert [p.sound for p in points if p.t_ms == 3000] == ["hold", "voice/hold"]
    # a count yields to the call before it: a long "down" swallows "two", not the reverse
    points = cue_points(timeline, 1, both, _words(down=1000))
    assert [p.sound for p in points if p.t_ms < 2000] == ["lower", "voice/down"]
    # a beep that would run into the next cue gives way to it
    points = cue_points(timeline, 1, CueOptions(cue_voice=CueVoice.VOICE), _words(hold=1000))
    assert [p.sound for p in points if p.t_ms == 3000] == ["hold"]
    lengths = {**_words(hold=1000), "hold": 960}
    points = cue_points(timeline, 1, CueOptions(cue_voice=CueVoice.VOICE), lengths)
    assert [p.sound for p in points if 2000 < p.t_ms <= 4000] == ["voice/up"]
    # no words loaded: the beeps
    assert cue_points(timeline, 1, CueOptions(cue_voice=CueVoice.VOICE)) == cue_points(
        timeline, 1, CueOptions()
    )


def test_the_voice_names_the_rest_only_in_a_rest_that_is_quiet_then() -> None:
    from tempo_coach.audio.voice import CueVoice

    voice = CueOptions(cue_voice=CueVoice.VOICE)
    for rest_s, said in ((7, True), (6, False), (30, True)):
        plan, _ = _points("squat", "3-1-1-0", reps=1, sets=2, rest_s=rest_s)
        points = cue_points(build_timeline(plan), plan.reps, voice, _words())
        rest_start = next(p.t_ms for p in points if p.sound == "voice/set-done")
        one_in = [p.sound for p in points if p.t_ms == rest_start + 1000]
        assert one_in == (["voice/rest"] if said else ["voice/five"]), rest_s
        beeps = cue_points(build_timeline(plan), plan.reps, CueOptions(), _words())
        assert [p.sound for p in beeps if p.t_ms == rest_start + 1000] == (
            [] if said else ["rest_countdown"]
        )
    quiet = CueOptions(cue_phase=False, cue_voice=CueVoice.VOICE)
    plan, _ = _points("squat", "3-1-1-0", reps=1, sets=2, rest_s=30)
    assert "voice/rest" not in {
        p.sound for p in cue_points(build_timeline(plan), 1, quiet, _words())
    }
    # without phase cues the phase's first count is said instead: "one"
    first = [
        p.sound for p in cue_points(build_timeline(plan), 1, quiet, _words()) if p.t_ms == 3000
    ]
    assert first == ["voice/one"]
