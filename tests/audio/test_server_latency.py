"""The server's latency for our stream (tempo_coach/audio/server_latency.py) and the stream
engine's clock that subtracts it (audio/stream.py): readings recorded from a real PulseAudio
16.1 server (the test harness's null sink, ``pulsectl``, every 50 ms from the moment a
stream started), a scripted server, and the engine on a FakeClock. No sound, no sleeping."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import pytest

from tempo_coach.audio.renderer import CueRenderer
from tempo_coach.audio.server_latency import (
    FAST_POLLS,
    TRANSIENT_LIMIT,
    LatencyEstimate,
    LatencyPoller,
    Reading,
    ServerUnavailable,
    SinkInput,
    our_stream,
)
from tempo_coach.audio.sounds import load_sound_set
from tempo_coach.audio.stream import (
    BUFFER_FILL_SILENCE_S,
    LATENCY_WAIT_S,
    MAX_LATENCY_S,
    StreamEngine,
)
from tempo_coach.core.clock import FakeClock
from tempo_coach.core.exercise import BUILTIN_EXERCISES, find_exercise
from tempo_coach.core.session import Session
from tempo_coach.core.timeline import SetPlan
from tests.audio.test_stream import READ_EVERY_S, ScriptedSink

PID = 14541
#: Recorded: the Qt stream's sink input, every 50 ms from its start (buffer, sink latency in
#: ms; the null sink is configured for 20 ms). The sink had rendered 452 ms ahead when the
#: stream connected and drained that at one second per second; then the sink's latency saws
#: between 0 and 20 ms as it renders in 20 ms blocks, and the buffer stays at 70 ms.
RECORDED_START = [
    (70, 452), (70, 401), (70, 350), (70, 299), (70, 249), (70, 198), (70, 147), (70, 95),
    (70, 44), (70, 13), (70, 2), (70, 11), (70, 1), (70, 10), (49, 19), (70, 8), (70, 17),
    (70, 7), (70, 16), (70, 5), (70, 13), (70, 1), (70, 10), (49, 19), (70, 9), (70, 18),
    (70, 7), (70, 17), (70, 6), (70, 16), (70, 5), (70, 14), (70, 3), (70, 13), (70, 2),
    (70, 12), (70, 1), (70, 10), (70, 19), (70, 8), (70, 0), (70, 10), (70, 19), (70, 8),
]  # fmt: skip
CONFIGURED_US = 20_000


def _ours(buffer_ms: int, sink_ms: int, index: int = 0, pid: int = PID) -> SinkInput:
    return SinkInput(index, str(pid), buffer_ms * 1000, sink_ms * 1000, CONFIGURED_US)


def test_our_newest_stream_is_read_and_others_are_not() -> None:
    other = SinkInput(3, "999", 200_000, 5_000, CONFIGURED_US)  # another program's stream
    ours_old = _ours(70, 5, index=1)  # the last session's stream playing out its last cue
    ours_new = _ours(70, 12, index=2)
    reading = our_stream([other, ours_new, ours_old], PID)
    assert reading == Reading(0.082, True)
    assert our_stream([other], PID) is None
    assert our_stream([], PID) is None
    # a sink input without a process id (a module's loopback, say) is never ours
    assert our_stream([SinkInput(4, None, 1, 1, 0)], PID) is None


def test_a_sink_above_its_configured_latency_is_a_transient() -> None:
    assert our_stream([_ours(70, 452)], PID) == Reading(0.522, False)
    assert our_stream([_ours(70, 21)], PID) == Reading(0.091, True)  # within the slack
    # a server that does not say what the sink is configured for: every reading counts
    unknown = SinkInput(0, str(PID), 70_000, 452_000, 0)
    assert our_stream([unknown], PID) == Reading(0.522, True)


def test_the_recorded_start_gives_the_buffer_plus_the_mean_sink_latency() -> None:
    estimate = LatencyEstimate()
    values = []
    for buffer_ms, sink_ms in RECORDED_START:
        reading = our_stream([_ours(buffer_ms, sink_ms)], PID)
        assert reading is not None
        estimate.add(reading)
        values.append(estimate.value)
    # nothing is known while the sink drains what it rendered before our stream came
    assert values[:9] == [None] * 9
    known = [v for v in values if v is not None]
    # then 70 ms of buffer plus the sink's 0..20 ms saw, about its middle; the start-up
    # transient (up to 522 ms) never enters
    assert all(0.074 <= v <= 0.086 for v in known), known
    assert known[-1] == pytest.approx(0.080, abs=0.003)
    # and once its window is full it moves only by more than the hysteresis, not at every
    # reading (each move holds or hops the clock)
    assert len(set(known[-20:])) <= 3, known[-20:]


def test_a_sink_that_stays_above_its_configured_latency_is_believed() -> None:
    estimate = LatencyEstimate()
    for _ in range(TRANSIENT_LIMIT - 1):
        estimate.add(Reading(0.3, False))
    assert estimate.value is None
    estimate.add(Reading(0.3, False))
    assert estimate.value == pytest.approx(0.3)


class ScriptedServer:
    def __init__(self, answers: Sequence[Sequence[SinkInput] | Exception]) -> None:
        self.answers = list(answers)
        self.closed = False

    def sink_inputs(self) -> Sequence[SinkInput]:
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer

    def close(self) -> None:
        self.closed = True


def _run(poller: LatencyPoller, polls: int) -> list[float]:
    """Run the poller's loop in this thread for ``polls`` polls; the waits it asked for."""
    waits: list[float] = []

    def sleep(stop: threading.Event, seconds: float) -> bool:
        waits.append(seconds)
        return len(waits) >= polls

    poller._sleep = sleep
    poller._run()
    return waits


def test_the_poller_polls_fast_at_first_then_rarely_and_closes() -> None:
    server = ScriptedServer([[_ours(70, 10)]])
    poller = LatencyPoller(lambda: server, pid=PID)
    assert poller.may_come()
    waits = _run(poller, FAST_POLLS + 3)
    assert poller.value() == pytest.approx(0.080)
    assert not poller.may_come()
    assert waits[0] < 0.1 and waits[-1] >= 1.0
    assert server.closed


def test_no_server_means_no_correction_and_says_why() -> None:
    def no_server() -> ScriptedServer:
        raise ServerUnavailable("the sound server is 'PulseAudio (on PipeWire 1.0.5)'")

    poller = LatencyPoller(no_server, pid=PID)
    _run(poller, 5)
    assert poller.value() is None and not poller.may_come()
    assert poller.problem is not None and "PipeWire" in poller.problem


def test_a_stream_that_never_shows_stops_the_wait() -> None:
    poller = LatencyPoller(lambda: ScriptedServer([[_ours(70, 10, pid=1)]]), pid=PID)
    _run(poller, FAST_POLLS - 1)
    assert poller.may_come()
    _run(poller, FAST_POLLS + 1)
    assert not poller.may_come() and poller.value() is None


def test_a_server_that_goes_away_keeps_the_last_estimate() -> None:
    server = ScriptedServer([[_ours(70, 10)], [_ours(70, 10)], ConnectionError("gone")])
    poller = LatencyPoller(lambda: server, pid=PID)
    _run(poller, 10)
    assert poller.value() == pytest.approx(0.080)
    assert poller.problem is not None and "stopped answering" in poller.problem
    assert server.closed


# -- the engine's clock: "heard now" ---------------------------------------------------------


class ScriptedLatency:
    def __init__(self, value: float | None, may_come: bool = False) -> None:
        self._value = value
        self._may_come = may_come
        self.started = self.stopped = False

    def start(self) -> None:
        self.started = True

    def value(self) -> float | None:
        return self._value

    def may_come(self) -> bool:
        return self._may_come

    def stop(self) -> None:
        self.stopped = True


class Rig:
    def __init__(self, latency: ScriptedLatency | None) -> None:
        self.clock = FakeClock(100.0)
        self.sinks: list[ScriptedSink] = []
        self.latency = latency
        sounds = load_sound_set("default", 1.0)

        def make_sink(*args: Any) -> ScriptedSink:
            self.sinks.append(ScriptedSink(*args))
            return self.sinks[-1]

        factory = (lambda: latency) if latency is not None else None
        self.engine = StreamEngine(lambda: CueRenderer(sounds), self.clock, make_sink, factory)
        plan = SetPlan.from_exercise(find_exercise("squat", BUILTIN_EXERCISES), reps=2, sets=1)
        self.session = Session(plan, FakeClock(0.0))
        self.session.start()
        self.engine.begin(self.session, lambda value: value)
        self.processed = 0.0

    def play(self, seconds: float) -> None:
        for _ in range(round(seconds / READ_EVERY_S)):
            self.clock.advance(READ_EVERY_S)
            self.processed += READ_EVERY_S
            self.sinks[-1].report_position(self.processed)


def test_the_clock_is_what_is_heard_the_servers_latency_later() -> None:
    latency = ScriptedLatency(0.080)
    rig = Rig(latency)
    assert latency.started
    rig.play(BUFFER_FILL_SILENCE_S)
    assert rig.engine.raw_now() == 0.0  # the silence has been handed over, not yet heard
    rig.play(0.1)
    assert rig.engine.raw_now() == pytest.approx(0.02, abs=1e-6)
    rig.play(2.0)
    # handed to the server: 2.1 s past the silence; heard: 2.02 s
    assert rig.engine.raw_now() == pytest.approx(2.02, abs=1e-6)
    at_end = rig.engine.raw_now()
    rig.engine.end()
    assert latency.stopped
    assert rig.engine.raw_now() == pytest.approx(at_end, abs=1e-6)  # continues from there


def test_without_a_server_figure_the_clock_is_what_was_handed_over() -> None:
    rig = Rig(ScriptedLatency(None, may_come=False))
    rig.play(BUFFER_FILL_SILENCE_S + 2.0)
    assert rig.engine.raw_now() == pytest.approx(2.0, abs=1e-6)
    rig = Rig(None)
    rig.play(BUFFER_FILL_SILENCE_S + 2.0)
    assert rig.engine.raw_now() == pytest.approx(2.0, abs=1e-6)


def test_the_clock_waits_for_a_figure_that_is_coming_but_not_for_long() -> None:
    latency = ScriptedLatency(None, may_come=True)
    rig = Rig(latency)
    rig.play(LATENCY_WAIT_S - 2 * READ_EVERY_S)
    assert rig.engine.raw_now() == 0.0  # past the silence, but the figure may come
    rig.play(4 * READ_EVERY_S)
    handed = rig.processed - BUFFER_FILL_SILENCE_S
    assert rig.engine.raw_now() == pytest.approx(handed, abs=1e-6)  # runs uncorrected


def test_a_latency_beyond_the_horizons_margin_is_corrected_only_up_to_it() -> None:
    rig = Rig(ScriptedLatency(0.6))  # a Bluetooth sink, say
    rig.play(BUFFER_FILL_SILENCE_S + 3.0)
    assert rig.engine.server_latency_s() == MAX_LATENCY_S
    assert rig.engine.raw_now() == pytest.approx(3.0 - MAX_LATENCY_S, abs=1e-6)
