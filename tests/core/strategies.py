"""Hypothesis strategies for plans, shared by the core tests."""

from __future__ import annotations

from hypothesis import strategies as st

from tempo_coach.core.exercise import BUILTIN_EXERCISES, Exercise, RepStart, SideMode
from tempo_coach.core.tempo import Tempo
from tempo_coach.core.timeline import CountStyle, SetPlan


@st.composite
def tempos(draw: st.DrawFn) -> Tempo:
    explosive = draw(st.booleans())
    return Tempo(
        draw(st.integers(2, 60)) * 500,
        draw(st.integers(0, 8)) * 500,
        draw(st.integers(1, 6)) * 500 if explosive else draw(st.integers(1, 10)) * 500,
        draw(st.integers(0, 8)) * 500,
        explosive,
    )


@st.composite
def exercises(draw: st.DrawFn) -> Exercise:
    if draw(st.booleans()):
        return draw(st.sampled_from(BUILTIN_EXERCISES))
    return Exercise(
        "custom",
        "Custom",
        draw(st.sampled_from(list(RepStart))),
        draw(tempos()),
        5,
        3,
        60,
        draw(st.sampled_from(list(SideMode))),
    )


@st.composite
def plans(draw: st.DrawFn, max_reps: int = 6, max_sets: int = 4) -> SetPlan:
    return SetPlan(
        exercise=draw(exercises()),
        tempo=draw(tempos()),
        reps=draw(st.integers(1, max_reps)),
        sets=draw(st.integers(1, max_sets)),
        rest_ms=draw(st.integers(0, 20)) * 1000,
        count_in_ms=draw(st.integers(0, 10)) * 1000,
        count_style=draw(st.sampled_from(list(CountStyle))),
    )
