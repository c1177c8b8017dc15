"""Exercises: what a rep looks like (which phase starts it, which side works) and defaults.

The built-in library holds the exercises of docs/DOMAIN.md in the app's own words; users add
their own, so nothing may assume that this list is all there is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum

from tempo_coach.core.tempo import REP_PHASES, Phase, Tempo, parse_tempo


class RepStart(str, Enum):
    """Which half of the movement opens each repetition."""

    ECCENTRIC_FIRST = "eccentric_first"
    CONCENTRIC_FIRST = "concentric_first"

    @property
    def phase_order(self) -> tuple[Phase, ...]:
        if self is RepStart.ECCENTRIC_FIRST:
            return REP_PHASES
        return (
            Phase.CONCENTRIC,
            Phase.PAUSE_AFTER_CONCENTRIC,
            Phase.ECCENTRIC,
            Phase.PAUSE_AFTER_ECCENTRIC,
        )

    def phases(self, negative_only: bool = False) -> tuple[Phase, ...]:
        """The phase order of a rep; a negative-only rep has a reset in place of the lift."""
        if not negative_only:
            return self.phase_order
        return tuple(Phase.RESET if p is Phase.CONCENTRIC else p for p in self.phase_order)

    @property
    def label(self) -> str:
        return "lowering first" if self is RepStart.ECCENTRIC_FIRST else "lifting first"


class SideMode(str, Enum):
    """How the two sides of the body share the work."""

    BOTH = "both"  # both sides together: no side cue
    ALTERNATE_REPS = "alternate_reps"  # left, right, left... rep by rep
    PER_SET = "per_set"  # every rep of a set on one side, the next set on the other

    @property
    def label(self) -> str:
        return {
            SideMode.BOTH: "both sides together",
            SideMode.ALTERNATE_REPS: "alternate sides rep by rep",
            SideMode.PER_SET: "one side per set, then switch",
        }[self]


class Side(str, Enum):
    LEFT = "left"
    RIGHT = "right"


# The muscle groups an exercise can name (plain words, also shown to the lifter). The
# soreness and frequency guard compares exercises by them.
MUSCLES: tuple[str, ...] = (
    "quadriceps",
    "hamstrings",
    "glutes",
    "calves",
    "back",
    "chest",
    "shoulders",
    "biceps",
    "triceps",
    "core",
)

# Bounds shared by exercises, set plans, the CLI and the preferences.
REPS_RANGE = (1, 100)
SETS_RANGE = (1, 20)
REST_RANGE_S = (0, 600)
COUNT_IN_RANGE_S = (0, 10)
NAME_MAX = 80


class ExerciseError(ValueError):
    """An exercise definition that cannot be used."""


def check_int_range(what: str, value: int, bounds: tuple[int, int], unit: str = "") -> None:
    """Raise ExerciseError with the allowed range when ``value`` is out of ``bounds``."""
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, int):
        raise ExerciseError(f"{what} must be a whole number, got {value!r}")
    if not low <= value <= high:
        suffix = f" {unit}" if unit else ""
        raise ExerciseError(f"{what} must be {low} to {high}{suffix}, got {value}")


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


@dataclass(frozen=True)
class Exercise:
    """One exercise and its defaults. ``exercise_id`` is stable; the name may be edited."""

    exercise_id: str
    name: str
    rep_start: RepStart
    default_tempo: Tempo
    default_reps: int
    default_sets: int
    default_rest_s: int
    side_mode: SideMode = SideMode.BOTH
    instructions: tuple[str, ...] = ()
    safety_notes: tuple[str, ...] = ()
    phase_names: dict[Phase, str] = field(default_factory=dict, hash=False)
    builtin: bool = False
    muscles: tuple[str, ...] = ()  # from MUSCLES; the soreness guard compares them

    def __post_init__(self) -> None:
        if not self.exercise_id or slugify(self.exercise_id) != self.exercise_id:
            raise ExerciseError(
                f"an exercise id is lower-case words joined by '-', got {self.exercise_id!r}"
            )
        if not self.name.strip():
            raise ExerciseError("an exercise needs a name")
        if len(self.name) > NAME_MAX:
            raise ExerciseError(f"an exercise name has at most {NAME_MAX} characters")
        check_int_range("the number of reps", self.default_reps, REPS_RANGE)
        check_int_range("the number of sets", self.default_sets, SETS_RANGE)
        check_int_range("the rest between sets", self.default_rest_s, REST_RANGE_S, "seconds")
        unknown = [m for m in self.muscles if m not in MUSCLES]
        if unknown:
            raise ExerciseError(f"unknown muscle {unknown[0]!r}; known: {', '.join(MUSCLES)}")
        if len(set(self.muscles)) != len(self.muscles):
            raise ExerciseError("a muscle is named twice")

    @property
    def phase_order(self) -> tuple[Phase, ...]:
        return self.rep_start.phase_order

    def phase_name(self, phase: Phase) -> str:
        """What the lifter calls this phase in this exercise ("lower", "pull in", ...)."""
        return self.phase_names.get(phase, DEFAULT_PHASE_NAMES[phase])

    def order_text(self) -> str:
        """The phase order in words, e.g. 'pull in > hold > extend > pause'."""
        return " > ".join(self.phase_name(p) for p in self.phase_order)


DEFAULT_PHASE_NAMES: dict[Phase, str] = {
    Phase.COUNT_IN: "get ready",
    Phase.ECCENTRIC: "lower",
    Phase.PAUSE_AFTER_ECCENTRIC: "hold",
    Phase.CONCENTRIC: "lift",
    Phase.PAUSE_AFTER_CONCENTRIC: "pause",
    Phase.REST: "rest",
    Phase.RESET: "reset",
}

_NOT_ADVICE = (
    "Tempo Coach is a timer and a log, not medical advice: if you are recovering from an "
    "injury, follow your clinician's plan."
)
_START_LIGHT = (
    "Expect muscle soreness one to three days after hard lowering work; start light and add "
    "load or seconds only once it settles."
)


def _builtin(
    exercise_id: str,
    name: str,
    rep_start: RepStart,
    tempo: str,
    reps: int,
    sets: int,
    rest_s: int,
    side_mode: SideMode,
    instructions: Sequence[str],
    safety: Sequence[str],
    phase_names: dict[Phase, str],
    muscles: Sequence[str] = (),
) -> Exercise:
    return Exercise(
        exercise_id=exercise_id,
        name=name,
        rep_start=rep_start,
        default_tempo=parse_tempo(tempo),
        default_reps=reps,
        default_sets=sets,
        default_rest_s=rest_s,
        side_mode=side_mode,
        instructions=tuple(instructions),
        safety_notes=(*safety, _START_LIGHT, _NOT_ADVICE),
        phase_names=phase_names,
        builtin=True,
        muscles=tuple(muscles),
    )


BUILTIN_EXERCISES: tuple[Exercise, ...] = (
    _builtin(
        "hamstring-rollout",
        "Physioball hamstring rollout",
        RepStart.CONCENTRIC_FIRST,
        "5-0-1-1",
        8,
        3,
        90,
        SideMode.BOTH,
        [
            "Lie on your back with your heels on a stability ball and lift your hips.",
            "Pull the ball towards you with your heels, keeping the hips high.",
            "Hold briefly, then push the ball away slowly for the whole count, hips still up.",
            "Harder: keep one leg on the ball and the other in the air.",
        ],
        ["Keep the hips lifted through the whole rep; lower them to the floor to stop."],
        {
            Phase.CONCENTRIC: "pull in",
            Phase.PAUSE_AFTER_CONCENTRIC: "hold",
            Phase.ECCENTRIC: "extend",
            Phase.PAUSE_AFTER_ECCENTRIC: "pause",
        },
        ("hamstrings", "glutes"),
    ),
    _builtin(
        "hamstring-curl",
        "Eccentric hamstring curl (seated or lying machine)",
        RepStart.CONCENTRIC_FIRST,
        "5-0-1-1",
        8,
        3,
        120,
        SideMode.ALTERNATE_REPS,
        [
            "Curl the pad with both legs.",
            "At the end of the curl, take one leg off and let the other lower the weight "
            "slowly, for the whole count.",
            "Switch the lowering leg every rep: listen for which side is called.",
        ],
        ["Use a lighter weight than for your normal two-legged curl: one leg takes it all."],
        {
            Phase.CONCENTRIC: "curl, both legs",
            Phase.PAUSE_AFTER_CONCENTRIC: "hold",
            Phase.ECCENTRIC: "lower, one leg",
            Phase.PAUSE_AFTER_ECCENTRIC: "pause",
        },
        ("hamstrings",),
    ),
    _builtin(
        "barbell-squat",
        "Eccentric barbell squat",
        RepStart.ECCENTRIC_FIRST,
        "3-1-1-0",
        6,
        4,
        120,
        SideMode.BOTH,
        [
            "Stand tall with the bar on your upper back, feet about shoulder-width apart.",
            "Sit down and back slowly for the whole count.",
            "Pause briefly at the bottom, then drive up.",
            "No bar yet? The same tempo works with body weight only.",
        ],
        [
            "Go lighter than for your normal squats.",
            "Squat inside a rack with the safety bars set just below your lowest point.",
        ],
        {
            Phase.ECCENTRIC: "descend",
            Phase.PAUSE_AFTER_ECCENTRIC: "hold",
            Phase.CONCENTRIC: "drive up",
            Phase.PAUSE_AFTER_CONCENTRIC: "stand",
        },
        ("quadriceps", "glutes"),
    ),
    _builtin(
        "box-step-down",
        "Eccentric box step-down",
        RepStart.CONCENTRIC_FIRST,
        "4-0-1-1",
        8,
        4,
        60,
        SideMode.PER_SET,
        [
            "Stand facing a box or step.",
            "Step up with the working leg and stand tall on the box.",
            "Lower the other foot to the floor slowly, for the whole count, "
            "bending the working knee.",
            "Do every rep of the set on one leg; the next set switches to the other.",
        ],
        ["Start with a low box; keep the working knee in line with your toes."],
        {
            Phase.CONCENTRIC: "step up",
            Phase.PAUSE_AFTER_CONCENTRIC: "stand",
            Phase.ECCENTRIC: "step down",
            Phase.PAUSE_AFTER_ECCENTRIC: "touch",
        },
        ("quadriceps", "glutes"),
    ),
    _builtin(
        "band-pull-up",
        "Eccentric band-assisted pull-up",
        RepStart.CONCENTRIC_FIRST,
        "5-0-1-2",
        5,
        3,
        120,
        SideMode.BOTH,
        [
            "Loop a band over the bar and put a knee or foot in it.",
            "Pull up until your chin clears the bar.",
            "Hold at the top, then lower yourself slowly for the whole count.",
        ],
        ["Choose a band that lets you control the whole lowering; a thicker band helps more."],
        {
            Phase.CONCENTRIC: "pull up",
            Phase.PAUSE_AFTER_CONCENTRIC: "hold",
            Phase.ECCENTRIC: "lower",
            Phase.PAUSE_AFTER_ECCENTRIC: "hang",
        },
        ("back", "biceps"),
    ),
    _builtin(
        "cable-row",
        "Eccentric seated cable row",
        RepStart.CONCENTRIC_FIRST,
        "4-0-1-1",
        8,
        3,
        90,
        SideMode.BOTH,
        [
            "Sit tall with your feet braced and arms long.",
            "Row the handle to your belly, shoulder blades back.",
            "Let the weight pull your arms forward slowly for the whole count.",
        ],
        ["Keep your back straight; do not let the stack slam at the end."],
        {
            Phase.CONCENTRIC: "row in",
            Phase.PAUSE_AFTER_CONCENTRIC: "squeeze",
            Phase.ECCENTRIC: "release",
            Phase.PAUSE_AFTER_ECCENTRIC: "reach",
        },
        ("back", "biceps"),
    ),
    _builtin(
        "dumbbell-curl",
        "Eccentric dumbbell curl",
        RepStart.CONCENTRIC_FIRST,
        "4-0-1-1",
        8,
        3,
        90,
        SideMode.BOTH,
        [
            "Stand with a dumbbell in each hand, palms forward.",
            "Curl the weights up.",
            "Pause briefly at the top, then lower slowly for the whole count.",
            "Variant: one arm at a time, alternating (make a custom exercise that alternates).",
        ],
        ["Keep your elbows at your sides; do not swing the weight up."],
        {
            Phase.CONCENTRIC: "curl",
            Phase.PAUSE_AFTER_CONCENTRIC: "squeeze",
            Phase.ECCENTRIC: "lower",
            Phase.PAUSE_AFTER_ECCENTRIC: "pause",
        },
        ("biceps",),
    ),
)


class ExerciseLookupError(LookupError):
    """A name that matches no exercise, or more than one."""

    def __init__(self, message: str, candidates: Sequence[Exercise]) -> None:
        super().__init__(message)
        self.candidates = tuple(candidates)


def find_exercise(query: str, exercises: Iterable[Exercise]) -> Exercise:
    """Find an exercise by id, by whole name, or by a unique part of its name (any case).

    Every word of the query must appear in the name (``squat``, ``barbell squat``).
    """
    pool = list(exercises)
    wanted = " ".join(query.lower().split())
    if not wanted:
        raise ExerciseLookupError("give an exercise name", pool)
    for exercise in pool:
        if wanted in (exercise.exercise_id, exercise.name.lower()):
            return exercise
    words = wanted.split()
    matches = [e for e in pool if all(w in e.name.lower() for w in words)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        listing = "; ".join(e.name for e in pool)
        raise ExerciseLookupError(f"no exercise matches {query!r}. Known: {listing}", pool)
    listing = "; ".join(e.name for e in matches)
    raise ExerciseLookupError(
        f"{query!r} matches {len(matches)} exercises: {listing}. Give more of the name.",
        matches,
    )
