"""``tempo-coach advice`` as a user runs it: a real subprocess on a real data folder, its
history saved through the store. The rules themselves are tested in tests/core/test_coach.py;
here: what reaches the terminal, the options, the preferences' switches, the folder.

Sessions are dated relative to the wall clock (the command reads it), a day or more apart
and never near a boundary the rules draw, so that the tests do not depend on the time they
run at."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from tempo_coach.core.coach import NOT_MEDICAL_ADVICE
from tempo_coach.core.records import (
    LoadUnit,
    PhaseTime,
    PlannedSession,
    RepRecord,
    SessionRecord,
    SetRecord,
)
from tempo_coach.core.tempo import Phase, parse_tempo
from tempo_coach.store import Store
from tests.cli.conftest import ring_dip, save_in
from tests.conftest import run_cli as cli


def record(
    ago: timedelta,
    *,
    exercise_id: str = "barbell-squat",
    exercise_name: str = "Eccentric barbell squat",
    tempo: str = "4-1-1-0",
    sets: int = 3,
    reps: int = 6,
    done: int | None = None,
    load: float | None = 60.0,
    rpe: int | None = 7,
    soreness: int | None = None,
) -> SessionRecord:
    """A session as the window saves it, ``ago`` before now (local time with its offset)."""
    started_at = (datetime.now().astimezone() - ago).isoformat(timespec="seconds")
    t = parse_tempo(tempo)
    phases = tuple(
        PhaseTime(phase, t.duration_ms(phase), t.duration_ms(phase))
        for phase in (
            Phase.ECCENTRIC,
            Phase.PAUSE_AFTER_ECCENTRIC,
            Phase.CONCENTRIC,
            Phase.PAUSE_AFTER_CONCENTRIC,
        )
    )
    set_records = []
    for number in range(1, sets + 1):
        reps_done = reps if done is None or number < sets else done
        set_records.append(
            SetRecord(
                exercise_id=exercise_id,
                exercise_name=exercise_name,
                set_number=number,
                started_at=started_at,
                tempo_planned=tempo,
                tempo_used=tempo,
                reps_planned=reps,
                reps=tuple(RepRecord(number, r, None, phases) for r in range(1, reps_done + 1)),
                load=load,
                load_unit=LoadUnit.KG,
            )
        )
    return SessionRecord(
        session_id=f"{exercise_id}-{started_at}",
        exercise_id=exercise_id,
        exercise_name=exercise_name,
        started_at=started_at,
        sets=tuple(set_records),
        rpe=rpe,
        planned=PlannedSession(tempo, reps, sets, rest_ms=90_000),
        soreness=soreness,
    )


def saved(data_dir: Path, *records: SessionRecord) -> None:
    with Store.open(data_dir) as store:
        store.save_sessions(records)


DAY = timedelta(days=1)


def test_two_good_sessions_give_one_more_second(data_dir: Path, cli_env: dict[str, str]) -> None:
    saved(data_dir, record(10 * DAY), record(6 * DAY))
    result = cli("advice", env=cli_env)
    assert result.returncode == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "Eccentric barbell squat"
    assert lines[1] == "  last time: 4-1-1-0 x 6 at 60 kg, RPE 7"
    assert lines[2].startswith("  next time: 5-1-1-0 x 6 at 60 kg. Every rep done")
    assert result.stdout.count(NOT_MEDICAL_ADVICE) == 1 and lines[-1] == NOT_MEDICAL_ADVICE


def test_missed_reps_give_a_shorter_count(data_dir: Path, cli_env: dict[str, str]) -> None:
    saved(data_dir, record(10 * DAY), record(6 * DAY, done=4))
    result = cli("advice", "--exercise", "squat", env=cli_env)
    assert result.returncode == 0
    assert "  last time: 4-1-1-0 x 6 at 60 kg, RPE 7, 16 of 18 reps done" in result.stdout
    assert "  next time: 3-1-1-0 x 6 at 60 kg. You did 16 of 18 reps" in result.stdout


def test_the_check_in_warns_when_shared_muscles_are_sore(
    data_dir: Path, cli_env: dict[str, str]
) -> None:
    """A squat 30 h ago; the box step-down works the same quadriceps and glutes."""
    saved(data_dir, record(30 * timedelta(hours=1)))
    sore = cli("advice", "-e", "step-down", "--soreness", "7", env=cli_env)
    assert sore.returncode == 0
    assert "note: You trained quadriceps and glutes 30 h ago" in sore.stdout
    assert "soreness of 7 in 10 today" in sore.stdout
    fine = cli("advice", "-e", "step-down", "--soreness", "5", env=cli_env)
    assert "You trained" not in fine.stdout
    curl = cli("advice", "-e", "dumbbell curl", "--soreness", "9", env=cli_env)
    assert "You trained" not in curl.stdout


def test_the_last_sessions_check_in_counts_without_one_today(
    data_dir: Path, cli_env: dict[str, str]
) -> None:
    """This needs the store to keep a session's soreness (issue 14's store change)."""
    saved(data_dir, record(30 * timedelta(hours=1), soreness=8))
    result = cli("advice", "-e", "step-down", env=cli_env)
    assert "soreness of 8 in 10 before your last session" in result.stdout
    save_in(data_dir, exercises=[], warn_soreness=False)
    result = cli("advice", "-e", "step-down", env=cli_env)
    assert result.returncode == 0 and "You trained" not in result.stdout


def test_the_frequency_warning_is_said_once(data_dir: Path, cli_env: dict[str, str]) -> None:
    """Four of the last six days, a different exercise each: with today, five days."""
    saved(
        data_dir,
        record(1 * DAY),
        record(2 * DAY, exercise_id="cable-row", exercise_name="Eccentric seated cable row"),
        record(3 * DAY, exercise_id="dumbbell-curl", exercise_name="Eccentric dumbbell curl"),
        record(4 * DAY, exercise_id="cable-row", exercise_name="Eccentric seated cable row"),
    )
    result = cli("advice", env=cli_env)
    assert result.returncode == 0
    names = [line for line in result.stdout.splitlines() if line.startswith("Eccentric")]
    assert names == [  # the library's order
        "Eccentric barbell squat",
        "Eccentric seated cable row",
        "Eccentric dumbbell curl",
    ]
    assert result.stdout.count("5 days of lowering work in the last 7") == 1
    save_in(data_dir, exercises=[], warn_frequency=False)
    assert "days of lowering work" not in cli("advice", env=cli_env).stdout


def test_a_first_session_tip_and_the_switches(data_dir: Path, cli_env: dict[str, str]) -> None:
    saved(data_dir, record(10 * DAY), record(6 * DAY))
    first = cli("advice", "-e", "rollout", env=cli_env)
    assert first.returncode == 0
    assert first.stdout.splitlines()[:2] == [
        "Physioball hamstring rollout",
        "  note: First session of this exercise: start light (a small load, or none) and "
        "learn the movement. Soreness from lowering work often shows a day or two later, so "
        "judge the load by how you feel then, not during the set.",
    ]
    assert NOT_MEDICAL_ADVICE in first.stdout
    save_in(data_dir, exercises=[], advice=False, first_session_tip=False)
    quiet = cli("advice", env=cli_env)
    assert quiet.stdout.splitlines() == [
        "Eccentric barbell squat",
        "  last time: 4-1-1-0 x 6 at 60 kg, RPE 7",
        "  nothing to suggest",
    ]
    assert "nothing to suggest" in cli("advice", "-e", "rollout", env=cli_env).stdout


def test_a_custom_exercise_and_one_kept_for_later(data_dir: Path, cli_env: dict[str, str]) -> None:
    save_in(data_dir, exercises=[ring_dip()])
    dip = record(3 * DAY, exercise_id="slow-ring-dip", exercise_name="Slow ring dip", load=None)
    saved(data_dir, dip)
    with Store.open(data_dir) as store:  # a session in the checkpoint: not saved yet
        store.checkpoint(record(2 * DAY, tempo="6-1-1-0", rpe=None))
    result = cli("advice", env=cli_env)
    assert result.returncode == 0
    assert "Eccentric barbell squat\n  last time: 6-1-1-0 x 6 at 60 kg\n" in result.stdout
    assert "Slow ring dip\n  last time: 4-1-1-0 x 6, RPE 7\n" in result.stdout, result.stdout


def test_no_history(data_dir: Path, cli_env: dict[str, str]) -> None:
    result = cli("advice", env=cli_env)
    assert result.returncode == 0 and result.stdout.startswith("No sessions saved yet")
    assert not data_dir.exists()  # advice creates nothing


def test_bad_options_are_one_line_naming_them(data_dir: Path, cli_env: dict[str, str]) -> None:
    for argv, named in (
        (["--soreness", "11"], "--soreness must be 0 to 10, got 11"),
        (["--soreness", "-1"], "--soreness must be 0 to 10, got -1"),
        (["--soreness", "sore"], "argument --soreness: invalid int value"),
        (["--exercise", "curl"], "--exercise: 'curl' matches 2 exercises"),
        (["--exercise", "plank"], "--exercise: no exercise matches 'plank'"),
    ):
        result = cli("advice", *argv, env=cli_env)
        assert result.returncode == 2 and result.stdout == ""
        assert len(result.stderr.splitlines()) == 1 and named in result.stderr, result.stderr


def test_a_data_folder_that_cannot_be_used(tmp_path: Path, cli_env: dict[str, str]) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder\n")
    for folder in (a_file, a_file / "data"):
        result = cli("--data-dir", str(folder), "advice", env=cli_env)
        assert result.returncode == 2 and result.stdout == ""
        assert (
            result.stderr.startswith("tempo-coach advice: ") and "is not a folder" in result.stderr
        )
