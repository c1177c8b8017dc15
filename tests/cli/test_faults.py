"""The CLI fault suite (issue 12): every option of every command given hostile values
(tests/cli/cli_faults.py). No traceback; a value refused is exit status 2 with one line on
stderr naming the option; a value that is fine is exit status 0.

Every case runs here in this process (``main()`` with the standard streams of a real
command; about 10 s for the ~800 cases), and a fixed sample runs as real commands too.
``python -m bench cli_faults`` runs every case as a real command.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.cli_faults import (
    BAD,
    Case,
    every_case,
    read_only_folder,
    run_as_command,
    run_in_process,
)

CASES = every_case()


def _id(case: Case) -> str:
    return case.name.encode("ascii", errors="replace").decode().replace(" ", "_")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Where the cases run (``scratch/case``), beside a read-only folder (``scratch/ro``)."""
    folder = tmp_path_factory.mktemp("cli-faults")
    with read_only_folder(folder):
        yield folder


def _check(outcome_problems: list[str], case: Case, stderr: str, tb: str) -> None:
    assert outcome_problems == [], (
        f"{case.name}: {outcome_problems}\n  argv {case.argv()!r:.300}\n"
        f"  stderr {stderr[:600]!r}\n{tb}"
    )


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_every_option_with_every_bad_value(case: Case, scratch: Path) -> None:
    here = scratch / "case"
    try:
        outcome = run_in_process(case, here)
    finally:
        shutil.rmtree(here, ignore_errors=True)
    _check(outcome.problems(), case, outcome.stderr, outcome.traceback)


def _sample() -> list[Case]:
    """A fixed sample for real commands: per command, every hostile value of one option in
    turn, so that each kind of value reaches each command once, and the values issue 12
    names."""
    named = {
        ("render", "--out", "dev-full"), ("render", "--out", "proc-file"),
        ("render", "--out", "name-256"), ("render", "--out", "under-a-file"),
        ("render", "--out", "read-only-folder"), ("render", "--cues", "a-folder"),
        ("render", "--theme", "name-300"), ("render", "--pause", "hour-and-more"),
        ("play", "--speed", "tiny"), ("play", "--load", "huge"),
        ("", "--data-dir", "empty"), ("", "--data-dir", "name-256"),
        ("", "--data-dir", "unknown-user"),
    }  # fmt: skip
    kinds = list(BAD)
    chosen = [c for c in CASES if (c.command, c.option, c.label) in named]
    options = sorted({(c.command, c.option) for c in CASES if c.command in ("plan", "play")})
    for number, (command, option) in enumerate(options):
        label = kinds[number % len(kinds)]
        chosen += [c for c in CASES if (c.command, c.option, c.label) == (command, option, label)]
    return chosen


@pytest.mark.parametrize("case", _sample(), ids=_id)
def test_a_sample_as_real_commands(case: Case, scratch: Path) -> None:
    here = scratch / "case"
    try:
        outcome = run_as_command(case, here)
    finally:
        shutil.rmtree(here, ignore_errors=True)
    _check(outcome.problems(), case, outcome.stderr, "")


def test_the_generator_covers_every_option_of_every_command() -> None:
    from tempo_coach.cli import build_parser

    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    tried = {(c.command, c.option) for c in CASES}
    for command, sub in subparsers.choices.items():  # type: ignore[union-attr]
        for action in sub._actions:
            if action.dest == "help":
                continue
            name = max(action.option_strings, key=len) if action.option_strings else "FILE"
            assert (command, name) in tried, f"{command} {name} is not tried"
    assert ("", "--data-dir") in tried
    assert len(CASES) > 500
    assert sum(c.expect_ok for c in CASES) > 50  # and values that are fine are tried too
