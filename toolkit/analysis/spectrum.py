"""Spectrograms: frames → STFT → mel, and back to sound with Griffin-Lim.

A text-to-speech model does not write waveforms directly: its acoustic model
predicts a mel spectrogram (80 mel bands every 10-12 ms), and a vocoder turns
that into samples. :func:`mel_to_audio` plays the vocoder's role with the
Griffin-Lim algorithm (Griffin & Lim 1984), which has to guess the phase the
mel spectrogram threw away: listen to what is lost.

Computed as librosa (McFee et al. 2015) computes them, in numpy (so the served app does not load
librosa and numba, ~100 MB a kernel; ``tests/test_analysis.py`` checks the numbers against librosa's);
Griffin-Lim is librosa's own. The argument names are librosa's.

Taught in ``notebooks/01_spectrograms.ipynb``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..audio import valid_audio
from ..defaults import HOP_LENGTH, N_FFT, N_MELS, WIN_LENGTH
from ..errors import ParameterError

__all__ = ["Spectrogram", "frame_signal", "stft_db", "mel_spectrogram_db", "mel_to_audio"]


@dataclass(frozen=True)
class Spectrogram:
    """A spectrogram in dB with its axes.

    Attributes
    ----------
    S_db : np.ndarray [shape=(n_bins, n_frames)]
        Level in dB (relative to full scale for ``stft_db``; to the peak for mel).
    times_s : np.ndarray [shape=(n_frames,)]
        Frame centres (s).
    freqs_hz : np.ndarray [shape=(n_bins,)]
        Bin centre frequencies (Hz): linear for STFT, mel-spaced for mel.
    kind : str
        ``"stft"`` or ``"mel"``.
    hop_length : int
    sr : int
    """

    S_db: np.ndarray
    times_s: np.ndarray
    freqs_hz: np.ndarray
    kind: str
    hop_length: int
    sr: int


def _check_frames(n_fft, hop_length, win_length):
    if int(n_fft) < 16:
        raise ParameterError(f"n_fft must be at least 16 samples, got {n_fft!r}")
    if not (0 < int(hop_length)):
        raise ParameterError(f"hop_length must be a positive number of samples, got {hop_length!r}")
    if win_length is not None and not (0 < int(win_length) <= int(n_fft)):
        raise ParameterError(f"win_length must be between 1 and n_fft={n_fft}, got {win_length!r}; raise n_fft")


def frame_signal(y, *, sr, frame_length: int = WIN_LENGTH, hop_length: int = HOP_LENGTH) -> np.ndarray:
    """Cut ``y`` into overlapping frames, the first step of every spectrogram.

    Returns
    -------
    np.ndarray [shape=(n_frames, frame_length)]

    Examples
    --------
    >>> frame_signal(np.arange(10.0), sr=10, frame_length=4, hop_length=3).shape
    (3, 4)
    """
    y = valid_audio(y, sr=sr)
    _check_frames(max(frame_length, 16), hop_length, None)
    if frame_length < 1:
        raise ParameterError(f"frame_length must be positive, got {frame_length!r}")
    if len(y) < frame_length:
        y = np.pad(y, (0, frame_length - len(y)))
    n = 1 + (len(y) - frame_length) // hop_length
    return y[np.arange(frame_length)[None, :] + hop_length * np.arange(n)[:, None]]


def stft_db(y, *, sr, n_fft: int = N_FFT, hop_length: int = HOP_LENGTH, win_length: int | None = WIN_LENGTH) -> Spectrogram:
    """Magnitude STFT in dB relative to full scale (a 0 dBFS sine peaks near 0 dB).

    Parameters
    ----------
    y : np.ndarray [shape=(n,)]
    sr : int
    n_fft : int
        FFT size (samples); sets the frequency resolution ``sr / n_fft``.
    hop_length : int
        Samples between frames.
    win_length : int or None
        Hann window length (samples, at most ``n_fft``); ``None`` means ``n_fft``.

    Examples
    --------
    >>> from toolkit.media import example
    >>> clip = example("tone_a3")
    >>> spec = stft_db(clip.y, sr=clip.sr)
    >>> peak_bin = spec.S_db[:, 10].argmax()
    >>> bool(abs(spec.freqs_hz[peak_bin] - 220) < clip.sr / 512)
    True
    """
    y = valid_audio(y, sr=sr)
    _check_frames(n_fft, hop_length, win_length)
    n_fft, hop_length, win = int(n_fft), int(hop_length), int(win_length or n_fft)
    S = _stft_magnitude(y, n_fft=n_fft, hop_length=hop_length, win_length=win)
    S_db = 20 * np.log10(np.maximum(S * 4.0 / win, 1e-6))  # sine amplitude A peaks at A * sum(hann) / 2 = A * win / 4
    times = np.arange(S.shape[1]) * hop_length / float(sr)
    freqs = np.linspace(0, sr / 2, 1 + n_fft // 2)
    return Spectrogram(S_db, times, freqs, "stft", hop_length, int(sr))


def _stft_magnitude(y, *, n_fft: int, hop_length: int, win_length: int) -> np.ndarray:
    """``abs(librosa.stft(y, window="hann"))`` in numpy (centred frames, zero padding, periodic Hann centred in
    ``n_fft``): the same numbers without importing librosa and numba, which cost a served app kernel ~100 MB."""
    k = np.arange(win_length)
    window = np.zeros(n_fft, np.float32)
    left = (n_fft - win_length) // 2
    window[left:left + win_length] = 0.5 - 0.5 * np.cos(2 * np.pi * k / win_length)
    padded = np.pad(y, (n_fft // 2, n_fft // 2))
    n_frames = 1 + (len(padded) - n_fft) // hop_length
    out = np.empty((1 + n_fft // 2, n_frames), np.float32)
    for a in range(0, n_frames, 2048):  # in blocks, so a long clip does not need all its frames at once
        idx = np.arange(n_fft)[None, :] + hop_length * np.arange(a, min(a + 2048, n_frames))[:, None]
        out[:, a:a + idx.shape[0]] = np.abs(np.fft.rfft(padded[idx] * window, axis=1)).T
    return out


def _hz_to_mel(f_hz):
    """Slaney's mel scale (librosa's default, ``htk=False``): linear below 1 kHz, logarithmic above."""
    f = np.asarray(f_hz, np.float64)
    return np.where(f >= 1000.0, 15.0 + np.log(np.maximum(f, 1e-10) / 1000.0) / (np.log(6.4) / 27.0),
                    f / (200.0 / 3))


def _mel_to_hz(mel):
    m = np.asarray(mel, np.float64)
    return np.where(m >= 15.0, 1000.0 * np.exp((np.log(6.4) / 27.0) * (m - 15.0)), m * (200.0 / 3))


def mel_filterbank(*, sr, n_fft: int, n_mels: int, fmin_hz: float = 0.0, fmax_hz: float | None = None) -> np.ndarray:
    """Triangular mel filters (n_mels, 1 + n_fft/2), area-normalised: ``librosa.filters.mel`` (Slaney) in numpy.

    Examples
    --------
    >>> mel_filterbank(sr=16000, n_fft=400, n_mels=40).shape
    (40, 201)
    """
    fmax = sr / 2 if fmax_hz is None else fmax_hz
    fft_freqs = np.linspace(0, sr / 2, 1 + int(n_fft) // 2)
    mel_f = _mel_to_hz(np.linspace(_hz_to_mel(fmin_hz), _hz_to_mel(fmax), int(n_mels) + 2))
    fdiff = np.diff(mel_f)
    ramps = mel_f[:, None] - fft_freqs[None, :]
    lower, upper = -ramps[:-2] / fdiff[:-1, None], ramps[2:] / fdiff[1:, None]
    weights = np.maximum(0, np.minimum(lower, upper)) * (2.0 / (mel_f[2:] - mel_f[:-2]))[:, None]
    return weights.astype(np.float32)


def _mel_power(y, sr, n_fft, hop_length, win_length, n_mels, fmin_hz, fmax_hz):
    """``librosa.feature.melspectrogram(power=2)`` in numpy (see :func:`_stft_magnitude`)."""
    S = _stft_magnitude(y, n_fft=int(n_fft), hop_length=int(hop_length), win_length=int(win_length or n_fft))
    return mel_filterbank(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin_hz=fmin_hz, fmax_hz=fmax_hz) @ (S * S)


def mel_spectrogram_db(y, *, sr, n_fft: int = N_FFT, hop_length: int = HOP_LENGTH, win_length: int | None = WIN_LENGTH,
                       n_mels: int = N_MELS, fmin_hz: float = 0.0, fmax_hz: float | None = None,
                       top_db: float = 80.0) -> Spectrogram:
    """Mel spectrogram in dB relative to its peak, floored ``top_db`` below: what TTS models predict.

    Parameters
    ----------
    n_mels : int
        Number of mel bands (TTS models use 80 or 100).
    fmin_hz, fmax_hz : float
        Frequency range of the filter bank (Hz); ``fmax_hz=None`` means ``sr / 2``.
    top_db : float
        Dynamic range kept (dB).

    Examples
    --------
    >>> from toolkit.media import example
    >>> clip = example("vowel_a_150")
    >>> mel_spectrogram_db(clip.y, sr=clip.sr, n_mels=40).S_db.shape[0]
    40
    """
    y = valid_audio(y, sr=sr)
    _check_frames(n_fft, hop_length, win_length)
    if not (1 <= int(n_mels) <= int(n_fft) // 2 + 1):
        raise ParameterError(f"n_mels must be between 1 and n_fft/2+1 = {int(n_fft) // 2 + 1}, got {n_mels!r}")
    fmax = sr / 2 if fmax_hz is None else fmax_hz
    if not (0 <= fmin_hz < fmax <= sr / 2):
        raise ParameterError(f"need 0 <= fmin_hz < fmax_hz <= sr/2 = {sr / 2:.0f} Hz, got {fmin_hz!r}, {fmax_hz!r}")
    M = _mel_power(y, sr, n_fft, hop_length, win_length, n_mels, fmin_hz, fmax)
    M = M.astype(np.float64)
    S_db = 10.0 * np.log10(np.maximum(M, 1e-10)) - 10.0 * np.log10(max(float(M.max()), 1e-10))  # power_to_db
    S_db = np.maximum(S_db, S_db.max() - top_db)
    times = np.arange(M.shape[1]) * int(hop_length) / float(sr)
    freqs = _mel_to_hz(np.linspace(_hz_to_mel(fmin_hz), _hz_to_mel(fmax), int(n_mels)))
    return Spectrogram(S_db, times, freqs, "mel", int(hop_length), int(sr))


def mel_to_audio(y, *, sr, n_fft: int = N_FFT, hop_length: int = HOP_LENGTH, win_length: int | None = WIN_LENGTH,
                 n_mels: int = N_MELS, n_iter: int = 32) -> np.ndarray:
    """Mel spectrogram of ``y`` turned back into a waveform by Griffin-Lim.

    Two things are lost on the way: fine frequency detail (the mel bands merge
    neighbouring harmonics, worse with fewer bands) and phase (Griffin-Lim
    guesses it iteratively, which leaves a metallic, phasey sound). Neural
    vocoders (HiFi-GAN, Vocos, iSTFTNet in Kokoro) learn to fill both in.

    Returns
    -------
    np.ndarray [shape=(n,)], float32
        Same length as ``y``.

    Examples
    --------
    >>> from toolkit.media import example
    >>> clip = example("tone_a3")
    >>> mel_to_audio(clip.y, sr=clip.sr, n_iter=4).shape == clip.y.shape
    True
    """
    import librosa

    y = valid_audio(y, sr=sr)
    _check_frames(n_fft, hop_length, win_length)
    if int(n_iter) < 1:
        raise ParameterError(f"n_iter must be at least 1, got {n_iter!r}")
    M = _mel_power(y, sr, n_fft, hop_length, win_length, n_mels, 0.0, sr / 2)
    out = librosa.feature.inverse.mel_to_audio(M, sr=sr, n_fft=int(n_fft), hop_length=int(hop_length),
                                               win_length=int(win_length or n_fft), n_iter=int(n_iter), length=len(y))
    return out.astype(np.float32)
