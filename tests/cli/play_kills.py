"""Real SIGKILLs of ``tempo-coach play``, and what each one left (issue 12).

A set is *acknowledged* when ``play`` has printed "set N done" (or "saved to the training
log" for the whole session): that is when the lifter may count on it. ``kill_play`` starts
a real ``play`` in a fresh data folder, kills it with SIGKILL after a delay, reads everything
it printed before it died, and opens the folder to find each acknowledged set again, in the
history or in the checkpoint (the session kept for later). ``tests/cli/test_play.py`` runs a
few; ``python -m bench cli_play_kills`` runs hundreds.
"""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tempo_coach.core.records import SessionRecord
from tempo_coach.store import Store

#: 6 sets of 2 reps of 1-0-1-0, rests of 1 s: 29 s of session, under a second at speed 40.
PLAY = ["play", "-e", "squat", "-t", "1-0-1-0", "-r", "2", "-s", "6", "--rest", "1",
        "--count-in", "0", "--backend", "silent", "--speed", "40"]  # fmt: skip
_DONE = re.compile(r"^  set (\d+) done: (\d+) reps", re.MULTILINE)


@dataclass
class Kill:
    """What one kill left: the sets acknowledged (number -> reps), and what was found."""

    delay_s: float
    printed: str
    acknowledged: dict[int, int] = field(default_factory=dict)
    saved_said: bool = False
    returncode: int | None = None  # -9: killed
    errors: str = ""  # what it printed on stderr
    found: SessionRecord | None = None
    where: str = "nowhere"  # "history", "checkpoint" or "nowhere"
    problems: tuple[str, ...] = ()

    @property
    def lost(self) -> list[int]:
        """The acknowledged sets not found with their reps (empty: nothing lost)."""
        if self.found is None:
            return sorted(self.acknowledged)
        found = {s.set_number: s.reps_done for s in self.found.sets}
        return [n for n, reps in sorted(self.acknowledged.items()) if found.get(n, 0) < reps]

    @property
    def saved_but_missing(self) -> bool:
        return self.saved_said and self.where != "history"


def kill_play(python: str, env: dict[str, str], data_dir: Path, delay_s: float) -> Kill:
    """Start ``play`` on ``data_dir`` (a folder of its own), SIGKILL it after ``delay_s``,
    and look for every set it acknowledged."""
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(
            [python, "-m", "tempo_coach", "--data-dir", str(data_dir), *PLAY],
            env={**env, "PYTHONUNBUFFERED": "1"},
            cwd=data_dir.parent,  # not the project: ``python -m`` looks there first
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=errors,
        )
        printed = _read_until(proc, time.monotonic() + delay_s)
        errors.seek(0)
        said = errors.read().decode(errors="replace")
    text = printed.decode(errors="replace")
    kill = Kill(delay_s, text, returncode=proc.returncode, errors=said)
    kill.acknowledged = {int(n): int(reps) for n, reps in _DONE.findall(text)}
    kill.saved_said = "saved to the training log" in text
    if data_dir.exists():
        _look(kill, data_dir)
    return kill


def _read_until(proc: subprocess.Popen[bytes], deadline: float) -> bytes:
    """What ``proc`` prints until ``deadline``, when it is killed, and what it had printed
    before it died (the lifter saw that too)."""
    assert proc.stdout is not None
    printed = b""
    try:
        fd = proc.stdout.fileno()
        while (left := deadline - time.monotonic()) > 0:
            if select.select([fd], [], [], left)[0]:
                data = os.read(fd, 65536)
                if not data:
                    break
                printed += data
        proc.send_signal(signal.SIGKILL)
        printed += proc.stdout.read()
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
    return printed


def _look(kill: Kill, data_dir: Path) -> None:
    with Store.open(data_dir) as store:
        kill.problems = tuple(store.problems)
        saved = store.history()
        pending = store.pending_checkpoint()
    if saved:
        kill.found, kill.where = saved[-1], "history"
    elif pending is not None:
        kill.found, kill.where = pending, "checkpoint"


def python_env(root: Path) -> dict[str, str]:
    """The environment for a real ``play`` run from the project at ``root``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(root)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env
