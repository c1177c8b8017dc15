"""The decode memos stay bounded by what they hold (issue 15): a checkpoint after every rep
must not keep every generation of the open set, and no memo grows past RECORDS_LIMIT."""

from __future__ import annotations

from pathlib import Path

import pytest

from tempo_coach.core.records import PhaseTime, PlannedSession, RepRecord, SessionRecord, SetRecord
from tempo_coach.core.tempo import Phase
from tempo_coach.store import Store, codec, reps

PHASES = (
    PhaseTime(Phase.ECCENTRIC, 3000, 3000),
    PhaseTime(Phase.PAUSE_AFTER_ECCENTRIC, 1000, 1000),
    PhaseTime(Phase.CONCENTRIC, 1000, 1000),
)


def held() -> tuple[int, int]:
    """(distinct RepRecords the memos keep alive, sides kept by token shapes), counted from
    the memos themselves, not from the store's own bookkeeping."""
    records = {
        id(rep)
        for memo in (reps._reps_memo, reps._token_memo)
        for value in memo.values()
        for rep in value
    }
    records |= {id(rep) for kept, _ in codec._totals_memo.values() for rep in kept}
    sides = sum(len(shape[2]) for shape in reps._shape_memo.values())
    return len(records), sides


def growing_set(count: int) -> SessionRecord:
    """The session as the window checkpoints it after rep ``count`` of a 100-rep set."""
    done = tuple(RepRecord(1, n, None, PHASES) for n in range(1, count + 1))
    return SessionRecord(
        session_id="long",
        exercise_id="barbell-squat",
        exercise_name="Eccentric barbell squat",
        started_at="2026-03-14T18:00:00+01:00",
        sets=(
            SetRecord(
                "barbell-squat",
                "Eccentric barbell squat",
                1,
                "2026-03-14T18:00:00+01:00",
                "3-1-1-0",
                "3-1-1-0",
                100,
                done,
                load=60.0,
            ),
        ),
        finished=count == 100,
        planned=PlannedSession("3-1-1-0", 100, 1, 60_000, 3000),
    )


@pytest.fixture(autouse=True)
def empty_memos() -> None:
    reps.clear_memos()
    codec._totals_memo.clear()


def test_checkpoints_of_a_growing_set_leave_about_the_final_records(tmp_path: Path) -> None:
    with Store.open(tmp_path / "data") as store:
        for count in range(1, 101):
            store.checkpoint(growing_set(count))
        records, sides = held()
        # Today's code kept every generation: 1 + 2 + ... + 100 = 5,050 records.
        assert records == 0 and sides == 0, (records, sides)
        store.save_session(growing_set(100))
        store.clear_checkpoint()
        assert store.session("long") == growing_set(100)
        records, sides = held()
        assert records <= 2 * 100 and sides <= 100, (records, sides)  # the final set, once
    with Store.open(tmp_path / "data") as store:
        assert store.history() == [growing_set(100)]
        assert held()[0] <= 2 * 100


def test_a_check_decode_uses_the_memos_but_adds_nothing() -> None:
    record = growing_set(12)
    encoded = codec.encode_session(record)
    assert codec.decode_session(encoded, memo=False) == record
    assert held() == (0, 0) and reps.memo_weight() == 0
    assert codec.decode_session(encoded) == record  # a real read remembers
    remembered = reps._reps_memo[(1, "1-12:e3000,h1000,c1000")]
    again = codec.decode_session(encoded, memo=False)
    assert again.sets[0].reps is remembered  # and a check then shares what is held


def test_the_memos_never_hold_more_than_records_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reps, "RECORDS_LIMIT", 500)
    monkeypatch.setattr(codec, "RECORDS_LIMIT", 500)
    for count in range(1, 120):
        text = reps.encode_reps(growing_set(count).sets[0].reps, 1)
        decoded = reps.decode_reps(text, 1)
        assert len(decoded) == count and decoded[-1].rep == count
        codec.summarize(growing_set(count))
        assert reps.memo_weight() <= 500
        in_reps_memos = {
            id(r) for m in (reps._reps_memo, reps._token_memo) for v in m.values() for r in v
        }
        assert len(in_reps_memos) <= 500 and held()[1] <= 500
        assert sum(len(kept) for kept, _ in codec._totals_memo.values()) <= 500
