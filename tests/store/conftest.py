"""Fixtures for the store tests: realistic records and an open store in a tmp folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tempo_coach.core.exercise import Side
from tempo_coach.core.records import (
    LiveChange,
    LoadUnit,
    PhaseTime,
    PlannedSession,
    RepRecord,
    SessionRecord,
    SetRecord,
)
from tempo_coach.core.tempo import Phase
from tempo_coach.store import Store


def make_session(
    session_id: str = "s1",
    started_at: str = "2026-03-14T18:02:11+01:00",
    *,
    exercise_id: str = "barbell-squat",
    exercise_name: str = "Eccentric barbell squat",
    sets: int = 2,
    reps: int = 3,
    load: float | None = 60.0,
    finished: bool = True,
) -> SessionRecord:
    """A session like the core produces: eccentric-first reps, a live change in set 2."""
    set_records = []
    for set_number in range(1, sets + 1):
        rep_records = tuple(
            RepRecord(
                set_number,
                rep,
                Side.LEFT if rep % 2 else Side.RIGHT,
                (
                    PhaseTime(Phase.ECCENTRIC, 3000, 3000 if set_number == 1 else 4000),
                    PhaseTime(Phase.PAUSE_AFTER_ECCENTRIC, 1000, 1000),
                    PhaseTime(Phase.CONCENTRIC, 1000, 1000),
                    PhaseTime(Phase.PAUSE_AFTER_CONCENTRIC, 0, 0),
                ),
                complete=True,
            )
            for rep in range(1, reps + 1)
        )
        changes = (LiveChange(set_number, 1, 15_000, 3000, 4000),) if set_number == 2 else ()
        set_records.append(
            SetRecord(
                exercise_id=exercise_id,
                exercise_name=exercise_name,
                set_number=set_number,
                started_at=started_at,
                tempo_planned="3-1-1-0",
                tempo_used="3-1-1-0" if set_number == 1 else "4-1-1-0",
                reps_planned=reps,
                reps=rep_records,
                live_changes=changes,
                load=load,
                load_unit=LoadUnit.KG,
                side=None,
                ended_early=False,
            )
        )
    return SessionRecord(
        session_id=session_id,
        exercise_id=exercise_id,
        exercise_name=exercise_name,
        started_at=started_at,
        sets=tuple(set_records),
        rpe=7,
        note="felt strong",
        finished=finished,
        planned=PlannedSession("3-1-1-0", reps, sets, rest_ms=120_000),
    )


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(store_dir: Path) -> Iterator[Store]:
    opened = Store.open(store_dir)
    yield opened
    opened.close()


def make_coached_session(
    session_id: str = "c1", started_at: str = "2026-10-20T18:00:00+01:00"
) -> SessionRecord:
    """A format 4 session: soreness at the check-in, a tap-mode set (taps on tempo, fast,
    slow and one missing) and a negative-only set (a reset in place of the lift)."""
    lowering = (
        PhaseTime(Phase.ECCENTRIC, 4000, 4000),
        PhaseTime(Phase.PAUSE_AFTER_ECCENTRIC, 1000, 1000),
    )
    tapped = tuple(
        RepRecord(1, n, None, (*lowering, PhaseTime(Phase.CONCENTRIC, 1000, 1000)), True, tap)
        for n, tap in enumerate((3900, 4100, 2500, None, 6000), start=1)
    )
    negative = tuple(
        RepRecord(2, n, None, (*lowering, PhaseTime(Phase.RESET, 2000, 2000))) for n in (1, 2, 3)
    )
    common = {
        "exercise_id": "nordic-curl",
        "exercise_name": "Nordic curl",
        "tempo_planned": "4-1-1-0",
        "tempo_used": "4-1-1-0",
        "load": None,
    }
    return SessionRecord(
        session_id=session_id,
        exercise_id="nordic-curl",
        exercise_name="Nordic curl",
        started_at=started_at,
        sets=(
            SetRecord(
                set_number=1, started_at=started_at, reps_planned=5, reps=tapped, tap_mode=True,
                **common,  # type: ignore[arg-type]
            ),
            SetRecord(
                set_number=2, started_at=started_at, reps_planned=3, reps=negative,
                negative_only=True, **common,  # type: ignore[arg-type]
            ),
        ),
        rpe=8,
        soreness=3,
        planned=PlannedSession("4-1-1-0", 5, 2, 90_000, 3000, None, True, True),
    )  # fmt: skip
