"""tempo_coach/cli/options.py and how ``main()`` uses it: the data folder is resolved once and
handed to the command; the command modules sit above options.py and below the package."""

from __future__ import annotations

import argparse
import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import tempo_coach.cli
from tempo_coach.cli import build_parser, main
from tempo_coach.cli import history as history_command
from tempo_coach.cli.options import DATA_DIR_ENV, UsageError, at_amount, data_dir_from

CLI = Path(tempo_coach.cli.__file__).parent


def test_data_dir_option_wins_over_the_environment(tmp_path: Path) -> None:
    parser = build_parser()
    environ = {DATA_DIR_ENV: str(tmp_path / "env")}
    assert data_dir_from(parser.parse_args(["exercises"]), environ) == tmp_path / "env"
    args = parser.parse_args(["--data-dir", str(tmp_path / "opt"), "exercises"])
    assert data_dir_from(args, environ) == tmp_path / "opt"
    assert data_dir_from(parser.parse_args(["exercises"]), {}) is None
    assert data_dir_from(parser.parse_args(["exercises"]), {DATA_DIR_ENV: ""}) is None


def test_main_resolves_the_data_folder_once_and_hands_it_to_the_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    given: list[Path | None] = []

    def run(args: argparse.Namespace, data_dir: Path | None) -> int:
        given.append(data_dir)
        return 0

    monkeypatch.setattr(history_command, "run", run)
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "env"))
    assert main(["history"]) == 0
    assert main(["--data-dir", str(tmp_path / "opt"), "history"]) == 0
    monkeypatch.delenv(DATA_DIR_ENV)
    assert main(["history"]) == 0
    assert given == [tmp_path / "env", tmp_path / "opt", None]


def test_a_command_uses_the_folder_it_is_handed_not_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "env"))
    args = build_parser().parse_args(["history"])
    assert history_command.run(args, tmp_path / "handed") == 0
    assert str(tmp_path / "handed") in capsys.readouterr().out
    assert not (tmp_path / "env").exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12.5:+1", (12.5, 1.0)), (" 3 : -1.5 ", (3.0, -1.5)), ("30:5", (30.0, 5.0))],
)
def test_at_amount_reads_seconds_and_a_signed_amount(
    text: str, expected: tuple[float, float]
) -> None:
    assert at_amount("--change", text, "12.5:+1") == expected


@pytest.mark.parametrize("text", ["soon", "12", ":1", "-3:1", "1e3:1", "1:" + "9" * 400])
def test_at_amount_refuses_anything_else_naming_the_option(text: str) -> None:
    with pytest.raises(UsageError, match=r"^--pause .*: write seconds:amount, e.g. 30:5$"):
        at_amount("--pause", text, "30:5")


def _imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


#: The modules every command may use; they import no command (nor the package).
SHARED = {"options": {"terminal"}, "terminal": set()}


def _names(module: str) -> set[str]:
    """``tempo_coach.cli.MODULE`` and every name in it, as an import may spell them."""
    imported = importlib.import_module(f"tempo_coach.cli.{module}")
    return {f"tempo_coach.cli.{module}"} | {
        f"tempo_coach.cli.{module}.{name}" for name in dir(imported)
    }


def test_no_command_imports_the_package_that_imports_it() -> None:
    """The package imports every command; a command importing the package back (its
    UsageError, say) is a cycle, once dodged with imports inside functions. Commands use
    the shared modules only, and those use no command."""
    commands = sorted(p for p in CLI.glob("*.py") if p.name != "__init__.py")
    assert {p.stem for p in commands} >= {"options", "play", "history", "render", "plan"}
    for path in commands:
        imported = _imported_modules(path)
        cli_modules = {name for name in imported if name.startswith("tempo_coach.cli")}
        may_use = SHARED.get(path.stem, set(SHARED))
        allowed = set().union(*(_names(module) for module in may_use))
        assert cli_modules <= allowed, f"{path.name} imports {cli_modules - allowed}"


# -- the data folder and long values (issue 12) ----------------------------------------------


def _refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run ``tempo-coach ARGV`` in this process; it must exit 2 with one line on stderr and
    nothing on stdout. Returns that line."""
    with pytest.raises(SystemExit) as exited:
        main(list(argv))
    assert exited.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1 and err.endswith("\n"), err
    return err


@pytest.mark.parametrize("command", [["plan", "-e", "squat"], ["history"], ["exercises"]])
@pytest.mark.parametrize(
    ("data_dir", "message"),
    [
        ("", "--data-dir is empty: give a path"),
        ("x" * 300, "a name in it is 300 bytes long; file systems allow at most 255"),
        ("/tmp/" + "é" * 130, "a name in it is 260 bytes long"),  # bytes, not characters
        ("/".join(["d" * 200] * 25), "the path is 5024 bytes long; at most 4095"),
        ("~nonexistentuser/x", "there is no user 'nonexistentuser' for ~ to stand for"),
    ],
    ids=["empty", "long-name", "long-in-bytes", "long-path", "unknown-user"],
)
def test_an_unusable_data_dir_is_refused_before_the_command_runs(
    command: list[str],
    data_dir: str,
    message: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """Not the default folder for '' (it used to be), not a traceback for the others."""
    monkeypatch.chdir(tmp_path)
    err = _refused(capsys, "--data-dir", data_dir, *command)
    assert err.startswith(f"tempo-coach {command[0]}: error: --data-dir")
    assert message in err
    assert list(tmp_path.iterdir()) == []


def test_the_environment_variable_is_checked_the_same_way(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, "y" * 256)
    err = _refused(capsys, "history")
    assert f"${DATA_DIR_ENV} 'yyyy" in err and "256 bytes long" in err


LONG = "9" * 100_000


@pytest.mark.parametrize(
    "argv",
    [
        ["plan", "-e", "squat", "--bogus", LONG],
        ["plan", "-e", "squat", "--count", LONG],
        ["plan", "-e", "squat", "--reps", LONG],
        ["plan", "-e", "squat", "--rest", LONG],
        ["plan", "-e", LONG],
        ["plan", "-e", "squat", "--tempo", LONG],
        ["play", "-e", "squat", "--change", f"1:{LONG}"],
        ["play", "-e", "squat", "--backend", LONG],
        ["render", "-e", "squat", "--out", LONG],
        ["render", "-e", "squat", "--out", "x.wav", "--theme", LONG],
        ["render", "-e", "squat", "--out", "x.wav", "--pause", LONG + ":1"],
        ["history", "--format", LONG],
        ["--data-dir", LONG, "history"],
    ],
    ids=lambda argv: " ".join(a for a in argv if a != LONG)[:40],
)
def test_an_error_never_repeats_a_100_kb_argument(
    argv: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)
    err = _refused(capsys, *argv)
    assert len(err) < 700, err[:1000]
    assert "9" * 200 not in err  # the value is cut (or not repeated at all)


def test_control_characters_in_an_argument_are_shown_escaped(
    capsys: pytest.CaptureFixture[str],
) -> None:
    err = _refused(capsys, "plan", "-e", "\x1b[2J\x1b[31msquat\nnext")
    assert "\x1b" not in err
    assert "--exercise: no exercise matches '\\x1b[2J\\x1b[31msquat\\nnext'" in err
    err = _refused(capsys, "plan", "-e", "squat", "--count", "\x1b[31m")
    assert "\x1b" not in err and "--count" in err


@pytest.mark.parametrize(
    "argv", [["plan", "-e", "squat"], ["history", "--format", "csv"], ["exercises"]]
)
def test_a_full_stdout_is_one_line_not_a_traceback(argv: list[str], data_dir: Path) -> None:
    """``tempo-coach history --format csv > /dev/full``, say."""
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "tempo_coach", *argv],
            stdout=full, stderr=subprocess.PIPE, text=True, timeout=60, check=False,
        )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == f"tempo-coach {argv[0]}: No space left on device\n"
