"""toolkit.effects: each degradation has a known answer (SNR, RT60, clipped fraction, duration, pitch)."""

import numpy as np
import pytest

from toolkit import effects as fx
from toolkit.errors import ParameterError

SR = 16000


@pytest.fixture(scope="module")
def speech():
    """A real English reference at 16 kHz (or a synthetic vowel when the speech set is absent)."""
    from tests.conftest import SPEECH_DIR
    from toolkit.audio import load

    path = SPEECH_DIR / "vctk_p228__ref__p228_023.wav"
    if path.exists():
        return load(path, sr=SR)[0]
    from toolkit.media import example

    return example("vowel_a_150", sr=SR).y


@pytest.mark.parametrize("kind", ["white", "pink", "hum"])
@pytest.mark.parametrize("snr", [0.0, 3.0, 10.0, 25.0])
def test_add_noise_gives_requested_snr(speech, kind, snr):
    noisy = fx.add_noise(speech, sr=SR, snr_db=snr, kind=kind, seed=1)
    assert noisy.shape == speech.shape
    assert abs(fx.snr_db(speech, noisy) - snr) < 0.5


def test_babble_from_other_voices(speech):
    voices = [np.roll(speech, k * 7919) * (k + 1) for k in range(4)]
    crowd = fx.babble(voices, n=len(speech), seed=3)
    assert crowd.shape == speech.shape and abs(np.std(crowd) - 1.0) < 1e-3
    noisy = fx.add_noise(speech, sr=SR, snr_db=5.0, noise=crowd)
    assert abs(fx.snr_db(speech, noisy) - 5.0) < 0.5


def test_add_noise_is_seeded(speech):
    a = fx.add_noise(speech, sr=SR, snr_db=10, seed=5)
    b = fx.add_noise(speech, sr=SR, snr_db=10, seed=5)
    c = fx.add_noise(speech, sr=SR, snr_db=10, seed=6)
    assert np.array_equal(a, b) and not np.array_equal(a, c)


@pytest.mark.parametrize("rt60", [0.3, 0.6, 1.2, 2.0])
def test_synthetic_rir_has_requested_rt60(rt60):
    h = fx.synthetic_rir(sr=SR, rt60_s=rt60, seed=2)
    measured = fx.schroeder_rt60(h, sr=SR)
    assert abs(measured - rt60) / rt60 < 0.15, measured


def test_rir_direct_to_reverberant_ratio():
    h = fx.synthetic_rir(sr=SR, rt60_s=0.8, drr_db=-3.0).astype(np.float64)
    drr = 10 * np.log10(h[0] ** 2 / np.sum(h[1:] ** 2))
    assert abs(drr + 3.0) < 0.01


def test_reverb_keeps_length_and_level(speech):
    wet = fx.add_reverb(speech, sr=SR, rt60_s=1.2)
    assert wet.shape == speech.shape
    assert abs(np.std(wet) - np.std(speech)) / np.std(speech) < 0.01
    assert not np.allclose(wet, speech)


@pytest.mark.parametrize("drive", [3.0, 12.0])
def test_clip_flattens_the_predicted_fraction(speech, drive):
    out = fx.clip(speech, sr=SR, drive_db=drive)
    peak = np.max(np.abs(out))
    at_peak = np.mean(np.abs(out) >= peak * (1 - 1e-6))
    assert abs(at_peak - fx.clipped_fraction(speech, sr=SR, drive_db=drive)) < 1e-4
    assert at_peak > 0
    assert np.allclose(out[np.abs(speech) < peak * 0.99], speech[np.abs(speech) < peak * 0.99], atol=1e-6)


def test_change_speed_changes_duration_not_pitch():
    from toolkit.analysis.pitch import estimate_f0
    from toolkit.media import example

    clip = example("vowel_a_150", sr=SR)
    fast = fx.change_speed(clip.y, sr=SR, rate=1.5)
    assert abs(len(fast) / len(clip.y) - 1 / 1.5) < 0.02
    f0_before = np.nanmedian(estimate_f0(clip.y, sr=SR).f0_hz)
    f0_after = np.nanmedian(estimate_f0(fast, sr=SR).f0_hz)
    assert abs(f0_after - f0_before) / f0_before < 0.03


def test_change_volume_and_trim(speech):
    louder = fx.change_volume(speech, sr=SR, gain_db=6.0)
    assert abs(20 * np.log10(np.std(louder) / np.std(speech)) - 6.0) < 0.01
    cut = fx.trim(speech, sr=SR, start_s=1.0, duration_s=2.0)
    assert len(cut) == 2 * SR and np.array_equal(cut, speech[SR:3 * SR])


def test_add_voice_level_and_alternate_turns(speech):
    other = np.roll(speech, 12345)
    mixed = fx.add_voice(speech, sr=SR, other=other, level_db=-6.0)
    added = mixed - speech
    assert abs(10 * np.log10(np.mean(added.astype(np.float64) ** 2) / np.mean(speech.astype(np.float64) ** 2)) + 6) < 0.1
    turns = fx.alternate_turns(speech, sr=SR, other=other[: 3 * SR], turn_s=2.0)
    n_turns = int(np.ceil(len(speech) / (2 * SR))) - 1
    assert len(turns) == len(speech) + n_turns * 2 * SR


# --- bad input, one test each ---------------------------------------------------------

def test_unknown_noise_kind(speech):
    with pytest.raises(ParameterError, match="unknown noise kind"):
        fx.add_noise(speech, sr=SR, snr_db=10, kind="purple")


def test_babble_needs_voices(speech):
    with pytest.raises(ParameterError, match="babble"):
        fx.add_noise(speech, sr=SR, snr_db=10, kind="babble")


def test_noise_on_silence():
    with pytest.raises(ParameterError, match="silent"):
        fx.add_noise(np.zeros(SR, np.float32), sr=SR, snr_db=10)


def test_rt60_out_of_range():
    with pytest.raises(ParameterError, match="rt60_s"):
        fx.synthetic_rir(sr=SR, rt60_s=20.0)


def test_negative_drive(speech):
    with pytest.raises(ParameterError, match="drive_db"):
        fx.clip(speech, sr=SR, drive_db=-3)


def test_speed_out_of_range(speech):
    with pytest.raises(ParameterError, match="rate"):
        fx.change_speed(speech, sr=SR, rate=10.0)


def test_trim_outside_clip(speech):
    with pytest.raises(ParameterError, match="outside the clip"):
        fx.trim(speech, sr=SR, start_s=1000.0)


def test_bad_sample_rate():
    with pytest.raises(ParameterError, match="sample rate"):
        fx.hum(100, sr=0)


# --- music, hum, bang, phone line (issue 14) -------------------------------------------------------------

def test_add_music_and_hum_give_requested_snr(speech):
    music = fx.pink_noise(3 * SR, seed=5)  # any recording works as "music"; the SNR is what is tested
    assert abs(fx.snr_db(speech, fx.add_music(speech, sr=SR, music=music, snr_db=10.0)) - 10.0) < 0.01
    hummed = fx.add_hum(speech, sr=SR, snr_db=20.0, mains_hz=60.0)
    assert abs(fx.snr_db(speech, hummed) - 20.0) < 0.01
    spec = np.abs(np.fft.rfft(hummed - speech))
    f = np.fft.rfftfreq(len(speech), 1 / SR)
    assert abs(f[np.argmax(spec)] - 60.0) < 1.0


def test_add_bang_peak_and_place(speech):
    out = fx.add_bang(speech, sr=SR, at_s=1.0, level_db=0.0)
    burst = out - speech
    assert SR <= np.flatnonzero(np.abs(burst) > 0)[0] <= SR + 2  # the attack starts from zero
    assert abs(np.max(np.abs(burst)) - np.max(np.abs(speech))) < 1e-3
    assert np.allclose(out[:SR], speech[:SR])
    assert np.array_equal(out, fx.add_bang(speech, sr=SR, at_s=1.0, level_db=0.0))  # seeded


def test_phone_band_keeps_300_to_3400_hz(speech):
    out = fx.phone_band(speech, sr=SR)
    assert out.shape == speech.shape
    f = np.fft.rfftfreq(len(out), 1 / SR)
    p = np.abs(np.fft.rfft(out)) ** 2
    band = p[(f > 500) & (f < 3000)].sum()
    assert p[f > 4200].sum() < 1e-4 * band
    assert p[f < 150].sum() < 1e-2 * band


def test_apply_tweaks_new_faults(speech):
    music = fx.pink_noise(2 * SR, seed=1)
    out = fx.apply_tweaks(speech, sr=SR, music=music, music_snr_db=10.0, hum_snr_db=30.0, bang_at_s=1.0, phone=True)
    assert out.shape == speech.shape and np.max(np.abs(out)) <= 1.0
    with pytest.raises(ParameterError, match="music"):
        fx.apply_tweaks(speech, sr=SR, music_snr_db=10.0)


def test_new_faults_reject_bad_values(speech):
    with pytest.raises(ParameterError, match="mains_hz"):
        fx.add_hum(speech, sr=SR, mains_hz=55.0)
    with pytest.raises(ParameterError, match="at_s"):
        fx.add_bang(speech, sr=SR, at_s=len(speech) / SR + 1)
    with pytest.raises(ParameterError, match="silent"):
        fx.add_bang(np.zeros(SR, np.float32), sr=SR, at_s=0.5)
    with pytest.raises(ParameterError, match="low_hz"):
        fx.phone_band(speech, sr=SR, low_hz=3500.0, high_hz=300.0)
