"""Peak memory and time of ``tempo-coach render`` by the length of the track.

``render`` writes the track block by block, so its peak memory should not grow with the
length (an hour of 44.1 kHz 16-bit mono is 318 MB; held whole with its float mix, 1.3 GB).
Each render runs in a fresh process, under a small parent that reads its peak resident
size (``getrusage(RUSAGE_CHILDREN).ru_maxrss``, so no other process is counted); prints the
median and the range of ``--runs`` runs for each length, written to a file on disk and to
``/dev/null``, with the conditions. ``--root DIR`` runs another checkout's code.
``python -m bench cli_render_memory [--runs N] [--root DIR]``
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

#: (label, plan): a minute, ten minutes and just under the hour ``render`` allows.
LENGTHS = [
    ("1 min", ["-e", "squat", "-t", "10-0-5-0", "-r", "4", "-s", "1"]),
    ("10 min", ["-e", "squat", "-t", "10-0-5-0", "-r", "20", "-s", "2", "--rest", "60"]),
    ("59 min", ["-e", "squat", "-t", "10-0-5-0", "-r", "20", "-s", "10", "--rest", "60"]),
]

_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "started = time.monotonic()\n"
    "done = subprocess.run([sys.executable, '-m', 'tempo_coach', 'render', *sys.argv[1:]],\n"
    "                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)\n"
    "elapsed = time.monotonic() - started\n"
    "assert done.returncode == 0, done.stderr\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, elapsed, done.stdout)\n"
)


def measure(root: Path, args: list[str], scratch: Path) -> tuple[int, float, str]:
    """(peak resident KB, seconds, what render printed) of one render of ``root``'s code
    (run in ``scratch``: ``python -m`` looks in the working folder first)."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, *args],
        env=env, cwd=scratch, capture_output=True, text=True, check=True, timeout=600,
    )  # fmt: skip
    peak, seconds, said = result.stdout.split(maxsplit=2)
    return int(peak), float(seconds), said.strip()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench cli_render_memory", description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--root", type=Path, default=Path(__file__).resolve().parent.parent,
        help="the project whose code runs",
    )  # fmt: skip
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for label, plan in LENGTHS:
            for target in ("file", "/dev/null"):
                out = str(Path(scratch) / "track.wav") if target == "file" else "/dev/null"
                runs = [
                    measure(args.root, [*plan, "--out", out], Path(scratch))
                    for _ in range(args.runs)
                ]
                peaks = [peak for peak, _, _ in runs]
                times = [seconds for _, seconds, _ in runs]
                size = Path(out).stat().st_size if target == "file" else 0
                rows.append((label, target, peaks, times, size, runs[-1][2]))
    load_after = os.getloadavg()
    print(
        f"conditions: Python {platform.python_version()}, {platform.system()} "
        f"{platform.release()}, {os.cpu_count()} cores, load average {load_before[0]:.2f} "
        f"before, {load_after[0]:.2f} after; code: {args.root}; {args.runs} runs each; "
        f"scratch {tempfile.gettempdir()}"
    )
    print()
    print("| track | written to | peak RSS, median (min-max) | time, median | file |")
    print("|---|---|---|---|---|")
    for label, target, peaks, times, size, _ in rows:
        print(
            f"| {label} | {target} | {statistics.median(peaks) / 1024:.1f} MB "
            f"({min(peaks) / 1024:.1f}-{max(peaks) / 1024:.1f}) | "
            f"{statistics.median(times):.2f} s | {f'{size / 1e6:.0f} MB' if size else '-'} |"
        )
    print()
    for label, target, *_, said in rows:
        if target == "file":
            print(f"{label}: {said}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
