"""Emotion, as far as Kokoro can: set the prosody half of a fitted voice from the reference's delivery.

A Kokoro style vector has two halves: dims 0-127 condition the decoder (the timbre), dims 128-255 the
prosody predictor, which decides the durations, the F0 contour and the energy of every phoneme
(Kokoro is StyleTTS 2's architecture; Li et al. 2023, "StyleTTS 2", NeurIPS). The voice fit
(:mod:`toolkit.clone.generate`) chooses the whole vector for *who* is speaking. This module moves the
prosody half toward *how* the reference speaks:

1. :func:`prosodic_features` measures five numbers of a clip with the lab's analysis functions (one
   implementation each): median F0 (semitones re 100 Hz) and F0 range (:func:`toolkit.analysis.voice_profile`),
   intensity variability (:func:`intensity_sd_db`, the spread of :func:`toolkit.analysis.intensity_db`
   over speech), syllable rate (the profile's, :func:`toolkit.analysis.speaking_rate`'s detector) and the share
   of pauses in the speech span.
2. A linear map from a change of those features (in bank standard deviations, ``z``) to a change of the
   prosody half, ``Δprosody = z · W``, learned on speech the project synthesised from voice-bank voices
   (``training/fit_emotion_map.py``, shipped as ``toolkit/clone/data/emotion_map.npz``; how it was made:
   :attr:`EmotionMap.info`). It is fitted the way round that can be checked, as a ridge regression of the
   features on the style vector (both halves, so the timbre's share is accounted for), and then inverted
   for the prosody half: ``W`` gives the *least* change of dims 128-255 that moves the features by ``z``
   while holding the others (a regularised minimum-norm inverse). Regressing the style on the features
   directly gave the mean voice of a feature value, which moved the F0 range the wrong way on real speech.
3. :func:`emotion_style` applies it to the *difference* ``strength · (z_reference − z_voice)``, where
   ``z_voice`` is measured on the voice's own speech of the fitting sentence. A reference that already speaks
   like the voice changes nothing; the median F0 is held (the pipeline moves the pitch level itself, with
   WORLD), each difference is kept within :data:`MAX_Z` bank standard deviations and the whole change within
   :data:`MAX_SHIFT`, so the voice stays where Kokoro speaks well.

How the shipped map was made (``training/fit_emotion_map.py``, 2026-12-02; the record is also in
:attr:`EmotionMap.info`): 110 voices, each the timbre half of one voice-bank voice and the prosody half of
another, speaking the fitting sentence at speed 1 (41 min of synthesis on a shared machine); ridge
(α = 100, chosen by 5-fold cross-validation) of the standardised features on the style in shipped-voice
spreads. Cross-validated R² of each feature from the style: median F0 0.88, F0 range 0.63, pauses 0.48,
intensity SD 0.07, syllable rate 0.05. Only the features the style predicts (R² ≥ 0.2: median F0, F0 range,
pauses) are steered; intensity swings and rate get a zero row (Kokoro's energy follows the timbre half as
much as the prosody half, and the rate is set by the speed factor in any case).

Everything here is numpy on precomputed features; the map file is a few kilobytes.

Taught in ``notebooks/06_expressive_and_cross_lingual.ipynb``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import ModelError, ParameterError

__all__ = ["FEATURES", "PROSODY_DIMS", "MAX_Z", "MAX_SHIFT", "MAP_PATH", "intensity_sd_db", "prosodic_features",
           "features_from_profile", "EmotionMap", "get_emotion_map", "emotion_style", "carry_emotion"]

#: The five prosodic features, in the order of every feature vector here.
FEATURES = ("f0_median_st", "f0_range_st", "intensity_sd_db", "rate_syl_per_s", "pause_fraction")
#: Units, for tables and figures.
UNITS = {"f0_median_st": "st re 100 Hz", "f0_range_st": "st", "intensity_sd_db": "dB", "rate_syl_per_s": "syl/s",
         "pause_fraction": ""}
#: The prosody half of a Kokoro style vector (the predictor's conditioning).
PROSODY_DIMS = slice(128, 256)
#: Largest feature difference (in bank standard deviations) the map is asked to follow.
MAX_Z = 2.5
#: Largest change of the prosody half (RMS over its dims, in shipped-voice spreads); larger ones are scaled down.
MAX_SHIFT = 1.0
#: Features the map does not move (the pitch level is carried by WORLD in the pipeline).
HELD = ("f0_median_st",)
MAP_PATH = Path(__file__).with_name("data") / "emotion_map.npz"


def intensity_sd_db(y, *, sr, segments=None) -> float:
    """Intensity variability: the standard deviation of the intensity contour over speech (dB).

    The contour is :func:`toolkit.analysis.intensity_db` (25 ms frames every 10 ms); only frames inside
    :func:`toolkit.analysis.speech_segments` count, so leading and trailing silence and pauses do not.
    Lively, emphatic speech swings more (10-14 dB); flat, tired speech less. ``nan`` without speech.

    Parameters
    ----------
    y : np.ndarray [shape=(n,)]
    sr : int
    segments : list of (start_s, end_s), optional
        Speech segments if already found.

    Examples
    --------
    >>> sr = 16000
    >>> t = np.arange(2 * sr) / sr
    >>> steady = 0.3 * np.sin(2 * np.pi * 150 * t)
    >>> pulsing = steady * (0.55 + 0.45 * np.sin(2 * np.pi * 3 * t))
    >>> bool(intensity_sd_db(steady, sr=sr) < 0.5), bool(intensity_sd_db(pulsing, sr=sr) > 3)
    (True, True)
    """
    from ..analysis import intensity_db, speech_segments

    segs = speech_segments(y, sr=sr) if segments is None else segments
    contour = intensity_db(y, sr=sr)
    m = np.zeros(len(contour.times_s), bool)
    for a, b in segs:
        m |= (contour.times_s >= a) & (contour.times_s < b)
    return float(np.std(contour.level_db[m])) if m.sum() > 1 else float("nan")


def features_from_profile(profile, *, intensity_sd: float, span_s: float) -> np.ndarray:
    """The :data:`FEATURES` vector from a :class:`~toolkit.analysis.VoiceProfile` plus the two numbers it lacks.

    ``span_s`` is the time from the first to the last speech (s): the pause share is
    ``1 - speech_duration / span``.
    """
    f0 = float(profile.f0_median_hz)
    pause = 1.0 - float(profile.speech_duration_s) / span_s if span_s > 0 else float("nan")
    return np.array([12 * np.log2(f0 / 100.0) if f0 > 0 else np.nan, profile.f0_range_st, intensity_sd,
                     profile.speaking_rate_syl_per_s, max(0.0, pause)], np.float64)


def prosodic_features(y, *, sr, profile=None) -> np.ndarray:
    """Measure the :data:`FEATURES` of a clip: median F0 (st re 100 Hz), F0 range (st), intensity SD (dB),
    syllable rate (syl/s) and pause share (0-1).

    Parameters
    ----------
    y : np.ndarray [shape=(n,)]
    sr : int
    profile : toolkit.analysis.VoiceProfile, optional
        The clip's profile if already measured (e.g. a reference encoding's); saves about half the time.

    Returns
    -------
    np.ndarray [shape=(5,)]
        ``nan`` for a measure with nothing to measure (F0 of a whisper).

    Examples
    --------
    >>> from toolkit.media import example
    >>> angry, neutral = example("thorsten_angry"), example("thorsten_neutral")
    >>> fa, fn = prosodic_features(angry.y, sr=angry.sr), prosodic_features(neutral.y, sr=neutral.sr)
    >>> dict(zip(FEATURES, fa.round(1)))                                 # doctest: +SKIP
    {'f0_median_st': 11.5, 'f0_range_st': 15.5, 'intensity_sd_db': 13.0, 'rate_syl_per_s': 5.3, 'pause_fraction': 0.2}
    >>> bool(fa[0] > fn[0] + 6), bool(fa[1] > fn[1] + 3)   # angry Thorsten: higher, and a wider range
    (True, True)
    """
    from ..analysis import speech_segments, voice_profile
    from ..audio import resample, valid_audio
    from ..defaults import ANALYSIS_SR_HZ

    y16 = resample(valid_audio(y, sr=sr), sr=sr, target_sr=ANALYSIS_SR_HZ)
    segs = speech_segments(y16, sr=ANALYSIS_SR_HZ)
    if not segs:
        return np.full(len(FEATURES), np.nan)
    profile = profile if profile is not None else voice_profile(y16, sr=ANALYSIS_SR_HZ)
    return features_from_profile(profile, intensity_sd=intensity_sd_db(y16, sr=ANALYSIS_SR_HZ, segments=segs),
                                 span_s=segs[-1][1] - segs[0][0])


class EmotionMap:
    """The fitted map (loaded weights): standardised :data:`FEATURES` → the style's prosody half.

    Attributes
    ----------
    W : np.ndarray [shape=(5, 128)]
        Row ``k``: the least change of the prosody half that raises feature ``k`` by one bank standard deviation
        and holds the other four.
    x_mean, x_std : np.ndarray [shape=(5,)]
        The features' mean and spread over the training voices.
    info : dict
        How the map was made (``training/fit_emotion_map.py``: voices, sentence, penalty, cross-validated
        R² of each feature from the style).
    """

    def __init__(self, path=MAP_PATH):
        path = Path(path)
        if not path.exists():
            raise ModelError(f"{path} is missing; fit it with `python training/fit_emotion_map.py`")
        with np.load(path, allow_pickle=False) as z:
            self.W = z["W"].astype(np.float64)
            self.x_mean, self.x_std = z["x_mean"].astype(np.float64), z["x_std"].astype(np.float64)
            self.info = json.loads(str(z["info"]))
        if self.W.shape != (len(FEATURES), 128):
            raise ModelError(f"{path} holds a map of shape {self.W.shape}, expected ({len(FEATURES)}, 128); refit it")

    def shift(self, reference_features, voice_features, *, strength: float = 1.0) -> np.ndarray:
        """Change of the prosody half that moves a voice's features toward the reference's.

        ``strength · W · clip(z_reference − z_voice, ±MAX_Z)``, with the :data:`HELD` features' differences
        (and any missing one) set to zero.
        """
        d = (np.asarray(reference_features, np.float64) - np.asarray(voice_features, np.float64)) / self.x_std
        d = np.clip(np.nan_to_num(d), -MAX_Z, MAX_Z)
        d[[FEATURES.index(f) for f in HELD]] = 0.0
        return float(strength) * (d @ self.W)


@lru_cache(maxsize=2)
def get_emotion_map(path=MAP_PATH) -> EmotionMap:
    """The bundled :class:`EmotionMap` (loaded once)."""
    return EmotionMap(path)


def emotion_style(style, *, reference_features, voice_features, strength: float = 1.0, emotion_map=None):
    """A style vector with its prosody half moved toward the reference's delivery (the timbre half kept).

    Parameters
    ----------
    style : np.ndarray [shape=(256,)]
        The fitted voice's style vector.
    reference_features, voice_features : np.ndarray [shape=(5,)]
        :func:`prosodic_features` of the reference and of the voice's own speech (the fitting sentence).
    strength : float
        0 leaves the voice as it is, 1 follows the map; between 0 and 2.
    emotion_map : EmotionMap, optional
        Default: the bundled map.

    Returns
    -------
    np.ndarray [shape=(256,)], float32

    Examples
    --------
    >>> m = get_emotion_map()
    >>> s = np.zeros(256, np.float32)
    >>> wide = m.x_mean + np.array([0, 2, 0, 0, 0]) * m.x_std     # two bank SDs more F0 range
    >>> out = emotion_style(s, reference_features=wide, voice_features=m.x_mean)
    >>> bool(np.all(out[:128] == 0)), bool(np.abs(out[128:]).max() > 0)   # only the prosody half moves
    (True, True)
    >>> bool(np.all(emotion_style(s, reference_features=wide, voice_features=m.x_mean, strength=0) == s))
    True
    """
    s = np.asarray(style, np.float64).reshape(-1)
    if s.shape != (256,):
        raise ParameterError(f"style must have 256 numbers, got shape {s.shape}")
    if not (0.0 <= float(strength) <= 2.0):
        raise ParameterError(f"emotion strength must be between 0 (off) and 2, got {strength!r}")
    m = emotion_map or get_emotion_map()
    out = s.copy()
    out[PROSODY_DIMS] += m.shift(reference_features, voice_features, strength=strength)
    return out.astype(np.float32)


def carry_emotion(voice, *, encoding, voice_audio, sr, strength: float = 1.0, match_pace: bool = True):
    """Move a fitted voice's prosody half toward its reference's delivery, and speak the fitting sentence again.

    The pipeline's hook (:func:`toolkit.clone.pipeline.fit` with ``emotion=``): measures the reference
    (its encoding's profile) and the voice's own speech of the fitting sentence, sets the new style with
    :func:`emotion_style` (kept inside :meth:`~toolkit.clone.voice_space.VoiceSpace.clamp`), speaks
    :data:`~toolkit.clone.generate.REFINE_TEXT` with it once and, with ``match_pace``, sets the speed factor
    again from that speech (the map may have changed the voice's own pace).

    Returns
    -------
    voice : FittedVoice
        With the new style and speed; ``scores`` gain ``emotion_strength``, ``emotion_shift`` (size of the
        change, in shipped-voice spreads, RMS over the prosody dims) and ``similarity_fit_emotion`` (GE2E
        similarity of the new speech to the reference; ``similarity_fit`` is the voice's before).
    y : np.ndarray
        The new voice's speech of the fitting sentence (24 kHz), for the shaping that follows.
    """
    from dataclasses import replace

    from ..embedding import embed, similarity
    from ..synth.kokoro import get_tts
    from ..synth.phonemes import phonemize
    from .generate import REFINE_TEXT, pace_speed, voice_rate_syl_per_s
    from .voice_space import get_voice_space

    space, tts = get_voice_space(), get_tts()
    ref_f = prosodic_features(encoding.y, sr=encoding.sr, profile=encoding.profile)
    voice_f = prosodic_features(voice_audio, sr=sr)
    style = emotion_style(voice.style, reference_features=ref_f, voice_features=voice_f, strength=strength)

    def shift_rms(new):  # size of a change of the prosody half, in shipped-voice spreads
        return float(np.sqrt(np.mean(((new - voice.style)[PROSODY_DIMS] / space.spread[PROSODY_DIMS]) ** 2)))

    rms = shift_rms(style)
    if rms > MAX_SHIFT:
        style = voice.style + (style - voice.style) * (MAX_SHIFT / rms)
    style = space.clamp(style)
    y = np.clip(np.nan_to_num(tts.synthesize_phonemes(phonemize(REFINE_TEXT, language="en"),
                                                      style=space.table(style))), -1.0, 1.0)
    speed = voice.speed
    if match_pace:
        speed = pace_speed(encoding.profile.speaking_rate_syl_per_s, voice_rate_syl_per_s(y, sr=tts.sr))
    try:
        sim = similarity(embed(y, sr=tts.sr), encoding.embedding)
    except ParameterError:
        sim = float("nan")
    scores = {**voice.scores, "emotion_strength": float(strength), "emotion_shift": shift_rms(style),
              "similarity_fit_emotion": float(sim)}
    return replace(voice, style=style, speed=speed, scores=scores), y
