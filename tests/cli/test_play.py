"""``tempo-coach play``: tempo_coach/cli/play.py without a terminal, on the silent output.

(The same command through real sound back-ends is tested in tests/audio/test_playback.py.)
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tempo_coach.cli import build_parser, main
from tempo_coach.cli.options import plan_from_args
from tempo_coach.core.clock import FakeClock
from tempo_coach.core.exercise import Side, SideMode
from tempo_coach.core.preferences import Preferences
from tempo_coach.core.records import LoadUnit, PlannedSession, SessionRecord
from tempo_coach.core.session import Session
from tempo_coach.store import Store, StoreError
from tests.cli.conftest import ring_dip, save_in, wait_for
from tests.cli.play_kills import PLAY as PLAY_KILLS
from tests.cli.play_kills import kill_play
from tests.store.conftest import make_session

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
    history = _history(data_dir)
    assert len(history) == 1
    record = history[0]
    assert record.exercise_id == "barbell-squat" and record.finished
    assert [s.reps_done for s in record.sets] == [2, 2]
    assert record.sets[0].load == 40


def _history(data_dir: Path) -> list[SessionRecord]:
    with Store.open(data_dir) as store:
        return store.history()


def _without_wall_times(record: SessionRecord) -> SessionRecord:
    return replace(
        record, started_at="", sets=tuple(replace(s, started_at="") for s in record.sets)
    )


STEP_DOWN = ["-e", "box step-down", "-t", "2-0-1-0", "-r", "2", "-s", "2", "--rest", "4"]


def test_the_saved_record_is_the_one_the_session_builds(
    python: str, cli_env: dict[str, str], data_dir: Path
) -> None:
    """Saved and read back, the record equals Session.record() of the same plan run on a
    fake clock: every set, rep and phase, the load, and the plan (wall times aside)."""
    result = _play(python, cli_env, *STEP_DOWN, "--load", "1000", *FAST)
    assert result.returncode == 0, result.stderr
    (saved,) = _history(data_dir)
    assert saved.planned == PlannedSession(
        tempo="2-0-1-0",
        reps=2,
        sets=2,
        rest_ms=4000,
        count_in_ms=1000,
        side_mode=SideMode.PER_SET,
    )
    assert saved.started_at and all(s.started_at for s in saved.sets)
    assert [s.side for s in saved.sets] == [Side.LEFT, Side.RIGHT]

    plan = plan_from_args(build_parser().parse_args(["play", *STEP_DOWN, *FAST]))
    clock = FakeClock()
    session = Session(plan, clock, load=1000, session_id=saved.session_id)
    session.start()
    clock.advance(session.total_ms / 1000)
    session.poll()
    assert _without_wall_times(saved) == _without_wall_times(session.record())


def test_play_saves_exactly_what_session_record_returns(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """In process: the object handed to the store is the last one Session.record() built."""
    built: list[SessionRecord] = []
    saved: list[SessionRecord] = []
    original_record, original_save = Session.record, Store.save_session

    def record(self: Session) -> SessionRecord:
        built.append(original_record(self))
        return built[-1]

    def save_session(self: Store, record: SessionRecord) -> None:
        saved.append(record)
        original_save(self, record)

    monkeypatch.setattr(Session, "record", record)
    monkeypatch.setattr(Store, "save_session", save_session)
    monkeypatch.setattr(sys, "stdin", None)  # no keys to read
    monkeypatch.setenv("QT_LOGGING_RULES", "qt.multimedia.*=false")
    args = ["--data-dir", str(tmp_path), "play", "-e", "squat", "-t", "2-0-1-0", "-r", "1"]
    assert main([*args, "-s", "1", "--quiet", *FAST]) == 0
    assert "saved to the training log" in capsys.readouterr().out
    assert len(saved) == 1 and saved[0] is built[-1]
    assert saved[0].finished and saved[0].planned is not None


def test_preferences_are_read_and_options_override_them(
    python: str, cli_env: dict[str, str], data_dir: Path
) -> None:
    with Store.open(data_dir) as store:
        store.save_preferences(
            Preferences.defaults().with_values(units="lb", audio_backend="simpleaudio")
        )
    result = _play(python, cli_env, "-e", "squat", "-t", "2-0-1-0", "-r", "1", "-s", "1",
                   "--load", "135", "--volume", "0.5", *FAST)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "load 135 lb" in result.stdout
    assert "output silent" in result.stdout  # --backend silent won over the preference
    (saved,) = _history(data_dir)
    assert (saved.sets[0].load, saved.sets[0].load_unit) == (135, LoadUnit.LB)


def test_scripted_change_is_applied_and_recorded(
    python: str, cli_env: dict[str, str], data_dir: Path
) -> None:
    result = _play(python, cli_env, "-e", "squat", "-t", "2-0-1-0", "-r", "4", "-s", "1",
                   "--change", "2:+2", *FAST)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "lowering now 4 s" in result.stdout
    (record,) = _history(data_dir)
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


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--load", "-1"], "--load must be 0 to 1000, got -1"),
        (["--load", "nan"], "--load must be 0 to 1000, got nan"),
        (["--load", "inf"], "--load must be 0 to 1000, got inf"),
        (["--load", "1e308"], "--load must be 0 to 1000, got 1e+308"),
        (["--load", "1000.5"], "--load must be 0 to 1000, got 1000.5"),
        (["--volume", "2"], "--volume must be 0 to 1, got 2"),
        (["--volume", "nan"], "--volume must be 0 to 1, got nan"),
        (["--change", "1:0"], "--change '1:0': the change must not be 0"),
        (["--change", "soon"], "--change 'soon': write seconds:amount, e.g. 12.5:+1"),
        (["--speed", "inf"], "--speed must be 1 to 100, got inf"),
        (["--speed", "1e-9"], "--speed must be 1 to 100, got 1e-09"),
        (["--speed", "0.5"], "--speed must be 1 to 100, got 0.5"),
        (["--reps", "0"], "--reps: the number of reps must be 1 to 100, got 0"),
        (["--sets", "21"], "--sets: the number of sets must be 1 to 20, got 21"),
    ],
)
def test_a_bad_number_exits_2_with_a_message_and_touches_nothing(
    args: list[str], message: str, python: str, cli_env: dict[str, str], data_dir: Path
) -> None:
    result = _play(python, cli_env, "-e", "squat", "--backend", "silent", *args)
    assert result.returncode == 2
    assert f"tempo-coach play: error: {message}\n" in result.stderr
    assert "Traceback" not in result.stderr
    assert not data_dir.exists()


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_signal_stops_like_q_and_saves_the_done_sets(
    stop: signal.Signals, python: str, cli_env: dict[str, str], data_dir: Path
) -> None:
    """Ctrl+C (SIGINT) and SIGTERM to a real ``tempo-coach play``: the session stops where it
    stands and is saved as a stopped session with every completed set; no traceback."""
    proc = subprocess.Popen(
        [python, "-m", "tempo_coach", "play", "-e", "squat", "-t", "1-0-1-0", "-r", "2",
         "-s", "8", "--rest", "2", "--backend", "silent", "--speed", "10", "--count-in", "0"],
        env={**cli_env, "PYTHONUNBUFFERED": "1"},
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        before = wait_for(proc, "set 3 rep 2 ")  # two sets done, and a rep of the third
        proc.send_signal(stop)
        stdout, stderr = proc.communicate(timeout=30)
    finally:
        proc.kill()
    out, err = before + stdout.decode(), stderr.decode()
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    name = "Ctrl+C" if stop is signal.SIGINT else "SIGTERM"
    assert f"  stopped ({name})" in out
    assert "saved to the training log" in out
    (saved,) = _history(data_dir)
    assert saved.finished  # saved as stopped, like q: not left for later
    first, second, third = saved.sets
    assert [(s.reps_done, s.ended_early) for s in (first, second)] == [(2, False), (2, False)]
    assert all(rep.complete for s in (first, second) for rep in s.reps)
    # The set in progress keeps its completed rep (both, if the signal came that late).
    assert (third.reps_done, third.ended_early) in ((1, True), (2, False))
    assert f"stopped: {len(saved.sets)} set(s)" in out


def _play_in_process(monkeypatch: pytest.MonkeyPatch, data_dir: Path, *args: str) -> int:
    monkeypatch.setattr(sys, "stdin", None)  # no keys to read
    monkeypatch.setenv("QT_LOGGING_RULES", "qt.multimedia.*=false")
    return main(["--data-dir", str(data_dir), "play", *args, "--quiet", *FAST])


def test_a_signal_after_the_last_rep_only_cuts_the_tail_short(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The session is over, its last cue still sounding: SIGTERM ends the wait, and the
    session is saved finished, whole."""
    from tempo_coach.cli import play as play_command

    original = play_command._run_until_over

    def then_a_signal(*args: Any) -> None:
        original(*args)
        os.kill(os.getpid(), signal.SIGTERM)  # handled by play: this process goes on

    monkeypatch.setattr(play_command, "_run_until_over", then_a_signal)
    with _guard(signal.SIGTERM) as guard:
        args = ["-e", "squat", "-t", "1-0-1-0", "-r", "2", "-s", "1"]
        assert _play_in_process(monkeypatch, data_dir, *args) == 0
        assert signal.getsignal(signal.SIGTERM) is guard  # put back
    assert not guard.received  # play handled it
    assert "finished: 1 set(s), 2 reps" in capsys.readouterr().out
    (saved,) = _history(data_dir)
    assert saved.finished and saved.sets[0].reps_done == 2 and not saved.sets[0].ended_early


def test_a_signal_before_the_session_starts_stops_it_with_nothing_saved(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import tempo_coach.audio

    original = tempo_coach.audio.choose_output

    def signalled(*args: Any, **kwargs: Any) -> Any:
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl+C while the output is being chosen
        return original(*args, **kwargs)

    monkeypatch.setattr(tempo_coach.audio, "choose_output", signalled)
    with _guard(signal.SIGINT) as guard:
        assert _play_in_process(monkeypatch, data_dir, "-e", "squat", "-r", "5") == 0
        assert signal.getsignal(signal.SIGINT) is guard  # put back
    assert not guard.received
    assert "stopped: 0 set(s), 0 reps" in capsys.readouterr().out
    assert _history(data_dir) == []


class _Guard:
    """A handler that keeps a stray signal from ending the test run, and says if one came."""

    def __init__(self) -> None:
        self.received: list[int] = []

    def __call__(self, signum: int, frame: object) -> None:
        self.received.append(signum)


@contextlib.contextmanager
def _guard(number: signal.Signals) -> Iterator[_Guard]:
    guard = _Guard()
    previous = signal.signal(number, guard)
    try:
        yield guard
    finally:
        signal.signal(number, previous)


def test_play_finds_a_custom_exercise_and_uses_the_saved_count_in(
    python: str, cli_env: dict[str, str], data_dir: Path
) -> None:
    save_in(data_dir, exercises=[ring_dip()], count_in_seconds=2, count_style="down")
    fast = ["--backend", "silent", "--speed", "40"]
    result = _play(python, cli_env, "-e", "ring dip", "-r", "1", "-s", "1", *fast)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Slow ring dip: tempo 4-1-X-0, 1 x 1")
    assert "set 1 rep 1    sink (4 s)" in result.stdout
    assert "set 1          count-in (2 s)" in result.stdout
    (saved,) = _history(data_dir)
    assert saved.exercise_id == "slow-ring-dip" and saved.exercise_name == "Slow ring dip"
    assert saved.planned is not None and saved.planned.count_in_ms == 2000


def test_play_no_save_still_reads_the_custom_exercises_and_saves_nothing(
    python: str, cli_env: dict[str, str], with_ring_dip: Path
) -> None:
    months = sorted((with_ring_dip / "history").iterdir())
    result = _play(python, cli_env, "-e", "ring dip", "-r", "1", "-s", "1", "--no-save", *FAST)
    assert result.returncode == 0, result.stderr
    assert "set 1 rep 1    sink (4 s)" in result.stdout
    assert "saved" not in result.stdout
    assert _history(with_ring_dip) == []
    assert sorted((with_ring_dip / "history").iterdir()) == months


def test_play_no_save_works_while_another_tempo_coach_owns_the_folder(
    python: str, cli_env: dict[str, str], with_ring_dip: Path
) -> None:
    with Store.open(with_ring_dip):
        result = _play(python, cli_env, "-e", "ring dip", "-r", "1", "-s", "1", "--no-save",
                       *FAST)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Slow ring dip" in result.stdout


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


# -- saving like the window: the lock first, a checkpoint after every rep (issue 12) ---------

ONE_SET = ["-e", "squat", "-t", "1-0-1-0", "-r", "1", "-s", "1", *FAST]


def _cannot_save(result: subprocess.CompletedProcess[str], why: str) -> None:
    """Refused before the first cue: exit 2, one line saying why, nothing played."""
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("tempo-coach play: cannot save: "), result.stderr
    assert why in result.stderr
    assert result.stderr.count("cannot save") == 1 and "Traceback" not in result.stderr
    assert result.stdout == ""  # no cue, not even the header


def test_a_second_play_on_the_same_folder_says_it_cannot_save_before_any_cue(
    python: str, cli_env: dict[str, str], data_dir: Path
) -> None:
    with Store.open(data_dir) as running:
        assert not running.read_only
        result = _play(python, cli_env, *ONE_SET)
        _cannot_save(result, "another Tempo Coach")
        assert "--no-save plays without saving" in result.stderr
        assert _play(python, cli_env, *ONE_SET, "--no-save").returncode == 0


def test_a_file_from_a_newer_tempo_coach_means_cannot_save(
    python: str, cli_env: dict[str, str], data_dir: Path
) -> None:
    save_in(data_dir, exercises=[])
    preferences = data_dir / "preferences.json"
    content = json.loads(preferences.read_text())
    content["schema_version"] += 1
    preferences.write_text(json.dumps(content))
    before = preferences.read_bytes()
    _cannot_save(_play(python, cli_env, *ONE_SET), "newer")
    assert preferences.read_bytes() == before
    assert _play(python, cli_env, *ONE_SET, "--no-save").returncode == 0


def test_a_lock_file_that_is_a_link_means_cannot_save_and_its_target_is_untouched(
    python: str, cli_env: dict[str, str], data_dir: Path, tmp_path: Path
) -> None:
    save_in(data_dir, exercises=[])
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    (data_dir / "tempo-coach.lock").unlink()
    (data_dir / "tempo-coach.lock").symlink_to(target)
    _cannot_save(_play(python, cli_env, *ONE_SET), "tempo-coach.lock")
    assert target.read_text() == "keep me"


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A data folder holding one saved session, on a read-only file system (a tmpfs
    remounted read-only; run as root) or, for another user, without write permission."""
    folder = tmp_path / "mount"
    folder.mkdir()
    mounted = False
    if os.geteuid() == 0:
        made = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if made.returncode != 0:
            pytest.skip(f"a read-only folder needs a tmpfs here: {made.stderr.strip()}")
        mounted = True
    data = folder / "data"
    with Store.open(data) as store:
        store.save_session(make_session("old"))
    try:
        if mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        else:
            for path in [data, *data.rglob("*")]:
                path.chmod(path.stat().st_mode & ~0o222)
        yield data
    finally:
        if mounted:
            subprocess.run(["umount", "--lazy", str(folder)], check=True)
        else:
            for path in [data, *data.rglob("*")]:
                path.chmod(path.stat().st_mode | 0o200)


def test_a_read_only_folder_means_cannot_save_before_any_cue(
    python: str, cli_env: dict[str, str], read_only_folder: Path
) -> None:
    env = {**cli_env, "TEMPO_COACH_DATA_DIR": str(read_only_folder)}
    _cannot_save(_play(python, env, *ONE_SET), "cannot be written")
    result = _play(python, env, *ONE_SET, "--no-save")
    assert result.returncode == 0, result.stderr


def test_play_keeps_a_checkpoint_after_every_rep_and_set_before_saying_it_done(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    """Like the window: after each rep and each set the record so far (not finished) is
    the checkpoint, written before "set N done" is printed; it is removed only once the
    session is in the log."""
    printed = io.StringIO()
    monkeypatch.setattr(sys, "stdout", printed)
    monkeypatch.setattr(sys, "stdin", None)
    kept: list[tuple[SessionRecord, int]] = []
    cleared_with: list[int] = []
    original_checkpoint, original_clear = Store.checkpoint, Store.clear_checkpoint

    def checkpoint(self: Store, record: SessionRecord) -> None:
        original_checkpoint(self, record)
        kept.append((record, printed.getvalue().count(" done: ")))

    def clear_checkpoint(self: Store) -> None:
        cleared_with.append(len(self.history()))
        original_clear(self)

    monkeypatch.setattr(Store, "checkpoint", checkpoint)
    monkeypatch.setattr(Store, "clear_checkpoint", clear_checkpoint)
    argv = ["-e", "squat", "-t", "1-0-1-0", "-r", "2", "-s", "3", "--rest", "1"]
    assert main(["--data-dir", str(data_dir), "play", *argv, *FAST]) == 0
    assert "saved to the training log" in printed.getvalue()
    reps = [sum(s.reps_done for s in record.sets) for record, _ in kept]
    assert reps == sorted(set(reps)) and reps[-1] == 6  # after every rep (a tick may hold two)
    assert not any(record.finished for record, _ in kept)
    for set_number in (1, 2, 3):
        first = next(
            done
            for record, done in kept
            if len(record.sets) >= set_number and record.sets[set_number - 1].reps_done == 2
        )
        assert first == set_number - 1  # on disk before "set N done" was printed
    assert cleared_with == [1]  # only once the session was in the log
    with Store.open(data_dir) as store:
        assert store.pending_checkpoint() is None
        assert [len(s.sets) for s in store.history()] == [3]


def test_a_failed_final_save_keeps_the_session_and_exits_1(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def full_disk(self: Store, record: SessionRecord) -> None:
        raise StoreError("Eccentric barbell squat was not saved: No space left on device")

    monkeypatch.setattr(Store, "save_session", full_disk)
    argv = ["-e", "squat", "-t", "1-0-1-0", "-r", "2", "-s", "2", "--rest", "1"]
    assert _play_in_process(monkeypatch, data_dir, *argv) == 1
    out, err = capsys.readouterr()
    assert "saved to the training log" not in out
    (line,) = err.splitlines()
    assert line.startswith("tempo-coach play: not saved: Eccentric barbell squat was not saved")
    assert "kept for later" in line
    monkeypatch.undo()
    with Store.open(data_dir) as store:
        assert store.history() == []
        kept = store.pending_checkpoint()
    assert kept is not None and not kept.finished
    assert [(s.reps_done, s.ended_early) for s in kept.sets] == [(2, False), (2, False)]


def test_a_checkpoint_that_fails_is_said_once_and_the_session_goes_on(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    printed, said = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", printed)
    monkeypatch.setattr(sys, "stderr", said)
    monkeypatch.setattr(sys, "stdin", None)

    def full_disk(self: Store, record: SessionRecord) -> None:
        raise StoreError("The session in progress was not saved: No space left on device")

    monkeypatch.setattr(Store, "checkpoint", full_disk)
    argv = ["-e", "squat", "-t", "1-0-1-0", "-r", "2", "-s", "2", "--rest", "1"]
    assert main(["--data-dir", str(data_dir), "play", *argv, *FAST]) == 0
    assert said.getvalue().count("No space left on device") == 1
    assert "set 1 done: 2 reps (not kept: see the note)" in printed.getvalue()
    assert "saved to the training log" in printed.getvalue()
    assert [len(s.sets) for s in _history(data_dir)] == [2]


def test_a_session_kept_for_later_is_saved_before_play_starts_its_own(
    python: str, cli_env: dict[str, str], data_dir: Path
) -> None:
    """The window's "Keep it for later" (or a killed play): this play's checkpoint would
    replace it, so it goes to the log first, as it was."""
    with Store.open(data_dir) as store:
        store.checkpoint(make_session("kept", "2026-03-20T07:15:00+01:00", finished=False))
    result = _play(python, cli_env, *ONE_SET)
    assert result.returncode == 0, result.stderr
    assert "the session kept for later (Eccentric barbell squat, 2026-03-20T07:15" in result.stderr
    with Store.open(data_dir) as store:
        assert store.pending_checkpoint() is None
        saved = {s.session_id: s for s in store.history()}
    assert len(saved) == 2 and saved["kept"].finished and len(saved["kept"].sets) == 2


def test_a_sigkill_after_two_sets_leaves_both_and_the_next_play_saves_them(
    python: str, cli_env: dict[str, str], data_dir: Path
) -> None:
    proc = subprocess.Popen(
        [python, "-m", "tempo_coach", *PLAY_KILLS],
        env={**cli_env, "PYTHONUNBUFFERED": "1"},
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        wait_for(proc, "set 2 done: 2 reps")
    finally:
        proc.kill()
        proc.communicate(timeout=30)
    with Store.open(data_dir) as store:
        kept = store.pending_checkpoint()
        assert store.history() == []
    assert kept is not None and not kept.finished
    assert [s.reps_done for s in kept.sets[:2]] == [2, 2]
    result = _play(python, cli_env, *ONE_SET)
    assert result.returncode == 0 and "kept for later" in result.stderr
    (killed,) = [s for s in _history(data_dir) if s.session_id == kept.session_id]
    assert killed.finished and killed.sets[:2] == kept.sets[:2]


@pytest.mark.parametrize("delay_s", [0.45, 0.7, 1.5])
def test_a_sigkill_at_any_moment_loses_no_acknowledged_set(
    delay_s: float, python: str, cli_env: dict[str, str], tmp_path: Path
) -> None:
    """A real SIGKILL (the bench does hundreds): every set said done is found again, in the
    history or in the checkpoint, with its reps."""
    kill = kill_play(python, cli_env, tmp_path / "data", delay_s)
    assert kill.lost == [], kill.printed
    assert not kill.saved_but_missing and kill.problems == ()
