"""The command line as a user runs it: a real subprocess, real output, real exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from tempo_coach import __version__
from tempo_coach.cli import main
from tempo_coach.cli.options import UserData, read_user_data
from tempo_coach.store import Store, StoreError
from tests.cli.conftest import ring_dip, save_in
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
    assert squat["muscles"] == ["quadriceps", "glutes"]
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


# -- the window's library and preferences --------------------------------------------------


def _events(result: subprocess.CompletedProcess[str]) -> list[dict[str, object]]:
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def _phases(events: list[dict[str, object]], phase: str) -> list[dict[str, object]]:
    return [e for e in events if e["kind"] == "phase" and e["phase"] == phase]


def test_plan_finds_a_custom_exercise_with_its_defaults_and_phase_names(
    with_ring_dip: Path, cli_env: dict[str, str]
) -> None:
    result = cli("plan", "-e", "ring dip", env=cli_env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    # Its own defaults, the rest included (45 s, not the "default rest" preference's 90).
    assert lines[0] == "Slow ring dip: tempo 4-1-X-0, 2 x 3, rest 45 s, count-in 3 s"
    assert any("sink (4 s)" in line for line in lines)
    assert any("press up (1 s)" in line for line in lines)
    events = _events(cli("plan", "-e", "slow-ring-dip", "--json", env=cli_env))
    assert [e["duration"] for e in _phases(events, "rest")] == [45.0]


def test_saved_count_in_and_count_style_are_used_unless_an_option_is_given(
    data_dir: Path, cli_env: dict[str, str]
) -> None:
    save_in(data_dir, exercises=[], count_in_seconds=7, count_style="down")
    events = _events(cli("plan", "-e", "squat", "-t", "3-1-1-0", "-r", "1", "--json", env=cli_env))
    assert _phases(events, "count_in")[0]["duration"] == 7.0
    assert _phases(events, "eccentric")[0]["t"] == 7.0
    lowering = [e["count"] for e in events if e["kind"] == "count" and e["phase"] == "eccentric"]
    assert lowering[:3] == [3, 2, 1]  # counted down

    given = ["--count-in", "2", "--count", "up"]
    events = _events(
        cli("plan", "-e", "squat", "-t", "3-1-1-0", "-r", "1", *given, "--json", env=cli_env)
    )
    assert _phases(events, "count_in")[0]["duration"] == 2.0
    lowering = [e["count"] for e in events if e["kind"] == "count" and e["phase"] == "eccentric"]
    assert lowering[:3] == [1, 2, 3]

    one = cli("plan", "-e", "squat", "-r", "1", "--count-in", "0", "--json", env=cli_env)
    events = _events(one)  # only the count-in given: the count style is still the preference
    assert not _phases(events, "count_in")
    assert [e["count"] for e in events if e["kind"] == "count"][:3] == [3, 2, 1]


def test_the_explosive_preference_times_an_x_lift_unless_explosive_is_given(
    with_ring_dip: Path, cli_env: dict[str, str]
) -> None:
    save_in(with_ring_dip, exercises=[ring_dip()], explosive_seconds=2.5)
    events = _events(cli("plan", "-e", "ring dip", "-r", "1", "-s", "1", "--json", env=cli_env))
    assert _phases(events, "concentric")[0]["duration"] == 2.5
    events = _events(
        cli("plan", "-e", "ring dip", "-r", "1", "--explosive", "0.5", "--json", env=cli_env)
    )
    assert _phases(events, "concentric")[0]["duration"] == 0.5


def test_exercises_lists_the_custom_ones_after_the_built_in_ones_marked_as_yours(
    with_ring_dip: Path, cli_env: dict[str, str]
) -> None:
    rows = [
        json.loads(line) for line in cli("exercises", "--json", env=cli_env).stdout.splitlines()
    ]
    assert len(rows) == 8
    assert rows[-1]["id"] == "slow-ring-dip" and rows[-1]["custom"] is True
    assert rows[-1]["tempo"] == "4-1-X-0" and rows[-1]["rest"] == 45
    assert not any(row["custom"] for row in rows[:-1])
    table = cli("exercises", env=cli_env).stdout.splitlines()
    assert "Slow ring dip  (yours)" in table
    assert "Eccentric barbell squat" in table  # a built-in one: no mark
    assert "    order: sink > hold > press up > pause" in table


def test_plan_reads_the_folder_while_another_tempo_coach_owns_it(
    with_ring_dip: Path, cli_env: dict[str, str]
) -> None:
    save_in(with_ring_dip, exercises=[ring_dip()], count_in_seconds=5)
    with Store.open(with_ring_dip) as window:
        assert not window.read_only
        result = cli("plan", "-e", "ring dip", env=cli_env)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith("Slow ring dip: tempo 4-1-X-0, 2 x 3, rest 45 s, count-in 5 s")


@pytest.mark.parametrize("where", ["file", "history-file"])
def test_an_unusable_folder_does_not_stop_plan(
    where: str, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    folder = tmp_path / "data"
    if where == "file":
        folder.write_text("not a folder")
    else:  # a folder the store cannot keep a history in (how it says so is the store's)
        folder.mkdir()
        (folder / "history").write_text("not a folder")
    result = cli("--data-dir", str(folder), "plan", "-e", "squat", "-r", "1", env=cli_env)
    assert result.returncode == 0
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith("Eccentric barbell squat: tempo 3-1-1-0")
    if where == "file":
        assert "note: the data folder" in result.stderr and "is not a folder" in result.stderr
        assert "using the built-in exercises and the default preferences" in result.stderr


def test_a_folder_the_store_refuses_is_a_note_and_the_defaults(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save_in(data_dir, exercises=[ring_dip()], count_in_seconds=9)

    def refuse(cls: type[Store], data_dir: Path | None = None) -> Store:
        raise StoreError(f"cannot use the data folder {data_dir}: Input/output error")

    monkeypatch.setattr(Store, "open", classmethod(refuse))
    assert read_user_data(data_dir) == UserData.defaults()
    assert capsys.readouterr().err == (
        f"note: cannot use the data folder {data_dir}: Input/output error; "
        "using the built-in exercises and the default preferences\n"
    )
    assert main(["--data-dir", str(data_dir), "plan", "-e", "squat", "-r", "1"]) == 0
    assert "count-in 3 s" in capsys.readouterr().out


def test_plan_and_exercises_do_not_create_the_data_folder(
    data_dir: Path, cli_env: dict[str, str]
) -> None:
    assert cli("plan", "-e", "squat", env=cli_env).returncode == 0
    assert cli("exercises", env=cli_env).returncode == 0
    assert not data_dir.exists()


def test_a_name_shared_with_a_custom_exercise_asks_for_more_of_it(
    data_dir: Path, cli_env: dict[str, str]
) -> None:
    squat = replace(ring_dip(), exercise_id="goblet-squat", name="Goblet squat")
    save_in(data_dir, exercises=[squat])
    result = cli("plan", "-e", "squat", env=cli_env)
    assert result.returncode == 2
    assert "'squat' matches 2 exercises: Eccentric barbell squat; Goblet squat" in result.stderr
    assert cli("plan", "-e", "goblet", env=cli_env).stdout.startswith("Goblet squat:")
