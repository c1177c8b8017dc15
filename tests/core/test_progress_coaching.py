"""core/progress.py with tempo accuracy (taps) and negative-only sets kept apart."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from tempo_coach.core.progress import (
    RecordKind,
    adherence_per_session,
    loads_by_tempo,
    lowering_per_rep,
    personal_records,
    tension_per_session,
)
from tempo_coach.core.records import PhaseTime, SessionSummary, SetRecord
from tempo_coach.core.tempo import Phase
from tests.core.test_progress import a_set, session


def negative(s: SetRecord) -> SetRecord:
    """The set as a negative-only one: a reset (1 s) in place of each lift."""
    reps = tuple(
        replace(
            r,
            phases=tuple(
                PhaseTime(Phase.RESET, p.planned_ms, p.actual_ms)
                if p.phase is Phase.CONCENTRIC
                else p
                for p in r.phases
            ),
        )
        for r in s.reps
    )
    return replace(s, reps=reps, negative_only=True)


def tapped(s: SetRecord, *taps: int | None) -> SetRecord:
    reps = tuple(replace(r, lowering_tapped_ms=t) for r, t in zip(s.reps, taps, strict=True))
    return replace(s, reps=reps, tap_mode=True)


def test_negative_only_reps_are_charted_apart_from_the_normal_ones() -> None:
    records = [
        session("2025-03-03", a_set(1, (4000, 4000)), negative(a_set(2, (6000, 6000)))),
        session("2025-03-05", negative(a_set(1, (7000,)))),
    ]
    normal = lowering_per_rep(records)
    assert list(normal.actual_ms) == [4000, 4000]
    apart = lowering_per_rep(records, negative_only=True)
    assert list(apart.actual_ms) == [6000, 6000, 7000]
    assert [p.set_number for p in apart.sets] == [2, 1]


def test_tapped_lowerings_go_with_their_reps() -> None:
    records = [session("2025-03-03", tapped(a_set(1, (4000, 4000, 4000)), 3900, None, 3000))]
    reps = lowering_per_rep(records)
    assert [r.tapped_ms for r in reps] == [3900, None, 3000]
    assert reps.tapped == {0: 3900, 2: 3000}


def test_negative_only_loads_are_their_own_series_and_records() -> None:
    records = [
        session("2025-03-03", a_set(1, load=60), negative(a_set(2, load=90))),
        session("2025-03-05", negative(a_set(1, (4000, 4000, 4000), load=95))),
    ]
    loads = loads_by_tempo(records)
    assert list(loads.series) == ["4-1-1-0", "4-1-1-0, negative-only"]
    assert [p.load for p in loads.series["4-1-1-0"]] == [60.0]
    assert [p.load for p in loads.series["4-1-1-0, negative-only"]] == [90.0, 95.0]
    found = {(r.kind, r.condition): r.value for r in personal_records(records)}
    assert found[(RecordKind.HEAVIEST_LOAD, "tempo 4-1-1-0")] == 60.0, "not beaten by 95"
    assert found[(RecordKind.HEAVIEST_LOAD, "tempo 4-1-1-0, negative-only")] == 95.0
    # the longest lowering at 60 kg is kept though heavier negative-only sets lowered as long
    assert found[(RecordKind.LONGEST_LOWERING, "at 60 kg")] == 4000
    assert found[(RecordKind.LONGEST_LOWERING, "at 95 kg, negative-only")] == 4000
    assert (RecordKind.LONGEST_LOWERING, "at 90 kg, negative-only") not in found


def test_a_reset_is_not_time_under_tension_in_records_or_sessions() -> None:
    record = session("2025-03-03", negative(a_set(1, (4000, 4000))))
    tension = tension_per_session([SessionSummary.of(record)])
    assert tension[0].tension_ms == 10_000  # 2 × (4 s lowering + 1 s hold), resets left out
    assert tension[0].negative_only
    most = [r for r in personal_records([record]) if r.kind is RecordKind.MOST_TENSION]
    assert [r.value for r in most] == [10_000]


def test_adherence_per_session_only_where_a_set_was_tapped() -> None:
    records = [
        session("2025-03-05", tapped(a_set(1, (5000,) * 4), 5000, 3000, None, 7000), sid="b"),
        session("2025-03-03", a_set(1), sid="no-taps"),
        session("2025-03-01", tapped(a_set(1, (5000,)), None), sid="a"),
    ]
    found = adherence_per_session([SessionSummary.of(r) for r in records])
    assert [(a.session_id, a.day) for a in found] == [
        ("a", date(2025, 3, 1)),
        ("b", date(2025, 3, 5)),
    ]
    a, b = found
    assert (a.taps, a.missing, a.share) == (0, 1, None), "every tap missing: no share"
    assert (b.taps, b.on_tempo, b.fast, b.slow, b.missing) == (3, 1, 1, 1, 1)
    assert b.share == 1 / 3
