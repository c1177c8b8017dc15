"""The rep grammar (format 2 and later): every rep of a set in one compact string.

``reps`` is one string, one token per rep or per run of alike reps, separated by spaces:

    "1-8:e4000,h1000,c1000"           reps 1 to 8, no side, all complete, same phase times
    "1-6LR:c1000,p1000,e5000"         reps 1 to 6, sides alternating left, right, left...
    "1L:e3000,h1000 2R:e3000/4000"    one rep each; /4000 is the actual time when it differs
    "7!:e4000/1200"                   ! marks an incomplete rep (the set was ended early)
    "3.1:e3000"                       a rep whose set number differs from the row's (rare)
    "4@3900:e4000,s1000"              (format 4) the lifter tapped the lowering's end at 3.9 s;
                                      s is a reset (negative-only sets), not time under tension

The grammar of a token is ``[SET.]FIRST[-LAST][SIDES][!][@TAPPED]:PHASE,PHASE,...`` with
SIDES one of L, R (every rep on that side), LR, RL (alternating; ranges only); ``@TAPPED``
is ``RepRecord.lowering_tapped_ms`` (left out when None; a run shares it, so tapped reps
merge only when their taps are equal); a PHASE is a one-letter code (``PHASE_CODES``) and
the planned milliseconds, then ``/ACTUAL`` when the actual differs. Phases appear in the
order they were done. docs/STORE.md has the same table.

The same tokens recur across years of similar sets, so decoding memoises them at three
levels (a whole string, a token in a set, a token's shape); the records are immutable, so
sharing them is safe. Ten years (185,000 reps) need only a few hundred distinct tokens. The
memos are bounded by the records they hold (``RECORDS_LIMIT``), and a check decode
(``memo=False``) adds nothing to them (see "the memos" below).
"""

from __future__ import annotations

import re
from typing import Any

from tempo_coach.core.exercise import Side
from tempo_coach.core.records import PhaseTime, RepRecord
from tempo_coach.core.tempo import Phase
from tempo_coach.store.checked import COUNT_MAX, TEXT_MAX, CodecError, whole

PHASE_CODES: dict[Phase, str] = {
    Phase.COUNT_IN: "i",
    Phase.ECCENTRIC: "e",
    Phase.PAUSE_AFTER_ECCENTRIC: "h",
    Phase.CONCENTRIC: "c",
    Phase.PAUSE_AFTER_CONCENTRIC: "p",
    Phase.REST: "r",
    Phase.RESET: "s",
}
_PHASE_BY_CODE = {code: phase for phase, code in PHASE_CODES.items()}
_SIDE_CODES = {Side.LEFT: "L", Side.RIGHT: "R"}
_OTHER_SIDE = {Side.LEFT: Side.RIGHT, Side.RIGHT: Side.LEFT}
_SIDE_BY_CODE = {"L": Side.LEFT, "R": Side.RIGHT}
_TOKEN = re.compile(
    r"(?:([1-9]\d{0,4})\.)?([1-9]\d{0,4})(?:-([1-9]\d{0,4}))?(LR|RL|L|R|)(!?)"
    r"(?:@(0|[1-9]\d{0,7}))?:(.*)"
)
_PHASE = re.compile(r"([iehcprs])(0|[1-9]\d{0,7})(?:/(0|[1-9]\d{0,7}))?")
REPS_TEXT_MAX = TEXT_MAX * 10
MEMO_LIMIT = 50_000  # entries per memo; past it the memo starts again (bounded memory)


# -- encoding ----------------------------------------------------------------------------------


def encode_phase_time(p: PhaseTime) -> str:
    code = PHASE_CODES[p.phase] + str(p.planned_ms)
    return code if p.actual_ms == p.planned_ms else f"{code}/{p.actual_ms}"


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
    if head.lowering_tapped_ms is not None:
        mark += f"@{head.lowering_tapped_ms}"
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
                and rep.lowering_tapped_ms == head.lowering_tapped_ms
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


# -- decoding ----------------------------------------------------------------------------------


def decode_phase_time(text: Any, what: str = "phase") -> PhaseTime:
    match = _PHASE.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise CodecError(f"{what}: {text!r} is not a phase time such as e3000 or e3000/3200")
    code, planned, actual = match.groups()
    planned_ms = whole(int(planned), f"{what} planned")
    actual_ms = planned_ms if actual is None else whole(int(actual), f"{what} actual")
    return PhaseTime(_PHASE_BY_CODE[code], planned_ms, actual_ms)


# A token's meaning apart from the set number: (own set or None, first, sides, phases,
# complete, tapped lowering or None). The same text recurs in every set of a session, so it
# is parsed once.
_TokenShape = tuple[
    int | None, int, tuple[Side | None, ...], tuple[PhaseTime, ...], bool, int | None
]


# -- the memos ---------------------------------------------------------------------------------
#
# Bounded by what they hold, not by entries: every entry counts the records (reps, or sides
# of a shape) it keeps alive, and past RECORDS_LIMIT in all, or MEMO_LIMIT entries in one
# memo, every memo starts again (sharing is lost, nothing else). A check decode (``memo=False``,
# codec.encode_for_saving before every save and every checkpoint) reads the memos but never
# adds to them: its result is thrown away, and the open set's token changes at every rep
# (``1-1:...``, ``1-2:...``, ... ``1-100:...``), so remembering it kept every generation of
# the set alive (5,050 records for one 100-rep set; issue 15, docs/UI.md).

RECORDS_LIMIT = 200_000  # records the memos may hold together (ten years: 18,102)
_held = 0  # records held by the memos now (an upper bound: shared records count twice)

_phases_memo: dict[str, tuple[PhaseTime, ...]] = {}
_shape_memo: dict[str, _TokenShape] = {}
_token_memo: dict[tuple[int, str], tuple[RepRecord, ...]] = {}
_reps_memo: dict[tuple[int, str], tuple[RepRecord, ...]] = {}


def clear_memos() -> None:
    """Forget every decoded token (the records already handed out stay valid)."""
    global _held
    _phases_memo.clear()
    _shape_memo.clear()
    _token_memo.clear()
    _reps_memo.clear()
    _held = 0


def memo_weight() -> int:
    """The records the memos hold now (as counted against RECORDS_LIMIT)."""
    return _held


def _remember(memo: dict[Any, Any], key: Any, value: Any, weight: int) -> None:
    global _held
    if len(memo) >= MEMO_LIMIT or _held + weight > RECORDS_LIMIT:
        clear_memos()
    memo[key] = value
    _held += weight


def _decode_phases(text: str, what: str, memo: bool) -> tuple[PhaseTime, ...]:
    phases = _phases_memo.get(text)
    if phases is None:
        phases = tuple(decode_phase_time(p, what) for p in text.split(",")) if text else ()
        if memo:
            _remember(_phases_memo, text, phases, 1)
    return phases


def _token_shape(token: str, what: str, memo: bool) -> _TokenShape:
    shape = _shape_memo.get(token)
    if shape is not None:
        return shape
    match = _TOKEN.fullmatch(token)
    if match is None:
        raise CodecError(
            f"{what}: {token!r} is not a rep such as 1L:e3000,h1000,c1000 or 2@3900:e4000"
        )
    own_set, first_text, last_text, sides, mark, tapped_text, phase_text = match.groups()
    own = whole(int(own_set), f"{what} set", 1, COUNT_MAX) if own_set else None
    first = whole(int(first_text), f"{what} number", 1, COUNT_MAX)
    last = first if last_text is None else whole(int(last_text), f"{what} number", 1, COUNT_MAX)
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
    tapped = None if tapped_text is None else whole(int(tapped_text), f"{what} tapped lowering")
    shape = (own, first, side_of, _decode_phases(phase_text, what, memo), not mark, tapped)
    if memo:
        _remember(_shape_memo, token, shape, count)
    return shape


def _decode_token(token: str, set_number: int, what: str, memo: bool) -> tuple[RepRecord, ...]:
    key = (set_number, token)
    reps = _token_memo.get(key)
    if reps is None:
        own, first, side_of, phases, complete, tapped = _token_shape(token, what, memo)
        number = set_number if own is None else own
        reps = tuple(
            RepRecord(number, first + i, side, phases, complete, tapped)
            for i, side in enumerate(side_of)
        )
        if memo:
            _remember(_token_memo, key, reps, len(reps))
    return reps


def decode_reps(
    text: Any, set_number: int, what: str = "reps", *, memo: bool = True
) -> tuple[RepRecord, ...]:
    """The reps of a set (number ``set_number``) from its string; CodecError naming
    ``what`` if it is not one. ``memo=False`` (a check whose result is thrown away) uses
    what the memos hold but adds nothing to them."""
    key = (set_number, text)
    try:
        return _reps_memo[key]
    except (KeyError, TypeError):  # TypeError: not hashable, so not text either
        pass
    if not isinstance(text, str):
        raise CodecError(f"{what}: expected text, got {type(text).__name__}")
    if len(text) > REPS_TEXT_MAX:
        raise CodecError(f"{what}: longer than {REPS_TEXT_MAX} characters")
    reps: list[RepRecord] = []
    for token in text.split(" ") if text else ():
        reps.extend(_decode_token(token, set_number, what, memo))
        if len(reps) > COUNT_MAX:
            raise CodecError(f"{what}: more than {COUNT_MAX} reps")
    result = tuple(reps)
    if memo:
        _remember(_reps_memo, key, result, len(result))
    return result
