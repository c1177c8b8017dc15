"""Where the tap mode's "slower" cue is heard, on the real stream output, in real time.

    python -m bench slower_cue                    # 8 trials (~4 min): 5-1-1-0 and 1.5-0-0.5-0
    python -m bench slower_cue --repeat 3         # the figures in docs/COACHING.md
    python -m bench slower_cue --trials short-committed five-mid --json out.json
    python -m bench slower_cue --backend simpleaudio  # the other output (horizon 1.5 s)
    SLOWER_CUE_DUMP=DIR python -m bench slower_cue  # keep each recording (WAV + JSON)

Each trial is a real tap-mode session (``Session(..., tap_mode=True)`` on the output's clock,
``commit_horizon_ms=output.horizon_ms``) played by the stream output (``choose_output`` with
``audio_backend="stream"``: Qt Multimedia's stream into PulseAudio) into a private PulseAudio
null sink (tests/audio/pulse_harness.py), whose monitor is recorded. The loop does what the
window does: poll the session every 10 ms; at the trial's moments (seconds into a rep's
lowering, session time) it taps from that same thread, ``session.tap()``, and when the tap
placed a "slower" hint (``session.hints`` grew) calls ``output.session_changed()``, as
tempo_coach/ui/runner.py's ``tap`` does.

What is heard: every cue in the recording is found (tempo_coach.audio.onsets) and named by
its waveform: each sound of the output's sound set, aligned on its own first onset, is
compared with the recording there (relative error over up to 250 ms); the closest under
``MATCH_ERROR`` names the cue; onsets inside a named cue (a spoken word's syllables) are
part of it; an onset no sound matches is "unknown" (two cues mixed, a cut cue).

What the app says: the session's final timeline (its events, with the hint) through the cue
layer (``CueRenderer.points_for``) gives every cue (session ms, sound); session ms map to
recording samples as the stream renders them (``round(t * 44100 / 1000)``) plus one offset,
the median over the cues heard before the first tap (nothing was re-planned yet). Checked:

1. the "slower" sound is heard exactly once per hint, at the start of the lowering named in
   ``session.hints`` (taken from ``session.segments``), and the error of its onset;
2. every other cue is heard where the timeline puts it, with its own sound (none missing,
   doubled, shifted beyond ``TOLERANCE_MS`` or unknown); the max |error| of all cues;
3. the timeline itself changed only at the hinted lowering (the tap moved nothing else);
4. the rule: the hinted lowering is the first one starting after tap + horizon (computed
   here from the segments; "committed" says the next lowering was already within it).

Exit status 1 if any trial fails a check.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RATE = 44100
LOOK_EVERY_S = 0.01
#: A heard cue further than this from where the timeline puts it is misplaced.
TOLERANCE_MS = 5.0
#: A window of the recording within this relative error of a sound is that sound.
MATCH_ERROR = 0.25
#: How much of a sound the comparison looks at.
MATCH_WINDOW_S = 0.25
#: After the session finished: the last cue plays out before the stream ends.
TAIL_S = 1.0


@dataclass(frozen=True)
class Trial:
    name: str
    tempo: str
    reps: int
    voice: str  # beeps | voice
    taps: tuple[tuple[int, float], ...]  # (rep, seconds after its lowering began)
    count_in_ms: int = 3000
    note: str = ""


TRIALS: dict[str, Trial] = {
    t.name: t
    for t in (
        Trial("five-early", "5-1-1-0", 4, "beeps", ((1, 1.0), (2, 1.0)), note="tap 1 s in"),
        Trial("five-mid", "5-1-1-0", 4, "beeps", ((1, 2.0), (2, 2.0)), note="tap 2 s in"),
        Trial("five-late", "5-1-1-0", 4, "beeps", ((1, 3.9), (2, 3.9)), note="3.9 s in"),
        Trial("five-last", "5-1-1-0", 4, "beeps", ((2, 2.0), (3, 2.0)), note="last rep's cue"),
        Trial("five-voice", "5-1-1-0", 4, "voice", ((1, 2.0), (2, 2.0)), note="spoken"),
        Trial(
            "short-early",
            "1.5-0-0.5-0",
            5,
            "beeps",
            ((1, 0.5), (2, 0.5)),
            count_in_ms=1000,
            note="next lowering free",
        ),
        Trial(
            "short-edge",
            "1.5-0-0.5-0",
            5,
            "beeps",
            ((1, 0.99), (2, 0.99)),
            count_in_ms=1000,
            note="next lowering just beyond the horizon",
        ),
        Trial(
            "short-committed",
            "1.5-0-0.5-0",
            5,
            "beeps",
            ((1, 1.1), (2, 1.1)),
            count_in_ms=1000,
            note="next lowering committed",
        ),
        Trial(
            "short-committed-voice",
            "1.5-0-0.5-0",
            5,
            "voice",
            ((1, 1.1), (2, 1.1)),
            count_in_ms=1000,
            note="committed, spoken",
        ),
    )
}
DEFAULT_TRIALS = [
    "five-early",
    "five-mid",
    "five-late",
    "five-last",
    "five-voice",
    "short-early",
    "short-edge",
    "short-committed",
]


@dataclass
class Heard:
    sample: int  # where the sound's first sample is in the recording
    sound: str  # a name of the sound set, or "unknown"
    error: float


@dataclass
class Result:
    trial: str
    tempo: str
    voice: str
    backend: str = ""
    horizon_ms: int = 0
    taps: list[dict[str, Any]] = field(default_factory=list)
    hints: list[list[int]] = field(default_factory=list)  # (set, rep) the session named
    rule_reps: list[int] = field(default_factory=list)  # the rep the rule gives (computed here)
    committed: list[bool] = field(default_factory=list)  # next lowering inside the horizon
    #: how far the hinted cue lay beyond what the stream had handed over, at the re-plan
    margin_ms: list[float | None] = field(default_factory=list)
    slower_heard: list[dict[str, Any]] = field(default_factory=list)  # rep, error_ms
    hints_right: int = 0
    expected: int = 0
    heard: int = 0
    max_error_ms: float = 0.0
    misplaced: list[str] = field(default_factory=list)
    timeline_other_changes: list[str] = field(default_factory=list)
    align_spread_ms: float = 0.0
    error: str = ""

    @property
    def ok(self) -> bool:
        return (
            not self.error
            and bool(self.hints)
            and self.hints_right == len(self.hints)
            and len(self.slower_heard) == len(self.hints)
            and not self.misplaced
            and not self.timeline_other_changes
            and [rep for _, rep in self.hints] == self.rule_reps
        )


def _plan(trial: Trial):  # type: ignore[no-untyped-def]
    from tempo_coach.core.exercise import BUILTIN_EXERCISES, find_exercise
    from tempo_coach.core.tempo import parse_tempo
    from tempo_coach.core.timeline import CountStyle, SetPlan

    return SetPlan.from_exercise(
        find_exercise("squat", BUILTIN_EXERCISES),
        tempo=parse_tempo(trial.tempo),
        reps=trial.reps,
        sets=1,
        rest_ms=0,
        count_in_ms=trial.count_in_ms,
        count_style=CountStyle.UP,
    )


def _lowering_start(segments: Any, rep: int) -> int:
    from tempo_coach.core.tempo import Phase

    return int(
        next(
            s.start_ms
            for s in segments
            if s.phase is Phase.ECCENTRIC and s.rep == rep and not s.continues
        )
    )


def _rule_rep(segments: Any, tap_ms: int, horizon_ms: int) -> tuple[int, bool]:
    """The rep whose lowering the rule cues: the first starting after tap + horizon; and
    whether the next lowering after the tap was already inside the horizon."""
    from tempo_coach.core.tempo import Phase

    starts = [
        (s.start_ms, s.rep)
        for s in segments
        if s.phase is Phase.ECCENTRIC and not s.continues and s.start_ms > tap_ms
    ]
    target = next((rep for start, rep in starts if start > tap_ms + horizon_ms), 0)
    committed = bool(starts) and starts[0][0] <= tap_ms + horizon_ms
    return int(target or 0), committed


# -- naming what was heard -------------------------------------------------------------


def identify(rec: np.ndarray, onsets: np.ndarray, sounds: dict[str, np.ndarray]) -> list[Heard]:
    """Name each cue in the recording by the sound it matches best (see the docstring)."""
    from tempo_coach.audio.onsets import detect_onsets

    templates = []
    for name, sound in sounds.items():
        lags = detect_onsets(sound, RATE)
        if not len(lags):
            continue
        length = min(len(sound), round(MATCH_WINDOW_S * RATE))
        reference = sound[:length].astype(np.float64)
        templates.append((name, int(lags[0]), reference, float(np.linalg.norm(reference))))
    signal = rec.astype(np.float64) / 32767.0
    out: list[Heard] = []
    covered_until = -1
    for onset in (int(o) for o in onsets):
        if onset < covered_until:
            continue  # a later syllable of the cue already named
        best: tuple[float, str, int, int] | None = None
        for name, lag, reference, norm in templates:
            start = onset - lag
            if start < 0 or start + len(reference) > len(signal):
                continue
            err = float(np.linalg.norm(signal[start : start + len(reference)] - reference) / norm)
            if best is None or err < best[0]:
                best = (err, name, start, len(sounds[name]))
        if best is not None and best[0] <= MATCH_ERROR:
            out.append(Heard(best[2], best[1], best[0]))
            covered_until = best[2] + best[3]
        else:
            out.append(Heard(onset, "unknown", best[0] if best else 1.0))
            covered_until = onset + round(0.03 * RATE)
    return out


def check(
    result: Result,
    heard: list[Heard],
    points: list[Any],
    initial_points: list[Any],
    tap_ms_first: int,
    hint_starts: dict[int, int],
    slower_names: set[str],
) -> None:
    """Fill the result's figures: heard cues against the timeline's."""
    planned = [(p.t_ms, p.sound, (p.t_ms * RATE + 500) // 1000) for p in points]
    result.expected = len(planned)
    result.heard = len(heard)
    # One offset maps session time to recording samples: the median over the cues heard
    # before the first tap, matched greedily by nearest cue of the same sound.
    before = [(t, s, x) for t, s, x in planned if t < tap_ms_first]
    known = [h for h in heard if h.sound != "unknown"]
    first_pre = next((h for h in known if h.sound == before[0][1]), None) if before else None
    if first_pre is None:
        result.error = "the first cue of the set was not heard"
        return
    rough = first_pre.sample - before[0][2]
    diffs = []
    for _t, sound, x in before:
        near = [h.sample - x - rough for h in known if h.sound == sound]
        if near:
            d = min(near, key=abs)
            if abs(d) < 0.05 * RATE:
                diffs.append(d)
    shift = rough + int(np.median(diffs))
    result.align_spread_ms = round((max(diffs) - min(diffs)) / RATE * 1000, 3)
    tolerance = TOLERANCE_MS / 1000 * RATE
    used: set[int] = set()
    errors: list[float] = []
    for t, sound, x in planned:
        want = shift + x
        candidates = [
            (abs(h.sample - want), i)
            for i, h in enumerate(heard)
            if abs(h.sample - want) <= 0.1 * RATE
        ]
        if not candidates:
            result.misplaced.append(f"{t} ms {sound}: not heard")
            continue
        _, i = min(candidates)
        h = heard[i]
        used.add(i)
        err_ms = (h.sample - want) / RATE * 1000
        errors.append(abs(err_ms))
        if h.sound != sound:
            result.misplaced.append(f"{t} ms {sound}: heard {h.sound} ({err_ms:+.1f} ms)")
        elif abs(h.sample - want) > tolerance:
            result.misplaced.append(f"{t} ms {sound}: {err_ms:+.1f} ms off")
        if sound in slower_names:
            rep = next((r for r, start in hint_starts.items() if start == t), None)
            result.slower_heard.append(
                {
                    "t_ms": t,
                    "rep": rep,
                    "sound": h.sound,
                    "right": h.sound == sound,
                    "error_ms": round(err_ms, 3),
                }
            )
            if rep is not None and h.sound == sound and abs(h.sample - want) <= tolerance:
                result.hints_right += 1
    result.max_error_ms = round(max(errors), 3) if errors else 0.0
    for i, h in enumerate(heard):
        if i not in used:
            t_est = (h.sample - shift) / RATE * 1000
            result.misplaced.append(f"extra {h.sound} at {t_est:.0f} ms")
    # Every "slower" heard anywhere counts: one per hint and no more.
    slower_anywhere = sum(1 for h in heard if h.sound in slower_names)
    if slower_anywhere != len(result.slower_heard):
        result.misplaced.append(f"'slower' heard {slower_anywhere} times")
    # The timeline: only the hinted lowerings' cues may differ from the plan without taps.
    before_set = {(p.t_ms, p.sound) for p in initial_points}
    after_set = {(p.t_ms, p.sound) for p in points}
    for t, sound in sorted(before_set ^ after_set):
        if t not in hint_starts.values():
            result.timeline_other_changes.append(f"{t} ms {sound}")


# -- one trial -------------------------------------------------------------------------


def run_trial(
    daemon: Any, output: Any, trial: Trial, skip_session_changed: bool, number: int = 1
) -> Result:
    from tempo_coach.audio.onsets import detect_onsets
    from tempo_coach.audio.renderer import CueRenderer
    from tempo_coach.core.session import Session, SessionStatus
    from tests.audio.pulse_harness import MonitorRecorder

    result = Result(trial.name, trial.tempo, trial.voice, output.name, output.horizon_ms)
    plan = _plan(trial)
    points_of = CueRenderer(output.sounds, output.options)
    session = Session(
        plan,
        output.clock,
        commit_horizon_ms=output.horizon_ms,
        audible_difference=output.first_audible_difference,
        tap_mode=True,
    )
    initial_points = points_of.points_for(session)
    slower_names = {name for name in output.sounds.sounds if name.split("/")[-1] == "slower"}
    pending = [
        (rep, _lowering_start(session.segments, rep) + round(s * 1000)) for rep, s in trial.taps
    ]
    recorder = MonitorRecorder(daemon)
    recorder.start(settle_s=0.3)
    began_samples = recorder.samples_so_far()
    session.start()
    output.begin(session)
    try:
        while session.status is SessionStatus.RUNNING:
            session.poll()
            now = session.session_ms()
            if pending and now >= pending[0][1] - 15:
                rep, at = pending.pop(0)
                while session.session_ms() < at:
                    time.sleep(0.0005)
                tap_ms = session.session_ms()
                rule_rep, committed = _rule_rep(session.segments, tap_ms, output.horizon_ms)
                hints = len(session.hints)
                tap = session.tap()
                if len(session.hints) != hints and not skip_session_changed:
                    output.session_changed()
                result.taps.append(
                    {
                        "rep": rep,
                        "at_ms": tap_ms,
                        "into_lowering_ms": tap_ms - _lowering_start(session.segments, rep),
                        "timed": None if tap is None else [tap.rep, tap.tapped_ms],
                        "verdict": None if tap is None else tap.verdict.value,
                        "hinted": len(session.hints) != hints,
                    }
                )
                if len(session.hints) != hints:
                    result.rule_reps.append(rule_rep)
                    result.committed.append(committed)
                    result.margin_ms.append(_margin_ms(output, session, slower_names))
            time.sleep(LOOK_EVERY_S)
        time.sleep(TAIL_S)
    finally:
        output.end()
        raw = recorder.stop(tail_s=0.5)
    rec = np.frombuffer(raw, dtype="<i2").copy()
    rec[:began_samples] = 0  # nothing from before the session began is its
    result.hints = [list(h) for h in session.hints]
    hint_starts = {rep: _lowering_start(session.segments, rep) for _, rep in session.hints}
    points = points_of.points_for(session)
    onsets = detect_onsets(rec, RATE)
    heard = identify(rec, onsets, dict(output.sounds.sounds))
    first_tap = result.taps[0]["at_ms"] if result.taps else session.total_ms
    check(result, heard, points, initial_points, first_tap, hint_starts, slower_names)
    if os.environ.get("SLOWER_CUE_DUMP"):
        _dump(f"{number:02d}-{trial.name}", rec, heard, points, result)
    return result


def _margin_ms(output: Any, session: Any, slower_names: set[str]) -> float | None:
    """Right after a re-plan: how far the latest hint's cue lies beyond the stream's
    committed edge (what it has handed to the device), in ms; None for other outputs."""
    renderer = getattr(output.engine, "renderer", None)
    if output.name != "stream" or renderer is None:
        return None
    edge = renderer.rendered_until
    start = _lowering_start(session.segments, session.hints[-1][1])
    voice = next(
        (v for v in renderer.voices if v.point.sound in slower_names and v.point.t_ms == start),
        None,
    )
    return None if voice is None else round((voice.start - edge) / RATE * 1000, 1)


def _dump(name: str, rec: np.ndarray, heard: list[Heard], points: list[Any], r: Result) -> None:
    from tempo_coach.audio.sounds import write_wav

    folder = Path(os.environ["SLOWER_CUE_DUMP"])
    folder.mkdir(parents=True, exist_ok=True)
    write_wav(folder / f"{name}.wav", rec, RATE)  # int16, written as it is
    info = {
        "heard": [asdict(h) for h in heard],
        "points": [[p.t_ms, p.sound] for p in points],
        "result": asdict(r),
    }
    (folder / f"{name}.json").write_text(json.dumps(info, indent=1))


def run(names: list[str], skip_session_changed: bool = False, backend: str = "stream") -> int:
    """All trials in this process (the daemon's environment is set before Qt or PulseAudio
    are loaded); one RESULT line of JSON per trial."""
    sys.path.insert(0, str(ROOT))
    from tests.audio.pulse_harness import HarnessUnavailable, NullSinkDaemon

    daemon = NullSinkDaemon(Path(tempfile.mkdtemp(prefix="tc_slower_")))
    try:
        daemon.start()
    except HarnessUnavailable as error:
        print(f"UNAVAILABLE {error}", flush=True)
        return 2
    outputs: dict[str, Any] = {}
    try:
        os.environ.update(daemon.env)
        os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")
        from tempo_coach.audio import choose_output
        from tempo_coach.core.preferences import Preferences

        for number, name in enumerate(names, 1):
            trial = TRIALS[name]
            if trial.voice not in outputs:
                prefs = Preferences.defaults().with_values(
                    audio_backend=backend, cue_voice=trial.voice
                )
                outputs[trial.voice] = choose_output(prefs)
            output = outputs[trial.voice]
            if output.name != backend:
                result = Result(trial.name, trial.tempo, trial.voice, output.name)
                result.error = f"{backend} could not start: {'; '.join(output.reasons)}"
            else:
                try:
                    result = run_trial(daemon, output, trial, skip_session_changed, number)
                except Exception as error:  # reported in the table, the other trials go on
                    result = Result(trial.name, trial.tempo, trial.voice, output.name)
                    result.error = f"{type(error).__name__}: {error}"
            line = asdict(result)
            line["ok"] = result.ok
            print("RESULT " + json.dumps(line), flush=True)
    finally:
        for output in outputs.values():
            output.close()
        daemon.stop()
    return 0


# -- the table -------------------------------------------------------------------------


def print_table(results: list[dict[str, Any]]) -> None:
    print()
    print(
        f"{'trial':<22} {'tempo':<12} {'cues':<6} {'taps (s in)':<12} {'hint rep':>8} "
        f"{'rule':>5} {'committed':>9} {'margin':>7} {'slower heard':>13} {'err ms':>7} "
        f"{'max |err| ms':>12} {'cues':>7}  other cues"
    )
    for r in results:
        if r.get("error"):
            print(f"{r['trial']:<22} failed: {r['error']}")
            continue
        taps = ",".join(f"{tap['into_lowering_ms'] / 1000:g}" for tap in r["taps"])
        hint = ",".join(str(rep) for _, rep in r["hints"]) or "-"
        rule = ",".join(str(rep) for rep in r["rule_reps"]) or "-"
        committed = ",".join("yes" if c else "no" for c in r["committed"]) or "-"
        margin = ",".join("-" if m is None else f"{m:.0f}" for m in r["margin_ms"]) or "-"
        slower = (
            ",".join(f"rep {s['rep']}" if s["right"] else s["sound"] for s in r["slower_heard"])
            or "none"
        )
        err = ",".join(f"{s['error_ms']:+.2f}" for s in r["slower_heard"]) or "-"
        other = "; ".join(r["misplaced"] + r["timeline_other_changes"]) or "all in place"
        print(
            f"{r['trial']:<22} {r['tempo']:<12} {r['voice']:<6} {taps:<12} {hint:>8} {rule:>5} "
            f"{committed:>9} {margin:>7} {slower:>13} {err:>7} {r['max_error_ms']:>12.2f} "
            f"{r['heard']:>3}/{r['expected']:<3}  {other}"
        )
    print(
        "taps: seconds into the lowering of each tap (session time). hint rep: the lowering "
        "session.hints names; rule: the first lowering starting after tap + horizon "
        "(computed here); committed: the next lowering was inside the horizon at the tap. "
        "margin: ms from the stream's committed edge (sound handed to the device) to the "
        "hinted cue, at the re-plan (negative: too late to change). "
        "slower heard: where the 'slower' sound was found in the recording; err: its onset "
        "minus where the timeline puts it. max |err|: over every cue of the set. cues: "
        "heard/planned."
    )
    ok = [r for r in results if not r.get("error")]
    hints = sum(len(r["hints"]) for r in ok)
    right = sum(r["hints_right"] for r in ok)
    slower_errors = [abs(s["error_ms"]) for r in ok for s in r["slower_heard"]]
    all_errors = [r["max_error_ms"] for r in ok]
    misplaced = sum(len(r["misplaced"]) + len(r["timeline_other_changes"]) for r in ok)
    margins = [m for r in ok for m in r["margin_ms"] if m is not None]
    print()
    print(
        f"{'trials':>6} {'hints placed':>13} {'heard at the right lowering':>28} "
        f"{'slower max |err| ms':>20} {'all cues max |err| ms':>22} {'other cues misplaced':>21} "
        f"{'min margin ms':>14}"
    )
    print(
        f"{len(results):>6} {hints:>13} {right:>28} "
        f"{max(slower_errors) if slower_errors else float('nan'):>20.3f} "
        f"{max(all_errors) if all_errors else float('nan'):>22.3f} {misplaced:>21} "
        f"{min(margins) if margins else float('nan'):>14.0f}"
    )
    failed = [r["trial"] for r in results if not r.get("ok")]
    print("all trials pass" if not failed else f"FAILED: {', '.join(failed)}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench slower_cue",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--trials", nargs="*", default=DEFAULT_TRIALS, choices=sorted(TRIALS), metavar="TRIAL"
    )
    parser.add_argument(
        "--backend", default="stream", help="the output: stream (default) or simpleaudio"
    )
    parser.add_argument("--repeat", type=int, default=1, help="run the trials N times (1)")
    parser.add_argument("--json", metavar="FILE", help="also write the results here")
    parser.add_argument(
        "--skip-session-changed",
        action="store_true",
        help="do not tell the output (shows that the check fails without it)",
    )
    parser.add_argument("--run", action="store_true", help=argparse.SUPPRESS)  # internal
    args = parser.parse_args(argv)
    if args.run:
        return run(args.trials, args.skip_session_changed, args.backend)
    started = time.monotonic()
    names = [name for _ in range(max(1, args.repeat)) for name in args.trials]
    print(f"slower_cue: {len(names)} trials through {args.backend}, real time", flush=True)
    command = [sys.executable, "-m", "bench", "slower_cue", "--run", "--trials", *names]
    command += ["--backend", args.backend]
    if args.skip_session_changed:
        command.append("--skip-session-changed")
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    results = [json.loads(ln[7:]) for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    unavailable = [ln for ln in proc.stdout.splitlines() if ln.startswith("UNAVAILABLE ")]
    if unavailable:
        print(f"no PulseAudio null sink here: {unavailable[0][12:]}")
        return 1
    if proc.returncode != 0 or len(results) != len(names):
        print(f"the run failed (exit {proc.returncode}): {proc.stderr[-1500:]}")
    print_table(results)
    print(f"total {time.monotonic() - started:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    complete = len(results) == len(names)
    return 0 if complete and all(r.get("ok") for r in results) else 1
