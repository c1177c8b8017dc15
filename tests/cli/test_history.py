"""``tempo-coach history`` as a user runs it: a real subprocess on a real data folder."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from tempo_coach.core.exercise import SideMode
from tempo_coach.core.records import PlannedSession, SessionRecord
from tempo_coach.store import Store
from tempo_coach.store.codec import encode_session
from tempo_coach.store.export import CSV_COLUMNS, PLANNED_FIELDS
from tempo_coach.store.migrations import SCHEMA_VERSION
from tests.conftest import run_cli as cli
from tests.store.bad_files import DAMAGE, file_bytes
from tests.store.conftest import make_session

FIRST_PLAN = PlannedSession("3-1-1-0", 3, 2, 120_000, 3000, SideMode.BOTH)
SECOND_PLAN = PlannedSession("3-1-1-0", 3, 4, 2500, None, None)  # 4 planned, 3 done


@pytest.fixture
def saved(data_dir: Path) -> Path:
    """Two squat sessions with their plan, and a row session saved before plans were kept."""
    with Store.open(data_dir) as store:
        first = make_session("first", "2026-03-01T10:00:00+01:00")
        store.save_session(replace(first, planned=FIRST_PLAN, extra={}))
        second = make_session("second", "2026-03-05T18:30:00+01:00", sets=3)
        store.save_session(replace(second, planned=SECOND_PLAN, extra={}))
        row = make_session(
            "row",
            "2026-04-02T09:00:00+02:00",
            exercise_id="cable-row",
            exercise_name="Eccentric seated cable row",
            load=None,
        )
        store.save_session(replace(row, planned=None, extra={}))
    return data_dir


def test_the_table_lists_every_session(saved: Path, cli_env: dict[str, str]) -> None:
    result = cli("history", env=cli_env)
    assert result.returncode == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].split()[:2] == ["date", "exercise"]
    assert lines[1].split("  ")[:2] == ["2026-03-01 10:00", "Eccentric barbell squat"]
    assert " 3 3 " in lines[1]
    assert lines[2].startswith("2026-03-05 18:30") and " 3 3 3 " in lines[2]
    assert "Eccentric seated cable row" in lines[3]
    assert "60 kg" in lines[1] and "felt strong" in lines[1]
    assert len(lines) == 5  # header, three sessions, legend


def test_csv_has_one_row_per_set(saved: Path, cli_env: dict[str, str]) -> None:
    result = cli("--data-dir", str(saved), "history", "--format", "csv", env=cli_env)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 2 + 3 + 2
    assert rows[0]["session_id"] == "first" and rows[0]["load"] == "60"
    assert rows[3]["tempo_used"] == "4-1-1-0" and rows[3]["time_under_tension_s"] == "18"
    assert rows[-1]["exercise_id"] == "cable-row" and rows[-1]["load"] == ""


def test_csv_columns_are_the_documented_ones_in_order(saved: Path, cli_env: dict[str, str]) -> None:
    """README.md lists these; other programs read them by name and position."""
    header = cli("history", "--format", "csv", env=cli_env).stdout.splitlines()[0]
    assert header == (
        "date,session_id,exercise_id,exercise,set,side,tempo_planned,tempo_used,reps_planned,"
        "reps_done,ended_early,load,load_unit,time_under_tension_s,rpe,note,finished,"
        "planned_tempo,planned_reps,planned_sets,planned_rest_s,planned_count_in_s,"
        "planned_side_mode,set_type,lowering_tapped_s,taps,taps_on_tempo,taps_missing"
    )
    assert header.split(",") == list(CSV_COLUMNS)


def test_csv_gives_the_sessions_plan_on_each_of_its_rows(
    saved: Path, cli_env: dict[str, str]
) -> None:
    rows = list(csv.DictReader(io.StringIO(cli("history", "--format", "csv", env=cli_env).stdout)))
    planned = [tuple(row[f"planned_{name}"] for name in PLANNED_FIELDS) for row in rows]
    assert planned == [
        *[("3-1-1-0", "3", "2", "120", "3", "both")] * 2,
        *[("3-1-1-0", "3", "4", "2.5", "", "")] * 3,
        *[("", "", "", "", "", "")] * 2,  # saved without its plan
    ]


def test_json_is_a_backup_of_everything_in_the_stores_own_format(
    saved: Path, cli_env: dict[str, str]
) -> None:
    result = cli("history", "--format", "json", env=cli_env)
    assert result.returncode == 0 and result.stderr == ""
    backup = json.loads(result.stdout)
    assert list(backup) == [
        "kind",
        "schema_version",
        "exported_at",
        "sessions",
        "custom_exercises",
        "preferences",
    ]
    assert backup["kind"] == "tempo-coach-backup"
    assert backup["schema_version"] == SCHEMA_VERSION
    with Store.open(saved) as store:
        assert backup["sessions"] == [encode_session(s) for s in store.history()]
        assert backup["preferences"] == store.load_preferences().as_dict()
    assert backup["custom_exercises"] == []
    assert [s["planned"] for s in backup["sessions"][:2]] == [
        ["3-1-1-0", 3, 2, 120_000, 3000, "both"],
        ["3-1-1-0", 3, 4, 2500, None, None],
    ]
    assert "planned" not in backup["sessions"][2]  # saved without its plan


def test_json_with_an_exercise_backs_up_only_its_sessions(
    saved: Path, cli_env: dict[str, str]
) -> None:
    result = cli("history", "--format", "json", "--exercise", "squat", env=cli_env)
    sessions = json.loads(result.stdout)["sessions"]
    assert [s["session_id"] for s in sessions] == ["first", "second"]
    assert sessions[0]["sets"][1][5] == "1-3LR:e3000/4000,h1000,c1000,p0"  # every rep


def test_an_empty_folder_says_so(cli_env: dict[str, str]) -> None:
    result = cli("history", env=cli_env)
    assert result.returncode == 0
    assert "No sessions saved yet" in result.stdout
    backup = json.loads(cli("history", "--format", "json", env=cli_env).stdout)
    assert backup["kind"] == "tempo-coach-backup" and backup["sessions"] == []


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_file_is_reported_on_stderr_and_kept(
    damage: str, saved: Path, cli_env: dict[str, str]
) -> None:
    march = saved / "history" / "2026-03.json"
    DAMAGE[damage](march.read_bytes(), march)
    damaged = file_bytes(march)
    result = cli("history", "--format", "csv", env=cli_env)
    assert result.returncode == 0
    [copy] = sorted(march.parent.glob("2026-03.json.corrupt-*"))
    assert file_bytes(copy) == damaged
    assert "history for 2026-03 could not be read" in result.stderr
    assert str(copy) in result.stderr
    ids = {row["session_id"] for row in csv.DictReader(io.StringIO(result.stdout))}
    assert {"first", "row"} <= ids  # from the backup, and from the untouched month
    again = cli("history", "--format", "csv", env=cli_env)
    assert again.stderr == ""  # repaired from what could be read


def test_history_works_while_the_window_runs(saved: Path, cli_env: dict[str, str]) -> None:
    with Store.open(saved) as running:
        assert not running.read_only
        result = cli("history", env=cli_env)
    assert result.returncode == 0
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == 5


def test_an_unusable_folder_is_an_error_not_a_crash(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = cli("--data-dir", str(blocker / "data"), "history", env=cli_env)
    assert result.returncode == 2  # like every command that cannot start (issue 12)
    assert "cannot use the data folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1 and result.stdout == ""


# -- a session kept for later (the checkpoint) ---------------------------------------------


def _keep_for_later(data_dir: Path, record: SessionRecord) -> None:
    """What the window leaves behind after "Keep it for later", a signal or a crash."""
    with Store.open(data_dir) as store:
        store.checkpoint(record)


KEPT = make_session("kept", "2026-03-20T07:15:00+01:00", sets=2, finished=False)


def test_the_table_lists_a_session_kept_for_later_in_its_place(
    saved: Path, cli_env: dict[str, str]
) -> None:
    _keep_for_later(saved, replace(KEPT, rpe=None, note=""))
    result = cli("history", env=cli_env)
    assert result.returncode == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == 7  # header, three saved sessions, the kept one, two legend lines
    kept = lines[3]  # by start time: after 5 March, before 2 April
    assert kept.startswith("2026-03-20 07:15  Eccentric barbell squat")
    assert kept.endswith("(kept for later)") and " 3 3 " in kept
    assert "kept for later" not in "".join(lines[1:3] + lines[4:5])
    assert lines[-1].startswith("(kept for later): not in the log yet")


def test_a_session_kept_for_later_is_listed_when_nothing_is_saved_yet(
    data_dir: Path, cli_env: dict[str, str]
) -> None:
    _keep_for_later(data_dir, KEPT)
    lines = cli("history", env=cli_env).stdout.splitlines()
    assert "No sessions saved yet" not in lines[0]
    assert lines[1].endswith("(kept for later) felt strong")


def test_while_another_tempo_coach_runs_it_may_be_in_progress(
    saved: Path, cli_env: dict[str, str]
) -> None:
    _keep_for_later(saved, KEPT)
    with Store.open(saved):  # the window: its checkpoint may be the set it is running
        result = cli("history", env=cli_env)
    assert result.returncode == 0 and result.stderr == ""
    assert "(in progress or kept for later)" in result.stdout.splitlines()[3]


def test_csv_and_json_hold_saved_sessions_only_and_say_so_on_stderr(
    saved: Path, cli_env: dict[str, str]
) -> None:
    _keep_for_later(saved, KEPT)
    result = cli("history", "--format", "csv", env=cli_env)
    assert result.returncode == 0
    assert "kept" not in {row["session_id"] for row in csv.DictReader(io.StringIO(result.stdout))}
    assert "Eccentric barbell squat of 2026-03-20 07:15 (2 set(s)) is kept for later" in (
        result.stderr
    )
    assert "not in this export" in result.stderr
    result = cli("history", "--format", "json", env=cli_env)
    assert result.returncode == 0
    assert [s["session_id"] for s in json.loads(result.stdout)["sessions"]] == [
        "first",
        "second",
        "row",
    ]
    assert "is kept for later" in result.stderr


def test_a_kept_session_of_another_exercise_or_without_a_set_is_not_listed(
    saved: Path, cli_env: dict[str, str]
) -> None:
    _keep_for_later(saved, KEPT)
    result = cli("history", "--exercise", "row", env=cli_env)
    assert "kept for later" not in result.stdout + result.stderr
    assert len(result.stdout.splitlines()) == 3
    result = cli("history", "--format", "csv", "--exercise", "row", env=cli_env)
    assert result.stderr == ""
    _keep_for_later(saved, replace(KEPT, session_id="empty", sets=()))  # nothing done yet
    result = cli("history", env=cli_env)
    assert "kept for later" not in result.stdout and len(result.stdout.splitlines()) == 5


def test_a_kept_session_already_saved_is_listed_once_as_saved(
    saved: Path, cli_env: dict[str, str]
) -> None:
    """Saved, but its checkpoint could not be removed afterwards: the log has it."""
    _keep_for_later(
        saved, replace(KEPT, session_id="second", started_at="2026-03-05T18:30:00+01:00")
    )
    result = cli("history", env=cli_env)
    assert "kept for later" not in result.stdout
    assert len(result.stdout.splitlines()) == 5


# -- what the lifter typed, printed safely (issue 12) ----------------------------------------


def test_control_characters_in_notes_and_names_are_shown_escaped(
    data_dir: Path, cli_env: dict[str, str]
) -> None:
    """An escape sequence in a note would clear or recolour the terminal of whoever lists
    the history; a right-to-left override would disguise the row."""
    with Store.open(data_dir) as store:
        odd = make_session("odd", "2026-03-01T10:00:00+01:00", exercise_name="Squat\x1b]0;x\x07")
        store.save_session(replace(odd, note="\x1b[2J\x1b[31mred\u202eevil\ttab\nnext"))
    result = cli("history", env=cli_env)
    assert result.returncode == 0, result.stderr
    table = result.stdout
    for raw in ("\x1b", "\x07", "\u202e", "\t"):
        assert raw not in table
    (row,) = [line for line in table.splitlines() if line.startswith("2026-03-01")]
    assert "Squat\\x1b]0;x\\x07" in row
    assert row.endswith("\\x1b[2J\\x1b[31mred\\u202eevil\\ttab next")


def test_a_kept_session_takes_its_place_by_the_instant_across_a_clock_change(
    data_dir: Path, cli_env: dict[str, str]
) -> None:
    """25 October 2026, Berlin: 02:15+02:00 (00:15 UTC) comes before the second 02:05,
    at +01:00 (01:05 UTC), though its text sorts after it."""
    with Store.open(data_dir) as store:
        store.save_session(make_session("summer", "2026-10-25T02:15:00+02:00"))
        store.checkpoint(make_session("winter", "2026-10-25T02:05:00+01:00", finished=False))
    result = cli("history", env=cli_env)
    assert result.returncode == 0, result.stderr
    rows = result.stdout.splitlines()[1:3]
    assert rows[0].startswith("2026-10-25 02:15") and "kept for later" not in rows[0]
    assert rows[1].startswith("2026-10-25 02:05") and "(kept for later)" in rows[1]
