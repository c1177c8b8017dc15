"""Loudness of a short sound, so that every spoken word can be made equally loud.

ITU-R BS.1770's measure: the K-weighting filter (a high shelf of about +4 dB above 1.7 kHz,
which is how loud the ear finds the consonants, and a high-pass at 38 Hz), mean square, gated.
The standard's 400 ms gating blocks are longer than most words, so the blocks here are
100 ms (75 % overlap) with the standard's relative gate (10 LU below the ungated level of the
blocks above -70 LUFS): a word's quiet edges do not pull its figure down.

Used by the voice generator (``assets/sounds/voice/generate.py``) and the tests; the app
never measures loudness while it runs.
"""

from __future__ import annotations

import math

import numpy as np

BLOCK_S = 0.1
OVERLAP = 0.75
ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0


Coefficients = tuple[float, float, float]


def _biquad_response(b: Coefficients, a: Coefficients, w: np.ndarray) -> np.ndarray:
    z = np.exp(-1j * w)
    return np.asarray((b[0] + b[1] * z + b[2] * z * z) / (a[0] + a[1] * z + a[2] * z * z))


def k_weighting_response(n_fft: int, rate: int) -> np.ndarray:
    """The K-weighting filter's complex response at the ``rfft`` bins of ``n_fft`` samples:
    BS.1770's two biquads, designed for ``rate`` the way libebur128 does (at 48 kHz its
    coefficients are the standard's)."""
    w = np.linspace(0.0, math.pi, n_fft // 2 + 1)
    # Stage 1: the high shelf.
    f0, gain_db, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = math.tan(math.pi * f0 / rate)
    vh = 10 ** (gain_db / 20)
    vb = vh**0.4996667741545416
    a0 = 1 + k / q + k * k
    shelf_b = (
        (vh + vb * k / q + k * k) / a0,
        2 * (k * k - vh) / a0,
        (vh - vb * k / q + k * k) / a0,
    )
    shelf_a = (1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0)
    # Stage 2: the high-pass.
    f0, q = 38.13547087602444, 0.5003270373238773
    k = math.tan(math.pi * f0 / rate)
    a0 = 1 + k / q + k * k
    high_b = (1.0, -2.0, 1.0)
    high_a = (1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0)
    return np.asarray(_biquad_response(shelf_b, shelf_a, w) * _biquad_response(high_b, high_a, w))


def k_weighted(samples: np.ndarray, rate: int) -> np.ndarray:
    """``samples`` through the K-weighting filter (in the frequency domain, padded with 0.5 s
    of silence so that the filter's ringing does not wrap around)."""
    x = np.asarray(samples, dtype=np.float64)
    n_fft = 1 << math.ceil(math.log2(len(x) + rate // 2))
    spectrum = np.fft.rfft(x, n_fft) * k_weighting_response(n_fft, rate)
    return np.asarray(np.fft.irfft(spectrum, n_fft)[: len(x) + rate // 2])


def loudness_lufs(samples: np.ndarray, rate: int) -> float:
    """The gated loudness of a mono sound, in LUFS (-inf for silence)."""
    y = k_weighted(samples, rate)
    block = max(1, round(BLOCK_S * rate))
    step = max(1, round(block * (1 - OVERLAP)))
    starts = range(0, max(1, len(y) - block + 1), step)
    powers = np.array([np.mean(y[s : s + block] ** 2) for s in starts])
    with np.errstate(divide="ignore"):
        levels = -0.691 + 10 * np.log10(powers)
    kept = powers[levels > ABSOLUTE_GATE_LUFS]
    if kept.size == 0:
        return -math.inf
    relative = -0.691 + 10 * math.log10(float(np.mean(kept))) + RELATIVE_GATE_LU
    kept = powers[(levels > ABSOLUTE_GATE_LUFS) & (levels > relative)]
    return -0.691 + 10 * math.log10(float(np.mean(kept)))
