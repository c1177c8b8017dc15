"""The spoken cues: tempo_coach/audio/voice.py, the words committed in assets/sounds/voice/,
and the voice through the renderer (every word on its planned sample, none running into the
next), the ``cue_voice`` preference and the fallback to beeps.

The files are checked as committed: regenerating them needs Festival, which the tests do not.
"""

from __future__ import annotations

import shutil
import wave
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from tempo_coach.audio import sounds as sounds_module
from tempo_coach.audio.chooser import FallbackOutput, choose_output
from tempo_coach.audio.cues import WORD_GAP_MS, CueOptions
from tempo_coach.audio.loudness import loudness_lufs
from tempo_coach.audio.offline import Action, ActionKind, render_session
from tempo_coach.audio.onsets import DEFAULT_QUIET_MS, detect_onsets
from tempo_coach.audio.renderer import CueRenderer, Voice
from tempo_coach.audio.sounds import PEAK, RATE, SoundSet, load_sound_set, read_wav
from tempo_coach.audio.voice import (
    COUNT_WORDS,
    LOUDNESS_LUFS,
    MAX_COUNT,
    MAX_WORD_S,
    WORDS,
    CueVoice,
    is_voice_sound,
    voice_sound,
)
from tempo_coach.core.clock import FakeClock
from tempo_coach.core.exercise import BUILTIN_EXERCISES, find_exercise
from tempo_coach.core.preferences import Preferences
from tempo_coach.core.session import Session
from tempo_coach.core.tempo import ECCENTRIC_RANGE_MS, parse_tempo
from tempo_coach.core.timeline import CountStyle, SetPlan
from tests.audio.expected import planned_cues
from tests.conftest import ROOT

VOICE_DIR = ROOT / "assets" / "sounds" / "voice"
VOLUME = 0.8  # the default volume
#: The rendered track is exact digital silence between cues, so a word's onset is its first
#: non-zero sample: speech starts softly ("f", "h", "t"), and the beeps' detector threshold
#: (2 % of full scale) would find a word's loud part, not its start.
ANY_SOUND = 0.5 / 32768


def _plan(
    exercise: str = "squat",
    tempo: str = "2.5-0-1-0",
    reps: int = 3,
    sets: int = 2,
    rest_s: int = 9,
    **kw: object,
) -> SetPlan:
    return SetPlan.from_exercise(
        find_exercise(exercise, BUILTIN_EXERCISES),
        tempo=parse_tempo(tempo, explosive_ms=300),
        reps=reps,
        sets=sets,
        rest_ms=rest_s * 1000,
        **kw,
    )


@pytest.fixture(scope="module")
def voice_sounds() -> SoundSet:
    sounds = load_sound_set("default", VOLUME, CueVoice.VOICE)
    assert sounds.problems == ()
    return sounds


@pytest.fixture(scope="module")
def both_sounds() -> SoundSet:
    sounds = load_sound_set("default", VOLUME, CueVoice.BOTH)
    assert sounds.problems == ()
    return sounds


def _sounds_for(voice: CueVoice, voice_sounds: SoundSet, both_sounds: SoundSet) -> SoundSet:
    return both_sounds if voice is CueVoice.BOTH else voice_sounds


# -- the committed files -----------------------------------------------------------------------


def test_every_word_has_its_file_and_nothing_else_is_there() -> None:
    assert sorted(p.stem for p in VOICE_DIR.glob("*.wav")) == sorted(WORDS)
    assert set(COUNT_WORDS) == set(range(1, MAX_COUNT + 1))
    assert COUNT_WORDS[23] == "twenty-three" and WORDS["twenty-three"] == "twenty three"
    assert ECCENTRIC_RANGE_MS[1] <= MAX_COUNT * 1000  # every count a lowering can reach
    licence = (VOICE_DIR / "README.md").read_text(encoding="utf-8")
    assert "Carnegie Mellon University" in licence and "Permission" in licence


@pytest.mark.parametrize("stem", list(WORDS))
def test_each_word_file_is_like_the_other_sounds_starts_at_once_and_is_short(stem: str) -> None:
    path = VOICE_DIR / f"{stem}.wav"
    with wave.open(str(path), "rb") as source:
        assert (source.getframerate(), source.getsampwidth(), source.getnchannels()) == (
            RATE,
            2,
            1,
        )
    x = read_wav(path)
    peak = float(np.max(np.abs(x)))
    assert 0.5 < peak <= PEAK + 1 / 32768
    # No leading silence: the first sample is the word's start (1 % of its peak, -40 dB).
    assert abs(x[0]) >= 0.01 * peak - 1 / 32768
    # It ends faded to silence: no click when the word stops.
    assert abs(x[-1]) < 0.002
    # Every word ends well before the next second (the longest count is "twenty-seven").
    assert len(x) <= MAX_WORD_S * RATE < 0.8 * RATE
    assert loudness_lufs(x, RATE) == pytest.approx(LOUDNESS_LUFS, abs=0.1)


def test_no_word_holds_a_silence_the_onset_detector_would_split_it_at(
    voice_sounds: SoundSet,
) -> None:
    """At the default volume, no word has a run of zero samples as long as the quiet that
    separates two cues: each word is heard, and detected, as one onset."""
    quiet = int(DEFAULT_QUIET_MS * RATE / 1000)
    for stem in WORDS:
        pcm = np.round(voice_sounds[voice_sound(stem)] * 32767).astype(np.int16)
        assert pcm[0] != 0, stem
        zero_runs = np.diff(np.flatnonzero(np.concatenate(([1], pcm, [1])) != 0)) - 1
        assert zero_runs.max() < quiet, stem


# -- what is said when -------------------------------------------------------------------------


def _said(voices: tuple[Voice, ...]) -> list[tuple[float, str]]:
    return [(v.point.t_ms / 1000, v.point.sound) for v in voices]


def test_the_voice_says_the_phases_counts_and_the_end_of_the_set(voice_sounds: SoundSet) -> None:
    renderer = CueRenderer(voice_sounds, CueOptions(cue_voice=CueVoice.VOICE))
    render_session(_plan(reps=2, sets=2), renderer)
    said = [(t, s.removeprefix("voice/")) for t, s in _said(renderer.voices)]
    assert said[:15] == [
        (0.0, "get-ready"), (1.0, "two"), (2.0, "one"),
        (3.0, "down"), (4.0, "two"), (5.0, "three"), (5.5, "up"),
        (6.5, "last-rep"), (7.5, "two"), (8.5, "three"), (9.0, "up"),
        (10.0, "set-done"), (11.0, "rest"), (14.0, "five"), (15.0, "four"),
    ]  # fmt: skip
    assert said[-1] == (26.0, "set-done")
    assert all(is_voice_sound(v.point.sound) for v in renderer.voices)


def test_sides_are_called_by_the_voice_rep_by_rep_and_set_by_set(voice_sounds: SoundSet) -> None:
    options = CueOptions(cue_voice=CueVoice.VOICE)
    renderer = CueRenderer(voice_sounds, options)
    render_session(_plan("hamstring curl", "5-0-1-1", reps=4, sets=1), renderer)
    sides = [s for _, s in _said(renderer.voices) if s in ("voice/left", "voice/right")]
    assert sides == ["voice/left", "voice/right", "voice/left", "voice/right"]
    renderer = CueRenderer(voice_sounds, options)
    render_session(_plan("box step-down", "4-0-1-1", reps=2, sets=3), renderer)
    sides = [s for _, s in _said(renderer.voices) if s in ("voice/left", "voice/right")]
    assert sides == ["voice/left", "voice/right", "voice/left"]


def test_a_thirty_second_lowering_is_counted_in_words_to_the_end(voice_sounds: SoundSet) -> None:
    """The longest count words fit in their second: none falls back to a beep."""
    renderer = CueRenderer(voice_sounds, CueOptions(cue_voice=CueVoice.VOICE))
    render_session(_plan(tempo="30-0-1-0", reps=1, sets=1), renderer)
    said = [s.removeprefix("voice/") for _, s in _said(renderer.voices)]
    assert said == ["get-ready", "two", "one", "down", *(COUNT_WORDS[n] for n in range(2, 31)),
                    "up", "set-done"]  # fmt: skip


# -- on time, and never running into the next cue ---------------------------------------------


def _nothing_runs_into_the_next_cue(renderer: CueRenderer) -> None:
    """No sound (a word, or a beep the voice fell back to) still sounds WORD_GAP_MS before
    the next cue starts; with "both", the beep under a word starts with it."""
    voices = renderer.voices
    starts = sorted({v.start for v in voices})
    for voice in voices:
        later = [s for s in starts if s > voice.start]
        if not later:
            continue
        end = voice.start + len(renderer.sounds[voice.point.sound])
        assert end + WORD_GAP_MS * RATE // 1000 <= later[0], voice


@pytest.mark.parametrize("voice", [CueVoice.VOICE, CueVoice.BOTH])
@pytest.mark.parametrize(
    ("exercise", "tempo", "count_style"),
    [
        ("squat", "2.5-0-1-0", "up"),
        ("squat", "3.5-0.5-X-0", "down"),  # an explosive lift of 0.3 s
        ("hamstring curl", "5-0-1-1", "up"),
        ("box step-down", "12.7-1.2-0.6-0", "up"),
    ],
)
def test_every_cue_starts_on_its_planned_sample_and_ends_before_the_next(
    voice: CueVoice,
    exercise: str,
    tempo: str,
    count_style: str,
    voice_sounds: SoundSet,
    both_sounds: SoundSet,
) -> None:
    sounds = _sounds_for(voice, voice_sounds, both_sounds)
    options = CueOptions(cue_voice=voice)
    plan = _plan(exercise, tempo, reps=3, sets=2, rest_s=8, count_style=CountStyle(count_style))
    changes = [(4.3, +1000), (17.7, +2000)]
    pauses = [(9.45, 2.5), (22.05, 1.3333)]
    actions = [Action(t, ActionKind.CHANGE, v / 1000) for t, v in changes] + [
        Action(t, ActionKind.PAUSE, s) for t, s in pauses
    ]
    renderer = CueRenderer(sounds, options)
    track = render_session(plan, renderer, actions)
    assert track.problems == ()
    planned = planned_cues(plan, changes, pauses, options=options, sound_ms=sounds.lengths_ms())
    onsets = detect_onsets(track.samples, RATE, threshold=ANY_SOUND)
    assert onsets.tolist() == sorted({sample for sample, _ in planned})
    words = [sound for _, sound in planned if is_voice_sound(sound)]
    assert len(words) > 0.8 * len({sample for sample, _ in planned})
    _nothing_runs_into_the_next_cue(renderer)
    assert int(np.max(np.abs(track.samples.astype(np.int32)))) < 32767


def test_a_word_is_placed_whole_on_its_sample(voice_sounds: SoundSet) -> None:
    renderer = CueRenderer(voice_sounds, CueOptions(cue_voice=CueVoice.VOICE))
    track = render_session(_plan(tempo="30-0-1-0", reps=1, sets=1), renderer)
    for voice in renderer.voices:
        sound = np.round(voice_sounds[voice.point.sound] * 32767).astype(np.int16)
        placed = track.samples[voice.start : voice.start + len(sound)].astype(np.int32)
        assert np.max(np.abs(placed - sound)) <= 1, voice
        assert not np.any(track.samples[voice.start - 20 : voice.start]), voice


def test_a_word_that_would_run_into_the_next_cue_is_a_beep(voice_sounds: SoundSet) -> None:
    """A 25.3 s lowering: "twenty-five" (0.74 s) fits in its second; the last count,
    "twenty-six" (0.69 s), starts 0.3 s before the hold and does not fit: it is a beep."""
    renderer = CueRenderer(voice_sounds, CueOptions(cue_voice=CueVoice.VOICE))
    render_session(_plan(tempo="25.3-1-1-0", reps=1, sets=1), renderer)
    said = dict(_said(renderer.voices))
    assert said[3 + 24.0] == "voice/twenty-five"
    assert said[3 + 25.0] == "tick_last"  # 0.3 s before the hold: a beep
    assert said[3 + 25.3] == "voice/hold"
    _nothing_runs_into_the_next_cue(renderer)


def test_at_double_speed_the_words_take_twice_the_session_time(voice_sounds: SoundSet) -> None:
    normal, fast = voice_sounds.lengths_ms(), voice_sounds.lengths_ms(speed=2.0)
    assert set(voice_sounds.words) == {voice_sound(stem) for stem in WORDS}
    assert all(abs(fast[name] - 2 * normal[name]) <= 1 for name in normal)
    renderer = CueRenderer(voice_sounds, CueOptions(cue_voice=CueVoice.VOICE), speed=2.0)
    render_session(_plan(tempo="20-0-1-0", reps=1, sets=1), renderer)
    said = [s for _, s in _said(renderer.voices)]
    assert "voice/seventeen" not in said  # 1.3 s of session time: no room in a second
    assert "voice/two" in said


# -- the preference ----------------------------------------------------------------------------


@pytest.mark.parametrize("voice", list(CueVoice))
def test_the_preference_chooses_beeps_words_or_both(voice: CueVoice) -> None:
    preferences = Preferences.defaults().with_values(audio_backend="silent", cue_voice=voice.value)
    output = choose_output(preferences)
    assert output.options.cue_voice is voice
    loaded_words = [name for name in output.sounds.sounds if is_voice_sound(name)]
    assert len(loaded_words) == (0 if voice is CueVoice.BEEPS else len(WORDS))
    renderer = CueRenderer(output.sounds, output.options)
    render_session(_plan(reps=2, sets=2), renderer)
    kinds = Counter(
        ("word" if is_voice_sound(v.point.sound) else "beep", v.point.t_ms) for v in renderer.voices
    )
    instants = {t for _, t in kinds}
    words = {t for kind, t in kinds if kind == "word"}
    beeps = {t for kind, t in kinds if kind == "beep"}
    if voice is CueVoice.BEEPS:
        assert words == set() and beeps == instants
    elif voice is CueVoice.VOICE:
        assert beeps == set() and words == instants
    else:
        assert words == instants
        # the beep sounds (6 dB softer) with the phase, side, last-rep and set-end words;
        # counts are words only
        assert 0 < len(beeps) < len(instants)
        said = {(v.point.t_ms, v.point.sound) for v in renderer.voices}
        assert {(3000, "lower"), (3000, "voice/down"), (10000, "end_of_set")} <= said
        assert (4000, "tick") not in said and (4000, "voice/two") in said
        assert float(np.max(np.abs(output.sounds["tick"]))) == pytest.approx(
            0.89 * 0.8 * 0.5, abs=1e-3
        )


# -- a missing voice: beeps, and the lifter is told ---------------------------------------------


@pytest.fixture
def sound_folder_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[[list[str]], Path]:
    def make(missing: list[str]) -> Path:
        shutil.copytree(ROOT / "assets" / "sounds", tmp_path / "sounds")
        for relative in missing:
            target = tmp_path / "sounds" / relative
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink()
        monkeypatch.setattr(sounds_module, "builtin_sound_folder", lambda: tmp_path / "sounds")
        return tmp_path / "sounds"

    return make


def test_a_missing_word_is_a_beep_and_is_reported(
    sound_folder_without: Callable[[list[str]], Path],
) -> None:
    folder = sound_folder_without(["voice/three.wav", "voice/up.wav"])
    (folder / "voice" / "hold.wav").write_bytes(b"RIFF")
    sounds = load_sound_set("default", VOLUME, CueVoice.VOICE)
    broken, missing = sounds.voice_problems
    assert broken.startswith("voice: hold.wav: not a readable WAV file")
    assert broken.endswith(": its cues sound as beeps")
    assert missing == "voice files missing (three.wav, up.wav): their cues sound as beeps"
    assert set(sounds.problems) == set(sounds.voice_problems)
    renderer = CueRenderer(sounds, CueOptions(cue_voice=CueVoice.VOICE))
    track = render_session(_plan(tempo="3-1-1-0", reps=1, sets=1), renderer)
    said = dict(_said(renderer.voices))
    assert said[3.0] == "voice/down" and said[4.0] == "voice/two"
    assert said[5.0] == "tick_last"  # "three"
    assert said[6.0] == "hold" and said[7.0] == "lift"
    # never silent: every cue instant is heard
    onsets = detect_onsets(track.samples, RATE, threshold=ANY_SOUND)
    assert len(onsets) == len({v.start for v in renderer.voices}) == len(said)


def test_without_the_voice_folder_every_cue_is_a_beep_and_the_output_says_so(
    sound_folder_without: Callable[[list[str]], Path],
) -> None:
    sound_folder_without(["voice"])
    preferences = Preferences.defaults().with_values(audio_backend="silent", cue_voice="voice")
    output = choose_output(preferences)
    problem = "the voice files are not installed: every cue sounds as a beep"
    assert output.sounds.voice_problems == (problem,)
    messages: list[str] = []
    output.set_problem_listener(messages.append)
    for _ in range(2):
        session = Session(_plan(reps=1, sets=1), output.clock)
        session.start()
        output.begin(session)
        output.end()
    assert messages == [problem]  # told once, when the first session begins
    renderer = CueRenderer(output.sounds, output.options)
    render_session(_plan(reps=2, sets=1), renderer)
    beeps_only = CueRenderer(load_sound_set("default", VOLUME), CueOptions())
    render_session(_plan(reps=2, sets=1), beeps_only)
    assert renderer.voices == beeps_only.voices
    output.close()


def test_beeps_never_load_the_voice(sound_folder_without: Callable[[list[str]], Path]) -> None:
    sound_folder_without(["voice"])
    sounds = load_sound_set("default", VOLUME)
    assert sounds.problems == () and sounds.words == ()
    output = FallbackOutput(["silent"], sounds)
    messages: list[str] = []
    output.set_problem_listener(messages.append)
    session = Session(_plan(reps=1, sets=1), FakeClock())
    output.begin(session)
    assert messages == []
    output.close()
