"""The sound set: tempo_coach/audio/sounds.py and the committed WAVs in assets/sounds/.

That an installed wheel carries the committed WAVs is checked in tests/packaging/test_wheel.py.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tempo_coach.audio import sounds as sounds_module
from tempo_coach.audio.sounds import (
    PEAK,
    RATE,
    SOUND_NAMES,
    builtin_sound_folder,
    load_sound_set,
    read_wav,
    synthesize,
    write_wav,
)
from tests.conftest import ROOT

COMMITTED = ROOT / "assets" / "sounds"


def test_committed_wavs_are_what_the_generator_makes() -> None:
    for name in SOUND_NAMES:
        committed = read_wav(COMMITTED / f"{name}.wav")
        fresh = synthesize(name)
        assert len(committed) == len(fresh), name
        assert np.max(np.abs(committed - fresh)) < 2 / 32768, name


def test_the_default_sounds_are_the_committed_files() -> None:
    folder = builtin_sound_folder()
    assert folder is not None
    loaded = load_sound_set("default", 1.0)
    assert loaded.problems == ()
    for name in SOUND_NAMES:
        assert (folder / f"{name}.wav").read_bytes() == (COMMITTED / f"{name}.wav").read_bytes()
        # exactly the file's samples, not the synthesis they were made from
        assert np.array_equal(loaded[name], read_wav(COMMITTED / f"{name}.wav")), name


def test_without_the_sound_files_the_sounds_are_synthesized_and_it_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sounds_module, "builtin_sound_folder", lambda: None)
    loaded = load_sound_set("default", 1.0)
    assert loaded.problems == (
        "the built-in sound files are not installed: using sounds synthesized on the spot",
    )
    assert np.array_equal(loaded["tick"], synthesize("tick"))


def test_a_damaged_built_in_file_falls_back_to_its_synthesis(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in SOUND_NAMES:
        (tmp_path / f"{name}.wav").write_bytes((COMMITTED / f"{name}.wav").read_bytes())
    (tmp_path / "hold.wav").write_bytes(b"RIFF")
    (tmp_path / "lift.wav").unlink()
    monkeypatch.setattr(sounds_module, "builtin_sound_folder", lambda: tmp_path)
    loaded = load_sound_set("default", 1.0)
    assert len(loaded.problems) == 2
    assert loaded.problems[0].startswith("hold.wav: not a readable WAV file")
    assert loaded.problems[0].endswith(": using its synthesis")
    assert loaded.problems[1] == "the built-in lift.wav is missing: using its synthesis"
    assert np.array_equal(loaded["hold"], synthesize("hold"))
    assert np.array_equal(loaded["lift"], synthesize("lift"))
    assert np.array_equal(loaded["tick"], read_wav(COMMITTED / "tick.wav"))


@pytest.mark.parametrize("name", SOUND_NAMES)
def test_each_sound_is_loud_starts_hard_and_is_short(name: str) -> None:
    x = synthesize(name)
    assert abs(x[0]) > 0.5  # a hard attack on the very first sample
    assert np.max(np.abs(x)) == pytest.approx(PEAK, abs=1e-3)
    assert np.max(np.abs(x)) < 1.0
    assert len(x) < 0.4 * RATE  # decays before the next count (explosive lifts: 300 ms apart)
    # no silent gap inside a sound (a gap would be heard, and detected, as a second cue)
    assert np.max(np.abs(x[: int(0.02 * RATE)])) > 0.3


def test_sounds_are_distinct() -> None:
    sounds = {name: synthesize(name) for name in SOUND_NAMES}
    names = list(sounds)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            x, y = sounds[a], sounds[b]
            n = min(len(x), len(y))
            assert len(x) != len(y) or not np.allclose(x[:n], y[:n]), (a, b)


def test_theme_folder_replaces_sounds_and_reports_missing_and_broken(tmp_path: Path) -> None:
    loud = np.ones(int(0.05 * RATE), dtype=np.float32) * 0.5
    write_wav(tmp_path / "tick.wav", loud)
    (tmp_path / "lift.wav").write_bytes(b"not a wav at all")
    sounds = load_sound_set(str(tmp_path), volume=0.5)
    assert np.allclose(sounds["tick"], 0.25, atol=1e-3)
    assert len(sounds["lift"]) == len(synthesize("lift"))  # fell back
    assert any("lift.wav" in p for p in sounds.problems)
    assert any("hold.wav is not in the theme" in p for p in sounds.problems)


def test_theme_wav_of_another_rate_and_stereo_is_converted(tmp_path: Path) -> None:
    import wave

    with wave.open(str(tmp_path / "tick.wav"), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(22050)
        out.writeframes(np.full((2205, 2), 16384, dtype="<i2").tobytes())
    tick = load_sound_set(str(tmp_path), volume=1.0)["tick"]
    assert len(tick) == 4410
    assert np.allclose(tick, 0.5, atol=1e-3)


def test_missing_theme_folder_falls_back_with_a_message(tmp_path: Path) -> None:
    sounds = load_sound_set(str(tmp_path / "nope"), volume=0.8)
    assert sounds.source == "built-in"
    assert "not found" in sounds.problems[0]


def test_volume_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="volume"):
        load_sound_set("default", volume=1.5)
