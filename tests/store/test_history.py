"""Deleting and editing saved sessions (store/history.py through Store): the month file
rewritten atomically, the summaries and index following, an undo, and the load rule for
old sessions heavier than LOAD_MAX."""

from __future__ import annotations

import errno
import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from tempo_coach.core.records import LOAD_MAX, LoadUnit, SessionRecord, SessionSummary
from tempo_coach.store import Store, StoreError
from tempo_coach.store.codec import encode_session
from tempo_coach.store.migrations import SCHEMA_VERSION
from tests.store.conftest import make_session
from tests.store.test_read_only import snapshot

MARCH = "2026-03-01T10:00:00+01:00"


@pytest.fixture
def three(store: Store) -> list[SessionRecord]:
    sessions = [
        make_session("feb", "2026-02-20T10:00:00+01:00"),
        make_session("mar-1", MARCH),
        make_session("mar-2", "2026-03-08T10:00:00+01:00", sets=1),
    ]
    for session in sessions:
        store.save_session(session)
    return sessions


def month_ids(store_dir: Path, month: str) -> list[str]:
    document = json.loads((store_dir / "history" / f"{month}.json").read_bytes())
    return [s["session_id"] for s in document["sessions"]]


# -- delete ------------------------------------------------------------------------------------


def test_delete_removes_the_session_and_returns_it(
    store: Store, store_dir: Path, three: list[SessionRecord]
) -> None:
    february = (store_dir / "history" / "2026-02.json").read_bytes()
    deleted = store.delete_session("mar-1")
    assert deleted == three[1]
    assert month_ids(store_dir, "2026-03") == ["mar-2"]
    assert (store_dir / "history" / "2026-02.json").read_bytes() == february  # only its month
    assert store.session("mar-1") is None
    assert [s.session_id for s in store.history()] == ["feb", "mar-2"]
    assert [s.session_id for s in store.summaries()] == ["feb", "mar-2"]
    # the previous version of the month is its .bak, as for every save
    backup = json.loads((store_dir / "history" / "2026-03.json.bak").read_bytes())
    assert [s["session_id"] for s in backup["sessions"]] == ["mar-1", "mar-2"]
    store.close()
    with Store.open(store_dir) as again:
        assert again.problems == []
        assert [s.session_id for s in again.summaries()] == ["feb", "mar-2"]  # from the index
        assert again.summaries() == [SessionSummary.of(r) for r in again.history()]


def test_saving_what_was_deleted_undoes_the_delete(
    store: Store, store_dir: Path, three: list[SessionRecord]
) -> None:
    store.save_session(store.delete_session("mar-1"))
    assert store.history() == three  # by start time, as before
    assert set(month_ids(store_dir, "2026-03")) == {"mar-1", "mar-2"}
    store.close()
    with Store.open(store_dir) as again:
        assert again.history() == three
        assert [s.session_id for s in again.summaries()] == ["feb", "mar-1", "mar-2"]


def test_deleting_the_last_session_of_a_month_leaves_an_empty_month(
    store: Store, store_dir: Path, three: list[SessionRecord]
) -> None:
    store.delete_session("feb")
    assert month_ids(store_dir, "2026-02") == []
    store.close()
    with Store.open(store_dir) as again:
        assert again.problems == []
        assert [s.session_id for s in again.history()] == ["mar-1", "mar-2"]


def test_deleting_an_unknown_session_says_so_and_changes_nothing(
    store: Store, store_dir: Path, three: list[SessionRecord]
) -> None:
    before = snapshot(store_dir)
    with pytest.raises(StoreError, match=r"^The session 'nobody' was not deleted: there is no"):
        store.delete_session("nobody")
    store.delete_session("mar-2")
    with pytest.raises(StoreError, match="no saved session with that id"):
        store.delete_session("mar-2")  # twice
    assert len(store.history()) == 2
    assert set(snapshot(store_dir)) == set(before)


def test_a_month_known_only_from_the_index_is_decoded_for_a_delete(
    store: Store, store_dir: Path, three: list[SessionRecord]
) -> None:
    store.close()  # writes the index
    with Store.open(store_dir) as again:
        assert again.delete_session("mar-2") == three[2]
        assert [s.session_id for s in again.summaries()] == ["feb", "mar-1"]


def test_a_failed_delete_leaves_the_file_and_the_session(
    store: Store, store_dir: Path, three: list[SessionRecord], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(store_dir)

    def disk_full(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(StoreError, match="was not deleted: No space left on device"):
        store.delete_session("mar-1")
    monkeypatch.undo()
    assert snapshot(store_dir) == before
    assert store.history() == three
    assert store.session("mar-1") == three[1]


# -- edit: save_session of a changed record ----------------------------------------------------


def test_an_edited_session_keeps_its_month_and_place_and_its_summary_follows(
    store: Store, store_dir: Path, three: list[SessionRecord]
) -> None:
    february = (store_dir / "history" / "2026-02.json").read_bytes()
    edited = replace(three[1], note="knee hurt a bit", rpe=9)
    store.save_session(edited)
    assert month_ids(store_dir, "2026-03") == ["mar-1", "mar-2"]  # same file, same place
    assert (store_dir / "history" / "2026-02.json").read_bytes() == february
    assert store.session("mar-1") == edited
    summary = store.summaries()[1]
    assert summary == SessionSummary.of(edited)
    assert (summary.note, summary.rpe) == ("knee hurt a bit", 9)
    store.close()
    with Store.open(store_dir) as again:
        assert again.summaries()[1] == SessionSummary.of(edited)  # the index followed
        assert again.history() == [three[0], edited, three[2]]


@pytest.mark.parametrize(
    "change",
    [
        {"rpe": 11},
        {"note": "x" * 10_001},
        {"started_at": "2026-04-01T10:00:00+02:00"},  # another month: the id is used in March
    ],
    ids=["rpe out of range", "note too long", "moved to another month"],
)
def test_an_edit_that_fails_validation_changes_no_file(
    store: Store,
    store_dir: Path,
    three: list[SessionRecord],
    change: dict[str, object],
) -> None:
    store.close()
    with Store.open(store_dir) as opened:  # and with the index written
        before = snapshot(store_dir)
        with pytest.raises(StoreError, match="was not saved"):
            opened.save_session(replace(three[1], **change))  # type: ignore[arg-type]
        assert snapshot(store_dir) == before
        assert opened.session("mar-1") == three[1]
        assert opened.summaries()[1] == SessionSummary.of(three[1])
    assert snapshot(store_dir) == before  # close() had nothing to write


# -- loads above LOAD_MAX: the ones a person enters are refused, the stored ones kept ----------

HEAVY = 5000.0  # format 2 allowed up to 100,000


@pytest.fixture
def heavy(store_dir: Path) -> SessionRecord:
    """A session an older version saved with a load above LOAD_MAX."""
    session = make_session("heavy", "2026-01-10T10:00:00+01:00", load=HEAVY)
    (store_dir / "history").mkdir(parents=True)
    document = {
        "schema_version": SCHEMA_VERSION,
        "kind": "history",
        "month": "2026-01",
        "sessions": [encode_session(session)],
    }
    (store_dir / "history" / "2026-01.json").write_text(json.dumps(document), "utf-8")
    return session


def test_an_old_heavy_session_can_have_its_note_and_rpe_edited(
    store_dir: Path, heavy: SessionRecord
) -> None:
    with Store.open(store_dir) as store:
        assert store.problems == []
        edited = replace(heavy, note="that was a typo in the load", rpe=6)
        store.save_session(edited)
        assert store.session("heavy") == edited
    with Store.open(store_dir) as again:
        assert again.session("heavy") == edited
        assert again.session("heavy").sets[0].load == HEAVY  # type: ignore[union-attr]


def test_a_changed_load_above_load_max_is_refused_a_lower_one_saved(
    store_dir: Path, heavy: SessionRecord
) -> None:
    with Store.open(store_dir) as store:
        before = snapshot(store_dir)
        heavier = replace(heavy, sets=(replace(heavy.sets[0], load=HEAVY + 1), heavy.sets[1]))
        other_unit = replace(heavy, sets=(replace(heavy.sets[0], load_unit=LoadUnit.LB),))
        moved = replace(heavy, sets=(heavy.sets[1], heavy.sets[0]))  # set 2 now holds set 1's
        for refused in (heavier, other_unit):
            with pytest.raises(StoreError, match=f"set 1 load: must be 0 to {LOAD_MAX:g}"):
                store.save_session(refused)
        with pytest.raises(StoreError, match="load: must be 0 to"):
            store.save_session(
                replace(moved, sets=tuple(replace(s, load=HEAVY + 2) for s in moved.sets))
            )
        with pytest.raises(StoreError, match="load: must be 0 to"):
            store.save_session(make_session("new", load=HEAVY))  # a new session: entered
        assert snapshot(store_dir) == before
        fixed = replace(heavy, sets=tuple(replace(s, load=500.0) for s in heavy.sets))
        store.save_session(fixed)
        assert store.session("heavy") == fixed


def test_an_old_heavy_session_can_be_deleted_and_put_back(
    store_dir: Path, heavy: SessionRecord
) -> None:
    with Store.open(store_dir) as store:
        deleted = store.delete_session("heavy")
        assert deleted == heavy
        store.save_session(deleted)  # the undo: its loads are not new
        assert store.history() == [heavy]
        store.delete_session("heavy")
        store.save_sessions([deleted])
        assert store.history() == [heavy]


def test_a_session_resumed_from_an_old_heavy_checkpoint_can_be_saved(store_dir: Path) -> None:
    """A checkpoint an older version wrote with a heavy set: the resumed session keeps that
    set, and its checkpoints and final save are not refused for it."""
    old = make_session("c", finished=False, sets=1, load=HEAVY)
    store_dir.mkdir()
    document = {"schema_version": SCHEMA_VERSION, "kind": "checkpoint"}
    document["session"] = encode_session(old)  # type: ignore[assignment]
    (store_dir / "checkpoint.json").write_text(json.dumps(document), "utf-8")
    second_set = replace(make_session("c", sets=2, load=100.0).sets[1])
    resumed = replace(old, sets=(*old.sets, second_set))
    with Store.open(store_dir) as store:
        assert store.pending_checkpoint() == old
        store.checkpoint(resumed)
        with pytest.raises(StoreError, match="set 2 load"):
            store.checkpoint(replace(resumed, sets=(old.sets[0], replace(second_set, load=HEAVY))))
        finished = replace(resumed, finished=True)
        store.save_session(finished)
        store.clear_checkpoint()
        assert store.history() == [finished]
