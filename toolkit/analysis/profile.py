"""A voice in ten numbers: :class:`VoiceProfile` summarises a clip's pitch, timbre, loudness and rhythm.

:func:`voice_profile` runs the analyses of :mod:`toolkit.analysis` once each
(the pitch track is shared by the range, formant, syllable and speaking-rate
measures) and keeps about 1 s of compute for a 15 s clip on one core.

The CLI prints it: ``python -m toolkit analyze CLIP [--json]``.

Taught in ``notebooks/03_prosody.ipynb``.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from ..audio import resample, valid_audio
from ..defaults import ANALYSIS_SR_HZ
from .formants import estimate_formants, formant_medians_hz
from .loudness import intensity_db, loudness_lufs
from .pitch import estimate_f0, f0_median_hz, f0_range_st, speaker_f0_range
from .rhythm import (MIN_PAUSE_S, MIN_SPEECH_S, SILENCE_THRESHOLD_DB, _pauses_from_segments, _segments_from_level,
                     speech_duration_s, syllable_nuclei)
from .voice_quality import harmonics_to_noise_db, spectral_tilt

__all__ = ["VoiceProfile", "voice_profile"]


@dataclass(frozen=True)
class VoiceProfile:
    """Summary of one clip. ``nan`` marks a measure that has nothing to measure (e.g. F0 of silence).

    Attributes
    ----------
    duration_s : float
        Length of the clip (s).
    speech_duration_s : float
        Time covered by speech, pauses and leading/trailing silence excluded (s).
    f0_median_hz : float
        Median F0 over voiced frames (Hz).
    f0_range_st : float
        5th-95th percentile span of F0 (semitones).
    speaking_rate_syl_per_s : float
        Syllable nuclei per second of speech.
    formants_hz : tuple of float
        Medians of F1, F2, F3 over voiced frames (Hz).
    spectral_tilt_db_per_oct : float
        Slope of the long-term spectrum, 100-5000 Hz (dB/octave).
    loudness_lufs : float
        Integrated loudness (LUFS).
    pause_count : int
        Silent pauses of at least 0.25 s between speech.
    mean_pause_s : float
        Their mean duration (s); 0 when there are none.
    hnr_db : float
        Mean harmonics-to-noise ratio of voiced frames (dB); lower is breathier.
    voiced_fraction : float
        Share of speech time that is voiced (0-1).
    """

    duration_s: float
    speech_duration_s: float
    f0_median_hz: float
    f0_range_st: float
    speaking_rate_syl_per_s: float
    formants_hz: tuple
    spectral_tilt_db_per_oct: float
    loudness_lufs: float
    pause_count: int
    mean_pause_s: float
    hnr_db: float
    voiced_fraction: float

    def to_dict(self, *, digits: int | None = 3) -> dict:
        """Plain dict (JSON-ready: lists for tuples, ``None`` for nan/inf), rounded to ``digits``."""
        def clean(v):
            if isinstance(v, (tuple, list)):
                return [clean(x) for x in v]
            if isinstance(v, float):
                if not math.isfinite(v):
                    return None
                return round(v, digits) if digits is not None else v
            return v

        return {k: clean(v) for k, v in asdict(self).items()}


def voice_profile(y, *, sr, max_formant_hz: float | None = None) -> VoiceProfile:
    """Measure a clip's pitch, timbre, loudness and rhythm.

    The clip is analysed at 16 kHz (resampled if needed). Loudness is measured on
    the original signal.

    Parameters
    ----------
    y : np.ndarray [shape=(n,)]
        Mono waveform.
    sr : int
        Sample rate (Hz).
    max_formant_hz : float or None
        Formant ceiling (Hz); ``None`` chooses 5000 Hz for voices with a median F0
        under 160 Hz and 5500 Hz otherwise (Praat's advice for men and women).

    Returns
    -------
    VoiceProfile

    Examples
    --------
    >>> from toolkit.media import example
    >>> clip = example("vowel_a_150")
    >>> p = voice_profile(clip.y, sr=clip.sr)
    >>> round(p.f0_median_hz), [round(f, -2) for f in p.formants_hz[:2]]
    (151, [700.0, 1200.0])
    """
    y = valid_audio(y, sr=sr)
    lufs = loudness_lufs(y, sr=sr)
    if int(sr) != ANALYSIS_SR_HZ:
        y = resample(y, sr=sr, target_sr=ANALYSIS_SR_HZ)
        sr = ANALYSIS_SR_HZ
    duration = len(y) / sr
    contour = intensity_db(y, sr=sr)
    segs = [] if not np.any(y) else _segments_from_level(contour.times_s, contour.level_db, duration, MIN_PAUSE_S,
                                                         MIN_SPEECH_S, SILENCE_THRESHOLD_DB)
    speech_s = speech_duration_s(segs)
    pauses = _pauses_from_segments(segs)

    # two passes (see estimate_f0): the wide first pass decides which syllable peaks are voiced,
    # the speaker-adapted second pass gives the F0 statistics
    wide = estimate_f0(y, sr=sr, adaptive=False)
    narrowed = speaker_f0_range(wide)
    track = estimate_f0(y, sr=sr, fmin_hz=narrowed[0], fmax_hz=narrowed[1], adaptive=False) if narrowed else wide
    f0_med = f0_median_hz(track)
    nuclei = syllable_nuclei(y, sr=sr, f0_track=wide)
    rate = len(nuclei) / speech_s if speech_s > 0 else 0.0

    if max_formant_hz is None:
        max_formant_hz = 5000.0 if (np.isfinite(f0_med) and f0_med < 160) else 5500.0
    ftrack = estimate_formants(y, sr=sr, max_formant_hz=max_formant_hz)
    voiced_t = track.times_s[track.voiced]
    formants = formant_medians_hz(ftrack, voiced_times_s=voiced_t) if len(voiced_t) else (float("nan"),) * 3

    in_speech = np.zeros(len(track.times_s), dtype=bool)
    for a, b in segs:
        in_speech |= (track.times_s >= a) & (track.times_s < b)
    voiced_fraction = float(np.mean(track.voiced[in_speech])) if in_speech.any() else 0.0

    return VoiceProfile(
        duration_s=float(duration),
        speech_duration_s=float(speech_s),
        f0_median_hz=float(f0_med),
        f0_range_st=float(f0_range_st(track)),
        speaking_rate_syl_per_s=float(rate),
        formants_hz=tuple(float(f) for f in formants),
        spectral_tilt_db_per_oct=float(spectral_tilt(y, sr=sr)) if np.any(y) else float("nan"),
        loudness_lufs=float(lufs),
        pause_count=len(pauses),
        mean_pause_s=float(np.mean([p.duration_s for p in pauses])) if pauses else 0.0,
        hnr_db=float(harmonics_to_noise_db(y, sr=sr)) if np.any(y) else float("nan"),
        voiced_fraction=voiced_fraction,
    )
