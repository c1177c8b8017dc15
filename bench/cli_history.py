"""``tempo-coach history`` on ten years, as whole processes (issue 15 item 5).

``python -m bench cli_history [--years N] [--runs N] [--keep DIR]`` builds the ten-year store
of ``bench/store_history.py`` (the same generator: the real core ``Session`` on a fake
clock, 6,261 sessions, 25,044 sets), lets a store write its index, then times whole
processes, one after the other and interleaved, ``--runs`` times each:

- ``python -m tempo_coach --version`` (the interpreter and the entry point: the floor),
- ``python -m tempo_coach history`` (the table, from the summaries of ``history/index.json``),
- ``python -m tempo_coach history --format csv`` (every set, so every month decoded; no
  target, for comparison).

Each process's stdout goes to a pipe that is read to the end (as a terminal or ``less``
would), and its wall time is measured from the start of ``subprocess.run`` to its exit.
It prints the medians, the spread, and three ratios of the table to ``--version``: of the
medians, of the fastest runs, and the median of each round's own ratio. The target: the
table within 2x of ``--version``, by all three.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import with_bytecode
from bench.store_history import kept_store_folder, kept_store_options
from tempo_coach.store import Store

TARGET_RATIO = 2.0

COMMANDS = {
    "--version": ["--version"],
    "history (table)": ["history"],
    "history --format csv": ["history", "--format", "csv"],
}


def _time(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "tempo_coach", *args],
        capture_output=True,
        env=env,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0 or done.stderr:
        raise SystemExit(f"{args}: exit {done.returncode}: {done.stderr.decode()[:500]}")
    return elapsed


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench cli_history", description=__doc__)
    kept_store_options(parser)
    parser.add_argument("--runs", type=int, default=15, help="processes of each command")
    args = parser.parse_args(argv)

    with kept_store_folder(args) as folder:
        with Store.open(folder) as store:
            count = len(store.summaries())
        print(f"store: {folder} ({count} sessions)")
        env = with_bytecode(dict(os.environ, TEMPO_COACH_DATA_DIR=str(folder)))
        root = str(Path(__file__).resolve().parents[1])
        env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
        for command in COMMANDS.values():  # warm the file cache and the .pyc files
            _time(command, env)
        times: dict[str, list[float]] = {name: [] for name in COMMANDS}
        for _ in range(args.runs):
            for name, command in COMMANDS.items():
                times[name].append(_time(command, env))
    for name, values in times.items():
        ordered = sorted(values)
        print(
            f"{name:22s} median {statistics.median(values) * 1000:6.0f} ms "
            f"(min {ordered[0] * 1000:.0f}, max {ordered[-1] * 1000:.0f}; {len(values)} runs)"
        )
    table, floor = times["history (table)"], times["--version"]
    # This machine's neighbours make single runs noisy: the ratio of the medians, of the
    # fastest runs, and the median of each round's own ratio (the two ran back to back).
    ratios = {
        "of the medians": statistics.median(table) / statistics.median(floor),
        "of the fastest runs": min(table) / min(floor),
        "each round's, median": statistics.median(t / f for t, f in zip(table, floor, strict=True)),
    }
    met = all(ratio <= TARGET_RATIO for ratio in ratios.values())
    shown = "; ".join(f"{name} {ratio:.2f}x" for name, ratio in ratios.items())
    verdict = "meets" if met else "MISSES"
    print(f"history (table) / --version: {shown}: {verdict} the target of {TARGET_RATIO:g}x")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    python = sys.version.split()[0]
    print(f"conditions: {os.cpu_count()} cores, load average {load:.2f}; Python {python}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
