"""What the commands share: the usage error, the data folder, and the options that describe a
session (plan, play, render).

The package's ``__init__`` imports every command module, and every command raises
``UsageError``; so ``UsageError`` lives here, below both, and nothing here imports the package.
"""

from __future__ import annotations

import argparse
import math
import re
from collections.abc import Mapping
from pathlib import Path

from tempo_coach.core.exercise import (
    BUILTIN_EXERCISES,
    Exercise,
    ExerciseError,
    ExerciseLookupError,
    find_exercise,
)
from tempo_coach.core.preferences import PREFERENCES_BY_NAME
from tempo_coach.core.tempo import (
    DEFAULT_EXPLOSIVE_MS,
    EXPLOSIVE_RANGE_MS,
    TempoError,
    parse_tempo,
    seconds_to_ms,
)
from tempo_coach.core.timeline import CountStyle, SetPlan

DATA_DIR_ENV = "TEMPO_COACH_DATA_DIR"

# "T:AMOUNT" for --change and --pause: seconds of session time, then a signed amount.
_AT_AMOUNT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*:\s*([-+]?\d+(?:\.\d+)?)\s*$")


class UsageError(Exception):
    """A bad argument found after parsing (exit status 2, message on stderr)."""


def data_dir_from(args: argparse.Namespace, environ: Mapping[str, str]) -> Path | None:
    """--data-dir, else $TEMPO_COACH_DATA_DIR, else None (the platform's user data folder).
    ``main()`` calls this once and hands the result to the command."""
    if getattr(args, "data_dir", None):
        return Path(args.data_dir).expanduser()
    env = environ.get(DATA_DIR_ENV)
    return Path(env).expanduser() if env else None


def at_amount(option: str, text: str, example: str) -> tuple[float, float]:
    """``(seconds, amount)`` from a ``T:AMOUNT`` option value, both finite."""
    match = _AT_AMOUNT.match(text)
    if match:
        at_s, amount = float(match.group(1)), float(match.group(2))
        if math.isfinite(at_s) and math.isfinite(amount):
            return at_s, amount
    raise UsageError(f"{option} {text!r}: write seconds:amount, e.g. {example}")


def checked_volume(value: float) -> float:
    """``--volume`` checked against the volume preference's range."""
    spec = PREFERENCES_BY_NAME["volume"]
    try:
        volume: float = spec.validate(value)
    except ValueError:
        raise UsageError(
            f"--volume must be {spec.minimum:g} to {spec.maximum:g}, got {value:g}"
        ) from None
    return volume


def add_plan_options(parser: argparse.ArgumentParser, *, exercise_required: bool = True) -> None:
    parser.add_argument(
        "--exercise",
        "-e",
        required=exercise_required,
        metavar="NAME",
        help="exercise name, or a unique part of it (any case): 'squat', 'row'",
    )
    parser.add_argument("--tempo", "-t", metavar="T", help="e.g. 4-1-1-0, 31X0, 2.5-0-1-0")
    parser.add_argument("--reps", "-r", type=int, metavar="N", help="reps per set")
    parser.add_argument("--sets", "-s", type=int, metavar="N", help="number of sets")
    parser.add_argument("--rest", type=float, metavar="S", help="rest between sets, seconds")
    count_in = PREFERENCES_BY_NAME["count_in_seconds"]
    parser.add_argument(
        "--count-in",
        type=float,
        default=float(count_in.default),
        metavar="S",
        help=f"count-in, {count_in.minimum:g} to {count_in.maximum:g} s ({count_in.default:g})",
    )
    count_style = PREFERENCES_BY_NAME["count_style"]
    parser.add_argument(
        "--count",
        choices=[s.value for s in CountStyle],
        default=count_style.default,
        help=f"count each phase up (1, 2, 3) or down (3, 2, 1); default {count_style.default}",
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
    if value is None:
        return None
    option = "--" + name.replace("_", "-")
    if not math.isfinite(value) or value < 0 or value > 1_000_000:
        raise UsageError(f"{option} must be a number of seconds, 0 or more, got {value:g}")
    return seconds_to_ms(value)
