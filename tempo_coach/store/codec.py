"""Core records <-> JSON values (dicts, lists, str, int, float, bool, None).

The core stays free of file formats; this module owns them (the rep strings are
``store/reps.py``'s, the limits and checked readers ``store/checked.py``'s). Decoding is
strict: a missing field, a wrong type or a number outside what the format allows raises
``CodecError`` naming the field, so a damaged file is reported instead of half-loaded.
Every record is built by its own constructor.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from tempo_coach.core.exercise import Side, SideMode
from tempo_coach.core.records import (
    LOAD_MAX,
    LiveChange,
    LoadUnit,
    PlannedSession,
    RepRecord,
    SessionRecord,
    SessionSummary,
    SetRecord,
    rep_totals,
)
from tempo_coach.store.checked import (
    COUNT_MAX,
    FINITE_MAX,
    RPE_RANGE,
    SORENESS_RANGE,
    TEXT_MAX,
    CodecError,
    flag,
    list_of,
    load,
    member,
    object_of,
    required,
    text,
    whole,
)
from tempo_coach.store.exercise_codec import decode_exercise as decode_exercise
from tempo_coach.store.exercise_codec import decode_tempo as decode_tempo
from tempo_coach.store.exercise_codec import encode_exercise as encode_exercise
from tempo_coach.store.exercise_codec import encode_tempo as encode_tempo
from tempo_coach.store.reps import MEMO_LIMIT, RECORDS_LIMIT, decode_reps, encode_reps

# -- sets (format 2 and later: compact, because ten years must load in well under 0.1 s) ------
#
# A set is a row: [set_number, started_at, tempo_planned, tempo_used, reps_planned, reps,
# load] plus, only when needed, an eighth element: an object with the rarely used fields
# (live_changes, load_unit, side, ended_early, exercise_id, exercise_name; format 4:
# tap_mode, negative_only). ``reps`` is the rep grammar of store/reps.py.


def encode_live_change(c: LiveChange) -> list[int]:
    return [c.set_number, c.rep, c.at_ms, c.from_ms, c.to_ms]


def decode_live_change(value: Any, what: str = "live change") -> LiveChange:
    items = list_of(value, what)
    if len(items) != 5:
        raise CodecError(f"{what}: expected [set, rep, at_ms, from_ms, to_ms], got {items!r}")
    return LiveChange(
        whole(items[0], f"{what} set", 1, COUNT_MAX),
        whole(items[1], f"{what} rep", 1, COUNT_MAX),
        whole(items[2], f"{what} at_ms"),
        whole(items[3], f"{what} from_ms"),
        whole(items[4], f"{what} to_ms"),
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
    if s.tap_mode:
        more["tap_mode"] = True
    if s.negative_only:
        more["negative_only"] = True
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
    (
        "live_changes",
        "load_unit",
        "side",
        "ended_early",
        "exercise_id",
        "exercise_name",
        "tap_mode",
        "negative_only",
    )
)


def decode_set(
    value: Any,
    exercise_id: str = "",
    exercise_name: str = "",
    what: str = "set",
    *,
    memo: bool = True,
) -> SetRecord:
    """A set from its row; ``exercise_id``/``exercise_name`` are the session's, used when
    the row does not name its own.

    The common, valid row is checked with a few type tests and no call per field (ten years
    are 25,000 rows); anything else goes through ``_decode_set_checked``, which names what
    is wrong. ``memo=False``: a check, which adds nothing to the decode memos."""
    if type(value) is list:
        count = len(value)
        if count == 7:
            number, started, planned, used, reps_planned, reps, weight = value
            more = None
        elif count == 8:
            number, started, planned, used, reps_planned, reps, weight, more = value
        else:
            return _decode_set_checked(value, exercise_id, exercise_name, what, memo)
        if (
            type(number) is int
            and 1 <= number <= COUNT_MAX
            and type(started) is str
            and type(planned) is str
            and type(used) is str
            and type(reps_planned) is int
            and 0 <= reps_planned <= COUNT_MAX
            and (weight is None or (type(weight) is float and 0.0 <= weight <= FINITE_MAX))
        ):
            if more is None:
                return SetRecord(
                    exercise_id,
                    exercise_name,
                    number,
                    started,
                    planned,
                    used,
                    reps_planned,
                    decode_reps(reps, number, what, memo=memo),
                    (),
                    weight,
                )
            if type(more) is dict and more.keys() <= _MORE_KEYS:
                get = more.get
                side = get("side")
                unit = get("load_unit", "kg")
                early = get("ended_early", False)
                tap_mode = get("tap_mode", False)
                negative_only = get("negative_only", False)
                changes = get("live_changes")
                own_id = get("exercise_id", exercise_id)
                own_name = get("exercise_name", exercise_name)
                if (
                    (side is None or (type(side) is str and side in _SIDES))
                    and type(unit) is str
                    and unit in _LOAD_UNITS
                    and type(early) is bool
                    and type(tap_mode) is bool
                    and type(negative_only) is bool
                    and (changes is None or type(changes) is list)
                    and type(own_id) is str
                    and type(own_name) is str
                ):
                    return SetRecord(
                        own_id,
                        own_name,
                        number,
                        started,
                        planned,
                        used,
                        reps_planned,
                        decode_reps(reps, number, what, memo=memo),
                        tuple([decode_live_change(c, what) for c in changes]) if changes else (),
                        weight,
                        _LOAD_UNITS[unit],
                        _SIDES[side],
                        early,
                        tap_mode,
                        negative_only,
                    )
    return _decode_set_checked(value, exercise_id, exercise_name, what, memo)


def _decode_set_checked(
    value: Any, exercise_id: str, exercise_name: str, what: str, memo: bool
) -> SetRecord:
    row = list_of(value, what)
    if len(row) not in (7, 8):
        raise CodecError(f"{what}: expected a row of 7 or 8 values, got {len(row)}")
    more = object_of(row[7], f"{what} extras") if len(row) == 8 else {}
    unknown = sorted(set(more) - _MORE_KEYS)
    if unknown:
        raise CodecError(f"{what}: unknown field {unknown[0]!r}")
    number = whole(row[0], f"{what} set_number", 1, COUNT_MAX)
    changes = more.get("live_changes")
    return SetRecord(
        exercise_id=text(more.get("exercise_id", exercise_id), f"{what} exercise_id", None),
        exercise_name=text(more.get("exercise_name", exercise_name), f"{what} exercise_name", None),
        set_number=number,
        started_at=text(row[1], f"{what} started_at", None),
        tempo_planned=text(row[2], f"{what} tempo_planned", None),
        tempo_used=text(row[3], f"{what} tempo_used", None),
        reps_planned=whole(row[4], f"{what} reps_planned", 0, COUNT_MAX),
        reps=decode_reps(row[5], number, f"{what} reps", memo=memo),
        live_changes=()
        if changes is None
        else tuple(
            decode_live_change(c, f"{what} live_changes")
            for c in list_of(changes, f"{what} live_changes")
        ),
        load=load(row[6], f"{what} load"),
        load_unit=member(LoadUnit, more.get("load_unit", "kg"), f"{what} load_unit"),
        side=None if more.get("side") is None else member(Side, more["side"], f"{what} side"),
        ended_early=flag(more.get("ended_early", False), f"{what} ended_early"),
        tap_mode=flag(more.get("tap_mode", False), f"{what} tap_mode"),
        negative_only=flag(more.get("negative_only", False), f"{what} negative_only"),
    )


# -- the plan of a session (format 3) -----------------------------------------------------------
#
# A row, like a set: [tempo, reps, sets, rest_ms, count_in_ms, side_mode], null for what is
# not known; format 4 adds [..., negative_only, tap_mode], written only when one of them is
# true (so most rows stay six values). One per session, and sessions repeat their plans, so
# decoding memoises them (PlannedSession is immutable).

PLANNED_SETS_MAX = COUNT_MAX * COUNT_MAX  # more set rows than a 64 MB file can hold
_planned_memo: dict[tuple[Any, ...], PlannedSession] = {}


def encode_planned(p: PlannedSession) -> list[Any]:
    row = [
        p.tempo,
        p.reps,
        p.sets,
        p.rest_ms,
        p.count_in_ms,
        None if p.side_mode is None else p.side_mode.value,
    ]
    if p.negative_only or p.tap_mode:
        row += [p.negative_only, p.tap_mode]
    return row


def decode_planned(
    value: Any, what: str = "planned", *, memo: bool = True
) -> PlannedSession | None:
    if value is None:
        return None
    if type(value) is list:
        try:
            return _planned_memo[tuple(value)]
        except (KeyError, TypeError):  # TypeError: something unhashable, so not valid
            pass
    row = list_of(value, what)
    if len(row) not in (6, 8):
        raise CodecError(
            f"{what}: expected [tempo, reps, sets, rest_ms, count_in_ms, side_mode] "
            f"(and negative_only, tap_mode), got {len(row)} values"
        )
    tempo, reps, sets, rest_ms, count_in_ms, side_mode = row[:6]
    negative_only, tap_mode = row[6:] if len(row) == 8 else (False, False)
    planned = PlannedSession(
        tempo=text(tempo, f"{what}.tempo", None),
        reps=whole(reps, f"{what}.reps", 0, COUNT_MAX),
        sets=whole(sets, f"{what}.sets", 0, PLANNED_SETS_MAX),
        rest_ms=None if rest_ms is None else whole(rest_ms, f"{what}.rest_ms"),
        count_in_ms=None if count_in_ms is None else whole(count_in_ms, f"{what}.count_in_ms"),
        side_mode=None if side_mode is None else member(SideMode, side_mode, f"{what}.side_mode"),
        negative_only=flag(negative_only, f"{what}.negative_only"),
        tap_mode=flag(tap_mode, f"{what}.tap_mode"),
    )
    if memo:
        if len(_planned_memo) >= MEMO_LIMIT:
            _planned_memo.clear()
        _planned_memo[tuple(row)] = planned
    return planned


# -- sessions ----------------------------------------------------------------------------------


def encode_session(s: SessionRecord) -> dict[str, Any]:
    out: dict[str, Any] = {
        "session_id": s.session_id,
        "exercise_id": s.exercise_id,
        "exercise_name": s.exercise_name,
        "started_at": s.started_at,
    }
    if s.rpe is not None:
        out["rpe"] = s.rpe
    if s.soreness is not None:
        out["soreness"] = s.soreness
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


_SESSION_KEYS = frozenset(
    (
        "session_id",
        "exercise_id",
        "exercise_name",
        "started_at",
        "rpe",
        "soreness",
        "note",
        "finished",
        "planned",
        "extra",
        "sets",
    )
)


def decode_session(value: Any, what: str = "session", *, memo: bool = True) -> SessionRecord:
    """A session from its JSON; ``memo=False`` for a check whose result is thrown away
    (it then adds nothing to the decode memos)."""
    obj = object_of(value, what)
    if not obj.keys() <= _SESSION_KEYS:
        raise CodecError(f"{what}: unknown field {sorted(set(obj) - _SESSION_KEYS)[0]!r}")
    get: Callable[..., Any] = obj.get
    session_id = get("session_id")
    exercise_id = get("exercise_id")
    exercise_name = get("exercise_name")
    started = get("started_at")
    sets = get("sets")
    rpe = get("rpe")
    soreness = get("soreness")
    note = get("note", "")
    finished = get("finished", True)
    extra = get("extra")
    # One test for the common, valid session; _explain_session names what is wrong.
    if not (
        type(session_id) is str
        and type(exercise_id) is str
        and type(exercise_name) is str
        and type(started) is str
        and type(sets) is list
        and (rpe is None or (type(rpe) is int and RPE_RANGE[0] <= rpe <= RPE_RANGE[1]))
        and (
            soreness is None
            or (type(soreness) is int and SORENESS_RANGE[0] <= soreness <= SORENESS_RANGE[1])
        )
        and type(note) is str
        and len(note) <= TEXT_MAX
        and type(finished) is bool
        and (extra is None or type(extra) is dict)
    ):
        _explain_session(obj, what)
    if extra is None:
        extra = {}
    else:
        for key, value_text in extra.items():
            if type(key) is not str or type(value_text) is not str:
                _explain_session(obj, what)
    return SessionRecord(
        session_id=session_id,
        exercise_id=exercise_id,
        exercise_name=exercise_name,
        started_at=started,
        sets=tuple([decode_set(row, exercise_id, exercise_name, what, memo=memo) for row in sets]),
        rpe=rpe,
        note=note,
        finished=finished,
        planned=decode_planned(get("planned"), f"{what}.planned", memo=memo),
        soreness=soreness,
        extra=extra,  # a fresh dict from the parser: not shared with anything
    )


def _explain_session(obj: dict[str, Any], what: str) -> None:
    """Raise CodecError naming the first bad field of a session that failed the quick test."""
    for key in ("session_id", "exercise_id", "exercise_name", "started_at"):
        text(required(obj, key, what), f"{what}.{key}", None)
    list_of(required(obj, "sets", what), f"{what}.sets")
    if obj.get("rpe") is not None:
        whole(obj["rpe"], f"{what}.rpe", *RPE_RANGE)
    if obj.get("soreness") is not None:
        whole(obj["soreness"], f"{what}.soreness", *SORENESS_RANGE)
    text(obj.get("note", ""), f"{what}.note")
    flag(obj.get("finished", True), f"{what}.finished")
    raise CodecError(f"{what}.extra: expected an object of texts")


def encode_for_saving(
    record: SessionRecord, kept: Iterable[SessionRecord | None] = ()
) -> dict[str, Any]:
    """The JSON of a session about to be saved, proved to load back. Stricter than reading
    for loads a person enters: a load above ``core.records.LOAD_MAX`` is refused, unless it
    is not new, i.e. one of the ``kept`` versions of this session (the one stored, the one
    this store deleted, the checkpoint, the one read from a backup) has that same load in
    that unit for that set number. So an old session with a heavier load (format 2 allowed
    up to 100,000) can still have its note or RPE edited, be deleted and put back, and be
    imported; reading keeps any finite load. Raises CodecError (or TypeError or
    AttributeError for something that is not a record at all)."""
    known = {
        (s.set_number, s.load, s.load_unit)
        for version in kept
        if version is not None
        for s in version.sets
        if s.load is not None and s.load > LOAD_MAX
    }
    for s in record.sets:
        if (
            s.load is not None
            and not 0 <= s.load <= LOAD_MAX
            and (s.set_number, s.load, s.load_unit) not in known
        ):
            raise CodecError(f"set {s.set_number} load: must be 0 to {LOAD_MAX:g}, got {s.load!r}")
    encoded = encode_session(record)
    # A check: its result is thrown away, so it must not fill the memos (a checkpoint after
    # every rep would otherwise keep every generation of the open set; issue 15).
    decode_session(encoded, memo=False)
    return encoded


# -- session summaries (history/index.json keeps them; tempo_coach/store/index.py) --------------

_totals_memo: dict[int, tuple[tuple[RepRecord, ...], tuple[int, int, int]]] = {}
_totals_held = 0  # reps the totals memo keeps alive (bounded like store/reps.py's memos)


def _memo_totals(reps: tuple[RepRecord, ...]) -> tuple[int, int, int]:
    """``rep_totals``, remembered per rep tuple: decoding shares one tuple between every set
    with the same reps string, so ten years need only a few hundred sums."""
    entry = _totals_memo.get(id(reps))
    if entry is not None and entry[0] is reps:
        return entry[1]
    global _totals_held
    totals = rep_totals(reps)
    if len(_totals_memo) >= MEMO_LIMIT or _totals_held + len(reps) > RECORDS_LIMIT:
        _totals_memo.clear()
        _totals_held = 0
    _totals_memo[id(reps)] = (reps, totals)  # the tuple is kept, so its id stays its own
    _totals_held += len(reps)
    return totals


def summarize(record: SessionRecord) -> SessionSummary:
    """``SessionSummary.of(record)``, with the rep sums remembered across sessions."""
    return SessionSummary.of(record, _memo_totals)
