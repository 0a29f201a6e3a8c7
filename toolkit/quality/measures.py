"""The measurements behind the checks: level, clipping, blind SNR, DNSMOS, blind RT60, speaker and pace
consistency. All work on a 16 kHz signal (``y16``) and need only numpy, onnxruntime and Praat.

Taught in ``notebooks/04_reference_audio.ipynb``.
"""

from __future__ import annotations

import threading

import numpy as np

from ..defaults import ANALYSIS_SR_HZ

__all__ = ["SR", "resample_16k", "highpass", "wada_snr", "wada_table", "dnsmos", "blind_rt60", "loudness_lufs_fast",
           "clipping_percent", "clipped_stretches", "speaker_consistency", "pace_spread", "SPK_WINDOW_S", "SPK_HOP_S", "PACE_CHUNK_S"]

#: Sample rate of every measurement (Hz): :data:`toolkit.defaults.ANALYSIS_SR_HZ`.
SR = ANALYSIS_SR_HZ
#: Window and hop of the speaker-consistency embeddings (s).
SPK_WINDOW_S, SPK_HOP_S = 2.4, 0.8
#: Length of the stretches whose speaking rates the pace measure compares (s).
PACE_CHUNK_S = 3.0


def resample_16k(y, sr) -> np.ndarray:
    """``y`` at :data:`SR` (16 kHz), through the lab's one resampler, :func:`toolkit.audio.resample`."""
    from ..audio import resample

    return resample(y, sr=int(sr), target_sr=SR).astype(np.float32, copy=False)


def highpass(y16, cutoff_hz: float = 50.0) -> np.ndarray:
    """Remove DC offset and rumble under ``cutoff_hz`` (an FFT brick wall): they carry no speech and fool
    the amplitude-distribution SNR estimate."""
    n_fft = 1 << int(np.ceil(np.log2(len(y16) + 1)))  # a power of two: odd lengths make the FFT slow
    y = y16.astype(np.float64)
    spec = np.fft.rfft(y - y.mean(), n_fft)  # remove the mean first, so the zero padding adds no step
    spec[: int(np.ceil(cutoff_hz * n_fft / SR))] = 0.0
    return np.fft.irfft(spec, n_fft)[: len(y16)].astype(np.float32)



def loudness_lufs_fast(y, *, sr) -> float:
    """Integrated loudness (LUFS): the same function as ``analyze`` (:func:`toolkit.analysis.loudness_lufs`).

    Kept under this name for code written against it; both report one number for one clip.
    """
    from ..analysis.loudness import loudness_lufs

    return loudness_lufs(y, sr=sr)


def clipping_percent(y) -> float:
    """Percent of samples on flat tops at the clip's peak, what an overloaded converter leaves behind:
    runs of three or more samples of one sign, within 0.1 % of the highest absolute value and equal to
    each other within 0.01 % of it (a smooth crest, even of a 50 Hz hum, changes more than that per sample).

    Examples
    --------
    >>> import numpy as np
    >>> y = np.sin(2 * np.pi * 100 * np.arange(16000) / 16000)
    >>> clipping_percent(y), round(clipping_percent(np.clip(2 * y, -1, 1)))
    (0.0, 66)
    """
    y = np.asarray(y, np.float64)
    peak = np.max(np.abs(y)) if len(y) else 0.0
    if peak <= 0:
        return 0.0
    starts, ends = _flat_tops(y, peak)
    n_flat = int(np.sum(ends - starts + 1))
    return float(100.0 * n_flat / len(y))


def _flat_tops(y, peak):
    """Sample index ranges ``(starts, ends)`` of the flat tops :func:`clipping_percent` counts."""
    top = np.abs(y) >= 0.999 * peak
    pair = top[1:] & top[:-1] & (np.sign(y[1:]) == np.sign(y[:-1])) & (np.abs(np.diff(y)) <= 1e-4 * peak)
    # runs of >= 2 consecutive flat pairs = plateaus of >= 3 samples
    edges = np.diff(np.concatenate([[0], pair.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    keep = ends - starts >= 2
    return starts[keep], ends[keep]


def clipped_stretches(y, *, sr, join_s: float = 0.25) -> list:
    """Where the flat tops of :func:`clipping_percent` are: ``[(start_s, end_s), ...]``, tops closer than
    ``join_s`` joined into one stretch."""
    y = np.asarray(y, np.float64)
    peak = np.max(np.abs(y)) if len(y) else 0.0
    if peak <= 0:
        return []
    starts, ends = _flat_tops(y, peak)
    out = []
    for a, b in zip(starts / sr, (ends + 1) / sr):
        if out and a - out[-1][1] <= join_s:
            out[-1] = (out[-1][0], float(b))
        else:
            out.append((float(a), float(b)))
    return [(round(a, 2), round(max(b, a + 0.01), 2)) for a, b in out]


# WADA-SNR lookup: G(SNR) = log E|z| - E log|z| for z = s + n, s a Gamma(0.4)-distributed speech amplitude with
# random sign and n Gaussian noise at SNR dB (Kim & Stern 2008). We computed it by simulation
# (10^6 samples, numpy seed 0, see tests/test_quality.py::test_wada_table_matches_simulation).
_WADA_DB = np.arange(-20, 101, dtype=np.float64)
_WADA_G = np.array([
    0.4100, 0.4103, 0.4102, 0.4104, 0.4104, 0.4101, 0.4102, 0.4104, 0.4103, 0.4110, 0.4122, 0.4138, 0.4155,
    0.4176, 0.4209, 0.4249, 0.4295, 0.4354, 0.4427, 0.4517, 0.4624, 0.4752, 0.4899, 0.5066, 0.5246, 0.5447,
    0.5663, 0.5897, 0.6145, 0.6405, 0.6681, 0.6962, 0.7246, 0.7533, 0.7828, 0.8122, 0.8412, 0.8705, 0.8996,
    0.9278, 0.9561, 0.9834, 1.0102, 1.0364, 1.0612, 1.0857, 1.1089, 1.1316, 1.1533, 1.1744, 1.1951, 1.2145,
    1.2332, 1.2515, 1.2686, 1.2850, 1.3010, 1.3165, 1.3308, 1.3450, 1.3582, 1.3709, 1.3828, 1.3943, 1.4057,
    1.4164, 1.4268, 1.4365, 1.4459, 1.4548, 1.4630, 1.4710, 1.4788, 1.4862, 1.4931, 1.4996, 1.5060, 1.5123,
    1.5181, 1.5238, 1.5293, 1.5345, 1.5394, 1.5441, 1.5487, 1.5530, 1.5573, 1.5611, 1.5651, 1.5688, 1.5721,
    1.5751, 1.5782, 1.5812, 1.5841, 1.5867, 1.5893, 1.5918, 1.5941, 1.5964, 1.5985, 1.6005, 1.6025, 1.6044,
    1.6061, 1.6078, 1.6095, 1.6110, 1.6124, 1.6139, 1.6152, 1.6165, 1.6178, 1.6189, 1.6201, 1.6212, 1.6221,
    1.6231, 1.6240, 1.6249, 1.6257])


def wada_table(*, n: int = 1_000_000, seed: int = 0, snr_db=_WADA_DB) -> np.ndarray:
    """Recompute the WADA-SNR lookup table by simulation (see :func:`wada_snr`)."""
    rng = np.random.default_rng(seed)
    s = rng.gamma(0.4, 1.0, n) * rng.choice([-1.0, 1.0], n)
    g = rng.standard_normal(n)
    ps = np.mean(s ** 2)
    out = []
    for d in np.atleast_1d(snr_db):
        z = np.abs(s + g * np.sqrt(ps / 10 ** (d / 10)))
        z = np.maximum(z, 1e-10 * z.max())
        out.append(np.log(z.mean()) - np.mean(np.log(z)))
    return np.array(out)


def wada_snr(y) -> float:
    """Blind SNR (dB) by Waveform Amplitude Distribution Analysis (Kim & Stern 2008).

    Clean speech amplitudes follow a Gamma distribution with shape about 0.4; added Gaussian noise makes the
    distribution less peaked. The statistic ``log E|z| - E log|z|`` measures that shape and a lookup table
    turns it into an SNR (valid from -20 to 100 dB). Assumes stationary noise.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> s = rng.gamma(0.4, 1.0, 200000) * rng.choice([-1, 1], 200000)
    >>> y = s + rng.standard_normal(200000) * np.sqrt(np.mean(s**2) / 10)   # 10 dB
    >>> 9 < wada_snr(y) < 11
    True
    """
    z = np.abs(np.asarray(y, np.float64))
    if len(z) == 0 or z.max() == 0:
        return float("nan")
    z = np.maximum(z / z.max(), 1e-10)
    g = np.log(z.mean()) - np.mean(np.log(z))
    table = np.maximum.accumulate(_WADA_G)
    return float(np.interp(g, table, _WADA_DB))


# DNSMOS P.835 (Reddy et al. 2022): the sig_bak_ovr ONNX model shipped in the speechmos wheel, with the
# polynomial calibration of the official scoring script.
_DNSMOS_LEN = int(9.01 * SR)
_P_SIG = (-0.08397278, 1.22083953, 0.0052439)
_P_BAK = (-0.13166888, 1.60915514, -0.39604546)
_P_OVR = (-0.06766283, 1.11546468, 0.04602535)
_DNSMOS = None
_DNSMOS_LOCK = threading.Lock()


def _dnsmos_session():
    global _DNSMOS
    with _DNSMOS_LOCK:
        if _DNSMOS is None:
            from ..errors import ModelError
            from ..models import onnx_session, package_dir

            path = package_dir("speechmos") / "dnsmos_models" / "sig_bak_ovr.onnx"
            if not path.exists():
                raise ModelError(f"{path} is missing; reinstall with `pip install --force-reinstall speechmos`")
            _DNSMOS = onnx_session(path, n_threads=2, what="DNSMOS")  # arena off: 180 MB less per kernel
        return _DNSMOS


def dnsmos(y16, *, max_windows: int = 1) -> dict:
    """DNSMOS P.835 scores ``{"sig", "bak", "ovr"}`` (1-5) of 16 kHz audio.

    The model hears 9.01 s at a time: shorter clips are repeated (as the official script does), longer ones
    scored on up to ``max_windows`` evenly spaced windows and averaged.
    """
    y = np.clip(np.asarray(y16, np.float32), -1.0, 1.0)
    while len(y) < _DNSMOS_LEN:
        y = np.concatenate([y, y])
    starts = np.linspace(0, len(y) - _DNSMOS_LEN, max(1, int(max_windows))).astype(int)
    if len(y) - _DNSMOS_LEN < SR:
        starts = starts[:1]
    sess = _dnsmos_session()
    raw = np.array([sess.run(None, {"input_1": y[s:s + _DNSMOS_LEN][None, :]})[0][0] for s in starts])
    sig, bak, ovr = (np.polyval(p, raw[:, i]).mean() for i, p in enumerate((_P_SIG, _P_BAK, _P_OVR)))
    return {"sig": float(sig), "bak": float(bak), "ovr": float(ovr)}


# Blind RT60 ------------------------------------------------------------------------------------------
_RT_BANDS_HZ = ((300, 1000), (1000, 2000), (2000, 4000), (4000, 8000))
_RT_HOP_S, _RT_WIN_S, _RT_FIT_S = 0.004, 0.016, 0.08
#: Calibration of the raw decay time to RT60: RT60 = (raw / a) ** (1 / b), fitted on 12 real clips played
#: through synthetic rooms (toolkit.effects.add_reverb) of 0.3-1.2 s (``benchmarks/bench_check.py --calibrate``).
_RT_CAL_A, _RT_CAL_B = 0.55, 0.6


def blind_rt60(y16) -> tuple:
    """Blind reverberation time (s) of 16 kHz speech, and the raw decay time behind it.

    Reverberation puts a floor under how fast sound can die away: after each syllable the energy can fall
    no faster than the room lets it (Ratnam et al. 2003; Löllmann et al. 2010 select such "free decays" and
    fit their slope). Here, in four bands (0.3-8 kHz): a 16 ms / 4 ms energy envelope, the stationary noise
    floor (10th percentile) subtracted, 80 ms sliding line fits where the sound stays above that floor; the
    steepest 3 % of slopes give the band's decay time (-60 dB / slope); the median over bands is the raw
    estimate, mapped to RT60 by a calibration on synthetic rooms. Returns ``(rt60_s, raw_s)``; ``nan`` when
    too few decays were found.
    """
    y = np.asarray(y16, np.float64)
    n, h = int(_RT_WIN_S * SR), int(_RT_HOP_S * SR)
    if len(y) < n + 10 * h:
        return float("nan"), float("nan")
    n_fft = 1 << int(np.ceil(np.log2(n)))
    yp = np.pad(y, (n // 2, n // 2))
    n_frames = 1 + (len(yp) - n) // h
    idx = np.arange(n)[None, :] + h * np.arange(n_frames)[:, None]
    S = np.abs(np.fft.rfft(yp[idx] * np.hanning(n), n_fft, axis=1)) ** 2
    f = np.fft.rfftfreq(n_fft, 1 / SR)
    L = int(_RT_FIT_S / _RT_HOP_S)
    t = np.arange(L) * _RT_HOP_S
    t -= t.mean()
    rts = []
    for lo, hi in _RT_BANDS_HZ:
        p = S[:, (f >= lo) & (f < hi)].sum(axis=1) + 1e-12
        floor = np.percentile(p, 10)
        e = 10 * np.log10(np.maximum(p - floor, floor * 1e-3))
        win = np.lib.stride_tricks.sliding_window_view(e, L)
        raw_win = np.lib.stride_tricks.sliding_window_view(10 * np.log10(p), L)
        ok = raw_win.min(axis=1) > 10 * np.log10(floor) + 3.0
        slopes = ((win - win.mean(axis=1, keepdims=True)) @ t / (t @ t))[ok]
        if len(slopes) < 20:
            continue
        q = np.percentile(slopes, 3)
        rts.append(-60.0 / q if q < 0 else 10.0)
    if not rts:
        return float("nan"), float("nan")
    raw = float(np.median(rts))
    return float((raw / _RT_CAL_A) ** (1.0 / _RT_CAL_B)), raw


def _speech_mask(segments, n) -> np.ndarray:
    m = np.zeros(n, bool)
    for a, b in segments:
        m[int(a * SR):int(b * SR)] = True
    return m


def speaker_consistency(y16, *, segments=None, window_s: float = SPK_WINDOW_S, hop_s: float = SPK_HOP_S) -> dict:
    """How alike the voice sounds across the clip: GE2E embeddings of windows that are mostly speech,
    compared pairwise for windows that do not overlap in time.

    Returns ``{"similarity_p5", "similarity_median", "n_windows", "n_pairs", "n_pairs_half",
    "similarity_median_half", "times_s", "similarity_to_clip"}`` (``n_pairs``: how many pairs of windows the
    percentiles come from; ``*_half``: the same over pairs that overlap by at most half a window, for short clips);
    ``similarity_p5`` (the 5th percentile of the pairwise similarities) is ``nan`` with fewer than two
    non-overlapping windows.
    """
    from .._ge2e_numpy import SR as ENCSR, get_numpy_encoder

    y16 = np.asarray(y16, np.float32)
    out = {"similarity_p5": float("nan"), "similarity_median": float("nan"), "n_windows": 0, "n_pairs": 0,
           "n_pairs_half": 0, "similarity_median_half": float("nan"), "times_s": np.zeros(0),
           "similarity_to_clip": np.zeros(0)}
    win = int(window_s * ENCSR)
    if len(y16) < win:
        return out
    if segments is None:
        from ..analysis.rhythm import speech_segments

        segments = speech_segments(y16, sr=SR)
    mask = _speech_mask(segments, len(y16))
    starts = np.arange(0, len(y16) - win + 1, int(hop_s * ENCSR))
    keep = np.array([mask[s:s + win].mean() >= 0.6 for s in starts], bool)
    starts = starts[keep]
    if len(starts) == 0:
        return out
    enc = get_numpy_encoder()
    from .._ge2e_numpy import HOP, mel_frames

    # one mel spectrogram of the whole clip, sliced into windows (the hop is a whole number of frames)
    M = mel_frames(y16)
    n_frames = win // HOP
    mels = np.stack([M[s // HOP:s // HOP + n_frames] for s in starts])
    E = enc(mels)
    t = (starts + win / 2) / ENCSR
    centroid = E.mean(axis=0)
    centroid /= np.linalg.norm(centroid)
    out.update(n_windows=len(E), times_s=t, similarity_to_clip=E @ centroid)
    gap = np.abs(t[:, None] - t[None, :])
    S = E @ E.T
    sims = S[np.triu(gap >= window_s - 1e-6, 1)]
    out["n_pairs"] = int(len(sims))
    if len(sims):
        out.update(similarity_p5=float(np.percentile(sims, 5)), similarity_median=float(np.median(sims)))
    # short clips: also windows that overlap by at most half a window (a 5 s clip has 3 such pairs)
    half = S[np.triu(gap >= window_s / 2 - 1e-6, 1)]
    out["n_pairs_half"] = int(len(half))
    out["similarity_median_half"] = float(np.median(half)) if len(half) else float("nan")
    return out


def pace_spread(y16, *, segments, chunk_s: float = PACE_CHUNK_S, f0_track=None) -> dict:
    """Local speaking rates (syllable nuclei per second of speech) in successive stretches of about
    ``chunk_s`` seconds of speech; returns ``{"rate_syl_s", "rates", "ratio"}`` (ratio = fastest / slowest).
    ``f0_track`` (a wide-range pitch track of ``y16``) saves computing it again."""
    from ..analysis.rhythm import syllable_nuclei

    nuclei = syllable_nuclei(y16, sr=SR, f0_track=f0_track)
    speech_s = sum(b - a for a, b in segments)
    out = {"rate_syl_s": float(len(nuclei) / speech_s) if speech_s > 0 else 0.0, "rates": [], "ratio": float("nan")}
    # lay the speech segments end to end (pauses removed) and cut that timeline into chunk_s stretches
    seg_start = np.array([a for a, _ in segments])
    seg_len = np.array([b - a for a, b in segments])
    offset = np.concatenate([[0.0], np.cumsum(seg_len)])[:-1]
    inside = [(i, t) for t in nuclei for i in range(len(segments)) if segments[i][0] <= t < segments[i][1]]
    speech_t = np.array([offset[i] + t - seg_start[i] for i, t in inside])
    n_chunks = int(speech_s // chunk_s)
    rates = []
    for k in range(n_chunks):
        a = k * chunk_s
        b = speech_s if k == n_chunks - 1 else a + chunk_s  # the last stretch takes the remainder
        rates.append(float(np.sum((speech_t >= a) & (speech_t < b)) / (b - a)))
    out["rates"] = rates
    if len(rates) >= 2 and min(rates) > 0:
        out["ratio"] = float(max(rates) / min(rates))
    return out
