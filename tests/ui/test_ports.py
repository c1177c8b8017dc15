"""The in-memory store and the silent output keep the contracts of the real ones."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tempo_coach.core.clock import FakeClock
from tempo_coach.core.exercise import BUILTIN_EXERCISES
from tempo_coach.core.records import LoadUnit, SessionRecord, SessionSummary, SetRecord
from tempo_coach.core.session import Session
from tempo_coach.core.timeline import SetPlan
from tempo_coach.store import Store
from tempo_coach.ui.ports import InMemoryStore, InMemoryStoreError, SilentOutput, StorePort


def record(session_id: str = "s1", rest_s: str = "75") -> SessionRecord:
    squat = BUILTIN_EXERCISES[2]
    set_record = SetRecord(
        squat.exercise_id, squat.name, 1, "t", "3-1-1-0", "4-1-1-0", 6, (), (), 60.0, LoadUnit.KG
    )
    return SessionRecord(
        session_id,
        squat.exercise_id,
        squat.name,
        "t",
        (set_record,),
        extra={"sets_planned": "4", "rest_s": rest_s},
    )


def test_store_round_trip_and_last_used() -> None:
    store = InMemoryStore()
    assert store.last_used("barbell-squat") is None
    store.checkpoint(record())
    assert store.pending_checkpoint() == record()
    store.save_session(record())
    store.save_session(record())  # the same session saved again replaces it
    store.clear_checkpoint()
    assert store.pending_checkpoint() is None
    assert len(store.history()) == 1
    assert store.last_used("barbell-squat") == {
        "tempo": "4-1-1-0",
        "reps": 6,
        "sets": 4,
        "rest_s": 75,
        "load": 60.0,
        "load_unit": "kg",
    }
    store.save_preferences({**store.load_preferences(), "units": "lb"})
    assert store.load_preferences()["units"] == "lb"
    with pytest.raises(InMemoryStoreError, match="Load units"):
        store.save_preferences({"units": "stone"})


@pytest.mark.parametrize("kind", ["in memory", "real"])
def test_summaries_are_one_row_per_session_in_history_order(kind: str, tmp_path: Path) -> None:
    """The window lists summaries() and needs them to match history(), in both stores."""
    real = Store.open(tmp_path / "data") if kind == "real" else None
    store: StorePort = real if real is not None else InMemoryStore()
    try:
        assert store.summaries() == []
        first = replace(record("a"), started_at="2026-03-01T10:00:00+01:00")
        second = replace(record("b", rest_s="90"), started_at="2026-03-02T10:00:00+01:00")
        store.save_session(first)
        store.save_session(second)
        summaries = store.summaries()
        assert summaries == [SessionSummary.of(r) for r in store.history()]
        assert [s.session_id for s in summaries] == ["a", "b"]
        assert (summaries[-1].sets, summaries[-1].reps_planned) == (1, 6)
        assert (summaries[-1].tempo_used, summaries[-1].top_load) == ("4-1-1-0", 60.0)
        assert store.last_used(summaries[-1].exercise_id) == {
            "tempo": "4-1-1-0",
            "reps": 6,
            "sets": 4,
            "rest_s": 90,
            "load": 60.0,
            "load_unit": "kg",
        }
    finally:
        if real is not None:
            real.close()


def test_read_only_store_refuses_every_write_with_the_reason() -> None:
    store = InMemoryStore(read_only_reason="another Tempo Coach (pid 7) is running")
    assert store.read_only
    for write in (
        lambda: store.save_session(record()),
        lambda: store.checkpoint(record()),
        store.clear_checkpoint,
        lambda: store.save_custom_exercises([]),
        lambda: store.save_preferences({}),
    ):
        with pytest.raises(InMemoryStoreError, match="pid 7"):
            write()


def test_bad_preferences_fall_back_and_are_reported() -> None:
    store = InMemoryStore(preferences={"volume": 7, "nonsense": 1})
    assert store.load_preferences()["volume"] == 0.8
    assert len(store.problems) == 2


def test_silent_output_follows_the_cue_output_contract(fake_clock: FakeClock) -> None:
    output = SilentOutput(fake_clock)
    assert output.clock is fake_clock and output.horizon_ms == 0
    assert "visual only" in output.status_text
    heard: list[str] = []
    output.set_problem_listener(heard.append)
    session = Session(SetPlan.from_exercise(BUILTIN_EXERCISES[0]), output.clock)
    session.start()
    output.begin(session)
    output.session_changed()
    output.report_problem("gone")
    output.end()
    output.close()
    assert output.calls == ["begin", "session_changed", "end", "close"]
    assert heard == ["gone"]
