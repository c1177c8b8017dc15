"""The command line: ``tempo-coach [--data-dir DIR] COMMAND ...``.

Each command lives in its own module and registers itself with ``register(subparsers)`` and a
``run(args) -> int``. With no command, the window starts (through ``tempo_coach.app``).
Bad arguments print a clear message on stderr and exit with status 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from tempo_coach import __version__
from tempo_coach.cli import exercises as exercises_command
from tempo_coach.cli import history as history_command
from tempo_coach.cli import plan as plan_command
from tempo_coach.cli import play as play_command
from tempo_coach.cli import render as render_command

DATA_DIR_ENV = "TEMPO_COACH_DATA_DIR"

# Command modules, in the order --help lists them. Later issues add theirs here.
COMMANDS = [exercises_command, plan_command, play_command, render_command, history_command]


class UsageError(Exception):
    """A bad argument found after parsing (exit status 2, message on stderr)."""


def data_dir_from(args: argparse.Namespace) -> Path | None:
    """--data-dir, else $TEMPO_COACH_DATA_DIR, else None (the platform's user data folder)."""
    if getattr(args, "data_dir", None):
        return Path(args.data_dir).expanduser()
    env = os.environ.get(DATA_DIR_ENV)
    return Path(env).expanduser() if env else None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tempo-coach",
        description="An eccentric (negative) training timer with audible tempo cues. "
        "Without a command, the window opens.",
    )
    parser.add_argument("--version", action="version", version=f"tempo-coach {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"keep preferences and history in DIR (also ${DATA_DIR_ENV}); "
        "default: the platform's user data folder",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from tempo_coach import app  # Qt is imported only when the window is wanted

        return app.run(data_dir_from(args), argv=list(argv or sys.argv[1:]))
    try:
        result: int = args.run(args)
    except UsageError as error:
        parser.exit(2, f"tempo-coach {args.command}: error: {error}\n")
    except BrokenPipeError:  # `tempo-coach plan | head` is fine
        sys.stderr.close()
        return 0
    return result
