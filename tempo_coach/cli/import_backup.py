"""``tempo-coach import FILE``: add what a backup holds and the store does not.

The backup (what ``tempo-coach history --format json`` or the window writes) is read and
checked completely first (``Store.read_backup``), and what it would add is printed; then it
is imported (``Store.import_backup``), unless ``--dry-run``. Exit status: 0 when imported
(or previewed), 2 when FILE cannot be imported (not a backup, damaged, truncated, from a
newer Tempo Coach) or the data folder cannot be used at all, with nothing changed, and 1
when the store cannot save (another Tempo Coach is running, a full disk).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tempo_coach.cli.options import describe_error
from tempo_coach.cli.terminal import one_line


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "import",
        help="add the sessions, custom exercises (and with --preferences the preferences) "
        "of a backup that are not here yet",
    )
    parser.add_argument(
        "file", metavar="FILE", help="a backup written by `tempo-coach history --format json`"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="only say what would be imported; change nothing"
    )
    parser.add_argument(
        "--preferences",
        action="store_true",
        help="also replace your preferences with the backup's",
    )
    parser.set_defaults(run=run)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def run(args: argparse.Namespace, data_dir: Path | None) -> int:
    from tempo_coach.store import BackupError, Store, StoreError  # only commands with files
    from tempo_coach.store.backup import read_backup_file

    if not args.file:
        print("tempo-coach import: FILE is empty: give a backup file", file=sys.stderr)
        return 2
    path = Path(args.file)
    try:
        # Checked before the store is opened, so that a bad file leaves the data folder
        # exactly as it was (opening takes the lock, which records this process's id, and
        # closing may write the index). Store.read_backup reads it again for the preview.
        read_backup_file(path)
    except BackupError as error:
        print(f"tempo-coach import: {one_line(str(error))}. Nothing was imported.", file=sys.stderr)
        return 2
    try:
        store = Store.open(data_dir)
    except (StoreError, OSError) as error:
        print(f"tempo-coach import: {one_line(describe_error(error))}", file=sys.stderr)
        return 2
    try:
        for problem in store.problems:
            print(f"tempo-coach: {one_line(problem)}", file=sys.stderr)
        try:
            preview = store.read_backup(path)
        except BackupError as error:  # changed since the check above
            said = one_line(f"{error}. Nothing was imported.")
            print(f"tempo-coach import: {said}", file=sys.stderr)
            return 2
        for line in preview.lines():
            print(line)
        if preview.preferences_differ and not args.preferences:
            print("  (yours are kept; --preferences replaces them with the backup's)")
        if args.dry_run:
            print("Nothing was imported (--dry-run).")
            return 0
        try:
            result = store.import_backup(preview, include_preferences=args.preferences)
        except StoreError as error:
            print(f"tempo-coach import: {one_line(str(error))}", file=sys.stderr)
            return 1
        imported = [
            _plural(len(result.session_ids), "session"),
            _plural(len(result.exercise_ids), "custom exercise"),
        ]
        if result.preferences_replaced:
            imported.append("the preferences")
        print("Imported " + ", ".join(imported[:-1]) + " and " + imported[-1] + ".")
    finally:
        store.close()
    return 0
