"""The command line: ``tempo-coach [--data-dir DIR] COMMAND ...``.

Each command lives in its own module and registers itself with ``register(subparsers)`` and a
``run(args, data_dir) -> int``. ``main()`` resolves the data folder once (``--data-dir``, else
``$TEMPO_COACH_DATA_DIR``, else None for the platform's folder) and hands it to the command, or
to the window when no command is given. Bad arguments print a clear message on stderr and exit
with status 2. Ctrl+C ends a command with status 130 and no traceback (``play`` stops its
session and saves it instead, and exits normally).

Every error is one line on stderr, naming the option, with any value it repeats escaped and
cut (``terminal.one_line``): argparse's own errors too, which ``Parser`` prints without the
usage block (that is ``--help``'s).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from tempo_coach import __version__
from tempo_coach.cli import advice as advice_command
from tempo_coach.cli import exercises as exercises_command
from tempo_coach.cli import history as history_command
from tempo_coach.cli import import_backup as import_command
from tempo_coach.cli import plan as plan_command
from tempo_coach.cli import play as play_command
from tempo_coach.cli import render as render_command
from tempo_coach.cli.options import DATA_DIR_ENV, UsageError, data_dir_from, describe_error
from tempo_coach.cli.terminal import one_line

# Command modules, in the order --help lists them.
COMMANDS = [
    exercises_command,
    plan_command,
    play_command,
    render_command,
    history_command,
    advice_command,
    import_command,
]


class Parser(argparse.ArgumentParser):
    """argparse's parser, its errors on one line. (A command's parser is one too: argparse
    makes subparsers of the parent's class.)"""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {one_line(message)} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="tempo-coach",
        description="An eccentric (negative) training timer with audible tempo cues. "
        "Without a command, the window opens.",
    )
    parser.add_argument("--version", action="version", version=f"tempo-coach {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation (sounds, window, a cue) without touching your data",
    )
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
    prog = "tempo-coach" if args.command is None else f"tempo-coach {args.command}"
    try:
        data_dir = data_dir_from(args, os.environ)
    except UsageError as error:
        parser.exit(2, f"{prog}: error: {one_line(str(error))}\n")
    if args.self_test:
        from tempo_coach import app

        return app.self_test()
    if args.command is None:
        from tempo_coach import app  # Qt is imported only when the window is wanted

        return app.run(data_dir, argv=list(argv or sys.argv[1:]))
    try:
        result: int = args.run(args, data_dir)
    except UsageError as error:
        parser.exit(2, f"{prog}: error: {one_line(str(error))}\n")
    except BrokenPipeError:  # `tempo-coach plan | head` is fine
        sys.stderr.close()
        return 0
    except OSError as error:  # `tempo-coach history > /dev/full`: said, not a traceback
        _silence_stdout()
        print(f"{prog}: {one_line(describe_error(error))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # the commands' `finally` blocks have closed the store
        return 130
    return result


def _silence_stdout() -> None:
    """Point stdout at the null device, so that the interpreter's last flush of what could
    not be written does not fail again (and print a traceback) on the way out."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):  # no real stdout (a test's capture)
        pass
