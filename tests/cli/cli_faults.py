"""The bad-value generator: every option of every command, given hostile values (issue 12).

Each option is given the generic bad values (``BAD``: negative, zero, huge, nan, inf, empty,
very long, the wrong type, control characters, text that is not UTF-8, ...) and the values
its own kind makes hostile (``/dev/full`` for a file to write, ``~nosuchuser`` for a
folder, a pipe for a file to read, ...). An oracle per option says which values are in
fact fine (``--rest 0`` is a rest of nothing, ``--out -1`` a file named ``-1``). A case
*survives* when the command behaves as the oracle says and as issue 12 asks:

- no traceback, and nothing hangs;
- a value refused: exit status 2, nothing on stdout (no cue played, no file written), and
  exactly one line on stderr, naming the option (or, for a path, the path);
- a value accepted: exit status 0.

Each case runs in a folder of its own (the working folder and the data folder), holding
``a-file`` (a file, for paths under it), ``backup.json`` (a backup ``import`` can read) and
``pipe`` (a FIFO nobody writes). ``tests/cli/test_faults.py`` runs a fixed sample in this
process (``run_in_process``); ``python -m bench cli_faults`` runs every case as a real
command (``run_as_command``) and prints the tried / survived / failed counts.
"""

from __future__ import annotations

import io
import math
import os
import re
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tempo_coach.cli.options import DATA_DIR_ENV, NAME_MAX_BYTES, PATH_MAX_BYTES
from tempo_coach.cli.terminal import printable
from tempo_coach.core.exercise import BUILTIN_EXERCISES, ExerciseLookupError, find_exercise
from tempo_coach.core.tempo import TempoError, parse_tempo

ROOT = Path(__file__).resolve().parents[2]
DEADLINE_S = 60.0  # a case takes well under a second (a play accepted, about one)

#: The generic bad values, by what makes them bad.
BAD: dict[str, str] = {
    "negative": "-1",
    "zero": "0",
    "huge": "1e308",
    "huge-int": "9" * 30,
    "nan": "nan",
    "inf": "inf",
    "minus-inf": "-inf",
    "empty": "",
    "spaces": "   ",
    "very-long": "9" * 100_000,
    "long-text": "x" * 100_000,
    "wrong-type": "abc",
    "fraction": "1.5",
    "control": "\x1b[2J\x1b[31m\x07",
    "newline": "1\n2",
    "right-to-left": "\u202eabc",
    "not-utf8": os.fsdecode(b"\xff\xfeab"),
}

#: What each command is run with besides the option under test: valid and quick (a play of
#: one rep at 100 times real time, saving nothing). Long names, so that the option under
#: test replaces its own.
BASE: dict[str, list[tuple[str, str | None]]] = {
    "exercises": [],
    "plan": [("--exercise", "squat"), ("--reps", "1"), ("--sets", "1")],
    "play": [
        ("--exercise", "squat"), ("--tempo", "1-0-1-0"), ("--reps", "1"), ("--sets", "1"),
        ("--rest", "0"), ("--count-in", "0"), ("--backend", "silent"), ("--speed", "100"),
        ("--no-save", None), ("--quiet", None),
    ],
    "render": [
        ("--exercise", "squat"), ("--tempo", "1-0-1-0"), ("--reps", "1"), ("--sets", "1"),
        ("--rest", "0"), ("--count-in", "0"), ("--out", "track.wav"),
    ],
    "history": [],
    "advice": [],
    "import": [("--dry-run", None), ("FILE", "backup.json")],
}  # fmt: skip

Oracle = Callable[[str, Path], bool]  # (value, the case's folder) -> is the value fine?


# -- the oracles -------------------------------------------------------------------------------


def int_in(low: int, high: int) -> Oracle:
    def accepts(value: str, here: Path) -> bool:
        try:
            number = int(value)  # what argparse's type=int does
        except ValueError:
            return False
        return low <= number <= high

    return accepts


def float_in(low: float, high: float) -> Oracle:
    def accepts(value: str, here: Path) -> bool:
        try:
            number = float(value)
        except ValueError:
            return False
        return math.isfinite(number) and low <= number <= high

    return accepts


def one_of(*choices: str) -> Oracle:
    return lambda value, here: value in choices


def never(value: str, here: Path) -> bool:
    return False


def always(value: str, here: Path) -> bool:
    return True


def an_exercise(value: str, here: Path) -> bool:
    try:
        find_exercise(value, BUILTIN_EXERCISES)
    except ExerciseLookupError:
        return False
    return True


def a_tempo(value: str, here: Path) -> bool:
    try:
        parse_tempo(value)
    except (TempoError, ValueError):
        return False
    return True


_AT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*:\s*([-+]?\d+(?:\.\d+)?)\s*$")


def at_amount(*, low: float, high: float) -> Oracle:
    """``T:AMOUNT``: digits only, both finite, the amount not 0 and within ``low..high``."""

    def accepts(value: str, here: Path) -> bool:
        match = _AT.match(value)
        if not match:
            return False
        at_s, amount = float(match.group(1)), float(match.group(2))
        return math.isfinite(at_s) and amount != 0 and low <= amount <= high

    return accepts


def a_path(value: str, here: Path) -> bool:
    """What any path must be: not empty, no unknown ``~user``, no name over 255 bytes, at
    most 4095 bytes in all."""
    if not value or "\0" in value:
        return False
    try:
        path = Path(value).expanduser()
    except RuntimeError:
        return False
    parts = [len(os.fsencode(part)) for part in path.parts]
    return max(parts, default=0) <= NAME_MAX_BYTES and len(os.fsencode(path)) <= PATH_MAX_BYTES


def a_file_to_write(value: str, here: Path) -> bool:
    if not a_path(value, here):
        return False
    path = here / Path(value).expanduser()
    if path.is_dir() or str(path).startswith("/proc/"):
        return False
    if path.exists() and not path.is_file():
        return path == Path("/dev/null")  # a device that takes anything
    return path.parent.is_dir() and os.access(path.parent, os.W_OK)


def a_cues_file(value: str, here: Path) -> bool:
    """A file to write that is not the WAV (``BASE``'s ``--out``)."""
    return a_file_to_write(value, here) and (here / value).resolve() != here / "track.wav"


def a_theme(value: str, here: Path) -> bool:
    return value == "default" or (a_path(value, here) and (here / value).is_dir())


def a_folder_to_use(value: str, here: Path) -> bool:
    """A data folder ``history`` can open: there, or one that can be made."""
    if not a_path(value, here):
        return False
    path = here / Path(value).expanduser()
    while not path.exists():
        path = path.parent
    return path.is_dir() and os.access(path, os.W_OK)


# -- the options -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    """One option of one command: its oracle and its own hostile values (label -> value).
    ``command`` "" is the global ``--data-dir``, tried with ``with_command``."""

    command: str
    name: str
    accepts: Oracle
    specials: dict[str, str] = field(default_factory=dict)
    flag: bool = False
    with_command: str = ""


FLAG_VALUES = {"flag-value": "1", "flag-empty": ""}


def _plan_options(command: str) -> list[Option]:
    return [
        Option(command, "--exercise", an_exercise, {"valid": "squat", "ambiguous": "curl"}),
        Option(command, "--tempo", a_tempo, {"valid": "2-0-1-0", "explosive": "31X0",
                                             "too-slow": "31-0-1-0"}),
        Option(command, "--reps", int_in(1, 100), {"most": "100", "one-too-many": "101"}),
        Option(command, "--sets", int_in(1, 20), {"most": "20", "one-too-many": "21"}),
        Option(command, "--rest", float_in(0, 600), {"most": "600", "too-long": "601"}),
        Option(command, "--count-in", float_in(0, 10), {"most": "10", "too-long": "10.5"}),
        Option(command, "--count", one_of("up", "down"), {"up": "up", "down": "down"}),
        Option(command, "--explosive", float_in(0.3, 3), {"least": "0.3", "too-short": "0.2"}),
        Option(command, "--negative-only", never, flag=True),
    ]  # fmt: skip


def every_option() -> list[Option]:
    """Every option of every command, with its hostile values. A case runs in
    ``SCRATCH/case``; ``SCRATCH/ro`` is a read-only folder when one could be made."""
    out_specials = {
        "dev-full": "/dev/full",
        "proc-file": "/proc/self/status",
        "dev-null": "/dev/null",
        "a-folder": ".",
        "under-a-file": "a-file/x.wav",
        "no-folder": "missing/x.wav",
        "name-255": "n" * 251 + ".wav",
        "name-256": "n" * 252 + ".wav",
        "path-4096": "/".join(["d" * 200] * 21) + "/x.wav",
        "read-only-folder": "../ro/x.wav",
        "fifo": "pipe",
    }
    change_specials = {
        "valid": "1:+1",
        "zero": "1:0",
        "after-the-end": "99999:1",
        "exponent": "1:1e3",
        "overflow": "1:" + "9" * 400,
        "no-colon": "12",
    }
    pause_specials = {"valid": "1:1", "zero": "1:0", "after-the-end": "99999:5",
                      "hour-and-more": "1:3600", "over-an-hour": "1:3601",
                      "overflow": "1:" + "9" * 400}  # fmt: skip
    folder_specials = {
        "unknown-user": "~nonexistentuser/x",
        "name-256": "d" * 256,
        "path-4096": "/".join(["d" * 200] * 21),
        "a-file": "a-file",
        "under-a-file": "a-file/data",
        "dev-null": "/dev/null",
        "proc-file": "/proc/self/status",
        "fifo": "pipe",
    }
    options = [
        Option("exercises", "--json", never, flag=True),
        *_plan_options("plan"),
        Option("plan", "--json", never, flag=True),
        *_plan_options("play"),
        Option("play", "--backend", one_of("silent", "list"), {"silent": "silent",
                                                               "list": "list"}),
        Option("play", "--volume", float_in(0, 1), {"most": "1", "too-loud": "1.01"}),
        Option("play", "--speed", float_in(1, 100), {"tiny": "1e-9", "half": "0.5",
                                                     "most": "100", "too-fast": "101"}),
        Option("play", "--load", float_in(0, 1000), {"most": "1000", "too-heavy": "1000.5",
                                                     "huge": "1e308"}),
        Option("play", "--change", at_amount(low=-30, high=30), change_specials),
        Option("play", "--no-save", never, flag=True),
        Option("play", "--quiet", never, flag=True),
        *_plan_options("render"),
        Option("render", "--out", a_file_to_write, out_specials),
        Option("render", "--cues", a_cues_file, {**out_specials, "the-out": "track.wav"}),
        Option("render", "--change", at_amount(low=-1e9, high=1e9), change_specials),
        Option("render", "--pause", at_amount(low=0, high=3590), pause_specials),
        Option("render", "--volume", float_in(0, 1), {"most": "1", "too-loud": "1.01"}),
        Option("render", "--theme", a_theme, {"default": "default", "a-folder": ".",
                                              "name-300": "t" * 300, "missing": "missing"}),
        Option("history", "--format", one_of("table", "csv", "json"),
               {"csv": "csv", "json": "json"}),
        Option("history", "--exercise", always, {"squat": "squat"}),
        Option("advice", "--exercise", an_exercise, {"valid": "squat", "ambiguous": "curl"}),
        Option("advice", "--soreness", int_in(0, 10), {"most": "10", "one-too-many": "11"}),
        Option("import", "FILE", one_of("backup.json"), {
            "valid": "backup.json", "a-folder": ".", "dev-null": "/dev/null",
            "dev-full": "/dev/full", "proc-file": "/proc/self/status", "fifo": "pipe",
            "a-file": "a-file", "name-256": "f" * 256}),
        Option("import", "--dry-run", never, flag=True),
        Option("import", "--preferences", never, flag=True),
        Option("", "--data-dir", a_path, folder_specials, with_command="plan"),
        Option("", "--data-dir", a_folder_to_use, folder_specials, with_command="history"),
        Option("", "--data-dir", a_folder_to_use, folder_specials, with_command="advice"),
    ]  # fmt: skip
    return options


# -- the cases ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    command: str
    option: str
    label: str
    value: str
    expect_ok: bool
    pointer: str = ""  # the command a global option is tried with

    @property
    def name(self) -> str:
        where = self.command or f"--data-dir {self.pointer}"
        return f"{where} {self.option if self.command else ''} {self.label}".replace("  ", " ")

    def argv(self) -> list[str]:
        """The command line (without ``tempo-coach``)."""
        if not self.command:
            return [f"{self.option}={self.value}", self.pointer, *_flatten(BASE[self.pointer])]
        base = [(name, value) for name, value in BASE[self.command] if name != self.option]
        if self.option == "FILE":
            return [self.command, *_flatten(base), "--", self.value]
        return [self.command, *_flatten(base), f"{self.option}={self.value}"]


def _flatten(pairs: list[tuple[str, str | None]]) -> list[str]:
    argv: list[str] = []
    positional: list[str] = []
    for name, value in pairs:
        if name == "FILE" and value is not None:
            positional.append(value)
        elif value is None:
            argv.append(name)
        else:
            argv.append(f"{name}={value}")
    return [*argv, *positional]


def every_case() -> list[Case]:
    """Every option with every generic bad value and its own, in a stable order. The oracle
    is asked in a folder made like the one each case runs in (with no ``../ro``: a value
    there is refused either way)."""
    import tempfile

    cases = []
    with tempfile.TemporaryDirectory() as scratch:
        probe = Path(scratch) / "case"
        make_case_folder(probe)
        for option in every_option():
            values = FLAG_VALUES if option.flag else {**BAD, **option.specials}
            for label, value in values.items():
                expect_ok = option.accepts(value, probe)
                cases.append(
                    Case(option.command, option.name, label, value, expect_ok, option.with_command)
                )
    return cases


def make_case_folder(here: Path) -> None:
    """What every case finds in its folder: a file, a backup to import, a pipe."""
    here.mkdir(parents=True, exist_ok=True)
    (here / "a-file").write_text("a file, not a folder\n")
    (here / "backup.json").write_bytes(_empty_backup())
    if not (here / "pipe").exists() and hasattr(os, "mkfifo"):
        os.mkfifo(here / "pipe")


_BACKUP: list[bytes] = []


def _empty_backup() -> bytes:
    if not _BACKUP:
        import tempfile

        from tempo_coach.store import Store

        with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder)) as store:
            _BACKUP.append(store.backup_bytes())
    return _BACKUP[0]


# -- running a case ----------------------------------------------------------------------------


@dataclass
class Outcome:
    case: Case
    exit: int | None  # None: a traceback (in this process) or a hang
    stdout: str
    stderr: str
    seconds: float
    traceback: str = ""
    hung: bool = False

    def problems(self) -> list[str]:
        """What went against the rules (empty: the case survived)."""
        found = []
        if self.hung:
            return [f"hung (more than {DEADLINE_S:g} s)"]
        if self.traceback or "Traceback (most recent call last)" in self.stderr:
            found.append("traceback")
        if self.case.expect_ok:
            if self.exit != 0:
                found.append(f"refused (exit {self.exit}) a value that is fine")
            return found
        if self.exit != 2:
            found.append(f"exit {self.exit}, not 2")
        if self.stdout:
            found.append("printed on stdout")
        lines = self.stderr.splitlines()
        if len(lines) != 1:
            found.append(f"{len(lines)} lines on stderr, not 1")
        elif not self._names_the_option(lines[0]):
            found.append("the message does not name the option")
        return found

    def _names_the_option(self, line: str) -> bool:
        """The option's name, or the value itself (a path); a value of blanks cannot be
        seen in a line, so a line saying anything will do for it."""
        case = self.case
        shown = printable(case.value)[:40]
        return case.option in line or shown in line or not shown.strip()

    @property
    def survived(self) -> bool:
        return not self.problems()


@contextmanager
def _redirected(here: Path) -> Iterator[tuple[io.BytesIO, io.BytesIO]]:
    """Standard streams as a real command has them (stdout strict UTF-8, stderr with
    backslashes for what cannot be encoded, no stdin), the case's folder as the working
    folder and the data folder inside it."""
    out, err = io.BytesIO(), io.BytesIO()
    saved = (sys.stdout, sys.stderr, sys.stdin, os.getcwd(), os.environ.get(DATA_DIR_ENV))
    text_out = io.TextIOWrapper(out, encoding="utf-8", errors="strict", write_through=True)
    text_err = io.TextIOWrapper(
        err, encoding="utf-8", errors="backslashreplace", write_through=True
    )
    sys.stdout, sys.stderr = text_out, text_err
    sys.stdin = None
    os.chdir(here)
    os.environ[DATA_DIR_ENV] = str(here / "data")
    try:
        yield out, err
    finally:
        sys.stdout, sys.stderr, sys.stdin = saved[0], saved[1], saved[2]
        for text in (text_out, text_err):  # so that closing them later leaves the bytes
            try:
                text.flush()
            except ValueError:  # pragma: no cover - closed by the command
                continue
            text.detach()
        os.chdir(saved[3])
        if saved[4] is None:
            os.environ.pop(DATA_DIR_ENV, None)
        else:
            os.environ[DATA_DIR_ENV] = saved[4]


def run_in_process(case: Case, here: Path) -> Outcome:
    """Run ``main()`` here: quick, and an exception escaping it is the traceback a user
    would have seen."""
    from tempo_coach.cli import main

    make_case_folder(here)
    started = time.monotonic()
    code: int | None
    failure = ""
    with _redirected(here) as (out, err):
        try:
            code = main(case.argv())
        except SystemExit as exited:
            code = exited.code if isinstance(exited.code, int) else 1
        except Exception:
            code, failure = None, traceback.format_exc()
        printed, said = out.getvalue(), err.getvalue()
    return Outcome(
        case,
        code,
        printed.decode("utf-8", errors="replace"),
        said.decode("utf-8", errors="replace"),
        time.monotonic() - started,
        failure,
    )


def run_as_command(
    case: Case, here: Path, python: str = sys.executable, root: Path = ROOT
) -> Outcome:
    """Run ``python -m tempo_coach`` as a user would, with a deadline (the code of the
    project at ``root``: another checkout gives the figures before a change)."""
    make_case_folder(here)
    env = dict(os.environ)
    env[DATA_DIR_ENV] = str(here / "data")
    env["PYTHONPATH"] = str(root)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.monotonic()
    try:
        done = subprocess.run(
            [python, "-m", "tempo_coach", *case.argv()],
            cwd=here,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=DEADLINE_S,
            check=False,
        )
    except subprocess.TimeoutExpired as expired:
        return Outcome(case, None, "", str(expired.stderr or ""), DEADLINE_S, hung=True)
    return Outcome(
        case,
        done.returncode,
        done.stdout.decode("utf-8", errors="replace"),
        done.stderr.decode("utf-8", errors="replace"),
        time.monotonic() - started,
    )


@contextmanager
def read_only_folder(scratch: Path) -> Iterator[str]:
    """``scratch/ro`` (``../ro`` for a case in ``scratch/case``), a folder nothing can be
    written to: a read-only tmpfs as root (root writes anywhere else), one without write
    permission otherwise. Yields why there is none, or ""."""
    folder = scratch / "ro"
    folder.mkdir(exist_ok=True)
    mounted = False
    why_not = ""
    if os.geteuid() == 0:
        made = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(folder)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        mounted = made.returncode == 0
        if not mounted:
            why_not = f"no read-only folder: mount refused ({made.stderr.strip()})"
    else:
        folder.chmod(0o555)
    try:
        yield why_not
    finally:
        if mounted:
            subprocess.run(["umount", "--lazy", str(folder)], check=False)
        else:
            folder.chmod(0o755)
