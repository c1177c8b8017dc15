"""How late a press of "+1 s" still reaches the next lowering, as heard.

    python -m bench live_change_reach                   # stream and simpleaudio, 3 cue sets
    python -m bench live_change_reach --backends stream --cues beeps/up voice/up both/down
    python -m bench live_change_reach --offsets 0.5 0.4 0.3 --jobs 1

A squat, tempo 3-1-1-0, 1 set of 3 reps, a 1 s count-in, at real speed (the output's
commit horizon is real time). Each press is a fresh session played through one back-end into
a private PulseAudio null sink (tests/audio/pulse_harness.py), recorded from its monitor.
The driver does what the window does (``tempo-coach play`` does not pass
``audible_difference`` yet): ``choose_output(prefs)``,
``Session(plan, output.clock, commit_horizon_ms=output.horizon_ms,
audible_difference=output.first_audible_difference)``, ``start()``, ``output.begin()``, poll
every 10 ms; the press is ``session.change_eccentric(+1000)`` then
``output.session_changed()``, made OFFSET seconds before the *heard* start of rep 2's
lowering (the first sample of its cue in the sink's mix).

Timing the press against the sound: the recorder's file grows as parec receives the mix, so
(monotonic time, samples written) pairs give a lower envelope ``heard(sample) = c + sample /
rate`` (the earliest delivery is the closest to the truth; a few ms, errs towards "later").
During each run the first cue (the count-in's, at session time 0) is found in the recording
so far, and the press is made when the lowering, due 6 s of sound later, is OFFSET away.
Afterwards the offset is measured again on the whole recording.

What is heard: every cue heard up to where the session was stopped (the hold that ends the
lowering the session named, at the latest) is compared, waveform and all, with the offline
renders of three candidate sessions: the change applied from rep 2, from rep 3, not at all.
The closest (fewest cues off: onset beyond 30 ms, or waveform beyond 20 %) is the rep
heard; a cue that differs even from it is listed ("sound": simpleaudio's splice can play the
rest of a cue twice). The table also gives rep 2's heard lowering (from its cue to the
hold's). "said": the ``LiveChange`` the session returned (set 1, rep N).

Also printed per back-end and cue set: the rule's boundary (the latest session time before
the lowering at which the session still names rep 2, found on a FakeClock with the output's
own difference finder and horizon) and the measured screen lead (how long before a cue is
heard the session clock reaches it), whose sum is the latest press, as heard, that reaches
the lowering. Exit status 1 if any press was heard other than the session said.

``LIVE_CHANGE_REACH_DUMP=DIR`` keeps each recording (WAV) with its onsets and splices (JSON).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RATE = 44100
TEMPO = "3-1-1-0"
REPS = 3
COUNT_IN_MS = 1000
TARGET_REP = 2
LOOK_EVERY_S = 0.01
DEFAULT_CUES = ["beeps/up", "beeps/down", "voice/down"]
DEFAULT_OFFSETS = [1.5, 1.0, 0.5, 0.3, 0.15, 0.05, -0.05]
DEFAULT_BACKENDS = ["stream", "simpleaudio"]
ONSET_TOLERANCE_S = 0.030
WAVEFORM_TOLERANCE = 0.2
#: Stop this long (session time) after the hold that closes the lowering the session named.
STOP_AFTER_MS = 450


def _plan(style: str):  # type: ignore[no-untyped-def]
    from tempo_coach.core.exercise import BUILTIN_EXERCISES, find_exercise
    from tempo_coach.core.tempo import parse_tempo
    from tempo_coach.core.timeline import CountStyle, SetPlan

    return SetPlan.from_exercise(
        find_exercise("squat", BUILTIN_EXERCISES),
        tempo=parse_tempo(TEMPO),
        reps=REPS,
        sets=1,
        rest_ms=0,
        count_in_ms=COUNT_IN_MS,
        count_style=CountStyle(style),
    )


def _segment_start(session: Any, rep: int, phase_name: str) -> int:
    from tempo_coach.core.tempo import Phase

    phase = Phase[phase_name]
    return int(next(s.start_ms for s in session.segments if s.rep == rep and s.phase is phase))


# -- what each candidate sounds like -----------------------------------------------------


@dataclass
class Candidate:
    """An offline render of the session with the change applied from ``rep`` (None: not at
    all): where each cue instant's first sample is, where the detector finds it, and the
    samples to compare with."""

    rep: int | None
    samples: np.ndarray
    instants: list[tuple[int, int, int]]  # (session ms, planned sample, detected onset)
    lowering_ms: dict[int, tuple[int, int]] = field(default_factory=dict)  # rep: (start, hold)


def _candidates(plan: Any, sounds: Any, options: Any) -> dict[int | None, Candidate]:
    from tempo_coach.audio.offline import (
        SESSION_ZERO_SAMPLE,
        Action,
        ActionKind,
        render_session,
    )
    from tempo_coach.audio.onsets import detect_onsets
    from tempo_coach.audio.renderer import CueRenderer

    # Scripted at a moment of the previous rep's hold, on a fake clock with no horizon: the
    # change lands on exactly that rep.
    at_s = {2: (COUNT_IN_MS + 3500) / 1000, 3: (COUNT_IN_MS + 8500) / 1000}
    out: dict[int | None, Candidate] = {}
    for rep in (2, 3, None):
        renderer = CueRenderer(sounds, options)
        actions = [] if rep is None else [Action(at_s[rep], ActionKind.CHANGE, 1.0)]
        track = render_session(plan, renderer, actions)
        onsets = detect_onsets(track.samples, RATE)
        instants = []
        for t in sorted({p.t_ms for p in renderer.points_for(track.session)}):
            planned = SESSION_ZERO_SAMPLE + round(t * RATE / 1000)
            i = int(np.searchsorted(onsets, planned))
            if i < len(onsets) and onsets[i] - planned < 0.15 * RATE:
                instants.append((t, planned, int(onsets[i])))
        if rep is not None:
            changed = [c.rep for c in track.session.live_changes]
            assert changed == [rep], (rep, changed)
        lowering = {
            r: (
                _segment_start(track.session, r, "ECCENTRIC"),
                _segment_start(track.session, r, "PAUSE_AFTER_ECCENTRIC"),
            )
            for r in range(1, REPS + 1)
        }
        out[rep] = Candidate(rep, track.samples, instants, lowering)
    return out


def _match(
    candidate: Candidate, rec: np.ndarray, onsets: np.ndarray, shift: int, until_ms: int
) -> tuple[bool, dict[int, int], list[str]]:
    """Does the recording (its onsets shifted onto the candidate's samples) hold exactly the
    candidate's cues up to session time ``until_ms``? Returns (fits, {session ms: recorded
    onset}, problems)."""
    tolerance = round(ONSET_TOLERANCE_S * RATE)
    found: dict[int, int] = {}
    problems: list[str] = []
    used: set[int] = set()
    instants = [x for x in candidate.instants if x[0] <= until_ms]
    for k, (t, _planned, onset) in enumerate(instants):
        want = onset + shift
        i = int(np.searchsorted(onsets, want - tolerance))
        near = [int(o) for o in onsets[i:] if o <= want + tolerance]
        if not near:
            problems.append(f"{t} ms: no cue heard")
            continue
        heard = min(near, key=lambda o: abs(o - want))
        used.add(heard)
        nxt = instants[k + 1][2] if k + 1 < len(instants) else onset + RATE // 2
        length = max(64, min(round(0.15 * RATE), nxt - onset - RATE // 200))
        expected = candidate.samples[onset : onset + length].astype(np.float64)
        got = rec[heard : heard + len(expected)].astype(np.float64)
        if len(got) < len(expected):
            problems.append(f"{t} ms: the recording ends inside the cue")
            continue
        error = float(np.linalg.norm(got - expected) / max(1.0, np.linalg.norm(expected)))
        if error > WAVEFORM_TOLERANCE:
            problems.append(f"{t} ms: the sound differs (error {error:.2f})")
        found[t] = heard
    if instants:
        last = instants[-1][2] + shift + tolerance
        extra = [int(o) for o in onsets if int(o) <= last and int(o) not in used]
        problems.extend(f"extra cue at sample {o}" for o in extra)
    return not problems, found, problems


# -- the rule, on a fake clock -----------------------------------------------------------


def _rule_boundary_ms(plan: Any, output: Any) -> int:
    """The latest session time at which a press still names rep 2 (ms before its lowering),
    with the output's difference finder and horizon."""
    from tempo_coach.audio.renderer import CueRenderer
    from tempo_coach.core.clock import FakeClock
    from tempo_coach.core.session import Session, SessionError

    renderer = CueRenderer(output.sounds, output.options)

    def difference(old: Any, new: Any) -> int | None:
        before = renderer.points_of(old, plan.reps)
        after = renderer.points_of(new, plan.reps)
        for a, b in zip(before, after, strict=False):
            if a != b:
                return min(a.t_ms, b.t_ms)
        if len(before) != len(after):
            longer = before if len(before) > len(after) else after
            return longer[min(len(before), len(after))].t_ms
        return None

    start = COUNT_IN_MS + 5000

    def names_rep_2(t_ms: int) -> bool:
        clock = FakeClock()
        session = Session(
            plan, clock, commit_horizon_ms=output.horizon_ms, audible_difference=difference
        )
        session.start()
        clock.advance(t_ms / 1000)
        session.poll()
        try:
            return session.change_eccentric(1000).rep == TARGET_REP
        except SessionError:
            return False

    low, high = start - 3000, start + 1000  # names rep 2 at low; not at high
    assert names_rep_2(low) and not names_rep_2(high)
    while high - low > 1:
        mid = (low + high) // 2
        if names_rep_2(mid):
            low = mid
        else:
            high = mid
    return start - low


# -- one run -----------------------------------------------------------------------------


class Recorder:
    """parec into a file we can read while it grows (as tests/audio's MonitorRecorder)."""

    def __init__(self, daemon: Any, folder: Path) -> None:
        from tests.audio.pulse_harness import parec_command

        self.path = folder / f"rec-{time.monotonic_ns()}.raw"
        self._out = open(self.path, "wb")  # noqa: SIM115 (closed in stop)
        self._proc = subprocess.Popen(parec_command(), env=daemon.env, stdout=self._out)
        deadline = time.monotonic() + 5
        while self.path.stat().st_size == 0:
            if time.monotonic() > deadline or self._proc.poll() is not None:
                self.stop()
                raise RuntimeError("the recorder got no audio from the sink monitor")
            time.sleep(0.01)
        time.sleep(0.2)
        self.pairs: list[tuple[float, int]] = []

    def look(self) -> None:
        self.pairs.append((time.monotonic(), self.path.stat().st_size // 2))

    def offset_s(self) -> float:
        """c in heard(sample) = c + sample / RATE (the lower envelope of the pairs)."""
        return min(t - n / RATE for t, n in self.pairs if n > 0)

    def samples(self) -> np.ndarray:
        raw = self.path.read_bytes()
        return np.frombuffer(raw[: len(raw) - len(raw) % 2], dtype="<i2")

    def stop(self) -> np.ndarray:
        if self._proc.poll() is None:
            self._proc.send_signal(signal.SIGINT)
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._out.close()
        data: np.ndarray = self.samples().copy()
        self.path.unlink(missing_ok=True)
        return data


def run_one(
    daemon: Any,
    folder: Path,
    output: Any,
    plan: Any,
    candidates: dict[int | None, Candidate],
    offset_s: float,
) -> dict[str, Any]:
    from tempo_coach.audio.onsets import detect_onsets
    from tempo_coach.core.session import Session, SessionError, SessionStatus

    start_ms = COUNT_IN_MS + 5000  # rep 2's lowering, session time
    reference = candidates[None]
    first_t, first_planned, first_onset = reference.instants[0]
    assert first_t == 0
    first_delay = first_onset - first_planned  # the detector's lag on the first cue
    recorder = Recorder(daemon, folder)
    session = Session(
        plan,
        output.clock,
        commit_horizon_ms=output.horizon_ms,
        audible_difference=output.first_audible_difference,
    )
    clock_pairs: list[tuple[float, int]] = []
    onset0: int | None = None
    press_mono: float | None = None
    press_session_ms = 0
    call_ms = 0.0
    said: int | None = None
    said_text = ""
    stop_at_ms = _segment_start(session, TARGET_REP, "PAUSE_AFTER_ECCENTRIC") + STOP_AFTER_MS
    # Anything heard before the session began (a tail of the previous run) is not its.
    began = time.monotonic()
    session.start()
    output.begin(session)

    def after_start(onsets: np.ndarray) -> np.ndarray:
        return onsets[onsets >= (began - recorder.offset_s()) * RATE]

    try:
        while session.status is SessionStatus.RUNNING:
            session.poll()
            now_ms = session.session_ms()
            clock_pairs.append((time.monotonic(), now_ms))
            recorder.look()
            if onset0 is None and now_ms > 300:
                onsets = after_start(detect_onsets(recorder.samples(), RATE))
                if len(onsets):
                    onset0 = int(onsets[0])
            if press_mono is None and onset0 is not None:
                heard_zero = recorder.offset_s() + (onset0 - first_delay) / RATE
                press_at = heard_zero + start_ms / 1000 - offset_s
                if time.monotonic() >= press_at - 0.015:
                    while time.monotonic() < press_at:
                        time.sleep(0.0005)
                    press_mono = time.monotonic()
                    press_session_ms = session.session_ms()
                    try:
                        change = session.change_eccentric(1000)
                        said = change.rep
                        said_text = f"set {change.set_number} rep {change.rep}"
                    except SessionError as error:
                        said_text = f"none ({error})"
                    call_ms = (time.monotonic() - press_mono) * 1000
                    output.session_changed()
                    # Hear the hold that ends the lowering named (rep 2's when none was).
                    named = max(TARGET_REP, said or TARGET_REP)
                    hold_ms = _segment_start(session, named, "PAUSE_AFTER_ECCENTRIC")
                    stop_at_ms = hold_ms + STOP_AFTER_MS
            if now_ms >= stop_at_ms and press_mono is not None:
                break
            time.sleep(LOOK_EVERY_S)
        stopped_ms = session.session_ms()
        session.abort()
    finally:
        output.end()
        time.sleep(0.3)  # what the device still lets out is recorded here, not next time
        recorder.look()
        rec = recorder.stop()
    # -- what was heard
    onsets = after_start(detect_onsets(rec, RATE))
    if os.environ.get("LIVE_CHANGE_REACH_DUMP"):
        _dump(rec, onsets, output, plan, offset_s, press_mono, recorder)
    if not len(onsets):
        return {"error": "nothing heard"}
    shift = int(onsets[0]) - first_onset
    until_ms = stopped_ms - 150
    fits: dict[int | None, tuple[bool, dict[int, int], list[str]]] = {
        rep: _match(c, rec, onsets, shift, until_ms) for rep, c in candidates.items()
    }
    # Heard: the candidate with the fewest differences from the recording (none, unless a
    # cue sounded wrong; those are listed), if no other is as close.
    counts = sorted(len(fit[2]) for fit in fits.values())
    best = min(fits, key=lambda rep: len(fits[rep][2]))
    heard: int | str | None = best if counts[0] < counts[1] else "?"
    basis, found = candidates[best], fits[best][1]
    glitches = fits[best][2]
    # rep 2's lowering as heard: from its cue's first sample to the hold's
    delay = {t: onset - planned for t, planned, onset in basis.instants}
    low_t, hold_t = basis.lowering_ms[TARGET_REP]
    lowering_s = None
    if low_t in found and hold_t in found:
        first = found[low_t] - delay[low_t]
        lowering_s = (found[hold_t] - delay[hold_t] - first) / RATE
    heard_start_sample = (
        found[low_t] - delay[low_t]
        if low_t in found
        else int(onsets[0]) - first_delay + round(start_ms * RATE / 1000)
    )
    c = recorder.offset_s()
    heard_start = c + heard_start_sample / RATE
    assert press_mono is not None
    # the screen lead: when the session clock reached the lowering vs when it was heard
    crossed = next((t for t, ms in clock_pairs if ms >= start_ms), None)
    previous = [(t, ms) for t, ms in clock_pairs if ms < start_ms]
    lead_ms = None
    if crossed is not None and previous:
        t0, ms0 = previous[-1]
        later = next((t, ms) for t, ms in clock_pairs if ms >= start_ms)
        t1, ms1 = later
        at = t0 + (start_ms - ms0) / max(1, ms1 - ms0) * (t1 - t0)
        lead_ms = (heard_start - at) * 1000
    return {
        "offset_target_ms": round(offset_s * 1000),
        "offset_heard_ms": round((heard_start - press_mono) * 1000, 1),
        "press_before_lowering_session_ms": start_ms - press_session_ms,
        "said": said,
        "said_text": said_text,
        "heard": heard,
        "match": heard == said,
        "rep2_lowering_heard_s": lowering_s,
        "lead_ms": None if lead_ms is None else round(lead_ms, 1),
        "change_call_ms": round(call_ms, 2),
        "glitches": glitches,
        "problems": {str(rep): fit[2][:4] for rep, fit in fits.items()} if heard == "?" else {},
    }


def _dump(
    rec: np.ndarray,
    onsets: np.ndarray,
    output: Any,
    plan: Any,
    offset_s: float,
    press_mono: float | None,
    recorder: Recorder,
) -> None:
    """The recording (WAV) and what it was measured from (JSON), one pair per run."""
    from tempo_coach.audio.sounds import write_wav

    folder = Path(os.environ["LIVE_CHANGE_REACH_DUMP"])
    folder.mkdir(parents=True, exist_ok=True)
    voice = getattr(output.options.cue_voice, "value", output.options.cue_voice)
    name = f"{output.name}_{voice}_{plan.count_style.value}_{round(offset_s * 1000)}ms"
    write_wav(folder / f"{name}.wav", rec, RATE)  # int16, written as it is
    info = {
        "onsets": onsets.tolist(),
        "press_mono": press_mono,
        "heard_offset_s": recorder.offset_s(),
        "splices": [list(x) for x in getattr(output.engine, "splices", [])],
        "splice_points": list(getattr(output.engine, "splice_points", [])),
    }
    (folder / f"{name}.json").write_text(json.dumps(info))


def run_backend(backend: str, cue_sets: list[str], offsets: list[float]) -> int:
    """All runs of one back-end in this process; one JSON line per run."""
    sys.path.insert(0, str(ROOT))
    from tests.audio.pulse_harness import NullSinkDaemon

    folder = Path(tempfile.mkdtemp(prefix="tc_reach_"))
    daemon = NullSinkDaemon(folder)
    daemon.start()
    try:
        os.environ.update(daemon.env)  # before Qt or ALSA are loaded
        os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")
        from tempo_coach.audio import choose_output
        from tempo_coach.core.preferences import Preferences

        for cues in cue_sets:
            voice, style = cues.split("/")
            prefs = Preferences.defaults().with_values(audio_backend=backend, cue_voice=voice)
            output = choose_output(prefs)
            if output.name != backend:
                print(
                    "RESULT "
                    + json.dumps(
                        {
                            "backend": backend,
                            "cues": cues,
                            "error": f"{backend} could not start: {'; '.join(output.reasons)}",
                        }
                    ),
                    flush=True,
                )
                output.close()
                continue
            plan = _plan(style)
            candidates = _candidates(plan, output.sounds, output.options)
            rule = {
                "backend": backend,
                "cues": cues,
                "horizon_ms": output.horizon_ms,
                "rule_boundary_ms": _rule_boundary_ms(plan, output),
            }
            print("RULE " + json.dumps(rule), flush=True)
            for offset in offsets:
                try:
                    result = run_one(daemon, folder, output, plan, candidates, offset)
                except Exception as error:
                    result = {
                        "offset_target_ms": round(offset * 1000),
                        "error": f"{type(error).__name__}: {error}",
                    }
                result.update(backend=backend, cues=cues)
                print("RESULT " + json.dumps(result), flush=True)
            output.close()
    finally:
        daemon.stop()
    return 0


# -- the table ---------------------------------------------------------------------------


def _rep(value: object) -> str:
    return "-" if value is None else str(value)


def print_table(rules: list[dict[str, Any]], results: list[dict[str, Any]]) -> None:
    print()
    print(
        f"{'back-end':<12} {'cues':<11} {'offset':>7} {'heard ms':>9} {'said':>5} "
        f"{'heard':>6} {'rep 2 s':>8} {'match':>6} {'lead ms':>8}  sound"
    )
    for r in results:
        if "error" in r:
            print(f"{r['backend']:<12} {r['cues']:<11} failed: {r['error']}")
            continue
        lowering = r["rep2_lowering_heard_s"]
        print(
            f"{r['backend']:<12} {r['cues']:<11} {r['offset_target_ms'] / 1000:>6.2f}s "
            f"{r['offset_heard_ms']:>9.1f} {_rep(r['said']):>5} {_rep(r['heard']):>6} "
            f"{'-' if lowering is None else f'{lowering:.3f}':>8} "
            f"{'yes' if r['match'] else 'NO':>6} {_rep(r['lead_ms']):>8}  "
            f"{'; '.join(r['glitches']) or 'clean'}"
        )
        for rep, problems in r.get("problems", {}).items():
            print(f"    candidate rep {rep}: {'; '.join(problems)}")
    print(
        "offset: the press, planned, before the heard start of rep 2's lowering; heard ms: "
        "measured on the recording (+-5 ms). said: the rep of the LiveChange the session "
        "returned (- : none left); heard: the rep from which the recording has the longer "
        "lowering (- : none); rep 2 s: rep 2's lowering as heard. lead: how long before the "
        "lowering was heard the session clock reached it. sound: every heard cue as "
        "rendered offline (clean), or where one differs (session ms of the cue)."
    )
    print()
    print(
        f"{'back-end':<12} {'cues':<11} {'horizon':>8} {'rule: ms before':>16} "
        f"{'lead p50':>9} {'latest press heard':>19} {'sweep: reached / not':>22} "
        f"{'all match':>10} {'clean':>6}"
    )
    for rule in rules:
        mine = [
            r
            for r in results
            if r["backend"] == rule["backend"] and r["cues"] == rule["cues"] and "error" not in r
        ]
        leads = [r["lead_ms"] for r in mine if r["lead_ms"] is not None]
        lead = float(np.median(leads)) if leads else None
        latest = None if lead is None else rule["rule_boundary_ms"] + lead
        reached = [r["offset_heard_ms"] for r in mine if r["heard"] == TARGET_REP]
        missed = [r["offset_heard_ms"] for r in mine if r["heard"] != TARGET_REP]
        sweep = f"{min(reached) if reached else '-'} / {max(missed) if missed else '-'}"
        print(
            f"{rule['backend']:<12} {rule['cues']:<11} {rule['horizon_ms']:>6}ms "
            f"{rule['rule_boundary_ms']:>16} {_rep(None if lead is None else round(lead, 1)):>9} "
            f"{_rep(None if latest is None else round(latest)):>19} {sweep:>22} "
            f"{'yes' if mine and all(r['match'] for r in mine) else 'NO':>10} "
            f"{sum(not r['glitches'] for r in mine):>3}/{len(mine)}"
        )
    print(
        "rule: the latest session time, in ms before the lowering, at which the session still "
        "names rep 2; latest press heard = rule + lead: a press at least this long before the "
        "heard start of the lowering reaches it. sweep: the latest press (heard ms) that "
        "reached rep 2 / the earliest that did not. clean: runs where every cue sounded as "
        "rendered offline."
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench live_change_reach",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--backends", nargs="*", default=DEFAULT_BACKENDS)
    parser.add_argument(
        "--cues", nargs="*", default=DEFAULT_CUES, help="VOICE/STYLE: beeps|voice|both / up|down"
    )
    parser.add_argument(
        "--offsets",
        nargs="*",
        type=float,
        default=DEFAULT_OFFSETS,
        help="seconds before the heard start of the lowering",
    )
    parser.add_argument("--jobs", type=int, default=2, help="back-ends run at the same time (2)")
    parser.add_argument("--json", metavar="FILE", help="also write the results here")
    parser.add_argument("--backend-run", help=argparse.SUPPRESS)  # internal: one back-end
    args = parser.parse_args(argv)
    if args.backend_run:
        return run_backend(args.backend_run, args.cues, args.offsets)
    started = time.monotonic()
    print(
        f"live_change_reach: {', '.join(args.backends)} x {', '.join(args.cues)} x "
        f"{len(args.offsets)} presses, {args.jobs} back-end(s) at a time",
        flush=True,
    )
    pending = list(args.backends)
    running: list[tuple[str, subprocess.Popen[str]]] = []
    rules: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    failed = False

    def start(backend: str) -> subprocess.Popen[str]:
        command = [
            sys.executable,
            "-m",
            "bench",
            "live_change_reach",
            "--backend-run",
            backend,
            "--cues",
            *args.cues,
            "--offsets",
            *map(str, args.offsets),
        ]
        return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)

    while pending or running:
        while pending and len(running) < args.jobs:
            backend = pending.pop(0)
            running.append((backend, start(backend)))
        for backend, proc in list(running):
            if proc.poll() is None:
                continue
            running.remove((backend, proc))
            out = proc.stdout.read() if proc.stdout else ""
            lines = out.splitlines()
            for line in lines:
                if line.startswith("RULE "):
                    rules.append(json.loads(line[5:]))
                elif line.startswith("RESULT "):
                    result = json.loads(line[7:])
                    results.append(result)
                    failed = failed or "error" in result or not result.get("match")
            if proc.returncode != 0 or not any(ln.startswith("RESULT ") for ln in lines):
                failed = True
                print(f"  {backend}: failed (exit {proc.returncode}): {out[-500:]}")
            print(f"  done: {backend}, {time.monotonic() - started:.0f} s", flush=True)
        time.sleep(0.2)
    order = {name: i for i, name in enumerate(args.backends)}
    cue_order = {name: i for i, name in enumerate(args.cues)}

    def key(r: dict[str, Any]) -> tuple[int, int, int]:
        return (
            order.get(r["backend"], 0),
            cue_order.get(r["cues"], 0),
            -int(r.get("offset_target_ms", 0)),
        )

    results.sort(key=key)
    rules.sort(key=lambda r: (order.get(r["backend"], 0), cue_order.get(r["cues"], 0)))
    print_table(rules, results)
    print(f"total {time.monotonic() - started:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps({"rules": rules, "results": results}, indent=1))
    return 1 if failed else 0
