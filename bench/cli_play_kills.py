"""Kill ``tempo-coach play`` with SIGKILL hundreds of times, then look for every set it said
was done.

The long run of the kills in tests/cli/test_play.py. Each run is a real ``play`` (6 sets of
2 reps at 40 times real time, a data folder of its own) killed after a random delay, from
before its first set to after its save; a set is *acknowledged* once ``play`` has printed
"set N done". Prints how many sets were acknowledged, how many of them were found again
(in the history or in the checkpoint, with their reps), how many were lost, where the
sessions were found, and the conditions it ran in.
``python -m bench cli_play_kills [--kills N] [--seed S] [--root DIR]``
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

from bench.kill_tally import KillTally


def main(argv: list[str]) -> int:
    if sys.platform == "win32":
        print("cli_play_kills needs SIGKILL; skipped on Windows")
        return 0
    from tests.cli.cli_faults import ROOT
    from tests.cli.play_kills import kill_play, python_env

    parser = argparse.ArgumentParser(prog="python -m bench cli_play_kills", description=__doc__)
    parser.add_argument("--kills", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--min-delay", type=float, default=0.25, help="seconds after the start")
    parser.add_argument("--max-delay", type=float, default=1.2, help="seconds after the start")
    parser.add_argument("--root", type=Path, default=ROOT, help="the project whose code runs")
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    env = python_env(args.root)
    load_before = os.getloadavg()
    started = time.monotonic()
    tally = KillTally()
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        for number in range(args.kills):
            delay = rng.uniform(args.min_delay, args.max_delay)
            kill = kill_play(sys.executable, env, Path(scratch) / f"run-{number}", delay)
            tally.add(kill)
            if kill.lost or kill.saved_but_missing or kill.problems:
                found = [(s.set_number, s.reps_done) for s in kill.found.sets] if kill.found else []
                failures.append(
                    f"run {number} (killed after {delay:.2f} s): acknowledged "
                    f"{sorted(kill.acknowledged.items())}, found in {kill.where}: {found}; "
                    f"problems {kill.problems}"
                )
    elapsed = time.monotonic() - started
    load_after = os.getloadavg()
    print(
        f"conditions: Python {platform.python_version()}, {platform.system()} "
        f"{platform.release()}, {os.cpu_count()} cores, load average {load_before[0]:.2f} "
        f"before, {load_after[0]:.2f} after; code: {args.root}; seed {args.seed}, delays "
        f"{args.min_delay:g} to {args.max_delay:g} s"
    )
    print(f"kills:                           {args.kills} ({elapsed:.1f} s)")
    tally.print()
    for failure in failures[:40]:
        print(f"LOST {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
