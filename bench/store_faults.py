"""The whole store-fault matrix: every data file, every fault, every variant.

``tests/store/test_faults.py`` runs a fixed sample in ``make test``; this runs every case of
``tests/store/fault_matrix.py`` (5 files x 13 faults x 3 variants: the writer, the writer
without ``.bak`` files, a second instance) and prints the tried / survived / lost table of
docs/STORE.md, by fault and by file, with the conditions it ran in. Cases that need root (a
device node) are skipped without it; the permission cases run as ``nobody`` when run as root.
``python -m bench store_faults [--verbose]``
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path


def main(argv: list[str]) -> int:
    if sys.platform == "win32":
        print("store_faults needs FIFOs, symlinks and setuid; skipped on Windows")
        return 0
    from tests.store.fault_matrix import (
        FAULTS,
        TARGETS,
        Result,
        applicable,
        every_case,
        run_case,
        run_unprivileged,
        unprivileged_reason,
    )

    parser = argparse.ArgumentParser(prog="python -m bench store_faults", description=__doc__)
    parser.add_argument("--verbose", action="store_true", help="print every case's notes")
    args = parser.parse_args(argv)

    started = time.monotonic()
    cpu_started = time.process_time()
    cases = every_case()
    results: dict[str, Result] = {}
    not_run: dict[str, str] = {}
    later = []
    with tempfile.TemporaryDirectory() as scratch:
        for case in cases:
            why_not = applicable(case)
            if why_not is None:
                results[case.name] = run_case(case, Path(scratch))
            elif "unprivileged" in why_not:
                later.append(case)
            else:
                not_run[case.name] = why_not
    if later:
        why_not = unprivileged_reason()
        if why_not is None:
            for result in run_unprivileged(later):
                results[result.case] = result
        else:
            not_run.update((c.name, why_not) for c in later)
    elapsed = time.monotonic() - started

    by_fault: dict[str, list[Result]] = defaultdict(list)
    by_target: dict[str, list[Result]] = defaultdict(list)
    for name, result in results.items():
        target, fault, _ = name.split(":")
        by_fault[fault].append(result)
        by_target[target].append(result)

    def row(label: str, rows: list[Result]) -> str:
        survived = sum(r.survived for r in rows)
        lost = sum(r.lost for r in rows)
        return f"| {label} | {len(rows)} | {survived} | {lost} |"

    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    print(
        f"conditions: uid {os.geteuid()}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}, {os.cpu_count()} cores, "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, scratch {tempfile.gettempdir()}"
    )
    print(
        f"{len(results)} cases run, {len(not_run)} not run, {elapsed:.1f} s "
        f"({time.process_time() - cpu_started:.1f} s CPU in this process)"
    )
    print()
    print("| fault | tried | survived | lost |")
    print("|---|---|---|---|")
    for fault in FAULTS:
        print(row(fault, by_fault[fault]))
    print(row("**all**", list(results.values())))
    print()
    print("| file | tried | survived | lost |")
    print("|---|---|---|---|")
    for target in TARGETS:
        print(row(f"{target} (`{TARGETS[target]}`)", by_target[target]))
    for name, why in sorted(not_run.items()):
        print(f"not run: {name}: {why}")
    failed = [r for r in results.values() if not r.survived]
    for result in failed:
        print(f"FAILED {result.case}: {result.notes}")
    if args.verbose:
        for result in results.values():
            print(f"{result.case}: {result.notes}")
    return 1 if failed else 0
