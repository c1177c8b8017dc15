"""The session runner: polls on a timer it owns, emits records and view states."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tempo_coach.core.clock import FakeClock
from tempo_coach.core.exercise import BUILTIN_EXERCISES
from tempo_coach.core.session import SessionStatus, Snapshot
from tempo_coach.core.tempo import Phase, parse_tempo
from tempo_coach.core.timeline import SetPlan
from tempo_coach.ui.ports import SilentOutput
from tempo_coach.ui.runner import SessionOver, SessionRunner, next_look_ms

CURL = BUILTIN_EXERCISES[-1]  # lifting first


def plan() -> SetPlan:
    return SetPlan(CURL, parse_tempo("2-0-1-1"), reps=2, sets=2, rest_ms=5000, count_in_ms=1000)


def test_a_whole_session_emits_reps_sets_and_the_end(qtbot: QtBot, fake_clock: FakeClock) -> None:
    runner = SessionRunner(lambda: "now")
    output = SilentOutput(fake_clock)
    reps, sets, over = [], [], []
    runner.rep_finished.connect(reps.append)
    runner.set_finished.connect(sets.append)
    runner.session_over.connect(over.append)
    runner.start(plan(), output)
    assert runner.timer.isActive()
    assert output.calls == ["begin"]
    for _ in range(300):
        fake_clock.advance(0.1)
        runner.poll_now()
    assert len(reps) == 4 and len(sets) == 2
    assert over == [SessionOver(False, tuple(sets))]
    assert runner.status is SessionStatus.FINISHED
    assert not runner.timer.isActive(), "the timer stops with the session"
    assert output.calls[-1] == "end"


def test_the_timer_drives_the_poll(qtbot: QtBot, fake_clock: FakeClock) -> None:
    runner = SessionRunner(lambda: "now", interval_ms=5)
    states = []
    runner.view_changed.connect(states.append)
    runner.start(plan(), SilentOutput(fake_clock))
    first = len(states)
    fake_clock.advance(1.5)  # past the count-in
    qtbot.waitUntil(lambda: len(states) > first)
    assert states[-1].phase is not None and states[-1].phase.value == "concentric"
    runner.shutdown()
    assert not runner.timer.isActive()


def snap(phase: Phase, elapsed: int, duration: int, tut: int = 0) -> Snapshot:
    return Snapshot(
        SessionStatus.RUNNING, phase, 1, 3, 1, 8, None, 1, elapsed, duration, 0, 0, 3000, tut
    )


def test_the_next_look_is_when_something_shown_changes() -> None:
    # A count changes at each whole second of the phase: look right after it.
    assert next_look_ms(snap(Phase.ECCENTRIC, 990, 3000, tut=990), 33) == 11
    # Between counts, the progress bar's next 1% step, but not more often than a frame.
    assert next_look_ms(snap(Phase.ECCENTRIC, 100, 3000, tut=100), 33) == 34
    assert next_look_ms(snap(Phase.ECCENTRIC, 100, 10_000, tut=100), 33) == 101
    # The phase ends before its next whole second.
    assert next_look_ms(snap(Phase.CONCENTRIC, 1490, 1500, tut=5490), 33) == 11
    # Time under tension ticks on its own seconds.
    assert next_look_ms(snap(Phase.ECCENTRIC, 100, 10_000, tut=4950), 33) == 51
    # A long rest is still looked at four times a second (a clock may jump).
    assert next_look_ms(snap(Phase.REST, 0, 120_000), 33) == 251


def test_the_timer_is_set_for_the_next_change(qtbot: QtBot, fake_clock: FakeClock) -> None:
    runner = SessionRunner(lambda: "now")
    runner.start(plan(), SilentOutput(fake_clock))  # a 1 s count-in
    fake_clock.advance(0.99)
    runner.poll_now()
    assert runner.timer.isSingleShot()
    assert runner.timer.interval() == 11, "the count-in ends in 10 ms"
    runner.toggle_pause()
    assert not runner.timer.isActive()
    runner.shutdown()
