"""``tempo-coach history``: the saved sessions as a table, CSV (one row per set) or JSON.

Problems the store found (a damaged file set aside, a file from a newer version) go to
stderr, so that the data on stdout stays clean for pipes. README.md documents the CSV columns
and the JSON fields; other programs read them, so a new one goes at the end and none is renamed.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

from tempo_coach.core.records import PlannedSession, SessionRecord, SetRecord


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("history", help="list the saved sessions")
    parser.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="table (default), csv (one row per set) or json (everything, per rep)",
    )
    parser.add_argument(
        "--exercise", "-e", metavar="NAME", help="only sessions of exercises matching NAME"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, data_dir: Path | None) -> int:
    from tempo_coach.store import Store, StoreError  # only this command needs the store

    try:
        store = Store.open(data_dir)
    except StoreError as error:
        print(f"tempo-coach history: {error}", file=sys.stderr)
        return 1
    try:
        for problem in store.problems:
            print(f"tempo-coach: {problem}", file=sys.stderr)
        sessions = [s for s in store.history() if _matches(s, args.exercise)]
        if args.format == "csv":
            write_csv(sessions)
        elif args.format == "json":
            json.dump([export(s) for s in sessions], sys.stdout, indent=1, ensure_ascii=False)
            print()
        elif sessions:
            print_table(sessions)
        else:
            print(f"No sessions saved yet (data folder: {store.path}).")
    finally:
        store.close()
    return 0


def _matches(session: SessionRecord, query: str | None) -> bool:
    if not query:
        return True
    words = query.lower().split()
    text = f"{session.exercise_id} {session.exercise_name}".lower()
    return all(word in text for word in words)


def _when(started_at: str) -> str:
    return started_at[:16].replace("T", " ") if started_at else "?"


def _load_text(s: SetRecord) -> str:
    return "" if s.load is None else f"{s.load:g} {s.load_unit.value}"


def _duration(ms: int) -> str:
    seconds = round(ms / 1000)
    return f"{seconds // 60}:{seconds % 60:02d}"


def print_table(sessions: list[SessionRecord]) -> None:
    rows = [("date", "exercise", "reps per set", "tempo", "load", "TUT", "RPE", "note")]
    for session in sessions:
        reps = " ".join(f"{s.reps_done}{'*' if s.ended_early else ''}" for s in session.sets)
        tempos = sorted({s.tempo_used for s in session.sets})
        loads = sorted({_load_text(s) for s in session.sets} - {""})
        note = session.note if session.finished else f"(stopped) {session.note}".strip()
        rows.append(
            (
                _when(session.started_at),
                session.exercise_name,
                reps or "-",
                ", ".join(tempos),
                ", ".join(loads),
                _duration(session.time_under_tension_ms),
                "" if session.rpe is None else str(session.rpe),
                note.replace("\n", " "),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[-1]]).rstrip())
    print("* set ended early; TUT = time under tension (m:ss)")


#: The session's plan, as ``planned`` in the JSON and ``planned_*`` columns in the CSV.
PLANNED_FIELDS = ("tempo", "reps", "sets", "rest_s", "count_in_s", "side_mode")


def _seconds(ms: int | None) -> int | float | None:
    """Milliseconds as seconds: a whole number when whole (``90``), else ``2.5``."""
    if ms is None:
        return None
    return ms // 1000 if ms % 1000 == 0 else ms / 1000


def _planned(planned: PlannedSession | None) -> dict[str, Any] | None:
    """The session's plan named as ``PLANNED_FIELDS`` (None: not recorded)."""
    if planned is None:
        return None
    return {
        "tempo": planned.tempo,
        "reps": planned.reps,
        "sets": planned.sets,
        "rest_s": _seconds(planned.rest_ms),
        "count_in_s": _seconds(planned.count_in_ms),
        "side_mode": None if planned.side_mode is None else planned.side_mode.value,
    }


CSV_COLUMNS = (
    "date",
    "session_id",
    "exercise_id",
    "exercise",
    "set",
    "side",
    "tempo_planned",
    "tempo_used",
    "reps_planned",
    "reps_done",
    "ended_early",
    "load",
    "load_unit",
    "time_under_tension_s",
    "rpe",
    "note",
    "finished",
    # The session's plan, the same on every row of a session; empty where not recorded.
    *(f"planned_{name}" for name in PLANNED_FIELDS),
)


def write_csv(sessions: list[SessionRecord]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for session in sessions:
        planned = _planned(session.planned) or {}
        plan_cells = ["" if planned.get(n) is None else planned[n] for n in PLANNED_FIELDS]
        for s in session.sets:
            writer.writerow(
                (
                    s.started_at or session.started_at,
                    session.session_id,
                    s.exercise_id,
                    s.exercise_name,
                    s.set_number,
                    "" if s.side is None else s.side.value,
                    s.tempo_planned,
                    s.tempo_used,
                    s.reps_planned,
                    s.reps_done,
                    "yes" if s.ended_early else "no",
                    "" if s.load is None else f"{s.load:g}",
                    s.load_unit.value,
                    f"{s.time_under_tension_ms / 1000:g}",
                    "" if session.rpe is None else session.rpe,
                    session.note,
                    "yes" if session.finished else "no",
                    *plan_cells,
                )
            )


def export(session: SessionRecord) -> dict[str, Any]:
    """A session spelled out for other programs: every field named, every rep and phase."""
    return {
        "session_id": session.session_id,
        "exercise_id": session.exercise_id,
        "exercise_name": session.exercise_name,
        "started_at": session.started_at,
        "finished": session.finished,
        "rpe": session.rpe,
        "note": session.note,
        "planned": _planned(session.planned),
        "time_under_tension_ms": session.time_under_tension_ms,
        "sets": [
            {
                "set_number": s.set_number,
                "exercise_id": s.exercise_id,
                "started_at": s.started_at,
                "tempo_planned": s.tempo_planned,
                "tempo_used": s.tempo_used,
                "reps_planned": s.reps_planned,
                "reps_done": s.reps_done,
                "ended_early": s.ended_early,
                "load": s.load,
                "load_unit": s.load_unit.value,
                "side": None if s.side is None else s.side.value,
                "time_under_tension_ms": s.time_under_tension_ms,
                "live_changes": [
                    {
                        "set_number": c.set_number,
                        "rep": c.rep,
                        "at_ms": c.at_ms,
                        "from_ms": c.from_ms,
                        "to_ms": c.to_ms,
                    }
                    for c in s.live_changes
                ],
                "reps": [
                    {
                        "set_number": r.set_number,
                        "rep": r.rep,
                        "side": None if r.side is None else r.side.value,
                        "complete": r.complete,
                        "phases": [
                            {
                                "phase": p.phase.value,
                                "planned_ms": p.planned_ms,
                                "actual_ms": p.actual_ms,
                            }
                            for p in r.phases
                        ],
                    }
                    for r in s.reps
                ],
            }
            for s in session.sets
        ],
    }
