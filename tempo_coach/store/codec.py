"""Core records <-> JSON values (dicts, lists, str, int, float, bool, None).

The core stays free of file formats; this module owns them. Decoding is strict: a missing
field, a wrong type or a number outside what the schema allows raises ``CodecError`` (a
ValueError) naming the field, so a damaged file is reported instead of half-loaded.
"""

from __future__ import annotations

import dataclasses
import math
import re
import sys
from collections.abc import Callable
from typing import Any

from tempo_coach.core.exercise import Exercise, ExerciseError, RepStart, Side, SideMode
from tempo_coach.core.records import (
    LOAD_MAX,
    LiveChange,
    LoadUnit,
    PhaseTime,
    PlannedSession,
    RepRecord,
    SessionRecord,
    SessionSummary,
    SetRecord,
    rep_totals,
)
from tempo_coach.core.tempo import Phase, Tempo, TempoError

# What the schema allows. Generous, but finite: a value outside is damage, not data.
MS_MAX = 24 * 3600 * 1000
COUNT_MAX = 10_000
# Loads: reading accepts any finite number >= 0, so that no session format 2 accepted (it
# allowed up to 100,000) is ever dropped; saving refuses more than core.records.LOAD_MAX
# (``check_new``). _FINITE is the largest float: ``0.0 <= x <= _FINITE`` is false for
# infinity (a 1e999 in a file parses as infinity) and NaN.
_FINITE = sys.float_info.max
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


def _str(value: Any, what: str, limit: int | None = TEXT_MAX) -> str:
    if not isinstance(value, str):
        raise CodecError(f"{what}: expected text, got {type(value).__name__}")
    if limit is not None and len(value) > limit:
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
    if not math.isfinite(value) or value < 0:
        raise CodecError(f"{what}: must be a finite number of at least 0, got {value!r}")
    return float(value)


# -- records (format 2: compact, because ten years of history must load in well under 0.1 s) --
#
# A set is a row: [set_number, started_at, tempo_planned, tempo_used, reps_planned, reps,
# load] plus, only when needed, an eighth element: an object with the rarely used fields
# (live_changes, load_unit, side, ended_early, exercise_id, exercise_name).
#
# ``reps`` is one string, one token per rep or per run of alike reps, separated by spaces:
#   "1-8:e4000,h1000,c1000"           reps 1 to 8, no side, all complete, same phase times
#   "1-6LR:c1000,p1000,e5000"         reps 1 to 6, sides alternating left, right, left...
#   "1L:e3000,h1000 2R:e3000/4000"    one rep each; /4000 is the actual time when it differs
#   "7!:e4000/1200"                   ! marks an incomplete rep (the set was ended early)
#   "3.1:e3000"                       a rep whose set number differs from the row's (rare)
# The grammar of a token is [SET.]FIRST[-LAST][SIDES][!]:PHASE,PHASE,... with SIDES one of
# L, R (every rep on that side), LR, RL (alternating; ranges only); a PHASE is a one-letter
# code (PHASE_CODES) and the planned milliseconds, then /ACTUAL when the actual differs.
# The same tokens recur across years of similar sets, so decoding memoises them (the records
# are immutable, so sharing them is safe).

PHASE_CODES: dict[Phase, str] = {
    Phase.COUNT_IN: "i",
    Phase.ECCENTRIC: "e",
    Phase.PAUSE_AFTER_ECCENTRIC: "h",
    Phase.CONCENTRIC: "c",
    Phase.PAUSE_AFTER_CONCENTRIC: "p",
    Phase.REST: "r",
}
_PHASE_BY_CODE = {code: phase for phase, code in PHASE_CODES.items()}
_SIDE_CODES = {Side.LEFT: "L", Side.RIGHT: "R"}
_OTHER_SIDE = {Side.LEFT: Side.RIGHT, Side.RIGHT: Side.LEFT}
_SIDE_BY_CODE = {"L": Side.LEFT, "R": Side.RIGHT}
_TOKEN = re.compile(r"(?:([1-9]\d{0,4})\.)?([1-9]\d{0,4})(?:-([1-9]\d{0,4}))?(LR|RL|L|R|)(!?):(.*)")
_PHASE = re.compile(r"([iehcpr])(0|[1-9]\d{0,7})(?:/(0|[1-9]\d{0,7}))?")
_MEMO_LIMIT = 50_000


_SET_FIELDS = (
    "exercise_id",
    "exercise_name",
    "set_number",
    "started_at",
    "tempo_planned",
    "tempo_used",
    "reps_planned",
    "reps",
    "live_changes",
    "load",
    "load_unit",
    "side",
    "ended_early",
)
_SESSION_FIELDS = (
    "session_id",
    "exercise_id",
    "exercise_name",
    "started_at",
    "sets",
    "rpe",
    "note",
    "finished",
    "planned",
    "extra",
)


def is_plain(cls: type[Any], names: tuple[str, ...]) -> bool:
    """True while ``cls`` is a frozen dataclass with exactly ``names`` as fields, all set
    by ``__init__`` and nothing run after it: then filling ``__dict__`` builds the same
    object as the constructor (tests/store/test_codec.py checks equality and hashing)."""
    fields = dataclasses.fields(cls)
    return (
        tuple(f.name for f in fields) == names
        and all(f.init for f in fields)
        and not hasattr(cls, "__post_init__")
        and "__slots__" not in cls.__dict__
    )


# Why the records are built by filling __dict__: a frozen dataclass's __init__ sets each
# field through object.__setattr__, and for the 25,000 sets and 6,000 sessions of ten years
# that alone took about 40 ms of the 100 ms budget for opening the History tab. If a core
# record gains a field or a __post_init__, is_plain turns false and the real constructor
# is used again (and a test says so).
_new = object.__new__
_set_dict = object.__setattr__  # a frozen dataclass refuses setattr, object's own does not
_SET_TEMPLATE: dict[str, Any] = dict.fromkeys(_SET_FIELDS)
_SET_TEMPLATE.update(live_changes=(), load_unit=LoadUnit.KG, side=None, ended_early=False)
_FAST = (
    is_plain(SetRecord, _SET_FIELDS)
    and is_plain(SessionRecord, _SESSION_FIELDS)
    and is_plain(RepRecord, ("set_number", "rep", "side", "phases", "complete"))
)


def _new_set(
    exercise_id: str,
    exercise_name: str,
    set_number: int,
    started_at: str,
    tempo_planned: str,
    tempo_used: str,
    reps_planned: int,
    reps: tuple[RepRecord, ...],
    live_changes: tuple[LiveChange, ...],
    load: float | None,
    load_unit: LoadUnit,
    side: Side | None,
    ended_early: bool,
) -> SetRecord:
    if not _FAST:
        return SetRecord(
            exercise_id,
            exercise_name,
            set_number,
            started_at,
            tempo_planned,
            tempo_used,
            reps_planned,
            reps,
            live_changes,
            load,
            load_unit,
            side,
            ended_early,
        )
    values = _SET_TEMPLATE.copy()  # copying a dict beats building a 13-key literal
    values["exercise_id"] = exercise_id
    values["exercise_name"] = exercise_name
    values["set_number"] = set_number
    values["started_at"] = started_at
    values["tempo_planned"] = tempo_planned
    values["tempo_used"] = tempo_used
    values["reps_planned"] = reps_planned
    values["reps"] = reps
    values["load"] = load
    if live_changes:
        values["live_changes"] = live_changes
    if load_unit is not LoadUnit.KG:
        values["load_unit"] = load_unit
    if side is not None:
        values["side"] = side
    if ended_early:
        values["ended_early"] = ended_early
    record: SetRecord = _new(SetRecord)
    _set_dict(record, "__dict__", values)
    return record


def uses_fast_construction() -> bool:
    return _FAST


def encode_phase_time(p: PhaseTime) -> str:
    code = PHASE_CODES[p.phase] + str(p.planned_ms)
    return code if p.actual_ms == p.planned_ms else f"{code}/{p.actual_ms}"


def decode_phase_time(text: Any, what: str = "phase") -> PhaseTime:
    match = _PHASE.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise CodecError(f"{what}: {text!r} is not a phase time such as e3000 or e3000/3200")
    code, planned, actual = match.groups()
    planned_ms = _int(int(planned), f"{what} planned")
    actual_ms = planned_ms if actual is None else _int(int(actual), f"{what} actual")
    return PhaseTime(_PHASE_BY_CODE[code], planned_ms, actual_ms)


def _sides_of_run(run: list[RepRecord]) -> str | None:
    """The SIDES code that describes the run's sides, or None if no code does."""
    first = run[0].side
    if all(r.side is first for r in run):
        return "" if first is None else _SIDE_CODES[first]
    if first is None:
        return None
    expected = first
    for rep in run:
        if rep.side is not expected:
            return None
        expected = _OTHER_SIDE[expected]
    return _SIDE_CODES[first] + _SIDE_CODES[_OTHER_SIDE[first]]


def _token(run: list[RepRecord], sides: str, set_number: int) -> str:
    head = run[0]
    prefix = "" if head.set_number == set_number else f"{head.set_number}."
    numbers = str(head.rep) if len(run) == 1 else f"{head.rep}-{run[-1].rep}"
    mark = "" if head.complete else "!"
    phases = ",".join(encode_phase_time(p) for p in head.phases)
    return f"{prefix}{numbers}{sides}{mark}:{phases}"


def encode_reps(reps: tuple[RepRecord, ...], set_number: int) -> str:
    """The reps string of a set: consecutive alike reps become one range token."""
    tokens: list[str] = []
    run: list[RepRecord] = []
    sides: str | None = ""
    for rep in reps:
        if run:
            head = run[-1]
            candidate = [*run, rep]
            candidate_sides = _sides_of_run(candidate)
            if (
                rep.rep == head.rep + 1
                and rep.set_number == head.set_number
                and rep.complete == head.complete
                and rep.phases == head.phases
                and candidate_sides is not None
            ):
                run, sides = candidate, candidate_sides
                continue
            tokens.append(_token(run, sides or "", set_number))
        run = [rep]
        sides = "" if rep.side is None else _SIDE_CODES[rep.side]
    if run:
        tokens.append(_token(run, sides or "", set_number))
    return " ".join(tokens)


_token_memo: dict[tuple[int, str], tuple[RepRecord, ...]] = {}
_phases_memo: dict[str, tuple[PhaseTime, ...]] = {}


def _decode_phases(text: str, what: str) -> tuple[PhaseTime, ...]:
    phases = _phases_memo.get(text)
    if phases is None:
        phases = tuple(decode_phase_time(p, what) for p in text.split(",")) if text else ()
        if len(_phases_memo) >= _MEMO_LIMIT:
            _phases_memo.clear()
        _phases_memo[text] = phases
    return phases


def _decode_token(token: str, set_number: int, what: str) -> tuple[RepRecord, ...]:
    key = (set_number, token)
    reps = _token_memo.get(key)
    if reps is None:
        reps = _parse_token(token, set_number, what)
        if len(_token_memo) >= _MEMO_LIMIT:
            _token_memo.clear()
        _token_memo[key] = reps
    return reps


# A token's meaning apart from the set number: (own set or None, first, sides, phases,
# complete). The same text recurs in every set of a session, so it is parsed once.
_TokenShape = tuple[int | None, int, tuple[Side | None, ...], tuple[PhaseTime, ...], bool]
_shape_memo: dict[str, _TokenShape] = {}


def _token_shape(token: str, what: str) -> _TokenShape:
    shape = _shape_memo.get(token)
    if shape is not None:
        return shape
    match = _TOKEN.fullmatch(token)
    if match is None:
        raise CodecError(f"{what}: {token!r} is not a rep such as 1L:e3000,h1000,c1000")
    own_set, first_text, last_text, sides, mark, phase_text = match.groups()
    own = _int(int(own_set), f"{what} set", 1, COUNT_MAX) if own_set else None
    first = _int(int(first_text), f"{what} number", 1, COUNT_MAX)
    last = first if last_text is None else _int(int(last_text), f"{what} number", 1, COUNT_MAX)
    if last < first or (last == first and last_text is not None):
        raise CodecError(f"{what}: {token!r} has an empty or backward range")
    if len(sides) == 2 and last_text is None:
        raise CodecError(f"{what}: {token!r}: alternating sides need a range")
    count = last - first + 1
    if not sides:
        side_of: tuple[Side | None, ...] = (None,) * count
    elif len(sides) == 1:
        side_of = (_SIDE_BY_CODE[sides],) * count
    else:
        pair = (_SIDE_BY_CODE[sides[0]], _SIDE_BY_CODE[sides[1]])
        side_of = tuple(pair[i % 2] for i in range(count))
    shape = (own, first, side_of, _decode_phases(phase_text, what), not mark)
    if len(_shape_memo) >= _MEMO_LIMIT:
        _shape_memo.clear()
    _shape_memo[token] = shape
    return shape


def _parse_token(token: str, set_number: int, what: str) -> tuple[RepRecord, ...]:
    own, first, side_of, phases, complete = _token_shape(token, what)
    if own is None:
        own = set_number
    if not _FAST:
        return tuple(
            RepRecord(own, first + i, side, phases, complete) for i, side in enumerate(side_of)
        )
    reps: list[RepRecord] = []
    for i, side in enumerate(side_of):
        rep: RepRecord = _new(RepRecord)
        _set_dict(
            rep,
            "__dict__",
            {
                "set_number": own,
                "rep": first + i,
                "side": side,
                "phases": phases,
                "complete": complete,
            },
        )
        reps.append(rep)
    return tuple(reps)


_reps_memo: dict[tuple[int, str], tuple[RepRecord, ...]] = {}


def decode_reps(text: Any, set_number: int, what: str = "reps") -> tuple[RepRecord, ...]:
    key = (set_number, text)
    try:
        return _reps_memo[key]
    except (KeyError, TypeError):
        pass
    if not isinstance(text, str):
        raise CodecError(f"{what}: expected text, got {type(text).__name__}")
    if len(text) > TEXT_MAX * 10:
        raise CodecError(f"{what}: longer than {TEXT_MAX * 10} characters")
    reps: list[RepRecord] = []
    for token in text.split(" ") if text else ():
        reps.extend(_decode_token(token, set_number, what))
        if len(reps) > COUNT_MAX:
            raise CodecError(f"{what}: more than {COUNT_MAX} reps")
    result = tuple(reps)
    if len(_reps_memo) >= _MEMO_LIMIT:
        _reps_memo.clear()
    _reps_memo[key] = result
    return result


def encode_live_change(c: LiveChange) -> list[int]:
    return [c.set_number, c.rep, c.at_ms, c.from_ms, c.to_ms]


def decode_live_change(value: Any, what: str = "live change") -> LiveChange:
    items = _list(value, what)
    if len(items) != 5:
        raise CodecError(f"{what}: expected [set, rep, at_ms, from_ms, to_ms], got {items!r}")
    return LiveChange(
        _int(items[0], f"{what} set", 1, COUNT_MAX),
        _int(items[1], f"{what} rep", 1, COUNT_MAX),
        _int(items[2], f"{what} at_ms"),
        _int(items[3], f"{what} from_ms"),
        _int(items[4], f"{what} to_ms"),
    )


def encode_set(s: SetRecord, session: SessionRecord | None = None) -> list[Any]:
    """A set as a row; the eighth element holds only fields that differ from their default
    (exercise_id/exercise_name default to the session's)."""
    row: list[Any] = [
        s.set_number,
        s.started_at,
        s.tempo_planned,
        s.tempo_used,
        s.reps_planned,
        encode_reps(s.reps, s.set_number),
        s.load,
    ]
    more: dict[str, Any] = {}
    if s.live_changes:
        more["live_changes"] = [encode_live_change(c) for c in s.live_changes]
    if s.load_unit is not LoadUnit.KG:
        more["load_unit"] = s.load_unit.value
    if s.side is not None:
        more["side"] = s.side.value
    if s.ended_early:
        more["ended_early"] = True
    if session is None or s.exercise_id != session.exercise_id:
        more["exercise_id"] = s.exercise_id
    if session is None or s.exercise_name != session.exercise_name:
        more["exercise_name"] = s.exercise_name
    if more:
        row.append(more)
    return row


_LOAD_UNITS = {"kg": LoadUnit.KG, "lb": LoadUnit.LB}
_SIDES: dict[str | None, Side | None] = {None: None, "left": Side.LEFT, "right": Side.RIGHT}
_MORE_KEYS = frozenset(
    ("live_changes", "load_unit", "side", "ended_early", "exercise_id", "exercise_name")
)


def decode_set(
    value: Any, exercise_id: str = "", exercise_name: str = "", what: str = "set"
) -> SetRecord:
    """A set from its row; ``exercise_id``/``exercise_name`` are the session's, used when
    the row does not name its own."""
    if type(value) is list:
        count = len(value)
        if count == 7:
            number, started, planned, used, reps_planned, reps, load = value
            more = None
        elif count == 8:
            number, started, planned, used, reps_planned, reps, load, more = value
        else:
            return _decode_set_checked(value, exercise_id, exercise_name, what)
        # The common, valid case, kept cheap; the checked path names what is wrong.
        if (
            type(number) is int
            and 1 <= number <= COUNT_MAX
            and type(started) is str
            and type(planned) is str
            and type(used) is str
            and type(reps_planned) is int
            and 0 <= reps_planned <= COUNT_MAX
            and (load is None or (type(load) is float and 0.0 <= load <= _FINITE))
        ):
            if more is None:
                return _new_set(
                    exercise_id,
                    exercise_name,
                    number,
                    started,
                    planned,
                    used,
                    reps_planned,
                    decode_reps(reps, number, what),
                    (),
                    load,
                    LoadUnit.KG,
                    None,
                    False,
                )
            if type(more) is dict and more.keys() <= _MORE_KEYS:
                get = more.get
                side = get("side")
                unit = get("load_unit", "kg")
                early = get("ended_early", False)
                changes = get("live_changes")
                own_id = get("exercise_id", exercise_id)
                own_name = get("exercise_name", exercise_name)
                if (
                    (side is None or (type(side) is str and side in _SIDES))
                    and type(unit) is str
                    and unit in _LOAD_UNITS
                    and type(early) is bool
                    and (changes is None or type(changes) is list)
                    and type(own_id) is str
                    and type(own_name) is str
                ):
                    return _new_set(
                        own_id,
                        own_name,
                        number,
                        started,
                        planned,
                        used,
                        reps_planned,
                        decode_reps(reps, number, what),
                        tuple([decode_live_change(c, what) for c in changes]) if changes else (),
                        load,
                        _LOAD_UNITS[unit],
                        _SIDES[side],
                        early,
                    )
    return _decode_set_checked(value, exercise_id, exercise_name, what)


def _decode_set_checked(value: Any, exercise_id: str, exercise_name: str, what: str) -> SetRecord:
    row = _list(value, what)
    if len(row) not in (7, 8):
        raise CodecError(f"{what}: expected a row of 7 or 8 values, got {len(row)}")
    more = _obj(row[7], f"{what} extras") if len(row) == 8 else {}
    unknown = sorted(set(more) - _MORE_KEYS)
    if unknown:
        raise CodecError(f"{what}: unknown field {unknown[0]!r}")
    number = _int(row[0], f"{what} set_number", 1, COUNT_MAX)
    changes = more.get("live_changes")
    return _new_set(
        _str(more.get("exercise_id", exercise_id), f"{what} exercise_id", None),
        _str(more.get("exercise_name", exercise_name), f"{what} exercise_name", None),
        number,
        _str(row[1], f"{what} started_at", None),
        _str(row[2], f"{what} tempo_planned", None),
        _str(row[3], f"{what} tempo_used", None),
        _int(row[4], f"{what} reps_planned", 0, COUNT_MAX),
        decode_reps(row[5], number, f"{what} reps"),
        ()
        if changes is None
        else tuple(
            decode_live_change(c, f"{what} live_changes")
            for c in _list(changes, f"{what} live_changes")
        ),
        _load(row[6], f"{what} load"),
        _LOAD_UNITS[more["load_unit"]]
        if more.get("load_unit") in _LOAD_UNITS
        else _enum(LoadUnit, more.get("load_unit", "kg"), f"{what} load_unit"),
        _opt_side(more.get("side"), f"{what} side"),
        _bool(more.get("ended_early", False), f"{what} ended_early"),
    )


def encode_session(s: SessionRecord) -> dict[str, Any]:
    out: dict[str, Any] = {
        "session_id": s.session_id,
        "exercise_id": s.exercise_id,
        "exercise_name": s.exercise_name,
        "started_at": s.started_at,
    }
    if s.rpe is not None:
        out["rpe"] = s.rpe
    if s.note:
        out["note"] = s.note
    if not s.finished:
        out["finished"] = False
    if s.planned is not None:
        out["planned"] = encode_planned(s.planned)
    if s.extra:
        out["extra"] = dict(s.extra)
    out["sets"] = [encode_set(x, s) for x in s.sets]
    return out


_SESSION_KEYS = frozenset(_SESSION_FIELDS)

# The plan of a session (format 3) is a row, like a set: [tempo, reps, sets, rest_ms,
# count_in_ms, side_mode], null for what is not known. One per session, and sessions repeat
# their plans, so decoding memoises them (PlannedSession is immutable).
PLANNED_SETS_MAX = COUNT_MAX * COUNT_MAX  # more set rows than a 64 MB file can hold
_planned_memo: dict[tuple[Any, ...], PlannedSession] = {}


def encode_planned(p: PlannedSession) -> list[Any]:
    return [
        p.tempo,
        p.reps,
        p.sets,
        p.rest_ms,
        p.count_in_ms,
        None if p.side_mode is None else p.side_mode.value,
    ]


def decode_planned(value: Any, what: str = "planned") -> PlannedSession | None:
    if value is None:
        return None
    if type(value) is list:
        try:
            return _planned_memo[tuple(value)]
        except (KeyError, TypeError):
            pass
    row = _list(value, what)
    if len(row) != 6:
        raise CodecError(
            f"{what}: expected [tempo, reps, sets, rest_ms, count_in_ms, side_mode], "
            f"got {len(row)} values"
        )
    tempo, reps, sets, rest_ms, count_in_ms, side_mode = row
    planned = PlannedSession(
        _str(tempo, f"{what}.tempo", None),
        _int(reps, f"{what}.reps", 0, COUNT_MAX),
        _int(sets, f"{what}.sets", 0, PLANNED_SETS_MAX),
        None if rest_ms is None else _int(rest_ms, f"{what}.rest_ms"),
        None if count_in_ms is None else _int(count_in_ms, f"{what}.count_in_ms"),
        None if side_mode is None else _enum(SideMode, side_mode, f"{what}.side_mode"),
    )
    if len(_planned_memo) >= _MEMO_LIMIT:
        _planned_memo.clear()
    _planned_memo[tuple(row)] = planned
    return planned


def _decode_sets(
    rows: list[Any], exercise_id: str, exercise_name: str, what: str
) -> tuple[SetRecord, ...]:
    """The hot loop of loading ten years: ``decode_set`` for each row, with the common
    seven-value row handled inline (no calls per set), which saves about a sixth of the
    History load. Any other row goes through ``decode_set``."""
    if not _FAST:
        return tuple([decode_set(row, exercise_id, exercise_name, what) for row in rows])
    template = _SET_TEMPLATE.copy()
    template["exercise_id"] = exercise_id
    template["exercise_name"] = exercise_name
    memo = _reps_memo
    out: list[SetRecord] = []
    append = out.append
    for row in rows:
        if type(row) is list and len(row) == 7:
            number, started, planned, used, reps_planned, reps, load = row
            if (
                type(number) is int
                and 1 <= number <= COUNT_MAX
                and type(started) is str
                and type(planned) is str
                and type(used) is str
                and type(reps_planned) is int
                and 0 <= reps_planned <= COUNT_MAX
                and type(reps) is str
                and (load is None or (type(load) is float and 0.0 <= load <= _FINITE))
            ):
                values = template.copy()
                values["set_number"] = number
                values["started_at"] = started
                values["tempo_planned"] = planned
                values["tempo_used"] = used
                values["reps_planned"] = reps_planned
                values["reps"] = memo.get((number, reps)) or decode_reps(reps, number, what)
                values["load"] = load
                record: SetRecord = _new(SetRecord)
                _set_dict(record, "__dict__", values)
                append(record)
                continue
        append(decode_set(row, exercise_id, exercise_name, what))
    return tuple(out)


def decode_session(value: Any, what: str = "session") -> SessionRecord:
    obj = _obj(value, what)
    if not obj.keys() <= _SESSION_KEYS:
        raise CodecError(f"{what}: unknown field {sorted(set(obj) - _SESSION_KEYS)[0]!r}")
    get: Callable[..., Any] = obj.get
    session_id = get("session_id")
    exercise_id = get("exercise_id")
    exercise_name = get("exercise_name")
    started = get("started_at")
    sets = get("sets")
    rpe = get("rpe")
    note = get("note", "")
    finished = get("finished", True)
    planned = decode_planned(get("planned"), f"{what}.planned")
    extra = get("extra")
    if not (
        type(session_id) is str
        and type(exercise_id) is str
        and type(exercise_name) is str
        and type(started) is str
        and type(sets) is list
        and (rpe is None or (type(rpe) is int and RPE_RANGE[0] <= rpe <= RPE_RANGE[1]))
        and type(note) is str
        and len(note) <= TEXT_MAX
        and type(finished) is bool
        and (extra is None or type(extra) is dict)
    ):
        _explain_session(obj, what)
    if extra is None:
        extra = {}
    else:
        for key, text in extra.items():
            if type(key) is not str or type(text) is not str:
                _explain_session(obj, what)
    sets = _decode_sets(sets, exercise_id, exercise_name, what)
    if not _FAST:
        return SessionRecord(
            session_id,
            exercise_id,
            exercise_name,
            started,
            sets,
            rpe,
            note,
            finished,
            planned,
            extra,
        )
    record: SessionRecord = _new(SessionRecord)
    _set_dict(
        record,
        "__dict__",
        {
            "session_id": session_id,
            "exercise_id": exercise_id,
            "exercise_name": exercise_name,
            "started_at": started,
            "sets": sets,
            "rpe": rpe,
            "note": note,
            "finished": finished,
            "planned": planned,
            "extra": extra,  # a fresh dict from the parser: not shared with anything
        },
    )
    return record


def _explain_session(obj: dict[str, Any], what: str) -> None:
    """Raise CodecError naming the first bad field of a session that failed the fast test."""
    for key in ("session_id", "exercise_id", "exercise_name", "started_at"):
        _str(_get(obj, key, what), f"{what}.{key}", None)
    _list(_get(obj, "sets", what), f"{what}.sets")
    if obj.get("rpe") is not None:
        _int(obj["rpe"], f"{what}.rpe", *RPE_RANGE)
    _str(obj.get("note", ""), f"{what}.note")
    _bool(obj.get("finished", True), f"{what}.finished")
    raise CodecError(f"{what}.extra: expected an object of texts")


def encode_for_saving(record: SessionRecord) -> dict[str, Any]:
    """The JSON of a session about to be saved, proved to load back. Stricter than reading:
    a load above ``core.records.LOAD_MAX`` is refused here, while reading keeps any finite
    load (older files may hold up to 100,000). Raises CodecError (or TypeError or
    AttributeError for something that is not a record at all)."""
    for s in record.sets:
        if s.load is not None and not 0 <= s.load <= LOAD_MAX:
            raise CodecError(f"set {s.set_number} load: must be 0 to {LOAD_MAX:g}, got {s.load!r}")
    encoded = encode_session(record)
    decode_session(encoded)
    return encoded


# -- session summaries (history/index.json keeps them; tempo_coach/store/index.py) --------------

_totals_memo: dict[int, tuple[tuple[RepRecord, ...], tuple[int, int]]] = {}


def _memo_totals(reps: tuple[RepRecord, ...]) -> tuple[int, int]:
    """``rep_totals``, remembered per rep tuple: decoding shares one tuple between every set
    with the same reps string, so ten years need only a few hundred sums."""
    entry = _totals_memo.get(id(reps))
    if entry is not None and entry[0] is reps:
        return entry[1]
    totals = rep_totals(reps)
    if len(_totals_memo) >= _MEMO_LIMIT:
        _totals_memo.clear()
    _totals_memo[id(reps)] = (reps, totals)  # the tuple is kept, so its id stays its own
    return totals


def summarize(record: SessionRecord) -> SessionSummary:
    """``SessionSummary.of(record)``, with the rep sums remembered across sessions."""
    return SessionSummary.of(record, _memo_totals)


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
