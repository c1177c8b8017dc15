"""Core records <-> JSON values (dicts, lists, str, int, float, bool, None).

The core stays free of file formats; this module owns them. Decoding is strict: a missing
field, a wrong type or a number outside what the schema allows raises ``CodecError`` (a
ValueError) naming the field, so a damaged file is reported instead of half-loaded.
"""

from __future__ import annotations

import math
from typing import Any

from tempo_coach.core.exercise import Exercise, ExerciseError, RepStart, Side, SideMode
from tempo_coach.core.records import (
    LiveChange,
    LoadUnit,
    PhaseTime,
    RepRecord,
    SessionRecord,
    SetRecord,
)
from tempo_coach.core.tempo import Phase, Tempo, TempoError

# What the schema allows. Generous, but finite: a value outside is damage, not data.
MS_MAX = 24 * 3600 * 1000
COUNT_MAX = 10_000
LOAD_MAX = 100_000.0
TEXT_MAX = 10_000
RPE_RANGE = (1, 10)


class CodecError(ValueError):
    """A JSON value that is not a valid record; the message names the field."""


# -- small checked readers ---------------------------------------------------------------------


def _obj(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise CodecError(f"{what}: expected an object, got {type(value).__name__}")
    return value


def _list(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise CodecError(f"{what}: expected a list, got {type(value).__name__}")
    return value


def _get(obj: dict[str, Any], key: str, what: str) -> Any:
    try:
        return obj[key]
    except KeyError:
        raise CodecError(f"{what}: missing {key!r}") from None


def _int(value: Any, what: str, low: int = 0, high: int = MS_MAX) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CodecError(f"{what}: expected a whole number, got {value!r}")
    if not low <= value <= high:
        raise CodecError(f"{what}: must be {low} to {high}, got {value}")
    return value


def _str(value: Any, what: str, limit: int = TEXT_MAX) -> str:
    if not isinstance(value, str):
        raise CodecError(f"{what}: expected text, got {type(value).__name__}")
    if len(value) > limit:
        raise CodecError(f"{what}: longer than {limit} characters")
    return value


def _bool(value: Any, what: str) -> bool:
    if not isinstance(value, bool):
        raise CodecError(f"{what}: expected true or false, got {value!r}")
    return value


def _enum(enum: Any, value: Any, what: str) -> Any:
    try:
        return enum(value)
    except (ValueError, TypeError):
        raise CodecError(f"{what}: unknown value {value!r}") from None


def _opt_side(value: Any, what: str) -> Side | None:
    return None if value is None else _enum(Side, value, what)


def _load(value: Any, what: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CodecError(f"{what}: expected a number, got {value!r}")
    if not math.isfinite(value) or not 0 <= value <= LOAD_MAX:
        raise CodecError(f"{what}: must be 0 to {LOAD_MAX:g}, got {value!r}")
    return float(value)


# -- records -----------------------------------------------------------------------------------


def encode_phase_time(p: PhaseTime) -> dict[str, Any]:
    return {"phase": p.phase.value, "planned_ms": p.planned_ms, "actual_ms": p.actual_ms}


def decode_phase_time(value: Any, what: str = "phase") -> PhaseTime:
    obj = _obj(value, what)
    return PhaseTime(
        _enum(Phase, _get(obj, "phase", what), what),
        _int(_get(obj, "planned_ms", what), f"{what}.planned_ms"),
        _int(_get(obj, "actual_ms", what), f"{what}.actual_ms"),
    )


def encode_rep(r: RepRecord) -> dict[str, Any]:
    return {
        "set_number": r.set_number,
        "rep": r.rep,
        "side": None if r.side is None else r.side.value,
        "phases": [encode_phase_time(p) for p in r.phases],
        "complete": r.complete,
    }


def decode_rep(value: Any, what: str = "rep") -> RepRecord:
    obj = _obj(value, what)
    return RepRecord(
        _int(_get(obj, "set_number", what), f"{what}.set_number", 1, COUNT_MAX),
        _int(_get(obj, "rep", what), f"{what}.rep", 1, COUNT_MAX),
        _opt_side(_get(obj, "side", what), f"{what}.side"),
        tuple(
            decode_phase_time(p, f"{what}.phases")
            for p in _list(_get(obj, "phases", what), f"{what}.phases")
        ),
        _bool(_get(obj, "complete", what), f"{what}.complete"),
    )


def encode_live_change(c: LiveChange) -> dict[str, Any]:
    return {
        "set_number": c.set_number,
        "rep": c.rep,
        "at_ms": c.at_ms,
        "from_ms": c.from_ms,
        "to_ms": c.to_ms,
    }


def decode_live_change(value: Any, what: str = "live change") -> LiveChange:
    obj = _obj(value, what)
    return LiveChange(
        _int(_get(obj, "set_number", what), f"{what}.set_number", 1, COUNT_MAX),
        _int(_get(obj, "rep", what), f"{what}.rep", 1, COUNT_MAX),
        _int(_get(obj, "at_ms", what), f"{what}.at_ms"),
        _int(_get(obj, "from_ms", what), f"{what}.from_ms"),
        _int(_get(obj, "to_ms", what), f"{what}.to_ms"),
    )


def encode_set(s: SetRecord) -> dict[str, Any]:
    return {
        "exercise_id": s.exercise_id,
        "exercise_name": s.exercise_name,
        "set_number": s.set_number,
        "started_at": s.started_at,
        "tempo_planned": s.tempo_planned,
        "tempo_used": s.tempo_used,
        "reps_planned": s.reps_planned,
        "reps": [encode_rep(r) for r in s.reps],
        "live_changes": [encode_live_change(c) for c in s.live_changes],
        "load": s.load,
        "load_unit": s.load_unit.value,
        "side": None if s.side is None else s.side.value,
        "ended_early": s.ended_early,
    }


def decode_set(value: Any, what: str = "set") -> SetRecord:
    obj = _obj(value, what)
    return SetRecord(
        exercise_id=_str(_get(obj, "exercise_id", what), f"{what}.exercise_id", 200),
        exercise_name=_str(_get(obj, "exercise_name", what), f"{what}.exercise_name", 200),
        set_number=_int(_get(obj, "set_number", what), f"{what}.set_number", 1, COUNT_MAX),
        started_at=_str(_get(obj, "started_at", what), f"{what}.started_at", 100),
        tempo_planned=_str(_get(obj, "tempo_planned", what), f"{what}.tempo_planned", 100),
        tempo_used=_str(_get(obj, "tempo_used", what), f"{what}.tempo_used", 100),
        reps_planned=_int(_get(obj, "reps_planned", what), f"{what}.reps_planned", 0, COUNT_MAX),
        reps=tuple(
            decode_rep(r, f"{what}.reps") for r in _list(_get(obj, "reps", what), f"{what}.reps")
        ),
        live_changes=tuple(
            decode_live_change(c, f"{what}.live_changes")
            for c in _list(obj.get("live_changes", []), f"{what}.live_changes")
        ),
        load=_load(obj.get("load"), f"{what}.load"),
        load_unit=_enum(LoadUnit, obj.get("load_unit", "kg"), f"{what}.load_unit"),
        side=_opt_side(obj.get("side"), f"{what}.side"),
        ended_early=_bool(obj.get("ended_early", False), f"{what}.ended_early"),
    )


def encode_session(s: SessionRecord) -> dict[str, Any]:
    return {
        "session_id": s.session_id,
        "exercise_id": s.exercise_id,
        "exercise_name": s.exercise_name,
        "started_at": s.started_at,
        "sets": [encode_set(x) for x in s.sets],
        "rpe": s.rpe,
        "note": s.note,
        "finished": s.finished,
        "extra": dict(s.extra),
    }


def decode_session(value: Any, what: str = "session") -> SessionRecord:
    obj = _obj(value, what)
    rpe = obj.get("rpe")
    extra = _obj(obj.get("extra", {}), f"{what}.extra")
    return SessionRecord(
        session_id=_str(_get(obj, "session_id", what), f"{what}.session_id", 200),
        exercise_id=_str(_get(obj, "exercise_id", what), f"{what}.exercise_id", 200),
        exercise_name=_str(_get(obj, "exercise_name", what), f"{what}.exercise_name", 200),
        started_at=_str(_get(obj, "started_at", what), f"{what}.started_at", 100),
        sets=tuple(
            decode_set(x, f"{what}.sets") for x in _list(_get(obj, "sets", what), f"{what}.sets")
        ),
        rpe=None if rpe is None else _int(rpe, f"{what}.rpe", *RPE_RANGE),
        note=_str(obj.get("note", ""), f"{what}.note"),
        finished=_bool(obj.get("finished", True), f"{what}.finished"),
        extra={
            _str(k, f"{what}.extra", 200): _str(v, f"{what}.extra[{k!r}]") for k, v in extra.items()
        },
    )


# -- exercises ---------------------------------------------------------------------------------


def encode_tempo(t: Tempo) -> dict[str, Any]:
    return {
        "eccentric_ms": t.eccentric_ms,
        "pause_after_eccentric_ms": t.pause_after_eccentric_ms,
        "concentric_ms": t.concentric_ms,
        "pause_after_concentric_ms": t.pause_after_concentric_ms,
        "explosive": t.explosive,
    }


def decode_tempo(value: Any, what: str = "tempo") -> Tempo:
    obj = _obj(value, what)
    try:
        return Tempo(
            _int(_get(obj, "eccentric_ms", what), f"{what}.eccentric_ms"),
            _int(_get(obj, "pause_after_eccentric_ms", what), f"{what}.pause_after_eccentric_ms"),
            _int(_get(obj, "concentric_ms", what), f"{what}.concentric_ms"),
            _int(_get(obj, "pause_after_concentric_ms", what), f"{what}.pause_after_concentric_ms"),
            _bool(obj.get("explosive", False), f"{what}.explosive"),
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
    }


def decode_exercise(value: Any, what: str = "exercise") -> Exercise:
    obj = _obj(value, what)
    names = _obj(obj.get("phase_names", {}), f"{what}.phase_names")
    try:
        return Exercise(
            exercise_id=_str(_get(obj, "exercise_id", what), f"{what}.exercise_id", 200),
            name=_str(_get(obj, "name", what), f"{what}.name", 200),
            rep_start=_enum(RepStart, _get(obj, "rep_start", what), f"{what}.rep_start"),
            default_tempo=decode_tempo(_get(obj, "default_tempo", what), f"{what}.default_tempo"),
            default_reps=_int(_get(obj, "default_reps", what), f"{what}.default_reps"),
            default_sets=_int(_get(obj, "default_sets", what), f"{what}.default_sets"),
            default_rest_s=_int(_get(obj, "default_rest_s", what), f"{what}.default_rest_s"),
            side_mode=_enum(SideMode, obj.get("side_mode", "both"), f"{what}.side_mode"),
            instructions=tuple(
                _str(x, f"{what}.instructions")
                for x in _list(obj.get("instructions", []), f"{what}.instructions")
            ),
            safety_notes=tuple(
                _str(x, f"{what}.safety_notes")
                for x in _list(obj.get("safety_notes", []), f"{what}.safety_notes")
            ),
            phase_names={
                _enum(Phase, k, f"{what}.phase_names"): _str(v, f"{what}.phase_names", 200)
                for k, v in names.items()
            },
            builtin=_bool(obj.get("builtin", False), f"{what}.builtin"),
        )
    except ExerciseError as error:
        raise CodecError(f"{what}: {error}") from None
