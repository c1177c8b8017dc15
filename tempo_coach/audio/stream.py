"""The streaming engine: one continuous pull-mode ``QAudioSink`` fed by the renderer.

Why Qt's own sink (docs/AUDIO.md has the figures): it comes with the PySide6 wheel we already
depend on, on Linux, Windows and macOS, with no compiler and no system library to install
(sounddevice needs PortAudio, which Debian ships separately as libportaudio2); in pull mode it
placed every cue on its sample, also while the GUI thread held the GIL for 100 ms.

The sink lives in its own ``QThread`` with its own event loop, so the sink's reads (which Qt
makes on the thread the sink belongs to) never wait for the GUI thread's event loop; they only
need the GIL for the few hundred microseconds a block takes to mix. The stream opens at
``begin()`` and closes at ``end()``: its first BUFFER_FILL_SILENCE_S are silence, and the raw
clock stays still until that silence has been handed to the device, so the session's time 0
is the stream's sample BUFFER_FILL_SILENCE_S * rate, exactly.

The clock is ``QAudioSink.processedUSecs()`` (audio handed to the sound server), read every
100 ms on the sink's thread; ``DevicePosition`` turns those coarse, stepwise readings into a
smooth position (a line of slope one through the highest recent reading). On PulseAudio the
server holds what it was handed for a while before it is heard (our stream's buffer in the
server and the sink's latency, ~80 ms here): ``server_latency.LatencyPoller`` asks the server
on a thread of its own and the clock subtracts its estimate, so that the clock, and with it
the screen and a tap's timing, means "heard now". Elsewhere it stays uncorrected. Everything
rendered beyond it (the sink's 500 ms buffer plus one read of up to ~190 ms: measured at most
680 ms) is committed; ``horizon_ms`` covers that with a margin. A stall watchdog on the
engine's clock (an injected ``Clock``, so tests drive it on a FakeClock) reports a device that
stopped taking sound.

The Qt side (``_qt_stream.SinkWorker``) is imported only when a stream starts, and gets every
figure it needs (buffer size, latency request) from here as arguments: it imports nothing of
this module.

The buffer is 500 ms, not Qt's 250 ms default: with 250 ms, three sessions running at once
on this 2-core machine while their main threads held the GIL slipped by 2 to 35 ms (the sink
ran dry); with 500 ms they stayed exact (bench/audio_timing.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol

from tempo_coach.audio.base import EngineUnavailable
from tempo_coach.audio.renderer import CueRenderer
from tempo_coach.audio.server_latency import LatencyPoller
from tempo_coach.audio.sounds import RATE
from tempo_coach.core.clock import Clock, MonotonicClock
from tempo_coach.core.session import Session, SessionStatus

log = logging.getLogger(__name__)

#: Qt's own ring buffer, which the sink's thread fills (not the sound server's buffer).
BUFFER_S = 0.5
#: Silence at the start of each stream, longer than base.CLIP_GUARD_SILENCE_S: while
#: PulseAudio fills a new stream's buffer it sometimes runs dry once (measured: 0.9 to 30 ms
#: of silence inserted, more when the main thread held the GIL then). Any such gap must fall
#: before the first cue; the clock stands still until this silence has been handed over, so
#: nothing is late.
BUFFER_FILL_SILENCE_S = 0.5
HORIZON_MS = 1000
#: The latency asked of PulseAudio for the stream (see _qt_stream.pulse_latency). Measured on
#: this machine's null sink (``python -m bench pulse_latency``): the server then buffers 70 ms
#: of our sound (17 ms without it) and a bare sink uses 0.63 % of one core instead of 1.45 %
#: (Qt's PulseAudio thread wakes far less often); the screen then leads the sound by ~76 ms
#: instead of ~16 ms (docs/AUDIO.md, Limits).
PULSE_LATENCY_MS = 100
START_TIMEOUT_S = 5.0
#: how far the estimated position may run past the last reading of the device counter: more
#: than one reading interval plus one of the server's steps, so a device that stops taking
#: sound stops the clock soon after
MAX_AHEAD_S = 0.3
#: readings older than this no longer count (follows the drift between the sound card's
#: clock and the monotonic clock, tens of ppm: well under a millisecond per window)
POSITION_WINDOW_S = 2.0
#: a device that takes no sound for this long is gone (the sound server died, the card
#: vanished): the output switches to the next engine rather than let the set stand still
STALL_S = 1.0
STALL_REASON = "the audio device stopped taking sound"
#: The most of the server's latency the clock subtracts. The commit horizon (HORIZON_MS,
#: fixed when a session is made) must cover what is committed beyond the *heard* position:
#: Qt's buffer and one read (at most ~690 ms) plus this, with a margin. A longer latency (a
#: Bluetooth sink: 100 to 300 ms) is corrected up to this much.
MAX_LATENCY_S = 0.25
#: While the server's latency is not known yet but is being asked (the first readings come
#: within ~0.5 s, during the leading silence), the clock stands still, at most this long
#: after the stream starts; then it runs uncorrected until an estimate comes.
LATENCY_WAIT_S = 1.0


class Latency(Protocol):
    """The server's latency for the playing stream (``server_latency.LatencyPoller``)."""

    def start(self) -> None: ...

    def value(self) -> float | None: ...

    def may_come(self) -> bool: ...

    def stop(self) -> None: ...


class Sink(Protocol):
    """The thread that plays one stream (``_qt_stream.SinkWorker``). It calls
    ``on_position(seconds handed to the device)`` every _qt_stream.POSITION_EVERY_MS and
    ``on_failure(reason)`` at most once, both on its own thread."""

    def start_and_wait(self, timeout_s: float) -> str | None:
        """Start playing; None when sound flows, else why not."""
        ...

    def detach(self) -> None:
        """Stop calling back (the stream may still play out its last cue)."""
        ...

    def stop(self) -> None: ...


SinkFactory = Callable[[CueRenderer, Callable[[float], None], Callable[[str], None]], Sink]


def qt_sink(
    renderer: CueRenderer,
    on_position: Callable[[float], None],
    on_failure: Callable[[str], None],
) -> Sink:
    """The real sink: a pull-mode QAudioSink in its own QThread (Qt is imported only now)."""
    from tempo_coach.audio._qt_stream import SinkWorker

    return SinkWorker(
        renderer,
        on_position,
        on_failure,
        buffer_s=BUFFER_S,
        pulse_latency_ms=PULSE_LATENCY_MS,
    )


def qt_multimedia_problem() -> str | None:
    """None when Qt Multimedia can be imported, else why not."""
    try:
        from PySide6 import QtMultimedia  # noqa: F401
    except ImportError as error:
        return f"Qt Multimedia is not installed ({error}); it comes with the PySide6 package"
    return None


class DevicePosition:
    """The stream's position in seconds, from coarse readings of the device counter.

    ``QAudioSink.processedUSecs()`` moves in steps (each time the server takes a chunk: tens of
    ms with our latency) and is read only every ``POSITION_EVERY_MS``; holding the last reading
    and counting on from when it *changed* (session 1) made the screen's clock jitter by a
    reading interval. Between steps the true position moves on at one second per second, and a
    reading never runs ahead of the chunk boundary it reports, so the estimate is the line of
    slope one through the highest recent reading: ``now + max(reading - t)`` over the last
    ``window_s``. It never runs more than ``max_ahead_s`` past the latest reading, so a stuck
    device stops the clock. ``moved_at`` (when the counter last changed) is for the stall
    watchdog. Pure: times are passed in (tests drive it with made-up readings).
    """

    def __init__(self, window_s: float = POSITION_WINDOW_S, max_ahead_s: float = MAX_AHEAD_S):
        self._window_s = window_s
        self._max_ahead_s = max_ahead_s
        self._offsets: deque[tuple[float, float]] = deque()  # (t, reading - t)
        self._latest: float | None = None
        self.moved_at: float | None = None

    def add(self, reading_s: float, t: float) -> None:
        if self._latest is None or reading_s != self._latest:
            self.moved_at = t
        self._latest = reading_s
        offsets = self._offsets
        offset = reading_s - t
        # keep only readings that can still be the highest line: older, lower ones never are
        while offsets and offsets[-1][1] <= offset:
            offsets.pop()
        offsets.append((t, offset))
        while offsets[0][0] < t - self._window_s:
            offsets.popleft()

    def estimate(self, now: float) -> float | None:
        if self._latest is None:
            return None
        return min(now + self._offsets[0][1], self._latest + self._max_ahead_s)


class StreamEngine:
    name = "stream"

    def __init__(
        self,
        renderer_factory: Callable[[], CueRenderer],
        clock: Clock | None = None,
        sink_factory: SinkFactory = qt_sink,
        latency_factory: Callable[[], Latency] | None = None,
    ) -> None:
        """``clock`` times the device readings and the stall watchdog (default: the
        monotonic clock); ``sink_factory`` makes the thread that plays a stream (tests pass
        a scripted one); ``latency_factory`` makes what reports the server's latency for
        each stream (default: ``LatencyPoller`` with the real sink, nothing with another)."""
        if sink_factory is qt_sink:
            problem = qt_multimedia_problem()
            if problem:
                raise EngineUnavailable(problem)
        self._renderer_factory = renderer_factory
        self._clock = clock or MonotonicClock()
        self._sink_factory = sink_factory
        if latency_factory is None and sink_factory is qt_sink:
            latency_factory = LatencyPoller
        self._latency_factory = latency_factory
        self._latency: Latency | None = None
        self._lock = threading.Lock()
        self._base = 0.0  # raw clock value while no stream plays
        self._position: DevicePosition | None = None  # None while no stream plays
        self._worker: Sink | None = None
        self._renderer: CueRenderer | None = None
        self._session: Session | None = None
        self._to_raw: Callable[[float], float] = lambda value: value
        self._stream_base = 0.0
        self._on_failure: Callable[[str], None] = lambda reason: None
        self._started_at: float | None = None
        self._draining: list[threading.Thread] = []
        self._stall_reported = False

    @property
    def horizon_ms(self) -> int:
        return HORIZON_MS

    @property
    def renderer(self) -> CueRenderer | None:
        return self._renderer

    def set_failure_handler(self, handler: Callable[[str], None]) -> None:
        self._on_failure = handler

    # -- the clock ---------------------------------------------------------------------------

    def raw_now(self) -> float:
        """The stream's position past its leading silence, plus where earlier streams ended.

        Also the stall watchdog: a stream whose device counter has not moved for STALL_S (or
        that never reported a position within START_TIMEOUT_S + STALL_S of starting) is
        reported to the failure handler, once."""
        stalled = False
        with self._lock:
            now = self._clock.now()
            position = self._position
            estimate = position.estimate(now) if position is not None else None
            if position is None or estimate is None or position.moved_at is None:
                if self._started_at is not None:
                    stalled = now - self._started_at > STALL_S + START_TIMEOUT_S
                value = self._base
            else:
                stalled = now - position.moved_at > STALL_S
                value = self._base + self._heard(estimate, now)
            if stalled and not self._stall_reported:
                self._stall_reported = True
            else:
                stalled = False
        if stalled:
            self._worker_failed(STALL_REASON)
        return value

    def _heard(self, processed_s: float, now: float) -> float:
        """Seconds of this stream heard past its leading silence, given the position handed
        to the server: less the server's latency where it reports one (call with the lock)."""
        latency = self.server_latency_s()
        if latency is None:
            waiting = self._latency is not None and self._latency.may_come()
            started = self._started_at
            if waiting and started is not None and now - started < LATENCY_WAIT_S:
                return 0.0  # still in the leading silence: wait for the figure
            latency = 0.0
        return max(0.0, processed_s - latency - BUFFER_FILL_SILENCE_S)

    def server_latency_s(self) -> float | None:
        """What the clock subtracts for the server (None: not known, not corrected)."""
        latency = self._latency.value() if self._latency is not None else None
        return None if latency is None else min(MAX_LATENCY_S, max(0.0, latency))

    def _on_position(self, processed_s: float) -> None:
        """Called on the sink's thread every POSITION_EVERY_MS with the device counter."""
        with self._lock:
            if self._position is None:
                self._position = DevicePosition()
            self._position.add(processed_s, self._clock.now())

    # -- the session -------------------------------------------------------------------------

    def _origin(self) -> int | None:
        session = self._session
        if session is None or session.status is not SessionStatus.RUNNING:
            return None
        raw_at_zero = self._to_raw(session.wall_offset_s())
        return round(BUFFER_FILL_SILENCE_S * RATE + (raw_at_zero - self._stream_base) * RATE)

    def begin(self, session: Session, to_raw: Callable[[float], float]) -> None:
        self.end()
        self._session = session
        self._to_raw = to_raw
        with self._lock:
            self._stream_base = self._base
        self._renderer = self._renderer_factory()
        self._renderer.replan(session, self._origin())
        with self._lock:
            self._started_at = self._clock.now()
            self._stall_reported = False
        worker = self._sink_factory(self._renderer, self._on_position, self._worker_failed)
        self._worker = worker
        problem = worker.start_and_wait(START_TIMEOUT_S)
        if problem is not None:
            self._worker = None
            worker.stop()
            raise EngineUnavailable(problem)
        if self._latency_factory is not None:
            latency = self._latency_factory()
            latency.start()
            with self._lock:
                self._latency = latency

    def session_changed(self) -> None:
        if self._renderer is not None and self._session is not None:
            self._renderer.replan(self._session, self._origin())

    def _worker_failed(self, reason: str) -> None:
        log.warning("audio stream failed: %s", reason)
        self._on_failure(reason)

    def end(self) -> None:
        """Stop this session's stream. After a finished session the stream is left to play
        out the last cue on its own thread (the caller is not kept waiting)."""
        worker, self._worker = self._worker, None
        session, renderer = self._session, self._renderer
        tail_s = 0.0
        with self._lock:
            now = self._clock.now()
            estimate = None if self._position is None else self._position.estimate(now)
            if estimate is not None:
                # the clock continues from where it was: the stream's position at its end
                processed = estimate
                self._base = self._base + self._heard(processed, now)
                finished = session is not None and session.status is SessionStatus.FINISHED
                if renderer is not None and finished:
                    # What is still to come out: the last cue, then the sink's buffer.
                    left = renderer.end_sample() / RATE - processed
                    tail_s = min(2.0, max(0.0, left) + BUFFER_S + 0.2)
            self._position = None
            self._started_at = None
            latency, self._latency = self._latency, None
        if latency is not None:
            latency.stop()
        self._session = None
        if worker is None:
            return
        worker.detach()  # it no longer moves this engine's clock or reports failures
        if tail_s > 0:

            def stop_later() -> None:
                time.sleep(tail_s)
                worker.stop()

            thread = threading.Thread(target=stop_later, name="stream-tail", daemon=True)
            thread.start()
            self._draining.append(thread)
        else:
            worker.stop()

    def close(self) -> None:
        """Stop for good; waits (at most ~2 s) for a last cue still playing out, because a
        QThread must not outlive the process."""
        self.end()
        for thread in self._draining:
            thread.join(timeout=3)
        self._draining.clear()
