"""Every CLI fault case as a real command: every option of every command, every hostile value.

``tests/cli/test_faults.py`` runs every case in its own process (``main()``) and a fixed
sample as commands in ``make test``; this runs all of tests/cli/cli_faults.py's cases as
``python -m tempo_coach ...`` (a traceback, an exit status and a hang as a user would meet
them), a few at a time, and prints the tried / survived / failed counts by command and by
kind of value, with the conditions it ran in. ``--root DIR`` runs the code of another
checkout (``git worktree add /tmp/before HEAD~3``) for the figures before a change.
``python -m bench cli_faults [--workers N] [--root DIR] [--verbose]``
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def main(argv: list[str]) -> int:
    if sys.platform == "win32":
        print("cli_faults needs /dev/full, FIFOs and POSIX paths; skipped on Windows")
        return 0
    from tests.cli.cli_faults import (
        BAD,
        DEADLINE_S,
        ROOT,
        Case,
        Outcome,
        every_case,
        read_only_folder,
        run_as_command,
    )

    parser = argparse.ArgumentParser(prog="python -m bench cli_faults", description=__doc__)
    parser.add_argument("--workers", type=int, default=2, help="commands run at once")
    parser.add_argument("--root", type=Path, default=ROOT, help="the project whose code runs")
    parser.add_argument("--verbose", action="store_true", help="print every failure in full")
    args = parser.parse_args(argv)

    cases = every_case()
    load_before = os.getloadavg()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        with read_only_folder(scratch) as no_read_only:
            read_only = no_read_only or (
                "a read-only tmpfs" if os.geteuid() == 0 else "no write permission"
            )

            def run(numbered: tuple[int, Case]) -> Outcome:
                number, case = numbered
                # Each case in scratch/case-N, so ../ro is the read-only folder for all.
                return run_as_command(case, scratch / f"case-{number}", root=args.root)

            with ThreadPoolExecutor(max_workers=max(1, args.workers)) as pool:
                outcomes = list(pool.map(run, enumerate(cases)))
    elapsed = time.monotonic() - started
    load_after = os.getloadavg()

    def kind(outcome: Outcome) -> str:
        return outcome.case.label if outcome.case.label in BAD else "own values"

    def where(outcome: Outcome) -> str:
        case = outcome.case
        return case.command or f"--data-dir ({case.pointer})"

    print(
        f"conditions: uid {os.geteuid()}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}, {os.cpu_count()} cores, {args.workers} at "
        f"once, load average {load_before[0]:.2f} before, {load_after[0]:.2f} after; code: "
        f"{args.root}; read-only folder: {read_only}"
    )
    failed = [o for o in outcomes if not o.survived]
    print(
        f"{len(outcomes)} cases ({sum(o.case.expect_ok for o in outcomes)} with a value that "
        f"is fine), {elapsed:.1f} s; deadline {DEADLINE_S:g} s a case"
    )
    for title, key in (("command", where), ("value", kind)):
        groups: dict[str, list[Outcome]] = defaultdict(list)
        for outcome in outcomes:
            groups[key(outcome)].append(outcome)
        print()
        print(f"| {title} | tried | survived | failed | tracebacks | hangs |")
        print("|---|---|---|---|---|---|")
        for name, rows in [*groups.items(), ("**all**", outcomes)]:
            print(
                f"| {name} | {len(rows)} | {sum(o.survived for o in rows)} | "
                f"{sum(not o.survived for o in rows)} | "
                f"{sum('traceback' in o.problems() for o in rows)} | {sum(o.hung for o in rows)} |"
            )
    if failed:
        print()
    for outcome in failed if args.verbose else failed[:40]:
        print(
            f"FAILED {outcome.case.name[:70]!r}: {'; '.join(outcome.problems())} "
            f"(exit {outcome.exit}); stderr {outcome.stderr[-300 if args.verbose else -120 :]!r}"
        )
    if len(failed) > 40 and not args.verbose:
        print(f"... and {len(failed) - 40} more (--verbose lists them all)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
