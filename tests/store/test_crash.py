"""Real crashes: a process saving sessions is killed with SIGKILL 100 times at random
moments; afterwards every file loads and every acknowledged session is there.
(``python -m bench store_crash`` does the same with 1000 kills.)"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tempo_coach.store import Store
from tempo_coach.store.atomic import is_temporary
from tests.store.crash_harness import run_crash_rounds


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="needs fork and SIGKILL")
def test_no_acknowledged_session_is_lost_after_100_kills(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    report = run_crash_rounds(folder, 100, seed=20261121, max_delay_s=0.04)
    assert report.kills == 100
    # The workers were really saving (about 3 saves a round here; slack for a busy machine)
    assert len(report.acknowledged) >= 25
    assert report.rounds_with_temporary >= 1  # and some kills landed inside a write

    with Store.open(folder) as store:
        assert store.problems == []
        assert not store.read_only
        saved = {s.session_id for s in store.history()}
        assert report.acknowledged <= saved
        checkpoint = store.pending_checkpoint()
        assert checkpoint is None or checkpoint.session_id in saved | {checkpoint.session_id}
    assert not [p for p in folder.rglob(".*") if is_temporary(p.name)]
