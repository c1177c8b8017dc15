"""SessionSummary: the History tab's row, derived exactly from a full SessionRecord."""

from __future__ import annotations

from tempo_coach.core.records import (
    LB_PER_KG,
    LiveChange,
    LoadUnit,
    PhaseTime,
    RepRecord,
    SessionRecord,
    SessionSummary,
    SetRecord,
    rep_totals,
)
from tempo_coach.core.tempo import Phase


def rep(number: int, lowering_ms: int, *, complete: bool = True) -> RepRecord:
    return RepRecord(
        1,
        number,
        None,
        (
            PhaseTime(Phase.ECCENTRIC, 4000, lowering_ms),
            PhaseTime(Phase.CONCENTRIC, 1000, 1000),
        ),
        complete,
    )


def a_set(
    number: int,
    reps: tuple[RepRecord, ...],
    *,
    load: float | None = None,
    unit: LoadUnit = LoadUnit.KG,
    tempo: str = "4-0-1-0",
    planned: int = 3,
    changes: int = 0,
    ended_early: bool = False,
) -> SetRecord:
    return SetRecord(
        "nordic-curl",
        "Nordic curl",
        number,
        "2026-03-01T10:00:00+01:00",
        "4-0-1-0",
        tempo,
        planned,
        reps,
        tuple(LiveChange(number, 1, 100, 4000, 5000) for _ in range(changes)),
        load,
        unit,
        None,
        ended_early,
    )


def session(*sets: SetRecord, finished: bool = True) -> SessionRecord:
    return SessionRecord(
        "s1",
        "nordic-curl",
        "Nordic curl",
        "2026-03-01T10:00:00+01:00",
        sets,
        rpe=8,
        note="slow",
        finished=finished,
    )


def test_a_session_without_sets() -> None:
    summary = SessionSummary.of(session(finished=False))
    assert summary == SessionSummary(
        session_id="s1",
        exercise_id="nordic-curl",
        exercise_name="Nordic curl",
        started_at="2026-03-01T10:00:00+01:00",
        finished=False,
        rpe=8,
        note="slow",
        sets=0,
        reps_done=0,
        reps_planned=0,
        time_under_tension_ms=0,
        tempo_used="",
        top_load=None,
        load_unit=LoadUnit.KG,
        live_changes=0,
        ended_early=False,
        tempo_planned="",
        eccentric_ms=0,
    )


def test_time_under_tension_counts_complete_reps_only() -> None:
    first = a_set(1, (rep(1, 4000), rep(2, 4200), rep(3, 3900)))
    # The set was ended early: its third rep was cut short and does not count.
    second = a_set(2, (rep(1, 4000), rep(2, 4000), rep(3, 1500, complete=False)), ended_early=True)
    record = session(first, second)
    summary = SessionSummary.of(record)
    assert summary.sets == 2
    assert summary.reps_done == 5
    assert summary.reps_planned == 6
    assert summary.time_under_tension_ms == (5000 + 5200 + 4900) + (5000 + 5000)
    assert summary.time_under_tension_ms == record.time_under_tension_ms
    assert summary.ended_early is True
    assert rep_totals(second.reps) == (2, 10_000, 8000)
    # The lowering part: 4000 + 4200 + 3900 and 4000 + 4000; the cut rep does not count.
    assert summary.eccentric_ms == 12_100 + 8000
    assert summary.tempo_planned == "4-0-1-0"


def test_the_last_set_gives_the_tempo_and_changes_are_counted() -> None:
    record = session(
        a_set(1, (rep(1, 4000),), tempo="4-0-1-0"),
        a_set(2, (rep(1, 5000),), tempo="5-0-1-0", changes=1),
        a_set(3, (rep(1, 6000),), tempo="6-0-1-0", changes=2),
    )
    summary = SessionSummary.of(record)
    assert summary.tempo_used == "6-0-1-0"
    assert summary.live_changes == 3
    assert summary.ended_early is False


def test_the_top_load_is_the_heaviest_set_in_its_own_unit() -> None:
    # 100 lb is 45.4 kg: lighter than 50 kg although the number is larger.
    record = session(
        a_set(1, (), load=100.0, unit=LoadUnit.LB),
        a_set(2, (), load=50.0),
        a_set(3, (), load=None),
    )
    summary = SessionSummary.of(record)
    assert (summary.top_load, summary.load_unit) == (50.0, LoadUnit.KG)
    assert summary.top_load_kg == 50.0
    heavier = session(a_set(1, (), load=50.0), a_set(2, (), load=120.0, unit=LoadUnit.LB))
    assert 120.0 / LB_PER_KG > 50.0
    top = SessionSummary.of(heavier)
    assert (top.top_load, top.load_unit) == (120.0, LoadUnit.LB)
    assert top.top_load_kg == 120.0 / LB_PER_KG


def test_body_weight_only_has_no_top_load_and_the_last_sets_unit() -> None:
    record = session(a_set(1, (), load=None, unit=LoadUnit.LB))
    summary = SessionSummary.of(record)
    assert summary.top_load is None
    assert summary.load_unit is LoadUnit.LB


def test_a_memoised_totals_function_gives_the_same_summary() -> None:
    record = session(a_set(1, (rep(1, 4000), rep(2, 4100))), a_set(2, (rep(1, 3000),)))
    calls: list[int] = []

    def counting(reps: tuple[RepRecord, ...]) -> tuple[int, int, int]:
        calls.append(len(reps))
        return rep_totals(reps)

    assert SessionSummary.of(record, counting) == SessionSummary.of(record)
    assert calls == [2, 1]


def test_an_interrupted_session_is_saved_with_its_short_last_set_ended_early() -> None:
    from dataclasses import replace

    from tempo_coach.core.clock import FakeClock
    from tempo_coach.core.exercise import BUILTIN_EXERCISES, find_exercise
    from tempo_coach.core.records import saved_as_interrupted
    from tempo_coach.core.session import Session
    from tempo_coach.core.tempo import parse_tempo
    from tempo_coach.core.timeline import SetPlan

    plan = SetPlan.from_exercise(
        find_exercise("barbell squat", BUILTIN_EXERCISES),
        tempo=parse_tempo("3-1-1-0"),
        reps=3,
        sets=2,
        rest_ms=0,
        count_in_ms=0,
    )
    clock = FakeClock()
    session = Session(plan, clock)
    session.start()
    clock.advance(15 + 6)  # set 1 (3 x 5 s) and one rep of set 2
    session.poll()
    kept = session.record()  # as a checkpoint holds it
    assert [s.reps_done for s in kept.sets] == [3, 1]
    saved = saved_as_interrupted(kept)
    assert saved.finished
    assert [s.ended_early for s in saved.sets] == [False, True]
    whole = replace(kept, sets=kept.sets[:1])  # stopped between sets: nothing cut short
    assert [s.ended_early for s in saved_as_interrupted(whole).sets] == [False]


def test_many_builds_what_the_constructor_builds() -> None:
    import pytest

    records = [
        session(a_set(1, (rep(1, 4000), rep(2, 3000, complete=False)), load=60.0)),
        session(),
    ]
    rows = [tuple(SessionSummary.of(r)) for r in records]
    columns = [list(column) for column in zip(*rows, strict=True)]
    built = SessionSummary.many(*columns)
    assert built == [SessionSummary(*row) for row in rows]
    assert all(type(s) is SessionSummary for s in built)
    assert built[0].top_load_kg == 60.0 and built[1].sets == 0
    assert SessionSummary.many(*[[] for _ in columns]) == []
    with pytest.raises(TypeError):
        SessionSummary.many(*columns[:-1])
    with pytest.raises(ValueError):
        SessionSummary.many(*columns[:-1], columns[-1][:1])
    with pytest.raises(AttributeError):
        built[0].sets = 9  # type: ignore[misc]
