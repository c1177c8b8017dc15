"""The cues of coaching: the reset of a negative-only set and the "slower" cue of tap mode,
as cue points and as rendered sound (onsets where the timeline puts them)."""

from __future__ import annotations

from tempo_coach.audio.cues import CueOptions, cue_points
from tempo_coach.audio.voice import CueVoice, voice_sound
from tempo_coach.core.clock import FakeClock
from tempo_coach.core.exercise import BUILTIN_EXERCISES, find_exercise
from tempo_coach.core.session import Session
from tempo_coach.core.tempo import parse_tempo
from tempo_coach.core.timeline import SetPlan, build_timeline


def _plan(**overrides: object) -> SetPlan:
    values: dict[str, object] = {
        "tempo": parse_tempo("5-1-3-0"),
        "reps": 3,
        "sets": 1,
        "rest_ms": 0,
        "count_in_ms": 0,
    }
    values.update(overrides)
    return SetPlan.from_exercise(find_exercise("barbell squat", BUILTIN_EXERCISES), **values)


def _all_words(ms: int = 300) -> dict[str, int]:
    from tempo_coach.audio.voice import WORDS

    return {voice_sound(stem): ms for stem in WORDS}


def test_the_reset_is_cued_with_the_lift_beep_and_its_own_word() -> None:
    events = build_timeline(_plan(negative_only=True))
    beeps = {p.t_ms: p.sound for p in cue_points(events, 3, CueOptions(cue_counts=False))}
    assert beeps[6_000] == "lift"  # lower 0-5, hold 5-6, reset 6-9
    voiced = cue_points(
        events, 3, CueOptions(cue_counts=False, cue_voice=CueVoice.VOICE), _all_words()
    )
    assert {p.t_ms: p.sound for p in voiced}[6_000] == voice_sound("reset")


def test_slower_is_heard_at_the_start_of_the_lowering_it_was_put_on() -> None:
    clock = FakeClock()
    session = Session(_plan(tempo=parse_tempo("5-1-1-0")), clock, tap_mode=True)
    session.start()
    clock.advance(2.0)
    session.poll()
    session.tap()  # 2 s of 5: fast
    clock.advance(7.0)  # rep 2's lowering began at 7 s; now 9 s
    session.poll()
    session.tap()
    assert session.hints == ((1, 3),)
    beeps = {p.t_ms: p.sound for p in cue_points(session.events, 3, CueOptions())}
    assert beeps[14_000] == "slower"  # rep 3's lowering (also the last rep: "slower" wins)
    assert beeps[7_000] == "lower"
    voiced = cue_points(session.events, 3, CueOptions(cue_voice=CueVoice.VOICE), _all_words())
    assert {p.t_ms: p.sound for p in voiced}[14_000] == voice_sound("slower")
