"""The command line as a user runs it: a real subprocess, real output, real exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tempo_coach import __version__
from tests.conftest import run_cli as cli


def test_version_and_help(cli_env: dict[str, str]) -> None:
    result = cli("--version", env=cli_env)
    assert (result.returncode, result.stdout.strip()) == (0, f"tempo-coach {__version__}")
    result = cli("--help", env=cli_env)
    assert result.returncode == 0
    for word in ("--data-dir", "exercises", "plan"):
        assert word in result.stdout


def test_the_installed_script_runs(cli_env: dict[str, str]) -> None:
    script = Path(sys.executable).with_name("tempo-coach")
    result = subprocess.run(
        [str(script), "--version"], capture_output=True, text=True, env=cli_env, check=False
    )
    assert result.stdout.strip() == f"tempo-coach {__version__}"


def test_exercises_lists_the_library_with_order_and_tempo(cli_env: dict[str, str]) -> None:
    result = cli("exercises", "--json", env=cli_env)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    squat = next(r for r in rows if r["id"] == "barbell-squat")
    assert squat["phase_order"][0] == "eccentric" and squat["tempo"] == "3-1-1-0"
    pull_up = next(r for r in rows if r["id"] == "band-pull-up")
    assert pull_up["starts_with"] == "concentric_first"
    assert len(rows) == 7
    table = cli("exercises", env=cli_env).stdout
    assert "Eccentric barbell squat" in table and "order: descend > hold > drive up" in table


def test_plan_json_for_the_squat_begins_with_count_in_and_descent(cli_env: dict[str, str]) -> None:
    result = cli(
        "plan",
        "--exercise",
        "barbell squat",
        "--tempo",
        "3-1-1-0",
        "--reps",
        "5",
        "--json",
        env=cli_env,
    )
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    phases = [e for e in events if e["kind"] == "phase"]
    assert phases[0] == {
        "t": 0.0,
        "kind": "phase",
        "phase": "count_in",
        "set": 1,
        "rep": None,
        "side": None,
        "duration": 3.0,
        "count": None,
        "count_total": None,
    }
    assert (phases[1]["phase"], phases[1]["t"], phases[1]["rep"]) == ("eccentric", 3.0, 1)
    assert {e["kind"] for e in events} == {"phase", "count", "end"}
    assert max(e["rep"] or 0 for e in events) == 5
    # Options not given take the exercise's defaults: 4 sets, 120 s rest.
    assert max(e["set"] or 0 for e in events) == 4
    assert [e["duration"] for e in phases if e["phase"] == "rest"] == [120.0] * 3
    assert events[-1]["kind"] == "end"


def test_plan_json_names_sides(cli_env: dict[str, str]) -> None:
    result = cli(
        "plan", "-e", "hamstring curl", "--reps", "2", "--sets", "1", "--json", env=cli_env
    )
    sides = [
        json.loads(x)["side"] for x in result.stdout.splitlines() if json.loads(x)["kind"] == "side"
    ]
    assert sides == ["left", "right"]


def test_plan_table_is_readable(cli_env: dict[str, str]) -> None:
    result = cli("plan", "-e", "squat", "-r", "1", "-s", "2", "--rest", "30", env=cli_env)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Eccentric barbell squat: tempo 3-1-1-0, 2 x 1, rest 30 s")
    assert any("descend (3 s)" in line for line in lines)
    assert any("rest (30 s)" in line for line in lines)
    assert lines[-1].split()[-1] == "end"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--exercise", "curl"], "'curl' matches 2 exercises"),
        (["--exercise", "deadlift"], "no exercise matches 'deadlift'"),
        (
            ["-e", "squat", "--tempo", "0-1-1-0"],
            "the lowering phase must last 1 to 30 seconds, got 0",
        ),
        (["-e", "squat", "--tempo", "fast"], "'fast' is not a tempo"),
        (["-e", "squat", "--reps", "0"], "the number of reps must be 1 to 100, got 0"),
        (["-e", "squat", "--rest", "nan"], "--rest must be a number of seconds"),
        (["-e", "squat", "--count-in", "11"], "the count-in must be 0 to 10 seconds, got 11"),
        (["-e", "squat", "--reps", "many"], "invalid int value: 'many'"),
        ([], "the following arguments are required: --exercise"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(
    args: list[str], message: str, cli_env: dict[str, str]
) -> None:
    result = cli("plan", *args, env=cli_env)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""
