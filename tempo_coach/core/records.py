"""What a session leaves behind: reps, live changes, sets and whole sessions.

These are plain frozen dataclasses. The store turns them into JSON; the History tab and the
command line read them back. Durations are whole milliseconds, dates are ISO 8601 strings
supplied by whoever creates the record (the core reads no calendar).
"""

from __future__ import annotations

from collections.abc import Callable
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


def rep_totals(reps: tuple[RepRecord, ...]) -> tuple[int, int]:
    """``(reps_done, time_under_tension_ms)`` of a set's reps: complete reps only, as
    ``SetRecord.reps_done`` and ``SetRecord.time_under_tension_ms`` count them."""
    done = 0
    tension_ms = 0
    for rep in reps:
        if rep.complete:
            done += 1
            tension_ms += rep.actual_ms
    return done, tension_ms


def _in_kg(load: float, unit: LoadUnit) -> float:
    return load if unit is LoadUnit.KG else load / LB_PER_KG


@dataclass(frozen=True)
class SessionSummary:
    """One row of the History tab: a session without its reps.

    Every field is derived from the ``SessionRecord`` by ``SessionSummary.of`` (and only by
    it): the store keeps these rows in an index so that the History tab can open ten years
    without building every rep, and that index must always equal ``of`` of the full record.
    """

    session_id: str
    exercise_id: str
    exercise_name: str
    started_at: str
    finished: bool
    rpe: int | None
    note: str
    sets: int
    reps_done: int  # complete reps, every set
    reps_planned: int  # sum over the sets
    time_under_tension_ms: int  # every phase of every complete rep
    tempo_used: str  # the last set's tempo at its end ("" without sets)
    top_load: float | None  # the heaviest set's load (compared in kg), None if no set had one
    load_unit: LoadUnit  # the unit of top_load (of the last set when there is no load)
    live_changes: int  # changes of the lowering count, every set
    ended_early: bool  # some set was ended early

    @classmethod
    def of(
        cls,
        record: SessionRecord,
        totals: Callable[[tuple[RepRecord, ...]], tuple[int, int]] = rep_totals,
    ) -> SessionSummary:
        """The summary of ``record``. ``totals`` may be a memoised ``rep_totals`` (the store
        passes one: decoded records share equal rep tuples); it must return the same."""
        reps_done = 0
        tension_ms = 0
        reps_planned = 0
        changes = 0
        ended_early = False
        top_load: float | None = None
        top_kg = 0.0
        top_unit: LoadUnit | None = None
        for s in record.sets:
            done, tut = totals(s.reps)
            reps_done += done
            tension_ms += tut
            reps_planned += s.reps_planned
            changes += len(s.live_changes)
            ended_early = ended_early or s.ended_early
            if s.load is not None:
                kg = _in_kg(s.load, s.load_unit)
                if top_load is None or kg > top_kg:
                    top_load, top_kg, top_unit = s.load, kg, s.load_unit
        last = record.sets[-1] if record.sets else None
        if top_unit is None:
            top_unit = last.load_unit if last is not None else LoadUnit.KG
        return cls(
            session_id=record.session_id,
            exercise_id=record.exercise_id,
            exercise_name=record.exercise_name,
            started_at=record.started_at,
            finished=record.finished,
            rpe=record.rpe,
            note=record.note,
            sets=len(record.sets),
            reps_done=reps_done,
            reps_planned=reps_planned,
            time_under_tension_ms=tension_ms,
            tempo_used=last.tempo_used if last is not None else "",
            top_load=top_load,
            load_unit=top_unit,
            live_changes=changes,
            ended_early=ended_early,
        )
