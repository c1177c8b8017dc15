"""The stream's clock: DevicePosition turns coarse readings of the device counter into a
smooth position (tempo_coach/audio/stream.py). Made-up readings, no sound, no sleeping."""

from __future__ import annotations

import math
import random

from tempo_coach.audio.stream import MAX_AHEAD_S, DevicePosition

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
