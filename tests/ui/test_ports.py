"""The fake store keeps the real store's contract (the same checks run on both), and the fake
output keeps the cue output's."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from tempo_coach.core.clock import FakeClock
from tempo_coach.core.exercise import BUILTIN_EXERCISES
from tempo_coach.core.output import NoSoundOutput
from tempo_coach.core.preferences import Preferences
from tempo_coach.core.records import (
    LastUsed,
    LoadUnit,
    PlannedSession,
    SessionRecord,
    SessionSummary,
    SetRecord,
)
from tempo_coach.core.session import Session
from tempo_coach.core.timeline import SetPlan
from tempo_coach.store import Store, StoreError
from tempo_coach.ui.ports import StorePort
from tests.fakes import FakeOutput, FakeStore, FakeStoreError


def record(
    session_id: str = "s1", rest_ms: int | None = 75_000, started: str = "t"
) -> SessionRecord:
    squat = BUILTIN_EXERCISES[2]
    set_record = SetRecord(
        squat.exercise_id,
        squat.name,
        1,
        started,
        "3-1-1-0",
        "4-1-1-0",
        6,
        (),
        (),
        60.0,
        LoadUnit.KG,
    )
    return SessionRecord(
        session_id,
        squat.exercise_id,
        squat.name,
        started,
        (set_record,),
        planned=PlannedSession("3-1-1-0", 6, 4, rest_ms, 3000, squat.side_mode),
    )


@pytest.fixture(params=["fake", "real"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StorePort]:
    the_store: StorePort = Store.open(tmp_path / "data") if request.param == "real" else FakeStore()
    yield the_store
    the_store.close()


def test_round_trip_and_last_used(store: StorePort) -> None:
    assert store.last_used("barbell-squat") is None
    first = record(started="2026-03-01T10:00:00+01:00")
    store.checkpoint(replace(first, finished=False))
    assert store.pending_checkpoint() == replace(first, finished=False)
    store.save_session(first)
    store.save_session(first)  # the same session saved again replaces it
    store.clear_checkpoint()
    assert store.pending_checkpoint() is None
    assert store.history() == [first]
    assert store.last_used("barbell-squat") == LastUsed("4-1-1-0", 6, 4, 75, 60.0, LoadUnit.KG)
    # A session that did not record its rest: the rest is unknown, not 0.
    store.save_session(record("s2", rest_ms=None, started="2026-03-02T10:00:00+01:00"))
    used = store.last_used("barbell-squat")
    assert used is not None and used.rest_s is None
    store.save_preferences(Preferences.defaults().with_values(units="lb"))
    assert store.load_preferences().units == "lb"


def test_summaries_are_one_row_per_session_in_history_order(store: StorePort) -> None:
    assert store.summaries() == []
    store.save_session(record("b", started="2026-03-02T10:00:00+01:00"))
    store.save_session(record("a", started="2026-03-01T10:00:00+01:00"))
    summaries = store.summaries()
    assert summaries == [SessionSummary.of(r) for r in store.history()]
    assert [s.session_id for s in summaries] == ["a", "b"]
    assert (summaries[-1].sets, summaries[-1].reps_planned) == (1, 6)
    assert (summaries[-1].tempo_used, summaries[-1].top_load) == ("4-1-1-0", 60.0)


def test_an_unfinished_record_is_kept_as_it_is(store: StorePort) -> None:
    """Neither store marks a record finished on its own."""
    unfinished = replace(record(started="2026-03-01T10:00:00+01:00"), finished=False)
    store.save_session(unfinished)
    assert store.history() == [unfinished]


@pytest.mark.parametrize("kind", ["fake", "unavailable"])
def test_read_only_store_refuses_every_write_with_the_reason(kind: str) -> None:
    reason = "another Tempo Coach (pid 7) is running"
    store: StorePort = (
        FakeStore(read_only_reason=reason) if kind == "fake" else Store.unavailable(reason)
    )
    assert store.read_only and store.read_only_reason == reason
    assert store.history() == [] and store.summaries() == []
    assert store.load_preferences() == Preferences.defaults()
    for write in (
        lambda: store.save_session(record()),
        lambda: store.checkpoint(record()),
        store.clear_checkpoint,
        lambda: store.save_custom_exercises([]),
        lambda: store.save_preferences(Preferences.defaults()),
    ):
        with pytest.raises((FakeStoreError, StoreError)):
            write()
    store.close()


@pytest.mark.parametrize("make", [lambda c: FakeOutput(c), lambda c: NoSoundOutput()])
def test_silent_outputs_follow_the_cue_output_contract(make: object, fake_clock: FakeClock) -> None:
    output = make(fake_clock)  # type: ignore[operator]
    assert output.horizon_ms == 0 and output.name == "silent"
    assert "visual only" in output.status_text
    output.set_problem_listener(lambda _message: None)
    session = Session(SetPlan.from_exercise(BUILTIN_EXERCISES[0]), output.clock)
    session.start()
    output.begin(session)
    output.session_changed()
    output.end()
    output.close()


def test_the_fake_output_records_calls_and_reports_problems(fake_clock: FakeClock) -> None:
    output = FakeOutput(fake_clock)
    assert output.clock is fake_clock
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
