"""Older formats still load: each fixture folder was written by the store of its format
(format 1: commit 2bf958e; format 2: commit c86d9cd, by fixtures/make_v2.py; format 3:
commit 67aeaa3, by fixtures/make_v3.py) and must load completely, then be saved in today's
format."""

from __future__ import annotations

import errno
import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tempo_coach.core.exercise import SideMode
from tempo_coach.core.records import LastUsed, LoadUnit, PlannedSession, SessionSummary
from tempo_coach.store import Store, StoreError
from tempo_coach.store import files as files_module
from tempo_coach.store.documents import migration_folder
from tempo_coach.store.migrations import SCHEMA_VERSION, MigrationError, migrate
from tests.store.conftest import make_coached_session, make_session
from tests.store.test_store import custom_exercise

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def v1_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "v1"
    shutil.copytree(FIXTURES / "v1", folder)
    return folder


@pytest.fixture
def v2_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "v2"
    shutil.copytree(FIXTURES / "v2", folder)
    return folder


@pytest.fixture
def v3_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "v3"
    shutil.copytree(FIXTURES / "v3", folder)
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
        assert (preferences.count_in_seconds, preferences.units) == (5, "lb")
        assert preferences.volume == 0.5
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


# -- format 2 -> 3: the plan leaves extra ---------------------------------------------------

V2_PLANS = {
    # The window wrote all four texts.
    "v2-window": (PlannedSession("3-1-1-0", 5, 3, 90_000, 5_000), {}),
    # Stopped after two of four sets: the plan still says four.
    "v2-stopped": (PlannedSession("4-0-1-1", 6, 4, 60_000, 3_000), {}),
    # The command line wrote no extra: derived from the sets.
    "v2-cli": (PlannedSession("5-0-1-1", 4, 2), {}),
    "v2-heavy": (PlannedSession("4-0-1-1", 3, 1), {}),
    # No sets, no extra: nothing known.
    "v2-empty": (None, {}),
    # A text that is not the plan's stays.
    "v2-other-extra": (PlannedSession("5-0-X-1", 5, 2, 120_000, 3_000), {"gym": "home"}),
}


def test_a_format_2_folder_loads_completely(v2_folder: Path) -> None:
    for path in v2_folder.rglob("*.json"):
        assert json.loads(path.read_text("utf-8"))["schema_version"] == 2
    with Store.open(v2_folder) as store:
        assert store.problems == []
        assert not store.read_only
        history = store.history()
        assert [s.session_id for s in history] == list(V2_PLANS)
        for record in history:
            assert (record.planned, record.extra) == V2_PLANS[record.session_id]
        stopped = store.session("v2-stopped")
        assert stopped is not None and not stopped.finished
        assert (stopped.sets_planned, stopped.sets_left) == (4, 2)
        assert stopped.sets[0].ended_early and stopped.sets[0].side is not None
        heavy = store.session("v2-heavy")
        assert heavy is not None and heavy.sets[0].load == 1500.0  # above today's LOAD_MAX
        cli = store.session("v2-cli")
        assert cli is not None and cli.sets[0].load_unit is LoadUnit.LB
        checkpoint = store.pending_checkpoint()
        assert checkpoint is not None and checkpoint.session_id == "v2-progress"
        assert checkpoint.planned == PlannedSession("4-1-1-0", 6, 3, 120_000, 3_000)
        assert (checkpoint.extra, checkpoint.sets_left) == ({}, 2)
        assert store.last_used("barbell-squat") == LastUsed(
            tempo="4-1-1-0", reps=5, sets=3, rest_s=90, load=60.0, load_unit=LoadUnit.KG
        )
        preferences = store.load_preferences()
        assert (preferences.count_in_seconds, preferences.units, preferences.volume) == (
            5,
            "lb",
            0.5,
        )
        assert store.custom_exercises() == [custom_exercise()]
    # The format 2 index was ignored without a word and rebuilt; no data file was rewritten.
    index = json.loads((v2_folder / "history" / "index.json").read_bytes())
    assert index["schema_version"] == SCHEMA_VERSION
    assert [json.loads(p.read_bytes())["schema_version"] for p in v2_folder.glob("*.json")] == [
        2,
        2,
        2,
    ]
    assert not list(v2_folder.rglob("before-format-*"))


def test_the_plan_moves_out_of_extra_in_the_json(v2_folder: Path) -> None:
    november = json.loads((v2_folder / "history" / "2025-11.json").read_text("utf-8"))
    window = november["sessions"][0]
    assert window["extra"] == {
        "sets_planned": "3",
        "rest_s": "90",
        "count_in_s": "5",
        "tempo_planned": "3-1-1-0",
    }
    [migrated, _] = migrate("history", november)["sessions"]
    assert migrated["planned"] == ["3-1-1-0", 5, 3, 90_000, 5_000, None]
    assert "extra" not in migrated
    assert migrated["sets"] == window["sets"]
    assert list(migrated) == [  # the order today's encoder writes
        "session_id", "exercise_id", "exercise_name", "started_at", "rpe", "note",
        "planned", "sets",
    ]  # fmt: skip


def test_a_format_2_file_round_trips_through_format_3(v2_folder: Path) -> None:
    november = v2_folder / "history" / "2025-11.json"
    december = v2_folder / "history" / "2025-12.json"
    december_before = december.read_bytes()
    with Store.open(v2_folder) as store:
        before = store.history()
        added = make_session("new", "2025-11-20T18:00:00+01:00")
        store.save_session(added)
    document = json.loads(november.read_text("utf-8"))
    assert document["schema_version"] == SCHEMA_VERSION
    for session in document["sessions"]:
        assert not {"sets_planned", "rest_s", "count_in_s", "tempo_planned"} & set(
            session.get("extra", {})
        )
    assert document["sessions"][0]["planned"] == ["3-1-1-0", 5, 3, 90_000, 5_000, None]
    assert december.read_bytes() == december_before  # not saved into: left in format 2
    with Store.open(v2_folder) as store:
        assert store.problems == []
        assert store.history() == sorted([*before, added], key=lambda s: s.started_at)


def session_v2(**changes: Any) -> dict[str, Any]:
    """A format 2 session as JSON, with one set of five reps."""
    session: dict[str, Any] = {
        "session_id": "s",
        "exercise_id": "barbell-squat",
        "exercise_name": "Squat",
        "started_at": "2025-11-03T18:00:00+01:00",
        "sets": [[1, "2025-11-03T18:00:00+01:00", "3-1-1-0", "4-1-1-0", 5, "1-5:e3000", 60.0]],
    }
    session.update(changes)
    return {key: value for key, value in session.items() if value is not None}


def migrated_v2(session: Any) -> Any:
    document = {"schema_version": 2, "kind": "history", "sessions": [session]}
    [result] = migrate("history", document)["sessions"]
    return result


@pytest.mark.parametrize(
    ("extra", "planned", "left"),
    [
        # Everything the window wrote.
        (
            {"sets_planned": "4", "rest_s": "60", "count_in_s": "3", "tempo_planned": "5-1-1-0"},
            ["5-1-1-0", 5, 4, 60_000, 3_000, None],
            None,
        ),
        # Nothing: derived from the first set; rest and count-in unknown.
        (None, ["3-1-1-0", 5, 1, None, None, None], None),
        # A zero is a value, not a missing one.
        ({"rest_s": "0", "count_in_s": "0"}, ["3-1-1-0", 5, 1, 0, 0, None], None),
        # Not numbers this step can use: kept in extra, the rest derived.
        (
            {"sets_planned": "four", "rest_s": "-5", "count_in_s": "1e3", "gym": "home"},
            ["3-1-1-0", 5, 1, None, None, None],
            {"sets_planned": "four", "rest_s": "-5", "count_in_s": "1e3", "gym": "home"},
        ),
        # Out of format 3's range (a day): kept in extra rather than refused by the codec.
        ({"rest_s": "90000"}, ["3-1-1-0", 5, 1, None, None, None], {"rest_s": "90000"}),
    ],
)
def test_the_plan_from_format_2_texts(
    extra: dict[str, str] | None, planned: list[Any], left: dict[str, str] | None
) -> None:
    result = migrated_v2(session_v2(extra=extra))
    assert result["planned"] == planned
    assert result.get("extra") == left
    from tempo_coach.store import codec

    codec.decode_session(result)  # what the step writes always decodes


def test_a_session_without_sets_keeps_its_extra_and_has_no_plan() -> None:
    extra = {"sets_planned": "3", "rest_s": "90"}
    result = migrated_v2(session_v2(sets=[], extra=extra))
    assert "planned" not in result and result["extra"] == extra


def test_a_damaged_format_2_session_is_passed_on_unchanged_and_dropped_alone(
    v2_folder: Path,
) -> None:
    for damaged in (session_v2(sets={"1": 2}), session_v2(extra=["a"]), "not a session"):
        assert migrated_v2(damaged) == damaged
    november = v2_folder / "history" / "2025-11.json"
    document = json.loads(november.read_text("utf-8"))
    document["sessions"][0]["sets"] = {"not": "a list"}
    november.write_text(json.dumps(document), encoding="utf-8")
    with Store.open(v2_folder) as store:
        [problem] = store.problems
        assert "session 1 was dropped" in problem and "sets" in problem
        assert "v2-window" not in [s.session_id for s in store.history()]
        assert "v2-stopped" in [s.session_id for s in store.history()]


# -- a copy of every file before its first rewrite in a newer format --------------------------

DAY = "2026-11-27"


@pytest.fixture
def fixed_day(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(files_module, "today", lambda: DAY)
    return DAY


def copy_of(path: Path, number: int = 1) -> Path:
    return migration_folder(path.parent, SCHEMA_VERSION, DAY, number) / path.name


def test_every_old_file_is_copied_before_its_first_rewrite(v2_folder: Path, fixed_day: str) -> None:
    original = {p: p.read_bytes() for p in v2_folder.rglob("*.json")}
    november = v2_folder / "history" / "2025-11.json"
    december = v2_folder / "history" / "2025-12.json"
    with Store.open(v2_folder) as store:
        assert not list(v2_folder.rglob("before-format-*"))  # reading copies nothing
        store.save_session(make_session("new", "2025-11-20T18:00:00+01:00"))
        store.save_preferences(store.load_preferences().with_values(volume=0.3))
        store.save_custom_exercises([])
        store.checkpoint(make_session("now", "2025-12-20T18:00:00+01:00", finished=False))
        store.save_session(make_session("newer", "2025-11-21T18:00:00+01:00"))  # no new copy
    rewritten = [
        november,
        v2_folder / "preferences.json",
        v2_folder / "exercises.json",
        v2_folder / "checkpoint.json",
    ]
    for path in rewritten:
        assert json.loads(path.read_bytes())["schema_version"] == SCHEMA_VERSION
        assert copy_of(path).read_bytes() == original[path]  # byte for byte
    copies = sorted(p.relative_to(v2_folder) for p in v2_folder.rglob("before-format-*/*"))
    assert copies == sorted(copy_of(p).relative_to(v2_folder) for p in rewritten)
    assert december.read_bytes() == original[december]  # never rewritten, never copied
    with Store.open(v2_folder) as store:  # the copies are not taken for months
        assert store.problems == []
        assert len(store.history()) == len(V2_PLANS) + 2


def test_a_format_1_file_is_copied_before_its_first_rewrite(
    v1_folder: Path, fixed_day: str
) -> None:
    may = v1_folder / "history" / "2024-05.json"
    before = may.read_bytes()
    with Store.open(v1_folder) as store:
        store.save_session(make_session("new", "2024-05-20T18:00:00+02:00"))
    assert copy_of(may).read_bytes() == before
    assert json.loads(copy_of(may).read_bytes())["schema_version"] == 1


def test_an_existing_copy_is_never_overwritten(v2_folder: Path, fixed_day: str) -> None:
    november = v2_folder / "history" / "2025-11.json"
    before = november.read_bytes()
    other = copy_of(november)
    other.parent.mkdir()
    other.write_bytes(b"a copy made by another day's upgrade")
    same = copy_of(v2_folder / "preferences.json")
    same.parent.mkdir()
    same.write_bytes((v2_folder / "preferences.json").read_bytes())
    with Store.open(v2_folder) as store:
        store.save_session(make_session("new", "2025-11-20T18:00:00+01:00"))
        store.save_preferences(store.load_preferences().with_values(volume=0.3))
    assert other.read_bytes() == b"a copy made by another day's upgrade"
    assert copy_of(november, 2).read_bytes() == before  # the next folder of that day
    assert not copy_of(v2_folder / "preferences.json", 2).exists()  # identical: reused


def test_a_link_where_the_copies_go_is_never_written_through(
    v2_folder: Path, fixed_day: str, tmp_path: Path
) -> None:
    """A ``before-format-...`` name that is a link (to a folder anywhere) is passed over:
    the copy goes to the next folder of that day, a folder of its own (issue 12)."""
    november = v2_folder / "history" / "2025-11.json"
    before = november.read_bytes()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    copy_of(november).parent.symlink_to(elsewhere)
    with Store.open(v2_folder) as store:
        store.save_session(make_session("new", "2025-11-20T18:00:00+01:00"))
    assert list(elsewhere.iterdir()) == []
    assert copy_of(november, 2).read_bytes() == before
    assert copy_of(november).parent.is_symlink()  # left as it was


def test_a_save_is_refused_when_the_copy_cannot_be_made(
    v2_folder: Path, fixed_day: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    november = v2_folder / "history" / "2025-11.json"
    before = november.read_bytes()
    real_copy = shutil.copyfileobj

    def no_space(source: Any, target: Any, *args: Any) -> Any:
        # The only copy here is the one before the migration, into a temporary of its own.
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copyfileobj", no_space)
    with Store.open(v2_folder) as store:
        added = make_session("new", "2025-11-20T18:00:00+01:00")
        with pytest.raises(StoreError, match="older format and could not be copied aside"):
            store.save_session(added)
        assert november.read_bytes() == before  # left as it is
        assert not list(v2_folder.rglob(".*.tmp-*"))  # no half copy left behind
        monkeypatch.setattr(shutil, "copyfileobj", real_copy)
        store.save_session(added)
    assert copy_of(november).read_bytes() == before


def test_a_damaged_old_file_is_copied_before_it_is_repaired(
    v2_folder: Path, fixed_day: str
) -> None:
    november = v2_folder / "history" / "2025-11.json"
    document = json.loads(november.read_text("utf-8"))
    document["sessions"][1]["rpe"] = 99
    november.write_text(json.dumps(document), encoding="utf-8")
    damaged = november.read_bytes()
    with Store.open(v2_folder) as store:
        [problem] = store.problems
        assert "session 2 was dropped" in problem
    assert json.loads(november.read_bytes())["schema_version"] == SCHEMA_VERSION  # repaired
    assert copy_of(november).read_bytes() == damaged
    [corrupt] = november.parent.glob("2025-11.json.corrupt-*")
    assert corrupt.read_bytes() == damaged


# -- format 3 -> 4: coaching data (issue 14) ----------------------------------------------------

V3_PLANS = {
    "v3-window": PlannedSession("3-1-1-0", 5, 3, 90_000, 5_000, SideMode.BOTH),
    "v3-stopped": PlannedSession("4-0-1-1", 6, 4, 60_000, 3_000, SideMode.PER_SET),
    "v3-cli": PlannedSession("5-0-1-1", 4, 2, 30_000, 0, SideMode.ALTERNATE_REPS),
    "v3-custom": PlannedSession("5-0-X-1", 5, 2, 120_000, 3_000, SideMode.BOTH),
}


def test_a_format_3_folder_loads_completely(v3_folder: Path) -> None:
    for path in v3_folder.rglob("*.json"):
        assert json.loads(path.read_text("utf-8"))["schema_version"] == 3
    before = {p: p.read_bytes() for p in v3_folder.rglob("*.json") if p.name != "index.json"}
    with Store.open(v3_folder) as store:
        assert store.problems == []
        assert not store.read_only
        history = store.history()
        assert [s.session_id for s in history] == list(V3_PLANS)
        for record in history:
            assert record.planned == V3_PLANS[record.session_id]
            assert record.soreness is None  # not asked in format 3
            for s in record.sets:
                assert (s.tap_mode, s.negative_only) == (False, False)
                assert all(r.lowering_tapped_ms is None for r in s.reps)
        window = store.session("v3-window")
        assert window is not None and (window.rpe, window.note) == (8, "deep and slow")
        assert [len(s.live_changes) for s in window.sets] == [0, 1, 0]
        assert window.time_under_tension_ms == 5 * 5000 + 3 * 5000 + 2 * 6000 + 5 * 6000
        stopped = store.session("v3-stopped")
        assert stopped is not None and stopped.sets[0].ended_early and stopped.sets_left == 2
        custom = store.session("v3-custom")
        assert custom is not None and custom.extra == {"gym": "home"}
        cli = store.session("v3-cli")
        assert cli is not None and cli.sets[0].load_unit is LoadUnit.LB
        summaries = store.summaries()
        assert summaries == [SessionSummary.of(r) for r in history]
        assert {(s.negative_only_sets, s.taps, s.taps_missing, s.soreness) for s in summaries} == {
            (0, 0, 0, None)
        }
        checkpoint = store.pending_checkpoint()
        assert checkpoint is not None and checkpoint.session_id == "v3-progress"
        assert checkpoint.sets_left == 2
        assert store.custom_exercises() == [custom_exercise()]
        assert store.custom_exercises()[0].muscles == ()
        preferences = store.load_preferences()
        assert (preferences.count_in_seconds, preferences.units, preferences.volume) == (
            5,
            "lb",
            0.5,
        )
        assert preferences.tap_mode is False  # a preference format 3 did not have: default
    # Reading rewrote no data file; the format 3 index was rebuilt in format 4.
    assert {p: p.read_bytes() for p in before} == before
    index = json.loads((v3_folder / "history" / "index.json").read_bytes())
    assert index["schema_version"] == SCHEMA_VERSION == 4
    assert index["columns"]["soreness"] == [None] * 4
    assert not list(v3_folder.rglob("before-format-*"))


def test_format_3_to_4_in_the_json(v3_folder: Path) -> None:
    exercises = json.loads((v3_folder / "exercises.json").read_text("utf-8"))
    assert "muscles" not in exercises["exercises"][0]
    migrated = migrate("exercises", exercises)
    assert migrated["schema_version"] == 4
    assert migrated["exercises"][0] == {**exercises["exercises"][0], "muscles": []}
    # Damaged exercises are passed on as they are (the loader drops and reports them).
    assert migrate("exercises", {"schema_version": 3, "kind": "exercises", "exercises": [7]})[
        "exercises"
    ] == [7]
    broken = {"schema_version": 3, "kind": "exercises", "exercises": {"a": 1}}
    assert migrate("exercises", broken)["exercises"] == {"a": 1}
    # Month files and the checkpoint are valid format 4 as they are: only the number moves.
    for path in [*v3_folder.glob("history/20*.json"), v3_folder / "checkpoint.json"]:
        document = json.loads(path.read_text("utf-8"))
        kind = document["kind"]
        assert migrate(kind, document) == {**document, "schema_version": 4}


def test_a_format_3_folder_saves_in_format_4_with_copies(v3_folder: Path, fixed_day: str) -> None:
    october = v3_folder / "history" / "2026-10.json"
    september = v3_folder / "history" / "2026-09.json"
    original = {p: p.read_bytes() for p in v3_folder.rglob("*.json")}
    coached = make_coached_session("new", "2026-10-20T18:00:00+01:00")
    with Store.open(v3_folder) as store:
        before = store.history()
        store.save_session(coached)
        store.save_custom_exercises([replace(custom_exercise(), muscles=("hamstrings", "glutes"))])
    for path in (october, v3_folder / "exercises.json"):
        assert json.loads(path.read_bytes())["schema_version"] == SCHEMA_VERSION
        assert copy_of(path).read_bytes() == original[path]  # byte for byte, before format 4
    assert september.read_bytes() == original[september]  # not saved into: still format 3
    saved = json.loads(october.read_bytes())["sessions"][-1]
    assert saved["soreness"] == 3 and saved["planned"][6:] == [True, True]
    with Store.open(v3_folder) as store:
        assert store.problems == []
        assert store.history() == [*before, coached]
        assert store.session("new") == coached
        summary = store.summaries()[-1]
        assert summary == SessionSummary.of(coached)
        assert (summary.taps, summary.taps_on_tempo, summary.taps_fast) == (4, 2, 1)
        assert (summary.taps_missing, summary.negative_only_sets, summary.soreness) == (1, 1, 3)
        assert store.custom_exercises()[0].muscles == ("hamstrings", "glutes")
    with Store.open(v3_folder) as store:  # a third start: the summaries come from the index
        assert store.summaries()[-1] == SessionSummary.of(coached)
