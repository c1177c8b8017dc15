"""``tempo-coach --self-test``: the installation checks itself without touching any data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tempo_coach import app
from tempo_coach.audio import sounds

ROOT = Path(__file__).resolve().parent.parent


def test_the_self_test_passes_and_touches_no_data(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TEMPO_COACH_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "tempo_coach", "--self-test"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test passed" in result.stdout
    assert "window: built and shown" in result.stdout
    assert list(tmp_path.iterdir()) == [], "no data folder was written"


def test_the_self_test_says_what_failed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sounds, "builtin_sound_folder", lambda: None)
    assert app.self_test() == 1
    out = capsys.readouterr().out
    assert "FAILED the sound files are not installed" in out
    assert out.rstrip().endswith("self-test failed")
