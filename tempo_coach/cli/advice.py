"""``tempo-coach advice``: the coach's suggestions and warnings from the saved history, the
same the window shows when an exercise is picked (``core/coach.py``; docs/COACHING.md).

For one exercise (``--exercise``), or for every exercise that has a session. ``--soreness N``
is today's check-in (0 to 10), as the window asks it before a session. The preferences in the
data folder decide what is said (``advice``, ``warn_soreness``, ``warn_frequency``,
``first_session_tip``). It saves nothing and does not create the data folder; a folder that
cannot be used is exit status 2, as for ``history``. A session kept for later (not saved
yet) counts as training done for the guard and the advice.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from tempo_coach.cli.options import UsageError, UserData, describe_error
from tempo_coach.cli.terminal import one_line, printable
from tempo_coach.core.coach import (
    NOT_MEDICAL_ADVICE,
    Advice,
    NoteKind,
    advise,
    exercises_with_history,
)
from tempo_coach.core.exercise import ExerciseLookupError, find_exercise
from tempo_coach.core.records import SessionSummary

SORENESS_RANGE = (0, 10)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "advice", help="the next step for each exercise, and warnings, from your history"
    )
    parser.add_argument(
        "--exercise",
        "-e",
        metavar="NAME",
        help="only this exercise (any unique part of its name); default: every exercise "
        "with a session",
    )
    parser.add_argument(
        "--soreness",
        type=int,
        metavar="N",
        help="how sore the muscles are today, 0 (not at all) to 10",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, data_dir: Path | None) -> int:
    low, high = SORENESS_RANGE
    if args.soreness is not None and not low <= args.soreness <= high:
        raise UsageError(f"--soreness must be {low} to {high}, got {args.soreness}")
    read = _read(data_dir)
    if isinstance(read, str):
        print(f"tempo-coach advice: {one_line(read)}", file=sys.stderr)
        return 2
    user, summaries, problems = read
    chosen: list[str]
    if args.exercise is not None:
        try:
            chosen = [find_exercise(args.exercise, user.exercises).exercise_id]
        except ExerciseLookupError as error:
            raise UsageError(f"--exercise: {error}") from None
    else:
        chosen = exercises_with_history(summaries, user.exercises)
    for problem in problems:
        print(f"tempo-coach: {one_line(problem)}", file=sys.stderr)
    if not chosen:
        print(
            "No sessions saved yet: nothing to go by. "
            "`tempo-coach advice --exercise NAME` gives the tip for a first session."
        )
        return 0
    now = datetime.now().astimezone()
    every = [
        advise(i, summaries, user.exercises, now, user.preferences, args.soreness) for i in chosen
    ]
    print_advice(every)
    return 0


def print_advice(every: list[Advice]) -> None:
    """Each exercise with what the coach says about it; the frequency warning (the same for
    every exercise) once after them, then the note that this is not medical advice."""
    frequency = ""
    said = False
    for number, advice in enumerate(every):
        if number:
            print()
        print(printable(advice.exercise_name))
        if advice.last_time is not None:
            print(f"  {printable(advice.last_time)}")
        if advice.suggestion is not None:
            print(f"  {printable(advice.suggestion.text)}")
            said = True
        for note in advice.warnings:
            if note.kind is NoteKind.FREQUENCY:
                frequency = note.text
                continue
            print(f"  note: {note.text}")
            said = True
        if advice.suggestion is None and not any(
            n.kind is not NoteKind.FREQUENCY for n in advice.warnings
        ):
            print("  nothing to suggest")
    if frequency:
        print()
        print(f"note: {frequency}")
        said = True
    if said:
        print()
        print(NOT_MEDICAL_ADVICE)


def _read(data_dir: Path | None) -> tuple[UserData, list[SessionSummary], list[str]] | str:
    """The preferences, the library and every session (a session kept for later too), with
    the store's problems; or why the folder cannot be used. A folder that does not exist
    holds nothing (and is not created)."""
    from tempo_coach.store import Store, StoreError, default_data_dir

    folder = data_dir if data_dir is not None else default_data_dir()
    try:
        if not folder.exists():
            above = _nearest_existing(folder)
            if above.is_dir():
                return UserData.defaults(), [], []
            return f"cannot use the data folder {folder}: {above} is not a folder"
        if not folder.is_dir():
            return f"the data folder {folder} is not a folder"
        store = Store.open(folder)
    except (StoreError, OSError) as error:
        return describe_error(error)
    try:
        summaries = store.summaries()
        kept = store.pending_checkpoint()
        if kept is not None and kept.sets and store.session(kept.session_id) is None:
            summaries.append(SessionSummary.of(kept))
        return UserData.of(store), summaries, list(store.problems)
    finally:
        store.close()


def _nearest_existing(folder: Path) -> Path:
    """The folder's nearest part that exists (the folder itself when it does)."""
    path = folder
    while not path.exists() and path != path.parent:
        path = path.parent
    return path
