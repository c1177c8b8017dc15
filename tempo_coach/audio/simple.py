"""The simpleaudio engine: the rest of the set pre-rendered and played as one buffer.

Inside one buffer every cue sits on its sample, whatever the GUI thread does. A buffer covers
up to CHUNK_S; a live change, a pause or the end of a chunk needs a new buffer, started by a
small scheduler thread at a quiet moment (no cue within SPLICE_QUIET_S after it), because
``PlayObject.stop()`` still lets ~200 ms of the old buffer out (measured with
../shared/tools/audio-capture/sa_stop_tail.py). Every buffer is placed on the *original*
grid: the engine maps session time to the monotonic clock once per run and a new buffer is
started at the monotonic moment its first sample is due, so an error at one splice (the
unknown start latency of ``play_buffer``, a few ms) never adds up.

After a pause the engine starts a new run the way ``begin()`` does: its clock stays still
through CLIP_GUARD_SILENCE_S of silence, so the first cue after the pause is not clipped by
the sound server's start-up.

simpleaudio 1.0.4 crashes on Python 3.12+ (py-simple-audio issues #72 and #76: PyMem_Malloc
without the GIL in its playback thread); there the ``simpleaudio-patched`` fork must be
installed, otherwise this engine reports itself unavailable instead of crashing.
"""

from __future__ import annotations

import importlib.metadata
import logging
import math
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from tempo_coach.audio.base import CLIP_GUARD_SILENCE_S, EngineUnavailable
from tempo_coach.audio.renderer import CueRenderer
from tempo_coach.audio.sounds import RATE
from tempo_coach.core.clock import Clock, MonotonicClock
from tempo_coach.core.session import Session, SessionStatus

log = logging.getLogger(__name__)

HORIZON_MS = 1500
CHUNK_S = 120.0  # one buffer covers at most this much (10 MB of 16-bit mono)
RENEW_BEFORE_S = 20.0  # start the next chunk this long before the current one runs out
STOP_TAIL_S = 0.25  # what stop() may still let out (measured: 200 ms heard, 220 ms not)
SPLICE_QUIET_S = 0.26  # a new buffer starts where no cue starts for this long
EARLIEST_SPLICE_S = 0.15  # time to render and start a buffer
START_MARGIN_S = 0.05  # a run's first buffer starts this long after begin()/resume
RENDER_AHEAD_S = 0.12  # a planned buffer is rendered this long before it is due
PLAY_CALL_S = 0.0015  # play_buffer() takes ~1.4 ms (median, measured) before sound flows


def simpleaudio_problem() -> str | None:
    """None when simpleaudio can run here, else why not (in the user's words)."""
    if sys.version_info >= (3, 12):
        try:
            importlib.metadata.distribution("simpleaudio-patched")
        except importlib.metadata.PackageNotFoundError:
            return (
                "simpleaudio 1.0.4 crashes on Python 3.12 and later; "
                "install simpleaudio-patched (same module, fixed)"
            )
    try:
        import simpleaudio  # noqa: F401
    except ImportError as error:
        return f"simpleaudio is not installed ({error})"
    return None


class SimpleAudioEngine:
    name = "simpleaudio"

    def __init__(
        self, renderer_factory: Callable[[], CueRenderer], clock: Clock | None = None
    ) -> None:
        """``clock`` is the engine's raw clock and places every buffer on the grid
        (default: the monotonic clock)."""
        problem = simpleaudio_problem()
        if problem:
            raise EngineUnavailable(problem)
        import simpleaudio

        self._sa: Any = simpleaudio
        self._renderer_factory = renderer_factory
        self._clock = clock or MonotonicClock()
        self._lock = threading.RLock()
        self._wake = threading.Condition(self._lock)
        # raw clock = frozen + max(0, monotonic - zero): still until the grid's sample 0
        self._frozen = self._clock.now()
        self._zero: float | None = None
        self._session: Session | None = None
        self._to_raw: Callable[[float], float] = lambda value: value
        self._renderer: CueRenderer | None = None
        self._play: Any = None
        self._buffer_end = 0  # grid sample where the playing buffer's content ends
        self._buffer_start_mono = 0.0
        self._buffer_len_s = 0.0
        self._splice_at: int | None = None  # grid sample of the next planned buffer start
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._on_failure: Callable[[str], None] = lambda reason: None
        self.splices: list[tuple[int, float]] = []  # (grid sample, start error estimate s)
        self.splice_points: list[int] = []  # session ms of the first cue of each buffer

    @property
    def horizon_ms(self) -> int:
        return HORIZON_MS

    def set_failure_handler(self, handler: Callable[[str], None]) -> None:
        self._on_failure = handler

    # -- clock and grid --------------------------------------------------------------------

    def raw_now(self) -> float:
        with self._lock:
            if self._zero is None:
                return self._frozen
            return self._frozen + max(0.0, self._clock.now() - self._zero)

    def _grid_now(self) -> int:
        """The grid sample due now (sample 0 = the run's zero moment)."""
        assert self._zero is not None
        return round((self._clock.now() - self._zero) * RATE)

    def _origin(self) -> int | None:
        session = self._session
        if session is None or session.status is not SessionStatus.RUNNING:
            return None
        raw_at_zero = self._to_raw(session.wall_offset_s())
        return round((raw_at_zero - self._frozen) * RATE)

    # -- the session -----------------------------------------------------------------------

    def begin(self, session: Session, to_raw: Callable[[float], float]) -> None:
        self.end()
        with self._lock:
            self._session = session
            self._to_raw = to_raw
            self._stopping = False
        self._start_run(carry=None)
        self._thread = threading.Thread(target=self._scheduler, name="simpleaudio", daemon=True)
        self._thread.start()

    def _start_run(self, carry: CueRenderer | None) -> None:
        """A new grid: the clock stands still until the leading silence has played, then the
        first buffer plays from the session's present moment."""
        with self._lock:
            self._frozen = self.raw_now()
            start_mono = self._clock.now() + START_MARGIN_S
            self._zero = start_mono + CLIP_GUARD_SILENCE_S
            renderer = self._renderer_factory()
            if carry is not None:
                renderer.inherit_started(carry)
            self._renderer = renderer
            session = self._session
        assert session is not None
        renderer.replan(session, self._origin(), committed=0)
        self._play_from(-round(CLIP_GUARD_SILENCE_S * RATE))

    def _play_from(self, start: int) -> None:
        """Render from grid sample ``start`` and play it when that sample is due."""
        renderer = self._renderer
        zero = self._zero
        assert renderer is not None and zero is not None
        end = min(start + round(CHUNK_S * RATE), max(start, renderer.end_sample()) + RATE // 4)
        pcm = np.round(renderer.render_float(start, max(1, end - start)) * 32767).astype(np.int16)
        first = next((v for v in renderer.voices if v.start >= start), None)
        if first is not None:
            self.splice_points.append(first.point.t_ms)
        due = zero + start / RATE
        wait = due - PLAY_CALL_S - self._clock.now()
        if wait > 0:
            time.sleep(wait)
        old = self._play
        if old is not None:
            old.stop()
        # Late (rendering took long, or another thread held the GIL through the moment):
        # drop the head, silence by the quiet rule, so that every sample still plays at its
        # own moment. Checked last, with the GIL in hand, right before the call.
        late = self._clock.now() + PLAY_CALL_S - due
        skip = math.ceil(late * RATE) if late > 0 else 0
        samples = pcm.data[skip:]  # a view, no copy: simpleaudio copies it itself
        due += skip / RATE
        try:
            play = self._sa.play_buffer(samples, 1, 2, RATE)
        except Exception as error:  # simpleaudio raises its own error types for ALSA failures
            self._play = None
            raise EngineUnavailable(f"simpleaudio could not play: {error}") from None
        started = self._clock.now()
        with self._lock:
            self._play = play
            self._buffer_end = end
            self._buffer_start_mono = started
            self._buffer_len_s = len(samples) / RATE
            self.splices.append((start, started - due))

    def session_changed(self) -> None:
        with self._lock:
            session = self._session
            renderer = self._renderer
            if session is None or renderer is None or self._zero is None:
                return
            if session.status is not SessionStatus.RUNNING:
                # Paused or over: stop now (what stop() lets out is counted as heard).
                edge = self._grid_now() + round(STOP_TAIL_S * RATE)
                renderer.replan(session, None, committed=edge)
                if self._play is not None:
                    self._play.stop()
                    self._play = None
                self._splice_at = None
                return
            if self._play is None:
                resume = True
            else:
                resume = False
                # Everything that may still come out of the playing buffer stays.
                edge = self._grid_now() + round((EARLIEST_SPLICE_S + STOP_TAIL_S) * RATE)
                renderer.replan(session, self._origin(), committed=edge)
                self._plan_splice()
        if resume:
            try:
                self._start_run(carry=renderer)
            except EngineUnavailable as error:
                self._on_failure(str(error))

    def _plan_splice(self) -> None:
        """The earliest quiet moment, from EARLIEST_SPLICE_S on, to start a new buffer."""
        renderer = self._renderer
        assert renderer is not None
        earliest = self._grid_now() + round(EARLIEST_SPLICE_S * RATE)
        quiet = round(SPLICE_QUIET_S * RATE)
        starts = [v.start for v in renderer.voices if v.start >= earliest - quiet]
        candidate = earliest
        for start in starts:
            if start >= candidate + quiet:
                break
            if start >= candidate:
                candidate = start + RATE // 100  # just after a cue's first sample
        self._splice_at = candidate
        self._wake.notify_all()

    def _scheduler(self) -> None:
        """Starts planned buffers on time; renews a chunk before it runs out; notices a
        buffer that stopped early (the device went away)."""
        while True:
            failed = False
            splice: int | None = None
            with self._lock:
                if self._stopping:
                    return
                now = self._clock.now()
                if self._play is not None and not self._play.is_playing():
                    if now < self._buffer_start_mono + self._buffer_len_s - 0.5:
                        failed = True
                    self._play = None
                renderer = self._renderer
                if (
                    self._play is not None
                    and self._splice_at is None
                    and renderer is not None
                    and self._zero is not None
                    and self._buffer_end < renderer.end_sample()
                    and self._buffer_end / RATE - (now - self._zero) < RENEW_BEFORE_S
                ):
                    self._plan_splice()
                wait = 0.1
                if not failed and self._splice_at is not None and self._zero is not None:
                    due = self._zero + self._splice_at / RATE - RENDER_AHEAD_S
                    if now >= due:
                        splice, self._splice_at = self._splice_at, None
                    else:
                        wait = min(wait, due - now)
                if not failed and splice is None:
                    self._wake.wait(wait)
                    continue
            if failed:
                self._on_failure("the sound device stopped playing")
                return
            assert splice is not None
            try:
                self._play_from(splice)
            except EngineUnavailable as error:
                self._on_failure(str(error))
                return

    def end(self) -> None:
        with self._lock:
            self._stopping = True
            self._wake.notify_all()
            thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5)
        with self._lock:
            finished = self._session is not None and self._session.status is SessionStatus.FINISHED
            if self._play is not None and not finished:
                # (after a finished session the buffer plays out its last cue by itself)
                self._play.stop()
            self._play = None
            if self._zero is not None:
                self._frozen = self.raw_now()
                self._zero = None
            self._session = None
            self._splice_at = None

    def close(self) -> None:
        self.end()
