"""What the commands share: the usage error, the data folder and what it holds for them (the
custom exercises, the preferences), and the options that describe a session (plan, play,
render).

The package's ``__init__`` imports every command module, and every command raises
``UsageError``; so ``UsageError`` lives here, below both, and nothing here imports the package.

The commands use the window's library and preferences: ``UserData`` is what the data folder
gives them (the built-in exercises and the user's own, the saved preferences), and an option
given on the command line replaces the preference for that run only. An exercise's own
default rest applies when ``--rest`` is not given, as in the window (the "default rest"
preference is only what a new custom exercise starts from there).
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tempo_coach.cli.terminal import one_line, shown
from tempo_coach.core.exercise import (
    BUILTIN_EXERCISES,
    COUNT_IN_RANGE_S,
    REPS_RANGE,
    REST_RANGE_S,
    SETS_RANGE,
    Exercise,
    ExerciseError,
    ExerciseLookupError,
    check_int_range,
    find_exercise,
)
from tempo_coach.core.preferences import PREFERENCES_BY_NAME, Preferences
from tempo_coach.core.tempo import (
    EXPLOSIVE_RANGE_MS,
    TempoError,
    parse_tempo,
    seconds_to_ms,
)
from tempo_coach.core.timeline import SHORT_RESET_MS, CountStyle, SetPlan

if TYPE_CHECKING:
    from tempo_coach.store import Store

DATA_DIR_ENV = "TEMPO_COACH_DATA_DIR"

#: The longest name (one part of a path) and whole path the common file systems accept, in
#: bytes: a longer one is refused with a message before any file call fails on it.
NAME_MAX_BYTES = 255
PATH_MAX_BYTES = 4095

# "T:AMOUNT" for --change and --pause: seconds of session time, then a signed amount.
_AT_AMOUNT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*:\s*([-+]?\d+(?:\.\d+)?)\s*$")


#: What the heading of ``plan`` and ``play`` adds for a negative-only plan.
NEGATIVE_ONLY_TEXT = ", negative-only (a reset in place of each lift, not under tension)"


class UsageError(Exception):
    """A bad argument found after parsing (exit status 2, message on stderr)."""


def data_dir_from(args: argparse.Namespace, environ: Mapping[str, str]) -> Path | None:
    """--data-dir, else $TEMPO_COACH_DATA_DIR, else None (the platform's user data folder).
    ``main()`` calls this once and hands the result to the command. ``--data-dir ''`` is
    refused (it is not the default folder); an empty variable counts as unset, as usual."""
    given = getattr(args, "data_dir", None)
    if given is not None:
        return checked_path("--data-dir", given)
    env = environ.get(DATA_DIR_ENV)
    return checked_path(f"${DATA_DIR_ENV}", env) if env else None


def checked_path(option: str, text: str) -> Path:
    """A path typed by the user, ``~`` expanded; a UsageError naming ``option`` when no file
    call could use it: empty, a NUL character, a ``~user`` that is no user, a name or a whole
    path longer than file systems allow (which would otherwise surface as a traceback from
    the first call that meets it)."""
    if not text:
        raise UsageError(f"{option} is empty: give a path")
    if "\0" in text:
        raise UsageError(f"{option} {shown(text)}: a path cannot hold a NUL character")
    try:
        path = Path(text).expanduser()
    except RuntimeError:  # "~nobody-here/x": no such user (or no home folder at all)
        user = re.split(r"[/\\]", text[1:], maxsplit=1)[0]
        who = f"no user {shown(user)}" if user else "no home folder"
        raise UsageError(f"{option} {shown(text)}: there is {who} for ~ to stand for") from None
    encoded = os.fsencode(path)
    longest = max((len(os.fsencode(part)) for part in path.parts), default=0)
    if longest > NAME_MAX_BYTES:
        raise UsageError(
            f"{option} {shown(text)}: a name in it is {longest} bytes long; file systems "
            f"allow at most {NAME_MAX_BYTES}"
        )
    if len(encoded) > PATH_MAX_BYTES:
        raise UsageError(
            f"{option} {shown(text)}: the path is {len(encoded)} bytes long; at most "
            f"{PATH_MAX_BYTES}"
        )
    return path


@dataclass(frozen=True)
class UserData:
    """What the data folder gives a command: the saved preferences and the user's own
    exercises (the window's library is the built-in ones, then these)."""

    preferences: Preferences
    custom_exercises: tuple[Exercise, ...] = ()

    @classmethod
    def defaults(cls) -> UserData:
        """No data folder: the built-in exercises and the default preferences."""
        return cls(Preferences.defaults())

    @classmethod
    def of(cls, store: Store) -> UserData:
        return cls(store.load_preferences(), tuple(store.custom_exercises()))

    @property
    def exercises(self) -> tuple[Exercise, ...]:
        return (*BUILTIN_EXERCISES, *self.custom_exercises)


def read_user_data(data_dir: Path | None) -> UserData:
    """The data folder's preferences and custom exercises, for a command that saves nothing
    (``exercises``, ``plan``, ``render``, ``play --no-save``). Never raises and never creates
    the folder: a folder that does not exist yet holds nothing; one that cannot be used is a
    note on stderr and the defaults. Another Tempo Coach owning the folder is no obstacle
    (the store opens read-only then). Problems with its files go to stderr, like every note,
    so that what a command prints on stdout stays clean for pipes.

    The store is imported here, so that a command that does not read the folder starts
    without it."""
    from tempo_coach.store import Store, StoreError, default_data_dir

    defaults = "using the built-in exercises and the default preferences"
    folder = data_dir if data_dir is not None else default_data_dir()
    try:
        if not folder.is_dir():
            if folder.exists():
                note(f"the data folder {folder} is not a folder; {defaults}")
            return UserData.defaults()
        store = Store.open(folder)
    except (StoreError, OSError) as error:  # OSError: a parent folder that may not be read
        note(f"{describe_error(error)}; {defaults}")
        return UserData.defaults()
    try:
        for problem in store.problems:
            note(problem)
        return UserData.of(store)
    finally:
        store.close()


def note(text: str) -> None:
    """A note for the user on stderr (stdout stays clean for pipes), on one line."""
    print(f"note: {one_line(text)}", file=sys.stderr)


def describe_error(error: Exception) -> str:
    """A StoreError's sentence, or an OSError as "what went wrong (the path)"."""
    if isinstance(error, OSError):
        where = f" ({error.filename})" if error.filename else ""
        return f"{error.strerror or error}{where}"
    return str(error)


def at_amount(option: str, text: str, example: str) -> tuple[float, float]:
    """``(seconds, amount)`` from a ``T:AMOUNT`` option value, both finite."""
    match = _AT_AMOUNT.match(text)
    if match:
        at_s, amount = float(match.group(1)), float(match.group(2))
        if math.isfinite(at_s) and math.isfinite(amount):
            return at_s, amount
    raise UsageError(f"{option} {shown(text)}: write seconds:amount, e.g. {example}")


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
    parser.add_argument(
        "--reps", "-r", type=int, metavar="N", help="reps per set (default: the exercise's)"
    )
    parser.add_argument(
        "--sets", "-s", type=int, metavar="N", help="number of sets (default: the exercise's)"
    )
    parser.add_argument(
        "--rest",
        type=float,
        metavar="S",
        help="rest between sets, seconds (default: the exercise's)",
    )
    # The defaults are the preferences (read in run()); the help gives the table's default.
    count_in = PREFERENCES_BY_NAME["count_in_seconds"]
    parser.add_argument(
        "--count-in",
        type=float,
        metavar="S",
        help=f"count-in, {count_in.minimum:g} to {count_in.maximum:g} s "
        f"(default: your preference, {count_in.default:g} unless changed)",
    )
    count_style = PREFERENCES_BY_NAME["count_style"]
    parser.add_argument(
        "--count",
        choices=[s.value for s in CountStyle],
        help="count each phase up (1, 2, 3) or down (3, 2, 1) "
        f"(default: your preference, {count_style.default} unless changed)",
    )
    explosive = PREFERENCES_BY_NAME["explosive_seconds"]
    parser.add_argument(
        "--explosive",
        type=float,
        metavar="S",
        help="real length of an explosive (X) lift, seconds "
        f"(default: your preference, {explosive.default:g} unless changed)",
    )
    parser.add_argument(
        "--negative-only",
        action="store_true",
        help="a negative-only set: a reset (a partner, a jump, a step) in place of every lift, "
        "as long as the tempo's lifting count, cued like the lift and not counted as time "
        "under tension",
    )


def plan_from_args(args: argparse.Namespace, user: UserData | None = None) -> SetPlan:
    """Build the SetPlan the options describe, from ``user``'s library (the built-in
    exercises only when None); an option not given takes the preference (count-in, count
    style, explosive lift) or the exercise's default. Raises UsageError with a clear
    message."""
    user = user if user is not None else UserData.defaults()
    preferences = user.preferences
    try:
        exercise = find_exercise(args.exercise, user.exercises)
    except ExerciseLookupError as error:
        raise UsageError(f"--exercise: {error}") from None
    for option, value, bounds, what in (
        ("--reps", args.reps, REPS_RANGE, "the number of reps"),
        ("--sets", args.sets, SETS_RANGE, "the number of sets"),
    ):
        if value is not None:
            try:
                check_int_range(what, value, bounds)
            except ExerciseError as error:
                raise UsageError(f"{option}: {error}") from None
    seconds = {
        name: _seconds_option(name, getattr(args, name))
        for name in ("explosive", "rest", "count_in")
    }
    low, high = EXPLOSIVE_RANGE_MS
    if seconds["explosive"] is not None and not low <= seconds["explosive"] <= high:
        raise UsageError(
            f"--explosive must be {low / 1000:g} to {high / 1000:g} seconds, got {args.explosive:g}"
        )
    for option, name, (low, high), what in (
        ("--rest", "rest", REST_RANGE_S, "the rest between sets"),
        ("--count-in", "count_in", COUNT_IN_RANGE_S, "the count-in"),
    ):
        value_ms = seconds[name]
        if value_ms is not None and not low * 1000 <= value_ms <= high * 1000:
            raise UsageError(
                f"{option}: {what} must be {low} to {high} seconds, got {getattr(args, name):g}"
            )
    count_in_ms = seconds["count_in"]
    if count_in_ms is None:
        count_in_ms = preferences.count_in_seconds * 1000
    explosive_ms = seconds["explosive"]
    if explosive_ms is None:
        explosive_ms = seconds_to_ms(preferences.explosive_seconds)
    try:
        tempo = (
            parse_tempo(args.tempo, explosive_ms=explosive_ms)
            if args.tempo is not None
            else exercise.default_tempo.with_explosive_ms(explosive_ms)
        )
    except TempoError as error:
        option = "--tempo" if args.tempo is not None else "--explosive"
        raise UsageError(f"{option}: {error}") from None
    try:
        return SetPlan.from_exercise(
            exercise,
            tempo=tempo,
            reps=args.reps,
            sets=args.sets,
            rest_ms=seconds["rest"],
            count_in_ms=count_in_ms,
            count_style=CountStyle(args.count or preferences.count_style),
            negative_only=bool(getattr(args, "negative_only", False)),
        )
    except (TempoError, ExerciseError) as error:
        raise UsageError(str(error)) from None


def note_short_reset(plan: SetPlan) -> None:
    """A negative-only reset under ``SHORT_RESET_MS`` is likely the lift's count left as it
    was (a 1 s lift): said on stderr, as the window says it in its status bar."""
    if plan.negative_only and plan.tempo.concentric_ms < SHORT_RESET_MS:
        note(
            f"the reset lasts {plan.tempo.concentric_ms / 1000:g} s: give --tempo a lifting "
            "count as long as your reset takes (a partner, a jump, a step)"
        )


def _seconds_option(name: str, value: float | None) -> int | None:
    """An option given in seconds, as milliseconds; a message naming the option if unusable."""
    if value is None:
        return None
    option = "--" + name.replace("_", "-")
    if not math.isfinite(value) or value < 0 or value > 1_000_000:
        raise UsageError(f"{option} must be a number of seconds, 0 or more, got {value:g}")
    return seconds_to_ms(value)
