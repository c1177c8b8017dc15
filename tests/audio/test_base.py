"""The output clock: tempo_coach/audio/base.py."""

from __future__ import annotations

import pytest

from tempo_coach.audio.base import OutputClock
from tempo_coach.core.clock import FakeClock


def test_follows_its_source_and_never_goes_backwards() -> None:
    source = FakeClock(10.0)
    clock = OutputClock(source.now)
    assert clock.now() == 10.0
    source.advance(0.5)
    assert clock.now() == 10.5
    # a source that steps back (a device position re-read) does not move the clock back
    source2 = [10.2]
    clock.switch(lambda: source2[0])
    assert clock.now() == 10.5
    source2[0] = 10.1
    assert clock.now() == 10.5


def test_switching_engines_keeps_the_clock_continuous() -> None:
    first, second = FakeClock(100.0), FakeClock(5.0)
    clock = OutputClock(first.now)
    first.advance(3.0)
    assert clock.now() == 103.0
    clock.switch(second.now)
    assert clock.now() == 103.0
    second.advance(2.0)
    assert clock.now() == 105.0
    assert clock.to_raw(105.0) == pytest.approx(7.0)


def test_speed_runs_faster_and_maps_back() -> None:
    source = FakeClock(0.0)
    clock = OutputClock(source.now, speed=4.0)
    source.advance(1.0)
    assert clock.now() == 4.0
    assert clock.to_raw(8.0) == pytest.approx(2.0)
    with pytest.raises(ValueError, match="speed"):
        OutputClock(source.now, speed=0)
