"""Options shared by the commands that run or describe a session (plan, play, render)."""

from __future__ import annotations

import argparse
import math

from tempo_coach.core.exercise import (
    BUILTIN_EXERCISES,
    Exercise,
    ExerciseError,
    ExerciseLookupError,
    find_exercise,
)
from tempo_coach.core.tempo import (
    DEFAULT_EXPLOSIVE_MS,
    EXPLOSIVE_RANGE_MS,
    TempoError,
    parse_tempo,
    seconds_to_ms,
)
from tempo_coach.core.timeline import CountStyle, SetPlan


def add_plan_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--exercise",
        "-e",
        required=True,
        metavar="NAME",
        help="exercise name, or a unique part of it (any case): 'squat', 'row'",
    )
    parser.add_argument("--tempo", "-t", metavar="T", help="e.g. 4-1-1-0, 31X0, 2.5-0-1-0")
    parser.add_argument("--reps", "-r", type=int, metavar="N", help="reps per set")
    parser.add_argument("--sets", "-s", type=int, metavar="N", help="number of sets")
    parser.add_argument("--rest", type=float, metavar="S", help="rest between sets, seconds")
    parser.add_argument(
        "--count-in", type=float, default=3.0, metavar="S", help="count-in, 0 to 10 s (3)"
    )
    parser.add_argument(
        "--count",
        choices=[s.value for s in CountStyle],
        default=CountStyle.UP.value,
        help="count each phase up (1, 2, 3) or down (3, 2, 1); default up",
    )
    parser.add_argument(
        "--explosive",
        type=float,
        default=DEFAULT_EXPLOSIVE_MS / 1000,
        metavar="S",
        help="real length of an explosive (X) lift, seconds (1)",
    )


def plan_from_args(
    args: argparse.Namespace, exercises: tuple[Exercise, ...] = BUILTIN_EXERCISES
) -> SetPlan:
    """Build the SetPlan the options describe; raises UsageError with a clear message."""
    from tempo_coach.cli import UsageError

    try:
        exercise = find_exercise(args.exercise, exercises)
    except ExerciseLookupError as error:
        raise UsageError(str(error)) from None
    seconds = {
        name: _seconds_option(name, getattr(args, name))
        for name in ("explosive", "rest", "count_in")
    }
    low, high = EXPLOSIVE_RANGE_MS
    if not low <= (seconds["explosive"] or 0) <= high:
        raise UsageError(
            f"--explosive must be {low / 1000:g} to {high / 1000:g} seconds, got {args.explosive:g}"
        )
    try:
        explosive_ms = seconds["explosive"] or DEFAULT_EXPLOSIVE_MS
        tempo = (
            parse_tempo(args.tempo, explosive_ms=explosive_ms)
            if args.tempo is not None
            else exercise.default_tempo.with_explosive_ms(explosive_ms)
        )
        return SetPlan.from_exercise(
            exercise,
            tempo=tempo,
            reps=args.reps,
            sets=args.sets,
            rest_ms=seconds["rest"],
            count_in_ms=seconds["count_in"],
            count_style=CountStyle(args.count),
        )
    except (TempoError, ExerciseError) as error:
        raise UsageError(str(error)) from None


def _seconds_option(name: str, value: float | None) -> int | None:
    """An option given in seconds, as milliseconds; a message naming the option if unusable."""
    from tempo_coach.cli import UsageError

    if value is None:
        return None
    option = "--" + name.replace("_", "-")
    if not math.isfinite(value) or value < 0 or value > 1_000_000:
        raise UsageError(f"{option} must be a number of seconds, 0 or more, got {value:g}")
    return seconds_to_ms(value)
