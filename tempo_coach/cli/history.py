"""``tempo-coach history``: the saved sessions as a table, CSV (one row per set) or a JSON
backup.

The CSV is the store's own (``tempo_coach/store/export.py``: the columns, their order and
the formula-safe cells are decided there, for this command and the window alike); the JSON
is the store's backup (``tempo_coach/store/backup.py``), which ``tempo-coach import`` reads
back. Problems the store found (a damaged file set aside, a file from a newer version) go to
stderr, so that the data on stdout stays clean for pipes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tempo_coach.core.records import SessionRecord, SessionSummary, SetRecord


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("history", help="list the saved sessions")
    parser.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="table (default), csv (one row per set) or json (a backup of everything, "
        "which `tempo-coach import` reads back)",
    )
    parser.add_argument(
        "--exercise", "-e", metavar="NAME", help="only sessions of exercises matching NAME"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, data_dir: Path | None) -> int:
    # Only this command needs the store.
    from tempo_coach.store import Store, StoreError
    from tempo_coach.store.export import write_csv

    try:
        store = Store.open(data_dir)
    except StoreError as error:
        print(f"tempo-coach history: {error}", file=sys.stderr)
        return 1
    try:
        for problem in store.problems:
            print(f"tempo-coach: {problem}", file=sys.stderr)
        if args.format == "json":
            chosen = None
            if args.exercise:
                chosen = [s.session_id for s in store.summaries() if _matches(s, args.exercise)]
            try:
                data = store.backup_bytes(chosen)
            except StoreError as error:
                print(f"tempo-coach history: {error}", file=sys.stderr)
                return 1
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return 0
        sessions = [s for s in store.history() if _matches(s, args.exercise)]
        if args.format == "csv":
            write_csv(sessions, sys.stdout)
        elif sessions:
            print_table(sessions)
        else:
            print(f"No sessions saved yet (data folder: {store.path}).")
    finally:
        store.close()
    return 0


def _matches(session: SessionRecord | SessionSummary, query: str | None) -> bool:
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
