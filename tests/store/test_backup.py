"""The backup (store/backup.py through Store): writing it, reading it back strictly, the
preview, and an import that adds only what is missing, each month written once."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tempo_coach.core.preferences import Preferences
from tempo_coach.core.records import SessionRecord
from tempo_coach.store import BackupError, Store, StoreError
from tempo_coach.store import files as store_files
from tempo_coach.store.codec import encode_exercise, encode_session
from tempo_coach.store.migrations import SCHEMA_VERSION
from tests.store.conftest import make_session
from tests.store.test_read_only import snapshot
from tests.store.test_store import custom_exercise

SESSIONS = [
    make_session("a", "2025-12-31T20:00:00+01:00"),
    make_session("b", "2026-01-02T07:30:00+01:00", load=None, sets=1),
    make_session("c", "2026-01-20T07:30:00+01:00", finished=False),
    make_session("d", "2026-03-01T10:00:00+01:00", exercise_id="cable-row", exercise_name="Row"),
]
PREFERENCES = Preferences.defaults().with_values(count_in_seconds=5, units="lb", volume=0.4)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A store with sessions in three months, a custom exercise and changed preferences."""
    folder = tmp_path / "source"
    with Store.open(folder) as store:
        store.save_sessions(SESSIONS)
        store.save_custom_exercises([custom_exercise()])
        store.save_preferences(PREFERENCES)
    return folder


@pytest.fixture
def backup_file(source: Path, tmp_path: Path) -> Path:
    path = tmp_path / "backup.json"
    with Store.open(source) as store:
        store.write_backup(path)
    return path


def test_the_backup_is_the_documented_json(backup_file: Path) -> None:
    data = backup_file.read_bytes()
    assert data.endswith(b"}\n") and data.count(b"\n") == 1  # compact, one line
    backup = json.loads(data)
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
    assert datetime.fromisoformat(backup["exported_at"]).utcoffset() is not None
    assert backup["sessions"] == [encode_session(s) for s in SESSIONS]  # the store's codec
    assert backup["custom_exercises"] == [encode_exercise(custom_exercise())]
    assert backup["preferences"] == PREFERENCES.as_dict()


def test_a_backup_imported_into_an_empty_store_gives_the_same_history(
    source: Path, backup_file: Path, tmp_path: Path
) -> None:
    with Store.open(tmp_path / "empty") as target:
        preview = target.read_backup(backup_file)
        assert preview.sessions_new == ("a", "b", "c", "d")
        assert preview.sessions_same == preview.sessions_conflicting == ()
        assert preview.exercises_new == ("nordic-curl",)
        assert preview.preferences_differ
        result = target.import_backup(preview, include_preferences=True)
        assert result.session_ids == ("a", "b", "c", "d")
        assert result.exercise_ids == ("nordic-curl",)
        assert result.preferences_replaced
    with Store.open(source) as original, Store.open(tmp_path / "empty") as imported:
        assert imported.problems == []
        assert imported.history() == original.history() == SESSIONS
        assert imported.summaries() == original.summaries()
        assert imported.custom_exercises() == original.custom_exercises()
        assert imported.load_preferences() == original.load_preferences() == PREFERENCES
    months = sorted(p.name for p in (tmp_path / "empty" / "history").glob("*.json"))
    assert months == ["2025-12.json", "2026-01.json", "2026-03.json", "index.json"]


def test_importing_twice_adds_nothing_the_second_time(backup_file: Path, tmp_path: Path) -> None:
    folder = tmp_path / "target"
    with Store.open(folder) as target:
        target.import_backup(target.read_backup(backup_file), include_preferences=True)
    before = snapshot(folder)
    with Store.open(folder) as target:
        preview = target.read_backup(backup_file)
        assert preview.sessions_new == () and preview.sessions_same == ("a", "b", "c", "d")
        assert preview.exercises_new == () and preview.exercises_same == ("nordic-curl",)
        assert not preview.preferences_differ
        result = target.import_backup(preview, include_preferences=True)
        assert result.session_ids == result.exercise_ids == ()
        assert not result.preferences_replaced
        assert len(target.history()) == 4
    assert snapshot(folder) == before  # not one byte written


def test_the_preview_sorts_new_same_and_different(backup_file: Path, tmp_path: Path) -> None:
    folder = tmp_path / "target"
    edited = replace(SESSIONS[1], note="my own note")
    with Store.open(folder) as target:
        target.save_sessions([SESSIONS[0], edited])
        target.save_custom_exercises([replace(custom_exercise(), name="Nordic (mine)")])
        preview = target.read_backup(backup_file)
        assert preview.sessions_new == ("c", "d")
        assert preview.sessions_same == ("a",)
        assert preview.sessions_conflicting == ("b",)
        assert preview.exercises_conflicting == ("nordic-curl",)
        assert preview.preferences_differ
        assert preview.lines()[1:] == [
            "Sessions: 2 new, 2 already here (1 identical, 1 different: those are kept as "
            "they are here)",
            "Custom exercises: 0 new, 1 already here (1 different: kept as they are here)",
            "Preferences: different from yours",
        ]
        result = target.import_backup(preview)  # preferences not asked for
        assert result.session_ids == ("c", "d") and result.exercise_ids == ()
        assert not result.preferences_replaced
        assert target.session("b") == edited  # the store's version is kept
        assert target.custom_exercises()[0].name == "Nordic (mine)"
        assert target.load_preferences() == Preferences.defaults()


def test_the_import_adds_what_is_missing_now_not_when_previewed(
    backup_file: Path, tmp_path: Path
) -> None:
    with Store.open(tmp_path / "target") as target:
        preview = target.read_backup(backup_file)
        mine = replace(SESSIONS[3], note="saved meanwhile")
        target.save_session(mine)
        result = target.import_backup(preview)
        assert result.session_ids == ("a", "b", "c")
        assert target.session("d") == mine


def test_an_import_writes_each_month_once(
    backup_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: Counter[str] = Counter()
    real_write = store_files.atomic_write

    def counting(path: Path, data: bytes, **options: Any) -> Any:
        written[path.name] += 1
        return real_write(path, data, **options)

    with Store.open(tmp_path / "target") as target:
        preview = target.read_backup(backup_file)
        monkeypatch.setattr(store_files, "atomic_write", counting)
        target.import_backup(preview, include_preferences=True)
        assert written == {
            "2025-12.json": 1,
            "2026-01.json": 1,
            "2026-03.json": 1,
            "exercises.json": 1,
            "preferences.json": 1,
        }
    assert written["index.json"] == 1  # at close(), as after any save


def test_a_backup_of_some_sessions(source: Path, tmp_path: Path) -> None:
    with Store.open(source) as store:
        store.write_backup(tmp_path / "part.json", session_ids=["d", "a"])
        with pytest.raises(StoreError, match="no saved session 'zzz'"):
            store.write_backup(tmp_path / "none.json", session_ids=["zzz"])
    assert not (tmp_path / "none.json").exists()
    with Store.open(tmp_path / "target") as target:
        assert target.read_backup(tmp_path / "part.json").sessions_new == ("a", "d")


def test_an_older_format_backup_is_upgraded_on_import(tmp_path: Path) -> None:
    """Backups began in format 3; an older one (none exists yet) would go through the
    store's own migrations, like a month file: here a format 2 session keeps its plan in
    ``extra``."""
    old_session = encode_session(replace(SESSIONS[0], planned=None))
    old_session["extra"] = {"sets_planned": "4", "rest_s": "90"}
    document = {
        "kind": "tempo-coach-backup",
        "schema_version": 2,
        "exported_at": "2025-06-01T10:00:00+02:00",
        "sessions": [old_session],
        "custom_exercises": [],
        "preferences": {},
    }
    (tmp_path / "old.json").write_text(json.dumps(document), "utf-8")
    with Store.open(tmp_path / "target") as target:
        preview = target.read_backup(tmp_path / "old.json")
        assert preview.backup.schema_version == 2
        target.import_backup(preview)
        [imported] = target.history()
        assert imported.planned is not None
        assert (imported.planned.sets, imported.planned.rest_ms) == (4, 90_000)
        assert imported.extra == {}


def test_an_old_heavy_session_travels_through_a_backup(tmp_path: Path) -> None:
    heavy = make_session("heavy", "2026-01-10T10:00:00+01:00", load=5000.0)
    document = {"schema_version": SCHEMA_VERSION, "kind": "history", "month": "2026-01"}
    document["sessions"] = [encode_session(heavy)]  # type: ignore[assignment]
    (tmp_path / "old" / "history").mkdir(parents=True)
    (tmp_path / "old" / "history" / "2026-01.json").write_text(json.dumps(document), "utf-8")
    with Store.open(tmp_path / "old") as old:
        old.write_backup(tmp_path / "backup.json")
    with Store.open(tmp_path / "new") as new:
        new.import_backup(new.read_backup(tmp_path / "backup.json"))
        assert new.history() == [heavy]


# -- files that cannot be imported -------------------------------------------------------------


def _edit(change: Callable[[dict[str, Any]], Any]) -> Callable[[bytes], bytes]:
    def edited(good: bytes) -> bytes:
        document = json.loads(good)
        change(document)
        return json.dumps(document).encode()

    return edited


BAD: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "truncated": (lambda good: good[: len(good) // 2], "is incomplete: it stops in the middle"),
    "cut at the end": (lambda good: good[:-3], "is incomplete"),
    "cut in a text": (lambda good: good[: good.index(b"felt strong") + 4], "is incomplete"),
    "empty": (lambda good: b"", "not a Tempo Coach backup: the file is empty"),
    "garbage": (
        lambda good: b"\x89PNG\r\n\x1a\n\x00\x00IHDR\xff",
        "not a Tempo Coach backup: it is not a text file",
    ),
    "NUL block": (lambda good: good[:50] + b"\x00" * 512 + good[50:], "damaged: it contains NUL"),
    "not UTF-8": (lambda good: b'{"kind": "\xff\xfe"}', "not UTF-8 text"),
    "not JSON": (lambda good: b"hello: world\n", "not valid JSON"),
    "a CSV export": (
        lambda good: b"date,session_id,exercise_id,exercise,set\n2026-03-01,a,squat,Squat,1\n",
        "looks like a CSV file",
    ),
    "a random JSON": (
        lambda good: b'{"name": "Ada", "age": 36}',
        'no "kind": "tempo-coach-backup"',
    ),
    "another app's file": (
        lambda good: b'{"kind": "strong-app-export", "workouts": []}',
        'no "kind": "tempo-coach-backup"',
    ),
    "the old JSON list": (lambda good: b'[{"session_id": "a"}]', "it is a JSON list"),
    "a store file": (
        lambda good: (
            b'{"schema_version": 3, "kind": "history", "month": "2026-01", "sessions": []}'
        ),
        "one of Tempo Coach's own data files (kind 'history')",
    ),
    "a newer format": (
        _edit(lambda d: d.update(schema_version=SCHEMA_VERSION + 1)),
        f"written by a newer Tempo Coach (format {SCHEMA_VERSION + 1}; this one knows up to "
        f"{SCHEMA_VERSION}): update Tempo Coach",
    ),
    "no version": (_edit(lambda d: d.pop("schema_version")), "schema_version is not valid"),
    "a field missing": (_edit(lambda d: d.pop("preferences")), "'preferences' is missing"),
    "an unknown field": (_edit(lambda d: d.update(photos=[])), "unknown field 'photos'"),
    "a bad session": (
        _edit(lambda d: d["sessions"][2].update(rpe=11)),
        "session 3.rpe: must be 1 to 10",
    ),
    "a session twice": (
        _edit(lambda d: d["sessions"].append(d["sessions"][0])),
        "session 5: the id 'a' appears twice",
    ),
    "a bad exercise": (
        _edit(lambda d: d["custom_exercises"][0].update(default_reps=-1)),
        "custom exercise 1",
    ),
    "a bad preference": (
        _edit(lambda d: d["preferences"].update(volume=7)),
        "its preferences: Volume: must be 0 to 1, got 7",
    ),
    "sessions not a list": (_edit(lambda d: d.update(sessions={})), "'sessions' is not a list"),
    "NaN": (
        lambda good: good.replace(b'"volume":0.4', b'"volume":NaN'),
        "is damaged: the number NaN is not allowed",
    ),
}


@pytest.mark.parametrize("bad", list(BAD))
def test_a_file_that_is_not_a_whole_backup_is_refused_and_nothing_changes(
    bad: str, backup_file: Path, tmp_path: Path
) -> None:
    damage, message = BAD[bad]
    broken = tmp_path / "broken.json"
    broken.write_bytes(damage(backup_file.read_bytes()))
    folder = tmp_path / "target"
    with Store.open(folder) as target:
        target.save_session(make_session("mine"))
    before = snapshot(folder)
    with Store.open(folder) as target:
        with pytest.raises(BackupError) as refused:
            target.read_backup(broken)
        assert message in str(refused.value)
        assert str(broken) in str(refused.value)
        assert "Traceback" not in str(refused.value)
        assert isinstance(refused.value, StoreError)
        assert [s.session_id for s in target.history()] == ["mine"]
    assert snapshot(folder) == before


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with (
        Store.open(tmp_path / "target") as target,
        pytest.raises(BackupError, match="could not be read: No such file"),
    ):
        target.read_backup(tmp_path / "nowhere.json")


# -- stores that cannot import or back up ------------------------------------------------------


def test_a_read_only_store_previews_but_refuses_the_import(
    backup_file: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "target"
    with Store.open(folder) as running:
        running.save_session(make_session("mine"))
        before = snapshot(folder)
        with Store.open(folder) as second:
            preview = second.read_backup(backup_file)  # reading changes nothing: allowed
            assert len(preview.sessions_new) == 4
            with pytest.raises(StoreError) as refused:
                second.import_backup(preview, include_preferences=True)
            assert str(refused.value).startswith("The backup backup.json was not imported: ")
            assert str(refused.value).endswith(second.read_only_reason or "?")
            second.write_backup(tmp_path / "from-second.json")  # a backup is a read
        assert snapshot(folder) == before
    with Store.open(tmp_path / "other") as other:
        assert other.read_backup(tmp_path / "from-second.json").sessions_new == ("mine",)


def test_a_store_holding_a_newer_file_writes_no_backup(source: Path, tmp_path: Path) -> None:
    march = source / "history" / "2026-03.json"
    document = json.loads(march.read_bytes())
    document["schema_version"] = SCHEMA_VERSION + 1
    march.write_text(json.dumps(document), "utf-8")
    with Store.open(source) as store:
        assert store.read_only
        with pytest.raises(StoreError, match="newer Tempo Coach and this one cannot read all"):
            store.write_backup(tmp_path / "backup.json")
    assert not (tmp_path / "backup.json").exists()


def test_an_unavailable_store_writes_no_backup(tmp_path: Path) -> None:
    store = Store.unavailable("the disk is gone", tmp_path / "data")
    with pytest.raises(StoreError, match="The backup was not written: the disk is gone"):
        store.write_backup(tmp_path / "backup.json")
    assert list(tmp_path.iterdir()) == []


def test_sessions_in_a_backup_are_records_like_the_stores(
    backup_file: Path, tmp_path: Path
) -> None:
    with Store.open(tmp_path / "target") as target:
        sessions: tuple[SessionRecord, ...] = target.read_backup(backup_file).backup.sessions
    assert list(sessions) == SESSIONS
