"""A session in one row, without its reps: what the History tab and `tempo-coach history` list.

``SessionSummary`` is made from a ``SessionRecord`` (``core/records.py``) by
``SessionSummary.of``, and the store keeps one per saved session in its index. It lives in a
module of its own, apart from the records, because reading the index needs only this: the
records are frozen dataclasses, whose methods Python generates anew at every start (about
1 ms each, 8 ms for the records), and `tempo-coach history` or the History tab with a fresh
index builds no record at all.
"""

from collections.abc import Callable
from enum import Enum
from itertools import repeat
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from tempo_coach.core.records import RepRecord, SessionRecord

# No `from __future__ import annotations` here: NamedTuple turns each text annotation into a
# ForwardRef by compiling it (29 compilations, 2 ms at every start); real annotations cost
# nothing. Annotations naming what only type checkers import are quoted.


class LoadUnit(str, Enum):
    KG = "kg"
    LB = "lb"


LB_PER_KG = 2.2046226218


def in_kg(load: float, unit: LoadUnit) -> float:
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
        return None if self.top_load is None else in_kg(self.top_load, self.load_unit)

    @classmethod
    def many(cls, *columns: list[Any]) -> "list[SessionSummary]":
        """One summary per row of these columns, one column per field in order (the
        index's way round); the wrong number of columns, or columns of different lengths,
        is a TypeError or ValueError. Each is made by ``tuple.__new__``, what the named
        tuple's own ``_make`` does, but in a C loop (``_make`` is a Python call: 3 of the 5
        ms ten years took)."""
        if len(columns) != len(cls._fields):
            raise TypeError(f"a summary has {len(cls._fields)} fields, not {len(columns)}")
        return list(map(tuple.__new__, repeat(cls), zip(*columns, strict=True)))

    @classmethod
    def of(
        cls,
        record: "SessionRecord",
        totals: "Callable[[tuple[RepRecord, ...]], tuple[int, int, int]] | None" = None,
    ) -> "SessionSummary":
        """The summary of ``record``. ``totals`` may be a memoised ``rep_totals`` (the store
        passes one: decoded records share equal rep tuples); it must return the same."""
        # Whoever holds a record has imported the records already.
        from tempo_coach.core.records import rep_totals, tap_counts

        if totals is None:
            totals = rep_totals
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
                kg = in_kg(s.load, s.load_unit)
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
            **tap_counts(record.sets),
            set_reps=tuple(set_reps),
            set_ended_early=tuple(s.ended_early for s in record.sets),
            set_tempos=tuple(s.tempo_used for s in record.sets),
            set_loads=tuple(s.load for s in record.sets),
            set_load_units=tuple(s.load_unit for s in record.sets),
        )
