"""How long the sound server holds our stream before it is heard (PulseAudio only).

The stream's clock counts the sound handed to the server (``QAudioSink.processedUSecs()``).
A PulseAudio server holds that sound for a while before it is heard: the stream's own buffer
in the server (its sink input's "buffer latency", ~70 ms with our 100 ms request) and the
sink's (the device's) latency. Qt exposes neither, but the server reports both for every
sink input; ``LatencyPoller`` asks it on a thread of its own (never the GUI thread, never the
audio thread) and keeps a robust estimate (``LatencyEstimate``: the median of recent steady
readings), which the stream engine subtracts from its clock, so that the clock (the screen,
a tap's timing) means "heard now".

Only a genuine PulseAudio server is asked. Elsewhere (PipeWire, whose Qt backend does not
read our latency request and whose reports are not measured here; Windows; macOS; no server
at all; no libpulse) the estimate stays unknown and the clock is left uncorrected: a
constant would be wrong wherever the request has no effect (docs/AUDIO.md).

The server is reached with ``pulsectl`` (ctypes over libpulse, which Qt's PulseAudio backend
loads anyway); it is imported only when a stream starts.
"""

from __future__ import annotations

import logging
import os
import statistics
import threading
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

log = logging.getLogger(__name__)

#: poll quickly while a stream starts (its first cue follows its 0.5 s of leading silence),
#: then rarely: the latency of a running stream barely moves
FAST_POLL_S = 0.05
FAST_POLLS = 40
SLOW_POLL_S = 1.0
#: the estimate is the median of this many recent steady readings
WINDOW = 15
#: a new median moves the estimate only when it differs by more than this (the clock would
#: otherwise hold or hop by a millisecond at every poll)
HYSTERESIS_S = 0.002
#: a sink reading above its configured latency by more than this is a transient: right after
#: a stream connects PulseAudio's sink has rendered far ahead (measured on the null sink:
#: 452 ms, draining at one second per second within ~0.5 s), which says nothing about later
STEADY_SLACK_US = 2000
#: after this many transient readings in a row they are believed (a sink that stays there)
TRANSIENT_LIMIT = 30


@dataclass(frozen=True)
class SinkInput:
    """What the server reports of one playing stream (a PulseAudio sink input)."""

    index: int
    pid: str | None  # the proplist's application.process.id
    buffer_usec: int  # the stream's own buffer in the server
    sink_usec: int  # the sink's (device's) latency now
    sink_configured_usec: int  # the latency the sink is configured for (0: unknown)


@dataclass(frozen=True)
class Reading:
    latency_s: float
    steady: bool


def our_stream(inputs: Iterable[SinkInput], pid: int) -> Reading | None:
    """The latency of this process's newest stream (buffer + sink), or None when the server
    lists none of ours. The newest: after a session ends its stream may play out its last
    cue while the next one starts."""
    mine = [si for si in inputs if si.pid == str(pid)]
    if not mine:
        return None
    newest = max(mine, key=lambda si: si.index)
    steady = (
        newest.sink_configured_usec <= 0
        or newest.sink_usec <= newest.sink_configured_usec + STEADY_SLACK_US
    )
    return Reading((newest.buffer_usec + newest.sink_usec) / 1e6, steady)


class LatencyEstimate:
    """The median of the last ``window`` steady readings, moved only by more than
    ``hysteresis_s``; None until the first usable reading. Pure (tests feed it readings)."""

    def __init__(self, window: int = WINDOW, hysteresis_s: float = HYSTERESIS_S) -> None:
        self._values: deque[float] = deque(maxlen=window)
        self._hysteresis_s = hysteresis_s
        self._transients = 0
        self.value: float | None = None

    def add(self, reading: Reading) -> None:
        if not reading.steady:
            self._transients += 1
            if self._transients < TRANSIENT_LIMIT:
                return
        else:
            self._transients = 0
        self._values.append(reading.latency_s)
        median = statistics.median(self._values)
        if self.value is None or abs(median - self.value) > self._hysteresis_s:
            self.value = median


class Server(Protocol):
    """A connection to the sound server (``PulseServer``; tests pass scripted ones)."""

    def sink_inputs(self) -> Sequence[SinkInput]: ...

    def close(self) -> None: ...


class ServerUnavailable(RuntimeError):
    """No PulseAudio server to ask; the message says why."""


class PulseServer:
    """A pulsectl connection to the PulseAudio server this process plays to (the same
    PULSE_SERVER, runtime folder and cookie as libpulse inside Qt). Never starts a server."""

    def __init__(self, timeout_s: float = 1.0) -> None:
        try:
            import pulsectl
        except Exception as error:  # not installed, or libpulse missing (Windows, macOS)
            raise ServerUnavailable(f"no PulseAudio client library ({error})") from None
        self._pulse: Any = pulsectl.Pulse("tempo-coach latency", connect=False)
        try:
            self._pulse.connect(autospawn=False, timeout=timeout_s)
            name = self._pulse.server_info().server_name
        except Exception as error:
            self._pulse.close()
            raise ServerUnavailable(f"no PulseAudio server ({error})") from None
        if name != "pulseaudio":
            self._pulse.close()
            raise ServerUnavailable(f"the sound server is {name!r}, not PulseAudio")

    def sink_inputs(self) -> list[SinkInput]:
        configured = {sink.index: int(sink.configured_latency) for sink in self._pulse.sink_list()}
        return [
            SinkInput(
                index=int(si.index),
                pid=si.proplist.get("application.process.id"),
                buffer_usec=int(si.buffer_usec),
                sink_usec=int(si.sink_usec),
                sink_configured_usec=configured.get(si.sink, 0),
            )
            for si in self._pulse.sink_input_list()
        ]

    def close(self) -> None:
        self._pulse.close()


class LatencyPoller:
    """Asks the server for our stream's latency on its own thread while a stream plays.

    ``value()`` is the estimate in seconds, or None while unknown; ``may_come()`` tells
    whether one may still come (False once the server cannot be asked: the clock then runs
    uncorrected). ``stop()`` tells the thread to end and returns at once (the caller may be
    the GUI thread; the thread ends after the request in flight, if any)."""

    def __init__(
        self,
        connect: Callable[[], Server] = PulseServer,
        pid: int | None = None,
        sleep: Callable[[threading.Event, float], bool] | None = None,
    ) -> None:
        self._connect = connect
        self._pid = os.getpid() if pid is None else pid
        self._estimate = LatencyEstimate()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._gave_up = False
        self._sleep = sleep or (lambda event, seconds: event.wait(seconds))
        self._thread: threading.Thread | None = None
        self.problem: str | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="server-latency", daemon=True)
        self._thread.start()

    def value(self) -> float | None:
        with self._lock:
            return self._estimate.value

    def may_come(self) -> bool:
        """True while an estimate is not known yet but the server is still being asked."""
        with self._lock:
            return self._estimate.value is None and not self._gave_up

    def stop(self) -> None:
        self._stop.set()

    def join(self, timeout_s: float) -> bool:
        """Wait for the thread to end (tests); True when it has."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout_s)
            return not thread.is_alive()
        return True

    def poll_once(self, server: Server) -> None:
        reading = our_stream(server.sink_inputs(), self._pid)
        if reading is not None:
            with self._lock:
                self._estimate.add(reading)

    def _give_up(self, problem: str) -> None:
        self.problem = problem
        with self._lock:
            self._gave_up = True
        log.info("the screen is not corrected for the sound server's latency: %s", problem)

    def _run(self) -> None:
        try:
            server = self._connect()
        except ServerUnavailable as error:
            self._give_up(str(error))
            return
        except Exception as error:  # any failure to reach the server: run uncorrected
            self._give_up(f"the sound server could not be asked ({error})")
            return
        polls = 0
        try:
            while not self._stop.is_set():
                try:
                    self.poll_once(server)
                except Exception as error:  # the server went away mid-set
                    self._give_up(f"the sound server stopped answering ({error})")
                    return
                polls += 1
                if polls >= FAST_POLLS and self.value() is None:
                    with self._lock:
                        self._gave_up = True  # our stream never showed: run uncorrected
                wait = FAST_POLL_S if polls < FAST_POLLS else SLOW_POLL_S
                if self._sleep(self._stop, wait):
                    return
        finally:
            server.close()
