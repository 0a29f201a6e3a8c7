"""Synthetic test signals with known answers, and a syllable counter for transcripts (used by several test files)."""

from __future__ import annotations

import re

import numpy as np

SR = 16000


def resonate(x, *, f_hz, bw_hz, sr=SR):
    """Second-order resonator (one formant)."""
    from scipy.signal import lfilter

    r = np.exp(-np.pi * bw_hz / sr)
    return lfilter([1 - r], [1, -2 * r * np.cos(2 * np.pi * f_hz / sr), r * r], x)


def pulse_vowel(*, f0_hz=150.0, formants=((700, 80), (1200, 100)), dur_s=1.5, sr=SR, rng=None):
    """A glottal pulse train (slight jitter) through formant resonators."""
    from scipy.signal import lfilter

    rng = rng or np.random.default_rng(0)
    n = int(dur_s * sr)
    x = np.zeros(n)
    t = 0.0
    while t < n:
        x[int(t)] = 1.0
        t += sr / f0_hz * (1 + 0.002 * rng.standard_normal())
    x = lfilter([1.0], [1.0, -0.95], x)
    for f, bw in formants:
        x = resonate(x, f_hz=f, bw_hz=bw, sr=sr)
    return (0.5 * x / np.abs(x).max()).astype(np.float32)


def syllable_train(*, n_syl=8, rate_hz=4.0, sr=SR, gaps=(), f0_hz=180.0):
    """Vowel-like syllables (raised-cosine envelopes) at ``rate_hz``, with silent gaps inserted.

    ``gaps`` is a list of (after_syllable_index, gap_s). Returns y and the true gap starts.
    """
    syl = pulse_vowel(f0_hz=f0_hz, formants=((600, 80), (1500, 120), (2500, 150)), dur_s=1.0 / rate_hz, sr=sr)
    syl = syl * np.hanning(len(syl)).astype(np.float32) ** 0.5
    parts, starts, t = [np.zeros(int(0.3 * sr), np.float32)], [], 0.3
    gaps = dict(gaps)
    for i in range(n_syl):
        parts.append(syl)
        t += len(syl) / sr
        if i in gaps:
            starts.append(t)
            parts.append(np.zeros(int(gaps[i] * sr), np.float32))
            t += gaps[i]
    parts.append(np.zeros(int(0.3 * sr), np.float32))
    return np.concatenate(parts), starts


def count_syllables(text: str) -> int:
    """Syllables of English text by vowel groups, with the usual silent-e corrections."""
    n = 0
    for w in re.findall(r"[a-z']+", text.lower()):
        w = w.replace("'", "")
        c = len(re.findall(r"[aeiouy]+", w))
        if c > 1 and w.endswith("e") and not w.endswith(("le", "ee", "ye")):
            c -= 1
        if c > 1 and w.endswith("es") and not re.search(r"(ss|x|ch|sh|z|c|g|s)es$", w):
            c -= 1
        if c > 1 and w.endswith("ed") and not re.search(r"[td]ed$", w):
            c -= 1
        n += max(1, c)
    return n
