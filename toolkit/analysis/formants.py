"""Formants: the resonances of the vocal tract (F1, F2, F3), which make vowels and much of timbre.

Method
------
Praat's Burg LPC formant tracker (``Sound.to_formant_burg``, through Parselmouth):
the signal is resampled to twice ``max_formant_hz``, pre-emphasised from 50 Hz,
cut into 25 ms Gaussian windows, and an order-10 linear-prediction model fitted
with Burg's method; its pole frequencies are the formants. It is the standard
tool in phonetics and fast (about 0.2 s for 15 s of speech). Medians are taken
over voiced frames only, where the vocal tract is excited by the voice source.

``max_formant_hz`` should follow the speaker: 5000 Hz suits adult men, 5500 Hz
(the default) adult women, 8000 Hz children.

Taught in ``notebooks/01_spectrograms.ipynb``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..audio import valid_audio
from ..errors import ParameterError

__all__ = ["FormantTrack", "estimate_formants", "formant_medians_hz"]


@dataclass(frozen=True)
class FormantTrack:
    """Formant frequencies over time.

    Attributes
    ----------
    times_s : np.ndarray [shape=(n,)]
    formants_hz : np.ndarray [shape=(n, n_formants)]
        ``formants_hz[i, k]`` is F(k+1) at ``times_s[i]``; ``nan`` where Praat found none.
    """

    times_s: np.ndarray
    formants_hz: np.ndarray


def estimate_formants(y, *, sr, n_formants: int = 3, max_formant_hz: float = 5500.0, hop_s: float = 0.01,
                      window_s: float = 0.025, max_bandwidth_hz: float = 800.0) -> FormantTrack:
    """Track the first ``n_formants`` formants with Praat's Burg method.

    Parameters
    ----------
    y : np.ndarray [shape=(n,)]
        Mono waveform.
    sr : int
        Sample rate (Hz).
    n_formants : int
        How many formants to return (1-5).
    max_formant_hz : float
        Ceiling of the formant search (Hz); 5000 for men, 5500 for women.
    hop_s, window_s : float
        Time step and analysis window (s).
    max_bandwidth_hz : float
        LPC poles wider than this are dropped before numbering: the model always
        places five poles, and where the signal has fewer resonances the spare
        ones land between them with bandwidths of 1-2 kHz.

    Returns
    -------
    FormantTrack

    Examples
    --------
    >>> from toolkit.media import example
    >>> clip = example("vowel_a_150")
    >>> track = estimate_formants(clip.y, sr=clip.sr)
    >>> [int(round(f, -2)) for f in np.nanmedian(track.formants_hz, axis=0)]
    [700, 1200, 2600]
    """
    import parselmouth

    y = valid_audio(y, sr=sr)
    if not (1 <= int(n_formants) <= 5):
        raise ParameterError(f"n_formants must be 1-5, got {n_formants!r}")
    if not (1000 <= max_formant_hz <= sr / 2):
        raise ParameterError(f"max_formant_hz must be between 1000 Hz and sr/2 = {sr / 2:.0f} Hz, got {max_formant_hz!r}")
    snd = parselmouth.Sound(y.astype(np.float64), sampling_frequency=float(sr))
    if snd.duration < 2 * window_s:
        return FormantTrack(np.zeros(0), np.zeros((0, int(n_formants))))
    fm = snd.to_formant_burg(time_step=hop_s, max_number_of_formants=5, maximum_formant=max_formant_hz,
                             window_length=window_s, pre_emphasis_from=50.0)
    times = np.asarray(fm.xs(), dtype=np.float64)
    freq = np.array([[fm.get_value_at_time(k, t) for k in range(1, 6)] for t in times], dtype=np.float64)
    bw = np.array([[fm.get_bandwidth_at_time(k, t) for k in range(1, 6)] for t in times], dtype=np.float64)
    freq = freq.reshape(len(times), 5)
    freq[~(bw.reshape(len(times), 5) <= max_bandwidth_hz)] = np.nan  # wide poles are not resonances
    # renumber: the k-th remaining candidate (low to high) is F(k)
    packed = np.sort(freq, axis=1)  # nan sorts last
    return FormantTrack(times, packed[:, : int(n_formants)])


def formant_medians_hz(track: FormantTrack, *, voiced_times_s=None) -> tuple:
    """Median of each formant, over the frames nearest to ``voiced_times_s`` if given.

    Returns a tuple of floats (``nan`` for a formant never found).
    """
    f = track.formants_hz
    if voiced_times_s is not None and len(track.times_s):
        vt = np.asarray(voiced_times_s, dtype=np.float64)
        if len(vt):
            idx = np.clip(np.searchsorted(track.times_s, vt), 0, len(track.times_s) - 1)
            f = f[np.unique(idx)]
    out = []
    for k in range(f.shape[1]):
        col = f[:, k]
        col = col[np.isfinite(col)]
        out.append(float(np.median(col)) if len(col) else float("nan"))
    return tuple(out)
