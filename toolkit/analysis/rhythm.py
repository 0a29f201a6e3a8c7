"""Rhythm without a transcript: where the speech is, its pauses, and its syllables.

* :func:`speech_segments`: stretches of speech, found by an intensity threshold
  relative to the loudest part of the clip (so it does not depend on the
  recording level), with short gaps bridged and short blips dropped.
* :func:`find_pauses`: silent gaps between speech segments (leading and
  trailing silence is not a pause).
* :func:`syllable_nuclei`: the times of syllable nuclei, after de Jong & Wempe
  (2009), "Praat script to detect syllable nuclei and measure speech rate
  automatically", Behavior Research Methods 41(2), 385-390: peaks of the
  intensity contour that stand above a threshold 25 dB under the loudest part,
  are followed by a dip of at least 2 dB, and are voiced.
* :func:`speaking_rate`: syllable nuclei per second of speech, pauses excluded
  (de Jong & Wempe's "articulation rate").

Taught in ``notebooks/03_prosody.ipynb``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..audio import valid_audio
from ..defaults import MIN_SPEECH_SEGMENT_S
from ..errors import ParameterError
from .loudness import intensity_db

__all__ = ["Pause", "speech_segments", "find_pauses", "syllable_nuclei", "speaking_rate",
           "speech_duration_s", "busiest_window"]

#: Default minimum silent gap that counts as a pause (s). De Jong & Wempe use
#: 0.3 s; the pause literature uses 0.2-0.3 s so that stop closures (< 0.15 s)
#: are not counted.
MIN_PAUSE_S = 0.25
#: Speech shorter than this between two silences is dropped as a click (s):
#: :data:`toolkit.defaults.MIN_SPEECH_SEGMENT_S` (not the speaker encoder's minimum).
MIN_SPEECH_S = MIN_SPEECH_SEGMENT_S
#: Speech threshold relative to the 99th percentile of the intensity contour (dB).
SILENCE_THRESHOLD_DB = -25.0
#: A syllable peak must stand this far above the following dip (dB).
MIN_DIP_DB = 2.0


@dataclass(frozen=True)
class Pause:
    """A silent gap between two stretches of speech."""

    start_s: float
    duration_s: float

    @property
    def end_s(self) -> float:
        """Where the speech resumes (s)."""
        return self.start_s + self.duration_s


def _speech_mask(level_db: np.ndarray, threshold_db: float) -> np.ndarray:
    top = np.percentile(level_db, 99)
    return level_db > top + threshold_db


def _runs(mask: np.ndarray):
    """Start and end (exclusive) indices of runs of True."""
    m = np.concatenate([[False], mask.astype(bool), [False]])
    d = np.diff(m.astype(np.int8))
    return np.flatnonzero(d == 1), np.flatnonzero(d == -1)


def speech_segments(y, *, sr, min_pause_s: float = MIN_PAUSE_S, min_speech_s: float = MIN_SPEECH_S,
                    threshold_db: float = SILENCE_THRESHOLD_DB) -> list[tuple[float, float]]:
    """Stretches of speech as ``(start_s, end_s)`` pairs, in time order.

    Frames (25 ms, 10 ms hop) louder than ``threshold_db`` below the clip's
    99th-percentile level count as sound; gaps shorter than ``min_pause_s`` are
    bridged and sounds shorter than ``min_speech_s`` dropped.

    Parameters
    ----------
    y : np.ndarray [shape=(n,)]
        Mono waveform.
    sr : int
        Sample rate (Hz).
    min_pause_s : float
        Shortest silence that separates two segments (s).
    min_speech_s : float
        Shortest sound kept as speech (s).
    threshold_db : float
        Silence threshold relative to the loud part of the clip (dB, negative).

    Returns
    -------
    list of (float, float)
        Empty for a silent clip.

    Examples
    --------
    >>> import numpy as np
    >>> sr = 16000
    >>> tone = 0.3 * np.sin(2 * np.pi * 200 * np.arange(sr) / sr)
    >>> y = np.concatenate([tone, np.zeros(sr // 2), tone])
    >>> [(round(a, 1), round(b, 1)) for a, b in speech_segments(y, sr=sr)]
    [(0.0, 1.0), (1.5, 2.5)]
    """
    y = valid_audio(y, sr=sr)
    if min_pause_s <= 0:
        raise ParameterError(f"min_pause_s must be positive, got {min_pause_s!r}; pauses are usually 0.2-0.3 s or longer")
    if min_speech_s < 0:
        raise ParameterError(f"min_speech_s must be >= 0, got {min_speech_s!r}")
    if threshold_db >= 0:
        raise ParameterError(f"threshold_db must be negative (dB below the loudest part), got {threshold_db!r}")
    if not np.any(y):
        return []
    contour = intensity_db(y, sr=sr)
    return _segments_from_level(contour.times_s, contour.level_db, len(y) / sr, min_pause_s, min_speech_s, threshold_db)


def _segments_from_level(times, level, total_s, min_pause_s, min_speech_s, threshold_db):
    hop = float(times[1] - times[0]) if len(times) > 1 else total_s
    starts, ends = _runs(_speech_mask(level, threshold_db))
    segs = [[max(0.0, times[s] - hop / 2), min(total_s, times[e - 1] + hop / 2)] for s, e in zip(starts, ends)]
    merged = []
    for seg in segs:  # bridge short gaps
        if merged and seg[0] - merged[-1][1] < min_pause_s:
            merged[-1][1] = seg[1]
        else:
            merged.append(seg)
    return [(float(a), float(b)) for a, b in merged if b - a >= min_speech_s]


def speech_duration_s(segments) -> float:
    """Total time covered by speech segments (s)."""
    return float(sum(b - a for a, b in segments))


def busiest_window(segments, *, total_s: float, max_s: float) -> tuple[float, float]:
    """The stretch of at most ``max_s`` seconds that holds the most speech, cut in pauses where it can be.

    Used to keep the best part of a long upload: the window starts where a speech segment starts and ends
    where one ends (a little silence kept around both), unless one segment alone is longer than ``max_s``.

    Parameters
    ----------
    segments : list of (float, float)
        Speech segments in time order, from :func:`speech_segments`.
    total_s : float
        Length of the clip (s).
    max_s : float
        Longest window (s).

    Returns
    -------
    (start_s, end_s) : (float, float)
        ``(0, min(total_s, max_s))`` when there is no speech.

    Examples
    --------
    >>> busiest_window([(0.0, 2.0), (10.0, 13.0), (13.5, 16.0)], total_s=20.0, max_s=8.0)
    (9.9, 16.1)
    """
    if max_s <= 0:
        raise ParameterError(f"max_s must be positive, got {max_s!r}")
    pad_s = 0.1
    best, best_speech, j, speech = (0.0, min(total_s, max_s)), -1.0, 0, 0.0
    for i, (start, _) in enumerate(segments):
        j = max(j, i)
        if j == i:
            speech = 0.0
        while j < len(segments) and segments[j][1] - start <= max_s:  # grow the window by whole segments
            speech += segments[j][1] - segments[j][0]
            j += 1
        if j == i:  # one segment alone is longer than the window: cut inside it
            window, got = (start, start + max_s), max_s
        else:
            window, got = (start, segments[j - 1][1]), speech
        if got > best_speech + 1e-9:
            best, best_speech = window, got
        if j > i:
            speech -= segments[i][1] - segments[i][0]
    lo = max(0.0, best[0] - pad_s)
    hi = min(total_s, best[1] + pad_s, lo + max_s)
    return round(lo, 3), round(hi, 3)


def find_pauses(y, *, sr, min_pause_s: float = MIN_PAUSE_S, **kwargs) -> list[Pause]:
    """Silent pauses between stretches of speech.

    Parameters
    ----------
    y : np.ndarray [shape=(n,)]
        Mono waveform.
    sr : int
        Sample rate (Hz).
    min_pause_s : float
        Shortest silence that counts (s).
    **kwargs
        Passed to :func:`speech_segments` (``min_speech_s``, ``threshold_db``).

    Returns
    -------
    list of Pause
        Each with ``start_s``, ``duration_s`` (and ``end_s``).

    Examples
    --------
    >>> import numpy as np
    >>> sr = 16000
    >>> tone = 0.3 * np.sin(2 * np.pi * 200 * np.arange(sr) / sr)
    >>> y = np.concatenate([tone, np.zeros(sr // 2), tone])
    >>> [(round(p.start_s, 1), round(p.duration_s, 1)) for p in find_pauses(y, sr=sr)]
    [(1.0, 0.5)]
    """
    segs = speech_segments(y, sr=sr, min_pause_s=min_pause_s, **kwargs)
    return _pauses_from_segments(segs)


def _pauses_from_segments(segs) -> list[Pause]:
    return [Pause(float(a[1]), float(b[0] - a[1])) for a, b in zip(segs[:-1], segs[1:])]


def syllable_nuclei(y, *, sr, threshold_db: float = SILENCE_THRESHOLD_DB, min_dip_db: float = MIN_DIP_DB,
                    f0_track=None) -> np.ndarray:
    """Times of syllable nuclei (s), found without a transcript (de Jong & Wempe 2009).

    1. Intensity contour (Praat, minimum pitch 50 Hz: a smooth envelope).
    2. Candidate peaks: local maxima above ``threshold_db`` under the 99th percentile.
    3. A peak is kept if the contour dips at least ``min_dip_db`` below it before the next peak.
    4. Only voiced peaks count (F0 defined there), which removes fricative bursts.

    Parameters
    ----------
    y : np.ndarray [shape=(n,)]
        Mono waveform.
    sr : int
        Sample rate (Hz).
    threshold_db, min_dip_db : float
        The two thresholds of the method (dB).
    f0_track : F0Track, optional
        A precomputed pitch track (saves time when you already have one).

    Returns
    -------
    np.ndarray [shape=(n_syllables,)]

    Examples
    --------
    >>> sr = 16000
    >>> t = np.arange(2 * sr) / sr
    >>> y = 0.5 * np.sin(2 * np.pi * 150 * t) * np.sin(2 * np.pi * 2 * t) ** 2  # a voiced bump every 0.25 s
    >>> np.round(syllable_nuclei(y, sr=sr), 2)
    array([0.12, 0.38, 0.63, 0.87, 1.13, 1.37, 1.62, 1.88])
    """
    import parselmouth

    from .pitch import estimate_f0

    y = valid_audio(y, sr=sr)
    if threshold_db >= 0:
        raise ParameterError(f"threshold_db must be negative (dB below the loudest part), got {threshold_db!r}")
    if min_dip_db <= 0:
        raise ParameterError(f"min_dip_db must be positive, got {min_dip_db!r}; de Jong & Wempe use 2 dB")
    if not np.any(y) or len(y) < int(0.13 * sr):  # Praat's intensity needs 6.4 periods of 50 Hz
        return np.zeros(0)
    snd = parselmouth.Sound(y.astype(np.float64), sampling_frequency=float(sr))
    inten = snd.to_intensity(minimum_pitch=50.0, subtract_mean=False)
    level = inten.values[0].astype(np.float64)
    times = np.asarray(inten.xs(), dtype=np.float64)
    if len(level) < 3:
        return np.zeros(0)
    thresh = np.percentile(level, 99) + threshold_db
    # local maxima above the threshold (plateaus: first sample)
    inner = (level[1:-1] > level[:-2]) & (level[1:-1] >= level[2:]) & (level[1:-1] > thresh)
    peaks = np.flatnonzero(inner) + 1
    # end of the clip acts as the "next peak" for the last candidate
    keep = []
    bounds = np.append(peaks, len(level) - 1)
    for i, p in enumerate(peaks):
        dip = level[p:bounds[i + 1] + 1].min()
        if level[p] - dip > min_dip_db:
            keep.append(p)
    if not keep:
        return np.zeros(0)
    cand_t = times[np.array(keep)]
    track = f0_track if f0_track is not None else estimate_f0(y, sr=sr, adaptive=False)  # wide range: any voicing
    if len(track.times_s) == 0:
        return np.zeros(0)
    idx = np.clip(np.searchsorted(track.times_s, cand_t), 0, len(track.times_s) - 1)
    idx_prev = np.clip(idx - 1, 0, len(track.times_s) - 1)
    nearest = np.where(np.abs(track.times_s[idx_prev] - cand_t) < np.abs(track.times_s[idx] - cand_t), idx_prev, idx)
    voiced = track.voiced[nearest]
    return cand_t[voiced]


def speaking_rate(y, *, sr, f0_track=None) -> float:
    """Syllables per second of speech (pauses excluded), without a transcript.

    Syllable nuclei (:func:`syllable_nuclei`) divided by the time covered by
    :func:`speech_segments`. Conversational English runs at about 4-6
    syllables/s by this measure (articulation rate); read speech a little slower.

    Returns ``0.0`` when there is no speech.

    Examples
    --------
    >>> sr = 16000
    >>> t = np.arange(2 * sr) / sr
    >>> y = 0.5 * np.sin(2 * np.pi * 150 * t) * np.sin(2 * np.pi * 2 * t) ** 2  # four syllables a second
    >>> round(speaking_rate(y, sr=sr), 1)
    4.1
    """
    y = valid_audio(y, sr=sr)
    speech_s = speech_duration_s(speech_segments(y, sr=sr))
    if speech_s <= 0:
        return 0.0
    return float(len(syllable_nuclei(y, sr=sr, f0_track=f0_track)) / speech_s)
