"""The coaching rules (core/coach.py) on hand-built histories: each rule, its boundary and
its off switch. No Qt, no store, no clock: ``now`` is given."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tempo_coach.core import coach
from tempo_coach.core.coach import NoteKind, Step, advise, exercises_with_history, suggest
from tempo_coach.core.exercise import BUILTIN_EXERCISES, Exercise, RepStart, SideMode
from tempo_coach.core.preferences import Preferences
from tempo_coach.core.records import (
    LoadUnit,
    PhaseTime,
    RepRecord,
    SessionRecord,
    SessionSummary,
    SetRecord,
)
from tempo_coach.core.tempo import Phase, parse_tempo

PLUS2 = timezone(timedelta(hours=2))
NOW = datetime(2026, 5, 10, 18, 0, tzinfo=PLUS2)
DEFAULTS = Preferences.defaults()


def summary(
    when: str = "2026-05-01T18:00:00+02:00",
    *,
    exercise_id: str = "barbell-squat",
    tempo: str = "4-1-1-0",
    planned_tempo: str | None = None,
    sets: int = 3,
    reps: int = 6,
    done: int | None = None,
    load: float | None = 60.0,
    unit: LoadUnit = LoadUnit.KG,
    rpe: int | None = 7,
    finished: bool = True,
    ended_early: bool = False,
    soreness: int | None = None,
    taps: tuple[int, int, int] = (0, 0, 0),  # taps, on tempo, fast
    negative_only: bool = False,
    session_id: str = "",
) -> SessionSummary:
    """A session's summary as the store would list it."""
    return SessionSummary(
        session_id=session_id or f"{exercise_id}-{when}",
        exercise_id=exercise_id,
        exercise_name=exercise_id.replace("-", " "),
        started_at=when,
        finished=finished,
        rpe=rpe,
        note="",
        sets=sets,
        reps_done=sets * reps if done is None else done,
        reps_planned=sets * reps,
        time_under_tension_ms=0,
        tempo_used=tempo,
        top_load=load,
        load_unit=unit,
        live_changes=0 if planned_tempo is None else 1,
        ended_early=ended_early,
        tempo_planned=planned_tempo or tempo,
        eccentric_ms=0,
        negative_only_sets=sets if negative_only else 0,
        taps=taps[0],
        taps_on_tempo=taps[1],
        taps_fast=taps[2],
        soreness=soreness,
    )


def two(**last: object) -> list[SessionSummary]:
    """Two sessions four days apart: a good one, then one with ``last``'s changes."""
    first = summary("2026-05-01T18:00:00+02:00")
    return [first, summary("2026-05-05T18:00:00+02:00")._replace(**last)]  # type: ignore[arg-type]


def advice_for(history: list[SessionSummary], exercise_id: str = "barbell-squat", **kw: object):  # type: ignore[no-untyped-def]
    preferences = kw.pop("preferences", DEFAULTS)
    now = kw.pop("now", NOW)
    return advise(exercise_id, history, BUILTIN_EXERCISES, now, preferences, **kw)  # type: ignore[arg-type]


# -- progression -------------------------------------------------------------------------------


def test_two_good_sessions_suggest_one_more_second_of_lowering() -> None:
    advice = advice_for(two())
    assert advice.suggestion is not None
    assert advice.suggestion.step is Step.LONGER
    plan = advice.suggestion.plan
    assert (plan.tempo, plan.reps, plan.load, plan.load_unit) == ("5-1-1-0", 6, 60.0, LoadUnit.KG)
    assert plan.text == "5-1-1-0 x 6 at 60 kg"
    why = advice.suggestion.why
    assert "\n" not in why and "two sessions" in why and "RPE 8 or less" in why
    assert advice.suggestion.text.startswith("next time: 5-1-1-0 x 6 at 60 kg. ")


def test_the_last_time_line() -> None:
    advice = advice_for(two())
    assert advice.last_time == "last time: 4-1-1-0 x 6 at 60 kg, RPE 7"
    missed = advice_for(two(reps_done=16, rpe=None, top_load=None))
    assert missed.last_time == "last time: 4-1-1-0 x 6, 16 of 18 reps done"
    tapped = advice_for(two(taps=9, taps_on_tempo=8, load_unit=LoadUnit.LB, top_load=135.5))
    assert tapped.last_time == (
        "last time: 4-1-1-0 x 6 at 135.5 lb, RPE 7, 8 of 9 tapped lowerings on tempo"
    )
    assert advice_for([]).last_time is None


@pytest.mark.parametrize(
    ("older", "newer", "step"),
    [
        (8, 8, Step.LONGER),  # the boundary: 8 is "at most 8"
        (7, 9, Step.SAME),
        (9, 7, Step.SAME),  # the older of the two counts too
        (None, None, Step.LONGER),  # no RPE: by the reps done at the count
        (None, 8, Step.LONGER),
    ],
)
def test_rpe_at_most_8_in_both_sessions(older: int | None, newer: int | None, step: Step) -> None:
    history = [
        summary("2026-05-01T18:00:00+02:00", rpe=older),
        summary("2026-05-05T18:00:00+02:00", rpe=newer),
    ]
    suggestion = suggest(history)
    assert suggestion is not None and suggestion.step is step
    if step is Step.SAME:
        assert suggestion.plan.tempo == "4-1-1-0" and "RPE 9" in suggestion.why, suggestion.why


def test_no_rpe_is_not_claimed() -> None:
    history = [summary(rpe=None), summary("2026-05-05T18:00:00+02:00", rpe=None)]
    suggestion = suggest(history)
    assert suggestion is not None and "RPE" not in suggestion.why


def test_one_session_is_not_enough() -> None:
    suggestion = suggest([summary()])
    assert suggestion is not None and suggestion.step is Step.SAME
    assert suggestion.plan.tempo == "4-1-1-0" and "once more" in suggestion.why


def test_the_session_before_must_have_asked_as_much() -> None:
    """After moving up to 5 s, one session at 5 s is not two."""
    for older in (
        summary(tempo="3-1-1-0"),  # a shorter count before
        summary(load=55.0),  # less load before
        summary(reps=5),  # fewer reps before
        summary(done=17),  # missed a rep before
        summary(finished=False),  # stopped before
        summary(planned_tempo="5-1-1-0"),  # its count shortened live, from 5 s to 4 s
    ):
        suggestion = suggest([older, summary("2026-05-05T18:00:00+02:00")])
        assert suggestion is not None and suggestion.step is Step.SAME, older
    harder_before = summary(tempo="5-1-1-0", load=65.0, reps=8)
    suggestion = suggest([harder_before, summary("2026-05-05T18:00:00+02:00")])
    assert suggestion is not None and suggestion.step is Step.LONGER


def test_loads_in_other_units_are_compared_in_kg() -> None:
    older = summary(load=135.0, unit=LoadUnit.LB)  # 61.2 kg
    suggestion = suggest([older, summary("2026-05-05T18:00:00+02:00")])
    assert suggestion is not None and suggestion.step is Step.LONGER
    older = summary(load=132.5, unit=LoadUnit.LB)  # 60.1 kg: the same bar as 60 kg
    suggestion = suggest([older, summary("2026-05-05T18:00:00+02:00")])
    assert suggestion is not None and suggestion.step is Step.LONGER
    older = summary(load=125.0, unit=LoadUnit.LB)  # 56.7 kg: less
    suggestion = suggest([older, summary("2026-05-05T18:00:00+02:00")])
    assert suggestion is not None and suggestion.step is Step.SAME


def test_missed_reps_suggest_a_shorter_count() -> None:
    advice = advice_for(two(reps_done=16))
    assert advice.suggestion is not None
    assert advice.suggestion.step is Step.SHORTER
    assert advice.suggestion.plan.tempo == "3-1-1-0" and advice.suggestion.plan.load == 60.0
    assert "16 of 18 reps" in advice.suggestion.why


def test_a_set_ended_early_counts_as_missed() -> None:
    suggestion = suggest(two(ended_early=True))
    assert suggestion is not None and suggestion.step is Step.SHORTER
    assert "ended early" in suggestion.why


def test_at_a_short_count_easing_off_takes_load_then_a_rep() -> None:
    """A count is not shortened below 2 s: 3 s -> 2 s, but at 2 s the load gives."""
    suggestion = suggest(two(reps_done=16, tempo_used="3-1-1-0", tempo_planned="3-1-1-0"))
    assert suggestion is not None and suggestion.plan.tempo == "2-1-1-0"
    at_two = two(reps_done=16, tempo_used="2-1-1-0", tempo_planned="2-1-1-0")
    suggestion = suggest(at_two)
    assert suggestion is not None and suggestion.step is Step.LESS_LOAD
    assert (suggestion.plan.tempo, suggestion.plan.load) == ("2-1-1-0", 54.0)
    assert "take 6 kg off" in suggestion.why
    odd = suggest(two(reps_done=16, tempo_used="2-1-1-0", tempo_planned="2-1-1-0", top_load=47.0))
    assert odd is not None and odd.plan.load == 42.0  # 42.3 down to the half kilo
    no_load = suggest(
        two(reps_done=16, tempo_used="2-1-1-0", tempo_planned="2-1-1-0", top_load=None)
    )
    assert no_load is not None and no_load.step is Step.FEWER_REPS and no_load.plan.reps == 5


def test_a_count_shortened_live_is_where_the_next_session_starts() -> None:
    suggestion = suggest(two(tempo_planned="5-1-1-0", tempo_used="4-1-1-0", live_changes=1))
    assert suggestion is not None and suggestion.step is Step.SHORTER
    assert suggestion.plan.tempo == "4-1-1-0"
    assert "from 5 s to 4 s" in suggestion.why
    # A count made longer live is no obstacle: the session ended at the longer count.
    longer = suggest(
        [
            summary(tempo="5-1-1-0", planned_tempo="4-1-1-0"),
            summary("2026-05-05T18:00:00+02:00", tempo="5-1-1-0", planned_tempo="4-1-1-0"),
        ]
    )
    assert longer is not None and longer.step is Step.LONGER and longer.plan.tempo == "6-1-1-0"


@pytest.mark.parametrize(
    ("taps", "step"),
    [
        ((10, 8, 1), Step.LONGER),  # 80 %: good
        ((10, 7, 3), Step.SAME),  # 70 %: fair, repeat
        ((10, 5, 5), Step.SAME),  # 50 %: not poor yet
        ((10, 4, 6), Step.SHORTER),  # 40 %, mostly fast: ease off
        ((10, 4, 1), Step.SAME),  # 40 %, mostly slow: keep the count and follow it
        ((2, 0, 2), Step.LONGER),  # too few taps to judge: by the reps
        ((0, 0, 0), Step.LONGER),  # no taps: by the reps
    ],
)
def test_adherence_where_taps_exist(taps: tuple[int, int, int], step: Step) -> None:
    history = [
        summary(taps=(10, 9, 1)),
        summary("2026-05-05T18:00:00+02:00", taps=taps),
    ]
    suggestion = suggest(history)
    assert suggestion is not None and suggestion.step is step, suggestion
    if taps == (10, 4, 6):
        assert "4 of 10" in suggestion.why and "too fast" in suggestion.why
    if taps == (10, 4, 1):
        assert "slower than the count" in suggestion.why


def test_poor_adherence_in_the_session_before_blocks_a_longer_count() -> None:
    history = [summary(taps=(10, 6, 4)), summary("2026-05-05T18:00:00+02:00")]
    suggestion = suggest(history)
    assert suggestion is not None and suggestion.step is Step.SAME


@pytest.mark.parametrize(("sore", "step"), [(6, Step.SHORTER), (5, Step.LONGER)])
def test_soreness_at_the_last_session(sore: int, step: Step) -> None:
    suggestion = suggest(two(soreness=sore))
    assert suggestion is not None and suggestion.step is step
    if step is Step.SHORTER:
        assert "soreness of 6 in 10 before the last session" in suggestion.why


@pytest.mark.parametrize(("sore", "step"), [(6, Step.SHORTER), (5, Step.LONGER), (0, Step.LONGER)])
def test_soreness_checked_in_today(sore: int, step: Step) -> None:
    suggestion = suggest(two(), soreness=sore)
    assert suggestion is not None and suggestion.step is step
    if step is Step.SHORTER:
        assert "today" in suggestion.why


def test_todays_check_in_outweighs_the_last_sessions() -> None:
    suggestion = suggest(two(soreness=8), soreness=2)
    assert suggestion is not None and suggestion.step is Step.LONGER
    suggestion = suggest(two(soreness=2), soreness=8)
    assert suggestion is not None and suggestion.step is Step.SHORTER


def test_a_stopped_session_is_repeated() -> None:
    suggestion = suggest(two(finished=False))
    assert suggestion is not None and suggestion.step is Step.SAME
    assert "stopped" in suggestion.why


@pytest.mark.parametrize(
    ("tempo", "step", "next_tempo"),
    [
        ("4-1-4-0", Step.LONGER, "5-1-4-0"),  # 9 s -> 10.0 s: not over 10 s
        ("4.5-1-4-0", Step.MORE_LOAD, "4.5-1-4-0"),  # 9.5 s -> 10.5 s: load instead
        ("6-2-3-0", Step.MORE_LOAD, "6-2-3-0"),  # 11 s already
    ],
)
def test_a_rep_never_grows_past_10_s(tempo: str, step: Step, next_tempo: str) -> None:
    history = [summary(tempo=tempo), summary("2026-05-05T18:00:00+02:00", tempo=tempo)]
    suggestion = suggest(history)
    assert suggestion is not None and suggestion.step is step
    assert suggestion.plan.tempo == next_tempo
    if step is Step.MORE_LOAD:
        assert suggestion.plan.load == 62.5 and "add 2.5 kg instead" in suggestion.why
        assert "over 10 s" in suggestion.why


def test_past_10_s_without_load_a_rep_is_added_and_lb_steps_by_5() -> None:
    history = [
        summary(tempo="4.5-1-4-0", load=None),
        summary("2026-05-05T18:00:00+02:00", tempo="4.5-1-4-0", load=None),
    ]
    suggestion = suggest(history)
    assert suggestion is not None and suggestion.step is Step.MORE_REPS
    assert suggestion.plan.reps == 7 and suggestion.plan.load is None
    in_lb = [s._replace(top_load=135.0, load_unit=LoadUnit.LB) for s in history]
    suggestion = suggest(in_lb)
    assert suggestion is not None and suggestion.plan.load == 140.0


def test_a_negative_only_rep_is_timed_without_its_reset() -> None:
    """The reset is not time under tension: 7-1-3-0 negative-only is 8 s, so +1 s is fine."""
    history = [
        summary(tempo="7-1-3-0", negative_only=True),
        summary("2026-05-05T18:00:00+02:00", tempo="7-1-3-0", negative_only=True),
    ]
    suggestion = suggest(history)
    assert suggestion is not None and suggestion.step is Step.LONGER
    assert suggestion.plan.negative_only and suggestion.plan.text.endswith("negative-only")


def test_negative_only_sessions_are_judged_apart() -> None:
    history = [summary(), summary("2026-05-05T18:00:00+02:00", negative_only=True)]
    suggestion = suggest(history)
    assert suggestion is not None and suggestion.step is Step.SAME


def test_the_long_rep_note_follows_the_suggested_plan() -> None:
    history = [summary(tempo="6-2-3-0", load=None, reps=100)] * 2
    advice = advice_for([history[0], history[1]._replace(started_at="2026-05-05T18:00:00+02:00")])
    assert advice.suggestion is not None and advice.suggestion.step is Step.SAME
    notes = [n for n in advice.warnings if n.kind is NoteKind.LONG_REP]
    assert len(notes) == 1 and "11 s" in notes[0].text and "10 s" in notes[0].text
    assert not [n for n in advice_for(two()).warnings if n.kind is NoteKind.LONG_REP]


@pytest.mark.parametrize(("tempo", "noted"), [("5-1-4-0", False), ("5.5-1-4-0", True)])
def test_the_long_rep_note_boundary(tempo: str, noted: bool) -> None:
    """10.0 s is not over 10 s; 10.5 s is (here both get load instead of a longer count)."""
    history = [summary(tempo=tempo), summary("2026-05-05T18:00:00+02:00", tempo=tempo)]
    advice = advice_for(history)
    assert advice.suggestion is not None and advice.suggestion.step is Step.MORE_LOAD
    notes = [n for n in advice.warnings if n.kind is NoteKind.LONG_REP]
    assert bool(notes) is noted


def test_explosive_lifts_use_the_preference() -> None:
    history = [
        summary(tempo="7-1-X-0"),
        summary("2026-05-05T18:00:00+02:00", tempo="7-1-X-0"),
    ]
    advice = advice_for(history)  # 1 s lift: 9 s -> 10 s
    assert advice.suggestion is not None and advice.suggestion.plan.tempo == "8-1-X-0"
    slow_x = DEFAULTS.with_values(explosive_seconds=1.5)  # 9.5 s -> 10.5 s
    advice = advice_for(history, preferences=slow_x)
    assert advice.suggestion is not None and advice.suggestion.step is Step.MORE_LOAD


def test_the_advice_switch_turns_the_suggestions_off() -> None:
    off = DEFAULTS.with_values(advice=False)
    history = [summary(tempo="6-2-3-0"), summary("2026-05-05T18:00:00+02:00", tempo="6-2-3-0")]
    advice = advice_for(history, preferences=off)
    assert advice.suggestion is None and advice.warnings == ()
    assert advice.last_time is not None  # the record itself is not advice
    assert advice_for(history).suggestion is not None


def test_a_tempo_that_cannot_be_read_gives_no_suggestion() -> None:
    assert suggest(two(tempo_used="fast", tempo_planned="fast")) is None
    # ... in the session before, it is only left out
    history = [summary(tempo="fast"), summary("2026-05-05T18:00:00+02:00")]
    suggestion = suggest(history)
    assert suggestion is not None and suggestion.step is Step.SAME


def test_sessions_are_taken_in_the_order_of_their_instants() -> None:
    """Given out of order, with different offsets: the newest instant is the last session."""
    older = summary("2026-05-05T10:00:00-05:00", done=10)  # 15:00 UTC: the newer one
    newer = summary("2026-05-05T16:00:00+02:00")  # 14:00 UTC
    advice = advice_for([older, newer])
    assert advice.suggestion is not None and advice.suggestion.step is Step.SHORTER


def test_the_summary_of_a_real_record_feeds_the_adherence_rule() -> None:
    """The tap counts come from SessionSummary.of; the coach reads them from there."""

    def rep(n: int, tapped: int | None) -> RepRecord:
        phases = (
            PhaseTime(Phase.ECCENTRIC, 4000, 4000),
            PhaseTime(Phase.PAUSE_AFTER_ECCENTRIC, 1000, 1000),
            PhaseTime(Phase.CONCENTRIC, 1000, 1000),
            PhaseTime(Phase.PAUSE_AFTER_CONCENTRIC, 0, 0),
        )
        return RepRecord(1, n, None, phases, lowering_tapped_ms=tapped)

    def session(when: str, taps: list[int | None]) -> SessionSummary:
        reps = tuple(rep(n + 1, t) for n, t in enumerate(taps))
        one = SetRecord("barbell-squat", "squat", 1, when, "4-1-1-0", "4-1-1-0", len(reps), reps,
                        load=60.0, tap_mode=True)  # fmt: skip
        return SessionSummary.of(SessionRecord(when, "barbell-squat", "squat", when, (one,), rpe=7))

    good = session("2026-05-01T18:00:00+02:00", [4100, 3900, 4500, None, 3500, 4000])
    fast = session("2026-05-05T18:00:00+02:00", [3000, 2900, 4000, 3100, None, 3000])
    assert (fast.taps, fast.taps_on_tempo, fast.taps_fast, fast.taps_missing) == (5, 1, 4, 1)
    suggestion = suggest([good, fast])
    assert suggestion is not None and suggestion.step is Step.SHORTER
    assert suggest([good, good._replace(started_at="2026-05-05T18:00:00+02:00")]) is not None


# -- the soreness guard ------------------------------------------------------------------------


def squat_at(when: str, soreness: int | None = None) -> SessionSummary:
    return summary(when, exercise_id="barbell-squat", soreness=soreness)


def soreness_notes(advice: coach.Advice) -> list[coach.Note]:
    return [n for n in advice.warnings if n.kind is NoteKind.SORENESS]


@pytest.mark.parametrize(
    ("ago", "warned"),
    [
        (timedelta(hours=48), True),  # exactly 48 h: within
        (timedelta(hours=48, seconds=1), False),
        (timedelta(hours=2), True),
    ],
)
def test_shared_muscles_within_48_h_with_soreness_6(ago: timedelta, warned: bool) -> None:
    """A squat (quadriceps, glutes), then the box step-down (quadriceps, glutes)."""
    when = (NOW - ago).isoformat()
    advice = advice_for([squat_at(when)], "box-step-down", soreness=6)
    notes = soreness_notes(advice)
    assert bool(notes) is warned
    if warned:
        hours = int(ago.total_seconds() // 3600)
        assert f"quadriceps and glutes {hours} h ago" in notes[0].text
        assert "soreness of 6 in 10 today" in notes[0].text


def test_48_h_are_counted_between_instants_across_offsets() -> None:
    """Written at +01:00, the session was 48 h before NOW (+02:00) at 17:00+01:00."""
    at_48h = squat_at("2026-05-08T17:00:00+01:00")
    assert soreness_notes(advice_for([at_48h], "box-step-down", soreness=7))
    later = squat_at("2026-05-08T16:59:59+01:00")
    assert not soreness_notes(advice_for([later], "box-step-down", soreness=7))


@pytest.mark.parametrize(("sore", "warned"), [(6, True), (5, False), (10, True), (0, False)])
def test_soreness_of_6_or_more(sore: int, warned: bool) -> None:
    yesterday = squat_at("2026-05-09T18:00:00+02:00")
    assert bool(soreness_notes(advice_for([yesterday], "barbell-squat", soreness=sore))) is warned


def test_without_a_check_in_the_last_sessions_soreness_counts() -> None:
    sore = squat_at("2026-05-09T18:00:00+02:00", soreness=7)
    notes = soreness_notes(advice_for([sore], "box-step-down"))
    assert notes and "soreness of 7 in 10 before your last session" in notes[0].text
    fine = squat_at("2026-05-09T18:00:00+02:00", soreness=2)
    assert not soreness_notes(advice_for([fine], "box-step-down"))
    unasked = squat_at("2026-05-09T18:00:00+02:00")
    assert not soreness_notes(advice_for([unasked], "box-step-down"))
    # Today's check-in outweighs the last one.
    assert not soreness_notes(advice_for([sore], "box-step-down", soreness=3))


def test_no_shared_muscle_no_warning() -> None:
    yesterday = squat_at("2026-05-09T18:00:00+02:00", soreness=9)
    assert not soreness_notes(advice_for([yesterday], "dumbbell-curl", soreness=9))
    # The rollout shares the glutes with the squat.
    notes = soreness_notes(advice_for([yesterday], "hamstring-rollout", soreness=9))
    assert notes and "trained glutes 24 h ago" in notes[0].text


def test_an_exercise_without_muscles_is_compared_with_itself() -> None:
    own = Exercise(
        exercise_id="sissy-squat",
        name="Sissy squat",
        rep_start=RepStart.ECCENTRIC_FIRST,
        default_tempo=parse_tempo("4-0-1-0"),
        default_reps=8,
        default_sets=3,
        default_rest_s=60,
        side_mode=SideMode.BOTH,
    )
    library = (*BUILTIN_EXERCISES, own)
    itself = summary("2026-05-09T18:00:00+02:00", exercise_id="sissy-squat")
    advice = advise("sissy-squat", [itself], library, NOW, DEFAULTS, soreness=8)
    assert soreness_notes(advice) and "trained this exercise 24 h ago" in advice.warnings[-1].text
    squat = squat_at("2026-05-09T18:00:00+02:00")
    assert not soreness_notes(advise("sissy-squat", [squat], library, NOW, DEFAULTS, soreness=8))


def test_the_soreness_warning_has_its_switch() -> None:
    yesterday = squat_at("2026-05-09T18:00:00+02:00", soreness=8)
    off = DEFAULTS.with_values(warn_soreness=False)
    assert not soreness_notes(advice_for([yesterday], "box-step-down", preferences=off))
    assert soreness_notes(advice_for([yesterday], "box-step-down"))


# -- the frequency guard -----------------------------------------------------------------------


def days_ago(*days: int, hour: int = 18) -> list[SessionSummary]:
    """A session of a different exercise on each of these days before NOW's date."""
    return [
        summary(
            (NOW.replace(hour=hour) - timedelta(days=d)).isoformat(),
            exercise_id=("cable-row", "dumbbell-curl", "hamstring-curl")[d % 3],
        )
        for d in days
    ]


def frequency_notes(advice: coach.Advice) -> list[coach.Note]:
    return [n for n in advice.warnings if n.kind is NoteKind.FREQUENCY]


@pytest.mark.parametrize(
    ("days", "warned"),
    [
        ((1, 2, 3), False),  # with today: 4 days in 7
        ((1, 2, 3, 4), True),  # with today: 5
        ((1, 2, 3, 7), False),  # 7 days ago is outside the last 7 (today and 6 before)
        ((1, 2, 3, 6), True),  # 6 days ago is inside
        ((0, 1, 2, 3), False),  # a session today is today: still 4 days
    ],
)
def test_more_than_4_days_in_7(days: tuple[int, ...], warned: bool) -> None:
    notes = frequency_notes(advice_for(days_ago(*days)))
    assert bool(notes) is warned
    if warned:
        assert "5 days of lowering work in the last 7" in notes[0].text


def test_a_day_is_a_day_however_many_sessions() -> None:
    """Three exercises on the same day, four days: no warning (a session is one exercise)."""
    same_day = days_ago(1) + days_ago(1, hour=19) + days_ago(1, hour=20) + days_ago(2, 3)
    assert len(same_day) == 5
    assert not frequency_notes(advice_for(same_day))


def test_days_are_each_sessions_own_local_date() -> None:
    """23:30 at -05:00 is the next day in UTC and in +02:00, but it is the lifter's day."""
    late = [summary(f"2026-05-0{d}T23:30:00-05:00", exercise_id="cable-row") for d in (6, 7, 8)]
    assert not frequency_notes(advice_for(late))  # 6, 7, 8 and today: 4 days
    early = [summary(f"2026-05-0{d}T04:30:00+00:00", exercise_id="cable-row") for d in (6, 7, 8, 9)]
    assert frequency_notes(advice_for(early))


def test_the_frequency_warning_has_its_switch() -> None:
    history = days_ago(1, 2, 3, 4)
    off = DEFAULTS.with_values(warn_frequency=False)
    assert not frequency_notes(advice_for(history, preferences=off))


def test_undated_sessions_take_part_in_no_time_rule() -> None:
    undated = [summary("not a date", soreness=9) for _ in range(6)]
    advice = advice_for(undated, "box-step-down", soreness=9)
    assert not frequency_notes(advice) and not soreness_notes(advice)


# -- the first session -------------------------------------------------------------------------


def test_a_first_session_tip_for_an_exercise_without_history() -> None:
    advice = advice_for(two(), "dumbbell-curl")
    tips = [n for n in advice.warnings if n.kind is NoteKind.FIRST_SESSION]
    assert len(tips) == 1 and "start light" in tips[0].text
    assert advice.suggestion is None and advice.last_time is None
    assert not [n for n in advice_for(two()).warnings if n.kind is NoteKind.FIRST_SESSION]
    off = DEFAULTS.with_values(first_session_tip=False)
    assert advice_for(two(), "dumbbell-curl", preferences=off).warnings == ()


def test_a_session_without_sets_is_no_history() -> None:
    empty = summary(sets=0, tempo="")
    advice = advice_for([empty])
    assert advice.last_time is None
    assert [n.kind for n in advice.warnings] == [NoteKind.FIRST_SESSION]


def test_every_switch_off_says_nothing() -> None:
    off = DEFAULTS.with_values(
        advice=False, warn_soreness=False, warn_frequency=False, first_session_tip=False
    )
    history = [squat_at("2026-05-09T18:00:00+02:00", soreness=9), *days_ago(2, 3, 4, 5)]
    for exercise_id in ("barbell-squat", "box-step-down"):
        advice = advice_for(history, exercise_id, preferences=off, soreness=9)
        assert not advice.says_anything


# -- the entry points' edges -------------------------------------------------------------------


def test_exercises_with_history_in_library_order_then_the_unknown() -> None:
    history = [
        summary("2026-05-01T18:00:00+02:00", exercise_id="gone-exercise"),
        summary("2026-05-02T18:00:00+02:00", exercise_id="dumbbell-curl"),
        summary("2026-05-03T18:00:00+02:00", exercise_id="barbell-squat"),
        summary("2026-05-04T18:00:00+02:00", exercise_id="barbell-squat", sets=0),
        summary("2026-05-04T18:00:00+02:00", exercise_id="never-mind", sets=0),
    ]
    ids = exercises_with_history(history, BUILTIN_EXERCISES)
    assert ids == ["barbell-squat", "dumbbell-curl", "gone-exercise"]
    gone = advise("gone-exercise", history, BUILTIN_EXERCISES, NOW, DEFAULTS)
    assert gone.exercise_name == "gone exercise" and gone.suggestion is not None


def test_now_must_be_aware_and_soreness_in_range() -> None:
    with pytest.raises(ValueError, match="aware"):
        advise("barbell-squat", [], BUILTIN_EXERCISES, NOW.replace(tzinfo=None), DEFAULTS)
    with pytest.raises(ValueError, match="0 to 10"):
        advise("barbell-squat", [], BUILTIN_EXERCISES, NOW, DEFAULTS, soreness=11)


def test_an_old_check_in_no_longer_eases_the_advice() -> None:
    """The last session's check-in counts within the soreness window only (48 h)."""
    older = squat_at("2026-05-01T18:00:00+02:00")
    within = squat_at("2026-05-08T18:00:00+02:00", soreness=7)  # 48 h before NOW
    advice = advice_for([older, within])
    assert advice.suggestion is not None and advice.suggestion.step.easier
    stale = squat_at("2026-05-08T17:59:59+02:00", soreness=7)  # 48 h and 1 s
    advice = advice_for([older, stale])
    assert advice.suggestion is not None and not advice.suggestion.step.easier
