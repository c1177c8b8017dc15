"""Edge cases of the session found by review (each failed before its fix), and two
properties: records do not depend on how often anybody polls, and the counts heard inside a
phase always form a proper sequence (a countdown never restarts)."""

from __future__ import annotations

import contextlib
import itertools
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tempo_coach.core.clock import FakeClock
from tempo_coach.core.records import RepRecord, SetRecord
from tempo_coach.core.session import Session, SessionError, SessionStatus
from tempo_coach.core.tempo import Phase, TempoError, parse_tempo
from tempo_coach.core.timeline import CountStyle, Event, EventKind, SetPlan
from tests.core.strategies import plans
from tests.core.test_session import make_plan as plan


def counts(events: tuple[Event, ...], phase: Phase) -> list[tuple[int, int | None]]:
    return [(e.t_ms, e.count) for e in events if e.kind is EventKind.COUNT and e.phase is phase]


def started(p: SetPlan) -> tuple[Session, FakeClock]:
    clock = FakeClock()
    session = Session(p, clock)
    session.start()
    return session, clock


def test_skip_rest_mid_second_does_not_restart_the_countdown() -> None:
    s, c = started(plan())
    c.advance(20.0)  # rest 18..28 s: heard 10, 9, 8
    assert [n for _, n in counts(s.poll().events, Phase.REST)] == [10, 9, 8]
    c.advance(0.5)
    assert s.skip_rest()
    c.advance(0.001)
    assert counts(s.poll().events, Phase.REST) == []


def test_end_set_early_counting_down_does_not_restart_the_count() -> None:
    s, c = started(plan(tempo="5-1-1-0", count_style=CountStyle.DOWN))
    c.advance(5.0)  # lowering 3..8 s: heard 5, 4, 3
    s.poll()
    c.advance(0.5)
    assert s.end_set_early()
    assert counts(s.poll().events, Phase.ECCENTRIC) == []


def test_snapshot_after_abort_describes_where_it_stopped() -> None:
    s, c = started(plan())
    c.advance(12.0)  # set 1, rep 2 running
    s.poll()
    s.abort()
    snap = s.snapshot()
    assert (snap.status, snap.set_number, snap.time_under_tension_ms) == (
        SessionStatus.ABORTED,
        1,
        5000,
    )
    assert s.total_ms == 12_000


@pytest.mark.parametrize("poll_between", [True, False])
def test_tempo_planned_does_not_depend_on_when_poll_ran(poll_between: bool) -> None:
    s, c = started(plan("cable row", "4-0-1-1", sets=2, reps=1, rest_ms=0, count_in_ms=0))
    c.advance(6.0)  # set 2 begins at 6.0 s with its lifting phase
    if poll_between:
        s.poll()
    c.advance(0.5)
    s.change_eccentric(+1000)  # set 2's lowering has not begun: 4 -> 5
    c.advance(30)
    s.poll()
    assert s.set_records[1].tempo_planned == "4-0-1-1"
    assert s.set_records[1].tempo_used == "5-0-1-1"


def test_abort_in_the_first_rep_returns_no_orphan_rep() -> None:
    s, c = started(plan())
    c.advance(4.0)
    tick = s.abort()
    assert (tick.sets_finished, tick.reps_finished, s.rep_records) == ((), (), ())


def test_final_snapshot_time_under_tension_agrees_with_the_record() -> None:
    s, c = started(plan(sets=1))
    c.advance(9.0)
    s.end_set_early()
    record = s.poll().sets_finished[0]
    assert s.snapshot().time_under_tension_ms == record.time_under_tension_ms == 5000


def test_ending_at_the_instant_a_rep_begins_makes_no_phantom_rep() -> None:
    s, c = started(plan())
    c.advance(8.0)  # rep 2 starts at 8.0 s
    s.end_set_early()
    tick = s.poll()
    assert [r.rep for r in tick.reps_finished] == [1]  # finished at 8.0 s; no rep 2 at all
    assert tick.sets_finished[0].reps_done == 1
    assert [(r.set_number, r.rep) for r in s.rep_records] == [(1, 1)]
    assert [r.rep for r in tick.sets_finished[0].reps] == [1]


def test_ending_the_only_rep_at_its_first_instant_keeps_a_timeline() -> None:
    s, _c = started(plan(reps=1, sets=1, count_in_ms=0))
    assert s.end_set_early()
    assert s.poll().sets_finished[0].reps_done == 0
    assert s.status is SessionStatus.FINISHED
    assert s.snapshot().status is SessionStatus.FINISHED


def test_skip_rest_while_paused_resumes() -> None:
    s, c = started(plan())
    c.advance(20.0)
    s.pause()
    assert s.skip_rest() and s.status is SessionStatus.RUNNING


def test_abort_after_the_end_but_before_a_look_is_a_normal_finish() -> None:
    s, c = started(plan(sets=1))
    c.advance(100)
    tick = s.abort()
    assert s.status is SessionStatus.FINISHED and [x.reps_done for x in tick.sets_finished] == [3]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("100-1-1-0", "the lowering phase must last 1 to 30 seconds, got 100"),
        ("4-45.5-1-0", "the pause after the lowering must last 0 to 30 seconds, got 45.5"),
        ("99999999999999999999-0-1-0", "must last 1 to 30 seconds, got '99999999999999999999'"),
        ("4" * 5000, "'44444444444444444444...' is not a tempo"),
    ],
)
def test_out_of_range_numbers_get_the_range_message(text: str, message: str) -> None:
    with pytest.raises(TempoError) as caught:
        parse_tempo(text)
    assert message in str(caught.value)


def test_pasted_dashes_and_full_width_digits_are_read() -> None:
    expected = parse_tempo("4-1-1-0")
    for text in ("４１１０", "４-１-１-０", "4–1–1–0", "4—1—1—0", "4−1−1−0"):
        assert parse_tempo(text) == expected


@pytest.mark.parametrize(
    "option", [["--rest", "1e308"], ["--count-in", "1e308"], ["--explosive", "1e308"]]
)
def test_cli_huge_seconds_is_a_usage_error(option: list[str], cli_env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tempo_coach", "plan", "-e", "squat", *option],
        capture_output=True,
        text=True,
        env=cli_env,
        timeout=60,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "seconds" in result.stderr


# -- properties -----------------------------------------------------------------------------

steps_strategy = st.lists(
    st.tuples(
        st.sampled_from(["wait", "pause", "plus", "minus", "skip", "end", "abort"]),
        st.integers(0, 7000),
    ),
    max_size=30,
)


def drive(
    p: SetPlan, steps: list[tuple[str, int]], poll_every_ms: int | None
) -> tuple[Session, list[Event], list[RepRecord], list[SetRecord]]:
    clock = FakeClock()
    s = Session(p, clock)
    emitted = list(s.start().events)
    reps: list[RepRecord] = []
    sets: list[SetRecord] = []

    def take(tick: object) -> None:
        emitted.extend(tick.events)  # type: ignore[attr-defined]
        reps.extend(tick.reps_finished)  # type: ignore[attr-defined]
        sets.extend(tick.sets_finished)  # type: ignore[attr-defined]

    for action, wait_ms in steps:
        if s.status not in (SessionStatus.RUNNING, SessionStatus.PAUSED):
            break
        if action == "pause":
            s.toggle_pause()
        elif action in ("plus", "minus"):
            with contextlib.suppress(TempoError, SessionError):
                s.change_eccentric(1000 if action == "plus" else -1000)
        elif action == "skip":
            s.skip_rest()
        elif action == "end":
            s.end_set_early()
        elif action == "abort":
            take(s.abort())
            break
        left = wait_ms
        while left > 0:
            step = left if poll_every_ms is None else min(left, poll_every_ms)
            clock.advance(step / 1000)
            left -= step
            if poll_every_ms is not None:
                take(s.poll())
    if s.status is SessionStatus.PAUSED:
        s.resume()
    while s.status is SessionStatus.RUNNING:
        clock.advance(1.0)
        take(s.poll())
    return s, emitted, reps, sets


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(plans(), steps_strategy)
def test_records_do_not_depend_on_the_poll_rhythm(p: SetPlan, steps: list) -> None:
    _, _, reps_often, sets_often = drive(p, steps, 50)
    _, _, reps_never, sets_never = drive(p, steps, None)

    def strip(sets: list[SetRecord]) -> list[tuple[object, ...]]:
        return [
            (
                r.set_number,
                r.tempo_planned,
                r.tempo_used,
                r.reps,
                r.live_changes,
                r.ended_early,
                r.side,
            )
            for r in sets
        ]

    assert strip(sets_often) == strip(sets_never)
    assert reps_often == reps_never


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(plans(), steps_strategy, st.sampled_from([50, 333, 1000, None]))
def test_counts_heard_in_a_phase_form_a_proper_sequence(
    p: SetPlan, steps: list, rhythm: int | None
) -> None:
    _session, emitted, reps, sets = drive(p, steps, rhythm)
    # Counts go one at a time, in one direction, from each announcement of a phase (its
    # start, or its rest after a pause, which is announced again) to the next.
    groups: dict[int, list[int]] = {}
    announced = 0
    for e in emitted:
        if e.kind is EventKind.PHASE:
            announced += 1
        if e.kind is EventKind.COUNT and e.count is not None:
            groups.setdefault(announced, []).append(e.count)
    for key, heard in groups.items():
        steps_between = [b - a for a, b in itertools.pairwise(heard)]
        assert all(d == steps_between[0] for d in steps_between), (key, heard)
        assert not steps_between or abs(steps_between[0]) == 1, (key, heard)
    # Every completed rep belongs to exactly one recorded set; TUT is their sum.
    assert sorted((r.set_number, r.rep) for r in reps if r.complete) == sorted(
        (r.set_number, r.rep) for x in sets for r in x.reps if r.complete
    )
    for record in sets:
        assert record.time_under_tension_ms == sum(r.actual_ms for r in record.reps if r.complete)
