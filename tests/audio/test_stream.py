"""The stream's clock (tempo_coach/audio/stream.py): DevicePosition turns coarse readings of
the device counter into a smooth position, and the engine's stall watchdog reports a device
that stopped taking sound. Made-up readings on a FakeClock, no sound, no sleeping."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any

import pytest

from tempo_coach.audio.renderer import CueRenderer
from tempo_coach.audio.sounds import load_sound_set
from tempo_coach.audio.stream import (
    BUFFER_FILL_SILENCE_S,
    MAX_AHEAD_S,
    STALL_REASON,
    STALL_S,
    START_TIMEOUT_S,
    DevicePosition,
    StreamEngine,
)
from tempo_coach.core.clock import FakeClock
from tempo_coach.core.exercise import BUILTIN_EXERCISES, find_exercise
from tempo_coach.core.session import Session
from tempo_coach.core.timeline import SetPlan

STEP_S = 0.035  # the server takes sound in chunks: the counter moves in steps
READ_EVERY_S = 0.1


def _counter(t: float, rate: float = 1.0, start: float = 0.0) -> float:
    """What processedUSecs reports at ``t``: the position rounded down to a chunk."""
    return STEP_S * math.floor(max(0.0, (t - start) * rate) / STEP_S)


def _feed(position: DevicePosition, until: float, rate: float = 1.0, seed: int = 1) -> float:
    rnd = random.Random(seed)
    t = 0.0
    while t < until:
        position.add(_counter(t, rate), t)
        t += READ_EVERY_S + rnd.uniform(-0.01, 0.01)  # a timer on a busy thread
    return t


def test_the_estimate_is_smooth_between_coarse_readings() -> None:
    position = DevicePosition()
    rnd = random.Random(3)
    errors: list[float] = []
    t = 0.0
    while t < 20.0:
        position.add(_counter(t), t)
        following = t + READ_EVERY_S + rnd.uniform(-0.01, 0.01)  # a timer on a busy thread
        if t > 2.0:  # once the window holds readings at many phases of the steps
            now = t
            while now < following:
                estimate = position.estimate(now)
                assert estimate is not None
                errors.append(estimate - now)  # the true position is ``now``
                now += 0.002
        t = following
    # Holding each reading and counting on from it (session 1) is off by up to one step
    # (35 ms here), differently after every reading: the screen's clock jittered by that.
    assert max(abs(e) for e in errors) < 0.008, (min(errors), max(errors))


def test_a_stuck_device_stops_the_clock() -> None:
    position = DevicePosition()
    t = _feed(position, 3.0)
    stuck_at = _counter(t)
    for i in range(30):  # the counter no longer moves, readings go on
        position.add(stuck_at, t + i * READ_EVERY_S)
    later = position.estimate(t + 10)
    assert later is not None
    assert later <= stuck_at + MAX_AHEAD_S + 1e-9
    assert position.moved_at is not None and position.moved_at <= t  # not since


def test_it_follows_a_sound_card_clock_that_runs_fast() -> None:
    position = DevicePosition()
    rate = 1.0002  # 200 ppm, far more than real cards drift
    t = _feed(position, 120.0, rate=rate)
    estimate = position.estimate(t)
    assert estimate is not None
    assert abs(estimate - t * rate) < 0.008


def test_nothing_is_known_before_the_first_reading() -> None:
    position = DevicePosition()
    assert position.estimate(1.0) is None
    assert position.moved_at is None
    position.add(0.0, 1.0)
    assert position.moved_at == 1.0
    position.add(0.0, 1.1)
    assert position.moved_at == 1.0  # only a change of the counter counts as movement
    position.add(0.035, 1.2)
    assert position.moved_at == 1.2


# -- the stall watchdog: the engine on a FakeClock with a scripted sink ---------------------


class ScriptedSink:
    """Stands in for _qt_stream.SinkWorker: the test reports the device counter itself."""

    def __init__(
        self,
        renderer: CueRenderer,
        on_position: Callable[[float], None],
        on_failure: Callable[[str], None],
    ) -> None:
        self.report_position = on_position
        self.stopped = False

    def start_and_wait(self, timeout_s: float) -> str | None:
        return None

    def detach(self) -> None:
        self.report_position = lambda processed: None

    def stop(self) -> None:
        self.stopped = True


class Rig:
    """A StreamEngine playing a session, its clock and sink under the test's control."""

    def __init__(self) -> None:
        self.clock = FakeClock(100.0)
        self.failures: list[str] = []
        self.sinks: list[ScriptedSink] = []
        sounds = load_sound_set("default", 1.0)

        def make_sink(*args: Any) -> ScriptedSink:
            self.sinks.append(ScriptedSink(*args))
            return self.sinks[-1]

        self.engine = StreamEngine(lambda: CueRenderer(sounds), self.clock, make_sink)
        self.engine.set_failure_handler(self.failures.append)
        plan = SetPlan.from_exercise(find_exercise("squat", BUILTIN_EXERCISES), reps=2, sets=1)
        self.session = Session(plan, FakeClock(0.0))
        self.session.start()
        self.engine.begin(self.session, lambda value: value)
        self.processed = 0.0

    def play(self, seconds: float, moving: bool = True) -> None:
        """``seconds`` of readings every READ_EVERY_S, the counter moving or stuck."""
        for _ in range(round(seconds / READ_EVERY_S)):
            self.clock.advance(READ_EVERY_S)
            if moving:
                self.processed += READ_EVERY_S
            self.sinks[-1].report_position(self.processed)
            self.engine.raw_now()


def test_the_clock_is_the_position_after_the_leading_silence() -> None:
    rig = Rig()
    rig.play(BUFFER_FILL_SILENCE_S)
    assert rig.engine.raw_now() == pytest.approx(0.0, abs=1e-9)  # still until it has played
    rig.play(2.0)
    assert rig.engine.raw_now() == pytest.approx(2.0, abs=1e-6)
    assert rig.failures == []


def test_a_device_that_stops_taking_sound_is_reported_once() -> None:
    rig = Rig()
    rig.play(3.0)
    rig.play(STALL_S - 2 * READ_EVERY_S, moving=False)  # a hiccup: not yet a stall
    assert rig.failures == []
    rig.play(3 * READ_EVERY_S, moving=False)
    assert rig.failures == [STALL_REASON]
    before = rig.engine.raw_now()
    rig.play(2.0, moving=False)
    assert rig.failures == [STALL_REASON]  # once, however often the clock is read
    assert rig.engine.raw_now() <= before + MAX_AHEAD_S  # and the clock stopped


def test_a_device_that_never_starts_is_reported() -> None:
    rig = Rig()
    rig.clock.advance(START_TIMEOUT_S + STALL_S - 0.1)
    rig.engine.raw_now()
    assert rig.failures == []
    rig.clock.advance(0.2)
    rig.engine.raw_now()
    assert rig.failures == [STALL_REASON]


def test_a_new_stream_gets_a_fresh_watchdog_and_the_clock_goes_on() -> None:
    rig = Rig()
    rig.play(3.0)
    rig.play(1.5, moving=False)
    assert rig.failures == [STALL_REASON]
    at_end = rig.engine.raw_now()
    rig.engine.end()
    assert rig.sinks[0].stopped
    rig.engine.begin(rig.session, lambda value: value)
    rig.processed = 0.0
    rig.play(BUFFER_FILL_SILENCE_S + 1.0)
    assert rig.failures == [STALL_REASON]
    assert rig.engine.raw_now() == pytest.approx(at_end + 1.0, abs=1e-6)
