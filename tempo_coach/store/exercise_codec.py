"""Exercises (``exercises.json``, a backup's ``custom_exercises``) to JSON values and back.

Apart from ``codec.py`` (sessions), which re-exports these: opening a store reads the
exercises at every start, and sessions only when a month or a checkpoint must be decoded, so
the store imports the session codec (and the records' dataclasses) where it decodes one.
"""

from __future__ import annotations

from typing import Any

from tempo_coach.core.exercise import Exercise, ExerciseError, RepStart, SideMode
from tempo_coach.core.tempo import Phase, Tempo, TempoError
from tempo_coach.store.checked import (
    CodecError,
    flag,
    list_of,
    member,
    object_of,
    required,
    text,
    whole,
)


def encode_tempo(t: Tempo) -> dict[str, Any]:
    return {
        "eccentric_ms": t.eccentric_ms,
        "pause_after_eccentric_ms": t.pause_after_eccentric_ms,
        "concentric_ms": t.concentric_ms,
        "pause_after_concentric_ms": t.pause_after_concentric_ms,
        "explosive": t.explosive,
    }


def decode_tempo(value: Any, what: str = "tempo") -> Tempo:
    obj = object_of(value, what)
    try:
        return Tempo(
            whole(required(obj, "eccentric_ms", what), f"{what}.eccentric_ms"),
            whole(
                required(obj, "pause_after_eccentric_ms", what), f"{what}.pause_after_eccentric_ms"
            ),
            whole(required(obj, "concentric_ms", what), f"{what}.concentric_ms"),
            whole(
                required(obj, "pause_after_concentric_ms", what),
                f"{what}.pause_after_concentric_ms",
            ),
            flag(obj.get("explosive", False), f"{what}.explosive"),
        )
    except TempoError as error:
        raise CodecError(f"{what}: {error}") from None


def encode_exercise(e: Exercise) -> dict[str, Any]:
    return {
        "exercise_id": e.exercise_id,
        "name": e.name,
        "rep_start": e.rep_start.value,
        "default_tempo": encode_tempo(e.default_tempo),
        "default_reps": e.default_reps,
        "default_sets": e.default_sets,
        "default_rest_s": e.default_rest_s,
        "side_mode": e.side_mode.value,
        "instructions": list(e.instructions),
        "safety_notes": list(e.safety_notes),
        "phase_names": {p.value: n for p, n in e.phase_names.items()},
        "builtin": e.builtin,
        "muscles": list(e.muscles),
    }


def decode_exercise(value: Any, what: str = "exercise") -> Exercise:
    obj = object_of(value, what)
    names = object_of(obj.get("phase_names", {}), f"{what}.phase_names")
    try:
        return Exercise(
            exercise_id=text(required(obj, "exercise_id", what), f"{what}.exercise_id", 200),
            name=text(required(obj, "name", what), f"{what}.name", 200),
            rep_start=member(RepStart, required(obj, "rep_start", what), f"{what}.rep_start"),
            default_tempo=decode_tempo(
                required(obj, "default_tempo", what), f"{what}.default_tempo"
            ),
            default_reps=whole(required(obj, "default_reps", what), f"{what}.default_reps"),
            default_sets=whole(required(obj, "default_sets", what), f"{what}.default_sets"),
            default_rest_s=whole(required(obj, "default_rest_s", what), f"{what}.default_rest_s"),
            side_mode=member(SideMode, obj.get("side_mode", "both"), f"{what}.side_mode"),
            instructions=tuple(
                text(x, f"{what}.instructions")
                for x in list_of(obj.get("instructions", []), f"{what}.instructions")
            ),
            safety_notes=tuple(
                text(x, f"{what}.safety_notes")
                for x in list_of(obj.get("safety_notes", []), f"{what}.safety_notes")
            ),
            phase_names={
                member(Phase, k, f"{what}.phase_names"): text(v, f"{what}.phase_names", 200)
                for k, v in names.items()
            },
            builtin=flag(obj.get("builtin", False), f"{what}.builtin"),
            # Format 4: always written (the migration gives older exercises an empty list).
            muscles=tuple(
                text(x, f"{what}.muscles", 40)
                for x in list_of(required(obj, "muscles", what), f"{what}.muscles")
            ),
        )
    except ExerciseError as error:
        raise CodecError(f"{what}: {error}") from None
