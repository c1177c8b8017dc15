"""Records <-> JSON: every record type survives the trip through the file format."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tempo_coach.core.exercise import Exercise, RepStart, Side, SideMode
from tempo_coach.core.records import (
    LiveChange,
    LoadUnit,
    PhaseTime,
    RepRecord,
    SessionRecord,
    SetRecord,
)
from tempo_coach.core.tempo import (
    CONCENTRIC_RANGE_MS,
    ECCENTRIC_RANGE_MS,
    EXPLOSIVE_RANGE_MS,
    PAUSE_RANGE_MS,
    Phase,
    Tempo,
)
from tempo_coach.store import codec
from tempo_coach.store.documents import dump_json, parse_json
from tests.store.conftest import make_session

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

ms = st.integers(0, codec.MS_MAX)
counts = st.integers(1, codec.COUNT_MAX)
sides = st.none() | st.sampled_from(Side)
phase_times = st.builds(PhaseTime, st.sampled_from(Phase), ms, ms)
reps = st.builds(
    RepRecord, counts, counts, sides, st.lists(phase_times, max_size=6).map(tuple), st.booleans()
)
live_changes = st.builds(LiveChange, counts, counts, ms, ms, ms)
short_text = st.text(max_size=40)
loads = st.none() | st.floats(0, codec.LOAD_MAX, allow_nan=False) | st.integers(0, 500)


@st.composite
def rep_runs(draw: st.DrawFn, set_number: int) -> tuple[RepRecord, ...]:
    """Reps as the core makes them: runs of alike reps, sides none, fixed or alternating."""
    out: list[RepRecord] = []
    number = 1
    for _ in range(draw(st.integers(0, 3))):
        phases = tuple(draw(st.lists(phase_times, min_size=1, max_size=4)))
        pattern = draw(st.sampled_from(["", "L", "R", "LR", "RL"]))
        complete = draw(st.booleans())
        for i in range(draw(st.integers(1, 10))):
            side = {"": None, "L": Side.LEFT, "R": Side.RIGHT}.get(pattern[i % 2 :][:1] or "")
            if len(pattern) == 2:
                side = Side.LEFT if pattern[i % 2] == "L" else Side.RIGHT
            out.append(RepRecord(set_number, number, side, phases, complete))
            number += 1
    return tuple(out)


@st.composite
def set_records(draw: st.DrawFn) -> SetRecord:
    number = draw(counts)
    chosen = draw(st.one_of(rep_runs(number), st.lists(reps, max_size=6).map(tuple)))
    return SetRecord(
        exercise_id=draw(st.text(max_size=30)),
        exercise_name=draw(short_text),
        set_number=number,
        started_at=draw(short_text),
        tempo_planned=draw(short_text),
        tempo_used=draw(short_text),
        reps_planned=draw(st.integers(0, codec.COUNT_MAX)),
        reps=chosen,
        live_changes=tuple(draw(st.lists(live_changes, max_size=3))),
        load=draw(loads),
        load_unit=draw(st.sampled_from(LoadUnit)),
        side=draw(sides),
        ended_early=draw(st.booleans()),
    )


@st.composite
def session_records(draw: st.DrawFn) -> SessionRecord:
    exercise_id = draw(st.text(max_size=30))
    exercise_name = draw(short_text)
    sets = draw(st.lists(set_records(), max_size=4))
    # Most sets name the session's exercise (and are then stored without it).
    sets = [
        s
        if draw(st.booleans())
        else SetRecord(**{**s.__dict__, "exercise_id": exercise_id, "exercise_name": exercise_name})
        for s in sets
    ]
    return SessionRecord(
        session_id=draw(st.text(min_size=1, max_size=30)),
        exercise_id=exercise_id,
        exercise_name=exercise_name,
        started_at=draw(short_text),
        sets=tuple(sets),
        rpe=draw(st.none() | st.integers(1, 10)),
        note=draw(st.text(max_size=200)),
        finished=draw(st.booleans()),
        extra=draw(st.dictionaries(st.text(max_size=20), short_text, max_size=3)),
    )


@st.composite
def tempos(draw: st.DrawFn) -> Tempo:
    explosive = draw(st.booleans())
    return Tempo(
        draw(st.integers(*ECCENTRIC_RANGE_MS)),
        draw(st.integers(*PAUSE_RANGE_MS)),
        draw(st.integers(*(EXPLOSIVE_RANGE_MS if explosive else CONCENTRIC_RANGE_MS))),
        draw(st.integers(*PAUSE_RANGE_MS)),
        explosive,
    )


@st.composite
def exercises(draw: st.DrawFn) -> Exercise:
    return Exercise(
        exercise_id=draw(st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}", fullmatch=True)),
        name=draw(st.text(min_size=1, max_size=80).filter(lambda n: n.strip() != "")),
        rep_start=draw(st.sampled_from(RepStart)),
        default_tempo=draw(tempos()),
        default_reps=draw(st.integers(1, 100)),
        default_sets=draw(st.integers(1, 20)),
        default_rest_s=draw(st.integers(0, 600)),
        side_mode=draw(st.sampled_from(SideMode)),
        instructions=tuple(draw(st.lists(short_text, max_size=3))),
        safety_notes=tuple(draw(st.lists(short_text, max_size=3))),
        phase_names=draw(st.dictionaries(st.sampled_from(Phase), short_text, max_size=3)),
        builtin=draw(st.booleans()),
    )


def through_file(value: Any) -> Any:
    """What reading back a written file gives: UTF-8 JSON bytes and back."""
    return parse_json(dump_json({"value": value}))["value"]


@settings(SETTINGS, max_examples=60)
@given(phase_times)
def test_phase_time_round_trip(phase: PhaseTime) -> None:
    assert codec.decode_phase_time(through_file(codec.encode_phase_time(phase))) == phase


@settings(SETTINGS, max_examples=60)
@given(st.lists(reps, max_size=8).map(tuple), counts)
def test_reps_round_trip(records: tuple[RepRecord, ...], set_number: int) -> None:
    text = through_file(codec.encode_reps(records, set_number))
    assert codec.decode_reps(text, set_number) == records


@settings(SETTINGS, max_examples=40)
@given(live_changes)
def test_live_change_round_trip(change: LiveChange) -> None:
    assert codec.decode_live_change(through_file(codec.encode_live_change(change))) == change


@settings(SETTINGS, max_examples=60)
@given(set_records())
def test_set_round_trip(record: SetRecord) -> None:
    row = through_file(codec.encode_set(record))
    assert codec.decode_set(row) == record


@settings(SETTINGS, max_examples=80)
@given(session_records())
def test_session_round_trip(record: SessionRecord) -> None:
    decoded = codec.decode_session(through_file(codec.encode_session(record)))
    assert decoded == record
    assert hash(decoded.sets) == hash(record.sets)


@settings(SETTINGS, max_examples=50)
@given(exercises())
def test_exercise_round_trip(exercise: Exercise) -> None:
    assert codec.decode_exercise(through_file(codec.encode_exercise(exercise))) == exercise


def test_records_are_built_without_the_slow_constructor_and_equal_real_ones() -> None:
    # If this fails, a core record changed shape: codec._new_set/_new_session must follow.
    assert codec.uses_fast_construction()
    record = make_session()
    decoded = codec.decode_session(codec.encode_session(record))
    assert decoded == record and hash(decoded.sets[0]) == hash(record.sets[0])
    assert type(decoded.sets[0]) is SetRecord
    assert decoded.sets[0].reps_done == record.sets[0].reps_done


def test_alike_reps_are_stored_as_runs() -> None:
    phases = (PhaseTime(Phase.ECCENTRIC, 4000, 4000), PhaseTime(Phase.CONCENTRIC, 1000, 1000))
    plain = tuple(RepRecord(1, n, None, phases) for n in range(1, 9))
    assert codec.encode_reps(plain, 1) == "1-8:e4000,c1000"
    alternating = tuple(
        RepRecord(2, n, Side.LEFT if n % 2 else Side.RIGHT, phases) for n in range(1, 7)
    )
    assert codec.encode_reps(alternating, 2) == "1-6LR:e4000,c1000"
    cut = (*plain[:2], RepRecord(1, 3, None, (PhaseTime(Phase.ECCENTRIC, 4000, 1200),), False))
    assert codec.encode_reps(cut, 1) == "1-2:e4000,c1000 3!:e4000/1200"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"set_number": 1}, "expected a list"),
        ([1, "2026", "3-1-1-0", "3-1-1-0", 5, "1-5:e3000"], "7 or 8 values"),
        ([0, "2026", "3-1-1-0", "3-1-1-0", 5, "1-5:e3000", None], "set_number"),
        (["1", "2026", "3-1-1-0", "3-1-1-0", 5, "1-5:e3000", None], "set_number"),
        ([1, "2026", "3-1-1-0", "3-1-1-0", 5, "1-5:e3000", -2.0], "load"),
        ([1, "2026", "3-1-1-0", "3-1-1-0", 5, "1-5:e3000", float("inf")], "load"),
        ([1, "2026", "3-1-1-0", "3-1-1-0", 5, "1-5:x3000", None], "not a phase time"),
        ([1, "2026", "3-1-1-0", "3-1-1-0", 5, "5-1:e3000", None], "backward"),
        ([1, "2026", "3-1-1-0", "3-1-1-0", 5, "1LR:e3000", None], "alternating"),
        ([1, "2026", "3-1-1-0", "3-1-1-0", 5, "1-5:e3000", None, {"colour": 1}], "colour"),
        ([1, "2026", "3-1-1-0", "3-1-1-0", True, "1-5:e3000", None], "reps_planned"),
    ],
)
def test_a_bad_set_is_refused_with_the_field_named(row: Any, message: str) -> None:
    with pytest.raises(codec.CodecError, match=message):
        codec.decode_set(row, "barbell-squat", "Squat")


def test_a_bad_session_is_refused_with_the_field_named() -> None:
    good = codec.encode_session(make_session())
    for key, value, message in [
        ("rpe", 11, "rpe"),
        ("rpe", 7.5, "rpe"),
        ("finished", "yes", "finished"),
        ("extra", {"a": 1}, "extra"),
        ("sets", {}, "sets"),
        ("session_id", None, "session_id"),
        ("mood", "great", "mood"),
    ]:
        with pytest.raises(codec.CodecError, match=message):
            codec.decode_session({**good, key: value})
    with pytest.raises(codec.CodecError, match="missing 'started_at'"):
        codec.decode_session({k: v for k, v in good.items() if k != "started_at"})


def test_files_are_utf8_and_refuse_nan() -> None:
    data = dump_json({"note": "Kniebeuge – gut 💪"})
    assert "💪".encode() in data
    with pytest.raises(ValueError):
        dump_json({"load": float("nan")})
    with pytest.raises(ValueError, match="NaN"):
        parse_json(b'{"load": NaN}')
    assert json.loads(data) == {"note": "Kniebeuge – gut 💪"}
