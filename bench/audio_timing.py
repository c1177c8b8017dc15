"""Cue timing as heard, per back-end, over long sessions with a busy main thread.

    python -m bench audio_timing                  # quick: 1-minute sessions
    python -m bench audio_timing --minutes 10     # the figures in docs/AUDIO.md
    python -m bench audio_timing --minutes 10 --jobs 4 --cases stream:4-1-1-0:30

Each case runs a real session in its own process through one back-end into a private
PulseAudio null sink (tests/audio/pulse_harness.py), records the sink's monitor, and finds
every cue. Meanwhile the main thread holds the GIL (one C-level sort) for STALL ms every
EVERY ms, as a heavy repaint would, and the lowering count changes every minute (+1 s, then
-1 s). The hold is sized anew before every hold from the thread CPU time of the holds so
far (``GilStall``), and every hold is measured (wall and thread CPU time): their min/median/
max are printed beside the result, with how many missed the label by more than 20 %. Printed
per case: cues planned/heard/lost, p50/p99/max |onset error| in ms against
the planned grid (first cue aligned), the error of the first cue after each new buffer
(simpleaudio's splices), and the process CPU % of one core, with and without the
simulated stall work.

Also printed: "slips", the number of times the heard grid moved (the stream ran dry, or a
simpleaudio buffer started late), and the *screen lead*: how long before a cue is heard the
session's clock (what the window shows) reaches it. The heard moment is the monotonic time of
the cue's sample in the recording, from a lower envelope of (time, samples written) pairs of
the recorder's file, so it is known to within the recorder's ~20 ms delivery period (it errs
towards "later").

A case is ``backend:tempo:stall_ms:every_ms[:pulse_ms]``; ``pulse_ms`` overrides the stream's
PulseAudio latency request (tempo_coach.audio.stream.PULSE_LATENCY_MS; 0 = Qt's own ~17 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RATE = 44100
LOOK_EVERY_S = 0.02  # how often the main loop polls the session, as the CLI does
DEFAULT_CASES = [
    "stream:4-1-1-0:30:333",
    "stream:2.5-0-1-0:30:333",
    "simpleaudio:4-1-1-0:30:333",
    "simpleaudio:2.5-0-1-0:30:333",
    "stream:2.5-0-1-0:100:1000",
    "simpleaudio:2.5-0-1-0:100:1000",
]


#: a hold more than this far from its label (wall or CPU) is counted as missing it
STALL_TOLERANCE = 0.2


class GilStall:
    """Holds the GIL for ``ms`` per ``hold()``, in one C call (a sort of ``n`` floats), as a
    heavy repaint would.

    Sizing the sort once per process (session 2) gave "30 ms" holds of 12 to 45 ms: the
    time a sort takes moves with the cache, the CPU's clock and the other processes. So
    every hold is measured (wall time and this thread's CPU time) and the next one is sized
    from the CPU time per element of the last five holds (their median); a few unrecorded
    holds calibrate it first. The CPU time is the work done with the GIL held, which this
    sizing controls; the wall time is how long the GIL was really held, what the audio
    threads wait for: longer when the OS ran another process meanwhile (a busy machine).
    Sizing by the wall time was tried: a hold that the OS interrupted made the next one far
    too short (30 ms holds of 8 to 84 ms wall, median 29)."""

    def __init__(self, ms: float, calibration_holds: int = 8) -> None:
        self.target_s = ms / 1000
        rnd = random.Random(0)
        self._data: list[float] = []
        self._n = 20_000
        self._costs: list[float] = []  # CPU seconds per element of recent holds
        self.walls_ms: list[float] = []
        self.cpus_ms: list[float] = []
        self._rnd = rnd
        for _ in range(calibration_holds):
            self._hold()

    def _grow(self, n: int) -> None:
        while len(self._data) < n:
            self._data.extend(self._rnd.random() for _ in range(n - len(self._data)))

    def _hold(self) -> tuple[float, float]:
        n = self._n
        self._grow(n)
        data = self._data
        cpu0, wall0 = time.thread_time(), time.perf_counter()
        sorted(data[:n])  # the slice and the sort: C code, the GIL held throughout
        cpu, wall = time.thread_time() - cpu0, time.perf_counter() - wall0
        self._costs = [*self._costs[-4:], max(cpu, 1e-6) / n]
        self._n = max(1000, int(self.target_s / sorted(self._costs)[len(self._costs) // 2]))
        return wall, cpu

    def hold(self) -> None:
        wall, cpu = self._hold()
        self.walls_ms.append(wall * 1000)
        self.cpus_ms.append(cpu * 1000)

    def summary(self) -> dict[str, object]:
        target = self.target_s * 1000

        def spread(values: list[float]) -> list[float] | None:
            return [min(values), float(np.median(values)), max(values)] if values else None

        def missed(values: list[float]) -> int:
            return sum(abs(v - target) > STALL_TOLERANCE * target for v in values)

        return {
            "stall_holds": len(self.walls_ms),
            "stall_wall_ms": spread(self.walls_ms),
            "stall_cpu_ms": spread(self.cpus_ms),
            "stall_missed_wall": missed(self.walls_ms),
            "stall_missed_cpu": missed(self.cpus_ms),
        }


def _plan(tempo: str, minutes: float):  # type: ignore[no-untyped-def]
    from tempo_coach.core.exercise import BUILTIN_EXERCISES, find_exercise
    from tempo_coach.core.tempo import parse_tempo
    from tempo_coach.core.timeline import SetPlan

    parsed = parse_tempo(tempo)
    reps, rest_ms = 10, 30_000
    set_ms = reps * parsed.rep_ms + rest_ms
    sets = max(1, min(20, round(minutes * 60_000 / set_ms)))
    if minutes * 60_000 < set_ms:
        reps = max(2, round(minutes * 60_000 / parsed.rep_ms))
    return SetPlan.from_exercise(
        find_exercise("squat", BUILTIN_EXERCISES),
        tempo=parsed,
        reps=reps,
        sets=sets,
        rest_ms=rest_ms,
        count_in_ms=3000,
    )


def _process_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _nearest(onsets: np.ndarray, want: int) -> int | None:
    """The heard onset nearest to sample ``want``, if within 100 ms."""
    i = int(np.searchsorted(onsets, want))
    near = [int(onsets[j]) for j in (i - 1, i) if 0 <= j < len(onsets)]
    best = min(near, key=lambda onset: abs(onset - want), default=None)
    return best if best is not None and abs(best - want) <= 0.1 * RATE else None


def run_case(spec: str, minutes: float) -> dict[str, object]:
    """One case, in this process: play, record, measure."""
    backend, tempo, stall_ms, every_ms, *more = spec.split(":")
    sys.path.insert(0, str(ROOT))
    from tests.audio.pulse_harness import (
        MonitorRecorder,
        NullSinkDaemon,
        crossing_times,
        heard_clock,
    )

    runtime = Path(tempfile.mkdtemp(prefix="tc_bench_"))
    daemon = NullSinkDaemon(runtime)
    daemon.start()
    try:
        os.environ.update(daemon.env)  # before Qt or ALSA are loaded
        os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")
        from tempo_coach.audio import choose_output
        from tempo_coach.audio.cues import CueOptions, cue_points
        from tempo_coach.core.preferences import Preferences
        from tempo_coach.core.session import Session, SessionStatus

        if more:
            from tempo_coach.audio import stream

            stream.PULSE_LATENCY_MS = int(more[0])  # read when a stream starts; 0: Qt's own
        stall = GilStall(float(stall_ms))
        recorder = MonitorRecorder(daemon)
        recorder.start()
        output = choose_output(Preferences.defaults().with_values(audio_backend=backend))
        if output.name != backend:
            raise RuntimeError(f"{backend} could not start: {output.reasons}")
        plan = _plan(tempo, minutes)
        session = Session(plan, output.clock, commit_horizon_ms=output.horizon_ms)
        cpu_start, wall_start = _process_cpu(), time.monotonic()
        next_change_ms, sign = 60_000, +1
        next_stall = time.monotonic() + float(every_ms) / 1000
        clock_pairs: list[tuple[float, float]] = []
        heard_pairs: list[tuple[float, int]] = []
        session.start()
        output.begin(session)
        while session.status is SessionStatus.RUNNING:
            session.poll()
            clock_pairs.append((time.monotonic(), float(session.session_ms())))
            heard_pairs.append((time.monotonic(), recorder.samples_so_far()))
            if session.session_ms() >= next_change_ms:
                try:
                    session.change_eccentric(sign * 1000)
                    output.session_changed()
                    sign = -sign
                except Exception as problem:  # nothing left to change near the end
                    print(f"  change skipped: {problem}", file=sys.stderr)
                next_change_ms += 60_000
            now = time.monotonic()
            if now >= next_stall:
                stall.hold()
                next_stall += float(every_ms) / 1000
            time.sleep(LOOK_EVERY_S)
        tail_until = time.monotonic() + 1.0
        while time.monotonic() < tail_until:
            time.sleep(0.05)
        cpu = _process_cpu() - cpu_start
        wall = time.monotonic() - wall_start
        engine = output.engine
        latency_of = getattr(engine, "server_latency_s", None)
        server_latency = latency_of() if latency_of is not None else None
        switches = list(output.switches)
        splice_points = list(getattr(engine, "splice_points", []))[1:]  # first = the start
        output.end()
        output.close()
        raw = recorder.stop()
    finally:
        daemon.stop()
    from tempo_coach.audio.onsets import detect_onsets

    samples = np.frombuffer(raw, dtype="<i2")
    onsets = detect_onsets(samples, RATE)
    points = cue_points(session.events, plan.reps, CueOptions())
    planned = np.array([(p.t_ms * RATE + 500) // 1000 for p in points], dtype=np.int64)
    offset = int(onsets[0] - planned[0]) if len(onsets) else 0
    splice_set = set(splice_points)
    # Each planned cue's heard onset (with the first cue aligned), or None: lost.
    heard = [_nearest(onsets, int(p) + offset) for p in planned]
    errors_ms: list[float] = []
    splice_errors: list[float] = []
    for point, p, onset in zip(points, planned, heard, strict=True):
        if onset is not None:
            error = abs(onset - (int(p) + offset)) * 1000 / RATE
            (splice_errors if point.t_ms in splice_set else errors_ms).append(error)
    lost = heard.count(None)
    matched = {onset for onset in heard if onset is not None}
    every = errors_ms + splice_errors
    # Slips: the heard grid moving between consecutive heard cues (by more than 0.1 ms).
    slips = 0
    last_error: float | None = None
    leads: list[float] = []
    heard_at = heard_clock(heard_pairs)
    screen = crossing_times(clock_pairs, [p.t_ms for p in points])
    for p, onset, seen in zip(planned, heard, screen, strict=True):
        if onset is None:
            continue
        error = (onset - (int(p) + offset)) * 1000 / RATE
        if last_error is not None and abs(error - last_error) > 0.1:
            slips += 1
        last_error = error
        if seen is not None:
            leads.append((heard_at(onset) - seen) * 1000)
    # Intervals between consecutive cues (what a listener hears as evenness): heard minus
    # planned, split into those inside one buffer and those across a new buffer's start.
    ioi_inside: list[float] = []
    ioi_across: list[float] = []
    previous: tuple[int, int] | None = None
    for point, p, onset in zip(points, planned, heard, strict=True):
        if onset is None:
            previous = None
            continue
        if previous is not None:
            error = ((onset - previous[0]) - (int(p) - previous[1])) * 1000 / RATE
            (ioi_across if point.t_ms in splice_set else ioi_inside).append(abs(error))
        previous = (onset, int(p))
    if os.environ.get("AUDIO_TIMING_DUMP"):
        dump = Path(os.environ["AUDIO_TIMING_DUMP"])  # a folder: one file per case
        dump.mkdir(parents=True, exist_ok=True)
        (dump / (spec.replace(":", "_") + ".json")).write_text(
            json.dumps(
                {
                    "onsets": onsets.tolist(),
                    "planned": planned.tolist(),
                    "points": [(p.t_ms, p.sound) for p in points],
                    "changes": [c.at_ms for c in session.live_changes],
                    "splices": splice_points,
                    "screen": screen,
                    "heard_at_first_onset": heard_at(int(onsets[0])) if len(onsets) else None,
                    "heard_pairs": heard_pairs[::10],
                    "clock_pairs": clock_pairs[::10],
                }
            )
        )
    return {
        "case": spec,
        "backend": backend,
        "tempo": tempo,
        "stall": f"{stall_ms}ms/{every_ms}ms",
        "minutes": round(wall / 60, 2),
        "planned": len(planned),
        "heard": len(onsets),
        "lost": lost,
        "extra": len(onsets) - len(matched),
        "changes": len(session.live_changes),
        "p50_ms": float(np.percentile(every, 50)) if every else None,
        "p99_ms": float(np.percentile(every, 99)) if every else None,
        "max_ms": float(max(every)) if every else None,
        "max_between_changes_ms": float(max(errors_ms)) if errors_ms else None,
        "max_at_change_ms": float(max(splice_errors)) if splice_errors else None,
        "splices": len(splice_points),
        "ioi_p50_ms": float(np.percentile(ioi_inside, 50)) if ioi_inside else None,
        "ioi_max_ms": float(max(ioi_inside)) if ioi_inside else None,
        "ioi_max_at_change_ms": float(max(ioi_across)) if ioi_across else None,
        "switches": switches,
        "slips": slips,
        "screen_lead_p50_ms": float(np.percentile(leads, 50)) if leads else None,
        "screen_lead_p5_ms": float(np.percentile(leads, 5)) if leads else None,
        "screen_lead_p95_ms": float(np.percentile(leads, 95)) if leads else None,
        # what the stream's clock subtracted for the server at the end (None: nothing)
        "server_latency_ms": None if server_latency is None else server_latency * 1000,
        "cpu_pct": 100 * cpu / wall,
        "cpu_pct_without_stalls": 100 * (cpu - sum(stall.cpus_ms) / 1000) / wall,
        "stall_label_ms": float(stall_ms),
        **stall.summary(),
    }


def _fmt(value: object, digits: int = 3) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def stall_line(r: dict[str, object]) -> str:
    """The GIL holds the case applied, measured: min/median/max, and how many missed."""
    walls, cpus = r.get("stall_wall_ms"), r.get("stall_cpu_ms")
    if not isinstance(walls, list) or not isinstance(cpus, list):
        return "GIL holds: none measured"
    label = float(str(r["stall_label_ms"]))
    holds = int(str(r["stall_holds"]))
    missed_wall, missed_cpu = r["stall_missed_wall"], r["stall_missed_cpu"]
    verdict = (
        "all within 20 % of the label"
        if missed_wall == 0 and missed_cpu == 0
        else f"MISSED the label by more than 20 %: {missed_wall} of {holds} in wall time, "
        f"{missed_cpu} in CPU time"
    )
    return (
        f"GIL holds labelled {label:g} ms: {holds}, wall {walls[0]:.1f}/{walls[1]:.1f}/"
        f"{walls[2]:.1f} ms, thread CPU {cpus[0]:.1f}/{cpus[1]:.1f}/{cpus[2]:.1f} ms "
        f"(min/median/max); {verdict}"
    )


def print_table(results: list[dict[str, object]]) -> None:
    head = (
        f"{'back-end':<12} {'tempo':<10} {'GIL held':<12} {'min':>5} {'cues':>5} {'lost':>4} "
        f"{'extra':>5} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'max@chg':>8} "
        f"{'CPU%':>6} {'CPU% app':>8} {'IOI max':>8} {'IOI@chg':>8} {'slips':>5} "
        f"{'lead p5/p50/p95 ms':>20}"
    )
    print(head)
    for r in results:
        if "error" in r:
            print(f"{r['case']:<36} failed: {r['error']}")
            continue
        print(
            f"{r['backend']:<12} {r['tempo']:<10} {r['stall']:<12} {_fmt(r['minutes'], 1):>5} "
            f"{r['planned']:>5} {r['lost']:>4} {r['extra']:>5} {_fmt(r['p50_ms']):>7} "
            f"{_fmt(r['p99_ms']):>7} {_fmt(r['max_ms']):>7} {_fmt(r['max_at_change_ms']):>8} "
            f"{_fmt(r['cpu_pct'], 2):>6} {_fmt(r['cpu_pct_without_stalls'], 2):>8} "
            f"{_fmt(r.get('ioi_max_ms')):>8} {_fmt(r.get('ioi_max_at_change_ms')):>8} "
            f"{_fmt(r.get('slips')):>5} "
            f"{_fmt(r.get('screen_lead_p5_ms'), 0):>6}/{_fmt(r.get('screen_lead_p50_ms'), 0)}/"
            f"{_fmt(r.get('screen_lead_p95_ms'), 0)}"
        )
        print("    " + stall_line(r))
        if r.get("server_latency_ms") is not None:
            latency = _fmt(r["server_latency_ms"], 1)
            print(f"    the clock subtracts the server's latency: {latency} ms")
    print(
        "errors: |heard onset - planned sample| with the first cue aligned; one sample is "
        "0.023 ms. max@chg: the first cue of each new simpleaudio buffer (live changes, "
        "chunk renewals). CPU% app: the process minus the simulated GIL-holding work. "
        "IOI: |heard - planned interval| between consecutive cues inside one buffer, and "
        "across the start of a new simpleaudio buffer (@chg). slips: times the heard grid "
        "moved. lead: how long before a cue is heard the session clock (the screen) "
        "reaches it, +-10 ms. Under each case: the GIL holds it really applied."
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench audio_timing", description=__doc__)
    parser.add_argument("--minutes", type=float, default=1.0, help="session length (1)")
    parser.add_argument("--cases", nargs="*", default=DEFAULT_CASES,
                        help="backend:tempo:stall_ms:every_ms ...")  # fmt: skip
    parser.add_argument("--jobs", type=int, default=2, help="cases run at the same time (2)")
    parser.add_argument("--json", metavar="FILE", help="also write the results here")
    parser.add_argument("--case", help=argparse.SUPPRESS)  # internal: run one case, print JSON
    args = parser.parse_args(argv)
    if args.case:
        try:
            result = run_case(args.case, args.minutes)
        except Exception as error:
            result = {"case": args.case, "error": f"{type(error).__name__}: {error}"}
        print("RESULT " + json.dumps(result))
        return 0
    pending = list(args.cases)
    running: list[tuple[str, subprocess.Popen[str]]] = []
    results: list[dict[str, object]] = []
    print(f"audio_timing: {len(pending)} cases of {args.minutes:g} min, {args.jobs} at a time",
          flush=True)  # fmt: skip
    while pending or running:
        while pending and len(running) < args.jobs:
            spec = pending.pop(0)
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "bench",
                    "audio_timing",
                    "--case",
                    spec,
                    "--minutes",
                    str(args.minutes),
                ],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                text=True,
            )
            running.append((spec, proc))
        for spec, proc in list(running):
            if proc.poll() is None:
                continue
            running.remove((spec, proc))
            out = proc.stdout.read() if proc.stdout else ""
            line = next((ln for ln in out.splitlines() if ln.startswith("RESULT ")), None)
            result = json.loads(line[7:]) if line else {"case": spec, "error": out[-300:]}
            results.append(result)
            print(f"  done: {spec}: {json.dumps(result)}", flush=True)
        time.sleep(0.5)
    order = {spec: i for i, spec in enumerate(args.cases)}
    results.sort(key=lambda r: order.get(str(r["case"]), 0))
    print_table(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    failed = [r for r in results if "error" in r]
    return 1 if failed else 0
