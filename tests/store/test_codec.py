"""Records <-> JSON: every record type survives the trip through the file format."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tempo_coach.core.exercise import MUSCLES, Exercise, RepStart, SideMode
from tempo_coach.core.records import (
    LOAD_MAX,
    LiveChange,
    LoadUnit,
    PlannedSession,
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
from tempo_coach.store.checked import COUNT_MAX, MS_MAX, CodecError
from tempo_coach.store.documents import dump_json, parse_json
from tests.store.conftest import make_session
from tests.store.test_reps import (
    SETTINGS,
    any_reps,
    counts,
    rep_runs,
    sides,
    through_file,
)

ms = st.integers(0, MS_MAX)
live_changes = st.builds(LiveChange, counts, counts, ms, ms, ms)
short_text = st.text(max_size=40)
loads = st.none() | st.floats(0, LOAD_MAX, allow_nan=False) | st.integers(0, 500)


@st.composite
def set_records(draw: st.DrawFn) -> SetRecord:
    number = draw(counts)
    chosen = draw(st.one_of(rep_runs(number), st.lists(any_reps, max_size=6).map(tuple)))
    return SetRecord(
        exercise_id=draw(st.text(max_size=30)),
        exercise_name=draw(short_text),
        set_number=number,
        started_at=draw(short_text),
        tempo_planned=draw(short_text),
        tempo_used=draw(short_text),
        reps_planned=draw(st.integers(0, COUNT_MAX)),
        reps=chosen,
        live_changes=tuple(draw(st.lists(live_changes, max_size=3))),
        load=draw(loads),
        load_unit=draw(st.sampled_from(LoadUnit)),
        side=draw(sides),
        ended_early=draw(st.booleans()),
        tap_mode=draw(st.booleans()),
        negative_only=draw(st.booleans()),
    )


planned_sessions = st.builds(
    PlannedSession,
    short_text,
    st.integers(0, COUNT_MAX),
    st.integers(0, codec.PLANNED_SETS_MAX),
    st.none() | ms,
    st.none() | ms,
    st.none() | st.sampled_from(SideMode),
    st.booleans(),
    st.booleans(),
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
        planned=draw(st.none() | planned_sessions),
        soreness=draw(st.none() | st.integers(0, 10)),
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
        muscles=tuple(draw(st.lists(st.sampled_from(MUSCLES), unique=True, max_size=4))),
    )


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
    with pytest.raises(CodecError, match=message):
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
        with pytest.raises(CodecError, match=message):
            codec.decode_session({**good, key: value})
    with pytest.raises(CodecError, match="missing 'started_at'"):
        codec.decode_session({k: v for k, v in good.items() if k != "started_at"})


@settings(SETTINGS, max_examples=40)
@given(planned_sessions)
def test_planned_round_trip(planned: PlannedSession) -> None:
    row = through_file(codec.encode_planned(planned))
    # Format 4's two flags are written only when one is set: most plans stay six values.
    assert len(row) == (8 if planned.negative_only or planned.tap_mode else 6)
    assert codec.decode_planned(row) == planned


def test_the_plan_is_a_row_and_left_out_when_unknown() -> None:
    record = make_session(sets=3)
    encoded = codec.encode_session(record)
    assert encoded["planned"] == ["3-1-1-0", 3, 3, 120_000, None, None]
    assert "extra" not in encoded  # the plan is not kept in extra any more
    unknown = codec.encode_session(replace(record, planned=None))
    assert "planned" not in unknown
    assert codec.decode_session(unknown).planned is None
    assert codec.decode_session({**unknown, "planned": None}).planned is None


@pytest.mark.parametrize(
    ("planned", "message"),
    [
        ({"tempo": "3-1-1-0"}, "session.planned: expected a list"),
        (["3-1-1-0", 5, 3, None, None], "session.planned: expected .tempo, reps"),
        ([3110, 5, 3, None, None, None], "session.planned.tempo"),
        (["3-1-1-0", "5", 3, None, None, None], "session.planned.reps"),
        (["3-1-1-0", 5, -1, None, None, None], "session.planned.sets"),
        (["3-1-1-0", 5, 3, 90.5, None, None], "session.planned.rest_ms"),
        (["3-1-1-0", 5, 3, None, 10**9, None], "session.planned.count_in_ms"),
        (["3-1-1-0", 5, 3, None, None, "sideways"], "session.planned.side_mode"),
        (["3-1-1-0", 5, 3, None, None, ["both"]], "session.planned.side_mode"),
    ],
)
def test_a_bad_plan_is_refused_with_the_field_named(planned: Any, message: str) -> None:
    good = codec.encode_session(make_session())
    with pytest.raises(CodecError, match=message):
        codec.decode_session({**good, "planned": planned})


@pytest.mark.parametrize("load", [0.0, 1000.0, 1500.0, 100_000.0, 1e300, 7])
def test_reading_keeps_any_finite_load(load: float) -> None:
    row = [1, "2026", "3-1-1-0", "3-1-1-0", 5, "1-5:e3000", load]
    assert codec.decode_set(row).load == float(load)
    assert codec.decode_set([*row, {"load_unit": "lb"}]).load == float(load)


@pytest.mark.parametrize("load", [-0.5, -1, float("inf"), float("nan"), "60", True])
def test_reading_refuses_a_load_that_is_not_a_finite_number_of_at_least_0(load: Any) -> None:
    with pytest.raises(CodecError, match="set load"):
        codec.decode_set([1, "2026", "3-1-1-0", "3-1-1-0", 5, "1-5:e3000", load])


def test_saving_refuses_a_load_above_load_max() -> None:
    assert codec.encode_for_saving(make_session(load=LOAD_MAX))["sets"][0][6] == LOAD_MAX
    for load in (LOAD_MAX + 0.5, 1500.0, float("nan"), -1.0):
        with pytest.raises(CodecError, match=f"set 1 load: must be 0 to {LOAD_MAX:g}"):
            codec.encode_for_saving(make_session(load=load))


def test_files_are_utf8_and_refuse_nan() -> None:
    data = dump_json({"note": "Kniebeuge – gut 💪"})
    assert "💪".encode() in data
    with pytest.raises(ValueError):
        dump_json({"load": float("nan")})
    with pytest.raises(ValueError, match="NaN"):
        parse_json(b'{"load": NaN}')
    assert json.loads(data) == {"note": "Kniebeuge – gut 💪"}


# -- format 4: coaching fields (issue 14) ------------------------------------------------------


def test_a_coached_session_round_trips_and_stays_compact() -> None:
    from tests.store.conftest import make_coached_session

    record = make_coached_session()
    encoded = codec.encode_session(record)
    assert codec.decode_session(through_file(encoded)) == record
    assert encoded["soreness"] == 3
    assert encoded["planned"][6:] == [True, True]
    tap_set, negative_set = encoded["sets"]
    assert tap_set[5].split(" ")[:2] == ["1@3900:e4000,h1000,c1000", "2@4100:e4000,h1000,c1000"]
    assert tap_set[7] == {"tap_mode": True}
    assert negative_set[5] == "1-3:e4000,h1000,s2000"  # alike reps, no taps: one run
    assert negative_set[7] == {"negative_only": True}
    plain = codec.encode_session(make_session())
    assert "soreness" not in plain and len(plain["planned"]) == 6
    assert all(len(row) == 7 or set(row[7]) == {"live_changes"} for row in plain["sets"])


@pytest.mark.parametrize(
    ("more", "message"),
    [
        ({"tap_mode": "yes"}, "set tap_mode"),
        ({"tap_mode": 1}, "set tap_mode"),
        ({"negative_only": None}, "set negative_only"),
    ],
)
def test_a_bad_set_flag_is_refused(more: dict[str, Any], message: str) -> None:
    with pytest.raises(CodecError, match=message):
        codec.decode_set([1, "2026", "3-1-1-0", "3-1-1-0", 5, "1-5:e3000", None, more])


@pytest.mark.parametrize(
    ("planned", "message"),
    [
        (["3-1-1-0", 5, 3, None, None, None, True], "expected .tempo"),
        (["3-1-1-0", 5, 3, None, None, None, True, False, True], "expected .tempo"),
        (["3-1-1-0", 5, 3, None, None, None, "true", False], "planned.negative_only"),
        (["3-1-1-0", 5, 3, None, None, None, False, 0], "planned.tap_mode"),
    ],
)
def test_a_bad_plan_flag_is_refused(planned: Any, message: str) -> None:
    good = codec.encode_session(make_session())
    with pytest.raises(CodecError, match=message):
        codec.decode_session({**good, "planned": planned})


@pytest.mark.parametrize("soreness", [-1, 11, 2.5, True, "3", [3]])
def test_a_bad_soreness_is_refused(soreness: Any) -> None:
    good = codec.encode_session(make_session())
    with pytest.raises(CodecError, match=r"session\.soreness"):
        codec.decode_session({**good, "soreness": soreness})


@pytest.mark.parametrize("soreness", [0, 10, None])
def test_soreness_0_to_10_is_read(soreness: int | None) -> None:
    good = codec.encode_session(make_session())
    assert codec.decode_session({**good, "soreness": soreness}).soreness == soreness


@pytest.mark.parametrize(
    ("muscles", "message"),
    [
        (["quadriceps", "ears"], "unknown muscle 'ears'"),
        (["glutes", "glutes"], "a muscle is named twice"),
        ("glutes", "muscles: expected a list"),
        ([3], "muscles: expected text"),
        ([None], "muscles: expected text"),
    ],
)
def test_a_bad_muscle_list_is_refused(muscles: Any, message: str) -> None:
    from tests.store.test_store import custom_exercise

    good = codec.encode_exercise(custom_exercise())
    assert good["muscles"] == []
    with pytest.raises(CodecError, match=message):
        codec.decode_exercise({**good, "muscles": muscles})
    with pytest.raises(CodecError, match="missing 'muscles'"):  # format 4 always writes it
        codec.decode_exercise({k: v for k, v in good.items() if k != "muscles"})


def test_muscles_round_trip() -> None:
    from tests.store.test_store import custom_exercise

    exercise = replace(custom_exercise(), muscles=("hamstrings", "glutes"))
    encoded = codec.encode_exercise(exercise)
    assert encoded["muscles"] == ["hamstrings", "glutes"]
    assert codec.decode_exercise(through_file(encoded)) == exercise
