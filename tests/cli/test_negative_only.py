"""``--negative-only`` on the command line (issue 14, item 4): a reset in place of every lift,
as long as the tempo's lifting count, cued with the lift's beep or the word "reset", not
counted as time under tension.

The plan is the issue's example, a negative-only band-assisted pull-up (lifting first):
tempo 4-0-2-1, so each rep is a reset of 2 s (the lifting count), the hold at the top of 1 s,
the lowering of 4 s (and a hang of 0 s, which has no cue). With a count-in of 1 s, rep n
(0 first) starts at 1 + 7n seconds: the reset there, the hold 2 s later, the lowering 3 s
later. The expected times below are written out from that arithmetic, not asked of the
timeline, so a reset that took another length (the lowering's, the hold's) would move every
later cue and be caught.

The rendered track is checked twice: the onsets found in the WAV fall on those samples, and
the sound at each one is the asset file it should be (normalised correlation with the WAV in
assets/sounds, at its best lag: 1.0 at lag 0 when the file sits there untouched).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tempo_coach.audio.offline import SESSION_ZERO_SAMPLE
from tempo_coach.audio.onsets import detect_onsets, read_wav_int16
from tempo_coach.core.tempo import Phase
from tempo_coach.store import Store
from tests.cli.conftest import save_in
from tests.conftest import ROOT
from tests.conftest import run_cli as cli

RATE = 44100
SOUNDS = ROOT / "assets" / "sounds"
PULL_UP = ["-e", "band-assisted pull-up", "-t", "4-0-2-1", "-r", "3", "-s", "1", "--count-in", "1"]

#: Session seconds of each cue, from the tempo alone (see the module's docstring).
REP_STARTS = [1, 8, 15]
RESETS = REP_STARTS
HOLDS = [t + 2 for t in REP_STARTS]
LOWERINGS = [t + 3 for t in REP_STARTS]
END = 22


def _expected_beeps() -> list[tuple[float, str]]:
    """(session seconds, beep) of every cue with the counts off. The last rep's first cue
    is the "last rep" sound, as in any set; the reset of the other reps is the lift's beep."""
    cues: list[tuple[float, str]] = [(0, "get_ready"), (END, "end_of_set")]
    for rep, (reset, hold, lower) in enumerate(zip(RESETS, HOLDS, LOWERINGS, strict=True)):
        cues += [(reset, "last_rep" if rep == 2 else "lift"), (hold, "hold"), (lower, "lower")]
    return sorted(cues)


def _expected_words() -> list[tuple[float, str]]:
    word = {"get_ready": "get-ready", "lift": "reset", "hold": "hold", "lower": "down",
            "last_rep": "last-rep", "end_of_set": "set-done"}  # fmt: skip
    return [(t, f"voice/{word[beep]}") for t, beep in _expected_beeps()]


def _sample(seconds: float) -> int:
    return SESSION_ZERO_SAMPLE + round(seconds * RATE)


def _asset(name: str) -> np.ndarray:
    samples, rate = read_wav_int16(SOUNDS / f"{name}.wav")
    assert rate == RATE
    return samples.astype(np.float64)


def _match(track: np.ndarray, at: int, name: str, search: int = 40) -> tuple[float, int]:
    """The best normalised correlation of the asset ``name`` with the track near sample
    ``at``, and the lag (in samples) where it is best."""
    sound = _asset(name)
    best = (-1.0, 0)
    for lag in range(-search, search + 1):
        window = track[at + lag : at + lag + len(sound)]
        if len(window) < len(sound):
            continue
        norm = float(np.linalg.norm(window) * np.linalg.norm(sound))
        score = float(window @ sound) / norm if norm else 0.0
        best = max(best, (score, lag))
    return best


def _render(env: dict[str, str], out: Path, *more: str) -> np.ndarray:
    result = cli("render", *PULL_UP, "--volume", "1", "--out", str(out), *more, env=env)
    assert result.returncode == 0, result.stderr
    assert "reset lasts" not in result.stderr  # 2 s: not questioned
    samples, rate = read_wav_int16(out)
    assert rate == RATE
    return samples


# -- plan --------------------------------------------------------------------------------------


def _plan_json(cli_env: dict[str, str], *more: str) -> list[dict[str, object]]:
    result = cli("plan", *PULL_UP, "--json", *more, env=cli_env)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_plan_lists_a_reset_where_the_lift_was_with_the_lifting_count(
    cli_env: dict[str, str],
) -> None:
    normal = _plan_json(cli_env)
    negative = _plan_json(cli_env, "--negative-only")
    phases = [(e["t"], e["phase"], e["duration"]) for e in negative if e["kind"] == "phase"]
    resets = [(t, d) for t, p, d in phases if p == "reset"]
    assert resets == [(float(t), 2.0) for t in RESETS]  # the lifting count, 2 s
    assert [t for t, p, _ in phases if p == "pause_after_concentric"] == [float(t) for t in HOLDS]
    assert [t for t, p, _ in phases if p == "eccentric"] == [float(t) for t in LOWERINGS]
    assert "concentric" not in {p for _, p, _ in phases}
    # Every event is the ordinary plan's, the lift renamed: same times, counts, durations.
    renamed = [{**e, "phase": "reset" if e["phase"] == "concentric" else e["phase"]}
               for e in normal]  # fmt: skip
    assert negative == renamed


def test_plan_table_says_negative_only_and_shows_the_resets(cli_env: dict[str, str]) -> None:
    result = cli("plan", *PULL_UP, "--negative-only", env=cli_env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "negative-only (a reset in place of each lift, not under tension)" in lines[0]
    assert [line.split()[0] for line in lines if line.endswith("reset (2 s)")] == [
        f"{t:.1f}" for t in RESETS
    ]
    assert not any("pull up" in line for line in lines[2:])  # the lift's name is gone
    ordinary = cli("plan", *PULL_UP, env=cli_env).stdout
    assert "negative-only" not in ordinary and "pull up (2 s)" in ordinary


def test_a_reset_under_two_seconds_is_questioned_on_stderr(cli_env: dict[str, str]) -> None:
    """The squat's 3-1-1-0 left as it is gives a 1 s reset: a note on stderr (the window
    questions it too); stdout stays clean JSON. A 2 s reset, or no --negative-only, is not
    questioned."""
    short = cli("plan", "-e", "squat", "-r", "1", "-s", "1", "--negative-only", "--json",
                env=cli_env)  # fmt: skip
    assert short.returncode == 0, short.stderr
    assert short.stderr == (
        "note: the reset lasts 1 s: give --tempo a lifting count as long as your reset takes "
        "(a partner, a jump, a step)\n"
    )
    assert all(json.loads(line) for line in short.stdout.splitlines())
    for more in (["-t", "3-1-2-0", "--negative-only"], []):
        result = cli("plan", "-e", "squat", "-r", "1", "-s", "1", *more, env=cli_env)
        assert result.returncode == 0 and result.stderr == "", result.stderr


# -- render ------------------------------------------------------------------------------------


def test_render_cues_the_reset_with_the_lift_beep_on_its_sample(
    tmp_path: Path, cli_env: dict[str, str], data_dir: Path
) -> None:
    save_in(data_dir, exercises=[], cue_counts=False)  # the phase cues alone
    track = _render(cli_env, tmp_path / "negative.wav", "--negative-only")
    expected = _expected_beeps()
    onsets = detect_onsets(track, RATE).tolist()
    assert len(onsets) == len(expected), onsets
    for onset, (seconds, sound) in zip(onsets, expected, strict=True):
        assert abs(onset - _sample(seconds)) <= 1, (seconds, sound, onset - _sample(seconds))
    samples = track.astype(np.float64)
    for seconds, sound in expected:
        score, lag = _match(samples, _sample(seconds), sound)
        assert score > 0.999 and lag == 0, (seconds, sound, score, lag)
    for seconds in RESETS[:2]:  # the third is the last rep's cue
        scores = {name: _match(samples, _sample(seconds), name)[0]
                  for name in ("lift", "lower", "hold", "last_rep", "tick")}  # fmt: skip
        assert max(scores, key=lambda name: scores[name]) == "lift", scores
        assert scores.pop("lift") > 0.999 and max(scores.values()) < 0.5, scores
    # The lift's beep and the lifting count: with beeps, the track is the ordinary one.
    ordinary = _render(cli_env, tmp_path / "ordinary.wav")
    assert np.array_equal(track, ordinary)


def test_render_with_the_voice_says_reset_where_the_ordinary_set_says_up(
    tmp_path: Path, cli_env: dict[str, str], data_dir: Path
) -> None:
    save_in(data_dir, exercises=[], cue_counts=False, cue_voice="voice")
    cues = tmp_path / "cues.jsonl"
    track = _render(cli_env, tmp_path / "negative.wav", "--negative-only", "--cues", str(cues))
    expected = _expected_words()
    listed = [json.loads(line) for line in cues.read_text().splitlines()]
    assert [(c["sample"], c["sound"]) for c in listed] == [(_sample(t), s) for t, s in expected]
    # Each word is placed on its sample and heard where its own first sound is.
    onsets = detect_onsets(track, RATE)
    samples = track.astype(np.float64)
    for seconds, sound in expected:
        at = _sample(seconds)
        score, lag = _match(samples, at, sound)
        assert score > 0.999 and lag == 0, (seconds, sound, score, lag)
        lead = int(detect_onsets(_asset(sound).astype(np.int16), RATE)[0])
        after = onsets[onsets >= at]
        assert after.size and abs(int(after[0]) - (at + lead)) <= 1, (seconds, sound)
        assert lead < 0.03 * RATE  # the word starts within 30 ms of its moment
    for seconds in RESETS[:2]:
        reset, _ = _match(samples, _sample(seconds), "voice/reset")
        up, _ = _match(samples, _sample(seconds), "voice/up")
        lift, _ = _match(samples, _sample(seconds), "lift")
        assert reset > 0.999 and up < 0.5 and lift < 0.5, (reset, up, lift)
    # The ordinary set says "up" there, at the same moments: only the word differs.
    ordinary = _render(cli_env, tmp_path / "ordinary.wav")
    plain = ordinary.astype(np.float64)
    for seconds in RESETS[:2]:
        assert _match(plain, _sample(seconds), "voice/up") == (pytest.approx(1.0), 0)
    others = [t for t, _ in expected if t not in RESETS[:2]]
    for seconds in others:
        at = _sample(seconds)
        assert np.array_equal(track[at : at + RATE // 2], ordinary[at : at + RATE // 2])


def test_render_with_both_the_reset_is_the_word_over_the_softer_lift_beep(
    tmp_path: Path, cli_env: dict[str, str], data_dir: Path
) -> None:
    """With "both", the reset is "reset" with the lift's beep under it at half its level
    (``sounds.BOTH_BEEP_GAIN``): the track there is that mix to one step of 16 bits."""
    save_in(data_dir, exercises=[], cue_counts=False, cue_voice="both")
    track = _render(cli_env, tmp_path / "negative.wav", "--negative-only").astype(np.float64)
    word, beep = _asset("voice/reset"), _asset("lift")
    mix = word.copy()
    mix[: len(beep)] += 0.5 * beep
    for seconds in RESETS[:2]:
        at = _sample(seconds)
        assert np.max(np.abs(track[at : at + len(mix)] - mix)) <= 1.0, seconds
        assert not track[at - 100 : at].any()  # silence up to the cue's own sample


# -- play --------------------------------------------------------------------------------------

FAST = ["--backend", "silent", "--speed", "50"]


def test_play_saves_negative_only_sets_without_the_reset_under_tension(
    cli_env: dict[str, str], data_dir: Path
) -> None:
    # Two sets (a later -s replaces PULL_UP's), a short rest.
    more = ["-s", "2", "--rest", "2", "--negative-only", *FAST]
    result = cli("play", *PULL_UP, *more, env=cli_env)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "negative-only (a reset in place of each lift, not under tension)" in out
    assert "set 1 rep 1    reset (2 s)" in out and "pull up" not in out
    assert "finished: 2 set(s), 6 reps, output silent" in out
    with Store.open(data_dir) as store:
        (saved,) = store.history()
        summaries = store.summaries()
    assert saved.planned is not None and saved.planned.negative_only
    assert [s.negative_only for s in saved.sets] == [True, True]
    for s in saved.sets:
        assert s.reps_done == 3
        for rep in s.reps:
            phases = [p.phase for p in rep.phases]
            assert Phase.CONCENTRIC not in phases
            assert phases.count(Phase.RESET) == 1
            assert rep.actual(Phase.RESET) == 2000
            # Under tension: the hold (1 s), the lowering (4 s), the hang (0 s); not the reset.
            assert rep.tension_ms == 5000 == rep.actual_ms - 2000
        assert s.time_under_tension_ms == 15_000
    assert saved.time_under_tension_ms == 30_000
    (summary,) = summaries
    assert summary.negative_only_sets == 2
    assert summary.time_under_tension_ms == 30_000


def test_play_without_the_flag_lifts_and_counts_the_lift(
    cli_env: dict[str, str], data_dir: Path
) -> None:
    """The other side of the test above: the same set, ordinary, keeps its 2 s lift under
    tension (7 s a rep), so the 5 s there is the reset left out."""
    result = cli("play", *PULL_UP, *FAST, env=cli_env)
    assert result.returncode == 0, result.stderr
    with Store.open(data_dir) as store:
        (saved,) = store.history()
    assert saved.planned is not None and not saved.planned.negative_only
    assert not saved.sets[0].negative_only
    assert saved.time_under_tension_ms == 21_000
