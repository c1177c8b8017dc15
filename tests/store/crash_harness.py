"""Kill a saving process with SIGKILL at random moments, then check that nothing was lost.

``python -m tests.store.crash_harness DIR`` is a small forking server: for each ``go N`` on
stdin it forks a worker that opens the store in DIR and saves sessions N, N+1, ... in a loop,
writing ``ack ID`` on stdout after each save returns (the save is durable at that point) and
checkpointing every third one. The forker reports ``pid P`` and, once the worker is dead,
``dead``. Forking from a process that has already imported everything makes a round take
milliseconds instead of an interpreter start, so 100 kills fit in a few seconds.

``run_crash_rounds`` drives it; tests/store/test_crash.py runs 100 kills and
``python -m bench store_crash`` runs 1000.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from tempo_coach.core.records import SessionRecord
from tempo_coach.store import Store
from tempo_coach.store.atomic import is_temporary
from tests.store.conftest import make_session

ROOT = Path(__file__).resolve().parents[2]
ROUND_SPAN = 100_000  # session numbers per round, so every id is unique


def session_for(number: int) -> SessionRecord:
    """Session ``number``, spread over six months so that several files are written."""
    month = 1 + number % 6
    return make_session(f"s{number:09d}", f"2026-{month:02d}-{1 + number % 28:02d}T10:00:00+01:00")


def _worker(folder: Path, first: int) -> None:
    store = Store.open(folder)
    if store.read_only:
        os.write(1, f"readonly {store.read_only_reason}\n".encode())
        os._exit(3)
    number = first
    while True:
        record = session_for(number)
        store.save_session(record)
        os.write(1, f"ack {record.session_id}\n".encode())
        if number % 3 == 0:
            store.checkpoint(replace(record, finished=False))
        number += 1


def serve(folder: Path) -> None:
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        if command == "quit":
            return
        pid = os.fork()
        if pid == 0:
            try:
                _worker(folder, int(argument))
            finally:
                os._exit(1)
        os.write(1, f"pid {pid}\n".encode())
        os.waitpid(pid, 0)
        os.write(1, b"dead\n")


@dataclass
class CrashReport:
    kills: int = 0
    acknowledged: set[str] = field(default_factory=set)
    rounds_with_temporary: int = 0  # kills that landed inside a write
    seconds: float = 0.0


def run_crash_rounds(
    folder: Path, kills: int, *, seed: int = 1, max_delay_s: float = 0.03
) -> CrashReport:
    """Run ``kills`` rounds (start a worker, wait a random moment, SIGKILL it)."""
    rng = random.Random(seed)
    report = CrashReport()
    started = time.monotonic()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.store.crash_harness", str(folder)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env=env,
        text=True,
        bufsize=1,
    )
    assert server.stdin is not None and server.stdout is not None
    try:
        for round_number in range(kills):
            server.stdin.write(f"go {round_number * ROUND_SPAN}\n")
            server.stdin.flush()
            # The worker shares stdout with the forker, so its first acks may come first.
            line = server.stdout.readline()
            while line.startswith("ack "):
                report.acknowledged.add(line.split()[1])
                line = server.stdout.readline()
            if not line.startswith("pid "):
                raise RuntimeError(f"crash harness said {line!r}")
            pid = int(line.split()[1])
            # A random moment: the worker is opening the store or somewhere in a save.
            time.sleep(rng.uniform(0, max_delay_s))
            os.kill(pid, signal.SIGKILL)
            report.kills += 1
            for line in server.stdout:
                if line == "dead\n":
                    break
                if line.startswith("ack "):
                    report.acknowledged.add(line.split()[1])
                elif line.startswith("readonly"):
                    raise RuntimeError(f"a worker could not take the lock: {line}")
            if any(is_temporary(p.name) for p in folder.rglob(".*")):
                report.rounds_with_temporary += 1
        server.stdin.write("quit\n")
        server.stdin.flush()
        server.wait(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        server.stdin.close()
        server.stdout.close()
    report.seconds = time.monotonic() - started
    return report


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
