"""Memory over a long set: the whole app's resident size at the start and the end of a session.

``python -m bench memory_set [--reps N] [--sets K] [--rest S] [--speed X] [--backend B]
[--trace N]`` builds the window as ``tempo-coach`` does (``tempo_coach.app``: the real store
in a temporary folder, a checkpoint after every rep, the cue output from the preferences; the
stream plays into a private PulseAudio null sink, tests/audio/pulse_harness.py), runs K sets
of N reps of the "Eccentric barbell squat" (3-1-1-0: 5 s a rep) and prints, every 10 reps,
the process's resident size (VmRSS), Python's allocated blocks and the C heap in use (glibc's
``mallinfo2``), then the growth from the start mark (after ``--warm-reps`` reps: the first
checkpoints written, caches warm) to the last rep, per rep and per hour of training, and the
machine's load. The default is an hour of training: 7 sets of 100 reps (the most a set may
have), 60 s rests, at 20 times real time (about 3.5 minutes).

``--speed X`` runs the session, and its sound, X times faster than real time (the output's
own speed-up, as ``tempo-coach play --speed``). That keeps everything that is made per rep
(the reps, their records, the checkpoints, the cues); it makes fewer looks and audio blocks
per rep, so the figures are per rep and per hour of *training*, never per wall second.
docs/UI.md ("Memory over a long set") compares speed 1 with the speed-up: the speed-up
overstates the growth a little, it does not hide it.
``--trace N`` also starts tracemalloc at the start mark and prints the N lines of code whose
live Python memory grew most (tracemalloc's own bookkeeping then inflates the RSS figures).
The target (issue 15): under 1 MiB per hour of training.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import os
import platform
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024
TARGET_MIB_PER_HOUR = 1.0


@dataclass(frozen=True)
class Sample:
    rep: int
    session_s: float  # session time (the set's own clock: pauses excluded)
    wall_s: float
    rss: int  # bytes
    blocks: int  # sys.getallocatedblocks()
    heap: int | None  # bytes malloc has handed out and not had back (None: not glibc)


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


def _heap_reader() -> Callable[[], int | None]:
    """A function returning the bytes of C heap in use (glibc 2.33+), or None elsewhere."""
    try:
        mallinfo2 = ctypes.CDLL(ctypes.util.find_library("c")).mallinfo2
    except (OSError, AttributeError, TypeError):
        return lambda: None
    mallinfo2.restype = _MallInfo2

    def in_use() -> int | None:
        info = mallinfo2()
        return int(info.uordblks + info.hblkhd)  # small chunks plus mmapped big ones

    return in_use


@dataclass
class _Run:
    """What the Qt callbacks of one measurement share."""

    t0: float
    load_start: tuple[float, float, float]
    reps: int = 0
    code: int = 0
    snapshot: tracemalloc.Snapshot | None = None
    samples: list[Sample] = field(default_factory=list)


def rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench memory_set", description=__doc__)
    parser.add_argument("--reps", type=int, default=100, help="reps per set (at most 100)")
    parser.add_argument("--sets", type=int, default=7)
    parser.add_argument("--rest", type=int, default=60, help="seconds between sets")
    parser.add_argument("--speed", type=float, default=20.0, help="times real time")
    parser.add_argument("--backend", default="stream", help="stream, simpleaudio or silent")
    parser.add_argument("--warm-reps", type=int, default=5, help="reps before the start mark")
    parser.add_argument("--every", type=int, default=10, help="print a sample every N reps")
    parser.add_argument("--trace", type=int, default=0, help="top N lines of Python growth")
    args = parser.parse_args(argv)
    if not 0 < args.warm_reps < args.reps * args.sets:
        parser.error("--warm-reps must be above 0 and below the number of reps")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")
    sys.path.insert(0, str(ROOT))
    runtime = Path(tempfile.mkdtemp(prefix="tc_memory_set_"))
    try:
        if args.backend == "silent":
            return _measure(args, runtime / "data")
        from tests.audio.pulse_harness import NullSinkDaemon

        daemon = NullSinkDaemon(runtime)
        daemon.start()
        os.environ.update(daemon.env)  # before Qt Multimedia or ALSA are loaded
        try:
            return _measure(args, runtime / "data")
        finally:
            daemon.stop()
    finally:
        shutil.rmtree(runtime, ignore_errors=True)


def _measure(args: argparse.Namespace, data_dir: Path) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from tempo_coach import app as wiring
    from tempo_coach.audio import choose_output
    from tempo_coach.core.output import CueOutput
    from tempo_coach.core.preferences import Preferences
    from tempo_coach.ui.main_window import MainWindow

    qapp = QApplication.instance() or QApplication([sys.argv[0]])
    store = wiring.open_store(data_dir)
    store.save_preferences(store.load_preferences().with_values(audio_backend=args.backend))

    def make_output(preferences: Preferences) -> CueOutput:
        return choose_output(preferences, speed=args.speed)  # wiring.make_output, sped up

    window = MainWindow(store, make_output, backends=wiring.available_backends)
    window.resize(1280, 800)
    window.show()
    heap = _heap_reader()
    run = _Run(t0=time.monotonic(), load_start=os.getloadavg())
    runner = window.training.runner

    def sample(rep: int) -> None:
        session = runner.session
        assert session is not None
        taken = Sample(
            rep,
            session.session_ms() / 1000,
            time.monotonic() - run.t0,
            rss_bytes(),
            sys.getallocatedblocks(),
            heap(),
        )
        run.samples.append(taken)
        mib = f"{taken.heap / MIB:7.2f} MiB" if taken.heap is not None else "n/a"
        print(
            f"  rep {rep:4d}: RSS {taken.rss / MIB:8.2f} MiB, Python blocks {taken.blocks:8d}, "
            f"C heap in use {mib} (session {taken.session_s:6.0f} s, wall {taken.wall_s:5.0f} s)",
            flush=True,
        )

    def on_rep(_rep: object) -> None:
        run.reps += 1
        rep = run.reps
        if rep == args.warm_reps:
            run.load_start = os.getloadavg()
            sample(rep)
            if args.trace:
                tracemalloc.start(1)
                run.snapshot = tracemalloc.take_snapshot()
        elif rep == args.reps * args.sets or (rep > args.warm_reps and rep % args.every == 0):
            sample(rep)

    def on_over(_over: object) -> None:
        QTimer.singleShot(0, finish)

    def start() -> None:
        window.picker.select("barbell-squat")
        window.setup.reps_box.setValue(args.reps)
        window.setup.sets_box.setValue(args.sets)
        window.setup.rest_box.setValue(args.rest)
        runner.rep_finished.connect(on_rep)
        runner.session_over.connect(on_over)
        if not window.start_session():
            print("the session did not start", file=sys.stderr)
            run.code = 1
            qapp.quit()
            return
        name = getattr(window.training.output, "name", "?")
        session = runner.session
        assert session is not None
        plan = session.plan
        print(
            f"memory over a long set: {plan.exercise.name} {plan.tempo.notation()}, "
            f"{plan.sets} x {plan.reps} reps, rest {plan.rest_ms // 1000} s; output {name} at "
            f"{args.speed:g}x real time; the real store (a checkpoint after every rep); "
            f"{os.environ['QT_QPA_PLATFORM']}",
            flush=True,
        )
        if name != args.backend:
            print(f"the {args.backend} output did not start; measuring {name}", file=sys.stderr)
            run.code = 1

    def finish() -> None:
        if run.snapshot is not None:
            _print_trace(run.snapshot, args.trace)
        _report(run.samples, args, run.load_start)
        dialog = getattr(window, "finish_dialog", None)
        if dialog is not None:
            dialog.accept()  # the lifter saves the session, as after any set
        window.training.writer.wait_idle()
        window.shutdown()
        store.close()
        qapp.quit()

    def give_up() -> None:
        print("the session did not finish in time", file=sys.stderr)
        run.code = 1
        window.shutdown()
        qapp.quit()

    # A stuck set must not hang ``make bench``: give up well after it should have ended.
    rep_s = 5.0
    expected_s = (args.sets * (args.reps * rep_s + 3) + (args.sets - 1) * args.rest) / args.speed
    QTimer.singleShot(int((expected_s * 2 + 60) * 1000), give_up)
    QTimer.singleShot(500, start)
    qapp.exec()
    return run.code


def _print_trace(before: tracemalloc.Snapshot, top: int) -> None:
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    ignore = [tracemalloc.Filter(False, tracemalloc.__file__)]
    stats = after.filter_traces(ignore).compare_to(before.filter_traces(ignore), "lineno")
    print(f"Python memory that grew most from the start mark (tracemalloc, top {top}):")
    for stat in stats[:top]:
        frame = stat.traceback[0]
        where = os.path.relpath(frame.filename, ROOT) if frame.filename.startswith("/") else ""
        print(
            f"  {stat.size_diff / 1024:+9.1f} KiB {stat.count_diff:+7d} blocks  "
            f"{where or frame.filename}:{frame.lineno}"
        )


def _report(samples: list[Sample], args: argparse.Namespace, load_start: tuple[float, ...]) -> None:
    if len(samples) < 2:
        print("not enough samples", file=sys.stderr)
        return
    first, last = samples[0], samples[-1]
    middle = min(samples, key=lambda s: abs(s.rep - (first.rep + last.rep) / 2))
    reps = last.rep - first.rep
    hours = (last.session_s - first.session_s) / 3600
    grew = (last.rss - first.rss) / MIB
    per_hour = grew / hours if hours > 0 else float("nan")
    load_end = os.getloadavg()
    print(
        f"RSS at the start mark (rep {first.rep}) {first.rss / MIB:.2f} MiB, at the last rep "
        f"(rep {last.rep}) {last.rss / MIB:.2f} MiB: {grew:+.2f} MiB over {reps} reps, "
        f"{hours * 60:.1f} min of training ({last.wall_s - first.wall_s:.0f} s of wall time)"
    )
    print(
        f"  {grew * 1024 / reps:+.1f} KiB per rep, {per_hour:+.2f} MiB per hour of training "
        f"(target < {TARGET_MIB_PER_HOUR:g} MiB/h: "
        f"{'met' if per_hour < TARGET_MIB_PER_HOUR else 'NOT met'}); "
        f"first half {(middle.rss - first.rss) / MIB:+.2f} MiB, "
        f"second half {(last.rss - middle.rss) / MIB:+.2f} MiB"
    )
    heap = ""
    if first.heap is not None and last.heap is not None:
        heap = f", C heap in use {(last.heap - first.heap) / MIB:+.2f} MiB"
    print(f"  Python blocks {last.blocks - first.blocks:+d}{heap}")
    print(
        f"conditions: {os.cpu_count()} cores, load average {load_start[0]:.2f} at the start "
        f"mark, {load_end[0]:.2f} at the end; Python {platform.python_version()}; "
        f"speed {args.speed:g}x{'; tracemalloc on' if args.trace else ''}"
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
