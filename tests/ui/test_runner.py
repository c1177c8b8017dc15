"""The session runner: polls on a timer it owns, emits records and view states."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tempo_coach.core.clock import FakeClock
from tempo_coach.core.exercise import BUILTIN_EXERCISES
from tempo_coach.core.session import SessionStatus, Snapshot
from tempo_coach.core.tempo import Phase, parse_tempo
from tempo_coach.core.timeline import SetPlan
from tempo_coach.ui.runner import SessionOver, SessionRunner, ViewState, next_look_ms
from tests.fakes import FakeOutput

CURL = BUILTIN_EXERCISES[-1]  # lifting first


def plan() -> SetPlan:
    return SetPlan(CURL, parse_tempo("2-0-1-1"), reps=2, sets=2, rest_ms=5000, count_in_ms=1000)


def test_a_whole_session_emits_reps_sets_and_the_end(qtbot: QtBot, fake_clock: FakeClock) -> None:
    runner = SessionRunner(lambda: "now")
    output = FakeOutput(fake_clock)
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
    assert len(over) == 1 and isinstance(over[0], SessionOver) and not over[0].aborted
    assert over[0].record.sets == tuple(sets) and over[0].record.finished
    assert runner.status is SessionStatus.FINISHED
    assert not runner.timer.isActive(), "the timer stops with the session"
    assert output.calls[-1] == "end"


def test_the_timer_drives_the_poll(qtbot: QtBot, fake_clock: FakeClock) -> None:
    runner = SessionRunner(lambda: "now", interval_ms=5)
    states = []
    runner.view_changed.connect(states.append)
    runner.start(plan(), FakeOutput(fake_clock))
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
    runner.start(plan(), FakeOutput(fake_clock))  # a 1 s count-in
    fake_clock.advance(0.99)
    runner.poll_now()
    assert runner.timer.isSingleShot()
    assert runner.timer.interval() == 11, "the count-in ends in 10 ms"
    runner.toggle_pause()
    assert not runner.timer.isActive()
    runner.shutdown()


def run_by_own_timer(runner: SessionRunner, clock: FakeClock, seconds: float) -> list[int]:
    """Let ``seconds`` pass looking exactly when the runner's single-shot timer would fire;
    returns the session time of every look."""
    session = runner.session
    assert session is not None
    looks = []
    waited = 0
    while runner.timer.isActive() and waited < seconds * 1000:
        interval = runner.timer.interval()
        waited += interval
        clock.advance(interval / 1000)
        runner.poll_now()
        looks.append(session.session_ms())
    runner.shutdown()
    return looks


def squat_plan() -> SetPlan:
    squat = next(e for e in BUILTIN_EXERCISES if e.exercise_id == "barbell-squat")
    return SetPlan(squat, parse_tempo("4-1-1-0"), reps=6, sets=2, rest_ms=60_000, count_in_ms=3000)


def test_a_running_set_wakes_the_window_about_five_times_a_second(
    qtbot: QtBot, fake_clock: FakeClock
) -> None:
    # Each look costs the window about 0.8 ms of CPU (bench/ui_cpu.py); at 25 looks a second
    # the window alone took 2% of a core.
    runner = SessionRunner(lambda: "now")
    changes: list[object] = []
    runner.view_changed.connect(changes.append)
    runner.start(squat_plan(), FakeOutput(fake_clock))
    looks = run_by_own_timer(runner, fake_clock, 30)
    assert 30 * 4 <= len(looks) <= 30 * 6, len(looks)
    assert len(changes) <= len(looks) + 1, "a view change only when something shown changed"


def test_counts_still_appear_on_their_time(qtbot: QtBot, fake_clock: FakeClock) -> None:
    runner = SessionRunner(lambda: "now")
    seen: list[tuple[int, int | None, Phase | None]] = []

    def on_view_changed(state: ViewState) -> None:
        assert runner.session is not None
        seen.append((runner.session.snapshot().phase_elapsed_ms, state.count, state.phase))

    runner.view_changed.connect(on_view_changed)
    runner.start(squat_plan(), FakeOutput(fake_clock))
    run_by_own_timer(runner, fake_clock, 40)  # count-in, six reps, into the rest
    pairs = zip(seen[1:], seen[:-1], strict=True)
    new_counts = [now[0] for now, before in pairs if now[1:] != before[1:]]
    assert len(new_counts) > 30
    late = [elapsed % 1000 for elapsed in new_counts if elapsed % 1000 > 2]
    assert late == [], "a count is shown at most 2 ms after its time"


def test_progress_moves_at_most_five_times_a_second(qtbot: QtBot, fake_clock: FakeClock) -> None:
    runner = SessionRunner(lambda: "now")
    steps: list[tuple[Phase | None, int]] = []
    runner.view_changed.connect(lambda state: steps.append((state.phase, state.progress_steps)))
    runner.start(squat_plan(), FakeOutput(fake_clock))
    run_by_own_timer(runner, fake_clock, 3.0 + 4.0)  # the count-in and rep 1's lowering
    lowering = {progress for phase, progress in steps if phase is Phase.ECCENTRIC}
    assert 4 * 4 <= len(lowering) <= 4 * 5 + 1, sorted(lowering)
