"""Older formats still load: the fixture folder was written by the format 1 store (commit
2bf958e) and must load completely, then be saved in today's format."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tempo_coach.store import Store
from tempo_coach.store.migrations import SCHEMA_VERSION, MigrationError, migrate
from tests.store.conftest import make_session
from tests.store.test_store import custom_exercise

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def v1_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "v1"
    shutil.copytree(FIXTURES / "v1", folder)
    return folder


def test_every_fixture_version_is_older_than_today() -> None:
    versions = {int(p.name[1:]) for p in FIXTURES.iterdir() if p.name.startswith("v")}
    assert versions == set(range(1, SCHEMA_VERSION))  # one fixture folder per older version


def test_a_format_1_folder_loads_completely(v1_folder: Path) -> None:
    for path in v1_folder.rglob("*.json"):
        assert json.loads(path.read_text("utf-8"))["schema_version"] == 1
    with Store.open(v1_folder) as store:
        assert store.problems == []
        assert not store.read_only
        assert store.history() == [
            make_session("v1-a", "2024-05-06T18:00:00+02:00"),
            make_session("v1-b", "2024-05-09T18:00:00+02:00", load=None, sets=1),
            make_session("v1-c", "2024-06-01T09:15:00+02:00", exercise_id="cable-row"),
        ]
        assert store.pending_checkpoint() == make_session(
            "v1-d", "2024-06-03T09:15:00+02:00", finished=False, sets=1, reps=2
        )
        preferences = store.load_preferences()
        assert (preferences["count_in_seconds"], preferences["units"]) == (5, "lb")
        assert preferences["volume"] == 0.5
        assert store.custom_exercises() == [custom_exercise()]


def test_an_old_file_is_rewritten_in_todays_format_only_when_saved(v1_folder: Path) -> None:
    may = v1_folder / "history" / "2024-05.json"
    june = v1_folder / "history" / "2024-06.json"
    june_before = june.read_bytes()
    with Store.open(v1_folder) as store:
        store.save_session(make_session("new", "2024-05-20T18:00:00+02:00"))
    assert json.loads(may.read_text("utf-8"))["schema_version"] == SCHEMA_VERSION
    assert june.read_bytes() == june_before  # untouched until something is saved there
    assert json.loads((may.parent / "2024-05.json.bak").read_text())["schema_version"] == 1
    with Store.open(v1_folder) as store:
        assert [s.session_id for s in store.history()] == ["v1-a", "v1-b", "new", "v1-c"]


def test_a_damaged_old_session_is_dropped_alone(v1_folder: Path) -> None:
    may = v1_folder / "history" / "2024-05.json"
    document = json.loads(may.read_text("utf-8"))
    del document["sessions"][0]["sets"][0]["reps"][0]["phases"][0]["planned_ms"]
    may.write_text(json.dumps(document), encoding="utf-8")
    with Store.open(v1_folder) as store:
        assert len(store.problems) == 1 and "session 1 was dropped" in store.problems[0]
        assert [s.session_id for s in store.history()] == ["v1-b", "v1-c"]


def test_a_document_that_cannot_be_migrated_is_an_error() -> None:
    with pytest.raises(MigrationError):
        migrate("history", {"schema_version": 1, "kind": "history"})
