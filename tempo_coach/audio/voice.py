"""The spoken cues: which words the voice knows, and the file each one is in.

Nothing speaks at run time. The words are pre-rendered by ``assets/sounds/voice/generate.py``
into the WAV files committed in ``assets/sounds/voice/`` (one per word, named by its *stem*),
and played like any other cue sound. A word's sound name is ``voice/<stem>``: its path in the
sound folder without ``.wav``. Which word is said when is decided in ``cues.py``.

The set is small and fixed on purpose: the counts, one word per kind of phase (whatever an
exercise calls its phases: "pull in" is a lifting phase and the voice says "up"), the two
sides, "get ready", "last rep", "set done" and "rest". The phases are "down" and "up", not
the app's "lower" and "lift": "lift" and "left" differ by one vowel, and in an exercise that
alternates sides the side is called exactly where the phase word would be.
"""

from __future__ import annotations

from enum import Enum

from tempo_coach.core.tempo import Phase


class CueVoice(str, Enum):
    """The ``cue_voice`` preference: how the cues sound."""

    BEEPS = "beeps"  # the beeps only, as before the voice existed
    VOICE = "voice"  # words; a beep only where a word is missing or would not fit
    BOTH = "both"  # a softer beep under the word at a phase, side or set end; counts spoken


#: The voice's folder inside the sound folder (``assets/sounds/voice/``).
VOICE_FOLDER = "voice"
#: The highest count the voice says: a phase lasts at most 30 s (core.tempo), the count-in at
#: most 10 s, and a rest is counted only in its last seconds. A count above it is a beep.
MAX_COUNT = 30
#: The longest a word may last (the generator speeds a longer one up; a test checks the
#: files): a count word ends well before the next second.
MAX_WORD_S = 0.75
#: How loud every word is (BS.1770, ``loudness.py``): about the level of the beeps' ticks,
#: a little below their phase, side and set-end sounds (-11.1 to -13.5 LUFS).
LOUDNESS_LUFS = -15.0

_ONES = (
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen",
)  # fmt: skip


def _number_stem(n: int) -> str:
    if n < 20:
        return _ONES[n - 1]
    tens = {2: "twenty", 3: "thirty"}[n // 10]
    return tens if n % 10 == 0 else f"{tens}-{_ONES[n % 10 - 1]}"


#: count -> stem ("twenty-three").
COUNT_WORDS: dict[int, str] = {n: _number_stem(n) for n in range(1, MAX_COUNT + 1)}

#: The words that are not counts: stem -> when the voice says it (README and docs).
CALL_WORDS: dict[str, str] = {
    "get-ready": "the start of the count-in",
    "down": "the start of a lowering (eccentric) phase",
    "hold": "the start of a pause, after the lowering or after the lift",
    "up": "the start of a lifting (concentric) phase",
    "left": "the left side works from this rep on (alternating or one-sided exercises)",
    "right": "the right side works from this rep on",
    "last-rep": "the start of the last rep of a set",
    "set-done": "the end of each set (the rest begins) and of the session",
    "rest": "one second into a rest that is still quiet then",
    "reset": "the start of the reset that replaces the lift in a negative-only set",
    "slower": "the start of a lowering after two fast ones in tap mode",
}

#: stem -> the text the synthesizer speaks.
WORDS: dict[str, str] = {
    **{stem: stem.replace("-", " ") for stem in COUNT_WORDS.values()},
    **{stem: stem.replace("-", " ") for stem in CALL_WORDS},
}

#: The word at the start of each phase (when no side, last rep or set end is said there).
PHASE_WORDS: dict[Phase, str] = {
    Phase.COUNT_IN: "get-ready",
    Phase.ECCENTRIC: "down",
    Phase.PAUSE_AFTER_ECCENTRIC: "hold",
    Phase.CONCENTRIC: "up",
    Phase.PAUSE_AFTER_CONCENTRIC: "hold",
    Phase.REST: "set-done",
    Phase.RESET: "reset",
}


def voice_sound(stem: str) -> str:
    """The sound name of a word (a key of a SoundSet, a CuePoint's sound)."""
    return f"{VOICE_FOLDER}/{stem}"


def is_voice_sound(sound: str) -> bool:
    return sound.startswith(f"{VOICE_FOLDER}/")
