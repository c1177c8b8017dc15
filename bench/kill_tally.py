"""What the kill benchmarks (``cli_play_kills``, ``window_kills``) count of every kill: where
the session was found, when the kill came, which acknowledged sets and saves survived."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class KillTally:
    """Add each kill's result (``tests/cli/play_kills.KillResult`` or the window's); print
    the totals. ``started`` on a result (the window's) tells a kill before Start apart."""

    where: Counter[str] = field(default_factory=Counter)
    moments: Counter[str] = field(default_factory=Counter)
    acknowledged: int = 0
    lost: int = 0
    saved_said: int = 0
    saved_missing: int = 0
    unreadable: int = 0

    def add(self, kill: Any) -> None:
        self.where[kill.where] += 1
        self.acknowledged += len(kill.acknowledged)
        self.lost += len(kill.lost)
        self.saved_said += kill.saved_said
        self.saved_missing += kill.saved_but_missing
        self.unreadable += bool(kill.problems)
        if kill.returncode != -9:
            moment = f"ended by itself (exit {kill.returncode})"
        elif kill.saved_said:
            moment = "killed after the save was said"
        elif kill.acknowledged:
            moment = "killed after a set was said done, before the save"
        elif getattr(kill, "started", True):
            moment = "killed after the start, before any set was said done"
        else:
            moment = "killed before the start"
        self.moments[moment] += 1

    def print(self) -> None:
        for moment, count in sorted(self.moments.items()):
            print(f"  {moment}: {count}")
        print(f"sets acknowledged (said done):   {self.acknowledged}")
        print(f"acknowledged sets lost:          {self.lost}")
        print(
            f"sessions said saved:             {self.saved_said} "
            f"(not in the history: {self.saved_missing})"
        )
        print(f"folders with a problem on open:  {self.unreadable}")
        print(
            "session found in:                "
            + ", ".join(f"{name} {count}" for name, count in sorted(self.where.items()))
        )
