"""Stage 1 of cloning, *encode*: turn a reference clip into explicit features and a speaker embedding.

The explicit features are the :class:`~toolkit.analysis.profile.VoiceProfile`
(pitch level and range, formants, spectral tilt, breathiness as harmonics-to-noise
ratio, speaking rate, loudness); the latent one is the 256-d GE2E d-vector
(:mod:`toolkit.embedding`). Both are computed once per reference; the
reference's hash is the key of the fitted-voice cache.

Taught in ``notebooks/05_zero_shot_cloning.ipynb``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np

from ..audio import resample, valid_audio
from ..defaults import ANALYSIS_SR_HZ
from ..errors import ToolkitError

__all__ = ["ReferenceEncoding", "UnusableReferenceError", "encode_reference", "model_features", "MIN_REFERENCE_SPEECH_S"]

#: Least speech (s) a reference must hold to be cloned at all (5-15 s is recommended).
MIN_REFERENCE_SPEECH_S = 2.0


class UnusableReferenceError(ToolkitError):
    """The reference cannot be cloned (silent, too short, no voiced speech)."""


@dataclass(frozen=True)
class ReferenceEncoding:
    """What the engine knows about a reference.

    Attributes
    ----------
    y : np.ndarray
        The reference at 16 kHz.
    sr : int
        16000.
    profile : toolkit.analysis.VoiceProfile
        Explicit acoustic features.
    embedding : np.ndarray [shape=(256,)]
        GE2E speaker embedding (unit length).
    key : str
        Hash of the audio (cache key).
    """

    y: np.ndarray = field(repr=False)
    sr: int
    profile: object
    embedding: np.ndarray = field(repr=False)
    key: str

    @property
    def duration_s(self) -> float:
        return len(self.y) / self.sr


def audio_key(y) -> str:
    """Short hash of a waveform (its 16-bit samples), used to cache fitted voices."""
    q = (np.clip(np.asarray(y, np.float32), -1, 1) * 32767).astype(np.int16)
    return hashlib.sha1(q.tobytes()).hexdigest()[:16]


def encode_reference(y, *, sr) -> ReferenceEncoding:
    """Measure the reference's voice profile and speaker embedding.

    Raises
    ------
    UnusableReferenceError
        If the clip is silent, holds less than :data:`MIN_REFERENCE_SPEECH_S` of speech, or has no voiced pitch.

    Examples
    --------
    >>> from toolkit.media import example
    >>> clip = example("vowel_a_150")          # doctest: +SKIP
    >>> enc = encode_reference(clip.y, sr=clip.sr)  # doctest: +SKIP
    """
    from ..analysis import voice_profile
    from ..embedding import get_encoder

    y = valid_audio(y, sr=sr, name="reference")
    y16 = resample(y, sr=sr, target_sr=ANALYSIS_SR_HZ)
    if not np.any(np.abs(y16) > 1e-4):
        raise UnusableReferenceError("the reference is silent; record 5-15 s of your own speech")
    profile = voice_profile(y16, sr=ANALYSIS_SR_HZ)
    if profile.speech_duration_s < MIN_REFERENCE_SPEECH_S:
        raise UnusableReferenceError(
            f"the reference holds only {profile.speech_duration_s:.1f} s of speech; the engine needs at least "
            f"{MIN_REFERENCE_SPEECH_S:.0f} s (5-15 s is best), record a longer clip")
    if not np.isfinite(profile.f0_median_hz) or profile.voiced_fraction < 0.1:
        raise UnusableReferenceError("no voiced speech found in the reference (noise or whisper?); "
                                     "record yourself speaking normally")
    emb = get_encoder().embed(y16, sr=ANALYSIS_SR_HZ)
    return ReferenceEncoding(y16, ANALYSIS_SR_HZ, profile, emb, audio_key(y16))


def _safe_log(v, default):
    v = float(v)
    return np.log(v) if np.isfinite(v) and v > 0 else np.log(default)


def model_features(embedding, profile) -> np.ndarray:
    """Input vector of the learned voice-space encoder: the embedding plus a few robust profile numbers.

    Profile part (5 numbers): log F0 median, F0 range (in octaves), and log F1, F2, F3.
    Channel-sensitive measures (tilt, loudness, HNR) are left out on purpose: the encoder is trained on clean
    synthetic speech and must transfer to real microphones.
    """
    e = np.asarray(embedding, np.float32).reshape(-1)
    f = profile.formants_hz
    rng = float(profile.f0_range_st) if np.isfinite(profile.f0_range_st) else 8.0
    extra = np.array([_safe_log(profile.f0_median_hz, 150.0), rng / 12.0,
                      _safe_log(f[0], 500.0), _safe_log(f[1], 1500.0), _safe_log(f[2], 2500.0)], np.float32)
    return np.concatenate([e, extra])
