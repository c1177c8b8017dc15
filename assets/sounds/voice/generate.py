"""Pre-render the spoken cues as WAV files next to this script.

    apt-get install festival festvox-us-slt-hts     # only to generate; never at run time
    .venv/bin/python assets/sounds/voice/generate.py

Every word of ``tempo_coach.audio.voice.WORDS`` is spoken by Festival with the CMU ARCTIC
"slt" HTS voice (README.md here: the licence), then, in this order:

1. spoken at ``BASE_RATE`` (HTS's ``-r`` speech rate: 1.3 = 30 % faster than the voice's
   own pace, a brisk count), or at the slowest rate in ``RATE_STEP`` steps at which it lasts
   at most ``MAX_WORD_S`` (a long count word such as "twenty-seven" is spoken faster rather
   than cut or stretched after the fact);
2. resampled from Festival's 32 kHz to 44.1 kHz in the frequency domain (exact for a
   band-limited signal), dropping everything below 20 Hz (the synthesizer's DC offset);
3. trimmed: it starts on the first sample that reaches ``EDGE_LEVEL`` of its peak (-40 dB),
   so the file's first sample is the word's start (the quiet "f" of "five" is kept), and
   ends on the last one, with a ``FADE_OUT_S`` fade so that it ends in silence;
4. brought to ``LOUDNESS_LUFS`` (BS.1770 loudness, ``tempo_coach.audio.loudness``), the level
   of the beeps' ticks and a little below their phase sounds, so that every word is as
   loud as every other; where a peak would then go above ``sounds.PEAK`` (a sharp "s" or
   "k"), a look-ahead limiter turns the gain down smoothly around it (``LIMIT_WINDOW_S``),
   and the word's gain is adjusted until its loudness is the target again;
5. written as 16-bit mono PCM at 44.1 kHz, like the other cue sounds.

Festival and the HTS engine are deterministic: the same packages give the same bytes.
tests/audio/test_voice.py checks the committed files (every word there, the format, the
start, the length, the loudness), not that they are what this script would make now: the
tests must not need Festival.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from tempo_coach.audio.loudness import loudness_lufs  # noqa: E402
from tempo_coach.audio.sounds import PEAK, RATE, write_wav  # noqa: E402
from tempo_coach.audio.voice import LOUDNESS_LUFS, MAX_WORD_S, WORDS  # noqa: E402

VOICE = "cmu_us_slt_arctic_hts"
VOICE_DIR = Path("/usr/share/festival/voices/us") / VOICE
BASE_RATE = 1.3
RATE_STEP = 0.05
MAX_RATE = 2.0
LIMIT_WINDOW_S = 0.01
EDGE_LEVEL = 0.01
FADE_OUT_S = 0.01
HIGH_PASS_HZ = 20.0


def festival_problem() -> str | None:
    if shutil.which("festival") is None:
        return "festival is not installed (apt-get install festival festvox-us-slt-hts)"
    if not VOICE_DIR.is_dir():
        return f"the voice {VOICE} is not installed (apt-get install festvox-us-slt-hts)"
    return None


def speak(words: dict[str, str], rate: float, folder: Path) -> dict[str, Path]:
    """``words`` (stem -> text) spoken at ``rate`` into WAVs in ``folder``, one Festival run."""
    lines = [f"({'voice_' + VOICE})"]
    lines.append(
        f"(set! hts_engine_params (append {VOICE}::hts_engine_params "
        f'(list (list "-r" {rate:.2f}))))'
    )
    paths = {}
    for stem, text in words.items():
        path = folder / f"{stem}-{rate:.2f}.wav"
        paths[stem] = path
        lines.append(f'(utt.save.wave (utt.synth (Utterance Text "{text}")) "{path}" \'riff)')
    script = folder / "speak.scm"
    script.write_text("\n".join(lines) + "\n")
    subprocess.run(["festival", "-b", str(script)], check=True, capture_output=True)
    return paths


def read_mono(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as source:
        assert source.getnchannels() == 1 and source.getsampwidth() == 2, path
        rate = source.getframerate()
        data = np.frombuffer(source.readframes(source.getnframes()), dtype="<i2")
    return data.astype(np.float64) / 32768.0, rate


def resample(x: np.ndarray, source_rate: int, rate: int = RATE) -> np.ndarray:
    """Band-limited resampling through the spectrum; also removes everything below
    HIGH_PASS_HZ. The signal is padded to a length that maps to a whole number of samples."""
    from math import gcd

    step = source_rate // gcd(source_rate, rate)
    pad = (-len(x)) % step + step
    x = np.concatenate([x, np.zeros(pad)])
    n_out = len(x) * rate // source_rate
    spectrum = np.fft.rfft(x)
    out = np.zeros(n_out // 2 + 1, dtype=complex)
    keep = min(len(spectrum) - 1, len(out))  # drop the source's Nyquist bin
    out[:keep] = spectrum[:keep]
    out[: int(HIGH_PASS_HZ * len(x) / source_rate) + 1] = 0
    return np.fft.irfft(out, n_out) * (n_out / len(x))


def trim(x: np.ndarray) -> np.ndarray:
    """From the first to the last sample at EDGE_LEVEL of the peak, fading out at the end."""
    loud = np.flatnonzero(np.abs(x) >= EDGE_LEVEL * np.max(np.abs(x)))
    word: np.ndarray = x[loud[0] : loud[-1] + 1].copy()
    fade = min(len(word), round(FADE_OUT_S * RATE))
    word[len(word) - fade :] *= np.linspace(1.0, 0.0, fade)
    return word


def render(words: dict[str, str], work: Path) -> dict[str, tuple[np.ndarray, float]]:
    """stem -> (the trimmed word at RATE, the speech rate it was spoken at)."""
    done: dict[str, tuple[np.ndarray, float]] = {}
    pending = dict(words)
    rate = BASE_RATE
    while pending:
        if rate > MAX_RATE + 1e-9:
            raise SystemExit(f"too long even at rate {MAX_RATE}: {', '.join(pending)}")
        for stem, path in speak(pending, rate, work).items():
            raw, source_rate = read_mono(path)
            word = trim(resample(raw, source_rate))
            if len(word) <= MAX_WORD_S * RATE:
                done[stem] = (word, rate)
                del pending[stem]
        rate = round(rate + RATE_STEP, 2)
    return {stem: done[stem] for stem in words}


def limit_peaks(x: np.ndarray, peak: float = PEAK) -> np.ndarray:
    """``x`` with a smooth gain that keeps every sample at or below ``peak``: the gain each
    sample needs, its running minimum over LIMIT_WINDOW_S, then the running mean of that
    (each mean is over minima that all include the sample, so it never exceeds its need)."""
    need = np.minimum(1.0, peak / np.maximum(np.abs(x), 1e-12))
    if np.all(need >= 1.0):
        return x
    half = max(1, round(LIMIT_WINDOW_S * RATE / 2))
    padded = np.pad(need, half, constant_values=1.0)
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1)
    floor = np.pad(windows.min(axis=1), half, constant_values=1.0)
    gain = np.convolve(floor, np.ones(2 * half + 1) / (2 * half + 1), mode="valid")
    return np.asarray(x * gain)


def level(word: np.ndarray) -> tuple[np.ndarray, float]:
    """The word at LOUDNESS_LUFS with its peaks limited, and the gain reduction in dB the
    limiter applied at its deepest."""
    gain = 10 ** ((LOUDNESS_LUFS - loudness_lufs(word, RATE)) / 20)
    for _ in range(10):
        out = limit_peaks(word * gain)
        error = LOUDNESS_LUFS - loudness_lufs(out, RATE)
        if abs(error) < 0.01:
            break
        gain *= 10 ** (error / 20)
    reduction = np.abs(out) / np.maximum(np.abs(word * gain), 1e-12)
    return out, max(0.0, float(-20 * np.log10(np.min(reduction[np.abs(word) > 1e-6]))))


def main() -> int:
    problem = festival_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as work:
        rendered = render(WORDS, Path(work))
    print(f"loudness {LOUDNESS_LUFS} LUFS, peak at most {PEAK}")
    for stem, (word, rate) in rendered.items():
        out, limited_db = level(word)
        path = HERE / f"{stem}.wav"
        write_wav(path, out.astype(np.float32))
        print(
            f"wrote {path.relative_to(HERE.parents[2])}: rate {rate:.2f}, "
            f"{len(out) / RATE:.3f} s, peak {np.max(np.abs(out)):.3f}, "
            f"limited by up to {limited_db:.1f} dB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
