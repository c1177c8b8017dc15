"""Which sound the lifter hears at which moment: from timeline events to cue points.

Several events can share one instant (a side switch, the start of a phase and its first
count); the lifter hears ONE sound there, the most telling one: side switch, then last rep,
then the phase, then the count. Counts inside a phase tick each second, the last second of a
phase with a different tick; the rest ticks only in its last seconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tempo_coach.core.exercise import Side
from tempo_coach.core.preferences import PREFERENCES_BY_NAME, Preferences
from tempo_coach.core.tempo import Phase
from tempo_coach.core.timeline import Event, EventKind

#: The rest is quiet except for its last seconds.
REST_COUNTDOWN_S = 5

PHASE_SOUNDS: dict[Phase, str] = {
    Phase.COUNT_IN: "get_ready",
    Phase.ECCENTRIC: "lower",
    Phase.PAUSE_AFTER_ECCENTRIC: "hold",
    Phase.CONCENTRIC: "lift",
    Phase.PAUSE_AFTER_CONCENTRIC: "hold",
    Phase.REST: "end_of_set",
}


def _default(name: str) -> bool:
    return bool(PREFERENCES_BY_NAME[name].default)


@dataclass(frozen=True)
class CueOptions:
    """The cue preferences (names as in core.preferences; ``CueOptions()`` holds the
    table's defaults, which are stated only there)."""

    cue_phase: bool = _default("cue_phase")
    cue_counts: bool = _default("cue_counts")
    cue_rest: bool = _default("cue_rest")

    @classmethod
    def from_preferences(cls, preferences: Preferences) -> CueOptions:
        return cls(preferences.cue_phase, preferences.cue_counts, preferences.cue_rest)


@dataclass(frozen=True)
class CuePoint:
    """One sound at one instant of session time."""

    t_ms: int
    sound: str


def cue_points(
    events: Iterable[Event], reps: int, options: CueOptions | None = None
) -> list[CuePoint]:
    """The sounds of a timeline, in time order: at most one per instant."""
    options = options or CueOptions()
    ordered = list(events)
    points: list[CuePoint] = []
    previous_rep: tuple[int | None, int | None] | None = None
    phase_start = 0
    index = 0
    while index < len(ordered):
        t = ordered[index].t_ms
        group: list[Event] = []
        while index < len(ordered) and ordered[index].t_ms == t:
            group.append(ordered[index])
            index += 1
        first_of_rep = False
        for event in group:
            if event.kind is EventKind.PHASE:
                phase_start = event.t_ms
                if event.rep is not None:
                    key = (event.set_number, event.rep)
                    first_of_rep = key != previous_rep
                    previous_rep = key
        sound = _sound_for(group, phase_start, first_of_rep, reps, options)
        if sound is not None:
            points.append(CuePoint(t, sound))
    return points


def _sound_for(
    group: list[Event], phase_start: int, first_of_rep: bool, reps: int, options: CueOptions
) -> str | None:
    by_kind = {e.kind: e for e in group}
    if EventKind.END in by_kind:
        return "end_of_set"
    side = by_kind.get(EventKind.SIDE)
    if side is not None:
        return "side_left" if side.side is Side.LEFT else "side_right"
    phase_event = by_kind.get(EventKind.PHASE)
    if phase_event is not None and phase_event.phase is not None:
        phase = phase_event.phase
        if phase is Phase.REST:
            return "end_of_set"  # the set just ended: always heard
        if first_of_rep and reps > 1 and phase_event.rep == reps:
            return "last_rep"
        if phase is Phase.COUNT_IN:
            return "get_ready"
        if options.cue_phase:
            return PHASE_SOUNDS[phase]
    count = by_kind.get(EventKind.COUNT)
    if count is None or count.phase is None or count.count is None:
        return None
    if count.phase is Phase.REST:
        # The rest counts down: the value is the seconds left.
        if options.cue_rest and count.count <= REST_COUNTDOWN_S:
            return "rest_countdown"
        return None
    if not options.cue_counts:
        return None
    if count.phase is Phase.COUNT_IN:
        return "countdown"
    position = (count.t_ms - phase_start) // 1000
    return "tick_last" if position == (count.count_total or 1) - 1 else "tick"
