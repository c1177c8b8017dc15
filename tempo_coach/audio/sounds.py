"""The sound set: which sounds exist, how the default ones are synthesized, how a theme loads.

Every sound starts with a hard attack on its very first sample (so a listener and an onset
detector both place it exactly) and decays to silence well before the next count can start.
The default set is synthesized here (the licence is ours); ``assets/sounds/generate.py``
writes it to the WAV files committed in ``assets/sounds/``, which are the built-in sounds.

The build maps ``assets/sounds/`` into the package as ``tempo_coach.assets.sounds``
(setup.py), and they are read with ``importlib.resources``, so an installed wheel plays
the committed files. A theme is a folder of WAV files with the same names; a missing or
unreadable file falls back to the built-in sound and is reported, never fatal.

The spoken words (``voice.py``) are pre-rendered WAVs in ``assets/sounds/voice/``, loaded
only when the ``cue_voice`` preference asks for them. They have no synthesis to fall back
on: a word that is missing or unreadable is reported, and its cues sound as beeps.
"""

from __future__ import annotations

import importlib.resources
import math
import sys
import wave
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from tempo_coach.audio.voice import (
    VOICE_FOLDER,
    WORDS,
    CueVoice,
    is_voice_sound,
    voice_sound,
)

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

RATE = 44100
#: Peak level of the built-in sounds: loud, with 1 dB of headroom before full scale.
PEAK = 0.89
#: With ``cue_voice`` "both", a beep sounds under a word that starts with it: 6 dB softer,
#: so that it marks the instant without masking the word's first consonant.
BOTH_BEEP_GAIN = 0.5

# name -> what the lifter hears it for (README and the preferences dialog use this).
SOUND_DESCRIPTIONS: dict[str, str] = {
    "get_ready": "start of the count-in: get into position",
    "countdown": "count-in seconds before the first rep",
    "lower": "start of the lowering phase",
    "hold": "start of a pause (after the lowering or after the lift)",
    "lift": "start of the lifting phase (or of the reset in a negative-only set)",
    "slower": "start of a lowering after two fast ones (tap mode): lower more slowly",
    "tick": "each second inside a phase",
    "tick_last": "the last second of a phase: the change is next",
    "side_left": "switch: the left side works now",
    "side_right": "switch: the right side works now",
    "last_rep": "the last rep of the set starts",
    "end_of_set": "the set is over",
    "rest_countdown": "the last seconds of the rest",
}
SOUND_NAMES: tuple[str, ...] = tuple(SOUND_DESCRIPTIONS)

#: Where the build puts the committed WAVs of ``assets/sounds/`` (setup.py: ``package_dir``).
BUILTIN_SOUNDS_PACKAGE = "tempo_coach.assets.sounds"
#: ``assets/sounds/`` itself, when this module runs from a source checkout.
_CHECKOUT_SOUNDS_DIR = Path(__file__).resolve().parents[2] / "assets" / "sounds"


def builtin_sound_folder() -> Traversable | None:
    """The folder of the built-in WAVs: inside the installed package, or None when this
    installation has none (the sounds are then synthesized, and the app says so).

    An editable install cannot import ``tempo_coach.assets.sounds``: setuptools' editable
    finder does not import a namespace package that ``package-dir`` maps from outside its
    parent's folder (pypa/setuptools#4943; reproduce with ``pip install -e .`` and
    ``python -c "import tempo_coach.assets.sounds"``). There, and in a plain source checkout,
    the package lives in the checkout, so ``assets/sounds/`` next to it is the same files.
    """
    try:
        return importlib.resources.files(BUILTIN_SOUNDS_PACKAGE)
    except ModuleNotFoundError:
        if _CHECKOUT_SOUNDS_DIR.is_dir():
            return _CHECKOUT_SOUNDS_DIR
        return None


def _tone(
    freqs: list[float],
    ms: float,
    *,
    decay_ms: float,
    harmonics: tuple[float, ...] = (1.0, 0.35, 0.15),
) -> np.ndarray:
    """A bright tone: partials of each frequency, hard attack (cosine phase), exp. decay."""
    n = int(RATE * ms / 1000)
    t = np.arange(n) / RATE
    out = np.zeros(n, dtype=np.float64)
    for freq in freqs:
        for k, weight in enumerate(harmonics, start=1):
            if freq * k < RATE / 2.2:
                out += weight * np.cos(2 * np.pi * freq * k * t)
    out *= np.exp(-t / (decay_ms / 1000))
    # A 2 ms fade at the very end so no sound ends with a click.
    fade = min(n, int(RATE * 0.002))
    out[n - fade :] *= np.linspace(1.0, 0.0, fade)
    return out


def _join(*parts: np.ndarray) -> np.ndarray:
    return np.concatenate(parts)


def _normalise(x: np.ndarray, peak: float = PEAK) -> np.ndarray:
    top = float(np.max(np.abs(x)))
    return (x * (peak / top)).astype(np.float32) if top > 0 else x.astype(np.float32)


def synthesize(name: str) -> np.ndarray:
    """The built-in sound ``name``: float32 mono at RATE, peak PEAK, first sample at peak."""
    if name == "get_ready":
        x = _join(_tone([660.0], 90, decay_ms=120), _tone([880.0], 90, decay_ms=120) * 0.9)
    elif name == "countdown":
        x = _tone([1320.0], 60, decay_ms=25)
    elif name == "lower":
        # Falling two-note: "down".
        x = _join(_tone([1046.5], 80, decay_ms=90), _tone([698.5], 110, decay_ms=70))
    elif name == "slower":
        # Falling three-note, long and low: "down... slower".
        x = _join(
            _tone([880.0], 80, decay_ms=90),
            _tone([659.3], 90, decay_ms=90),
            _tone([493.9], 120, decay_ms=60),
        )
    elif name == "hold":
        x = _tone([784.0, 1176.0], 140, decay_ms=60, harmonics=(1.0, 0.2))
    elif name == "lift":
        # Rising two-note: "up".
        x = _join(_tone([698.5], 80, decay_ms=90), _tone([1046.5], 110, decay_ms=70))
    elif name == "tick":
        x = _tone([2000.0], 45, decay_ms=12, harmonics=(1.0, 0.3))
    elif name == "tick_last":
        x = _tone([2640.0, 3300.0], 70, decay_ms=22, harmonics=(1.0, 0.3))
    elif name == "side_left":
        # Low-high-low: three quick notes, lower register.
        x = _join(
            _tone([523.3], 50, decay_ms=60),
            _tone([659.3], 50, decay_ms=60),
            _tone([523.3], 60, decay_ms=40),
        )
    elif name == "side_right":
        # High-low-high: three quick notes, upper register.
        x = _join(
            _tone([1318.5], 50, decay_ms=60),
            _tone([1046.5], 50, decay_ms=60),
            _tone([1318.5], 60, decay_ms=40),
        )
    elif name == "last_rep":
        x = _join(
            _tone([880.0, 1108.7], 60, decay_ms=80),
            _tone([880.0, 1108.7], 60, decay_ms=80),
            _tone([1318.5, 1760.0], 70, decay_ms=50),
        )
    elif name == "end_of_set":
        x = _join(
            _tone([523.3, 659.3], 90, decay_ms=200),
            _tone([659.3, 784.0], 90, decay_ms=200),
            _tone([784.0, 1046.5], 200, decay_ms=90),
        )
    elif name == "rest_countdown":
        x = _tone([1568.0], 70, decay_ms=30, harmonics=(1.0, 0.5, 0.25))
    else:
        raise KeyError(f"no sound called {name!r}")
    return _normalise(x)


def read_wav(path: Traversable, rate: int = RATE) -> np.ndarray:
    """A 8/16/24/32-bit PCM WAV as float32 mono at ``rate`` (channels averaged, resampled
    linearly). ``path`` is a Path or a package resource. Raises ValueError with a reason for
    anything it cannot read."""
    try:
        with path.open("rb") as handle, wave.open(handle, "rb") as source:
            channels = source.getnchannels()
            width = source.getsampwidth()
            source_rate = source.getframerate()
            raw = source.readframes(source.getnframes())
    except (OSError, EOFError, wave.Error) as error:
        raise ValueError(f"{path.name}: not a readable WAV file ({error})") from None
    if width == 1:
        data = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    elif width == 2:
        data = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    elif width == 3:
        b = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        ints = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        ints = np.where(ints >= 1 << 23, ints - (1 << 24), ints)
        data = ints.astype(np.float32) / float(1 << 23)
    elif width == 4:
        data = np.frombuffer(raw, dtype="<i4").astype(np.float32) / float(1 << 31)
    else:
        raise ValueError(f"{path.name}: {width * 8}-bit samples are not supported")
    if channels < 1 or len(data) % channels:
        raise ValueError(f"{path.name}: damaged sample data")
    mono = data.reshape(-1, channels).mean(axis=1)
    if len(mono) == 0:
        raise ValueError(f"{path.name}: the file holds no sound")
    if len(mono) > source_rate * 5:
        raise ValueError(f"{path.name}: a cue may last at most 5 seconds")
    if source_rate != rate:
        n = max(1, round(len(mono) * rate / source_rate))
        mono = np.interp(np.arange(n) * source_rate / rate, np.arange(len(mono)), mono)
    return np.asarray(mono, dtype=np.float32)


def write_wav(path: Path, samples: np.ndarray, rate: int = RATE) -> None:
    """float32 in [-1, 1] (mono) -> 16-bit PCM WAV; int16 arrays are written as they are."""
    pcm = samples if samples.dtype == np.int16 else to_int16(samples)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.astype("<i2").tobytes())


def to_int16(x: np.ndarray) -> np.ndarray:
    return np.clip(np.round(x * 32767.0), -32768, 32767).astype(np.int16)


@dataclass(frozen=True)
class SoundSet:
    """The sounds a renderer uses, already scaled by the volume: the beeps by name, and the
    spoken words that could be loaded by ``voice_sound(stem)``."""

    sounds: Mapping[str, np.ndarray]
    problems: tuple[str, ...] = ()
    source: str = "built-in"
    longest: int = field(default=0)
    #: The problems with the voice (also in ``problems``): the output reports these to the
    #: lifter, since a cue then sounds other than the preference says.
    voice_problems: tuple[str, ...] = ()

    def __getitem__(self, name: str) -> np.ndarray:
        return self.sounds[name]

    def lengths_ms(self, speed: float = 1.0, rate: int = RATE) -> dict[str, int]:
        """How long each sound lasts when played at ``rate``, in session milliseconds, by
        name (rounded up; at ``speed`` 2 a sound lasts twice as long in session time)."""
        return {
            name: math.ceil(len(sound) * 1000 * speed / rate) for name, sound in self.sounds.items()
        }

    @property
    def words(self) -> tuple[str, ...]:
        """The sound names of the spoken words that were loaded."""
        return tuple(name for name in self.sounds if is_voice_sound(name))


def load_sound_set(theme: str, volume: float, voice: CueVoice | str = CueVoice.BEEPS) -> SoundSet:
    """The sounds of ``theme`` ("default" or a folder of WAVs named like SOUND_NAMES), scaled
    by ``volume`` (0 to 1); with ``voice`` (the ``cue_voice`` preference) other than beeps,
    the built-in spoken words too.

    Missing or unreadable files fall back to the built-in sound, with a problem sentence; a
    built-in file that is missing or unreadable too falls back to its synthesis, also with one.
    A missing or unreadable word is left out, with a problem sentence: its cues are beeps.
    """
    if not 0.0 <= volume <= 1.0:
        raise ValueError(f"the volume must be 0 to 1, got {volume:g}")
    voice = CueVoice(voice)
    problems: list[str] = []
    folder: Path | None = None
    if theme and theme != "default":
        folder = Path(theme).expanduser()
        if not folder.is_dir():
            problems.append(f"sound theme folder {folder} not found: using the built-in sounds")
            folder = None
    builtin = builtin_sound_folder()
    if builtin is None:
        problems.append(
            "the built-in sound files are not installed: using sounds synthesized on the spot"
        )
    sounds: dict[str, np.ndarray] = {}
    for name in SOUND_NAMES:
        sound: np.ndarray | None = None
        if folder is not None:
            sound = _read_or_report(
                folder / f"{name}.wav",
                f"{name}.wav is not in the theme: using the built-in one",
                "the built-in sound",
                problems,
            )
        if sound is None and builtin is not None:
            sound = _read_or_report(
                builtin / f"{name}.wav",
                f"the built-in {name}.wav is missing: using its synthesis",
                "its synthesis",
                problems,
            )
        if sound is None:
            sound = synthesize(name)
        # Sounds louder than full scale are brought down to it: the mixer never clips.
        top = float(np.max(np.abs(sound))) if len(sound) else 0.0
        if top > 1.0:
            sound = sound / top
        gain = volume * (BOTH_BEEP_GAIN if voice is CueVoice.BOTH else 1.0)
        sounds[name] = (sound * gain).astype(np.float32)
    voice_problems: list[str] = []
    if voice is not CueVoice.BEEPS:
        for stem, sound in _load_words(builtin, voice_problems).items():
            sounds[voice_sound(stem)] = (sound * volume).astype(np.float32)
    longest = max(len(s) for s in sounds.values())
    return SoundSet(
        sounds,
        tuple(problems + voice_problems),
        str(folder) if folder else "built-in",
        longest,
        tuple(voice_problems),
    )


def _load_words(builtin: Traversable | None, problems: list[str]) -> dict[str, np.ndarray]:
    """stem -> the word's sound, for every word of WORDS that can be read; a problem
    sentence for the rest (one for all that are missing)."""
    folder = builtin / VOICE_FOLDER if builtin is not None else None
    if folder is None or not folder.is_dir():
        problems.append("the voice files are not installed: every cue sounds as a beep")
        return {}
    words: dict[str, np.ndarray] = {}
    missing: list[str] = []
    for stem in WORDS:
        path = folder / f"{stem}.wav"
        if not path.is_file():
            missing.append(f"{stem}.wav")
            continue
        try:
            sound = read_wav(path)
        except ValueError as error:
            problems.append(f"voice: {error}: its cues sound as beeps")
            continue
        top = float(np.max(np.abs(sound)))
        words[stem] = sound / top if top > 1.0 else sound
    if len(missing) == len(WORDS):
        problems.append("the voice files are not installed: every cue sounds as a beep")
    elif missing:
        problems.append(f"voice files missing ({', '.join(missing)}): their cues sound as beeps")
    return words


def _read_or_report(
    path: Traversable, missing: str, instead: str, problems: list[str]
) -> np.ndarray | None:
    """The sound in ``path``, or None with a problem sentence: ``missing`` when there is no
    such file, else why it cannot be read and that ``instead`` is used."""
    if not path.is_file():
        problems.append(missing)
        return None
    try:
        return read_wav(path)
    except ValueError as error:
        problems.append(f"{error}: using {instead}")
        return None
