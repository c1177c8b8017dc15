"""Damaged files: each kind of damage is reported, its bytes are kept, and what can be saved
is saved (from the readable part and the last good backup)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tempo_coach.store import Store
from tempo_coach.store.migrations import SCHEMA_VERSION
from tests.store.bad_files import DAMAGE, file_bytes
from tests.store.conftest import make_session

FIRST = make_session("first", "2026-03-01T10:00:00+01:00")
SECOND = make_session("second", "2026-03-05T10:00:00+01:00")
OTHER_MONTH = make_session("april", "2026-04-02T10:00:00+02:00")


def populated(store_dir: Path) -> Path:
    """A folder with two sessions in March (so March has a backup holding the first) and
    one in April. Returns the March file."""
    with Store.open(store_dir) as store:
        store.save_session(FIRST)
        store.save_session(SECOND)
        store.save_session(OTHER_MONTH)
    return store_dir / "history" / "2026-03.json"


def corrupt_copies(path: Path) -> list[Path]:
    return sorted(path.parent.glob(path.name + ".corrupt-*"))


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_month_is_kept_aside_and_its_backup_used(damage: str, store_dir: Path) -> None:
    march = populated(store_dir)
    DAMAGE[damage](march.read_bytes(), march)
    damaged = file_bytes(march)

    with Store.open(store_dir) as store:
        assert not store.read_only
        [problem] = store.problems
        copies = corrupt_copies(march)
        assert len(copies) == 1
        assert file_bytes(copies[0]) == damaged  # the original bytes, exactly
        assert "2026-03" in problem and str(copies[0]) in problem
        # The backup held the first session; the second was only in the damaged file
        # (unless the damage left it readable, as when one session's number is bad).
        ids = [s.session_id for s in store.history()]
        assert ids[0] == "first" and ids[-1] == "april"
        # Saving goes on and repairs the month.
        store.save_session(make_session("third", "2026-03-09T10:00:00+01:00"))

    with Store.open(store_dir) as again:
        assert again.problems == []
        assert "third" in [s.session_id for s in again.history()]
        assert file_bytes(corrupt_copies(march)[0]) == damaged


def test_one_bad_session_costs_only_that_session(store_dir: Path) -> None:
    march = populated(store_dir)
    document = json.loads(march.read_bytes())
    document["sessions"][0]["rpe"] = 99  # the first session; the second stays good
    (store_dir / "history" / "2026-03.json.bak").unlink()  # no backup to help
    march.write_text(json.dumps(document), encoding="utf-8")
    with Store.open(store_dir) as store:
        [problem] = store.problems
        assert "session 1 was dropped" in problem and "rpe" in problem
        assert [s.session_id for s in store.history()] == ["second", "april"]


def test_a_damaged_file_without_backup_is_reported_and_not_copied_twice(store_dir: Path) -> None:
    with Store.open(store_dir) as store:
        store.save_session(OTHER_MONTH)
    april = store_dir / "history" / "2026-04.json"
    april.write_bytes(b"{")
    for _ in range(2):
        with Store.open(store_dir) as store:
            [problem] = store.problems
            assert "no good copy" in problem
            assert store.history() == []
    assert len(corrupt_copies(april)) == 1
    assert april.read_bytes() == b"{"  # nothing was written over it


def test_damaged_preferences_keep_the_good_values(store_dir: Path) -> None:
    with Store.open(store_dir) as store:
        store.save_preferences(
            store.load_preferences().with_values(count_in_seconds=7, volume=0.25)
        )
    path = store_dir / "preferences.json"
    document = json.loads(path.read_bytes())
    document["values"]["volume"] = 1e999  # parses as infinity
    path.write_text(json.dumps(document).replace("Infinity", "1e999"), encoding="utf-8")
    damaged = path.read_bytes()
    with Store.open(store_dir) as store:
        assert any("Volume" in p for p in store.problems)
        assert store.load_preferences().count_in_seconds == 7
        assert store.load_preferences().volume == 0.8  # the default
        assert corrupt_copies(path)[0].read_bytes() == damaged


def test_a_damaged_checkpoint_falls_back_to_the_previous_one(store_dir: Path) -> None:
    one_set = make_session("now", "2026-03-01T10:00:00+01:00", sets=1, finished=False)
    two_sets = make_session("now", "2026-03-01T10:00:00+01:00", sets=2, finished=False)
    with Store.open(store_dir) as store:
        store.checkpoint(one_set)
        store.checkpoint(two_sets)
    _truncate(store_dir / "checkpoint.json")
    with Store.open(store_dir) as store:
        assert store.pending_checkpoint() == one_set
        assert len(store.problems) == 1


def test_clearing_the_checkpoint_removes_its_backup_too(store_dir: Path) -> None:
    with Store.open(store_dir) as store:
        store.checkpoint(make_session("a", finished=False))
        store.checkpoint(make_session("a", sets=3, finished=False))
        store.clear_checkpoint()
    assert sorted(p.name for p in store_dir.iterdir()) == ["history", "tempo-coach.lock"]
    with Store.open(store_dir) as store:
        assert store.pending_checkpoint() is None


def test_a_file_from_a_newer_version_makes_the_store_read_only(store_dir: Path) -> None:
    march = populated(store_dir)
    document = json.loads(march.read_bytes())
    document["schema_version"] = SCHEMA_VERSION + 1
    document["sessions"][0]["mood"] = "a field this version does not know"
    march.write_text(json.dumps(document), encoding="utf-8")
    before = march.read_bytes()
    with Store.open(store_dir) as store:
        assert store.read_only
        assert "newer Tempo Coach" in (store.read_only_reason or "")
        assert str(march) in (store.read_only_reason or "")
        with pytest.raises(Exception, match="newer"):
            store.save_session(make_session("x", "2026-03-20T10:00:00+01:00"))
        # What this version understands is shown; the rest is said to be missing.
        assert [s.session_id for s in store.history()] == ["second", "april"]
        assert "cannot show all of it" in store.problems[0]
    assert march.read_bytes() == before
    assert corrupt_copies(march) == []


def test_a_file_of_another_kind_is_damage(store_dir: Path) -> None:
    march = populated(store_dir)
    march.write_text(json.dumps({"schema_version": 2, "kind": "preferences", "values": {}}))
    with Store.open(store_dir) as store:
        assert "not a history file" in store.problems[0]


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def test_a_damaged_file_that_cannot_be_copied_aside_is_never_written_over(
    store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import shutil

    from tempo_coach.store import StoreError

    with Store.open(store_dir) as store:
        store.save_session(OTHER_MONTH)
    april = store_dir / "history" / "2026-04.json"
    april.write_bytes(b'{"schema_version": 2, "kind": "history", "sessions": [')
    real_copy = shutil.copyfileobj

    def no_space(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copyfileobj", no_space)
    with Store.open(store_dir) as store:
        assert "could not be copied aside" in store.problems[0]
        with pytest.raises(StoreError, match="could not be copied aside"):
            store.save_session(make_session("may", "2026-04-20T10:00:00+02:00"))
        assert april.read_bytes().endswith(b'"sessions": [')  # untouched
        monkeypatch.setattr(shutil, "copyfileobj", real_copy)
        store.save_session(make_session("may", "2026-04-20T10:00:00+02:00"))
    [copy] = corrupt_copies(april)
    assert copy.read_bytes().endswith(b'"sessions": [')


def test_a_folder_that_cannot_be_written_is_shown_read_only(
    store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from tempo_coach.store import store as store_module

    populated(store_dir)

    def read_only_medium(folder: Path) -> object:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(store_module, "acquire", read_only_medium)
    with Store.open(store_dir) as store:
        assert store.read_only
        assert "cannot be written (Read-only file system)" in (store.read_only_reason or "")
        assert [s.session_id for s in store.history()] == ["first", "second", "april"]


@pytest.mark.parametrize(
    "name", ["preferences.json", "exercises.json", "checkpoint.json", "history/2026-04.json"]
)
def test_any_file_from_a_newer_version_makes_the_store_read_only_and_is_left_alone(
    store_dir: Path, name: str
) -> None:
    """What this version does with a file of the next format: what an older Tempo Coach
    does with one of today's (docs/STORE.md, "Format versions and migrations")."""
    populated(store_dir)
    with Store.open(store_dir) as store:
        store.save_preferences(store.load_preferences().with_values(volume=0.5))
        store.save_custom_exercises([])
        store.checkpoint(make_session("now", "2026-04-20T10:00:00+02:00", finished=False))
    path = store_dir / name
    document = json.loads(path.read_bytes())
    document["schema_version"] = SCHEMA_VERSION + 1
    path.write_text(json.dumps(document), encoding="utf-8")
    before = {p: p.read_bytes() for p in store_dir.rglob("*") if p.is_file()}
    with Store.open(store_dir) as store:
        assert store.read_only
        reason = store.read_only_reason or ""
        assert str(path) in reason and "newer Tempo Coach" in reason and "update" in reason
        assert [s.session_id for s in store.history()] == ["first", "second", "april"]
        with pytest.raises(Exception, match="newer Tempo Coach"):
            store.save_session(make_session("x", "2026-03-20T10:00:00+01:00"))
    after = {p: p.read_bytes() for p in store_dir.rglob("*") if p.is_file()}
    assert after == before  # nothing written, copied aside or kept before a migration
