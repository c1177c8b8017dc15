"""``tempo-coach play``: tempo_coach/cli/play.py without a terminal, on the silent output.

(The same command through real sound back-ends is tested in tests/audio/test_playback.py.)
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from tempo_coach.store import Store

FAST = ["--backend", "silent", "--speed", "40", "--count-in", "1"]


def _play(
    python: str, env: dict[str, str], *args: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [python, "-m", "tempo_coach", "play", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_plays_a_session_shows_it_and_saves_it(
    python: str, cli_env: dict[str, str], data_dir: Path
) -> None:
    result = _play(python, cli_env, "-e", "squat", "-t", "2-1-1-0", "-r", "2", "-s", "2",
                   "--rest", "4", "--load", "40", *FAST)  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "output: no audio output: cues are visual only" in out
    assert "set 1 rep 1    descend (2 s)" in out
    assert "set 2 done: 2 reps" in out
    assert "finished: 2 set(s), 4 reps, output silent" in out
    assert "saved to the training log" in out
    store = Store.open(data_dir)
    try:
        history = store.history()
    finally:
        store.close()
    assert len(history) == 1
    record = history[0]
    assert record.exercise_id == "barbell-squat" and record.finished
    assert [s.reps_done for s in record.sets] == [2, 2]
    assert record.sets[0].load == 40


def test_scripted_change_is_applied_and_recorded(
    python: str, cli_env: dict[str, str], data_dir: Path
) -> None:
    result = _play(python, cli_env, "-e", "squat", "-t", "2-0-1-0", "-r", "4", "-s", "1",
                   "--change", "2:+2", *FAST)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "lowering now 4 s" in result.stdout
    store = Store.open(data_dir)
    try:
        (record,) = store.history()
    finally:
        store.close()
    (set_record,) = record.sets
    assert set_record.tempo_used == "4-0-1-0"
    assert len(set_record.live_changes) == 1


def test_q_on_stdin_stops_and_keeps_the_done_reps(python: str, cli_env: dict[str, str]) -> None:
    proc = subprocess.Popen(
        [python, "-m", "tempo_coach", "play", "-e", "squat", "-t", "2-0-1-0", "-r", "10",
         "-s", "1", "--backend", "silent", "--speed", "10", "--count-in", "0", "--no-save"],
        env=cli_env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    time.sleep(2.5)  # about 25 s of session time: some reps are done
    stdout, stderr = proc.communicate("q", timeout=30)
    assert proc.returncode == 0, stderr
    assert "stopped" in stdout
    assert "stopped: 1 set(s)" in stdout


def test_backend_list_says_what_works_here(python: str, cli_env: dict[str, str]) -> None:
    result = _play(python, cli_env, "--backend", "list")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["stream", "simpleaudio", "silent"]
    assert "silent       available" in result.stdout


def test_bad_arguments_get_a_clear_message(python: str, cli_env: dict[str, str]) -> None:
    result = _play(python, cli_env, "-e", "squat", "--backend", "loud")
    assert result.returncode == 2
    assert "--backend 'loud': choose one of stream, simpleaudio, silent" in result.stderr
    result = _play(python, cli_env, "-e", "squat", "--speed", "0")
    assert result.returncode == 2 and "--speed" in result.stderr
    result = _play(python, cli_env, "--backend", "silent")
    assert result.returncode == 2 and "--exercise" in result.stderr


def test_single_keys_from_a_terminal(python: str, cli_env: dict[str, str]) -> None:
    import os
    import pty

    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen(
            [python, "-m", "tempo_coach", "play", "-e", "squat", "-t", "3-0-1-0", "-r", "10",
             "-s", "1", "--backend", "silent", "--speed", "5", "--count-in", "0", "--no-save"],
            env=cli_env, stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        time.sleep(1.5)
        os.write(master, b"\x1b[A")  # Up: one second longer, no Enter needed
        time.sleep(1.0)
        os.write(master, b"q")
        stdout, stderr = proc.communicate(timeout=30)
    finally:
        os.close(master)
        os.close(slave)
    assert proc.returncode == 0, stderr
    assert "lowering now 4 s" in stdout
    assert "stopped: 1 set(s)" in stdout
