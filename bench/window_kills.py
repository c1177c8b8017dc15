"""Kill the real window with SIGKILL hundreds of times during a set, then look for every set
it acknowledged; and start the window on every fault of the store-fault matrix.

The long runs of tests/ui/test_window_kills.py and tests/ui/test_window_store_faults.py.

**Kills** (``--kills N``): each run is the app as ``tempo-coach`` starts it
(``tempo_coach.app.run``, offscreen, a data folder of its own; the output 20 times faster
than real time: tests/ui/window_kills.py says how and why), setting up 6 sets of 2 reps,
pressing Start, accepting "Session done" and closing after "Saved"; it is killed at a random
moment from before the set starts to after the save. Acknowledged: "Set N done: K reps" in
the status bar (set N must be in the history or in the session kept for later) and "Saved:"
(the whole session must be in the history). Every folder left with a kept session is opened
again in the window (``--reopen-every 1``): the window must offer it and, answered "Save what
was done", save it with every acknowledged set.

**Store faults** (``--faults``; also on by default): every case of the store-fault matrix
(tests/store/fault_matrix.py: 13 faults x 5 files x the writer, the writer without .bak
files, a second instance) in the real window: tests/ui/window_faults.py says what must hold.

``python -m bench window_kills [--kills N] [--seed S] [--reopen-every K] [--no-faults]``
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.kill_tally import KillTally


def main(argv: list[str]) -> int:
    if sys.platform == "win32":
        print("window_kills needs SIGKILL; skipped on Windows")
        return 0
    parser = argparse.ArgumentParser(prog="python -m bench window_kills", description=__doc__)
    parser.add_argument("--kills", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--min-delay", type=float, default=-0.3, help="s after Start")
    parser.add_argument("--max-delay", type=float, default=2.2, help="s after Start")
    parser.add_argument("--reopen-every", type=int, default=1, help="reopen every Kth kept")
    parser.add_argument("--no-faults", action="store_true", help="only the kills")
    parser.add_argument("--faults-only", action="store_true", help="only the store faults")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    code = 0
    if not args.faults_only:
        code |= _kills(args)
    if not args.no_faults:
        code |= _faults()
    load_after = os.getloadavg()
    print(
        f"conditions: Python {platform.python_version()}, {platform.system()} "
        f"{platform.release()}, {os.cpu_count()} cores, uid {os.getuid()}, load average "
        f"{load_before[0]:.2f} before, {load_after[0]:.2f} after; seed {args.seed}"
    )
    return code


def _kills(args: argparse.Namespace) -> int:
    from tests.ui.window_kills import kill_window, reopen

    rng = random.Random(args.seed)
    started = time.monotonic()
    tally = KillTally()
    kept = reopened = offered_right = reopen_lost = 0
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        for number in range(args.kills):
            delay = rng.uniform(args.min_delay, args.max_delay)
            folder = Path(scratch) / f"run-{number}"
            kill = kill_window(folder, delay)
            tally.add(kill)
            bad = bool(kill.lost or kill.saved_but_missing or kill.problems)
            bad = bad or kill.returncode not in (-9, 0)
            if kill.where == "checkpoint":
                kept += 1
                if (kept - 1) % args.reopen_every == 0:
                    reopened += 1
                    again = reopen(folder)
                    sets, reps = len(kill.checkpoint_sets), sum(kill.checkpoint_sets.values())
                    offered_right += again.offered == (sets, reps)
                    missing = [
                        n for n, r in kill.acknowledged.items() if again.history_sets.get(n, 0) < r
                    ]
                    reopen_lost += len(missing)
                    if again.offered != (sets, reps) or missing or again.checkpoint_left:
                        bad = True
                    if again.returncode != 0:
                        bad = True
            if bad:
                failures.append(
                    f"run {number} (killed {delay:.2f} s after Start, exit {kill.returncode}): "
                    f"said done {sorted(kill.acknowledged.items())}, saved said "
                    f"{kill.saved_said}; history {sorted(kill.history_sets.items())}, "
                    f"checkpoint {sorted(kill.checkpoint_sets.items())}; problems "
                    f"{kill.problems}; stderr {kill.errors[-300:]!r}"
                )
    elapsed = time.monotonic() - started
    print(
        f"window kills: {args.kills} ({elapsed:.1f} s), delays {args.min_delay:g} to "
        f"{args.max_delay:g} s after Start"
    )
    tally.print()
    print(
        f"kept sessions reopened:          {reopened} of {kept}; offered with the right "
        f"sets and reps {offered_right}; acknowledged sets missing after Save {reopen_lost}"
    )
    for failure in failures[:40]:
        print(f"LOST {failure}")
    return 1 if failures else 0


def _faults() -> int:
    from tests.store.fault_matrix import FAULTS, TARGETS, VARIANTS
    from tests.ui.window_faults import WindowResult, remove_scratch, run_case, scratch

    started = time.monotonic()
    results: list[tuple[str, str, WindowResult]] = []
    skipped: Counter[str] = Counter()
    folder = scratch()
    try:
        for variant in VARIANTS:
            for target in TARGETS:
                for fault in FAULTS:
                    work = folder / f"{len(results) + sum(skipped.values())}"
                    result = run_case(work, target, fault, variant)
                    if result.skipped:
                        skipped[result.skipped] += 1
                    else:
                        results.append((fault, target, result))
    finally:
        remove_scratch(folder)
    elapsed = time.monotonic() - started

    def row(label: str, rows: list[WindowResult]) -> str:
        survived = sum(r.survived for r in rows)
        return f"| {label} | {len(rows)} | {survived} | {sum(r.lost for r in rows)} |"

    print(f"store faults in the window: {len(results)} cases ({elapsed:.1f} s)")
    print("| fault | tried | survived | lost |")
    print("|---|---|---|---|")
    for fault in FAULTS:
        print(row(fault, [r for f, _t, r in results if f == fault]))
    print(row("**all**", [r for _f, _t, r in results]))
    print("| file | tried | survived | lost |")
    print("|---|---|---|---|")
    for target, name in TARGETS.items():
        print(row(f"{target} (`{name}`)", [r for _f, t, r in results if t == target]))
    for why, count in skipped.items():
        print(f"not run: {count} cases: {why}")
    failed = [r for _f, _t, r in results if not r.survived]
    for result in failed[:60]:
        print(f"FAILED {result.case}: {result.why}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
