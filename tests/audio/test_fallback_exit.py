"""A fall-back after the sound server died mid-set must not crash the process at exit (issue 12).

``tempo-coach play --backend simpleaudio`` with PulseAudio killed mid-set fell back to the
stream and then to silent, saved the session, and then died with a segmentation fault (exit
139, 6 times out of 6). The cause: the switch after a failure runs on a helper thread, and
the stream engine it switched to made Qt's application object there (the command line has
none of its own); Qt must make it on the main thread, and PySide's clean-up at exit
destroyed it from the main thread and crashed (gdb: a call through a null pointer in
``QCoreApplication::~QCoreApplication`` from ``PySide::destroyQCoreApplication``).
``FallbackOutput`` now makes it on the main thread when the output is made, and a helper
thread never makes it.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tempo_coach.audio.simple import simpleaudio_problem
from tempo_coach.store import Store
from tests.audio.conftest import start_daemon
from tests.packaging.test_traps import ASOUNDRC

pytestmark = [pytest.mark.slow]

NO_SIMPLEAUDIO = pytest.mark.skipif(
    simpleaudio_problem() is not None, reason=str(simpleaudio_problem())
)
PULSE_KEYS = ("XDG_RUNTIME_DIR", "PULSE_RUNTIME_PATH", "PULSE_SERVER", "PULSE_STATE_PATH",
              "ALSA_CONFIG_PATH")  # fmt: skip

# ALSA with no sound card and no sound server: a `file` PCM over the system's `null` device
# (ASOUNDRC, from tests/packaging/test_traps.py). The null device has no clock, so
# simpleaudio's buffer is played long before its time: the engine takes that for a device
# that stopped, and the output falls back on its helper thread, to the stream (which finds
# no sound server) and then to silent, exactly as when PulseAudio is killed mid-set.

PLAY = ["play", "-e", "squat", "-t", "1-0-1-0", "-r", "3", "-s", "2", "--rest", "2",
        "--count-in", "0", "--backend", "simpleaudio", "--speed", "4"]  # fmt: skip


def _saved_sets(data: Path) -> list[int]:
    with Store.open(data) as store:
        assert store.pending_checkpoint() is None
        return [s.reps_done for session in store.history() for s in session.sets]


@NO_SIMPLEAUDIO
def test_play_falling_back_from_simpleaudio_on_its_thread_exits_cleanly(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / ".asoundrc").write_text(ASOUNDRC.format(out=tmp_path / "played.raw"))
    env = {k: v for k, v in cli_env.items() if k not in PULSE_KEYS and k != "QT_QPA_PLATFORM"}
    env.update(HOME=str(home), PULSE_SERVER=f"unix:{tmp_path / 'no-server'}")
    data = tmp_path / "data"
    done = subprocess.run(
        [sys.executable, "-m", "tempo_coach", "--data-dir", str(data), *PLAY],
        env=env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "simpleaudio output stopped working" in done.stderr, done.stdout + done.stderr
    assert "now using: stream" in done.stderr  # the switch that made Qt's application
    assert "no audio output: cues are visual only" in done.stderr
    assert "saved to the training log" in done.stdout
    assert done.returncode == 0, done.stderr[-2000:]  # was 139 (SIGSEGV) at exit, 3 of 3
    assert _saved_sets(data) == [3, 3]


@pytest.mark.realaudio
@NO_SIMPLEAUDIO
def test_play_with_the_server_killed_mid_set_saves_and_exits_cleanly(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    daemon = start_daemon(tmp_path / "pulse")
    env = {**cli_env, **{key: daemon.env[key] for key in PULSE_KEYS}}
    data = tmp_path / "data"
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tempo_coach", "--data-dir", str(data), *PLAY],
            env=env,
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        deadline = time.monotonic() + 30
        heard = ""
        while "output: sound: simpleaudio" not in heard and time.monotonic() < deadline:
            heard += proc.stdout.readline()  # the set has begun, through simpleaudio
        time.sleep(0.6)  # inside the first set (1.5 s of wall time)
    finally:
        daemon.stop()  # the sound server goes away mid-set
    stdout, stderr = proc.communicate(timeout=60)
    stdout = heard + stdout
    assert "output: sound: simpleaudio" in stdout, stdout + stderr
    # "stopped working" when the buffer dies; "could not start" when the kill meets a new
    # buffer (the rest after a set): either way the fall-back runs on the helper thread
    assert "sound: simpleaudio output" in stderr, stdout + stderr
    assert "no audio output: cues are visual only" in stderr
    assert proc.returncode == 0, stderr[-2000:]  # was -11 (SIGSEGV) after the save
    assert "saved to the training log" in stdout
    assert _saved_sets(data) == [3, 3]
