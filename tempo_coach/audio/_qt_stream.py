"""The Qt side of the streaming engine: a QThread owning a pull-mode QAudioSink.

Kept apart from stream.py so that importing the audio package never imports Qt; stream.py
imports this module only when a stream starts, and this module imports nothing of stream.py
(the engine passes the buffer size and the latency request in).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator

from PySide6.QtCore import QCoreApplication, QIODevice, QThread, QTimer
from PySide6.QtMultimedia import QAudioFormat, QAudioSink, QMediaDevices, QtAudio

from tempo_coach.audio.renderer import CueRenderer
from tempo_coach.audio.sounds import RATE

POSITION_EVERY_MS = 100  # stream.DevicePosition smooths between readings
PULSE_LATENCY_ENV = "PULSE_LATENCY_MSEC"
_env_lock = threading.Lock()


@contextlib.contextmanager
def pulse_latency(ms: int) -> Iterator[None]:
    """Ask PulseAudio (and PipeWire's pulse server) for a ``ms`` stream latency while the
    sink connects, unless the user set PULSE_LATENCY_MSEC themselves.

    Why: Qt 6.11's PulseAudio sink asks for ~17 ms of server-side buffer whatever
    ``setBufferSize`` says (that only sizes Qt's own ring buffer). Qt's PulseAudio thread
    must then refill the server every few milliseconds; when the machine is busy and that
    thread is not scheduled for ~20 ms the stream runs dry and every later cue is late
    (measured: 6.8 to 18 ms slips in 10 minutes). libpulse reads this variable when a
    stream connects, so it is set only around ``QAudioSink.start`` and only for this
    process; ALSA clients (simpleaudio) are not affected.
    """
    with _env_lock:
        if PULSE_LATENCY_ENV in os.environ or ms <= 0:
            yield
            return
        os.environ[PULSE_LATENCY_ENV] = str(ms)
        try:
            yield
        finally:
            os.environ.pop(PULSE_LATENCY_ENV, None)


def ensure_qt_application() -> None:
    """Qt Multimedia needs an application object; the command line has none of its own."""
    if QCoreApplication.instance() is None:
        # Kept on the class so it lives as long as the process (Qt wants one, forever).
        ensure_qt_application.app = QCoreApplication([])  # type: ignore[attr-defined]


class CueDevice(QIODevice):
    """What the sink pulls: the renderer's next block, as 16-bit mono."""

    def __init__(self, renderer: CueRenderer) -> None:
        super().__init__()
        self._renderer = renderer
        self.frame = 0

    def isSequential(self) -> bool:
        return True

    def bytesAvailable(self) -> int:
        return 1 << 20  # an endless stream

    def readData(self, maxlen: int) -> bytes:
        frames = maxlen // 2
        if frames <= 0:
            return b""
        pcm = self._renderer.render(self.frame, frames)
        self.frame += frames
        return pcm.astype("<i2").tobytes()

    def writeData(self, data: bytes | bytearray | memoryview, size: int) -> int:
        return -1


class SinkWorker(QThread):
    """One stream (stream.Sink): the sink pulls ``renderer``'s blocks, keeping ``buffer_s`` in
    Qt's ring buffer; ``pulse_latency_ms`` is asked of PulseAudio while it connects."""

    def __init__(
        self,
        renderer: CueRenderer,
        on_position: Callable[[float], None],
        on_failure: Callable[[str], None],
        *,
        buffer_s: float,
        pulse_latency_ms: int,
    ) -> None:
        ensure_qt_application()
        super().__init__()
        self._renderer = renderer
        self._buffer_s = buffer_s
        self._pulse_latency_ms = pulse_latency_ms
        self._on_position = on_position
        self._on_failure = on_failure
        self._started = threading.Event()
        self._problem: str | None = None
        self._failed_once = False

    def start_and_wait(self, timeout_s: float) -> str | None:
        """Start the thread and the sink; None when sound flows, else why not."""
        self.start()
        if not self._started.wait(timeout_s):
            return f"the audio device did not start within {timeout_s:g} s"
        return self._problem

    def detach(self) -> None:
        """Stop reporting to the engine (the stream may still play out its last cue)."""
        self._on_position = lambda processed: None
        self._on_failure = lambda reason: None

    def stop(self) -> None:
        if self.isRunning():
            self.quit()
            self.wait(5000)

    def run(self) -> None:
        fmt = QAudioFormat()
        fmt.setSampleRate(RATE)
        fmt.setChannelCount(1)
        fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        device_info = QMediaDevices.defaultAudioOutput()
        if device_info.isNull():
            self._problem = "no audio output device was found"
            self._started.set()
            return
        if not device_info.isFormatSupported(fmt):
            self._problem = f"{device_info.description()} cannot play 44.1 kHz 16-bit sound"
            self._started.set()
            return
        sink = QAudioSink(device_info, fmt)
        sink.setBufferSize(int(RATE * 2 * self._buffer_s))
        device = CueDevice(self._renderer)
        device.open(QIODevice.OpenModeFlag.ReadOnly)

        # The sink's state is polled rather than followed through stateChanged: PySide6 6.11
        # cannot convert the signal's QAudio::State argument ("Cannot call meta function
        # slot(QAudio::State)"), so a connected slot is never called.
        def report_position() -> None:
            state = sink.state()
            if state in (QtAudio.State.ActiveState, QtAudio.State.IdleState):
                self._on_position(sink.processedUSecs() / 1e6)
            elif state is QtAudio.State.StoppedState and sink.error() is not QtAudio.Error.NoError:
                self._fail(f"{device_info.description()}: {sink.error().name}")

        with pulse_latency(self._pulse_latency_ms):
            sink.start(device)
        if sink.error() is not QtAudio.Error.NoError or sink.state() is QtAudio.State.StoppedState:
            self._problem = f"{device_info.description()} could not be opened: {sink.error().name}"
            self._started.set()
            return
        timer = QTimer()
        timer.setInterval(POSITION_EVERY_MS)
        timer.timeout.connect(report_position)
        timer.start()
        self._started.set()
        self.exec()
        timer.stop()
        sink.stop()
        device.close()

    def _fail(self, reason: str) -> None:
        if not self._failed_once:
            self._failed_once = True
            self._on_failure(reason)
