"""Tempo notation: parsing, formatting, bounds and messages."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tempo_coach.core.tempo import Phase, Tempo, TempoError, parse_tempo


@pytest.mark.parametrize(
    ("text", "expected_ms", "explosive"),
    [
        ("4-1-1-0", (4000, 1000, 1000, 0), False),
        ("4110", (4000, 1000, 1000, 0), False),
        ("31X0", (3000, 1000, 1000, 0), True),
        ("31x0", (3000, 1000, 1000, 0), True),
        ("2.5-0-1-0", (2500, 0, 1000, 0), False),
        (" 5 - 0 - 1 - 2 ", (5000, 0, 1000, 2000), False),
        ("4/1/1/0", (4000, 1000, 1000, 0), False),
        ("10-2-X-1", (10000, 2000, 1000, 1000), True),
    ],
)
def test_parse_accepts_the_usual_notations(
    text: str, expected_ms: tuple[int, int, int, int], explosive: bool
) -> None:
    tempo = parse_tempo(text)
    assert (
        tempo.eccentric_ms,
        tempo.pause_after_eccentric_ms,
        tempo.concentric_ms,
        tempo.pause_after_concentric_ms,
    ) == expected_ms
    assert tempo.explosive is explosive


def test_explosive_lift_takes_the_preferred_real_time() -> None:
    assert parse_tempo("31X0", explosive_ms=700).concentric_ms == 700
    assert parse_tempo("31X0").duration_ms(Phase.CONCENTRIC) == 1000


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0-1-1-0", "the lowering phase must last 1 to 30 seconds, got 0"),
        ("31-0-1-0", "the lowering phase must last 1 to 30 seconds, got 31"),
        ("4-31-1-0", "the pause after the lowering must last 0 to 30 seconds, got 31"),
        ("4-1-0-0", "the lifting phase must last 0.5 to 30 seconds, got 0"),
        ("X110", "X (explosive) is only allowed for the lifting phase"),
        ("4-1-1", "is not a tempo"),
        ("", "the tempo is empty"),
        ("abcd", "is not a tempo"),
        ("4-a-1-0", "the pause after the lowering must be a number of seconds, got 'a'"),
        ("4-1-1-0-0", "is not a tempo"),
        ("nan-1-1-0", "the lowering phase must be a number of seconds"),
    ],
)
def test_parse_rejects_bad_input_naming_the_problem(text: str, message: str) -> None:
    with pytest.raises(TempoError) as caught:
        parse_tempo(text)
    assert message in str(caught.value)


def test_rejects_non_text() -> None:
    with pytest.raises(TempoError, match="must be text"):
        parse_tempo(4110)  # type: ignore[arg-type]


def test_notation_round_trip_examples() -> None:
    assert parse_tempo("4110").notation() == "4-1-1-0"
    assert parse_tempo("4110").notation(compact=True) == "4110"
    assert parse_tempo("31X0").notation(compact=True) == "31X0"
    assert parse_tempo("2.5-0-1-0").notation(compact=True) == "2.5-0-1-0"
    assert str(parse_tempo("10-0-1-0")) == "10-0-1-0"


def test_rep_length_is_the_sum_of_the_phases() -> None:
    assert parse_tempo("4-1-1-0").rep_ms == 6000
    assert parse_tempo("2.5-0-X-0", explosive_ms=500).rep_ms == 3000


# Durations in tenths of a second inside each phase's range.
_eccentric = st.integers(10, 300).map(lambda d: d * 100)
_pause = st.integers(0, 300).map(lambda d: d * 100)
_concentric = st.integers(5, 300).map(lambda d: d * 100)


@given(_eccentric, _pause, _concentric, _pause, st.booleans())
def test_format_then_parse_round_trips(e: int, p1: int, c: int, p2: int, x: bool) -> None:
    if x:
        c = min(max(c, 300), 3000)
    tempo = Tempo(e, p1, c, p2, x)
    for compact in (False, True):
        again = parse_tempo(tempo.notation(compact=compact), explosive_ms=c)
        assert again == tempo


def test_with_eccentric_keeps_the_rest() -> None:
    tempo = parse_tempo("31X0").with_eccentric_ms(5000)
    assert tempo.notation() == "5-1-X-0"
    with pytest.raises(TempoError, match=r"1 to 30 seconds, got 0\.5"):
        tempo.with_eccentric_ms(500)
