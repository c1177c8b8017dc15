"""``tempo-coach history``: the saved sessions as a table, CSV (one row per set) or a JSON
backup.

The CSV is the store's own (``tempo_coach/store/export.py``: the columns, their order and
the formula-safe cells are decided there, for this command and the window alike); the JSON
is the store's backup (``tempo_coach/store/backup.py``), which ``tempo-coach import`` reads
back. Problems the store found (a damaged file set aside, a file from a newer version) go to
stderr, so that the data on stdout stays clean for pipes.

A session kept for later (the checkpoint: the window's "Keep it for later", a signal, a
crash) is not in the log yet, but it is the lifter's work: the table lists it among the
others, marked "kept for later". When another Tempo Coach owns the data folder, that one may
be running it right now, so it is marked "in progress or kept for later". The CSV and the
backup hold saved sessions only: the CSV has no column that says "not saved yet" (its
``finished`` is false for some saved sessions too), and a backup's sessions become saved
sessions wherever it is imported, while this one may still be continued here. For those a
note on stderr says that it was left out.

The table is made from the store's session summaries (``Store.summaries()``: the History
tab's rows, from ``history/index.json``), so it decodes no month whose index rows are
current: ten years list in about the time the interpreter takes to start (docs/STORE.md,
"tempo-coach history"; ``python -m bench cli_history``). The CSV and the backup need every
set and rep, so they decode the months.

What the lifter typed (a note, an exercise's name) is printed with its control characters
escaped (``terminal.printable``): an escape sequence in a note must not recolour or clear the
terminal of whoever lists the history. A data folder that cannot be used is exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from tempo_coach.cli.options import describe_error
from tempo_coach.cli.terminal import one_line, printable
from tempo_coach.core.summary import LoadUnit, SessionSummary

if TYPE_CHECKING:
    from tempo_coach.core.records import SessionRecord
    from tempo_coach.store import Store


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

    try:
        store = Store.open(data_dir)
    except (StoreError, OSError) as error:
        print(f"tempo-coach history: {one_line(describe_error(error))}", file=sys.stderr)
        return 2
    told = len(store.problems)
    try:
        for problem in store.problems:
            print(f"tempo-coach: {one_line(problem)}", file=sys.stderr)
        kept = _kept_for_later(store, args.exercise)
        if args.format == "json":
            _say_left_out(kept)
            chosen = None
            if args.exercise:
                chosen = [s.session_id for s in store.summaries() if _matches(s, args.exercise)]
            try:
                data = store.backup_bytes(chosen)
            except StoreError as error:
                print(f"tempo-coach history: {one_line(str(error))}", file=sys.stderr)
                return 1
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return 0
        if args.format == "csv":
            from tempo_coach.store.export import write_csv

            _say_left_out(kept)
            write_csv([s for s in store.history() if _matches(s, args.exercise)], sys.stdout)
            return 0
        summaries = [s for s in store.summaries() if _matches(s, args.exercise)]
        if summaries or kept is not None:
            mark = "in progress or kept for later" if store.read_only else "kept for later"
            print_table(summaries, None if kept is None else SessionSummary.of(kept), mark)
        else:
            print(f"No sessions saved yet (data folder: {printable(str(store.path))}).")
    finally:
        # What decoding the months found (the CSV and the backup read every month; the
        # index cannot notice a file replaced with one of the same size and time).
        for problem in store.problems[told:]:
            print(f"tempo-coach: {one_line(problem)}", file=sys.stderr)
        store.close()
    return 0


def _kept_for_later(store: Store, query: str | None) -> SessionRecord | None:
    """The session in the checkpoint, when it has a set done (the window offers nothing
    else either), is not in the log already (a save whose checkpoint could not be removed
    after it) and matches ``--exercise``."""
    kept = store.pending_checkpoint()  # a damaged file was among store.problems
    if kept is None or not kept.sets or not _matches(kept, query):
        return None
    if any(s.session_id == kept.session_id for s in store.summaries()):
        return None
    return kept


def _say_left_out(kept: SessionRecord | None) -> None:
    if kept is None:
        return
    said = (
        f"{kept.exercise_name} of {_when(kept.started_at)} "
        f"({len(kept.sets)} set(s)) is kept for later, not saved yet, so it is not in this "
        "export; `tempo-coach history` lists it, and the window continues, saves or discards it"
    )
    print(f"tempo-coach history: {one_line(said)}", file=sys.stderr)


def _matches(session: SessionRecord | SessionSummary, query: str | None) -> bool:
    if not query:
        return True
    words = query.lower().split()
    text = f"{session.exercise_id} {session.exercise_name}".lower()
    return all(word in text for word in words)


def _when(started_at: str) -> str:
    return started_at[:16].replace("T", " ") if started_at else "?"


def _instant(started_at: str) -> float:
    """When a session started, as a UTC timestamp (records keep local time with its
    offset); a time without an offset counts as local, an unreadable one as the earliest."""
    import datetime  # only with a session kept for later: the table needs no dates

    try:
        return datetime.datetime.fromisoformat(started_at).timestamp()
    except ValueError:
        return float("-inf")


def _load_text(load: float | None, unit: LoadUnit) -> str:
    return "" if load is None else f"{load + 0.0:g} {unit.value}"  # -0.0 + 0.0 is 0.0: "0 kg"


def _duration(ms: int) -> str:
    seconds = round(ms / 1000)
    return f"{seconds // 60}:{seconds % 60:02d}"


def _reps_text(key: tuple[tuple[int, ...], tuple[bool, ...]]) -> str:
    reps, ended_early = key
    return (
        " ".join(
            f"{done}{'*' if early else ''}" for done, early in zip(reps, ended_early, strict=True)
        )
        or "-"
    )


def _tempos_text(tempos: tuple[str, ...]) -> str:
    return ", ".join(sorted(set(tempos)))


def _loads_text(key: tuple[tuple[float | None, ...], tuple[LoadUnit, ...]]) -> str:
    texts = {_load_text(load, unit) for load, unit in zip(*key, strict=True)} - {""}
    return ", ".join(sorted(texts))


def _rpe_text(rpe: int | None) -> str:
    return "" if rpe is None else str(rpe)


def _repeating(
    header: str, sessions: list[SessionSummary], text: Callable[..., str], *fields: str
) -> list[str]:
    """A column whose values repeat from row to row (ten years: 6,261 rows, a few hundred
    distinct values), made from ``fields`` of each session: each distinct value is made into
    ``text`` (of the one field, or of a tuple of them), escaped and padded once, and the rows
    are looked up in C."""
    keys = list(map(attrgetter(*fields), sessions))
    made = {key: printable(text(key)) for key in set(keys)}
    width = max([len(header), *map(len, made.values())])
    padded = {key: cell.ljust(width) for key, cell in made.items()}
    return [header.ljust(width), *map(padded.__getitem__, keys)]


def _escaped(column: list[str]) -> list[str]:
    """A column whose values are all different (the dates, the notes): looked at whole, and
    escaped cell by cell only when some cell needs it."""
    text = "".join(column)
    return column if text.isascii() and text.isprintable() else list(map(printable, column))


def print_table(
    sessions: list[SessionSummary],
    kept: SessionSummary | None = None,
    kept_mark: str = "kept for later",
) -> None:
    """The saved sessions (their summaries), oldest first, with ``kept`` (not saved yet) in
    its place among them by start time and marked ``(kept_mark)``.

    Ten years are 6,000 rows: the table is made a column at a time, each distinct value of a
    column once (docs/STORE.md, "tempo-coach history")."""
    listed = list(sessions)
    if kept is not None:
        # Stable: a kept session that started at the same time as a saved one comes after it.
        # By the instant, not the text: after a fall-back to winter time, 01:30+01:00 comes
        # after 02:15+02:00.
        listed = sorted([*listed, kept], key=lambda s: _instant(s.started_at))
    notes = []
    for session in listed:
        if session is kept:
            note = f"({kept_mark}) {session.note}".strip()
        elif session.finished:
            note = session.note
        else:
            note = f"(stopped) {session.note}".strip()
        notes.append(note.replace("\r\n", " ").replace("\n", " "))
    dates = _escaped([_when(s.started_at) for s in listed])
    width = max(map(len, ["date", *dates]))
    columns = [
        [cell.ljust(width) for cell in ["date", *dates]],
        _repeating("exercise", listed, str, "exercise_name"),
        _repeating("reps per set", listed, _reps_text, "set_reps", "set_ended_early"),
        _repeating("tempo", listed, _tempos_text, "set_tempos"),
        _repeating("load", listed, _loads_text, "set_loads", "set_load_units"),
        _repeating("TUT", listed, _duration, "time_under_tension_ms"),
        _repeating("RPE", listed, _rpe_text, "rpe"),
        ["note", *_escaped(notes)],
    ]
    lines = [line.rstrip() for line in map("  ".join, zip(*columns, strict=True))]
    lines.append("* set ended early; TUT = time under tension (m:ss)")
    print("\n".join(lines))
    if kept is not None:
        print(
            f"({kept_mark}): not in the log yet; the window continues it, saves it or discards it"
        )
