"""Stage 4 of cloning, *evaluate*: how close is the clone to the reference speaker?

Two measures that do not share machinery:

* **Speaker similarity** (the engine's own yardstick): cosine similarity of GE2E embeddings,
  :func:`speaker_similarity`. About 0.9 for two recordings of one speaker, 0.5-0.7 for
  different speakers of the same sex.
* **Arithmetic-harmonic sphericity** (the independent check, never used inside the engine):
  Bimbot et al. (1995, "Second-order statistical measures for text-independent speaker
  identification", Speech Communication 17) compare two speakers by the covariance matrices
  of their short-term cepstra, :func:`sphericity_distance` on :func:`cepstral_covariance`.
  The cepstra are mean-normalised per clip, so a fixed filter (microphone, room, or the
  engine's own envelope equaliser) cannot change it; no learned model is involved, so a
  clone cannot reach the target on it by fooling the speaker encoder. 0 for identical
  covariances; smaller is closer.
* **Long-term cepstral distance**, :func:`cepstral_distance_db`: the mel-cepstral distance (dB)
  between the *average* cepstra of two clips. It includes the channel, and the engine's envelope
  step aims at it directly, so it is shown for teaching, not as independent evidence.

Taught in ``notebooks/05_zero_shot_cloning.ipynb``.
"""

from __future__ import annotations

import numpy as np

from ..audio import resample, valid_audio
from ..defaults import ANALYSIS_SR_HZ

__all__ = ["speaker_similarity", "cepstral_covariance", "sphericity_distance", "long_term_cepstrum",
           "cepstral_distance_db", "N_CEPSTRA"]

#: Mel-cepstral coefficients compared (c1..c24; c0, the level, is left out).
N_CEPSTRA = 24


def speaker_similarity(y, *, sr, reference_embedding) -> float:
    """GE2E cosine similarity of a clip to a reference embedding.

    Examples
    --------
    >>> from toolkit.media import example        # doctest: +SKIP
    >>> from toolkit.embedding import embed      # doctest: +SKIP
    >>> clip = example("vowel_a_150")            # doctest: +SKIP
    >>> round(speaker_similarity(clip.y, sr=clip.sr, reference_embedding=embed(clip.y, sr=clip.sr)), 2)  # doctest: +SKIP
    1.0
    """
    from ..embedding import embed, similarity

    return similarity(embed(y, sr=sr), reference_embedding)


def long_term_cepstrum(y, *, sr) -> np.ndarray:
    """Mean mel-cepstrum (c1..c24) over the speech frames of a clip (frames within 35 dB of the loudest).

    Examples
    --------
    >>> import numpy as np
    >>> y = np.random.default_rng(0).standard_normal(16000).astype(np.float32) * 0.1
    >>> long_term_cepstrum(y, sr=16000).shape
    (24,)
    """
    # librosa's MFCC of a dB spectrum: c_k in dB units; convert back to natural-log cepstrum units
    return (_speech_cepstra(y, sr, N_CEPSTRA).mean(axis=1) * np.log(10) / 10).astype(np.float64)


def cepstral_distance_db(a, b) -> float:
    """Mel-cepstral distance (dB) between two long-term cepstra, ``(10/ln 10)·sqrt(2·Σ(a_k − b_k)²)``.

    Examples
    --------
    >>> cepstral_distance_db([0.0, 0.0], [0.0, 0.0])
    0.0
    """
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return float(10.0 / np.log(10) * np.sqrt(2.0 * np.sum((a - b) ** 2)))


def _speech_cepstra(y, sr, n):
    import librosa

    y = valid_audio(y, sr=sr)
    y16 = resample(y, sr=sr, target_sr=ANALYSIS_SR_HZ)
    M = librosa.feature.melspectrogram(y=y16, sr=ANALYSIS_SR_HZ, n_fft=512, hop_length=160, win_length=400,
                                       n_mels=40, fmin=60, fmax=7600, power=2.0)
    logM = 10 * np.log10(M + 1e-10)
    energy = logM.max(axis=0)
    keep = energy > energy.max() - 35.0
    return librosa.feature.mfcc(S=logM[:, keep], n_mfcc=n + 1, dct_type=2, norm="ortho")[1:]


def cepstral_covariance(y, *, sr, n_cepstra: int = 19) -> np.ndarray:
    """Covariance (n × n) of the mean-normalised mel-cepstra c1..cn over a clip's speech frames.

    Examples
    --------
    >>> import numpy as np
    >>> y = np.random.default_rng(0).standard_normal(16000).astype(np.float32) * 0.1
    >>> cepstral_covariance(y, sr=16000).shape
    (19, 19)
    """
    C = _speech_cepstra(y, sr, n_cepstra)
    C = C - C.mean(axis=1, keepdims=True)
    return (C @ C.T / max(1, C.shape[1] - 1)).astype(np.float64)


def sphericity_distance(cov_a, cov_b) -> float:
    """Arithmetic-harmonic sphericity ``log(tr(A B⁻¹) · tr(B A⁻¹) / n²)`` (Bimbot et al. 1995); 0 when A = B.

    Examples
    --------
    >>> import numpy as np
    >>> round(sphericity_distance(np.eye(3), np.eye(3)), 6)
    0.0
    """
    A, B = np.asarray(cov_a, np.float64), np.asarray(cov_b, np.float64)
    n = A.shape[0]
    reg = 1e-6 * np.eye(n)
    t1 = np.trace(A @ np.linalg.inv(B + reg))
    t2 = np.trace(B @ np.linalg.inv(A + reg))
    # never negative in exact arithmetic (AM ≥ HM); the tiny regulariser can push equal matrices a hair under 0
    return max(0.0, float(np.log(t1 * t2 / n ** 2)))
