"""What a session leaves behind: reps, live changes, sets and whole sessions.

These are plain frozen dataclasses. The store turns them into JSON; the History tab and the
command line read them back. Durations are whole milliseconds, dates are ISO 8601 strings
supplied by whoever creates the record (the core reads no calendar).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any, NamedTuple

from tempo_coach.core.exercise import Side, SideMode
from tempo_coach.core.tempo import Phase


class LoadUnit(str, Enum):
    KG = "kg"
    LB = "lb"


LB_PER_KG = 2.2046226218
#: The heaviest load a set can record, in its own unit: the set-up panel's range, the command
#: line's check and the store's bound on what it reads are all this one number.
LOAD_MAX = 1000.0


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
    # Tempo accuracy: the lowering as the lifter tapped it (ms from the lowering cue heard
    # to the tap, tap offset removed). None: no tap (in a set with ``tap_mode``, a missing
    # tap; it is never guessed).
    lowering_tapped_ms: int | None = None

    @property
    def tension_ms(self) -> int:
        """Time under tension: every phase but a reset."""
        return sum(p.actual_ms for p in self.phases if p.phase.under_tension)

    @property
    def lowering_cued_ms(self) -> int:
        """The lowering as it was cued (after any live change), the count a tap is judged
        against."""
        return self.actual(Phase.ECCENTRIC)

    @property
    def lowering_planned_ms(self) -> int:
        return sum(p.planned_ms for p in self.phases if p.phase is Phase.ECCENTRIC)

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
    tap_mode: bool = False  # the lifter tapped the end of each lowering (tempo accuracy)
    negative_only: bool = False  # a reset in place of every lift (not time under tension)

    @property
    def reps_done(self) -> int:
        return sum(1 for r in self.reps if r.complete)

    @property
    def time_under_tension_ms(self) -> int:
        """Seconds the muscle worked: every phase of every completed rep."""
        return sum(r.tension_ms for r in self.reps if r.complete)


@dataclass(frozen=True)
class PlannedSession:
    """What the lifter set up before pressing Space, for the whole session.

    ``tempo`` is the notation the session was started with (each set keeps its own tempo at
    its start in ``SetRecord.tempo_planned``); ``sets`` counts every set of the session, the
    ones kept from an interrupted start included. ``None`` means "not known": sessions saved
    before format 3 did not always record the rest, the count-in or the side mode.
    """

    tempo: str
    reps: int
    sets: int
    rest_ms: int | None = None
    count_in_ms: int | None = None
    side_mode: SideMode | None = None
    negative_only: bool = False
    tap_mode: bool = False


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
    planned: PlannedSession | None = None  # None only for old sessions that never said
    soreness: int | None = None  # 0 to 10, the check-in at the start (None: not asked)
    # Texts this version does not know (kept so that a round trip loses nothing); the app
    # itself writes none since format 3.
    extra: dict[str, str] = field(default_factory=dict, hash=False)

    @property
    def time_under_tension_ms(self) -> int:
        return sum(s.time_under_tension_ms for s in self.sets)

    @property
    def sets_planned(self) -> int:
        """Sets planned for the whole session (the sets done when the plan is unknown)."""
        return self.planned.sets if self.planned is not None else len(self.sets)

    @property
    def sets_left(self) -> int:
        """Sets of the plan not done yet (an interrupted session can continue with them)."""
        return max(0, self.sets_planned - len(self.sets))


def saved_as_interrupted(record: SessionRecord) -> SessionRecord:
    """An interrupted session (a kill, a signal, a crash) saved as it was: finished, and its
    last set marked ended early when it is short of its reps (it was: the session stopped
    there), as a set the lifter ended early is."""
    sets = record.sets
    if sets and not sets[-1].ended_early and sets[-1].reps_done < sets[-1].reps_planned:
        sets = (*sets[:-1], replace(sets[-1], ended_early=True))
    return replace(record, sets=sets, finished=True)


def renumbered(record: SetRecord, offset: int) -> SetRecord:
    """The set as the ``offset``-th later set of a longer session (a continued one)."""
    if offset == 0:
        return record
    return replace(
        record,
        set_number=record.set_number + offset,
        reps=tuple(replace(r, set_number=r.set_number + offset) for r in record.reps),
        live_changes=tuple(
            replace(c, set_number=c.set_number + offset) for c in record.live_changes
        ),
    )


@dataclass(frozen=True)
class LastUsed:
    """What the lifter did last time with an exercise: the set-up panel starts from it."""

    tempo: str  # the tempo the last set ended with
    reps: int
    sets: int
    rest_s: int | None  # None when the session did not record its rest
    load: float | None
    load_unit: LoadUnit
    negative_only: bool = False  # the set type goes on: a resumed negative set stays one

    @classmethod
    def of(cls, record: SessionRecord) -> LastUsed | None:
        """From a saved session (None when it has no set). The one place this is made."""
        if not record.sets:
            return None
        last = record.sets[-1]
        planned = record.planned
        rest_ms = planned.rest_ms if planned is not None else None
        return cls(
            tempo=last.tempo_used,
            reps=last.reps_planned,
            sets=record.sets_planned,
            rest_s=None if rest_ms is None else rest_ms // 1000,
            load=last.load,
            load_unit=last.load_unit,
            negative_only=last.negative_only,
        )


def rep_totals(reps: tuple[RepRecord, ...]) -> tuple[int, int, int]:
    """``(reps_done, time_under_tension_ms, eccentric_ms)`` of a set's reps: complete reps
    only, as ``SetRecord.reps_done`` and ``SetRecord.time_under_tension_ms`` count them;
    ``eccentric_ms`` is the lowering part of that time."""
    done = 0
    tension_ms = 0
    eccentric = 0
    for rep in reps:
        if rep.complete:
            done += 1
            for p in rep.phases:
                if p.phase.under_tension:
                    tension_ms += p.actual_ms
                if p.phase is Phase.ECCENTRIC:
                    eccentric += p.actual_ms
    return done, tension_ms, eccentric


def _in_kg(load: float, unit: LoadUnit) -> float:
    return load if unit is LoadUnit.KG else load / LB_PER_KG


class SessionSummary(NamedTuple):
    """One row of the History tab: a session without its reps.

    Every field is derived from the ``SessionRecord`` by ``SessionSummary.of`` (and only by
    it): the store keeps these rows in an index so that the History tab can open ten years
    without building every rep, and that index must always equal ``of`` of the full record.

    A named tuple, not a frozen dataclass like the records: every start builds one per
    session ever saved (6,261 for ten years) from the index. A frozen dataclass's
    ``__init__`` sets its 29 fields one by one through ``object.__setattr__`` (20 ms for ten
    years); a tuple is made in one step (``many``: 2 ms) and is a third of the size (288
    bytes, not 900). Like any tuple it equals a plain tuple of the same values; nothing
    compares a summary with anything but a summary. ``_replace`` is its
    ``dataclasses.replace``.
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
    tempo_planned: str  # the first set's tempo at its start ("" without sets)
    eccentric_ms: int  # the lowering of every complete rep (lowering time under tension)
    negative_only_sets: int = 0  # sets with a reset in place of the lift
    taps: int = 0  # reps of tap-mode sets with a tap
    taps_on_tempo: int = 0  # of those, within ON_TEMPO_TOLERANCE of the planned lowering
    taps_fast: int = 0  # of those, faster than that
    taps_missing: int = 0  # reps of tap-mode sets without a tap
    soreness: int | None = None  # the check-in at the start, 0 to 10
    # Each set, in order, for lists that show sets without their reps (`tempo-coach history`):
    set_reps: tuple[int, ...] = ()  # complete reps
    set_ended_early: tuple[bool, ...] = ()
    set_tempos: tuple[str, ...] = ()  # the tempo at the set's end (tempo_used)
    set_loads: tuple[float | None, ...] = ()
    set_load_units: tuple[LoadUnit, ...] = ()

    @property
    def top_load_kg(self) -> float | None:
        """``top_load`` in kg, to compare sessions logged in different units."""
        return None if self.top_load is None else _in_kg(self.top_load, self.load_unit)

    @classmethod
    def many(cls, rows: Iterable[Iterable[Any]]) -> list[SessionSummary]:
        """``[SessionSummary(*row) for row in rows]``, each row every field in order (a row
        of the wrong length is a TypeError), without a call of ``__new__`` for each."""
        return list(map(cls._make, rows))

    @classmethod
    def of(
        cls,
        record: SessionRecord,
        totals: Callable[[tuple[RepRecord, ...]], tuple[int, int, int]] = rep_totals,
    ) -> SessionSummary:
        """The summary of ``record``. ``totals`` may be a memoised ``rep_totals`` (the store
        passes one: decoded records share equal rep tuples); it must return the same."""
        reps_done = 0
        tension_ms = 0
        eccentric = 0
        reps_planned = 0
        changes = 0
        ended_early = False
        top_load: float | None = None
        top_kg = 0.0
        top_unit: LoadUnit | None = None
        set_reps: list[int] = []
        for s in record.sets:
            done, tut, lowering = totals(s.reps)
            set_reps.append(done)
            reps_done += done
            tension_ms += tut
            eccentric += lowering
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
            tempo_planned=record.sets[0].tempo_planned if record.sets else "",
            eccentric_ms=eccentric,
            negative_only_sets=sum(1 for s in record.sets if s.negative_only),
            soreness=record.soreness,
            **_tap_counts(record.sets),
            set_reps=tuple(set_reps),
            set_ended_early=tuple(s.ended_early for s in record.sets),
            set_tempos=tuple(s.tempo_used for s in record.sets),
            set_loads=tuple(s.load for s in record.sets),
            set_load_units=tuple(s.load_unit for s in record.sets),
        )


ON_TEMPO_TOLERANCE = 0.20  # a tapped lowering within 20 % of the planned one is on tempo


def tap_error(rep: RepRecord) -> float | None:
    """The tapped lowering against the count the lifter heard for it (-0.1: 10 % short),
    None without a tap. That count is the lowering as cued: the plan's, or the new one after
    a live change (the window's "4.2 s of 5" says the same)."""
    cued = rep.lowering_cued_ms
    if rep.lowering_tapped_ms is None or cued <= 0:
        return None
    return (rep.lowering_tapped_ms - cued) / cued


def _tap_counts(sets: tuple[SetRecord, ...]) -> dict[str, int]:
    taps = on_tempo = fast = missing = 0
    for s in sets:
        if not s.tap_mode:
            continue
        for rep in s.reps:
            if not rep.complete:
                continue
            error = tap_error(rep)
            if error is None:
                missing += 1
                continue
            taps += 1
            if error < -ON_TEMPO_TOLERANCE:
                fast += 1
            elif error <= ON_TEMPO_TOLERANCE:
                on_tempo += 1
    return {"taps": taps, "taps_on_tempo": on_tempo, "taps_fast": fast, "taps_missing": missing}
