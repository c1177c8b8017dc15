"""``tempo-coach plan``: print the session's timeline (a table, or JSON lines), from the
window's library (the user's own exercises too) and preferences (count-in, count style,
explosive lift), which the options replace for this run."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

from tempo_coach.cli.options import (
    NEGATIVE_ONLY_TEXT,
    add_plan_options,
    note_short_reset,
    plan_from_args,
    read_user_data,
)
from tempo_coach.cli.terminal import printable
from tempo_coach.core.timeline import Event, EventKind, SetPlan, build_timeline


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "plan", help="print a session's timeline: every phase and count, with its time"
    )
    add_plan_options(parser)
    parser.add_argument("--json", action="store_true", help="one JSON object per event")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, data_dir: Path | None) -> int:
    plan = plan_from_args(args, read_user_data(data_dir))
    note_short_reset(plan)
    events = build_timeline(plan)
    if args.json:
        for event in events:
            print(json.dumps(event.to_json(), allow_nan=False))
        return 0
    print_table(plan, events)
    return 0


def print_table(plan: SetPlan, events: Sequence[Event]) -> None:
    exercise = plan.exercise
    print(
        f"{printable(exercise.name)}: tempo {plan.tempo.notation()}, {plan.sets} x {plan.reps}, "
        f"rest {plan.rest_ms / 1000:g} s, count-in {plan.count_in_ms / 1000:g} s"
        f"{NEGATIVE_ONLY_TEXT if plan.negative_only else ''}"
    )
    print(f"{'time':>8}  {'set':>3} {'rep':>3}  {'side':<5}  what")
    for event in events:
        if event.kind is EventKind.COUNT:
            continue
        side = event.side.value if event.side else ""
        set_text = "" if event.set_number is None else str(event.set_number)
        rep_text = "" if event.rep is None else str(event.rep)
        if event.kind is EventKind.PHASE and event.phase is not None:
            name = printable(exercise.phase_name(event.phase))
            what = f"{name} ({(event.duration_ms or 0) / 1000:g} s)"
        elif event.kind is EventKind.SIDE:
            what = f"switch to the {side} side"
        else:
            what = "end"
        print(f"{event.t_ms / 1000:8.1f}  {set_text:>3} {rep_text:>3}  {side:<5}  {what}")
