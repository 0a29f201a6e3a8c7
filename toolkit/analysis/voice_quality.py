"""Voice quality: spectral tilt (how fast energy falls with frequency) and breathiness (HNR).

* :func:`spectral_tilt` fits a straight line to the long-term average spectrum
  (dB against log2 frequency) and returns its slope in dB per octave. A pressed
  or loud voice has a shallow tilt (more high-frequency energy); a soft, breathy
  or lax voice a steep one. Speech is typically -6 to -12 dB/oct over 100-5000 Hz;
  white noise is 0 and pink noise -3 dB/oct.
* :func:`harmonics_to_noise_db` is the mean harmonics-to-noise ratio (Praat's
  cross-correlation method, Boersma 1993) over voiced frames: how much of the
  periodic energy stands above the aperiodic part. Breathy and hoarse voices
  sit lower (under about 10 dB); clear sustained vowels reach 20 dB and more.

Taught in ``notebooks/01_spectrograms.ipynb`` and ``notebooks/03_prosody.ipynb``.
"""

from __future__ import annotations

import numpy as np

from ..audio import valid_audio
from ..errors import ParameterError

__all__ = ["long_term_spectrum_db", "spectral_tilt", "harmonics_to_noise_db"]


def long_term_spectrum_db(y, *, sr, n_fft: int = 1024, hop_length: int = 256, mask=None):
    """Long-term average power spectrum (Welch average of Hann-windowed frames).

    Parameters
    ----------
    y : np.ndarray [shape=(n,)]
    sr : int
    n_fft, hop_length : int
        Frame length and hop (samples).
    mask : np.ndarray of bool [shape=(n_frames,)], optional
        Frames to average (e.g. speech frames only); all frames by default.

    Returns
    -------
    freqs_hz : np.ndarray [shape=(n_fft // 2 + 1,)]
    level_db : np.ndarray [shape=(n_fft // 2 + 1,)]
    """
    y = valid_audio(y, sr=sr)
    if len(y) < n_fft:
        y = np.pad(y, (0, n_fft - len(y)))
    n_frames = 1 + (len(y) - n_fft) // hop_length
    idx = np.arange(n_fft)[None, :] + hop_length * np.arange(n_frames)[:, None]
    frames = y.astype(np.float64)[idx] * np.hanning(n_fft)
    power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
    if mask is not None:
        mask = np.asarray(mask, dtype=bool)[:n_frames]
        if mask.any():
            power = power[: len(mask)][mask]
    spec = power.mean(axis=0)
    freqs = np.fft.rfftfreq(n_fft, 1.0 / sr)
    return freqs, 10.0 * np.log10(np.maximum(spec, 1e-20))


def spectral_tilt(y, *, sr, fmin_hz: float = 100.0, fmax_hz: float = 5000.0, speech_only: bool = True) -> float:
    """Slope of the long-term spectrum in dB per octave between ``fmin_hz`` and ``fmax_hz``.

    The spectrum is first averaged in third-octave-wide bands so that the many
    bins at high frequencies do not dominate the fit. With ``speech_only``,
    frames more than 25 dB under the loudest are left out, so pauses (room
    noise) do not flatten the estimate.

    Examples
    --------
    >>> import numpy as np
    >>> white = np.random.default_rng(0).standard_normal(16000) * 0.1
    >>> abs(spectral_tilt(white, sr=16000)) < 1
    True
    """
    y = valid_audio(y, sr=sr)
    if not (0 < fmin_hz < fmax_hz <= sr / 2):
        raise ParameterError(f"need 0 < fmin_hz < fmax_hz <= sr/2 ({sr / 2:.0f} Hz), got {fmin_hz!r}, {fmax_hz!r}")
    n_fft, hop = 1024, 256
    if len(y) < n_fft:  # under 64 ms at 16 kHz: too short for a long-term spectrum
        return float("nan")
    mask = None
    if speech_only and len(y) >= n_fft:
        n_frames = 1 + (len(y) - n_fft) // hop
        idx = np.arange(n_fft)[None, :] + hop * np.arange(n_frames)[:, None]
        e = 10 * np.log10(np.mean(y.astype(np.float64)[idx] ** 2, axis=1) + 1e-20)
        mask = e > np.percentile(e, 99) - 25.0
    freqs, level = long_term_spectrum_db(y, sr=sr, n_fft=n_fft, hop_length=hop, mask=mask)
    edges = fmin_hz * 2.0 ** (np.arange(0, np.log2(fmax_hz / fmin_hz) + 1e-9, 1 / 3))
    centres, values = [], []
    power = 10 ** (level / 10)
    for lo, hi in zip(edges[:-1], edges[1:]):
        sel = (freqs >= lo) & (freqs < hi)
        if sel.any():
            centres.append(np.sqrt(lo * hi))
            values.append(10 * np.log10(power[sel].mean()))
    if len(centres) < 2:
        return float("nan")
    slope, _ = np.polyfit(np.log2(centres), values, 1)
    return float(slope)


def harmonics_to_noise_db(y, *, sr, fmin_hz: float = 75.0, hop_s: float = 0.01) -> float:
    """Mean harmonics-to-noise ratio (dB) over voiced frames (Praat ``To Harmonicity (cc)``).

    Returns ``nan`` when no frame is voiced.

    Examples
    --------
    >>> from toolkit.media import example
    >>> clip = example("vowel_a_150")
    >>> harmonics_to_noise_db(clip.y, sr=clip.sr) > 20
    True
    """
    import parselmouth

    y = valid_audio(y, sr=sr)
    if fmin_hz <= 0:
        raise ParameterError(f"fmin_hz must be positive, got {fmin_hz!r}")
    snd = parselmouth.Sound(y.astype(np.float64), sampling_frequency=float(sr))
    if snd.duration < 4.5 / fmin_hz:
        return float("nan")
    h = snd.to_harmonicity_cc(time_step=hop_s, minimum_pitch=fmin_hz).values[0]
    h = h[h > -199]  # Praat marks unvoiced frames with -200 dB
    return float(np.mean(h)) if len(h) else float("nan")
