"""A private PulseAudio daemon with a null sink, and a recorder of its monitor.

Used by the real-playback tests (tests/audio/test_playback.py) and the benchmark
(bench/audio_timing.py). Everything lives in one fresh runtime folder: the daemon socket
(``PULSE_SERVER``), its state, and an ALSA configuration (``ALSA_CONFIG_PATH``) that routes
ALSA's ``default`` to this daemon through libasound2-plugins' pulse plugin, so that ALSA
clients (simpleaudio) and native clients (Qt Multimedia) all play into the same sink. The
monitor carries the sink's final mix: its sample index is the time a listener hears a sample.

Learned from ../shared/tools/audio-capture/pa_harness.sh: a permanent low-latency monitor
client ("keeper") stops the null sink from rendering far ahead; with a large render-ahead,
audio of newly started streams went missing from the monitor (PulseAudio 16.1). Processes are
stopped by their own pid, never by name.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import threading
import time
import wave
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

RATE = 44100
KEEPER_LATENCY_MS = 20


def parec_command() -> list[str]:
    """Record the null sink's monitor as raw mono 16-bit at RATE, with a short latency (the
    keeper and the recorder ask the same, so the server never renders far ahead)."""
    return [
        "parec",
        "-d",
        "probe.monitor",
        f"--rate={RATE}",
        "--channels=1",
        "--format=s16le",
        f"--latency-msec={KEEPER_LATENCY_MS}",
        "--raw",
    ]


class HarnessUnavailable(RuntimeError):
    """The audio stack cannot start here; the message says why."""


def missing_tools() -> list[str]:
    return [tool for tool in ("pulseaudio", "pactl", "parec") if shutil.which(tool) is None]


@dataclass
class NullSinkDaemon:
    runtime: Path
    process: subprocess.Popen[bytes] | None = None
    keeper: subprocess.Popen[bytes] | None = None
    env: dict[str, str] = field(default_factory=dict)

    def start(self) -> None:
        missing = missing_tools()
        if missing:
            raise HarnessUnavailable(f"missing programs: {', '.join(missing)}")
        if not Path("/usr/lib/x86_64-linux-gnu/alsa-lib/libasound_module_pcm_pulse.so").exists():
            alsa_plugin = list(Path("/usr/lib").glob("*/alsa-lib/libasound_module_pcm_pulse.so"))
            if not alsa_plugin:
                raise HarnessUnavailable("libasound2-plugins (ALSA's pulse plugin) is missing")
        xdg = self.runtime / "xdg"
        pulse_dir = xdg / "pulse"
        state = self.runtime / "state"
        for folder in (xdg, pulse_dir, state):
            folder.mkdir(parents=True, exist_ok=True)
        xdg.chmod(0o700)
        (self.runtime / "default.pa").write_text(
            "load-module module-native-protocol-unix auth-anonymous=1\n"
            f"load-module module-null-sink sink_name=probe rate={RATE} channels=2 "
            "format=s16le sink_properties=device.description=probe\n"
            "set-default-sink probe\nset-default-source probe.monitor\n"
        )
        (self.runtime / "alsa.conf").write_text(
            "</usr/share/alsa/alsa.conf>\n"
            'pcm.!default { type pulse fallback "sysdefault" }\n'
            'ctl.!default { type pulse fallback "sysdefault" }\n'
        )
        env = dict(os.environ)
        env.update(
            {
                "XDG_RUNTIME_DIR": str(xdg),
                "PULSE_RUNTIME_PATH": str(pulse_dir),
                "PULSE_SERVER": f"unix:{pulse_dir / 'native'}",
                "PULSE_STATE_PATH": str(state),
                "ALSA_CONFIG_PATH": str(self.runtime / "alsa.conf"),
            }
        )
        self.env = env
        log = open(self.runtime / "pulseaudio.out", "wb")  # noqa: SIM115 (lives with the daemon)
        self.process = subprocess.Popen(
            [
                "pulseaudio",
                "-n",
                "-F",
                str(self.runtime / "default.pa"),
                "--daemonize=no",
                "--exit-idle-time=-1",
                "--realtime=no",
                "--high-priority=no",
                f"--log-target=file:{self.runtime / 'pulseaudio.log'}",
                "--log-level=notice",
                "--use-pid-file=no",
                "--system=no",
                "--disallow-exit=yes",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            ok = subprocess.run(["pactl", "info"], env=env, capture_output=True).returncode == 0
            if ok:
                break
            time.sleep(0.1)
        else:
            ok = False
        if self.process.poll() is not None or not ok:
            text = (self.runtime / "pulseaudio.out").read_text(errors="replace")[-500:]
            self.stop()
            raise HarnessUnavailable(f"pulseaudio did not start: {text.strip()}")
        self.keeper = subprocess.Popen(
            parec_command(),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(1.0)  # let any render-ahead from before the keeper drain away

    def stop(self) -> None:
        for proc in (self.keeper, self.process):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        self.keeper = None
        self.process = None


class MonitorRecorder:
    """Records the sink's monitor (mono s16) with parec straight into a file.

    parec writes to the file itself, so nothing in the measured process (a busy main thread
    holding the GIL, say) can delay the recorder and make it lose audio."""

    def __init__(self, daemon: NullSinkDaemon) -> None:
        self._daemon = daemon
        self._proc: subprocess.Popen[bytes] | None = None
        self._path = daemon.runtime / f"monitor-{time.monotonic_ns()}.raw"

    def start(self, settle_s: float = 0.5) -> None:
        with open(self._path, "wb") as out:
            self._proc = subprocess.Popen(
                parec_command(),
                env=self._daemon.env,
                stdout=out,
            )
        deadline = time.monotonic() + 5
        while self._path.stat().st_size == 0:
            if time.monotonic() > deadline or self._proc.poll() is not None:
                self.stop(tail_s=0)
                raise HarnessUnavailable("the recorder got no audio from the sink monitor in 5 s")
            time.sleep(0.02)
        time.sleep(settle_s)

    def samples_so_far(self) -> int:
        """How many samples the recorder has written (parec writes as it receives)."""
        try:
            return self._path.stat().st_size // 2
        except FileNotFoundError:
            return 0

    def stop(self, tail_s: float = 0.5) -> bytes:
        if self._proc is not None:
            time.sleep(tail_s)
            if self._proc.poll() is None:
                self._proc.send_signal(signal.SIGINT)
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._proc = None
        raw = self._path.read_bytes() if self._path.exists() else b""
        self._path.unlink(missing_ok=True)
        return raw[: len(raw) - len(raw) % 2]

    @staticmethod
    def write_wav(raw: bytes, path: Path) -> None:
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(RATE)
            out.writeframes(raw)


# -- when a sample was heard, when the session clock reached a time -----------------------


@contextlib.contextmanager
def recorded(daemon: NullSinkDaemon) -> Iterator[tuple[list[tuple[float, int]], list[bytes]]]:
    """Record the sink while the block runs, sampling every 5 ms on a thread of its own
    (monotonic time, samples written so far): the pairs ``heard_clock`` maps samples with.
    Yields ``(pairs, raw)``; ``raw`` holds the recording once the block has ended."""
    recorder = MonitorRecorder(daemon)
    recorder.start()
    pairs: list[tuple[float, int]] = []
    raw: list[bytes] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            pairs.append((time.monotonic(), recorder.samples_so_far()))
            time.sleep(0.005)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        yield pairs, raw
    finally:
        done.set()
        sampler.join()
        raw.append(recorder.stop())


def heard_clock(pairs: list[tuple[float, int]]) -> Callable[[float], float]:
    """Map a recording sample to the monotonic time it was heard.

    parec's samples arrive in bursts at or after their time, so in every 10 s the earliest
    (time - samples / RATE) is closest to the truth (a lower envelope). The sink's sample clock
    is not the monotonic clock (measured here: the null sink ran 52 ppm fast, 31 ms in 10
    minutes), so a line is fitted through the envelope instead of taking one constant."""
    points = np.array([(t, t - n / RATE) for t, n in pairs if n > 0])
    first, last = points[0, 0], points[-1, 0]
    envelope = [
        points[mask][np.argmin(points[mask][:, 1])]
        for start in np.arange(first, last + 10.0, 10.0)
        if (mask := (points[:, 0] >= start) & (points[:, 0] < start + 10.0)).any()
    ]
    env = np.array(envelope)
    slope, intercept = np.polyfit(env[:, 0], env[:, 1], 1) if len(env) > 1 else (0.0, env[0, 1])
    # t - n / RATE = intercept + slope * t  =>  t = (intercept + n / RATE) / (1 - slope)
    return lambda sample: float((intercept + sample / RATE) / (1 - slope))


def crossing_times(pairs: list[tuple[float, float]], targets_ms: list[int]) -> list[float | None]:
    """For each session time, the monotonic time at which the session clock reached it,
    interpolated between the loop's (monotonic, session ms) samples."""
    times = np.array([t for t, _ in pairs])
    values = np.array([v for _, v in pairs])
    out: list[float | None] = []
    for target in targets_ms:
        i = int(np.searchsorted(values, target))
        if i == 0 or i >= len(values) or values[i] == values[i - 1]:
            out.append(None)
            continue
        frac = (target - values[i - 1]) / (values[i] - values[i - 1])
        out.append(float(times[i - 1] + frac * (times[i] - times[i - 1])))
    return out
