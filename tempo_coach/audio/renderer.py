"""The cue-track renderer: a session's cues as PCM, every cue starting on its exact sample.

A stream (or a pre-rendered buffer) is a sequence of samples numbered from 0. The session's
time 0 sits at stream sample ``origin``; a cue at ``t_ms`` of session time starts at sample
``origin + round(t_ms * rate / 1000)``. The renderer holds the *voices* (one sound starting at
one sample) and mixes any block of samples on demand, so a stream can pull the future block
by block. ``replan()`` replaces only the voices that have not started at the committed edge
(the first sample not yet handed to the device): what was heard, or is already on its way to
the speaker, is never moved, cut or played twice, including across pauses.

Mixing is done in float; a smooth limiter above ``LIMIT_KNEE`` keeps overlapping cues from
ever reaching full scale. It acts per sample, so rendering in blocks gives exactly the same
samples as rendering all at once.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tempo_coach.audio.cues import CueOptions, CuePoint, cue_points
from tempo_coach.audio.sounds import RATE, SoundSet
from tempo_coach.core.session import Session, SessionStatus
from tempo_coach.core.timeline import Event

LIMIT_KNEE = 0.9
LIMIT_CEILING = 0.99


@dataclass(frozen=True)
class Voice:
    start: int  # stream sample of the sound's first sample
    point: CuePoint


def sample_at(origin: int, t_ms: int, rate: int = RATE, speed: float = 1.0) -> int:
    """The stream sample of session time ``t_ms`` (integer arithmetic, no drift).
    ``speed`` > 1 plays the session faster than real time (demos and tests)."""
    if speed == 1.0:
        return origin + (t_ms * rate + 500) // 1000
    return origin + round(t_ms * rate / (1000 * speed))


def limit(mix: np.ndarray) -> np.ndarray:
    """Leave everything below the knee alone; compress smoothly above it, never past the
    ceiling (so a sum of loud cues is never clipped)."""
    magnitude = np.abs(mix)
    over = magnitude > LIMIT_KNEE
    if not np.any(over):
        return mix
    span = LIMIT_CEILING - LIMIT_KNEE
    out: np.ndarray = mix.copy()
    out[over] = np.sign(mix[over]) * (
        LIMIT_KNEE + span * np.tanh((magnitude[over] - LIMIT_KNEE) / span)
    )
    return out


class CueRenderer:
    """Voices and the mixer. ``replan`` and ``render`` may run on different threads."""

    def __init__(
        self,
        sounds: SoundSet,
        options: CueOptions | None = None,
        rate: int = RATE,
        speed: float = 1.0,
    ) -> None:
        self.speed = speed
        self.sounds = sounds
        self.options = options or CueOptions()
        self.rate = rate
        self._lock = threading.Lock()
        self._voices: list[Voice] = []
        self._starts: list[int] = []
        self._started: set[CuePoint] = set()
        self._rendered_until = 0
        self._longest = max((len(s) for s in sounds.sounds.values()), default=0)
        # How long each sound lasts in session time: with the voice, cue_points() chooses
        # only what ends before the next cue.
        self._sound_ms = sounds.lengths_ms(speed, rate)

    @property
    def rendered_until(self) -> int:
        """The committed edge: the first sample ``render()`` has not handed out yet."""
        with self._lock:
            return self._rendered_until

    @property
    def voices(self) -> tuple[Voice, ...]:
        with self._lock:
            return tuple(self._voices)

    def inherit_started(self, other: CueRenderer) -> None:
        """Count every cue ``other`` has handed out as heard (a new run after a pause)."""
        with other._lock:
            heard = set(other._started)
        with self._lock:
            self._started |= heard

    def points_for(self, session: Session) -> list[CuePoint]:
        return self.points_of(session.events, session.plan.reps)

    def points_of(self, events: Sequence[Event], reps: int) -> list[CuePoint]:
        """The sounds these events make with this renderer's options and sound lengths."""
        return cue_points(events, reps, self.options, self._sound_ms)

    def replan(self, session: Session, origin: int | None, committed: int | None = None) -> None:
        """Re-derive every voice starting at or after ``committed`` (default: the renderer's
        own committed edge) from the session's current timeline placed at ``origin``.
        ``origin`` None (paused, finished, stopped) leaves silence after the edge."""
        points = self.points_for(session) if origin is not None else []
        running = session.status is SessionStatus.RUNNING
        with self._lock:
            edge = self._rendered_until if committed is None else committed
            kept = [v for v in self._voices if v.start < edge]
            self._started.update(v.point for v in kept)
            if running and origin is not None:
                for point in points:
                    if point in self._started:
                        continue
                    start = sample_at(origin, point.t_ms, self.rate, self.speed)
                    if start >= edge:
                        kept.append(Voice(start, point))
            kept.sort(key=lambda v: v.start)
            self._voices = kept
            self._starts = [v.start for v in kept]

    def render_float(self, start: int, frames: int) -> np.ndarray:
        """Samples ``start .. start+frames`` as float32 (limited), without committing them."""
        out = np.zeros(frames, dtype=np.float32)
        end = start + frames
        with self._lock:
            lo = bisect.bisect_left(self._starts, start - self._longest)
            hi = bisect.bisect_left(self._starts, end)
            voices = self._voices[lo:hi]
        if not voices:
            return out
        for voice in voices:
            sound = self.sounds[voice.point.sound]
            a = max(voice.start, start)
            b = min(voice.start + len(sound), end)
            if a < b:
                out[a - start : b - start] += sound[a - voice.start : b - voice.start]
        return limit(out)

    def render(self, start: int, frames: int) -> np.ndarray:
        """Samples ``start .. start+frames`` as int16, and mark them committed."""
        pcm = np.round(self.render_float(start, frames) * 32767.0).astype(np.int16)
        with self._lock:
            self._rendered_until = max(self._rendered_until, start + frames)
        return pcm

    def end_sample(self) -> int:
        """The first sample after the last voice has died away."""
        with self._lock:
            return max((v.start + len(self.sounds[v.point.sound]) for v in self._voices), default=0)
