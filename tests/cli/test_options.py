"""tempo_coach/cli/options.py and how ``main()`` uses it: the data folder is resolved once and
handed to the command; the command modules sit above options.py and below the package."""

from __future__ import annotations

import argparse
import ast
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


def test_no_command_imports_the_package_that_imports_it() -> None:
    """The package imports every command; a command importing the package back (its
    UsageError, say) is a cycle, once dodged with imports inside functions."""
    commands = sorted(p for p in CLI.glob("*.py") if p.name != "__init__.py")
    assert {p.stem for p in commands} >= {"options", "play", "history", "render", "plan"}
    for path in commands:
        imported = _imported_modules(path)
        cli_modules = {name for name in imported if name.startswith("tempo_coach.cli")}
        allowed = {"tempo_coach.cli.options"} | {
            f"tempo_coach.cli.options.{name}" for name in dir(tempo_coach.cli.options)
        }
        if path.stem == "options":
            allowed = set()
        assert cli_modules <= allowed, f"{path.name} imports {cli_modules - allowed}"
