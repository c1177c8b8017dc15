"""The coach's advice on ten years: ``python -m bench advice [--years N] [--runs N] [--keep DIR]``.

The window works the advice out again at every step of the soreness box (docs/COACHING.md),
so its time is felt. This builds the ten-year store of ``bench/store_history.py`` (or reuses
``--keep DIR``, the same folder ``cli_history`` keeps), reads its summaries once, then times
``core.coach.advise`` for each exercise with a session, at each soreness 0 to 10, ``--runs``
times, in-process, and prints the median and the fastest per exercise. No target: under
about 16 ms (one frame) nobody notices the warnings following the box.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import datetime, timedelta

from bench.store_history import kept_store_folder, kept_store_options
from tempo_coach.core.coach import advise
from tempo_coach.core.exercise import BUILTIN_EXERCISES
from tempo_coach.core.instants import instant_of
from tempo_coach.core.preferences import Preferences
from tempo_coach.store import Store


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench advice", description=__doc__)
    kept_store_options(parser)
    parser.add_argument("--runs", type=int, default=5, help="rounds of the 11 soreness values")
    args = parser.parse_args(argv)
    with kept_store_folder(args) as folder, Store.open(folder) as store:
        summaries = store.summaries()
    if not summaries:
        print("no sessions")
        return 1
    # The day after the last session, at its hour: the warnings have something to look at.
    now = instant_of(summaries[-1].started_at) + timedelta(days=1)
    assert isinstance(now, datetime)
    preferences = Preferences.defaults()
    exercises = sorted({s.exercise_id for s in summaries})
    print(f"{len(summaries)} sessions, {len(exercises)} exercises; advice at {now.isoformat()}")
    for exercise_id in exercises:
        times = []
        for _ in range(args.runs):
            for soreness in range(11):
                started = time.perf_counter()
                advise(exercise_id, summaries, BUILTIN_EXERCISES, now, preferences, soreness)
                times.append(time.perf_counter() - started)
        sessions = sum(1 for s in summaries if s.exercise_id == exercise_id)
        median, fastest = statistics.median(times) * 1000, min(times) * 1000
        print(
            f"{exercise_id:28s} {sessions:5d} sessions: median {median:5.1f} ms, "
            f"fastest {fastest:5.1f} ms ({len(times)} calls)"
        )
    return 0
