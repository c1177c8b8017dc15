"""From a set plan to the timeline: every phase and every count cue at an absolute time.

The timeline is built from *segments* (one per phase occurrence, with its start and length
in milliseconds from the start of the session). Events are derived from segments, segment by
segment, so they come out in order without sorting. The session re-plans by editing segments
that have not begun and deriving the events again; both functions here are pure.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any, Protocol

from tempo_coach.core.exercise import (
    COUNT_IN_RANGE_S,
    REPS_RANGE,
    REST_RANGE_S,
    SETS_RANGE,
    Exercise,
    ExerciseError,
    Side,
    SideMode,
    check_int_range,
)
from tempo_coach.core.tempo import Phase, Tempo


class CountStyle(str, Enum):
    UP = "up"  # 1, 2, 3, 4
    DOWN = "down"  # 4, 3, 2, 1


class EventKind(str, Enum):
    SIDE = "side"
    PHASE = "phase"
    COUNT = "count"
    END = "end"
    HINT = "hint"  # a coaching cue at the start of a phase ("slower"): ``Event.hint``


#: A negative-only reset shorter than this is likely the lift's count left as it was: the
#: window and the command line question it (a partner, a jump or a step takes longer).
SHORT_RESET_MS = 2_000


@dataclass(frozen=True)
class SetPlan:
    """Everything needed to run a session of one exercise."""

    exercise: Exercise
    tempo: Tempo
    reps: int
    sets: int
    rest_ms: int
    count_in_ms: int = 3_000
    count_style: CountStyle = CountStyle.UP
    # A reset (a partner, a jump, a step) in place of every lift, timed by the tempo's
    # lifting count, cued, and not counted as time under tension.
    negative_only: bool = False

    def __post_init__(self) -> None:
        check_int_range("the number of reps", self.reps, REPS_RANGE)
        check_int_range("the number of sets", self.sets, SETS_RANGE)
        low, high = REST_RANGE_S
        if not low * 1000 <= self.rest_ms <= high * 1000:
            raise ExerciseError(
                f"the rest between sets must be {low} to {high} seconds, "
                f"got {self.rest_ms / 1000:g}"
            )
        low, high = COUNT_IN_RANGE_S
        if not low * 1000 <= self.count_in_ms <= high * 1000:
            raise ExerciseError(
                f"the count-in must be {low} to {high} seconds, got {self.count_in_ms / 1000:g}"
            )

    @classmethod
    def from_exercise(cls, exercise: Exercise, **overrides: Any) -> SetPlan:
        """A plan with the exercise's defaults; keyword arguments override them."""
        values: dict[str, Any] = {
            "exercise": exercise,
            "tempo": exercise.default_tempo,
            "reps": exercise.default_reps,
            "sets": exercise.default_sets,
            "rest_ms": exercise.default_rest_s * 1000,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def side_for(mode: SideMode, set_number: int, rep_number: int) -> Side | None:
    """Which side works in this rep (None when both sides work together)."""
    if mode is SideMode.ALTERNATE_REPS:
        return Side.LEFT if rep_number % 2 == 1 else Side.RIGHT
    if mode is SideMode.PER_SET:
        return Side.LEFT if set_number % 2 == 1 else Side.RIGHT
    return None


#: The count-in before the rest of a rep that a pause interrupted: short, the lifter is
#: already in position.
RESUME_COUNT_IN_MS = 2_000
#: No count within this long after the re-announced start of a phase resumed after a pause;
#: a phase with less than this left is not announced again (two cues so close smudge).
ANNOUNCE_GAP_MS = 400


@dataclass(frozen=True)
class Segment:
    """One occurrence of a phase. ``rep`` is None for the count-in and rests."""

    phase: Phase
    set_number: int
    rep: int | None
    side: Side | None
    start_ms: int
    duration_ms: int
    # The length the counts are numbered from. A segment cut short (a skipped rest, a set
    # ended early) keeps the numbering it was announced with: a countdown never restarts.
    count_basis_ms: int | None = None
    # How far into its phase this segment begins: the rest of a phase after a pause (the
    # phase is announced again and its counts go on at their own seconds). 0: the whole.
    count_from_ms: int = 0
    # A coaching cue heard with this phase's start ("slower"), or None.
    hint: str | None = None

    @property
    def continues(self) -> bool:
        """The rest of a phase that a pause interrupted (never a new lowering to change)."""
        return self.count_from_ms > 0

    @property
    def end_ms(self) -> int:
        return self.start_ms + self.duration_ms

    @property
    def counted_ms(self) -> int:
        return self.duration_ms if self.count_basis_ms is None else self.count_basis_ms

    def cut(self, duration_ms: int) -> Segment:
        """This segment ended early after ``duration_ms``, its counts numbered as before."""
        return replace(self, duration_ms=duration_ms, count_basis_ms=self.counted_ms)


@dataclass(frozen=True)
class Event:
    """One thing that happens at ``t_ms`` after the start of the session."""

    t_ms: int
    kind: EventKind
    phase: Phase | None
    set_number: int | None
    rep: int | None
    side: Side | None
    duration_ms: int | None = None  # for PHASE events
    count: int | None = None  # for COUNT events
    count_total: int | None = None  # how many counts this phase has
    hint: str | None = None  # for HINT events: which coaching cue ("slower")

    @property
    def t(self) -> float:
        return self.t_ms / 1000

    @property
    def identity(self) -> tuple[object, ...]:
        """What makes this event the same cue after a re-plan. A phase cut short by ending
        a set early keeps its identity though its duration changes."""
        return (
            self.t_ms,
            self.kind,
            self.phase,
            self.set_number,
            self.rep,
            self.side,
            self.count,
            self.hint,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "t": self.t_ms / 1000,
            "kind": self.kind.value,
            "phase": self.phase.value if self.phase else None,
            "set": self.set_number,
            "rep": self.rep,
            "side": self.side.value if self.side else None,
            "duration": None if self.duration_ms is None else self.duration_ms / 1000,
            "count": self.count,
            "count_total": self.count_total,
            **({"hint": self.hint} if self.hint is not None else {}),
        }


def plan_segments(plan: SetPlan) -> list[Segment]:
    """The whole session as segments: count-in, each rep's phases in order, rests."""
    segments: list[Segment] = []
    t = 0
    if plan.count_in_ms > 0:
        segments.append(Segment(Phase.COUNT_IN, 1, None, None, 0, plan.count_in_ms))
        t = plan.count_in_ms
    order = plan.exercise.rep_start.phases(plan.negative_only)
    for set_number in range(1, plan.sets + 1):
        for rep in range(1, plan.reps + 1):
            side = side_for(plan.exercise.side_mode, set_number, rep)
            for phase in order:
                duration = plan.tempo.duration_ms(phase)
                if duration <= 0:
                    continue
                segments.append(Segment(phase, set_number, rep, side, t, duration))
                t += duration
        if set_number < plan.sets and plan.rest_ms > 0:
            segments.append(Segment(Phase.REST, set_number, None, None, t, plan.rest_ms))
            t += plan.rest_ms
    return segments


def restart_from(
    segments: Sequence[Segment], index: int, start_ms: int | None = None
) -> list[Segment]:
    """Recompute start times from ``index`` on, after durations changed or segments went.
    The first recomputed segment starts where the one before it ends, or at ``start_ms``
    when there is none before it."""
    result = list(segments[:index])
    if result:
        t = result[-1].end_ms
    elif start_ms is not None:
        t = start_ms
    else:
        t = segments[0].start_ms if segments else 0
    for segment in segments[index:]:
        result.append(replace(segment, start_ms=t))
        t += segment.duration_ms
    return result


def count_values(duration_ms: int, style: CountStyle) -> list[int]:
    """The numbers called in a phase of this length: one a second, starting at its start."""
    n = max(1, math.ceil(duration_ms / 1000))
    return list(range(1, n + 1)) if style is CountStyle.UP else list(range(n, 0, -1))


def segment_events(
    segment: Segment, style: CountStyle, previous: tuple[int, Side | None] | None
) -> Iterator[Event]:
    """The events of one segment: a side cue when the side changes or a new set begins on
    one side (``previous`` is the set and side of the last rep segment), the phase, its
    counts."""
    base = (segment.phase, segment.set_number, segment.rep, segment.side)
    if segment.side is not None and previous != (segment.set_number, segment.side):
        yield Event(segment.start_ms, EventKind.SIDE, *base)
    if segment.continues and segment.duration_ms < ANNOUNCE_GAP_MS:
        return  # too little of the phase is left to announce: the next phase's cue follows
    yield Event(segment.start_ms, EventKind.PHASE, *base, duration_ms=segment.duration_ms)
    if segment.hint is not None:
        yield Event(segment.start_ms, EventKind.HINT, *base, hint=segment.hint)
    if segment.duration_ms <= 0:
        return
    # The count-in and the rest always count down: they are countdowns to the work.
    if segment.phase in (Phase.COUNT_IN, Phase.REST):
        style = CountStyle.DOWN
    values = count_values(segment.counted_ms, style)
    # The rest of a phase after a pause is announced at its start: a count that would come
    # hard on that announcement is left out (two cues 50 ms apart are heard as one smudge).
    first = ANNOUNCE_GAP_MS if segment.continues else 0
    for k, value in enumerate(values):
        at = k * 1000 - segment.count_from_ms  # counts keep their seconds in the phase
        if at < first:
            continue
        if at >= segment.duration_ms:
            break
        yield Event(
            segment.start_ms + at,
            EventKind.COUNT,
            *base,
            count=value,
            count_total=len(values),
        )


def events_for(segments: Iterable[Segment], style: CountStyle) -> list[Event]:
    """Every event of these segments, in time order, and the END event."""
    events: list[Event] = []
    previous: tuple[int, Side | None] | None = None
    last: Segment | None = None
    for segment in segments:
        events.extend(segment_events(segment, style, previous))
        if segment.rep is not None:
            previous = (segment.set_number, segment.side)
        last = segment
    end_t = last.end_ms if last else 0
    events.append(Event(end_t, EventKind.END, None, last.set_number if last else None, None, None))
    return events


class Timed(Protocol):
    @property
    def t_ms(self) -> int: ...


def first_difference(old: Sequence[Timed], new: Sequence[Timed]) -> int | None:
    """The time of the first item (an event, a cue point) where two time-ordered lists part,
    or None when they are the same."""
    for before, after in zip(old, new, strict=False):
        if before != after:
            return min(before.t_ms, after.t_ms)
    if len(old) != len(new):
        longer = old if len(old) > len(new) else new
        return longer[min(len(old), len(new))].t_ms
    return None


def build_timeline(plan: SetPlan) -> list[Event]:
    """The full timeline of a plan (the pure function the CLI's ``plan`` prints)."""
    return events_for(plan_segments(plan), plan.count_style)
