"""Ten years of realistic training history, made by the real core ``Session``.

Four training days a week, three exercises a day, four sets each, per-rep detail. Tempos and
loads progress over the years; some sets get a live change of the lowering count, some end
early (the last rep recorded incomplete). Each exercise's records come from driving a real
``Session`` on a ``FakeClock``, so every field looks exactly like what the app saves.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tempo_coach.core.clock import FakeClock
from tempo_coach.core.exercise import BUILTIN_EXERCISES, Exercise
from tempo_coach.core.records import PlannedSession, SessionRecord
from tempo_coach.core.session import Session
from tempo_coach.core.timeline import SetPlan
from tempo_coach.store import Store

SESSIONS_PER_WEEK = 4
EXERCISES_PER_DAY = 3
SETS = 4
TRAINING_DAYS = (0, 1, 3, 5)  # Monday, Tuesday, Thursday, Saturday


def _one_exercise(
    rng: random.Random, exercise: Exercise, day: datetime, index: int, progress: float
) -> SessionRecord:
    eccentric_ms = min(8000, exercise.default_tempo.eccentric_ms + int(progress * 3) * 1000)
    plan = SetPlan.from_exercise(
        exercise,
        tempo=exercise.default_tempo.with_eccentric_ms(eccentric_ms),
        reps=rng.choice((5, 6, 8, 8, 10)),
        sets=SETS,
        rest_ms=rng.choice((60, 90, 120)) * 1000,
        count_in_ms=3000,
    )
    clock = FakeClock()
    start = day + timedelta(minutes=12 * index)
    load = round(20 + 40 * progress + rng.choice((0, 2.5, 5)), 1)

    def wall() -> str:
        return (start + timedelta(seconds=clock.now() - 1000.0)).isoformat(timespec="seconds")

    session = Session(plan, clock, load=load, wall_time=wall)
    session.start()
    total_s = session.total_ms / 1000
    change_at = rng.uniform(5, total_s * 0.8) if rng.random() < 0.15 else None
    early_at = rng.uniform(total_s * 0.5, total_s) if rng.random() < 0.1 else None
    step = 7.0
    while session.poll() is not None and session.session_ms() < session.total_ms:
        now_s = session.session_ms() / 1000
        if change_at is not None and now_s >= change_at:
            change_at = None
            with contextlib.suppress(ValueError):
                session.change_eccentric(rng.choice((-1000, 1000)))
        if early_at is not None and now_s >= early_at:
            early_at = None
            session.end_set_early()
        clock.advance(step)
        total_s = session.total_ms / 1000
        if session.status.value not in ("running", "paused"):
            break
    session.poll()
    return SessionRecord(
        session_id=f"{start:%Y%m%d%H%M}-{exercise.exercise_id}",
        exercise_id=exercise.exercise_id,
        exercise_name=exercise.name,
        started_at=start.isoformat(timespec="seconds"),
        sets=session.set_records,
        rpe=rng.randint(6, 9),
        note=rng.choice(("", "", "", "felt strong", "left knee a bit sore", "new gym")),
        finished=True,
        planned=PlannedSession(
            tempo=plan.tempo.notation(),
            reps=plan.reps,
            sets=plan.sets,
            rest_ms=plan.rest_ms,
            count_in_ms=plan.count_in_ms,
            side_mode=exercise.side_mode,
        ),
    )


def generate(years: int = 10, seed: int = 4) -> Iterator[SessionRecord]:
    """Yield the sessions of ``years`` years ending on 2026-01-01, oldest first."""
    rng = random.Random(seed)
    tz = timezone(timedelta(hours=1))
    first = datetime(2026 - years, 1, 1, 18, 0, tzinfo=tz)
    days = (datetime(2026, 1, 1, tzinfo=tz) - first).days
    programs = [BUILTIN_EXERCISES[i : i + EXERCISES_PER_DAY] for i in (0, 2, 4)]
    for offset in range(days):
        day = first + timedelta(days=offset)
        if day.weekday() not in TRAINING_DAYS:
            continue
        progress = offset / days
        program = programs[(offset // 7 + TRAINING_DAYS.index(day.weekday())) % len(programs)]
        for index, exercise in enumerate(program):
            yield _one_exercise(rng, exercise, day, index, progress)


def kept_store_options(parser: argparse.ArgumentParser) -> None:
    """``--years`` and ``--keep DIR``, for the benchmarks that run on ``kept_store``."""
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--keep", metavar="DIR", help="build the store in DIR (or reuse it)")


@contextlib.contextmanager
def kept_store_folder(args: argparse.Namespace) -> Iterator[Path]:
    """The folder of ``kept_store`` for these options: ``--keep DIR``, else a temporary one
    removed afterwards."""
    with tempfile.TemporaryDirectory() as scratch:
        yield kept_store(Path(args.keep) if args.keep else Path(scratch) / "data", args.years)


def kept_store(folder: Path, years: int = 10) -> Path:
    """``folder`` holding the generated ``years`` and a current index: built when it has no
    index yet, else reused as it is (``--keep DIR`` of the benchmarks that share one)."""
    if not (folder / "history" / "index.json").exists():
        records = list(generate(years))
        with Store.open(folder) as store:
            store.save_sessions(records)
        # Months written in the index's clock tick are decoded once more and the index
        # rewritten (Store._trusted): let that happen before timing.
        time.sleep(0.05)
        with Store.open(folder) as store:
            store.write_index()
    return folder


# -- the figures -------------------------------------------------------------------------------

LOAD_TARGET_MS = 100.0
SAVE_TARGET_MS = 20.0
STALE_MONTH = "2025-06"

# One load in a fresh process: "summaries" is what the History tab and the window's start
# need (open + summaries()), "history" every session in full (open + history()). close()
# is not timed (it runs when the app quits; it rewrites the index if it was stale).
_LOAD_ONE = """
import sys, time
from pathlib import Path
from tempo_coach.store import Store
wall, cpu = time.perf_counter(), time.process_time()
store = Store.open(Path(sys.argv[1]))
rows = store.summaries() if sys.argv[2] == "summaries" else store.history()
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
store.close()
print(f"{wall * 1000:.2f} {cpu * 1000:.2f} {len(rows)} {len(store.problems)}")
"""


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _summary(values: list[float]) -> str:
    return (
        f"median {statistics.median(values):6.1f} ms   min {min(values):6.1f}   "
        f"p90 {_percentile(values, 0.9):6.1f}   max {max(values):6.1f}   (n={len(values)})"
    )


def _load_once(folder: Path, what: str) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, "-c", _LOAD_ONE, str(folder), what],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    ).stdout.split()
    if out[3] != "0":
        raise RuntimeError("the generated store reported problems")
    return float(out[0]), float(out[1])


def _change_behind_the_index(folder: Path, run: int) -> None:
    """Give one month file a new modification time, as a save by a process killed before
    its index write would: the next open must decode that month again."""
    month = folder / "history" / f"{STALE_MONTH}.json"
    status = month.stat()
    os.utime(month, ns=(status.st_atime_ns, status.st_mtime_ns + (run + 1) * 10**9))


def measure_load(
    folder: Path, runs: int, what: str, *, stale: bool = False
) -> tuple[list[float], list[float]]:
    """Open the store and read ``what`` ("summaries" or "history"), each time in a fresh
    process (no warm memo; importing the modules is not counted), as the window does at
    start. With ``stale``, one month was changed behind the index before each run. Returns
    the wall-clock times and the CPU times of the loading process (the latter are less
    disturbed by other programs running on the machine)."""
    figures: list[float] = []
    cpu: list[float] = []
    for run in range(runs):
        if stale:
            _change_behind_the_index(folder, run)
        wall, used = _load_once(folder, what)
        figures.append(wall)
        cpu.append(used)
    return figures, cpu


def measure_saves(
    folder: Path, runs: int, last: SessionRecord
) -> tuple[list[float], list[float], list[float]]:
    """Time what the app does after a set (checkpoint of the session so far), at the end of
    a session (save it into this month's file), both including every fsync, and the index
    write that follows a save (at close(), or ``write_index()``)."""
    checkpoints: list[float] = []
    sessions: list[float] = []
    indexes: list[float] = []
    with Store.open(folder) as store:
        store.summaries()
        for run in range(runs):
            record = replace(
                last, session_id=f"bench-{run}", started_at="2025-12-31T19:00:00+01:00"
            )
            partial = replace(record, sets=record.sets[:2], finished=False)
            started = time.perf_counter()
            store.checkpoint(partial)
            checkpoints.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            store.save_session(record)
            sessions.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            store.write_index()
            indexes.append((time.perf_counter() - started) * 1000)
        store.clear_checkpoint()
    return checkpoints, sessions, indexes


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench store_history", description=__doc__)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=15, help="repetitions of each figure")
    parser.add_argument("--keep", metavar="DIR", help="build the store in DIR and keep it")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    records = list(generate(args.years))
    sets = sum(len(r.sets) for r in records)
    reps = sum(len(s.reps) for r in records for s in r.sets)
    print(
        f"generated {args.years} years: {len(records)} exercise sessions, {sets} sets, "
        f"{reps} reps ({time.perf_counter() - started:.1f} s)"
    )
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(args.keep) if args.keep else Path(scratch) / "data"
        with Store.open(folder) as store:
            store.save_sessions(records)
        # The first open after the import decodes the month written in the same clock tick
        # as the index (see Store._trusted) and rewrites the index: not counted.
        _load_once(folder, "summaries")
        months = [f for f in (folder / "history").glob("*.json") if f.name != "index.json"]
        size = sum(f.stat().st_size for f in months)
        index_size = (folder / "history" / "index.json").stat().st_size
        print(
            f"store: {folder} ({len(months)} month files, {size / 2**20:.1f} MB; "
            f"index.json {index_size / 2**10:.0f} KB)"
        )

        load, load_cpu = measure_load(folder, args.runs, "summaries")
        stale, stale_cpu = measure_load(folder, args.runs, "summaries", stale=True)
        full, full_cpu = measure_load(folder, args.runs, "history")
        checkpoints, sessions, indexes = measure_saves(folder, args.runs * 3, records[-1])
    print(f"load what the History tab needs (open + summaries()):     {_summary(load)}")
    print(f"  the same, CPU time of the loading process:              {_summary(load_cpu)}")
    print(f"  one month changed behind the index (decoded again):     {_summary(stale)}")
    print(f"  the same, CPU time:                                     {_summary(stale_cpu)}")
    print(f"load every session in full (open + history()), no target: {_summary(full)}")
    print(f"  the same, CPU time:                                     {_summary(full_cpu)}")
    print(f"save a finished set (checkpoint, incl. fsync):            {_summary(checkpoints)}")
    print(f"save a finished session (its month file, incl. fsync):    {_summary(sessions)}")
    print(f"  then write the index (at close(), incl. fsync):         {_summary(indexes)}")
    verdicts = [
        ("load", statistics.median(load), LOAD_TARGET_MS),
        ("load, one month stale", statistics.median(stale), LOAD_TARGET_MS),
        ("save set", statistics.median(checkpoints), SAVE_TARGET_MS),
        ("save session", statistics.median(sessions), SAVE_TARGET_MS),
    ]
    for name, value, target in verdicts:
        verdict = "meets" if value < target else "MISSES"
        print(f"  {name}: median {value:.1f} ms {verdict} the target of {target:.0f} ms")
    return 0 if all(value < target for _, value, target in verdicts) else 1
