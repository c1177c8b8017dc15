"""What a session leaves behind: reps, live changes, sets and whole sessions.

These are plain frozen dataclasses. The store turns them into JSON; the History tab and the
command line read them back. Durations are whole milliseconds, dates are ISO 8601 strings
supplied by whoever creates the record (the core reads no calendar).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from tempo_coach.core.exercise import Side, SideMode
from tempo_coach.core.summary import LB_PER_KG as LB_PER_KG
from tempo_coach.core.summary import LoadUnit as LoadUnit
from tempo_coach.core.summary import SessionSummary as SessionSummary
from tempo_coach.core.tempo import Phase

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


ON_TEMPO_TOLERANCE = 0.20  # a tapped lowering within 20 % of the planned one is on tempo


def tap_error(rep: RepRecord) -> float | None:
    """The tapped lowering against the count the lifter heard for it (-0.1: 10 % short),
    None without a tap. That count is the lowering as cued: the plan's, or the new one after
    a live change (the window's "4.2 s of 5" says the same)."""
    cued = rep.lowering_cued_ms
    if rep.lowering_tapped_ms is None or cued <= 0:
        return None
    return (rep.lowering_tapped_ms - cued) / cued


def tap_counts(sets: tuple[SetRecord, ...]) -> dict[str, int]:
    """The tap columns of ``SessionSummary`` (``taps``, ``taps_on_tempo``, ``taps_fast``,
    ``taps_missing``) for these sets."""
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
