"""The session state machine: where a running session is, driven by an injected clock.

State is computed from *session time* (clock time since the start, minus paused time), never
from counting timer ticks: a caller may look late or rarely, and ``poll()`` returns every
event that fell due since the last look, in order, exactly once.

Re-planning (a live change of the lowering count, skipping a rest, ending a set early) edits
only segments that have not begun and derives the events again, so nothing already heard or
seen is moved, skipped or doubled.

Why it is over 500 lines: it is one state machine, and every action (start, pause, resume,
a live change, skip rest, end early, stop) edits the same segments and records; split, each
part would reach into the others' state.
"""

from __future__ import annotations

import bisect
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import Enum

from tempo_coach.core.clock import Clock
from tempo_coach.core.exercise import Side, SideMode
from tempo_coach.core.records import (
    LiveChange,
    LoadUnit,
    PhaseTime,
    PlannedSession,
    RepRecord,
    SessionRecord,
    SetRecord,
    renumbered,
)
from tempo_coach.core.taps import FAST_STREAK, LATE_LIMIT, Tap
from tempo_coach.core.tempo import ECCENTRIC_RANGE_MS, Phase, TempoError
from tempo_coach.core.timeline import (
    RESUME_COUNT_IN_MS,
    CountStyle,
    Event,
    Segment,
    SetPlan,
    count_values,
    events_for,
    first_difference,
    plan_segments,
    restart_from,
)


class SessionStatus(str, Enum):
    IDLE = "idle"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"
    ABORTED = "aborted"


class SessionError(RuntimeError):
    """An action that does not fit the session's state (the message says why)."""


@dataclass(frozen=True)
class Snapshot:
    """What the screen shows, at one instant."""

    status: SessionStatus
    phase: Phase | None
    set_number: int
    sets: int
    rep: int | None
    reps: int
    side: Side | None
    count: int | None
    phase_elapsed_ms: int
    phase_duration_ms: int
    session_ms: int
    total_ms: int
    eccentric_ms: int
    time_under_tension_ms: int  # in the current set, including the rep in progress
    # Reps of the current set whose lowering / lift (or reset) has ended: the rep counter
    # moves on at the end of the one the lifter chose (preference ``rep_counts_at``).
    reps_lowered: int = 0
    reps_lifted: int = 0

    @property
    def phase_remaining_ms(self) -> int:
        return max(0, self.phase_duration_ms - self.phase_elapsed_ms)

    @property
    def phase_progress(self) -> float:
        if self.phase_duration_ms <= 0:
            return 1.0
        return min(1.0, self.phase_elapsed_ms / self.phase_duration_ms)


@dataclass(frozen=True)
class Tick:
    """What ``poll()`` found: events due since the last poll, and what just finished."""

    events: tuple[Event, ...] = ()
    reps_finished: tuple[RepRecord, ...] = ()
    sets_finished: tuple[SetRecord, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.events or self.reps_finished or self.sets_finished)


def _default_wall() -> str:
    return ""


#: Given the timeline as it stands and as a change would make it, the session time of the
#: first thing heard that differs (None: nothing heard differs). The cue output knows its
#: sounds and supplies one (``CueOutput.first_audible_difference``).
DifferenceFinder = Callable[[Sequence[Event], Sequence[Event]], "int | None"]


def first_event_difference(old: Sequence[Event], new: Sequence[Event]) -> int | None:
    """The first event that differs in any field: the safe answer when nothing is known of
    the sounds (a lowering's own phase event carries its length, so a change differs from
    the start of the first lowering it changes)."""
    return first_difference(old, new)


class Session:
    """One session of one exercise: sets of reps, rests between them.

    ``commit_horizon_ms``: how far ahead of now the output has committed sound; with
    ``audible_difference`` (the output's), a live change applies to the first lowering not yet
    begun whose first *heard* difference lies beyond it, so a press during the lift reaches
    the very next lowering whenever the sound allows it (see ``change_eccentric``).
    ``wall_time`` returns an ISO 8601 timestamp for records (not used for timing).
    ``continues``: an interrupted session whose sets this one carries on (same id, same
    start, its sets first); ``session_id`` names a new one (a fresh random id by default).

    ``record()`` is the one builder of a session's record, at any moment: the window's
    checkpoint, the window's final save and ``tempo-coach play`` all take it from here.
    """

    def __init__(
        self,
        plan: SetPlan,
        clock: Clock,
        *,
        load: float | None = None,
        load_unit: LoadUnit = LoadUnit.KG,
        commit_horizon_ms: int = 0,
        wall_time: Callable[[], str] = _default_wall,
        session_id: str | None = None,
        continues: SessionRecord | None = None,
        audible_difference: DifferenceFinder = first_event_difference,
        tap_mode: bool = False,
        soreness: int | None = None,
    ) -> None:
        self.plan = plan
        self.tap_mode = tap_mode
        if soreness is None and continues is not None:
            soreness = continues.soreness
        self.soreness = soreness  # the check-in before the session (0 to 10), if asked
        self._audible_difference = audible_difference
        self._clock = clock
        self.load = load
        self.load_unit = load_unit
        self._horizon_ms = commit_horizon_ms
        self._wall_time = wall_time
        self._continues = continues
        self._prior_sets: tuple[SetRecord, ...] = continues.sets if continues else ()
        if continues is not None:
            self.session_id = continues.session_id
        else:
            self.session_id = session_id or uuid.uuid4().hex
        self._started_at = continues.started_at if continues is not None else ""
        self._start_wall = ""  # the wall clock when start() ran
        earlier = continues.planned if continues is not None else None
        self.planned = PlannedSession(
            tempo=earlier.tempo if earlier is not None else plan.tempo.notation(),
            reps=earlier.reps if earlier is not None else plan.reps,
            sets=len(self._prior_sets) + plan.sets,
            rest_ms=plan.rest_ms,
            count_in_ms=plan.count_in_ms,
            side_mode=plan.exercise.side_mode,
            negative_only=plan.negative_only,
            tap_mode=tap_mode,
        )
        self._planned_segments = plan_segments(plan)
        self._segments = list(self._planned_segments)
        self._starts = [s.start_ms for s in self._segments]
        self._events = events_for(self._segments, plan.count_style)
        self._next_event = 0
        self._emitted_until_ms = -1
        self._status = SessionStatus.IDLE
        self._start_clock = 0.0
        self._paused_at_ms = 0
        self._resumed_at_ms = 0  # session time does not go below this (see resume)
        self._paused_total_s = 0.0
        self._pause_clock = 0.0
        self._eccentric_ms = plan.tempo.eccentric_ms
        self._changes: list[LiveChange] = []
        self._rep_records: list[RepRecord] = []
        self._set_records: list[SetRecord] = []
        self._set_started_at: dict[int, str] = {}
        self._set_tempo_at_start: dict[int, str] = {}
        self._ended_early: set[int] = set()
        self._done_segments = 0  # segments whose end has been accounted for
        self._pending = Tick()
        self._cut_reps: set[tuple[int, int]] = set()  # reps cut short by end_set_early
        self._taps: dict[tuple[int, int], int] = {}  # (set, rep): the tapped lowering
        self._fast_streak = 0
        self._last_tapped: tuple[int, int] | None = None  # the rep of the last tap
        self._hints: list[tuple[int, int]] = []  # (set, rep) of lowerings cued "slower"

    # -- reading -------------------------------------------------------------------------

    @property
    def status(self) -> SessionStatus:
        return self._status

    @property
    def eccentric_ms(self) -> int:
        """The lowering count that the next lowering phase not yet begun will use."""
        return self._eccentric_ms

    @property
    def segments(self) -> tuple[Segment, ...]:
        return tuple(self._segments)

    @property
    def events(self) -> tuple[Event, ...]:
        """The whole current timeline (past and future), in session time."""
        return tuple(self._events)

    @property
    def live_changes(self) -> tuple[LiveChange, ...]:
        return tuple(self._changes)

    @property
    def set_records(self) -> tuple[SetRecord, ...]:
        return tuple(self._set_records)

    @property
    def rep_records(self) -> tuple[RepRecord, ...]:
        return tuple(self._rep_records)

    @property
    def total_ms(self) -> int:
        return self._segments[-1].end_ms if self._segments else 0

    def session_ms(self) -> int:
        """Milliseconds of session time: clock time since start, pauses excluded."""
        if self._status is SessionStatus.IDLE:
            return 0
        if self._status in (SessionStatus.PAUSED, SessionStatus.FINISHED, SessionStatus.ABORTED):
            return self._paused_at_ms
        elapsed = self._clock.now() - self._start_clock - self._paused_total_s
        # Just after a resume, session time waits at the pause for the commit horizon.
        return max(self._resumed_at_ms, round(elapsed * 1000))

    def wall_offset_s(self) -> float:
        """Clock time at which session time 0 happened, pauses included (for the audio)."""
        return self._start_clock + self._paused_total_s

    def _segment_index_at(self, t_ms: int) -> int:
        """The segment running at ``t_ms`` (the last one whose start is at or before it)."""
        index = bisect.bisect_right(self._starts, t_ms) - 1
        return max(0, min(index, len(self._segments) - 1))

    def snapshot(self) -> Snapshot:
        t = self.session_ms()
        plan = self.plan
        if self._status is SessionStatus.IDLE or not self._segments:
            return Snapshot(
                self._status,
                None,
                1,
                plan.sets,
                None,
                plan.reps,
                None,
                None,
                0,
                0,
                0,
                self.total_ms,
                self._eccentric_ms,
                0,
            )
        if t >= self.total_ms or self._status in (SessionStatus.FINISHED, SessionStatus.ABORTED):
            last = self._segments[-1]
            return Snapshot(
                self._status,
                None,
                last.set_number,
                plan.sets,
                last.rep,
                plan.reps,
                None,
                None,
                0,
                0,
                min(t, self.total_ms),
                self.total_ms,
                self._eccentric_ms,
                *self._set_progress(last.set_number, self.total_ms),
            )
        segment = self._segments[self._segment_index_at(t)]
        elapsed = t - segment.start_ms
        style = plan.count_style
        if segment.phase in (Phase.COUNT_IN, Phase.REST):
            style = CountStyle.DOWN
        values = count_values(segment.counted_ms, style)
        count = values[min(len(values) - 1, (segment.count_from_ms + elapsed) // 1000)]
        return Snapshot(
            self._status,
            segment.phase,
            segment.set_number if segment.phase is not Phase.REST else segment.set_number + 1,
            plan.sets,
            segment.rep,
            plan.reps,
            segment.side,
            count,
            elapsed,
            segment.duration_ms,
            t,
            self.total_ms,
            self._eccentric_ms,
            *self._set_progress(segment.set_number, t),
        )

    def _set_progress(self, set_number: int, t: int) -> tuple[int, int, int]:
        """``(time under tension, reps lowered, reps lifted)`` so far in a set: rep phases
        up to ``t``, the rep in progress included (during a rest: the set just finished).
        A rep is lowered (lifted) once its last lowering (lift or reset) piece has ended."""
        total = 0
        lowered: dict[int, bool] = {}
        lifted: dict[int, bool] = {}
        # A set's segments are contiguous: look back from ``t`` to the set's first one only
        # (every look of the window asks; a whole session is thousands of segments).
        end = bisect.bisect_left(self._starts, t)  # the segments begun before t
        first = end
        while first > 0 and self._segments[first - 1].set_number == set_number:
            first -= 1
        for segment in self._segments[first:end]:
            if segment.rep is None:
                continue
            if (set_number, segment.rep) in self._cut_reps:
                continue  # a rep cut short does not count, as in the set's record
            ended = segment.end_ms <= t
            if segment.phase is Phase.ECCENTRIC:
                lowered[segment.rep] = ended
            elif segment.phase in (Phase.CONCENTRIC, Phase.RESET):
                lifted[segment.rep] = ended
            if segment.phase.under_tension:  # not the count-in after a pause, not a reset
                total += min(segment.duration_ms, t - segment.start_ms)
        return total, sum(lowered.values()), sum(lifted.values())

    # -- driving ---------------------------------------------------------------------------

    def start(self) -> Tick:
        if self._status is not SessionStatus.IDLE:
            raise SessionError("the session has already started")
        self._status = SessionStatus.RUNNING
        self._start_clock = self._clock.now()
        # Set 1 (its count-in) begins now: one reading of the wall clock serves both.
        self._start_wall = self._wall_time()
        if not self._started_at:
            self._started_at = self._start_wall
        return self.poll()

    def pause(self) -> None:
        if self._status is not SessionStatus.RUNNING:
            raise SessionError("only a running session can be paused")
        self._paused_at_ms = self.session_ms()
        self._pause_clock = self._clock.now()
        self._status = SessionStatus.PAUSED

    def resume(self) -> None:
        """Go on where it stopped. In the middle of a rep, a short count-in comes first,
        then the rest of the phase, announced again: never a silent phase start."""
        if self._status is not SessionStatus.PAUSED:
            raise SessionError("only a paused session can be resumed")
        # Move the origin so that session time continues exactly where it stopped, once the
        # sound the output had already committed while paused (silence) has played: the
        # first cue after a pause (the count-in) is heard whole, and the screen waits with it.
        wait_s = self._horizon_ms / 1000
        self._paused_total_s = (
            self._clock.now() - self._start_clock - self._paused_at_ms / 1000 + wait_s
        )
        self._resumed_at_ms = self._paused_at_ms
        self._status = SessionStatus.RUNNING
        self._announce_resume(self._paused_at_ms)

    def _announce_resume(self, t: int) -> None:
        if t >= self.total_ms:
            return
        index = self._segment_index_at(t)
        segment = self._segments[index]
        if segment.rep is None or segment.phase is Phase.COUNT_IN:
            return  # a rest or a count-in goes on counting down: it is its own count-in
        self._collect(t)
        elapsed = t - segment.start_ms
        count_in = Segment(
            Phase.COUNT_IN,
            segment.set_number,
            segment.rep,  # inside the rep: it does not end it (not time under tension)
            segment.side,
            t,
            RESUME_COUNT_IN_MS,
        )
        if elapsed <= 0:
            pieces = [count_in, segment]
        else:
            rest_of_it = replace(
                segment,
                duration_ms=segment.duration_ms - elapsed,
                count_basis_ms=segment.counted_ms,
                count_from_ms=segment.count_from_ms + elapsed,
            )
            pieces = [segment.cut(elapsed), count_in, rest_of_it]
        segments = [*self._segments[:index], *pieces, *self._segments[index + 1 :]]
        self._replan(restart_from(segments, index))

    def toggle_pause(self) -> None:
        if self._status is SessionStatus.RUNNING:
            self.pause()
        elif self._status is SessionStatus.PAUSED:
            self.resume()
        else:
            raise SessionError("there is no running session to pause")

    def poll(self) -> Tick:
        """Every event due by now and not yet returned, plus reps and sets that finished.

        Records closed by ``end_set_early()`` or ``abort()`` come out of the next poll.
        """
        if self._status is not SessionStatus.RUNNING:
            pending, self._pending = self._pending, Tick()
            return pending
        t = self.session_ms()
        self._collect(t)
        if t >= self.total_ms:
            self._paused_at_ms = self.total_ms
            self._status = SessionStatus.FINISHED
        pending, self._pending = self._pending, Tick()
        return pending

    def _collect(self, t: int) -> None:
        """Move events due by ``t`` and records of segments ended by ``t`` into pending."""
        start = self._next_event
        end = start
        while end < len(self._events) and self._events[end].t_ms <= t:
            end += 1
        due = tuple(self._events[start:end])
        self._next_event = end
        if due:
            self._emitted_until_ms = due[-1].t_ms
        reps, sets = self._account_until(t)
        self._add_pending(due, reps, sets)

    def _add_pending(
        self,
        events: tuple[Event, ...] = (),
        reps: tuple[RepRecord, ...] = (),
        sets: tuple[SetRecord, ...] = (),
    ) -> None:
        p = self._pending
        self._pending = Tick(p.events + events, p.reps_finished + reps, p.sets_finished + sets)

    def _account_until(self, t: int) -> tuple[tuple[RepRecord, ...], tuple[SetRecord, ...]]:
        """Turn segments that ended by ``t`` into rep and set records."""
        reps: list[RepRecord] = []
        sets: list[SetRecord] = []
        while self._done_segments < len(self._segments):
            segment = self._segments[self._done_segments]
            if segment.start_ms <= t and segment.set_number not in self._set_started_at:
                self._begin_set_record(segment.set_number)
            if segment.end_ms > t:
                break
            self._done_segments += 1
            following = (
                self._segments[self._done_segments]
                if self._done_segments < len(self._segments)
                else None
            )
            if segment.rep is None:
                continue
            set_ends = (
                following is None
                or following.set_number != segment.set_number
                or following.phase is Phase.REST
            )
            if set_ends or following is None or following.rep != segment.rep:
                reps.append(self._close_rep(segment.set_number, segment.rep, complete=True))
            if set_ends:
                sets.append(self._close_set(segment.set_number))
        return tuple(reps), tuple(sets)

    def _begin_set_record(self, set_number: int) -> None:
        self._set_started_at[set_number] = (
            self._start_wall if set_number == 1 else self._wall_time()
        )
        self._set_tempo_at_start[set_number] = self.plan.tempo.with_eccentric_ms(
            self._eccentric_for_set(set_number)
        ).notation()

    def _eccentrics_in_set(self, set_number: int, until_ms: int | None = None) -> list[int]:
        """Lowering lengths of the set's reps that were not cut short, in order (a lowering
        split by a pause counts whole); with ``until_ms``, only those begun by then."""
        lengths: dict[int | None, int] = {}
        for s in self._segments:
            if (
                s.set_number != set_number
                or s.phase is not Phase.ECCENTRIC
                or (set_number, s.rep) in self._cut_reps
            ):
                continue
            if s.continues and s.rep in lengths:
                lengths[s.rep] += s.duration_ms  # the rest of a lowering a pause split
            elif until_ms is None or s.start_ms <= until_ms:
                lengths[s.rep] = s.duration_ms
        return list(lengths.values())

    def _eccentric_for_set(self, set_number: int) -> int:
        lengths = self._eccentrics_in_set(set_number)
        return lengths[0] if lengths else self._eccentric_ms

    def _close_rep(self, set_number: int, rep: int, *, complete: bool) -> RepRecord:
        planned = {
            (s.phase): s.duration_ms
            for s in self._planned_segments
            if s.set_number == set_number and s.rep == rep
        }
        mine = [
            s
            for s in self._segments
            if s.set_number == set_number and s.rep == rep and s.phase is not Phase.COUNT_IN
        ]
        # A phase split by a pause is one phase: its pieces add up.
        phases: list[PhaseTime] = []
        for s in mine:
            if phases and s.continues and phases[-1].phase is s.phase:
                last = phases[-1]
                phases[-1] = PhaseTime(s.phase, last.planned_ms, last.actual_ms + s.duration_ms)
            else:
                phases.append(PhaseTime(s.phase, planned.get(s.phase, 0), s.duration_ms))
        record = RepRecord(
            set_number,
            rep,
            mine[0].side if mine else None,
            tuple(phases),
            complete,
            self._taps.get((set_number, rep)),
        )
        self._rep_records.append(record)
        return record

    def _close_set(self, set_number: int) -> SetRecord:
        record = self._set_record(set_number)
        self._set_records.append(record)
        return record

    def _set_record(self, set_number: int) -> SetRecord:
        """The set as far as it went: closed, or (for the open set) its reps so far."""
        reps = tuple(r for r in self._rep_records if r.set_number == set_number)
        changes = tuple(c for c in self._changes if c.set_number == set_number)
        return SetRecord(
            exercise_id=self.plan.exercise.exercise_id,
            exercise_name=self.plan.exercise.name,
            set_number=set_number,
            started_at=self._set_started_at.get(set_number, ""),
            tempo_planned=self._set_tempo_at_start.get(set_number, self.plan.tempo.notation()),
            tempo_used=self.plan.tempo.with_eccentric_ms(
                self._last_eccentric_in_set(set_number)
            ).notation(),
            reps_planned=self.plan.reps,
            reps=reps,
            live_changes=changes,
            load=self.load,
            load_unit=self.load_unit,
            side=reps[0].side
            if reps and self.plan.exercise.side_mode is SideMode.PER_SET
            else None,
            ended_early=set_number in self._ended_early,
            tap_mode=self.tap_mode,
            negative_only=self.plan.negative_only,
        )

    def _last_eccentric_in_set(self, set_number: int) -> int:
        """The last lowering of the set that has begun (of a closed set: its last)."""
        lengths = self._eccentrics_in_set(set_number, until_ms=self.session_ms())
        if lengths:
            return lengths[-1]
        return self._eccentric_for_set(set_number)

    # -- the record ------------------------------------------------------------------------

    @property
    def started_at(self) -> str:
        """When the session began (of a continued one: when the first part began)."""
        return self._started_at

    def record(self) -> SessionRecord:
        """The session's record now: every closed set, then the set in progress with the reps
        completed so far (left out while it has none). ``finished`` once the session is over
        (finished or stopped). A record taken at any moment is a prefix of the final one:
        its closed sets and reps are final, and the open set agrees on all it holds but
        ``tempo_used`` (the last lowering so far), which only the set's end settles.
        Sets carried on from an interrupted session come first; this part's are numbered
        after them."""
        sets = list(self._set_records)
        over = self._status in (SessionStatus.FINISHED, SessionStatus.ABORTED)
        if not over:
            closed = {s.set_number for s in sets}
            open_numbers = sorted(
                {r.set_number for r in self._rep_records if r.set_number not in closed}
            )
            sets.extend(self._set_record(n) for n in open_numbers)
        offset = len(self._prior_sets)
        exercise = self.plan.exercise
        return SessionRecord(
            session_id=self.session_id,
            exercise_id=exercise.exercise_id,
            exercise_name=exercise.name,
            started_at=self._started_at,
            sets=(*self._prior_sets, *(renumbered(s, offset) for s in sets)),
            finished=over,
            planned=self.planned,
            rpe=self._continues.rpe if self._continues is not None else None,
            note=self._continues.note if self._continues is not None else "",
            soreness=self.soreness,
        )

    # -- re-planning -----------------------------------------------------------------------

    def _replan(self, segments: list[Segment]) -> None:
        """Adopt new segments. Events already returned by poll() stay as they were heard
        (never returned again); only the future is derived from the new segments."""
        self._segments = segments
        self._starts = [s.start_ms for s in segments]
        past = self._events[: self._next_event]
        edge = self._emitted_until_ms
        heard_at_edge = {e.identity for e in past if e.t_ms == edge}
        future = [
            e
            for e in events_for(segments, self.plan.count_style)
            if e.t_ms > edge or (e.t_ms == edge and e.identity not in heard_at_edge)
        ]
        self._events = past + future
        self._next_event = len(past)

    def change_eccentric(self, delta_ms: int) -> LiveChange:
        """Make the lowering count ``delta_ms`` longer (or shorter) from the first lowering
        that can still change: one that has not begun, and whose first difference the
        lifter would hear (``audible_difference``) comes after the sound the output has
        already committed (now + the commit horizon). Every later lowering follows.

        The phase in progress is never stretched or cut. Raises TempoError out of bounds.
        """
        if self._status in (SessionStatus.FINISHED, SessionStatus.ABORTED):
            raise SessionError("the session is over")
        new = self._eccentric_ms + delta_ms
        low, high = ECCENTRIC_RANGE_MS
        if not low <= new <= high:
            raise TempoError(
                f"the lowering phase must last {low // 1000} to {high // 1000} seconds, "
                f"got {new / 1000:g}"
            )
        t = self.session_ms()
        if self._status is not SessionStatus.IDLE:
            self._collect(t)  # records of what already happened use the old count
        idle = self._status is SessionStatus.IDLE
        committed = t + self._horizon_ms if not idle else -1
        first: int | None = None
        planned: list[Segment] = []
        for i, s in enumerate(self._segments):
            if s.phase is not Phase.ECCENTRIC or s.continues or (not idle and s.start_ms <= t):
                continue  # not a lowering, or one that has begun (or its rest after a pause)
            planned = restart_from(
                [
                    replace(x, duration_ms=new)
                    if j >= i and x.phase is Phase.ECCENTRIC and not x.continues
                    else x
                    for j, x in enumerate(self._segments)
                ],
                i,
            )
            if idle or s.start_ms > committed:
                first = i  # wholly beyond what is committed: nothing to compare
                break
            # The future only: what was heard stays as it was (see _replan).
            heard = self._audible_difference(
                [e for e in self._events if e.t_ms > t],
                [e for e in events_for(planned, self.plan.count_style) if e.t_ms > t],
            )
            if heard is None or heard > committed:
                first = i
                break
        if first is None:
            raise SessionError("no lowering phase is left to change in this session")
        target = self._segments[first]
        change = LiveChange(target.set_number, target.rep or 0, t, self._eccentric_ms, new)
        self._changes.append(change)
        self._eccentric_ms = new
        self._replan(planned)
        return change

    # -- tempo accuracy ----------------------------------------------------------------

    def tap(self, offset_ms: int = 0) -> Tap | None:
        """The lifter tapped the end of a lowering now (``offset_ms``: their calibrated tap
        offset, taken off). The tap times the latest lowering begun by now, from its start
        (when its cue was heard: session time follows the output's clock); the first tap of
        a lowering counts, a second is ignored. None when the tap times nothing: before any
        lowering, after ``LATE_LIMIT`` times the planned lowering, a second tap, a pause
        between the lowering's start and the tap (its length as the lifter lived it is not
        known), a rep cut short, or outside tap mode. A finished session still takes the
        tap of its last lowering (the session ends with that lowering in many exercises).
        After ``FAST_STREAK`` fast reps in a row (a missing tap breaks the row), the next
        lowering not yet committed to the output is cued "slower" (``hints``)."""
        if not self.tap_mode:
            return None
        if self._status is SessionStatus.RUNNING:
            now = self.session_ms()
        elif self._status is SessionStatus.FINISHED:
            elapsed = self._clock.now() - self._start_clock - self._paused_total_s
            now = max(self._paused_at_ms, round(elapsed * 1000))
        else:
            return None
        lowering: Segment | None = None
        for segment in self._segments:
            if segment.start_ms > now:
                break
            if segment.phase is Phase.ECCENTRIC and segment.rep is not None:
                lowering = segment
        if lowering is None or lowering.rep is None:
            return None
        key = (lowering.set_number, lowering.rep)
        paused = lowering.continues or any(
            lowering.start_ms < s.start_ms <= now
            and (s.continues or (s.phase is Phase.COUNT_IN and s.rep is not None))
            for s in self._segments
        )
        if paused or key in self._taps or key in self._cut_reps:
            return None
        planned = self._planned_lowering(key) or lowering.duration_ms
        tapped = now - offset_ms - lowering.start_ms  # never a lowering not begun by now
        if tapped <= 0 or tapped > LATE_LIMIT * planned:
            return None
        self._taps[key] = tapped
        self._amend_closed_rep(key, tapped)
        result = Tap(key[0], key[1], tapped, planned)
        follows = self._last_tapped is not None and self._last_tapped == (key[0], key[1] - 1)
        self._last_tapped = key
        if not result.verdict.fast:
            self._fast_streak = 0
        else:
            self._fast_streak = self._fast_streak + 1 if follows else 1
        if (
            self._fast_streak >= FAST_STREAK
            and self._status is SessionStatus.RUNNING
            and self._cue_slower()
        ):
            self._fast_streak = 0
        return result

    @property
    def hints(self) -> tuple[tuple[int, int], ...]:
        """The lowerings (set, rep) cued "slower", in order."""
        return tuple(self._hints)

    def _planned_lowering(self, key: tuple[int, int]) -> int:
        """The lowering the rep was to last when it began (a live change counts)."""
        for s in self._segments:
            if s.phase is Phase.ECCENTRIC and (s.set_number, s.rep) == key and not s.continues:
                return s.duration_ms if s.count_basis_ms is None else s.count_basis_ms
        return 0

    def _amend_closed_rep(self, key: tuple[int, int], tapped: int) -> None:
        """A tap that came after its rep was recorded (the lift had begun): amend the rep,
        and its set's record when the set is closed too."""
        for i, r in enumerate(self._rep_records):
            if (r.set_number, r.rep) == key:
                self._rep_records[i] = replace(r, lowering_tapped_ms=tapped)
                break
        else:
            return
        for i, record in enumerate(self._set_records):
            if record.set_number == key[0]:
                self._set_records[i] = self._set_record(key[0])

    def _cue_slower(self) -> bool:
        """Cue "slower" at the start of the first lowering the output has not committed
        yet (its start lies beyond now + the commit horizon). False when none is left."""
        t = self.session_ms()
        self._collect(t)
        committed = t + self._horizon_ms
        for i, s in enumerate(self._segments):
            if s.phase is Phase.ECCENTRIC and not s.continues and s.start_ms > committed:
                segments = list(self._segments)
                segments[i] = replace(s, hint="slower")
                self._replan(segments)
                self._hints.append((s.set_number, s.rep or 0))
                return True
        return False

    def skip_rest(self) -> bool:
        """End the rest as soon as the sound allows (a paused session resumes), then count
        in the next set (the plan's count-in) before its first cue: a lifter who skips the
        rest is not at the bar yet. The rest ends at the first moment not yet committed to
        the device (now + the commit horizon), so the count-in is heard whole; a rest that
        would end before the count-in did is its own countdown and stays as it is.
        Returns False when not resting."""
        if self._status not in (SessionStatus.RUNNING, SessionStatus.PAUSED):
            return False
        t = self.session_ms()
        index = self._segment_index_at(t)
        segment = self._segments[index]
        if segment.phase is not Phase.REST or t >= segment.end_ms:
            return False
        was_paused = self._status is SessionStatus.PAUSED
        if was_paused:
            self.resume()  # which already waits for what is committed
        self._collect(t)
        ends = t + (0 if was_paused else self._horizon_ms)
        count_in_ms = self.plan.count_in_ms
        if ends + count_in_ms >= segment.end_ms:
            return True  # the rest ends as soon as a count-in would: it is its own
        segments = list(self._segments)
        segments[index] = segment.cut(ends - segment.start_ms)
        if count_in_ms > 0:
            next_set = segment.set_number + 1
            count_in = Segment(Phase.COUNT_IN, next_set, None, None, ends, count_in_ms)
            segments.insert(index + 1, count_in)
        self._replan(restart_from(segments, index + 1))
        return True

    def end_set_early(self) -> bool:
        """Finish the current set now, keeping the reps done. False when not in a set.

        The rep in progress is cut where it stands and recorded as incomplete; the rest (or
        the end) follows at once. A paused session resumes, since ending is an action.
        The records come out of the next ``poll()``.
        """
        if self._status not in (SessionStatus.RUNNING, SessionStatus.PAUSED):
            return False
        t = self.session_ms()
        segment = self._segments[self._segment_index_at(t)]
        if segment.rep is None or t >= segment.end_ms:
            return False
        if self._status is SessionStatus.PAUSED:
            self.resume()
        self._collect(t)  # everything that ended before now is recorded first
        self._end_set_at(t)
        return True

    def _end_set_at(self, t: int) -> SetRecord:
        """Cut the set running at ``t`` there; drop its remaining reps; record it."""
        index = self._segment_index_at(t)
        segment = self._segments[index]
        set_number, rep = segment.set_number, segment.rep
        assert rep is not None
        self._ended_early.add(set_number)
        before = self._segments[index - 1] if index > 0 else None
        following = [
            s
            for s in self._segments[index + 1 :]
            if s.set_number != set_number or s.phase is Phase.REST
        ]
        # Ended at the very instant a rep began: that rep never happened (unless it is all
        # the timeline has, which must never be empty).
        rep_just_began = (
            t == segment.start_ms
            and (before is None or (before.set_number, before.rep) != (set_number, rep))
            and (index > 0 or bool(following))
        )
        if rep_just_began:
            kept = list(self._segments[:index])
        else:
            # The cut segment stays even at zero length: its phase event may have been heard.
            kept = [*self._segments[:index], segment.cut(t - segment.start_ms)]
            self._cut_reps.add((set_number, rep))
        self._replan(restart_from(kept + following, len(kept), start_ms=t))
        self._done_segments = len(kept)
        reps = () if rep_just_began else (self._close_rep(set_number, rep, complete=False),)
        set_record = self._close_set(set_number)
        self._add_pending(reps=reps, sets=(set_record,))
        return set_record

    def abort(self) -> Tick:
        """Stop for good, where the session stands. Returns what is not yet collected; the
        set in progress is kept (as ended early) when at least one rep of it was completed."""
        if self._status in (SessionStatus.FINISHED, SessionStatus.ABORTED):
            return Tick()
        if self._status is SessionStatus.IDLE:
            self._status = SessionStatus.ABORTED
            return Tick()
        t = self.session_ms()
        if t >= self.total_ms:  # it had ended before anybody looked: a normal finish
            tick = self.poll()
            return Tick((), tick.reps_finished, tick.sets_finished)
        self._collect(t)
        segment = self._segments[self._segment_index_at(t)]
        if segment.rep is not None:
            partial = self._end_set_at(t)
            if partial.reps_done == 0:
                self._set_records.remove(partial)
                dropped = [r for r in self._rep_records if r.set_number == partial.set_number]
                self._rep_records = [r for r in self._rep_records if r not in dropped]
                p = self._pending
                self._pending = Tick(
                    p.events,
                    tuple(r for r in p.reps_finished if r not in dropped),
                    tuple(x for x in p.sets_finished if x is not partial),
                )
        # The timeline ends where the session stopped.
        index = self._segment_index_at(t)
        current = self._segments[index]
        kept = self._segments[:index]
        kept.append(current.cut(t - current.start_ms) if t < current.end_ms else current)
        self._replan(kept)
        self._paused_at_ms = t
        self._status = SessionStatus.ABORTED
        pending, self._pending = self._pending, Tick()
        return Tick((), pending.reps_finished, pending.sets_finished)
