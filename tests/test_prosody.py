"""toolkit.prosody: pitch, range, tempo and pauses change as asked, measured back with toolkit.analysis."""

from __future__ import annotations

import numpy as np
import pytest

from toolkit.analysis import estimate_f0, f0_median_hz, f0_range_st, find_pauses, syllable_nuclei
from toolkit.audio import load
from toolkit.errors import ParameterError
from toolkit.prosody import (change_tempo, flatten_pitch, insert_pauses, lengthen_pauses, modify_prosody,
                             shift_pitch, world_analyze, world_synthesize)

from .signals import SR, pulse_vowel, syllable_train


@pytest.fixture(scope="module")
def intoned():
    """Syllables whose F0 glides up and down ±4 semitones around 180 Hz (a triangle wave, so F0 in semitones
    is uniformly spread and its median and 5-95 % range are stable): an intonation contour with a known range."""
    y, _ = syllable_train(n_syl=8, rate_hz=4.0, gaps=[(3, 0.5)])
    # impose a slow pitch movement by resynthesising with a known contour
    w = world_analyze(y, sr=SR)
    t = w.times_s
    triangle = 2 * np.abs(((t / 0.7) % 1.0) - 0.5) * 2 - 1  # -1..1, period 0.7 s
    contour = 180 * 2 ** (4.0 * triangle / 12)  # ±4 st around 180 Hz
    f0 = np.where(w.f0_hz > 0, contour, 0.0)
    w2 = type(w)(f0, w.sp, w.ap, w.pause_mask, w.sr)
    return world_synthesize(w2).y


@pytest.fixture(scope="module")
def speech_clip(english_refs):
    r = next(r for r in english_refs if r["file"].startswith("vctk_p228"))
    y, sr = load(r["path"], sr=SR)
    return y[: 6 * SR]


def test_pitch_shift_moves_the_median(intoned):
    base = f0_median_hz(estimate_f0(intoned, sr=SR))
    for st in (-5, 7):
        out = shift_pitch(intoned, sr=SR, semitones=st)
        got = f0_median_hz(estimate_f0(out, sr=SR))
        assert abs(12 * np.log2(got / base) - st) < 0.5, (st, base, got)
        assert abs(len(out) - len(intoned)) < 0.01 * SR  # tempo kept


def test_range_scale_and_flatten(intoned):
    rng0 = f0_range_st(estimate_f0(intoned, sr=SR))
    flat = f0_range_st(estimate_f0(flatten_pitch(intoned, sr=SR), sr=SR))
    wide = f0_range_st(estimate_f0(modify_prosody(intoned, sr=SR, range_scale=1.5).y, sr=SR))
    print(f"range: original {rng0:.2f} st, flattened {flat:.2f} st, x1.5 {wide:.2f} st")
    assert 6 < rng0 < 9  # the ±4 st contour, 5th-95th percentile
    assert flat < 1.0
    assert abs(wide / rng0 - 1.5) < 0.15


def test_tempo_changes_duration_not_pitch(intoned):
    base_f0 = f0_median_hz(estimate_f0(intoned, sr=SR))
    for rate in (0.7, 1.6):
        out = change_tempo(intoned, sr=SR, rate=rate)
        assert abs(len(out) / SR - len(intoned) / SR / rate) < 0.02
        assert abs(12 * np.log2(f0_median_hz(estimate_f0(out, sr=SR)) / base_f0)) < 0.3
        assert len(syllable_nuclei(out, sr=SR)) == len(syllable_nuclei(intoned, sr=SR))


def test_inserted_pauses_are_counted(intoned):
    before = find_pauses(intoned, sr=SR)
    at = [0.8, 2.3]  # inside speech (0.3-1.3 s and 1.8-2.8 s), away from the existing pause
    out = insert_pauses(intoned, sr=SR, at_s=at, pause_s=0.6)
    after = find_pauses(out, sr=SR)
    assert len(after) == len(before) + 2
    assert abs(len(out) - len(intoned) - int(1.2 * SR)) < 0.02 * SR
    long_ones = [p for p in after if abs(p.duration_s - 0.6) < 0.1]
    assert len(long_ones) >= 2


def test_lengthened_pauses(intoned):
    (p0,) = find_pauses(intoned, sr=SR)
    (p1,) = find_pauses(lengthen_pauses(intoned, sr=SR, factor=2.5), sr=SR)
    assert abs(p1.duration_s - 2.5 * p0.duration_s) < 0.1


def test_known_pause_insertions_in_real_speech(speech_clip):
    before = find_pauses(speech_clip, sr=SR)
    # put the new pauses in the middle of the two longest speech stretches
    from toolkit.analysis import speech_segments

    segs = sorted(speech_segments(speech_clip, sr=SR), key=lambda s: s[1] - s[0])[-2:]
    at = sorted((a + b) / 2 for a, b in segs)
    out = insert_pauses(speech_clip, sr=SR, at_s=at, pause_s=0.7)
    after = find_pauses(out, sr=SR)
    print(f"real speech: {len(before)} pauses before, {len(after)} after inserting 2 at {at}")
    assert len(after) == len(before) + 2
    # each inserted pause is found where it was put (original time + earlier insertions)
    for k, t in enumerate(at):
        t_out = t + 0.7 * k
        assert any(abs(p.start_s - t_out) < 0.15 and p.duration_s >= 0.6 for p in after), (t_out, after)


def test_speech_resynthesis_keeps_pitch(speech_clip):
    base = f0_median_hz(estimate_f0(speech_clip, sr=SR))
    same = modify_prosody(speech_clip, sr=SR)
    assert abs(12 * np.log2(f0_median_hz(estimate_f0(same.y, sr=SR)) / base)) < 0.5
    up = modify_prosody(speech_clip, sr=SR, pitch_shift_st=4)
    assert abs(12 * np.log2(f0_median_hz(estimate_f0(up.y, sr=SR)) / base) - 4) < 0.7


def test_final_rise_bends_only_the_end(intoned):
    w = world_analyze(intoned, sr=SR)
    res = world_synthesize(w, final_rise_st=6.0, final_rise_s=0.4)
    before, after = estimate_f0(intoned, sr=SR), estimate_f0(res.y, sr=SR)
    v_end = before.times_s[before.voiced][-1]

    def st_diff(t0, t1):
        a = before.f0_hz[(before.times_s >= t0) & (before.times_s < t1)]
        b = after.f0_hz[(after.times_s >= t0) & (after.times_s < t1)]
        return 12 * np.log2(np.nanmedian(b) / np.nanmedian(a))

    assert abs(st_diff(0.3, 1.2)) < 0.3  # the beginning is untouched
    assert 4.0 < st_diff(v_end - 0.1, v_end + 0.01) < 7.0  # the last 0.1 s rose by about 5-6 st


def test_result_contour_matches_request():
    y = pulse_vowel(f0_hz=150.0, dur_s=1.0)
    res = modify_prosody(y, sr=SR, pitch_shift_st=12, tempo=2.0)
    assert abs(res.duration_s - 0.5) < 0.02
    assert abs(np.nanmedian(res.f0_hz) - 300) < 5


# --- bad input ----------------------------------------------------------------

@pytest.fixture(scope="module")
def analysis():
    return world_analyze(pulse_vowel(dur_s=0.5), sr=SR)


def test_rejects_huge_pitch_shift(analysis):
    with pytest.raises(ParameterError, match="pitch_shift_st must be within ±24"):
        world_synthesize(analysis, pitch_shift_st=30)


def test_rejects_negative_range(analysis):
    with pytest.raises(ParameterError, match="range_scale must be between 0"):
        world_synthesize(analysis, range_scale=-1)


def test_rejects_zero_tempo(analysis):
    with pytest.raises(ParameterError, match="tempo must be between 0.25 and 4"):
        world_synthesize(analysis, tempo=0)


def test_rejects_negative_pause_scale(analysis):
    with pytest.raises(ParameterError, match="pause_scale must be between 0 and 10"):
        world_synthesize(analysis, pause_scale=-2)


def test_rejects_pause_outside_clip(analysis):
    with pytest.raises(ParameterError, match="insert_pauses_at_s must lie within the clip"):
        world_synthesize(analysis, insert_pauses_at_s=[5.0])


def test_rejects_huge_final_rise(analysis):
    with pytest.raises(ParameterError, match="final_rise_st must be within ±24"):
        world_synthesize(analysis, final_rise_st=40)


def test_rejects_zero_length_final_rise(analysis):
    with pytest.raises(ParameterError, match="final_rise_s must be between 0.05 and 5"):
        world_synthesize(analysis, final_rise_st=3, final_rise_s=0)


def test_rejects_not_an_analysis():
    with pytest.raises(ParameterError, match="needs a WorldAnalysis"):
        world_synthesize(np.zeros(100))


def test_rejects_too_short_clip():
    with pytest.raises(ParameterError, match="at least 50 ms"):
        world_analyze(np.zeros(100, np.float32), sr=SR)
