"""Real playback through PulseAudio: ``tempo-coach play`` heard on a null sink's monitor.

Each test runs the real command with one back-end, records what the sink mixed (the samples a
sound card would play), finds the cues and compares the heard intervals with the plan.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from tempo_coach.audio import simple, stream
from tempo_coach.audio.cues import CueOptions, cue_points
from tempo_coach.audio.offline import SESSION_ZERO_SAMPLE
from tempo_coach.audio.onsets import DEFAULT_QUIET_MS
from tempo_coach.audio.simple import simpleaudio_problem
from tempo_coach.audio.sounds import builtin_sound_folder, read_wav
from tempo_coach.core.clock import FakeClock
from tempo_coach.core.exercise import BUILTIN_EXERCISES, find_exercise
from tempo_coach.core.session import Session
from tempo_coach.core.tempo import parse_tempo
from tempo_coach.core.timeline import SetPlan
from tests.audio.conftest import PlayRun, play_and_record, start_daemon
from tests.audio.expected import planned_cues
from tests.audio.pulse_harness import NullSinkDaemon

pytestmark = [pytest.mark.slow, pytest.mark.realaudio]

SPEED = 2.0
RATE = 44100
TEMPO = "2.5-0-1-0"  # a period that is not a whole number of seconds
REPS = 3
ARGS = ["-e", "squat", "-t", TEMPO, "-r", str(REPS), "-s", "1", "--count-in", "2",
        "--speed", str(SPEED), "--no-save", "--quiet"]  # fmt: skip
CHANGE_AT_S = 3.2  # session time; the lowering at 5.5 s is beyond the horizon at speed 2
CHANGES = [(CHANGE_AT_S, 1000)]


def _sound_lengths_ms() -> dict[str, float]:
    """How long each built-in sound lasts, in real milliseconds."""
    folder = builtin_sound_folder()
    assert folder is not None
    return {
        item.name.removesuffix(".wav"): len(read_wav(item)) * 1000 / 44100
        for item in folder.iterdir()
        if item.name.endswith(".wav")
    }


SOUND_MS = _sound_lengths_ms()


def _plan() -> SetPlan:
    return SetPlan.from_exercise(
        find_exercise("squat", BUILTIN_EXERCISES),
        tempo=parse_tempo(TEMPO),
        reps=REPS,
        sets=1,
        count_in_ms=2000,
    )


def _planned_intervals(horizon_ms: int, changes: list[tuple[float, int]]) -> list[int]:
    """Intervals between cues in stream samples, as the renderer places them at SPEED."""
    planned = planned_cues(_plan(), changes, horizon_ms=horizon_ms)
    # planned_cues counts samples at real time; at SPEED the same session ms are closer.
    t_ms = [(sample - SESSION_ZERO_SAMPLE) * 1000 // RATE for sample, _ in planned]
    exact = [round(t * RATE / (1000 * SPEED)) for t in t_ms]
    return list(np.diff(exact))


def _on_second_try(attempt: Callable[[], None]) -> None:
    """Run a real-time measurement; if it misses, measure once more before failing.

    These tests measure real playback on a shared 2-core machine. With one core kept busy by
    other work, 1 run in 3 missed the 15 ms splice bound by 1.2 ms (16.2 ms); alone, none did.
    A regression misses twice; a passing disturbance rarely does. Both misses are reported.
    """
    try:
        attempt()
    except AssertionError as first:
        try:
            attempt()
        except AssertionError as second:
            raise AssertionError(f"missed twice.\nfirst: {first}\nsecond: {second}") from second


def _heard_intervals(run: PlayRun) -> list[int]:
    assert run.returncode == 0, run.stderr
    return list(np.diff(run.onsets))


def _check_stream_exact(pulse: NullSinkDaemon, cli_env: dict[str, str]) -> None:
    run = play_and_record(
        pulse, [*ARGS, "--backend", "stream", "--change", f"{CHANGE_AT_S}:+1"], cli_env
    )
    assert "output: sound: one continuous" in run.stdout, run.stdout + run.stderr
    assert "output stream" in run.stdout  # no fallback happened
    horizon = int(stream.HORIZON_MS * SPEED)
    planned = _planned_intervals(horizon, CHANGES)
    heard = _heard_intervals(run)
    assert len(heard) == len(planned), (heard, planned)
    errors = np.abs(np.array(heard) - np.array(planned))
    assert errors.max() <= 1, list(zip(heard, planned, strict=True))
    # the change was heard: the plan with it differs from the plan without it
    assert planned != _planned_intervals(horizon, [])
    assert int(np.max(np.abs(run.samples.astype(np.int32)))) < 32767


def _cue_times_ms(pause_at_ms: int | None) -> list[int]:
    """Session time of every cue of the plan, with a pause (of any length) at
    ``pause_at_ms``: the resume's count-in and the phase announced again included."""
    clock = FakeClock(0.0)
    session = Session(_plan(), clock)
    session.start()
    if pause_at_ms is not None:
        clock.set(session.wall_offset_s() + pause_at_ms / 1000)
        session.poll()
        session.pause()
        session.resume()
    points = cue_points(session.events, REPS, CueOptions())
    if pause_at_ms is None:
        return [point.t_ms for point in points]
    # What the onset detector can tell apart: a cue that starts before the one before it
    # has sounded and been quiet for DEFAULT_QUIET_MS is heard as part of it. After a
    # resume the phase said again can come within 220 ms of the next phase at SPEED 2
    # (a 190 ms beep, then 28 ms of quiet): one onset, not two.
    # Judged from the resume on: the pause puts real time between the cues before it and
    # the count-in after it.
    heard = [point.t_ms for point in points if point.t_ms < pause_at_ms]
    ends = -1.0
    for point in (point for point in points if point.t_ms >= pause_at_ms):
        if point.t_ms >= ends:
            heard.append(point.t_ms)
        ends = max(ends, point.t_ms + (SOUND_MS[point.sound] + DEFAULT_QUIET_MS) * SPEED)
    return heard


def _intervals_around_a_pause(heard: list[int]) -> tuple[list[int], list[int], int]:
    """What was heard around a pause, and what the plan says, without the interval that
    holds the pause; and the pause's session time, found to the millisecond (it is not
    heard).

    Before the pause: the plan without it, up to the last cue heard (sound the output had
    committed when Space came is heard, a second at most). After it: the plan with the
    pause, from the resume's count-in on (then the rest of the phase, announced again).
    """
    gap = int(np.argmax(heard))
    before = _cue_times_ms(None)

    def samples(times: list[int]) -> list[int]:
        return [round(t * RATE / (1000 * SPEED)) for t in times]

    prefix_planned = [b - a for a, b in itertools.pairwise(samples(before[: gap + 1]))]
    after = heard[gap + 1 :]

    def suffix_for(pause_at: int) -> list[int]:
        times = [t for t in _cue_times_ms(pause_at) if t >= pause_at]
        return [b - a for a, b in itertools.pairwise(samples(times))]

    def error(pause_at: int) -> int:
        planned = suffix_for(pause_at)
        if len(planned) != len(after):
            return 1 << 30
        return max((abs(h - p) for h, p in zip(after, planned, strict=True)), default=0)

    window = range(max(1, before[gap] - 2500), before[gap + 1] + 1)
    coarse = min(window[::5], key=error)
    pause_at = min(range(max(1, coarse - 5), coarse + 6), key=error)
    assert error(pause_at) < 1 << 30, f"no pause explains what was heard: {heard}"
    return (
        [*heard[:gap], *after],
        [*prefix_planned, *suffix_for(pause_at)],
        pause_at,
    )


def _check_stream_pause(pulse: NullSinkDaemon, cli_env: dict[str, str]) -> None:
    # Space pauses and space resumes, typed into a pipe (no TTY): after the pause a count-in,
    # the rest of the phase announced again, then the plan; every interval but the one
    # holding the pause on its sample.
    run = play_and_record(
        pulse, [*ARGS, "--backend", "stream"], cli_env, stdin_script=[(3.3, " "), (4.6, " ")]
    )
    heard = _heard_intervals(run)
    assert "paused" not in run.stderr
    assert max(heard) > 0.5 * RATE  # the pause lasted ~1.3 s
    heard, planned, pause_at = _intervals_around_a_pause(heard)
    errors = np.abs(np.array(heard) - np.array(planned))
    assert errors.max() <= 1, (pause_at, [round(int(x) * 2000 / RATE) for x in heard])


def _check_simpleaudio_change(pulse: NullSinkDaemon, cli_env: dict[str, str]) -> None:
    run = play_and_record(
        pulse, [*ARGS, "--backend", "simpleaudio", "--change", f"{CHANGE_AT_S}:+1"], cli_env
    )
    assert "output simpleaudio" in run.stdout, run.stdout + run.stderr
    planned = _planned_intervals(int(simple.HORIZON_MS * SPEED), CHANGES)
    heard = _heard_intervals(run)
    assert len(heard) == len(planned), (heard, planned)
    errors = np.abs(np.array(heard) - np.array(planned))
    # one new buffer after the change: the interval across it may be off by up to 15 ms
    # (the start latency of play_buffer); every other interval is exact
    assert np.sum(errors > 1) <= 1, list(zip(heard, planned, strict=True))
    assert errors.max() <= 0.015 * RATE


def test_silent_backend_keeps_timing_and_says_so(
    pulse: NullSinkDaemon, cli_env: dict[str, str]
) -> None:
    args = [a if a != str(SPEED) else "20" for a in ARGS]
    started = time.monotonic()
    run = play_and_record(pulse, [*args, "--backend", "silent"], cli_env)
    assert run.returncode == 0
    assert "no audio output: cues are visual only" in run.stdout
    assert "finished: 1 set(s), 3 reps" in run.stdout
    assert run.onsets == []
    assert time.monotonic() - started < 15


def _start_stream_play(daemon: NullSinkDaemon, env: dict[str, str]) -> subprocess.Popen[str]:
    """``tempo-coach play`` through the stream engine into ``daemon``, in the background."""
    env = {**env, **{k: daemon.env[k] for k in ("XDG_RUNTIME_DIR", "PULSE_SERVER",
                                                  "ALSA_CONFIG_PATH")}}  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "-m", "tempo_coach", "play", *ARGS, "--backend", "stream"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_losing_the_device_mid_set_switches_and_finishes(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    daemon = start_daemon(tmp_path / "pulse")
    try:
        proc = _start_stream_play(daemon, cli_env)
        time.sleep(2.5)
    finally:
        daemon.stop()  # the sound server goes away mid-set, like unplugged headphones
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr
    assert "finished: 1 set(s), 3 reps" in stdout
    assert "stream output stopped working" in stderr
    assert "no audio output: cues are visual only" in stderr


def _check_simpleaudio_pause(pulse: NullSinkDaemon, cli_env: dict[str, str]) -> None:
    # A pause stops the buffer; the resume starts a new run on a new grid with a count-in and
    # the phase announced again: no cue lost or doubled.
    run = play_and_record(
        pulse, [*ARGS, "--backend", "simpleaudio"], cli_env, stdin_script=[(3.3, " "), (4.6, " ")]
    )
    assert "output simpleaudio" in run.stdout, run.stdout + run.stderr
    heard = _heard_intervals(run)
    assert max(heard) > 0.5 * RATE
    heard, planned, pause_at = _intervals_around_a_pause(heard)
    errors = np.abs(np.array(heard) - np.array(planned))
    # a new buffer at the resume: the interval across it may be off by up to 15 ms (the
    # start latency of play_buffer); every other interval is exact
    assert np.sum(errors > 1) <= 1, (pause_at, [round(int(x) * 2000 / RATE) for x in heard])
    assert errors.max() <= 0.015 * RATE


def test_stream_backend_every_heard_cue_on_its_planned_sample(
    pulse: NullSinkDaemon, cli_env: dict[str, str]
) -> None:
    _on_second_try(lambda: _check_stream_exact(pulse, cli_env))


def test_stream_backend_pause_from_keys_without_a_terminal(
    pulse: NullSinkDaemon, cli_env: dict[str, str]
) -> None:
    _on_second_try(lambda: _check_stream_pause(pulse, cli_env))


@pytest.mark.skipif(simpleaudio_problem() is not None, reason=str(simpleaudio_problem()))
def test_simpleaudio_backend_exact_between_changes_and_close_at_a_change(
    pulse: NullSinkDaemon, cli_env: dict[str, str]
) -> None:
    _on_second_try(lambda: _check_simpleaudio_change(pulse, cli_env))


@pytest.mark.skipif(simpleaudio_problem() is not None, reason=str(simpleaudio_problem()))
def test_simpleaudio_backend_pause_and_resume(
    pulse: NullSinkDaemon, cli_env: dict[str, str]
) -> None:
    _on_second_try(lambda: _check_simpleaudio_pause(pulse, cli_env))


def _sink_input_latency_ms(pulse: NullSinkDaemon, extra_env: dict[str, str]) -> float:
    """Start a stream session and read the server's buffer latency of its sink input."""
    proc = _start_stream_play(pulse, extra_env)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and proc.poll() is None:
            listing = subprocess.run(
                ["pactl", "list", "sink-inputs"], env=pulse.env, capture_output=True, text=True
            ).stdout
            for line in listing.splitlines():
                if "Buffer Latency:" in line:
                    return int(line.split(":")[1].split()[0]) / 1000
            time.sleep(0.2)
        raise AssertionError("no stream appeared on the sink in 20 s")
    finally:
        proc.kill()
        proc.communicate()


def test_stream_asks_pulseaudio_for_a_safe_latency(
    pulse: NullSinkDaemon, cli_env: dict[str, str]
) -> None:
    # Qt alone asks for ~17 ms; a busy machine then lets the server run dry (docs/AUDIO.md).
    # Measured with PULSE_LATENCY_MS = 100: the server buffers 70 ms of our stream.
    ours = _sink_input_latency_ms(pulse, {k: v for k, v in cli_env.items()
                                          if k != "PULSE_LATENCY_MSEC"})  # fmt: skip
    assert ours >= 40, ours  # Qt's own request gives ~15-17 ms
    # ...and a user's own PULSE_LATENCY_MSEC wins
    theirs = _sink_input_latency_ms(pulse, {**cli_env, "PULSE_LATENCY_MSEC": "20"})
    assert theirs <= 25, theirs
