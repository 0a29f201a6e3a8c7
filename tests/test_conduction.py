"""toolkit.conduction: filter responses against the documented table, length/level/no-clip, real speech, CLI, widget."""

from __future__ import annotations

import json

import numpy as np
import pytest
import soundfile as sf
from scipy.signal import freqz

from toolkit import conduction as C
from toolkit.audio import load
from toolkit.errors import ParameterError

SR = 16000


def _two_tones(f1, f2, *, sr=SR, duration_s=2.0, amp=0.3):
    t = np.arange(int(duration_s * sr)) / sr
    return (amp * np.sin(2 * np.pi * f1 * t) + amp * np.sin(2 * np.pi * f2 * t)).astype(np.float32)


def _tone_level_db(y, f_hz, *, sr=SR):
    """Amplitude (dB) of the FFT peak at f_hz (Hann window, exact bins for these tones)."""
    spec = np.abs(np.fft.rfft(y * np.hanning(len(y))))
    k = int(round(f_hz * len(y) / sr))
    return 20 * np.log10(spec[k - 2:k + 3].max())


# --- the table and the filters -------------------------------------------------

def test_table_known_values():
    t = C.gain_table()
    i500 = list(t.freqs_hz).index(500.0)
    # at 500 Hz air = 0 dB and bone = air + 0 dB: equal powers sum to +3.01 dB
    assert t.mixed_db[i500] == pytest.approx(10 * np.log10(2), abs=1e-9)
    assert np.all(t.mixed_db >= np.maximum(t.air_db, t.bone_db) - 1e-9)
    # bone dominates at 1-2 kHz (Reinfeldt et al. 2010), air at 4 kHz and above (Pörschmann 2000)
    f = t.freqs_hz
    assert np.all(t.bone_db[(f >= 1000) & (f <= 1500)] > t.air_db[(f >= 1000) & (f <= 1500)])
    assert np.all(t.bone_db[f >= 4000] < t.air_db[f >= 4000] - 10)


def test_air_only_is_the_air_path():
    t = C.gain_table(bone_mix=0.0)
    np.testing.assert_allclose(t.mixed_db, C.AIR_PATH_DB)
    assert np.all(np.isneginf(t.bone_db))


def test_bone_mix_scales_bone_path():
    t1, t2 = C.gain_table(bone_mix=1.0), C.gain_table(bone_mix=2.0)
    np.testing.assert_allclose(t2.bone_db - t1.bone_db, 20 * np.log10(2.0))


@pytest.mark.parametrize("sr", [16000, 24000, 44100])
@pytest.mark.parametrize("bone_mix,occlusion", [(1.0, False), (0.0, False), (2.5, False), (1.0, True)])
def test_filter_response_matches_table(sr, bone_mix, occlusion):
    table = C.gain_table(bone_mix=bone_mix, occlusion=occlusion)
    h = C.conduction_fir(sr=sr, bone_mix=bone_mix, occlusion=occlusion)
    _, resp = freqz(h, worN=table.freqs_hz, fs=sr)
    err = 20 * np.log10(np.abs(resp)) - table.mixed_db
    print(f"sr={sr} bone_mix={bone_mix} occlusion={occlusion}: max |error| {np.max(np.abs(err)):.3f} dB")
    assert np.max(np.abs(err)) < 0.5
    # linear phase: symmetric taps
    np.testing.assert_allclose(h, h[::-1], atol=1e-12)


def test_inverse_filter_response_is_negated_table():
    table = C.gain_table()
    h = C.conduction_fir(sr=SR, inverse=True)
    _, resp = freqz(h, worN=table.freqs_hz, fs=SR)
    np.testing.assert_allclose(20 * np.log10(np.abs(resp)), -table.mixed_db, atol=0.5)


def test_transfer_curves_pass_through_table():
    table = C.gain_table(occlusion=True)
    curves = C.transfer_curves(sr=SR, n_freqs=2048, occlusion=True)
    assert curves.freqs_hz[0] == pytest.approx(50.0) and curves.freqs_hz[-1] == pytest.approx(SR / 2)
    for f, want in zip(table.freqs_hz, table.mixed_db):
        got = np.interp(np.log(f), np.log(curves.freqs_hz), curves.mixed_db)
        assert got == pytest.approx(want, abs=0.2)


def test_occlusion_adds_low_frequency_gain():
    open_, plugged = C.gain_table(), C.gain_table(occlusion=True)
    f = open_.freqs_hz
    tilt_open = open_.mixed_db[f == 250][0] - open_.mixed_db[f == 4000][0]
    tilt_plugged = plugged.mixed_db[f == 250][0] - plugged.mixed_db[f == 4000][0]
    print(f"250 Hz vs 4 kHz: open {tilt_open:.1f} dB, plugged {tilt_plugged:.1f} dB")
    assert tilt_plugged - tilt_open > 10
    assert np.all(plugged.bone_db[f <= 500] - open_.bone_db[f <= 500] >= 14)


# --- applying the filters ---------------------------------------------------------

def test_two_tone_gains_follow_table():
    y = _two_tones(250.0, 4000.0)
    out = C.as_you_hear_yourself(y, sr=SR)
    t = C.gain_table()
    want = t.mixed_db[t.freqs_hz == 250][0] - t.mixed_db[t.freqs_hz == 4000][0]
    got = (_tone_level_db(out, 250.0) - _tone_level_db(out, 4000.0)) - (_tone_level_db(y, 250.0) - _tone_level_db(y, 4000.0))
    print(f"250 Hz vs 4 kHz tone: table {want:.2f} dB, measured {got:.2f} dB")
    assert got == pytest.approx(want, abs=0.3)


def test_keeps_length_alignment_and_level(rng):
    y = (0.1 * rng.standard_normal(SR * 3)).astype(np.float32)
    out = C.as_you_hear_yourself(y, sr=SR)
    assert out.shape == y.shape and out.dtype == np.float32
    rms = lambda a: np.sqrt(np.mean(np.square(a, dtype=np.float64)))  # noqa: E731
    assert 20 * np.log10(rms(out) / rms(y)) == pytest.approx(0.0, abs=0.01)
    # aligned: a click stays where it was
    click = np.zeros(SR, np.float32)
    click[5000] = 0.5
    assert int(np.argmax(np.abs(C.as_you_hear_yourself(click, sr=SR)))) == 5000


def test_never_clips_a_full_scale_clip(rng):
    # a square-ish low tone at full scale: the low-frequency boost would push peaks past 1
    t = np.arange(SR * 2) / SR
    y = np.clip(3 * np.sin(2 * np.pi * 200 * t), -1, 1).astype(np.float32)
    for kwargs in ({}, {"occlusion": True}, {"bone_mix": 4.0}):
        out = C.as_you_hear_yourself(y, sr=SR, **kwargs)
        assert np.max(np.abs(out)) <= C.PEAK_LIMIT + 1e-6
        back = C.as_others_hear_you(y, sr=SR, **kwargs)
        assert np.max(np.abs(back)) <= C.PEAK_LIMIT + 1e-6


def test_silence_stays_silent():
    out = C.as_you_hear_yourself(np.zeros(SR, np.float32), sr=SR)
    assert out.shape == (SR,) and not np.any(out)


def test_short_clip_shorter_than_filter(rng):
    y = (0.1 * rng.standard_normal(100)).astype(np.float32)
    assert C.as_you_hear_yourself(y, sr=SR).shape == (100,)


def test_inverse_undoes_forward(rng):
    y = (0.1 * rng.standard_normal(SR * 4)).astype(np.float32)
    for occlusion in (False, True):
        fwd = C.as_you_hear_yourself(y, sr=SR, occlusion=occlusion)
        back = C.as_others_hear_you(fwd, sr=SR, occlusion=occlusion)
        change = C.band_energy_ratio_db(fwd, sr=SR) - C.band_energy_ratio_db(y, sr=SR)
        left = C.band_energy_ratio_db(back, sr=SR) - C.band_energy_ratio_db(y, sr=SR)
        err = np.sqrt(np.mean((back - y) ** 2) / np.mean(y ** 2))
        print(f"occlusion={occlusion}: forward {change:+.2f} dB, after inverse {left:+.2f} dB, waveform error {err:.3f}")
        assert abs(left) < 0.1 * abs(change)
        assert err < 0.1


# --- real speech ---------------------------------------------------------------------

def test_real_speech_band_ratio_rises_3_db(speech_manifest):
    changes = []
    for row in speech_manifest:
        y, sr = load(row["path"])
        out = C.as_you_hear_yourself(y, sr=sr)
        assert len(out) == len(y)
        assert np.max(np.abs(out)) <= C.PEAK_LIMIT + 1e-6
        change = C.band_energy_ratio_db(out, sr=sr) - C.band_energy_ratio_db(y, sr=sr)
        print(f"{row['file']}: 100-1000 Hz / 2-6 kHz {change:+.2f} dB, peak {np.max(np.abs(out)):.3f}")
        changes.append(change)
        assert change >= 3.0, row["file"]
    print(f"{len(changes)} clips: min {min(changes):+.2f}, median {np.median(changes):+.2f}, max {max(changes):+.2f} dB")


# --- bad input, one test each ------------------------------------------------------

def test_bad_bone_mix_negative():
    with pytest.raises(ParameterError, match="bone_mix must be between 0"):
        C.as_you_hear_yourself(np.zeros(1600, np.float32), sr=SR, bone_mix=-0.5)


def test_bad_bone_mix_too_large():
    with pytest.raises(ParameterError, match="got 10"):
        C.as_you_hear_yourself(np.zeros(1600, np.float32), sr=SR, bone_mix=10)


def test_bad_bone_mix_not_a_number():
    with pytest.raises(ParameterError, match="bone_mix must be a number"):
        C.transfer_curves(sr=SR, bone_mix="lots")


def test_bad_bone_mix_nan():
    with pytest.raises(ParameterError, match="bone_mix"):
        C.gain_table(bone_mix=float("nan"))


def test_bad_occlusion_not_bool():
    with pytest.raises(ParameterError, match="occlusion must be True or False"):
        C.as_you_hear_yourself(np.zeros(1600, np.float32), sr=SR, occlusion="yes")


def test_bad_sr_too_low():
    with pytest.raises(ParameterError, match="at least 8000 Hz"):
        C.as_you_hear_yourself(np.zeros(1600, np.float32), sr=4000)


def test_bad_sr_zero():
    with pytest.raises(ParameterError, match="positive sample rate"):
        C.as_others_hear_you(np.zeros(1600, np.float32), sr=0)


def test_bad_empty_waveform():
    with pytest.raises(ParameterError, match="empty"):
        C.as_you_hear_yourself(np.zeros(0, np.float32), sr=SR)


def test_bad_stereo_waveform():
    with pytest.raises(ParameterError, match="1-D mono"):
        C.as_you_hear_yourself(np.zeros((2, 1600), np.float32), sr=SR)


def test_bad_nan_waveform():
    y = np.zeros(1600, np.float32)
    y[3] = np.nan
    with pytest.raises(ParameterError, match="NaN"):
        C.as_others_hear_you(y, sr=SR)


def test_bad_n_freqs():
    with pytest.raises(ParameterError, match="n_freqs"):
        C.transfer_curves(sr=SR, n_freqs=1)


def test_bad_numtaps_even():
    with pytest.raises(ParameterError, match="odd integer"):
        C.conduction_fir(sr=SR, numtaps=512)


def test_bad_band_ratio_on_silence():
    with pytest.raises(ParameterError, match="no energy"):
        C.band_energy_ratio_db(np.zeros(SR, np.float32), sr=SR)


def test_bad_band_outside_nyquist():
    with pytest.raises(ParameterError, match="high_hz"):
        C.band_energy_ratio_db(np.ones(SR, np.float32), sr=SR, high_hz=(2000.0, 9000.0))


# --- CLI -------------------------------------------------------------------------------

def _one_line_error(r):
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "Traceback" not in r.stderr
    return lines[0]


def test_cli_hear_yourself_real_speech(cli, tmp_path, english_refs):
    src = english_refs[0]["path"]
    out = tmp_path / "mine.wav"
    r = cli("hear-yourself", src, "--out", out, "--json")
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    y_in, sr_in = sf.read(str(src), dtype="float32")
    y_out, sr_out = sf.read(str(out), dtype="float32")
    assert sr_out == sr_in and len(y_out) == len(y_in)
    assert res["duration_s"] == pytest.approx(len(y_in) / sr_in, abs=1e-3)
    assert res["low_high_ratio_change_db"] >= 3.0 and res["peak_dbfs"] <= 0.0
    print(f"{src.name}: {res['low_high_ratio_change_db']:+.2f} dB, RMS change {res['rms_change_db']:+.2f} dB")


def test_cli_hear_yourself_bone_mix_and_occlusion(cli, tmp_path, english_refs):
    src = english_refs[0]["path"]
    r0 = json.loads(cli("hear-yourself", src, "--out", tmp_path / "a.wav", "--bone-mix", 0, "--json").stdout)
    r2 = json.loads(cli("hear-yourself", src, "--out", tmp_path / "b.wav", "--bone-mix", 2, "--occlusion", "--json").stdout)
    assert r2["low_high_ratio_change_db"] > r0["low_high_ratio_change_db"] + 10


def test_cli_hear_yourself_bad_bone_mix(cli, tmp_path):
    sf.write(str(tmp_path / "a.wav"), _two_tones(250.0, 3000.0), SR)
    msg = _one_line_error(cli("hear-yourself", tmp_path / "a.wav", "--out", tmp_path / "o.wav", "--bone-mix", "-1"))
    assert "bone_mix" in msg
    assert not (tmp_path / "o.wav").exists()


def test_cli_hear_yourself_missing_file(cli, tmp_path):
    assert "no such file" in _one_line_error(cli("hear-yourself", tmp_path / "x.wav", "--out", tmp_path / "o.wav"))


def test_cli_hear_yourself_silent_file(cli, tmp_path):
    sf.write(str(tmp_path / "s.wav"), np.zeros(SR, np.float32), SR)
    assert "no energy" in _one_line_error(cli("hear-yourself", tmp_path / "s.wav", "--out", tmp_path / "o.wav"))


# --- the widget ----------------------------------------------------------------------

def test_conduction_explorer_updates_on_slider():
    pytest.importorskip("ipywidgets")
    from toolkit import media
    from toolkit.ui.conduction_explorer import ConductionExplorer

    ex = ConductionExplorer(media.example("vowel_a_150"))
    assert ex.n_updates == 1 and ex.mine is not None and len(ex.last_png) > 10_000
    first, status, png, audio = ex.mine.copy(), ex.status.value, ex.last_png, ex.players[1].value
    ex.bone_mix.value = 3.0
    assert ex.n_updates == 2
    assert "bone mix 3.0" in ex.status.value and ex.status.value != status
    assert not np.allclose(ex.mine, first)
    assert ex.players[1].value != audio and ex.last_png != png  # audio and figure both redrawn
    times = [ex.last_update_s]
    ex.occlusion.value = True
    assert ex.n_updates == 3 and "plugged" in ex.status.value
    times.append(ex.last_update_s)
    ex.set_clip(media.example("sweep_100_400"))
    assert ex.n_updates == 4 and "sweep_100_400" in ex.status.value
    times.append(ex.last_update_s)
    print("conduction explorer update times (s):", [round(t, 3) for t in times])
    assert max(times) < 0.5


def test_self_rating_form_records_setting():
    pytest.importorskip("ipywidgets")
    from toolkit import media
    from toolkit.ui.conduction_explorer import ConductionExplorer, SelfRatingForm

    ex = ConductionExplorer(media.example("vowel_a_150"))
    ex.bone_mix.value = 1.7
    form = SelfRatingForm(ex)
    form.recording.value, form.as_heard.value = 4, 2
    rating = form.save()
    assert rating["bone_mix"] == pytest.approx(1.7) and rating["preferred"] == "the recording"
    assert len(form.ratings) == 1 and "bone mix 1.7" in form.summary.value


# --- the plot helper ---------------------------------------------------------------------

def test_plot_transfer_curves_draws_the_curves():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from toolkit.plot import plot_transfer_curves

    curves = C.transfer_curves(sr=SR, n_freqs=100)
    drawn = plot_transfer_curves(curves, table=C.gain_table())
    np.testing.assert_allclose(drawn["mixed"].get_ydata(), curves.mixed_db)
    assert drawn["table"] is not None and "ears open" in drawn["mixed"].axes.get_title()
    air_only = plot_transfer_curves(C.transfer_curves(sr=SR, bone_mix=0.0))
    assert np.all(np.isnan(air_only["bone"].get_ydata()))  # no bone path to draw
    plt.close("all")


def test_plot_transfer_curves_bad_input():
    from toolkit.plot import plot_transfer_curves

    with pytest.raises(ParameterError, match="TransferCurves"):
        plot_transfer_curves(np.zeros(10))
