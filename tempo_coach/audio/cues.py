"""Which sound the lifter hears at which moment: from timeline events to cue points.

Several events can share one instant (a side switch, the start of a phase and its first
count); the lifter hears ONE cue there, the most telling one: side switch, then last rep,
then the phase, then the count. Counts inside a phase tick each second, the last second of a
phase with a different tick; the rest ticks only in its last seconds.

Each cue has a beep and a word (``voice.py``); the ``cue_voice`` preference picks:

* beeps: the beep;
* voice: the word ("down", "two", "three", "hold", "up", "left", "set done"); one second into
  a rest that is quiet then, "rest";
* both: the word, with its beep (softer, ``sounds.BOTH_BEEP_GAIN``) under it at the start of a
  phase, a side, the last rep and a set's end; the counts are words only.

A word is said only when the voice file was loaded and it ends ``WORD_GAP_MS`` before the
next cue starts: a word never runs into the next one (a long count in the last part-second
of a phase, "twenty-five" 0.5 s before "up", or a missing file). Otherwise the beep sounds
instead: the lifter always hears the moment (``_voiced`` has the details).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tempo_coach.audio.voice import COUNT_WORDS, PHASE_WORDS, CueVoice, voice_sound
from tempo_coach.core.exercise import Side
from tempo_coach.core.preferences import PREFERENCES_BY_NAME, Preferences
from tempo_coach.core.tempo import Phase
from tempo_coach.core.timeline import Event, EventKind

#: The rest is quiet except for its last seconds.
REST_COUNTDOWN_S = 5
#: The least silence between the end of a word and the next cue.
WORD_GAP_MS = 50

PHASE_SOUNDS: dict[Phase, str] = {
    Phase.COUNT_IN: "get_ready",
    Phase.ECCENTRIC: "lower",
    Phase.PAUSE_AFTER_ECCENTRIC: "hold",
    Phase.CONCENTRIC: "lift",
    Phase.PAUSE_AFTER_CONCENTRIC: "hold",
    Phase.REST: "end_of_set",
    Phase.RESET: "lift",
}


def _default(name: str) -> bool:
    return bool(PREFERENCES_BY_NAME[name].default)


_DEFAULT_VOICE = CueVoice(PREFERENCES_BY_NAME["cue_voice"].default)


@dataclass(frozen=True)
class CueOptions:
    """The cue preferences (names as in core.preferences; ``CueOptions()`` holds the
    table's defaults, which are stated only there)."""

    cue_phase: bool = _default("cue_phase")
    cue_counts: bool = _default("cue_counts")
    cue_rest: bool = _default("cue_rest")
    cue_voice: CueVoice = _DEFAULT_VOICE

    @classmethod
    def from_preferences(cls, preferences: Preferences) -> CueOptions:
        return cls(
            preferences.cue_phase,
            preferences.cue_counts,
            preferences.cue_rest,
            CueVoice(preferences.cue_voice),
        )


@dataclass(frozen=True)
class CuePoint:
    """One sound at one instant of session time (a beep's name, or ``voice/<stem>``)."""

    t_ms: int
    sound: str


@dataclass(frozen=True)
class _Cue:
    """What can be heard at one instant: a beep and a word (either may be None)."""

    beep: str | None
    word: str | None
    count: bool = False


def cue_points(
    events: Iterable[Event],
    reps: int,
    options: CueOptions | None = None,
    sound_ms: Mapping[str, int] | None = None,
) -> list[CuePoint]:
    """The sounds of a timeline, in time order: one cue per instant (with "both", a beep
    and a word at the same instant). ``sound_ms`` gives how long each sound lasts in session
    milliseconds, by sound name; a word not in it cannot be said (its beep sounds instead),
    and with the beeps alone it is not needed."""
    options = options or CueOptions()
    ordered = list(events)
    cues: list[tuple[int, _Cue]] = []
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
        cue = _cue_for(group, phase_start, first_of_rep, reps, options)
        if cue is not None:
            cues.append((t, cue))
    if options.cue_voice is CueVoice.BEEPS:
        return [CuePoint(t, cue.beep) for t, cue in cues if cue.beep is not None]
    return _voiced(cues, options.cue_voice, sound_ms or {})


def _voiced(
    cues: list[tuple[int, _Cue]], voice: CueVoice, sound_ms: Mapping[str, int]
) -> list[CuePoint]:
    """The sounds of each cue when the voice speaks, so that nothing runs into the next cue.

    A count yields to the word of a call just before it (a phase said again on resuming
    mid-phase may come 50 ms before that second's count: "down", not "down-four"). Then,
    from the last cue back (so that each is judged against the next cue really heard), each
    cue gets its word (with "both", and its beep under it), else its beep, whichever ends
    ``WORD_GAP_MS`` before the next cue; if neither does, the next cue is heard instead.
    """

    def word_of(cue: _Cue) -> str | None:
        """The cue's word as a sound name, if it can be said."""
        if cue.word is None or voice_sound(cue.word) not in sound_ms:
            return None
        return voice_sound(cue.word)

    kept: list[tuple[int, _Cue]] = []
    call_until: int | None = None
    for t, cue in cues:
        if cue.count and call_until is not None and t < call_until:
            continue
        call = word_of(cue)
        if not cue.count and call is not None:
            call_until = t + sound_ms[call] + WORD_GAP_MS
        kept.append((t, cue))
    backwards: list[CuePoint] = []
    next_heard: int | None = None
    for t, cue in reversed(kept):
        choices: list[list[str]] = []
        word = word_of(cue)
        if word is not None:
            under = voice is CueVoice.BOTH and cue.beep is not None and not cue.count
            choices.append([cue.beep, word] if under and cue.beep else [word])
        if cue.beep is not None:
            choices.append([cue.beep])
        for sounds in choices:
            ends = t + max(sound_ms.get(sound, 0) for sound in sounds) + WORD_GAP_MS
            if next_heard is None or ends <= next_heard:
                next_heard = t
                backwards.extend(CuePoint(t, sound) for sound in reversed(sounds))
                break
    return backwards[::-1]


def _cue_for(
    group: list[Event], phase_start: int, first_of_rep: bool, reps: int, options: CueOptions
) -> _Cue | None:
    by_kind = {e.kind: e for e in group}
    if EventKind.END in by_kind:
        return _Cue("end_of_set", "set-done")
    side = by_kind.get(EventKind.SIDE)
    if side is not None:
        return _Cue("side_left", "left") if side.side is Side.LEFT else _Cue("side_right", "right")
    if EventKind.HINT in by_kind:
        return _Cue("slower", "slower")  # at a lowering's start: it says both
    phase_event = by_kind.get(EventKind.PHASE)
    if phase_event is not None and phase_event.phase is not None:
        phase = phase_event.phase
        if phase is Phase.REST:
            return _Cue("end_of_set", "set-done")  # the set just ended: always heard
        if first_of_rep and reps > 1 and phase_event.rep == reps:
            return _Cue("last_rep", "last-rep")
        if phase is Phase.COUNT_IN:
            return _Cue("get_ready", "get-ready")
        if options.cue_phase:
            return _Cue(PHASE_SOUNDS[phase], PHASE_WORDS[phase])
    count = by_kind.get(EventKind.COUNT)
    if count is None or count.phase is None or count.count is None:
        return None
    word = COUNT_WORDS.get(count.count)
    if count.phase is Phase.REST:
        # The rest counts down: the value is the seconds left.
        if options.cue_rest and count.count <= REST_COUNTDOWN_S:
            return _Cue("rest_countdown", word, count=True)
        if options.cue_phase and count.t_ms - phase_start == 1000:
            # "set done" was said at the rest's start; the voice names the rest a second
            # later (the beeps stay quiet here).
            return _Cue(None, "rest")
        return None
    if not options.cue_counts:
        return None
    if count.phase is Phase.COUNT_IN:
        return _Cue("countdown", word, count=True)
    position = (count.t_ms - phase_start) // 1000
    beep = "tick_last" if position == (count.count_total or 1) - 1 else "tick"
    return _Cue(beep, word, count=True)
