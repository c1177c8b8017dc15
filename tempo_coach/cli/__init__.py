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
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import NoReturn

from tempo_coach import __version__
from tempo_coach.cli.options import DATA_DIR_ENV, UsageError, data_dir_from, describe_error
from tempo_coach.cli.terminal import one_line

# Command names and their modules, in the order --help lists them. A module is imported only
# when its command runs (or --help lists them all): importing every command took ~80 ms, as
# long as the whole of `tempo-coach history` on ten years once it reads the index, and the
# window needs none of them.
COMMANDS: dict[str, str] = {
    "exercises": "tempo_coach.cli.exercises",
    "plan": "tempo_coach.cli.plan",
    "play": "tempo_coach.cli.play",
    "render": "tempo_coach.cli.render",
    "history": "tempo_coach.cli.history",
    "advice": "tempo_coach.cli.advice",
    "import": "tempo_coach.cli.import_backup",
}


def command_module(name: str) -> ModuleType:
    return importlib.import_module(COMMANDS[name])


def wanted_command(argv: Sequence[str]) -> str | None:
    """The command word of ``argv`` as argparse will read it (the first word that is not an
    option or ``--data-dir``'s value, which argparse lets be abbreviated); None if none."""
    takes_value = False
    for word in argv:
        if takes_value:
            takes_value = False
            continue
        if word == "--":
            return None
        if word.startswith("-"):
            takes_value = "=" not in word and len(word) > 3 and "--data-dir".startswith(word)
            continue
        return word
    return None


class Parser(argparse.ArgumentParser):
    """argparse's parser, its errors on one line. (A command's parser is one too: argparse
    makes subparsers of the parent's class.)"""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {one_line(message)} (see {self.prog} --help)\n")


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; with ``argv``, only the command it names is imported and registered in
    full (the others are names, enough for argparse to say which exist)."""
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
    wanted = wanted_command(argv) if argv is not None else None
    every = argv is None or (wanted is None and any(w in ("-h", "--help") for w in argv))
    for name in COMMANDS:
        if every or name == wanted:
            command_module(name).register(subparsers)
        else:
            subparsers.add_parser(name, add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(words)
    args = parser.parse_args(words)
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
