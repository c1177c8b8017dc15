"""Real SIGKILLs of the real window during a set (issue 12): every set the window said was
done is found afterwards, in the history or in the session kept for later, and the next start
offers that session and saves it; every "Saved" is in the history.

A fixed sample (tests/ui/window_kills.py says what is acknowledged and how the window is
driven); ``python -m bench window_kills`` kills it hundreds of times.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.ui.window_kills import SESSION_S, Kill, kill_window, reopen, run_window

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL"),
]

#: seconds after Start: before the first set is done, inside the session (sets said done,
#: the rest kept), and after the save (the window closed by itself)
DELAYS = (0.0, SESSION_S * 0.35, SESSION_S * 0.75, SESSION_S + 3.0)


def _describe(kill: Kill) -> str:
    return (
        f"killed {kill.delay_s:.2f} s after Start (exit {kill.returncode}): said done "
        f"{kill.acknowledged}, Saved said {kill.saved_said}; history {kill.history_sets}, "
        f"checkpoint {kill.checkpoint_sets}; problems {kill.problems}\n{kill.printed}"
        f"\n{kill.errors[-1500:]}"
    )


def test_every_acknowledged_set_survives_a_kill(tmp_path: Path) -> None:
    kills = [kill_window(tmp_path / f"run-{n}", delay) for n, delay in enumerate(DELAYS)]
    kept = 0
    for number, kill in enumerate(kills):
        assert kill.started, _describe(kill)
        assert kill.lost == [], _describe(kill)
        assert not kill.saved_but_missing, _describe(kill)
        assert kill.problems == (), _describe(kill)
        assert kill.returncode in (-9, 0), _describe(kill)
        if kill.where != "checkpoint":
            continue
        kept += 1
        again = reopen(tmp_path / f"run-{number}")
        sets = len(kill.checkpoint_sets), sum(kill.checkpoint_sets.values())
        assert again.returncode == 0, again.errors[-1500:]
        assert again.offered == sets, again.printed  # "... after 2 sets and 4 reps."
        for set_number, reps in kill.acknowledged.items():
            assert again.history_sets.get(set_number, 0) >= reps, again.printed
        assert not again.checkpoint_left
    # the sample reached each moment: a session kept for later, and one saved
    assert kept >= 1, [_describe(k) for k in kills]
    assert kills[-1].saved_said and kills[-1].returncode == 0, _describe(kills[-1])
    assert kills[-1].where == "history"


def test_the_kills_see_a_window_that_keeps_nothing(tmp_path: Path) -> None:
    """The check can fail: a window whose checkpoints are lost (Store.checkpoint does
    nothing) loses the sets it said were done, and ``Kill.lost`` says which."""
    kill = kill_window(tmp_path / "data", SESSION_S * 0.75, extra=("--break-checkpoint",))
    assert kill.acknowledged, _describe(kill)
    assert kill.where == "nowhere"
    assert kill.lost == sorted(kill.acknowledged)


def test_a_window_started_again_without_a_kept_session_offers_nothing(tmp_path: Path) -> None:
    done = run_window(tmp_path / "data", "--mode", "reopen")
    assert done.returncode == 0, done.stderr[-1500:]
    assert "offer: none" in done.stdout
