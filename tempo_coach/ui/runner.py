"""The view logic of a running session: owns the Session, polls it, says what to show.

The Session runs on the cue output's clock, so the screen follows the sound. A single-shot QTimer
only decides *when to look*: after each look it is set for the next moment something shown
changes (a count, the phase, the time under tension, or the next step of the progress bar,
at most 5 steps a second), so a count appears on screen within a millisecond or two of its
time and nothing is drawn in between. ``poll_now()`` asks the session for everything due
since the last look (a late look catches up) and turns its snapshot into a ``ViewState``; a
signal goes out only when what is shown changes. Tests drive a FakeClock and call
``poll_now()`` themselves.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from tempo_coach.core.exercise import Side
from tempo_coach.core.output import CueOutput
from tempo_coach.core.records import LiveChange, LoadUnit, RepRecord, SessionRecord
from tempo_coach.core.session import Session, SessionError, SessionStatus, Snapshot, Tick
from tempo_coach.core.taps import Tap
from tempo_coach.core.tempo import Phase, TempoError
from tempo_coach.core.timeline import SetPlan

log = logging.getLogger(__name__)

PROGRESS_STEPS = 100  # the progress bar moves in 1% steps
# The progress bar moves at most 5 times a second. Each step wakes the window, looks at the
# session and repaints the bar's strip: about 0.8 ms of CPU here (bench/ui_cpu.py; docs/UI.md
# has the figures). At 25 steps a second the window took 1.5% of a core, at 10 0.8%, at 5
# 0.5%. Five steps a second still fills a 3 s lowering in 15 visible steps; the
# counts do not wait for a step, they are looked at on their own time.
POLL_INTERVAL_MS = 200
LONGEST_LOOK_MS = 250  # look at least this often (a clock may jump: audio catching up)


@dataclass(frozen=True)
class ViewState:
    """Everything the rep timer view shows; equal states need no repaint."""

    status: SessionStatus
    phase: Phase | None
    phase_name: str  # the exercise's own word for the phase ("descend", "pull in")
    count: int | None
    progress_steps: int  # 0..PROGRESS_STEPS through the phase
    rep: int | None
    reps: int
    set_number: int
    sets: int
    side: Side | None
    time_under_tension_s: int
    eccentric_ms: int
    rest_remaining_s: int | None  # during rest: whole seconds to the next set
    # Reps of the set done so far, counted at the end of the lowering or of the lift (the
    # preference ``rep_counts_at``).
    reps_done: int = 0


@dataclass(frozen=True)
class CountChange:
    """A live change of the lowering count, for the on-screen acknowledgement."""

    from_ms: int
    to_ms: int
    set_number: int
    rep: int
    running_now: bool  # a lowering phase is in progress and keeps its length


@dataclass(frozen=True)
class CountRefused:
    message: str


@dataclass(frozen=True)
class SessionOver:
    aborted: bool
    record: SessionRecord  # the session's final record (``Session.record()``)


class SessionRunner(QObject):
    view_changed = Signal(object)  # ViewState
    rep_finished = Signal(object)  # RepRecord
    set_finished = Signal(object)  # SetRecord
    count_changed = Signal(object)  # CountChange
    count_refused = Signal(object)  # CountRefused
    session_over = Signal(object)  # SessionOver
    tapped = Signal(object)  # core.taps.Tap: a tap timed a lowering

    def __init__(
        self,
        wall_time: Callable[[], str],
        parent: QObject | None = None,
        *,
        interval_ms: int = POLL_INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self._wall_time = wall_time
        self._frame_ms = interval_ms
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        # Precise: the timer is set for the moment a count changes, and wakes rarely.
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._session: Session | None = None
        self._output: CueOutput | None = None
        self._last_state: ViewState | None = None
        self._over = False  # session_over has been emitted for this session
        self._counts_at_lift = False  # the rep counter moves on at the end of the lift

    # -- reading ---------------------------------------------------------------------------

    @property
    def session(self) -> Session | None:
        return self._session

    @property
    def timer(self) -> QTimer:
        return self._timer

    @property
    def active(self) -> bool:
        """A session is running or paused (not idle, not over)."""
        return self._session is not None and self._session.status in (
            SessionStatus.RUNNING,
            SessionStatus.PAUSED,
        )

    @property
    def status(self) -> SessionStatus:
        return self._session.status if self._session else SessionStatus.IDLE

    @property
    def state(self) -> ViewState | None:
        return self._last_state

    # -- driving ---------------------------------------------------------------------------

    def start(
        self,
        plan: SetPlan,
        output: CueOutput,
        *,
        load: float | None = None,
        load_unit: LoadUnit = LoadUnit.KG,
        continues: SessionRecord | None = None,
        tap_mode: bool = False,
        rep_counts_at: str = "lowering",
        soreness: int | None = None,
    ) -> Session:
        if self.active:
            raise SessionError("a session is already running")
        session = Session(
            plan,
            output.clock,
            load=load,
            load_unit=load_unit,
            commit_horizon_ms=output.horizon_ms,
            wall_time=self._wall_time,
            continues=continues,
            audible_difference=output.first_audible_difference,
            tap_mode=tap_mode,
            soreness=soreness,
        )
        self._counts_at_lift = rep_counts_at == "lifting"
        self._session = session
        self._output = output
        self._last_state = None
        self._over = False
        tick = session.start()
        output.begin(session)
        self._timer.start()
        self._handle(tick)
        return session

    def toggle_pause(self) -> None:
        session = self._session
        if session is None or not self.active:
            return
        session.toggle_pause()
        self._changed()
        if session.status is SessionStatus.PAUSED:
            self._timer.stop()
        else:
            self._timer.start()
        self.poll_now()

    def change_eccentric(self, delta_ms: int) -> LiveChange | None:
        session = self._session
        if session is None or not self.active:
            return None
        before = self.snapshot_phase()
        try:
            change = session.change_eccentric(delta_ms)
        except (TempoError, SessionError) as error:
            self.count_refused.emit(CountRefused(str(error)))
            return None
        self._changed()
        self.count_changed.emit(
            CountChange(
                change.from_ms,
                change.to_ms,
                change.set_number,
                change.rep,
                before is Phase.ECCENTRIC,
            )
        )
        self.poll_now()
        return change

    def tap(self, offset_ms: int = 0) -> Tap | None:
        """The lifter tapped the end of a lowering (tap mode): ``tapped`` says how close it
        was; a "slower" cue the tap brought on goes to the output at once."""
        session = self._session
        if session is None or session.status not in (
            SessionStatus.RUNNING,
            SessionStatus.FINISHED,  # the last lowering may end the session
        ):
            return None
        hints = len(session.hints)
        result = session.tap(offset_ms)
        if result is None:
            return None
        if len(session.hints) != hints:
            self._changed()
        self.tapped.emit(result)
        self.poll_now()
        return result

    def skip_rest(self) -> bool:
        session = self._session
        if session is None or not session.skip_rest():
            return False
        self._changed()
        self.poll_now()
        return True

    def end_set_early(self) -> bool:
        session = self._session
        if session is None:
            return False
        was_paused = session.status is SessionStatus.PAUSED
        if not session.end_set_early():
            return False
        if was_paused:
            self._timer.start()  # ending is an action: the session resumed
        self._changed()
        self.poll_now()
        return True

    def stop(self) -> None:
        """Stop for good; the sets done so far come out in ``session_over``."""
        session = self._session
        if session is None or not self.active:
            return
        tick = session.abort()
        self._timer.stop()
        self._emit_records(tick)
        self._finish(aborted=True)

    def shutdown(self) -> None:
        """The window closes: stop the timer and the sound without reporting anything."""
        self._timer.stop()
        if self._session is not None and self.active:
            self._session.abort()
        if self._output is not None:
            self._output.end()
            self._output = None

    def snapshot_phase(self) -> Phase | None:
        return self._session.snapshot().phase if self._session else None

    # -- looking ---------------------------------------------------------------------------

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.poll_now()

    def poll_now(self) -> None:
        """Look at the session now: emit what finished and what the screen should show."""
        session = self._session
        if session is None or self._over:
            return
        self._handle(session.poll())

    def _handle(self, tick: Tick) -> None:
        session = self._session
        assert session is not None
        self._emit_records(tick)
        snap = self._publish()
        if session.status is SessionStatus.FINISHED:
            self._timer.stop()
            self._finish(aborted=False)
        elif session.status is SessionStatus.RUNNING:
            self._timer.start(next_look_ms(snap, self._frame_ms))

    def _emit_records(self, tick: Tick) -> None:
        for rep in tick.reps_finished:
            self.rep_finished.emit(rep)
        for set_record in tick.sets_finished:
            self.set_finished.emit(set_record)

    def _publish(self) -> Snapshot:
        session = self._session
        assert session is not None
        snap = session.snapshot()
        state = view_state(session, snap, counts_at_lift=self._counts_at_lift)
        if state != self._last_state:
            self._last_state = state
            self.view_changed.emit(state)
        return snap

    def _changed(self) -> None:
        if self._output is not None:
            self._output.session_changed()

    def _finish(self, *, aborted: bool) -> None:
        session = self._session
        assert session is not None
        self._over = True
        if self._output is not None:
            self._output.end()
            self._output = None
        self._publish()
        self.session_over.emit(SessionOver(aborted, session.record()))


def next_look_ms(snap: Snapshot, frame_ms: int) -> int:
    """Milliseconds until something the view shows changes (at least 4, at most
    LONGEST_LOOK_MS); progress steps are not looked for more often than every ``frame_ms``."""
    if snap.phase is None:
        return LONGEST_LOOK_MS
    elapsed, duration = snap.phase_elapsed_ms, snap.phase_duration_ms
    soon = [snap.phase_remaining_ms, 1000 - elapsed % 1000, LONGEST_LOOK_MS]
    if snap.phase.is_rep_phase:
        soon.append(1000 - snap.time_under_tension_ms % 1000)
    if duration > 0:
        next_step = (elapsed * PROGRESS_STEPS) // duration + 1
        step_at = -(-next_step * duration // PROGRESS_STEPS)
        soon.append(max(frame_ms, step_at - elapsed))
    # +1: land just after the change, not a hair before it on a clock of another rate; at
    # least 4 ms, so a clock that stands still (an audio clock waiting for its device) is
    # not asked hundreds of times a second.
    return max(4, min(soon) + 1)


def view_state(
    session: Session, snap: Snapshot | None = None, *, counts_at_lift: bool = False
) -> ViewState:
    snap = snap if snap is not None else session.snapshot()
    phase = snap.phase
    rest_remaining = None
    if phase is Phase.REST:
        rest_remaining = -(-snap.phase_remaining_ms // 1000)
    return ViewState(
        status=snap.status,
        phase=phase,
        phase_name=session.plan.exercise.phase_name(phase) if phase else "",
        count=snap.count,
        progress_steps=int(snap.phase_progress * PROGRESS_STEPS) if phase else 0,
        rep=snap.rep,
        reps=snap.reps,
        set_number=snap.set_number,
        sets=snap.sets,
        side=snap.side,
        time_under_tension_s=snap.time_under_tension_ms // 1000,
        eccentric_ms=snap.eccentric_ms,
        rest_remaining_s=rest_remaining,
        reps_done=snap.reps_lifted if counts_at_lift else snap.reps_lowered,
    )


__all__ = [
    "CountChange",
    "CountRefused",
    "RepRecord",
    "SessionOver",
    "SessionRunner",
    "ViewState",
    "view_state",
]
