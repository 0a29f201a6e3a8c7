"""How loud: a frame-by-frame intensity contour (dB) and integrated loudness (LUFS).

* :func:`intensity_db` is the energy of short frames in dB relative to full
  scale. It is what the eye follows in a waveform envelope and what speech
  detection and syllable counting threshold (:mod:`toolkit.analysis.rhythm`).
* :func:`loudness_lufs` is the ITU-R BS.1770-4 integrated loudness (K-weighted,
  gated), the number broadcasters normalise to (EBU R 128 targets -23 LUFS,
  podcasts about -16 LUFS). The lab's one loudness measure: ``analyze``, the
  reference ``check`` (:mod:`toolkit.quality`) and the clone's loudness matching
  all call it. It is ``pyloudnorm``'s ``Meter(sr).integrated_loudness`` (its
  default K-weighting) in numpy, tested equal to it within 0.05 LU on real
  speech; ``pyloudnorm`` itself is not called at run time because importing it
  (``scipy.signal``) costs about 0.9 s, a third of the check's 3 s budget.

Taught in ``notebooks/03_prosody.ipynb``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..audio import valid_audio
from ..errors import ParameterError

__all__ = ["Intensity", "intensity_db", "k_weight", "loudness_lufs"]

#: Floor for the dB contour so digital silence is a number, not -inf.
FLOOR_DB = -100.0


@dataclass(frozen=True)
class Intensity:
    """An intensity contour: ``level_db[i]`` is the level of the frame centred at ``times_s[i]``."""

    times_s: np.ndarray
    level_db: np.ndarray

    @property
    def hop_s(self) -> float:
        """Time between frames (s)."""
        return float(self.times_s[1] - self.times_s[0]) if len(self.times_s) > 1 else 0.0


def intensity_db(y, *, sr, frame_s: float = 0.025, hop_s: float = 0.010) -> Intensity:
    """Short-time RMS level in dBFS, one value every ``hop_s`` seconds.

    Each frame is Hann-windowed (length ``frame_s``) and its RMS (window-power
    normalised, so a full-scale sine reads about -3 dB) converted to dB.

    Parameters
    ----------
    y : np.ndarray [shape=(n,)]
        Mono waveform.
    sr : int
        Sample rate (Hz).
    frame_s, hop_s : float
        Window length and hop (s).

    Returns
    -------
    Intensity
        ``times_s`` and ``level_db`` arrays of equal length (at least one frame).

    Examples
    --------
    >>> from toolkit.media import example
    >>> clip = example("tone_a3")
    >>> contour = intensity_db(clip.y, sr=clip.sr)
    >>> round(float(np.median(contour.level_db)))
    -9
    """
    y = valid_audio(y, sr=sr)
    if not (0 < hop_s <= frame_s):
        raise ParameterError(f"need 0 < hop_s <= frame_s, got hop_s={hop_s!r}, frame_s={frame_s!r}")
    n_win = max(2, int(round(frame_s * sr)))
    hop = max(1, int(round(hop_s * sr)))
    pad = n_win // 2
    yp = np.pad(y.astype(np.float64), (pad, pad))
    n_frames = max(1, 1 + (len(yp) - n_win) // hop)
    win = np.hanning(n_win)
    idx = np.arange(n_win)[None, :] + hop * np.arange(n_frames)[:, None]
    frames = yp[idx] * win
    power = np.sum(frames**2, axis=1) / np.sum(win**2)
    level = 10.0 * np.log10(np.maximum(power, 10 ** (FLOOR_DB / 10)))
    times = np.arange(n_frames) * hop / sr
    return Intensity(times, level)


def _biquad_response(b, a, w):
    """Complex frequency response of one biquad at angular frequencies ``w`` (rad/sample)."""
    z1 = np.exp(-1j * w)
    z2 = z1 * z1
    return (b[0] + b[1] * z1 + b[2] * z2) / (a[0] + a[1] * z1 + a[2] * z2)


def _k_weighting_coefficients(sr: float):
    """The two K-weighting stages of BS.1770 for any rate (RBJ-cookbook forms, as pyloudnorm designs them)."""
    out = []
    # stage 1: high shelf, +4 dB above about 1.5 kHz (the head's acoustic effect)
    A, w0 = 10 ** (4.0 / 40.0), 2.0 * np.pi * 1500.0 / sr
    alpha, c, sq = np.sin(w0) / (2.0 * (1 / np.sqrt(2.0))), np.cos(w0), np.sqrt(A)
    out.append(((A * ((A + 1) + (A - 1) * c + 2 * sq * alpha), -2 * A * ((A - 1) + (A + 1) * c),
                 A * ((A + 1) + (A - 1) * c - 2 * sq * alpha)),
                ((A + 1) - (A - 1) * c + 2 * sq * alpha, 2 * ((A - 1) - (A + 1) * c),
                 (A + 1) - (A - 1) * c - 2 * sq * alpha)))
    # stage 2: high pass at 38 Hz (the RLB curve)
    w0 = 2.0 * np.pi * 38.0 / sr
    alpha, c = np.sin(w0) / (2.0 * 0.5), np.cos(w0)
    out.append((((1 + c) / 2, -(1 + c), (1 + c) / 2), (1 + alpha, -2 * c, 1 - alpha)))
    return out


def k_weight(y, *, sr) -> np.ndarray:
    """Apply the BS.1770 K-weighting filter (high shelf + 38 Hz high pass).

    The two recursive filters are applied in the frequency domain (their exact
    response on a zero-padded FFT grid: the padding of 1 s outlasts their impulse
    responses), which gives the same result as running them sample by sample
    without importing ``scipy.signal`` (about a second of start-up).
    """
    y = valid_audio(y, sr=sr).astype(np.float64)
    n = len(y) + int(sr)
    n_fft = 1 << int(np.ceil(np.log2(n)))
    w = 2 * np.pi * np.fft.rfftfreq(n_fft)
    H = np.ones(len(w), dtype=complex)
    for b, a in _k_weighting_coefficients(float(sr)):
        H *= _biquad_response(b, a, w)
    return np.fft.irfft(np.fft.rfft(y, n_fft) * H, n_fft)[: len(y)]


def loudness_lufs(y, *, sr) -> float:
    """Integrated loudness (LUFS) of the whole clip, after ITU-R BS.1770-4.

    K-weighting (:func:`k_weight`), mean square over 400 ms blocks with 75 %
    overlap, an absolute gate at -70 LUFS and a relative gate 10 LU under the
    loudness of the blocks that passed it. It matches ``pyloudnorm`` (Steinmetz &
    Reiss 2021) to within 0.01 LU, without its ``scipy.signal`` import. Clips
    shorter than one block are padded with silence (which the gate ignores).
    Returns ``-inf`` for digital silence.

    Examples
    --------
    >>> from toolkit.media import example
    >>> clip = example("tone_a3")
    >>> -12 < loudness_lufs(clip.y, sr=clip.sr) < -6
    True
    """
    y = valid_audio(y, sr=sr)
    block = 0.4
    if len(y) < int(block * sr) + 1:
        y = np.pad(y, (0, int(block * sr) + 1 - len(y)))
    x2 = np.square(k_weight(y, sr=sr))
    total_s = len(y) / sr
    n_blocks = int(np.round((total_s - block) / (block * 0.25))) + 1
    csum = np.concatenate([[0.0], np.cumsum(x2)])
    lo = (block * 0.25 * np.arange(n_blocks) * sr).astype(int)
    hi = (block * (0.25 * np.arange(n_blocks) + 1) * sr).astype(int)
    hi = np.minimum(hi, len(x2))
    z = (csum[hi] - csum[lo]) / (block * sr)
    with np.errstate(divide="ignore"):
        level = -0.691 + 10 * np.log10(z)
        gated = z[level >= -70.0]
        if not len(gated):
            return float("-inf")
        rel = -0.691 + 10 * np.log10(np.mean(gated)) - 10.0
        keep = z[(level > rel) & (level > -70.0)]
        return float(-0.691 + 10 * np.log10(np.mean(keep))) if len(keep) else float("-inf")
