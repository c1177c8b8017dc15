"""Progress over saved sessions: what the History tab's charts, calendar and records show.

Pure functions over ``SessionRecord`` (every rep and live change: the per-exercise charts and
the records) and over anything with a ``started_at`` (and, for the calendar, a
``time_under_tension_ms``), which ``SessionSummary`` has, so counting training days never
needs a rep decoded.

Dates: a session belongs to the local date of its ``started_at`` (its first 10 characters:
the app writes local time with an offset); a session whose date cannot be read is left out
of everything dated. Weeks are ISO weeks (Monday to Sunday, ``date.isocalendar()``).
"Today" is always a parameter: the core reads no calendar.

Tempos are never mixed (a slower tempo lowers the 1RM, so a load is only comparable with
loads at the same tempo): a set is counted at a tempo only when every one of its complete
reps was lowered at the same count; a set whose count was changed between two of them (a
"mixed" set) is left out of the loads and the load records, and counted as left out.

Negative-only sets (a reset in place of each lift, usually with more load than the lifter
could lift) are kept apart: their reps are a ``lowering_per_rep(..., negative_only=True)`` of
their own, their loads a series of their own ("4-1-1-0, negative-only") and their load and
lowering records their own conditions; a reset is never time under tension. Tempo accuracy
(tapped lowerings) is per session from the summaries: ``adherence_per_session``.

Why it is over 500 lines: one module for every figure History derives (lowering per rep,
loads per tempo, tension per session and week, training days, the heatmap, the streak, the
records), so they share one reading of dates and weeks. The records are the part to split
out first (a ``core/personal_records.py``) when it grows.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import Enum
from typing import NamedTuple, Protocol, overload

from tempo_coach.core.records import LB_PER_KG, LiveChange, LoadUnit, SessionRecord, SetRecord
from tempo_coach.core.report import duration, load_text, seconds
from tempo_coach.core.tempo import Phase, TempoError, parse_tempo

#: DOMAIN.md: eccentric work 2 to 4 times a week.
WEEKLY_BAND = (2, 4)
HEATMAP_WEEKS = 53
HEAT_LEVELS = 4  # levels 1..4 for days with tension; 0 for none
NO_LOAD = "with no load"  # the condition of a longest lowering done without a load


class Dated(Protocol):
    @property
    def started_at(self) -> str: ...


class DatedTension(Dated, Protocol):
    @property
    def time_under_tension_ms(self) -> int: ...


def local_day(started_at: str) -> date | None:
    """The local date of an ISO 8601 timestamp ("2025-11-03T18:00:00+01:00"), or None."""
    try:
        return date.fromisoformat(started_at[:10])
    except ValueError:
        return None


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    @classmethod
    def of(cls, day: date) -> IsoWeek:
        iso = day.isocalendar()
        return cls(iso[0], iso[1])

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    def next(self) -> IsoWeek:
        return IsoWeek.of(self.monday + timedelta(days=7))

    @property
    def label(self) -> str:
        """ "2025-W45"."""
        return f"{self.year}-W{self.week:02d}"


def weeks_between(first: date, last: date) -> list[IsoWeek]:
    """Every ISO week from the one holding ``first`` to the one holding ``last``."""
    weeks: list[IsoWeek] = []
    week, end = IsoWeek.of(first), IsoWeek.of(last)
    while week <= end:
        weeks.append(week)
        week = week.next()
    return weeks


def in_unit(load: float, unit: LoadUnit, wanted: LoadUnit) -> float:
    if unit is wanted:
        return load
    return load * LB_PER_KG if wanted is LoadUnit.LB else load / LB_PER_KG


def _dated(records: Iterable[SessionRecord]) -> list[tuple[date, SessionRecord]]:
    """The records that have a readable date, oldest first (ties keep their order)."""
    dated = [(d, r) for r in records if (d := local_day(r.started_at)) is not None]
    dated.sort(key=lambda pair: pair[1].started_at)
    return dated


# -- lowering per rep --------------------------------------------------------------------------


class RepLowering(NamedTuple):
    """One complete rep's lowering: what was planned and what was done."""

    day: date
    session_id: str
    set_number: int
    rep: int
    planned_ms: int  # the session's plan as set up (a live change does not alter it)
    actual_ms: int  # the count in force when the rep began
    load: float | None  # in the unit asked for
    change: LiveChange | None  # a change of the count that took effect from this rep
    tapped_ms: int | None = None  # the lowering the lifter tapped (None: no tap)


class SetPlace(NamedTuple):
    day: date
    session_id: str
    set_number: int
    load: float | None  # in the unit asked for


@dataclass(frozen=True)
class Lowerings(Sequence[RepLowering]):
    """Every complete rep's lowering, kept as columns: ten years of one exercise are 40,000
    reps, and making an object for each took longer than the whole chart may (60 ms, and
    as many objects for the garbage collector to scan). ``lowerings[i]`` is rep ``i`` as a
    ``RepLowering``; a chart reads the columns."""

    sets: tuple[SetPlace, ...] = ()
    set_of: tuple[int, ...] = ()  # per rep: its set, an index into ``sets``
    rep: tuple[int, ...] = ()
    planned_ms: tuple[int, ...] = ()
    actual_ms: tuple[int, ...] = ()
    changes: dict[int, LiveChange] = field(default_factory=dict, hash=False)  # by rep index
    tapped: dict[int, int] = field(default_factory=dict, hash=False)  # rep index -> tapped ms

    def __len__(self) -> int:
        return len(self.rep)

    @overload
    def __getitem__(self, i: int) -> RepLowering: ...
    @overload
    def __getitem__(self, i: slice) -> list[RepLowering]: ...
    def __getitem__(self, i: int | slice) -> RepLowering | list[RepLowering]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        i = range(len(self))[i]  # negative indexes, and IndexError
        place = self.sets[self.set_of[i]]
        return RepLowering(
            place.day,
            place.session_id,
            place.set_number,
            self.rep[i],
            self.planned_ms[i],
            self.actual_ms[i],
            place.load,
            self.changes.get(i),
            self.tapped.get(i),
        )


def lowering_per_rep(
    records: Iterable[SessionRecord],
    unit: LoadUnit = LoadUnit.KG,
    *,
    negative_only: bool = False,
) -> Lowerings:
    """Every complete rep's lowering in time order (sessions by start, then sets and reps
    in the record's order): planned (the session's plan as set up) and actual (the count in
    force when it began), and the lowering tapped where the lifter tapped it. A live change
    is marked on the first complete rep of its set from the rep it names on (the first one
    that used the new count); a change that no complete rep reached is not marked.
    Incomplete reps are left out (their lowering was cut short). Only the sets of one kind:
    normal ones, or (``negative_only``) the negative-only ones, which are charted apart."""
    places: list[SetPlace] = []
    set_of: list[int] = []
    numbers: list[int] = []
    planned_ms: list[int] = []
    actual_ms: list[int] = []
    changes: dict[int, LiveChange] = {}
    tapped: dict[int, int] = {}
    eccentric = Phase.ECCENTRIC
    for day, record in _dated(records):
        for s in record.sets:
            if s.negative_only is not negative_only:
                continue
            load = None if s.load is None else in_unit(s.load, s.load_unit, unit)
            place = len(places)
            places.append(SetPlace(day, record.session_id, s.set_number, load))
            pending = sorted(s.live_changes, key=lambda c: (c.rep, c.at_ms))
            for rep in s.reps:
                if not rep.complete:
                    continue
                planned = actual = -1
                for p in rep.phases:
                    if p.phase is not eccentric:
                        continue
                    if actual < 0:
                        planned, actual = p.planned_ms, p.actual_ms
                    else:
                        planned, actual = planned + p.planned_ms, actual + p.actual_ms
                if actual < 0:
                    continue
                if pending and pending[0].rep <= rep.rep:
                    due = [c for c in pending if c.rep <= rep.rep]
                    pending = pending[len(due) :]
                    # two quick changes before one lowering: one mark, from first to last
                    changes[len(numbers)] = replace(due[0], to_ms=due[-1].to_ms)
                if rep.lowering_tapped_ms is not None:
                    tapped[len(numbers)] = rep.lowering_tapped_ms
                set_of.append(place)
                numbers.append(rep.rep)
                planned_ms.append(planned)
                actual_ms.append(actual)
    return Lowerings(
        tuple(places),
        tuple(set_of),
        tuple(numbers),
        tuple(planned_ms),
        tuple(actual_ms),
        changes,
        tapped,
    )


# -- loads at each tempo -----------------------------------------------------------------------


@functools.lru_cache(maxsize=512)
def _with_lowering(notation: str, lowering_ms: int) -> str:
    """``notation`` with its lowering replaced (a few distinct pairs over ten years)."""
    try:
        return parse_tempo(notation).with_eccentric_ms(lowering_ms).notation()
    except TempoError:  # a notation this version cannot read: kept as written
        return notation


def set_tempo(s: SetRecord) -> str | None:
    """The one tempo every complete rep of the set was done at, or None for a mixed set
    (the count changed between two of its complete reps) or a set without a complete rep.

    The reps' *actual* lowering is the count in force when each began (a rep's planned
    lowering is the session's plan before any change); ``tempo_used`` is the count of the
    last lowering begun, which may be a rep cut short, so the lowering is taken from the
    complete reps."""
    return _tempo_of(s, _set_totals(s)[0])


def _tempo_of(s: SetRecord, lowerings: set[int]) -> str | None:
    if len(lowerings) != 1:
        return None
    (lowering,) = lowerings
    return _with_lowering(s.tempo_used, lowering)


@dataclass(frozen=True)
class LoadPoint:
    day: date
    session_id: str
    load: float  # the heaviest set of the session at this tempo, in the unit asked for
    sets: int  # the session's sets at this tempo with a load


@dataclass(frozen=True)
class LoadsByTempo:
    series: dict[str, tuple[LoadPoint, ...]]  # tempo notation -> one point per session
    mixed_sets: int  # sets left out because their count changed after some reps


NEGATIVE = ", negative-only"  # after a tempo: the series or record of negative-only sets


def _kind_of(s: SetRecord, tempo: str) -> str:
    """The tempo as a series or record names it: negative-only sets apart."""
    return tempo + NEGATIVE if s.negative_only else tempo


def loads_by_tempo(records: Iterable[SessionRecord], unit: LoadUnit = LoadUnit.KG) -> LoadsByTempo:
    """The heaviest load of each session at each tempo, one series per tempo (never mixed);
    negative-only sets are a series of their own at each tempo ("4-1-1-0, negative-only").
    Sets without a load (body weight) are not charted; mixed sets are left out and counted."""
    series: dict[str, list[LoadPoint]] = defaultdict(list)
    mixed = 0
    for day, record in _dated(records):
        best: dict[str, tuple[float, int]] = {}
        for s in record.sets:
            lowerings, _ = _set_totals(s)
            tempo = _tempo_of(s, lowerings)
            if tempo is None:
                mixed += len(lowerings) > 1
                continue
            if s.load is None:
                continue
            tempo = _kind_of(s, tempo)
            load = in_unit(s.load, s.load_unit, unit)
            top, count = best.get(tempo, (load, 0))
            best[tempo] = (max(top, load), count + 1)
        for tempo, (load, count) in best.items():
            series[tempo].append(LoadPoint(day, record.session_id, load, count))
    return LoadsByTempo({t: tuple(p) for t, p in sorted(series.items())}, mixed)


# -- time under tension ------------------------------------------------------------------------


class SessionTotals(Dated, Protocol):
    """A session's totals: ``SessionSummary`` has them (from the store's index, so ten
    years need no rep decoded)."""

    @property
    def session_id(self) -> str: ...
    @property
    def time_under_tension_ms(self) -> int: ...
    @property
    def eccentric_ms(self) -> int: ...
    @property
    def negative_only_sets(self) -> int: ...


@dataclass(frozen=True)
class SessionTension:
    day: date
    session_id: str
    tension_ms: int  # every phase but a reset of every complete rep
    lowering_ms: int  # the lowering of every complete rep
    negative_only: bool = False  # the session had a negative-only set


@dataclass(frozen=True)
class WeekTension:
    week: IsoWeek
    tension_ms: int
    lowering_ms: int
    sessions: int


def tension_per_session(sessions: Iterable[SessionTotals]) -> list[SessionTension]:
    """Each session's time under tension and its lowering part, oldest first."""
    dated = [(d, s) for s in sessions if (d := local_day(s.started_at)) is not None]
    dated.sort(key=lambda pair: pair[1].started_at)
    return [
        SessionTension(
            day, s.session_id, s.time_under_tension_ms, s.eccentric_ms, s.negative_only_sets > 0
        )
        for day, s in dated
    ]


# -- tempo accuracy ----------------------------------------------------------------------------


class TapCounts(Dated, Protocol):
    """A session's tap counts: ``SessionSummary`` has them."""

    @property
    def session_id(self) -> str: ...
    @property
    def taps(self) -> int: ...
    @property
    def taps_on_tempo(self) -> int: ...
    @property
    def taps_fast(self) -> int: ...
    @property
    def taps_missing(self) -> int: ...


@dataclass(frozen=True)
class SessionAdherence:
    day: date
    session_id: str
    taps: int  # complete reps of tap-mode sets with a tap
    on_tempo: int  # of those, within ON_TEMPO_TOLERANCE of the planned lowering
    fast: int
    missing: int  # complete reps of tap-mode sets without a tap

    @property
    def slow(self) -> int:
        return self.taps - self.on_tempo - self.fast

    @property
    def share(self) -> float | None:
        """The share of tapped reps on tempo, 0 to 1 (None: every tap missing)."""
        return self.on_tempo / self.taps if self.taps else None


def adherence_per_session(sessions: Iterable[TapCounts]) -> list[SessionAdherence]:
    """Each session with a set in tap mode (a tap or a missing tap), oldest first."""
    dated = [
        (d, s)
        for s in sessions
        if (s.taps or s.taps_missing) and (d := local_day(s.started_at)) is not None
    ]
    dated.sort(key=lambda pair: pair[1].started_at)
    return [
        SessionAdherence(day, s.session_id, s.taps, s.taps_on_tempo, s.taps_fast, s.taps_missing)
        for day, s in dated
    ]


def tension_per_week(sessions: Sequence[SessionTension]) -> list[WeekTension]:
    """Sums per ISO week, from the first session's week to the last's; weeks between
    without a session are there with zeros (a chart shows the gap)."""
    if not sessions:
        return []
    totals: dict[IsoWeek, list[int]] = defaultdict(lambda: [0, 0, 0])
    for s in sessions:
        total = totals[IsoWeek.of(s.day)]
        total[0] += s.tension_ms
        total[1] += s.lowering_ms
        total[2] += 1
    days = [s.day for s in sessions]
    return [WeekTension(w, *totals.get(w, (0, 0, 0))) for w in weeks_between(min(days), max(days))]


# -- training days per week, the streak --------------------------------------------------------


@dataclass(frozen=True)
class WeekDays:
    week: IsoWeek
    days: int  # distinct dates with a session


def _days(items: Iterable[Dated]) -> set[date]:
    return {d for item in items if (d := local_day(item.started_at)) is not None}


def days_per_week(items: Iterable[Dated], since: date, until: date) -> list[WeekDays]:
    """Training days (distinct dates with a session) in every ISO week that overlaps
    ``since``..``until`` (both included); days outside the range are not counted."""
    if until < since:
        return []
    per_week: dict[IsoWeek, int] = defaultdict(int)
    for day in _days(items):
        if since <= day <= until:
            per_week[IsoWeek.of(day)] += 1
    return [WeekDays(w, per_week.get(w, 0)) for w in weeks_between(since, until)]


@dataclass(frozen=True)
class Streak:
    weeks: int  # consecutive weeks that met the target
    target: int  # training days a week
    this_week_days: int
    this_week_met: bool  # the current week already counts in ``weeks``


def week_streak(items: Iterable[Dated], today: date, target: int) -> Streak:
    """Consecutive ISO weeks with at least ``target`` training days, counted back from the
    current week when it already meets the target, else from last week (a week in
    progress does not break a streak). Sessions after ``today`` are not counted."""
    if target < 1:
        raise ValueError(f"a weekly target is 1 to 7 training days, got {target}")
    per_week: dict[IsoWeek, int] = defaultdict(int)
    for day in _days(items):
        if day <= today:
            per_week[IsoWeek.of(day)] += 1
    this_week = IsoWeek.of(today)
    met = per_week.get(this_week, 0) >= target
    monday = this_week.monday if met else this_week.monday - timedelta(days=7)
    weeks = 0
    earliest = min((w for w in per_week), default=this_week)
    while (week := IsoWeek.of(monday)) >= earliest and per_week.get(week, 0) >= target:
        weeks += 1
        monday -= timedelta(days=7)
    return Streak(weeks, target, per_week.get(this_week, 0), met)


def suggested_weekly_target(items: Iterable[Dated], today: date, weeks: int = 8) -> int:
    """The lower median of the training days of the last ``weeks`` complete weeks, 1 to 7."""
    last_sunday = IsoWeek.of(today).monday - timedelta(days=1)
    first = last_sunday - timedelta(days=7 * weeks - 1)
    counts = sorted(w.days for w in days_per_week(items, first, last_sunday))
    return min(7, max(1, counts[(len(counts) - 1) // 2]))


# -- the calendar heatmap ----------------------------------------------------------------------


@dataclass(frozen=True)
class HeatDay:
    day: date
    tension_ms: int
    sessions: int
    level: int  # 0: none (or a future day), 1..4: the day's quarter among days with tension
    future: bool


@dataclass(frozen=True)
class Heatmap:
    today: date
    days: tuple[HeatDay, ...]  # HEATMAP_WEEKS whole ISO weeks, Monday first, oldest first

    @property
    def weeks(self) -> list[tuple[HeatDay, ...]]:
        return [self.days[i : i + 7] for i in range(0, len(self.days), 7)]

    @property
    def trained_days(self) -> int:
        return sum(1 for d in self.days if d.sessions)


def heat_level(tension_ms: int, others: Sequence[int]) -> int:
    """``tension_ms`` graded against ``others`` (the non-zero days, sorted): the quarter of
    those days it reaches (1 = in the lowest quarter, 4 = in the highest); 0 for none."""
    if tension_ms <= 0 or not others:
        return 0
    at_or_below = bisect.bisect_right(others, tension_ms)
    return max(1, math.ceil(HEAT_LEVELS * at_or_below / len(others)))


def heatmap(items: Iterable[DatedTension], today: date) -> Heatmap:
    """The last ``HEATMAP_WEEKS`` ISO weeks up to today's, each day's total time under
    tension graded against the user's own non-zero days in those weeks (quartiles of their
    empirical distribution). Does not depend on any date filter: pass every session."""
    first = IsoWeek.of(today).monday - timedelta(days=7 * (HEATMAP_WEEKS - 1))
    end = first + timedelta(days=7 * HEATMAP_WEEKS)
    tension: dict[date, int] = defaultdict(int)
    sessions: dict[date, int] = defaultdict(int)
    for item in items:
        day = local_day(item.started_at)
        if day is not None and first <= day <= today:
            tension[day] += item.time_under_tension_ms
            sessions[day] += 1
    ordered = sorted(v for v in tension.values() if v > 0)
    days = []
    day = first
    while day < end:
        t = tension.get(day, 0)
        days.append(HeatDay(day, t, sessions.get(day, 0), heat_level(t, ordered), day > today))
        day += timedelta(days=1)
    return Heatmap(today, tuple(days))


# -- personal records --------------------------------------------------------------------------


class RecordKind(str, Enum):
    HEAVIEST_LOAD = "heaviest_load"  # at each tempo
    LONGEST_LOWERING = "longest_lowering"  # at each load
    MOST_TENSION = "most_tension"  # one set

    @property
    def label(self) -> str:
        return {
            RecordKind.HEAVIEST_LOAD: "Heaviest load",
            RecordKind.LONGEST_LOWERING: "Longest lowering",
            RecordKind.MOST_TENSION: "Most TUT in one set",
        }[self]


@dataclass(frozen=True)
class PersonalRecord:
    exercise_id: str
    exercise_name: str  # as last saved
    kind: RecordKind
    condition: str  # "tempo 4-1-1-0", "at 60 kg", "with no load", ""
    value: float  # a load in ``unit``, or milliseconds
    unit: LoadUnit
    day: date
    session_id: str
    set_number: int
    load: float | None = None  # the set's load in ``unit`` (to 0.1), None for no load
    previous: float | None = None  # the best before this one ("was ...")
    previous_day: date | None = None

    def text(self, value: float | None = None) -> str:
        """The value (or ``value``) as shown: "62.5 kg", "6 s", "1 min 05 s" (a set's time
        under tension)."""
        shown = self.value if value is None else value
        if self.kind is RecordKind.HEAVIEST_LOAD:
            return load_text(round(shown, 1), self.unit.value)
        if self.kind is RecordKind.MOST_TENSION:
            return duration(round(shown))
        return seconds(round(shown))

    @property
    def was_text(self) -> str:
        """ "was 60 kg (2025-09-01)", or "first" when there was none before."""
        if self.previous is None or self.previous_day is None:
            return "first"
        return f"was {self.text(self.previous)} ({self.previous_day.isoformat()})"


class _Where(NamedTuple):
    """Where a set was done, for the record it may hold."""

    exercise_id: str
    exercise_name: str
    unit: LoadUnit
    day: date
    session_id: str
    set_number: int
    load: float | None


class _Best:
    """The running bests of one exercise and kind, per condition. A new best is strictly
    greater, so a tie keeps the date it was first reached; a record is made only when a
    set beats the best (ten years are 25,000 sets, a few hundred of them records)."""

    def __init__(self, kind: RecordKind) -> None:
        self.kind = kind
        self.best: dict[str, PersonalRecord] = {}

    def offer(self, condition: str, value: float, where: _Where) -> None:
        held = self.best.get(condition)
        if held is not None and value <= held.value:
            return
        self.best[condition] = PersonalRecord(
            kind=self.kind,
            condition=condition,
            value=value,
            previous=None if held is None else held.value,
            previous_day=None if held is None else held.day,
            **where._asdict(),
        )


def personal_records(
    records: Iterable[SessionRecord], unit: LoadUnit = LoadUnit.KG
) -> list[PersonalRecord]:
    """Per exercise: the heaviest load at each tempo (mixed sets and sets without a
    complete rep left out), the longest lowering of a complete rep at each load (loads
    compared in ``unit`` to 0.1), and the set with the most time under tension; each with
    the best before it. Ordered by exercise name, kind, then condition (loads and tempos
    in numeric order).

    A longest lowering is kept only at a load where it is longer than at every heavier
    load (no load counts as the lightest): a lowering as long at a heavier load beats it,
    and without this rule every load ever used (ten years of small steps) would be a row."""
    bests: dict[str, dict[RecordKind, _Best]] = defaultdict(
        lambda: {kind: _Best(kind) for kind in RecordKind}
    )
    names: dict[str, str] = {}
    for day, record in _dated(records):
        for s in record.sets:
            names[s.exercise_id] = s.exercise_name
            mine = bests[s.exercise_id]
            load = _rounded_load(s, unit)
            where = _Where(
                s.exercise_id, s.exercise_name, unit, day, record.session_id, s.set_number, load
            )
            lowerings, tension = _set_totals(s)
            tempo = _tempo_of(s, lowerings)
            if tempo is not None and load is not None:
                mine[RecordKind.HEAVIEST_LOAD].offer(f"tempo {_kind_of(s, tempo)}", load, where)
            if lowerings:
                at = NO_LOAD if load is None else f"at {load_text(load, unit.value)}"
                mine[RecordKind.LONGEST_LOWERING].offer(_kind_of(s, at), max(lowerings), where)
            if tension > 0:
                mine[RecordKind.MOST_TENSION].offer("", tension, where)
    out: list[PersonalRecord] = []
    for exercise_id in sorted(bests, key=lambda e: (names[e].casefold(), e)):
        for kind in RecordKind:
            held = list(bests[exercise_id][kind].best.values())
            if kind is RecordKind.LONGEST_LOWERING:
                held = _unbeaten_by_heavier(held)
            for found in sorted(held, key=lambda r: _condition_key(r.condition)):
                out.append(_renamed(found, names[exercise_id]))
    return out


def _load_order(record: PersonalRecord) -> float:
    return -1.0 if record.load is None else record.load


def _unbeaten_by_heavier(lowerings: list[PersonalRecord]) -> list[PersonalRecord]:
    """The rule per kind of set: negative-only lowerings are compared among themselves."""
    kept: list[PersonalRecord] = []
    for negative in (False, True):
        longest_heavier = -1.0
        mine = [r for r in lowerings if r.condition.endswith(NEGATIVE) is negative]
        for record in sorted(mine, key=_load_order, reverse=True):
            if record.value > longest_heavier:
                kept.append(record)
                longest_heavier = record.value
    return kept


def _rounded_load(s: SetRecord, unit: LoadUnit) -> float | None:
    return None if s.load is None else round(in_unit(s.load, s.load_unit, unit), 1)


def _set_totals(s: SetRecord) -> tuple[set[int], int]:
    """The lowerings of the set's complete reps and its time under tension, in one pass."""
    lowerings: set[int] = set()
    tension = 0
    eccentric = Phase.ECCENTRIC
    for rep in s.reps:
        if rep.complete:
            lowering = 0
            for p in rep.phases:
                if p.phase.under_tension:  # a reset is not time under tension
                    tension += p.actual_ms
                if p.phase is eccentric:
                    lowering += p.actual_ms
            lowerings.add(lowering)
    return lowerings, tension


def _condition_key(condition: str) -> tuple[tuple[int, float, str], ...]:
    """Numbers in numeric order ("at 7.5 kg" before "at 60 kg", "tempo 4-…" before
    "tempo 10-…"), the rest by text; "with no load" first."""
    if condition == NO_LOAD:
        return ()
    return tuple(
        (0, float(part), "") if part[0].isdigit() else (1, 0.0, part)
        for part in re.findall(r"\d+(?:\.\d+)?|\D+", condition)
    )


def _renamed(record: PersonalRecord, name: str) -> PersonalRecord:
    return record if record.exercise_name == name else replace(record, exercise_name=name)
