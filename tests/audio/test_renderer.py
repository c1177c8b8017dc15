"""The cue-track renderer: tempo_coach/audio/renderer.py (and offline.py, which drives it)."""

from __future__ import annotations

import numpy as np
import pytest

from tempo_coach.audio.offline import Action, ActionKind, render_session
from tempo_coach.audio.onsets import detect_onsets
from tempo_coach.audio.renderer import LIMIT_CEILING, CueRenderer, limit
from tempo_coach.audio.sounds import RATE, SoundSet, load_sound_set, synthesize
from tempo_coach.core.clock import FakeClock
from tempo_coach.core.exercise import BUILTIN_EXERCISES, find_exercise
from tempo_coach.core.session import Session
from tempo_coach.core.tempo import parse_tempo
from tempo_coach.core.timeline import SetPlan
from tests.audio.expected import planned_cues


def _plan(tempo: str = "2.5-0-1-0", reps: int = 3, sets: int = 2, rest_s: int = 7) -> SetPlan:
    return SetPlan.from_exercise(
        find_exercise("squat", BUILTIN_EXERCISES),
        tempo=parse_tempo(tempo),
        reps=reps,
        sets=sets,
        rest_ms=rest_s * 1000,
    )


@pytest.fixture(scope="module")
def sounds() -> SoundSet:
    return load_sound_set("default", 0.8)


def _onsets_match(samples: np.ndarray, planned: list[tuple[int, str]]) -> None:
    onsets = detect_onsets(samples, RATE).tolist()
    assert onsets == [s for s, _ in planned]


def test_every_cue_on_its_planned_sample(sounds: SoundSet) -> None:
    plan = _plan()
    track = render_session(plan, CueRenderer(sounds))
    _onsets_match(track.samples, planned_cues(plan))
    assert int(np.max(np.abs(track.samples.astype(np.int32)))) < 32767


def test_live_changes_and_pauses_keep_every_cue_on_its_sample(sounds: SoundSet) -> None:
    plan = _plan("3-1-1-0", reps=4, sets=2)
    changes = [(4.3, +1000), (15.7, -1000), (30.2, +2000)]
    pauses = [(9.45, 2.5), (22.05, 1.3333)]
    actions = [Action(t, ActionKind.CHANGE, v / 1000) for t, v in changes] + [
        Action(t, ActionKind.PAUSE, s) for t, s in pauses
    ]
    track = render_session(plan, CueRenderer(sounds), actions)
    assert track.problems == ()
    planned = planned_cues(plan, changes, pauses)
    _onsets_match(track.samples, planned)
    # the changes really changed the lowering: 3 s, then 4, 3 and 5 s
    lowering: dict[tuple[int, int | None], int] = {}  # a lowering a pause split counts whole
    for s in track.session.segments:
        if s.phase.value == "eccentric":
            key = (s.set_number, s.rep)
            lowering[key] = lowering.get(key, 0) + s.duration_ms
    assert sorted(set(lowering.values())) == [3000, 4000, 5000]


def test_rendering_in_blocks_gives_the_same_samples(sounds: SoundSet) -> None:
    plan = _plan(reps=2, sets=1)
    whole = render_session(plan, CueRenderer(sounds)).samples
    renderer = CueRenderer(sounds)
    render_session(plan, renderer)  # plans the voices
    rng = np.random.default_rng(1)
    blocks, at = [], 0
    while at < len(whole):
        n = int(rng.integers(1, 9000))
        blocks.append(renderer.render_float(at, min(n, len(whole) - at)))
        at += n
    pcm = np.round(np.concatenate(blocks) * 32767).astype(np.int16)
    assert np.array_equal(pcm, whole)


def test_replan_never_touches_what_is_committed(sounds: SoundSet) -> None:
    clock = FakeClock(0.0)
    session = Session(_plan("4-0-1-0", reps=3, sets=1), clock)
    session.start()
    renderer = CueRenderer(sounds)
    renderer.replan(session, origin=0)
    before = renderer.render(0, 5 * RATE)  # 5 s handed to the "device"
    clock.set(4.0)
    session.change_eccentric(+2000)  # horizon 0: the next lowering (8 s) gets 6 s
    renderer.replan(session, origin=0)
    assert renderer.rendered_until == 5 * RATE
    again = renderer.render_float(0, 5 * RATE)
    assert np.array_equal(np.round(again * 32767).astype(np.int16), before)
    # a cue at 8 s exists in the new plan, the old plan's 11 s tick (4-0-1-0) moved to 13 s
    starts = [v.start for v in renderer.voices]
    assert 8 * RATE in starts and 14 * RATE in starts


def test_a_pause_right_after_a_cue_does_not_repeat_it(sounds: SoundSet) -> None:
    clock = FakeClock(0.0)
    session = Session(_plan("4-0-1-0", reps=1, sets=1), clock)
    session.start()
    renderer = CueRenderer(sounds)
    renderer.replan(session, origin=0)
    renderer.render(0, 3 * RATE + 100)  # the 3 s cue is already on its way out
    clock.set(2.999)
    session.pause()
    renderer.replan(session, None)
    clock.set(10.0)
    session.resume()
    origin = round(session.wall_offset_s() * RATE)
    renderer.replan(session, origin)
    points = [v.point.t_ms for v in renderer.voices]
    assert points.count(3000) == 1


def test_overlapping_loud_cues_never_reach_full_scale(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tempo_coach.audio.sounds import write_wav

    square = np.sign(np.sin(np.arange(int(1.8 * RATE)) * 2 * np.pi * 440 / RATE))
    for name in ("tick", "tick_last", "lower", "hold", "lift"):
        write_wav(tmp_path / f"{name}.wav", (square * 0.999).astype(np.float32))
    loud = load_sound_set(str(tmp_path), volume=1.0)
    track = render_session(_plan("3-0-1-0", reps=2, sets=1), CueRenderer(loud))
    peak = int(np.max(np.abs(track.samples.astype(np.int32))))
    assert 32000 < peak < 32767


def test_limiter_is_transparent_below_the_knee_and_bounded_above() -> None:
    quiet = np.linspace(-0.9, 0.9, 1001).astype(np.float32)
    assert np.array_equal(limit(quiet), quiet)
    loud = np.linspace(-8, 8, 1001).astype(np.float32)
    out = limit(loud)
    assert np.max(np.abs(out)) <= LIMIT_CEILING
    assert np.all(np.diff(out) >= 0)  # monotonic: no folding or distortion of order


def test_sound_is_placed_whole(sounds: SoundSet) -> None:
    track = render_session(_plan(reps=1, sets=1), CueRenderer(sounds))
    first = detect_onsets(track.samples, RATE)[0]
    ready = np.round(synthesize("get_ready") * 0.8 * 32767).astype(np.int16)
    placed = track.samples[first : first + len(ready)].astype(np.int32)
    assert np.max(np.abs(placed - ready)) <= 1  # float32 rounding
