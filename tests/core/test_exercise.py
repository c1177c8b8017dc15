"""The exercise library: phase order, sides, lookup by name."""

from __future__ import annotations

import pytest

from tempo_coach.core.exercise import (
    BUILTIN_EXERCISES,
    Exercise,
    ExerciseError,
    ExerciseLookupError,
    RepStart,
    SideMode,
    find_exercise,
)
from tempo_coach.core.tempo import Phase, parse_tempo

BY_ID = {e.exercise_id: e for e in BUILTIN_EXERCISES}


def test_library_holds_the_seven_exercises_of_the_domain() -> None:
    assert len(BUILTIN_EXERCISES) == 7
    assert len(BY_ID) == 7
    assert all(e.builtin and e.instructions and e.safety_notes for e in BUILTIN_EXERCISES)


@pytest.mark.parametrize(
    ("exercise_id", "rep_start", "side_mode"),
    [
        ("hamstring-rollout", RepStart.CONCENTRIC_FIRST, SideMode.BOTH),
        ("hamstring-curl", RepStart.CONCENTRIC_FIRST, SideMode.ALTERNATE_REPS),
        ("barbell-squat", RepStart.ECCENTRIC_FIRST, SideMode.BOTH),
        ("box-step-down", RepStart.CONCENTRIC_FIRST, SideMode.PER_SET),
        ("band-pull-up", RepStart.CONCENTRIC_FIRST, SideMode.BOTH),
        ("cable-row", RepStart.CONCENTRIC_FIRST, SideMode.BOTH),
        ("dumbbell-curl", RepStart.CONCENTRIC_FIRST, SideMode.BOTH),
    ],
)
def test_each_exercise_has_its_real_order_and_sides(
    exercise_id: str, rep_start: RepStart, side_mode: SideMode
) -> None:
    exercise = BY_ID[exercise_id]
    assert exercise.rep_start is rep_start
    assert exercise.side_mode is side_mode


def test_phase_orders() -> None:
    assert BY_ID["barbell-squat"].phase_order[0] is Phase.ECCENTRIC
    assert BY_ID["band-pull-up"].phase_order == (
        Phase.CONCENTRIC,
        Phase.PAUSE_AFTER_CONCENTRIC,
        Phase.ECCENTRIC,
        Phase.PAUSE_AFTER_ECCENTRIC,
    )


def test_squat_counts_the_descent_with_a_pause_at_the_bottom() -> None:
    tempo = BY_ID["barbell-squat"].default_tempo
    assert tempo.eccentric_ms == 3000 and tempo.pause_after_eccentric_ms > 0


def test_pull_up_holds_at_the_top() -> None:
    assert BY_ID["band-pull-up"].default_tempo.pause_after_concentric_ms > 0


@pytest.mark.parametrize(
    ("query", "exercise_id"),
    [
        ("squat", "barbell-squat"),
        ("barbell squat", "barbell-squat"),
        ("SQUAT", "barbell-squat"),
        ("Eccentric barbell squat", "barbell-squat"),
        ("box-step-down", "box-step-down"),
        ("row", "cable-row"),
        ("pull", "band-pull-up"),
        ("hamstring curl", "hamstring-curl"),
        ("dumbbell", "dumbbell-curl"),
    ],
)
def test_find_by_unique_part_of_the_name(query: str, exercise_id: str) -> None:
    assert find_exercise(query, BUILTIN_EXERCISES).exercise_id == exercise_id


def test_ambiguous_name_lists_the_candidates() -> None:
    with pytest.raises(ExerciseLookupError) as caught:
        find_exercise("curl", BUILTIN_EXERCISES)
    assert {e.exercise_id for e in caught.value.candidates} == {"hamstring-curl", "dumbbell-curl"}
    assert "Eccentric dumbbell curl" in str(caught.value)


def test_unknown_name_lists_the_library() -> None:
    with pytest.raises(ExerciseLookupError, match="no exercise matches 'deadlift'") as caught:
        find_exercise("deadlift", BUILTIN_EXERCISES)
    assert len(caught.value.candidates) == 7


def test_custom_exercises_are_found_too() -> None:
    nordic = Exercise(
        "nordic-curl", "Nordic curl", RepStart.ECCENTRIC_FIRST, parse_tempo("6-0-1-0"), 5, 3, 120
    )
    assert find_exercise("nordic", [*BUILTIN_EXERCISES, nordic]) is nordic


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"default_reps": 0}, "the number of reps must be 1 to 100, got 0"),
        ({"default_sets": 21}, "the number of sets must be 1 to 20, got 21"),
        ({"default_rest_s": -1}, "the rest between sets must be 0 to 600 seconds, got -1"),
        ({"name": "  "}, "needs a name"),
        ({"exercise_id": "Not Slug"}, "lower-case words"),
        ({"default_reps": 2.5}, "must be a whole number"),
    ],
)
def test_invalid_exercise_is_refused_with_a_message(changes: dict, message: str) -> None:
    values = dict(
        exercise_id="x",
        name="X",
        rep_start=RepStart.ECCENTRIC_FIRST,
        default_tempo=parse_tempo("4110"),
        default_reps=5,
        default_sets=3,
        default_rest_s=60,
    )
    values.update(changes)
    with pytest.raises(ExerciseError, match=message):
        Exercise(**values)


def test_exercises_are_hashable_values() -> None:
    assert len(set(BUILTIN_EXERCISES)) == 7
