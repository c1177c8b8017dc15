"""Shared fixtures: a fake clock, an isolated data folder, paths to the project.

Every test runs with TEMPO_COACH_DATA_DIR and the XDG folders pointing into its own tmp_path,
so no test can read or write the real user's files.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tempo_coach.core.clock import FakeClock

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True, scope="session")
def _one_qt_application(qapp: object) -> object:
    """pytest-qt's QApplication, made before any test. Code that needs Qt but has no window
    (the audio stream for the command line) makes a bare QCoreApplication when none exists;
    made first in a test, that would leave every later widget test without a QApplication."""
    return qapp


@pytest.fixture(autouse=True)
def _isolated_user_folders(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("TEMPO_COACH_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "xdg-config"))
    return home


@pytest.fixture
def data_dir(_isolated_user_folders: Path) -> Path:
    """The data folder this test's app and CLI use (not created yet)."""
    return _isolated_user_folders / "data"


@pytest.fixture
def fake_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def cli_env(data_dir: Path) -> dict[str, str]:
    """Environment for running the CLI as a subprocess, isolated like the test itself."""
    env = dict(os.environ)
    env["TEMPO_COACH_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = str(ROOT)
    return env


@pytest.fixture
def python() -> str:
    return sys.executable


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``python -m tempo_coach ARGS`` as a user would run it, with ``env`` (see cli_env)."""
    return subprocess.run(
        [sys.executable, "-m", "tempo_coach", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
