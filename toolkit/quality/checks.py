"""The eight checks: thresholds (with their sources in :mod:`toolkit.quality`), one function per check that
turns a measurement into a :class:`~toolkit.quality.report.Check` with a plain-language tip, and
:func:`check_reference`.

Taught in ``notebooks/04_reference_audio.ipynb``.
"""

from __future__ import annotations

import numpy as np

from ..audio import valid_audio
from ..defaults import REFERENCE_MAX_S, REFERENCE_MIN_S
from ..errors import ParameterError
from .measures import (SR, blind_rt60, clipping_percent, dnsmos, highpass, loudness_lufs_fast, pace_spread,
                       resample_16k, speaker_consistency, wada_snr)
from .report import CHECK_NAMES, RANK, Check, QualityReport, UnusableAudioError

__all__ = ["check_reference", "SILENCE_PEAK_DBFS"]

#: A clip whose peak stays under this level holds nothing but silence (dBFS): 16-bit dither sits near -90.
SILENCE_PEAK_DBFS = -60.0

# duration (s of speech)
DURATION_FAIL_S, DURATION_WARN_S, DURATION_TARGET_MAX_S, DURATION_LONG_S = 3.0, REFERENCE_MIN_S, REFERENCE_MAX_S, 30.0
#: The speech measure leaves out weak consonants and very short gaps (it reads 75-90 % of the talking time on
#: our real set), so measured speech fails under this (≈ 3 s of talking), or when the whole clip is under 3 s.
DURATION_FAIL_SPEECH_S = 2.5
# loudness (LUFS)
LOUDNESS_FAIL_LUFS, LOUDNESS_WARN_LUFS, LOUDNESS_HOT_LUFS = -55.0, -38.0, -10.0
# clipping (% of samples)
CLIP_WARN_PCT, CLIP_FAIL_PCT = 0.01, 0.1
# noise
SNR_WARN_DB, SNR_FAIL_DB = 20.0, 10.0
BAK_WARN, BAK_FAIL = 3.0, 2.0
# reverb (s)
RT60_WARN_S, RT60_FAIL_S = 0.6, 1.0
# speakers (cosine similarity)
SPK_WARN, SPK_FAIL = 0.60, 0.45
# pauses (s)
PAUSE_WARN_S, PAUSE_FAIL_S = 1.0, 2.5
# pace (ratio of the fastest to the slowest stretch)
PACE_WARN = 2.0
# pace (ratio)


def _status(value, warn, fail, *, higher_is_worse=True) -> str:
    if value is None or not np.isfinite(value):
        return "pass"
    if higher_is_worse:
        return "fail" if value >= fail else "warn" if value >= warn else "pass"
    return "fail" if value < fail else "warn" if value < warn else "pass"



# --- the checks ------------------------------------------------------------------------------

def _check_duration(speech_s, total_s) -> Check:
    lo, hi = f"{DURATION_WARN_S:.0f}", f"{DURATION_TARGET_MAX_S:.0f}"
    if speech_s < DURATION_FAIL_SPEECH_S or total_s < DURATION_FAIL_S:
        st, msg = "fail", (f"Only {speech_s:.1f} s of speech: too little to capture a voice. "
                           f"Record {lo}-{hi} s of continuous speech.")
    elif speech_s < DURATION_WARN_S:
        st, msg = "warn", (f"{speech_s:.1f} s of speech: usable, but {lo}-{hi} s captures the voice more "
                           "reliably. Add a sentence or two.")
    elif speech_s > DURATION_LONG_S or total_s > DURATION_LONG_S:
        st, msg = "warn", (f"{total_s:.0f} s long ({speech_s:.0f} s of speech): more than the model needs. "
                           f"Trim it to your best {hi} s; long clips are more likely to hold noise or changes "
                           "of style.")
    elif speech_s > DURATION_TARGET_MAX_S:
        st, msg = "pass", (f"{speech_s:.1f} s of speech: a little more than the {lo}-{hi} s target, which is "
                           "fine; keep the cleanest part if you trim.")
    else:
        st, msg = "pass", f"{speech_s:.1f} s of speech: right in the {lo}-{hi} s target."
    return Check("duration", st, speech_s, "s", msg, {"total_s": total_s})


def _check_loudness(lufs) -> Check:
    if not np.isfinite(lufs) or lufs < LOUDNESS_FAIL_LUFS:
        return Check("loudness", "fail", lufs if np.isfinite(lufs) else None, "LUFS",
                     "Far too quiet: the voice is near the noise floor. Speak up or move the microphone closer "
                     "(a hand's width to a forearm away), then record again.")
    if lufs < LOUDNESS_WARN_LUFS:
        return Check("loudness", "warn", lufs, "LUFS",
                     f"Quiet ({lufs:.0f} LUFS): the clone may come out soft and the noise relatively louder. "
                     "Move closer to the microphone or raise its input gain.")
    if lufs > LOUDNESS_HOT_LUFS:
        return Check("loudness", "warn", lufs, "LUFS",
                     f"Very loud ({lufs:.0f} LUFS): probably limited or overdriven. Lower the input gain a little.")
    return Check("loudness", "pass", lufs, "LUFS", f"Good level ({lufs:.0f} LUFS).")


def _check_clipping(pct) -> Check:
    st = _status(pct, CLIP_WARN_PCT, CLIP_FAIL_PCT)
    msg = {"pass": "No clipping: the peaks are intact.",
           "warn": f"Some peaks are clipped ({pct:.3f} % of samples flattened). Lower the input gain a little and "
                   "record again.",
           "fail": f"Clipped: {pct:.2f} % of samples are flattened at full scale, which adds harsh distortion the "
                   "clone will copy. Lower the input gain (peaks around -6 dBFS) and record again."}[st]
    return Check("clipping", st, pct, "%", msg)


def _check_noise(snr, bak) -> Check:
    st_snr = _status(snr, SNR_WARN_DB, SNR_FAIL_DB, higher_is_worse=False)
    st_bak = _status(bak, BAK_WARN, BAK_FAIL, higher_is_worse=False) if bak is not None else "pass"
    st = max(st_snr, st_bak, key=RANK.get)
    bak_txt = f", background score {bak:.1f}/5" if bak is not None else ""
    msg = {"pass": f"Quiet background (SNR about {snr:.0f} dB{bak_txt}).",
           "warn": f"Some background noise (SNR about {snr:.0f} dB{bak_txt}). Switch off fans and music, close "
                   "the window, and record again somewhere quieter.",
           "fail": f"Noisy (SNR about {snr:.0f} dB{bak_txt}): the clone will copy the hiss or chatter. Record in "
                   "a quiet room, away from fans, traffic and other voices."}[st]
    return Check("noise", st, snr, "dB", msg, {"wada_snr_db": snr, "dnsmos_bak": bak})


def _check_reverb(rt60, raw, snr) -> Check:
    if not np.isfinite(rt60):
        return Check("reverb", "pass", None, "s", "Too few decays to judge the echo; listen for it yourself.",
                     {"raw_decay_s": raw})
    st = _status(rt60, RT60_WARN_S, RT60_FAIL_S)
    note = ""
    if st == "fail" and np.isfinite(snr) and snr < SNR_FAIL_DB:
        st, note = "warn", " (hard to judge under this much noise: fix the noise first)"
    msg = {"pass": f"Little echo (reverberation time about {rt60:.1f} s).",
           "warn": f"Noticeable echo (about {rt60:.1f} s){note}. Record in a smaller room with soft furnishings "
                   "(curtains, sofa, a wardrobe of clothes), closer to the microphone.",
           "fail": f"Strong echo (about {rt60:.1f} s, like a hall or stairwell): the clone will sound distant. "
                   "Move to a small furnished room and speak closer to the microphone."}[st]
    return Check("reverb", st, rt60, "s", msg, {"raw_decay_s": raw})


def _check_speakers(info) -> Check:
    p5 = info["similarity_p5"]
    if not np.isfinite(p5):
        return Check("speakers", "pass", None, "cos",
                     "Too short to compare parts of the clip; make sure only you are speaking.", info)
    st = _status(p5, SPK_WARN, SPK_FAIL, higher_is_worse=False)
    msg = {"pass": f"One consistent voice (parts agree at {p5:.2f} or better).",
           "warn": f"The voice changes across the clip (parts agree only at {p5:.2f}): a second speaker, or a "
                   "big change of style. Keep only the part where you alone speak.",
           "fail": f"More than one voice (parts agree only at {p5:.2f}). Record alone, without TV, radio or "
                   "other people talking."}[st]
    return Check("speakers", st, p5, "cos", msg, info)


def _check_pauses(longest_s, n_long) -> Check:
    st = _status(longest_s, PAUSE_WARN_S, PAUSE_FAIL_S)
    msg = {"pass": f"Continuous speech (longest pause {longest_s:.1f} s).",
           "warn": f"A long pause ({longest_s:.1f} s). Keep talking at an even flow, or cut the silence out.",
           "fail": f"Very long pause ({longest_s:.1f} s): the clone may learn to hesitate. Cut the silence out or "
                   "record again without stopping."}[st]
    return Check("pauses", st, longest_s, "s", msg, {"n_pauses_over_1s": n_long})


def _check_pace(info, snr) -> Check:
    ratio, rate = info["ratio"], info["rate_syl_s"]
    speed = "fast" if rate > 6.0 else "slow" if 0 < rate < 3.0 else "natural"
    speed_txt = f"Overall about {rate:.1f} syllables/s ({speed}; the clone will copy this speed)."
    if np.isfinite(snr) and snr < SNR_FAIL_DB:
        return Check("pace", "pass", None, "x", "Too noisy to count syllables reliably; fix the noise first.", info)
    if rate < 1.5:
        return Check("pace", "pass", None, "x", f"Too few voiced syllables ({rate:.1f}/s) to judge the pace: "
                     "whispered or very slow speech.", info)
    if not np.isfinite(ratio):
        return Check("pace", "pass", None, "x", speed_txt + " Too short to compare stretches.", info)
    # syllable counts from the signal are rough (±1-2 per stretch), so an uneven pace is advice, never a failure
    if ratio >= PACE_WARN:
        return Check("pace", "warn", ratio, "x", f"Uneven pace (fastest stretch {ratio:.1f}x the slowest): mixed "
                     "speeds or styles confuse the clone. Read at one steady, natural speed. " + speed_txt, info)
    return Check("pace", "pass", ratio, "x",
                 f"Steady pace (fastest stretch {ratio:.1f}x the slowest). " + speed_txt, info)


def check_reference(y, *, sr, checks=None, dnsmos_windows: int = 1) -> QualityReport:
    """Check a reference recording for voice cloning.

    Parameters
    ----------
    y : np.ndarray [shape=(n,)]
        The reference, mono.
    sr : int
        Sample rate (Hz); analysed at 16 kHz.
    checks : iterable of str, optional
        Only these checks (names from :data:`CHECK_NAMES`); all by default.
    dnsmos_windows : int
        How many 9 s windows the DNSMOS background model scores (1 is fast; more for long clips).

    Returns
    -------
    QualityReport
        ``report.checks`` in :data:`CHECK_NAMES` order, ``report.verdict``, ``report.top_tip``.

    Raises
    ------
    UnusableAudioError
        If the clip holds only silence (peak under :data:`SILENCE_PEAK_DBFS`) or no speech at all.
    ParameterError
        If ``y`` is not a mono waveform or ``checks`` names an unknown check.

    Examples
    --------
    >>> from toolkit.media import example
    >>> clip = example("vowel_a_150")
    >>> report = check_reference(clip.y, sr=clip.sr, checks=["duration", "clipping"])
    >>> report["duration"].status
    'fail'
    """
    import time

    t0 = time.perf_counter()
    y = valid_audio(y, sr=sr)
    wanted = CHECK_NAMES if checks is None else tuple(checks)
    unknown = [c for c in wanted if c not in CHECK_NAMES]
    if unknown:
        raise ParameterError(f"unknown check(s) {unknown}; choose from {', '.join(CHECK_NAMES)}")
    peak = float(np.max(np.abs(y)))
    if peak == 0 or 20 * np.log10(peak) < SILENCE_PEAK_DBFS:
        level = "digital silence" if peak == 0 else f"peak {20 * np.log10(peak):.0f} dBFS"
        raise UnusableAudioError(f"the clip holds only silence ({level}); check the microphone and record again")
    y16 = highpass(resample_16k(y, sr))
    total_s = len(y) / float(sr)

    from ..analysis.rhythm import speech_segments

    segments = speech_segments(y16, sr=SR)
    speech_s = float(sum(b - a for a, b in segments))
    if speech_s <= 0:
        raise UnusableAudioError("no speech found in the clip; record yourself reading a few sentences")

    results = {}
    snr = wada_snr(y16) if {"noise", "reverb", "pace"} & set(wanted) else float("nan")
    if "duration" in wanted:
        results["duration"] = _check_duration(speech_s, total_s)
    if "loudness" in wanted:
        results["loudness"] = _check_loudness(loudness_lufs_fast(y, sr=sr))
    if "clipping" in wanted:
        results["clipping"] = _check_clipping(clipping_percent(y))
    if "noise" in wanted:
        bak = dnsmos(y16, max_windows=dnsmos_windows)["bak"] if dnsmos_windows > 0 else None
        results["noise"] = _check_noise(snr, bak)
    if "reverb" in wanted:
        rt60, raw = blind_rt60(y16)
        results["reverb"] = _check_reverb(rt60, raw, snr)
    if "speakers" in wanted:
        results["speakers"] = _check_speakers(speaker_consistency(y16, segments=segments))
    if "pauses" in wanted:
        gaps = [b0 - a1 for (_, a1), (b0, _) in zip(segments[:-1], segments[1:])]
        longest = max(gaps, default=0.0)
        results["pauses"] = _check_pauses(float(longest), int(sum(g > 1.0 for g in gaps)))
    if "pace" in wanted:
        results["pace"] = _check_pace(pace_spread(y16, segments=segments), snr)
    ordered = tuple(results[n] for n in CHECK_NAMES if n in results)
    return QualityReport(ordered, total_s, time.perf_counter() - t0)
