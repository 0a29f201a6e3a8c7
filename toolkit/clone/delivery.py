""""Say it like me": put the learner's own timing and melody on the clone of the sentence they recorded.

A clone gets the voice but not the delivery: Kokoro decides where to linger and where the pitch
goes. When the reference recording says the very sentence the clone says, the learner's delivery
can be copied over, frame by frame:

1. **Align** the clone with the reference by dynamic time warping (DTW; Sakoe & Chiba 1978,
   "Dynamic programming algorithm optimization for spoken word recognition", IEEE Trans. ASSP 26(1))
   on MFCCs (13 coefficients of the log-mel spectrum, :func:`toolkit.analysis.mel_spectrogram_db`,
   without the level coefficient, mean- and variance-normalised per clip so two voices compare).
   The path says which clone frame is being said at each moment of the reference.
2. **Re-time** the clone's WORLD frames (:func:`toolkit.prosody.world_analyze`) along that path: the
   clone now takes the reference's durations, pauses included.
3. **Re-pitch**: the reference's F0 contour in semitones around its median, re-centred on the clone's
   own median F0, replaces the clone's contour (where the clone is voiced), so the melody is the
   learner's and the pitch level stays the clone's; then :func:`toolkit.prosody.world_synthesize`.

When the two clearly say different things, the alignment is poor (a high mean step cost) or the
durations are far apart: :func:`transfer_delivery` then refuses with one line instead of making
garbage. Everything here is numpy (and pyworld / Praat through the prosody and pitch modules):
no librosa or numba, so the app can use it.

Taught in ``notebooks/06_expressive_and_cross_lingual.ipynb``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..audio import resample, valid_audio
from ..defaults import ANALYSIS_SR_HZ, F0_MAX_HZ, F0_MIN_HZ, HOP_LENGTH, N_FFT, WIN_LENGTH
from ..errors import ParameterError

__all__ = ["DeliveryTransfer", "transfer_delivery", "transfer_scores", "dtw_path", "mfcc_features", "pitch_correlation",
           "MAX_ALIGN_COST", "MAX_DURATION_RATIO"]

#: Feature frame step of the alignment (s): the speech front end's 10 ms hop.
FRAME_S = HOP_LENGTH / ANALYSIS_SR_HZ
#: Alignment cost (the path's mean cosine distance over that of the best path to the reference played backwards:
#: the same sounds in the wrong order, so about 1 when the two do not share a sentence) above which the two clips
#: are taken to say different things. Measured on 6 real English recordings against two Kokoro voices speaking
#: each transcript (docs/benchmarks.md, "Say it like me"): the same sentence aligned at 0.64-0.84, another
#: clip's sentence at 0.87-1.05. A thin margin at the top (a female voice on a male reader): a clearly different
#: text is caught, a sentence that differs by a word or two is not.
MAX_ALIGN_COST = 0.85
#: Speech durations further apart than this factor cannot be the same sentence said naturally.
MAX_DURATION_RATIO = 2.5
#: Longest speech either clip may hold (s): the alignment matrix grows with the product of the lengths.
MAX_ALIGN_S = 40.0
#: Sakoe-Chiba band: the path stays within this fraction of the clips' lengths of the diagonal.
BAND = 0.3
_N_MFCC = 13
_MARGIN_S = 0.05


@dataclass(frozen=True)
class DeliveryTransfer:
    """The clone with the reference's delivery, and what was aligned and imposed.

    Attributes
    ----------
    y : np.ndarray [shape=(n,)], float32
        The clone re-timed and re-pitched, at ``sr``.
    sr : int
    path : np.ndarray of int [shape=(k, 2)]
        DTW path: ``(clone frame, reference frame)`` pairs, frames of :data:`FRAME_S` from each clip's
        speech start.
    cost : float
        Alignment cost: the path's mean distance over that of the best path to the reference played backwards
        (about 1 when the clips share no sentence; see :data:`MAX_ALIGN_COST`).
    times_s : np.ndarray
        Time axis of the contours below: the output's, which is the reference's speech span (s).
    reference_f0_hz : np.ndarray
        The reference's F0 on ``times_s`` (``nan`` where unvoiced).
    warped_f0_hz : np.ndarray
        The clone's own F0 re-timed along the path, before its contour was replaced.
    target_f0_hz : np.ndarray
        The F0 given to the output (``nan`` where the clone is unvoiced).
    clone_times_s, clone_f0_hz : np.ndarray
        The clone's F0 as it was, on its own time axis (from its speech start).
    clone_median_f0_hz, reference_median_f0_hz : float
    clone_speech_s, reference_speech_s : float
        Length of each clip's speech span (first to last sound, s); the output is as long as the reference's.
    """

    y: np.ndarray = field(repr=False)
    sr: int
    path: np.ndarray = field(repr=False)
    cost: float
    times_s: np.ndarray = field(repr=False)
    reference_f0_hz: np.ndarray = field(repr=False)
    warped_f0_hz: np.ndarray = field(repr=False)
    target_f0_hz: np.ndarray = field(repr=False)
    clone_times_s: np.ndarray = field(repr=False)
    clone_f0_hz: np.ndarray = field(repr=False)
    clone_median_f0_hz: float
    reference_median_f0_hz: float
    clone_speech_s: float
    reference_speech_s: float

    @property
    def duration_s(self) -> float:
        return len(self.y) / float(self.sr)


def mfcc_features(y, *, sr) -> np.ndarray:
    """MFCCs 1-13 per 10 ms frame, less their mean over the clip (cepstral mean normalisation).

    Returns
    -------
    np.ndarray [shape=(n_frames, 13)]

    Examples
    --------
    >>> from toolkit.media import example
    >>> clip = example("vowel_a_150")
    >>> mfcc_features(clip.y, sr=clip.sr).shape
    (201, 13)
    """
    from scipy.fft import dct

    from ..analysis.spectrum import mel_spectrogram_db

    y16 = resample(valid_audio(y, sr=sr), sr=sr, target_sr=ANALYSIS_SR_HZ)
    S = mel_spectrogram_db(y16, sr=ANALYSIS_SR_HZ, n_fft=N_FFT, hop_length=HOP_LENGTH, win_length=WIN_LENGTH,
                           n_mels=40, fmin_hz=60.0, fmax_hz=7600.0, top_db=60.0).S_db
    c = dct(S, axis=0, norm="ortho")[1:_N_MFCC + 1].T
    return c - c.mean(axis=0)


def dtw_path(C, *, band: float | None = BAND):
    """Cheapest monotonic path through a cost matrix (symmetric steps: a diagonal step counts twice).

    Computed one anti-diagonal at a time in numpy (every cell of a diagonal depends only on the two
    before it), then traced back.

    Parameters
    ----------
    C : np.ndarray [shape=(n, m)]
        Local cost of matching frame ``i`` of one clip with frame ``j`` of the other.
    band : float or None
        Keep the path within this fraction of the lengths of the diagonal (Sakoe-Chiba band).

    Returns
    -------
    path : np.ndarray of int [shape=(k, 2)]
        ``(i, j)`` pairs from ``(0, 0)`` to ``(n - 1, m - 1)``.
    cost : float
        Total cost over ``n + m`` (the mean step cost).

    Examples
    --------
    >>> a = np.array([0.0, 1.0, 2.0, 2.0, 3.0])
    >>> b = np.array([0.0, 1.0, 2.0, 3.0])
    >>> path, cost = dtw_path(np.abs(a[:, None] - b[None, :]), band=None)
    >>> path.tolist(), cost
    ([[0, 0], [1, 1], [2, 2], [3, 2], [4, 3]], 0.0)
    """
    C = np.asarray(C, np.float64)
    if C.ndim != 2 or min(C.shape) < 1:
        raise ParameterError(f"dtw_path needs a 2-D cost matrix, got shape {C.shape}")
    n, m = C.shape
    if band is not None:
        C = np.where(_in_band(n, m, band), C, np.inf)
    D = np.full((n + 1, m + 1), np.inf)
    D[0, 0] = 0.0
    for d in range(2, n + m + 1):  # 1-based cells with i + j = d
        i = np.arange(max(1, d - m), min(n, d - 1) + 1)
        j = d - i
        c = C[i - 1, j - 1]
        D[i, j] = np.minimum(D[i - 1, j - 1] + 2 * c, np.minimum(D[i - 1, j], D[i, j - 1]) + c)
    if not np.isfinite(D[n, m]):
        raise ParameterError("no alignment within the band: the two clips are too different in length")
    i, j, path = n, m, [(n - 1, m - 1)]
    while (i, j) != (1, 1):
        c = C[i - 1, j - 1]
        steps = ((D[i - 1, j - 1] + 2 * c, i - 1, j - 1), (D[i - 1, j] + c, i - 1, j), (D[i, j - 1] + c, i, j - 1))
        _, i, j = min(steps, key=lambda s: s[0])
        path.append((i - 1, j - 1))
    return np.array(path[::-1], dtype=int), float(D[n, m] / (n + m))


def _in_band(n, m, band=BAND):
    ii, jj = np.meshgrid(np.arange(n) / max(n - 1, 1), np.arange(m) / max(m - 1, 1), indexing="ij")
    return np.abs(ii - jj) <= band


def _speech_span(y, sr):
    """(start_s, end_s) from the first to the last stretch of speech, with a short margin."""
    from ..analysis.rhythm import speech_segments

    segs = speech_segments(y, sr=sr)
    if not segs:
        return None
    return max(0.0, segs[0][0] - _MARGIN_S), min(len(y) / sr, segs[-1][1] + _MARGIN_S)


def _semitones_filled(f0_hz, median_hz):
    """F0 in semitones re ``median_hz``, unvoiced gaps filled by linear interpolation (ends held), lightly
    median-filtered (5 frames) against single-frame octave errors."""
    st = 12 * np.log2(np.where(f0_hz > 0, f0_hz, np.nan) / median_hz)
    ok = np.isfinite(st)
    if not ok.any():
        return np.zeros_like(st)
    x = np.arange(len(st))
    st = np.interp(x, x[ok], st[ok])
    pad = np.pad(st, 2, mode="edge")
    return np.median(np.lib.stride_tricks.sliding_window_view(pad, 5), axis=1)


def pitch_correlation(f0_a_hz, f0_b_hz) -> float:
    """Rank (Spearman) correlation of two F0 contours on the same time axis, over frames voiced in both.

    Ranks, so that the odd octave error of a pitch tracker does not decide the answer; ``nan`` when fewer
    than 10 frames are voiced in both.

    Examples
    --------
    >>> f = 100 * 2 ** (np.sin(np.linspace(0, 6, 200)) / 12)
    >>> round(pitch_correlation(f, 2 * f), 3), round(pitch_correlation(f, f[::-1]), 3)
    (1.0, -0.953)
    """
    a, b = np.asarray(f0_a_hz, np.float64), np.asarray(f0_b_hz, np.float64)
    n = min(len(a), len(b))
    a, b = a[:n], b[:n]
    ok = np.isfinite(a) & np.isfinite(b) & (a > 0) & (b > 0)
    if ok.sum() < 10:
        return float("nan")
    ra, rb = np.argsort(np.argsort(a[ok])), np.argsort(np.argsort(b[ok]))
    return float(np.corrcoef(ra, rb)[0, 1])


def transfer_delivery(clone_y, *, sr, reference_y, reference_sr, strength: float = 1.0, timing: bool = True,
                      max_cost: float = MAX_ALIGN_COST) -> DeliveryTransfer:
    """Give the clone the reference's timing and melody (the reference must say the same sentence).

    Parameters
    ----------
    clone_y : np.ndarray
        The clone saying the sentence.
    sr : int
        Its sample rate (Hz).
    reference_y : np.ndarray
        The learner saying the same sentence.
    reference_sr : int
    strength : float
        How much of the reference's contour shape to take (0 = the clone's own, re-timed; 1 = the reference's).
    timing : bool
        Take the reference's durations; ``False`` keeps the clone's timing and only moves its pitch (the
        reference's contour read along the path).
    max_cost : float
        Refuse alignments whose cost is above this (:data:`MAX_ALIGN_COST`).

    Returns
    -------
    DeliveryTransfer

    Raises
    ------
    toolkit.errors.ParameterError
        When either clip has no speech, is too long, or the two do not seem to say the same thing.

    Examples
    --------
    >>> from toolkit.media import example
    >>> from toolkit.prosody import modify_prosody
    >>> ref = example("ref_good")
    >>> slow = modify_prosody(ref.y, sr=ref.sr, tempo=0.8, range_scale=0.0)   # slower and monotone
    >>> out = transfer_delivery(slow.y, sr=slow.sr, reference_y=ref.y, reference_sr=ref.sr)
    >>> bool(abs(out.duration_s - out.reference_speech_s) < 0.05), bool(out.cost < MAX_ALIGN_COST)
    (True, True)
    """
    from ..analysis.pitch import estimate_f0
    from ..prosody import WorldAnalysis, _frames_at, world_analyze, world_synthesize

    clone_y = valid_audio(clone_y, sr=sr, name="clone_y")
    reference_y = valid_audio(reference_y, sr=reference_sr, name="reference_y")
    if not (0.0 <= strength <= 1.0):
        raise ParameterError(f"strength must be between 0 (the clone's melody) and 1 (the reference's), got {strength!r}")
    spans = {}
    for name, y, r in (("the clone", clone_y, sr), ("the reference", reference_y, reference_sr)):
        span = _speech_span(y, r)
        if span is None or span[1] - span[0] < 0.3:
            raise ParameterError(f"{name} holds no speech to align; record or clone a spoken sentence")
        if span[1] - span[0] > MAX_ALIGN_S:
            raise ParameterError(f"{name} holds {span[1] - span[0]:.0f} s of speech; 'say it like me' aligns up to "
                                 f"{MAX_ALIGN_S:.0f} s, use one or two sentences")
        spans[name] = span
    (c0, c1), (r0, r1) = spans["the clone"], spans["the reference"]
    ratio = (r1 - r0) / (c1 - c0)
    if not (1 / MAX_DURATION_RATIO <= ratio <= MAX_DURATION_RATIO):
        raise ParameterError(f"the recording's speech lasts {r1 - r0:.1f} s and the clone's {c1 - c0:.1f} s: they "
                             "cannot be the same sentence; record yourself saying exactly the text, or turn "
                             "'say it like me' off")
    clone_seg = clone_y[int(c0 * sr):int(c1 * sr)]
    ref_seg = reference_y[int(r0 * reference_sr):int(r1 * reference_sr)]

    # 1. align
    A, B = mfcc_features(clone_seg, sr=sr), mfcc_features(ref_seg, sr=reference_sr)
    A = A / (np.linalg.norm(A, axis=1, keepdims=True) + 1e-9)
    B = B / (np.linalg.norm(B, axis=1, keepdims=True) + 1e-9)
    C = 1.0 - A @ B.T  # cosine distance
    path, cost = dtw_path(C)
    # against the best alignment with the reference played backwards: the same sounds in the wrong order, so
    # the same voices and room but no shared sentence; a clip saying the same sentence aligns much better
    cost = cost / dtw_path(C[:, ::-1])[1]
    if cost > max_cost:
        raise ParameterError(f"the recording does not seem to say the clone's text (alignment cost {cost:.2f} > "
                             f"{max_cost:.2f}); record yourself saying exactly the text, or turn 'say it like me' off")

    # clone frame position (in feature frames) for each reference frame: mean over the path, smoothed, monotonic
    n_ref = B.shape[0]
    pos = np.bincount(path[:, 1], weights=path[:, 0], minlength=n_ref) / np.bincount(path[:, 1], minlength=n_ref)
    pos = np.convolve(np.pad(pos, 2, mode="edge"), np.ones(5) / 5, mode="valid")
    pos = np.maximum.accumulate(pos)

    # 2. WORLD frames of the clone, read along the path
    w = world_analyze(clone_seg, sr=sr, pauses=False)
    fp_s = w.frame_period_ms / 1000.0
    ref_times = np.arange(int(round((r1 - r0) / fp_s))) * fp_s
    if timing:
        clone_pos_s = np.interp(ref_times / FRAME_S, np.arange(n_ref), pos) * FRAME_S
        out_times = ref_times
    else:  # keep the clone's frames; read the reference at the matching moments instead
        out_times = np.arange(len(w.f0_hz)) * fp_s
        clone_pos_s = out_times
    world_pos = np.clip(clone_pos_s / fp_s, 0, len(w.f0_hz) - 1)
    f0_o, sp_o, ap_o = _frames_at(w, w.f0_hz, world_pos)

    # 3. the reference's contour shape on the clone's median
    track = estimate_f0(ref_seg, sr=reference_sr, fmin_hz=F0_MIN_HZ, fmax_hz=F0_MAX_HZ, hop_s=fp_s)
    v = np.isfinite(track.f0_hz)
    ref_voiced = np.interp(ref_times, track.times_s, v.astype(float)) > 0.5
    ref_f0 = np.where(ref_voiced, np.interp(ref_times, track.times_s[v], track.f0_hz[v]) if v.any() else 0.0, 0.0)
    if not (ref_f0 > 0).sum() >= 10:
        raise ParameterError("the recording has too little voiced speech to read a melody from; "
                             "speak the sentence aloud (not whispered)")
    ref_median = float(np.median(ref_f0[ref_f0 > 0]))
    clone_median = w.median_f0_hz
    if not np.isfinite(clone_median):
        raise ParameterError("the clone has no voiced speech to re-pitch")
    st_ref = _semitones_filled(ref_f0, ref_median)
    if not timing:  # the reference's contour at the reference moment matched to each clone frame
        inv = np.interp(out_times / FRAME_S, pos, np.arange(n_ref)) * FRAME_S
        st_ref = np.interp(inv, ref_times, st_ref)
    st_clone = _semitones_filled(f0_o, clone_median)
    voiced = f0_o > 0
    target = np.where(voiced, clone_median * 2.0 ** ((strength * st_ref + (1 - strength) * st_clone) / 12.0), 0.0)
    target = np.where(voiced, np.clip(target, F0_MIN_HZ * 0.8, F0_MAX_HZ * 1.2), 0.0)
    res = world_synthesize(WorldAnalysis(target, sp_o, ap_o, np.zeros(len(target), bool), w.sr, w.frame_period_ms))
    y = res.y[: int(round(len(out_times) * fp_s * sr))]
    def nan0(f):
        return np.where(f > 0, f, np.nan)

    ref_on_out = ref_f0
    if not timing:  # the reference's F0 at the moments matched to the clone's frames
        ref_on_out = np.interp(inv, ref_times, ref_f0) * (np.interp(inv, ref_times, ref_voiced.astype(float)) > 0.5)
    return DeliveryTransfer(y.astype(np.float32), int(sr), path, cost, out_times, nan0(ref_on_out), nan0(f0_o),
                            nan0(target), np.arange(len(w.f0_hz)) * fp_s, nan0(w.f0_hz), float(clone_median),
                            ref_median, float(c1 - c0), float(r1 - r0))


def transfer_scores(transfer: DeliveryTransfer) -> dict:
    """How well the delivery carried over, measured again on the output audio (not on what was asked of it).

    Returns
    -------
    dict
        ``duration_error_before`` / ``_after``: the clone's speech span against the reference's, as a fraction;
        ``pitch_corr_before`` (the clone stretched evenly to the reference's length), ``pitch_corr_timing``
        (re-timed only) and ``pitch_corr_after`` (the output's F0, tracked again): :func:`pitch_correlation`
        with the reference's F0; ``median_shift_st``: the output's median F0 against the clone's (semitones).
    """
    from ..analysis.pitch import estimate_f0

    if not isinstance(transfer, DeliveryTransfer):
        raise ParameterError("transfer_scores needs a DeliveryTransfer from transfer_delivery")
    t = transfer.times_s
    stretch = transfer.reference_speech_s / transfer.clone_speech_s
    before = np.interp(t, transfer.clone_times_s * stretch, np.nan_to_num(transfer.clone_f0_hz, nan=0.0))
    track = estimate_f0(transfer.y, sr=transfer.sr, hop_s=float(t[1] - t[0]) if len(t) > 1 else 0.005)
    voiced = np.interp(t, track.times_s, np.isfinite(track.f0_hz).astype(float)) > 0.5
    after = np.where(voiced, np.interp(t, track.times_s, np.nan_to_num(track.f0_hz, nan=0.0)), 0.0)
    span = _speech_span(transfer.y, transfer.sr)
    out_speech = (span[1] - span[0]) if span else 0.0
    ref = transfer.reference_speech_s
    return {
        "duration_error_before": float(abs(transfer.clone_speech_s - ref) / ref),
        "duration_error_after": float(abs(out_speech - ref) / ref),
        "pitch_corr_before": pitch_correlation(np.where(before > 0, before, np.nan), transfer.reference_f0_hz),
        "pitch_corr_timing": pitch_correlation(transfer.warped_f0_hz, transfer.reference_f0_hz),
        "pitch_corr_after": pitch_correlation(np.where(after > 0, after, np.nan), transfer.reference_f0_hz),
        "median_shift_st": float(12 * np.log2(np.median(after[after > 0]) / transfer.clone_median_f0_hz))
        if (after > 0).any() else float("nan"),
    }
