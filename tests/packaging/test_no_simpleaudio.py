"""Without simpleaudio (what ``pipx install .`` gives on a machine without a C compiler) the app
starts, plays the committed sounds and says why simpleaudio is not used.

The venv is conftest.py's ``wheel_venv``: the built wheel, PySide6, numpy and platformdirs,
and no simpleaudio.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.packaging.conftest import check_app


def _tempo_coach(venv_python: Path) -> Path:
    return venv_python.parent / "tempo-coach"


def test_simpleaudio_is_absent_there(wheel_venv: Path) -> None:
    result = subprocess.run(
        [wheel_venv, "-I", "-c", "import simpleaudio"], capture_output=True, text=True
    )
    assert result.returncode == 1 and "ModuleNotFoundError" in result.stderr


def test_the_outputs_list_says_why_simpleaudio_is_not_used(
    wheel_venv: Path, tmp_path: Path
) -> None:
    result = subprocess.run(
        [_tempo_coach(wheel_venv), "--data-dir", str(tmp_path), "play", "--backend", "list"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    (line,) = [line for line in result.stdout.splitlines() if "simpleaudio" in line]
    assert "not installed" in line, result.stdout


def test_a_session_asked_of_simpleaudio_goes_on_without_it(
    wheel_venv: Path, tmp_path: Path
) -> None:
    command = [_tempo_coach(wheel_venv), "--data-dir", str(tmp_path), "play"]
    session = ["--exercise", "squat", "--reps", "1", "--sets", "1", "--count-in", "0"]
    result = subprocess.run(
        [*command, "--backend", "simpleaudio", *session, "--speed", "20", "--no-save"],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "simpleaudio" in result.stdout + result.stderr  # it says which output it lost


@pytest.mark.slow
def test_the_app_starts_and_plays_the_committed_sounds_without_simpleaudio(
    wheel_venv: Path,
) -> None:
    result = check_app(_tempo_coach(wheel_venv))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("ok ") == 4, result.stdout  # version, self-test, sounds, window
