"""What a session leaves behind: reps, live changes, sets and whole sessions.

These are plain frozen dataclasses. The store turns them into JSON; the History tab and the
command line read them back. Durations are whole milliseconds, dates are ISO 8601 strings
supplied by whoever creates the record (the core reads no calendar).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from tempo_coach.core.exercise import Side
from tempo_coach.core.tempo import Phase


class LoadUnit(str, Enum):
    KG = "kg"
    LB = "lb"


LB_PER_KG = 2.2046226218


@dataclass(frozen=True)
class PhaseTime:
    phase: Phase
    planned_ms: int
    actual_ms: int


@dataclass(frozen=True)
class RepRecord:
    set_number: int
    rep: int
    side: Side | None
    phases: tuple[PhaseTime, ...]
    complete: bool = True

    @property
    def actual_ms(self) -> int:
        return sum(p.actual_ms for p in self.phases)

    def actual(self, phase: Phase) -> int:
        return sum(p.actual_ms for p in self.phases if p.phase is phase)


@dataclass(frozen=True)
class LiveChange:
    """A change of the lowering count made during a session.

    ``set_number``/``rep`` name the first rep whose lowering used the new count;
    ``at_ms`` is when it was made, in session time (pauses excluded).
    """

    set_number: int
    rep: int
    at_ms: int
    from_ms: int
    to_ms: int


@dataclass(frozen=True)
class SetRecord:
    exercise_id: str
    exercise_name: str
    set_number: int
    started_at: str  # ISO 8601, local time with offset
    tempo_planned: str  # notation at the start of the set, e.g. "4-1-1-0"
    tempo_used: str  # notation at the end of the set (after live changes)
    reps_planned: int
    reps: tuple[RepRecord, ...]
    live_changes: tuple[LiveChange, ...] = ()
    load: float | None = None
    load_unit: LoadUnit = LoadUnit.KG
    side: Side | None = None  # for one-side-per-set exercises
    ended_early: bool = False

    @property
    def reps_done(self) -> int:
        return sum(1 for r in self.reps if r.complete)

    @property
    def time_under_tension_ms(self) -> int:
        """Seconds the muscle worked: every phase of every completed rep."""
        return sum(r.actual_ms for r in self.reps if r.complete)


@dataclass(frozen=True)
class SessionRecord:
    session_id: str
    exercise_id: str
    exercise_name: str
    started_at: str
    sets: tuple[SetRecord, ...] = ()
    rpe: int | None = None  # 1 to 10, asked at the end
    note: str = ""
    finished: bool = True
    extra: dict[str, str] = field(default_factory=dict, hash=False)

    @property
    def time_under_tension_ms(self) -> int:
        return sum(s.time_under_tension_ms for s in self.sets)
