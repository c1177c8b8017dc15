"""``tempo-coach exercises``: the exercise library with phase order and default tempo: the
built-in exercises, then the user's own (from the data folder, marked "yours" as in the
window's list)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tempo_coach.cli.options import read_user_data
from tempo_coach.cli.terminal import printable
from tempo_coach.core.exercise import Exercise


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("exercises", help="list the exercises and their tempos")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.set_defaults(run=run)


def describe(exercise: Exercise) -> dict[str, object]:
    return {
        "id": exercise.exercise_id,
        "name": exercise.name,
        "starts_with": exercise.rep_start.value,
        "phase_order": [p.value for p in exercise.phase_order],
        "tempo": exercise.default_tempo.notation(),
        "reps": exercise.default_reps,
        "sets": exercise.default_sets,
        "rest": exercise.default_rest_s,
        "sides": exercise.side_mode.value,
        "custom": not exercise.builtin,
        "muscles": list(exercise.muscles),
    }


def run(args: argparse.Namespace, data_dir: Path | None) -> int:
    exercises = read_user_data(data_dir).exercises
    if args.json:
        for exercise in exercises:
            print(json.dumps(describe(exercise), ensure_ascii=False))
        return 0
    for exercise in exercises:
        name = printable(exercise.name)  # a custom exercise's name is the user's text
        print(name if exercise.builtin else f"{name}  (yours)")
        print(
            f"    tempo {exercise.default_tempo.notation():<10} "
            f"{exercise.default_sets} x {exercise.default_reps}, "
            f"rest {exercise.default_rest_s} s, {exercise.rep_start.label}, "
            f"{exercise.side_mode.label}"
        )
        print(f"    order: {exercise.order_text()}")
        if exercise.muscles:
            print(f"    works: {', '.join(exercise.muscles)}")
    return 0
