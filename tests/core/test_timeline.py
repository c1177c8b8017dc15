"""From a set plan to the timeline: order, times, counts, sides, rests."""

from __future__ import annotations

import json
from itertools import pairwise

import pytest
from hypothesis import given, settings

from tempo_coach.core.exercise import BUILTIN_EXERCISES, ExerciseError, Side, find_exercise
from tempo_coach.core.tempo import Phase, parse_tempo
from tempo_coach.core.timeline import (
    CountStyle,
    EventKind,
    SetPlan,
    build_timeline,
    count_values,
    plan_segments,
)
from tests.core.strategies import plans


def squat_plan(**overrides: object) -> SetPlan:
    exercise = find_exercise("barbell squat", BUILTIN_EXERCISES)
    values: dict[str, object] = {"tempo": parse_tempo("3-1-1-0"), "reps": 2, "sets": 2}
    values.update(overrides)
    return SetPlan.from_exercise(exercise, **values)


def phases_of(plan: SetPlan) -> list[tuple[float, str, int | None]]:
    return [
        (e.t, e.phase.value, e.rep)
        for e in build_timeline(plan)
        if e.kind is EventKind.PHASE and e.phase is not None
    ]


def test_squat_timeline_starts_with_count_in_then_the_descent() -> None:
    plan = squat_plan(rest_ms=10_000)
    assert phases_of(plan)[:6] == [
        (0.0, "count_in", None),
        (3.0, "eccentric", 1),
        (6.0, "pause_after_eccentric", 1),
        (7.0, "concentric", 1),
        (8.0, "eccentric", 2),  # a zero pause is no phase at all
        (11.0, "pause_after_eccentric", 2),
    ]
    assert phases_of(plan)[7] == (13.0, "rest", None)
    assert phases_of(plan)[8] == (23.0, "eccentric", 1)
    end = build_timeline(plan)[-1]
    assert (end.kind, end.t) == (EventKind.END, 33.0)


def test_concentric_first_exercise_starts_by_lifting_and_ends_with_a_whole_lowering() -> None:
    plan = SetPlan.from_exercise(
        find_exercise("pull-up", BUILTIN_EXERCISES),
        tempo=parse_tempo("5-0-1-2"),
        reps=1,
        sets=1,
        count_in_ms=0,
    )
    assert phases_of(plan) == [
        (0.0, "concentric", 1),
        (1.0, "pause_after_concentric", 1),
        (3.0, "eccentric", 1),
    ]
    assert build_timeline(plan)[-1].t == 8.0  # the last lowering is not cut


def test_counts_one_per_second_up_or_down() -> None:
    up = [
        e.count
        for e in build_timeline(squat_plan(reps=1, sets=1))
        if e.kind is EventKind.COUNT and e.phase is Phase.ECCENTRIC
    ]
    down = [
        e.count
        for e in build_timeline(squat_plan(reps=1, sets=1, count_style=CountStyle.DOWN))
        if e.kind is EventKind.COUNT and e.phase is Phase.ECCENTRIC
    ]
    assert up == [1, 2, 3]
    assert down == [3, 2, 1]


def test_count_in_and_rest_always_count_down() -> None:
    events = build_timeline(squat_plan(rest_ms=5000, count_in_ms=3000))
    count_in = [e.count for e in events if e.kind is EventKind.COUNT and e.phase is Phase.COUNT_IN]
    rest = [(e.t, e.count) for e in events if e.kind is EventKind.COUNT and e.phase is Phase.REST]
    assert count_in == [3, 2, 1]
    assert rest == [(13.0, 5), (14.0, 4), (15.0, 3), (16.0, 2), (17.0, 1)]


def test_fractional_phase_counts() -> None:
    assert count_values(2500, CountStyle.UP) == [1, 2, 3]
    assert count_values(2500, CountStyle.DOWN) == [3, 2, 1]
    assert count_values(500, CountStyle.UP) == [1]


def test_no_count_in_means_the_first_rep_starts_at_zero() -> None:
    assert phases_of(squat_plan(count_in_ms=0))[0] == (0.0, "eccentric", 1)


def test_alternating_exercise_names_the_side_of_every_rep() -> None:
    plan = SetPlan.from_exercise(
        find_exercise("hamstring curl", BUILTIN_EXERCISES), reps=3, sets=2, rest_ms=0
    )
    sides = [
        (e.set_number, e.rep, e.side) for e in build_timeline(plan) if e.kind is EventKind.SIDE
    ]
    assert sides == [
        (1, 1, Side.LEFT),
        (1, 2, Side.RIGHT),
        (1, 3, Side.LEFT),
        (2, 1, Side.LEFT),
        (2, 2, Side.RIGHT),
        (2, 3, Side.LEFT),
    ]


def test_one_side_per_set_switches_between_sets_only() -> None:
    plan = SetPlan.from_exercise(
        find_exercise("step-down", BUILTIN_EXERCISES), reps=3, sets=3, rest_ms=30_000
    )
    events = build_timeline(plan)
    sides = [(e.set_number, e.rep, e.side) for e in events if e.kind is EventKind.SIDE]
    assert sides == [(1, 1, Side.LEFT), (2, 1, Side.RIGHT), (3, 1, Side.LEFT)]
    assert {e.side for e in events if e.set_number == 2 and e.rep} == {Side.RIGHT}


def test_side_cue_comes_before_the_phase_at_the_same_instant() -> None:
    plan = SetPlan.from_exercise(find_exercise("hamstring curl", BUILTIN_EXERCISES), reps=1, sets=1)
    events = build_timeline(plan)
    first_rep = [e.kind for e in events if e.rep == 1][:3]
    assert first_rep == [EventKind.SIDE, EventKind.PHASE, EventKind.COUNT]


def test_json_form_has_the_documented_fields() -> None:
    event = build_timeline(squat_plan())[4]
    data = json.loads(json.dumps(event.to_json(), allow_nan=False))
    assert data == {
        "t": 3.0,
        "kind": "phase",
        "phase": "eccentric",
        "set": 1,
        "rep": 1,
        "side": None,
        "duration": 3.0,
        "count": None,
        "count_total": None,
    }


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"reps": 0}, "reps must be 1 to 100"),
        ({"sets": 0}, "sets must be 1 to 20"),
        ({"rest_ms": 601_000}, "rest between sets must be 0 to 600 seconds, got 601"),
        ({"count_in_ms": 11_000}, "count-in must be 0 to 10 seconds, got 11"),
    ],
)
def test_impossible_plans_are_refused(overrides: dict, message: str) -> None:
    with pytest.raises(ExerciseError, match=message):
        squat_plan(**overrides)


@settings(max_examples=200)
@given(plans())
def test_timeline_properties(plan: SetPlan) -> None:
    events = build_timeline(plan)
    # Times never go backwards and the END is last.
    assert all(a.t_ms <= b.t_ms for a, b in pairwise(events))
    assert events[-1].kind is EventKind.END and sum(e.kind is EventKind.END for e in events) == 1
    segments = plan_segments(plan)
    assert all(a.end_ms == b.start_ms for a, b in pairwise(segments))
    # The phases of a rep add up to its tempo, in the exercise's order.
    order = [p for p in plan.exercise.phase_order if plan.tempo.duration_ms(p) > 0]
    for set_number in range(1, plan.sets + 1):
        for rep in range(1, plan.reps + 1):
            mine = [s for s in segments if s.set_number == set_number and s.rep == rep]
            assert [s.phase for s in mine] == order
            assert sum(s.duration_ms for s in mine) == plan.tempo.rep_ms
            assert len({s.side for s in mine}) == 1
    # Reps and sets come in order.
    reps = [(s.set_number, s.rep) for s in segments if s.rep is not None]
    assert reps == sorted(reps)
    # One count a second inside each phase, starting at its start.
    for s in segments:
        counts = [
            e
            for e in events
            if e.kind is EventKind.COUNT
            and e.t_ms >= s.start_ms
            and e.t_ms < s.end_ms
            and e.phase is s.phase
            and e.rep == s.rep
            and e.set_number == s.set_number
        ]
        assert [e.t_ms - s.start_ms for e in counts] == [1000 * k for k in range(len(counts))]
        assert len(counts) == -(-s.duration_ms // 1000)
    # Rests only between sets; total length adds up.
    rests = [s for s in segments if s.phase is Phase.REST]
    assert len(rests) == (plan.sets - 1 if plan.rest_ms else 0)
    total = plan.count_in_ms + plan.sets * plan.reps * plan.tempo.rep_ms + len(rests) * plan.rest_ms
    assert events[-1].t_ms == total
