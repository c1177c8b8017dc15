"""The agreed public API of Store, on real files in a tmp folder."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from tempo_coach.core.exercise import Exercise, RepStart, SideMode
from tempo_coach.core.preferences import Preferences
from tempo_coach.core.records import LastUsed, LoadUnit
from tempo_coach.core.tempo import parse_tempo
from tempo_coach.store import Store, StoreError
from tests.store.conftest import make_session


def custom_exercise(exercise_id: str = "nordic-curl") -> Exercise:
    return Exercise(
        exercise_id=exercise_id,
        name="Nordic curl",
        rep_start=RepStart.ECCENTRIC_FIRST,
        default_tempo=parse_tempo("5-0-X-1"),
        default_reps=5,
        default_sets=3,
        default_rest_s=120,
        side_mode=SideMode.BOTH,
        instructions=("Kneel, feet held.", "Lower yourself slowly."),
    )


def test_a_new_folder_opens_writable_with_defaults(store: Store, store_dir: Path) -> None:
    assert store.path == store_dir
    assert not store.read_only
    assert store.read_only_reason is None
    assert store.problems == []
    assert store.load_preferences().count_in_seconds == 3
    assert store.history() == []
    assert store.custom_exercises() == []
    assert store.pending_checkpoint() is None
    assert store.last_used("barbell-squat") is None


def test_everything_saved_comes_back_after_reopening(store: Store, store_dir: Path) -> None:
    store.save_preferences(store.load_preferences().with_values(count_in_seconds=5, units="lb"))
    store.save_custom_exercises([custom_exercise()])
    first = make_session("a", "2025-12-31T20:00:00+01:00")
    second = make_session("b", "2026-01-02T07:30:00+01:00", load=62.5)
    store.save_session(second)
    store.save_session(first)
    progress = make_session("c", "2026-01-05T07:30:00+01:00", finished=False, sets=1)
    store.checkpoint(progress)
    store.close()

    with Store.open(store_dir) as again:
        assert again.problems == []
        assert again.load_preferences().count_in_seconds == 5
        assert again.load_preferences().units == "lb"
        assert again.custom_exercises() == [custom_exercise()]
        assert again.history() == [first, second]  # oldest first
        assert again.pending_checkpoint() == progress
        again.clear_checkpoint()
        assert again.pending_checkpoint() is None
    with Store.open(store_dir) as third:
        assert third.pending_checkpoint() is None
        assert len(third.history()) == 2


def test_history_is_split_by_month(store: Store, store_dir: Path) -> None:
    store.save_session(make_session("a", "2025-12-31T20:00:00+01:00"))
    store.save_session(make_session("b", "2026-01-02T07:30:00+01:00"))
    names = sorted(p.name for p in (store_dir / "history").glob("*.json"))
    assert names == ["2025-12.json", "2026-01.json"]
    january = json.loads((store_dir / "history" / "2026-01.json").read_text("utf-8"))
    assert january["kind"] == "history"
    assert [s["session_id"] for s in january["sessions"]] == ["b"]


def test_saving_the_same_session_again_replaces_it(store: Store) -> None:
    store.save_session(make_session("a", sets=1))
    store.save_session(make_session("a", sets=3))
    assert len(store.history()) == 1
    assert len(store.history()[0].sets) == 3


def test_last_used_is_the_latest_session_of_that_exercise(store: Store) -> None:
    store.save_session(make_session("old", "2026-01-01T10:00:00+00:00", load=50.0))
    store.save_session(make_session("new", "2026-02-01T10:00:00+00:00", load=55.0, sets=3))
    store.save_session(make_session("other", "2026-03-01T10:00:00+00:00", exercise_id="cable-row"))
    assert store.last_used("barbell-squat") == LastUsed(
        tempo="4-1-1-0", reps=3, sets=3, rest_s=120, load=55.0, load_unit=LoadUnit.KG
    )


def test_invalid_preferences_are_refused_and_nothing_is_written(
    store: Store, store_dir: Path
) -> None:
    with pytest.raises(StoreError, match="Count-in"):
        store.save_preferences(replace(Preferences.defaults(), count_in_seconds=99))
    assert not (store_dir / "preferences.json").exists()


def test_a_record_the_loader_would_refuse_is_not_written(store: Store, store_dir: Path) -> None:
    bad = make_session("x", load=float("nan"))
    with pytest.raises(StoreError, match="not saved"):
        store.save_session(bad)
    assert store.history() == []
    assert list((store_dir / "history").iterdir()) == []


def test_duplicate_exercise_ids_are_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="used twice"):
        store.save_custom_exercises([custom_exercise(), custom_exercise()])
    with pytest.raises(StoreError, match="used twice"):
        store.save_custom_exercises([custom_exercise("barbell-squat")])


def test_closed_store_refuses_writes(store: Store) -> None:
    store.close()
    assert store.read_only
    with pytest.raises(StoreError, match="closed"):
        store.save_session(make_session())


def test_a_second_open_of_the_same_folder_is_read_only(store: Store, store_dir: Path) -> None:
    import os

    store.save_session(make_session("a"))
    with Store.open(store_dir) as second:
        assert second.read_only
        assert f"pid {os.getpid()}" in (second.read_only_reason or "")
        assert len(second.history()) == 1  # it still reads
        with pytest.raises(StoreError, match="another Tempo Coach"):
            second.save_session(make_session("b"))
    assert len(store.history()) == 1


def test_a_load_above_load_max_is_not_saved(store: Store, store_dir: Path) -> None:
    from tempo_coach.core.records import LOAD_MAX

    store.save_session(make_session("max", "2026-01-01T10:00:00+01:00", load=LOAD_MAX))
    january = store_dir / "history" / "2026-01.json"
    before = january.read_bytes()
    too_heavy = make_session("heavy", "2026-01-02T10:00:00+01:00", load=LOAD_MAX + 1)
    for save in (
        lambda: store.save_session(too_heavy),
        lambda: store.save_sessions([too_heavy]),
        lambda: store.checkpoint(too_heavy),
    ):
        with pytest.raises(StoreError, match=f"set 1 load: must be 0 to {LOAD_MAX:g}"):
            save()
    assert january.read_bytes() == before
    assert not (store_dir / "checkpoint.json").exists()
    assert [s.session_id for s in store.history()] == ["max"]
