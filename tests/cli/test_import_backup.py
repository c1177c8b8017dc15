"""``tempo-coach import FILE`` as a user runs it: a real subprocess on real data folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tempo_coach.core.preferences import Preferences
from tempo_coach.store import Store
from tempo_coach.store.migrations import SCHEMA_VERSION
from tests.conftest import run_cli as cli
from tests.store.conftest import make_session
from tests.store.test_read_only import snapshot as every_file
from tests.store.test_store import custom_exercise


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes but the lock's, which holds the id of the last process that opened
    the folder (any command rewrites it)."""
    files = every_file(folder)
    files.pop("tempo-coach.lock", None)
    return files


SESSIONS = [
    make_session("a", "2026-02-01T10:00:00+01:00"),
    make_session("b", "2026-03-01T10:00:00+01:00"),
    make_session("c", "2026-03-05T10:00:00+01:00", sets=1),
]


@pytest.fixture
def backup(tmp_path: Path, cli_env: dict[str, str]) -> Path:
    """A backup made by ``history --format json`` of another data folder."""
    other = tmp_path / "other"
    with Store.open(other) as store:
        store.save_sessions(SESSIONS)
        store.save_custom_exercises([custom_exercise()])
        store.save_preferences(Preferences.defaults().with_values(count_in_seconds=6))
    made = cli("--data-dir", str(other), "history", "--format", "json", env=cli_env)
    assert made.returncode == 0 and made.stderr == ""
    path = tmp_path / "backup.json"
    path.write_text(made.stdout, "utf-8")
    return path


def test_import_adds_the_backup_and_a_second_import_adds_nothing(
    backup: Path, data_dir: Path, cli_env: dict[str, str]
) -> None:
    first = cli("import", str(backup), env=cli_env)
    assert first.returncode == 0, first.stderr
    assert first.stderr == ""
    lines = first.stdout.splitlines()
    assert lines[0].startswith("Backup of ") and lines[0].endswith(
        f"(format {SCHEMA_VERSION}): {backup}"
    )
    assert lines[1:] == [
        "Sessions: 3 new, 0 already here",
        "Custom exercises: 1 new, 0 already here",
        "Preferences: different from yours",
        "  (yours are kept; --preferences replaces them with the backup's)",
        "Imported 3 sessions and 1 custom exercise.",
    ]
    with Store.open(data_dir) as store:
        assert store.history() == SESSIONS
        assert store.custom_exercises() == [custom_exercise()]
        assert store.load_preferences() == Preferences.defaults()
    before = snapshot(data_dir)
    second = cli("import", str(backup), env=cli_env)
    assert second.returncode == 0
    assert "Sessions: 0 new, 3 already here" in second.stdout
    assert "Imported 0 sessions and 0 custom exercises." in second.stdout
    assert snapshot(data_dir) == before


def test_preferences_only_when_asked(backup: Path, data_dir: Path, cli_env: dict[str, str]) -> None:
    result = cli("import", str(backup), "--preferences", env=cli_env)
    assert result.returncode == 0
    assert result.stdout.splitlines()[-1] == (
        "Imported 3 sessions, 1 custom exercise and the preferences."
    )
    with Store.open(data_dir) as store:
        assert store.load_preferences().count_in_seconds == 6


def test_a_dry_run_changes_nothing(backup: Path, data_dir: Path, cli_env: dict[str, str]) -> None:
    with Store.open(data_dir) as store:
        store.save_session(SESSIONS[0])
    before = snapshot(data_dir)
    result = cli("import", str(backup), "--dry-run", "--preferences", env=cli_env)
    assert result.returncode == 0
    assert "Sessions: 2 new, 1 already here" in result.stdout
    assert result.stdout.splitlines()[-1] == "Nothing was imported (--dry-run)."
    assert snapshot(data_dir) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (lambda good: good[: len(good) // 2], "is incomplete: it stops in the middle"),
        (lambda good: b"date,session_id,exercise\n2026-01-01,a,Squat\n", "looks like a CSV"),
        (lambda good: b'{"hello": "world"}', "is not a Tempo Coach backup"),
        (
            lambda good: good.replace(
                f'"schema_version":{SCHEMA_VERSION}'.encode(),
                f'"schema_version":{SCHEMA_VERSION + 1}'.encode(),
            ),
            "written by a newer Tempo Coach",
        ),
    ],
    ids=["truncated", "a CSV", "a random JSON", "newer"],
)
def test_a_bad_file_exits_2_with_a_message_and_changes_nothing(
    content: object, message: str, backup: Path, data_dir: Path, cli_env: dict[str, str]
) -> None:
    with Store.open(data_dir) as store:
        store.save_session(make_session("mine"))
    bad = backup.with_name("bad.json")
    bad.write_bytes(content(backup.read_bytes()))  # type: ignore[operator]
    before = every_file(data_dir)
    result = cli("import", str(bad), env=cli_env)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"tempo-coach import: {bad} ")
    assert message in result.stderr and "Nothing was imported." in result.stderr
    assert "Traceback" not in result.stderr
    assert every_file(data_dir) == before  # the lock too: the store was not even opened


def test_a_missing_file_exits_2(tmp_path: Path, cli_env: dict[str, str]) -> None:
    result = cli("import", str(tmp_path / "nowhere.json"), env=cli_env)
    assert result.returncode == 2
    assert "could not be read: No such file or directory" in result.stderr


def test_while_the_window_runs_nothing_is_imported(
    backup: Path, data_dir: Path, cli_env: dict[str, str]
) -> None:
    with Store.open(data_dir) as running:
        running.save_session(make_session("mine"))
        before = snapshot(data_dir)
        result = cli("import", str(backup), env=cli_env)
        assert result.returncode == 1
        assert "Sessions: 3 new, 0 already here" in result.stdout  # the preview is shown
        assert "was not imported: another Tempo Coach" in result.stderr
        assert snapshot(data_dir) == before


def test_the_backup_file_itself_is_never_changed(backup: Path, cli_env: dict[str, str]) -> None:
    before = backup.read_bytes()
    cli("import", str(backup), "--preferences", env=cli_env)
    assert backup.read_bytes() == before
    assert json.loads(before)["kind"] == "tempo-coach-backup"
