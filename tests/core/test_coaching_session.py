"""Tempo accuracy (taps), the "slower" cue, negative-only sets and the rep counters, in the
core session on a fake clock."""

from __future__ import annotations

import pytest

from tempo_coach.core.clock import FakeClock
from tempo_coach.core.exercise import BUILTIN_EXERCISES, find_exercise
from tempo_coach.core.records import SessionSummary, tap_error
from tempo_coach.core.session import Session, SessionStatus
from tempo_coach.core.taps import (
    Calibration,
    CalibrationError,
    Tap,
    TapVerdict,
    calibrate,
    verdict,
)
from tempo_coach.core.tempo import Phase, parse_tempo
from tempo_coach.core.timeline import EventKind, SetPlan, build_timeline


def squat_plan(**overrides: object) -> SetPlan:
    # Eccentric first: count-in 3 s, then each rep: lower 5, hold 1, lift 1, pause 0 (7 s).
    values: dict[str, object] = {
        "tempo": parse_tempo("5-1-1-0"),
        "reps": 4,
        "sets": 2,
        "rest_ms": 10_000,
        "count_in_ms": 3_000,
    }
    values.update(overrides)
    return SetPlan.from_exercise(find_exercise("barbell squat", BUILTIN_EXERCISES), **values)


def pull_up_plan(tempo: str, reps: int) -> SetPlan:
    """Lifting first (lift, hold, lower, hang), one set, no count-in."""
    return SetPlan.from_exercise(
        find_exercise("band pull-up", BUILTIN_EXERCISES),
        tempo=parse_tempo(tempo),
        reps=reps,
        sets=1,
        rest_ms=0,
        count_in_ms=0,
    )


def started(clock: FakeClock, plan: SetPlan | None = None, **kwargs: object) -> Session:
    session = Session(plan or squat_plan(), clock, tap_mode=True, **kwargs)  # type: ignore[arg-type]
    session.start()
    return session


def go_to(session: Session, clock: FakeClock, t_ms: int) -> None:
    """Move the clock to session time ``t_ms`` and poll."""
    clock.advance((t_ms - session.session_ms()) / 1000)
    session.poll()


# -- the verdict and the words ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("tapped", "expected"),
    [
        (3_999, TapVerdict.FAST),  # 20.02 % short
        (4_000, TapVerdict.A_LITTLE_FAST),  # exactly 20 % short: still on tempo
        (4_749, TapVerdict.A_LITTLE_FAST),
        (4_750, TapVerdict.ON_TEMPO),
        (5_250, TapVerdict.ON_TEMPO),
        (5_251, TapVerdict.A_LITTLE_SLOW),
        (6_000, TapVerdict.A_LITTLE_SLOW),
        (6_001, TapVerdict.SLOW),
    ],
)
def test_verdict_boundaries(tapped: int, expected: TapVerdict) -> None:
    assert verdict(tapped, 5_000) is expected
    assert expected.on_tempo is (4_000 <= tapped <= 6_000)


def test_feedback_says_the_time_the_count_and_the_verdict() -> None:
    assert Tap(1, 1, 4_200, 5_000).feedback() == "4.2 s of 5: a little fast"
    assert Tap(1, 1, 5_000, 5_000).feedback() == "5 s of 5: on tempo"
    assert Tap(1, 1, 2_500, 4_500).feedback() == "2.5 s of 4.5: fast"


# -- taps in a session ------------------------------------------------------------------------


def test_a_tap_times_the_lowering_from_its_cue(fake_clock: FakeClock) -> None:
    session = started(fake_clock)
    go_to(session, fake_clock, 3_000 + 4_200)  # rep 1's lowering began at 3 s
    tap = session.tap()
    assert tap == Tap(1, 1, 4_200, 5_000)
    assert tap.verdict is TapVerdict.A_LITTLE_FAST


def test_the_tap_offset_is_taken_off(fake_clock: FakeClock) -> None:
    session = started(fake_clock)
    go_to(session, fake_clock, 3_000 + 5_180)
    tap = session.tap(offset_ms=180)
    assert tap is not None and tap.tapped_ms == 5_000


def test_a_late_tap_in_the_lift_still_times_its_lowering(fake_clock: FakeClock) -> None:
    session = started(fake_clock)
    go_to(session, fake_clock, 3_000 + 6_500)  # in the lift (hold 8-9, lift 9-10 s... )
    tap = session.tap()
    assert tap is not None and (tap.rep, tap.tapped_ms) == (1, 6_500)
    assert tap.verdict is TapVerdict.SLOW


def test_a_tap_before_any_lowering_or_far_too_late_times_nothing(fake_clock: FakeClock) -> None:
    session = started(fake_clock)
    go_to(session, fake_clock, 2_000)  # the count-in
    assert session.tap() is None
    plan = squat_plan(tempo=parse_tempo("2-10-1-0"))  # lower 2 s, then a 10 s hold
    other = started(FakeClock(), plan)
    clock = other._clock  # type: ignore[attr-defined]
    go_to(other, clock, 3_000 + 4_001)  # more than twice the 2 s lowering
    assert other.tap() is None
    record = other.record()
    taps = [r.lowering_tapped_ms for s in record.sets for r in s.reps]
    assert all(t is None for t in taps)


def test_a_double_tap_keeps_the_first(fake_clock: FakeClock) -> None:
    session = started(fake_clock)
    go_to(session, fake_clock, 3_000 + 3_000)
    first = session.tap()
    go_to(session, fake_clock, 3_000 + 5_000)
    assert session.tap() is None
    assert first is not None and first.tapped_ms == 3_000
    go_to(session, fake_clock, 3_000 + 7_000 * 4)  # the set's end
    reps = session.record().sets[0].reps
    assert reps[0].lowering_tapped_ms == 3_000


def test_a_missing_tap_stays_missing(fake_clock: FakeClock) -> None:
    session = started(fake_clock)
    go_to(session, fake_clock, 3_000 + 5_000)
    session.tap()  # rep 1 tapped; rep 2 not; rep 3 tapped
    go_to(session, fake_clock, 3_000 + 14_000 + 5_100)
    session.tap()
    go_to(session, fake_clock, 3_000 + 28_000 + 100)  # set 1 over
    set_1 = session.record().sets[0]
    assert set_1.tap_mode
    assert [r.lowering_tapped_ms for r in set_1.reps] == [5_000, None, 5_100, None]
    summary = SessionSummary.of(session.record())
    assert (summary.taps, summary.taps_on_tempo, summary.taps_missing) == (2, 2, 2)


def test_a_tap_after_its_rep_closed_amends_the_record(fake_clock: FakeClock) -> None:
    # Lifting first (pull-up: lift 1, hold 2, lower 5, hang 0): the rep ends with its
    # lowering, so a late tap comes after the rep's record was made.
    session = started(fake_clock, pull_up_plan("5-0-1-2", 2))
    go_to(session, fake_clock, 3_000 + 5_300)  # the lowering ran 3-8 s; rep 2 lifts now
    assert session.record().sets[0].reps[0].lowering_tapped_ms is None
    tap = session.tap()
    assert tap is not None and (tap.rep, tap.tapped_ms) == (1, 5_300)
    assert session.record().sets[0].reps[0].lowering_tapped_ms == 5_300
    go_to(session, fake_clock, 17_000)
    assert session.status is SessionStatus.FINISHED
    go_to_end_taps = session.record().sets[0].reps
    assert [r.lowering_tapped_ms for r in go_to_end_taps] == [5_300, None]


def test_no_tap_outside_tap_mode(fake_clock: FakeClock) -> None:
    session = Session(squat_plan(), fake_clock)
    session.start()
    go_to(session, fake_clock, 8_000)
    assert session.tap() is None
    assert not session.record().sets or not session.record().sets[0].tap_mode


def test_a_lowering_split_by_a_pause_is_not_timed(fake_clock: FakeClock) -> None:
    session = started(fake_clock)
    go_to(session, fake_clock, 3_000 + 2_000)
    session.pause()
    fake_clock.advance(10)
    session.resume()
    go_to(session, fake_clock, session.session_ms() + 4_000)
    assert session.tap() is None


# -- "slower" ---------------------------------------------------------------------------------


def test_two_fast_reps_cue_slower_at_the_next_lowering_not_committed(fake_clock: FakeClock) -> None:
    session = started(fake_clock, commit_horizon_ms=1_500)
    go_to(session, fake_clock, 3_000 + 3_000)  # rep 1: 3 s of 5, fast
    assert session.tap() is not None and session.hints == ()
    # rep 2's lowering: 10-15 s; tapped at 12.5 s (2.5 s of 5)
    go_to(session, fake_clock, 10_000 + 2_500)
    assert session.tap() is not None
    # Rep 3's lowering begins at 17 s; now is 12.5 s, committed up to 14 s: rep 3 gets it.
    assert session.hints == ((1, 3),)
    hints = [e for e in session.events if e.kind is EventKind.HINT]
    assert [(e.t_ms, e.rep, e.hint) for e in hints] == [(17_000, 3, "slower")]
    # The streak starts again after a cue.
    go_to(session, fake_clock, 17_000 + 2_000)
    session.tap()
    assert session.hints == ((1, 3),)


def test_slower_skips_a_lowering_already_committed(fake_clock: FakeClock) -> None:
    session = started(fake_clock, commit_horizon_ms=4_000)
    go_to(session, fake_clock, 3_000 + 3_000)
    session.tap()
    go_to(session, fake_clock, 10_000 + 3_500)  # now 13.5 s + 4 s > 17 s: rep 3 committed
    session.tap()
    assert session.hints == ((1, 4),)


def test_fast_then_on_tempo_then_fast_is_no_streak(fake_clock: FakeClock) -> None:
    session = started(fake_clock)
    for rep, tapped in enumerate((3_000, 5_000, 3_000)):
        go_to(session, fake_clock, 3_000 + rep * 7_000 + tapped)
        session.tap()
    assert session.hints == ()


# -- negative-only sets ---------------------------------------------------------------------


def test_negative_only_replaces_the_lift_by_a_reset_not_under_tension(
    fake_clock: FakeClock,
) -> None:
    plan = squat_plan(negative_only=True, tempo=parse_tempo("5-1-3-0"), sets=1)
    phases = [e.phase for e in build_timeline(plan) if e.kind is EventKind.PHASE and e.rep == 1]
    assert phases == [Phase.ECCENTRIC, Phase.PAUSE_AFTER_ECCENTRIC, Phase.RESET]
    session = Session(plan, fake_clock)
    session.start()
    go_to(session, fake_clock, 3_000 + 9_000 * 4 + 10)
    record = session.record()
    set_1 = record.sets[0]
    assert set_1.negative_only and record.planned is not None and record.planned.negative_only
    assert set_1.reps[0].phases[2].phase is Phase.RESET
    assert set_1.reps[0].phases[2].actual_ms == 3_000
    assert set_1.time_under_tension_ms == 4 * 6_000  # the lowering and the hold, no reset
    assert SessionSummary.of(record).negative_only_sets == 1
    assert SessionSummary.of(record).time_under_tension_ms == 24_000


def test_negative_only_snapshot_time_under_tension_leaves_out_the_reset(
    fake_clock: FakeClock,
) -> None:
    plan = squat_plan(negative_only=True, tempo=parse_tempo("5-1-3-0"), sets=1)
    session = Session(plan, fake_clock)
    session.start()
    go_to(session, fake_clock, 3_000 + 9_000)  # rep 1 over
    assert session.snapshot().time_under_tension_ms == 6_000


# -- the rep counters -------------------------------------------------------------------------


def test_rep_counters_move_on_at_the_end_of_the_lowering_or_the_lift(fake_clock: FakeClock) -> None:
    session = started(fake_clock)  # lower 5, hold 1, lift 1 from 3 s
    go_to(session, fake_clock, 3_000 + 4_999)
    snap = session.snapshot()
    assert (snap.reps_lowered, snap.reps_lifted) == (0, 0)
    go_to(session, fake_clock, 3_000 + 5_000)
    snap = session.snapshot()
    assert (snap.reps_lowered, snap.reps_lifted) == (1, 0)
    go_to(session, fake_clock, 3_000 + 7_000)
    snap = session.snapshot()
    assert (snap.reps_lowered, snap.reps_lifted) == (1, 1)


# -- calibration ------------------------------------------------------------------------------


def test_calibration_takes_the_median_offset_and_ignores_a_stray_tap() -> None:
    ticks = [1_000 * k for k in range(1, 9)]
    taps = [t + d for t, d in zip(ticks, (180, 200, 190, 210, 200, 195, 205, 400), strict=True)]
    taps.append(5_600)  # a stray press between ticks, nearer none
    result = calibrate(ticks, taps)
    assert isinstance(result, Calibration)
    assert 195 <= result.offset_ms <= 205
    assert result.taps_used == 8
    assert result.spread_ms < 30  # the one late tap does not blow the spread up
    assert "after the tick" in result.text()


def test_calibration_needs_half_the_ticks() -> None:
    ticks = [1_000 * k for k in range(1, 9)]
    with pytest.raises(CalibrationError, match="only 3 of 8"):
        calibrate(ticks, [1_100, 2_100, 3_100])


def test_tap_error_is_relative_to_the_planned_lowering(fake_clock: FakeClock) -> None:
    session = started(fake_clock)
    go_to(session, fake_clock, 3_000 + 4_000)
    session.tap()
    go_to(session, fake_clock, 3_000 + 7_000 + 10)
    rep = session.record().sets[0].reps[0]
    assert tap_error(rep) == pytest.approx(-0.2)


def test_after_a_live_change_taps_are_judged_on_the_count_heard(fake_clock: FakeClock) -> None:
    session = started(fake_clock)  # lower 5 s
    go_to(session, fake_clock, 3_000 + 1_000)
    session.change_eccentric(2_000)  # from rep 2: 7 s
    go_to(session, fake_clock, 10_000 + 7_000)  # rep 2's lowering began at 10 s
    tap = session.tap()
    assert tap is not None and tap.feedback() == "7 s of 7: on tempo"
    go_to(session, fake_clock, 10_000 + 9_000 + 100)
    rep_2 = session.record().sets[0].reps[1]
    assert rep_2.lowering_planned_ms == 5_000 and rep_2.lowering_cued_ms == 7_000
    assert tap_error(rep_2) == 0
    assert SessionSummary.of(session.record()).taps_on_tempo == 1


def test_a_pause_between_the_lowering_and_the_tap_times_nothing(fake_clock: FakeClock) -> None:
    session = started(fake_clock)
    go_to(session, fake_clock, 3_000 + 5_200)  # in the hold after rep 1's lowering
    session.pause()
    fake_clock.advance(30)
    session.resume()
    go_to(session, fake_clock, session.session_ms() + 500)
    assert session.tap() is None, "the resume count-in is no lowering time"


def test_a_negative_offset_never_credits_a_lowering_not_begun(fake_clock: FakeClock) -> None:
    session = started(fake_clock)  # rep 2's lowering begins at 10 s
    go_to(session, fake_clock, 10_000 - 200)
    early = session.tap(offset_ms=-300)
    assert early is not None and early.rep == 1, "rep 1's lowering, tapped very late"
    go_to(session, fake_clock, 10_000 + 4_900)
    tap = session.tap(offset_ms=-300)
    assert tap is not None and (tap.rep, tap.tapped_ms) == (2, 5_200)


def test_a_missing_tap_breaks_the_fast_row(fake_clock: FakeClock) -> None:
    session = started(fake_clock)
    go_to(session, fake_clock, 3_000 + 2_000)
    session.tap()  # rep 1 fast; rep 2 not tapped
    go_to(session, fake_clock, 17_000 + 2_000)
    session.tap()  # rep 3 fast
    assert session.hints == ()


def test_the_last_lowering_can_be_tapped_after_the_session_ended(fake_clock: FakeClock) -> None:
    # Lifting first, nothing after the lowering: the session ends with the last lowering.
    session = started(fake_clock, pull_up_plan("5-0-1-0", 1))
    go_to(session, fake_clock, 6_000 + 300)  # lift 0-1, lower 1-6: over
    assert session.status is SessionStatus.FINISHED
    tap = session.tap()
    assert tap is not None and tap.tapped_ms == 5_300
    assert session.record().sets[0].reps[0].lowering_tapped_ms == 5_300
