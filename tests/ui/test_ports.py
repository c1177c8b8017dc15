"""The in-memory store and the silent output keep the contracts of the real ones."""

from __future__ import annotations

import pytest

from tempo_coach.core.clock import FakeClock
from tempo_coach.core.exercise import BUILTIN_EXERCISES
from tempo_coach.core.records import LoadUnit, SessionRecord, SetRecord
from tempo_coach.core.session import Session
from tempo_coach.core.timeline import SetPlan
from tempo_coach.ui.ports import InMemoryStore, InMemoryStoreError, SilentOutput


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
