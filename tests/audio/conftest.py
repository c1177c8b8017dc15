"""Fixtures for the real-playback tests: a private PulseAudio daemon with a null sink.

The daemon, its socket and an ALSA configuration routing ALSA's default to it live in a fresh
folder under the test's tmp dir; it is stopped by its pid afterwards. When the stack cannot
start here, the tests that need it are skipped with the reason.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from tempo_coach.audio.onsets import detect_onsets
from tests.audio.pulse_harness import HarnessUnavailable, MonitorRecorder, NullSinkDaemon

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class PlayRun:
    returncode: int
    stdout: str
    stderr: str
    samples: np.ndarray
    onsets: list[int]


def start_daemon(folder: Path) -> NullSinkDaemon:
    daemon = NullSinkDaemon(folder)
    try:
        daemon.start()
    except HarnessUnavailable as error:
        pytest.skip(f"no PulseAudio null sink here: {error}")
    return daemon


@pytest.fixture(scope="module")
def pulse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NullSinkDaemon]:
    daemon = start_daemon(tmp_path_factory.mktemp("pulse"))
    yield daemon
    daemon.stop()


def play_and_record(
    daemon: NullSinkDaemon,
    args: list[str],
    cli_env: dict[str, str],
    stdin_script: list[tuple[float, str]] | None = None,
    timeout: float = 60,
) -> PlayRun:
    """Run ``tempo-coach play ARGS`` against the daemon while recording its sink."""
    import time

    env = dict(cli_env)
    for key in ("XDG_RUNTIME_DIR", "PULSE_RUNTIME_PATH", "PULSE_SERVER", "PULSE_STATE_PATH",
                "ALSA_CONFIG_PATH"):  # fmt: skip
        env[key] = daemon.env[key]
    recorder = MonitorRecorder(daemon)
    recorder.start()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tempo_coach", "play", *args],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdin is not None
    try:
        started = time.monotonic()
        for at, keys in stdin_script or []:
            time.sleep(max(0.0, started + at - time.monotonic()))
            proc.stdin.write(keys)
            proc.stdin.flush()
        stdout, stderr = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        raw = recorder.stop()
    samples = np.frombuffer(raw, dtype="<i2").copy()
    return PlayRun(proc.returncode, stdout, stderr, samples, detect_onsets(samples, 44100).tolist())
