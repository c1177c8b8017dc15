"""Coaching from the history: the next step for an exercise, and the guard's warnings.

Pure rules on ``SessionSummary`` rows (no Qt, no files, no clock of its own): the caller
gives the summaries, the exercise library, the current instant and the preferences, and
gets an ``Advice`` per exercise. The window shows it when an exercise is picked; ``tempo-coach
advice`` prints it. docs/COACHING.md states every rule and threshold; the tests in
tests/core/test_coach.py hold each rule, its boundary and its off switch.

What the rules go by, and what they do not know:

- A session is judged by its summary: the reps done against the reps planned, ``ended_early``,
  ``finished``, the RPE asked at the end, the soreness check-in at its start, the tapped
  lowerings (adherence) and the tempo at its start (``tempo_planned``) and end
  (``tempo_used``). A live change that shortened the lowering shows as a ``tempo_used``
  shorter than ``tempo_planned``; one made and undone inside a session is not seen.
- Where no RPE, no soreness or no taps were recorded, the rule goes by what is known: the
  reps done at the planned count. Fewer than ``MIN_TAPS`` taps count as none.
- Time: sessions are put in order by the instant they started (``instants.instant_of``);
  "a day" is a session's own local date (the offset it was written with). A start time that
  is not a date takes part in no time rule.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from functools import lru_cache
from operator import itemgetter

from tempo_coach.core.exercise import MUSCLES, REPS_RANGE, Exercise
from tempo_coach.core.instants import UNDATED, instant_of
from tempo_coach.core.preferences import Preferences
from tempo_coach.core.records import LOAD_MAX, LoadUnit, SessionSummary
from tempo_coach.core.tempo import (
    DEFAULT_EXPLOSIVE_MS,
    ECCENTRIC_RANGE_MS,
    Tempo,
    TempoError,
    parse_tempo,
    seconds_to_ms,
)

# -- the thresholds (docs/COACHING.md) ---------------------------------------------------------

#: The hardest RPE at which a session still counts as "done with room to spare".
RPE_MOST = 8
#: Soreness (0 to 10) from which the advice eases off and the guard warns.
SORE = 6
#: Share of tapped reps on tempo (within ``records.ON_TEMPO_TOLERANCE``) that counts as good
#: (progression allowed) and below which adherence is poor (ease off).
ON_TEMPO_GOOD = 0.8
ON_TEMPO_POOR = 0.5
#: Fewer taps than this in a session say too little to judge adherence by.
MIN_TAPS = 3
#: A rep longer than this (every phase under tension) gets a note, and is never suggested.
LONG_REP_MS = 10_000
#: One step of the lowering count, up or down.
COUNT_STEP_MS = 1_000
#: A count is shortened only down to this; below it the load (or a rep) gives instead.
SHORTEST_COUNT_MS = 2_000
#: The smallest load step up (a pair of the smallest plates), per unit.
LOAD_STEP: dict[LoadUnit, float] = {LoadUnit.KG: 2.5, LoadUnit.LB: 5.0}
#: The share of the load taken off when easing off by load.
LOAD_CUT = 0.10
#: Same muscles trained again within this (inclusive) with soreness >= SORE: a warning.
SORENESS_WINDOW = timedelta(hours=48)
#: Loads closer than this are the same load (half the smallest plate step: 60 kg logged
#: again as 132.5 lb is 60.1 kg, the same bar).
SAME_LOAD_KG = 1.25
#: More lowering-work days than FREQUENCY_MOST in the last FREQUENCY_DAYS (today counted as
#: a training day: the advice is read before training): a warning.
FREQUENCY_DAYS = 7
FREQUENCY_MOST = 4

#: The same in one line, for the window's set-up (room is short on a small screen).
NOT_MEDICAL_ADVICE_SHORT = "From your own log and general guidance; not medical advice."
NOT_MEDICAL_ADVICE = (
    "These notes come from your own log and general training guidance. Tempo Coach is a "
    "timer and a log, not medical advice: if something hurts, or you follow a clinician's "
    "plan, their word comes first."
)


class Step(str, Enum):
    """What a suggestion changes."""

    LONGER = "longer"  # one more second of lowering
    MORE_LOAD = "more_load"
    MORE_REPS = "more_reps"
    SAME = "same"  # repeat the last plan
    SHORTER = "shorter"  # a shorter lowering
    LESS_LOAD = "less_load"
    FEWER_REPS = "fewer_reps"

    @property
    def easier(self) -> bool:
        return self in (Step.SHORTER, Step.LESS_LOAD, Step.FEWER_REPS)


class NoteKind(str, Enum):
    """The guard's warnings and the notes beside a suggestion, each with its switch."""

    SORENESS = "soreness"  # preference warn_soreness
    FREQUENCY = "frequency"  # preference warn_frequency
    FIRST_SESSION = "first_session"  # preference first_session_tip
    LONG_REP = "long_rep"  # part of the advice (preference advice)


@dataclass(frozen=True)
class Plan:
    """What a suggestion proposes: the set-up panel takes it as it is ("one key to accept")."""

    tempo: str  # notation, lowering first, as tempo.py writes it
    reps: int  # per set
    load: float | None
    load_unit: LoadUnit
    negative_only: bool = False

    @property
    def text(self) -> str:
        """``5-1-1-0 x 6 at 60 kg``."""
        words = f"{self.tempo} x {self.reps}"
        if self.load is not None:
            words += f" at {_number(self.load)} {self.load_unit.value}"
        if self.negative_only:
            words += ", negative-only"
        return words


@dataclass(frozen=True)
class Suggestion:
    step: Step
    plan: Plan
    why: str  # one line, a full sentence

    @property
    def text(self) -> str:
        return f"next time: {self.plan.text}. {self.why}"


@dataclass(frozen=True)
class Note:
    kind: NoteKind
    text: str


@dataclass(frozen=True)
class Advice:
    """Everything the coach says about one exercise, now."""

    exercise_id: str
    exercise_name: str
    last_time: str | None  # "last time: 4-1-1-0 x 6 at 60 kg, RPE 7"; None without history
    suggestion: Suggestion | None  # None with the advice switched off or nothing to go by
    warnings: tuple[Note, ...] = ()

    @property
    def says_anything(self) -> bool:
        return self.suggestion is not None or bool(self.warnings)


# -- the entry points ----------------------------------------------------------------------------


def advise(
    exercise_id: str,
    summaries: Iterable[SessionSummary],
    library: Iterable[Exercise],
    now: datetime,
    preferences: Preferences,
    soreness: int | None = None,
) -> Advice:
    """The advice for ``exercise_id`` before a session that starts at ``now`` (an aware
    datetime), from every saved session (``summaries``, any order, any exercise: the guard
    looks at the others too). ``soreness`` is today's check-in (0 to 10), None when not
    asked. An exercise that is no longer in ``library`` (a deleted custom one) is advised
    from its history, without muscles."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime (with its offset)")
    if soreness is not None and not 0 <= soreness <= 10:
        raise ValueError(f"soreness must be 0 to 10, got {soreness}")
    exercises = {e.exercise_id: e for e in library}
    dated = _in_order(summaries)
    history = [s for _, s in dated if s.exercise_id == exercise_id]
    exercise = exercises.get(exercise_id)
    name = (
        exercise.name
        if exercise is not None
        else (history[-1].exercise_name if history else exercise_id)
    )
    explosive_ms = _explosive_ms(preferences)

    suggestion: Suggestion | None = None
    notes: list[Note] = []
    if preferences.advice:
        if history:
            last_moment = next(m for m, s in reversed(dated) if s.exercise_id == exercise_id)
            recent = last_moment != UNDATED and now - last_moment <= SORENESS_WINDOW
            suggestion = suggest(history, explosive_ms, soreness, recent)
            if suggestion is not None:
                long_rep = _long_rep_note(suggestion.plan, explosive_ms)
                if long_rep is not None:
                    notes.append(long_rep)
        elif exercise is not None:
            default = Plan(
                exercise.default_tempo.with_explosive_ms(explosive_ms).notation(),
                exercise.default_reps,
                None,
                LoadUnit(preferences.units),
            )
            long_rep = _long_rep_note(default, explosive_ms)
            if long_rep is not None:
                notes.append(long_rep)
    # The warnings look at the last days only: from the first session that can matter to
    # them on (``dated`` is in time order; a session's local date is at most a day from
    # its instant, so three days more than the frequency window is safe for both).
    first = bisect_left(dated, now - timedelta(days=FREQUENCY_DAYS + 3), key=itemgetter(0))
    if preferences.warn_soreness:
        note = soreness_warning(exercise_id, dated[first:], exercises, now, soreness)
        if note is not None:
            notes.append(note)
    if preferences.warn_frequency:
        note = frequency_warning(dated[first:], now)
        if note is not None:
            notes.append(note)
    if preferences.first_session_tip and not history:
        notes.append(Note(NoteKind.FIRST_SESSION, FIRST_SESSION_TIP))
    return Advice(
        exercise_id=exercise_id,
        exercise_name=name,
        last_time=last_time(history[-1]) if history else None,
        suggestion=suggestion,
        warnings=tuple(notes),
    )


def exercises_with_history(
    summaries: Iterable[SessionSummary], library: Sequence[Exercise]
) -> list[str]:
    """The ids of the exercises that have a session with a set: the library's order first,
    then those no longer in the library, by their latest session."""
    seen: dict[str, None] = {}
    for _, summary in _in_order(summaries):
        seen.pop(summary.exercise_id, None)
        seen[summary.exercise_id] = None
    known = [e.exercise_id for e in library if e.exercise_id in seen]
    return known + [i for i in seen if i not in known]


def last_time(summary: SessionSummary) -> str:
    """``last time: 4-1-1-0 x 6 at 60 kg, RPE 7`` (with the reps done when some were missed,
    the taps on tempo when there were taps)."""
    words = f"last time: {summary.tempo_used} x {_reps_per_set(summary)}"
    if summary.top_load is not None:
        words += f" at {_number(summary.top_load)} {summary.load_unit.value}"
    if summary.negative_only_sets:
        words += ", negative-only"
    if summary.rpe is not None:
        words += f", RPE {summary.rpe}"
    if summary.reps_done < summary.reps_planned:
        words += f", {summary.reps_done} of {summary.reps_planned} reps done"
    if summary.taps:
        words += f", {summary.taps_on_tempo} of {summary.taps} tapped lowerings on tempo"
    return words


# -- progression -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Read:
    """One session as the rules read it."""

    summary: SessionSummary
    tempo: Tempo  # at its end (what the next session starts from)
    planned: Tempo  # at its start
    reps: int  # per set

    @property
    def missed(self) -> bool:
        s = self.summary
        return s.ended_early or s.reps_done < s.reps_planned

    @property
    def lowered_live(self) -> bool:
        return self.tempo.eccentric_ms < self.planned.eccentric_ms

    @property
    def on_tempo(self) -> float | None:
        """The share of tapped reps on tempo, None when too few taps to judge."""
        s = self.summary
        return s.taps_on_tempo / s.taps if s.taps >= MIN_TAPS else None

    @property
    def mostly_fast(self) -> bool:
        s = self.summary
        slow = s.taps - s.taps_on_tempo - s.taps_fast
        return s.taps_fast >= slow

    @property
    def load_kg(self) -> float:
        return self.summary.top_load_kg or 0.0

    def good(self) -> bool:
        """Done as planned with room to spare, as far as the record tells."""
        s = self.summary
        on_tempo = self.on_tempo
        return (
            s.finished
            and not self.missed
            and not self.lowered_live
            and (on_tempo is None or on_tempo >= ON_TEMPO_GOOD)
            and (s.rpe is None or s.rpe <= RPE_MOST)
        )


def suggest(
    history: Sequence[SessionSummary],
    explosive_ms: int = DEFAULT_EXPLOSIVE_MS,
    soreness: int | None = None,
    last_is_recent: bool = True,
) -> Suggestion | None:
    """The next step from one exercise's ``history`` (oldest first). None when the last
    session cannot be read (no set, a tempo that does not parse). ``last_is_recent``: the
    last session began within SORENESS_WINDOW, so its soreness check-in still says
    something (an older one does not ease the advice)."""
    if not history:
        return None
    last = _read(history[-1], explosive_ms)
    if last is None:
        return None  # no set, or a tempo that cannot be read: say nothing rather than guess
    reads = [r for r in (_read(s, explosive_ms) for s in history[:-1]) if r is not None]
    reads.append(last)
    negative = last.summary.negative_only_sets > 0
    kind = [r for r in reads if (r.summary.negative_only_sets > 0) == negative]
    base = Plan(
        last.tempo.notation(), last.reps, last.summary.top_load, last.summary.load_unit, negative
    )
    s = last.summary

    # Ease off first: what went wrong last time outweighs what went right before.
    if last.missed:
        cause = (
            f"You did {s.reps_done} of {s.reps_planned} reps last time"
            if s.reps_done < s.reps_planned
            else "A set was ended early last time"
        )
        return _easier(last, base, cause)
    if last.lowered_live:
        return Suggestion(
            Step.SHORTER,
            base,
            f"You shortened the lowering from {_seconds(last.planned.eccentric_ms)} to "
            f"{_seconds(last.tempo.eccentric_ms)} during the last session: start there "
            "and build up again.",
        )
    on_tempo = last.on_tempo
    if on_tempo is not None and on_tempo < ON_TEMPO_POOR:
        share = f"Only {s.taps_on_tempo} of {s.taps} tapped lowerings were on tempo"
        if last.mostly_fast:
            return _easier(last, base, f"{share}, most of them too fast")
        return Suggestion(
            Step.SAME,
            base,
            f"{share}, most of them slower than the count: keep this count and follow it; "
            "lowering longer than planned tires the muscle for nothing.",
        )
    # Today's check-in, when there is one, is fresher than the last session's.
    sore, when = (
        (soreness, "today")
        if soreness is not None
        else (s.soreness if last_is_recent else None, "before the last session")
    )
    if sore is not None and sore >= SORE:
        return _easier(last, base, f"You reported soreness of {sore} in 10 {when}")
    if not s.finished:
        return Suggestion(
            Step.SAME,
            base,
            "The last session was stopped before its plan was done: "
            "repeat this plan in full before making it harder.",
        )
    if s.rpe is not None and s.rpe > RPE_MOST:
        return Suggestion(
            Step.SAME,
            base,
            f"RPE {s.rpe} last time: repeat this plan until it feels like {RPE_MOST} or easier.",
        )
    if on_tempo is not None and on_tempo < ON_TEMPO_GOOD:
        return Suggestion(
            Step.SAME,
            base,
            f"{s.taps_on_tempo} of {s.taps} tapped lowerings were on tempo: "
            f"repeat this plan until about {round(ON_TEMPO_GOOD * 10)} in 10 are.",
        )
    before = kind[-2] if len(kind) >= 2 else None
    if before is None or not before.good() or not _at_least_as_hard(before, last):
        why = "One good session at this plan so far"
        if before is not None:
            why += f" (the one before {_shortfall(before, last)})"
        return Suggestion(Step.SAME, base, f"{why}: repeat it once more, then the count can grow.")
    return _harder(before, last, base)


def _shortfall(before: _Read, last: _Read) -> str:
    """What kept the session before ``last`` from counting as the first of two good ones."""
    s = before.summary
    on_tempo = before.on_tempo
    if not s.finished:
        return "was stopped early"
    if before.missed:
        return "missed reps"
    if before.lowered_live:
        return "had its count shortened"
    if on_tempo is not None and on_tempo < ON_TEMPO_GOOD:
        return f"had {s.taps_on_tempo} of {s.taps} tapped lowerings on tempo"
    if s.rpe is not None and s.rpe > RPE_MOST:
        return f"had RPE {s.rpe}"
    return "asked less"


def _harder(before: _Read, last: _Read, base: Plan) -> Suggestion:
    """Two good sessions in a row: one more second of lowering, unless a rep would then
    last over LONG_REP_MS (then load, or a rep when there is no load)."""
    why = "Every rep done at the planned count in the last two sessions"
    if before.summary.rpe is not None or last.summary.rpe is not None:
        why += f", RPE {RPE_MOST} or less"
    if before.on_tempo is not None or last.on_tempo is not None:
        why += ", lowerings on tempo"
    longer_ms = last.tempo.eccentric_ms + COUNT_STEP_MS
    longer: Tempo | None = None
    if longer_ms <= ECCENTRIC_RANGE_MS[1]:
        longer = last.tempo.with_eccentric_ms(longer_ms)
    if longer is not None and _rep_ms(longer, base.negative_only) <= LONG_REP_MS:
        return Suggestion(
            Step.LONGER,
            Plan(longer.notation(), base.reps, base.load, base.load_unit, base.negative_only),
            f"{why}: lower for one more second before adding load.",
        )
    length = _rep_ms(longer or last.tempo, base.negative_only)
    instead = (
        f"{why}, but a {_seconds(longer_ms)} lowering would make each rep last "
        f"{_seconds(length)}, over {_seconds(LONG_REP_MS)}"
    )
    if base.load is not None and base.load > 0:
        step = LOAD_STEP[base.load_unit]
        load = min(LOAD_MAX, base.load + step)
        if load > base.load:
            return Suggestion(
                Step.MORE_LOAD,
                Plan(base.tempo, base.reps, load, base.load_unit, base.negative_only),
                f"{instead}: add {_number(load - base.load)} {base.load_unit.value} instead.",
            )
    if base.reps < REPS_RANGE[1]:
        return Suggestion(
            Step.MORE_REPS,
            Plan(base.tempo, base.reps + 1, base.load, base.load_unit, base.negative_only),
            f"{instead}: add a rep instead.",
        )
    return Suggestion(Step.SAME, base, f"{instead}: keep this plan.")


def _easier(last: _Read, base: Plan, cause: str) -> Suggestion:
    """One step easier: a second shorter while the count stays at SHORTEST_COUNT_MS or
    more, else 10 % less load, else a rep fewer."""
    shorter_ms = last.tempo.eccentric_ms - COUNT_STEP_MS
    if shorter_ms >= SHORTEST_COUNT_MS:
        tempo = last.tempo.with_eccentric_ms(shorter_ms).notation()
        return Suggestion(
            Step.SHORTER,
            Plan(tempo, base.reps, base.load, base.load_unit, base.negative_only),
            f"{cause}: lower for one second less, then build up again.",
        )
    if base.load is not None and base.load > 0:
        load = math.floor(base.load * (1 - LOAD_CUT) * 2) / 2  # down to a half unit
        if load < base.load:
            return Suggestion(
                Step.LESS_LOAD,
                Plan(base.tempo, base.reps, load, base.load_unit, base.negative_only),
                f"{cause}: take {_number(base.load - load)} {base.load_unit.value} off "
                "and keep the count.",
            )
    if base.reps > REPS_RANGE[0]:
        return Suggestion(
            Step.FEWER_REPS,
            Plan(base.tempo, base.reps - 1, base.load, base.load_unit, base.negative_only),
            f"{cause}: do one rep fewer per set.",
        )
    return Suggestion(Step.SAME, base, f"{cause}: this plan is as light as it gets; keep it.")


def _at_least_as_hard(before: _Read, last: _Read) -> bool:
    """``before`` asked as much as ``last``: lowering, reps per set and load."""
    return (
        before.tempo.eccentric_ms >= last.tempo.eccentric_ms
        and before.reps >= last.reps
        and before.load_kg >= last.load_kg - SAME_LOAD_KG
    )


def _read(summary: SessionSummary, explosive_ms: int) -> _Read | None:
    if summary.sets == 0:
        return None
    try:
        tempo = _parsed(summary.tempo_used, explosive_ms)
        planned = _parsed(summary.tempo_planned or summary.tempo_used, explosive_ms)
    except TempoError:
        return None
    return _Read(summary, tempo, planned, _reps_per_set(summary))


@lru_cache(maxsize=256)
def _parsed(text: str, explosive_ms: int) -> Tempo:
    """``parse_tempo``, each text once: ten years hold 2,800 sessions of one exercise and a
    handful of tempos, and parsing each session's again took 25 of the 30 ms the advice
    took, at every step of the soreness box. (A Tempo is frozen: sharing it is safe.)"""
    return parse_tempo(text, explosive_ms=explosive_ms)


def _rep_ms(tempo: Tempo, negative_only: bool) -> int:
    """A rep's time under tension (a negative-only rep's reset is not)."""
    return tempo.rep_ms - (tempo.concentric_ms if negative_only else 0)


def _long_rep_note(plan: Plan, explosive_ms: int) -> Note | None:
    try:
        tempo = parse_tempo(plan.tempo, explosive_ms=explosive_ms)
    except TempoError:
        return None
    length = _rep_ms(tempo, plan.negative_only)
    if length <= LONG_REP_MS:
        return None
    return Note(
        NoteKind.LONG_REP,
        f"Each rep of {plan.tempo} lasts {_seconds(length)}. In the research, reps longer "
        f"than {_seconds(LONG_REP_MS)} built less muscle than shorter ones; a shorter count "
        "with more load may serve you better.",
    )


# -- the guard ---------------------------------------------------------------------------------

FIRST_SESSION_TIP = (
    "First session of this exercise: start light (a small load, or none) and learn the "
    "movement. Soreness from lowering work often shows a day or two later, so judge the "
    "load by how you feel then, not during the set."
)


def soreness_warning(
    exercise_id: str,
    dated: Sequence[tuple[datetime, SessionSummary]],
    exercises: dict[str, Exercise],
    now: datetime,
    soreness: int | None,
) -> Note | None:
    """A warning when a session that shares a muscle with ``exercise_id`` (or is of it)
    started at most SORENESS_WINDOW before ``now``, and the soreness reported (today's
    check-in, else the newest one those sessions recorded) is SORE or more."""
    mine = set(exercises[exercise_id].muscles) if exercise_id in exercises else set()
    recent: list[tuple[datetime, SessionSummary, set[str]]] = []
    for moment, summary in dated:
        if moment == UNDATED or now - moment > SORENESS_WINDOW:
            continue
        other = exercises.get(summary.exercise_id)
        shared = mine & set(other.muscles) if other is not None else set()
        if summary.exercise_id == exercise_id or shared:
            recent.append((moment, summary, shared or mine))
    if not recent:
        return None
    reported, when = soreness, "today"
    if reported is None:
        when = "before your last session"
        reported = next(
            (s.soreness for _, s, _ in reversed(recent) if s.soreness is not None), None
        )
    if reported is None or reported < SORE:
        return None
    moment, _, muscles = recent[-1]
    hours = max(0, math.floor((now - moment).total_seconds() / 3600))
    what = _and([m for m in MUSCLES if m in muscles]) if muscles else "this exercise"
    return Note(
        NoteKind.SORENESS,
        f"You trained {what} {hours} h ago and reported soreness of {reported} in 10 {when}. "
        "Soreness after lowering work usually fades within two to three days; a lighter "
        "session, or other muscles today, may serve you better.",
    )


def frequency_warning(
    dated: Sequence[tuple[datetime, SessionSummary]], now: datetime
) -> Note | None:
    """A warning when the days with lowering work in the last FREQUENCY_DAYS (today and the
    six before, each session's own local date), today counted, are more than
    FREQUENCY_MOST."""
    today = now.date()
    first = today - timedelta(days=FREQUENCY_DAYS - 1)
    days: set[date] = {today}
    for moment, _ in dated:
        if moment != UNDATED and first <= moment.date() <= today:
            days.add(moment.date())
    if len(days) <= FREQUENCY_MOST:
        return None
    return Note(
        NoteKind.FREQUENCY,
        f"Counting today, this is {len(days)} days of lowering work in the last "
        f"{FREQUENCY_DAYS}. Most programmes use it 2 to 4 times a week; a rest day lets "
        "the muscles recover and grow.",
    )


# -- small helpers -----------------------------------------------------------------------------


def _in_order(summaries: Iterable[SessionSummary]) -> list[tuple[datetime, SessionSummary]]:
    """The sessions with a set, oldest first by instant (stable), each with its instant."""
    dated = [(instant_of(s.started_at), s) for s in summaries if s.sets > 0]
    dated.sort(key=lambda pair: pair[0])
    return dated


def _reps_per_set(summary: SessionSummary) -> int:
    """The reps planned per set (the sets of a session share the plan's reps)."""
    if summary.sets <= 0:
        return summary.reps_planned
    return max(1, round(summary.reps_planned / summary.sets))


def _explosive_ms(preferences: Preferences) -> int:
    try:
        return seconds_to_ms(preferences.explosive_seconds)
    except TempoError:
        return DEFAULT_EXPLOSIVE_MS


def _and(words: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def _number(value: float) -> str:
    return f"{value:g}"


def _seconds(ms: int) -> str:
    return f"{ms / 1000:g} s"
