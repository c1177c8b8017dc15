"""Kill a saving process with SIGKILL 1000 times at random moments, then check the store.

The long run of tests/store/test_crash.py (which does 100 kills in ``make test``). Prints how
many sessions were acknowledged, how many kills landed inside a write (a temporary was left
behind) and whether anything acknowledged is missing or any file failed to load.
``python -m bench store_crash [--kills N] [--seed S]``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from tempo_coach.store import Store
from tempo_coach.store.atomic import is_temporary


def main(argv: list[str]) -> int:
    if sys.platform == "win32":
        print("store_crash needs fork and SIGKILL; skipped on Windows")
        return 0
    from tests.store.crash_harness import run_crash_rounds

    parser = argparse.ArgumentParser(prog="python -m bench store_crash", description=__doc__)
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-delay-ms", type=float, default=30.0)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "data"
        report = run_crash_rounds(
            folder, args.kills, seed=args.seed, max_delay_s=args.max_delay_ms / 1000
        )
        with Store.open(folder) as store:
            problems = list(store.problems)
            saved = {s.session_id for s in store.history()}
            pending = store.pending_checkpoint()
        missing = report.acknowledged - saved
        left = [p for p in folder.rglob(".*") if is_temporary(p.name)]
    print(f"kills:                         {report.kills} ({report.seconds:.1f} s)")
    print(f"sessions acknowledged:         {len(report.acknowledged)}")
    print(f"kills inside a write:          {report.rounds_with_temporary}")
    print(f"sessions in the store:         {len(saved)}")
    print(f"acknowledged but missing:      {len(missing)}")
    print(f"files that did not load:       {len(problems)}")
    print(f"temporaries left after open:   {len(left)}")
    print(f"session in progress restored:  {'yes' if pending is not None else 'none pending'}")
    for problem in problems:
        print(f"  problem: {problem}")
    return 0 if not missing and not problems and not left else 1
