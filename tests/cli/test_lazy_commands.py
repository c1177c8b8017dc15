"""A command imports its own module only (importing them all took ~80 ms of every command
and of the window's start), and the parser still knows every command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tempo_coach.cli import COMMANDS, wanted_command

PROBE = """
import sys, contextlib, io
from tempo_coach.cli import COMMANDS, build_parser, main
argv = sys.argv[1:]
if argv == ["--window-parse"]:
    build_parser([])
else:
    with contextlib.redirect_stdout(io.StringIO()):
        main(argv)
print(",".join(sorted(name for name, module in COMMANDS.items() if module in sys.modules)))
"""


def imported_with(*argv: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return [name for name in result.stdout.strip().split(",") if name]


def test_a_command_imports_its_own_module_only(tmp_path: Path) -> None:
    assert imported_with("--data-dir", str(tmp_path), "exercises") == ["exercises"]
    assert imported_with("--window-parse") == []


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["history"], "history"),
        (["--data-dir", "plan", "history"], "history"),
        (["--data-dir=x", "plan"], "plan"),
        (["--data", "render", "play"], "play"),  # argparse takes the abbreviation
        (["--self-test"], None),
        (["--version"], None),
        ([], None),
    ],
)
def test_the_command_word_is_the_one_argparse_reads(argv: list[str], command: str | None) -> None:
    assert wanted_command(argv) == command


def test_every_command_is_known_when_another_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tempo_coach", "plan", "--exercise", "nothing-at-all"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    bogus = subprocess.run(
        [sys.executable, "-m", "tempo_coach", "bogus"], capture_output=True, text=True, timeout=120
    )
    assert bogus.returncode == 2
    assert all(f"'{name}'" in bogus.stderr for name in COMMANDS)
