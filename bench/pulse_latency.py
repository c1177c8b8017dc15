"""What PulseAudio latency Qt's sink gets, and what it costs, per PULSE_LATENCY_MSEC request.

``python -m bench pulse_latency [--seconds S] [--requests 0 60 100 150 300]`` starts a private
PulseAudio null sink (tests/audio/pulse_harness.py) and, for each request (0: none, Qt's own),
plays silence through a bare pull-mode ``QAudioSink`` (500 ms Qt buffer, as the stream engine)
in a fresh process for S seconds. Printed per request: the server's "Buffer Latency" and "Sink
Latency" of the stream (``pactl list sink-inputs``) and the process CPU % of one core. This is
the measurement behind the stream engine's 100 ms request (docs/AUDIO.md): Qt alone gets
~17 ms, which a busy machine can fail to refill in time.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_PLAY = """
import sys, time
from PySide6.QtCore import QCoreApplication, QIODevice, QTimer
from PySide6.QtMultimedia import QAudioFormat, QAudioSink, QMediaDevices

class Silence(QIODevice):
    def isSequential(self): return True
    def bytesAvailable(self): return 1 << 20
    def readData(self, n): return bytes(n)
    def writeData(self, data, n): return -1

app = QCoreApplication([])
fmt = QAudioFormat(); fmt.setSampleRate(44100); fmt.setChannelCount(1)
fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
sink = QAudioSink(QMediaDevices.defaultAudioOutput(), fmt)
sink.setBufferSize(44100)
device = Silence(); device.open(QIODevice.OpenModeFlag.ReadOnly)
sink.start(device)
cpu, wall = time.process_time(), time.monotonic()
QTimer.singleShot(int(float(sys.argv[1]) * 1000), app.quit)
app.exec()
print(f"CPU {100 * (time.process_time() - cpu) / (time.monotonic() - wall):.2f}", flush=True)
sink.stop()
"""


def _latencies(env: dict[str, str]) -> tuple[str, str]:
    listing = subprocess.run(
        ["pactl", "list", "sink-inputs"], env=env, capture_output=True, text=True
    ).stdout
    found = {"Buffer": "?", "Sink": "?"}
    for line in listing.splitlines():
        for key in found:
            if f"{key} Latency:" in line:
                found[key] = f"{int(line.split(':')[1].split()[0]) / 1000:.1f} ms"
    return found["Buffer"], found["Sink"]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench pulse_latency", description=__doc__)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--requests", type=int, nargs="*", default=[0, 60, 100, 150, 300])
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from tests.audio.pulse_harness import NullSinkDaemon

    daemon = NullSinkDaemon(Path(tempfile.mkdtemp(prefix="tc_pulse_latency_")))
    daemon.start()
    try:
        print(f"{'request':>8} {'buffer latency':>15} {'sink latency':>13} {'CPU % of a core':>16}")
        for request in args.requests:
            env = {**os.environ, **daemon.env, "QT_LOGGING_RULES": "qt.multimedia.*=false"}
            env.pop("PULSE_LATENCY_MSEC", None)
            if request > 0:
                env["PULSE_LATENCY_MSEC"] = str(request)
            proc = subprocess.Popen(
                [sys.executable, "-c", _PLAY, str(args.seconds)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            time.sleep(min(2.0, args.seconds / 2))
            buffer, sink = _latencies(daemon.env)
            out, _ = proc.communicate(timeout=args.seconds + 30)
            cpu = out.split()[-1] if out.strip() else "?"
            label = "Qt's own" if request <= 0 else f"{request} ms"
            print(f"{label:>8} {buffer:>15} {sink:>13} {cpu:>16}", flush=True)
    finally:
        daemon.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
