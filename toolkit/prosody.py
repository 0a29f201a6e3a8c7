"""Change a clip's prosody and hear the result: pitch level and range, tempo, pauses.

How
---
The WORLD vocoder (Morise, Yokomori & Ozawa 2016, "WORLD: a vocoder-based
high-quality speech synthesis system for real-time applications", IEICE Trans.
E99-D(7)) splits speech into three streams on a 5 ms frame grid, through
``pyworld``:

* F0 (here from Praat's tracker, :func:`toolkit.analysis.estimate_f0`, which is
  faster than WORLD's Harvest and agrees with what the notebooks plot);
* the spectral envelope (CheapTrick): the vocal tract, i.e. timbre and formants;
* the aperiodicity (D4C): how breathy or noisy each band is.

Prosody lives almost entirely in the first stream and in the timing of the
frames, timbre in the second. So we edit F0 (shift, scale around the speaker's
median in the log domain, flatten, bend the end into a question's rise) and
re-time the frames (tempo, pause lengths, inserted pauses), leave the envelope alone, and resynthesise. Unlike
resampling, pitch and tempo change independently and formants stay put.

:func:`world_analyze` is the slow half (about 0.5 s for 7 s of speech);
:func:`world_synthesize` the fast half, so the widgets analyse once and
resynthesise on every slider move.

Taught in ``notebooks/03_prosody.ipynb``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from .audio import valid_audio
from .defaults import F0_MAX_HZ, F0_MIN_HZ, WORLD_FRAME_PERIOD_MS
from .errors import ParameterError

__all__ = ["WorldAnalysis", "ProsodyResult", "world_analyze", "world_synthesize", "modify_prosody",
           "shift_pitch", "scale_pitch_range", "flatten_pitch", "change_tempo", "lengthen_pauses", "insert_pauses"]

#: WORLD frame period (ms).
FRAME_PERIOD_MS = WORLD_FRAME_PERIOD_MS
#: F0 trackers :func:`world_analyze` can use.
F0_TRACKERS = ("praat", "dio")


def _pyworld():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyworld imports the deprecated pkg_resources
        import pyworld
    return pyworld


@dataclass(frozen=True)
class WorldAnalysis:
    """A clip decomposed by WORLD.

    Attributes
    ----------
    f0_hz : np.ndarray [shape=(n_frames,)]
        F0 per frame, 0 where unvoiced.
    sp : np.ndarray [shape=(n_frames, n_fft // 2 + 1)]
        Spectral envelope (power).
    ap : np.ndarray [shape=(n_frames, n_fft // 2 + 1)]
        Band aperiodicity (0-1).
    pause_mask : np.ndarray of bool [shape=(n_frames,)]
        Frames inside a pause (:func:`toolkit.analysis.find_pauses`; all ``False`` when not looked for).
    sr : int
    frame_period_ms : float
    n_samples : int or None
        Length of the analysed clip (samples).
    """

    f0_hz: np.ndarray
    sp: np.ndarray
    ap: np.ndarray
    pause_mask: np.ndarray
    sr: int
    frame_period_ms: float = FRAME_PERIOD_MS
    n_samples: int | None = None

    @property
    def times_s(self) -> np.ndarray:
        """Frame times (s)."""
        return np.arange(len(self.f0_hz)) * self.frame_period_ms / 1000.0

    @property
    def median_f0_hz(self) -> float:
        """Median F0 of voiced frames (Hz), ``nan`` if none."""
        v = self.f0_hz[self.f0_hz > 0]
        return float(np.median(v)) if len(v) else float("nan")


@dataclass(frozen=True)
class ProsodyResult:
    """Modified audio with the F0 contour it was given.

    Attributes
    ----------
    y : np.ndarray [shape=(n,)], float32
    sr : int
    times_s, f0_hz : np.ndarray
        The target F0 contour on the output's time axis (``nan`` where unvoiced).
    """

    y: np.ndarray
    sr: int
    times_s: np.ndarray
    f0_hz: np.ndarray

    @property
    def duration_s(self) -> float:
        return len(self.y) / float(self.sr)


def world_analyze(y, *, sr, fmin_hz: float = F0_MIN_HZ, fmax_hz: float = F0_MAX_HZ, f0_tracker: str = "praat",
                  pauses: bool = True) -> WorldAnalysis:
    """Decompose ``y`` into F0, spectral envelope and aperiodicity (the slow step).

    The one WORLD analysis of the lab: the prosody tools and the cloning engine's shaping stage
    (:func:`toolkit.clone.shape.world_analyze`) both call it.

    Parameters
    ----------
    y : np.ndarray
    sr : int
    fmin_hz, fmax_hz : float
        F0 search range.
    f0_tracker : {"praat", "dio"}
        ``"praat"``: Praat's autocorrelation tracker (what the notebooks plot); ``"dio"``: WORLD's own DIO
        (faster, used for shaping). Both are refined by StoneMask.
    pauses : bool
        Also mark the frames inside pauses (``pause_mask``; needed to lengthen pauses).

    Examples
    --------
    >>> from toolkit.media import example
    >>> clip = example("vowel_a_150")
    >>> w = world_analyze(clip.y, sr=clip.sr)
    >>> round(w.median_f0_hz)  # 16000 / 106 samples between pulses
    151
    """
    from .analysis.pitch import estimate_f0

    pw = _pyworld()
    y = valid_audio(y, sr=sr)
    if len(y) < int(0.05 * sr):
        raise ParameterError(f"clip is {len(y) / sr * 1000:.0f} ms long; prosody needs at least 50 ms of audio")
    if f0_tracker not in F0_TRACKERS:
        raise ParameterError(f"f0_tracker must be one of {', '.join(F0_TRACKERS)}, got {f0_tracker!r}")
    x = y.astype(np.float64)
    if f0_tracker == "dio":
        f0, t = pw.dio(x, int(sr), f0_floor=fmin_hz, f0_ceil=fmax_hz, frame_period=FRAME_PERIOD_MS)
        return _finish(pw, y, x, pw.stonemask(x, f0, t, int(sr)), t, sr, pauses)
    n_frames = len(x) * 1000 // int(sr * FRAME_PERIOD_MS) + 1
    t = np.arange(n_frames) * FRAME_PERIOD_MS / 1000.0
    track = estimate_f0(y, sr=sr, fmin_hz=fmin_hz, fmax_hz=fmax_hz)
    f0_src = np.nan_to_num(track.f0_hz, nan=0.0)
    # nearest Praat frame for voicing, linear interpolation for the value
    idx = np.clip(np.round((t - track.times_s[0]) / max(track.times_s[1] - track.times_s[0], 1e-9)
                           if len(track.times_s) > 1 else np.zeros_like(t)).astype(int), 0, len(f0_src) - 1)
    voiced = f0_src[idx] > 0
    vt, vf = track.times_s[track.voiced], track.voiced_f0_hz
    f0 = np.where(voiced, np.interp(t, vt, vf) if len(vt) else 0.0, 0.0)
    if np.any(f0 > 0):
        f0 = pw.stonemask(x, f0, t, int(sr))  # refine each voiced frame's F0 on WORLD's grid
    return _finish(pw, y, x, f0, t, sr, pauses)


def _finish(pw, y, x, f0, t, sr, pauses: bool) -> WorldAnalysis:
    """Envelope (CheapTrick), aperiodicity (D4C) and the pause mask for an F0 track on WORLD's frame grid."""
    from .analysis.rhythm import find_pauses

    sp = pw.cheaptrick(x, f0, t, int(sr))
    ap = pw.d4c(x, f0, t, int(sr))
    mask = np.zeros(len(t), dtype=bool)
    for p in (find_pauses(y, sr=sr) if pauses else ()):
        mask |= (t >= p.start_s) & (t < p.end_s)
    return WorldAnalysis(f0, sp, ap, mask, int(sr), FRAME_PERIOD_MS, len(x))


def _retime(w: WorldAnalysis, tempo: float, pause_scale: float):
    """Frame-wise re-timing: source frame position for each output frame."""
    n = len(w.f0_hz)
    dur = np.full(n, 1.0 / tempo)
    dur[w.pause_mask] *= pause_scale
    start = np.concatenate([[0.0], np.cumsum(dur)[:-1]])
    n_out = max(1, int(round(dur.sum())))
    return np.interp(np.arange(n_out), start, np.arange(n, dtype=np.float64))


def _frames_at(w: WorldAnalysis, f0: np.ndarray, pos: np.ndarray):
    """Sample the streams at fractional frame positions (nearest voicing, linear values)."""
    n = len(f0)
    lo = np.clip(np.floor(pos).astype(int), 0, n - 1)
    hi = np.clip(lo + 1, 0, n - 1)
    frac = (pos - lo)[:, None]
    sp = w.sp[lo] * (1 - frac) + w.sp[hi] * frac
    ap = w.ap[lo] * (1 - frac) + w.ap[hi] * frac
    near = np.clip(np.round(pos).astype(int), 0, n - 1)
    both = (f0[lo] > 0) & (f0[hi] > 0)
    f0_out = np.where(both, f0[lo] * (1 - frac[:, 0]) + f0[hi] * frac[:, 0], np.where(f0[near] > 0, f0[near], 0.0))
    return f0_out, sp, ap


def world_synthesize(w: WorldAnalysis, *, pitch_shift_st: float = 0.0, range_scale: float = 1.0, tempo: float = 1.0,
                     pause_scale: float = 1.0, insert_pauses_at_s=(), inserted_pause_s: float = 0.5,
                     final_rise_st: float = 0.0, final_rise_s: float = 0.5) -> ProsodyResult:
    """Resynthesise a :class:`WorldAnalysis` with new prosody (the fast step).

    Parameters
    ----------
    w : WorldAnalysis
        From :func:`world_analyze`.
    pitch_shift_st : float
        Raise (+) or lower (-) the whole F0 contour by this many semitones.
    range_scale : float
        Scale F0 excursions around the median, in semitones: 1 keeps them, 2
        doubles them (more animated), 0 flattens to a monotone.
    tempo : float
        Speed factor: 1.5 is 50 % faster, 0.75 slower; pitch is kept.
    pause_scale : float
        Multiply the length of existing pauses (after the tempo change).
    insert_pauses_at_s : sequence of float
        Times in the original clip (s) where a silent pause is inserted.
    inserted_pause_s : float
        Length of each inserted pause (s).
    final_rise_st : float
        Bend the end of the contour: F0 rises linearly by this many semitones over
        the last ``final_rise_s`` seconds of voicing (a question-like rise), or falls
        for a negative value (a more final-sounding statement).
    final_rise_s : float
        Length of that terminal stretch (s).

    Returns
    -------
    ProsodyResult
    """
    if not isinstance(w, WorldAnalysis):
        raise ParameterError("world_synthesize needs a WorldAnalysis from toolkit.prosody.world_analyze")
    if not np.isfinite(pitch_shift_st) or abs(pitch_shift_st) > 24:
        raise ParameterError(f"pitch_shift_st must be within ±24 semitones, got {pitch_shift_st!r}")
    if not (0 <= range_scale <= 4):
        raise ParameterError(f"range_scale must be between 0 (monotone) and 4, got {range_scale!r}")
    if not (0.25 <= tempo <= 4):
        raise ParameterError(f"tempo must be between 0.25 and 4 (1 = unchanged), got {tempo!r}")
    if not (0 <= pause_scale <= 10):
        raise ParameterError(f"pause_scale must be between 0 and 10 (1 = unchanged), got {pause_scale!r}")
    if not np.isfinite(final_rise_st) or abs(final_rise_st) > 24:
        raise ParameterError(f"final_rise_st must be within ±24 semitones, got {final_rise_st!r}")
    if not (0.05 <= final_rise_s <= 5):
        raise ParameterError(f"final_rise_s must be between 0.05 and 5 s, got {final_rise_s!r}")
    if inserted_pause_s < 0 or inserted_pause_s > 10:
        raise ParameterError(f"inserted_pause_s must be between 0 and 10 s, got {inserted_pause_s!r}")
    fp_s = w.frame_period_ms / 1000.0
    total_s = len(w.f0_hz) * fp_s
    at = sorted(float(a) for a in insert_pauses_at_s)
    if any(a < 0 or a > total_s for a in at):
        raise ParameterError(f"insert_pauses_at_s must lie within the clip (0-{total_s:.2f} s), got {at}")
    pw = _pyworld()

    f0 = w.f0_hz.astype(np.float64).copy()
    v = f0 > 0
    if v.any():
        med = np.median(f0[v])
        f0[v] = med * (f0[v] / med) ** range_scale * 2.0 ** (pitch_shift_st / 12.0)
        if final_rise_st:
            t = w.times_s
            t_end = t[v][-1]
            ramp = np.clip((t - (t_end - final_rise_s)) / final_rise_s, 0.0, 1.0)
            f0[v] *= 2.0 ** (final_rise_st * ramp[v] / 12.0)
        f0[v] = np.clip(f0[v], 30.0, w.sr / 4)

    pos = _retime(w, tempo, pause_scale)
    f0_o, sp_o, ap_o = _frames_at(w, f0, pos)
    if at and inserted_pause_s > 0:
        quiet = w.sp[w.pause_mask] if w.pause_mask.any() else w.sp.min(axis=0, keepdims=True) * 1e-3
        sil_sp = np.median(quiet, axis=0)
        n_sil = int(round(inserted_pause_s / fp_s))
        cut = np.searchsorted(pos, np.array(at) / fp_s)
        pieces, last = [], 0
        for c in cut:  # speech up to the cut, then a pause filled with the clip's own background
            pieces.append((f0_o[last:c], sp_o[last:c], ap_o[last:c]))
            pieces.append((np.zeros(n_sil), np.repeat(sil_sp[None, :], n_sil, axis=0), np.ones((n_sil, w.ap.shape[1]))))
            last = c
        pieces.append((f0_o[last:], sp_o[last:], ap_o[last:]))
        f0_o, sp_o, ap_o = (np.concatenate([p[k] for p in pieces]) for k in range(3))
    y = pw.synthesize(np.ascontiguousarray(f0_o), np.ascontiguousarray(sp_o), np.ascontiguousarray(ap_o),
                      int(w.sr), float(w.frame_period_ms))
    peak = np.max(np.abs(y)) if len(y) else 0.0
    if peak > 0.99:
        y = y * (0.99 / peak)
    times = np.arange(len(f0_o)) * fp_s
    return ProsodyResult(y.astype(np.float32), int(w.sr), times, np.where(f0_o > 0, f0_o, np.nan))


def modify_prosody(y, *, sr, pitch_shift_st: float = 0.0, range_scale: float = 1.0, tempo: float = 1.0,
                   pause_scale: float = 1.0, insert_pauses_at_s=(), inserted_pause_s: float = 0.5,
                   final_rise_st: float = 0.0, final_rise_s: float = 0.5) -> ProsodyResult:
    """Analyse ``y`` with WORLD and resynthesise it with new prosody (see :func:`world_synthesize`).

    Examples
    --------
    >>> from toolkit.media import example
    >>> clip = example("vowel_a_150")
    >>> out = modify_prosody(clip.y, sr=clip.sr, pitch_shift_st=12, tempo=2.0)
    >>> round(out.duration_s, 1), round(float(np.nanmedian(out.f0_hz)))
    (1.0, 302)
    """
    w = world_analyze(y, sr=sr)
    return world_synthesize(w, pitch_shift_st=pitch_shift_st, range_scale=range_scale, tempo=tempo,
                            pause_scale=pause_scale, insert_pauses_at_s=insert_pauses_at_s,
                            inserted_pause_s=inserted_pause_s, final_rise_st=final_rise_st,
                            final_rise_s=final_rise_s)


def shift_pitch(y, *, sr, semitones: float) -> np.ndarray:
    """Raise or lower the pitch by ``semitones`` without changing tempo or formants."""
    return modify_prosody(y, sr=sr, pitch_shift_st=semitones).y


def scale_pitch_range(y, *, sr, factor: float) -> np.ndarray:
    """Scale intonation around the median: ``factor`` 2 exaggerates, 0.5 halves, 0 flattens."""
    return modify_prosody(y, sr=sr, range_scale=factor).y


def flatten_pitch(y, *, sr) -> np.ndarray:
    """A monotone version of ``y``: every voiced frame at the speaker's median F0."""
    return modify_prosody(y, sr=sr, range_scale=0.0).y


def change_tempo(y, *, sr, rate: float) -> np.ndarray:
    """Speak faster (``rate`` > 1) or slower (< 1) at the same pitch."""
    return modify_prosody(y, sr=sr, tempo=rate).y


def lengthen_pauses(y, *, sr, factor: float) -> np.ndarray:
    """Multiply the length of every pause by ``factor`` (speech untouched)."""
    return modify_prosody(y, sr=sr, pause_scale=factor).y


def insert_pauses(y, *, sr, at_s, pause_s: float = 0.5) -> np.ndarray:
    """Insert a silent pause of ``pause_s`` seconds at each time in ``at_s`` (s, original time axis)."""
    return modify_prosody(y, sr=sr, insert_pauses_at_s=at_s, inserted_pause_s=pause_s).y
