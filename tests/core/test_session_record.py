"""``Session.record()``: the one record of a session, at any moment.

The property that matters: a record taken at any moment (what the checkpoint keeps) is a
prefix of the final record. Every completed set and rep in it is final, and the open set agrees
on everything known so far, its start time included.
"""

from __future__ import annotations

import contextlib
import itertools
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from tempo_coach.core.clock import FakeClock
from tempo_coach.core.exercise import BUILTIN_EXERCISES, SideMode
from tempo_coach.core.records import (
    LastUsed,
    LoadUnit,
    PlannedSession,
    SessionRecord,
    SetRecord,
)
from tempo_coach.core.session import Session, SessionError, SessionStatus
from tempo_coach.core.tempo import Tempo, TempoError, parse_tempo
from tempo_coach.core.timeline import CountStyle, SetPlan
from tests.core.strategies import exercises


@st.composite
def short_plans(draw: st.DrawFn) -> SetPlan:
    """Plans short enough that random waits reach every set, its reps and its rests."""
    return SetPlan(
        exercise=draw(exercises()),
        tempo=Tempo(
            draw(st.integers(2, 8)) * 500,
            draw(st.integers(0, 2)) * 500,
            draw(st.integers(1, 4)) * 500,
            draw(st.integers(0, 2)) * 500,
        ),
        reps=draw(st.integers(1, 4)),
        sets=draw(st.integers(1, 3)),
        rest_ms=draw(st.integers(0, 8)) * 1000,
        count_in_ms=draw(st.integers(0, 3)) * 1000,
        count_style=draw(st.sampled_from(list(CountStyle))),
    )


SQUAT = next(e for e in BUILTIN_EXERCISES if e.exercise_id == "barbell-squat")


def wall_clock() -> object:
    """A wall clock whose every reading differs, so a wrong start time cannot hide."""
    counter = itertools.count(1)
    return lambda: f"2026-11-27T10:00:00+00:00#{next(counter)}"


def run_out(session: Session, clock: FakeClock, taken: list[SessionRecord] | None = None) -> None:
    """Run to the end, taking a record at every look when ``taken`` is given."""
    if session.status is SessionStatus.PAUSED:
        session.resume()
    while session.status is SessionStatus.RUNNING:
        clock.advance(0.7)
        session.poll()
        if taken is not None:
            taken.append(session.record())


def assert_prefix(early: SessionRecord, final: SessionRecord) -> None:
    """``early`` (taken while the session ran) is a prefix of ``final``."""
    for field in ("session_id", "exercise_id", "exercise_name", "started_at", "planned"):
        assert getattr(early, field) == getattr(final, field), field
    assert not early.finished and final.finished
    assert len(early.sets) <= len(final.sets)
    if not early.sets:
        return
    *closed, last = early.sets
    assert list(closed) == list(final.sets[: len(closed)]), "completed sets are final"
    later = final.sets[len(closed)]
    if last == later:
        return
    # The open set: everything known so far agrees.
    for field in (
        "exercise_id",
        "set_number",
        "started_at",
        "tempo_planned",
        "reps_planned",
        "load",
        "load_unit",
        "side",
    ):
        assert getattr(last, field) == getattr(later, field), field
    assert later.reps[: len(last.reps)] == last.reps, "completed reps are final"
    assert all(r.complete for r in last.reps)
    assert later.live_changes[: len(last.live_changes)] == last.live_changes
    assert not last.ended_early


actions = st.lists(
    st.tuples(
        st.sampled_from(["wait", "wait", "wait", "pause", "plus", "minus", "skip", "end", "abort"]),
        st.floats(0.0, 4.0),
    ),
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(short_plans(), actions, st.booleans())
def test_a_record_taken_at_any_moment_is_a_prefix_of_the_final_one(
    plan: SetPlan, steps: list[tuple[str, float]], with_load: bool
) -> None:
    clock = FakeClock()
    session = Session(
        plan,
        clock,
        load=42.5 if with_load else None,
        load_unit=LoadUnit.LB,
        wall_time=wall_clock(),  # type: ignore[arg-type]
        session_id="the-session",
    )
    assert session.record().sets == ()
    session.start()
    taken: list[SessionRecord] = []
    for action, seconds in steps:
        if session.status not in (SessionStatus.RUNNING, SessionStatus.PAUSED):
            break
        if action == "pause":
            session.toggle_pause()
        elif action in ("plus", "minus"):
            with contextlib.suppress(TempoError, SessionError):
                session.change_eccentric(1000 if action == "plus" else -1000)
        elif action == "skip":
            session.skip_rest()
        elif action == "end":
            session.end_set_early()
        elif action == "abort":
            session.abort()
            break
        clock.advance(seconds)
        session.poll()
        taken.append(session.record())
    run_out(session, clock, taken)
    final = session.record()
    assert final.finished and final.session_id == "the-session"
    assert final.sets == session.set_records
    for early in taken:
        if early.finished:
            assert early == final
        else:
            assert_prefix(early, final)
    # The plan is typed, whole, and the same at every moment.
    assert final.planned == PlannedSession(
        plan.tempo.notation(),
        plan.reps,
        plan.sets,
        plan.rest_ms,
        plan.count_in_ms,
        plan.exercise.side_mode,
    )


def test_the_open_set_has_its_own_start_and_the_tempo_it_began_with() -> None:
    """The window used to give the open set the session's start and the next lowering's
    count as its tempo: the checkpoint and the saved set disagreed."""
    clock = FakeClock()
    stamps = iter(["10:00", "10:01", "10:02", "10:03"])
    plan = SetPlan.from_exercise(
        SQUAT, tempo=parse_tempo("3-1-1-0"), reps=3, sets=2, rest_ms=10_000, count_in_ms=3000
    )
    session = Session(plan, clock, wall_time=lambda: next(stamps))
    session.start()
    # Set 1: 3 s count-in + 3 reps of 5 s = 18 s; rest to 28 s; set 2 begins at 28 s.
    clock.advance(30.0)
    session.poll()
    session.change_eccentric(+1000)  # during set 2's first lowering: from rep 2 on
    clock.advance(4.0)  # rep 1 of set 2 is done (28 s + 5 s)
    session.poll()
    early = session.record()
    open_set = early.sets[-1]
    assert (early.started_at, early.sets[0].started_at) == ("10:00", "10:00")
    assert open_set.set_number == 2 and open_set.started_at == "10:01"
    assert open_set.tempo_planned == "3-1-1-0", "the tempo the set began with"
    assert open_set.tempo_used == "4-1-1-0", "rep 2's lowering, of 4 s, began at 33 s"
    assert [(c.set_number, c.rep, c.to_ms) for c in open_set.live_changes] == [(2, 2, 4000)]
    run_out(session, clock)
    final = session.record().sets[-1]
    assert final.started_at == "10:01" and final.tempo_used == "4-1-1-0"
    assert_prefix(early, session.record())


def test_a_continued_session_keeps_its_id_start_plan_and_sets() -> None:
    clock = FakeClock()
    plan = SetPlan.from_exercise(
        SQUAT, tempo=parse_tempo("3-1-1-0"), reps=2, sets=3, rest_ms=0, count_in_ms=0
    )
    first = Session(plan, clock, wall_time=lambda: "09:00", session_id="abc")
    first.start()
    clock.advance(10.5)  # set 1 done (2 reps of 5 s)
    first.poll()
    crashed = replace(first.record(), rpe=7, note="knee ok")
    assert [s.set_number for s in crashed.sets] == [1]
    assert crashed.sets_left == 2
    rest_of_it = SetPlan.from_exercise(
        SQUAT, tempo=parse_tempo("4-1-1-0"), reps=2, sets=2, rest_ms=0, count_in_ms=0
    )
    second = Session(rest_of_it, clock, wall_time=lambda: "18:00", continues=crashed)
    assert second.session_id == "abc"
    second.start()
    run_out(second, clock)
    final = second.record()
    assert (final.session_id, final.started_at) == ("abc", "09:00")
    assert (final.rpe, final.note) == (7, "knee ok")
    assert final.planned is not None
    assert (final.planned.tempo, final.planned.sets) == ("3-1-1-0", 3), "the plan as first made"
    assert [s.set_number for s in final.sets] == [1, 2, 3]
    assert final.sets[0] == crashed.sets[0]
    assert [s.started_at for s in final.sets] == ["09:00", "18:00", "18:00"]
    assert {r.set_number for r in final.sets[2].reps} == {3}
    assert final.sets[2].tempo_planned == "4-1-1-0"


def test_last_used_comes_from_the_typed_plan() -> None:
    row = SetRecord("x", "X", 1, "t", "3-1-1-0", "5-1-1-0", 6, (), (), 20.0, LoadUnit.LB)
    record = SessionRecord(
        "s", "x", "X", "t", (row,), planned=PlannedSession("3-1-1-0", 6, 4, 90_000, 3000, None)
    )
    assert LastUsed.of(record) == LastUsed("5-1-1-0", 6, 4, 90, 20.0, LoadUnit.LB)
    assert LastUsed.of(replace(record, planned=None)) == LastUsed(
        "5-1-1-0", 6, 1, None, 20.0, LoadUnit.LB
    )
    assert LastUsed.of(replace(record, sets=())) is None
    assert replace(record, planned=None).sets_left == 0


def test_a_session_records_its_side_mode() -> None:
    step_down = next(e for e in BUILTIN_EXERCISES if e.side_mode is SideMode.PER_SET)
    session = Session(SetPlan.from_exercise(step_down), FakeClock())
    assert session.record().planned is not None
    assert session.record().planned.side_mode is SideMode.PER_SET  # type: ignore[union-attr]
