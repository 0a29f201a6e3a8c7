"""toolkit.analysis: known answers on synthetic signals, plausibility on real speech, bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest

from toolkit.analysis import (estimate_f0, estimate_formants, f0_median_hz, f0_range_st, find_pauses,
                              harmonics_to_noise_db, intensity_db, loudness_lufs, mel_spectrogram_db, mel_to_audio,
                              speaking_rate, spectral_tilt, speech_segments, stft_db, syllable_nuclei, voice_profile)
from toolkit.audio import load
from toolkit.errors import ParameterError

from .signals import SR, count_syllables, pulse_vowel, syllable_train

PROFILE_KEYS = {"duration_s", "speech_duration_s", "f0_median_hz", "f0_range_st", "speaking_rate_syl_per_s",
                "formants_hz", "spectral_tilt_db_per_oct", "loudness_lufs", "pause_count", "mean_pause_s"}


def test_pulse_train_f0_and_formants():
    y = pulse_vowel(f0_hz=150.0, formants=((700, 80), (1200, 100)))
    p = voice_profile(y, sr=SR)
    print(f"f0_median_hz={p.f0_median_hz:.2f}, formants_hz={p.formants_hz}")
    assert abs(p.f0_median_hz - 150.0) < 4.0
    assert abs(p.formants_hz[0] - 700) / 700 < 0.10
    assert abs(p.formants_hz[1] - 1200) / 1200 < 0.10


def test_formants_three_resonances_low_f0():
    y = pulse_vowel(f0_hz=110.0, formants=((500, 70), (1500, 100), (2500, 140)), dur_s=1.0)
    track = estimate_formants(y, sr=SR, max_formant_hz=5000)
    med = np.nanmedian(track.formants_hz, axis=0)
    assert np.all(np.abs(med - [500, 1500, 2500]) / [500, 1500, 2500] < 0.10), med


def test_sweep_f0_is_tracked():
    from scipy.signal import chirp

    dur = 3.0
    t = np.arange(int(dur * SR)) / SR
    y = sum(0.3 / k * chirp(t, f0=100 * k, t1=dur, f1=400 * k, method="logarithmic") for k in range(1, 5))
    track = estimate_f0(y.astype(np.float32), sr=SR)
    true = 100 * 4 ** (track.times_s / dur)
    inside = (track.times_s > 0.05) & (track.times_s < dur - 0.05)
    assert track.voiced[inside].mean() > 0.95
    err = np.abs(track.f0_hz[inside] - true[inside]) / true[inside]
    print(f"sweep: median relative error {np.nanmedian(err):.4f}, share within 3%: {np.mean(err < 0.03):.3f}")
    assert np.mean(err < 0.03) > 0.95
    assert abs(f0_range_st(track, low_pct=0, high_pct=100) - 24.0) < 1.0  # two octaves


def test_pyin_agrees_on_a_steady_vowel():
    y = pulse_vowel(f0_hz=200.0, dur_s=0.5)
    assert abs(f0_median_hz(estimate_f0(y, sr=SR, method="pyin")) - 200) < 4


def test_silence_has_no_f0_and_no_speech():
    y = np.zeros(SR, np.float32)
    assert not estimate_f0(y, sr=SR).voiced.any()
    assert speech_segments(y, sr=SR) == []
    assert speaking_rate(y, sr=SR) == 0.0
    p = voice_profile(y, sr=SR)
    assert p.speech_duration_s == 0 and p.pause_count == 0 and np.isnan(p.f0_median_hz)
    d = p.to_dict()
    assert d["f0_median_hz"] is None and d["loudness_lufs"] is None
    json.dumps(d)


@pytest.mark.parametrize("n_samples", [1, 800, 1600, 2100, 4000])
def test_profile_of_very_short_clips_does_not_fail(n_samples, rng):
    y = (0.1 * rng.standard_normal(n_samples)).astype(np.float32)
    d = voice_profile(y, sr=SR).to_dict()
    assert d["f0_median_hz"] is None and d["speaking_rate_syl_per_s"] == 0.0
    json.dumps(d)


def test_known_pauses_are_counted():
    y, starts = syllable_train(n_syl=10, gaps=[(2, 0.4), (5, 0.8), (7, 0.3)])
    pauses = find_pauses(y, sr=SR)
    assert len(pauses) == 3
    for p, start, dur in zip(pauses, starts, (0.4, 0.8, 0.3)):
        assert abs(p.duration_s - dur) < 0.08, (p, dur)
        assert abs(p.start_s - start) < 0.06, (p, start)
    # a 0.15 s gap is a stop closure, not a pause
    y2, _ = syllable_train(n_syl=6, gaps=[(2, 0.15)])
    assert find_pauses(y2, sr=SR) == []


def test_syllable_nuclei_count_on_a_syllable_train():
    y, _ = syllable_train(n_syl=9, rate_hz=4.0, gaps=[(4, 0.5)])
    nuclei = syllable_nuclei(y, sr=SR)
    assert len(nuclei) == 9
    rate = speaking_rate(y, sr=SR)
    assert 3.4 < rate < 4.6  # 9 syllables in about 2.25 s of speech


def test_leading_and_trailing_silence_are_not_pauses():
    tone = (0.3 * np.sin(2 * np.pi * 200 * np.arange(SR) / SR)).astype(np.float32)
    y = np.concatenate([np.zeros(SR), tone, np.zeros(SR)])
    assert find_pauses(y, sr=SR) == []
    (seg,) = speech_segments(y, sr=SR)
    assert abs(seg[0] - 1.0) < 0.03 and abs(seg[1] - 2.0) < 0.03


def test_spectral_tilt_of_white_and_brown_noise(rng):
    white = 0.1 * rng.standard_normal(4 * SR)
    brown = np.cumsum(rng.standard_normal(4 * SR))
    brown = 0.5 * (brown - np.convolve(brown, np.ones(801) / 801, mode="same"))  # remove drift (below 20 Hz)
    brown = (0.5 * brown / np.abs(brown).max()).astype(np.float32)
    assert abs(spectral_tilt(white.astype(np.float32), sr=SR)) < 0.5
    assert abs(spectral_tilt(brown, sr=SR, fmin_hz=200) - (-6.02)) < 1.0


def test_loudness_of_a_sine_and_its_scaling():
    t = np.arange(3 * SR) / SR
    y = (0.1 * np.sin(2 * np.pi * 997 * t)).astype(np.float32)
    assert abs(loudness_lufs(y, sr=SR) - (-23.0)) < 0.3  # BS.1770: 0 dBFS sine at 1 kHz reads -3.01 LUFS
    assert abs(loudness_lufs(0.5 * y, sr=SR) - loudness_lufs(y, sr=SR) + 6.02) < 0.05


def test_loudness_matches_pyloudnorm(rng, english_refs):
    import pyloudnorm

    noise = 0.05 * rng.standard_normal(2 * 44100)
    assert abs(loudness_lufs(noise.astype(np.float32), sr=44100)
               - pyloudnorm.Meter(44100).integrated_loudness(noise.astype(np.float32).astype(np.float64))) < 0.01
    for r in english_refs[:3]:
        y, sr = load(r["path"])
        assert abs(loudness_lufs(y, sr=sr) - pyloudnorm.Meter(sr).integrated_loudness(y.astype(np.float64))) < 0.01


def test_loudness_of_silence_is_minus_infinity():
    assert loudness_lufs(np.zeros(SR, np.float32), sr=SR) == float("-inf")


def test_intensity_of_a_full_scale_sine():
    t = np.arange(SR) / SR
    c = intensity_db(np.sin(2 * np.pi * 440 * t).astype(np.float32), sr=SR)
    assert abs(np.median(c.level_db) - (-3.01)) < 0.1


def test_hnr_orders_clean_and_breathy(rng):
    clean = pulse_vowel(f0_hz=150.0, dur_s=1.0)
    breathy = clean + 0.05 * rng.standard_normal(len(clean)).astype(np.float32)
    assert harmonics_to_noise_db(clean, sr=SR) > harmonics_to_noise_db(breathy, sr=SR) + 5


def test_stft_peak_and_mel_shape():
    t = np.arange(SR) / SR
    y = (0.5 * np.sin(2 * np.pi * 1000 * t)).astype(np.float32)
    spec = stft_db(y, sr=SR, n_fft=1024, hop_length=256, win_length=1024)
    col = spec.S_db[:, spec.S_db.shape[1] // 2]
    assert abs(spec.freqs_hz[col.argmax()] - 1000) < SR / 1024
    assert abs(col.max() - 20 * np.log10(0.5)) < 1.0  # amplitude 0.5 reads -6 dB
    mel = mel_spectrogram_db(y, sr=SR, n_mels=40)
    assert mel.S_db.shape == (40, 1 + SR // 160)
    assert mel.S_db.max() == 0 and mel.S_db.min() >= -80


def test_griffin_lim_keeps_the_spectral_envelope():
    y = pulse_vowel(f0_hz=150.0, dur_s=0.8)
    back = mel_to_audio(y, sr=SR, n_iter=16)
    assert back.shape == y.shape
    a = mel_spectrogram_db(y, sr=SR).S_db.mean(axis=1)
    b = mel_spectrogram_db(back, sr=SR).S_db.mean(axis=1)
    assert np.corrcoef(a, b)[0, 1] > 0.9


def test_profile_to_dict_has_the_documented_keys():
    d = voice_profile(pulse_vowel(), sr=SR).to_dict()
    assert PROFILE_KEYS <= set(d)
    assert len(d["formants_hz"]) == 3
    json.dumps(d)


def test_profile_resamples_other_rates():
    from toolkit.audio import resample

    y = pulse_vowel(f0_hz=150.0)
    p = voice_profile(resample(y, sr=SR, target_sr=44100), sr=44100)
    assert abs(p.f0_median_hz - 150) < 4


# --- real speech --------------------------------------------------------------

def test_count_syllables():
    assert count_syllables("The rainbow is a division of white light") == 11
    assert count_syllables("Six spoons of fresh snow peas") == 6


@pytest.fixture(scope="module")
def english_profiles(speech_manifest):
    out = []
    for r in speech_manifest:
        if r["language"] != "en" or r["gender"] not in ("F", "M"):
            continue
        y, sr = load(r["path"], sr=SR)
        out.append((r, y, voice_profile(y, sr=SR)))
    return out


def test_female_f0_above_male(english_profiles):
    by_speaker = {}
    for r, _, p in english_profiles:
        by_speaker.setdefault((r["speaker"], r["gender"]), []).append(p.f0_median_hz)
    med = {k: float(np.median(v)) for k, v in by_speaker.items()}
    for (spk, g), f in sorted(med.items(), key=lambda kv: kv[1]):
        print(f"{spk:20s} {g} F0 median {f:6.1f} Hz")
    female = [f for (_, g), f in med.items() if g == "F"]
    male = [f for (_, g), f in med.items() if g == "M"]
    assert female and male
    assert min(female) > max(male)
    assert 165 < np.median(female) < 255 and 70 < np.median(male) < 160  # typical adult ranges


def test_speaking_rate_matches_transcripts(english_profiles):
    rows = [(r, p) for r, _, p in english_profiles if r["transcript"].strip()]
    assert len(rows) >= 4
    ok = 0
    for r, p in rows:
        ref = count_syllables(r["transcript"]) / p.speech_duration_s
        err = (p.speaking_rate_syl_per_s - ref) / ref
        ok += abs(err) <= 0.25
        print(f"{r['file']:45s} measured {p.speaking_rate_syl_per_s:.2f} syl/s, transcript {ref:.2f} syl/s "
              f"({err:+.0%})")
    assert ok >= 0.8 * len(rows)


def test_pauses_are_few_and_plausible_on_speech(english_profiles):
    for r, _, p in english_profiles:
        assert p.pause_count <= p.duration_s / 1.0  # fewer than one pause a second
        assert p.pause_count == 0 or 0.25 <= p.mean_pause_s < 2.0
        assert 0.5 * p.duration_s < p.speech_duration_s <= p.duration_s


# --- bad input ----------------------------------------------------------------

def test_f0_rejects_inverted_range():
    with pytest.raises(ParameterError, match="fmin_hz < fmax_hz"):
        estimate_f0(np.zeros(SR, np.float32), sr=SR, fmin_hz=300, fmax_hz=100)


def test_f0_rejects_unknown_method():
    with pytest.raises(ParameterError, match="unknown F0 method 'crepe'"):
        estimate_f0(np.zeros(SR, np.float32), sr=SR, method="crepe")


def test_f0_rejects_fmax_above_nyquist():
    with pytest.raises(ParameterError, match="Nyquist"):
        estimate_f0(np.zeros(800, np.float32), sr=800, fmin_hz=60, fmax_hz=500)


def test_profile_rejects_stereo():
    with pytest.raises(ParameterError, match="1-D mono"):
        voice_profile(np.zeros((2, SR), np.float32), sr=SR)


def test_profile_rejects_nan():
    y = np.zeros(SR, np.float32)
    y[5] = np.nan
    with pytest.raises(ParameterError, match="NaN"):
        voice_profile(y, sr=SR)


def test_profile_rejects_empty():
    with pytest.raises(ParameterError, match="empty"):
        voice_profile(np.zeros(0, np.float32), sr=SR)


def test_pauses_reject_nonpositive_min_pause():
    with pytest.raises(ParameterError, match="min_pause_s must be positive"):
        find_pauses(np.zeros(SR, np.float32), sr=SR, min_pause_s=0)


def test_segments_reject_positive_threshold():
    with pytest.raises(ParameterError, match="threshold_db must be negative"):
        speech_segments(np.zeros(SR, np.float32), sr=SR, threshold_db=3)


def test_nuclei_reject_nonpositive_dip():
    with pytest.raises(ParameterError, match="min_dip_db must be positive"):
        syllable_nuclei(np.zeros(SR, np.float32), sr=SR, min_dip_db=0)


def test_formants_reject_too_many():
    with pytest.raises(ParameterError, match="n_formants must be 1-5"):
        estimate_formants(np.zeros(SR, np.float32), sr=SR, n_formants=7)


def test_formants_reject_ceiling_above_nyquist():
    with pytest.raises(ParameterError, match="max_formant_hz"):
        estimate_formants(np.zeros(SR, np.float32), sr=SR, max_formant_hz=9000)


def test_stft_rejects_window_longer_than_fft():
    with pytest.raises(ParameterError, match="win_length must be between 1 and n_fft=256"):
        stft_db(np.zeros(SR, np.float32), sr=SR, n_fft=256, win_length=400)


def test_mel_rejects_too_many_bands():
    with pytest.raises(ParameterError, match="n_mels must be between 1 and n_fft/2\\+1 = 129"):
        mel_spectrogram_db(np.zeros(SR, np.float32), sr=SR, n_fft=256, win_length=256, n_mels=200)


def test_tilt_rejects_band_above_nyquist():
    with pytest.raises(ParameterError, match="fmax_hz <= sr/2"):
        spectral_tilt(np.zeros(SR, np.float32), sr=SR, fmax_hz=12000)


def test_range_rejects_bad_percentiles():
    track = estimate_f0(pulse_vowel(dur_s=0.5), sr=SR)
    with pytest.raises(ParameterError, match="low_pct < high_pct"):
        f0_range_st(track, low_pct=95, high_pct=5)


# --- CLI ----------------------------------------------------------------------

def test_cli_analyze_json(cli, tmp_path):
    from toolkit.audio import save

    path = save(tmp_path / "vowel.wav", pulse_vowel(), sr=SR)
    res = cli("analyze", path, "--json")
    assert res.returncode == 0, res.stderr
    d = json.loads(res.stdout)
    assert PROFILE_KEYS <= set(d)
    assert abs(d["f0_median_hz"] - 150) < 4


def test_cli_analyze_missing_file(cli, tmp_path):
    res = cli("analyze", tmp_path / "missing.wav")
    assert res.returncode == 2
    assert "no such file" in res.stderr and "Traceback" not in res.stderr


def test_analyze_and_check_report_one_loudness(cli, speech_manifest):
    """``analyze`` and ``check`` give the same integrated loudness for a clip (within 0.01 LU), and both equal
    pyloudnorm's (within 0.05 LU), on held-out speech that no threshold was tuned on."""
    import json

    import pyloudnorm

    held = [r for r in speech_manifest if r["role"] == "heldout"][:3]
    assert held, "the speech set has no held-out clips"
    for r in held:
        a = cli("analyze", r["path"], "--json")
        c = cli("check", r["path"], "--json")
        assert a.returncode == 0 and c.returncode == 0, a.stderr + c.stderr
        analyzed = json.loads(a.stdout)["loudness_lufs"]
        checked = next(x["value"] for x in json.loads(c.stdout)["checks"] if x["name"] == "loudness")
        y, sr = load(r["path"])
        reference = pyloudnorm.Meter(sr).integrated_loudness(y.astype(np.float64))
        assert abs(analyzed - checked) <= 0.01, (r["file"], analyzed, checked)
        assert abs(analyzed - reference) <= 0.05 and abs(checked - reference) <= 0.05, (r["file"], reference)


def test_check_and_shaping_use_the_analysis_loudness(rng):
    """One loudness function: the quality measure is the analysis one, on any rate, to the last digit."""
    from toolkit.quality.measures import loudness_lufs_fast

    for sr in (16000, 24000, 44100):
        y = (0.1 * rng.standard_normal(2 * sr)).astype(np.float32)
        assert loudness_lufs_fast(y, sr=sr) == loudness_lufs(y, sr=sr)


def test_stft_db_matches_librosa_without_importing_it():
    """stft_db runs in numpy (the served app does not load librosa and numba for it) with librosa's numbers."""
    import librosa

    from toolkit.analysis.spectrum import _stft_magnitude

    y = (0.1 * np.random.default_rng(0).standard_normal(40000)).astype(np.float32)
    for n_fft, hop, win, n in [(512, 160, 400, 40000), (2048, 512, 2048, 40000), (1024, 256, 1023, 40000),
                               (512, 160, 400, 100)]:
        ref = np.abs(librosa.stft(y[:n], n_fft=n_fft, hop_length=hop, win_length=win, window="hann"))
        got = _stft_magnitude(y[:n], n_fft=n_fft, hop_length=hop, win_length=win)
        assert got.shape == ref.shape and np.max(np.abs(got - ref)) < 1e-5 * ref.max()


def test_mel_spectrogram_db_matches_librosa():
    import librosa

    from toolkit.analysis import mel_spectrogram_db

    y = (0.1 * np.random.default_rng(1).standard_normal(24000)).astype(np.float32)
    for kw in ({}, {"n_mels": 40, "fmin_hz": 50.0, "fmax_hz": 7000.0}):
        got = mel_spectrogram_db(y, sr=16000, **kw)
        M = librosa.feature.melspectrogram(y=y, sr=16000, n_fft=512, hop_length=160, win_length=400,
                                           n_mels=kw.get("n_mels", 80), fmin=kw.get("fmin_hz", 0.0),
                                           fmax=kw.get("fmax_hz", 8000.0), power=2.0)
        ref = librosa.power_to_db(M, ref=np.max, top_db=80.0)
        assert got.S_db.shape == ref.shape and np.max(np.abs(got.S_db - ref)) < 1e-3
        freqs = librosa.mel_frequencies(n_mels=kw.get("n_mels", 80), fmin=kw.get("fmin_hz", 0.0),
                                        fmax=kw.get("fmax_hz", 8000.0))
        assert np.allclose(got.freqs_hz, freqs)
