"""The session state machine on a fake clock: no sleeping, every event exactly once."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tempo_coach.core.clock import FakeClock
from tempo_coach.core.exercise import BUILTIN_EXERCISES, Side, find_exercise
from tempo_coach.core.records import LiveChange
from tempo_coach.core.session import Session, SessionError, SessionStatus, Tick
from tempo_coach.core.tempo import Phase, TempoError, parse_tempo
from tempo_coach.core.timeline import Event, EventKind, SetPlan, build_timeline
from tests.core.strategies import plans


def make_plan(name: str = "barbell squat", tempo: str = "3-1-1-0", **overrides: object) -> SetPlan:
    values: dict[str, object] = {
        "tempo": parse_tempo(tempo),
        "reps": 3,
        "sets": 2,
        "rest_ms": 10_000,
    }
    values.update(overrides)
    return SetPlan.from_exercise(find_exercise(name, BUILTIN_EXERCISES), **values)


def run_to_end(session: Session, clock: FakeClock, step: float = 0.25) -> list[Tick]:
    ticks = []
    while session.status is SessionStatus.RUNNING:
        clock.advance(step)
        ticks.append(session.poll())
    return ticks


def events_of(ticks: list[Tick]) -> list[Event]:
    return [e for t in ticks for e in t.events]


def eccentric_lengths(session: Session) -> list[int]:
    return [s.duration_ms for s in session.segments if s.phase is Phase.ECCENTRIC]


def test_idle_until_started(fake_clock: FakeClock) -> None:
    session = Session(make_plan(), fake_clock)
    fake_clock.advance(100)
    assert session.poll().events == ()
    assert session.snapshot().status is SessionStatus.IDLE


def test_polling_returns_every_event_once_whatever_the_polling_rhythm(
    fake_clock: FakeClock,
) -> None:
    plan = make_plan()
    session = Session(plan, fake_clock)
    ticks = [session.start()]
    for step in [0.001, 0.3, 2.7, 0.016, 5.0, 0.999, 1.0, 17.3] * 10:
        fake_clock.advance(step)
        ticks.append(session.poll())
    ticks += run_to_end(session, fake_clock)
    assert events_of(ticks) == build_timeline(plan)
    assert session.status is SessionStatus.FINISHED


def test_a_late_look_catches_up_without_dropping_anything(fake_clock: FakeClock) -> None:
    plan = make_plan()
    session = Session(plan, fake_clock)
    session.start()
    fake_clock.advance(9.0)  # the GUI was busy for nine seconds
    late = session.poll()
    assert [e.t_ms for e in late.events] == [
        e.t_ms for e in build_timeline(plan) if 0 < e.t_ms <= 9000
    ]
    assert [r.rep for r in late.reps_finished] == [1]


def test_events_are_never_early(fake_clock: FakeClock) -> None:
    session = Session(make_plan(), fake_clock)
    session.start()
    while session.status is SessionStatus.RUNNING:
        fake_clock.advance(0.37)
        now = session.session_ms()
        assert all(e.t_ms <= now for e in session.poll().events)


def test_snapshot_follows_the_phases(fake_clock: FakeClock) -> None:
    session = Session(make_plan(), fake_clock)
    session.start()
    snap = session.snapshot()
    assert (snap.phase, snap.count, snap.set_number, snap.rep) == (Phase.COUNT_IN, 3, 1, None)
    fake_clock.advance(4.5)  # 1.5 s into the first lowering
    snap = session.snapshot()
    assert (snap.phase, snap.count, snap.rep, snap.phase_elapsed_ms) == (
        Phase.ECCENTRIC,
        2,
        1,
        1500,
    )
    assert snap.phase_progress == pytest.approx(0.5)
    assert snap.time_under_tension_ms == 1500
    fake_clock.advance(15.0)  # 19.5 s: rest started at 18 s, 10 s long
    snap = session.snapshot()
    assert snap.phase is Phase.REST and snap.phase_remaining_ms == 8500
    assert snap.set_number == 2  # during rest the screen shows the set to come
    assert snap.count == 9


def test_pause_moves_the_rest_of_the_timeline(fake_clock: FakeClock) -> None:
    plan = make_plan()
    session = Session(plan, fake_clock)
    ticks = [session.start()]
    fake_clock.advance(4.2)  # 1.2 s into rep 1's 3 s lowering (3 s count-in)
    ticks.append(session.poll())
    session.pause()
    fake_clock.advance(60)  # a minute away: nothing happens
    assert session.poll().events == ()
    assert session.snapshot().status is SessionStatus.PAUSED
    assert session.snapshot().phase_elapsed_ms == 1200
    session.resume()
    assert session.session_ms() == 4200
    # A short count-in, then the rest of the lowering announced again, its count "3" at its
    # own second (3 s into the lowering: 1.8 s after it goes on), then the hold.
    fake_clock.advance(3.7)
    tick = session.poll()
    heard = [
        (e.t_ms, e.kind.value, e.phase.value if e.phase else None, e.count) for e in tick.events
    ]
    assert heard == [
        (4200, "phase", "count_in", None),
        (4200, "count", "count_in", 2),
        (5200, "count", "count_in", 1),
        (6200, "phase", "eccentric", None),
        (7000, "count", "eccentric", 3),
    ]
    ticks += [tick, *run_to_end(session, fake_clock)]
    emitted = events_of(ticks)
    assert emitted == list(session.events)  # nothing skipped or doubled
    # Everything after the resumed lowering is the plan's, 2 s later.
    after = [e for e in emitted if e.t_ms >= 8000]
    planned = [e for e in build_timeline(plan) if e.t_ms >= 6000]
    assert [e.t_ms - 2000 for e in after] == [e.t_ms for e in planned]
    # The lowering split by the pause is one phase of 3 s in the record; no count-in in it.
    first = session.set_records[0].reps[0]
    assert [(p.phase, p.actual_ms) for p in first.phases][:2] == [
        (Phase.ECCENTRIC, 3000),
        (Phase.PAUSE_AFTER_ECCENTRIC, 1000),
    ]
    assert first.actual_ms == 5000 and session.set_records[0].tempo_used == "3-1-1-0"


def test_a_pause_between_phases_resumes_with_a_count_in_and_the_phase(
    fake_clock: FakeClock,
) -> None:
    session = Session(make_plan(count_in_ms=0), fake_clock)
    session.start()
    fake_clock.advance(3.0)  # the hold begins at 3 s
    session.poll()
    session.pause()
    session.resume()
    fake_clock.advance(2.0)
    phases = [(e.t_ms, e.phase) for e in session.poll().events if e.kind is EventKind.PHASE]
    assert phases == [(3000, Phase.COUNT_IN), (5000, Phase.PAUSE_AFTER_ECCENTRIC)]


def test_a_paused_rest_goes_on_counting_down_without_a_count_in(fake_clock: FakeClock) -> None:
    session = Session(make_plan(count_in_ms=0, reps=1), fake_clock)
    session.start()
    fake_clock.advance(7.0)  # in the rest (5 s to 15 s)
    session.poll()
    before = session.events
    session.pause()
    session.resume()
    assert session.events == before


def test_live_change_mid_lowering_applies_to_the_next_lowering_only(fake_clock: FakeClock) -> None:
    session = Session(make_plan(), fake_clock)
    session.start()
    fake_clock.advance(4.0)  # count-in 3 s, then 1 s into rep 1's 3-s lowering
    session.poll()
    change = session.change_eccentric(+1000)
    assert change == LiveChange(set_number=1, rep=2, at_ms=4000, from_ms=3000, to_ms=4000)
    assert eccentric_lengths(session) == [3000] + [4000] * 5
    assert session.eccentric_ms == 4000
    ticks = run_to_end(session, fake_clock)
    reps = [r for t in ticks for r in t.reps_finished]
    assert [r.actual(Phase.ECCENTRIC) for r in reps] == [3000] + [4000] * 5
    assert all(p.planned_ms == 3000 for r in reps for p in r.phases if p.phase is Phase.ECCENTRIC)
    sets = [s for t in ticks for s in t.sets_finished]
    assert sets[0].live_changes == (change,)
    assert (sets[0].tempo_planned, sets[0].tempo_used) == ("3-1-1-0", "4-1-1-0")
    assert sets[1].live_changes == () and sets[1].tempo_planned == "4-1-1-0"


def test_live_change_events_after_now_move_and_past_ones_stay(fake_clock: FakeClock) -> None:
    session = Session(make_plan(), fake_clock)
    ticks = [session.start()]
    fake_clock.advance(4.0)
    ticks.append(session.poll())
    before = [e for e in session.events if e.t_ms <= 4000]
    session.change_eccentric(-1000)
    assert [e for e in session.events if e.t_ms <= 4000] == before
    ticks += run_to_end(session, fake_clock)
    emitted = events_of(ticks)
    assert emitted == list(session.events)
    assert len(emitted) == len(set(emitted))


def test_live_change_during_a_pause_or_before_start(fake_clock: FakeClock) -> None:
    session = Session(make_plan(), fake_clock)
    session.change_eccentric(+2000)  # before the start: every lowering
    assert eccentric_lengths(session) == [5000] * 6
    session.start()
    fake_clock.advance(3.5)
    session.pause()
    session.change_eccentric(-1000)  # rep 1's lowering is running: untouched
    assert eccentric_lengths(session) == [5000] + [4000] * 5


def test_live_change_respects_the_commit_horizon(fake_clock: FakeClock) -> None:
    session = Session(make_plan(), fake_clock, commit_horizon_ms=500)
    session.start()
    fake_clock.advance(7.7)  # rep 2's lowering starts at 8.0 s: within 500 ms, committed
    change = session.change_eccentric(+1000)
    assert change.rep == 3
    assert eccentric_lengths(session)[:3] == [3000, 3000, 4000]


def test_live_change_out_of_bounds_is_refused_and_changes_nothing(fake_clock: FakeClock) -> None:
    session = Session(make_plan(tempo="1-0-1-0"), fake_clock)
    session.start()
    with pytest.raises(TempoError, match="the lowering phase must last 1 to 30 seconds, got 0"):
        session.change_eccentric(-1000)
    assert eccentric_lengths(session) == [1000] * 6
    assert session.live_changes == ()


def test_live_change_with_no_lowering_left(fake_clock: FakeClock) -> None:
    session = Session(make_plan(reps=1, sets=1), fake_clock)
    session.start()
    fake_clock.advance(3.5)
    with pytest.raises(SessionError, match="no lowering phase is left"):
        session.change_eccentric(1000)


def test_skip_rest_counts_in_the_next_set(fake_clock: FakeClock) -> None:
    plan = make_plan()  # a 3 s count-in
    session = Session(plan, fake_clock)
    ticks = [session.start()]
    fake_clock.advance(20.0)  # rest runs from 18 s to 28 s
    ticks.append(session.poll())
    assert session.skip_rest() is True
    assert session.skip_rest() is False, "the count-in is not a rest"
    fake_clock.advance(3.5)
    tick = session.poll()
    ticks.append(tick)
    heard = [(e.t_ms, e.kind, e.phase, e.set_number, e.count) for e in tick.events]
    assert heard[:4] == [
        (20_000, EventKind.PHASE, Phase.COUNT_IN, 2, None),
        (20_000, EventKind.COUNT, Phase.COUNT_IN, 2, 3),
        (21_000, EventKind.COUNT, Phase.COUNT_IN, 2, 2),
        (22_000, EventKind.COUNT, Phase.COUNT_IN, 2, 1),
    ]
    assert heard[4][:4] == (23_000, EventKind.PHASE, Phase.ECCENTRIC, 2)
    assert session.snapshot().set_number == 2
    ticks += run_to_end(session, fake_clock)
    emitted = events_of(ticks)
    assert len(emitted) == len(set(emitted)) and emitted[-1].t_ms == 38_000
    assert not any(e.phase is Phase.REST and e.t_ms > 20_000 for e in emitted)
    assert session.set_records[1].started_at == session.set_records[0].started_at  # wall ""


def test_skip_rest_waits_for_what_is_committed(fake_clock: FakeClock) -> None:
    session = Session(make_plan(), fake_clock, commit_horizon_ms=1000)
    session.start()
    fake_clock.advance(20.0)
    session.poll()
    session.skip_rest()
    count_in = next(s for s in session.segments if s.phase is Phase.COUNT_IN and s.set_number == 2)
    assert (count_in.start_ms, count_in.duration_ms) == (21_000, 3000)


def test_skip_rest_near_its_end_leaves_the_rest_as_its_own_countdown(
    fake_clock: FakeClock,
) -> None:
    session = Session(make_plan(), fake_clock)
    session.start()
    fake_clock.advance(26.0)  # 2 s of rest left, less than the 3 s count-in
    session.poll()
    before = session.segments
    assert session.skip_rest() is True
    assert session.segments == before


def test_skip_rest_outside_a_rest_does_nothing(fake_clock: FakeClock) -> None:
    session = Session(make_plan(), fake_clock)
    session.start()
    fake_clock.advance(5)
    assert session.skip_rest() is False
    assert session.total_ms == make_plan_total()


def make_plan_total() -> int:
    return build_timeline(make_plan())[-1].t_ms


def test_end_set_early_keeps_the_reps_done(fake_clock: FakeClock) -> None:
    session = Session(make_plan(), fake_clock)
    session.start()
    fake_clock.advance(9.0)  # rep 1 done (3-8 s), rep 2 lowering 1 s in
    assert session.end_set_early() is True
    tick = session.poll()
    [first_set] = tick.sets_finished
    assert first_set.ended_early and first_set.reps_done == 1
    assert first_set.time_under_tension_ms == 5000
    assert [r.complete for r in first_set.reps] == [True, False]
    assert first_set.reps[1].actual(Phase.ECCENTRIC) == 1000
    assert session.snapshot().phase is Phase.REST
    assert session.snapshot().phase_remaining_ms == 10_000
    ticks = run_to_end(session, fake_clock)
    [second_set] = [s for t in ticks for s in t.sets_finished]
    assert second_set.reps_done == 3 and not second_set.ended_early
    assert [s.set_number for s in session.set_records] == [1, 2]


def test_end_the_last_set_early_finishes(fake_clock: FakeClock) -> None:
    session = Session(make_plan(sets=1), fake_clock)
    session.start()
    fake_clock.advance(4.0)
    session.pause()
    assert session.end_set_early() is True
    assert session.status is SessionStatus.RUNNING  # ending is an action: resumed
    tick = session.poll()
    assert tick.sets_finished[0].reps_done == 0
    assert tick.events[-1].kind is EventKind.END
    assert session.status is SessionStatus.FINISHED


def test_abort_keeps_a_set_with_reps_done(fake_clock: FakeClock) -> None:
    session = Session(make_plan(), fake_clock)
    session.start()
    fake_clock.advance(12.0)  # rep 1 done, rep 2 running
    tick = session.abort()
    assert session.status is SessionStatus.ABORTED
    assert [s.reps_done for s in tick.sets_finished] == [1]
    assert session.poll().events == ()
    assert session.abort().sets_finished == ()


def test_abort_in_the_first_rep_keeps_nothing(fake_clock: FakeClock) -> None:
    session = Session(make_plan(), fake_clock)
    session.start()
    fake_clock.advance(4.0)
    assert session.abort().sets_finished == ()
    assert session.set_records == ()


def test_state_errors_are_explained(fake_clock: FakeClock) -> None:
    session = Session(make_plan(), fake_clock)
    with pytest.raises(SessionError, match="only a running session can be paused"):
        session.pause()
    session.start()
    with pytest.raises(SessionError, match="already started"):
        session.start()
    with pytest.raises(SessionError, match="only a paused session can be resumed"):
        session.resume()


def test_alternating_sides_are_recorded_per_rep(fake_clock: FakeClock) -> None:
    session = Session(make_plan("hamstring curl", "5-0-1-1", sets=1), fake_clock)
    session.start()
    ticks = run_to_end(session, fake_clock)
    reps = [r for t in ticks for r in t.reps_finished]
    assert [r.side for r in reps] == [Side.LEFT, Side.RIGHT, Side.LEFT]
    assert [p.phase for p in reps[0].phases] == [
        Phase.CONCENTRIC,
        Phase.PAUSE_AFTER_CONCENTRIC,
        Phase.ECCENTRIC,
    ]


def test_one_side_per_set_records_the_side_of_each_set(fake_clock: FakeClock) -> None:
    session = Session(make_plan("step-down", "4-0-1-1"), fake_clock)
    session.start()
    run_to_end(session, fake_clock)
    assert [s.side for s in session.set_records] == [Side.LEFT, Side.RIGHT]
    assert all(s.time_under_tension_ms == 3 * 6000 for s in session.set_records)


def test_records_carry_load_and_wall_time(fake_clock: FakeClock) -> None:
    stamps = iter(["2026-11-21T10:00:00+00:00", "2026-11-21T10:01:00+00:00"])
    session = Session(make_plan(), fake_clock, load=60.0, wall_time=lambda: next(stamps))
    session.start()
    run_to_end(session, fake_clock)
    assert [s.started_at for s in session.set_records] == [
        "2026-11-21T10:00:00+00:00",
        "2026-11-21T10:01:00+00:00",
    ]
    assert all(s.load == 60.0 for s in session.set_records)


# -- properties over random plans and random actions ---------------------------------------

actions = st.lists(
    st.tuples(
        st.sampled_from(["wait", "wait", "wait", "pause", "plus", "minus", "skip", "end"]),
        st.floats(0.0, 7.0),
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(plans(), actions)
def test_session_invariants_under_random_actions(plan: SetPlan, steps: list) -> None:
    clock = FakeClock()
    session = Session(plan, clock)
    emitted = list(session.start().events)
    sets_seen = []
    changes = 0
    for action, seconds in steps:
        if session.status not in (SessionStatus.RUNNING, SessionStatus.PAUSED):
            break
        running_before = session.snapshot()
        before_ecc = [s for s in session.segments if s.phase is Phase.ECCENTRIC]
        now = session.session_ms()
        if action == "pause":
            session.toggle_pause()
        elif action in ("plus", "minus"):
            try:
                session.change_eccentric(1000 if action == "plus" else -1000)
                changes += 1
            except (TempoError, SessionError):
                pass
            after_ecc = [s for s in session.segments if s.phase is Phase.ECCENTRIC]
            # A lowering that has begun is never stretched or cut.
            for old, new in zip(before_ecc, after_ecc, strict=True):
                if old.start_ms <= now:
                    assert old == new
            if running_before.phase is not None:
                assert session.snapshot().phase_duration_ms == running_before.phase_duration_ms
        elif action == "skip":
            session.skip_rest()
        elif action == "end":
            session.end_set_early()
        clock.advance(seconds)
        tick = session.poll()
        now = session.session_ms()
        assert all(e.t_ms <= now for e in tick.events)
        emitted += tick.events
        sets_seen += tick.sets_finished
    if session.status is SessionStatus.PAUSED:
        session.resume()
    while session.status is SessionStatus.RUNNING:
        clock.advance(3.0)
        tick = session.poll()
        emitted += tick.events
        sets_seen += tick.sets_finished
    # Every event once, in order, and it is the final timeline's, ending with END.
    assert emitted == list(session.events)
    assert len({e.identity for e in emitted}) == len(emitted)
    assert all(a.t_ms <= b.t_ms for a, b in itertools.pairwise(emitted))
    assert emitted[-1].kind is EventKind.END
    # Every set is recorded exactly once, in order, and the records agree with the plan.
    assert [s.set_number for s in sets_seen] == list(range(1, plan.sets + 1))
    assert len(session.live_changes) == changes
    for record in sets_seen:
        assert record.reps_done <= plan.reps
        assert record.reps_done == plan.reps or record.ended_early
        assert [r.rep for r in record.reps] == list(range(1, len(record.reps) + 1))


# -- a press reaches the next lowering when what differs is not yet heard ------------------


def heard_after(lead_ms: int) -> object:
    """A finder like the output's for count-up beeps: the first sound that differs is
    ``lead_ms`` into the first changed lowering (its phase and first counts are alike)."""

    def finder(old: list[Event], new: list[Event]) -> int | None:
        for before, after in zip(old, new, strict=False):
            if before != after:
                start = min(before.t_ms, after.t_ms)
                return start + lead_ms
        return None

    return finder


@pytest.mark.parametrize(
    ("press_s", "lead_ms", "rep"),
    [
        (4.0, 2000, 2),  # during rep 1's lift, 1 s before rep 2's lowering (5 s)
        (4.85, 2000, 2),  # 150 ms before: still rep 2 (its difference is at 7 s)
        (4.85, 0, 3),  # a difference at the lowering's start is committed: rep 3
        (3.9, 0, 2),  # ... unless the press is a whole horizon before it
    ],
)
def test_a_press_during_the_lift_reaches_the_next_lowering_when_not_yet_heard(
    fake_clock: FakeClock, press_s: float, lead_ms: int, rep: int
) -> None:
    """Squat 3-1-1-0 (a 5 s rep, no count-in): rep 2's lowering starts at 5 s."""
    session = Session(
        make_plan(count_in_ms=0),
        fake_clock,
        commit_horizon_ms=1000,
        audible_difference=heard_after(lead_ms),  # type: ignore[arg-type]
    )
    session.start()
    fake_clock.advance(press_s)
    session.poll()
    change = session.change_eccentric(+1000)
    assert (change.set_number, change.rep) == (1, rep)
    lengths = eccentric_lengths(session)
    assert lengths[rep - 1] == 4000 and lengths[rep - 2] == 3000


def test_a_running_lowering_is_never_the_target_whatever_the_finder_says(
    fake_clock: FakeClock,
) -> None:
    session = Session(
        make_plan(count_in_ms=0),
        fake_clock,
        commit_horizon_ms=0,
        audible_difference=lambda _old, _new: None,
    )
    session.start()
    fake_clock.advance(5.2)  # rep 2's lowering began at 5 s
    session.poll()
    assert session.change_eccentric(+1000).rep == 3


def test_the_default_finder_is_the_old_rule(fake_clock: FakeClock) -> None:
    """Without the output's finder, a lowering changes only if it starts beyond the horizon."""
    session = Session(make_plan(count_in_ms=0), fake_clock, commit_horizon_ms=1000)
    session.start()
    fake_clock.advance(4.2)
    session.poll()
    assert session.change_eccentric(+1000).rep == 3
