"""The rep grammar: every set's reps as one string, runs of alike reps as one token."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tempo_coach.core.exercise import Side
from tempo_coach.core.records import PhaseTime, RepRecord
from tempo_coach.core.tempo import Phase
from tempo_coach.store import reps
from tempo_coach.store.checked import COUNT_MAX, MS_MAX, CodecError
from tempo_coach.store.documents import dump_json, parse_json

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

ms = st.integers(0, MS_MAX)
counts = st.integers(1, COUNT_MAX)
sides = st.none() | st.sampled_from(Side)
phase_times = st.builds(PhaseTime, st.sampled_from(Phase), ms, ms)
tapped = st.none() | ms  # format 4: the lowering as tapped
any_reps = st.builds(
    RepRecord,
    counts,
    counts,
    sides,
    st.lists(phase_times, max_size=6).map(tuple),
    st.booleans(),
    tapped,
)


@st.composite
def rep_runs(draw: st.DrawFn, set_number: int) -> tuple[RepRecord, ...]:
    """Reps as the core makes them: runs of alike reps, sides none, fixed or alternating."""
    out: list[RepRecord] = []
    number = 1
    for _ in range(draw(st.integers(0, 3))):
        phases = tuple(draw(st.lists(phase_times, min_size=1, max_size=4)))
        pattern = draw(st.sampled_from(["", "L", "R", "LR", "RL"]))
        complete = draw(st.booleans())
        tap = draw(tapped)  # a run shares its tap (equal taps are what lets reps merge)
        for i in range(draw(st.integers(1, 10))):
            side = {"": None, "L": Side.LEFT, "R": Side.RIGHT}.get(pattern[i % 2 :][:1] or "")
            if len(pattern) == 2:
                side = Side.LEFT if pattern[i % 2] == "L" else Side.RIGHT
            out.append(RepRecord(set_number, number, side, phases, complete, tap))
            number += 1
    return tuple(out)


def through_file(value: Any) -> Any:
    """What reading back a written file gives: UTF-8 JSON bytes and back."""
    return parse_json(dump_json({"value": value}))["value"]


@settings(SETTINGS, max_examples=60)
@given(phase_times)
def test_phase_time_round_trip(phase: PhaseTime) -> None:
    assert reps.decode_phase_time(through_file(reps.encode_phase_time(phase))) == phase


@settings(SETTINGS, max_examples=60)
@given(st.lists(any_reps, max_size=8).map(tuple), counts)
def test_any_reps_round_trip(records: tuple[RepRecord, ...], set_number: int) -> None:
    text = through_file(reps.encode_reps(records, set_number))
    assert reps.decode_reps(text, set_number) == records


@settings(SETTINGS, max_examples=60)
@given(counts.flatmap(lambda n: st.tuples(st.just(n), rep_runs(n))))
def test_runs_round_trip_in_one_token_each(drawn: tuple[int, tuple[RepRecord, ...]]) -> None:
    set_number, records = drawn
    text = reps.encode_reps(records, set_number)
    assert reps.decode_reps(through_file(text), set_number) == records
    assert "." not in text.split(":")[0]  # the reps are the row's set: no own set number


def test_alike_reps_are_stored_as_runs() -> None:
    phases = (PhaseTime(Phase.ECCENTRIC, 4000, 4000), PhaseTime(Phase.CONCENTRIC, 1000, 1000))
    plain = tuple(RepRecord(1, n, None, phases) for n in range(1, 9))
    assert reps.encode_reps(plain, 1) == "1-8:e4000,c1000"
    alternating = tuple(
        RepRecord(2, n, Side.LEFT if n % 2 else Side.RIGHT, phases) for n in range(1, 7)
    )
    assert reps.encode_reps(alternating, 2) == "1-6LR:e4000,c1000"
    cut = (*plain[:2], RepRecord(1, 3, None, (PhaseTime(Phase.ECCENTRIC, 4000, 1200),), False))
    assert reps.encode_reps(cut, 1) == "1-2:e4000,c1000 3!:e4000/1200"
    other_set = (RepRecord(3, 1, Side.RIGHT, phases),)
    assert reps.encode_reps(other_set, 2) == "3.1R:e4000,c1000"


def test_equal_texts_decode_to_one_shared_tuple() -> None:
    first = reps.decode_reps("1-5RL:e3000,c1000", 4)
    again = reps.decode_reps("1-5RL:e3000,c1000", 4)
    assert first is again  # memoised: ten years of alike sets cost a few hundred decodes
    assert [r.side for r in first] == [Side.RIGHT, Side.LEFT] * 2 + [Side.RIGHT]
    assert all(r.set_number == 4 for r in first)
    assert reps.decode_reps("1-5RL:e3000,c1000", 5)[0].set_number == 5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "expected text"),
        (["1:e3000"], "expected text"),
        ("1:x3000", "not a phase time"),
        ("1:e3000/", "not a phase time"),
        ("0:e3000", "not a rep"),
        ("5-1:e3000", "backward"),
        ("3-3:e3000", "backward"),
        ("1LR:e3000", "alternating"),
        ("1-2", "not a rep"),
        ("1:e3000  2:e3000", "not a rep"),  # two spaces: an empty token
        ("1-10000:e1 1:e1", "more than"),
        ("1-10001:e1", "must be 1 to 10000"),
        ("1:e" + "9" * 9, "not a phase time"),
    ],
)
def test_a_bad_reps_text_is_refused_naming_it(text: Any, message: str) -> None:
    with pytest.raises(CodecError, match=message) as raised:
        reps.decode_reps(text, 1, "set 2 reps")
    assert str(raised.value).startswith("set 2 reps")


def test_a_tapped_lowering_is_part_of_the_token() -> None:
    phases = (PhaseTime(Phase.ECCENTRIC, 4000, 4000), PhaseTime(Phase.RESET, 2000, 2000))
    taps = (3900, 3900, 4400, None, None)
    records = tuple(RepRecord(1, n, None, phases, True, t) for n, t in enumerate(taps, 1))
    text = reps.encode_reps(records, 1)
    # Runs merge only when equal, taps included.
    assert text == "1-2@3900:e4000,s2000 3@4400:e4000,s2000 4-5:e4000,s2000"
    assert reps.decode_reps(text, 1) == records
    cut = RepRecord(2, 7, Side.LEFT, phases, False, 0)
    assert reps.encode_reps((cut,), 2) == "7L!@0:e4000,s2000"
    assert reps.decode_reps("7L!@0:e4000,s2000", 2) == (cut,)


@pytest.mark.parametrize(
    "text",
    ["1@:e3000", "1@-5:e3000", "1@03000:e3000", "1@1e3:e3000", "1@" + "9" * 9 + ":e3000",
     "1@3000@3000:e3000", "1@3000!:e3000", "1@100000000:e1"],
)  # fmt: skip
def test_a_bad_tapped_lowering_is_refused(text: str) -> None:
    with pytest.raises(CodecError, match="set 2 reps"):
        reps.decode_reps(text, 1, "set 2 reps")


def test_a_tapped_lowering_over_a_day_is_refused_as_out_of_range() -> None:
    with pytest.raises(CodecError, match="tapped lowering: must be 0 to"):
        reps.decode_reps(f"1@{MS_MAX + 1}:e3000", 1, "set 2 reps")
