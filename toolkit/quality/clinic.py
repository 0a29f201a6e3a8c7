"""The clinic's measures for faults the first eight checks miss: a second voice talking at the same time,
music, mains hum and rumble, short loud interruptions (bangs and whistles), and telephone-band audio.

All are cheap: one short-time power spectrum of the 16 kHz clip (:func:`power_spectrogram`, 25 ms / 10 ms),
shared by the music, interruption and bandwidth measures; the pitch track the pace check computes anyway;
and one long-window spectrum for hum. Thresholds and their sources are in :mod:`toolkit.quality.checks`.

Taught in ``notebooks/04_reference_audio.ipynb``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["power_spectrogram", "hum_level", "bandwidth", "tonal_background", "interruptions", "bang_scores", "whistles",
           "whistle_scores", "overlap_evidence",
           "N_FFT", "HOP_S"]

SR = 16000
#: The shared short-time spectrum: 25 ms Hann windows every 10 ms, 512-point FFT (31 Hz bins).
N_FFT, WIN, HOP = 512, 400, 160
HOP_S = HOP / SR


def power_spectrogram(y16) -> tuple:
    """Power spectrum of 25 ms frames every 10 ms: ``(P [n_frames, 257], times_s, freqs_hz)``."""
    y = np.asarray(y16, np.float64)
    y = np.pad(y, (WIN // 2, WIN // 2))
    n = 1 + max(0, (len(y) - WIN) // HOP)
    frames = np.lib.stride_tricks.sliding_window_view(y, WIN)[::HOP][:n]
    P = np.abs(np.fft.rfft(frames * np.hanning(WIN), N_FFT, axis=1)) ** 2 + 1e-14
    return P, np.arange(n) * HOP_S, np.fft.rfftfreq(N_FFT, 1 / SR)


def _level_db(P) -> np.ndarray:
    return 10 * np.log10(P.sum(axis=1))


def _speech_frames(level_db) -> np.ndarray:
    """Frames within 20 dB of the clip's loud part (95th percentile): the voiced core of the speech."""
    return level_db > np.percentile(level_db, 95) - 20.0


# --- hum and rumble ---------------------------------------------------------------------------------------
_HUM_NFFT = 4096  # 3.9 Hz bins: resolves 50 from 60 Hz lines and their harmonics
_HUM_HARMONICS = 3
_HUM_MIN_FRAMES = 5  # 3 s: fewer frames give no stable median (then only the prominence counts)
_HUM_LONG_NFFT = 16384  # 1.02 s frames, 0.98 Hz bins: hum sits in one line, a voice's harmonics glide


def hum_level(y16) -> dict:
    """Mains hum and rumble of a 16 kHz clip (not high-passed).

    Two views of the same lines (the mains frequency and its 2nd and 3rd harmonics, 50 or 60 Hz, whichever is
    stronger):

    * ``hum_db``, how loud the hum is against the whole clip: one spectrum of the whole clip (bins of a tenth of a
      hertz for 10 s). Mains hum never changes its frequency, so all its power falls into a line a fraction of a
      hertz wide, while a voice's harmonics glide and spread over many bins. A line counts when its peak bin
      stands :data:`HUM_LINE_PROMINENCE_DB` over the mean of its 1-6 Hz surroundings; its power (within
      ±0.5 Hz, less what the surroundings would put there) over the clip's power above 20 Hz, summed over the
      lines that count, is ``hum_db`` (dB; ``-inf`` without a line). This sees hum also where the recording has
      its own low-frequency noise floor as loud as the hum (hum at 20 dB SNR reads about -20 dB).
    * ``prominence_db``, how much the line stands out in the pauses: spectra of 0.256 s frames (3.9 Hz bins),
      the line (±3 Hz) over the median power 8-25 Hz away, median over the quieter half of the frames, strongest
      line. Quiet hum in a quiet recording shows here first.

    Rumble: the share of the power under 60 Hz (where no voice has energy), hum lines excluded, in dB.

    Returns ``{"hum_db", "prominence_db", "mains_hz", "rumble_db"}``.

    Examples
    --------
    >>> import numpy as np
    >>> from toolkit import effects as fx
    >>> rng = np.random.default_rng(0)
    >>> y = (0.1 * rng.standard_normal(16000 * 4)).astype(np.float32)
    >>> h = hum_level(fx.add_hum(y, sr=16000, snr_db=20.0, mains_hz=60.0))
    >>> h["mains_hz"], -22 < h["hum_db"] < -18
    (60.0, True)
    """
    y = np.asarray(y16, np.float64)
    n = _HUM_NFFT
    if len(y) < n:
        y = np.pad(y, (0, n - len(y)))
    frames = np.lib.stride_tricks.sliding_window_view(y, n)[:: n // 2]
    S = np.abs(np.fft.rfft(frames * np.hanning(n), axis=1)) ** 2 + 1e-20
    f = np.fft.rfftfreq(n, 1 / SR)
    Sq = S[np.argsort(S.sum(axis=1))[: max(1, len(S) // 2)]]
    # 1 s frames (0.98 Hz bins): the line's power less what its surroundings would put there, frame by frame
    nl = _HUM_LONG_NFFT
    yl = np.pad(y, (0, max(0, nl - len(y))))
    F = np.lib.stride_tricks.sliding_window_view(yl, nl)[:: nl // 2]
    L = np.abs(np.fft.rfft(F * np.hanning(nl), axis=1)) ** 2 + 1e-30
    fl = np.fft.rfftfreq(nl, 1 / SR)
    frame_power = L[:, fl >= 20].sum(axis=1)
    total = frame_power.mean()
    best = None
    for mains in (50.0, 60.0):
        prom, mask, power = [], np.zeros(len(f), bool), 0.0
        for k in range(1, _HUM_HARMONICS + 1):
            line = np.abs(f - mains * k) <= 3.0
            near = (np.abs(f - mains * k) >= 8.0) & (np.abs(f - mains * k) <= 25.0)
            prom.append(float(np.median(10 * np.log10(Sq[:, line].max(axis=1) / np.median(Sq[:, near], axis=1)))))
            mask |= line
            d = np.abs(fl - mains * k)
            line_l, near_l = d <= 1.0, (d >= 3.0) & (d <= 8.0)
            excess = L[:, line_l].sum(axis=1) - L[:, near_l].mean(axis=1) * line_l.sum()
            if len(L) >= _HUM_MIN_FRAMES:
                power += max(0.0, float(np.percentile(excess, 25)))
        level = float(10 * np.log10(power / total)) if power > 0 else float("-inf")
        cand = {"hum_db": level, "prominence_db": max(prom), "mains_hz": mains, "mask": mask}
        if best is None or (level, max(prom)) > (best["hum_db"], best["prominence_db"]):
            best = cand
    lines = best.pop("mask")
    Sm = S.mean(axis=0)
    rumble = Sm[(f >= 20) & (f < 60) & ~lines].sum()
    return dict(best, rumble_db=float(10 * np.log10(rumble / Sm[f >= 20].sum())))


# --- bandwidth ----------------------------------------------------------------------------------------------

def bandwidth(P, freqs, *, sr_in: float | None = None, drop_db: float = 50.0) -> dict:
    """The band the recording carries: edges of the long-term spectrum of the speech frames.

    The upper edge is the highest frequency whose long-term level is within ``drop_db`` of the spectrum's peak
    (clean speech at 16 kHz carries energy up to 7-8 kHz; a telephone line stops at 3.4 kHz); the energy
    under 300 Hz relative to 300-1000 Hz tells a telephone's low cut. ``sr_in`` (the file's own sample rate)
    caps the edge at its Nyquist frequency. Returns ``{"upper_hz", "low_band_db"}``.
    """
    lv = _level_db(P)
    sp = _speech_frames(lv)
    ltas = 10 * np.log10(P[sp].mean(axis=0) if sp.any() else P.mean(axis=0))
    ok = np.flatnonzero(ltas >= ltas.max() - drop_db)
    upper = float(freqs[ok[-1]]) if len(ok) else 0.0
    if sr_in is not None:
        upper = min(upper, sr_in / 2.0)
    lo = P[sp][:, (freqs >= 90) & (freqs < 300)].sum() if sp.any() else 0.0
    mid = P[sp][:, (freqs >= 300) & (freqs < 1000)].sum() if sp.any() else 1.0
    return {"upper_hz": upper, "low_band_db": float(10 * np.log10((lo + 1e-20) / (mid + 1e-20)))}


# --- music ------------------------------------------------------------------------------------------------

def tonal_background(P, freqs, *, quiet_fraction: float = 0.3, peak_db: float = 10.0) -> dict:
    """Tonal sound under and between the words (music, a TV), in dB relative to the speech.

    The quietest ``quiet_fraction`` of the frames (pauses, gaps and weak sounds; with music playing they still
    hold the music) are taken; in each, the power of its spectral peaks (bins more than ``peak_db`` above a
    9-bin running median, 150-5000 Hz, so hum lines do not count) is summed. Hiss and rumble are smooth
    (a bin of noise passes 10 dB over the median one time in a thousand), music's notes and chords are lines.
    ``music_db`` is that tonal power over the speech frames' power; ``quiet_level_db`` all the quiet frames'.
    """
    from numpy.lib.stride_tricks import sliding_window_view

    lv = _level_db(P)
    sp = _speech_frames(lv)
    n_q = max(1, int(quiet_fraction * len(lv)))
    q = np.argsort(lv)[:n_q]
    band = (freqs >= 150) & (freqs <= 5000)
    Pq = P[q][:, band]
    Lq = 10 * np.log10(Pq)
    med = np.median(sliding_window_view(np.pad(Lq, ((0, 0), (4, 4)), mode="edge"), 9, axis=1), axis=2)
    tonal = (Pq * (Lq - med > peak_db)).sum(axis=1).mean()
    speech = P[sp].sum(axis=1).mean() if sp.any() else P.sum(axis=1).max()
    return {"music_db": float(10 * np.log10(tonal / speech + 1e-12)),
            "quiet_level_db": float(10 * np.log10(P[q].sum(axis=1).mean() / speech))}


# --- interruptions ----------------------------------------------------------------------------------------

def bang_scores(P, freqs, *, fmax_hz: float = 7800.0) -> np.ndarray:
    """Per frame: how loud a noise-like frame is, in dB relative to the clip's 95th-percentile frame level
    (``-inf`` for frames that are not noise-like: spectral flatness 200 Hz-``fmax_hz`` at most 0.3; pass the
    recording's upper band edge as ``fmax_hz`` for band-limited audio, where nothing is flat up to 7.8 kHz)."""
    lv = _level_db(P)
    band = (freqs >= 200) & (freqs <= fmax_hz)
    Pb = P[:, band]
    flat = np.exp(np.log(Pb).mean(axis=1)) / Pb.mean(axis=1)
    return np.where(flat > 0.3, lv - np.percentile(lv, 95), -np.inf)


def interruptions(P, times, freqs, *, bang_db: float, max_event_s: float = 2.0, fmax_hz: float = 7800.0) -> dict:
    """Short loud noise-like events: a bang, a knock, a door, a dropped cup, a loud cough.

    Speech's loudest frames are vowels, harmonic and low; its noise-like frames (s, sh, f) are far softer. Frames
    that are noise-like (:func:`bang_scores`) and louder than ``bang_db`` relative to the speech are joined over
    100 ms gaps; runs up to ``max_event_s`` long are events (longer ones are noise, the noise check's business).
    Returns ``{"bang_db": loudest such frame, "events": [(start_s, end_s), ...]}``.
    """
    bang = bang_scores(P, freqs, fmax_hz=fmax_hz)
    events = _events(np.flatnonzero(bang > bang_db), times, max_event_s)
    finite = bang[np.isfinite(bang)]
    return {"bang_db": float(finite.max()) if len(finite) else float("-inf"), "events": events}


def whistle_scores(P, freqs, *, fmin_hz: float = 4000.0, fmax_hz: float = 7800.0,
                   prominence_db: float = 20.0) -> np.ndarray:
    """Per frame: how loud a whistle is, in dB relative to the clip's 95th-percentile frame level (``-inf`` for
    frames without one).

    A whistle (a bird, a kettle, a squeaky door) is one pure tone: in ``fmin_hz``-``fmax_hz``, above the voice's
    strong harmonics, one spectral peak (3 bins, about 90 Hz) holds more than half of the band's power and stands
    ``prominence_db`` over the band's median. Speech up there is either noise-like (s, sh, f) or a comb of weak
    harmonics; neither puts half its power into one peak.
    """
    lv = _level_db(P)
    band = (freqs >= fmin_hz) & (freqs <= fmax_hz)
    if band.sum() < 8:
        return np.full(len(P), -np.inf)
    Pb = P[:, band]
    k = np.argmax(Pb, axis=1)
    i = np.arange(len(Pb))
    peak = Pb[i, np.maximum(k - 1, 0)] + Pb[i, k] + Pb[i, np.minimum(k + 1, Pb.shape[1] - 1)]
    prom = 10 * np.log10(Pb[i, k]) - np.median(10 * np.log10(Pb), axis=1)
    tonal = (prom >= prominence_db) & (peak > 0.5 * Pb.sum(axis=1))
    return np.where(tonal, 10 * np.log10(peak) - np.percentile(lv, 95), -np.inf)


def _events(idx, times, max_event_s, join_s: float = 0.1):
    """Frames ``idx`` joined over gaps up to ``join_s`` into ``[(start_s, end_s), ...]`` of at most ``max_event_s``."""
    events = []
    if len(idx):
        for g in np.split(idx, np.flatnonzero(np.diff(idx) > round(join_s / HOP_S)) + 1):
            a, b = times[g[0]], times[g[-1]] + HOP_S
            if b - a <= max_event_s:
                events.append((round(float(a), 2), round(float(b), 2)))
    return events


def whistles(P, times, freqs, *, whistle_db: float, max_event_s: float = 3.0, fmax_hz: float = 7800.0) -> dict:
    """Short loud whistles (:func:`whistle_scores` over ``whistle_db``), joined over 0.5 s gaps (the notes of one
    call) into events of at most ``max_event_s`` (a tune that goes on is the music check's business).
    Returns ``{"whistle_db": loudest such frame, "events": [(start_s, end_s), ...]}``."""
    w = whistle_scores(P, freqs, fmax_hz=fmax_hz)
    finite = w[np.isfinite(w)]
    return {"whistle_db": float(finite.max()) if len(finite) else float("-inf"),
            "events": _events(np.flatnonzero(w > whistle_db), times, max_event_s, join_s=0.5)}


# --- a second voice at the same time -------------------------------------------------------------------

def overlap_evidence(track, segments, *, jump_octaves: float = 0.25, window_s: float = 2.0) -> dict:
    """Signs of two voices at once in a pitch track: how often it jumps, and how much of the speech is voiced.

    One voice's pitch glides: it rarely moves more than a quarter octave in 10 ms. With two voices at similar
    levels the tracker follows whichever is louder at the moment, so it jumps between them; and two voices fill
    each other's unvoiced sounds and short gaps, so more of the speech time is voiced. ``score`` adds the two,
    each divided by the top of its range on one voice (:data:`JUMP_SCALE`, :data:`VOICED_SCALE`); the same
    score over ``window_s`` windows (half overlapping) tells where.
    Returns ``{"jump_rate", "voiced_in_speech", "score", "window_times_s", "window_scores"}``.
    """
    t, f0 = np.asarray(track.times_s), np.asarray(track.f0_hz)
    inside = np.zeros(len(t), bool)
    for a, b in segments:
        inside |= (t >= a) & (t < b)
    v = np.isfinite(f0)
    out = {"jump_rate": 0.0, "voiced_in_speech": 0.0, "score": 0.0, "window_times_s": [], "window_scores": []}
    if inside.sum() < 10 or v.sum() < 10:
        return out
    lf = np.log2(np.where(v, f0, 1.0))
    pair = np.append(v[1:] & v[:-1], False)
    jump = pair & (np.abs(np.diff(lf, append=lf[-1])) > jump_octaves)

    def score(sl):
        return (jump[sl].sum() / max(1, pair[sl].sum())) / JUMP_SCALE + v[sl][inside[sl]].mean() / VOICED_SCALE

    out.update(jump_rate=float(jump.sum() / max(1, pair.sum())), voiced_in_speech=float(v[inside].mean()),
               score=float(score(slice(None))))
    hop = float(np.median(np.diff(t))) if len(t) > 1 else 0.01
    n_win = max(2, int(window_s / hop))
    for s in range(0, max(1, len(t) - n_win + 1), n_win // 2):
        sl = slice(s, s + n_win)
        if inside[sl].sum() >= n_win // 2 and pair[sl].sum() >= 20:
            out["window_times_s"].append((round(float(t[s]), 2), round(float(t[min(s + n_win, len(t)) - 1]), 2)))
            out["window_scores"].append(float(score(sl)))
    return out


#: Scales of the overlap score: the top of each measure on one voice (12 references of ../shared/speech, issue 14:
#: jump rate up to 0.014, voiced share of the speech time up to 0.75).
JUMP_SCALE, VOICED_SCALE = 0.01, 0.7
