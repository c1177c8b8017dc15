"""Tempo accuracy: a lifter taps a key when each lowering ends, and learns how close it was.

A tap is timed on the session clock, which follows the sound the lifter hears (the output's
clock), less the lifter's own tap offset measured by a short calibration: tapping along
with eight ticks. The offset holds the output's latency and the lifter's reaction, so it
can reach a few hundred milliseconds on Bluetooth; what is left after removing it is the
spread of the calibration taps, reported as the remaining error.

Within ``ON_TEMPO_TOLERANCE`` (20 %) of the planned lowering a rep counts as on tempo; the
feedback is finer ("a little fast" inside that band) so the lifter can correct early.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from tempo_coach.core.records import ON_TEMPO_TOLERANCE

#: Within this share of the planned lowering a tap is "on tempo" without "a little".
SPOT_ON = 0.05
#: A tap later than this many times the planned lowering belongs to no lowering.
LATE_LIMIT = 2.0
#: Fast reps in a row before the "slower" cue.
FAST_STREAK = 2
#: Calibration: ticks played, and the interval between them.
CALIBRATION_TICKS = 8
CALIBRATION_INTERVAL_MS = 1_000
#: Calibration taps further than this from any tick are ignored (a stray press).
CALIBRATION_WINDOW_MS = 450


class TapVerdict(str, Enum):
    ON_TEMPO = "on tempo"
    A_LITTLE_FAST = "a little fast"
    A_LITTLE_SLOW = "a little slow"
    FAST = "fast"
    SLOW = "slow"

    @property
    def on_tempo(self) -> bool:
        return self not in (TapVerdict.FAST, TapVerdict.SLOW)

    @property
    def fast(self) -> bool:
        return self is TapVerdict.FAST


def verdict(tapped_ms: int, planned_ms: int) -> TapVerdict:
    error = (tapped_ms - planned_ms) / planned_ms
    if error < -ON_TEMPO_TOLERANCE:
        return TapVerdict.FAST
    if error > ON_TEMPO_TOLERANCE:
        return TapVerdict.SLOW
    if error < -SPOT_ON:
        return TapVerdict.A_LITTLE_FAST
    if error > SPOT_ON:
        return TapVerdict.A_LITTLE_SLOW
    return TapVerdict.ON_TEMPO


def seconds_text(ms: int) -> str:
    """4200 -> "4.2 s", 5000 -> "5 s"."""
    text = f"{ms / 1000:.1f}".rstrip("0").rstrip(".")
    return f"{text} s"


@dataclass(frozen=True)
class Tap:
    """A tap that timed a lowering."""

    set_number: int
    rep: int
    tapped_ms: int
    planned_ms: int

    @property
    def verdict(self) -> TapVerdict:
        return verdict(self.tapped_ms, self.planned_ms)

    def feedback(self) -> str:
        """ "4.2 s of 5: a little fast"."""
        planned = seconds_text(self.planned_ms).removesuffix(" s")
        return f"{seconds_text(self.tapped_ms)} of {planned}: {self.verdict.value}"


@dataclass(frozen=True)
class Calibration:
    """The lifter's tap offset (positive: taps come after the tick they hear) and the
    spread left after removing it (the remaining error of a timed lowering)."""

    offset_ms: int
    spread_ms: int
    taps_used: int

    def text(self) -> str:
        direction = "after" if self.offset_ms >= 0 else "before"
        return (
            f"You tap {abs(self.offset_ms)} ms {direction} the tick you hear, give or take "
            f"{self.spread_ms} ms ({self.taps_used} of {CALIBRATION_TICKS} taps used)."
        )


class CalibrationError(ValueError):
    """Too few taps near the ticks to measure an offset."""


def calibrate(ticks_ms: Sequence[int], taps_ms: Sequence[int]) -> Calibration:
    """The offset from taps along with ticks, both on the clock of the heard sound: each
    tick takes the nearest tap within ``CALIBRATION_WINDOW_MS`` (a tap serves one tick);
    the offset is the median difference, the spread the median absolute deviation scaled
    to a standard deviation (robust to one stray tap). Needs at least half the ticks."""
    remaining = sorted(taps_ms)
    differences: list[int] = []
    for tick in ticks_ms:
        near = [t for t in remaining if abs(t - tick) <= CALIBRATION_WINDOW_MS]
        if not near:
            continue
        best = min(near, key=lambda t: abs(t - tick))
        remaining.remove(best)
        differences.append(best - tick)
    needed = max(2, (len(ticks_ms) + 1) // 2)
    if len(differences) < needed:
        raise CalibrationError(
            f"only {len(differences)} of {len(ticks_ms)} ticks had a tap near them; "
            f"tap along with at least {needed}"
        )
    offset = statistics.median(differences)
    deviation = statistics.median(abs(d - offset) for d in differences)
    return Calibration(round(offset), round(1.4826 * deviation), len(differences))
